//! Checks of EC2 instances (`ec2instance`), over the DescribeInstances shape; the internet
//! exposure check reads the instance's security groups (`securitygroup` support items) and the
//! paravirtual check falls back on the account's own images (`ec2image`).

mod imdsv1_allowed;
mod internet_accessible;
mod multiple_network_interfaces;
mod paravirtual;
mod public_ip;
mod stopped_over_30_days;

pub use imdsv1_allowed::EC2INSTANCE_IMDSV1_ALLOWED;
pub use internet_accessible::EC2INSTANCE_INTERNET_ACCESSIBLE;
pub use multiple_network_interfaces::EC2INSTANCE_MULTIPLE_NETWORK_INTERFACES;
pub use paravirtual::EC2INSTANCE_PARAVIRTUAL;
pub use public_ip::EC2INSTANCE_PUBLIC_IP;
pub use stopped_over_30_days::EC2INSTANCE_STOPPED_OVER_30_DAYS;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use serde_json::Value;

static CHECKS: [&Check; 6] = [
    &EC2INSTANCE_PUBLIC_IP,
    &EC2INSTANCE_INTERNET_ACCESSIBLE,
    &EC2INSTANCE_IMDSV1_ALLOWED,
    &EC2INSTANCE_STOPPED_OVER_30_DAYS,
    &EC2INSTANCE_MULTIPLE_NETWORK_INTERFACES,
    &EC2INSTANCE_PARAVIRTUAL,
];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// A non-empty string field.
fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The elements of a list field (nothing when it is missing or not a list).
fn list<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// The public IPv4 address of a network interface, on the interface or one of its private
/// addresses.
fn interface_public_ipv4(interface: &Value) -> Option<&str> {
    interface.get("Association").and_then(|a| text(a, "PublicIp")).or_else(|| {
        list(interface, "PrivateIpAddresses").find_map(|p| p.get("Association").and_then(|a| text(a, "PublicIp")))
    })
}

/// Whether a network interface has an IPv6 address (every IPv6 address in a VPC is global).
fn interface_has_ipv6(interface: &Value) -> bool {
    list(interface, "Ipv6Addresses").any(|a| text(a, "Ipv6Address").is_some())
}

/// The instance's first public IPv4 address.
fn public_ipv4(config: &Value) -> Option<&str> {
    text(config, "PublicIpAddress").or_else(|| list(config, "NetworkInterfaces").find_map(interface_public_ipv4))
}

/// A security group of the instance and whether the internet reaches it over IPv4 and IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Exposure<'a> {
    group: &'a str,
    ipv4: bool,
    ipv6: bool,
}

/// The instance's security groups with how the internet reaches each: through the public
/// IPv4 address or the IPv6 addresses of the network interfaces the group is on. Without
/// recorded interfaces (EC2-Classic, or an old record), the instance's `SecurityGroups` with its
/// own `PublicIpAddress` and `Ipv6Address`.
fn exposures(config: &Value) -> Vec<Exposure<'_>> {
    fn add<'a>(found: &mut Vec<Exposure<'a>>, group: &'a str, ipv4: bool, ipv6: bool) {
        match found.iter_mut().find(|e| e.group == group) {
            Some(known) => {
                known.ipv4 |= ipv4;
                known.ipv6 |= ipv6;
            }
            None => found.push(Exposure { group, ipv4, ipv6 }),
        }
    }
    let interfaces: Vec<&Value> = list(config, "NetworkInterfaces").filter(|i| i.is_object()).collect();
    let any_ipv4 = interfaces.iter().any(|i| interface_public_ipv4(i).is_some());
    let any_ipv6 = interfaces.iter().any(|i| interface_has_ipv6(i));
    // An address the instance reports but no interface shows could be on any of them.
    let unplaced_ipv4 = text(config, "PublicIpAddress").is_some() && !any_ipv4;
    let unplaced_ipv6 = text(config, "Ipv6Address").is_some() && !any_ipv6;
    let mut found = Vec::new();
    for interface in &interfaces {
        let ipv4 = unplaced_ipv4 || interface_public_ipv4(interface).is_some();
        let ipv6 = unplaced_ipv6 || interface_has_ipv6(interface);
        for group in list(interface, "Groups").filter_map(|g| text(g, "GroupId")) {
            add(&mut found, group, ipv4, ipv6);
        }
    }
    if found.is_empty() {
        let ipv4 = public_ipv4(config).is_some();
        let ipv6 = text(config, "Ipv6Address").is_some() || any_ipv6;
        for group in list(config, "SecurityGroups").filter_map(|g| text(g, "GroupId")) {
            add(&mut found, group, ipv4, ipv6);
        }
    }
    found
}

/// Runs every instance check.
#[derive(Debug, Default)]
pub struct Ec2InstanceAuditor;

