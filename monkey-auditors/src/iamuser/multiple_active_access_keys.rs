//! `iamuser-multiple-active-access-keys`: more than one active access key.

use super::credentials::User;
use crate::identity_policy::push_json_list;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A user has more than one active access key.
    pub static IAMUSER_MULTIPLE_ACTIVE_ACCESS_KEYS = Check {
        id: "iamuser-multiple-active-access-keys",
        technology: "iamuser",
        title: "IamUserMultipleActiveAccessKeys",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A user with more than one access key whose `Status` is `Active`.\n\n\
## Why it matters\n\
Two keys exist only for the few minutes of a rotation. Two keys active for good mean a rotation was never \
finished, or that one user's credentials are shared by several workloads that nobody can tell apart in CloudTrail: \
twice the secrets to leak, and no way to revoke one workload's access without the other's.\n\n\
## Example\n\
Two active keys `AKIA1` and `AKIA2` give `Active Accesskeys [\"AKIA1\", \"AKIA2\"]`.\n\n\
## How to fix\n\
Finish the rotation: move every user of the older key to the newer one, then deactivate and delete the older. \
Give separate workloads separate roles or users.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console\n\
- Prowler `iam_user_two_active_access_key`; ScoutSuite `iam-user-with-multiple-access-keys`.\n",
    };
}

/// Flags more than one active key.
pub(super) fn check(user: &User<'_>, findings: &mut Vec<Finding>) {
    if user.active_keys().nth(1).is_none() {
        return;
    }
    let mut ids: Vec<&str> = user.active_keys().map(|key| key.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut notes = String::from("Active Accesskeys ");
    push_json_list(&mut notes, ids.iter().copied());
    let message = format!("User has {} active access keys ({})", ids.len(), ids.join(", "));
    findings.push(Finding::new(&IAMUSER_MULTIPLE_ACTIVE_ACCESS_KEYS, message, notes));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn two_active_keys_are_flagged() {
        let active = |id: &str| json!({"AccessKeyId": id, "Status": "Active"});
        let inactive = |id: &str| json!({"AccessKeyId": id, "Status": "Inactive"});
        testing::table(
            &IAMUSER_MULTIPLE_ACTIVE_ACCESS_KEYS,
            &[json!({"AccessKeys": [active("AKIA2"), active("AKIA1")]})],
            &[
                json!({"AccessKeys": [active("AKIA1")]}),
                json!({"AccessKeys": [active("AKIA1"), inactive("AKIA2")]}),
                json!({"AccessKeys": [active("AKIA1"), {"Status": "Active"}]}),
                json!({}),
            ],
        );
        assert_eq!(
            testing::notes(
                &IAMUSER_MULTIPLE_ACTIVE_ACCESS_KEYS,
                json!({"AccessKeys": [active("AKIA2"), active("AKIA1")]})
            ),
            [r#"Active Accesskeys ["AKIA1", "AKIA2"]"#]
        );
    }
}
