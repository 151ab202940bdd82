//! The S3 watcher against a real moto server (scripts/test starts one and sets
//! MONKEY_TEST_AWS_ENDPOINT), through the real SDK: collect in two regions, change, fail a
//! region and the listing, delete, ignore; and which changes are only ephemeral.
//!
//! Each test works in its own account (monkey assumes `SecurityMonkey` in it); bucket names
//! carry the account number because bucket names are global, in moto as in AWS.
//!
//! What moto cannot do is tested on answers built with the SDK's builders, next to the code:
//! `src/s3/shape.rs` (logging key formats, EventBridge, replication time control, the `EU`
//! location, re-ordered answers) and `src/s3/bucket.rs` (AccessDenied and throttling errors,
//! which moto never returns, also for the account's public access block). Two answers moto
//! gets wrong are mended by [`moto_fix`].

mod common;

use aws_sdk_s3::types::{
    BucketCannedAcl, BucketLifecycleConfiguration, BucketLocationConstraint, BucketLoggingStatus,
    BucketVersioningStatus, CorsConfiguration, CorsRule, CreateBucketConfiguration, DefaultRetention,
    DeleteMarkerReplication, DeleteMarkerReplicationStatus, Destination, ErrorDocument, Event, ExpirationStatus,
    IndexDocument, LifecycleExpiration, LifecycleRule, LifecycleRuleFilter, LoggingEnabled, NotificationConfiguration,
    ObjectLockConfiguration, ObjectLockEnabled, ObjectLockRetentionMode, ObjectLockRule, ObjectOwnership,
    OwnershipControls, OwnershipControlsRule, PublicAccessBlockConfiguration, QueueConfiguration,
    ReplicationConfiguration, ReplicationRule, ReplicationRuleFilter, ReplicationRuleStatus, ServerSideEncryption,
    ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule, Tag, Tagging,
    Transition, TransitionStorageClass, VersioningConfiguration, WebsiteConfiguration,
};
use common::{fresh_account, run};
use monkey_core::model::{Account, IgnoreEntry};
use monkey_core::store::ChangeKind;
use monkey_core::watcher::{FailureScope, Slurp, SlurpedItem, WatchContext, Watcher};
use monkey_watchers::aws::{AwsSession, AwsSettings};
use monkey_watchers::s3::S3Watcher;
use serde_json::{Value, json};
use std::sync::Arc;

/// Settings that reach moto through [`moto_fix`].
fn settings() -> AwsSettings {
    AwsSettings { endpoint_url: Some(moto_fix::endpoint()), ..common::settings() }
}

async fn s3(session: &AwsSession, account: &Account, region: &str) -> aws_sdk_s3::Client {
    session.s3(&session.account_config(account).await, region)
}

/// Creates bucket `name` in `region` (outside us-east-1 S3 wants the location constraint).
async fn create(client: &aws_sdk_s3::Client, name: &str, region: &str) {
    let mut request = client.create_bucket().bucket(name);
    if region != "us-east-1" {
        request = request.create_bucket_configuration(
            CreateBucketConfiguration::builder().location_constraint(BucketLocationConstraint::from(region)).build(),
        );
    }
    request.send().await.expect("create bucket");
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().expect("tag")
}

async fn put_tags(client: &aws_sdk_s3::Client, bucket: &str, tags: &[(&str, &str)]) {
    let mut tagging = Tagging::builder();
    for (key, value) in tags {
        tagging = tagging.tag_set(tag(key, value));
    }
    client.put_bucket_tagging().bucket(bucket).tagging(tagging.build().expect("tagging")).send().await.expect("tags");
}

fn item<'a>(slurp: &'a Slurp, name: &str) -> &'a SlurpedItem {
    let found = slurp.items.iter().find(|i| i.name == name);
    assert!(found.is_some(), "{name} not collected: {slurp:#?}");
    found.expect("collected")
}

