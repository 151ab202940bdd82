//! `networkacl-unused`: a network ACL no subnet is associated with.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// A network ACL is not associated with any subnet.
    pub static NETWORKACL_UNUSED = Check {
        id: "networkacl-unused",
        technology: "networkacl",
        title: "NetworkAclUnused",
        category: Category::Informational,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A network ACL whose recorded `Associations` list is empty and that is not a VPC's default ACL (`IsDefault` true; \
default ACLs cannot be deleted). Informational, like `securitygroup-unused`; Security Hub rates it low.\n\n\
## Why it matters\n\
Unused ACLs clutter the VPC and invite someone to associate a forgotten, unreviewed rule set with a subnet.\n\n\
## Example\n\
`{\"NetworkAclId\": \"acl-1\", \"IsDefault\": false, \"Associations\": []}` gives the notes `Unassociated`.\n\n\
## How to fix\n\
Delete the ACL (`aws ec2 delete-network-acl --network-acl-id <id>`), or justify the issue if it is kept for a \
planned subnet.\n\n\
## References\n\
- Security Hub EC2.16; Prowler `ec2_networkacl_unused`; ScoutSuite `vpc-network-acl-not-used`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html\n",
    };
}

/// Flags a non-default ACL without subnet associations.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    let unassociated = config.get("Associations").and_then(Value::as_array).is_some_and(Vec::is_empty);
    if !unassociated || config.get("IsDefault").and_then(Value::as_bool) == Some(true) {
        return Vec::new();
    }
    vec![Finding::new(&NETWORKACL_UNUSED, "No subnet is associated with the network ACL", "Unassociated")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &NETWORKACL_UNUSED,
            &[json!({"IsDefault": false, "Associations": []}), json!({"Associations": []})],
            &[
                json!({}),
                json!({"IsDefault": true, "Associations": []}),
                json!({"IsDefault": false, "Associations": [{"SubnetId": "subnet-1"}]}),
                json!({"IsDefault": false, "Associations": null}),
            ],
        );
    }
}
