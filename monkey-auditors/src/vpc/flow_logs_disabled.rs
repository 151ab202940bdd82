//! `vpc-flow-logs-disabled`: a VPC without an active flow log.

use monkey_core::auditor::{AuditContext, AuditedItem, Check, CheckStatus, Finding};
use monkey_core::model::{Category, ItemKey};
use serde_json::Value;

monkey_core::declare_check! {
    /// A VPC has no flow log, or one of its flow logs is not active.
    pub static VPC_FLOW_LOGS_DISABLED = Check {
        id: "vpc-flow-logs-disabled",
        technology: "vpc",
        title: "VpcFlowLogsDisabled",
        category: Category::Recommendation,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A VPC with no flow log (notes `Flow logs: [none]`), or a known flow log of the VPC whose `FlowLogStatus` is not \
`ACTIVE` (one issue per flow log, `Inactive flow log: [fl-...]`, linked to the flow-log item when it was recorded). \
Flow logs are read from the VPC's own `FlowLogs` list and from the account's recorded flow logs (`flowlog`) whose \
`ResourceId` is the VPC, in the same region; a recorded flow log's status wins over the copy in the VPC. A flow \
log whose status is not known is taken as existing, as Security Monkey skipped flow logs it had not seen yet.\n\n\
## Why it matters\n\
Flow logs are the only record of who talked to what inside the network: without them an intrusion, a data \
transfer or a misrouted connection leaves no trace to investigate.\n\n\
## Example\n\
`{\"VpcId\": \"vpc-1\", \"FlowLogs\": []}` with no flow log for `vpc-1` gives `Flow logs: [none]`.\n\n\
## How to fix\n\
`aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc> --traffic-type ALL --log-destination-type s3 \
--log-destination <bucket arn>` (or CloudWatch Logs); fix the delivery permissions of an inactive one.\n\n\
## References\n\
- Security Monkey `VPCAuditor.check_flow_logs_enabled` (\"Flow Logs not enabled for VPC\", score 5).\n\
- Security Hub EC2.6; Prowler `vpc_flow_logs_enabled`; ScoutSuite `vpc-subnet-without-flow-log`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html\n",
    };
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// A flow log of the VPC: its id, its status when known, and its recorded item.
struct FlowLog<'a> {
    id: &'a str,
    status: Option<&'a str>,
    item: Option<&'a ItemKey>,
}

/// Flags a VPC without flow logs and every known inactive flow log of it.
pub(super) fn check(item: &AuditedItem<'_>, ctx: &AuditContext) -> Vec<Finding> {
    let mut logs: Vec<FlowLog<'_>> = Vec::new();
    // The VPC's own list holds objects (`FlowLogId`, `FlowLogStatus`); Security Monkey's held ids.
    for entry in item.config.get("FlowLogs").and_then(Value::as_array).into_iter().flatten() {
        let (id, status) = match entry {
            Value::String(id) if !id.is_empty() => (id.as_str(), None),
            _ => match text(entry, "FlowLogId") {
                Some(id) => (id, text(entry, "FlowLogStatus")),
                None => continue,
            },
        };
        if !logs.iter().any(|l| l.id == id) {
            logs.push(FlowLog { id, status, item: None });
        }
    }
    if let Some(vpc) = text(item.config, "VpcId") {
        let recorded = ctx.support_of("flowlog").filter(|f| f.key.region == item.key.region);
        for flow_log in recorded.filter(|f| text(&f.config, "ResourceId") == Some(vpc)) {
            let Some(id) = text(&flow_log.config, "FlowLogId") else { continue };
            let status = text(&flow_log.config, "FlowLogStatus");
            match logs.iter_mut().find(|l| l.id == id) {
                Some(known) => {
                    known.status = status.or(known.status);
                    known.item = Some(&flow_log.key);
                }
                None => logs.push(FlowLog { id, status, item: Some(&flow_log.key) }),
            }
        }
    }
    if logs.is_empty() {
        return vec![Finding::new(&VPC_FLOW_LOGS_DISABLED, "Flow Logs not enabled for VPC", "Flow logs: [none]")];
    }
    logs.iter()
        .filter(|l| l.status.is_some_and(|s| s != "ACTIVE"))
        .map(|l| {
            let message = format!("Flow log {} of the VPC is not active", l.id);
            let finding = Finding::new(&VPC_FLOW_LOGS_DISABLED, message, format!("Inactive flow log: [{}]", l.id));
            finding.with_links(l.item.into_iter().cloned().collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::table_with;
    use crate::testing::{self, Fixture};
    use serde_json::json;

    fn flow_logs() -> Fixture {
        Fixture {
            support: vec![
                (
                    "flowlog",
                    "fl-active",
                    json!({"FlowLogId": "fl-active", "ResourceId": "vpc-a", "FlowLogStatus": "ACTIVE"}),
                ),
                (
                    "flowlog",
                    "fl-broken",
                    json!({"FlowLogId": "fl-broken", "ResourceId": "vpc-b", "FlowLogStatus": "FAILED"}),
                ),
                (
                    "flowlog",
                    "fl-subnet",
                    json!({"FlowLogId": "fl-subnet", "ResourceId": "subnet-1", "FlowLogStatus": "ACTIVE"}),
                ),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn table() {
        testing::table(
            &VPC_FLOW_LOGS_DISABLED,
            &[
                json!({"VpcId": "vpc-1", "FlowLogs": []}),
                json!({"VpcId": "vpc-1"}),
                json!({}),
                json!({"VpcId": "vpc-1", "FlowLogs": [{"FlowLogId": "fl-1", "FlowLogStatus": "FAILED"}]}),
                json!({"VpcId": "vpc-1", "FlowLogs": [{"FlowLogStatus": "ACTIVE"}, 7]}),
            ],
            &[
                json!({"VpcId": "vpc-1", "FlowLogs": [{"FlowLogId": "fl-1", "FlowLogStatus": "ACTIVE"}]}),
                json!({"VpcId": "vpc-1", "FlowLogs": ["fl-unseen"]}),
                json!({"VpcId": "vpc-1", "FlowLogs": [{"FlowLogId": "fl-1"}]}),
            ],
        );
        table_with(
            &VPC_FLOW_LOGS_DISABLED,
            flow_logs,
            &[json!({"VpcId": "vpc-b", "FlowLogs": []}), json!({"VpcId": "vpc-c"})],
            &[json!({"VpcId": "vpc-a", "FlowLogs": []}), json!({"VpcId": "vpc-a", "FlowLogs": "oops"})],
        );
    }

    #[test]
    fn recorded_flow_logs_win_and_are_linked() {
        let found = testing::issues_with(
            &VPC_FLOW_LOGS_DISABLED,
            json!({"VpcId": "vpc-b", "FlowLogs": [{"FlowLogId": "fl-broken", "FlowLogStatus": "ACTIVE"}, {"FlowLogId": "fl-old", "FlowLogStatus": "ACTIVE"}]}),
            flow_logs(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("Inactive flow log: [fl-broken]", 5));
        assert_eq!(found[0].links, vec![testing::key("flowlog", "fl-broken")]);
        let none = testing::issues(&VPC_FLOW_LOGS_DISABLED, json!({"VpcId": "vpc-1", "FlowLogs": []}));
        assert_eq!(
            (none[0].key.notes.as_str(), none[0].message.as_str()),
            ("Flow logs: [none]", "Flow Logs not enabled for VPC")
        );
    }
}
