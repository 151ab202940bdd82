//! Text for people: each item with a score, then its issues.

use super::Report;
use std::fmt::Write;

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    let flagged: Vec<_> = report.items.iter().filter(|i| !i.issues.is_empty()).collect();
    for item in &flagged {
        let _ = writeln!(
            out,
            "{} {}/{}/{} {} (score {}, unjustified {})",
            item.technology,
            item.account,
            item.region,
            escape(&item.name),
            item.arn.as_deref().map(escape).unwrap_or_default(),
            item.score,
            item.unjustified_score
        );
        for issue in &item.issues {
            let justified = if issue.justification.is_some() { " [justified]" } else { "" };
            let _ = writeln!(
                out,
                "  {:>3}  {:<40} {}{justified}\n       {}",
                issue.score,
                issue.key.check,
                escape(&issue.message),
                escape(&issue.key.notes)
            );
        }
    }
    let _ = writeln!(
        out,
        "{} items audited, {} with issues, {} open issues",
        report.items.len(),
        flagged.len(),
        report.issue_count()
    );
    out
}

/// Control characters from cloud data would let a resource name rewrite the terminal.
fn escape(text: &str) -> String {
    text.chars().flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] }).collect()
}
