//! The web UI in a real headless Chromium against a real server over a redb store: log in,
//! add an account, search with autocomplete, open an item, read a diff, justify an issue and
//! set a score override; edit an account in place, compare two revisions, comment on a
//! revision and disable a check in the auditor settings. Screenshots go to
//! `target/ui-screenshots/` as test artifacts.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod browser;
mod common;

use browser::Browser;
use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::{
    Category, CommentTarget, Hash, IgnoreEntry, Issue, IssueKey, ItemKey, NetworkWhitelistEntry, Role, ScoreOverride,
    Technology, Timestamp, User,
};
use monkey_core::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, ItemChange, Store};
use monkey_web::admin::AdminToken;
use monkey_web::auth::password::hash_password;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery staple";
const XSS: &str = "<script>alert(1)</script>";
const PROD: &str = "111111111111";

monkey_core::declare_check! {
    /// The check behind the seeded issue, registered so that the auditor settings list it.
    pub static SG_OPEN = Check {
        id: "securitygroup-ingress-open-to-world",
        technology: "securitygroup",
        title: "SecurityGroupIngressOpenToWorld",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "",
    };
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos(i128::from(1_700_000_000 + seconds) * 1_000_000_000)
}

fn change(key: &ItemKey, kind: ChangeKind, config: Value, hash: u8) -> ItemChange {
    ItemChange {
        key: key.clone(),
        arn: None,
        kind,
        config,
        durable_hash: Hash([hash; 32]),
        complete_hash: Hash([hash; 32]),
    }
}

/// An account with a security group named like a script, opened to the world in its second
/// revision and carrying an issue of 10; an administrator.
async fn seed(store: &dyn Store) -> ItemKey {
    store.put_account(&common::account("prod", PROD)).await.unwrap();
    let sg = ItemKey::new(Technology::parse("securitygroup").unwrap(), PROD.parse().unwrap(), "us-east-1", XSS);
    let quiet = ItemKey::new(Technology::parse("s3").unwrap(), PROD.parse().unwrap(), "eu-west-1", "logs");
    let first = json!({"rules": [{"port": 22, "cidr": "10.0.0.0/8"}], "Description": "<b>bold</b>"});
    let second = json!({"rules": [{"port": 22, "cidr": "0.0.0.0/0"}], "Description": "<b>bold</b>"});
    store
        .commit_changeset(&Changeset {
            at: at(1),
            changes: vec![
                change(&sg, ChangeKind::Created, first, 1),
                change(&quiet, ChangeKind::Created, json!({}), 2),
            ],
        })
        .await
        .unwrap();
    store
        .commit_changeset(&Changeset { at: at(2), changes: vec![change(&sg, ChangeKind::Changed, second, 3)] })
        .await
        .unwrap();
    let issue = Issue {
        key: IssueKey { item: sg.clone(), check: "securitygroup-ingress-open-to-world".into(), notes: "tcp/22".into() },
        score: 10,
        category: Category::InternetAccessible,
        message: "Security group allows ingress from 0.0.0.0/0".into(),
        links: vec![],
        fixed: false,
        justification: None,
        first_seen: at(2),
        last_seen: at(2),
    };
    store
        .commit_audit(&AuditCommit { at: at(2), items: vec![ItemAudit { item: sg.clone(), issues: vec![issue] }] })
        .await
        .unwrap();
    let mut admin = User::new("admin@example.com", Role::Admin).unwrap();
    admin.password_hash = Some(hash_password(PASSWORD).unwrap());
    store.put_user(&admin).await.unwrap();
    sg
}

