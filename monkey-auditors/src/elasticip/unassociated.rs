//! `elasticip-unassociated`: an Elastic IP address allocated but not associated with anything.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An Elastic IP address is not associated.
    pub static ELASTICIP_UNASSOCIATED = Check {
        id: "elasticip-unassociated",
        technology: "elasticip",
        title: "ElasticIpUnassociated",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An Elastic IP address with no `AssociationId`, `InstanceId` or `NetworkInterfaceId` (empty strings count as \
none): allocated, but pointing at nothing.\n\n\
## Why it matters\n\
An idle address is billed by the hour, and it is still trusted wherever it was whitelisted (partners' firewalls, \
DNS records): whoever it is attached to next inherits that trust. Releasing it hands it back to AWS, so clean up \
those references first.\n\n\
## Example\n\
`{\"PublicIp\": \"203.0.113.10\", \"AssociationId\": null, \"InstanceId\": null, \"NetworkInterfaceId\": \"\"}` gives \
`Association: [none]`.\n\n\
## How to fix\n\
Release the address (`aws ec2 release-address --allocation-id <id>`) after removing DNS records and whitelist \
entries naming it, or associate it with the resource it was reserved for.\n\n\
## References\n\
- Security Hub EC2.12; Prowler `ec2_elastic_ip_unassigned`.\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html\n",
    };
}

/// Flags an address associated with nothing.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    let associated = ["AssociationId", "InstanceId", "NetworkInterfaceId"]
        .iter()
        .any(|key| config.get(key).and_then(Value::as_str).is_some_and(|v| !v.is_empty()));
    if associated || !config.is_object() {
        return Vec::new();
    }
    let message = "The Elastic IP address is not associated with any instance or network interface";
    vec![Finding::new(&ELASTICIP_UNASSOCIATED, message, "Association: [none]")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &ELASTICIP_UNASSOCIATED,
            &[
                json!({"PublicIp": "203.0.113.10", "AssociationId": null, "InstanceId": null, "NetworkInterfaceId": ""}),
                json!({"PublicIp": "203.0.113.10"}),
            ],
            &[
                json!({"AssociationId": "eipassoc-1"}),
                json!({"InstanceId": "i-1"}),
                json!({"AssociationId": null, "NetworkInterfaceId": "eni-1"}),
                json!(null),
                json!("203.0.113.10"),
            ],
        );
    }
}
