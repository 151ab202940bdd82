//! The change mail: what one watcher run created, changed and deleted in one account.

use crate::html::{escape, item_link};
use monkey_core::diff;
use monkey_core::model::{Issue, ItemKey};
use monkey_core::notifier::{ChangedItem, Message, UnitChanges};
use monkey_core::store::ChangeKind;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write;

/// The change mail of one unit of work, before rendering.
#[derive(Debug, Clone, Copy)]
pub struct ChangeMail<'a> {
    /// What changed.
    pub changes: &'a UnitChanges,
    /// Base URL of the web UI, for links to items.
    pub base_url: Option<&'a str>,
}

impl ChangeMail<'_> {
    fn mailed(&self) -> impl Iterator<Item = &ChangedItem> {
        self.changes.items.iter().filter(|i| i.kind != ChangeKind::Ephemeral)
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
        let account = &self.changes.account.name;
        let open: Vec<&Issue> = self.mailed().flat_map(|i| i.existing_issues.iter()).filter(|i| !i.fixed).collect();
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
        self.base_url.map(|base| item_link(base, key))
    }

    fn html(&self) -> String {
        let mut out = String::new();
        let _ = write!(out, "<html><body><h2>Changes in account {}</h2>", escape(self.changes.account.name.as_str()));
        for (kind, title) in self.sections() {
            let items: Vec<&ChangedItem> = self.mailed().filter(|i| i.kind == kind).collect();
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
            let heading = match self.link(&item.key) {
                Some(url) => format!("<a href=\"{}\">{name}</a>", escape(&url)),
                None => name,
            };
            let _ = write!(
                out,
                "<hr/><h3>{} / {} / {} / {heading}</h3>",
                escape(item.key.technology.as_str()),
                escape(self.changes.account.name.as_str()),
                escape(&item.key.region)
            );
            issue_table(&mut out, "New Audit Items", &item.new_issues);
            issue_table(&mut out, "Fixed Audit Items", &item.fixed_issues);
            issue_table(&mut out, "Pre-existing Audit Items", &item.existing_issues);
            let empty = Value::Object(serde_json::Map::new());
            let _ = write!(
                out,
                "<h4>JSON diff</h4><div class=\"diff\">{}</div>",
                diff::diff(item.old.as_ref().unwrap_or(&empty), &item.new).to_html()
            );
        }
        out.push_str("</body></html>");
        out
    }

    fn text(&self) -> String {
        let mut out = format!("Changes in account {}\n", self.changes.account.name);
        for (kind, title) in self.sections() {
            for item in self.mailed().filter(|i| i.kind == kind) {
                let _ = writeln!(out, "{title}: {} {} {}", item.key.technology, item.key.region, item.key.name);
            }
        }
        for item in self.mailed() {
            let _ = writeln!(out, "\n== {} / {} / {} ==", item.key.technology, item.key.region, item.key.name);
            if let Some(url) = self.link(&item.key) {
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
            out.push_str(&diff::unified(item.old.as_ref().unwrap_or(&empty), &item.new, 3));
        }
        out
    }
}

fn issue_table(out: &mut String, title: &str, issues: &[Issue]) {
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

#[cfg(test)]
mod tests;
