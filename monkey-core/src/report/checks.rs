//! The reference page of checks, generated from their metadata.

use crate::auditor::Check;
use std::fmt::Write;

/// A Markdown page describing `checks`: a table, then each check's docs under its id.
pub fn checks_markdown(checks: &[&Check]) -> String {
    let mut out = String::from(
        "# Checks\n\nGenerated from the checks' metadata by `monkey checks --format markdown`; do not edit.\n\n\
         | Check | Technology | Category | Score | Status |\n| --- | --- | --- | --- | --- |\n",
    );
    for check in checks {
        let status = serde_json::to_value(check.status).ok().and_then(|v| v.as_str().map(str::to_owned));
        let _ = writeln!(
            out,
            "| [`{id}`](#{id}) | {} | {} | {} | {} |",
            check.technology,
            check.category,
            check.default_score,
            status.unwrap_or_default(),
            id = check.id
        );
    }
    for check in checks {
        let _ = write!(
            out,
            "\n## {}\n\n**{}** · technology `{}` · {} · default score {}\n\n",
            check.id, check.title, check.technology, check.category, check.default_score
        );
        // The check's own headings move one level down, under its id.
        for line in check.docs.trim_end().lines() {
            if line.starts_with('#') {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
