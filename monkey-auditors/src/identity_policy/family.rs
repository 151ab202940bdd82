//! The macro that declares one technology's family of identity-policy checks.

/// Declares, as a public module, one technology's identity-policy checks: twelve
/// [`Check`](monkey_core::auditor::Check) statics whose ids start with `id`, the
/// [`Family`](super::Family) that runs them, and `CHECKS`, all twelve.
///
/// `what` names the documents in the docs ("an inline policy of an IAM user"); `scope` is a
/// sentence added to "What it finds" (may be empty).
macro_rules! declare_identity_policy_checks {
    (
        $(#[$meta:meta])*
        pub mod $module:ident {
            technology: $technology:literal,
            id: $id:literal,
            title: $title:literal,
            what: $what:literal,
            scope: $scope:literal $(,)?
        }
    ) => {
        $(#[$meta])*
        pub mod $module {
            use ::monkey_core::auditor::{Check, CheckStatus};
            use ::monkey_core::model::Category;

            ::monkey_core::declare_check! {
                /// A policy allows every action (`"*"`).
                pub static ALLOWS_ADMIN = Check {
                    id: concat!($id, "-allows-admin"),
                    technology: $technology,
                    title: concat!($title, "AllowsAdmin"),
                    category: Category::AdministratorAccess,
                    default_score: 10,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::admin_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy allows every IAM action (`"iam:*"`).
                pub static ALLOWS_IAM_WILDCARD = Check {
                    id: concat!($id, "-allows-iam-wildcard"),
                    technology: $technology,
                    title: concat!($title, "AllowsIamWildcard"),
                    category: Category::AdministratorAccess,
                    default_score: 10,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::iam_wildcard_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy allows actions that change who may do what, per service.
                pub static ALLOWS_PERMISSIONS_MANAGEMENT = Check {
                    id: concat!($id, "-allows-permissions-management"),
                    technology: $technology,
                    title: concat!($title, "AllowsPermissionsManagement"),
                    category: Category::SensitivePermissions,
                    default_score: 10,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::permissions_management_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy allows actions that create, change or delete resources, per service.
                pub static ALLOWS_WRITE_ACCESS = Check {
                    id: concat!($id, "-allows-write-access"),
                    technology: $technology,
                    title: concat!($title, "AllowsWriteAccess"),
                    category: Category::SensitivePermissions,
                    default_score: 1,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::write_access_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy allows `iam:PassRole`.
                pub static ALLOWS_PASS_ROLE = Check {
                    id: concat!($id, "-allows-pass-role"),
                    technology: $technology,
                    title: concat!($title, "AllowsPassRole"),
                    category: Category::SensitivePermissions,
                    default_score: 10,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::pass_role_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// An Allow statement uses `NotAction`.
                pub static USES_NOT_ACTION = Check {
                    id: concat!($id, "-uses-not-action"),
                    technology: $technology,
                    title: concat!($title, "UsesNotAction"),
                    category: Category::AwkwardStatementConstruction,
                    default_score: 10,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::not_action_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// An Allow statement uses `NotResource`.
                pub static USES_NOT_RESOURCE = Check {
                    id: concat!($id, "-uses-not-resource"),
                    technology: $technology,
                    title: concat!($title, "UsesNotResource"),
                    category: Category::AwkwardStatementConstruction,
                    default_score: 10,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::not_resource_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy allows opening security groups.
                pub static ALLOWS_SECURITY_GROUP_CHANGES = Check {
                    id: concat!($id, "-allows-security-group-changes"),
                    technology: $technology,
                    title: concat!($title, "AllowsSecurityGroupChanges"),
                    category: Category::SensitivePermissions,
                    default_score: 7,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::security_group_changes_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy document cannot be read.
                pub static UNPARSABLE = Check {
                    id: concat!($id, "-unparsable"),
                    technology: $technology,
                    title: concat!($title, "Unparsable"),
                    category: Category::ParseError,
                    default_score: 3,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::unparsable_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy allows every action of a service other than IAM (`"kms:*"`).
                pub static ALLOWS_SERVICE_WILDCARD = Check {
                    id: concat!($id, "-allows-service-wildcard"),
                    technology: $technology,
                    title: concat!($title, "AllowsServiceWildcard"),
                    category: Category::Recommendation,
                    default_score: 3,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::service_wildcard_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy allows `sts:AssumeRole` on any role.
                pub static ALLOWS_ASSUME_ANY_ROLE = Check {
                    id: concat!($id, "-allows-assume-any-role"),
                    technology: $technology,
                    title: concat!($title, "AllowsAssumeAnyRole"),
                    category: Category::SensitivePermissions,
                    default_score: 5,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::assume_any_role_docs!($what, $scope),
                };
            }

            ::monkey_core::declare_check! {
                /// A policy allows a known privilege-escalation path.
                pub static ALLOWS_PRIVILEGE_ESCALATION = Check {
                    id: concat!($id, "-allows-privilege-escalation"),
                    technology: $technology,
                    title: concat!($title, "AllowsPrivilegeEscalation"),
                    category: Category::SensitivePermissions,
                    default_score: 8,
                    status: CheckStatus::Stable,
                    docs: $crate::identity_policy::privilege_escalation_docs!($what, $scope),
                };
            }

            /// The family, run by `identity_policy::audit`.
            pub(crate) static FAMILY: $crate::identity_policy::Family = $crate::identity_policy::Family {
                admin: &ALLOWS_ADMIN,
                iam_wildcard: &ALLOWS_IAM_WILDCARD,
                permissions_management: &ALLOWS_PERMISSIONS_MANAGEMENT,
                write_access: &ALLOWS_WRITE_ACCESS,
                pass_role: &ALLOWS_PASS_ROLE,
                not_action: &USES_NOT_ACTION,
                not_resource: &USES_NOT_RESOURCE,
                security_group_changes: &ALLOWS_SECURITY_GROUP_CHANGES,
                unparsable: &UNPARSABLE,
                service_wildcard: &ALLOWS_SERVICE_WILDCARD,
                assume_any_role: &ALLOWS_ASSUME_ANY_ROLE,
                privilege_escalation: &ALLOWS_PRIVILEGE_ESCALATION,
            };

            /// Every check of the family.
            pub(crate) static CHECKS: [&Check; 12] = [
                &ALLOWS_ADMIN,
                &ALLOWS_IAM_WILDCARD,
                &ALLOWS_PERMISSIONS_MANAGEMENT,
                &ALLOWS_WRITE_ACCESS,
                &ALLOWS_PASS_ROLE,
                &USES_NOT_ACTION,
                &USES_NOT_RESOURCE,
                &ALLOWS_SECURITY_GROUP_CHANGES,
                &UNPARSABLE,
                &ALLOWS_SERVICE_WILDCARD,
                &ALLOWS_ASSUME_ANY_ROLE,
                &ALLOWS_PRIVILEGE_ESCALATION,
            ];
        }
    };
}

pub(crate) use declare_identity_policy_checks;
