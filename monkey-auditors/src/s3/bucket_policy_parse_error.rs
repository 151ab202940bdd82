//! `s3-bucket-policy-parse-error`: a bucket policy, or an ARN in it, that cannot be read.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A bucket policy, or a principal ARN in it, could not be parsed.
    pub static S3_BUCKET_POLICY_PARSE_ERROR = Check {
        id: "s3-bucket-policy-parse-error",
        technology: "s3",
        title: "S3BucketPolicyParseError",
        category: Category::ParseError,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A recorded bucket policy that is not a policy document (text that is not JSON, a missing `Statement` or `Effect`, \
a value of the wrong type), or a principal ARN that is not `arn:partition:service:region:account:resource`. The \
notes name the place and the reason: `Path: [Statement[0].Effect] Reason: [missing]`.\n\n\
## Why it matters\n\
What cannot be read cannot be checked: the other bucket-policy checks see nothing in that policy or principal, so a \
public or cross-account grant may go unreported.\n\n\
## Example\n\
`{\"Statement\": [{\"Principal\": \"*\", \"Action\": \"s3:GetObject\"}]}` gives `Path: [Statement[0].Effect] Reason: \
[missing]`.\n\n\
## How to fix\n\
Look at the recorded policy. S3 refuses invalid policies, so an error usually means monkey reads a form it does not \
know yet: report it. Fix the policy if it is really malformed.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html\n\
- Security Monkey `record_arn_parse_issue` (\"Could not parse ARN\", Parse Error, 3).\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::parse_error(&S3_BUCKET_POLICY_PARSE_ERROR, crate::s3::SUBJECT);
    }
}
