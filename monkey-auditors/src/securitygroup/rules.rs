//! Reading the rules of a security group configuration (the DescribeSecurityGroups shape),
//! tolerating missing fields: the one place that knows that shape, shared with the instance
//! checks.
//!
//! [`grants`] flattens a group's rules into one [`Grant`] per (direction, protocol, ports,
//! source) without copying any text: a check that finds nothing allocates nothing but the list.

use super::cidr::trimmed_end;
use crate::fields::{Fields, Keys};
use serde_json::Value;
use std::fmt;

/// Which way traffic flows through a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `IpPermissions`: traffic reaching the group's members.
    Ingress,
    /// `IpPermissionsEgress`: traffic the group's members send.
    Egress,
}

impl Direction {
    /// `ingress` or `egress`, as Security Monkey's notes write it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Ingress => "ingress",
            Self::Egress => "egress",
        }
    }
}

/// Who a rule lets in (or out to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source<'a> {
    /// An IPv4 (`IpRanges`) or IPv6 (`Ipv6Ranges`) CIDR.
    Cidr(&'a str),
    /// Another security group (`UserIdGroupPairs`): its owner account when recorded, and its
    /// id (or, failing that, its name).
    Group {
        /// The owner's account number (`UserId`).
        account: Option<&'a str>,
        /// `GroupId`, else `GroupName`.
        group: &'a str,
    },
    /// A managed prefix list (`PrefixListIds`), maintained by AWS or by the account.
    PrefixList(&'a str),
}

impl Source<'_> {
    /// Writes the `Entity: [...]` value of Security Monkey's notes: `cidr:10.0.0.0/8`,
    /// `security_group:<owner>/<group id>`, `prefix_list:pl-...`.
    fn write<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        match self {
            Self::Cidr(cidr) => {
                out.write_str("cidr:")?;
                out.write_str(cidr)
            }
            Self::Group { account, group } => {
                out.write_str("security_group:")?;
                if let Some(account) = account {
                    out.write_str(account)?;
                    out.write_char('/')?;
                }
                out.write_str(group)
            }
            Self::PrefixList(id) => {
                out.write_str("prefix_list:")?;
                out.write_str(id)
            }
        }
    }
}

/// The protocol of a rule, with AWS's names and numbers folded together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// `-1`: every protocol and port.
    All,
    /// `tcp` or `6`.
    Tcp,
    /// `udp` or `17`.
    Udp,
    /// `icmp` or `1`.
    Icmp,
    /// `icmpv6` or `58`.
    Icmpv6,
    /// Any other IP protocol number (ESP, GRE, ...), which has no ports.
    Other,
}

/// One (direction, protocol, ports, source) of a security group's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grant<'a> {
    /// Ingress or egress.
    pub(crate) direction: Direction,
    /// `IpProtocol` as recorded: `tcp`, `udp`, `icmp`, a number, or `-1` for all.
    pub(crate) protocol: &'a str,
    /// `FromPort` (the ICMP type for ICMP).
    pub(crate) from_port: Option<i64>,
    /// `ToPort` (the ICMP code for ICMP).
    pub(crate) to_port: Option<i64>,
    /// Who is allowed.
    pub(crate) source: Source<'a>,
}

impl<'a> Grant<'a> {
    /// The CIDR of a network grant.
    pub(crate) fn cidr(&self) -> Option<&'a str> {
        match self.source {
            Source::Cidr(cidr) => Some(cidr),
            _ => None,
        }
    }

    /// Whether the source is a `/0` network: the whole IPv4 or IPv6 internet (Security
    /// Monkey's test, which also catches `10.0.0.0/0`).
    pub(crate) fn is_world(&self) -> bool {
        self.cidr().is_some_and(|cidr| trimmed_end(cidr).ends_with("/0"))
    }

    /// The protocol, normalised.
    pub(crate) fn protocol_kind(&self) -> Protocol {
        match self.protocol {
            "-1" | "all" => Protocol::All,
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            "icmp" | "1" => Protocol::Icmp,
            "icmpv6" | "58" => Protocol::Icmpv6,
            _ => Protocol::Other,
        }
    }

    /// The first and last port of a TCP or UDP grant (every port for `-1`); `None` for
    /// protocols without ports. A missing or `-1` `FromPort` means every port.
    pub(crate) fn port_range(&self) -> Option<(i64, i64)> {
        match self.protocol_kind() {
            Protocol::All => Some((0, 65535)),
            Protocol::Tcp | Protocol::Udp => match (self.from_port, self.to_port) {
                (None | Some(-1), _) => Some((0, 65535)),
                (Some(from), None | Some(-1)) => Some((from, from)),
                (Some(from), Some(to)) => Some((from.min(to), from.max(to))),
            },
            _ => None,
        }
    }

    /// Whether the grant lets TCP traffic to `port` through.
    pub(crate) fn covers_tcp_port(&self, port: i64) -> bool {
        matches!(self.protocol_kind(), Protocol::All | Protocol::Tcp)
            && self.port_range().is_some_and(|(from, to)| from <= port && port <= to)
    }

    /// Whether the grant opens every protocol, or every TCP or UDP port (`1-65535` counts).
    pub(crate) fn opens_all_ports(&self) -> bool {
        match self.protocol_kind() {
            Protocol::All => true,
            Protocol::Tcp | Protocol::Udp => self.port_range().is_some_and(|(from, to)| from <= 1 && to >= 65535),
            _ => false,
        }
    }

    /// Writes `<direction>:<protocol>:<ports>` as Security Monkey wrote it (`ingress:tcp:22`).
    fn write_access<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        out.write_str(self.direction.as_str())?;
        out.write_char(':')?;
        out.write_str(match self.protocol {
            "-1" | "all" => "all_protocols",
            other => other,
        })?;
        out.write_char(':')?;
        match (self.protocol, self.from_port, self.to_port) {
            ("-1" | "all", _, _) | (_, None, _) | (_, Some(-1), _) | (_, Some(0), Some(65535)) => {
                out.write_str("all_ports")
            }
            (_, Some(from), Some(to)) if from != to => {
                write_number(out, from)?;
                out.write_char('-')?;
                write_number(out, to)
            }
            (_, Some(from), _) => write_number(out, from),
        }
    }

    /// `<prefix>Entity: [<source>] Access: [<access>]`, Security Monkey's notes for a grant,
    /// written into one allocation: this runs for every finding of every group.
    pub(crate) fn notes(&self, prefix: &str) -> String {
        let mut notes = String::with_capacity(prefix.len() + 72);
        notes.push_str(prefix);
        notes.push_str("Entity: [");
        // Writing into a String cannot fail.
        let _ = self.source.write(&mut notes);
        notes.push_str("] Access: [");
        let _ = self.write_access(&mut notes);
        notes.push(']');
        notes
    }
}

