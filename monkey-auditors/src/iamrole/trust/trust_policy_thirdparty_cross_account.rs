//! `iamrole-trust-policy-thirdparty-cross-account`: a trust policy trusts a known third party.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A role's trust policy lets a principal of a known third-party account assume it.
    pub static IAMROLE_TRUST_POLICY_THIRDPARTY_CROSS_ACCOUNT = Check {
        id: "iamrole-trust-policy-thirdparty-cross-account",
        technology: "iamrole",
        title: "IamRoleTrustPolicyThirdpartyCrossAccount",
        category: Category::ThirdpartyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Every principal or narrowing-condition value of the trust policy's Allow statements that belongs to a stored account \
marked third party (a vendor's account, for a monitoring or backup product). One issue per principal.\n\n\
## Why it matters\n\
Vendor roles were agreed on, so the score is 0, as in Security Monkey; the issues list which outsiders can act in \
the account. See `iamrole-trust-cross-account-without-external-id` for the external id such roles need.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam::333333333333:root\"}`, where 333333333333 is the third-party account \
`vendor`, gives `Account: [333333333333/vendor] Entity: [principal:arn:aws:iam::333333333333:root] Actions: \
[\"sts:assumerole\"]`.\n\n\
## How to fix\n\
Nothing while the contract stands; remove the principal when it ends.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html\n\
- Security Monkey `IAMRoleAuditor` (`ResourcePolicyAuditor.check_thirdparty_cross_account` on the trust policy).\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::thirdparty_cross_account(&IAMROLE_TRUST_POLICY_THIRDPARTY_CROSS_ACCOUNT, super::super::SUBJECT);
    }
}
