//! `ebssnapshot-public`: a snapshot anyone can create a volume from.

use super::{ACTIONS, permissions};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An EBS snapshot is public.
    pub static EBSSNAPSHOT_PUBLIC = Check {
        id: "ebssnapshot-public",
        technology: "ebssnapshot",
        title: "EbsSnapshotPublic",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A snapshot whose `CreateVolumePermissions` hold `{\"Group\": \"all\"}`: every AWS account can create a volume from \
it.\n\n\
## Why it matters\n\
Anyone can copy the disk and read it: databases, keys, configuration files with passwords. Public snapshots are \
searched for systematically, and AWS flags this as critical.\n\n\
## Example\n\
`{\"CreateVolumePermissions\": [{\"Group\": \"all\"}]}` gives `Entity: [shared_ebs:public] Actions: \
[\"createEBSVolume\"]`.\n\n\
## How to fix\n\
`aws ec2 modify-snapshot-attribute --snapshot-id <id> --attribute createVolumePermission --operation-type remove \
--group-names all`, share with specific accounts instead, and turn on block public access for snapshots in every \
region.\n\n\
## References\n\
- Security Monkey `EBSSnapshotAuditor.check_internet_accessible` (score 10).\n\
- Security Hub EC2.1; Prowler `ec2_ebs_public_snapshot`; ScoutSuite `ec2-ebs-snapshot-public`.\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html\n",
    };
}

/// Flags a snapshot shared with everyone.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    if !permissions(config, "Group").any(|g| g == "all") {
        return Vec::new();
    }
    let notes = format!("Entity: [shared_ebs:public] {ACTIONS}");
    vec![Finding::new(&EBSSNAPSHOT_PUBLIC, "Anyone can create a volume from the snapshot", notes)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EBSSNAPSHOT_PUBLIC,
            &[
                json!({"CreateVolumePermissions": [{"Group": "all"}]}),
                json!({"CreateVolumePermissions": [{"UserId": "999988887777"}, {"Group": "all"}]}),
            ],
            &[
                json!({}),
                json!({"CreateVolumePermissions": null}),
                json!({"CreateVolumePermissions": []}),
                json!({"CreateVolumePermissions": {"Group": "all"}}),
                json!({"CreateVolumePermissions": [{"UserId": "all"}, {"Group": 1}]}),
            ],
        );
        assert_eq!(
            testing::notes(&EBSSNAPSHOT_PUBLIC, json!({"CreateVolumePermissions": [{"Group": "all"}]})),
            vec!["Entity: [shared_ebs:public] Actions: [\"createEBSVolume\"]".to_owned()]
        );
    }
}
