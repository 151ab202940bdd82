//! The S3 checks on the buckets of the recorded moto estate (real watcher output).

use crate::resource_policy::suite::{check_ids, estate};
use monkey_core::model::Issue;

fn buckets() -> Vec<(String, Vec<Issue>)> {
    estate("s3", include_str!("../../../testdata/estate/recording/111122223333/s3.json"))
}

fn of<'a>(buckets: &'a [(String, Vec<Issue>)], name: &str) -> &'a [Issue] {
    &buckets.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no bucket {name}")).1
}

fn notes<'a>(issues: &'a [Issue], check: &str) -> Vec<&'a str> {
    issues.iter().filter(|i| i.key.check == check).map(|i| i.key.notes.as_str()).collect()
}

#[test]
fn risky_buckets_are_flagged_and_safe_ones_not() {
    let buckets = buckets();
    assert_eq!(buckets.len(), 6);

    let public_acl = of(&buckets, "estate-public-acl");
    assert_eq!(
        notes(public_acl, "s3-bucket-acl-internet-accessible"),
        ["Entity: [ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: [\"READ\"]"]
    );

    let public_policy = of(&buckets, "estate-public-policy");
    assert_eq!(
        notes(public_policy, "s3-bucket-policy-internet-accessible"),
        ["Entity: [principal:*] Actions: [\"s3:getobject\", \"s3:putobject\"]"]
    );
    assert_eq!(notes(public_policy, "s3-bucket-public-write"), ["Entity: [principal:*] Actions: [\"s3:putobject\"]"]);

    let blocked = of(&buckets, "estate-blocked-policy");
    assert!(notes(blocked, "s3-bucket-policy-internet-accessible").is_empty());
    assert_eq!(
        notes(blocked, "s3-bucket-public-policy-blocked"),
        ["Entity: [principal:*] Actions: [\"s3:getobject\"] Blocked by: [PublicAccessBlock.RestrictPublicBuckets]"]
    );

    let cross = of(&buckets, "estate-cross-account");
    assert!(notes(cross, "s3-bucket-policy-internet-accessible").is_empty(), "the * statement is vpce-conditioned");
    assert_eq!(
        notes(cross, "s3-bucket-policy-unknown-access"),
        [
            "Account: [222233334444] Entity: [account:222233334444] Actions: [\"s3:*\"]",
            "Account: [999988887777] Entity: [principal:arn:aws:iam::999988887777:root] Actions: [\"s3:*\"]",
            "Entity: [vpce:vpce-0123456789abcdef0] Actions: [\"s3:getobject\"]",
        ]
    );
    assert_eq!(notes(cross, "s3-bucket-policy-cross-account-root").len(), 2);

    let logs = of(&buckets, "estate-flow-logs");
    assert_eq!(
        notes(logs, "s3-bucket-acl-log-delivery"),
        ["Entity: [ACL:http://acs.amazonaws.com/groups/s3/LogDelivery] Actions: [\"READ_ACP\"]"]
    );

    assert_eq!(
        check_ids(of(&buckets, "estate-hardened")),
        [
            "s3-account-public-access-block-disabled",
            "s3-bucket-mfa-delete-disabled",
            "s3-bucket-object-lock-disabled",
            "s3-bucket-without-event-notifications",
            "s3-bucket-without-replication",
        ],
        "only the account-level setting and the optional protections remain"
    );

    for (name, issues) in &buckets {
        assert!(notes(issues, "s3-bucket-acl-unknown-access").is_empty(), "{name}: the owner's grant is not unknown");
        assert!(notes(issues, "s3-bucket-policy-parse-error").is_empty(), "{name}");
    }
    for name in ["estate-flow-logs", "estate-hardened", "estate-cross-account", "estate-blocked-policy"] {
        let issues = of(&buckets, name);
        for check in
            ["s3-bucket-policy-internet-accessible", "s3-bucket-acl-internet-accessible", "s3-bucket-public-write"]
        {
            assert!(notes(issues, check).is_empty(), "{name} is not public: {check}");
        }
    }
}
