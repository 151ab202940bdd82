//! Shaping S3 answers into an item's config: AWS's field names, every list whose order means
//! nothing in a stable order.
//!
//! Two lists keep the order S3 gives them, because S3 applies their first match and a
//! re-ordering is a real change: `CORSRules` and `Website.RoutingRules`. S3 answers both in the
//! order they were written, so they are stable without sorting.

use crate::aws::regional::stable;
use aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput;
use aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput;
use aws_sdk_s3::operation::get_bucket_logging::GetBucketLoggingOutput;
use aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput;
use aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput;
use aws_sdk_s3::operation::get_bucket_website::GetBucketWebsiteOutput;
use aws_sdk_s3::primitives::{DateTime, DateTimeFormat};
use aws_sdk_s3::types::{
    BucketLocationConstraint, CorsRule, Destination, Event, Grantee, LifecycleRule, NotificationConfigurationFilter,
    ObjectLockConfiguration, OwnershipControls, PublicAccessBlockConfiguration, ReplicationConfiguration,
    ReplicationRule, ServerSideEncryptionConfiguration, Tag,
};
use serde_json::{Value, json};

/// The region a GetBucketLocation answer names: none or empty is us-east-1, the legacy `EU`
/// is eu-west-1.
pub(crate) fn region_of(constraint: Option<&BucketLocationConstraint>) -> String {
    match constraint.map(BucketLocationConstraint::as_str) {
        None | Some("") => "us-east-1".to_owned(),
        Some("EU") => "eu-west-1".to_owned(),
        Some(region) => region.to_owned(),
    }
}

/// The ARN partition of a region (`aws-cn` in China, `aws-us-gov` in GovCloud).
pub(crate) fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// `Owner` and `Grants` from GetBucketAcl.
pub(crate) fn acl(answer: &GetBucketAclOutput) -> (Value, Vec<Value>) {
    let owner = answer.owner().map_or(Value::Null, |o| json!({"ID": o.id(), "DisplayName": o.display_name()}));
    let grants =
        answer.grants().iter().map(|g| grant(g.grantee(), g.permission().map(|p| p.as_str()))).collect::<Vec<_>>();
    (owner, sort_grants(grants))
}

fn grant(grantee: Option<&Grantee>, permission: Option<&str>) -> Value {
    json!({
        "Grantee": grantee.map(|g| json!({
            "Type": g.r#type().as_str(),
            "ID": g.id(),
            "URI": g.uri(),
            "EmailAddress": g.email_address(),
            "DisplayName": g.display_name(),
        })),
        "Permission": permission,
    })
}

/// Grants sorted by who and what, never by `DisplayName`: S3 stopped returning display names
/// in 2025, and their vanishing must not re-order the list (they are ephemeral paths).
fn sort_grants(mut grants: Vec<Value>) -> Vec<Value> {
    grants.sort_by_cached_key(|g| {
        let field = |key: &str| g["Grantee"][key].as_str().unwrap_or_default().to_owned();
        (field("Type"), field("ID"), field("URI"), field("EmailAddress"), g["Permission"].to_string())
    });
    grants
}

/// The bucket policy, parsed; a document that is not JSON is kept as its text, never lost.
pub(crate) fn policy(text: Option<&str>) -> Value {
    match text {
        None => Value::Null,
        Some(text) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
    }
}

/// The bucket's public access block.
pub(crate) fn public_access_block(block: Option<&PublicAccessBlockConfiguration>) -> Value {
    block.map_or(Value::Null, |b| {
        block_flags(b.block_public_acls(), b.ignore_public_acls(), b.block_public_policy(), b.restrict_public_buckets())
    })
}

/// The account's public access block (S3 Control's type), shaped as the bucket's is.
pub(crate) fn account_public_access_block(
    block: Option<&aws_sdk_s3control::types::PublicAccessBlockConfiguration>,
) -> Value {
    block.map_or(Value::Null, |b| {
        block_flags(b.block_public_acls(), b.ignore_public_acls(), b.block_public_policy(), b.restrict_public_buckets())
    })
}

