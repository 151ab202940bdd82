//! Checks of IAM role trust policies (`iamrole`, field `AssumeRolePolicyDocument`): who may
//! assume the role.
//!
//! Security Monkey's `IAMRoleAuditor` ran the resource-policy checks on the trust policy
//! (internet accessible, friendly / third-party / unknown cross account, cross-account root,
//! parse error); these are the same, through the shared evaluator of `resource_policy`. Two
//! checks of the peers (IAM-16) are added: cross-account trust without `sts:ExternalId` or MFA,
//! and AWS service trust without `aws:SourceAccount` / `aws:SourceArn`.
//!
//! The trust checks have their own auditor, [`IamRoleTrustAuditor`], beside the auditor of the
//! role's permission policies: the engine runs every auditor of a technology.

mod cross_account_without_external_id;
mod service_without_source_condition;
mod trust_policy_cross_account_root;
mod trust_policy_friendly_cross_account;
mod trust_policy_internet_accessible;
mod trust_policy_parse_error;
mod trust_policy_thirdparty_cross_account;
mod trust_policy_unknown_access;

#[cfg(test)]
mod estate;

pub use cross_account_without_external_id::IAMROLE_TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID;
pub use service_without_source_condition::IAMROLE_TRUST_SERVICE_WITHOUT_SOURCE_CONDITION;
pub use trust_policy_cross_account_root::IAMROLE_TRUST_POLICY_CROSS_ACCOUNT_ROOT;
pub use trust_policy_friendly_cross_account::IAMROLE_TRUST_POLICY_FRIENDLY_CROSS_ACCOUNT;
pub use trust_policy_internet_accessible::IAMROLE_TRUST_POLICY_INTERNET_ACCESSIBLE;
pub use trust_policy_parse_error::IAMROLE_TRUST_POLICY_PARSE_ERROR;
pub use trust_policy_thirdparty_cross_account::IAMROLE_TRUST_POLICY_THIRDPARTY_CROSS_ACCOUNT;
pub use trust_policy_unknown_access::IAMROLE_TRUST_POLICY_UNKNOWN_ACCESS;

use crate::resource_policy::{self, Document, PolicyChecks};
use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 8] = [
    &IAMROLE_TRUST_POLICY_INTERNET_ACCESSIBLE,
    &IAMROLE_TRUST_POLICY_FRIENDLY_CROSS_ACCOUNT,
    &IAMROLE_TRUST_POLICY_THIRDPARTY_CROSS_ACCOUNT,
    &IAMROLE_TRUST_POLICY_UNKNOWN_ACCESS,
    &IAMROLE_TRUST_POLICY_CROSS_ACCOUNT_ROOT,
    &IAMROLE_TRUST_POLICY_PARSE_ERROR,
    &IAMROLE_TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID,
    &IAMROLE_TRUST_SERVICE_WITHOUT_SOURCE_CONDITION,
];

/// The resource-policy checks of the trust policy.
static POLICY_CHECKS: PolicyChecks = PolicyChecks {
    subject: "Trust policy",
    internet_accessible: &IAMROLE_TRUST_POLICY_INTERNET_ACCESSIBLE,
    friendly_cross_account: &IAMROLE_TRUST_POLICY_FRIENDLY_CROSS_ACCOUNT,
    thirdparty_cross_account: &IAMROLE_TRUST_POLICY_THIRDPARTY_CROSS_ACCOUNT,
    unknown_access: &IAMROLE_TRUST_POLICY_UNKNOWN_ACCESS,
    cross_account_root: &IAMROLE_TRUST_POLICY_CROSS_ACCOUNT_ROOT,
    parse_error: &IAMROLE_TRUST_POLICY_PARSE_ERROR,
};

/// Every trust-policy check.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs the trust-policy checks of IAM roles.
#[derive(Debug, Default)]
pub struct IamRoleTrustAuditor;

#[async_trait]
impl Auditor for IamRoleTrustAuditor {
    fn technology(&self) -> &'static str {
        "iamrole"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let document = Document::read(item.config.get("AssumeRolePolicyDocument"));
        let mut findings = Vec::new();
        resource_policy::audit(&document, item, ctx, &POLICY_CHECKS, None, &mut findings);
        if let Some(policy) = document.policy() {
            cross_account_without_external_id::check(policy, item, ctx, &mut findings);
            service_without_source_condition::check(policy, ctx, &mut findings);
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(IamRoleTrustAuditor);

/// Where trust policies go in a configuration, for the resource-policy conformance tables.
#[cfg(test)]
pub(crate) const SUBJECT: resource_policy::suite::Subject = resource_policy::suite::Subject {
    wrap: |policy| serde_json::json!({ "AssumeRolePolicyDocument": policy }),
    action: "sts:AssumeRole",
};
