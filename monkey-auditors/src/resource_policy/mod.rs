//! Resource-policy evaluation shared by every technology whose items carry a policy naming
//! principals (S3 bucket policies, IAM role trust policies): Security Monkey's
//! `ResourcePolicyAuditor`.
//!
//! A technology declares its six checks (internet accessible, friendly / third-party cross
//! account, unknown access, cross-account root, parse error), bundles them in a
//! [`PolicyChecks`], parses its policy once with [`Document::read`] and calls [`audit`]:
//!
//! - **Internet accessible** (10): an Allow statement for any principal without a narrowing
//!   condition that no Deny takes back ([`Policy::is_internet_accessible`]); notes
//!   `Entity: [principal:*] Actions: ["s3:getobject"]`. A technology whose service can switch
//!   public policies off (S3's `RestrictPublicBuckets`) passes a [`PublicBlock`]: the finding
//!   then goes to its informational check instead, with a `Blocked by: [...]` suffix.
//! - **Cross account**: every entity of the Allow statements ([`Statement::whos_allowed`]:
//!   principals and the values of narrowing conditions) is classified against the
//!   environment: accounts and ARNs by account number, canonical ids, source IPs, VPCs and VPC
//!   endpoints, organisations (a path by its organisation). AWS service principals and
//!   federated identity providers named by domain are the item's own account's business and
//!   never an issue. Friendly and third-party access score 0, unknown access 10; notes
//!   `Account: [222222222222/friend] Entity: [principal:arn:aws:iam::222222222222:root]
//!   Actions: ["s3:getobject"]`, one issue per entity with the actions of every Allow
//!   statement that names it (Security Monkey raised one per statement).
//! - As in Security Monkey, unknown access is not reported at all when the policy is internet
//!   accessible: the internet issue says more.
//! - **Cross-account root** (6): a principal that is another account's root
//!   (`arn:aws:iam::<account>:root` or a bare account id in `Principal.AWS`, or a root ARN in a
//!   narrowing condition), reported besides its friendly / third-party / unknown issue.
//! - **Parse error** (3): a document that is not a policy, or a principal ARN that is not
//!   `arn:partition:service:region:account:resource`; notes `Path: [...] Reason: [...]`.
//!
//! Account-less ARNs in conditions (`aws:SourceArn` = `arn:aws:s3:::bucket`) are resolved by
//! the accounts the same statement names (`aws:SourceAccount`); without one they are unknown
//! (Security Monkey looked bucket names up among the buckets it watched). IAM unique ids
//! (`AROA...`, a deleted principal) are unknown unless they are a 12-digit account id.
//! Deny statements grant nothing.

mod classify;

#[cfg(test)]
pub(crate) mod suite;
#[cfg(test)]
mod tests;

use classify::{Class, classify, is_principal_value, statement_names_account};
use monkey_core::audit::Relation;
use monkey_core::auditor::{AuditContext, AuditedItem, Check, Finding};
use monkey_core::policy::{Entity, EntityKind, OwnedText, Policy, PolicyError, PolicyText, Statement};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt::Write as _;

/// The six resource-policy checks of one technology, and how its messages name the policy.
#[derive(Debug)]
pub(crate) struct PolicyChecks {
    /// How messages name the policy: `Bucket policy`, `Trust policy`.
    pub(crate) subject: &'static str,
    /// Principal `*` without a narrowing condition (Internet Accessible, 10).
    pub(crate) internet_accessible: &'static Check,
    /// Another account of ours (Friendly Cross Account, 0).
    pub(crate) friendly_cross_account: &'static Check,
    /// A known third-party account (Thirdparty Cross Account, 0).
    pub(crate) thirdparty_cross_account: &'static Check,
    /// Anything nobody registered (Unknown Access, 10).
    pub(crate) unknown_access: &'static Check,
    /// The root of another account (Cross-Account Root IAM, 6).
    pub(crate) cross_account_root: &'static Check,
    /// A document or ARN that cannot be read (Parse Error, 3).
    pub(crate) parse_error: &'static Check,
}

/// A setting of the service that takes away what a public policy grants (S3's
/// `RestrictPublicBuckets`): public access is reported to `check` instead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PublicBlock {
    /// The informational check that reports a public policy that is blocked.
    pub(crate) check: &'static Check,
    /// The setting that blocks it, as notes name it: `PublicAccessBlock.RestrictPublicBuckets`.
    pub(crate) setting: &'static str,
}

/// An item's policy, parsed once and shared by every check of one audit; `S` is its text type
/// ([`PolicyText`]): owned, or borrowed from the configuration ([`Document::read_borrowed`]).
#[derive(Debug)]
pub(crate) enum Document<S = OwnedText> {
    /// No policy (the field is missing or null).
    Absent,
    /// A policy.
    Valid(Policy<S>),
    /// Something that is not a policy.
    Invalid(PolicyError),
}