#[async_trait]
impl Auditor for Ec2InstanceAuditor {
    fn technology(&self) -> &'static str {
        "ec2instance"
    }

    fn support(&self) -> &'static [&'static str] {
        &["securitygroup", "ec2image"]
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let config = item.config;
        let mut findings = Vec::new();
        if ctx.is_enabled(&EC2INSTANCE_PUBLIC_IP) {
            findings.extend(public_ip::check(config));
        }
        if ctx.is_enabled(&EC2INSTANCE_INTERNET_ACCESSIBLE) {
            findings.extend(internet_accessible::check(item, ctx));
        }
        if ctx.is_enabled(&EC2INSTANCE_IMDSV1_ALLOWED) {
            findings.extend(imdsv1_allowed::check(config));
        }
        if ctx.is_enabled(&EC2INSTANCE_STOPPED_OVER_30_DAYS) {
            findings.extend(stopped_over_30_days::check(config, ctx.now));
        }
        if ctx.is_enabled(&EC2INSTANCE_MULTIPLE_NETWORK_INTERFACES) {
            findings.extend(multiple_network_interfaces::check(config));
        }
        if ctx.is_enabled(&EC2INSTANCE_PARAVIRTUAL) {
            findings.extend(paravirtual::check(item, ctx));
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(Ec2InstanceAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};
    use crate::testing;
    use serde_json::json;

    #[test]
    fn exposure_follows_the_interface_that_holds_the_address() {
        let config = json!({
            "PublicIpAddress": "54.1.1.1",
            "NetworkInterfaces": [
                {"Association": {"PublicIp": "54.1.1.1"}, "Groups": [{"GroupId": "sg-public"}, {"GroupId": "sg-both"}]},
                {"Association": null, "Ipv6Addresses": [{"Ipv6Address": "2600::1"}], "Groups": [{"GroupId": "sg-private"}, {"GroupId": "sg-both"}]},
                {"Groups": [{"GroupId": "sg-hidden"}]},
                "not an interface"
            ],
            "SecurityGroups": [{"GroupId": "sg-ignored"}]
        });
        assert_eq!(
            exposures(&config),
            vec![
                Exposure { group: "sg-public", ipv4: true, ipv6: false },
                Exposure { group: "sg-both", ipv4: true, ipv6: true },
                Exposure { group: "sg-private", ipv4: false, ipv6: true },
                Exposure { group: "sg-hidden", ipv4: false, ipv6: false },
            ]
        );
        let classic =
            json!({"PublicIpAddress": "54.1.1.1", "SecurityGroups": [{"GroupId": "sg-1"}, {"GroupName": "no id"}]});
        assert_eq!(exposures(&classic), vec![Exposure { group: "sg-1", ipv4: true, ipv6: false }]);
        let unplaced = json!({"PublicIpAddress": "54.1.1.1", "NetworkInterfaces": [{"Groups": [{"GroupId": "sg-1"}]}]});
        assert_eq!(exposures(&unplaced), vec![Exposure { group: "sg-1", ipv4: true, ipv6: false }]);
        assert!(exposures(&json!(null)).is_empty());
        assert!(exposures(&json!({"NetworkInterfaces": 5, "SecurityGroups": "x"})).is_empty());
    }

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let instances = recording(include_str!("../../../testdata/estate/recording/111122223333/ec2instance.json"));
        let groups = recording(include_str!("../../../testdata/estate/recording/111122223333/securitygroup.json"));
        let support: Vec<(&'static str, &'static str, Value)> =
            groups.into_iter().map(|(name, config)| ("securitygroup", &*String::leak(name), config)).collect();
        let fixture = || testing::Fixture { support: support.clone(), ..Default::default() };
        let ssh_world = "ssh-world (sg-dd34703d2b86af81d in vpc-480d0fd4c607fef73)";
        for (name, config) in &instances {
            let found = all_issues(&CHECKS, config, fixture);
            match name.as_str() {
                // Launched with a public address, the ssh-world group and IMDSv1 allowed.
                "i-d2d3bb1cb9df11734" => {
                    assert_eq!(
                        found,
                        vec![
                            "ec2instance-imdsv1-allowed HttpTokens: [optional] 5",
                            "ec2instance-internet-accessible Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22] Via: [sg-dd34703d2b86af81d] 10",
                            "ec2instance-internet-accessible Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3389] Via: [sg-dd34703d2b86af81d] 10",
                            "ec2instance-public-ip Public IPv4 address 5",
                        ]
                    );
                    let linked = testing::issues_with(&EC2INSTANCE_INTERNET_ACCESSIBLE, config.clone(), fixture());
                    assert!(linked.iter().all(|i| i.links == vec![testing::key("securitygroup", ssh_world)]));
                }
                // No public address (its web-https group is open, but nothing routes to it) and IMDSv2.
                "i-1b265e862c507f62e" => assert!(found.is_empty(), "{found:?}"),
                other => panic!("unexpected instance {other}"),
            }
        }
    }
}
