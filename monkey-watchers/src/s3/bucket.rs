//! Reading one bucket: where it lives, then each sub-configuration from its own region, the
//! documented "not configured" answers as nulls and any other error kept for an item failure.

use super::shape;
use crate::aws::describe;
use crate::aws::regional::item_failure;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use monkey_core::watcher::{Failure, SlurpedItem};
use serde_json::{Map, Value, json};
use std::error::Error;
use std::fmt::Debug;

/// What became of one bucket.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Read; `failure` names the parts that could not be, which the config leaves out.
    Read {
        /// The bucket as an item.
        item: SlurpedItem,
        /// What could not be read, if anything.
        failure: Option<Failure>,
    },
    /// Deleted between ListBuckets and now (`NoSuchBucket`): not an item any more.
    Gone,
}

/// Where a bucket lives, by GetBucketLocation (callable from any region); `Ok(None)` when the
/// bucket is gone.
pub(crate) async fn locate(home: &Client, name: &str) -> Result<Option<String>, String> {
    match home.get_bucket_location().bucket(name).send().await {
        Ok(answer) => Ok(Some(shape::region_of(answer.location_constraint()))),
        Err(e) if e.code() == Some("NoSuchBucket") => Ok(None),
        Err(e) => Err(format!("GetBucketLocation failed: {}", describe(&e))),
    }
}

/// The account's public access block (S3 Control GetPublicAccessBlock), shaped, null when not
/// configured; or, when it could not be read, the refusal every bucket reports.
pub(crate) async fn account_block(control: &aws_sdk_s3control::Client, account: &str) -> Result<Value, String> {
    match control.get_public_access_block().account_id(account).send().await {
        Ok(answer) => Ok(shape::account_public_access_block(answer.public_access_block_configuration())),
        Err(e) if e.code() == Some("NoSuchPublicAccessBlockConfiguration") => Ok(Value::Null),
        Err(e) => Err(refusal(&e)),
    }
}

/// Reads every sub-configuration of bucket `name` with `client`, a client for `region`;
/// `account_block` is the account's public access block ([`account_block`]), read once for all.
pub(crate) async fn read(client: &Client, name: &str, region: &str, account_block: &Result<Value, String>) -> Outcome {
    let mut reading = Reading::default();
    reading.config.insert("Name".to_owned(), json!(name));
    reading.config.insert("Region".to_owned(), json!(region));
    // Beside the bucket's own block: S3 enforces the stricter of the two, so auditors need
    // both. Unread, it is left out and fails the bucket like any unread part (item-scoped,
    // not account-scoped: the listing was read, so deleted buckets are still told).
    match account_block {
        Ok(block) => reading.set("AccountPublicAccessBlock", block.clone()),
        Err(message) => reading.fail(ACCOUNT_BLOCK_CALL, message.clone()),
    }

    let answer = client.get_bucket_acl().bucket(name).send().await;
    if let Some(acl) = reading.answer("GetBucketAcl", &["Owner", "Grants"], answer, &[]) {
        let (owner, grants) = shape::acl(&acl);
        reading.set("Owner", owner);
        reading.set("Grants", Value::Array(grants));
    }
    if reading.goes_on() {
        let answer = client.get_bucket_policy().bucket(name).send().await;
        reading.part("GetBucketPolicy", "Policy", answer, &["NoSuchBucketPolicy"], |a| shape::policy(a.policy()));
    }
    if reading.goes_on() {
        let answer = client.get_public_access_block().bucket(name).send().await;
        reading.part(
            "GetPublicAccessBlock",
            "PublicAccessBlock",
            answer,
            &["NoSuchPublicAccessBlockConfiguration"],
            |a| shape::public_access_block(a.public_access_block_configuration()),
        );
    }
    if reading.goes_on() {
        let answer = client.get_bucket_ownership_controls().bucket(name).send().await;
        reading.part(
            "GetBucketOwnershipControls",
            "OwnershipControls",
            answer,
            &["OwnershipControlsNotFoundError"],
            |a| shape::ownership_controls(a.ownership_controls()),
        );
    }
    if reading.goes_on() {
        let answer = client.get_bucket_encryption().bucket(name).send().await;
        reading.part(
            "GetBucketEncryption",
            "ServerSideEncryptionConfiguration",
            answer,
            &["ServerSideEncryptionConfigurationNotFoundError"],
            |a| shape::encryption(a.server_side_encryption_configuration()),
        );
    }
    if reading.goes_on() {
        let answer = client.get_bucket_versioning().bucket(name).send().await;
        reading.part("GetBucketVersioning", "Versioning", answer, &[], shape::versioning);
    }
    if reading.goes_on() {
        let answer = client.get_bucket_logging().bucket(name).send().await;
        reading.part("GetBucketLogging", "Logging", answer, &[], shape::logging);
    }
    if reading.goes_on() {
        let answer = client.get_bucket_website().bucket(name).send().await;
        reading.part("GetBucketWebsite", "Website", answer, &["NoSuchWebsiteConfiguration"], shape::website);
    }
    if reading.goes_on() {
        let answer = client.get_bucket_cors().bucket(name).send().await;
        reading
            .part("GetBucketCors", "CORSRules", answer, &["NoSuchCORSConfiguration"], |a| shape::cors(a.cors_rules()));
    }
    if reading.goes_on() {
        let answer = client.get_bucket_lifecycle_configuration().bucket(name).send().await;
        reading.part(
            "GetBucketLifecycleConfiguration",
            "LifecycleRules",
            answer,
            &["NoSuchLifecycleConfiguration"],
            shape::lifecycle,
        );
    }
    if reading.goes_on() {
        let answer = client.get_bucket_tagging().bucket(name).send().await;
        reading.part("GetBucketTagging", "Tags", answer, &["NoSuchTagSet"], |a| shape::tags(a.tag_set()));
    }
    if reading.goes_on() {
        let answer = client.get_bucket_notification_configuration().bucket(name).send().await;
        reading.part(
            "GetBucketNotificationConfiguration",
            "NotificationConfiguration",
            answer,
            &[],
            shape::notifications,
        );
    }
    if reading.goes_on() {
        let answer = client.get_bucket_replication().bucket(name).send().await;
        reading.part(
            "GetBucketReplication",
            "ReplicationConfiguration",
            answer,
            &["ReplicationConfigurationNotFoundError"],
            |a| shape::replication(a.replication_configuration()),
        );
    }
    if reading.goes_on() {
        let answer = client.get_object_lock_configuration().bucket(name).send().await;
        reading.part(
            "GetObjectLockConfiguration",
            "ObjectLockConfiguration",
            answer,
            &["ObjectLockConfigurationNotFoundError"],
            |a| shape::object_lock(a.object_lock_configuration()),
        );
    }
    reading.finish(name, region)
}

