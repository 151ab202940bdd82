//! `iamuser-initial-access-key-unused`: a console user's access key created with the user and
//! never used (CIS "do not set up access keys during initial user setup").

use super::credentials::User;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

/// How close to the user's creation a key counts as created "at setup": the same day.
const SETUP_WINDOW: u64 = 86_400;

monkey_core::declare_check! {
    /// A console user's access key was created at user setup and never used.
    pub static IAMUSER_INITIAL_ACCESS_KEY_UNUSED = Check {
        id: "iamuser-initial-access-key-unused",
        technology: "iamuser",
        title: "IamUserInitialAccessKeyUnused",
        category: Category::UnusedAccess,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An active access key of a user with a console password (`LoginProfile` recorded) that was never used \
(`AccessKeyLastUsed.LastUsedDate` empty) and was created within a day of the user (`CreateDate` of key and user), \
one issue per key. Users or keys without a creation date are skipped.\n\n\
## Why it matters\n\
Keys created together with a console user are created by habit (the console used to tick the box by default), \
not because the person needs API access. They are credentials nobody uses, to be rotated and audited forever, \
and a person's key ends up on a laptop with that person's permissions.\n\n\
## Example\n\
A user created on 2025-01-01 with a password and a key `AKIAEXAMPLE` created the same minute and never used gives \
`Active Accesskey [AKIAEXAMPLE] created at user setup and never used`.\n\n\
## How to fix\n\
Delete the key. If the person later needs the CLI, let them create a key themselves (or better, use IAM Identity \
Center).\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html\n\
- CIS AWS Foundations Benchmark 1.11 (\"Do not setup access keys during initial user setup for all IAM users that \
have a console password\")\n\
- Prowler `iam_user_no_setup_initial_access_key`; ScoutSuite `iam-user-unused-access-key-initial-setup`.\n",
    };
}

/// Flags each never-used active key of a console user created at the user's setup.
pub(super) fn check(user: &User<'_>, findings: &mut Vec<Finding>) {
    let (true, Some(user_created)) = (user.has_password, user.created) else { return };
    for key in user.active_keys().filter(|key| key.last_used.is_none()) {
        let Some(created) = key.created else { continue };
        let apart = created.at.unix_seconds().abs_diff(user_created.at.unix_seconds());
        if apart > SETUP_WINDOW {
            continue;
        }
        let notes = format!("Active Accesskey [{}] created at user setup and never used", key.id);
        let message =
            format!("Access key {} was created with the console user on {} and never used", key.id, user_created.day());
        findings.push(Finding::new(&IAMUSER_INITIAL_ACCESS_KEY_UNUSED, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn user(login: Value, created: &str, used: Value) -> Value {
        json!({"CreateDate": "2025-01-01T00:00:00Z", "LoginProfile": login, "AccessKeys": [
            {"AccessKeyId": "AKIA1", "Status": "Active", "CreateDate": created, "AccessKeyLastUsed": {"LastUsedDate": used}}
        ]})
    }

    #[test]
    fn setup_keys_never_used_are_flagged() {
        let login = json!({"CreateDate": "2025-01-01T00:00:00Z"});
        testing::table(
            &IAMUSER_INITIAL_ACCESS_KEY_UNUSED,
            &[
                user(login.clone(), "2025-01-01T00:00:01Z", json!(null)),
                user(login.clone(), "2025-01-02T00:00:00Z", json!(null)),
            ],
            &[
                user(login.clone(), "2025-01-02T00:00:01Z", json!(null)),
                user(login.clone(), "2025-01-01T00:00:01Z", json!("2025-02-01T00:00:00Z")),
                user(json!(null), "2025-01-01T00:00:01Z", json!(null)),
                json!({"LoginProfile": login, "AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Active", "CreateDate": "2025-01-01T00:00:01Z"}]}),
                json!({"CreateDate": "2025-01-01T00:00:00Z", "LoginProfile": {}, "AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Inactive", "CreateDate": "2025-01-01T00:00:01Z"}]}),
            ],
        );
        assert_eq!(
            testing::notes(&IAMUSER_INITIAL_ACCESS_KEY_UNUSED, user(login, "2025-01-01T00:00:01Z", json!(null))),
            ["Active Accesskey [AKIA1] created at user setup and never used"]
        );
    }
}
