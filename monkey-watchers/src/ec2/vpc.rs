//! `vpc`: every VPC with its address ranges, DNS attributes, internet gateways and flow logs.
//!
//! Calls per region: DescribeVpcs, DescribeInternetGateways and DescribeFlowLogs (all
//! paginated); per VPC two DescribeVpcAttribute calls (`enableDnsSupport`,
//! `enableDnsHostnames`), a few VPCs at a time. A failing attribute call is a failure scoped
//! to that VPC, which is still emitted with the attribute null.
//!
//! Added for auditors: `InternetGateways` (whether the VPC reaches the internet) and
//! `FlowLogs` (the flow logs on the VPC itself, with their status: Security Monkey's VPC
//! check "Flow Logs not enabled for VPC" reads them). Ephemeral: the VPC's `State` and the
//! state of each CIDR association (pending while AWS applies them).

use super::Collector;
use super::shape::{arn, per_item, stable_by, tagged_name, tags};
use crate::aws::describe;
use crate::aws::regional::{item_failure, stable};
use async_trait::async_trait;
use aws_sdk_ec2::types::{FlowLog, InternetGateway, Vpc, VpcAttributeName};
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The `vpc` technology.
#[derive(Debug)]
pub struct Vpcs;

/// A VPC's DNS attributes, as DescribeVpcAttribute answered them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct DnsAttributes {
    /// `enableDnsSupport`.
    support: Option<bool>,
    /// `enableDnsHostnames`.
    hostnames: Option<bool>,
}

#[async_trait]
impl Collector for Vpcs {
    const TECHNOLOGY: &'static str = "vpc";
    const EPHEMERAL_PATHS: &'static [&'static str] =
        &["State", "CidrBlockAssociationSet.*.CidrBlockState", "Ipv6CidrBlockAssociationSet.*.Ipv6CidrBlockState"];

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let vpcs: Vec<Vpc> = client
            .describe_vpcs()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeVpcs in {region} failed: {}", describe(&e)))?;
        let gateways: Vec<InternetGateway> = client
            .describe_internet_gateways()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeInternetGateways in {region} failed: {}", describe(&e)))?;
        let flow_logs: Vec<FlowLog> = client
            .describe_flow_logs()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeFlowLogs in {region} failed: {}", describe(&e)))?;
        let ids = vpcs.iter().map(|v| v.vpc_id().unwrap_or_default().to_owned()).collect();
        let attributes = per_item(ids, |id| {
            let client = client.clone();
            async move {
                // A VPC without an id is reported by the shaping; asking AWS about it is useless.
                if id.is_empty() {
                    return Ok(DnsAttributes::default());
                }
                let attribute =
                    |name: VpcAttributeName| client.describe_vpc_attribute().vpc_id(&id).attribute(name).send();
                let support = attribute(VpcAttributeName::EnableDnsSupport)
                    .await
                    .map_err(|e| format!("DescribeVpcAttribute (enableDnsSupport) failed: {}", describe(&e)))?;
                let hostnames = attribute(VpcAttributeName::EnableDnsHostnames)
                    .await
                    .map_err(|e| format!("DescribeVpcAttribute (enableDnsHostnames) failed: {}", describe(&e)))?;
                Ok(DnsAttributes {
                    support: support.enable_dns_support().and_then(|v| v.value()),
                    hostnames: hostnames.enable_dns_hostnames().and_then(|v| v.value()),
                })
            }
        })
        .await;
        Ok(shape(region, account, &vpcs, &gateways, &flow_logs, attributes))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("VpcId").and_then(Value::as_str)
    }
}

