//! `<technology>-policy-unparsable`: a policy document that cannot be read.

use super::policy_note;
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::PolicyError;

/// The docs of the check, for one kind of policy document.
macro_rules! unparsable_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "The document of ",
            $what,
            " that monkey cannot read as an IAM policy: not a JSON object (nor JSON or URL-encoded text holding ",
            "one), no `Statement`, a statement without `Effect`, or an element of the wrong type. The notes give ",
            "the path of the first problem; the message says what was wrong there. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "The other policy checks cannot look inside a document they cannot read, so whatever it grants goes ",
            "unaudited. IAM itself only stores valid documents: a document monkey cannot read points at a watcher ",
            "or collection problem, or at a policy grammar monkey does not know yet.\n\n",
            "## Example\n",
            "A statement without `Effect` in the policy `broken` gives `Policy: [broken] Path: [Statement[0].Effect]`.\n\n",
            "## How to fix\n",
            "Compare the recorded document with the policy in the IAM console. If IAM accepts it, report the ",
            "document so monkey learns to read it, and justify the issue meanwhile.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html\n",
            "- Security Monkey's Parse Error category (`record_arn_parse_issue`, score 3).\n",
        )
    };
}
pub(crate) use unparsable_docs;

/// The finding for a document that failed to parse.
pub(super) fn finding(check: &'static Check, policy: &str, error: &PolicyError) -> Finding {
    let mut notes = policy_note(policy);
    notes.push_str("Path: [");
    notes.push_str(&error.path);
    notes.push(']');
    let message = format!("Policy {policy} could not be parsed: {error}");
    Finding::new(check, message, notes)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn unreadable_documents_are_flagged() {
        table(
            |f| f.unparsable,
            &[
                json!(null),
                json!(42),
                json!("not a policy"),
                json!({"Version": "2012-10-17"}),
                document(json!({"Action": "*", "Resource": "*"})),
                document(json!([{"Effect": "Allow", "Action": {"a": 1}}])),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!([])),
                json!("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}"),
            ],
        );
    }

    #[test]
    fn notes_give_the_path() {
        assert_eq!(
            notes(|f| f.unparsable, document(json!([{"Effect": "Allow"}, {"Action": "*"}]))),
            ["Policy: [p] Path: [Statement[1].Effect]"]
        );
        assert_eq!(notes(|f| f.unparsable, json!(null)), ["Policy: [p] Path: [(document)]"]);
    }
}
