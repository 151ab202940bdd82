//! `keypair`: every EC2 key pair (its fingerprint, not its public key).
//!
//! Calls per region: DescribeKeyPairs (one call: AWS does not paginate it). Named by
//! `KeyName`, as Security Monkey did and as instances refer to it. No ephemeral paths.

use super::Collector;
use super::shape::{arn, tags, time};
use crate::aws::describe;
use crate::aws::regional::item_failure;
use async_trait::async_trait;
use aws_sdk_ec2::types::KeyPairInfo;
use monkey_core::model::AccountNumber;
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::json;

/// The `keypair` technology.
#[derive(Debug)]
pub struct KeyPairs;

#[async_trait]
impl Collector for KeyPairs {
    const TECHNOLOGY: &'static str = "keypair";

    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String> {
        let answer = client
            .describe_key_pairs()
            .send()
            .await
            .map_err(|e| format!("DescribeKeyPairs in {region} failed: {}", describe(&e)))?;
        Ok(shape(region, account, answer.key_pairs()))
    }
}

/// The items of one region.
fn shape(region: &str, account: &AccountNumber, keys: &[KeyPairInfo]) -> Slurp {
    let mut slurp = Slurp::default();
    for key in keys {
        let Some(name) = key.key_name().filter(|n| !n.is_empty()) else {
            let id = key.key_pair_id().unwrap_or("<unknown>");
            slurp.failures.push(item_failure(region, id, "a key pair without a KeyName"));
            continue;
        };
        let arn = arn(region, account.as_str(), &format!("key-pair/{name}"));
        let config = json!({
            "KeyName": name,
            "KeyPairId": key.key_pair_id(),
            "Arn": arn,
            "KeyFingerprint": key.key_fingerprint(),
            "KeyType": key.key_type().map(|t| t.as_str()),
            "CreateTime": time(key.create_time()),
            "Tags": tags(key.tags()),
        });
        slurp.items.push(SlurpedItem { region: region.to_owned(), name: name.to_owned(), arn: Some(arn), config });
    }
    slurp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_by_key_name() {
        let account = AccountNumber::parse("123456789012").expect("number");
        let keys = [KeyPairInfo::builder().key_name("deploy").key_pair_id("key-1").key_fingerprint("ab:cd").build()];
        let slurp = shape("eu-west-1", &account, &keys);
        assert_eq!(slurp.items[0].name, "deploy");
        assert_eq!(slurp.items[0].arn.as_deref(), Some("arn:aws:ec2:eu-west-1:123456789012:key-pair/deploy"));
        assert_eq!(slurp.items[0].config["KeyFingerprint"], "ab:cd");
    }
}
