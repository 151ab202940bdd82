//! `ebssnapshot`: the account's own EBS snapshots and who may create volumes from them.
//!
//! Calls per region: DescribeSnapshots (OwnerIds `self` and an `owner-id` filter, paginated); per snapshot one
//! DescribeSnapshotAttribute (`createVolumePermission`), a few at a time. A failing attribute
//! call is a failure scoped to that snapshot, which is still emitted (with
//! `CreateVolumePermissions` null) so the slurp shows it, while change detection leaves its
//! stored revision alone.
//!
//! `CreateVolumePermissions` is the list auditors read: `{"Group": "all"}` is public,
//! `{"UserId": ...}` another account (or `aws-marketplace`). Ephemeral: `State`,
//! `StateMessage`, `Progress`, `CompletionTime` and `RestoreExpiryTime`, which move while a
//! snapshot is taken or restored from the archive tier and say nothing about who can read it.

use super::Collector;
use super::shape::{arn, per_item, present, tagged_name, tags, time};
use crate::aws::describe;
use crate::aws::regional::{item_failure, stable};
use async_trait::async_trait;
use aws_sdk_ec2::types::{CreateVolumePermission, Filter, Snapshot, SnapshotAttributeName};
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `ebssnapshot` technology.
#[derive(Debug)]
pub struct Snapshots;

#[async_trait]
impl Collector for Snapshots {
    const TECHNOLOGY: &'static str = "ebssnapshot";
    const EPHEMERAL_PATHS: &'static [&'static str] =
        &["State", "StateMessage", "Progress", "CompletionTime", "RestoreExpiryTime"];

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        // `OwnerIds: self` is what AWS documents for "own snapshots"; the `owner-id` filter says
        // the same, and is the one moto honours (it ignores OwnerIds and would answer with the
        // snapshots behind every public AMI it simulates).
        let snapshots: Vec<Snapshot> = client
            .describe_snapshots()
            .owner_ids("self")
            .filters(Filter::builder().name("owner-id").values(account.as_str()).build())
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeSnapshots in {region} failed: {}", describe(&e)))?;
        let ids = snapshots.iter().map(|s| s.snapshot_id().unwrap_or_default().to_owned()).collect();
        let permissions = per_item(ids, |id| {
            let client = client.clone();
            async move {
                // An item without an id is reported by the shaping; asking AWS about it is useless.
                if id.is_empty() {
                    return Ok(Vec::new());
                }
                client
                    .describe_snapshot_attribute()
                    .snapshot_id(&id)
                    .attribute(SnapshotAttributeName::CreateVolumePermission)
                    .send()
                    .await
                    .map(|answer| answer.create_volume_permissions().to_vec())
                    .map_err(|e| format!("DescribeSnapshotAttribute (createVolumePermission) failed: {}", describe(&e)))
            }
        })
        .await;
        Ok(shape(region, &snapshots, permissions))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("SnapshotId").and_then(Value::as_str)
    }
}

/// The items of one region: each snapshot with the answer of its attribute call.
fn shape(region: &str, snapshots: &[Snapshot], permissions: Vec<Result<Vec<CreateVolumePermission>, String>>) -> Slurp {
    let mut slurp = Slurp::default();
    for (snapshot, permissions) in snapshots.iter().zip(permissions) {
        let Some(id) = snapshot.snapshot_id().filter(|id| !id.is_empty()) else {
            slurp.failures.push(item_failure(region, "<unnamed snapshot>", "a snapshot without a SnapshotId"));
            continue;
        };
        let name = tagged_name(snapshot.tags(), id);
        let permissions = match permissions {
            Ok(permissions) => Value::Array(stable(
                permissions
                    .iter()
                    .map(|p| present(&[("Group", p.group().map(|g| g.as_str())), ("UserId", p.user_id())]))
                    .collect(),
            )),
            Err(message) => {
                slurp.failures.push(item_failure(region, &name, format!("{id}: {message}")));
                Value::Null
            }
        };
        // Snapshot ARNs carry no account: AWS documents them as `arn:aws:ec2:<region>::snapshot/<id>`.
        let arn = arn(region, "", &format!("snapshot/{id}"));
        let config = json!({
            "SnapshotId": id,
            "Arn": arn,
            "OwnerId": snapshot.owner_id(),
            "OwnerAlias": snapshot.owner_alias(),
            "VolumeId": snapshot.volume_id(),
            "VolumeSize": snapshot.volume_size(),
            "Description": snapshot.description(),
            "Encrypted": snapshot.encrypted(),
            "KmsKeyId": snapshot.kms_key_id(),
            "DataEncryptionKeyId": snapshot.data_encryption_key_id(),
            "SseType": snapshot.sse_type().map(|t| t.as_str()),
            "StorageTier": snapshot.storage_tier().map(|t| t.as_str()),
            "OutpostArn": snapshot.outpost_arn(),
            "StartTime": time(snapshot.start_time()),
            "State": snapshot.state().map(|s| s.as_str()),
            "StateMessage": snapshot.state_message(),
            "Progress": snapshot.progress(),
            "CompletionTime": time(snapshot.completion_time()),
            "RestoreExpiryTime": time(snapshot.restore_expiry_time()),
            "Tags": tags(snapshot.tags()),
            "CreateVolumePermissions": permissions,
        });
        slurp.items.push(SlurpedItem { region: region.to_owned(), name, arn: Some(arn), config });
    }
    slurp
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{PermissionGroup, Tag};

    #[test]
    fn permissions_are_sorted_and_a_failed_attribute_call_is_scoped_to_its_snapshot() {
        let snapshots = [
            Snapshot::builder().snapshot_id("snap-1").tags(Tag::builder().key("Name").value("db").build()).build(),
            Snapshot::builder().snapshot_id("snap-2").build(),
        ];
        let permissions = vec![
            Ok(vec![
                CreateVolumePermission::builder().user_id("111122223333").build(),
                CreateVolumePermission::builder().group(PermissionGroup::All).build(),
            ]),
            Err("AccessDenied".to_owned()),
        ];
        let slurp = shape("us-east-1", &snapshots, permissions);
        assert_eq!(slurp.items.len(), 2);
        assert_eq!(slurp.items[0].name, "db (snap-1)");
        assert_eq!(slurp.items[0].arn.as_deref(), Some("arn:aws:ec2:us-east-1::snapshot/snap-1"));
        assert_eq!(
            slurp.items[0].config["CreateVolumePermissions"],
            json!([{"Group": "all"}, {"UserId": "111122223333"}])
        );
        assert_eq!(slurp.items[1].config["CreateVolumePermissions"], Value::Null);
        assert_eq!(slurp.failures, vec![item_failure("us-east-1", "snap-2", "snap-2: AccessDenied")]);
    }
}
