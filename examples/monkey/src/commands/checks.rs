//! `monkey checks`: every registered check, from the link-time registry.

use crate::Failure;
use crate::cli::Format;
use crate::output;

/// Lists the checks linked into this binary.
pub(crate) fn list(format: Format) -> Result<(), Failure> {
    let checks = monkey_core::auditor::registered_checks();
    match format {
        Format::Json => output::json(&checks)?,
        Format::Table => {
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
