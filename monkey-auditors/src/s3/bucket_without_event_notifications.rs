//! `s3-bucket-without-event-notifications`: no event notification is configured.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// The bucket sends no event notifications.
    pub static S3_BUCKET_WITHOUT_EVENT_NOTIFICATIONS = Check {
        id: "s3-bucket-without-event-notifications",
        technology: "s3",
        title: "S3BucketWithoutEventNotifications",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose `NotificationConfiguration` is null (S3 sends no event to SNS, SQS, Lambda or EventBridge) or holds \
no topic, queue, function or EventBridge destination.\n\n\
## Why it matters\n\
Event notifications let a team react to changes as they happen (objects deleted in bulk, unexpected uploads, \
replication failures). Many buckets have no need for them, so it is a recommendation, score 1 (Security Hub S3.11 \
Medium); justify the issue on buckets where nobody would act on the events.\n\n\
## Example\n\
`\"NotificationConfiguration\": null` gives `NotificationConfiguration: [none]`.\n\n\
## How to fix\n\
`aws s3api put-bucket-notification-configuration` with the events to watch (`s3:ObjectRemoved:*`, ...), or turn on \
EventBridge delivery (`\"EventBridgeConfiguration\": {}`).\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html\n\
- Prowler `s3_bucket_event_notifications_enabled`; Security Hub S3.11.\n",
    };
}

fn sends_events(configuration: &Value) -> bool {
    ["TopicConfigurations", "QueueConfigurations", "LambdaFunctionConfigurations"]
        .into_iter()
        .any(|key| !super::list(configuration, key).is_empty())
        || crate::fields::field(configuration, "EventBridgeConfiguration").is_some_and(|e| !e.is_null())
}

/// Flags a bucket whose recorded notifications send nothing.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(configuration) = bucket.get(Key::NotificationConfiguration) else {
        return;
    };
    if sends_events(configuration) {
        return;
    }
    super::push(
        findings,
        ctx,
        &S3_BUCKET_WITHOUT_EVENT_NOTIFICATIONS,
        "The bucket sends no event notifications",
        || "NotificationConfiguration: [none]".to_owned(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        let empty = json!({"TopicConfigurations": [], "QueueConfigurations": [], "LambdaFunctionConfigurations": [],
            "EventBridgeConfiguration": null});
        testing::table(
            &S3_BUCKET_WITHOUT_EVENT_NOTIFICATIONS,
            &[json!({"NotificationConfiguration": null}), json!({"NotificationConfiguration": empty})],
            &[
                json!({}),
                json!({"NotificationConfiguration": {"QueueConfigurations": [{"QueueArn": "arn:aws:sqs:us-east-1:111111111111:q",
                    "Events": ["s3:ObjectCreated:*"]}]}}),
                json!({"NotificationConfiguration": {"EventBridgeConfiguration": {}}}),
            ],
        );
        let found = testing::issues(&S3_BUCKET_WITHOUT_EVENT_NOTIFICATIONS, json!({"NotificationConfiguration": null}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("NotificationConfiguration: [none]", 1));
    }
}