/// Writes a port number (or ICMP type) in decimal, without the formatting machinery.
fn write_number<W: fmt::Write>(out: &mut W, number: i64) -> fmt::Result {
    if number < 0 {
        out.write_char('-')?;
    }
    let mut digits = [0u8; 20];
    let mut rest = number.unsigned_abs();
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits[start..].iter().try_for_each(|&digit| out.write_char(char::from(digit)))
}

/// The non-empty text at `key` of an object.
fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    // The objects of a rule hold two or three keys: a scan reads fewer of their names than the
    // map's ordered search.
    let (_, found) = value.as_object()?.iter().find(|(name, _)| name.as_str() == key)?;
    found.as_str().filter(|s| !s.is_empty())
}

/// Every grant of a security group configuration, ingress first, in recorded order.
///
/// Network grants come from `IpRanges[].CidrIp` and `Ipv6Ranges[].CidrIpv6`, group grants
/// from `UserIdGroupPairs[]` (with a `GroupId` or `GroupName`), prefix lists from
/// `PrefixListIds[].PrefixListId`. Anything malformed is skipped; a rule without
/// `IpProtocol` counts as all protocols.
pub(crate) fn grants(config: &Value) -> Vec<Grant<'_>> {
    grants_from(config.get("IpPermissions"), config.get("IpPermissionsEgress"))
}

