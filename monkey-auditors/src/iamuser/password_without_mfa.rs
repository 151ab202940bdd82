//! `iamuser-password-without-mfa`: a console password and no MFA device.

use super::credentials::User;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A user signs in with a password and has no MFA device.
    pub static IAMUSER_PASSWORD_WITHOUT_MFA = Check {
        id: "iamuser-password-without-mfa",
        technology: "iamuser",
        title: "IamUserPasswordWithoutMfa",
        category: Category::InsecureConfiguration,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A user with a console password (`LoginProfile` recorded) and no MFA device (`MFADevices` empty). Users whose MFA \
devices were not recorded are skipped.\n\n\
## Why it matters\n\
Without MFA the password alone opens the console: phished, reused or guessed, it is enough to act as the user. The \
console user is usually a person with broad permissions.\n\n\
## Example\n\
`{\"LoginProfile\": {\"CreateDate\": \"2025-01-01T00:00:00Z\"}, \"MFADevices\": []}` gives \
`LoginProfile: [present] MFADevices: [none]`.\n\n\
## How to fix\n\
Have the user register an MFA device (a passkey or security key preferably), and deny actions without \
`aws:MultiFactorAuthPresent` to users who have none. Better, move people to IAM Identity Center.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-5 (Security Hub IAM.5)\n\
- Security Monkey `IAMUserAuditor.check_no_mfa`; Prowler `iam_user_mfa_enabled_console_access`; ScoutSuite \
`iam-user-without-mfa`.\n",
    };
}

/// Flags a password without MFA.
pub(super) fn check(user: &User<'_>, findings: &mut Vec<Finding>) {
    if user.has_password && user.mfa_devices == Some(0) {
        let message = "User with password login and no MFA devices.";
        findings.push(Finding::new(
            &IAMUSER_PASSWORD_WITHOUT_MFA,
            message,
            "LoginProfile: [present] MFADevices: [none]",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn password_without_mfa_is_flagged() {
        let login = json!({"CreateDate": "2025-01-01T00:00:00Z", "PasswordResetRequired": false});
        testing::table(
            &IAMUSER_PASSWORD_WITHOUT_MFA,
            &[json!({"LoginProfile": login, "MFADevices": []}), json!({"LoginProfile": {}, "MFADevices": null})],
            &[
                json!({"LoginProfile": login, "MFADevices": [{"SerialNumber": "arn:aws:iam::1:mfa/u"}]}),
                json!({"LoginProfile": null, "MFADevices": []}),
                json!({"MFADevices": []}),
                json!({"LoginProfile": login}),
                json!({"LoginProfile": "yes", "MFADevices": []}),
            ],
        );
    }

    #[test]
    fn message_keeps_security_monkeys_text() {
        let issues = testing::issues(&IAMUSER_PASSWORD_WITHOUT_MFA, json!({"LoginProfile": {}, "MFADevices": []}));
        assert_eq!(issues[0].message, "User with password login and no MFA devices.");
        assert_eq!(issues[0].score, 1);
    }
}
