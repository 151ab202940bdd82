// ENGINEER: BEFORE WRITING CODE READ /work/main/AUDITOR_BRIEF.md (rules, test harness, and the ONLY build commands allowed: never --workspace). Delete this line when done.
//! Checks of `ebsvolume` items.

use monkey_core::auditor::Check;

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    Vec::new()
}
