//! `iamrole-trust-policy-parse-error`: a trust policy, or an ARN in it, that cannot be read.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A role's trust policy, or a principal ARN in it, could not be parsed.
    pub static IAMROLE_TRUST_POLICY_PARSE_ERROR = Check {
        id: "iamrole-trust-policy-parse-error",
        technology: "iamrole",
        title: "IamRoleTrustPolicyParseError",
        category: Category::ParseError,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A recorded trust policy that is not a policy document (neither an object, JSON text nor URL-encoded JSON, a missing \
`Statement` or `Effect`, a value of the wrong type), or a principal ARN that is not \
`arn:partition:service:region:account:resource`. The notes name the place and the reason: `Path: \
[Statement[0].Effect] Reason: [missing]`.\n\n\
## Why it matters\n\
The other trust checks see nothing in what could not be read, so an open or cross-account trust may go unreported.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam\"}` gives `Path: [Statement[0].Principal.AWS] Reason: [expected \
arn:partition:service:region:account:resource, got \"arn:aws:iam\"]`.\n\n\
## How to fix\n\
Look at the recorded policy: IAM refuses invalid trust policies, so an error usually means monkey reads a form it \
does not know yet; report it.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html\n\
- Security Monkey `record_arn_parse_issue` (Parse Error, 3).\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::parse_error(&IAMROLE_TRUST_POLICY_PARSE_ERROR, super::super::SUBJECT);
    }
}
