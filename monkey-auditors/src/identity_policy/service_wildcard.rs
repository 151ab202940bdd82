//! `<technology>-policy-allows-service-wildcard`: `"<service>:*"` for a service other than IAM.

use super::{actions_note, push_unique, whole_service};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::Statement;

/// The docs of the check, for one kind of policy document.
macro_rules! service_wildcard_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " whose `Action` holds a whole service, `\"<service>:*\"`, for any service but IAM (`iam:*` has its ",
            "own check): `kms:*`, `cloudtrail:*`, `s3:*`... One issue per policy, service and list of resources. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "A service wildcard grants every present and future action of the service, including the destructive ",
            "and the permission-changing ones: `kms:*` lets the holder schedule key deletion or rewrite key ",
            "policies, `cloudtrail:*` lets it stop the audit trail. It is rarely what the author needed.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}` in the policy `escalate` gives ",
            "`Policy: [escalate] Actions: [\"kms:*\"] Resources: [\"*\"]`.\n\n",
            "## How to fix\n",
            "Replace the wildcard with the actions used (IAM Access Analyzer policy generation and the service's ",
            "last-accessed data show which), or with an AWS-managed job-function policy.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-21 (Security Hub IAM.21)\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html\n",
            "- Prowler `iam_policy_no_full_access_to_kms`, `iam_policy_no_full_access_to_cloudtrail` and their inline ",
            "variants.\n",
        )
    };
}
pub(crate) use service_wildcard_docs;

/// Flags each `"<service>:*"` other than IAM in the `Action` of an Allow statement.
pub(super) fn check(check: &'static Check, policy: &str, statement: &Statement, findings: &mut Vec<Finding>) {
    for pattern in &statement.actions {
        let Some(service) = whole_service(pattern) else { continue };
        if service.eq_ignore_ascii_case("iam") {
            continue;
        }
        let action = format!("{}:*", service.to_ascii_lowercase());
        let notes = actions_note(policy, [action.as_str()], statement);
        let message = format!("Policy {policy} allows every {service} action (\"{action}\")");
        push_unique(findings, Finding::new(check, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn service_wildcards_are_flagged() {
        table(
            |f| f.service_wildcard,
            &[
                document(json!({"Effect": "Allow", "Action": "kms:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": ["s3:GetObject", "CloudTrail:*"], "Resource": "arn:x"})),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "kms:Describe*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "*:Get*", "Resource": "*"})),
                document(json!({"Effect": "Deny", "Action": "kms:*", "Resource": "*"})),
            ],
        );
    }

    #[test]
    fn one_issue_per_service() {
        let found = notes(
            |f| f.service_wildcard,
            document(json!([
                {"Effect": "Allow", "Action": ["kms:*", "KMS:*", "s3:*"], "Resource": "*"},
                {"Effect": "Allow", "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:1:key/k"}
            ])),
        );
        assert_eq!(
            found,
            [
                r#"Policy: [p] Actions: ["kms:*"] Resources: ["*"]"#,
                r#"Policy: [p] Actions: ["kms:*"] Resources: ["arn:aws:kms:us-east-1:1:key/k"]"#,
                r#"Policy: [p] Actions: ["s3:*"] Resources: ["*"]"#,
            ]
        );
    }
}
