//! `flowlog`: every VPC flow log (on a VPC, subnet or network interface) and where it delivers.
//!
//! Calls per region: DescribeFlowLogs (paginated); nothing per flow log. Named
//! `"<Name tag> (<fl-id>)"`, else `"<LogGroupName> (<fl-id>)"` as Security Monkey did, else the
//! id. Delivery status stays durable: `DeliverLogsStatus: FAILED` means traffic goes unlogged.
//! No ephemeral paths.

use super::Collector;
use super::shape::{arn, name_tag, tags, time};
use crate::aws::describe;
use crate::aws::regional::item_failure;
use async_trait::async_trait;
use aws_sdk_ec2::types::FlowLog;
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `flowlog` technology.
#[derive(Debug)]
pub struct FlowLogs;

#[async_trait]
impl Collector for FlowLogs {
    const TECHNOLOGY: &'static str = "flowlog";

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let flow_logs: Vec<FlowLog> = client
            .describe_flow_logs()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeFlowLogs in {region} failed: {}", describe(&e)))?;
        Ok(shape(region, account, &flow_logs))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("FlowLogId").and_then(Value::as_str)
    }
}

/// The items of one region.
fn shape(region: &str, account: &AccountNumber, flow_logs: &[FlowLog]) -> Slurp {
    let mut slurp = Slurp::default();
    for flow_log in flow_logs {
        let Some(id) = flow_log.flow_log_id().filter(|id| !id.is_empty()) else {
            slurp.failures.push(item_failure(region, "<unnamed flow log>", "a flow log without a FlowLogId"));
            continue;
        };
        let name = match name_tag(flow_log.tags()).or(flow_log.log_group_name().filter(|g| !g.is_empty())) {
            Some(name) => format!("{name} ({id})"),
            None => id.to_owned(),
        };
        let arn = arn(region, account.as_str(), &format!("vpc-flow-log/{id}"));
        let config = json!({
            "FlowLogId": id,
            "Arn": arn,
            "ResourceId": flow_log.resource_id(),
            "TrafficType": flow_log.traffic_type().map(|t| t.as_str()),
            "LogDestinationType": flow_log.log_destination_type().map(|t| t.as_str()),
            "LogDestination": flow_log.log_destination(),
            "LogGroupName": flow_log.log_group_name(),
            "DeliverLogsPermissionArn": flow_log.deliver_logs_permission_arn(),
            "DeliverCrossAccountRole": flow_log.deliver_cross_account_role(),
            "LogFormat": flow_log.log_format(),
            "MaxAggregationInterval": flow_log.max_aggregation_interval(),
            "DestinationOptions": flow_log.destination_options().map(|d| json!({
                "FileFormat": d.file_format().map(|f| f.as_str()),
                "HiveCompatiblePartitions": d.hive_compatible_partitions(),
                "PerHourPartition": d.per_hour_partition(),
            })),
            "FlowLogStatus": flow_log.flow_log_status(),
            "DeliverLogsStatus": flow_log.deliver_logs_status(),
            "DeliverLogsErrorMessage": flow_log.deliver_logs_error_message(),
            "CreationTime": time(flow_log.creation_time()),
            "Tags": tags(flow_log.tags()),
        });
        slurp.items.push(SlurpedItem { region: region.to_owned(), name, arn: Some(arn), config });
    }
    slurp
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::Tag;

    #[test]
    fn named_by_tag_then_log_group() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let flow_logs = [
            FlowLog::builder().flow_log_id("fl-1").log_group_name("vpc-logs").build(),
            FlowLog::builder()
                .flow_log_id("fl-2")
                .log_group_name("vpc-logs")
                .tags(Tag::builder().key("Name").value("audit").build())
                .build(),
            FlowLog::builder().flow_log_id("fl-3").log_destination("arn:aws:s3:::logs").build(),
        ];
        let names: Vec<_> = shape("us-east-1", &account, &flow_logs).items.into_iter().map(|i| i.name).collect();
        assert_eq!(names, vec!["vpc-logs (fl-1)", "audit (fl-2)", "fl-3"]);
    }
}
