//! An example auditor plugin: S3 buckets without an `owner` tag.
//!
//! A plugin is an ordinary crate that declares checks and registers an auditor; linking it
//! into a binary is all it takes for them to run (`src/bin/monkey-custom.rs` is the whole
//! `monkey` command plus this crate).

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An S3 bucket nobody is recorded as owning.
    pub static S3_BUCKET_WITHOUT_OWNER_TAG = Check {
        id: "s3-bucket-without-owner-tag",
        technology: "s3",
        title: "S3BucketWithoutOwnerTag",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Preview,
        docs: "## What it finds\nBuckets with no `owner` tag.\n\n## Why it matters\nNobody can be asked about an unowned bucket.\n\n\
## Example\n`{\"Tags\": {}}`\n\n## How to fix\nTag the bucket with `owner=<team>`.\n\n## References\n- Your tagging policy.\n",
    };
}

static CHECKS: [&Check; 1] = [&S3_BUCKET_WITHOUT_OWNER_TAG];

/// Flags buckets that have no `owner` tag (tags as an object of key to value).
#[derive(Debug, Default)]
pub struct OwnerTagAuditor;

#[async_trait]
impl Auditor for OwnerTagAuditor {
    fn technology(&self) -> &'static str {
        "s3"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, _ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let owner = owner_tag(item.config.get("Tags").unwrap_or(&Value::Null));
        Ok(match owner {
            Some(owner) if !owner.trim().is_empty() => vec![],
            _ => vec![Finding::new(&S3_BUCKET_WITHOUT_OWNER_TAG, "Bucket has no owner tag", "")],
        })
    }
}

monkey_core::register_auditor!(OwnerTagAuditor);

/// The `owner` tag of S3's `[{"Key": .., "Value": ..}]` tag list (or of a `{key: value}` map).
fn owner_tag(tags: &Value) -> Option<&str> {
    match tags {
        Value::Array(list) => list
            .iter()
            .find(|tag| tag.get("Key").and_then(Value::as_str) == Some("owner"))
            .and_then(|tag| tag.get("Value"))
            .and_then(Value::as_str),
        Value::Object(map) => map.get("owner").and_then(Value::as_str),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use monkey_core::model::{AccountNumber, ItemKey, Technology};
    use serde_json::json;

    #[tokio::test]
    async fn flags_buckets_without_owner() {
        let key = ItemKey::new(
            Technology::parse("s3").unwrap(),
            AccountNumber::parse("123456789012").unwrap(),
            "us-east-1",
            "b",
        );
        let ctx = AuditContext::default();
        for (config, expected) in [
            (json!({"Tags": [{"Key": "team", "Value": "x"}, {"Key": "owner", "Value": "web"}]}), 0),
            (json!({"Tags": {"owner": "web"}}), 0),
            (json!({"Tags": [{"Key": "owner", "Value": " "}]}), 1),
            (json!({"Tags": null}), 1),
            (json!({}), 1),
        ] {
            let item = AuditedItem { key: &key, arn: None, config: &config };
            assert_eq!(OwnerTagAuditor.audit(&item, &ctx).await.unwrap().len(), expected, "{config}");
        }
    }
}
