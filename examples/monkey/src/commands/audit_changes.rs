//! Security Monkey's `audit_changes`: re-audits stored items, e.g. after a score override.

use crate::Failure;
use crate::commands::export::{accounts, technologies};
use crate::output::say;
use monkey_core::audit::{AuditEngine, Transition, audit_changes as audit_stored};
use monkey_core::model::now;
use monkey_core::store::Store;

/// Re-audits every stored item of the selected accounts and technologies.
pub(crate) async fn audit_changes(
    store: &dyn Store,
    which_accounts: &[String],
    which_technologies: &[String],
    send_report: bool,
) -> Result<(), Failure> {
    let engine = AuditEngine::registered();
    let accounts = accounts(store, which_accounts).await?;
    let technologies = technologies(which_technologies)?;
    if let Some(unaudited) = technologies.iter().find(|t| !engine.audits(t.as_str())) {
        return Err(Failure::usage(format!(
            "no check audits technology {unaudited}; audited: {}",
            engine.technologies().join(", ")
        )));
    }
    let summary = audit_stored(store, &engine, &accounts, &technologies, now()).await?;
    for error in &summary.errors {
        eprintln!("warning: {error}");
    }
    say!(
        "Audited {} items: {} new, {} regressed, {} fixed, {} unchanged issues",
        summary.items,
        summary.count(Transition::New),
        summary.count(Transition::Regressed),
        summary.count(Transition::Fixed),
        summary.count(Transition::Existing)
    );
    if send_report {
        let mut items = Vec::new();
        for key in summary.transitions.iter().map(|(key, _)| &key.item).collect::<std::collections::BTreeSet<_>>() {
            let arn = store.item(key).await?.and_then(|item| item.arn);
            items.push(monkey_core::report::ReportItem::new(key, arn, store.issues(key).await?));
        }
        print!("{}", monkey_core::report::Report::new(items, now()).render(monkey_core::report::Format::Text));
    }
    Ok(())
}