fn block_flags(
    block_public_acls: Option<bool>,
    ignore_public_acls: Option<bool>,
    block_public_policy: Option<bool>,
    restrict_public_buckets: Option<bool>,
) -> Value {
    json!({
        "BlockPublicAcls": block_public_acls,
        "IgnorePublicAcls": ignore_public_acls,
        "BlockPublicPolicy": block_public_policy,
        "RestrictPublicBuckets": restrict_public_buckets,
    })
}

/// Object ownership (`BucketOwnerEnforced` turns ACLs off).
pub(crate) fn ownership_controls(controls: Option<&OwnershipControls>) -> Value {
    controls.map_or(Value::Null, |c| {
        json!({"Rules": stable(c.rules().iter().map(|r| json!({"ObjectOwnership": r.object_ownership().as_str()})).collect())})
    })
}

/// Default encryption.
pub(crate) fn encryption(configuration: Option<&ServerSideEncryptionConfiguration>) -> Value {
    configuration.map_or(Value::Null, |c| {
        let rules = c
            .rules()
            .iter()
            .map(|r| {
                json!({
                    "ApplyServerSideEncryptionByDefault": r.apply_server_side_encryption_by_default().map(|d| json!({
                        "SSEAlgorithm": d.sse_algorithm().as_str(),
                        "KMSMasterKeyID": d.kms_master_key_id(),
                    })),
                    "BucketKeyEnabled": r.bucket_key_enabled(),
                    "BlockedEncryptionTypes": r.blocked_encryption_types().map(|b| json!({
                        "EncryptionType": sorted(b.encryption_type().iter().map(|t| t.as_str())),
                    })),
                })
            })
            .collect();
        json!({"Rules": stable(rules)})
    })
}

/// Versioning is a state every bucket has (never enabled: both null), so it is never null.
pub(crate) fn versioning(answer: &GetBucketVersioningOutput) -> Value {
    json!({
        "Status": answer.status().map(|s| s.as_str()),
        "MFADelete": answer.mfa_delete().map(|m| m.as_str()),
    })
}

/// Server access logging, or null when off.
pub(crate) fn logging(answer: &GetBucketLoggingOutput) -> Value {
    answer.logging_enabled().map_or(Value::Null, |l| {
        let grants = l.target_grants().iter().map(|g| grant(g.grantee(), g.permission().map(|p| p.as_str()))).collect();
        let key_format = l.target_object_key_format().map(|f| match (f.simple_prefix(), f.partitioned_prefix()) {
            (_, Some(p)) => {
                json!({"PartitionedPrefix": {"PartitionDateSource": p.partition_date_source().map(|s| s.as_str())}})
            }
            (Some(_), None) => json!({"SimplePrefix": {}}),
            (None, None) => json!({}),
        });
        json!({
            "TargetBucket": l.target_bucket(),
            "TargetPrefix": l.target_prefix(),
            "TargetGrants": sort_grants(grants),
            "TargetObjectKeyFormat": key_format,
        })
    })
}

/// Static website hosting; routing rules keep their order (first match wins).
pub(crate) fn website(answer: &GetBucketWebsiteOutput) -> Value {
    let rules: Vec<Value> = answer
        .routing_rules()
        .iter()
        .map(|r| {
            json!({
                "Condition": r.condition().map(|c| json!({
                    "HttpErrorCodeReturnedEquals": c.http_error_code_returned_equals(),
                    "KeyPrefixEquals": c.key_prefix_equals(),
                })),
                "Redirect": r.redirect().map(|d| json!({
                    "HostName": d.host_name(),
                    "HttpRedirectCode": d.http_redirect_code(),
                    "Protocol": d.protocol().map(|p| p.as_str()),
                    "ReplaceKeyPrefixWith": d.replace_key_prefix_with(),
                    "ReplaceKeyWith": d.replace_key_with(),
                })),
            })
        })
        .collect();
    json!({
        "IndexDocument": answer.index_document().map(|d| json!({"Suffix": d.suffix()})),
        "ErrorDocument": answer.error_document().map(|d| json!({"Key": d.key()})),
        "RedirectAllRequestsTo": answer.redirect_all_requests_to().map(|r| json!({
            "HostName": r.host_name(),
            "Protocol": r.protocol().map(|p| p.as_str()),
        })),
        "RoutingRules": rules,
    })
}