impl Document {
    /// Parses a policy field: an object, JSON text or URL-encoded text; missing or null is absent.
    pub(crate) fn read(field: Option<&Value>) -> Self {
        match field {
            None | Some(Value::Null) => Self::Absent,
            Some(document) => match Policy::parse(document) {
                Ok(policy) => Self::Valid(policy),
                Err(error) => Self::Invalid(error),
            },
        }
    }
}

impl<'a> Document<Cow<'a, str>> {
    /// [`Document::read`], the policy borrowing its text from the field: for technologies
    /// audited in bulk, whose policy is dropped with the audit.
    pub(crate) fn read_borrowed(field: Option<&'a Value>) -> Self {
        match field {
            None | Some(Value::Null) => Self::Absent,
            Some(document) => match Policy::parse_borrowed(document) {
                Ok(policy) => Self::Valid(policy),
                Err(error) => Self::Invalid(error),
            },
        }
    }
}

impl<S> Document<S> {
    /// The policy, when there is a readable one.
    pub(crate) fn policy(&self) -> Option<&Policy<S>> {
        match self {
            Self::Valid(policy) => Some(policy),
            Self::Absent | Self::Invalid(_) => None,
        }
    }
}

/// `["a", "b"]`: a list of strings as JSON writes it, Security Monkey's `Actions:` notes.
pub(crate) fn json_list<S: AsRef<str>>(values: &[S]) -> String {
    let mut out = String::new();
    push_json_list(&mut out, values);
    out
}

/// Appends [`json_list`]`(values)` to `out`.
pub(crate) fn push_json_list<S: AsRef<str>>(out: &mut String, values: &[S]) {
    out.reserve(2 + values.iter().map(|value| value.as_ref().len() + 4).sum::<usize>());
    out.push('[');
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        let value = value.as_ref();
        // JSON escapes only quotes, backslashes and control characters: other strings are
        // written as they are, without serde_json's writer.
        if value.bytes().any(|byte| byte < 0x20 || byte == b'"' || byte == b'\\') {
            out.push_str(&Value::from(value).to_string());
        } else {
            out.push('"');
            out.push_str(value);
            out.push('"');
        }
    }
    out.push(']');
}

/// `Path: [<path>] Reason: [<reason>]`, the notes of a parse error.
pub(crate) fn parse_error_notes(error: &PolicyError) -> String {
    format!("Path: [{}] Reason: [{}]", error.path, error.reason)
}

/// Runs the six resource-policy checks of `checks` on `document`, appending to `findings`.
///
/// Returns the actions anyone on the internet may use ([`Policy::internet_accessible_actions`])
/// when the policy is internet accessible (blocked or not), `None` when it is not: checks of
/// the technology that depend on it use them rather than working them out again.
pub(crate) fn audit<S: PolicyText>(
    document: &Document<S>,
    item: &AuditedItem<'_>,
    ctx: &AuditContext,
    checks: &PolicyChecks,
    block: Option<PublicBlock>,
    findings: &mut Vec<Finding>,
) -> Option<Vec<String>> {
    let policy = match document {
        Document::Absent => return None,
        Document::Invalid(error) => {
            if ctx.is_enabled(checks.parse_error) {
                let message = format!("{} could not be parsed: {error}", checks.subject);
                findings.push(Finding::new(checks.parse_error, message, parse_error_notes(error)));
            }
            return None;
        }
        Document::Valid(policy) => policy,
    };
    let public_actions = internet_accessible(policy, ctx, checks, block, findings);
    cross_account(policy, item, ctx, checks, public_actions.is_some(), findings);
    public_actions
}

/// Reports the actions anyone may use, to the internet check or, when blocked, to `block`'s
/// check; returns them, `None` when the policy is not internet accessible.
fn internet_accessible<S: PolicyText>(
    policy: &Policy<S>,
    ctx: &AuditContext,
    checks: &PolicyChecks,
    block: Option<PublicBlock>,
    findings: &mut Vec<Finding>,
) -> Option<Vec<String>> {
    if !policy.is_internet_accessible() {
        return None;
    }
    let actions = policy.internet_accessible_actions();
    let check = block.map_or(checks.internet_accessible, |b| b.check);
    if !ctx.is_enabled(check) {
        return Some(actions);
    }
    let mut notes = format!("Entity: [principal:*] Actions: {}", json_list(&actions));
    let message = match block {
        None => format!("{} lets anyone on the internet use {}", checks.subject, actions.join(", ")),
        Some(block) => {
            let _ = write!(notes, " Blocked by: [{}]", block.setting);
            format!(
                "{} lets anyone on the internet use {}, but {} blocks it",
                checks.subject,
                actions.join(", "),
                block.setting
            )
        }
    };
    findings.push(Finding::new(check, message, notes));
    Some(actions)
}

/// An entity that will be reported, and the statement that names it.
struct Pending<S> {
    check: &'static Check,
    entity: Entity<S>,
    relation: Relation,
    statement: usize,
}

