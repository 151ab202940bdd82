//! `ec2instance-multiple-network-interfaces`: an instance attached to more than one network
//! interface.

use super::{list, text};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An instance has more than one network interface.
    pub static EC2INSTANCE_MULTIPLE_NETWORK_INTERFACES = Check {
        id: "ec2instance-multiple-network-interfaces",
        technology: "ec2instance",
        title: "Ec2InstanceMultipleNetworkInterfaces",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An instance with more than one entry in `NetworkInterfaces`. The notes list the interface ids, sorted.\n\n\
## Why it matters\n\
Each interface can sit in another subnet with other security groups, so one instance bridges networks that were \
meant to be apart, and its exposure is harder to reason about. Appliances (firewalls, NAT instances) need it; most \
workloads do not.\n\n\
## Example\n\
`{\"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-1\"}, {\"NetworkInterfaceId\": \"eni-2\"}]}` gives \
`Network interfaces: [eni-1, eni-2]`.\n\n\
## How to fix\n\
Detach the secondary interfaces the workload does not need, or justify the issue for network appliances.\n\n\
## References\n\
- Security Hub EC2.17; Prowler `ec2_instance_uses_single_eni`.\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html\n",
    };
}

/// Flags an instance with several network interfaces.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    let count = list(config, "NetworkInterfaces").count();
    if count < 2 {
        return Vec::new();
    }
    let mut ids: Vec<&str> = list(config, "NetworkInterfaces").filter_map(|i| text(i, "NetworkInterfaceId")).collect();
    ids.sort_unstable();
    let message = format!("Instance has {count} network interfaces");
    let notes = format!("Network interfaces: [{}]", ids.join(", "));
    vec![Finding::new(&EC2INSTANCE_MULTIPLE_NETWORK_INTERFACES, message, notes)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EC2INSTANCE_MULTIPLE_NETWORK_INTERFACES,
            &[
                json!({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-2"}, {"NetworkInterfaceId": "eni-1"}]}),
                json!({"NetworkInterfaces": [{}, {}, {}]}),
            ],
            &[
                json!({}),
                json!({"NetworkInterfaces": []}),
                json!({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1"}]}),
                json!({"NetworkInterfaces": {"a": 1, "b": 2}}),
            ],
        );
        assert_eq!(
            testing::notes(
                &EC2INSTANCE_MULTIPLE_NETWORK_INTERFACES,
                json!({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-2"}, {"NetworkInterfaceId": "eni-1"}]})
            ),
            vec!["Network interfaces: [eni-1, eni-2]".to_owned()]
        );
    }
}
