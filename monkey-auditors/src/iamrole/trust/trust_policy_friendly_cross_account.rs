//! `iamrole-trust-policy-friendly-cross-account`: a trust policy trusts another account of ours.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A role's trust policy lets a principal of another account of ours assume it.
    pub static IAMROLE_TRUST_POLICY_FRIENDLY_CROSS_ACCOUNT = Check {
        id: "iamrole-trust-policy-friendly-cross-account",
        technology: "iamrole",
        title: "IamRoleTrustPolicyFriendlyCrossAccount",
        category: Category::FriendlyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Every principal or narrowing-condition value of the trust policy's Allow statements that belongs to another account \
of ours (a stored account not marked third party): account ids, role and user ARNs, SAML and OIDC providers of that \
account, our organisation id. One issue per principal.\n\n\
## Why it matters\n\
Roles assumed from another account of the organisation (deployment, central security, break-glass) are normal, so \
the score is 0, as in Security Monkey; the issues inventory the trust between accounts and their history shows \
when it changed.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam::222222222222:role/deployer\"}`, where 222222222222 is the account `ci`, \
gives `Account: [222222222222/ci] Entity: [principal:arn:aws:iam::222222222222:role/deployer] Actions: \
[\"sts:assumerole\"]`.\n\n\
## How to fix\n\
Nothing if the trust is intended; remove the principal otherwise.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_cross-account-with-roles.html\n\
- Security Monkey `IAMRoleAuditor` (`ResourcePolicyAuditor.check_friendly_cross_account` on the trust policy).\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::friendly_cross_account(&IAMROLE_TRUST_POLICY_FRIENDLY_CROSS_ACCOUNT, super::super::SUBJECT);
    }
}
