//! The identity-policy checks shared by IAM users, roles, groups and managed policies: one
//! implementation, instantiated per technology by [`declare_identity_policy_checks!`].
//!
//! Security Monkey's `IAMPolicyAuditor` ran the same checks over the inline policies of users,
//! roles and groups and over the documents of managed policies. Here each technology declares
//! its own family of [`Check`] statics (ids start with the technology, so scores can be
//! overridden per technology), and [`audit`] runs a [`Family`] over that technology's policy
//! documents. Every document is parsed once per audit call and shared by the checks.
//!
//! Only Allow statements are read, and conditions and Deny statements are ignored, as in
//! Security Monkey: the checks say what a policy *grants*, not what a request would get.
//! Statements that allow every action (`"*"`) are flagged by the admin check alone; the
//! checks of particular actions skip them, as Security Monkey did ("don't create issues for
//! roles already known to be admins").

mod admin;
mod admin_policy_attached;
mod assume_any_role;
mod family;
mod iam_wildcard;
mod levels;
mod not_action;
mod not_resource;
mod pass_role;
mod permissions_management;
mod privilege_escalation;
mod security_group_changes;
mod service_wildcard;
mod unparsable;
mod write_access;

#[cfg(test)]
pub(crate) mod estate;
#[cfg(test)]
mod tests;

pub(crate) use admin_policy_attached::{check as check_attached_admin_policies, declare_admin_policy_attached_check};
pub(crate) use family::declare_identity_policy_checks;

// The docs of each check kind, used by `declare_identity_policy_checks!`.
pub(crate) use admin::admin_docs;
pub(crate) use assume_any_role::assume_any_role_docs;
pub(crate) use iam_wildcard::iam_wildcard_docs;
pub(crate) use not_action::not_action_docs;
pub(crate) use not_resource::not_resource_docs;
pub(crate) use pass_role::pass_role_docs;
pub(crate) use permissions_management::permissions_management_docs;
pub(crate) use privilege_escalation::privilege_escalation_docs;
pub(crate) use security_group_changes::security_group_changes_docs;
pub(crate) use service_wildcard::service_wildcard_docs;
pub(crate) use unparsable::unparsable_docs;
pub(crate) use write_access::write_access_docs;

use monkey_core::auditor::{AuditContext, Check, Finding};
use monkey_core::policy::{OwnedText, Policy, Statement};
use serde_json::Value;
use std::fmt::Write as _;

/// The identity-policy checks of one technology.
#[derive(Debug)]
pub(crate) struct Family {
    /// `Action: "*"`.
    pub(crate) admin: &'static Check,
    /// `Action: "iam:*"`.
    pub(crate) iam_wildcard: &'static Check,
    /// Actions of the Permissions management access level, per service.
    pub(crate) permissions_management: &'static Check,
    /// Actions of the Write access level, per service.
    pub(crate) write_access: &'static Check,
    /// `iam:PassRole`.
    pub(crate) pass_role: &'static Check,
    /// `NotAction` in an Allow statement.
    pub(crate) not_action: &'static Check,
    /// `NotResource` in an Allow statement.
    pub(crate) not_resource: &'static Check,
    /// `ec2:AuthorizeSecurityGroupIngress` / `Egress`.
    pub(crate) security_group_changes: &'static Check,
    /// A document that cannot be read.
    pub(crate) unparsable: &'static Check,
    /// `<service>:*` for a service other than IAM.
    pub(crate) service_wildcard: &'static Check,
    /// `sts:AssumeRole` on any role.
    pub(crate) assume_any_role: &'static Check,
    /// Known privilege-escalation actions and combinations.
    pub(crate) privilege_escalation: &'static Check,
}

/// Which checks of a family run in this audit, looked up once per audit call.
#[derive(Debug, Clone, Copy)]
struct Enabled {
    admin: bool,
    iam_wildcard: bool,
    permissions_management: bool,
    write_access: bool,
    pass_role: bool,
    not_action: bool,
    not_resource: bool,
    security_group_changes: bool,
    unparsable: bool,
    service_wildcard: bool,
    assume_any_role: bool,
    privilege_escalation: bool,
}

impl Enabled {
    fn of(family: &Family, ctx: &AuditContext) -> Self {
        Self {
            admin: ctx.is_enabled(family.admin),
            iam_wildcard: ctx.is_enabled(family.iam_wildcard),
            permissions_management: ctx.is_enabled(family.permissions_management),
            write_access: ctx.is_enabled(family.write_access),
            pass_role: ctx.is_enabled(family.pass_role),
            not_action: ctx.is_enabled(family.not_action),
            not_resource: ctx.is_enabled(family.not_resource),
            security_group_changes: ctx.is_enabled(family.security_group_changes),
            unparsable: ctx.is_enabled(family.unparsable),
            service_wildcard: ctx.is_enabled(family.service_wildcard),
            assume_any_role: ctx.is_enabled(family.assume_any_role),
            privilege_escalation: ctx.is_enabled(family.privilege_escalation),
        }
    }
}

