//! `ec2instance-stopped-over-30-days`: an instance stopped for more than 30 days.

use super::text;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::{Category, Timestamp};
use serde_json::Value;

monkey_core::declare_check! {
    /// An instance has been stopped for more than 30 days.
    pub static EC2INSTANCE_STOPPED_OVER_30_DAYS = Check {
        id: "ec2instance-stopped-over-30-days",
        technology: "ec2instance",
        title: "Ec2InstanceStoppedOver30Days",
        category: Category::Recommendation,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An instance in state `stopped` whose `StateTransitionReason` dates the stop more than 30 days before the audit \
(AWS writes `User initiated (2025-01-01 00:00:00 GMT)`). Exactly 30 days is not reported. An instance whose reason \
carries no date is skipped: the stop time is not known. The notes hold the recorded stop time, so the issue stays \
the same while the instance stays stopped.\n\n\
## Why it matters\n\
A long-stopped instance is forgotten infrastructure: its software misses every patch, and starting it again, by \
hand or by automation, brings an outdated host back onto the network. Its volumes keep costing money and data.\n\n\
## Example\n\
`{\"State\": {\"Name\": \"stopped\"}, \"StateTransitionReason\": \"User initiated (2025-01-01 00:00:00 GMT)\"}` audited \
on 2026-01-01 gives `Stopped since: [2025-01-01 00:00:00 GMT]`.\n\n\
## How to fix\n\
Terminate the instance (snapshot or image it first if its data matters), or justify the issue for a deliberate \
standby.\n\n\
## References\n\
- Security Hub EC2.4; Prowler `ec2_instance_stopped_older_than_specific_days` (30 days by default).\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Stop_Start.html\n",
    };
}

/// The longest an instance may stay stopped.
const MAX_STOPPED_SECONDS: i64 = 30 * 86_400;

/// The stop time written in a state transition reason: the first parenthesised
/// `YYYY-MM-DD HH:MM:SS GMT`, as the recorded text and as a timestamp.
fn stopped_at(reason: &str) -> Option<(&str, Timestamp)> {
    reason.match_indices('(').find_map(|(start, _)| {
        let inner = &reason[start + 1..];
        let inner = inner[..inner.find(')')?].trim();
        let (date, time) = inner.strip_suffix("GMT").or_else(|| inner.strip_suffix("UTC"))?.trim().split_once(' ')?;
        if date.len() != 10 || time.len() != 8 {
            return None;
        }
        Timestamp::parse_rfc3339(&format!("{date}T{time}Z")).ok().map(|at| (inner, at))
    })
}

/// Flags an instance stopped for more than 30 days at `now`.
pub(super) fn check(config: &Value, now: Timestamp) -> Vec<Finding> {
    if config.get("State").and_then(|s| text(s, "Name")) != Some("stopped") {
        return Vec::new();
    }
    let Some((recorded, at)) = text(config, "StateTransitionReason").and_then(stopped_at) else {
        return Vec::new();
    };
    let stopped_for = now.unix_seconds() - at.unix_seconds();
    if stopped_for <= MAX_STOPPED_SECONDS {
        return Vec::new();
    }
    let message = format!("Instance has been stopped for {} days", stopped_for / 86_400);
    vec![Finding::new(&EC2INSTANCE_STOPPED_OVER_30_DAYS, message, format!("Stopped since: [{recorded}]"))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    fn stopped(reason: &str) -> Value {
        json!({"State": {"Code": 80, "Name": "stopped"}, "StateTransitionReason": reason})
    }

    #[test]
    fn table() {
        testing::table(
            &EC2INSTANCE_STOPPED_OVER_30_DAYS,
            &[
                stopped("User initiated (2025-01-01 00:00:00 GMT)"),
                stopped("User initiated (2025-12-01 23:59:59 GMT)"),
                stopped("Service initiated (odd) (2024-06-30 12:00:00 GMT)"),
            ],
            &[
                json!({}),
                stopped("User initiated (2025-12-02 00:00:00 GMT)"),
                stopped("User initiated (2025-12-20 08:00:00 GMT)"),
                stopped("User initiated"),
                stopped("User initiated (yesterday)"),
                stopped("User initiated (2025-13-01 00:00:00 GMT)"),
                stopped("User initiated (2025-01-01 00:00:00 GMT"),
                json!({"State": {"Name": "running"}, "StateTransitionReason": "User initiated (2025-01-01 00:00:00 GMT)"}),
                json!({"State": "stopped", "StateTransitionReason": "User initiated (2025-01-01 00:00:00 GMT)"}),
                json!({"State": {"Name": "stopped"}, "StateTransitionReason": null}),
            ],
        );
    }

    #[test]
    fn notes_keep_the_recorded_stop_time() {
        let found =
            testing::issues(&EC2INSTANCE_STOPPED_OVER_30_DAYS, stopped("User initiated (2025-01-01 00:00:00 GMT)"));
        assert_eq!(found[0].key.notes, "Stopped since: [2025-01-01 00:00:00 GMT]");
        assert_eq!(found[0].message, "Instance has been stopped for 365 days");
        assert_eq!(found[0].score, 3);
    }
}
