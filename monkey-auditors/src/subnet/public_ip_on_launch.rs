//! `subnet-public-ip-on-launch`: a subnet that gives every new instance a public IPv4 address.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// A subnet assigns public IPv4 addresses on launch.
    pub static SUBNET_PUBLIC_IP_ON_LAUNCH = Check {
        id: "subnet-public-ip-on-launch",
        technology: "subnet",
        title: "SubnetPublicIpOnLaunch",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A subnet whose `MapPublicIpOnLaunch` is `true`, including the default subnets of a default VPC (AWS creates them \
that way).\n\n\
## Why it matters\n\
Every instance launched there gets a public address unless its launcher opts out, so a private workload becomes \
routable from the internet by accident and only its security groups protect it.\n\n\
## Example\n\
`{\"SubnetId\": \"subnet-1\", \"MapPublicIpOnLaunch\": true}` gives `MapPublicIpOnLaunch: [true]`.\n\n\
## How to fix\n\
`aws ec2 modify-subnet-attribute --subnet-id <id> --no-map-public-ip-on-launch`, and ask for public addresses \
explicitly where they are needed (or use Elastic IPs and load balancers).\n\n\
## References\n\
- Security Hub EC2.15; Prowler `vpc_subnet_no_public_ip_by_default`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html\n",
    };
}

/// Flags a subnet that maps public IPv4 addresses on launch.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    if config.get("MapPublicIpOnLaunch").and_then(Value::as_bool) != Some(true) {
        return Vec::new();
    }
    let message = "The subnet gives every new instance a public IPv4 address";
    vec![Finding::new(&SUBNET_PUBLIC_IP_ON_LAUNCH, message, "MapPublicIpOnLaunch: [true]")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &SUBNET_PUBLIC_IP_ON_LAUNCH,
            &[json!({"MapPublicIpOnLaunch": true}), json!({"MapPublicIpOnLaunch": true, "DefaultForAz": true})],
            &[json!({}), json!({"MapPublicIpOnLaunch": false}), json!({"MapPublicIpOnLaunch": "true"}), json!([])],
        );
    }
}
