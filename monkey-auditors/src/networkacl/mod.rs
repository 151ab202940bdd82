//! Checks of `networkacl` items.

use monkey_core::auditor::Check;

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    Vec::new()
}
