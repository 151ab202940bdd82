//! The issue lifecycle: an audit's findings merged with the item's stored issues.
//!
//! An issue is keyed by (item, check, notes). Found and not stored: **new**. Found and stored
//! open: **existing** (score, message and links refreshed). Found and stored fixed:
//! **regressed** (reopened with its justification). Stored open, not found by a check that ran:
//! **fixed**. Issues of checks that did not run on the item (an auditor failed, or a plugin
//! that is not linked in) stay as they are: an audit never loses what it did not look at.

use crate::model::{Category, Issue, IssueKey, ItemKey, Timestamp};
use serde::Serialize;

/// What an audit did to one issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// Found for the first time.
    New,
    /// Found again, still open.
    Existing,
    /// Found again after it had been fixed.
    Regressed,
    /// No longer found.
    Fixed,
}

/// One scored finding, ready to become an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredFinding {
    /// The check's id.
    pub check: &'static str,
    /// The check's category.
    pub category: Category,
    /// The score after overrides and weight.
    pub score: u32,
    /// A sentence for people.
    pub message: String,
    /// What exactly was found.
    pub notes: String,
    /// Other items involved.
    pub links: Vec<ItemKey>,
}

/// The issues of one item after an audit, with what happened to each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reconciled {
    /// Every issue of the item, open and fixed, by (check, notes).
    pub issues: Vec<Issue>,
    /// What the audit did, as (index into `issues`, transition); untouched issues are not listed.
    pub transitions: Vec<(usize, Transition)>,
}

impl Reconciled {
    /// The transitions with the keys of their issues.
    pub fn keyed_transitions(&self) -> impl Iterator<Item = (&IssueKey, Transition)> + '_ {
        self.transitions.iter().filter_map(|&(i, t)| self.issues.get(i).map(|issue| (&issue.key, t)))
    }
}