#[tokio::test(flavor = "multi_thread")]
async fn a_security_engineer_works_through_the_ui() {
    let (store, dir) = common::redb_store();
    let sg = seed(store.as_ref()).await;
    let server =
        common::serve(store.clone(), dir, AdminToken::generate().unwrap(), "127.0.0.1:0".parse().unwrap()).await;
    let base = format!("http://{}", server.address);
    let mut b = Browser::launch().await;

    // Not logged in: the login page. A wrong password says so; the right one opens the dashboard.
    b.goto(&format!("{base}/")).await;
    b.wait_for("document.querySelector('#login-form')", "the login form").await;
    b.fill("#email", "admin@example.com").await;
    b.fill("#password", "not the password").await;
    b.click("#login").await;
    b.wait_for("document.querySelector('.error')", "the login error").await;
    b.fill("#password", PASSWORD).await;
    b.click("#login").await;
    b.wait_for("document.querySelector('#top-items')", "the dashboard").await;
    let dashboard = b.eval("document.querySelector('main').innerText").await;
    let dashboard = dashboard.as_str().unwrap();
    assert!(dashboard.contains(XSS), "the hostile name shows as text: {dashboard}");
    assert!(dashboard.contains("Ageing unjustified issues"));
    assert_eq!(b.eval("document.scripts.length").await, json!(1), "no injected script element");
    b.screenshot("1-dashboard").await;

    // Add an account in Settings.
    b.goto(&format!("{base}/settings")).await;
    b.wait_for("document.querySelector('#account-form')", "the account form").await;
    b.fill("#account-name", "staging").await;
    b.fill("#account-number", "222222222222").await;
    b.fill("#account-s3-name", "staging-s3").await;
    b.click("#account-form button[type=submit]").await;
    b.wait_for("document.querySelector('#accounts').innerText.includes('222222222222')", "the new account").await;
    b.screenshot("2-account-added").await;
    let staging = store.account_by_number(&"222222222222".parse().unwrap()).await.unwrap().expect("stored");
    assert_eq!(staging.name.as_str(), "staging");

    // Search, with autocomplete from the stored values; rows coloured by unjustified score.
    b.goto(&format!("{base}/search")).await;
    b.wait_for("document.querySelector('#filters')", "the filter box").await;
    b.fill("#regions", "us-").await;
    b.wait_for(
        "[...document.querySelectorAll('#regions-options option')].some(o => o.value === 'us-east-1')",
        "region autocomplete",
    )
    .await;
    b.fill("#regions", "").await;
    b.fill("#technologies", "securitygroup").await;
    b.click("#search").await;
    b.wait_for("document.querySelector('#total').textContent.startsWith('1 found')", "the filtered results").await;
    assert_eq!(b.eval("document.querySelectorAll('#results tr').length").await, json!(2), "a header and the one group");
    assert_eq!(
        b.eval("document.querySelectorAll('#results tr.red').length").await,
        json!(1),
        "an unjustified 10 is red"
    );
    b.screenshot("3-search").await;

    // Open the item, read the diff of its last change.
    b.click("#results tr.red a").await;
    b.wait_for(
        "document.querySelector('h1') && document.querySelector('h1').textContent === '<script>alert(1)</script>'",
        "the item page",
    )
    .await;
    b.wait_for("document.querySelector('.revision pre.config')", "the current configuration").await;
    assert!(
        b.eval("document.querySelector('.revision pre.config').textContent")
            .await
            .as_str()
            .unwrap()
            .contains("<b>bold</b>")
    );
    b.click(".revision .tab-diff").await;
    b.wait_for("document.querySelector('.diff .diff-added')", "the diff").await;
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.diff-added')).color").await,
        json!("rgb(17, 99, 41)"),
        "added is green"
    );
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.diff-removed')).color").await,
        json!("rgb(130, 7, 30)"),
        "removed is red"
    );
    assert!(b.eval("document.querySelector('.diff-added').textContent").await.as_str().unwrap().contains("0.0.0.0/0"));
    assert_eq!(
        b.eval("document.querySelectorAll('.diff b').length").await,
        json!(0),
        "configuration text is escaped in the diff"
    );
    b.screenshot("4-diff").await;

    // Justify the issue.
    b.fill("#issues .reason", "a bastion host, reviewed").await;
    b.click("#issues .justify").await;
    b.wait_for(
        "document.querySelector('#issues').innerText.includes('justified by admin@example.com')",
        "the justification",
    )
    .await;
    b.screenshot("5-justified").await;
    let issues = store.issues(&sg).await.unwrap();
    assert_eq!(issues[0].justification.as_ref().map(|j| j.reason.as_str()), Some("a bastion host, reviewed"));

    // Comment on the item.
    b.fill("#comment-text", "<img src=x onerror=alert(2)> looked at it").await;
    b.click("#add-comment").await;
    b.wait_for("document.querySelector('#comments').innerText.includes('looked at it')", "the comment").await;
    assert_eq!(b.eval("document.querySelectorAll('#comments img').length").await, json!(0));

    // Override a score.
    b.goto(&format!("{base}/settings")).await;
    b.wait_for("document.querySelector('#score-form')", "the score form").await;
    b.fill("#score-technology", "securitygroup").await;
    b.fill("#score-check", "securitygroup-ingress-open-to-world").await;
    b.fill("#score-score", "3").await;
    b.click("#score-form button[type=submit]").await;
    b.wait_for(
        "document.querySelector('#scores').innerText.includes('securitygroup-ingress-open-to-world')",
        "the override",
    )
    .await;
    b.screenshot("6-score-override").await;
    let overrides = store.score_overrides().await.unwrap();
    assert_eq!(
        overrides.iter().map(|o| (o.check.as_str(), o.score)).collect::<Vec<_>>(),
        [("securitygroup-ingress-open-to-world", Some(3))]
    );

    // Remove the override again: a second click confirms.
    b.click("#scores tr[data-check] .delete").await;
    b.wait_for(
        "document.querySelector('#scores tr[data-check] .delete').textContent.startsWith('Really')",
        "the confirmation",
    )
    .await;
    assert_eq!(store.score_overrides().await.unwrap().len(), 1, "one click deletes nothing");
    b.click("#scores tr[data-check] .delete").await;
    b.wait_for("!document.querySelector('#scores tr[data-check]')", "the override gone").await;
    assert!(store.score_overrides().await.unwrap().is_empty());

    // Add a user, then make them a Justifier; disable the staging account.
    b.fill("#user-email", "carol@example.com").await;
    b.fill("#user-password", "another long password").await;
    b.click("#user-form button[type=submit]").await;
    b.wait_for("document.querySelector('#users tr[data-user=\"carol@example.com\"]')", "the new user").await;
    // Marks the drawn section, so that waiting below sees the page drawn again after the save.
    b.eval("(() => { const s = document.querySelector('#users tr[data-user=\"carol@example.com\"] select.role'); s.value = 'Justify'; document.querySelector('#users').dataset.stale = '1'; return true; })()").await;
    b.click("#users tr[data-user=\"carol@example.com\"] .save-user").await;
    b.wait_for("!document.querySelector('#users').dataset.stale && document.querySelector('#users tr[data-user=\"carol@example.com\"] select.role').value === 'Justify'", "the saved role").await;
    assert_eq!(store.user("carol@example.com").await.unwrap().map(|u| u.role), Some(Role::Justify));
    b.click("#accounts tr[data-account=staging] .toggle-active").await;
    b.wait_for(
        "document.querySelector('#accounts tr[data-account=staging] .toggle-active').textContent === 'Enable'",
        "the disabled account",
    )
    .await;
    assert!(!store.account_by_number(&"222222222222".parse().unwrap()).await.unwrap().expect("stored").active);
    b.screenshot("7-settings").await;

    // Log out: the next page asks for a login again.
    b.click("#logout").await;
    b.wait_for("document.querySelector('#login-form')", "the login form after logout").await;
    server.stop().await;
}

