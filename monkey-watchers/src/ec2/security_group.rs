//! `securitygroup`: every security group with its rules and what uses it.
//!
//! Calls per region: DescribeSecurityGroups and DescribeNetworkInterfaces (paginated). The
//! config keeps AWS's field names; `assigned_to` lists the network interfaces (and their
//! instances) using the group and is ephemeral, since attachments come and go.

use super::Collector;
use crate::aws::describe;
use crate::aws::regional::{item_failure, stable};
use async_trait::async_trait;
use aws_sdk_ec2::types::{IpPermission, SecurityGroup, Tag};
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The `securitygroup` technology.
#[derive(Debug)]
pub struct SecurityGroups;

#[async_trait]
impl Collector for SecurityGroups {
    const TECHNOLOGY: &'static str = "securitygroup";
    const EPHEMERAL_PATHS: &'static [&'static str] = &["assigned_to"];

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, _account: &AccountNumber) -> Result<Slurp, String> {
        collect(client, region).await
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("GroupName").and_then(Value::as_str)
    }
}

/// Every security group of one region.
async fn collect(client: &aws_sdk_ec2::Client, region: &str) -> Result<Slurp, String> {
    let groups: Vec<SecurityGroup> = client
        .describe_security_groups()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|e| format!("DescribeSecurityGroups in {region} failed: {}", describe(&e)))?;
    let interfaces: Vec<_> = client
        .describe_network_interfaces()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|e| format!("DescribeNetworkInterfaces in {region} failed: {}", describe(&e)))?;
    let mut assigned: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for interface in &interfaces {
        let user = json!({
            "NetworkInterfaceId": interface.network_interface_id(),
            "InstanceId": interface.attachment().and_then(|a| a.instance_id()),
            "InterfaceType": interface.interface_type().map(|t| t.as_str()),
            "Description": interface.description(),
            "RequesterId": interface.requester_id(),
        });
        for group in interface.groups() {
            if let Some(id) = group.group_id() {
                assigned.entry(id).or_default().push(user.clone());
            }
        }
    }
    let mut slurp = Slurp::default();
    for group in &groups {
        let Some(id) = group.group_id() else {
            slurp.failures.push(item_failure(
                region,
                group.group_name().unwrap_or("<unnamed>"),
                "a security group without a GroupId",
            ));
            continue;
        };
        let group_name = group.group_name().unwrap_or(id);
        let name = match group.vpc_id() {
            Some(vpc) => format!("{group_name} ({id} in {vpc})"),
            None => format!("{group_name} ({id})"),
        };
        let arn = group.security_group_arn().map(str::to_owned).unwrap_or_else(|| {
            format!("arn:aws:ec2:{region}:{}:security-group/{id}", group.owner_id().unwrap_or_default())
        });
        let config = json!({
            "GroupId": id,
            "GroupName": group.group_name(),
            "Description": group.description(),
            "OwnerId": group.owner_id(),
            "VpcId": group.vpc_id(),
            "SecurityGroupArn": arn,
            "IpPermissions": permissions(group.ip_permissions()),
            "IpPermissionsEgress": permissions(group.ip_permissions_egress()),
            "Tags": tags(group.tags()),
            "assigned_to": stable(assigned.remove(id).unwrap_or_default()),
        });
        slurp.items.push(SlurpedItem { region: region.to_owned(), name, arn: Some(arn), config });
    }
    Ok(slurp)
}

/// Rules in AWS's shape, every list in a stable order.
fn permissions(rules: &[IpPermission]) -> Vec<Value> {
    stable(
        rules
            .iter()
            .map(|rule| {
                json!({
                    "IpProtocol": rule.ip_protocol(),
                    "FromPort": rule.from_port(),
                    "ToPort": rule.to_port(),
                    "IpRanges": stable(rule.ip_ranges().iter().map(|r| json!({"CidrIp": r.cidr_ip(), "Description": r.description()})).collect()),
                    "Ipv6Ranges": stable(rule.ipv6_ranges().iter().map(|r| json!({"CidrIpv6": r.cidr_ipv6(), "Description": r.description()})).collect()),
                    "PrefixListIds": stable(rule.prefix_list_ids().iter().map(|p| json!({"PrefixListId": p.prefix_list_id(), "Description": p.description()})).collect()),
                    "UserIdGroupPairs": stable(rule.user_id_group_pairs().iter().map(|p| json!({
                        "GroupId": p.group_id(),
                        "GroupName": p.group_name(),
                        "UserId": p.user_id(),
                        "VpcId": p.vpc_id(),
                        "VpcPeeringConnectionId": p.vpc_peering_connection_id(),
                        "PeeringStatus": p.peering_status(),
                        "Description": p.description(),
                    })).collect()),
                })
            })
            .collect(),
    )
}

/// Tags as AWS lists them, sorted by key.
fn tags(tags: &[Tag]) -> Vec<Value> {
    stable(tags.iter().map(|t| json!({"Key": t.key(), "Value": t.value()})).collect())
}
