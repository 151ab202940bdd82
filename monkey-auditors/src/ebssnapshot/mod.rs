//! Checks of EBS snapshots (`ebssnapshot`): who may create volumes from them
//! (`CreateVolumePermissions`, `{"Group": "all"}` or `{"UserId": ...}` as the watcher records
//! them) and whether they are encrypted.

mod friendly_cross_account;
mod public;
mod shared_with_marketplace;
mod thirdparty_cross_account;
mod unencrypted;
mod unknown_cross_account;

pub use friendly_cross_account::EBSSNAPSHOT_FRIENDLY_CROSS_ACCOUNT;
pub use public::EBSSNAPSHOT_PUBLIC;
pub use shared_with_marketplace::EBSSNAPSHOT_SHARED_WITH_MARKETPLACE;
pub use thirdparty_cross_account::EBSSNAPSHOT_THIRDPARTY_CROSS_ACCOUNT;
pub use unencrypted::EBSSNAPSHOT_UNENCRYPTED;
pub use unknown_cross_account::EBSSNAPSHOT_UNKNOWN_CROSS_ACCOUNT;

use async_trait::async_trait;
use monkey_core::audit::Relation;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use serde_json::Value;

static CHECKS: [&Check; 6] = [
    &EBSSNAPSHOT_PUBLIC,
    &EBSSNAPSHOT_SHARED_WITH_MARKETPLACE,
    &EBSSNAPSHOT_FRIENDLY_CROSS_ACCOUNT,
    &EBSSNAPSHOT_THIRDPARTY_CROSS_ACCOUNT,
    &EBSSNAPSHOT_UNKNOWN_CROSS_ACCOUNT,
    &EBSSNAPSHOT_UNENCRYPTED,
];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// The user id AWS Marketplace sellers share snapshots with.
const MARKETPLACE: &str = "aws-marketplace";

/// The action of every snapshot issue, as Security Monkey wrote it.
const ACTIONS: &str = "Actions: [\"createEBSVolume\"]";

/// The values of `field` (`Group` or `UserId`) in the snapshot's create-volume permissions.
fn permissions<'a>(config: &'a Value, field: &'a str) -> impl Iterator<Item = &'a str> {
    config
        .get("CreateVolumePermissions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(move |p| p.get(field).and_then(Value::as_str))
        .filter(|v| !v.is_empty())
}

/// The cross-account findings: every account the snapshot is shared with, classified once.
fn cross_account(item: &AuditedItem<'_>, ctx: &AuditContext) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for account in permissions(item.config, "UserId").filter(|a| *a != MARKETPLACE) {
        let (check, message) = match ctx.environment.classify_account(&item.key.account, account) {
            Relation::Same => continue,
            Relation::Friendly => (&EBSSNAPSHOT_FRIENDLY_CROSS_ACCOUNT, "Snapshot is shared with a friendly account"),
            Relation::ThirdParty => {
                (&EBSSNAPSHOT_THIRDPARTY_CROSS_ACCOUNT, "Snapshot is shared with a third-party account")
            }
            Relation::Unknown => (&EBSSNAPSHOT_UNKNOWN_CROSS_ACCOUNT, "Snapshot is shared with an unknown account"),
        };
        if !ctx.is_enabled(check) {
            continue;
        }
        let notes = format!("{}Entity: [account:{account}] {ACTIONS}", ctx.environment.account_notes(Some(account)));
        if !findings.iter().any(|f| f.notes == notes) {
            findings.push(Finding::new(check, message, notes));
        }
    }
    findings
}

/// Runs every snapshot check.
#[derive(Debug, Default)]
pub struct EbsSnapshotAuditor;

#[async_trait]
impl Auditor for EbsSnapshotAuditor {
    fn technology(&self) -> &'static str {
        "ebssnapshot"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings = Vec::new();
        if ctx.is_enabled(&EBSSNAPSHOT_PUBLIC) {
            findings.extend(public::check(item.config));
        }
        if ctx.is_enabled(&EBSSNAPSHOT_SHARED_WITH_MARKETPLACE) {
            findings.extend(shared_with_marketplace::check(item.config));
        }
        if ctx.is_enabled(&EBSSNAPSHOT_UNENCRYPTED) {
            findings.extend(unencrypted::check(item.config));
        }
        findings.extend(cross_account(item, ctx));
        Ok(findings)
    }
}

monkey_core::register_auditor!(EbsSnapshotAuditor);

/// An environment where 222233334444 is a friendly account and 333333333333 a third party.
#[cfg(test)]
fn environment() -> monkey_core::audit::Environment {
    use monkey_core::model::{Account, AccountName, AccountNumber};
    let account = |name: &str, number: &str| {
        Account::new(AccountName::parse(name).expect("a name"), AccountNumber::parse(number).expect("a number"))
    };
    let mut vendor = account("vendor", "333333333333");
    vendor.third_party = true;
    monkey_core::audit::Environment::new(vec![account("friend", "222233334444"), vendor], vec![])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};
    use crate::testing::Fixture;

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let snapshots = recording(include_str!("../../../testdata/estate/recording/111122223333/ebssnapshot.json"));
        let fixture = || Fixture { environment: environment(), ..Default::default() };
        for (name, config) in &snapshots {
            let found = all_issues(&CHECKS, config, fixture);
            let description = config.get("Description").and_then(Value::as_str).unwrap_or_default();
            let mut expected = vec!["ebssnapshot-unencrypted Encrypted: [false] 3"];
            match description {
                "public" => expected
                    .insert(0, "ebssnapshot-public Entity: [shared_ebs:public] Actions: [\"createEBSVolume\"] 10"),
                "shared" => {
                    expected.insert(0, "ebssnapshot-friendly-cross-account Account: [222233334444/friend] Entity: [account:222233334444] Actions: [\"createEBSVolume\"] 0");
                    expected.push("ebssnapshot-unknown-cross-account Account: [999988887777] Entity: [account:999988887777] Actions: [\"createEBSVolume\"] 10");
                }
                _ => {}
            }
            assert_eq!(found, expected, "{name}");
        }
    }
}
