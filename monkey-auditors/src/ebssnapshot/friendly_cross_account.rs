//! `ebssnapshot-friendly-cross-account`: a snapshot shared with another account of ours.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// An EBS snapshot is shared with a friendly account.
    pub static EBSSNAPSHOT_FRIENDLY_CROSS_ACCOUNT = Check {
        id: "ebssnapshot-friendly-cross-account",
        technology: "ebssnapshot",
        title: "EbsSnapshotFriendlyCrossAccount",
        category: Category::FriendlyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A snapshot whose `CreateVolumePermissions` name (`UserId`) another stored account that is not third party, one \
issue per account.\n\n\
## Why it matters\n\
Sharing between our accounts is normal (a backup account, a build account), but every account that can copy the \
disk is one more place its data can leak from. The issue scores 0 and documents the share.\n\n\
## Example\n\
`{\"CreateVolumePermissions\": [{\"UserId\": \"222233334444\"}]}` gives `Account: [222233334444/friend] Entity: \
[account:222233334444] Actions: [\"createEBSVolume\"]`.\n\n\
## How to fix\n\
Nothing if the share is intended; remove the permission when the account no longer needs it.\n\n\
## References\n\
- Security Monkey `EBSSnapshotAuditor.check_friendly_access` (score 0).\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::table_with;
    use crate::testing::{self, Fixture};
    use serde_json::json;

    #[test]
    fn table() {
        let fixture = || Fixture { environment: super::super::environment(), ..Default::default() };
        table_with(
            &EBSSNAPSHOT_FRIENDLY_CROSS_ACCOUNT,
            fixture,
            &[json!({"CreateVolumePermissions": [{"UserId": "222233334444"}, {"UserId": "222233334444"}]})],
            &[
                json!({}),
                json!({"CreateVolumePermissions": [{"UserId": testing::OURS}, {"UserId": "333333333333"}, {"UserId": "999988887777"}, {"Group": "all"}]}),
            ],
        );
        let shared = testing::issues_with(
            &EBSSNAPSHOT_FRIENDLY_CROSS_ACCOUNT,
            json!({"CreateVolumePermissions": [{"UserId": "222233334444"}, {"UserId": "222233334444"}]}),
            fixture(),
        );
        assert_eq!(shared.len(), 1);
        assert_eq!(
            (shared[0].key.notes.as_str(), shared[0].score),
            ("Account: [222233334444/friend] Entity: [account:222233334444] Actions: [\"createEBSVolume\"]", 0)
        );
        // Unknown without the environment.
        assert!(
            testing::issues(
                &EBSSNAPSHOT_FRIENDLY_CROSS_ACCOUNT,
                json!({"CreateVolumePermissions": [{"UserId": "222233334444"}]})
            )
            .is_empty()
        );
    }
}
