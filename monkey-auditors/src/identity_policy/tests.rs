//! Test helpers: one family member run over the same document as each technology holds it.

use super::Family;
use crate::testing;
use monkey_core::auditor::Check;
use monkey_core::model::Issue;
use serde_json::{Value, json};

/// Picks one check of a family.
pub(super) type Member = fn(&Family) -> &'static Check;

/// A technology's family, with how its items hold a policy document named `p`.
type Holder = (&'static Family, fn(Value) -> Value);

/// Each technology's family and holder.
fn families() -> [Holder; 4] {
    [
        (&crate::iamuser::policy::FAMILY, |d| json!({"UserName": "u", "InlinePolicies": {"p": d}})),
        (&crate::iamrole::policy::FAMILY, |d| json!({"RoleName": "r", "InlinePolicies": {"p": d}})),
        (&crate::iamgroup::policy::FAMILY, |d| json!({"GroupName": "g", "InlinePolicies": {"p": d}})),
        (&crate::managed_policy::policy::FAMILY, |d| {
            json!({"PolicyName": "p", "Arn": "arn:aws:iam::111111111111:policy/p", "AwsManaged": false,
                   "AttachmentCount": 1, "Document": d})
        }),
    ]
}

/// A policy document holding `statements` (an object or a list).
pub(super) fn document(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// `testing::table` for `member` of every family, over documents.
pub(super) fn table(member: Member, fail: &[Value], pass: &[Value]) {
    for (family, wrap) in families() {
        let fail: Vec<Value> = fail.iter().cloned().map(wrap).collect();
        let pass: Vec<Value> = pass.iter().cloned().map(wrap).collect();
        testing::table(member(family), &fail, &pass);
    }
}

/// The sorted notes `member` raises on `document`, asserted the same for every technology.
pub(super) fn notes(member: Member, document: Value) -> Vec<String> {
    let mut first: Option<Vec<String>> = None;
    for (family, wrap) in families() {
        let mut found = testing::notes(member(family), wrap(document.clone()));
        found.sort();
        match &first {
            None => first = Some(found),
            Some(expected) => assert_eq!(expected, &found, "{}", member(family).id),
        }
    }
    first.unwrap_or_default()
}

/// The issues `member` of the IAM user family raises on `document`.
pub(super) fn issues(member: Member, document: Value) -> Vec<Issue> {
    let (family, wrap) = families()[0];
    testing::issues(member(family), wrap(document))
}

#[test]
fn families_have_their_technologys_ids() {
    for (family, _) in families() {
        let checks = [
            family.admin,
            family.iam_wildcard,
            family.permissions_management,
            family.write_access,
            family.pass_role,
            family.not_action,
            family.not_resource,
            family.security_group_changes,
            family.unparsable,
            family.service_wildcard,
            family.assume_any_role,
            family.privilege_escalation,
        ];
        let prefix = if family.admin.technology == "policy" {
            "policy-".to_owned()
        } else {
            format!("{}-policy-", family.admin.technology)
        };
        for check in checks {
            assert!(check.id.starts_with(&prefix), "{}", check.id);
            assert_eq!(check.technology, family.admin.technology);
        }
    }
    assert_eq!(crate::iamuser::policy::ALLOWS_ADMIN.id, "iamuser-policy-allows-admin");
    assert_eq!(crate::managed_policy::policy::ALLOWS_ADMIN.id, "policy-allows-admin");
    assert_eq!(crate::iamgroup::policy::ALLOWS_ADMIN.title, "IamGroupPolicyAllowsAdmin");
    assert_eq!(crate::managed_policy::policy::ALLOWS_ADMIN.title, "ManagedPolicyAllowsAdmin");
}

#[test]
fn scores_follow_security_monkey() {
    let doc = document(json!([
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": ["iam:*", "kms:*", "ec2:AuthorizeSecurityGroupEgress"], "Resource": "*"},
    ]));
    let score = |member: Member| issues(member, doc.clone()).first().map(|i| i.score);
    assert_eq!(score(|f| f.admin), Some(10));
    assert_eq!(score(|f| f.iam_wildcard), Some(10));
    assert_eq!(score(|f| f.permissions_management), Some(10));
    assert_eq!(score(|f| f.write_access), Some(1));
    assert_eq!(score(|f| f.pass_role), Some(10));
    assert_eq!(score(|f| f.security_group_changes), Some(7));
    assert_eq!(score(|f| f.service_wildcard), Some(3));
    assert_eq!(score(|f| f.assume_any_role), None);
    assert_eq!(score(|f| f.privilege_escalation), Some(8));
}
