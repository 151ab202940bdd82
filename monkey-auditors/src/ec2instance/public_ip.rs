//! `ec2instance-public-ip`: an instance with a public IPv4 address.

use super::public_ipv4;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An instance has a public IPv4 address.
    pub static EC2INSTANCE_PUBLIC_IP = Check {
        id: "ec2instance-public-ip",
        technology: "ec2instance",
        title: "Ec2InstancePublicIp",
        category: Category::InsecureConfiguration,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An instance with a public IPv4 address: `PublicIpAddress`, or a public address associated with one of its network \
interfaces (an auto-assigned address or an Elastic IP). One issue per instance; the address is in the message, not \
the notes, because an instance's auto-assigned address changes at every stop and start.\n\n\
## Why it matters\n\
A public address makes the instance routable from the internet: its security groups are then the only thing \
between it and every scanner. `ec2instance-internet-accessible` reports which ports those groups actually open.\n\n\
## Example\n\
`{\"PublicIpAddress\": \"54.214.131.224\"}` gives the notes `Public IPv4 address`.\n\n\
## How to fix\n\
Put the instance in a private subnet behind a load balancer or NAT gateway, reach it through Session Manager, and \
turn off `MapPublicIpOnLaunch` on its subnet. Justify the issue for instances that must be public.\n\n\
## References\n\
- Security Hub EC2.9; Prowler `ec2_instance_public_ip`; ScoutSuite `ec2-instance-with-public-ip`.\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html\n",
    };
}

/// Flags an instance with a public IPv4 address.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    match public_ipv4(config) {
        Some(address) => {
            let message = format!("Instance has the public IPv4 address {address}");
            vec![Finding::new(&EC2INSTANCE_PUBLIC_IP, message, "Public IPv4 address")]
        }
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EC2INSTANCE_PUBLIC_IP,
            &[
                json!({"PublicIpAddress": "54.1.1.1"}),
                json!({"NetworkInterfaces": [{"Association": {"PublicIp": "54.1.1.1"}}]}),
                json!({"NetworkInterfaces": [{"PrivateIpAddresses": [{"Association": null}, {"Association": {"PublicIp": "3.3.3.3"}}]}]}),
            ],
            &[
                json!({}),
                json!(null),
                json!({"PublicIpAddress": null, "Ipv6Address": "2600::1"}),
                json!({"PublicIpAddress": ""}),
                json!({"PublicIpAddress": 5}),
                json!({"NetworkInterfaces": [{"Association": {"PublicIp": null}}]}),
            ],
        );
        let found = testing::issues(&EC2INSTANCE_PUBLIC_IP, json!({"PublicIpAddress": "54.1.1.1"}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("Public IPv4 address", 5));
        assert!(found[0].message.contains("54.1.1.1"));
    }
}