/// The items of one region.
fn shape(
    region: &str,
    account: &AccountNumber,
    vpcs: &[Vpc],
    gateways: &[InternetGateway],
    flow_logs: &[FlowLog],
    attributes: Vec<Result<DnsAttributes, String>>,
) -> Slurp {
    let mut gateways_of: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for gateway in gateways {
        for attachment in gateway.attachments() {
            if let Some(vpc) = attachment.vpc_id() {
                gateways_of.entry(vpc).or_default().push(json!({
                    "InternetGatewayId": gateway.internet_gateway_id(),
                    "OwnerId": gateway.owner_id(),
                    "State": attachment.state().map(|s| s.as_str()),
                }));
            }
        }
    }
    let mut flow_logs_of: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for flow_log in flow_logs {
        if let Some(resource) = flow_log.resource_id() {
            flow_logs_of.entry(resource).or_default().push(json!({
                "FlowLogId": flow_log.flow_log_id(),
                "FlowLogStatus": flow_log.flow_log_status(),
                "TrafficType": flow_log.traffic_type().map(|t| t.as_str()),
                "LogDestinationType": flow_log.log_destination_type().map(|t| t.as_str()),
                "LogDestination": flow_log.log_destination(),
                "LogGroupName": flow_log.log_group_name(),
            }));
        }
    }
    let mut slurp = Slurp::default();
    for (vpc, attributes) in vpcs.iter().zip(attributes) {
        let Some(id) = vpc.vpc_id().filter(|id| !id.is_empty()) else {
            slurp.failures.push(item_failure(region, "<unnamed vpc>", "a VPC without a VpcId"));
            continue;
        };
        let name = tagged_name(vpc.tags(), id);
        let attributes = attributes.unwrap_or_else(|message| {
            slurp.failures.push(item_failure(region, &name, format!("{id}: {message}")));
            DnsAttributes::default()
        });
        // A VPC shared with this account through RAM belongs to its owner, as does its ARN.
        let owner = vpc.owner_id().unwrap_or(account.as_str());
        let arn = arn(region, owner, &format!("vpc/{id}"));
        let config = json!({
            "VpcId": id,
            "Arn": arn,
            "OwnerId": vpc.owner_id(),
            "IsDefault": vpc.is_default(),
            "State": vpc.state().map(|s| s.as_str()),
            "CidrBlock": vpc.cidr_block(),
            "CidrBlockAssociationSet": stable_by(vpc.cidr_block_association_set().iter().map(|a| json!({
                "AssociationId": a.association_id(),
                "CidrBlock": a.cidr_block(),
                "CidrBlockState": a.cidr_block_state().map(|s| json!({"State": s.state().map(|s| s.as_str()), "StatusMessage": s.status_message()})),
            })).collect(), "AssociationId"),
            "Ipv6CidrBlockAssociationSet": stable_by(vpc.ipv6_cidr_block_association_set().iter().map(|a| json!({
                "AssociationId": a.association_id(),
                "Ipv6CidrBlock": a.ipv6_cidr_block(),
                "Ipv6Pool": a.ipv6_pool(),
                "NetworkBorderGroup": a.network_border_group(),
                "Ipv6CidrBlockState": a.ipv6_cidr_block_state().map(|s| json!({"State": s.state().map(|s| s.as_str()), "StatusMessage": s.status_message()})),
            })).collect(), "AssociationId"),
            "DhcpOptionsId": vpc.dhcp_options_id(),
            "InstanceTenancy": vpc.instance_tenancy().map(|t| t.as_str()),
            "BlockPublicAccessStates": vpc.block_public_access_states().map(|b| json!({
                "InternetGatewayBlockMode": b.internet_gateway_block_mode().map(|m| m.as_str()),
            })),
            "EnableDnsSupport": attributes.support,
            "EnableDnsHostnames": attributes.hostnames,
            "InternetGateways": stable(gateways_of.remove(id).unwrap_or_default()),
            "FlowLogs": stable(flow_logs_of.remove(id).unwrap_or_default()),
            "Tags": tags(vpc.tags()),
        });
        slurp.items.push(SlurpedItem { region: region.to_owned(), name, arn: Some(arn), config });
    }
    slurp
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{InternetGatewayAttachment, Tag};

    #[test]
    fn gateways_and_flow_logs_land_on_their_vpc() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let vpcs = [
            Vpc::builder().vpc_id("vpc-1").tags(Tag::builder().key("Name").value("prod").build()).build(),
            Vpc::builder().vpc_id("vpc-2").owner_id("210987654321").build(),
        ];
        let gateways = [InternetGateway::builder()
            .internet_gateway_id("igw-1")
            .attachments(InternetGatewayAttachment::builder().vpc_id("vpc-1").build())
            .build()];
        let flow_logs = [
            FlowLog::builder().flow_log_id("fl-1").resource_id("vpc-2").flow_log_status("ACTIVE").build(),
            FlowLog::builder().flow_log_id("fl-2").resource_id("subnet-1").build(),
        ];
        let attributes = vec![Ok(DnsAttributes { support: Some(true), hostnames: Some(false) }), Err("denied".into())];
        let slurp = shape("us-east-1", &account, &vpcs, &gateways, &flow_logs, attributes);
        let (prod, shared) = (&slurp.items[0], &slurp.items[1]);
        assert_eq!(prod.name, "prod (vpc-1)");
        assert_eq!(prod.config["InternetGateways"][0]["InternetGatewayId"], "igw-1");
        assert_eq!(prod.config["FlowLogs"], json!([]));
        assert_eq!(prod.config["EnableDnsHostnames"], false);
        assert_eq!(shared.arn.as_deref(), Some("arn:aws:ec2:us-east-1:210987654321:vpc/vpc-2"));
        assert_eq!(shared.config["FlowLogs"][0]["FlowLogId"], "fl-1");
        assert_eq!(shared.config["EnableDnsSupport"], Value::Null);
        assert_eq!(slurp.failures, vec![item_failure("us-east-1", "vpc-2", "vpc-2: denied")]);
    }
}
