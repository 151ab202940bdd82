//! CSV: one row per open issue, RFC 4180 quoting.

use super::Report;

const HEADER: [&str; 14] = [
    "technology",
    "account",
    "region",
    "name",
    "arn",
    "item_score",
    "item_unjustified_score",
    "check",
    "category",
    "score",
    "message",
    "notes",
    "justified",
    "justification",
];

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|h| h.to_string()));
    for item in &report.items {
        let head = [
            item.technology.clone(),
            item.account.clone(),
            item.region.clone(),
            item.name.clone(),
            item.arn.clone().unwrap_or_default(),
            item.score.to_string(),
            item.unjustified_score.to_string(),
        ];
        if item.issues.is_empty() {
            row(&mut out, head.iter().cloned().chain(std::iter::repeat_n(String::new(), 7)));
        }
        for issue in &item.issues {
            let justification = issue.justification.as_ref();
            let tail = [
                issue.key.check.clone(),
                issue.category.to_string(),
                issue.score.to_string(),
                issue.message.clone(),
                issue.key.notes.clone(),
                justification.is_some().to_string(),
                justification.map(|j| format!("{} ({}, {})", j.reason, j.by, j.at)).unwrap_or_default(),
            ];
            row(&mut out, head.iter().cloned().chain(tail));
        }
    }
    out
}

pub(super) fn row(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        field_into(out, &field);
    }
    out.push_str("\r\n");
}

/// Quotes a field when it holds a separator, quote or line break; a leading `=`, `+`, `-` or
/// `@` is prefixed with `'` so spreadsheets do not run resource names as formulas.
fn field_into(out: &mut String, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@']);
    let quote = formula || field.contains([',', '"', '\n', '\r']);
    if !quote {
        out.push_str(field);
        return;
    }
    out.push('"');
    if formula {
        out.push('\'');
    }
    out.push_str(&field.replace('"', "\"\""));
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        row(&mut out, ["plain", "a,b", "say \"hi\"", "=SUM(A1)", "line\nbreak"].iter().map(|s| s.to_string()));
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"'=SUM(A1)\",\"line\nbreak\"\r\n");
    }
}
