//! `monkey export`: every stored item with its scores and open issues, as JSON or CSV.

use crate::Failure;
use crate::cli::{ExportArgs, ExportFormat};
use anyhow::Context;
use monkey_core::model::{AccountNumber, Technology, now};
use monkey_core::report::{Format, Report, ReportItem};
use monkey_core::store::{ItemQuery, Store, StoreExt};
use std::io::Write;

/// Writes the report of the selected items to `--output` or standard output.
pub(crate) async fn export(store: &dyn Store, args: ExportArgs) -> Result<(), Failure> {
    let query = ItemQuery {
        accounts: accounts(store, &args.accounts).await?,
        technologies: technologies(&args.technologies)?,
        active: if args.include_deleted { None } else { Some(true) },
        ..ItemQuery::default()
    };
    let mut items = Vec::new();
    for item in store.search_all(&query).await? {
        let issues = store.issues(&item.key).await?;
        items.push(ReportItem::new(&item.key, item.arn, issues));
    }
    let report = Report::new(items, now());
    let rendered = report.render(match args.format {
        ExportFormat::Json => Format::Json,
        ExportFormat::Csv => Format::Csv,
    });
    match &args.output {
        Some(path) => {
            std::fs::write(path, rendered).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "Exported {} items with {} open issues to {}",
                report.items.len(),
                report.issue_count(),
                path.display()
            );
        }
        None => std::io::stdout().lock().write_all(rendered.as_bytes()).context("cannot write the export")?,
    }
    Ok(())
}

/// `all` (every account, so an empty list) or the numbers of the named accounts.
pub(crate) async fn accounts(store: &dyn Store, which: &[String]) -> Result<Vec<AccountNumber>, Failure> {
    if which.iter().any(|w| w.trim().eq_ignore_ascii_case("all")) {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::with_capacity(which.len());
    for name in which.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        let account = store.find_account(name).await?.ok_or_else(|| {
            Failure::usage(format!("no account named or numbered {name:?}; `monkey accounts list` shows them"))
        })?;
        numbers.push(account.number);
    }
    Ok(numbers)
}

/// `all` (every technology, so an empty list) or the named technologies.
pub(crate) fn technologies(which: &[String]) -> Result<Vec<Technology>, Failure> {
    if which.iter().any(|w| w.trim().eq_ignore_ascii_case("all")) {
        return Ok(Vec::new());
    }
    Ok(which.iter().map(|w| w.trim()).filter(|w| !w.is_empty()).map(Technology::parse).collect::<Result<_, _>>()?)
}
