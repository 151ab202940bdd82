//! The change mail: what one watcher run created, changed and deleted in one account.

use crate::html::escape;
use monkey_core::diff;
use monkey_core::model::{Account, Issue, ItemKey};
use monkey_core::notifier::Message;
use monkey_core::store::ChangeKind;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write;

/// One changed item, with its configurations before and after and its issues.
#[derive(Debug, Clone)]
pub struct ChangedItem<'a> {
    /// The item.
    pub key: &'a ItemKey,
    /// Created, changed or deleted (ephemeral changes never make mail).
    pub kind: ChangeKind,
    /// The configuration before (none for a created item).
    pub old: Option<&'a Value>,
    /// The configuration after (an empty object for a deleted item).
    pub new: &'a Value,
    /// Issues found for the first time in this run.
    pub new_issues: Vec<&'a Issue>,
    /// Issues this run no longer found.
    pub fixed_issues: Vec<&'a Issue>,
    /// Issues that were already open.
    pub existing_issues: Vec<&'a Issue>,
}

/// The change mail of one account, before rendering.
#[derive(Debug, Clone)]
pub struct ChangeMail<'a> {
    /// The account.
    pub account: &'a Account,
    /// Its changed items; ephemeral ones are left out of the mail.
    pub items: Vec<ChangedItem<'a>>,
    /// Base URL of the web UI, for links to items.
    pub base_url: Option<&'a str>,
}

impl ChangeMail<'_> {
    fn mailed(&self) -> impl Iterator<Item = &ChangedItem<'_>> {
        self.items.iter().filter(|i| i.kind != ChangeKind::Ephemeral)
    }

    /// Whether there is anything to mail.
    pub fn is_empty(&self) -> bool {
        self.mailed().next().is_none()
    }

    /// Security Monkey's subject: `NEW ISSUE - ` when a change brought a new issue, and
    /// `w/existing issues` / `w/justified issues` for changed items that carry open ones.
    pub fn subject(&self) -> String {
        let technologies: BTreeSet<&str> = self.mailed().map(|i| i.key.technology.as_str()).collect();
        let technologies = technologies.into_iter().collect::<Vec<_>>().join(", ");
        let account = &self.account.name;
        let open: Vec<&Issue> =
            self.mailed().flat_map(|i| i.existing_issues.iter().copied()).filter(|i| !i.fixed).collect();
        if self.mailed().any(|i| !i.new_issues.is_empty()) {
            format!("NEW ISSUE - [{account}] Changes in {technologies}")
        } else if open.iter().any(|i| i.justification.is_none()) {
            format!("[{account}] Changes w/existing issues in {technologies}")
        } else if !open.is_empty() {
            format!("[{account}] Changes w/justified issues in {technologies}")
        } else {
            format!("[{account}] Changes in {technologies}")
        }
    }

    /// Renders the message for `recipients`, with `id` as its idempotency key.
    pub fn render(&self, id: impl Into<String>, recipients: Vec<String>) -> Message {
        Message { id: id.into(), recipients, subject: self.subject(), text: self.text(), html: Some(self.html()) }
    }

    fn sections(&self) -> [(ChangeKind, &'static str); 3] {
        [(ChangeKind::Created, "New"), (ChangeKind::Changed, "Changed"), (ChangeKind::Deleted, "Deleted")]
    }

    fn link(&self, key: &ItemKey) -> Option<String> {
        self.base_url.map(|base| {
            format!(
                "{}/items/{}/{}/{}/{}",
                base.trim_end_matches('/'),
                key.technology,
                key.account,
                url_part(&key.region),
                url_part(&key.name)
            )
        })
    }

    fn html(&self) -> String {
        let mut out = String::new();
        let _ = write!(out, "<html><body><h2>Changes in account {}</h2>", escape(self.account.name.as_str()));
        for (kind, title) in self.sections() {
            let items: Vec<&ChangedItem<'_>> = self.mailed().filter(|i| i.kind == kind).collect();
            if items.is_empty() {
                continue;
            }
            let _ = write!(out, "<h3>{title} items</h3><ul>");
            for item in &items {
                let _ = write!(out, "<li>{} {}</li>", escape(item.key.technology.as_str()), escape(&item.key.name));
            }
            out.push_str("</ul>");
        }
        for item in self.mailed() {
            let name = escape(&item.key.name);
            let heading = match self.link(item.key) {
                Some(url) => format!("<a href=\"{}\">{name}</a>", escape(&url)),
                None => name,
            };
            let _ = write!(
                out,
                "<hr/><h3>{} / {} / {} / {heading}</h3>",
                escape(item.key.technology.as_str()),
                escape(self.account.name.as_str()),
                escape(&item.key.region)
            );
            issue_table(&mut out, "New Audit Items", &item.new_issues);
            issue_table(&mut out, "Fixed Audit Items", &item.fixed_issues);
            issue_table(&mut out, "Pre-existing Audit Items", &item.existing_issues);
            let empty = Value::Object(serde_json::Map::new());
            let _ = write!(
                out,
                "<h4>JSON diff</h4><div class=\"diff\">{}</div>",
                diff::diff(item.old.unwrap_or(&empty), item.new).to_html()
            );
        }
        out.push_str("</body></html>");
        out
    }

    fn text(&self) -> String {
        let mut out = format!("Changes in account {}\n", self.account.name);
        for (kind, title) in self.sections() {
            for item in self.mailed().filter(|i| i.kind == kind) {
                let _ = writeln!(out, "{title}: {} {} {}", item.key.technology, item.key.region, item.key.name);
            }
        }
        for item in self.mailed() {
            let _ = writeln!(out, "\n== {} / {} / {} ==", item.key.technology, item.key.region, item.key.name);
            if let Some(url) = self.link(item.key) {
                let _ = writeln!(out, "{url}");
            }
            for (title, issues) in [
                ("New issue", &item.new_issues),
                ("Fixed issue", &item.fixed_issues),
                ("Existing issue", &item.existing_issues),
            ] {
                for issue in issues {
                    let justified = issue
                        .justification
                        .as_ref()
                        .map(|j| format!(" (justified by {}: {})", j.by, j.reason))
                        .unwrap_or_default();
                    let _ =
                        writeln!(out, "{title} [{}] {}: {}{justified}", issue.score, issue.message, issue.key.notes);
                }
            }
            let empty = Value::Object(serde_json::Map::new());
            out.push_str(&diff::unified(item.old.unwrap_or(&empty), item.new, 3));
        }
        out
    }
}

fn issue_table(out: &mut String, title: &str, issues: &[&Issue]) {
    if issues.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<h4>{title}</h4><table border=\"1\"><tr><th>Score</th><th>Issue</th><th>Notes</th><th>Justification</th></tr>"
    );
    for issue in issues {
        let justification = issue
            .justification
            .as_ref()
            .map(|j| format!("{} ({}, {})", escape(&j.reason), escape(&j.by), j.at))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{justification}</td></tr>",
            issue.score,
            escape(&issue.message),
            escape(&issue.key.notes)
        );
    }
    out.push_str("</table>");
}

/// Percent-encodes a path segment (names may hold `/`, `?`, spaces).
fn url_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests;
