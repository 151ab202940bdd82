//! `ebssnapshot-thirdparty-cross-account`: a snapshot shared with a known third party.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// An EBS snapshot is shared with a third-party account.
    pub static EBSSNAPSHOT_THIRDPARTY_CROSS_ACCOUNT = Check {
        id: "ebssnapshot-thirdparty-cross-account",
        technology: "ebssnapshot",
        title: "EbsSnapshotThirdpartyCrossAccount",
        category: Category::ThirdpartyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A snapshot whose `CreateVolumePermissions` name (`UserId`) an account stored as third party, one issue per \
account.\n\n\
## Why it matters\n\
The vendor can copy the whole disk: its security becomes the data's security. The issue scores 0 and documents \
the share for review.\n\n\
## Example\n\
`{\"CreateVolumePermissions\": [{\"UserId\": \"333333333333\"}]}` gives `Account: [333333333333/vendor] Entity: \
[account:333333333333] Actions: [\"createEBSVolume\"]`.\n\n\
## How to fix\n\
Keep the share only while the vendor needs it, and prefer encrypted snapshots with a key policy naming the vendor.\n\n\
## References\n\
- Security Monkey `EBSSnapshotAuditor.check_thirdparty_access` (score 0).\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::table_with;
    use crate::testing::Fixture;
    use serde_json::json;

    #[test]
    fn table() {
        table_with(
            &EBSSNAPSHOT_THIRDPARTY_CROSS_ACCOUNT,
            || Fixture { environment: super::super::environment(), ..Default::default() },
            &[json!({"CreateVolumePermissions": [{"UserId": "333333333333"}]})],
            &[json!({}), json!({"CreateVolumePermissions": [{"UserId": "222233334444"}, {"UserId": "999988887777"}]})],
        );
    }
}
