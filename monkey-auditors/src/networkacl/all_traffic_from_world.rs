//! `networkacl-all-traffic-from-world`: all traffic allowed in from the whole internet.

use super::{Entry, Protocol, deciding};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A network ACL lets all traffic in from the internet.
    pub static NETWORKACL_ALL_TRAFFIC_FROM_WORLD = Check {
        id: "networkacl-all-traffic-from-world",
        technology: "networkacl",
        title: "NetworkAclAllTrafficFromWorld",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An ACL with an inbound `allow` entry for all traffic (`Protocol` `-1`) from `0.0.0.0/0` or `::/0` that no \
lower-numbered all-traffic `deny` from the same `/0` shadows, one issue per address family. Default ACLs are \
reported too (AWS creates them that way); an ACL no subnet uses keeps its issues with weight 0.\n\n\
## Why it matters\n\
The ACL filters nothing: the subnet relies on security groups alone, with no subnet-wide guard against a careless \
rule or a service listening where it should not.\n\n\
## Example\n\
The default entry `{\"RuleNumber\": 100, \"Egress\": false, \"RuleAction\": \"allow\", \"Protocol\": \"-1\", \
\"CidrBlock\": \"0.0.0.0/0\"}` gives `Entity: [cidr:0.0.0.0/0] Access: [ingress:all_protocols:all_ports]`.\n\n\
## How to fix\n\
Replace the entry with allow entries for the ports the subnet serves (and the ephemeral ports of return traffic), \
or justify the issue where security groups are the chosen control.\n\n\
## References\n\
- Prowler `ec2_networkacl_allow_ingress_any_port`; ScoutSuite `vpc-default-network-acls-allow-all`, \
`vpc-custom-network-acls-allow-all`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html\n",
    };
}

/// Flags an ACL that lets all traffic in from the internet.
pub(super) fn check(entries: &[Entry<'_>], weight: u32) -> Vec<Finding> {
    let mut findings = Vec::new();
    for ipv6 in [false, true] {
        let Some(entry) = deciding(entries, ipv6, |e| e.protocol == Protocol::All).filter(|e| e.allow) else {
            continue;
        };
        let notes = format!("Entity: [cidr:{}] Access: [ingress:all_protocols:all_ports]", entry.cidr);
        let message = format!("Network ACL allows all traffic in from the whole internet (rule {})", entry.number);
        findings.push(Finding::new(&NETWORKACL_ALL_TRAFFIC_FROM_WORLD, message, notes).with_weight(weight));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        let allow_all = json!({"RuleNumber": 100, "Egress": false, "RuleAction": "allow", "Protocol": "-1", "CidrBlock": "0.0.0.0/0"});
        let deny_all = json!({"RuleNumber": 32767, "Egress": false, "RuleAction": "deny", "Protocol": "-1", "CidrBlock": "0.0.0.0/0"});
        testing::table(
            &NETWORKACL_ALL_TRAFFIC_FROM_WORLD,
            &[
                json!({"Entries": [allow_all, deny_all]}),
                json!({"Entries": [{"RuleNumber": 5, "Egress": false, "RuleAction": "allow", "Protocol": "-1", "Ipv6CidrBlock": "::/0"}], "Associations": []}),
                json!({"Entries": [{"RuleNumber": 50, "Egress": false, "RuleAction": "deny", "Protocol": "6", "CidrBlock": "0.0.0.0/0"}, allow_all]}),
            ],
            &[
                json!({}),
                json!({"Entries": [deny_all, {"RuleNumber": 100, "Egress": true, "RuleAction": "allow", "Protocol": "-1", "CidrBlock": "0.0.0.0/0"}]}),
                json!({"Entries": [{"RuleNumber": 50, "Egress": false, "RuleAction": "deny", "Protocol": "-1", "CidrBlock": "0.0.0.0/0"}, allow_all]}),
                json!({"Entries": [{"RuleNumber": 100, "Egress": false, "RuleAction": "allow", "Protocol": "-1", "CidrBlock": "10.0.0.0/8"}]}),
                json!({"Entries": [{"RuleNumber": 100, "Egress": false, "RuleAction": "allow", "Protocol": "6", "CidrBlock": "0.0.0.0/0"}]}),
            ],
        );
        let unused =
            testing::issues(&NETWORKACL_ALL_TRAFFIC_FROM_WORLD, json!({"Entries": [allow_all], "Associations": []}));
        assert_eq!(unused[0].score, 0);
        let used = testing::issues(
            &NETWORKACL_ALL_TRAFFIC_FROM_WORLD,
            json!({"Entries": [allow_all], "Associations": [{"SubnetId": "subnet-1"}]}),
        );
        assert_eq!(used[0].score, 3);
    }
}
