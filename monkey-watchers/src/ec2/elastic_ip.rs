//! `elasticip`: every Elastic IP address and what it points at.
//!
//! Calls per region: DescribeAddresses (one call: AWS does not paginate it). Named
//! `"<Name tag> (<public IP>)"` or the public IP; the ignore list also sees the bare IP, as in
//! Security Monkey. What the address is associated with stays durable, unlike Security
//! Monkey's (unhonoured) declaration: moving a public address to another instance changes
//! what the internet reaches. No ephemeral paths.

use super::Collector;
use super::shape::{arn, tagged_name, tags};
use crate::aws::describe;
use crate::aws::regional::item_failure;
use async_trait::async_trait;
use aws_sdk_ec2::types::Address;
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `elasticip` technology.
#[derive(Debug)]
pub struct ElasticIps;

#[async_trait]
impl Collector for ElasticIps {
    const TECHNOLOGY: &'static str = "elasticip";

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let answer = client
            .describe_addresses()
            .send()
            .await
            .map_err(|e| format!("DescribeAddresses in {region} failed: {}", describe(&e)))?;
        Ok(shape(region, account, answer.addresses()))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("PublicIp").and_then(Value::as_str)
    }
}

/// The items of one region.
fn shape(region: &str, account: &AccountNumber, addresses: &[Address]) -> Slurp {
    let mut slurp = Slurp::default();
    for address in addresses {
        let Some(ip) = address.public_ip().filter(|ip| !ip.is_empty()) else {
            let id = address.allocation_id().unwrap_or("<unknown>");
            slurp.failures.push(item_failure(region, id, "an address without a PublicIp"));
            continue;
        };
        // EC2-Classic addresses have no allocation id, and so no ARN.
        let arn = address.allocation_id().map(|id| arn(region, account.as_str(), &format!("elastic-ip/{id}")));
        let config = json!({
            "PublicIp": ip,
            "AllocationId": address.allocation_id(),
            "Arn": arn,
            "Domain": address.domain().map(|d| d.as_str()),
            "AssociationId": address.association_id(),
            "InstanceId": address.instance_id().filter(|i| !i.is_empty()),
            "NetworkInterfaceId": address.network_interface_id(),
            "NetworkInterfaceOwnerId": address.network_interface_owner_id(),
            "PrivateIpAddress": address.private_ip_address(),
            "PublicIpv4Pool": address.public_ipv4_pool(),
            "NetworkBorderGroup": address.network_border_group(),
            "CustomerOwnedIp": address.customer_owned_ip(),
            "CarrierIp": address.carrier_ip(),
            "ServiceManaged": address.service_managed().map(|s| s.as_str()),
            "Tags": tags(address.tags()),
        });
        slurp.items.push(SlurpedItem { region: region.to_owned(), name: tagged_name(address.tags(), ip), arn, config });
    }
    slurp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_by_public_ip() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let addresses = [
            Address::builder().public_ip("203.0.113.7").allocation_id("eipalloc-1").instance_id("i-1").build(),
            Address::builder().public_ip("203.0.113.8").build(),
        ];
        let slurp = shape("us-east-1", &account, &addresses);
        assert_eq!(slurp.items[0].name, "203.0.113.7");
        assert_eq!(slurp.items[0].arn.as_deref(), Some("arn:aws:ec2:us-east-1:123456789012:elastic-ip/eipalloc-1"));
        assert_eq!(slurp.items[0].config["InstanceId"], "i-1");
        assert_eq!(slurp.items[1].arn, None);
    }
}
