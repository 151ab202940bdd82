//! Checks of security groups (`securitygroup`), over the DescribeSecurityGroups shape plus the
//! watcher's `assigned_to` (the network interfaces using the group).
//!
//! A group's rules are parsed once per audit ([`rules::grants`]) and every check reads that
//! list. Exposure found on a group nothing uses (`assigned_to` recorded and empty) is weighted
//! 0, Security Monkey's "empty group" multiplier: the issue stays visible, its score does not
//! count until something uses the group. When `assigned_to` was not recorded, use is unknown
//! and the weight stays 1.
//!
//! Audits run on every group of every account, so the checks allocate only for what they find
//! and do not deduplicate: findings with the same notes collapse into one issue in the engine.

mod all_ports_open_to_world;
pub(crate) mod cidr;
mod cross_account;
mod default_with_rules;
mod ec2_classic_rfc1918;
mod egress_open_to_world;
mod friendly_cross_account;
mod high_risk_port_open_to_world;
mod ingress_open_to_world;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod test_support;
mod thirdparty_cross_account;
mod unauthorized_port_open_to_world;
mod unknown_cross_account;
mod unused;
mod wide_public_range;

pub use all_ports_open_to_world::SECURITYGROUP_ALL_PORTS_OPEN_TO_WORLD;
pub use default_with_rules::SECURITYGROUP_DEFAULT_WITH_RULES;
pub use ec2_classic_rfc1918::SECURITYGROUP_EC2_CLASSIC_RFC1918;
pub use egress_open_to_world::SECURITYGROUP_EGRESS_OPEN_TO_WORLD;
pub use friendly_cross_account::SECURITYGROUP_FRIENDLY_CROSS_ACCOUNT;
pub use high_risk_port_open_to_world::SECURITYGROUP_HIGH_RISK_PORT_OPEN_TO_WORLD;
pub use ingress_open_to_world::SECURITYGROUP_INGRESS_OPEN_TO_WORLD;
pub use thirdparty_cross_account::SECURITYGROUP_THIRDPARTY_CROSS_ACCOUNT;
pub use unauthorized_port_open_to_world::SECURITYGROUP_UNAUTHORIZED_PORT_OPEN_TO_WORLD;
pub use unknown_cross_account::SECURITYGROUP_UNKNOWN_CROSS_ACCOUNT;
pub use unused::SECURITYGROUP_UNUSED;
pub use wide_public_range::SECURITYGROUP_WIDE_PUBLIC_RANGE;

use crate::fields::{Fields, Keys};
use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use monkey_core::model::ItemKey;
use rules::{Direction, Grant};
use serde_json::Value;

static CHECKS: [&Check; 12] = [
    &SECURITYGROUP_INGRESS_OPEN_TO_WORLD,
    &SECURITYGROUP_EGRESS_OPEN_TO_WORLD,
    &SECURITYGROUP_FRIENDLY_CROSS_ACCOUNT,
    &SECURITYGROUP_THIRDPARTY_CROSS_ACCOUNT,
    &SECURITYGROUP_UNKNOWN_CROSS_ACCOUNT,
    &SECURITYGROUP_EC2_CLASSIC_RFC1918,
    &SECURITYGROUP_HIGH_RISK_PORT_OPEN_TO_WORLD,
    &SECURITYGROUP_ALL_PORTS_OPEN_TO_WORLD,
    &SECURITYGROUP_UNAUTHORIZED_PORT_OPEN_TO_WORLD,
    &SECURITYGROUP_DEFAULT_WITH_RULES,
    &SECURITYGROUP_UNUSED,
    &SECURITYGROUP_WIDE_PUBLIC_RANGE,
];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// The top-level keys the checks read.
const KEYS: Keys<5> = Keys::new(["GroupName", "IpPermissions", "IpPermissionsEgress", "VpcId", "assigned_to"]);

/// A security group as the checks see it: the settings they read, its rules parsed once, and
/// whether anything uses it.
struct Group<'a> {
    key: &'a ItemKey,
    /// `GroupName`.
    name: Option<&'a str>,
    /// `VpcId`.
    vpc: Option<&'a Value>,
    grants: Vec<Grant<'a>>,
    /// `Some(false)` when `assigned_to` is recorded and empty, `None` when it is not recorded.
    attached: Option<bool>,
}

impl<'a> Group<'a> {
    fn new(key: &'a ItemKey, config: &'a Value) -> Self {
        let fields = Fields::read(config, &KEYS);
        let text = |index: usize| fields.get(index).and_then(Value::as_str);
        let attached = fields.get(4).and_then(Value::as_array).map(|users| !users.is_empty());
        Self {
            key,
            name: text(0),
            vpc: fields.get(3),
            grants: rules::grants_from(fields.get(1), fields.get(2)),
            attached,
        }
    }

    /// 0 for a group nothing uses, else 1.
    fn weight(&self) -> u32 {
        u32::from(self.attached != Some(false))
    }

