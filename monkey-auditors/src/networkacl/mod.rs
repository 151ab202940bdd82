//! Checks of network ACLs (`networkacl`), over the DescribeNetworkAcls shape.
//!
//! An ACL evaluates its entries in rule-number order and the first match decides, so traffic
//! from the internet is let in when the lowest-numbered entry from `/0` that matches it allows
//! it. An ACL with a recorded, empty `Associations` list filters no subnet: its exposure issues
//! weigh 0.

mod admin_port_open_to_world;
mod all_traffic_from_world;
mod unused;

pub use admin_port_open_to_world::NETWORKACL_ADMIN_PORT_OPEN_TO_WORLD;
pub use all_traffic_from_world::NETWORKACL_ALL_TRAFFIC_FROM_WORLD;
pub use unused::NETWORKACL_UNUSED;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use serde_json::Value;

static CHECKS: [&Check; 3] =
    [&NETWORKACL_ADMIN_PORT_OPEN_TO_WORLD, &NETWORKACL_ALL_TRAFFIC_FROM_WORLD, &NETWORKACL_UNUSED];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// The protocol of an entry, as far as the checks care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    /// `-1`: all traffic.
    All,
    /// `6`.
    Tcp,
    /// Anything else (UDP, ICMP, ...).
    Other,
}

/// One entry of an ACL that the checks can evaluate.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    egress: bool,
    number: i64,
    allow: bool,
    protocol: Protocol,
    /// `PortRange`; `None` means every port.
    ports: Option<(i64, i64)>,
    /// `CidrBlock` or `Ipv6CidrBlock`.
    cidr: &'a str,
}

impl Entry<'_> {
    /// Whether the entry matches traffic from anywhere on the IPv4 (or IPv6) internet.
    fn is_world(&self, ipv6: bool) -> bool {
        self.cidr.trim_end().ends_with("/0") && self.cidr.contains(':') == ipv6
    }

    fn covers_tcp_port(&self, port: i64) -> bool {
        match self.protocol {
            Protocol::All => true,
            Protocol::Tcp => self.ports.is_none_or(|(from, to)| from <= port && port <= to),
            Protocol::Other => false,
        }
    }
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The ACL's entries with every field the checks need; anything malformed is skipped.
fn entries(config: &Value) -> Vec<Entry<'_>> {
    let mut found = Vec::new();
    for entry in config.get("Entries").and_then(Value::as_array).into_iter().flatten() {
        let (Some(egress), Some(number)) =
            (entry.get("Egress").and_then(Value::as_bool), entry.get("RuleNumber").and_then(Value::as_i64))
        else {
            continue;
        };
        let allow = match text(entry, "RuleAction") {
            Some("allow") => true,
            Some("deny") => false,
            _ => continue,
        };
        let protocol = match entry.get("Protocol") {
            Some(Value::String(p)) if p == "-1" || p == "all" => Protocol::All,
            Some(Value::String(p)) if p == "6" || p == "tcp" => Protocol::Tcp,
            Some(Value::Number(n)) if n.as_i64() == Some(-1) => Protocol::All,
            Some(Value::Number(n)) if n.as_i64() == Some(6) => Protocol::Tcp,
            _ => Protocol::Other,
        };
        let ports = entry.get("PortRange").and_then(|r| {
            let (from, to) = (r.get("From")?.as_i64()?, r.get("To")?.as_i64()?);
            Some((from.min(to), from.max(to)))
        });
        let Some(cidr) = text(entry, "CidrBlock").or_else(|| text(entry, "Ipv6CidrBlock")) else { continue };
        found.push(Entry { egress, number, allow, protocol, ports, cidr });
    }
    found
}