/// CORS rules in S3's order (the first rule matching a request applies); the values inside a
/// rule are sets, so they are sorted.
pub(crate) fn cors(rules: &[CorsRule]) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "ID": r.id(),
                "AllowedHeaders": sorted(r.allowed_headers().iter().map(String::as_str)),
                "AllowedMethods": sorted(r.allowed_methods().iter().map(String::as_str)),
                "AllowedOrigins": sorted(r.allowed_origins().iter().map(String::as_str)),
                "ExposeHeaders": sorted(r.expose_headers().iter().map(String::as_str)),
                "MaxAgeSeconds": r.max_age_seconds(),
            })
        })
        .collect();
    Value::Array(rules)
}

/// Lifecycle rules, sorted (each stands alone).
pub(crate) fn lifecycle(answer: &GetBucketLifecycleConfigurationOutput) -> Value {
    Value::Array(stable(answer.rules().iter().map(lifecycle_rule).collect()))
}

// The rule-level `Prefix` is deprecated, but rules written before `Filter` existed still
// carry it, and it decides what they apply to.
#[allow(deprecated)]
fn lifecycle_rule(rule: &LifecycleRule) -> Value {
    json!({
        "ID": rule.id(),
        "Prefix": rule.prefix(),
        "Filter": rule.filter().map(|f| json!({
            "Prefix": f.prefix(),
            "Tag": f.tag().map(tag),
            "ObjectSizeGreaterThan": f.object_size_greater_than(),
            "ObjectSizeLessThan": f.object_size_less_than(),
            "And": f.and().map(|a| json!({
                "Prefix": a.prefix(),
                "Tags": tags(a.tags()),
                "ObjectSizeGreaterThan": a.object_size_greater_than(),
                "ObjectSizeLessThan": a.object_size_less_than(),
            })),
        })),
        "Status": rule.status().as_str(),
        "Expiration": rule.expiration().map(|e| json!({
            "Date": e.date().map(date),
            "Days": e.days(),
            "ExpiredObjectDeleteMarker": e.expired_object_delete_marker(),
        })),
        "Transitions": stable(rule.transitions().iter().map(|t| json!({
            "Date": t.date().map(date),
            "Days": t.days(),
            "StorageClass": t.storage_class().map(|s| s.as_str()),
        })).collect()),
        "NoncurrentVersionTransitions": stable(rule.noncurrent_version_transitions().iter().map(|t| json!({
            "NoncurrentDays": t.noncurrent_days(),
            "NewerNoncurrentVersions": t.newer_noncurrent_versions(),
            "StorageClass": t.storage_class().map(|s| s.as_str()),
        })).collect()),
        "NoncurrentVersionExpiration": rule.noncurrent_version_expiration().map(|e| json!({
            "NoncurrentDays": e.noncurrent_days(),
            "NewerNoncurrentVersions": e.newer_noncurrent_versions(),
        })),
        "AbortIncompleteMultipartUpload": rule.abort_incomplete_multipart_upload().map(|a| json!({
            "DaysAfterInitiation": a.days_after_initiation(),
        })),
    })
}

/// Tags as S3 lists them, sorted by key.
pub(crate) fn tags(tags: &[Tag]) -> Value {
    let mut tags: Vec<&Tag> = tags.iter().collect();
    tags.sort_by(|a, b| (a.key(), a.value()).cmp(&(b.key(), b.value())));
    Value::Array(tags.into_iter().map(tag).collect())
}

