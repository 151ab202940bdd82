//! `iamrole-trust-cross-account-without-external-id`: another account may assume the role
//! without an external id or MFA.

use monkey_core::auditor::{AuditContext, AuditedItem, Check, CheckStatus, Finding};
use monkey_core::model::Category;
use monkey_core::policy::{Condition, Entity, EntityKind, Policy, PrincipalKind, Principals, Statement};

monkey_core::declare_check! {
    /// A principal of another account may assume the role without `sts:ExternalId` or MFA.
    pub static IAMROLE_TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID = Check {
        id: "iamrole-trust-cross-account-without-external-id",
        technology: "iamrole",
        title: "IamRoleTrustCrossAccountWithoutExternalId",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An Allow statement of the trust policy whose `Principal.AWS` names another account (its id, root or one of its \
roles or users), friendly, third party or unknown, without either condition that guards cross-account trust: \
`sts:ExternalId` with `StringEquals` / `StringLike` and a concrete value, or `aws:MultiFactorAuthPresent` `true` \
with `Bool` (not `BoolIfExists`, which is true for callers without MFA information). One issue per principal.\n\n\
## Why it matters\n\
A vendor that assumes roles in many customers' accounts can be tricked by one customer into acting on another's \
role (the confused deputy): a secret external id per customer prevents it. For people assuming a role from another \
account, MFA keeps a stolen access key from being enough. Roles trusted by other accounts of the organisation for \
automation (CI, central tooling) need neither: justify those issues, or disable the check for friendly accounts with \
a score override. Score 3 (insecure configuration): the access itself is reported by the cross-account checks.\n\n\
## Example\n\
`{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::999988887777:root\"}, \"Action\": \
\"sts:AssumeRole\"}` gives `Account: [999988887777] Entity: [principal:arn:aws:iam::999988887777:root]`.\n\n\
## How to fix\n\
For a third party: add `\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"<the id the vendor gave you>\"}}`. \
For people: add `\"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}`.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html\n\
- ScoutSuite `iam-assume-role-lacks-external-id-and-mfa`, `iam-assume-role-no-mfa` (peers IAM-16).\n",
    };
}

/// Whether a condition requires a concrete external id.
fn requires_external_id(condition: &Condition) -> bool {
    condition.key == "sts:externalid"
        && matches!(condition.operator.as_str(), "StringEquals" | "StringLike" | "StringEqualsIgnoreCase")
        && !condition.if_exists
        && !condition.values.is_empty()
        && condition.values.iter().all(|value| !value.is_empty() && !value.bytes().all(|b| matches!(b, b'*' | b'?')))
}

/// Whether a condition requires the caller to have signed in with MFA.
fn requires_mfa(condition: &Condition) -> bool {
    condition.key == "aws:multifactorauthpresent"
        && condition.operator == "Bool"
        && !condition.if_exists
        && condition.values.iter().any(|value| value.eq_ignore_ascii_case("true"))
}

fn is_guarded(statement: &Statement) -> bool {
    statement.conditions.iter().any(|c| requires_external_id(c) || requires_mfa(c))
}

/// Reports every principal of another account trusted without an external id or MFA.
pub(super) fn check(policy: &Policy, item: &AuditedItem<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let check = &IAMROLE_TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID;
    if !ctx.is_enabled(check) {
        return;
    }
    let ours = item.key.account.as_str();
    for statement in &policy.statements {
        let Some(Principals::Kinds(kinds)) = &statement.principal else {
            continue;
        };
        let Some(values) = kinds.get(&PrincipalKind::Aws) else {
            continue;
        };
        if !statement.is_allow() || is_guarded(statement) {
            continue;
        }
        for value in values {
            let kind = if value.starts_with("arn:") { EntityKind::Arn } else { EntityKind::Account };
            let entity = Entity::new(kind, value.as_str());
            let Some(account) = entity.account().filter(|account| *account != ours) else {
                continue;
            };
            let notes = format!("{}Entity: [{entity}]", ctx.environment.account_notes(Some(account)));
            if findings.iter().any(|f| f.check == check && f.notes == notes) {
                continue;
            }
            let message = format!("Account {account} may assume the role without an external id or MFA ({entity})");
            findings.push(Finding::new(check, message, notes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite::{self, FRIEND, STRANGER, VENDOR};
    use crate::testing;
    use serde_json::{Value, json};

    fn trust(principal: Value, condition: Option<Value>) -> Value {
        let mut statement = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
        if let Some(condition) = condition {
            statement["Condition"] = condition;
        }
        json!({"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}})
    }

    fn aws(value: &str) -> Value {
        json!({"AWS": value})
    }

    #[test]
    fn table() {
        let root = |account: &str| aws(&format!("arn:aws:iam::{account}:root"));
        suite::table(
            &IAMROLE_TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID,
            &[
                trust(root(STRANGER), None),
                trust(root(FRIEND), None),
                trust(aws(VENDOR), None),
                trust(aws(&format!("arn:aws:iam::{VENDOR}:role/reader")), None),
                trust(root(VENDOR), Some(json!({"StringEqualsIfExists": {"sts:ExternalId": "x"}}))),
                trust(root(VENDOR), Some(json!({"StringLike": {"sts:ExternalId": "*"}}))),
                trust(root(VENDOR), Some(json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}))),
                trust(root(VENDOR), Some(json!({"Bool": {"aws:MultiFactorAuthPresent": "false"}}))),
                trust(root(VENDOR), Some(json!({"StringNotEquals": {"sts:ExternalId": "x"}}))),
            ],
            &[
                json!({}),
                json!({"AssumeRolePolicyDocument": null}),
                trust(root(testing::OURS), None),
                trust(aws(testing::OURS), None),
                trust(json!({"Service": "ec2.amazonaws.com"}), None),
                trust(json!("*"), None),
                trust(aws("*"), None),
                trust(root(VENDOR), Some(json!({"StringEquals": {"sts:ExternalId": "vendor-secret"}}))),
                trust(root(STRANGER), Some(json!({"Bool": {"aws:MultiFactorAuthPresent": true}}))),
                trust(root(STRANGER), Some(json!({"Bool": {"aws:MultiFactorAuthPresent": ["true"]}}))),
                json!({"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Deny", "Principal": root(STRANGER),
                    "Action": "sts:AssumeRole"}]}}),
                json!({"AssumeRolePolicyDocument": "not a policy"}),
            ],
        );
    }

    #[test]
    fn one_issue_per_principal() {
        let document = json!({"AssumeRolePolicyDocument": {"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": [format!("arn:aws:iam::{FRIEND}:root"), STRANGER]},
             "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": STRANGER}, "Action": "sts:TagSession"}
        ]}});
        let found = suite::issues(&IAMROLE_TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID, document);
        let notes: Vec<&str> = found.iter().map(|i| i.key.notes.as_str()).collect();
        assert_eq!(
            notes,
            [
                format!("Account: [{FRIEND}/friend] Entity: [principal:arn:aws:iam::{FRIEND}:root]"),
                format!("Account: [{STRANGER}] Entity: [account:{STRANGER}]"),
            ]
        );
        assert!(found.iter().all(|i| i.score == 3));
    }
}