/// How failures name the account-level call.
const ACCOUNT_BLOCK_CALL: &str = "GetPublicAccessBlock (account)";

/// A service error told by its code and message, without the request ids that would keep
/// equal refusals apart; any other error by its whole chain.
fn refusal<E, R>(error: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: Debug + Send + Sync + 'static,
{
    match (error.code(), error.message()) {
        (Some(code), Some(text)) => format!("{code}: {text}"),
        (Some(code), None) => code.to_owned(),
        _ => describe(error),
    }
}

/// One bucket being read: the config so far and what went wrong.
#[derive(Default)]
struct Reading {
    config: Map<String, Value>,
    /// Each distinct error with the calls that met it, in the order met.
    failed: Vec<(String, Vec<String>)>,
    gone: bool,
    unreachable: bool,
}

impl Reading {
    /// Whether to make the next call: not once the bucket is gone, nor once S3 could not be
    /// reached at all (every other call would wait for the same dead endpoint).
    fn goes_on(&self) -> bool {
        !self.gone && !self.unreachable
    }

    fn set(&mut self, key: &str, value: Value) {
        self.config.insert(key.to_owned(), value);
    }

    /// One call's answer under `key`, shaped.
    fn part<T, E, R>(
        &mut self,
        call: &str,
        key: &str,
        result: Result<T, SdkError<E, R>>,
        not_configured: &[&str],
        shape: impl FnOnce(&T) -> Value,
    ) where
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
        R: Debug + Send + Sync + 'static,
    {
        if let Some(answer) = self.answer(call, &[key], result, not_configured) {
            self.set(key, shape(&answer));
        }
    }

    /// The answer of one call, or None: then its `keys` are null if `not_configured` names the
    /// error, and left out (unknown, not "not configured") if the call failed.
    fn answer<T, E, R>(
        &mut self,
        call: &str,
        keys: &[&str],
        result: Result<T, SdkError<E, R>>,
        not_configured: &[&str],
    ) -> Option<T>
    where
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
        R: Debug + Send + Sync + 'static,
    {
        let error = match result {
            Ok(answer) => return Some(answer),
            Err(error) => error,
        };
        match error.code() {
            Some(code) if not_configured.contains(&code) => {
                for key in keys {
                    self.set(key, Value::Null);
                }
            }
            Some("NoSuchBucket") => self.gone = true,
            _ => {
                self.unreachable = matches!(error, SdkError::DispatchFailure(_) | SdkError::TimeoutError(_));
                self.fail(call, refusal(&error));
            }
        }
        None
    }

    /// Records that `call` failed with `message`, beside the calls that met the same.
    fn fail(&mut self, call: &str, message: String) {
        match self.failed.iter_mut().find(|(seen, _)| *seen == message) {
            Some((_, calls)) => calls.push(call.to_owned()),
            None => self.failed.push((message, vec![call.to_owned()])),
        }
    }

    fn finish(self, name: &str, region: &str) -> Outcome {
        if self.gone {
            return Outcome::Gone;
        }
        // One failure per bucket; calls that met the same error share it (a bucket policy
        // denying monkey everything makes one line, not fourteen).
        let failure = (!self.failed.is_empty()).then(|| {
            let parts: Vec<String> =
                self.failed.iter().map(|(error, calls)| format!("{} failed: {error}", calls.join(", "))).collect();
            let mut message = parts.join("; ");
            if self.unreachable {
                message.push_str("; the bucket's other parts were not read");
            }
            item_failure(region, name, message)
        });
        let arn = format!("arn:{}:s3:::{name}", shape::partition(region));
        let item = SlurpedItem {
            region: region.to_owned(),
            name: name.to_owned(),
            arn: Some(arn),
            config: Value::Object(self.config),
        };
        Outcome::Read { item, failure }
    }
}

/// How answers and errors become the config and the failure, on errors moto never makes
/// (it enforces no permissions).
#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::config::http::HttpResponse;
    use aws_sdk_s3::error::ErrorMetadata;
    use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyError;
    use aws_sdk_s3::primitives::SdkBody;
    use monkey_core::watcher::FailureScope;
    use std::sync::atomic::{AtomicU64, Ordering};

    type Error = SdkError<GetBucketPolicyError, HttpResponse>;
    type Answer = Result<&'static str, Error>;

    /// A refusal as S3 gives it, with a request id of its own.
    fn error(status: u16, code: &str) -> Error {
        static REQUESTS: AtomicU64 = AtomicU64::new(0);
        let request = REQUESTS.fetch_add(1, Ordering::Relaxed);
        let meta = ErrorMetadata::builder()
            .code(code)
            .message("said S3")
            .custom("aws_request_id", format!("req-{request}"))
            .build();
        let response = HttpResponse::new(status.try_into().expect("status"), SdkBody::empty());
        SdkError::service_error(GetBucketPolicyError::generic(meta), response)
    }

    fn record(reading: &mut Reading, call: &str, key: &str, answer: Answer) {
        reading.part(call, key, answer, &["NoSuchThing"], |text| json!(text));
    }

    #[test]
    fn not_configured_is_null_and_a_failure_leaves_the_part_out() {
        let mut reading = Reading::default();
        record(&mut reading, "GetA", "A", Ok("a"));
        record(&mut reading, "GetB", "B", Err(error(404, "NoSuchThing")));
        record(&mut reading, "GetC", "C", Err(error(403, "AccessDenied")));
        record(&mut reading, "GetD", "D", Err(error(403, "AccessDenied")));
        record(&mut reading, "GetE", "E", Err(error(503, "SlowDown")));
        assert!(reading.goes_on(), "a refusal is no reason to stop reading the other parts");
        let Outcome::Read { item, failure } = reading.finish("logs", "eu-west-1") else {
            panic!("the bucket exists");
        };
        assert_eq!(item.config, json!({"A": "a", "B": null}));
        assert_eq!(item.arn.as_deref(), Some("arn:aws:s3:::logs"));
        let failure = failure.expect("a failure");
        assert_eq!(failure.scope, FailureScope::Item { region: "eu-west-1".into(), name: "logs".into() });
        assert_eq!(failure.message, "GetC, GetD failed: AccessDenied: said S3; GetE failed: SlowDown: said S3");
    }

    #[test]
    fn an_unread_account_block_is_left_out_and_shares_the_bucket_failure() {
        let mut reading = Reading::default();
        reading.fail(ACCOUNT_BLOCK_CALL, "AccessDenied: said S3".to_owned());
        record(&mut reading, "GetA", "A", Err(error(403, "AccessDenied")));
        let Outcome::Read { item, failure } = reading.finish("logs", "us-east-1") else {
            panic!("the bucket exists");
        };
        assert_eq!(item.config, json!({}), "left out, not null");
        let failure = failure.expect("a failure");
        assert_eq!(failure.scope, FailureScope::Item { region: "us-east-1".into(), name: "logs".into() });
        assert_eq!(failure.message, "GetPublicAccessBlock (account), GetA failed: AccessDenied: said S3");
    }

    #[test]
    fn no_such_bucket_means_gone() {
        let mut reading = Reading::default();
        record(&mut reading, "GetA", "A", Ok("a"));
        record(&mut reading, "GetB", "B", Err(error(404, "NoSuchBucket")));
        assert!(!reading.goes_on());
        assert!(matches!(reading.finish("old", "us-east-1"), Outcome::Gone));
    }

    #[test]
    fn a_complete_read_has_no_failure() {
        let mut reading = Reading::default();
        record(&mut reading, "GetA", "A", Ok("a"));
        let Outcome::Read { item, failure } = reading.finish("cn-bucket", "cn-north-1") else {
            panic!("the bucket exists");
        };
        assert!(failure.is_none());
        assert_eq!(item.arn.as_deref(), Some("arn:aws-cn:s3:::cn-bucket"));
    }
}
