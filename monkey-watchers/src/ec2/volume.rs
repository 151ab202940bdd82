//! `ebsvolume`: every EBS volume, whether it is encrypted and which instances it is attached to.
//!
//! Calls per region: DescribeVolumes (paginated); nothing per volume. Which instance holds a
//! volume stays durable (data moving to another instance is worth a look). Ephemeral:
//! `State` (`creating`, then `available` or `in-use`, which only echoes the attachments) and
//! each attachment's `State` and `AttachTime`.

use super::Collector;
use super::shape::{arn, stable_by, tagged_name, tags, time};
use crate::aws::describe;
use crate::aws::regional::item_failure;
use async_trait::async_trait;
use aws_sdk_ec2::types::Volume;
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `ebsvolume` technology.
#[derive(Debug)]
pub struct Volumes;

#[async_trait]
impl Collector for Volumes {
    const TECHNOLOGY: &'static str = "ebsvolume";
    const EPHEMERAL_PATHS: &'static [&'static str] = &["State", "Attachments.*.State", "Attachments.*.AttachTime"];

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let volumes: Vec<Volume> = client
            .describe_volumes()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeVolumes in {region} failed: {}", describe(&e)))?;
        Ok(shape(region, account, &volumes))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("VolumeId").and_then(Value::as_str)
    }
}

/// The items of one region.
fn shape(region: &str, account: &AccountNumber, volumes: &[Volume]) -> Slurp {
    let mut slurp = Slurp::default();
    for volume in volumes {
        let Some(id) = volume.volume_id().filter(|id| !id.is_empty()) else {
            slurp.failures.push(item_failure(region, "<unnamed volume>", "a volume without a VolumeId"));
            continue;
        };
        let arn = arn(region, account.as_str(), &format!("volume/{id}"));
        let attachments = volume
            .attachments()
            .iter()
            .map(|a| {
                json!({
                    "InstanceId": a.instance_id(),
                    "Device": a.device(),
                    "DeleteOnTermination": a.delete_on_termination(),
                    "AssociatedResource": a.associated_resource(),
                    "State": a.state().map(|s| s.as_str()),
                    "AttachTime": time(a.attach_time()),
                })
            })
            .collect();
        let config = json!({
            "VolumeId": id,
            "Arn": arn,
            "Size": volume.size(),
            "VolumeType": volume.volume_type().map(|t| t.as_str()),
            "Iops": volume.iops(),
            "Throughput": volume.throughput(),
            "SnapshotId": volume.snapshot_id().filter(|s| !s.is_empty()),
            "AvailabilityZone": volume.availability_zone(),
            "Encrypted": volume.encrypted(),
            "KmsKeyId": volume.kms_key_id(),
            "SseType": volume.sse_type().map(|t| t.as_str()),
            "MultiAttachEnabled": volume.multi_attach_enabled(),
            "FastRestored": volume.fast_restored(),
            "OutpostArn": volume.outpost_arn(),
            "CreateTime": time(volume.create_time()),
            "State": volume.state().map(|s| s.as_str()),
            // An instance appears once per volume, so it identifies the attachment.
            "Attachments": stable_by(attachments, "InstanceId"),
            "Tags": tags(volume.tags()),
        });
        slurp.items.push(SlurpedItem {
            region: region.to_owned(),
            name: tagged_name(volume.tags(), id),
            arn: Some(arn),
            config,
        });
    }
    slurp
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::VolumeAttachment;

    #[test]
    fn attachments_sort_by_instance() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let volume = Volume::builder()
            .volume_id("vol-1")
            .encrypted(false)
            .attachments(VolumeAttachment::builder().instance_id("i-2").device("/dev/sdf").build())
            .attachments(VolumeAttachment::builder().instance_id("i-1").device("/dev/sdg").build())
            .build();
        let slurp = shape("us-east-1", &account, &[volume]);
        let config = &slurp.items[0].config;
        assert_eq!(slurp.items[0].arn.as_deref(), Some("arn:aws:ec2:us-east-1:123456789012:volume/vol-1"));
        assert_eq!(config["Attachments"][0]["InstanceId"], "i-1");
        assert_eq!(config["Encrypted"], false);
    }
}
