//! `ebsencryption`: one item per region for the account's EBS encryption-by-default setting
//! and the KMS key new volumes get.
//!
//! Calls per region: GetEbsEncryptionByDefault and GetEbsDefaultKmsKeyId. The first one
//! failing hides the region's only item, so it is a region failure; the second failing is a
//! failure scoped to the item, which is still emitted with `KmsKeyId` null. The item is
//! named [`EbsEncryption::ITEM_NAME`] (the account and region already say whose it is) and has no ARN, as
//! the setting has none. No ephemeral paths.
//!
//! moto (5.2) does not implement GetEbsDefaultKmsKeyId: against it the item always carries
//! an item failure, and the shaping of a full answer is tested here on a recorded one.

use super::Collector;
use crate::aws::describe;
use crate::aws::regional::item_failure;
use async_trait::async_trait;
use aws_sdk_ec2::operation::get_ebs_default_kms_key_id::GetEbsDefaultKmsKeyIdOutput;
use aws_sdk_ec2::operation::get_ebs_encryption_by_default::GetEbsEncryptionByDefaultOutput;
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::json;

/// The `ebsencryption` technology.
#[derive(Debug)]
pub struct EbsEncryption;

impl EbsEncryption {
    /// The name of the one item per region.
    pub const ITEM_NAME: &'static str = "ebs-encryption-by-default";
}

/// Short for the item's name.
const ITEM_NAME: &str = EbsEncryption::ITEM_NAME;

#[async_trait]
impl Collector for EbsEncryption {
    const TECHNOLOGY: &'static str = "ebsencryption";

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, _account: &AccountNumber) -> Result<Slurp, String> {
        let setting = client
            .get_ebs_encryption_by_default()
            .send()
            .await
            .map_err(|e| format!("GetEbsEncryptionByDefault in {region} failed: {}", describe(&e)))?;
        let key = client
            .get_ebs_default_kms_key_id()
            .send()
            .await
            .map_err(|e| format!("GetEbsDefaultKmsKeyId in {region} failed: {}", describe(&e)));
        Ok(shape(region, &setting, key))
    }
}

/// The region's item.
fn shape(
    region: &str,
    setting: &GetEbsEncryptionByDefaultOutput,
    key: Result<GetEbsDefaultKmsKeyIdOutput, String>,
) -> Slurp {
    let mut slurp = Slurp::default();
    let key = match key {
        Ok(key) => key.kms_key_id().map(str::to_owned),
        Err(message) => {
            slurp.failures.push(item_failure(region, ITEM_NAME, message));
            None
        }
    };
    slurp.items.push(SlurpedItem {
        region: region.to_owned(),
        name: ITEM_NAME.to_owned(),
        arn: None,
        config: json!({
            "EbsEncryptionByDefault": setting.ebs_encryption_by_default(),
            "SseType": setting.sse_type().map(|t| t.as_str()),
            "KmsKeyId": key,
        }),
    });
    slurp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_answer_is_shaped() {
        let setting = GetEbsEncryptionByDefaultOutput::builder().ebs_encryption_by_default(true).build();
        let key = GetEbsDefaultKmsKeyIdOutput::builder().kms_key_id("arn:aws:kms:eu-west-1:123456789012:key/k").build();
        let slurp = shape("eu-west-1", &setting, Ok(key));
        assert!(slurp.failures.is_empty());
        assert_eq!(slurp.items[0].name, ITEM_NAME);
        assert_eq!(
            slurp.items[0].config,
            json!({"EbsEncryptionByDefault": true, "SseType": null, "KmsKeyId": "arn:aws:kms:eu-west-1:123456789012:key/k"})
        );
    }

    #[test]
    fn a_failed_key_call_is_scoped_to_the_item() {
        let setting = GetEbsEncryptionByDefaultOutput::builder().ebs_encryption_by_default(false).build();
        let slurp = shape("eu-west-1", &setting, Err("boom".into()));
        assert_eq!(slurp.items[0].config["EbsEncryptionByDefault"], false);
        assert_eq!(slurp.failures, vec![item_failure("eu-west-1", ITEM_NAME, "boom")]);
    }
}