fn tag(tag: &Tag) -> Value {
    json!({"Key": tag.key(), "Value": tag.value()})
}

/// Event notifications, or null when the bucket sends none.
pub(crate) fn notifications(answer: &GetBucketNotificationConfigurationOutput) -> Value {
    let topics: Vec<Value> = answer
        .topic_configurations()
        .iter()
        .map(|c| notification(c.id(), "TopicArn", c.topic_arn(), c.events(), c.filter()))
        .collect();
    let queues: Vec<Value> = answer
        .queue_configurations()
        .iter()
        .map(|c| notification(c.id(), "QueueArn", c.queue_arn(), c.events(), c.filter()))
        .collect();
    let lambdas: Vec<Value> = answer
        .lambda_function_configurations()
        .iter()
        .map(|c| notification(c.id(), "LambdaFunctionArn", c.lambda_function_arn(), c.events(), c.filter()))
        .collect();
    let event_bridge = answer.event_bridge_configuration().map(|_| json!({}));
    if topics.is_empty() && queues.is_empty() && lambdas.is_empty() && event_bridge.is_none() {
        return Value::Null;
    }
    json!({
        "TopicConfigurations": stable(topics),
        "QueueConfigurations": stable(queues),
        "LambdaFunctionConfigurations": stable(lambdas),
        "EventBridgeConfiguration": event_bridge,
    })
}

fn notification(
    id: Option<&str>,
    target_key: &str,
    target: &str,
    events: &[Event],
    filter: Option<&NotificationConfigurationFilter>,
) -> Value {
    let filter = filter.map(|f| {
        json!({"Key": f.key().map(|k| json!({
            "FilterRules": stable(k.filter_rules().iter().map(|r| json!({
                "Name": r.name().map(|n| n.as_str()),
                "Value": r.value(),
            })).collect()),
        }))})
    });
    let mut shaped = json!({
        "Id": id,
        "Events": sorted(events.iter().map(Event::as_str)),
        "Filter": filter,
    });
    shaped[target_key] = Value::from(target);
    shaped
}

/// Replication, rules sorted (their `Priority` decides between them, not their order).
pub(crate) fn replication(configuration: Option<&ReplicationConfiguration>) -> Value {
    configuration.map_or(Value::Null, |c| {
        json!({
            "Role": c.role(),
            "Rules": stable(c.rules().iter().map(replication_rule).collect()),
        })
    })
}

// As for lifecycle rules, the deprecated `Prefix` is what older rules select objects by.
#[allow(deprecated)]
fn replication_rule(rule: &ReplicationRule) -> Value {
    json!({
        "ID": rule.id(),
        "Priority": rule.priority(),
        "Prefix": rule.prefix(),
        "Filter": rule.filter().map(|f| json!({
            "Prefix": f.prefix(),
            "Tag": f.tag().map(tag),
            "And": f.and().map(|a| json!({"Prefix": a.prefix(), "Tags": tags(a.tags())})),
        })),
        "Status": rule.status().as_str(),
        "SourceSelectionCriteria": rule.source_selection_criteria().map(|s| json!({
            "SseKmsEncryptedObjects": s.sse_kms_encrypted_objects().map(|o| json!({"Status": o.status().as_str()})),
            "ReplicaModifications": s.replica_modifications().map(|m| json!({"Status": m.status().as_str()})),
        })),
        "ExistingObjectReplication": rule.existing_object_replication().map(|e| json!({"Status": e.status().as_str()})),
        "Destination": rule.destination().map(destination),
        "DeleteMarkerReplication": rule.delete_marker_replication().map(|d| json!({
            "Status": d.status().map(|s| s.as_str()),
        })),
    })
}

