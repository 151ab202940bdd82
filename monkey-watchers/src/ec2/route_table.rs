//! `routetable`: every route table with its routes and the subnets and gateways it serves.
//!
//! Calls per region: DescribeRouteTables (paginated); nothing per table. A route's `State`
//! stays durable: `blackhole` means its target is gone, and a new resource could take the
//! traffic. No ephemeral paths: association states are left out (they only pass through
//! "associating" on the way to the association that is itself the durable change).

use super::Collector;
use super::shape::{arn, stable_by, tagged_name, tags};
use crate::aws::describe;
use crate::aws::regional::{item_failure, stable};
use async_trait::async_trait;
use aws_sdk_ec2::types::{Route, RouteTable};
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `routetable` technology.
#[derive(Debug)]
pub struct RouteTables;

#[async_trait]
impl Collector for RouteTables {
    const TECHNOLOGY: &'static str = "routetable";

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let tables: Vec<RouteTable> = client
            .describe_route_tables()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeRouteTables in {region} failed: {}", describe(&e)))?;
        Ok(shape(region, account, &tables))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("RouteTableId").and_then(Value::as_str)
    }
}

/// The items of one region.
fn shape(region: &str, account: &AccountNumber, tables: &[RouteTable]) -> Slurp {
    let mut slurp = Slurp::default();
    for table in tables {
        let Some(id) = table.route_table_id().filter(|id| !id.is_empty()) else {
            slurp.failures.push(item_failure(region, "<unnamed route table>", "a route table without a RouteTableId"));
            continue;
        };
        let arn = arn(region, table.owner_id().unwrap_or(account.as_str()), &format!("route-table/{id}"));
        let config = json!({
            "RouteTableId": id,
            "Arn": arn,
            "OwnerId": table.owner_id(),
            "VpcId": table.vpc_id(),
            "Routes": stable(table.routes().iter().map(route).collect()),
            "Associations": stable_by(table.associations().iter().map(|a| json!({
                "RouteTableAssociationId": a.route_table_association_id(),
                "Main": a.main(),
                "SubnetId": a.subnet_id(),
                "GatewayId": a.gateway_id(),
            })).collect(), "RouteTableAssociationId"),
            "PropagatingVgws": stable(table.propagating_vgws().iter().map(|v| json!({"GatewayId": v.gateway_id()})).collect()),
            "Tags": tags(table.tags()),
        });
        slurp.items.push(SlurpedItem {
            region: region.to_owned(),
            name: tagged_name(table.tags(), id),
            arn: Some(arn),
            config,
        });
    }
    slurp
}

/// One route: where to and through what.
fn route(route: &Route) -> Value {
    json!({
        "DestinationCidrBlock": route.destination_cidr_block(),
        "DestinationIpv6CidrBlock": route.destination_ipv6_cidr_block(),
        "DestinationPrefixListId": route.destination_prefix_list_id(),
        "GatewayId": route.gateway_id(),
        "EgressOnlyInternetGatewayId": route.egress_only_internet_gateway_id(),
        "NatGatewayId": route.nat_gateway_id(),
        "TransitGatewayId": route.transit_gateway_id(),
        "LocalGatewayId": route.local_gateway_id(),
        "CarrierGatewayId": route.carrier_gateway_id(),
        "InstanceId": route.instance_id(),
        "InstanceOwnerId": route.instance_owner_id(),
        "NetworkInterfaceId": route.network_interface_id(),
        "VpcPeeringConnectionId": route.vpc_peering_connection_id(),
        "CoreNetworkArn": route.core_network_arn(),
        "Origin": route.origin().map(|o| o.as_str()),
        "State": route.state().map(|s| s.as_str()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::RouteTableAssociation;

    #[test]
    fn routes_and_associations_are_sorted() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let table = RouteTable::builder()
            .route_table_id("rtb-1")
            .routes(Route::builder().destination_cidr_block("10.0.0.0/16").gateway_id("local").build())
            .routes(Route::builder().destination_cidr_block("0.0.0.0/0").gateway_id("igw-1").build())
            .associations(RouteTableAssociation::builder().route_table_association_id("rtbassoc-2").build())
            .associations(RouteTableAssociation::builder().route_table_association_id("rtbassoc-1").main(true).build())
            .build();
        let slurp = shape("us-east-1", &account, &[table]);
        let config = &slurp.items[0].config;
        assert_eq!(slurp.items[0].arn.as_deref(), Some("arn:aws:ec2:us-east-1:123456789012:route-table/rtb-1"));
        assert_eq!(config["Routes"][0]["DestinationCidrBlock"], "0.0.0.0/0");
        assert_eq!(config["Associations"][0]["RouteTableAssociationId"], "rtbassoc-1");
    }
}
