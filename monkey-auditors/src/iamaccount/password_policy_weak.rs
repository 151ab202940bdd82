//! `iamaccount-password-policy-weak`: a password policy below the CIS requirements, one issue
//! per requirement failed.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::{Map, Value};

monkey_core::declare_check! {
    /// The account's password policy is weaker than CIS requires.
    pub static IAMACCOUNT_PASSWORD_POLICY_WEAK = Check {
        id: "iamaccount-password-policy-weak",
        technology: "iamaccount",
        title: "IamAccountPasswordPolicyWeak",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Each requirement of the CIS AWS Foundations Benchmark that the account password policy (`PasswordPolicy`, \
GetAccountPasswordPolicy) does not meet, one issue per requirement: `MinimumPasswordLength >= 14`, \
`RequireUppercaseCharacters`, `RequireLowercaseCharacters`, `RequireNumbers`, `RequireSymbols`, \
`PasswordReusePrevention >= 24`, and `MaxPasswordAge <= 90` (passwords expire, after at most 90 days). A missing or \
mistyped field fails its requirement. An account without a password policy is reported by \
`iamaccount-password-policy-missing` instead.\n\n\
## Why it matters\n\
IAM user passwords open the console. Short, simple, reused or never-changing passwords are guessed, sprayed and \
replayed from other breaches; the password policy is the only control IAM gives over them.\n\n\
## Example\n\
`{\"PasswordPolicy\": {\"MinimumPasswordLength\": 8, ...}}` gives \
`Requirement: [MinimumPasswordLength >= 14]`, and one issue for each other requirement not met.\n\n\
## How to fix\n\
`aws iam update-account-password-policy --minimum-password-length 14 --require-uppercase-characters \
--require-lowercase-characters --require-numbers --require-symbols --password-reuse-prevention 24 \
--max-password-age 90`. Better, move people to IAM Identity Center and keep no IAM user passwords.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-7 (Security Hub IAM.7, IAM.10 to \
IAM.17)\n\
- Prowler `iam_password_policy_minimum_length_14`, `iam_password_policy_uppercase`, `_lowercase`, `_number`, \
`_symbol`, `iam_password_policy_reuse_24`, `iam_password_policy_expires_passwords_within_90_days_or_less`; \
ScoutSuite `iam-password-policy-*`; CIS AWS Foundations 1.8 and 1.9.\n",
    };
}

/// The minimum length CIS asks for.
const MINIMUM_LENGTH: u64 = 14;
/// How many previous passwords CIS asks to remember.
const REUSE_PREVENTION: u64 = 24;
/// The longest password lifetime CIS allows, in days.
const MAX_AGE: u64 = 90;

/// One finding per requirement the password policy fails; nothing when there is no policy.
pub(super) fn check(config: &Value, findings: &mut Vec<Finding>) {
    let Some(policy) = config.get("PasswordPolicy").and_then(Value::as_object) else { return };
    let mut fail = |requirement: &str, message: String| {
        findings.push(Finding::new(&IAMACCOUNT_PASSWORD_POLICY_WEAK, message, format!("Requirement: [{requirement}]")));
    };
    let number = |key: &str| policy.get(key).and_then(Value::as_u64);
    let shown = |key: &str| policy.get(key).map_or_else(|| "unset".to_owned(), Value::to_string);

    if number("MinimumPasswordLength").is_none_or(|length| length < MINIMUM_LENGTH) {
        let message = format!(
            "The password policy allows passwords shorter than {MINIMUM_LENGTH} characters (MinimumPasswordLength: {})",
            shown("MinimumPasswordLength")
        );
        fail("MinimumPasswordLength >= 14", message);
    }
    for (key, what) in [
        ("RequireUppercaseCharacters", "an uppercase letter"),
        ("RequireLowercaseCharacters", "a lowercase letter"),
        ("RequireNumbers", "a number"),
        ("RequireSymbols", "a symbol"),
    ] {
        if !is_true(policy, key) {
            fail(key, format!("The password policy does not require {what} ({key}: {})", shown(key)));
        }
    }
    if number("PasswordReusePrevention").is_none_or(|count| count < REUSE_PREVENTION) {
        let message = format!(
            "The password policy remembers fewer than {REUSE_PREVENTION} previous passwords (PasswordReusePrevention: {})",
            shown("PasswordReusePrevention")
        );
        fail("PasswordReusePrevention >= 24", message);
    }
    // IAM reports a policy without expiry as MaxPasswordAge 0 (or absent) and ExpirePasswords false.
    if !number("MaxPasswordAge").is_some_and(|days| (1..=MAX_AGE).contains(&days)) {
        let message = format!(
            "The password policy lets passwords live longer than {MAX_AGE} days (MaxPasswordAge: {})",
            shown("MaxPasswordAge")
        );
        fail("MaxPasswordAge <= 90", message);
    }
}

