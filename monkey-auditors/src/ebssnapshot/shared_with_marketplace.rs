//! `ebssnapshot-shared-with-marketplace`: a snapshot shared with AWS Marketplace.

use super::{ACTIONS, MARKETPLACE, permissions};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An EBS snapshot is shared with AWS Marketplace.
    pub static EBSSNAPSHOT_SHARED_WITH_MARKETPLACE = Check {
        id: "ebssnapshot-shared-with-marketplace",
        technology: "ebssnapshot",
        title: "EbsSnapshotSharedWithMarketplace",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A snapshot whose `CreateVolumePermissions` hold the user id `aws-marketplace`.\n\n\
## Why it matters\n\
Sharing with AWS Marketplace is how sellers publish products: the snapshot ends up available to Marketplace \
customers, which is as good as public for anything that was not meant to be sold. Security Monkey treated it as \
internet access.\n\n\
## Example\n\
`{\"CreateVolumePermissions\": [{\"UserId\": \"aws-marketplace\"}]}` gives `Entity: [shared_ebs:aws-marketplace] \
Actions: [\"createEBSVolume\"]`.\n\n\
## How to fix\n\
Remove the permission unless the snapshot is a published Marketplace product; justify the issue if it is.\n\n\
## References\n\
- Security Monkey `EBSSnapshotAuditor.check_marketplace_access` (score 10).\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html\n",
    };
}

/// Flags a snapshot shared with AWS Marketplace.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    let shared = permissions(config, "UserId").chain(permissions(config, "Group")).any(|g| g == MARKETPLACE);
    if !shared {
        return Vec::new();
    }
    let notes = format!("Entity: [shared_ebs:{MARKETPLACE}] {ACTIONS}");
    vec![Finding::new(&EBSSNAPSHOT_SHARED_WITH_MARKETPLACE, "The snapshot is shared with AWS Marketplace", notes)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EBSSNAPSHOT_SHARED_WITH_MARKETPLACE,
            &[json!({"CreateVolumePermissions": [{"UserId": "aws-marketplace"}]})],
            &[
                json!({}),
                json!({"CreateVolumePermissions": [{"Group": "all"}, {"UserId": "999988887777"}]}),
                json!({"CreateVolumePermissions": "aws-marketplace"}),
            ],
        );
        let found = testing::issues(
            &EBSSNAPSHOT_SHARED_WITH_MARKETPLACE,
            json!({"CreateVolumePermissions": [{"UserId": "aws-marketplace"}]}),
        );
        assert_eq!(found[0].key.notes, "Entity: [shared_ebs:aws-marketplace] Actions: [\"createEBSVolume\"]");
        // Not an unknown account as well.
        let unknown = testing::issues(
            &super::super::EBSSNAPSHOT_UNKNOWN_CROSS_ACCOUNT,
            json!({"CreateVolumePermissions": [{"UserId": "aws-marketplace"}]}),
        );
        assert!(unknown.is_empty());
    }
}
