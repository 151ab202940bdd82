//! Realistic, deterministic cloud configurations (and edited copies) for the benchmarks.
//!
//! Values are already in canonical form (string sets sorted, one-element lists collapsed),
//! as change detection stores them, so diffs measure the comparison and nothing else.

use serde_json::{Map, Value, json};

/// The account every fixture belongs to.
pub const ACCOUNT: &str = "123456789012";

/// Actions drawn on by the generated statements, grouped by service.
const SERVICES: [(&str, &str, &[&str]); 5] = [
    (
        "s3",
        "arn:aws:s3:::",
        &[
            "s3:DeleteObject",
            "s3:GetBucketLocation",
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:ListBucket",
            "s3:PutObject",
            "s3:PutObjectAcl",
        ],
    ),
    (
        "dynamodb",
        "arn:aws:dynamodb:us-east-1:123456789012:table/",
        &[
            "dynamodb:BatchGetItem",
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:UpdateItem",
        ],
    ),
    (
        "sqs",
        "arn:aws:sqs:eu-west-1:123456789012:",
        &[
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
            "sqs:SendMessage",
        ],
    ),
    (
        "kms",
        "arn:aws:kms:us-east-1:123456789012:key/",
        &["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom"],
    ),
    (
        "logs",
        "arn:aws:logs:us-east-1:123456789012:log-group:",
        &["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
    ),
];

/// An IAM policy document with `statements` statements of varied services and conditions.
pub fn iam_policy(statements: usize) -> Value {
    let statements: Vec<Value> = (0..statements).map(statement).collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn statement(i: usize) -> Value {
    let (service, arn_prefix, actions) = SERVICES[i % SERVICES.len()];
    let take = 2 + i % 4;
    let start = (i / SERVICES.len()) % actions.len();
    let mut chosen: Vec<&str> = (0..take).map(|k| actions[(start + k) % actions.len()]).collect();
    chosen.sort_unstable();
    chosen.dedup();
    let resources: Vec<Value> =
        (0..1 + i % 3).map(|k| Value::from(format!("{arn_prefix}{service}-resource-{i:05}-{k}"))).collect();
    let mut statement = Map::new();
    statement.insert("Sid".into(), Value::from(format!("Stmt{i:05}")));
    statement.insert("Effect".into(), Value::from(if i % 11 == 10 { "Deny" } else { "Allow" }));
    statement.insert("Action".into(), string_set(chosen));
    statement.insert("Resource".into(), collapse(resources));
    match i % 6 {
        1 => {
            statement.insert(
                "Condition".into(),
                json!({"StringEquals": {"aws:SourceVpc": format!("vpc-{:08x}", i * 7919)}}),
            );
        }
        4 => {
            statement.insert(
                "Condition".into(),
                json!({
                    "Bool": {"aws:SecureTransport": "true"},
                    "IpAddress": {"aws:SourceIp": [format!("10.{}.0.0/16", i % 256), "192.168.0.0/24"]}
                }),
            );
        }
        _ => {}
    }
    Value::Object(statement)
}

/// A copy of `policy` with `count` statements, spread over the list, given an extra action or a new resource.
pub fn change_statements(policy: &Value, count: usize) -> Value {
    let mut changed = policy.clone();
    let Some(statements) = changed.get_mut("Statement").and_then(Value::as_array_mut) else {
        return changed;
    };
    let len = statements.len();
    for k in 0..count.min(len) {
        let index = k * len / count.min(len);
        let Some(Value::Object(statement)) = statements.get_mut(index) else {
            continue;
        };
        if k.is_multiple_of(2) {
            let mut actions: Vec<String> = match statement.get("Action") {
                Some(Value::String(one)) => vec![one.clone()],
                Some(Value::Array(many)) => many.iter().filter_map(|a| a.as_str().map(String::from)).collect(),
                _ => Vec::new(),
            };
            actions.push("iam:PassRole".into());
            actions.sort_unstable();
            actions.dedup();
            statement.insert("Action".into(), string_set(actions.iter().map(String::as_str).collect()));
        } else {
            statement.insert("Resource".into(), Value::from(format!("arn:aws:s3:::changed-bucket-{index:05}/*")));
        }
    }
    changed
}

/// An EC2 security group as `DescribeSecurityGroups` returns it, with `rules` ingress rules.
pub fn security_group(rules: usize) -> Value {
    let ingress: Vec<Value> = (0..rules).map(ingress_rule).collect();
    json!({
        "Description": "Web tier: load balancers and bastion access",
        "GroupId": "sg-0a1b2c3d4e5f60718",
        "GroupName": "web-tier",
        "OwnerId": ACCOUNT,
        "VpcId": "vpc-0123456789abcdef0",
        "IpPermissions": ingress,
        "IpPermissionsEgress": [{
            "IpProtocol": "-1",
            "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            "PrefixListIds": [],
            "UserIdGroupPairs": []
        }],
        "Tags": [
            {"Key": "Name", "Value": "web-tier"},
            {"Key": "team", "Value": "platform"},
            {"Key": "env", "Value": "production"}
        ]
    })
}

fn ingress_rule(i: usize) -> Value {
    const PORTS: [u16; 8] = [22, 80, 443, 3306, 5432, 6379, 8080, 9200];
    let port = PORTS[i % PORTS.len()] + (i / PORTS.len()) as u16;
    let ip_ranges: Vec<Value> = (0..1 + i % 3)
        .map(|k| {
            json!({
                "CidrIp": format!("10.{}.{}.0/24", (i / 256) % 256, (i + k) % 256),
                "Description": format!("office range {k} for rule {i}")
            })
        })
        .collect();
    let ipv6_ranges: Vec<Value> = if i.is_multiple_of(4) {
        vec![json!({"CidrIpv6": format!("2001:db8:{i:x}::/48"), "Description": "office v6"})]
    } else {
        Vec::new()
    };
    let pairs: Vec<Value> = if i.is_multiple_of(5) {
        vec![json!({
            "GroupId": format!("sg-{:017x}", i * 104_729),
            "UserId": ACCOUNT,
            "Description": "from the app tier"
        })]
    } else {
        Vec::new()
    };
    json!({
        "IpProtocol": if i % 9 == 8 { "udp" } else { "tcp" },
        "FromPort": port,
        "ToPort": port,
        "IpRanges": ip_ranges,
        "Ipv6Ranges": ipv6_ranges,
        "PrefixListIds": [],
        "UserIdGroupPairs": pairs
    })
}

/// A copy of `group` with `count` ingress rules, spread over the list, opened to the world or re-ported.
pub fn change_rules(group: &Value, count: usize) -> Value {
    let mut changed = group.clone();
    let Some(rules) = changed.get_mut("IpPermissions").and_then(Value::as_array_mut) else {
        return changed;
    };
    let len = rules.len();
    for k in 0..count.min(len) {
        let index = k * len / count.min(len);
        let Some(Value::Object(rule)) = rules.get_mut(index) else {
            continue;
        };
        if k.is_multiple_of(2) {
            if let Some(Value::Array(ranges)) = rule.get_mut("IpRanges") {
                ranges.push(json!({"CidrIp": "0.0.0.0/0", "Description": "temporary"}));
            }
        } else {
            rule.insert("ToPort".into(), Value::from(65535));
        }
    }
    changed
}

/// A full S3 bucket configuration: ACL, policy, public access block, encryption, lifecycle and more.
pub fn s3_bucket() -> Value {
    json!({
        "Name": "acme-production-assets",
        "Arn": "arn:aws:s3:::acme-production-assets",
        "Region": "eu-west-1",
        "CreationDate": "2021-03-04T10:11:12Z",
        "Owner": {"DisplayName": "acme-prod", "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
        "Grants": [
            {"Grantee": {"DisplayName": "acme-prod", "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"},
            {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"}, "Permission": "WRITE"},
            {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"}, "Permission": "READ_ACP"}
        ],
        "Policy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": ["arn:aws:s3:::acme-production-assets", "arn:aws:s3:::acme-production-assets/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                },
                {
                    "Sid": "CloudFrontRead",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::acme-production-assets/*",
                    "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456"}}
                },
                {
                    "Sid": "DeployRole",
                    "Effect": "Allow",
                    "Principal": {"AWS": ["arn:aws:iam::123456789012:role/ci-deploy", "arn:aws:iam::123456789012:role/release"]},
                    "Action": ["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"],
                    "Resource": ["arn:aws:s3:::acme-production-assets", "arn:aws:s3:::acme-production-assets/*"]
                }
            ]
        },
        "PublicAccessBlock": {
            "BlockPublicAcls": true,
            "IgnorePublicAcls": true,
            "BlockPublicPolicy": true,
            "RestrictPublicBuckets": true
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "ServerSideEncryptionConfiguration": {"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
            "BucketKeyEnabled": true
        }]},
        "Versioning": {"Status": "Enabled", "MFADelete": "Disabled"},
        "Logging": {"TargetBucket": "acme-access-logs", "TargetPrefix": "s3/acme-production-assets/", "TargetGrants": []},
        "Website": {
            "IndexDocument": {"Suffix": "index.html"},
            "ErrorDocument": {"Key": "error.html"},
            "RoutingRules": [
                {"Condition": {"KeyPrefixEquals": "docs/"}, "Redirect": {"ReplaceKeyPrefixWith": "documents/"}},
                {"Condition": {"HttpErrorCodeReturnedEquals": "404"}, "Redirect": {"HostName": "www.acme.example", "ReplaceKeyPrefixWith": "#!/"}}
            ]
        },
        "CORSRules": [
            {"AllowedHeaders": ["*"], "AllowedMethods": ["GET", "HEAD"], "AllowedOrigins": ["https://www.acme.example", "https://app.acme.example"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000},
            {"AllowedHeaders": ["Authorization", "Content-Type"], "AllowedMethods": ["PUT", "POST"], "AllowedOrigins": ["https://admin.acme.example"], "ExposeHeaders": [], "MaxAgeSeconds": 600}
        ],
        "LifecycleRules": [
            {"ID": "expire-tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 7}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}},
            {"ID": "archive-logs", "Status": "Enabled", "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "archive", "Value": "true"}]}},
             "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}],
             "NoncurrentVersionExpiration": {"NoncurrentDays": 365}},
            {"ID": "old-versions", "Status": "Enabled", "Filter": {}, "NoncurrentVersionTransitions": [{"NoncurrentDays": 30, "StorageClass": "GLACIER_IR"}]}
        ],
        "Tags": [
            {"Key": "team", "Value": "web"},
            {"Key": "env", "Value": "production"},
            {"Key": "cost-center", "Value": "cc-1042"},
            {"Key": "data-classification", "Value": "public"}
        ],
        "NotificationConfiguration": {
            "LambdaFunctionConfigurations": [{
                "Id": "thumbnails",
                "LambdaFunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:thumbnails",
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "images/"}, {"Name": "suffix", "Value": ".jpg"}]}}
            }],
            "QueueConfigurations": [{
                "Id": "index-queue",
                "QueueArn": "arn:aws:sqs:eu-west-1:123456789012:asset-index",
                "Events": ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"]
            }],
            "TopicConfigurations": [],
            "EventBridgeConfiguration": {}
        },
        "ReplicationConfiguration": {
            "Role": "arn:aws:iam::123456789012:role/s3-replication",
            "Rules": [{
                "ID": "to-dr-region",
                "Priority": 1,
                "Status": "Enabled",
                "Filter": {"Prefix": ""},
                "DeleteMarkerReplication": {"Status": "Enabled"},
                "Destination": {
                    "Bucket": "arn:aws:s3:::acme-production-assets-dr",
                    "StorageClass": "STANDARD_IA",
                    "EncryptionConfiguration": {"ReplicaKmsKeyID": "arn:aws:kms:eu-central-1:123456789012:key/abcd1234-ab12-cd34-ef56-abcdef123456"}
                },
                "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
            }]
        },
        "ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}}
    })
}

/// A copy of `bucket` with versioning suspended, a statement opened up, a tag and a lifecycle rule changed.
pub fn change_bucket(bucket: &Value) -> Value {
    let mut changed = bucket.clone();
    if let Some(versioning) = changed.pointer_mut("/Versioning/Status") {
        *versioning = Value::from("Suspended");
    }
    if let Some(principal) = changed.pointer_mut("/Policy/Statement/1/Principal") {
        *principal = Value::from("*");
    }
    if let Some(Value::Array(tags)) = changed.get_mut("Tags") {
        tags.retain(|tag| tag["Key"] != "cost-center");
        tags.push(json!({"Key": "owner", "Value": "alice@acme.example"}));
    }
    if let Some(days) = changed.pointer_mut("/LifecycleRules/0/Expiration/Days") {
        *days = Value::from(1);
    }
    if let Some(block) = changed.pointer_mut("/PublicAccessBlock/BlockPublicPolicy") {
        *block = Value::from(false);
    }
    changed
}

/// A sorted, de-duplicated string set in canonical form: one element as a plain string.
fn string_set(items: Vec<&str>) -> Value {
    collapse(items.into_iter().map(Value::from).collect())
}

fn collapse(mut items: Vec<Value>) -> Value {
    if items.len() == 1 { items.pop().unwrap_or(Value::Null) } else { Value::Array(items) }
}
