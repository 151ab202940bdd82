//! Reports of audited items and their open issues, as text, JSON, CSV or SARIF 2.1.0.
//!
//! One [`Report`] model feeds every format, whether it comes from an offline audit of a
//! recording or from the store.

mod checks;
mod csv;
mod sarif;
mod text;

use crate::audit::SnapshotAudit;
use crate::model::{Issue, ItemKey, Timestamp};
use crate::store::scores;
use serde::Serialize;

pub use checks::checks_markdown;

/// Appends one CSV record to `out`, quoted as the report's CSV is (RFC 4180, CRLF), with a
/// leading `=`, `+`, `-` or `@` defused by a `'` so that spreadsheets do not run it: for
/// tables other than the report's, such as the web API's item export.
///
/// ```
/// let mut out = String::new();
/// monkey_core::report::csv_row(&mut out, ["web", "=HYPERLINK(\"x\")"]);
/// assert_eq!(out, "web,\"'=HYPERLINK(\"\"x\"\")\"\r\n");
/// ```
pub fn csv_row<S: AsRef<str>>(out: &mut String, fields: impl IntoIterator<Item = S>) {
    csv::row(out, fields.into_iter().map(|f| f.as_ref().to_owned()));
}
pub use sarif::SARIF_SCHEMA_URI;

/// One item of a report with its open issues.
#[derive(Debug, Clone, Serialize)]
pub struct ReportItem {
    /// The item's technology.
    pub technology: String,
    /// Its account number.
    pub account: String,
    /// Its region.
    pub region: String,
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: Option<String>,
    /// The sum of its open issues' scores.
    pub score: u32,
    /// The same, over open unjustified issues.
    pub unjustified_score: u32,
    /// Its open issues, highest score first.
    pub issues: Vec<Issue>,
}

impl ReportItem {
    /// The item with its issues; fixed issues are left out.
    pub fn new(key: &ItemKey, arn: Option<String>, issues: Vec<Issue>) -> Self {
        let mut issues: Vec<Issue> = issues.into_iter().filter(|i| !i.fixed).collect();
        issues.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.key.check.cmp(&b.key.check)));
        let (score, unjustified_score) = scores(&issues);
        Self {
            technology: key.technology.as_str().to_owned(),
            account: key.account.as_str().to_owned(),
            region: key.region.to_string(),
            name: key.name.to_string(),
            arn,
            score,
            unjustified_score,
            issues,
        }
    }
}

/// Audited items and their open issues.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// When the audit ran.
    pub generated_at: Timestamp,
    /// The items, highest score first, then by technology, account, region and name.
    pub items: Vec<ReportItem>,
}

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for people.
    Text,
    /// The report as JSON.
    Json,
    /// One row per open issue (items without issues get one row with empty issue columns).
    Csv,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

impl Report {
    /// A report of `items` generated at `at`.
    pub fn new(mut items: Vec<ReportItem>, at: Timestamp) -> Self {
        items.sort_by(|a, b| {
            b.score.cmp(&a.score).then_with(|| {
                (&a.technology, &a.account, &a.region, &a.name).cmp(&(&b.technology, &b.account, &b.region, &b.name))
            })
        });
        Self { generated_at: at, items }
    }

    /// The report of an offline audit.
    pub fn from_snapshot(audit: &SnapshotAudit, at: Timestamp) -> Self {
        let items = audit.items.iter().map(|i| ReportItem::new(&i.key, i.arn.clone(), i.issues.clone())).collect();
        Self::new(items, at)
    }

    /// Open issues in the report.
    pub fn issue_count(&self) -> usize {
        self.items.iter().map(|i| i.issues.len()).sum()
    }

    /// The report rendered in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text::render(self),
            Format::Json => {
                let mut out = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
                out.push('\n');
                out
            }
            Format::Csv => csv::render(self),
            Format::Sarif => {
                let mut out = serde_json::to_string_pretty(&sarif::render(self, &crate::auditor::registered_checks()))
                    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
                out.push('\n');
                out
            }
        }
    }
}
