//! `iamuser-password-and-access-key`: a console password and an active access key.

use super::credentials::User;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A user has both a console password and an active access key.
    pub static IAMUSER_PASSWORD_AND_ACCESS_KEY = Check {
        id: "iamuser-password-and-access-key",
        technology: "iamuser",
        title: "IamUserPasswordAndAccessKey",
        category: Category::Informational,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A user with a console password (`LoginProfile` recorded) and at least one active access key.\n\n\
## Why it matters\n\
A user should be either a person (console) or a workload (API), not both: the key of a person ends up on their \
laptop with their full permissions, and a workload's user with a password is a second way in that nobody watches.\n\n\
## Example\n\
`{\"LoginProfile\": {...}, \"AccessKeys\": [{\"AccessKeyId\": \"AKIAEXAMPLE\", \"Status\": \"Active\"}]}` gives \
`LoginProfile: [present] AccessKeys: [active]`.\n\n\
## How to fix\n\
For a person, delete the key and use the CLI with IAM Identity Center or `aws login`; for a workload, delete the \
login profile.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp\n\
- Security Monkey `IAMUserAuditor.check_loginprofile_plus_akeys`; ScoutSuite `iam-user-with-password-and-key`.\n",
    };
}

/// Flags a password alongside an active key.
pub(super) fn check(user: &User<'_>, findings: &mut Vec<Finding>) {
    if user.has_password && user.active_keys().next().is_some() {
        let message = "User with password login and API access.";
        findings.push(Finding::new(
            &IAMUSER_PASSWORD_AND_ACCESS_KEY,
            message,
            "LoginProfile: [present] AccessKeys: [active]",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn password_with_active_key_is_flagged() {
        let active = json!([{"AccessKeyId": "AKIA1", "Status": "Active"}]);
        testing::table(
            &IAMUSER_PASSWORD_AND_ACCESS_KEY,
            &[
                json!({"LoginProfile": {}, "AccessKeys": active}),
                json!({"LoginProfile": {}, "AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Inactive"}, active[0]]}),
            ],
            &[
                json!({"LoginProfile": null, "AccessKeys": active}),
                json!({"LoginProfile": {}, "AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Inactive"}]}),
                json!({"LoginProfile": {}, "AccessKeys": []}),
                json!({"LoginProfile": {}}),
            ],
        );
    }

    #[test]
    fn one_issue_whatever_the_number_of_keys() {
        let config = json!({"LoginProfile": {}, "AccessKeys": [
            {"AccessKeyId": "AKIA1", "Status": "Active"}, {"AccessKeyId": "AKIA2", "Status": "Active"}
        ]});
        assert_eq!(
            testing::notes(&IAMUSER_PASSWORD_AND_ACCESS_KEY, config),
            ["LoginProfile: [present] AccessKeys: [active]"]
        );
    }
}
