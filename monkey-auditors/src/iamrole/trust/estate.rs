//! The trust checks on the roles of the recorded moto estate (real watcher output).

use crate::resource_policy::suite::estate;
use monkey_core::model::Issue;

fn notes<'a>(roles: &'a [(String, Vec<Issue>)], role: &str, check: &str) -> Vec<&'a str> {
    let issues = &roles.iter().find(|(name, _)| name == role).unwrap_or_else(|| panic!("no role {role}")).1;
    issues.iter().filter(|i| i.key.check == check).map(|i| i.key.notes.as_str()).collect()
}

#[test]
fn risky_trust_is_flagged_and_safe_trust_not() {
    let roles = estate("iamrole", include_str!("../../../../testdata/estate/recording/111122223333/iamrole.json"));
    assert_eq!(roles.len(), 5);
    let root =
        "Account: [999988887777] Entity: [principal:arn:aws:iam::999988887777:root] Actions: [\"sts:assumerole\"]";

    assert_eq!(
        notes(&roles, "open-trust", "iamrole-trust-policy-internet-accessible"),
        ["Entity: [principal:*] Actions: [\"sts:assumerole\"]"]
    );

    assert_eq!(notes(&roles, "unknown-trust", "iamrole-trust-policy-unknown-access"), [root]);
    assert_eq!(notes(&roles, "unknown-trust", "iamrole-trust-policy-cross-account-root"), [root]);
    assert_eq!(
        notes(&roles, "unknown-trust", "iamrole-trust-cross-account-without-external-id"),
        ["Account: [999988887777] Entity: [principal:arn:aws:iam::999988887777:root]"]
    );

    assert!(notes(&roles, "vendor-trust", "iamrole-trust-cross-account-without-external-id").is_empty());
    assert!(notes(&roles, "vendor-trust", "iamrole-trust-policy-cross-account-root").is_empty());
    assert_eq!(
        notes(&roles, "vendor-trust", "iamrole-trust-policy-unknown-access"),
        [
            "Account: [222233334444] Entity: [principal:arn:aws:iam::222233334444:role/deployer] Actions: [\"sts:assumerole\"]"
        ],
        "the vendor's account is not registered in this audit"
    );

    assert_eq!(
        notes(&roles, "ec2-app", "iamrole-trust-service-without-source-condition"),
        ["Entity: [service:ec2.amazonaws.com]"]
    );

    for (role, issues) in &roles {
        let trust: Vec<&str> =
            issues.iter().filter(|i| i.key.check.starts_with("iamrole-trust-")).map(|i| i.key.check.as_str()).collect();
        match role.as_str() {
            "admin-role" => assert!(trust.is_empty(), "its own account's root: {trust:?}"),
            "open-trust" => assert_eq!(trust, ["iamrole-trust-policy-internet-accessible"]),
            "ec2-app" => assert_eq!(trust, ["iamrole-trust-service-without-source-condition"]),
            _ => {}
        }
        assert!(issues.iter().all(|i| i.key.check != "iamrole-trust-policy-parse-error"), "{role}");
    }
}
