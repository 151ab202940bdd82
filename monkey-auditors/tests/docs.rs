//! `docs/checks.md` is generated from the built-in checks' metadata: it must be current.
//! Regenerate with `MONKEY_BLESS=1 cargo test -p monkey-auditors --test docs`.

#[test]
fn the_checks_page_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/checks.md");
    let mut checks = monkey_auditors::builtin();
    checks.sort_by_key(|c| c.id);
    let page = monkey_core::report::checks_markdown(&checks);
    if std::env::var_os("MONKEY_BLESS").is_some() {
        std::fs::write(&path, &page).expect("write docs/checks.md");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == page, "docs/checks.md is stale: run MONKEY_BLESS=1 cargo test -p monkey-auditors --test docs");
}
