//! `iamuser-admin-policy-attached`: an administrator managed policy attached to the user.

use monkey_core::auditor::Check;

crate::identity_policy::declare_admin_policy_attached_check! {
    /// A user has `AdministratorAccess` (or another managed policy allowing `"*"`) attached.
    pub static IAMUSER_ADMIN_POLICY_ATTACHED {
        technology: "iamuser",
        id: "iamuser-admin-policy-attached",
        title: "IamUserAdminPolicyAttached",
        who: "IAM user",
    }
}
