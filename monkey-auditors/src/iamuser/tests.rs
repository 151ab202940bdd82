//! Tests over the auditor as a whole: administrator attachments and the recorded estate.

use super::*;
use crate::identity_policy::estate;
use crate::testing::{self, Fixture};
use serde_json::json;

fn pairs(found: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = found.iter().map(|(c, n)| ((*c).to_owned(), (*n).to_owned())).collect();
    pairs.sort();
    pairs
}

#[test]
fn administrator_access_attachments_are_flagged() {
    testing::table(
        &IAMUSER_ADMIN_POLICY_ATTACHED,
        &[json!({"AttachedManagedPolicies": [
            {"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
            {"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}
        ]})],
        &[
            json!({}),
            json!({"AttachedManagedPolicies": [{"PolicyName": "x", "PolicyArn": "arn:aws:iam::111111111111:policy/x"}]}),
            json!({"AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/job-function/AdministratorAccess-Amplify"}]}),
            json!({"AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess"}]}),
            json!({"AttachedManagedPolicies": "AdministratorAccess"}),
        ],
    );
    let notes = testing::notes(
        &IAMUSER_ADMIN_POLICY_ATTACHED,
        json!({"AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}),
    );
    assert_eq!(notes, ["PolicyArn: [arn:aws:iam::aws:policy/AdministratorAccess]"]);
}

#[test]
fn customer_policies_allowing_everything_are_found_through_the_policy_items() {
    let arn = "arn:aws:iam::111111111111:policy/administrator";
    let config = json!({"AttachedManagedPolicies": [{"PolicyName": "administrator", "PolicyArn": arn}]});
    let policy = |action: &str| {
        json!({"Arn": arn, "PolicyName": "administrator", "AttachmentCount": 1,
               "Document": {"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}})
    };
    let fixture =
        |action: &str| Fixture { support: vec![("policy", "administrator", policy(action))], ..Fixture::default() };

    let issues = testing::issues_with(&IAMUSER_ADMIN_POLICY_ATTACHED, config.clone(), fixture("*"));
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].key.notes, format!("PolicyArn: [{arn}]"));
    assert_eq!(issues[0].links, [testing::key("policy", "administrator")]);
    assert_eq!(issues[0].score, 10);

    assert!(testing::issues_with(&IAMUSER_ADMIN_POLICY_ATTACHED, config.clone(), fixture("s3:*")).is_empty());
    assert!(testing::issues(&IAMUSER_ADMIN_POLICY_ATTACHED, config).is_empty(), "unknown policies are not guessed");
}

#[test]
fn every_check_of_the_auditor_is_listed_once() {
    let checks = IamUserAuditor.checks();
    assert_eq!(checks.len(), 23);
    for check in checks {
        assert_eq!(check.technology, "iamuser");
        assert_eq!(checks.iter().filter(|c| c.id == check.id).count(), 1, "{}", check.id);
    }
}

#[test]
fn recorded_estate_users() {
    let checks = IamUserAuditor.checks();
    assert_eq!(
        estate::issues("iamuser", "alice-console", checks),
        pairs(&[
            ("iamuser-active-access-key", "Active Accesskey [AKIARTX3GSDS7M6BY3YQ]"),
            ("iamuser-active-access-key", "Active Accesskey [AKIARTX3GSDSS2ACZMUW]"),
            ("iamuser-direct-policy", "Inline policy: [admin]"),
            (
                "iamuser-initial-access-key-unused",
                "Active Accesskey [AKIARTX3GSDS7M6BY3YQ] created at user setup and never used"
            ),
            (
                "iamuser-initial-access-key-unused",
                "Active Accesskey [AKIARTX3GSDSS2ACZMUW] created at user setup and never used"
            ),
            (
                "iamuser-multiple-active-access-keys",
                r#"Active Accesskeys ["AKIARTX3GSDS7M6BY3YQ", "AKIARTX3GSDSS2ACZMUW"]"#
            ),
            ("iamuser-password-and-access-key", "LoginProfile: [present] AccessKeys: [active]"),
            ("iamuser-password-without-mfa", "LoginProfile: [present] MFADevices: [none]"),
            ("iamuser-policy-allows-admin", r#"Policy: [admin] Actions: ["*"] Resources: ["*"]"#),
        ])
    );
    assert_eq!(
        estate::issues("iamuser", "bob-ci", checks),
        pairs(&[
            ("iamuser-active-access-key", "Active Accesskey [AKIARTX3GSDSTPGWMJIT]"),
            ("iamuser-direct-policy", "Inline policy: [deploy]"),
            ("iamuser-direct-policy", "Managed policy: [arn:aws:iam::111122223333:policy/escalate]"),
            ("iamuser-policy-allows-pass-role", r#"Policy: [deploy] Actions: ["iam:passrole"] Resources: ["*"]"#),
            (
                "iamuser-policy-allows-privilege-escalation",
                r#"Policy: [deploy] Actions: ["ec2:runinstances", "iam:passrole"]"#,
            ),
            (
                "iamuser-policy-allows-security-group-changes",
                r#"Policy: [deploy] Actions: ["ec2:authorizesecuritygroupingress"] Resources: ["*"]"#,
            ),
            (
                "iamuser-policy-allows-write-access",
                r#"Policy: [deploy] Service [ec2] Category: [Write] Resources: ["*"]"#
            ),
            (
                "iamuser-policy-allows-write-access",
                r#"Policy: [deploy] Service [iam] Category: [Write] Resources: ["*"]"#
            ),
        ])
    );
    assert_eq!(estate::clean("iamuser", checks), ["carol-readonly"]);
}

#[test]
fn recorded_estate_users_through_the_test_harness() {
    // The same items one by one, as `testing` audits them (2026-01-01, no support items).
    for (name, config) in estate::items("iamuser") {
        let admin = testing::issues(&policy::ALLOWS_ADMIN, config.clone());
        let pass_role = testing::issues(&policy::ALLOWS_PASS_ROLE, config.clone());
        let no_mfa = testing::issues(&IAMUSER_PASSWORD_WITHOUT_MFA, config.clone());
        let keys = testing::issues(&IAMUSER_MULTIPLE_ACTIVE_ACCESS_KEYS, config);
        match name.as_str() {
            "alice-console" => assert!(!admin.is_empty() && !no_mfa.is_empty() && !keys.is_empty()),
            "bob-ci" => assert!(!pass_role.is_empty() && admin.is_empty() && no_mfa.is_empty()),
            _ => assert!(admin.is_empty() && pass_role.is_empty() && no_mfa.is_empty() && keys.is_empty(), "{name}"),
        }
    }
}
