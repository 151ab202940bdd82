//! `iamrole-trust-policy-unknown-access`: a trust policy trusts an account nobody registered.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A role's trust policy lets an account, network or organisation nobody registered assume it.
    pub static IAMROLE_TRUST_POLICY_UNKNOWN_ACCESS = Check {
        id: "iamrole-trust-policy-unknown-access",
        technology: "iamrole",
        title: "IamRoleTrustPolicyUnknownAccess",
        category: Category::UnknownAccess,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Every principal or narrowing-condition value of the trust policy's Allow statements that is neither the role's \
account nor a stored account: unknown account ids and ARNs, IAM unique ids (`AROA...`, what IAM shows once a trusted \
principal was deleted), source IPs, VPCs and organisations nobody registered. AWS service principals and identity \
providers named by domain (`accounts.google.com`) are not reported here. As in Security Monkey, nothing is reported \
when the trust policy is internet accessible: that issue says more.\n\n\
## Why it matters\n\
Someone outside every registered account can act with the role's permissions: a forgotten vendor, a former \
employee's personal account, an attacker's persistence.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam::999988887777:root\"}` gives `Account: [999988887777] Entity: \
[principal:arn:aws:iam::999988887777:root] Actions: [\"sts:assumerole\"]`.\n\n\
## How to fix\n\
Find out who owns the account: register it if the trust is intended, otherwise remove it from the trust policy and \
review what the role did (CloudTrail `AssumeRole` events).\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy\n\
- Security Monkey `IAMRoleAuditor` (`ResourcePolicyAuditor.check_unknown_cross_account` on the trust policy).\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::unknown_access(&IAMROLE_TRUST_POLICY_UNKNOWN_ACCESS, super::super::SUBJECT);
    }
}
