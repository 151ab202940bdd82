//! `iamrole-admin-policy-attached`: an administrator managed policy attached to the role.

use monkey_core::auditor::Check;

crate::identity_policy::declare_admin_policy_attached_check! {
    /// A role has `AdministratorAccess` (or another managed policy allowing `"*"`) attached.
    pub static IAMROLE_ADMIN_POLICY_ATTACHED {
        technology: "iamrole",
        id: "iamrole-admin-policy-attached",
        title: "IamRoleAdminPolicyAttached",
        who: "IAM role",
    }
}