fn destination(destination: &Destination) -> Value {
    json!({
        "Bucket": destination.bucket(),
        "Account": destination.account(),
        "StorageClass": destination.storage_class().map(|s| s.as_str()),
        "AccessControlTranslation": destination.access_control_translation().map(|t| json!({"Owner": t.owner().as_str()})),
        "EncryptionConfiguration": destination.encryption_configuration().map(|e| json!({
            "ReplicaKmsKeyID": e.replica_kms_key_id(),
        })),
        "ReplicationTime": destination.replication_time().map(|t| json!({
            "Status": t.status().as_str(),
            "Time": t.time().map(|v| json!({"Minutes": v.minutes()})),
        })),
        "Metrics": destination.metrics().map(|m| json!({
            "Status": m.status().as_str(),
            "EventThreshold": m.event_threshold().map(|v| json!({"Minutes": v.minutes()})),
        })),
    })
}

/// Object lock and its default retention.
pub(crate) fn object_lock(configuration: Option<&ObjectLockConfiguration>) -> Value {
    configuration.map_or(Value::Null, |c| {
        json!({
            "ObjectLockEnabled": c.object_lock_enabled().map(|e| e.as_str()),
            "Rule": c.rule().map(|r| json!({
                "DefaultRetention": r.default_retention().map(|d| json!({
                    "Mode": d.mode().map(|m| m.as_str()),
                    "Days": d.days(),
                    "Years": d.years(),
                })),
            })),
        })
    })
}

/// A timestamp as ISO 8601 text (lifecycle dates).
fn date(at: &DateTime) -> Value {
    at.fmt(DateTimeFormat::DateTime).map_or_else(|_| Value::from(at.secs()), Value::from)
}

/// A set of strings, sorted.
fn sorted<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut values: Vec<&str> = values.collect();
    values.sort_unstable();
    values
}