/// The entry that decides inbound traffic from the IPv4 (or IPv6) internet that `matches`
/// describes, if any: the lowest-numbered ingress entry from `/0` matching it.
fn deciding<'e, 'a>(
    entries: &'e [Entry<'a>],
    ipv6: bool,
    matches: impl Fn(&Entry<'a>) -> bool,
) -> Option<&'e Entry<'a>> {
    entries.iter().filter(|e| !e.egress && e.is_world(ipv6) && matches(e)).min_by_key(|e| e.number)
}

/// 0 for an ACL no subnet uses (`Associations` recorded and empty), else 1.
fn weight(config: &Value) -> u32 {
    u32::from(!config.get("Associations").and_then(Value::as_array).is_some_and(Vec::is_empty))
}

/// Runs every network-ACL check.
#[derive(Debug, Default)]
pub struct NetworkAclAuditor;

#[async_trait]
impl Auditor for NetworkAclAuditor {
    fn technology(&self) -> &'static str {
        "networkacl"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let entries = entries(item.config);
        let weight = weight(item.config);
        let mut findings = Vec::new();
        if ctx.is_enabled(&NETWORKACL_ADMIN_PORT_OPEN_TO_WORLD) {
            findings.extend(admin_port_open_to_world::check(&entries, weight));
        }
        if ctx.is_enabled(&NETWORKACL_ALL_TRAFFIC_FROM_WORLD) {
            findings.extend(all_traffic_from_world::check(&entries, weight));
        }
        if ctx.is_enabled(&NETWORKACL_UNUSED) {
            findings.extend(unused::check(item.config));
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(NetworkAclAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};
    use serde_json::json;

    #[test]
    fn malformed_entries_are_skipped() {
        let config = json!({"Entries": [
            {"Egress": false, "RuleNumber": 100, "RuleAction": "allow", "Protocol": -1, "CidrBlock": "0.0.0.0/0"},
            {"Egress": "no", "RuleNumber": 100, "RuleAction": "allow", "Protocol": "-1", "CidrBlock": "0.0.0.0/0"},
            {"Egress": false, "RuleAction": "allow", "Protocol": "-1", "CidrBlock": "0.0.0.0/0"},
            {"Egress": false, "RuleNumber": 1, "RuleAction": "maybe", "Protocol": "-1", "CidrBlock": "0.0.0.0/0"},
            {"Egress": false, "RuleNumber": 1, "RuleAction": "deny", "Protocol": "6"},
            {"Egress": false, "RuleNumber": 2, "RuleAction": "deny", "Protocol": "6", "PortRange": {"From": 23, "To": 21}, "Ipv6CidrBlock": "::/0"},
            3
        ]});
        let found = entries(&config);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].protocol, Protocol::All);
        assert!(found[1].is_world(true) && found[1].covers_tcp_port(22) && !found[1].covers_tcp_port(24));
        assert!(entries(&json!({"Entries": null})).is_empty());
    }

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let acls = recording(include_str!("../../../testdata/estate/recording/111122223333/networkacl.json"));
        for (name, config) in &acls {
            let found = all_issues(&CHECKS, config, Default::default);
            let used = config.get("Associations").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
            let default = config.get("IsDefault").and_then(Value::as_bool) == Some(true);
            // Every ACL of the estate lets all traffic in from the internet: the default ones as AWS
            // creates them, the custom one (no subnet) by its rules 100 and 110.
            let score = if used { 3 } else { 0 };
            let mut expected = vec![
                format!(
                    "networkacl-admin-port-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22] {score}"
                ),
                format!(
                    "networkacl-admin-port-open-to-world Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3389] {score}"
                ),
                format!(
                    "networkacl-all-traffic-from-world Entity: [cidr:0.0.0.0/0] Access: [ingress:all_protocols:all_ports] {score}"
                ),
            ];
            if !default {
                expected.push("networkacl-unused Unassociated 0".to_owned());
            }
            assert_eq!(found, expected, "{name}");
        }
        assert!(acls.iter().any(|(_, c)| c.get("IsDefault") == Some(&json!(false))), "the estate has a custom ACL");
    }
}
