//! `subnet`: every subnet with its address ranges and whether it hands out public addresses.
//!
//! Calls per region: DescribeSubnets (paginated); nothing per subnet. Whether a subnet routes
//! to the internet is the `routetable` item's business (its associations), not repeated here.
//! Ephemeral: `AvailableIpAddressCount` (a usage figure), `State` and the IPv6 association
//! states (pending while AWS applies them).

use super::Collector;
use super::shape::{arn, stable_by, tagged_name, tags};
use crate::aws::describe;
use crate::aws::regional::item_failure;
use async_trait::async_trait;
use aws_sdk_ec2::types::Subnet;
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `subnet` technology.
#[derive(Debug)]
pub struct Subnets;

#[async_trait]
impl Collector for Subnets {
    const TECHNOLOGY: &'static str = "subnet";
    const EPHEMERAL_PATHS: &'static [&'static str] =
        &["AvailableIpAddressCount", "State", "Ipv6CidrBlockAssociationSet.*.Ipv6CidrBlockState"];

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let subnets: Vec<Subnet> = client
            .describe_subnets()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeSubnets in {region} failed: {}", describe(&e)))?;
        Ok(shape(region, account, &subnets))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("SubnetId").and_then(Value::as_str)
    }
}

/// The items of one region.
fn shape(region: &str, account: &AccountNumber, subnets: &[Subnet]) -> Slurp {
    let mut slurp = Slurp::default();
    for subnet in subnets {
        let Some(id) = subnet.subnet_id().filter(|id| !id.is_empty()) else {
            slurp.failures.push(item_failure(region, "<unnamed subnet>", "a subnet without a SubnetId"));
            continue;
        };
        // AWS gives the ARN; built the documented way when an older answer lacks it.
        let arn = subnet.subnet_arn().map_or_else(
            || arn(region, subnet.owner_id().unwrap_or(account.as_str()), &format!("subnet/{id}")),
            str::to_owned,
        );
        let config = json!({
            "SubnetId": id,
            "SubnetArn": arn,
            "OwnerId": subnet.owner_id(),
            "VpcId": subnet.vpc_id(),
            "State": subnet.state().map(|s| s.as_str()),
            "CidrBlock": subnet.cidr_block(),
            "Ipv6CidrBlockAssociationSet": stable_by(subnet.ipv6_cidr_block_association_set().iter().map(|a| json!({
                "AssociationId": a.association_id(),
                "Ipv6CidrBlock": a.ipv6_cidr_block(),
                "Ipv6CidrBlockState": a.ipv6_cidr_block_state().map(|s| json!({"State": s.state().map(|s| s.as_str()), "StatusMessage": s.status_message()})),
            })).collect(), "AssociationId"),
            "Ipv6Native": subnet.ipv6_native(),
            "AvailabilityZone": subnet.availability_zone(),
            "AvailabilityZoneId": subnet.availability_zone_id(),
            "DefaultForAz": subnet.default_for_az(),
            "MapPublicIpOnLaunch": subnet.map_public_ip_on_launch(),
            "AssignIpv6AddressOnCreation": subnet.assign_ipv6_address_on_creation(),
            "MapCustomerOwnedIpOnLaunch": subnet.map_customer_owned_ip_on_launch(),
            "EnableDns64": subnet.enable_dns64(),
            "OutpostArn": subnet.outpost_arn(),
            "BlockPublicAccessStates": subnet.block_public_access_states().map(|b| json!({
                "InternetGatewayBlockMode": b.internet_gateway_block_mode().map(|m| m.as_str()),
            })),
            "AvailableIpAddressCount": subnet.available_ip_address_count(),
            "Tags": tags(subnet.tags()),
        });
        slurp.items.push(SlurpedItem {
            region: region.to_owned(),
            name: tagged_name(subnet.tags(), id),
            arn: Some(arn),
            config,
        });
    }
    slurp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arn_is_built_when_aws_gives_none() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let subnets = [
            Subnet::builder().subnet_id("subnet-1").subnet_arn("arn:aws:ec2:us-east-1:1:subnet/subnet-1").build(),
            Subnet::builder().subnet_id("subnet-2").map_public_ip_on_launch(true).build(),
        ];
        let slurp = shape("us-east-1", &account, &subnets);
        assert_eq!(slurp.items[0].arn.as_deref(), Some("arn:aws:ec2:us-east-1:1:subnet/subnet-1"));
        assert_eq!(slurp.items[1].arn.as_deref(), Some("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-2"));
        assert_eq!(slurp.items[1].config["MapPublicIpOnLaunch"], true);
    }
}
