//! `iamgroup-admin-policy-attached`: an administrator managed policy attached to the group.

use monkey_core::auditor::Check;

crate::identity_policy::declare_admin_policy_attached_check! {
    /// A group has `AdministratorAccess` (or another managed policy allowing `"*"`) attached.
    pub static IAMGROUP_ADMIN_POLICY_ATTACHED {
        technology: "iamgroup",
        id: "iamgroup-admin-policy-attached",
        title: "IamGroupAdminPolicyAttached",
        who: "IAM group",
    }
}
