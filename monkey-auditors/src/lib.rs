//! The built-in checks of monkey: one module per technology, one file per check.
//!
//! Every check is a named `static` declared with [`monkey_core::declare_check!`] and every
//! auditor is registered with [`monkey_core::register_auditor!`], so linking this crate is
//! enough to run them. A binary that never names this crate gets none of them: say
//! `use monkey_auditors as _;` (the linker drops crates nothing refers to).

use monkey_core::auditor::Check;

pub mod ebsencryption;
pub mod ebssnapshot;
pub mod ebsvolume;
pub mod ec2image;
pub mod ec2instance;
pub mod elasticip;
mod fields;
pub mod iamaccount;
pub mod iamgroup;
pub mod iamrole;
pub mod iamssl;
pub mod iamuser;
mod identity_policy;
pub mod managed_policy;
pub mod networkacl;
mod resource_policy;
pub mod routetable;
pub mod s3;
pub mod securitygroup;
pub mod subnet;
pub mod vpc;

#[cfg(test)]
mod testing;

/// Every built-in check, listed explicitly so a test can prove `inventory` found each one.
pub fn builtin() -> Vec<&'static Check> {
    [
        ebsencryption::builtin(),
        ebssnapshot::builtin(),
        ebsvolume::builtin(),
        ec2image::builtin(),
        ec2instance::builtin(),
        elasticip::builtin(),
        iamaccount::builtin(),
        iamgroup::builtin(),
        iamrole::builtin(),
        iamssl::builtin(),
        iamuser::builtin(),
        managed_policy::builtin(),
        networkacl::builtin(),
        routetable::builtin(),
        s3::builtin(),
        securitygroup::builtin(),
        subnet::builtin(),
        vpc::builtin(),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_builtin_check_is_registered_once() {
        let registered = monkey_core::auditor::registered_checks();
        let ids: Vec<&str> = registered.iter().map(|c| c.id).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "a check id is registered twice: {ids:?}");
        for check in builtin() {
            assert_eq!(ids.iter().filter(|id| **id == check.id).count(), 1, "{} not registered once", check.id);
        }
    }

    #[test]
    fn every_builtin_check_is_run_by_a_registered_auditor() {
        let auditors = monkey_core::auditor::registered_auditors();
        for check in builtin() {
            let runs = auditors.iter().any(|a| a.technology() == check.technology && a.checks().contains(&check));
            assert!(runs, "no registered auditor runs {}", check.id);
        }
    }

    #[test]
    fn check_metadata_follows_the_conventions() {
        for check in builtin() {
            assert!(check.id.starts_with(check.technology), "{} must start with its technology", check.id);
            assert!(
                check.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                check.id
            );
            for heading in ["## What it finds", "## Why it matters", "## Example", "## How to fix", "## References"] {
                assert!(check.docs.contains(heading), "{} docs lack {heading}", check.id);
            }
        }
    }
}
