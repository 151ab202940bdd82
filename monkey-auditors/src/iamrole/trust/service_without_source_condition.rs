//! `iamrole-trust-service-without-source-condition`: an AWS service may assume the role on
//! behalf of any account's resources.

use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;
use monkey_core::policy::{Policy, PrincipalKind, Principals, Statement};

monkey_core::declare_check! {
    /// An AWS service principal is trusted without `aws:SourceAccount` or `aws:SourceArn`.
    pub static IAMROLE_TRUST_SERVICE_WITHOUT_SOURCE_CONDITION = Check {
        id: "iamrole-trust-service-without-source-condition",
        technology: "iamrole",
        title: "IamRoleTrustServiceWithoutSourceCondition",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An Allow statement of the trust policy with a `Service` principal (`lambda.amazonaws.com`, \
`config.amazonaws.com`, ...) and no condition that names the resources the service acts for: `aws:SourceAccount`, \
`aws:SourceArn`, `aws:SourceOrgID` or `aws:SourceOrgPaths`, with a positive operator (`StringEquals`, `ArnLike`, \
...) and concrete values. One issue per service.\n\n\
## Why it matters\n\
A service assumes roles on behalf of resources, and the resources may belong to any AWS customer. If someone else \
can point their resource at your role's ARN (a Config recorder, an SNS delivery, a CloudFormation stack), the \
service may assume the role for them: the cross-service confused deputy. The source conditions tie the trust to your \
own resources.\n\n\
Kept simple on purpose: every service principal is checked. Services that only assume roles for resources of the \
role's own account and cannot be pointed at another account's role (`ec2.amazonaws.com` through instance profiles, \
which need `iam:PassRole` in your account; usually `lambda.amazonaws.com` for execution roles) are flagged too, and \
several services do not support the conditions at all. Hence a recommendation, score 1: add the conditions where the \
service documents them, justify the issue elsewhere.\n\n\
## Example\n\
`{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}` \
gives `Entity: [service:ec2.amazonaws.com]`.\n\n\
## How to fix\n\
Add `\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"<your account>\"}}`, or `ArnLike` \
`aws:SourceArn` with the resources that use the role.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount\n\
- Prowler `iam_role_cross_service_confused_deputy_prevention` (peers IAM-16).\n",
    };
}

/// Whether a statement names the source account, resource or organisation of the service's requests.
fn names_source(statement: &Statement) -> bool {
    statement.conditions.iter().any(|condition| {
        matches!(
            condition.key.as_str(),
            "aws:sourceaccount" | "aws:sourcearn" | "aws:sourceorgid" | "aws:sourceorgpaths"
        ) && condition.is_narrowing()
    })
}

/// Reports every service trusted without a source condition.
pub(super) fn check(policy: &Policy, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let check = &IAMROLE_TRUST_SERVICE_WITHOUT_SOURCE_CONDITION;
    if !ctx.is_enabled(check) {
        return;
    }
    for statement in &policy.statements {
        let Some(Principals::Kinds(kinds)) = &statement.principal else {
            continue;
        };
        let Some(services) = kinds.get(&PrincipalKind::Service) else {
            continue;
        };
        if !statement.is_allow() || names_source(statement) {
            continue;
        }
        for service in services {
            let notes = format!("Entity: [service:{service}]");
            if findings.iter().any(|f| f.check == check && f.notes == notes) {
                continue;
            }
            let message = format!("{service} may assume the role without aws:SourceAccount or aws:SourceArn");
            findings.push(Finding::new(check, message, notes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn trust(statements: Value) -> Value {
        json!({"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": statements}})
    }

    fn service(name: Value, condition: Value) -> Value {
        trust(
            json!([{"Effect": "Allow", "Principal": {"Service": name}, "Action": "sts:AssumeRole", "Condition": condition}]),
        )
    }

    #[test]
    fn table() {
        testing::table(
            &IAMROLE_TRUST_SERVICE_WITHOUT_SOURCE_CONDITION,
            &[
                trust(
                    json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
                ),
                service(json!(["config.amazonaws.com"]), json!({})),
                service(
                    json!("config.amazonaws.com"),
                    json!({"StringEqualsIfExists": {"aws:SourceAccount": testing::OURS}}),
                ),
                service(json!("config.amazonaws.com"), json!({"ArnLike": {"aws:SourceArn": "arn:aws:config:*:*:*"}})),
                service(
                    json!("config.amazonaws.com"),
                    json!({"StringNotEquals": {"aws:SourceAccount": testing::OURS}}),
                ),
                service(json!("config.amazonaws.com"), json!({"StringEquals": {"aws:PrincipalOrgID": "o-1"}})),
            ],
            &[
                json!({}),
                json!({"AssumeRolePolicyDocument": null}),
                trust(
                    json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]),
                ),
                trust(
                    json!([{"Effect": "Deny", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
                ),
                service(json!("config.amazonaws.com"), json!({"StringEquals": {"aws:SourceAccount": testing::OURS}})),
                service(
                    json!("config.amazonaws.com"),
                    json!({"ArnLike": {"AWS:SourceArn": "arn:aws:config:us-east-1:111111111111:*"}}),
                ),
                service(json!("config.amazonaws.com"), json!({"StringEquals": {"aws:SourceOrgID": "o-abc"}})),
                json!({"AssumeRolePolicyDocument": {"Statement": "x"}}),
            ],
        );
    }

    #[test]
    fn one_issue_per_service() {
        let document = trust(json!([
            {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "ec2.amazonaws.com"]}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:TagSession"}
        ]));
        let found = testing::issues(&IAMROLE_TRUST_SERVICE_WITHOUT_SOURCE_CONDITION, document);
        let notes: Vec<&str> = found.iter().map(|i| i.key.notes.as_str()).collect();
        assert_eq!(notes, ["Entity: [service:ec2.amazonaws.com]", "Entity: [service:lambda.amazonaws.com]"]);
        assert!(found.iter().all(|i| i.score == 1));
    }
}
