//! Tests over the auditor as a whole: administrator attachments and the recorded estate.

use super::*;
use crate::identity_policy::estate;
use crate::testing;
use serde_json::json;

#[test]
fn administrator_access_attachments_are_flagged() {
    testing::table(
        &IAMROLE_ADMIN_POLICY_ATTACHED,
        &[json!({"AttachedManagedPolicies": [{"PolicyArn": "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"}]})],
        &[
            json!({"AttachedManagedPolicies": []}),
            json!({"AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}]}),
            json!({"AttachedManagedPolicies": [{"PolicyArn": null}]}),
        ],
    );
}

#[test]
fn recorded_estate_roles() {
    let checks = IamRoleAuditor.checks();
    assert_eq!(
        estate::issues("iamrole", "admin-role", checks),
        [(
            "iamrole-admin-policy-attached".to_owned(),
            "PolicyArn: [arn:aws:iam::111122223333:policy/administrator]".to_owned()
        )]
    );
    let clean = estate::clean("iamrole", checks);
    assert!(clean.contains(&"ec2-app".to_owned()), "{clean:?}");
    assert_eq!(clean.len(), estate::items("iamrole").len() - 1, "only admin-role has permission issues: {clean:?}");
}

#[test]
fn recorded_estate_roles_through_the_test_harness() {
    for (name, config) in estate::items("iamrole") {
        for check in IamRoleAuditor.checks() {
            let found = testing::issues(check, config.clone());
            // Without the account's managed policies, admin-role's attachment cannot be judged.
            assert!(found.is_empty(), "{name}: {found:?}");
        }
    }
}