/// Classifies who the Allow statements let in and reports every other account.
fn cross_account<S: PolicyText>(
    policy: &Policy<S>,
    item: &AuditedItem<'_>,
    ctx: &AuditContext,
    checks: &PolicyChecks,
    internet: bool,
    findings: &mut Vec<Finding>,
) {
    let env = &*ctx.environment;
    let ours = &item.key.account;
    let mut pending: Vec<Pending<S>> = Vec::new();
    let mut who = Vec::new();
    for (index, statement) in policy.statements.iter().enumerate() {
        if !statement.is_allow() {
            continue;
        }
        statement.whos_allowed_into(&mut who);
        let names_account = statement_names_account(&who);
        for entity in who.drain(..) {
            let relation = match classify(&entity, names_account, ours, env) {
                Class::Skip => continue,
                Class::BadArn(error) => {
                    report_bad_arn(&error, index, statement, &entity, ctx, checks, findings);
                    continue;
                }
                Class::Related(Relation::Same) => continue,
                Class::Related(relation) => relation,
            };
            let root = match entity.kind {
                EntityKind::Arn => entity.is_root(),
                EntityKind::Account => entity.is_root() && is_principal_value(statement, entity.value.as_ref()),
                _ => false,
            };
            if root && ctx.is_enabled(checks.cross_account_root) {
                pending.push(Pending {
                    check: checks.cross_account_root,
                    entity: entity.clone(),
                    relation,
                    statement: index,
                });
            }
            let check = match relation {
                Relation::Same => continue,
                Relation::Friendly => checks.friendly_cross_account,
                Relation::ThirdParty => checks.thirdparty_cross_account,
                // The internet issue says more; Security Monkey skipped unknown access then too.
                Relation::Unknown if internet => continue,
                Relation::Unknown => checks.unknown_access,
            };
            if ctx.is_enabled(check) {
                pending.push(Pending { check, entity, relation, statement: index });
            }
        }
    }
    if pending.is_empty() {
        return;
    }
    pending.sort_by(|a, b| (a.check.id, &a.entity, a.statement).cmp(&(b.check.id, &b.entity, b.statement)));
    let mut start = 0;
    while start < pending.len() {
        let first = &pending[start];
        let end =
            start + pending[start..].iter().take_while(|p| p.check == first.check && p.entity == first.entity).count();
        let mut actions: Vec<String> = Vec::new();
        for p in &pending[start..end] {
            if let Some(statement) = policy.statements.get(p.statement) {
                add_actions(statement, &mut actions);
            }
        }
        actions.sort_unstable();
        actions.dedup();
        findings.push(entity_finding(first, &actions, ctx, checks));
        start = end;
    }
}

/// The actions of a statement as notes list them: lower-cased; `*` for a `NotAction`.
fn add_actions<S: PolicyText>(statement: &Statement<S>, actions: &mut Vec<String>) {
    if statement.actions.is_empty() && statement.uses_not_action() {
        actions.push("*".to_owned());
    }
    actions.extend(statement.actions.iter().map(|action| action.as_ref().to_ascii_lowercase()));
}

fn entity_finding<S: PolicyText>(
    pending: &Pending<S>,
    actions: &[String],
    ctx: &AuditContext,
    checks: &PolicyChecks,
) -> Finding {
    let env = &*ctx.environment;
    let entity = &pending.entity;
    let account = classify::account_of(entity, env);
    let notes = format!("{}Entity: [{entity}] Actions: {}", env.account_notes(account.as_deref()), json_list(actions));
    let message = if pending.check == checks.cross_account_root {
        let number = account.as_deref().unwrap_or(entity.value.as_ref());
        format!(
            "{} grants access to the root of {} {number}: any principal that account allows can use it",
            checks.subject, pending.relation
        )
    } else {
        format!("{} grants access to {entity} ({})", checks.subject, pending.relation)
    };
    Finding::new(pending.check, message, notes)
}

fn report_bad_arn<S: PolicyText>(
    error: &PolicyError,
    index: usize,
    statement: &Statement<S>,
    entity: &Entity<S>,
    ctx: &AuditContext,
    checks: &PolicyChecks,
    findings: &mut Vec<Finding>,
) {
    if !ctx.is_enabled(checks.parse_error) {
        return;
    }
    let place = match entity.kind {
        EntityKind::Federated => "Principal.Federated",
        _ if is_principal_value(statement, entity.value.as_ref()) => "Principal.AWS",
        _ => "Condition",
    };
    let error = PolicyError { path: format!("Statement[{index}].{place}"), reason: error.reason.clone() };
    let notes = parse_error_notes(&error);
    if findings.iter().any(|f| f.check == checks.parse_error && f.notes == notes) {
        return;
    }
    let message = format!("{} names an ARN that could not be parsed: {}", checks.subject, entity.value.as_ref());
    findings.push(Finding::new(checks.parse_error, message, notes));
}
