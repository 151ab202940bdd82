//! `ebssnapshot-unencrypted`: a snapshot stored without encryption.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An EBS snapshot is not encrypted.
    pub static EBSSNAPSHOT_UNENCRYPTED = Check {
        id: "ebssnapshot-unencrypted",
        technology: "ebssnapshot",
        title: "EbsSnapshotUnencrypted",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A snapshot whose `Encrypted` is `false`. Snapshots whose encryption was not recorded are skipped.\n\n\
## Why it matters\n\
An unencrypted snapshot can be shared with any account, even publicly, and copied without any key policy having a \
say; an encrypted one needs access to its KMS key as well, which a public share cannot grant with the default \
key.\n\n\
## Example\n\
`{\"Encrypted\": false}` gives `Encrypted: [false]`.\n\n\
## How to fix\n\
Copy the snapshot with `--encrypted` (and a customer-managed KMS key), delete the original, and turn on EBS \
encryption by default so new volumes and snapshots are encrypted.\n\n\
## References\n\
- Prowler `ec2_ebs_snapshots_encrypted`; ScoutSuite `ec2-ebs-snapshot-not-encrypted`.\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html\n",
    };
}

/// Flags an unencrypted snapshot.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    if config.get("Encrypted").and_then(Value::as_bool) != Some(false) {
        return Vec::new();
    }
    vec![Finding::new(&EBSSNAPSHOT_UNENCRYPTED, "The snapshot is not encrypted", "Encrypted: [false]")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EBSSNAPSHOT_UNENCRYPTED,
            &[json!({"Encrypted": false})],
            &[json!({}), json!({"Encrypted": true}), json!({"Encrypted": null}), json!({"Encrypted": "false"})],
        );
    }
}
