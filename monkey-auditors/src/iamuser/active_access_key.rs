//! `iamuser-active-access-key`: an active access key (Security Monkey's inventory of API access).

use super::credentials::User;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A user has an active access key.
    pub static IAMUSER_ACTIVE_ACCESS_KEY = Check {
        id: "iamuser-active-access-key",
        technology: "iamuser",
        title: "IamUserActiveAccessKey",
        category: Category::Informational,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An access key of the user whose `Status` is `Active`, one issue per key.\n\n\
## Why it matters\n\
An access key is a long-lived secret that works from anywhere: it ends up in scripts, CI variables and laptops, and \
is the credential most often leaked. Listing every active key, at a low score, tells where programmatic access to \
the account exists; roles with temporary credentials (instance profiles, IAM Identity Center, OIDC federation for \
CI) leave nothing to list.\n\n\
## Example\n\
`{\"AccessKeyId\": \"AKIAEXAMPLE\", \"Status\": \"Active\"}` gives `Active Accesskey [AKIAEXAMPLE]`.\n\n\
## How to fix\n\
Replace the key with temporary credentials where possible (roles, IAM Identity Center, `sts:AssumeRoleWithWebIdentity` \
for CI), then deactivate and delete it. Justify the keys that must stay.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles\n\
- Security Monkey `IAMUserAuditor.check_active_access_keys`.\n",
    };
}

/// One finding per active key.
pub(super) fn check(user: &User<'_>, findings: &mut Vec<Finding>) {
    for key in user.active_keys() {
        let message = format!("User has an active access key ({})", key.id);
        findings.push(Finding::new(&IAMUSER_ACTIVE_ACCESS_KEY, message, format!("Active Accesskey [{}]", key.id)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn active_keys_are_listed() {
        testing::table(
            &IAMUSER_ACTIVE_ACCESS_KEY,
            &[
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Active"}]}),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Inactive"}, {"AccessKeyId": "AKIA2", "Status": "Active"}]}),
            ],
            &[
                json!({}),
                json!({"AccessKeys": []}),
                json!({"AccessKeys": null}),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Inactive"}]}),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1"}, {"Status": "Active"}, 3]}),
            ],
        );
    }

    #[test]
    fn one_issue_per_key() {
        let config = json!({"AccessKeys": [
            {"AccessKeyId": "AKIA1", "Status": "Active"}, {"AccessKeyId": "AKIA2", "Status": "Active"}
        ]});
        let issues = testing::issues(&IAMUSER_ACTIVE_ACCESS_KEY, config);
        let notes: Vec<&str> = issues.iter().map(|i| i.key.notes.as_str()).collect();
        assert_eq!(notes, ["Active Accesskey [AKIA1]", "Active Accesskey [AKIA2]"]);
        assert!(issues.iter().all(|i| i.score == 1));
    }
}
