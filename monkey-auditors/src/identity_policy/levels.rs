//! The services a statement's actions reach at the sensitive access levels, read from the
//! action catalogue once per statement and shared by the permissions-management and write checks.

use super::{policy_note, push_resources};
use monkey_core::policy::{AccessLevel, Statement, actions};

/// One service a statement reaches, with the sensitive levels among the actions it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ServiceLevels {
    /// The service prefix, lower case (`iam`).
    pub(super) service: &'static str,
    /// Some matched action is of the Permissions management level.
    pub(super) permissions_management: bool,
    /// Some matched action is of the Write level.
    pub(super) write: bool,
}

/// Fills `out` with the services whose Permissions management or Write actions the `Action`
/// patterns of `statement` match, in the order first met. Patterns the catalogue does not know
/// add nothing.
pub(super) fn summarise(statement: &Statement, out: &mut Vec<ServiceLevels>) {
    out.clear();
    let catalogue = actions();
    for pattern in &statement.actions {
        if pattern.bytes().any(|b| matches!(b, b'*' | b'?')) {
            for (service, level) in catalogue.levels(pattern) {
                add(out, service, level);
            }
        } else if let Some(action) = catalogue.get(pattern) {
            // An exact name needs no expansion: one binary search, no allocation.
            add(out, action.service, action.level);
        }
    }
}

fn add(out: &mut Vec<ServiceLevels>, service: &'static str, level: AccessLevel) {
    let (permissions_management, write) = match level {
        AccessLevel::PermissionsManagement => (true, false),
        AccessLevel::Write => (false, true),
        _ => return,
    };
    match out.iter_mut().find(|known| known.service == service) {
        Some(known) => {
            known.permissions_management |= permissions_management;
            known.write |= write;
        }
        None => out.push(ServiceLevels { service, permissions_management, write }),
    }
}

/// `Policy: [<name>] Service [<service>] Category: [<level>] Resources: [...]`, Security
/// Monkey's note for a service reached at a sensitive level, with the policy named.
pub(super) fn service_note(policy: &str, service: &str, level: AccessLevel, statement: &Statement) -> String {
    let mut notes = policy_note(policy);
    notes.push_str("Service [");
    notes.push_str(service);
    notes.push_str("] Category: [");
    notes.push_str(level.as_str());
    notes.push(']');
    push_resources(&mut notes, statement);
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use monkey_core::policy::Policy;
    use serde_json::json;

    fn summary(actions: serde_json::Value) -> Vec<ServiceLevels> {
        let policy = Policy::parse(&json!({"Statement": {"Effect": "Allow", "Action": actions, "Resource": "*"}}))
            .expect("a valid policy");
        let mut out = vec![ServiceLevels { service: "stale", permissions_management: true, write: true }];
        summarise(&policy.statements[0], &mut out);
        out
    }

    #[test]
    fn exact_names_and_wildcards_are_summarised_per_service() {
        assert_eq!(
            summary(json!(["iam:PassRole", "IAM:putrolepolicy", "s3:Get*", "s3:PutObject", "logs:Describe*"])),
            [
                ServiceLevels { service: "iam", permissions_management: true, write: true },
                ServiceLevels { service: "s3", permissions_management: false, write: true },
            ]
        );
    }

    #[test]
    fn read_only_and_unknown_actions_add_nothing() {
        assert!(summary(json!(["logs:Get*", "logs:Describe*", "s3:GetObject", "nosuch:Thing", "nosuch:*"])).is_empty());
    }
}
