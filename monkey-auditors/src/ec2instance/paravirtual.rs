//! `ec2instance-paravirtual`: an instance running a paravirtual (PV) image.

use super::text;
use monkey_core::auditor::{AuditContext, AuditedItem, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// An instance uses paravirtual virtualization.
    pub static EC2INSTANCE_PARAVIRTUAL = Check {
        id: "ec2instance-paravirtual",
        technology: "ec2instance",
        title: "Ec2InstanceParavirtual",
        category: Category::Recommendation,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An instance whose `VirtualizationType` is `paravirtual`. Our instance watcher does not record that field today, so \
the check also looks the instance's `ImageId` up among the account's own recorded images (`ec2image`, same region) \
and links the image when it is paravirtual. Instances of images owned by others, with no recorded type, are \
skipped.\n\n\
## Why it matters\n\
Paravirtual AMIs only run on previous-generation instance types, cannot use enhanced networking or current \
hardware security features, and their kernels and tooling are long out of support.\n\n\
## Example\n\
`{\"VirtualizationType\": \"paravirtual\"}` gives `VirtualizationType: [paravirtual]`.\n\n\
## How to fix\n\
Rebuild the workload on an HVM image and a current instance type.\n\n\
## References\n\
- Security Hub EC2.24; Prowler `ec2_instance_paravirtual_type`.\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html\n",
    };
}

const NOTES: &str = "VirtualizationType: [paravirtual]";
const MESSAGE: &str = "Instance uses paravirtual virtualization";

/// Flags a paravirtual instance, from its own record or its image's.
pub(super) fn check(item: &AuditedItem<'_>, ctx: &AuditContext) -> Vec<Finding> {
    match text(item.config, "VirtualizationType") {
        Some("paravirtual") => return vec![Finding::new(&EC2INSTANCE_PARAVIRTUAL, MESSAGE, NOTES)],
        Some(_) => return Vec::new(),
        None => {}
    }
    let Some(image) = text(item.config, "ImageId") else { return Vec::new() };
    ctx.support_where("ec2image", "ImageId", image)
        .into_iter()
        .filter(|i| i.key.region == item.key.region)
        .find(|i| text(&i.config, "VirtualizationType") == Some("paravirtual"))
        .map(|i| Finding::new(&EC2INSTANCE_PARAVIRTUAL, MESSAGE, NOTES).with_links(vec![i.key.clone()]))
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, Fixture};
    use serde_json::{Value, json};

    #[test]
    fn table() {
        testing::table(
            &EC2INSTANCE_PARAVIRTUAL,
            &[json!({"VirtualizationType": "paravirtual"})],
            &[
                json!({}),
                json!({"VirtualizationType": "hvm"}),
                json!({"VirtualizationType": 1}),
                json!({"ImageId": "ami-1"}),
            ],
        );
    }

    #[test]
    fn the_image_tells_when_the_instance_does_not() {
        let images = || Fixture {
            support: vec![
                ("ec2image", "old (ami-pv)", json!({"ImageId": "ami-pv", "VirtualizationType": "paravirtual"})),
                ("ec2image", "new (ami-hvm)", json!({"ImageId": "ami-hvm", "VirtualizationType": "hvm"})),
            ],
            ..Default::default()
        };
        let found = |config: Value| testing::issues_with(&EC2INSTANCE_PARAVIRTUAL, config, images());
        let pv = found(json!({"ImageId": "ami-pv"}));
        assert_eq!(pv.len(), 1);
        assert_eq!(pv[0].links, vec![testing::key("ec2image", "old (ami-pv)")]);
        assert!(found(json!({"ImageId": "ami-hvm"})).is_empty());
        assert!(found(json!({"ImageId": "ami-other"})).is_empty());
        assert!(
            found(json!({"ImageId": "ami-pv", "VirtualizationType": "hvm"})).is_empty(),
            "the instance's own record wins"
        );
    }
}