/// Runs `family` over named policy documents (`(policy name, document)`), adding findings.
pub(crate) fn audit<'a>(
    family: &Family,
    documents: impl IntoIterator<Item = (&'a str, &'a Value)>,
    ctx: &AuditContext,
    findings: &mut Vec<Finding>,
) {
    let enabled = Enabled::of(family, ctx);
    // One buffer for the per-statement service summary, reused across statements and documents.
    let mut services = Vec::new();
    for (name, document) in documents {
        match Policy::parse(document) {
            Ok(policy) => audit_policy(family, enabled, name, &policy, &mut services, findings),
            Err(error) => {
                if enabled.unparsable {
                    findings.push(unparsable::finding(family.unparsable, name, &error));
                }
            }
        }
    }
}

/// The inline policies of a user, role or group: `InlinePolicies` is `{name: document}`.
pub(crate) fn inline_policies(config: &Value) -> impl Iterator<Item = (&str, &Value)> {
    config
        .get("InlinePolicies")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, doc)| (name.as_str(), doc))
}

fn audit_policy(
    family: &Family,
    enabled: Enabled,
    name: &str,
    policy: &Policy,
    services: &mut Vec<levels::ServiceLevels>,
    findings: &mut Vec<Finding>,
) {
    for statement in policy.statements.iter().filter(|s| s.is_allow()) {
        let everything = allows_every_action(statement);
        if enabled.admin && everything {
            admin::check(family.admin, name, statement, findings);
        }
        if enabled.not_action {
            not_action::check(family.not_action, name, statement, findings);
        }
        if enabled.not_resource {
            not_resource::check(family.not_resource, name, statement, findings);
        }
        if everything {
            continue;
        }
        if enabled.iam_wildcard {
            iam_wildcard::check(family.iam_wildcard, name, statement, findings);
        }
        if enabled.service_wildcard {
            service_wildcard::check(family.service_wildcard, name, statement, findings);
        }
        if enabled.pass_role {
            pass_role::check(family.pass_role, name, statement, findings);
        }
        if enabled.security_group_changes {
            security_group_changes::check(family.security_group_changes, name, statement, findings);
        }
        if enabled.assume_any_role {
            assume_any_role::check(family.assume_any_role, name, statement, findings);
        }
        // A NotAction statement grants nearly every service: one issue per service would bury
        // the NotAction issue that already says so.
        if (enabled.permissions_management || enabled.write_access) && !statement.uses_not_action() {
            levels::summarise(statement, services);
            if enabled.permissions_management {
                permissions_management::check(family.permissions_management, name, statement, services, findings);
            }
            if enabled.write_access {
                write_access::check(family.write_access, name, statement, services, findings);
            }
        }
    }
    if enabled.privilege_escalation {
        privilege_escalation::check(family.privilege_escalation, name, policy, findings);
    }
}

/// Whether an action pattern matches every action: `*`, `**`, `*:*`.
pub(crate) fn is_every_action(pattern: &str) -> bool {
    let mut parts = 0;
    for part in pattern.split(':') {
        parts += 1;
        if part.is_empty() || !part.bytes().all(|b| b == b'*') {
            return false;
        }
    }
    parts <= 2
}

/// Whether a statement's `Action` holds a pattern matching every action.
pub(crate) fn allows_every_action(statement: &Statement) -> bool {
    statement.actions.iter().any(|pattern| is_every_action(pattern))
}

/// Whether `pattern` is a whole service: `kms:*`, returning the service as written.
pub(crate) fn whole_service(pattern: &str) -> Option<&str> {
    let (service, name) = pattern.split_once(':')?;
    let literal = !service.is_empty() && !service.bytes().any(|b| matches!(b, b'*' | b'?'));
    let star = !name.is_empty() && name.bytes().all(|b| b == b'*');
    (literal && star).then_some(service)
}

/// Appends `items` as a JSON list (`["a", "b"]`), as Security Monkey's notes print them.
pub(crate) fn push_json_list<'s>(out: &mut String, items: impl IntoIterator<Item = &'s str>) {
    out.push('[');
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        out.push_str(&serde_json::to_string(item).unwrap_or_default());
    }
    out.push(']');
}

/// The start of every note: `Policy: [<name>] `.
pub(crate) fn policy_note(name: &str) -> String {
    let mut notes = String::with_capacity(name.len() + 64);
    let _ = write!(notes, "Policy: [{name}] ");
    notes
}

/// Appends ` Resources: [...]` (sorted), or ` NotResources: [...]` for a NotResource statement.
pub(crate) fn push_resources(out: &mut String, statement: &Statement) {
    let (label, list) = if statement.uses_not_resource() {
        ("NotResources", &statement.not_resources)
    } else {
        ("Resources", &statement.resources)
    };
    let mut sorted: Vec<&str> = list.iter().map(OwnedText::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    out.push(' ');
    out.push_str(label);
    out.push_str(": ");
    push_json_list(out, sorted);
}

/// `Policy: [<name>] Actions: [<actions>] Resources: [...]`, Security Monkey's note for an
/// action granted by a statement, with the policy named.
pub(crate) fn actions_note<'s>(
    name: &str,
    actions: impl IntoIterator<Item = &'s str>,
    statement: &Statement,
) -> String {
    let mut notes = policy_note(name);
    notes.push_str("Actions: ");
    push_json_list(&mut notes, actions);
    push_resources(&mut notes, statement);
    notes
}

/// Pushes `finding` unless an identical issue (check and notes) is already there.
pub(crate) fn push_unique(findings: &mut Vec<Finding>, finding: Finding) {
    if !findings.iter().any(|f| f.check == finding.check && f.notes == finding.notes) {
        findings.push(finding);
    }
}