    /// `GroupName` is `default`: the group AWS creates with every VPC.
    fn is_default(&self) -> bool {
        self.name == Some("default")
    }

    /// The grants from or to `/0` in one direction.
    fn world(&self, direction: Direction) -> impl Iterator<Item = &Grant<'a>> {
        self.grants.iter().filter(move |g| g.direction == direction && g.is_world())
    }
}

/// Runs every security-group check.
#[derive(Debug, Default)]
pub struct SecurityGroupAuditor;

#[async_trait]
impl Auditor for SecurityGroupAuditor {
    fn technology(&self) -> &'static str {
        "securitygroup"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let group = Group::new(item.key, item.config);
        let mut findings = Vec::new();
        let mut run = |check: &Check, find: fn(&Group<'_>, &mut Vec<Finding>)| {
            if ctx.is_enabled(check) {
                find(&group, &mut findings);
            }
        };
        run(&SECURITYGROUP_INGRESS_OPEN_TO_WORLD, ingress_open_to_world::check);
        run(&SECURITYGROUP_EGRESS_OPEN_TO_WORLD, egress_open_to_world::check);
        run(&SECURITYGROUP_EC2_CLASSIC_RFC1918, ec2_classic_rfc1918::check);
        run(&SECURITYGROUP_HIGH_RISK_PORT_OPEN_TO_WORLD, high_risk_port_open_to_world::check);
        run(&SECURITYGROUP_ALL_PORTS_OPEN_TO_WORLD, all_ports_open_to_world::check);
        run(&SECURITYGROUP_UNAUTHORIZED_PORT_OPEN_TO_WORLD, unauthorized_port_open_to_world::check);
        run(&SECURITYGROUP_DEFAULT_WITH_RULES, default_with_rules::check);
        run(&SECURITYGROUP_UNUSED, unused::check);
        if ctx.is_enabled(&SECURITYGROUP_WIDE_PUBLIC_RANGE) {
            wide_public_range::check(&group, ctx, &mut findings);
        }
        cross_account::check(&group, ctx, &mut findings);
        Ok(findings)
    }
}

monkey_core::register_auditor!(SecurityGroupAuditor);

#[cfg(test)]
mod tests {
    use crate::securitygroup::test_support::{all_issues, environment, recording};
    use crate::testing;

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let groups = recording(include_str!("../../../testdata/estate/recording/111122223333/securitygroup.json"));
        let fixture = || testing::Fixture { environment: environment(), ..Default::default() };
        let mut checked = 0;
        for (name, config) in &groups {
            let found = all_issues(&super::CHECKS, config, fixture);
            let group = name.split(' ').next().unwrap_or_default();
            let expected: Vec<&str> = match group {
                "web-https" => vec![
                    "securitygroup-ingress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:443] 10",
                    "securitygroup-ingress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:80] 10",
                ],
                "ssh-world" => vec![
                    "securitygroup-egress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports] 1",
                    "securitygroup-high-risk-port-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22] 10",
                    "securitygroup-high-risk-port-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3389] 10",
                    "securitygroup-ingress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22] 10",
                    "securitygroup-ingress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3389] 10",
                    "securitygroup-unauthorized-port-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22] 5",
                    "securitygroup-unauthorized-port-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3389] 5",
                ],
                "mysql-world" => vec![
                    "securitygroup-egress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports] 0",
                    "securitygroup-high-risk-port-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3306] 0",
                    "securitygroup-ingress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3306] 0",
                    "securitygroup-ingress-open-to-world Entity: [cidr:::/0] Access: [ingress:tcp:443] 0",
                    "securitygroup-unauthorized-port-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3306] 0",
                    "securitygroup-unused Unattached 0",
                ],
                "cross-account" => vec![
                    "securitygroup-egress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports] 0",
                    "securitygroup-unknown-cross-account Entity: [cidr:203.0.113.0/24] Access: [ingress:tcp:443] 0",
                    "securitygroup-unused Unattached 0",
                ],
                "default" => vec![
                    "securitygroup-default-with-rules Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports] 5",
                    "securitygroup-egress-open-to-world Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports] 0",
                ],
                "all-open-unattached" => {
                    assert_eq!(found.iter().filter(|f| f.starts_with("securitygroup-high-risk-port")).count(), 24);
                    assert!(found.iter().all(|f| f.ends_with(" 0")), "nothing uses the group: {found:?}");
                    assert!(found.contains(&"securitygroup-all-ports-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:all_protocols:all_ports] 0".to_owned()));
                    assert!(found.contains(&"securitygroup-unused Unattached 0".to_owned()));
                    checked += 1;
                    continue;
                }
                other => panic!("unexpected group {other}"),
            };
            assert_eq!(found, expected, "{name}");
            checked += 1;
        }
        assert_eq!(checked, groups.len());
    }
}