/// Merges `findings` of the checks in `ran` into the item's `stored` issues at time `at`.
///
/// Findings with the same (check, notes) collapse into one issue (the highest score wins,
/// links are merged).
pub fn reconcile(
    item: &ItemKey,
    stored: Vec<Issue>,
    mut findings: Vec<ScoredFinding>,
    ran: &[&'static str],
    at: Timestamp,
) -> Reconciled {
    findings.sort_unstable_by(|a, b| (a.check, &a.notes).cmp(&(b.check, &b.notes)));
    findings.dedup_by(|later, kept| {
        if later.check != kept.check || later.notes != kept.notes {
            return false;
        }
        kept.score = kept.score.max(later.score);
        for link in later.links.drain(..) {
            if !kept.links.contains(&link) {
                kept.links.push(link);
            }
        }
        true
    });

    let mut out = Reconciled { issues: Vec::with_capacity(stored.len() + findings.len()), transitions: Vec::new() };
    let mut findings = findings.into_iter().peekable();
    let mut stored = {
        let mut stored = stored;
        stored.sort_by(|a, b| (&a.key.check, &a.key.notes).cmp(&(&b.key.check, &b.key.notes)));
        stored.into_iter().peekable()
    };
    // Both lists are sorted by (check, notes): one merge pass pairs them.
    loop {
        let order = match (stored.peek(), findings.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(issue), Some(finding)) => {
                (issue.key.check.as_str(), &issue.key.notes).cmp(&(finding.check, &finding.notes))
            }
        };
        let index = out.issues.len();
        match order {
            std::cmp::Ordering::Less => {
                let Some(mut issue) = stored.next() else { break };
                if !issue.fixed && ran.contains(&issue.key.check.as_str()) {
                    issue.fixed = true;
                    issue.last_seen = at;
                    out.transitions.push((index, Transition::Fixed));
                }
                out.issues.push(issue);
            }
            std::cmp::Ordering::Equal => {
                let (Some(mut issue), Some(finding)) = (stored.next(), findings.next()) else { break };
                let transition = if issue.fixed { Transition::Regressed } else { Transition::Existing };
                issue.fixed = false;
                issue.score = finding.score;
                issue.category = finding.category;
                issue.message = finding.message;
                issue.links = finding.links;
                issue.last_seen = at;
                out.transitions.push((index, transition));
                out.issues.push(issue);
            }
            std::cmp::Ordering::Greater => {
                let Some(finding) = findings.next() else { break };
                out.transitions.push((index, Transition::New));
                out.issues.push(Issue {
                    key: IssueKey { item: item.clone(), check: finding.check.to_owned(), notes: finding.notes },
                    score: finding.score,
                    category: finding.category,
                    message: finding.message,
                    links: finding.links,
                    fixed: false,
                    justification: None,
                    first_seen: at,
                    last_seen: at,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountNumber, Justification, Technology};

    fn item() -> ItemKey {
        ItemKey {
            technology: Technology::parse("securitygroup").unwrap(),
            account: AccountNumber::parse("111111111111").unwrap(),
            region: "us-east-1".into(),
            name: "web".into(),
        }
    }

    fn finding(check: &'static str, notes: &str, score: u32) -> ScoredFinding {
        ScoredFinding {
            check,
            category: Category::InternetAccessible,
            score,
            message: format!("{check} {notes}"),
            notes: notes.into(),
            links: vec![],
        }
    }

    fn at(seconds: i128) -> Timestamp {
        Timestamp::from_unix_nanos(seconds * 1_000_000_000)
    }

    #[test]
    fn issues_go_new_existing_fixed_regressed_and_keep_their_justification() {
        let ran: &[&'static str] = &["a", "b"];
        let first = reconcile(&item(), vec![], vec![finding("a", "22", 10), finding("a", "22", 3)], ran, at(1));
        assert_eq!(first.issues.len(), 1, "duplicates collapse");
        assert_eq!(first.issues[0].score, 10);
        assert_eq!(first.transitions[0].1, Transition::New);

        let mut stored = first.issues;
        stored[0].justification = Some(Justification { by: "a@b.c".into(), at: at(1), reason: "bastion".into() });
        let second = reconcile(&item(), stored, vec![finding("a", "22", 5), finding("b", "x", 1)], ran, at(2));
        let kinds: Vec<Transition> = second.transitions.iter().map(|t| t.1).collect();
        assert_eq!(second.keyed_transitions().next().map(|(k, _)| k.notes.as_str()), Some("22"));
        assert_eq!(kinds, vec![Transition::Existing, Transition::New]);
        assert_eq!(second.issues[0].score, 5, "the score follows the latest finding");
        assert_eq!(second.issues[0].first_seen, at(1));
        assert!(second.issues[0].justification.is_some());

        let third = reconcile(&item(), second.issues, vec![finding("b", "x", 1)], ran, at(3));
        assert!(third.issues[0].fixed);
        assert!(third.transitions.contains(&(0, Transition::Fixed)));

        let fourth = reconcile(&item(), third.issues, vec![finding("a", "22", 10), finding("b", "x", 1)], ran, at(4));
        assert!(!fourth.issues[0].fixed);
        assert_eq!(fourth.issues[0].justification.as_ref().unwrap().reason, "bastion");
        assert!(fourth.transitions.contains(&(0, Transition::Regressed)));
    }

    #[test]
    fn issues_of_checks_that_did_not_run_are_left_alone() {
        let all: &[&'static str] = &["a", "b"];
        let stored = reconcile(&item(), vec![], vec![finding("a", "1", 1), finding("b", "2", 2)], all, at(1)).issues;
        let only_a: &[&'static str] = &["a"];
        let after = reconcile(&item(), stored, vec![], only_a, at(2));
        assert!(after.issues[0].fixed);
        assert!(!after.issues[1].fixed, "b did not run");
        assert_eq!(after.transitions.len(), 1);
    }
}
