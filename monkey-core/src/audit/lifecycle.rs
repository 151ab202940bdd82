//! The issue lifecycle: an audit's findings merged with the item's stored issues.
//!
//! An issue is keyed by (item, check, notes). Found and not stored: **new**. Found and stored
//! open: **existing** (score, message and links refreshed). Found and stored fixed:
//! **regressed** (reopened with its justification). Stored open, not found by a check that ran:
//! **fixed**. Issues of checks that did not run on the item (an auditor failed, or a plugin
//! that is not linked in) stay as they are: an audit never loses what it did not look at.

use crate::model::{Category, Issue, IssueKey, ItemKey, Timestamp};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

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
    /// What the audit did, by issue key; issues it did not touch are not listed.
    pub transitions: Vec<(IssueKey, Transition)>,
}

/// Merges `findings` of the checks in `ran` into the item's `stored` issues at time `at`.
///
/// Findings with the same (check, notes) collapse into one issue (the highest score wins,
/// links are merged).
pub fn reconcile(
    item: &ItemKey,
    stored: Vec<Issue>,
    findings: Vec<ScoredFinding>,
    ran: &HashSet<&'static str>,
    at: Timestamp,
) -> Reconciled {
    let mut found: BTreeMap<(&'static str, String), ScoredFinding> = BTreeMap::new();
    for finding in findings {
        match found.entry((finding.check, finding.notes.clone())) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(finding);
            }
            std::collections::btree_map::Entry::Occupied(mut slot) => {
                let kept = slot.get_mut();
                kept.score = kept.score.max(finding.score);
                for link in finding.links {
                    if !kept.links.contains(&link) {
                        kept.links.push(link);
                    }
                }
            }
        }
    }

    let mut out = Reconciled::default();
    for mut issue in stored {
        let ran_check = ran.get(issue.key.check.as_str()).copied();
        let finding = ran_check.and_then(|check| found.remove(&(check, issue.key.notes.clone())));
        match finding {
            Some(finding) => {
                let transition = if issue.fixed { Transition::Regressed } else { Transition::Existing };
                issue.fixed = false;
                issue.score = finding.score;
                issue.category = finding.category;
                issue.message = finding.message;
                issue.links = finding.links;
                issue.last_seen = at;
                out.transitions.push((issue.key.clone(), transition));
            }
            None if !issue.fixed && ran_check.is_some() => {
                issue.fixed = true;
                issue.last_seen = at;
                out.transitions.push((issue.key.clone(), Transition::Fixed));
            }
            None => {}
        }
        out.issues.push(issue);
    }
    for ((check, notes), finding) in found {
        let key = IssueKey { item: item.clone(), check: check.to_owned(), notes };
        out.transitions.push((key.clone(), Transition::New));
        out.issues.push(Issue {
            key,
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
    out.issues.sort_by(|a, b| (&a.key.check, &a.key.notes).cmp(&(&b.key.check, &b.key.notes)));
    out.transitions.sort();
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
        let ran: HashSet<&'static str> = ["a", "b"].into_iter().collect();
        let first = reconcile(&item(), vec![], vec![finding("a", "22", 10), finding("a", "22", 3)], &ran, at(1));
        assert_eq!(first.issues.len(), 1, "duplicates collapse");
        assert_eq!(first.issues[0].score, 10);
        assert_eq!(first.transitions[0].1, Transition::New);

        let mut stored = first.issues;
        stored[0].justification = Some(Justification { by: "a@b.c".into(), at: at(1), reason: "bastion".into() });
        let second = reconcile(&item(), stored, vec![finding("a", "22", 5), finding("b", "x", 1)], &ran, at(2));
        let kinds: Vec<Transition> = second.transitions.iter().map(|t| t.1).collect();
        assert_eq!(kinds, vec![Transition::Existing, Transition::New]);
        assert_eq!(second.issues[0].score, 5, "the score follows the latest finding");
        assert_eq!(second.issues[0].first_seen, at(1));
        assert!(second.issues[0].justification.is_some());

        let third = reconcile(&item(), second.issues, vec![finding("b", "x", 1)], &ran, at(3));
        assert!(third.issues[0].fixed);
        assert!(third.transitions.contains(&(third.issues[0].key.clone(), Transition::Fixed)));

        let fourth = reconcile(&item(), third.issues, vec![finding("a", "22", 10), finding("b", "x", 1)], &ran, at(4));
        assert!(!fourth.issues[0].fixed);
        assert_eq!(fourth.issues[0].justification.as_ref().unwrap().reason, "bastion");
        assert!(fourth.transitions.contains(&(fourth.issues[0].key.clone(), Transition::Regressed)));
    }

    #[test]
    fn issues_of_checks_that_did_not_run_are_left_alone() {
        let all: HashSet<&'static str> = ["a", "b"].into_iter().collect();
        let stored = reconcile(&item(), vec![], vec![finding("a", "1", 1), finding("b", "2", 2)], &all, at(1)).issues;
        let only_a: HashSet<&'static str> = ["a"].into_iter().collect();
        let after = reconcile(&item(), stored, vec![], &only_a, at(2));
        assert!(after.issues[0].fixed);
        assert!(!after.issues[1].fixed, "b did not run");
        assert_eq!(after.transitions.len(), 1);
    }
}