/// Configures nearly everything S3 has on `bucket` (us-east-1), logging into `logs`.
async fn configure_everything(client: &aws_sdk_s3::Client, account: &Account, bucket: &str, logs: &str) {
    let number = account.number.as_str();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "ReadFromOurAccount",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{number}:root")},
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{bucket}/*"),
        }],
    });
    client.put_bucket_policy().bucket(bucket).policy(policy.to_string()).send().await.expect("policy");
    put_tags(client, bucket, &[("team", "data"), ("env", "prod")]).await;
    client
        .put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build())
        .send()
        .await
        .expect("versioning");
    let by_default = ServerSideEncryptionByDefault::builder()
        .sse_algorithm(ServerSideEncryption::AwsKms)
        .kms_master_key_id("alias/data")
        .build()
        .expect("default encryption");
    let encryption = ServerSideEncryptionConfiguration::builder()
        .rules(
            ServerSideEncryptionRule::builder()
                .apply_server_side_encryption_by_default(by_default)
                .bucket_key_enabled(true)
                .build(),
        )
        .build()
        .expect("encryption");
    client
        .put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(encryption)
        .send()
        .await
        .expect("encryption");
    client
        .put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(false)
                .build(),
        )
        .send()
        .await
        .expect("public access block");
    let ownership = OwnershipControls::builder()
        .rules(
            OwnershipControlsRule::builder()
                .object_ownership(ObjectOwnership::BucketOwnerPreferred)
                .build()
                .expect("rule"),
        )
        .build()
        .expect("ownership");
    client
        .put_bucket_ownership_controls()
        .bucket(bucket)
        .ownership_controls(ownership)
        .send()
        .await
        .expect("ownership");
    let lifecycle = BucketLifecycleConfiguration::builder()
        .rules(
            LifecycleRule::builder()
                .id("expire-tmp")
                .filter(LifecycleRuleFilter::builder().prefix("tmp/").build())
                .status(ExpirationStatus::Enabled)
                .expiration(LifecycleExpiration::builder().days(7).build())
                .build()
                .expect("rule"),
        )
        .rules(
            LifecycleRule::builder()
                .id("archive")
                .filter(LifecycleRuleFilter::builder().prefix("old/").build())
                .status(ExpirationStatus::Enabled)
                .transitions(Transition::builder().days(30).storage_class(TransitionStorageClass::Glacier).build())
                .build()
                .expect("rule"),
        )
        .build()
        .expect("lifecycle");
    client
        .put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .lifecycle_configuration(lifecycle)
        .send()
        .await
        .expect("lifecycle");
    let cors = CorsConfiguration::builder()
        .cors_rules(
            CorsRule::builder()
                .allowed_methods("PUT")
                .allowed_methods("GET")
                .allowed_origins("https://z.example")
                .allowed_origins("https://a.example")
                .max_age_seconds(600)
                .build()
                .expect("cors rule"),
        )
        .cors_rules(CorsRule::builder().allowed_methods("GET").allowed_origins("*").build().expect("cors rule"))
        .build()
        .expect("cors");
    client.put_bucket_cors().bucket(bucket).cors_configuration(cors).send().await.expect("cors");
    let website = WebsiteConfiguration::builder()
        .index_document(IndexDocument::builder().suffix("index.html").build().expect("index"))
        .error_document(ErrorDocument::builder().key("error.html").build().expect("error document"))
        .build();
    client.put_bucket_website().bucket(bucket).website_configuration(website).send().await.expect("website");
    let logging = BucketLoggingStatus::builder()
        .logging_enabled(LoggingEnabled::builder().target_bucket(logs).target_prefix("data/").build().expect("logging"))
        .build();
    client.put_bucket_logging().bucket(bucket).bucket_logging_status(logging).send().await.expect("logging");
    let notification = NotificationConfiguration::builder()
        .queue_configurations(
            QueueConfiguration::builder()
                .id("new-objects")
                .queue_arn(format!("arn:aws:sqs:us-east-1:{number}:uploads"))
                .events(Event::S3ObjectRemovedDelete)
                .events(Event::S3ObjectCreated)
                .build()
                .expect("queue"),
        )
        .build();
    client
        .put_bucket_notification_configuration()
        .bucket(bucket)
        .notification_configuration(notification)
        .send()
        .await
        .expect("notifications");
    let replication = ReplicationConfiguration::builder()
        .role(format!("arn:aws:iam::{number}:role/replication"))
        .rules(
            ReplicationRule::builder()
                .id("to-logs")
                .priority(1)
                .filter(ReplicationRuleFilter::builder().prefix("").build())
                .status(ReplicationRuleStatus::Enabled)
                .destination(Destination::builder().bucket(format!("arn:aws:s3:::{logs}")).build().expect("dest"))
                .delete_marker_replication(
                    DeleteMarkerReplication::builder().status(DeleteMarkerReplicationStatus::Disabled).build(),
                )
                .build()
                .expect("replication rule"),
        )
        .build()
        .expect("replication");
    client
        .put_bucket_replication()
        .bucket(bucket)
        .replication_configuration(replication)
        .send()
        .await
        .expect("replication");
}

#[tokio::test]
async fn collects_buckets_in_two_regions_sees_changes_and_deletions() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let number = account.number.as_str();
    let us = s3(&session, &account, "us-east-1").await;
    let eu = s3(&session, &account, "eu-west-1").await;
    let (data, logs, locked, site) =
        (format!("m{number}-data"), format!("m{number}-logs"), format!("m{number}-locked"), format!("m{number}-site"));
    create(&us, &data, "us-east-1").await;
    create(&us, &logs, "us-east-1").await;
    us.put_bucket_acl()
        .bucket(&logs)
        .acl(BucketCannedAcl::from("log-delivery-write"))
        .send()
        .await
        .expect("log delivery acl");
    us.put_bucket_versioning()
        .bucket(&logs)
        .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build())
        .send()
        .await
        .expect("versioning");
    configure_everything(&us, &account, &data, &logs).await;
    create(&eu, &site, "eu-west-1").await;
    put_tags(&eu, &site, &[("b", "2"), ("a", "1")]).await;
    eu.create_bucket()
        .bucket(&locked)
        .object_lock_enabled_for_bucket(true)
        .create_bucket_configuration(
            CreateBucketConfiguration::builder().location_constraint(BucketLocationConstraint::EuWest1).build(),
        )
        .send()
        .await
        .expect("create locked");
    let retention = DefaultRetention::builder().mode(ObjectLockRetentionMode::Governance).days(30).build();
    eu.put_object_lock_configuration()
        .bucket(&locked)
        .object_lock_configuration(
            ObjectLockConfiguration::builder()
                .object_lock_enabled(ObjectLockEnabled::Enabled)
                .rule(ObjectLockRule::builder().default_retention(retention).build())
                .build(),
        )
        .send()
        .await
        .expect("object lock");

    let (_dir, store) = common::store();
    let watcher = S3Watcher::new(Arc::clone(&session));

    // First run: four new buckets, each in its own region.
    let (slurp, first) = run(&*store, &watcher, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    let mut names: Vec<_> = first.iter().map(|(name, kind)| (name.as_str(), *kind)).collect();
    names.sort_by_key(|(name, _)| *name);
    let mut expected = vec![
        (data.as_str(), ChangeKind::Created),
        (locked.as_str(), ChangeKind::Created),
        (logs.as_str(), ChangeKind::Created),
        (site.as_str(), ChangeKind::Created),
    ];
    expected.sort_by_key(|(name, _)| *name);
    assert_eq!(names, expected);

    let data_item = item(&slurp, &data);
    assert_eq!(data_item.region, "us-east-1");
    assert_eq!(data_item.arn.as_deref(), Some(format!("arn:aws:s3:::{data}").as_str()));
    let config = &data_item.config;
    assert_eq!(config["Name"], data.as_str());
    assert_eq!(config["Region"], "us-east-1");
    assert!(config["Owner"]["ID"].is_string(), "{config:#}");
    assert_eq!(config["Grants"][0]["Permission"], "FULL_CONTROL");
    assert_eq!(config["Grants"][0]["Grantee"]["ID"], config["Owner"]["ID"]);
    assert_eq!(config["Policy"]["Statement"][0]["Sid"], "ReadFromOurAccount", "the policy is parsed");
    assert_eq!(
        config["PublicAccessBlock"],
        json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": false})
    );
    assert_eq!(config["OwnershipControls"], json!({"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}));
    let rule = &config["ServerSideEncryptionConfiguration"]["Rules"][0];
    assert_eq!(rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "aws:kms");
    assert_eq!(rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"], "alias/data");
    assert_eq!(rule["BucketKeyEnabled"], true);
    assert_eq!(config["Versioning"]["Status"], "Enabled");
    assert_eq!(config["Logging"]["TargetBucket"], logs.as_str());
    assert_eq!(config["Logging"]["TargetPrefix"], "data/");
    assert_eq!(config["Website"]["IndexDocument"]["Suffix"], "index.html");
    assert_eq!(config["Website"]["ErrorDocument"]["Key"], "error.html");
    // CORS rules keep their order (first match wins); the sets inside are sorted.
    assert_eq!(config["CORSRules"][0]["AllowedMethods"], json!(["GET", "PUT"]));
    assert_eq!(config["CORSRules"][0]["AllowedOrigins"], json!(["https://a.example", "https://z.example"]));
    assert_eq!(config["CORSRules"][0]["MaxAgeSeconds"], 600);
    assert_eq!(config["CORSRules"][1]["AllowedOrigins"], json!(["*"]));
    let lifecycle_ids: Vec<_> = config["LifecycleRules"].as_array().expect("rules").iter().map(|r| &r["ID"]).collect();
    assert_eq!(lifecycle_ids.len(), 2, "{config:#}");
    let expire = config["LifecycleRules"].as_array().expect("rules").iter().find(|r| r["ID"] == "expire-tmp");
    assert_eq!(expire.expect("expire-tmp")["Expiration"]["Days"], 7);
    assert_eq!(config["Tags"], json!([{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "data"}]));
    let queue = &config["NotificationConfiguration"]["QueueConfigurations"][0];
    assert_eq!(queue["QueueArn"], format!("arn:aws:sqs:us-east-1:{number}:uploads"));
    assert_eq!(queue["Events"], json!(["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"]));
    let replication = &config["ReplicationConfiguration"];
    assert_eq!(replication["Role"], format!("arn:aws:iam::{number}:role/replication"));
    assert_eq!(replication["Rules"][0]["ID"], "to-logs");
    assert_eq!(replication["Rules"][0]["Destination"]["Bucket"], format!("arn:aws:s3:::{logs}"));
    assert_eq!(config["ObjectLockConfiguration"], Value::Null);

    let logs_item = item(&slurp, &logs);
    let log_delivery = logs_item.config["Grants"]
        .as_array()
        .expect("grants")
        .iter()
        .filter(|g| g["Grantee"]["URI"] == "http://acs.amazonaws.com/groups/s3/LogDelivery")
        .count();
    assert!(log_delivery >= 1, "{:#}", logs_item.config["Grants"]);

    let site_item = item(&slurp, &site);
    assert_eq!(site_item.region, "eu-west-1");
    assert_eq!(site_item.config["Tags"], json!([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]));
    let locked_item = item(&slurp, &locked);
    assert_eq!(locked_item.region, "eu-west-1");
    assert_eq!(locked_item.config["ObjectLockConfiguration"]["ObjectLockEnabled"], "Enabled");
    let retention = &locked_item.config["ObjectLockConfiguration"]["Rule"]["DefaultRetention"];
    assert_eq!((&retention["Mode"], &retention["Days"]), (&json!("GOVERNANCE"), &json!(30)), "{retention}");

    // Nothing changed, and tags written in another order are no change either.
    assert_eq!(run(&*store, &watcher, &account, 2).await.1, vec![]);
    put_tags(&eu, &site, &[("a", "1"), ("b", "2")]).await;
    assert_eq!(run(&*store, &watcher, &account, 3).await.1, vec![]);

    // The site goes public: exactly that bucket changed.
    eu.put_bucket_acl().bucket(&site).acl(BucketCannedAcl::PublicRead).send().await.expect("public-read");
    let (slurp, changes) = run(&*store, &watcher, &account, 4).await;
    assert_eq!(changes, vec![(site.clone(), ChangeKind::Changed)]);
    let all_users =
        item(&slurp, &site).config["Grants"].as_array().expect("grants").iter().any(|g| {
            g["Grantee"]["URI"] == "http://acs.amazonaws.com/groups/global/AllUsers" && g["Permission"] == "READ"
        });
    assert!(all_users, "{:#}", item(&slurp, &site).config["Grants"]);

    // eu-west-1 unreachable: its buckets are failures of their own, nothing is deleted.
    let mut broken = settings();
    broken.region_endpoints.insert("eu-west-1".into(), "http://127.0.0.1:9".into());
    let broken_watcher = S3Watcher::new(Arc::new(AwsSession::new(broken).await));
    let (slurp, changes) = run(&*store, &broken_watcher, &account, 5).await;
    assert_eq!(changes, vec![]);
    let mut scopes: Vec<_> = slurp.failures.iter().map(|f| f.scope.clone()).collect();
    scopes.sort();
    assert_eq!(
        scopes,
        vec![
            FailureScope::Item { region: "eu-west-1".into(), name: locked.clone() },
            FailureScope::Item { region: "eu-west-1".into(), name: site.clone() },
        ]
    );
    let message = &slurp.failures[0].message;
    assert!(message.starts_with("GetBucketAcl failed: "), "{message}");
    assert!(message.ends_with("the bucket's other parts were not read"), "{message}");
    let unread = item(&slurp, &site);
    assert!(unread.config.get("Grants").is_none(), "an unread part is left out, not null: {:#}", unread.config);
    assert_eq!(item(&slurp, &data).config, data_item.config, "the reachable region is read as before");

    // Deleting a bucket is exactly one deletion.
    eu.delete_bucket().bucket(&site).send().await.expect("delete");
    let (_, changes) = run(&*store, &watcher, &account, 6).await;
    assert_eq!(changes, vec![(site.clone(), ChangeKind::Deleted)]);
}

#[tokio::test]
async fn not_configured_parts_are_null() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let bare = format!("m{}-bare", account.number.as_str());
    create(&s3(&session, &account, "us-east-1").await, &bare, "us-east-1").await;

    let slurp = S3Watcher::new(session).slurp(&WatchContext::new(account)).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    let config = &item(&slurp, &bare).config;
    for key in [
        "Policy",
        "PublicAccessBlock",
        "AccountPublicAccessBlock",
        "OwnershipControls",
        "ServerSideEncryptionConfiguration",
        "Logging",
        "Website",
        "CORSRules",
        "LifecycleRules",
        "Tags",
        "NotificationConfiguration",
        "ReplicationConfiguration",
        "ObjectLockConfiguration",
    ] {
        assert_eq!(config.get(key), Some(&Value::Null), "{key} in {config:#}");
    }
    assert_eq!(config["Versioning"], json!({"Status": null, "MFADelete": null}));
    assert_eq!(config["Grants"].as_array().map(Vec::len), Some(1), "the owner's FULL_CONTROL");
}

/// Sets the account's public access block (S3 Control, through the same session as monkey's).
async fn put_account_block(control: &aws_sdk_s3control::Client, account: &Account, restrict_public_buckets: bool) {
    use aws_sdk_s3control::types::PublicAccessBlockConfiguration;
    control
        .put_public_access_block()
        .account_id(account.number.as_str())
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(restrict_public_buckets)
                .build(),
        )
        .send()
        .await
        .expect("account public access block");
}

#[tokio::test]
async fn the_account_public_access_block_is_in_every_bucket() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let number = account.number.as_str();
    let (here, there) = (format!("m{number}-here"), format!("m{number}-there"));
    create(&s3(&session, &account, "us-east-1").await, &here, "us-east-1").await;
    create(&s3(&session, &account, "eu-west-1").await, &there, "eu-west-1").await;
    let control = session.s3control(&session.account_config(&account).await);
    let (_dir, store) = common::store();
    let watcher = S3Watcher::new(Arc::clone(&session));
    let both = |kind: ChangeKind| {
        let mut expected = vec![(here.clone(), kind), (there.clone(), kind)];
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        expected
    };
    let sorted = |mut changes: Vec<(String, ChangeKind)>| {
        changes.sort_by(|a, b| a.0.cmp(&b.0));
        changes
    };
    let block = |slurp: &Slurp, name: &str| item(slurp, name).config["AccountPublicAccessBlock"].clone();

    // Not configured: null in every bucket.
    let (slurp, changes) = run(&*store, &watcher, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(sorted(changes), both(ChangeKind::Created));
    assert_eq!((block(&slurp, &here), block(&slurp, &there)), (Value::Null, Value::Null));

    // Set for the account: every bucket of it changed, each carrying the block.
    put_account_block(&control, &account, false).await;
    let (slurp, changes) = run(&*store, &watcher, &account, 2).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(sorted(changes), both(ChangeKind::Changed));
    let expected = json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": false});
    assert_eq!((block(&slurp, &here), block(&slurp, &there)), (expected.clone(), expected));
    assert_eq!(item(&slurp, &here).config["PublicAccessBlock"], Value::Null, "the bucket's own block is apart");
    assert_eq!(run(&*store, &watcher, &account, 3).await.1, vec![], "unchanged is no change");

    // Changed: every bucket changed again.
    put_account_block(&control, &account, true).await;
    let (slurp, changes) = run(&*store, &watcher, &account, 4).await;
    assert_eq!(sorted(changes), both(ChangeKind::Changed));
    assert_eq!(block(&slurp, &there)["RestrictPublicBuckets"], true);

    // Removed: null again.
    control.delete_public_access_block().account_id(number).send().await.expect("delete account block");
    let (slurp, changes) = run(&*store, &watcher, &account, 5).await;
    assert_eq!(sorted(changes), both(ChangeKind::Changed));
    assert_eq!((block(&slurp, &here), block(&slurp, &there)), (Value::Null, Value::Null));
}

#[tokio::test]
async fn a_failed_listing_hides_the_whole_account() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let kept = format!("m{}-kept", account.number.as_str());
    create(&s3(&session, &account, "us-east-1").await, &kept, "us-east-1").await;
    let (_dir, store) = common::store();
    let (_, first) = run(&*store, &S3Watcher::new(session), &account, 1).await;
    assert_eq!(first, vec![(kept.clone(), ChangeKind::Created)]);

    // The default region (where ListBuckets goes) unreachable: an account-scoped failure.
    let mut broken = settings();
    broken.region_endpoints.insert("us-east-1".into(), "http://127.0.0.1:9".into());
    let watcher = S3Watcher::new(Arc::new(AwsSession::new(broken).await));
    let (slurp, changes) = run(&*store, &watcher, &account, 2).await;
    assert_eq!(changes, vec![]);
    assert_eq!(slurp.failures.len(), 1, "{:?}", slurp.failures);
    assert_eq!(slurp.failures[0].scope, FailureScope::Account);
    assert!(slurp.failures[0].message.starts_with("ListBuckets failed: "), "{}", slurp.failures[0].message);
}

#[tokio::test]
async fn the_ignore_list_skips_bucket_prefixes() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let client = s3(&session, &account, "us-east-1").await;
    let number = account.number.as_str();
    let (kept, skipped) = (format!("m{number}-kept"), format!("tmp-{number}-scratch"));
    create(&client, &kept, "us-east-1").await;
    create(&client, &skipped, "us-east-1").await;

    let watcher = S3Watcher::new(session);
    let ignore = vec![IgnoreEntry::new(watcher.technology().clone(), "TMP-", "scratch buckets").expect("entry")];
    let slurp = watcher.slurp(&WatchContext::new(account).with_ignore(ignore)).await;
    let names: Vec<_> = slurp.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, vec![kept.as_str()]);
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
}

/// Replays slurps shaped like the S3 watcher's, with the S3 watcher's ephemeral paths.
struct Recorded {
    s3: S3Watcher,
    config: std::sync::Mutex<Value>,
}

#[async_trait::async_trait]
impl Watcher for Recorded {
    fn technology(&self) -> &monkey_core::model::Technology {
        self.s3.technology()
    }

    fn ephemeral_paths(&self) -> &[&str] {
        self.s3.ephemeral_paths()
    }

    async fn slurp(&self, _ctx: &WatchContext) -> Slurp {
        let config = self.config.lock().expect("config").clone();
        let item = SlurpedItem { region: "us-east-1".into(), name: "web".into(), arn: None, config };
        Slurp { items: vec![item], failures: vec![] }
    }
}

#[tokio::test]
async fn display_names_are_ephemeral() {
    // No request is made: the session only lends the watcher its ephemeral paths.
    let session = AwsSession::new(AwsSettings {
        static_credentials: Some(("testing".into(), "testing".into())),
        ..AwsSettings::default()
    })
    .await;
    let s3 = S3Watcher::new(Arc::new(session));
    let grant = |id: &str, name: Option<&str>| json!({"Grantee": {"Type": "CanonicalUser", "ID": id, "URI": null, "EmailAddress": null, "DisplayName": name}, "Permission": "FULL_CONTROL"});
    let config = |grants: Vec<Value>, owner: Option<&str>| json!({"Name": "web", "Owner": {"ID": "owner", "DisplayName": owner}, "Grants": grants});
    let watcher = Recorded {
        s3,
        config: std::sync::Mutex::new(config(
            vec![grant("owner", Some("web-team")), grant("aaa", Some("zed"))],
            Some("web-team"),
        )),
    };
    let set = |value: Value| *watcher.config.lock().expect("config") = value;
    let (_dir, store) = common::store();
    let account = fresh_account();
    assert_eq!(run(&*store, &watcher, &account, 1).await.1, vec![("web".to_owned(), ChangeKind::Created)]);

    // S3 stops returning display names: no durable change.
    set(config(vec![grant("owner", None), grant("aaa", None)], None));
    assert_eq!(run(&*store, &watcher, &account, 2).await.1, vec![("web".to_owned(), ChangeKind::Ephemeral)]);

    // Someone new is granted: a change.
    set(config(vec![grant("owner", None), grant("aaa", None), grant("bbb", None)], None));
    assert_eq!(run(&*store, &watcher, &account, 3).await.1, vec![("web".to_owned(), ChangeKind::Changed)]);
}

/// Measures (prints, never asserts) the wall and CPU time of slurping 1,000 buckets:
/// `cargo test -p monkey-watchers --test moto_s3 -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement: run on demand"]
async fn measure_a_thousand_buckets() {
    const BUCKETS: usize = 1000;
    // Straight to moto, not through `moto_fix`, whose work would count as ours: moto's two
    // misnamed answers then fail to parse, after the same requests and the same parsing work.
    let session = Arc::new(AwsSession::new(common::settings()).await);
    let account = fresh_account();
    let client = s3(&session, &account, "us-east-1").await;
    let number = account.number.as_str().to_owned();
    let mut creating = tokio::task::JoinSet::new();
    for chunk in (0..BUCKETS).collect::<Vec<_>>().chunks(BUCKETS / 8) {
        let (client, number, chunk) = (client.clone(), number.clone(), chunk.to_vec());
        creating.spawn(async move {
            for i in chunk {
                create(&client, &format!("m{number}-{i:04}"), "us-east-1").await;
            }
        });
    }
    while let Some(done) = creating.join_next().await {
        done.expect("creating buckets");
    }

    let watcher = S3Watcher::new(Arc::clone(&session));
    let ctx = WatchContext::new(account);
    let (cpu_before, started) = (common::cpu_time(), std::time::Instant::now());
    let slurp = watcher.slurp(&ctx).await;
    let (wall, cpu_after) = (started.elapsed(), common::cpu_time());
    assert_eq!(slurp.items.len(), BUCKETS, "{:?}", slurp.failures.first());
    let misnamed = |message: &str| {
        message.split("; ").all(|part| {
            part.starts_with("GetBucketVersioning failed")
                || part.starts_with("GetBucketNotificationConfiguration failed")
        })
    };
    assert!(slurp.failures.iter().all(|f| misnamed(&f.message)), "{:?}", slurp.failures.first());
    let cpu =
        cpu_before.zip(cpu_after).map(|(before, after)| format!("{:.2} s", after.saturating_sub(before).as_secs_f64()));
    println!(
        "s3: slurped {BUCKETS} buckets from moto in {:.2} s wall, {} of our CPU (concurrency {})",
        wall.as_secs_f64(),
        cpu.as_deref().unwrap_or("unknown"),
        session.settings().concurrency,
    );
}

/// moto 5.2 answers GetBucketVersioning and GetBucketNotificationConfiguration with a
/// `<GetBucketVersioningResponse>` / `<GetBucketNotificationResponse>` root element where S3
/// answers `<VersioningConfiguration>` / `<NotificationConfiguration>`, and the Rust SDK rightly
/// refuses them. This proxy between the SDK and moto renames those two roots and nothing else,
/// so the tests run every part of the watcher against moto.
mod moto_fix {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::OnceLock;

    const RENAMES: &[(&str, &str)] = &[
        ("GetBucketVersioningResponse", "VersioningConfiguration"),
        ("GetBucketNotificationResponse", "NotificationConfiguration"),
    ];

    /// The proxy's address, started on first use.
    pub(crate) fn endpoint() -> String {
        static ENDPOINT: OnceLock<String> = OnceLock::new();
        ENDPOINT
            .get_or_init(|| {
                let upstream = super::common::endpoint();
                let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_owned();
                let listener = TcpListener::bind("127.0.0.1:0").expect("bind the moto proxy");
                let address = listener.local_addr().expect("proxy address");
                std::thread::spawn(move || {
                    for client in listener.incoming().flatten() {
                        let upstream = upstream.clone();
                        std::thread::spawn(move || serve(client, &upstream));
                    }
                });
                format!("http://{address}")
            })
            .clone()
    }

    /// Relays the requests of one SDK connection, each over a fresh connection to moto.
    fn serve(client: TcpStream, upstream: &str) -> Option<()> {
        let mut from_client = BufReader::new(client.try_clone().ok()?);
        let mut to_client = client;
        loop {
            let (head, body) = read_message(&mut from_client, false)?;
            let mut moto = TcpStream::connect(upstream).ok()?;
            moto.write_all(with_header(&head, "Connection", Some("close")).as_bytes()).ok()?;
            moto.write_all(&body).ok()?;
            let (head, body) = read_message(&mut BufReader::new(moto), true)?;
            let body = rename_root(body);
            let head = with_header(&head, "Content-Length", Some(&body.len().to_string()));
            to_client.write_all(with_header(&head, "Connection", None).as_bytes()).ok()?;
            to_client.write_all(&body).ok()?;
        }
    }

    /// One HTTP/1.1 message: its head (up to the blank line) and its body (by Content-Length,
    /// else, for an answer, up to the end of the stream).
    fn read_message(reader: &mut impl BufRead, to_end: bool) -> Option<(String, Vec<u8>)> {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            let end = line == "\r\n";
            head.push_str(&line);
            if end {
                break;
            }
        }
        let length = head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
        });
        let mut body = Vec::new();
        match length {
            Some(length) => {
                body.resize(length, 0);
                reader.read_exact(&mut body).ok()?;
            }
            None if to_end => {
                reader.read_to_end(&mut body).ok()?;
            }
            None => {}
        }
        Some((head, body))
    }

    /// `head` with header `name` removed, then set to `value` if given.
    fn with_header(head: &str, name: &str, value: Option<&str>) -> String {
        let mut lines: Vec<String> = head
            .split("\r\n")
            .filter(|line| !line.is_empty())
            .filter(|line| !line.split_once(':').is_some_and(|(n, _)| n.trim().eq_ignore_ascii_case(name)))
            .map(str::to_owned)
            .collect();
        if let Some(value) = value {
            lines.push(format!("{name}: {value}"));
        }
        lines.push(String::new());
        lines.push(String::new());
        lines.join("\r\n")
    }

    fn rename_root(body: Vec<u8>) -> Vec<u8> {
        let Ok(mut text) = String::from_utf8(body.clone()) else {
            return body;
        };
        for (wrong, right) in RENAMES {
            text = text
                .replace(&format!("<{wrong}"), &format!("<{right}"))
                .replace(&format!("</{wrong}>"), &format!("</{right}>"));
        }
        text.into_bytes()
    }
}
