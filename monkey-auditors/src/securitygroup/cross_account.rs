//! Who a security group's rules let in or out to, classified once per grant and reported by the
//! friendly, third-party and unknown cross-account checks.
//!
//! Sources: groups of another account (`UserIdGroupPairs` with a `UserId`), classified by
//! account number; networks other than `/0` (the internet checks report those), classified
//! against the whitelist and the learned VPC and Elastic IP networks (whitelisted or our own
//! networks raise nothing). Prefix lists are skipped: AWS-managed lists name AWS services, and
//! customer-managed ones are not recorded with their entries.

use super::Group;
use super::friendly_cross_account::SECURITYGROUP_FRIENDLY_CROSS_ACCOUNT;
use super::rules::{Direction, Source};
use super::thirdparty_cross_account::SECURITYGROUP_THIRDPARTY_CROSS_ACCOUNT;
use super::unknown_cross_account::SECURITYGROUP_UNKNOWN_CROSS_ACCOUNT;
use monkey_core::audit::Relation;
use monkey_core::auditor::{AuditContext, Check, Finding};

fn message(relation: Relation, direction: Direction) -> &'static str {
    match (relation, direction) {
        (Relation::Friendly, Direction::Ingress) => "Security group allows ingress from a friendly account or network",
        (Relation::Friendly, Direction::Egress) => "Security group allows egress to a friendly account or network",
        (Relation::ThirdParty, Direction::Ingress) => {
            "Security group allows ingress from a third-party account or network"
        }
        (Relation::ThirdParty, Direction::Egress) => "Security group allows egress to a third-party account or network",
        (_, Direction::Ingress) => "Security group allows ingress from an unknown account or network",
        (_, Direction::Egress) => "Security group allows egress to an unknown account or network",
    }
}

/// The cross-account findings of a group, for the checks `ctx` has enabled.
pub(super) fn check(group: &Group<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let enabled = |check: &'static Check| ctx.is_enabled(check).then_some(check);
    let friendly = enabled(&SECURITYGROUP_FRIENDLY_CROSS_ACCOUNT);
    let thirdparty = enabled(&SECURITYGROUP_THIRDPARTY_CROSS_ACCOUNT);
    let unknown = enabled(&SECURITYGROUP_UNKNOWN_CROSS_ACCOUNT);
    if friendly.is_none() && thirdparty.is_none() && unknown.is_none() {
        return;
    }
    let ours = &group.key.account;
    for grant in &group.grants {
        let (relation, account) = match grant.source {
            Source::Cidr(_) if grant.is_world() => continue,
            Source::Cidr(cidr) => (ctx.environment.classify_cidr(ours, cidr), None),
            Source::Group { account: Some(account), .. } => {
                (ctx.environment.classify_account(ours, account), Some(account))
            }
            Source::Group { account: None, .. } | Source::PrefixList(_) => continue,
        };
        let check = match relation {
            Relation::Same => continue,
            Relation::Friendly => friendly,
            Relation::ThirdParty => thirdparty,
            Relation::Unknown => unknown,
        };
        let Some(check) = check else { continue };
        let notes = grant.notes(&ctx.environment.account_notes(account));
        let message = message(relation, grant.direction);
        findings.push(Finding::new(check, message, notes).with_weight(group.weight()));
    }
}

/// An environment for the cross-account tables: 222222222222 is a friendly account owning the
/// Elastic IP 203.0.113.9, 333333333333 a third party owning the VPC 100.70.0.0/16, and
/// 198.51.100.0/24 is whitelisted.
#[cfg(test)]
pub(super) fn environment() -> monkey_core::audit::Environment {
    use monkey_core::model::{Account, AccountName, AccountNumber, NetworkWhitelistEntry};
    let number = |n: &str| AccountNumber::parse(n).expect("an account number");
    let friend = Account::new(AccountName::parse("friend").expect("a name"), number("222222222222"));
    let mut vendor = Account::new(AccountName::parse("vendor").expect("a name"), number("333333333333"));
    vendor.third_party = true;
    let office = NetworkWhitelistEntry::new("office", "198.51.100.0/24", "").expect("a whitelist entry");
    let mut environment = monkey_core::audit::Environment::new(vec![friend, vendor], vec![office]);
    environment.learn_from_item("elasticip", &number("222222222222"), &serde_json::json!({"PublicIp": "203.0.113.9"}));
    environment.learn_from_item("vpc", &number("333333333333"), &serde_json::json!({"CidrBlock": "100.70.0.0/16"}));
    environment
}

