//! `iamrole-trust-policy-internet-accessible`: a trust policy that lets anyone assume the role.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A role's trust policy lets anyone assume it.
    pub static IAMROLE_TRUST_POLICY_INTERNET_ACCESSIBLE = Check {
        id: "iamrole-trust-policy-internet-accessible",
        technology: "iamrole",
        title: "IamRoleTrustPolicyInternetAccessible",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A trust policy (`AssumeRolePolicyDocument`) with an Allow statement for any principal (`\"Principal\": \"*\"`, \
`{\"AWS\": \"*\"}` or a `NotPrincipal`) without a narrowing condition (a positive condition on \
`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceIp`, ... with concrete values) that no \
Deny statement takes back. The notes list the actions: `Entity: [principal:*] Actions: [\"sts:assumerole\"]`.\n\n\
## Why it matters\n\
Any AWS principal of any account can call `sts:AssumeRole` on the role and act with its permissions. An \
`sts:ExternalId` condition does not help: it is a shared string, not an authentication. This is a full takeover of \
whatever the role can do.\n\n\
## Example\n\
`{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\"}` gives `Entity: \
[principal:*] Actions: [\"sts:assumerole\"]`.\n\n\
## How to fix\n\
Name the accounts or roles that may assume the role in `Principal`, or add an `aws:PrincipalOrgID` condition for \
your organisation.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous\n\
- Security Monkey `IAMRoleAuditor` (`ResourcePolicyAuditor.check_internet_accessible` on the trust policy); \
ScoutSuite `iam-assume-role-policy-allows-all`.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::internet_accessible(&IAMROLE_TRUST_POLICY_INTERNET_ACCESSIBLE, super::super::SUBJECT);
    }
}