fn is_true(policy: &Map<String, Value>, key: &str) -> bool {
    policy.get(key).and_then(Value::as_bool) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    fn strong() -> Value {
        json!({"MinimumPasswordLength": 14, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true,
               "RequireNumbers": true, "RequireSymbols": true, "PasswordReusePrevention": 24,
               "ExpirePasswords": true, "MaxPasswordAge": 90, "AllowUsersToChangePassword": true})
    }

    fn with(key: &str, value: Value) -> Value {
        let mut policy = strong();
        policy[key] = value;
        json!({"PasswordPolicy": policy})
    }

    #[test]
    fn each_requirement_is_checked() {
        testing::table(
            &IAMACCOUNT_PASSWORD_POLICY_WEAK,
            &[
                with("MinimumPasswordLength", json!(13)),
                with("MinimumPasswordLength", json!(null)),
                with("RequireUppercaseCharacters", json!(false)),
                with("RequireLowercaseCharacters", json!(null)),
                with("RequireNumbers", json!("true")),
                with("RequireSymbols", json!(false)),
                with("PasswordReusePrevention", json!(23)),
                with("MaxPasswordAge", json!(91)),
                with("MaxPasswordAge", json!(0)),
                json!({"PasswordPolicy": {}}),
            ],
            &[
                json!({"PasswordPolicy": strong()}),
                with("MinimumPasswordLength", json!(20)),
                with("MaxPasswordAge", json!(1)),
                with("PasswordReusePrevention", json!(24)),
                json!({"PasswordPolicy": null}),
                json!({"PasswordPolicy": "weak"}),
                json!({}),
            ],
        );
    }

    #[test]
    fn one_issue_per_failed_requirement() {
        let weak = json!({"PasswordPolicy": {
            "AllowUsersToChangePassword": true, "ExpirePasswords": false, "HardExpiry": false, "MaxPasswordAge": 0,
            "MinimumPasswordLength": 8, "PasswordReusePrevention": null, "RequireLowercaseCharacters": true,
            "RequireNumbers": true, "RequireSymbols": false, "RequireUppercaseCharacters": false
        }});
        let issues = testing::issues(&IAMACCOUNT_PASSWORD_POLICY_WEAK, weak);
        let notes: Vec<&str> = issues.iter().map(|i| i.key.notes.as_str()).collect();
        assert_eq!(
            notes,
            [
                "Requirement: [MaxPasswordAge <= 90]",
                "Requirement: [MinimumPasswordLength >= 14]",
                "Requirement: [PasswordReusePrevention >= 24]",
                "Requirement: [RequireSymbols]",
                "Requirement: [RequireUppercaseCharacters]",
            ]
        );
        assert!(issues.iter().all(|i| i.score == 3));
        let length = issues.iter().find(|i| i.key.notes.contains("Length")).expect("the length issue");
        assert_eq!(
            length.message,
            "The password policy allows passwords shorter than 14 characters (MinimumPasswordLength: 8)"
        );
    }
}
