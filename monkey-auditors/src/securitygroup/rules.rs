//! Reading the rules of a security group configuration, tolerating missing fields.

use serde_json::Value;

/// One (protocol, ports, source) of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grant<'a> {
    /// `tcp`, `udp`, `icmp`, or `-1` for all.
    pub(crate) protocol: &'a str,
    pub(crate) from_port: Option<i64>,
    pub(crate) to_port: Option<i64>,
    /// An IPv4 or IPv6 CIDR.
    pub(crate) cidr: &'a str,
}

impl Grant<'_> {
    /// `<direction>:<protocol>:<ports>` as Security Monkey wrote it (`ingress:tcp:22`).
    pub(crate) fn access(&self, direction: &str) -> String {
        let protocol = match self.protocol {
            "-1" | "all" => "all_protocols",
            other => other,
        };
        let ports = match (self.protocol, self.from_port, self.to_port) {
            ("-1" | "all", _, _) | (_, None, _) | (_, Some(-1), _) => "all_ports".to_owned(),
            (_, Some(0), Some(65535)) => "all_ports".to_owned(),
            (_, Some(from), Some(to)) if from != to => format!("{from}-{to}"),
            (_, Some(from), _) => from.to_string(),
        };
        format!("{direction}:{protocol}:{ports}")
    }
}

/// Every CIDR grant in the list of permissions under `key` (`IpPermissions` or
/// `IpPermissionsEgress`).
pub(crate) fn cidr_grants<'a>(config: &'a Value, key: &str) -> Vec<Grant<'a>> {
    let mut grants = Vec::new();
    for permission in config.get(key).and_then(Value::as_array).into_iter().flatten() {
        let protocol = permission.get("IpProtocol").and_then(Value::as_str).unwrap_or("-1");
        let from_port = permission.get("FromPort").and_then(Value::as_i64);
        let to_port = permission.get("ToPort").and_then(Value::as_i64);
        for (list, field) in [("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6")] {
            for range in permission.get(list).and_then(Value::as_array).into_iter().flatten() {
                if let Some(cidr) = range.get(field).and_then(Value::as_str) {
                    grants.push(Grant { protocol, from_port, to_port, cidr });
                }
            }
        }
    }
    grants
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn access_phrases_match_security_monkey() {
        let grant = |protocol, from, to| Grant { protocol, from_port: from, to_port: to, cidr: "0.0.0.0/0" };
        assert_eq!(grant("tcp", Some(22), Some(22)).access("ingress"), "ingress:tcp:22");
        assert_eq!(grant("tcp", Some(1000), Some(2000)).access("ingress"), "ingress:tcp:1000-2000");
        assert_eq!(grant("-1", None, None).access("egress"), "egress:all_protocols:all_ports");
        assert_eq!(grant("udp", Some(0), Some(65535)).access("ingress"), "ingress:udp:all_ports");
    }

    #[test]
    fn malformed_rules_are_skipped() {
        let config = json!({"IpPermissions": [{"IpRanges": "oops"}, 7, {"IpProtocol": "tcp", "IpRanges": [{"CidrIp": 5}, {"CidrIp": "10.0.0.0/8"}]}]});
        let grants = cidr_grants(&config, "IpPermissions");
        assert_eq!(grants.len(), 1);
        assert_eq!(grants[0].cidr, "10.0.0.0/8");
        assert!(cidr_grants(&json!("not an object"), "IpPermissions").is_empty());
    }
}