/// Shaping on answers built with the SDK's builders: the parts moto cannot produce (it has no
/// logging key formats, EventBridge notifications, replication time control or `EU`
/// location), and re-ordered answers, which must shape the same.
#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{BucketLogsPermission, BucketVersioningStatus, ReplicationRuleFilter};
    use aws_sdk_s3::types::{
        Condition, DefaultRetention, DeleteMarkerReplication, DeleteMarkerReplicationStatus, EventBridgeConfiguration,
        ExistingObjectReplication, ExistingObjectReplicationStatus, ExpirationStatus, FilterRule, FilterRuleName,
        Grant, LambdaFunctionConfiguration, LifecycleExpiration, LifecycleRuleAndOperator, LifecycleRuleFilter,
        LoggingEnabled, MfaDeleteStatus, ObjectLockEnabled, ObjectLockRetentionMode, ObjectLockRule, Owner,
        PartitionDateSource, PartitionedPrefix, Permission, QueueConfiguration, Redirect, ReplicationRuleStatus,
        ReplicationTime, ReplicationTimeStatus, ReplicationTimeValue, RoutingRule, S3KeyFilter, TargetGrant,
        TargetObjectKeyFormat, Type,
    };

    const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";

    fn tag(key: &str, value: &str) -> Tag {
        Tag::builder().key(key).value(value).build().expect("tag")
    }

    fn user(id: &str, display_name: Option<&str>) -> Grantee {
        Grantee::builder()
            .r#type(Type::CanonicalUser)
            .id(id)
            .set_display_name(display_name.map(str::to_owned))
            .build()
            .expect("grantee")
    }

    #[test]
    fn bucket_regions_follow_get_bucket_location() {
        assert_eq!(region_of(None), "us-east-1");
        assert_eq!(region_of(Some(&BucketLocationConstraint::from(""))), "us-east-1");
        assert_eq!(region_of(Some(&BucketLocationConstraint::Eu)), "eu-west-1");
        assert_eq!(region_of(Some(&BucketLocationConstraint::EuWest2)), "eu-west-2");
        assert_eq!(region_of(Some(&BucketLocationConstraint::from("mx-central-1"))), "mx-central-1");
        assert_eq!(
            (partition("us-east-1"), partition("cn-north-1"), partition("us-gov-west-1")),
            ("aws", "aws-cn", "aws-us-gov")
        );
    }

    #[test]
    fn grants_sort_by_who_and_what_never_by_display_name() {
        let answer = |with_names: bool| {
            GetBucketAclOutput::builder()
                .owner(Owner::builder().id("owner").set_display_name(with_names.then(|| "zed".to_owned())).build())
                .grants(
                    Grant::builder()
                        .grantee(user("bbb", with_names.then_some("aaa")))
                        .permission(Permission::FullControl)
                        .build(),
                )
                .grants(
                    Grant::builder()
                        .grantee(Grantee::builder().r#type(Type::Group).uri(ALL_USERS).build().expect("group"))
                        .permission(Permission::Read)
                        .build(),
                )
                .grants(
                    Grant::builder()
                        .grantee(user("aaa", with_names.then_some("zzz")))
                        .permission(Permission::Read)
                        .build(),
                )
                .build()
        };
        let (owner, grants) = acl(&answer(true));
        assert_eq!(owner, json!({"ID": "owner", "DisplayName": "zed"}));
        let order = |grants: &[Value]| grants.iter().map(|g| g["Grantee"]["ID"].clone()).collect::<Vec<_>>();
        assert_eq!(order(&grants), vec![json!("aaa"), json!("bbb"), Value::Null]);
        assert_eq!(grants[2]["Grantee"]["URI"], ALL_USERS);
        assert_eq!(grants[0]["Grantee"]["DisplayName"], "zzz");
        let (_, unnamed) = acl(&answer(false));
        assert_eq!(order(&unnamed), order(&grants), "display names vanishing re-order nothing");
    }

    #[test]
    fn the_account_block_is_shaped_as_the_bucket_block() {
        let account = aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
            .block_public_acls(true)
            .restrict_public_buckets(false)
            .build();
        let bucket =
            PublicAccessBlockConfiguration::builder().block_public_acls(true).restrict_public_buckets(false).build();
        let shaped = account_public_access_block(Some(&account));
        assert_eq!(shaped, public_access_block(Some(&bucket)));
        assert_eq!(
            shaped,
            json!({"BlockPublicAcls": true, "IgnorePublicAcls": null, "BlockPublicPolicy": null, "RestrictPublicBuckets": false})
        );
        assert_eq!(account_public_access_block(None), Value::Null);
    }

    #[test]
    fn a_policy_that_is_not_json_is_kept_as_text() {
        assert_eq!(policy(None), Value::Null);
        assert_eq!(policy(Some(r#"{"Version":"2012-10-17"}"#)), json!({"Version": "2012-10-17"}));
        assert_eq!(policy(Some("{not json")), json!("{not json"));
    }

    #[test]
    fn versioning_keeps_mfa_delete() {
        let answer = GetBucketVersioningOutput::builder()
            .status(BucketVersioningStatus::Suspended)
            .mfa_delete(MfaDeleteStatus::Enabled)
            .build();
        assert_eq!(versioning(&answer), json!({"Status": "Suspended", "MFADelete": "Enabled"}));
        assert_eq!(
            versioning(&GetBucketVersioningOutput::builder().build()),
            json!({"Status": null, "MFADelete": null})
        );
    }

    #[test]
    fn logging_with_grants_and_a_partitioned_key_format() {
        let enabled = LoggingEnabled::builder()
            .target_bucket("logs")
            .target_prefix("data/")
            .target_grants(
                TargetGrant::builder().grantee(user("b", None)).permission(BucketLogsPermission::Write).build(),
            )
            .target_grants(
                TargetGrant::builder().grantee(user("a", Some("ops"))).permission(BucketLogsPermission::Read).build(),
            )
            .target_object_key_format(
                TargetObjectKeyFormat::builder()
                    .partitioned_prefix(
                        PartitionedPrefix::builder().partition_date_source(PartitionDateSource::EventTime).build(),
                    )
                    .build(),
            )
            .build()
            .expect("logging");
        let shaped = logging(&GetBucketLoggingOutput::builder().logging_enabled(enabled).build());
        assert_eq!(shaped["TargetBucket"], "logs");
        assert_eq!(shaped["TargetGrants"][0]["Grantee"]["ID"], "a");
        assert_eq!(shaped["TargetGrants"][0]["Permission"], "READ");
        assert_eq!(shaped["TargetObjectKeyFormat"], json!({"PartitionedPrefix": {"PartitionDateSource": "EventTime"}}));
        assert_eq!(logging(&GetBucketLoggingOutput::builder().build()), Value::Null, "logging off");
    }

    #[test]
    fn website_routing_rules_keep_their_order() {
        let rule = |prefix: &str, to: &str| {
            RoutingRule::builder()
                .condition(Condition::builder().key_prefix_equals(prefix).build())
                .redirect(Redirect::builder().replace_key_prefix_with(to).http_redirect_code("301").build())
                .build()
        };
        let answer = GetBucketWebsiteOutput::builder()
            .routing_rules(rule("z/", "last/"))
            .routing_rules(rule("a/", "first/"))
            .build();
        let shaped = website(&answer);
        assert_eq!(shaped["RoutingRules"][0]["Condition"]["KeyPrefixEquals"], "z/");
        assert_eq!(shaped["RoutingRules"][1]["Redirect"]["ReplaceKeyPrefixWith"], "first/");
        assert_eq!(shaped["RoutingRules"][1]["Redirect"]["HttpRedirectCode"], "301");
        assert_eq!(shaped["IndexDocument"], Value::Null);
    }

    #[test]
    fn notifications_are_sorted_and_null_when_none() {
        let filter = NotificationConfigurationFilter::builder()
            .key(
                S3KeyFilter::builder()
                    .filter_rules(FilterRule::builder().name(FilterRuleName::Suffix).value(".jpg").build())
                    .filter_rules(FilterRule::builder().name(FilterRuleName::Prefix).value("images/").build())
                    .build(),
            )
            .build();
        let lambda = LambdaFunctionConfiguration::builder()
            .id("thumbnails")
            .lambda_function_arn("arn:aws:lambda:us-east-1:123456789012:function:thumbs")
            .events(Event::S3ObjectCreatedPut)
            .events(Event::S3ObjectCreatedCopy)
            .filter(filter)
            .build()
            .expect("lambda");
        let queue = |id: &str| {
            QueueConfiguration::builder()
                .id(id)
                .queue_arn(format!("arn:aws:sqs:us-east-1:123456789012:{id}"))
                .events(Event::S3ObjectRemoved)
                .build()
                .expect("queue")
        };
        let answer = |queues: [&str; 2]| {
            GetBucketNotificationConfigurationOutput::builder()
                .lambda_function_configurations(lambda.clone())
                .queue_configurations(queue(queues[0]))
                .queue_configurations(queue(queues[1]))
                .event_bridge_configuration(EventBridgeConfiguration::builder().build())
                .build()
        };
        let shaped = notifications(&answer(["b", "a"]));
        assert_eq!(shaped, notifications(&answer(["a", "b"])), "re-ordered is the same");
        assert_eq!(shaped["EventBridgeConfiguration"], json!({}));
        let lambda = &shaped["LambdaFunctionConfigurations"][0];
        assert_eq!(lambda["Events"], json!(["s3:ObjectCreated:Copy", "s3:ObjectCreated:Put"]));
        assert_eq!(
            lambda["Filter"]["Key"]["FilterRules"],
            json!([{"Name": "prefix", "Value": "images/"}, {"Name": "suffix", "Value": ".jpg"}])
        );
        assert_eq!(shaped["QueueConfigurations"][0]["Id"], "a");
        assert_eq!(notifications(&GetBucketNotificationConfigurationOutput::builder().build()), Value::Null);
    }

    #[test]
    fn lifecycle_rules_are_sorted_with_dates_as_text() {
        let rule = |id: &str| {
            LifecycleRule::builder()
                .id(id)
                .status(ExpirationStatus::Enabled)
                .filter(
                    LifecycleRuleFilter::builder()
                        .and(
                            LifecycleRuleAndOperator::builder()
                                .prefix("logs/")
                                .tags(tag("z", "1"))
                                .tags(tag("a", "2"))
                                .object_size_greater_than(1024)
                                .build(),
                        )
                        .build(),
                )
                .expiration(LifecycleExpiration::builder().date(DateTime::from_secs(1_700_006_400)).build())
                .build()
                .expect("rule")
        };
        let answer = |ids: [&str; 2]| {
            GetBucketLifecycleConfigurationOutput::builder().rules(rule(ids[0])).rules(rule(ids[1])).build()
        };
        let shaped = lifecycle(&answer(["b", "a"]));
        assert_eq!(shaped, lifecycle(&answer(["a", "b"])));
        assert_eq!(shaped[0]["ID"], "a");
        assert_eq!(shaped[0]["Expiration"]["Date"], "2023-11-15T00:00:00Z");
        assert_eq!(shaped[0]["Filter"]["And"]["Tags"], json!([{"Key": "a", "Value": "2"}, {"Key": "z", "Value": "1"}]));
        assert_eq!(shaped[0]["Filter"]["And"]["ObjectSizeGreaterThan"], 1024);
    }

    #[test]
    fn replication_keeps_its_destination_details() {
        let destination = Destination::builder()
            .bucket("arn:aws:s3:::backup")
            .account("210987654321")
            .replication_time(
                ReplicationTime::builder()
                    .status(ReplicationTimeStatus::Enabled)
                    .time(ReplicationTimeValue::builder().minutes(15).build())
                    .build()
                    .expect("time"),
            )
            .build()
            .expect("destination");
        let rule = ReplicationRule::builder()
            .id("backup")
            .priority(2)
            .filter(ReplicationRuleFilter::builder().tag(tag("backup", "yes")).build())
            .status(ReplicationRuleStatus::Enabled)
            .existing_object_replication(
                ExistingObjectReplication::builder()
                    .status(ExistingObjectReplicationStatus::Enabled)
                    .build()
                    .expect("existing"),
            )
            .delete_marker_replication(
                DeleteMarkerReplication::builder().status(DeleteMarkerReplicationStatus::Enabled).build(),
            )
            .destination(destination)
            .build()
            .expect("rule");
        let configuration = ReplicationConfiguration::builder()
            .role("arn:aws:iam::123456789012:role/replication")
            .rules(rule)
            .build()
            .expect("replication");
        let shaped = replication(Some(&configuration));
        let rule = &shaped["Rules"][0];
        assert_eq!(rule["Filter"]["Tag"], json!({"Key": "backup", "Value": "yes"}));
        assert_eq!(rule["Destination"]["Account"], "210987654321");
        assert_eq!(rule["Destination"]["ReplicationTime"], json!({"Status": "Enabled", "Time": {"Minutes": 15}}));
        assert_eq!(rule["ExistingObjectReplication"]["Status"], "Enabled");
        assert_eq!(replication(None), Value::Null);
    }

    #[test]
    fn object_lock_with_default_retention_in_years() {
        let configuration = ObjectLockConfiguration::builder()
            .object_lock_enabled(ObjectLockEnabled::Enabled)
            .rule(
                ObjectLockRule::builder()
                    .default_retention(
                        DefaultRetention::builder().mode(ObjectLockRetentionMode::Compliance).years(7).build(),
                    )
                    .build(),
            )
            .build();
        assert_eq!(
            object_lock(Some(&configuration)),
            json!({"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": null, "Years": 7}}})
        );
    }
}
