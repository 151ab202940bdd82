//! `networkacl`: every network ACL with its rules and the subnets it guards.
//!
//! Calls per region: DescribeNetworkAcls (paginated); nothing per ACL. `Entries` are in the
//! order AWS evaluates them (egress flag, then rule number, which together are unique in an
//! ACL): as stable as a sort by text, and readable. No ephemeral paths: nothing in an ACL
//! changes without meaning.

use super::Collector;
use super::shape::{arn, stable_by, tagged_name, tags};
use crate::aws::describe;
use crate::aws::regional::item_failure;
use async_trait::async_trait;
use aws_sdk_ec2::types::{NetworkAcl, NetworkAclEntry};
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `networkacl` technology.
#[derive(Debug)]
pub struct NetworkAcls;

#[async_trait]
impl Collector for NetworkAcls {
    const TECHNOLOGY: &'static str = "networkacl";

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let acls: Vec<NetworkAcl> = client
            .describe_network_acls()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeNetworkAcls in {region} failed: {}", describe(&e)))?;
        Ok(shape(region, account, &acls))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("NetworkAclId").and_then(Value::as_str)
    }
}

/// The items of one region.
fn shape(region: &str, account: &AccountNumber, acls: &[NetworkAcl]) -> Slurp {
    let mut slurp = Slurp::default();
    for acl in acls {
        let Some(id) = acl.network_acl_id().filter(|id| !id.is_empty()) else {
            slurp.failures.push(item_failure(region, "<unnamed network acl>", "a network ACL without a NetworkAclId"));
            continue;
        };
        let arn = arn(region, acl.owner_id().unwrap_or(account.as_str()), &format!("network-acl/{id}"));
        let mut entries: Vec<&NetworkAclEntry> = acl.entries().iter().collect();
        // Ties (never seen from AWS) fall back to the text so the order stays total.
        entries.sort_by_cached_key(|e| (e.egress(), e.rule_number(), format!("{e:?}")));
        let config = json!({
            "NetworkAclId": id,
            "Arn": arn,
            "OwnerId": acl.owner_id(),
            "VpcId": acl.vpc_id(),
            "IsDefault": acl.is_default(),
            "Entries": entries.into_iter().map(entry).collect::<Vec<_>>(),
            "Associations": stable_by(acl.associations().iter().map(|a| json!({
                "NetworkAclAssociationId": a.network_acl_association_id(),
                "SubnetId": a.subnet_id(),
            })).collect(), "SubnetId"),
            "Tags": tags(acl.tags()),
        });
        slurp.items.push(SlurpedItem {
            region: region.to_owned(),
            name: tagged_name(acl.tags(), id),
            arn: Some(arn),
            config,
        });
    }
    slurp
}

/// One rule in AWS's shape.
fn entry(entry: &NetworkAclEntry) -> Value {
    json!({
        "RuleNumber": entry.rule_number(),
        "Egress": entry.egress(),
        "RuleAction": entry.rule_action().map(|a| a.as_str()),
        "Protocol": entry.protocol(),
        "CidrBlock": entry.cidr_block(),
        "Ipv6CidrBlock": entry.ipv6_cidr_block(),
        "PortRange": entry.port_range().map(|p| json!({"From": p.from(), "To": p.to()})),
        "IcmpTypeCode": entry.icmp_type_code().map(|i| json!({"Type": i.r#type(), "Code": i.code()})),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::RuleAction;

    #[test]
    fn entries_follow_the_evaluation_order() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let rule = |number: i32, egress: bool| {
            NetworkAclEntry::builder().rule_number(number).egress(egress).rule_action(RuleAction::Allow).build()
        };
        let acl = NetworkAcl::builder()
            .network_acl_id("acl-1")
            .entries(rule(32767, false))
            .entries(rule(100, true))
            .entries(rule(100, false))
            .build();
        let slurp = shape("us-east-1", &account, &[acl]);
        let numbers: Vec<(Value, Value)> = slurp.items[0].config["Entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| (e["Egress"].clone(), e["RuleNumber"].clone()))
            .collect();
        assert_eq!(numbers, vec![(json!(false), json!(100)), (json!(false), json!(32767)), (json!(true), json!(100))]);
    }
}
