//! `iamrole`: every role with its trust policy, inline and attached policies, instance
//! profiles, tags, permissions boundary and last use.
//!
//! Calls: ListRoles (paginated) for the account; per role GetRole (ListRoles leaves out tags,
//! the permissions boundary and last use), ListRolePolicies (paginated) + GetRolePolicy per
//! inline policy, ListAttachedRolePolicies and ListInstanceProfilesForRole (paginated): 4 + one
//! per inline policy. Name: `RoleName`; ARN: `Arn`.
//!
//! Config: `Path`, `RoleName`, `RoleId`, `Arn`, `CreateDate`, `AssumeRolePolicyDocument`
//! (parsed), `Description`, `MaxSessionDuration`, `PermissionsBoundary`
//! {`PermissionsBoundaryType`, `PermissionsBoundaryArn`} or null, `Tags` [{`Key`, `Value`}],
//! `RoleLastUsed` {`LastUsedDate`, `Region`} or null (ephemeral: it moves with every use),
//! `InlinePolicies` {name: document}, `AttachedManagedPolicies` [{`PolicyName`, `PolicyArn`}],
//! `InstanceProfiles` [{`InstanceProfileName`, `InstanceProfileId`, `Arn`, `Path`, `CreateDate`}].

use super::{
    Collector, Detailed, Problems, attached_policies, date, failed, inline_policies, policy_document, tags,
    universal_item,
};
use async_trait::async_trait;
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{AttachedPermissionsBoundary, InstanceProfile, Role};
use monkey_core::model::AccountNumber;
use serde_json::{Value, json};

/// The `iamrole` technology.
#[derive(Debug)]
pub struct Roles;

#[async_trait]
impl Collector for Roles {
    const TECHNOLOGY: &'static str = "iamrole";
    const EPHEMERAL_PATHS: &'static [&'static str] = &["RoleLastUsed"];

    type Listed = Role;

    async fn list(client: &Client, _account: &AccountNumber) -> Result<Vec<Role>, String> {
        client
            .list_roles()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| failed("ListRoles", &e))
    }

    fn name(role: &Role) -> &str {
        role.role_name()
    }

    async fn detail(client: Client, listed: Role) -> Detailed {
        let mut problems = Problems::default();
        let owned_name = listed.role_name().to_owned();
        // A reference, so the per-policy futures below can take it along.
        let name = owned_name.as_str();
        let role = problems
            .take(
                client
                    .get_role()
                    .role_name(name)
                    .send()
                    .await
                    .map(|answer| answer.role)
                    .map_err(|e| failed(&format!("GetRole {name}"), &e)),
            )
            .flatten()
            .unwrap_or(listed);
        let inline_names =
            problems.take(all_pages!(client.list_role_policies().role_name(name), "ListRolePolicies {name}"));
        let inline = inline_policies(
            inline_names.unwrap_or_default(),
            |policy| {
                let request = client.get_role_policy().role_name(name).policy_name(&policy);
                async move {
                    request
                        .send()
                        .await
                        .map(|answer| answer.policy_document)
                        .map_err(|e| failed(&format!("GetRolePolicy {policy} of {name}"), &e))
                }
            },
            &mut problems,
        )
        .await;
        let attached = problems
            .take(all_pages!(client.list_attached_role_policies().role_name(name), "ListAttachedRolePolicies {name}"));
        let profiles = problems.take(all_pages!(
            client.list_instance_profiles_for_role().role_name(name),
            "ListInstanceProfilesForRole {name}"
        ));
        let mut config = config(&role);
        config["InlinePolicies"] = inline;
        config["AttachedManagedPolicies"] = attached_policies(&attached.unwrap_or_default());
        config["InstanceProfiles"] = instance_profiles(&profiles.unwrap_or_default());
        Detailed { item: universal_item(name, Some(role.arn()), config), problems }
    }
}

/// The role's own fields, as GetRole returns them.
fn config(role: &Role) -> Value {
    json!({
        "Path": role.path(),
        "RoleName": role.role_name(),
        "RoleId": role.role_id(),
        "Arn": role.arn(),
        "CreateDate": date(Some(role.create_date())),
        "AssumeRolePolicyDocument": role.assume_role_policy_document().map(policy_document::parse),
        "Description": role.description(),
        "MaxSessionDuration": role.max_session_duration(),
        "PermissionsBoundary": permissions_boundary(role.permissions_boundary()),
        "Tags": tags(role.tags()),
        "RoleLastUsed": role.role_last_used().map(|used| json!({
            "LastUsedDate": date(used.last_used_date()),
            "Region": used.region(),
        })),
    })
}

/// A user's or role's permissions boundary, or null.
pub(crate) fn permissions_boundary(boundary: Option<&AttachedPermissionsBoundary>) -> Value {
    boundary.map_or(Value::Null, |b| {
        json!({
            "PermissionsBoundaryType": b.permissions_boundary_type().map(|t| t.as_str()),
            "PermissionsBoundaryArn": b.permissions_boundary_arn(),
        })
    })
}

/// Instance profiles without their `Roles` (that is this role), sorted by ARN.
fn instance_profiles(profiles: &[InstanceProfile]) -> Value {
    let mut profiles: Vec<&InstanceProfile> = profiles.iter().collect();
    profiles.sort_by(|a, b| a.arn().cmp(b.arn()));
    Value::Array(
        profiles
            .into_iter()
            .map(|p| {
                json!({
                    "InstanceProfileName": p.instance_profile_name(),
                    "InstanceProfileId": p.instance_profile_id(),
                    "Arn": p.arn(),
                    "Path": p.path(),
                    "CreateDate": date(Some(p.create_date())),
                })
            })
            .collect(),
    )
}