/// Logs the administrator in and waits for the dashboard.
async fn log_in(b: &mut Browser, base: &str) {
    b.goto(&format!("{base}/login")).await;
    b.wait_for("document.querySelector('#login-form')", "the login form").await;
    b.fill("#email", "admin@example.com").await;
    b.fill("#password", PASSWORD).await;
    b.click("#login").await;
    b.wait_for("document.querySelector('#top-items')", "the dashboard").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_are_edited_revisions_compared_and_commented_and_checks_disabled() {
    let (store, dir) = common::redb_store();
    let sg = seed(store.as_ref()).await;
    let revisions = store.revisions(&sg).await.unwrap();
    let (newer, older) = (revisions[0].id, revisions[1].id);
    let server =
        common::serve(store.clone(), dir, AdminToken::generate().unwrap(), "127.0.0.1:0".parse().unwrap()).await;
    let base = format!("http://{}", server.address);
    let mut b = Browser::launch().await;
    log_in(&mut b, &base).await;

    // Settings entries made elsewhere, to edit in place below.
    store.put_whitelist_entry(&NetworkWhitelistEntry::new("office", "10.0.0.0/8", "").unwrap()).await.unwrap();
    store.put_ignore_entry(&IgnoreEntry::new(Technology::parse("s3").unwrap(), "logs-", "").unwrap()).await.unwrap();
    let score = ScoreOverride {
        technology: Technology::parse("s3").unwrap(),
        check: "s3-bucket-public-read".into(),
        score: Some(3),
        disabled: false,
        account_patterns: vec![],
    };
    store.put_score_override(&score).await.unwrap();

    // Edit the account in place: rename it, give it an S3 name and hostile notes.
    b.goto(&format!("{base}/settings")).await;
    b.wait_for("document.querySelector('#accounts tr[data-account=prod] .edit')", "the accounts").await;
    b.click("#accounts tr[data-account=prod] .edit").await;
    b.wait_for("document.querySelector('#accounts .edit-name')", "the account's inputs").await;
    b.fill("#accounts .edit-name", "production").await;
    b.fill("#accounts .edit-s3-name", "prod-s3").await;
    b.fill("#accounts .edit-notes", XSS).await;
    b.eval("(() => { document.querySelector('#accounts .edit-third-party').checked = true; return true; })()").await;
    b.screenshot("8-account-editing").await;
    b.click("#accounts .save").await;
    b.wait_for("document.querySelector('#accounts tr[data-account=production]')", "the renamed account").await;
    let notes = b.eval("document.querySelector('#accounts tr[data-account=production]').innerText").await;
    assert!(notes.as_str().unwrap().contains(XSS), "the notes show as text: {notes}");
    assert_eq!(b.eval("document.scripts.length").await, json!(1), "no injected script element");
    b.screenshot("9-account-edited").await;
    let account = store.account_by_number(&PROD.parse().unwrap()).await.unwrap().expect("stored");
    assert_eq!(
        (account.name.as_str(), account.s3_name.as_deref(), account.notes.as_str(), account.third_party),
        ("production", Some("prod-s3"), XSS, true)
    );

    // Edit a whitelist entry, an ignore entry and an audit score in place.
    b.click("#whitelist tr[data-network=office] .edit").await;
    b.fill("#whitelist .edit-cidr", "10.1.0.0/16").await;
    b.fill("#whitelist .edit-notes", XSS).await;
    b.click("#whitelist .save").await;
    b.wait_for(
        "document.querySelector('#whitelist tr[data-network=office]').innerText.includes('10.1.0.0/16')",
        "the new CIDR",
    )
    .await;
    b.click("#ignore tr[data-prefix=logs-] .edit").await;
    b.fill("#ignore .edit-notes", "access logs").await;
    b.click("#ignore .save").await;
    b.wait_for(
        "document.querySelector('#ignore tr[data-prefix=logs-]').innerText.includes('access logs')",
        "the notes",
    )
    .await;
    b.click("#scores tr[data-check=s3-bucket-public-read] .edit").await;
    b.fill("#scores .edit-score", "4").await;
    b.fill("#scores .edit-patterns", "name.production=9, third_party.true=1").await;
    b.click("#scores .save").await;
    b.wait_for("document.querySelector('#scores tr[data-check=s3-bucket-public-read]').innerText.includes('name.production=9')", "the patterns")
        .await;
    assert_eq!(b.eval("document.scripts.length").await, json!(1), "no injected script element");
    b.screenshot("9b-entries-edited").await;
    let network = store.whitelist().await.unwrap();
    assert_eq!((network[0].cidr.to_string().as_str(), network[0].notes.as_str()), ("10.1.0.0/16", XSS));
    assert_eq!(store.ignore_entries().await.unwrap()[0].notes, "access logs");
    let score =
        store.score_overrides().await.unwrap().into_iter().find(|o| o.check == "s3-bucket-public-read").unwrap();
    assert_eq!((score.score, score.account_patterns.len()), (Some(4), 2));

    // Pick the item's two revisions and compare them: side by side, then the diff.
    b.goto(&format!("{base}/items/securitygroup/{PROD}/us-east-1/%3Cscript%3Ealert(1)%3C%2Fscript%3E")).await;
    b.wait_for("document.querySelectorAll('.compare-pick').length === 2", "the revision timeline").await;
    b.eval("(() => { for (const c of document.querySelectorAll('.compare-pick')) c.checked = true; return true; })()")
        .await;
    b.click("#compare-selected").await;
    b.wait_for("document.querySelector('.compare .diff .diff-added')", "the compare page").await;
    assert_eq!(
        b.eval("location.pathname + location.search").await,
        json!(format!("/compare?revisions={newer}%2C{older}"))
    );
    assert_eq!(b.eval("document.querySelectorAll('.sides pre.config').length").await, json!(2), "side by side");
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.compare .diff-added')).backgroundColor").await,
        json!("rgb(218, 251, 225)"),
        "added is green"
    );
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.compare .diff-removed')).backgroundColor").await,
        json!("rgb(255, 235, 233)"),
        "removed is red"
    );
    let added = b.eval("document.querySelector('.compare .diff-added').textContent").await;
    assert!(added.as_str().unwrap().contains("0.0.0.0/0"), "{added}");
    let removed =
        b.eval("[...document.querySelectorAll('.compare .diff-removed')].map(e => e.textContent).join()").await;
    assert!(removed.as_str().unwrap().contains("10.0.0.0/8"), "{removed}");
    assert_eq!(b.eval("document.querySelectorAll('.compare b').length").await, json!(0), "configuration text escaped");
    b.screenshot("10-compare").await;
    // The same page from its address, older revision first.
    b.goto(&format!("{base}/compare?revisions={older},{newer}")).await;
    b.wait_for("document.querySelector('.compare .diff .diff-removed')", "the compare page by address").await;
    assert!(b.eval("document.querySelector('h1').textContent").await.as_str().unwrap().contains(&older.to_string()));

    // Comment on the newer revision, hostile text included.
    b.goto(&format!("{base}/items/securitygroup/{PROD}/us-east-1/%3Cscript%3Ealert(1)%3C%2Fscript%3E")).await;
    let card = format!(".revision[data-revision=\"{newer}\"]");
    b.wait_for(&format!("document.querySelector('{card} .revision-comment-text')"), "the revision comment form").await;
    b.fill(&format!("{card} .revision-comment-text"), "<img src=x onerror=alert(3)> opened on purpose").await;
    b.click(&format!("{card} .add-revision-comment")).await;
    b.wait_for(&format!("document.querySelector('{card} .revision-comment')"), "the revision comment").await;
    let shown = b.eval(&format!("document.querySelector('{card} .revision-comments').innerText")).await;
    assert!(shown.as_str().unwrap().contains("<img src=x onerror=alert(3)> opened on purpose"), "{shown}");
    assert_eq!(b.eval("document.querySelectorAll('.revision-comments img').length").await, json!(0));
    b.eval(&format!(
        "(() => {{ document.querySelector('{card} .revision-comments').scrollIntoView(); return true; }})()"
    ))
    .await;
    b.screenshot("11-revision-comment").await;
    let comments = store.comments(&CommentTarget::Revision(newer)).await.unwrap();
    assert_eq!(
        comments.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
        ["<img src=x onerror=alert(3)> opened on purpose"]
    );

    // The revisions tab of the search lists both revisions of the group, newest first.
    b.goto(&format!("{base}/search?what=revisions&technologies=securitygroup")).await;
    b.wait_for(
        "document.querySelector('#total') && document.querySelector('#total').textContent.startsWith('2 found')",
        "the revisions",
    )
    .await;
    let listed = b
        .eval("[...document.querySelectorAll('#results tr[data-revision]')].map(r => Number(r.dataset.revision))")
        .await;
    assert_eq!(listed, json!([newer.0, older.0]));

    // Disable the check on the auditor settings page.
    b.goto(&format!("{base}/auditorsettings")).await;
    let row = "#auditor-settings tr[data-check=securitygroup-ingress-open-to-world]";
    b.wait_for(&format!("document.querySelector('{row} .toggle-check')"), "the check's row").await;
    let text = b.eval(&format!("document.querySelector('{row}').innerText")).await;
    assert!(text.as_str().unwrap().contains("SecurityGroupIngressOpenToWorld"), "{text}");
    b.click(&format!("{row} .toggle-check")).await;
    b.wait_for(
        &format!("document.querySelector('{row} .toggle-check').textContent === 'Enable'"),
        "the disabled check",
    )
    .await;
    b.screenshot("12-auditor-settings").await;
    let overrides = store.score_overrides().await.unwrap();
    assert_eq!(
        overrides.iter().map(|o| (o.check.as_str(), o.disabled)).collect::<Vec<_>>(),
        [("s3-bucket-public-read", false), ("securitygroup-ingress-open-to-world", true)]
    );
    server.stop().await;
}
