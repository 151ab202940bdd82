//! `iamuser-inactive-access-key`: an inactive access key kept on the user.

use super::credentials::User;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A user keeps an inactive access key.
    pub static IAMUSER_INACTIVE_ACCESS_KEY = Check {
        id: "iamuser-inactive-access-key",
        technology: "iamuser",
        title: "IamUserInactiveAccessKey",
        category: Category::Informational,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An access key of the user whose `Status` is not `Active`, one issue per key, at score 0.\n\n\
## Why it matters\n\
An inactive key grants nothing, but one API call (`iam:UpdateAccessKey`) brings it back. Deactivating is the right \
first step when retiring a key; keeping it for months means nobody finished the job.\n\n\
## Example\n\
`{\"AccessKeyId\": \"AKIAEXAMPLE\", \"Status\": \"Inactive\"}` gives `Inactive Accesskey [AKIAEXAMPLE]`.\n\n\
## How to fix\n\
Once nothing broke while the key was inactive, delete it.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console\n\
- Security Monkey `IAMUserAuditor.check_inactive_access_keys`.\n",
    };
}

/// One finding per inactive key.
pub(super) fn check(user: &User<'_>, findings: &mut Vec<Finding>) {
    for key in user.keys.iter().filter(|key| !key.active) {
        let message = format!("User keeps an inactive access key ({})", key.id);
        findings.push(Finding::new(&IAMUSER_INACTIVE_ACCESS_KEY, message, format!("Inactive Accesskey [{}]", key.id)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn inactive_keys_are_listed() {
        testing::table(
            &IAMUSER_INACTIVE_ACCESS_KEY,
            &[
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Inactive"}]}),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Active"}, {"AccessKeyId": "AKIA2", "Status": "Expired"}]}),
            ],
            &[
                json!({}),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Active"}]}),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": null}]}),
                json!({"AccessKeys": "AKIA1"}),
            ],
        );
    }

    #[test]
    fn notes_and_score() {
        let issues = testing::issues(
            &IAMUSER_INACTIVE_ACCESS_KEY,
            json!({"AccessKeys": [{"AccessKeyId": "AKIA9", "Status": "Inactive"}]}),
        );
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].key.notes, "Inactive Accesskey [AKIA9]");
        assert_eq!(issues[0].score, 0);
    }
}
