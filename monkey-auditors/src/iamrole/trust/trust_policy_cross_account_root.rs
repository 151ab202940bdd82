//! `iamrole-trust-policy-cross-account-root`: a trust policy trusts another account's root.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A role's trust policy trusts the root of another account, so every principal that account allows.
    pub static IAMROLE_TRUST_POLICY_CROSS_ACCOUNT_ROOT = Check {
        id: "iamrole-trust-policy-cross-account-root",
        technology: "iamrole",
        title: "IamRoleTrustPolicyCrossAccountRoot",
        category: Category::CrossAccountRootIam,
        default_score: 6,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An Allow statement of the trust policy whose principal is another account's root (`arn:aws:iam::<account>:root` or \
a bare account id in `Principal.AWS`, or a root ARN in an `aws:PrincipalArn` condition), whichever account it is. \
Reported besides the principal's cross-account issue.\n\n\
## Why it matters\n\
Trusting an account's root lets every user and role of that account whose own policies allow `sts:AssumeRole` on \
the role assume it: the other account, not you, decides who gets in.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam::999988887777:root\"}` gives `Account: [999988887777] Entity: \
[principal:arn:aws:iam::999988887777:root] Actions: [\"sts:assumerole\"]`.\n\n\
## How to fix\n\
Name the role of the other account that needs access (`arn:aws:iam::999988887777:role/deployer`), or add an \
`aws:PrincipalArn` condition.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts\n\
- Security Monkey `IAMRoleAuditor` (`ResourcePolicyAuditor.check_root_cross_account` on the trust policy).\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::cross_account_root(&IAMROLE_TRUST_POLICY_CROSS_ACCOUNT_ROOT, super::super::SUBJECT);
    }
}
