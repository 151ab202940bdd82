//! Checks of the account's own AMIs (`ec2image`): who may launch them (`Public` and
//! `LaunchPermissions`: `{"Group": "all"}`, `{"UserId": ...}`, `{"OrganizationArn": ...}`,
//! `{"OrganizationalUnitArn": ...}` as the watcher records them).

mod friendly_cross_account;
mod public;
mod thirdparty_cross_account;
mod unknown_cross_account;

pub use friendly_cross_account::EC2IMAGE_FRIENDLY_CROSS_ACCOUNT;
pub use public::EC2IMAGE_PUBLIC;
pub use thirdparty_cross_account::EC2IMAGE_THIRDPARTY_CROSS_ACCOUNT;
pub use unknown_cross_account::EC2IMAGE_UNKNOWN_CROSS_ACCOUNT;

use async_trait::async_trait;
use monkey_core::audit::Relation;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use serde_json::Value;

static CHECKS: [&Check; 4] = [
    &EC2IMAGE_PUBLIC,
    &EC2IMAGE_FRIENDLY_CROSS_ACCOUNT,
    &EC2IMAGE_THIRDPARTY_CROSS_ACCOUNT,
    &EC2IMAGE_UNKNOWN_CROSS_ACCOUNT,
];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// The action of every image issue, as Security Monkey wrote it.
const ACTIONS: &str = "Actions: [\"LaunchPermissions\"]";

/// The entries of the image's `LaunchPermissions`.
fn launch_permissions(config: &Value) -> impl Iterator<Item = &Value> {
    config.get("LaunchPermissions").and_then(Value::as_array).into_iter().flatten()
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The organization id (`o-...`) in an organization ARN
/// (`arn:aws:organizations::<management account>:organization/o-...`) or organizational unit
/// ARN (`arn:aws:organizations::<management account>:ou/o-.../ou-...`).
fn organization_id(arn: &str) -> Option<&str> {
    let (_, path) = arn.rsplit_once(':')?;
    let rest = path.strip_prefix("organization/").or_else(|| path.strip_prefix("ou/"))?;
    rest.split('/').next().filter(|id| id.starts_with("o-"))
}

/// Who a launch permission names: `(relation, account for the notes, entity)`.
fn grantee<'a>(
    item: &AuditedItem<'_>,
    ctx: &AuditContext,
    permission: &'a Value,
) -> Option<(Relation, Option<&'a str>, String)> {
    if let Some(account) = text(permission, "UserId") {
        let relation = ctx.environment.classify_account(&item.key.account, account);
        return Some((relation, Some(account), format!("account:{account}")));
    }
    if let Some(arn) = text(permission, "OrganizationArn") {
        let relation = organization_id(arn).map_or(Relation::Unknown, |id| ctx.environment.classify_organization(id));
        return Some((relation, None, format!("organization:{arn}")));
    }
    if let Some(arn) = text(permission, "OrganizationalUnitArn") {
        let relation = organization_id(arn).map_or(Relation::Unknown, |id| ctx.environment.classify_organization(id));
        return Some((relation, None, format!("organizational_unit:{arn}")));
    }
    None
}

/// The cross-account findings: every account or organization the image is shared with,
/// classified once.
fn cross_account(item: &AuditedItem<'_>, ctx: &AuditContext) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for permission in launch_permissions(item.config) {
        let Some((relation, account, entity)) = grantee(item, ctx, permission) else { continue };
        let (check, message) = match relation {
            Relation::Same => continue,
            Relation::Friendly => (&EC2IMAGE_FRIENDLY_CROSS_ACCOUNT, "Image can be launched by a friendly account"),
            Relation::ThirdParty => {
                (&EC2IMAGE_THIRDPARTY_CROSS_ACCOUNT, "Image can be launched by a third-party account")
            }
            Relation::Unknown => (&EC2IMAGE_UNKNOWN_CROSS_ACCOUNT, "Image can be launched by an unknown account"),
        };
        if !ctx.is_enabled(check) {
            continue;
        }
        let notes = format!("{}Entity: [{entity}] {ACTIONS}", ctx.environment.account_notes(account));
        if !findings.iter().any(|f| f.notes == notes) {
            findings.push(Finding::new(check, message, notes));
        }
    }
    findings
}

/// Runs every image check.
#[derive(Debug, Default)]
pub struct Ec2ImageAuditor;

#[async_trait]
impl Auditor for Ec2ImageAuditor {
    fn technology(&self) -> &'static str {
        "ec2image"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings = Vec::new();
        if ctx.is_enabled(&EC2IMAGE_PUBLIC) {
            findings.extend(public::check(item.config));
        }
        findings.extend(cross_account(item, ctx));
        Ok(findings)
    }
}

monkey_core::register_auditor!(Ec2ImageAuditor);

/// An environment where 222233334444 is a friendly account, 333333333333 a third party, and
/// `o-ours` our organization.
#[cfg(test)]
fn environment() -> monkey_core::audit::Environment {
    use monkey_core::model::{Account, AccountName, AccountNumber};
    let account = |name: &str, number: &str| {
        Account::new(AccountName::parse(name).expect("a name"), AccountNumber::parse(number).expect("a number"))
    };
    let mut vendor = account("vendor", "333333333333");
    vendor.third_party = true;
    let mut environment = monkey_core::audit::Environment::new(vec![account("friend", "222233334444"), vendor], vec![]);
    environment.learn_organization("o-ours");
    environment
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};
    use crate::testing::Fixture;

    #[test]
    fn organization_ids_are_read_from_both_arns() {
        assert_eq!(organization_id("arn:aws:organizations::111122223333:organization/o-abc123"), Some("o-abc123"));
        assert_eq!(organization_id("arn:aws:organizations::111122223333:ou/o-abc123/ou-ab12-xyz"), Some("o-abc123"));
        assert_eq!(organization_id("arn:aws:organizations::111122223333:root/o-abc123/r-1"), None);
        assert_eq!(organization_id("o-abc123"), None);
    }

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let images = recording(include_str!("../../../testdata/estate/recording/111122223333/ec2image.json"));
        let fixture = || Fixture { environment: environment(), ..Default::default() };
        for (name, config) in &images {
            let found = all_issues(&CHECKS, config, fixture);
            let expected = match config.get("Name").and_then(Value::as_str) {
                Some("estate-public") => {
                    vec!["ec2image-public Entity: [account:all] Actions: [\"LaunchPermissions\"] 10"]
                }
                Some("estate-shared") => vec![
                    "ec2image-unknown-cross-account Account: [999988887777] Entity: [account:999988887777] Actions: [\"LaunchPermissions\"] 10",
                ],
                other => panic!("unexpected image {other:?}"),
            };
            assert_eq!(found, expected, "{name}");
        }
    }
}