/// [`grants`] of a configuration's `IpPermissions` and `IpPermissionsEgress`.
pub(crate) fn grants_from<'a>(ingress: Option<&'a Value>, egress: Option<&'a Value>) -> Vec<Grant<'a>> {
    let mut grants = Vec::with_capacity(8);
    for (direction, permissions) in [(Direction::Ingress, ingress), (Direction::Egress, egress)] {
        for permission in permissions.and_then(Value::as_array).into_iter().flatten() {
            let Some(fields) = permission.as_object() else { continue };
            // One pass over the rule's fields instead of a lookup per field: this runs for every
            // rule of every group on every audit.
            let (mut protocol, mut from_port, mut to_port) = ("-1", None, None);
            let mut sources: [Option<&Value>; 4] = [None; 4];
            for (key, value) in fields {
                match key.as_str() {
                    "IpProtocol" => protocol = value.as_str().unwrap_or("-1"),
                    "FromPort" => from_port = value.as_i64(),
                    "ToPort" => to_port = value.as_i64(),
                    "IpRanges" => sources[0] = Some(value),
                    "Ipv6Ranges" => sources[1] = Some(value),
                    "UserIdGroupPairs" => sources[2] = Some(value),
                    "PrefixListIds" => sources[3] = Some(value),
                    _ => {}
                }
            }
            let mut push = |source| grants.push(Grant { direction, protocol, from_port, to_port, source });
            let entries = |index: usize| sources[index].and_then(Value::as_array).into_iter().flatten();
            for range in entries(0) {
                if let Some(cidr) = text(range, "CidrIp") {
                    push(Source::Cidr(cidr));
                }
            }
            for range in entries(1) {
                if let Some(cidr) = text(range, "CidrIpv6") {
                    push(Source::Cidr(cidr));
                }
            }
            for pair in entries(2) {
                const PAIR: Keys<3> = Keys::new(["GroupId", "GroupName", "UserId"]);
                let pair = Fields::read(pair, &PAIR);
                let text = |index: usize| pair.get(index).and_then(Value::as_str).filter(|s| !s.is_empty());
                if let Some(group) = text(0).or_else(|| text(1)) {
                    push(Source::Group { account: text(2), group });
                }
            }
            for prefix_list in entries(3) {
                if let Some(id) = text(prefix_list, "PrefixListId") {
                    push(Source::PrefixList(id));
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

    fn grant(protocol: &'static str, from: Option<i64>, to: Option<i64>) -> Grant<'static> {
        Grant {
            direction: Direction::Ingress,
            protocol,
            from_port: from,
            to_port: to,
            source: Source::Cidr("0.0.0.0/0"),
        }
    }

    impl Grant<'_> {
        fn access(&self) -> String {
            let mut access = String::new();
            self.write_access(&mut access).expect("a string");
            access
        }
    }

    #[test]
    fn access_phrases_match_security_monkey() {
        assert_eq!(grant("tcp", Some(22), Some(22)).access(), "ingress:tcp:22");
        assert_eq!(grant("tcp", Some(1000), Some(2000)).access(), "ingress:tcp:1000-2000");
        let egress = Grant { direction: Direction::Egress, ..grant("-1", None, None) };
        assert_eq!(egress.access(), "egress:all_protocols:all_ports");
        assert_eq!(grant("udp", Some(0), Some(65535)).access(), "ingress:udp:all_ports");
        assert_eq!(grant("icmp", Some(-1), Some(-1)).access(), "ingress:icmp:all_ports");
        assert_eq!(grant("tcp", Some(22), Some(22)).notes(""), "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]");
        let pair =
            Grant { source: Source::Group { account: Some("222222222222"), group: "sg-1" }, ..grant("-1", None, None) };
        assert_eq!(
            pair.notes("Account: [222222222222] "),
            "Account: [222222222222] Entity: [security_group:222222222222/sg-1] Access: [ingress:all_protocols:all_ports]"
        );
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for number in [0, 7, 22, 443, 65535, -1, -42, i64::MAX, i64::MIN] {
            let mut written = String::new();
            write_number(&mut written, number).expect("a string");
            assert_eq!(written, number.to_string());
        }
    }

    #[test]
    fn ports_and_protocols_are_normalised() {
        assert!(grant("6", Some(20), Some(25)).covers_tcp_port(22));
        assert!(grant("-1", None, None).covers_tcp_port(3389));
        assert!(!grant("udp", Some(22), Some(22)).covers_tcp_port(22));
        assert!(!grant("icmp", Some(22), Some(22)).covers_tcp_port(22));
        assert!(grant("tcp", None, None).covers_tcp_port(22), "no ports on a tcp rule: every port");
        assert!(grant("tcp", Some(1), Some(65535)).opens_all_ports());
        assert!(grant("17", Some(0), Some(65535)).opens_all_ports());
        assert!(!grant("tcp", Some(2), Some(65535)).opens_all_ports());
        assert!(!grant("icmp", Some(-1), Some(-1)).opens_all_ports());
        assert_eq!(grant("50", None, None).protocol_kind(), Protocol::Other);
        assert_eq!(grant("tcp", Some(30), Some(20)).port_range(), Some((20, 30)));
    }

    #[test]
    fn sources_are_networks_groups_and_prefix_lists() {
        let config = json!({
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
                "UserIdGroupPairs": [{"UserId": "222222222222", "GroupId": "sg-1"}, {"GroupName": "legacy"}, {"UserId": "3"}],
                "PrefixListIds": [{"PrefixListId": "pl-1"}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        });
        let found: Vec<String> = grants(&config).iter().map(|g| g.notes("")).collect();
        assert_eq!(
            found,
            [
                "Entity: [cidr:10.0.0.0/8] Access: [ingress:tcp:5432]",
                "Entity: [cidr:::/0] Access: [ingress:tcp:5432]",
                "Entity: [security_group:222222222222/sg-1] Access: [ingress:tcp:5432]",
                "Entity: [security_group:legacy] Access: [ingress:tcp:5432]",
                "Entity: [prefix_list:pl-1] Access: [ingress:tcp:5432]",
                "Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]",
            ]
        );
        assert!(grants(&config)[1].is_world() && !grants(&config)[0].is_world());
    }

    #[test]
    fn malformed_rules_are_skipped() {
        let config = json!({"IpPermissions": [{"IpRanges": "oops"}, 7, null,
            {"IpProtocol": "tcp", "IpRanges": [{"CidrIp": 5}, {"CidrIp": ""}, {"CidrIp": "10.0.0.0/8"}], "UserIdGroupPairs": [{}]}],
            "IpPermissionsEgress": {"not": "a list"}});
        let grants = grants(&config);
        assert_eq!(grants.len(), 1);
        assert_eq!(grants[0].cidr(), Some("10.0.0.0/8"));
        assert!(super::grants(&json!("not an object")).is_empty());
        assert!(super::grants(&json!(null)).is_empty());
    }
}
