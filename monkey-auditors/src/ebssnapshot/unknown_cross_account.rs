//! `ebssnapshot-unknown-cross-account`: a snapshot shared with an account nobody registered.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// An EBS snapshot is shared with an unknown account.
    pub static EBSSNAPSHOT_UNKNOWN_CROSS_ACCOUNT = Check {
        id: "ebssnapshot-unknown-cross-account",
        technology: "ebssnapshot",
        title: "EbsSnapshotUnknownCrossAccount",
        category: Category::UnknownAccess,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A snapshot whose `CreateVolumePermissions` name (`UserId`) an account that is not stored in monkey, one issue per \
account. `aws-marketplace` is reported by `ebssnapshot-shared-with-marketplace` instead.\n\n\
## Why it matters\n\
Someone nobody knows can copy the whole disk.\n\n\
## Example\n\
`{\"CreateVolumePermissions\": [{\"UserId\": \"999988887777\"}]}` gives `Account: [999988887777] Entity: \
[account:999988887777] Actions: [\"createEBSVolume\"]`.\n\n\
## How to fix\n\
Find out whose account it is: add it to monkey (friendly or third party) if the share is intended, otherwise \
remove the permission.\n\n\
## References\n\
- Security Monkey `EBSSnapshotAuditor.check_unknown_access` (score 10).\n\
- Security Hub EC2.1 (public snapshots); ScoutSuite `ec2-ebs-snapshot-public`.\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EBSSNAPSHOT_UNKNOWN_CROSS_ACCOUNT,
            &[
                json!({"CreateVolumePermissions": [{"UserId": "999988887777"}]}),
                json!({"CreateVolumePermissions": [{"UserId": "222233334444"}]}),
            ],
            &[
                json!({}),
                json!({"CreateVolumePermissions": [{"UserId": testing::OURS}, {"UserId": "aws-marketplace"}, {"Group": "all"}, {"UserId": ""}]}),
                json!({"CreateVolumePermissions": [{"UserId": 999988887777_u64}]}),
            ],
        );
        let found = testing::issues(
            &EBSSNAPSHOT_UNKNOWN_CROSS_ACCOUNT,
            json!({"CreateVolumePermissions": [{"UserId": "999988887777"}]}),
        );
        assert_eq!(
            (found[0].key.notes.as_str(), found[0].score),
            ("Account: [999988887777] Entity: [account:999988887777] Actions: [\"createEBSVolume\"]", 10)
        );
    }
}
