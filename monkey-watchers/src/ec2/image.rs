//! `ec2image`: the account's own AMIs and who may launch them.
//!
//! Calls per region: DescribeImages (Owners `self`, paginated); per image one
//! DescribeImageAttribute (`launchPermission`), a few at a time. A failing attribute call is
//! a failure scoped to that image, which is still emitted (with `LaunchPermissions` null).
//!
//! `Public` and `LaunchPermissions` (`{"Group": "all"}`, `{"UserId": ...}`,
//! `{"OrganizationArn": ...}`, `{"OrganizationalUnitArn": ...}`) are what auditors read.
//! The item is named after the AMI's own `Name`, which AWS requires and never lets change
//! (a tag could be renamed, which would look like a deletion and a creation):
//! `"<Name> (<ami-id>)"`. Ephemeral: `State` and `StateReason` (pending while the image is
//! made) and `LastLaunchedTime` (a usage date).

use super::Collector;
use super::shape::{arn, per_item, present, stable_by, tags};
use crate::aws::describe;
use crate::aws::regional::{item_failure, stable};
use async_trait::async_trait;
use aws_sdk_ec2::types::{BlockDeviceMapping, Image, ImageAttributeName, LaunchPermission, ProductCode};
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};

/// The `ec2image` technology.
#[derive(Debug)]
pub struct Images;

#[async_trait]
impl Collector for Images {
    const TECHNOLOGY: &'static str = "ec2image";
    const EPHEMERAL_PATHS: &'static [&'static str] = &["State", "StateReason", "LastLaunchedTime"];

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, _account: &AccountNumber) -> Result<Slurp, String> {
        let images: Vec<Image> = client
            .describe_images()
            .owners("self")
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| format!("DescribeImages in {region} failed: {}", describe(&e)))?;
        let ids = images.iter().map(|i| i.image_id().unwrap_or_default().to_owned()).collect();
        let permissions = per_item(ids, |id| {
            let client = client.clone();
            async move {
                // An item without an id is reported by the shaping; asking AWS about it is useless.
                if id.is_empty() {
                    return Ok(Vec::new());
                }
                client
                    .describe_image_attribute()
                    .image_id(&id)
                    .attribute(ImageAttributeName::LaunchPermission)
                    .send()
                    .await
                    .map(|answer| answer.launch_permissions().to_vec())
                    .map_err(|e| format!("DescribeImageAttribute (launchPermission) failed: {}", describe(&e)))
            }
        })
        .await;
        Ok(shape(region, &images, permissions))
    }

    fn also_known_as(config: &Value) -> Option<&str> {
        config.get("ImageId").and_then(Value::as_str)
    }
}

/// The items of one region: each image with the answer of its attribute call.
fn shape(region: &str, images: &[Image], permissions: Vec<Result<Vec<LaunchPermission>, String>>) -> Slurp {
    let mut slurp = Slurp::default();
    for (image, permissions) in images.iter().zip(permissions) {
        let Some(id) = image.image_id().filter(|id| !id.is_empty()) else {
            slurp.failures.push(item_failure(region, "<unnamed image>", "an image without an ImageId"));
            continue;
        };
        let name = match image.name().map(str::trim).filter(|n| !n.is_empty()) {
            Some(ami_name) => format!("{ami_name} ({id})"),
            None => id.to_owned(),
        };
        let permissions = match permissions {
            Ok(permissions) => Value::Array(stable(permissions.iter().map(launch_permission).collect())),
            Err(message) => {
                slurp.failures.push(item_failure(region, &name, format!("{id}: {message}")));
                Value::Null
            }
        };
        // Image ARNs carry no account: AWS documents them as `arn:aws:ec2:<region>::image/<id>`.
        let arn = arn(region, "", &format!("image/{id}"));
        let config = json!({
            "ImageId": id,
            "Arn": arn,
            "Name": image.name(),
            "Description": image.description(),
            "OwnerId": image.owner_id(),
            "ImageOwnerAlias": image.image_owner_alias(),
            "Public": image.public(),
            "LaunchPermissions": permissions,
            "ImageType": image.image_type().map(|t| t.as_str()),
            "ImageLocation": image.image_location(),
            "Architecture": image.architecture().map(|a| a.as_str()),
            "Platform": image.platform().map(|p| p.as_str()),
            "PlatformDetails": image.platform_details(),
            "VirtualizationType": image.virtualization_type().map(|v| v.as_str()),
            "Hypervisor": image.hypervisor().map(|h| h.as_str()),
            "EnaSupport": image.ena_support(),
            "SriovNetSupport": image.sriov_net_support(),
            "BootMode": image.boot_mode().map(|b| b.as_str()),
            "TpmSupport": image.tpm_support().map(|t| t.as_str()),
            "ImdsSupport": image.imds_support().map(|i| i.as_str()),
            "KernelId": image.kernel_id(),
            "RamdiskId": image.ramdisk_id(),
            "RootDeviceName": image.root_device_name(),
            "RootDeviceType": image.root_device_type().map(|t| t.as_str()),
            "BlockDeviceMappings": block_devices(image.block_device_mappings()),
            "ProductCodes": product_codes(image.product_codes()),
            "SourceInstanceId": image.source_instance_id(),
            "SourceImageId": image.source_image_id(),
            "SourceImageRegion": image.source_image_region(),
            "CreationDate": image.creation_date(),
            "DeprecationTime": image.deprecation_time(),
            "DeregistrationProtection": image.deregistration_protection(),
            "LastLaunchedTime": image.last_launched_time(),
            "State": image.state().map(|s| s.as_str()),
            "StateReason": image
                .state_reason()
                .filter(|r| r.code().is_some_and(|c| !c.is_empty()))
                .map(|r| json!({"Code": r.code(), "Message": r.message()})),
            "Tags": tags(image.tags()),
        });
        slurp.items.push(SlurpedItem { region: region.to_owned(), name, arn: Some(arn), config });
    }
    slurp
}

