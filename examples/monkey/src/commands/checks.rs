//! `monkey checks`: every registered check, from the link-time registry.

use crate::Failure;
use crate::cli::ChecksFormat;
use crate::output;

/// Lists the checks linked into this binary.
pub(crate) fn list(format: ChecksFormat) -> Result<(), Failure> {
    let checks = monkey_core::auditor::registered_checks();
    match format {
        ChecksFormat::Json => output::json(&checks)?,
        ChecksFormat::Markdown => print!("{}", monkey_core::report::checks_markdown(&checks)),
        ChecksFormat::Table => {
            let rows: Vec<Vec<String>> = checks
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_owned(),
                        c.technology.to_owned(),
                        c.default_score.to_string(),
                        c.category.to_string(),
                        c.title.to_owned(),
                    ]
                })
                .collect();
            output::table(&["CHECK", "TECHNOLOGY", "SCORE", "CATEGORY", "TITLE"], &rows);
        }
    }
    Ok(())
}
