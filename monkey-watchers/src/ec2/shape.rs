//! What every EC2 technology shapes the same way: tags, item names, ARNs, timestamps, and
//! per-item calls made a few at a time.

use aws_sdk_ec2::primitives::{DateTime, DateTimeFormat};
use aws_sdk_ec2::types::Tag;
use serde_json::{Value, json};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::aws::regional::stable;

/// Per-item calls (DescribeSnapshotAttribute, DescribeImageAttribute, ...) in flight at once
/// in one region: enough to hide the latency of thousands of snapshots, few enough to stay
/// well inside EC2's request-rate buckets while other regions run too.
const ITEM_CALLS_IN_FLIGHT: usize = 8;

/// Tags as AWS lists them, sorted by key.
pub(crate) fn tags(tags: &[Tag]) -> Vec<Value> {
    stable(tags.iter().map(|t| json!({"Key": t.key(), "Value": t.value()})).collect())
}

/// The value of the `Name` tag, when there is a non-blank one.
pub(crate) fn name_tag(tags: &[Tag]) -> Option<&str> {
    tags.iter().find(|t| t.key() == Some("Name")).and_then(Tag::value).map(str::trim).filter(|v| !v.is_empty())
}

/// An item name as Security Monkey made them: `"<Name tag> (<id>)"`, or the bare id.
pub(crate) fn tagged_name(tags: &[Tag], id: &str) -> String {
    match name_tag(tags) {
        Some(name) => format!("{name} ({id})"),
        None => id.to_owned(),
    }
}

/// The AWS partition a region belongs to (ARNs differ in China, GovCloud and the isolated regions).
fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// An EC2 ARN as AWS documents it: `arn:<partition>:ec2:<region>:<account>:<resource>`;
/// `account` is empty for snapshots and images, whose ARNs carry none.
pub(crate) fn arn(region: &str, account: &str, resource: &str) -> String {
    format!("arn:{}:ec2:{region}:{account}:{resource}", partition(region))
}

/// A timestamp as an RFC 3339 string, or null.
pub(crate) fn time(at: Option<&DateTime>) -> Value {
    at.and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()).map_or(Value::Null, Value::String)
}

/// An object of only the fields that are present, as AWS shows a permission
/// (`{"Group": "all"}`, `{"UserId": "111122223333"}`).
pub(crate) fn present(fields: &[(&str, Option<&str>)]) -> Value {
    Value::Object(
        fields.iter().filter_map(|(key, value)| Some(((*key).to_owned(), Value::from(value.as_deref()?)))).collect(),
    )
}

/// Sorts a list by one identifying field, then by its whole text: for lists whose entries hold
/// ephemeral fields, so that an ephemeral change never reorders the list (which would be a
/// durable change).
pub(crate) fn stable_by(mut values: Vec<Value>, field: &str) -> Vec<Value> {
    values.sort_by_cached_key(|v| (v.get(field).map(Value::to_string).unwrap_or_default(), v.to_string()));
    values
}

/// Runs `call` for every input, at most [`ITEM_CALLS_IN_FLIGHT`] at once, and returns the
/// results in the order of the inputs.
pub(crate) async fn per_item<T, R, F, Fut>(inputs: Vec<T>, call: F) -> Vec<Result<R, String>>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<R, String>> + Send + 'static,
    R: Send + 'static,
{
    let permits = Arc::new(Semaphore::new(ITEM_CALLS_IN_FLIGHT));
    let mut tasks = JoinSet::new();
    let count = inputs.len();
    for (index, input) in inputs.into_iter().enumerate() {
        let work = call(input);
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            // The semaphore is never closed, so acquiring only waits.
            let _permit = permits.acquire_owned().await.ok();
            (index, work.await)
        });
    }
    let mut results: Vec<Option<Result<R, String>>> = (0..count).map(|_| None).collect();
    let mut lost = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, result)) => {
                if let Some(slot) = results.get_mut(index) {
                    *slot = Some(result);
                }
            }
            Err(e) => lost.push(e.to_string()),
        }
    }
    // A task that panicked took its index with it: its slot stays empty and says why.
    let reason = if lost.is_empty() { "the call did not finish".to_owned() } else { lost.join("; ") };
    results.into_iter().map(|r| r.unwrap_or_else(|| Err(format!("a per-item call failed: {reason}")))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_arns() {
        let named = [Tag::builder().key("Name").value(" web ").build(), Tag::builder().key("team").value("a").build()];
        assert_eq!(tagged_name(&named, "i-1"), "web (i-1)");
        assert_eq!(tagged_name(&[Tag::builder().key("Name").value("").build()], "i-1"), "i-1");
        assert_eq!(tagged_name(&[], "i-1"), "i-1");
        assert_eq!(arn("eu-west-1", "123456789012", "instance/i-1"), "arn:aws:ec2:eu-west-1:123456789012:instance/i-1");
        assert_eq!(arn("cn-north-1", "", "image/ami-1"), "arn:aws-cn:ec2:cn-north-1::image/ami-1");
        assert_eq!(arn("us-gov-west-1", "1", "vpc/v"), "arn:aws-us-gov:ec2:us-gov-west-1:1:vpc/v");
    }

    #[test]
    fn present_drops_absent_fields() {
        assert_eq!(present(&[("Group", Some("all")), ("UserId", None)]), json!({"Group": "all"}));
    }

    #[test]
    fn times_are_rfc3339() {
        assert_eq!(time(Some(&DateTime::from_secs(0))), json!("1970-01-01T00:00:00Z"));
        assert_eq!(time(None), Value::Null);
    }

    #[test]
    fn stable_by_ignores_later_fields() {
        let a = json!({"Id": "b", "At": "1"});
        let b = json!({"Id": "a", "At": "2"});
        assert_eq!(stable_by(vec![a.clone(), b.clone()], "Id"), vec![b, a]);
    }

    #[tokio::test]
    async fn per_item_keeps_the_order_of_its_inputs() {
        let results = per_item((0..20u64).collect(), |n| async move {
            tokio::time::sleep(std::time::Duration::from_millis(20 - n)).await;
            if n == 3 { Err("three".to_owned()) } else { Ok(n * 2) }
        })
        .await;
        assert_eq!(results.len(), 20);
        assert_eq!(results[0], Ok(0));
        assert_eq!(results[3], Err("three".to_owned()));
        assert_eq!(results[19], Ok(38));
    }
}