/// One launch permission with only the fields AWS gave.
fn launch_permission(permission: &LaunchPermission) -> Value {
    present(&[
        ("Group", permission.group().map(|g| g.as_str())),
        ("UserId", permission.user_id()),
        ("OrganizationArn", permission.organization_arn()),
        ("OrganizationalUnitArn", permission.organizational_unit_arn()),
    ])
}

/// The volumes an instance launched from the image gets: which snapshots, encrypted or not.
fn block_devices(mappings: &[BlockDeviceMapping]) -> Vec<Value> {
    stable_by(
        mappings
            .iter()
            .map(|m| {
                json!({
                    "DeviceName": m.device_name(),
                    "VirtualName": m.virtual_name(),
                    "NoDevice": m.no_device(),
                    "Ebs": m.ebs().map(|e| json!({
                        "SnapshotId": e.snapshot_id(),
                        "VolumeSize": e.volume_size(),
                        "VolumeType": e.volume_type().map(|t| t.as_str()),
                        "Encrypted": e.encrypted(),
                        "KmsKeyId": e.kms_key_id(),
                        "DeleteOnTermination": e.delete_on_termination(),
                        "Iops": e.iops(),
                        "Throughput": e.throughput(),
                    })),
                })
            })
            .collect(),
        "DeviceName",
    )
}

/// Marketplace product codes, sorted.
fn product_codes(codes: &[ProductCode]) -> Vec<Value> {
    stable(
        codes
            .iter()
            .map(|c| json!({"ProductCodeId": c.product_code_id(), "ProductCodeType": c.product_code_type().map(|t| t.as_str())}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::PermissionGroup;

    #[test]
    fn named_after_the_ami_name_with_launch_permissions_sorted() {
        let images = [
            Image::builder().image_id("ami-1").name("golden").public(true).build(),
            Image::builder().image_id("ami-2").build(),
        ];
        let permissions = vec![
            Ok(vec![
                LaunchPermission::builder().organization_arn("arn:aws:organizations::1:organization/o-1").build(),
                LaunchPermission::builder().group(PermissionGroup::All).build(),
            ]),
            Err("RequestLimitExceeded".to_owned()),
        ];
        let slurp = shape("us-east-1", &images, permissions);
        assert_eq!(slurp.items[0].name, "golden (ami-1)");
        assert_eq!(slurp.items[0].arn.as_deref(), Some("arn:aws:ec2:us-east-1::image/ami-1"));
        assert_eq!(
            slurp.items[0].config["LaunchPermissions"],
            json!([{"Group": "all"}, {"OrganizationArn": "arn:aws:organizations::1:organization/o-1"}])
        );
        assert_eq!(slurp.items[1].name, "ami-2");
        assert_eq!(slurp.items[1].config["LaunchPermissions"], Value::Null);
        assert_eq!(slurp.failures, vec![item_failure("us-east-1", "ami-2", "ami-2: RequestLimitExceeded")]);
    }
}