/// A group with one rule in `direction` (`IpPermissions` or `IpPermissionsEgress`) on tcp/5432
/// from `sources` (a JSON object of `IpRanges` / `UserIdGroupPairs` / ...).
#[cfg(test)]
pub(super) fn rule(direction: &str, sources: serde_json::Value) -> serde_json::Value {
    let mut permission = serde_json::json!({"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432});
    if let (Some(permission), Some(sources)) = (permission.as_object_mut(), sources.as_object()) {
        permission.extend(sources.clone());
    }
    serde_json::json!({ direction: [permission], "assigned_to": [{"InstanceId": "i-1"}] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    fn found(config: serde_json::Value) -> Vec<String> {
        let mut found = Vec::new();
        for check in [
            &SECURITYGROUP_FRIENDLY_CROSS_ACCOUNT,
            &SECURITYGROUP_THIRDPARTY_CROSS_ACCOUNT,
            &SECURITYGROUP_UNKNOWN_CROSS_ACCOUNT,
        ] {
            let fixture = testing::Fixture { environment: environment(), ..Default::default() };
            for issue in testing::issues_with(check, config.clone(), fixture) {
                found.push(format!("{} | {} | {}", issue.key.check, issue.key.notes, issue.score));
            }
        }
        found
    }

    #[test]
    fn each_source_is_classified_once_into_one_check() {
        let config = json!({
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "198.51.100.0/28"}, {"CidrIp": "203.0.113.9/32"}, {"CidrIp": "100.70.1.0/24"}, {"CidrIp": "192.0.2.0/24"}],
                "UserIdGroupPairs": [{"UserId": "111111111111", "GroupId": "sg-ours"}, {"UserId": "222222222222", "GroupId": "sg-friend"},
                                     {"UserId": "333333333333", "GroupId": "sg-vendor"}, {"UserId": "444444444444", "GroupId": "sg-stranger"},
                                     {"GroupId": "sg-no-owner"}],
                "PrefixListIds": [{"PrefixListId": "pl-63a5400a"}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"UserId": "444444444444", "GroupId": "sg-stranger"}]}],
            "assigned_to": [{"InstanceId": "i-1"}]
        });
        assert_eq!(
            found(config),
            vec![
                "securitygroup-friendly-cross-account | Account: [222222222222/friend] Entity: [security_group:222222222222/sg-friend] Access: [ingress:tcp:5432] | 0",
                "securitygroup-friendly-cross-account | Entity: [cidr:203.0.113.9/32] Access: [ingress:tcp:5432] | 0",
                "securitygroup-thirdparty-cross-account | Account: [333333333333/vendor] Entity: [security_group:333333333333/sg-vendor] Access: [ingress:tcp:5432] | 0",
                "securitygroup-thirdparty-cross-account | Entity: [cidr:100.70.1.0/24] Access: [ingress:tcp:5432] | 0",
                "securitygroup-unknown-cross-account | Account: [444444444444] Entity: [security_group:444444444444/sg-stranger] Access: [egress:all_protocols:all_ports] | 10",
                "securitygroup-unknown-cross-account | Account: [444444444444] Entity: [security_group:444444444444/sg-stranger] Access: [ingress:tcp:5432] | 10",
                "securitygroup-unknown-cross-account | Entity: [cidr:192.0.2.0/24] Access: [ingress:tcp:5432] | 10",
            ]
        );
    }

    #[test]
    fn unattached_groups_weigh_nothing() {
        let config = json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "192.0.2.0/24"}]}], "assigned_to": []});
        assert_eq!(
            found(config),
            vec!["securitygroup-unknown-cross-account | Entity: [cidr:192.0.2.0/24] Access: [ingress:tcp:22] | 0"]
        );
    }
}
