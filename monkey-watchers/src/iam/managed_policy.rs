//! `policy`: managed policies: every customer-managed one, and AWS-managed ones while they are
//! attached to something in the account, each with its default version's document and what
//! it is attached to.
//!
//! Calls: ListPolicies twice for the account (paginated: `Scope=Local`, then `Scope=AWS` with
//! `OnlyAttached`); per policy GetPolicyVersion of the default version, and
//! ListEntitiesForPolicy (paginated) unless ListPolicies counted no attachment and no
//! boundary use: 1 or 2. Name: `PolicyName` (an AWS-managed policy whose name a
//! customer-managed one also has is named by its ARN, since names are unique per item).
//! ARN: the policy's, except for AWS-managed ones: their ARN is the same in every account and
//! a stored ARN belongs to one item, so it stays in the config only (as Security Monkey did).
//!
//! Config: `PolicyName`, `PolicyId`, `Arn`, `Path`, `Description`, `IsAttachable`,
//! `CreateDate`, `UpdateDate`, `DefaultVersionId`, `Document` (the default version's, parsed),
//! `AwsManaged` (added: whether AWS owns it), and ephemeral, since the attached user, group or
//! role records the attachment itself: `AttachmentCount`, `PermissionsBoundaryUsageCount`,
//! `PolicyGroups` [{`GroupName`, `GroupId`}], `PolicyUsers` [{`UserName`, `UserId`}],
//! `PolicyRoles` [{`RoleName`, `RoleId`}].

use super::{Collector, Detailed, Problems, date, failed, policy_document, universal_item};
use async_trait::async_trait;
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{Policy, PolicyGroup, PolicyRole, PolicyScopeType, PolicyUser};
use monkey_core::model::AccountNumber;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The `policy` technology.
#[derive(Debug)]
pub struct ManagedPolicies;

/// A listed managed policy, with its item name.
#[derive(Debug, Clone)]
pub struct ListedPolicy {
    name: String,
    aws_managed: bool,
    policy: Policy,
}

/// Who a policy is attached to (or bounds), as ListEntitiesForPolicy answers.
#[derive(Debug, Default)]
struct Entities {
    groups: Vec<PolicyGroup>,
    users: Vec<PolicyUser>,
    roles: Vec<PolicyRole>,
}

#[async_trait]
impl Collector for ManagedPolicies {
    const TECHNOLOGY: &'static str = "policy";
    const EPHEMERAL_PATHS: &'static [&'static str] =
        &["AttachmentCount", "PermissionsBoundaryUsageCount", "PolicyGroups", "PolicyUsers", "PolicyRoles"];

    type Listed = ListedPolicy;

    async fn list(client: &Client, _account: &AccountNumber) -> Result<Vec<ListedPolicy>, String> {
        let local = client
            .list_policies()
            .scope(PolicyScopeType::Local)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| failed("ListPolicies (customer-managed)", &e))?;
        let aws = client
            .list_policies()
            .scope(PolicyScopeType::Aws)
            .only_attached(true)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| failed("ListPolicies (AWS-managed, attached)", &e))?;
        Ok(named(local, aws))
    }

    fn name(listed: &ListedPolicy) -> &str {
        &listed.name
    }

    // Security Monkey checked both: an ignore entry may name a policy or an ARN prefix.
    fn also_known_as(listed: &ListedPolicy) -> Option<&str> {
        listed.policy.arn()
    }

    async fn detail(client: Client, listed: ListedPolicy) -> Detailed {
        let mut problems = Problems::default();
        let ListedPolicy { name, aws_managed, policy } = listed;
        let arn = policy.arn().unwrap_or_default();
        let document = match policy.default_version_id() {
            Some(version) => problems
                .take(
                    client
                        .get_policy_version()
                        .policy_arn(arn)
                        .version_id(version)
                        .send()
                        .await
                        .map_err(|e| failed(&format!("GetPolicyVersion {version} of {arn}"), &e)),
                )
                .and_then(|answer| answer.policy_version)
                .and_then(|version| version.document)
                .map(|document| policy_document::parse(&document)),
            None => {
                problems.push(format!("ListPolicies gave {arn} no default version"));
                None
            }
        };
        // Counted unused by the same listing: the call would answer empty lists.
        let unused = policy.attachment_count() == Some(0) && policy.permissions_boundary_usage_count() == Some(0);
        let entities = if unused {
            Entities::default()
        } else {
            problems
                .take(
                    client
                        .list_entities_for_policy()
                        .policy_arn(arn)
                        .into_paginator()
                        .send()
                        .collect::<Result<Vec<_>, _>>()
                        .await
                        .map_err(|e| failed(&format!("ListEntitiesForPolicy {arn}"), &e)),
                )
                .map(|pages| {
                    let mut entities = Entities::default();
                    for page in pages {
                        entities.groups.extend(page.policy_groups.into_iter().flatten());
                        entities.users.extend(page.policy_users.into_iter().flatten());
                        entities.roles.extend(page.policy_roles.into_iter().flatten());
                    }
                    entities
                })
                .unwrap_or_default()
        };
        let item_arn = (!aws_managed).then_some(arn).filter(|arn| !arn.is_empty());
        let config = config(&policy, aws_managed, document, &entities);
        Detailed { item: universal_item(&name, item_arn, config), problems }
    }
}

/// Names listed policies: customer-managed ones by name, AWS-managed ones by name too unless
/// a customer-managed policy has that name, then by ARN.
fn named(local: Vec<Policy>, aws: Vec<Policy>) -> Vec<ListedPolicy> {
    let name_of = |p: &Policy| p.policy_name().or(p.arn()).unwrap_or("<unnamed policy>").to_owned();
    let taken: BTreeSet<String> = local.iter().map(name_of).collect();
    let mut listed: Vec<ListedPolicy> =
        local.into_iter().map(|policy| ListedPolicy { name: name_of(&policy), aws_managed: false, policy }).collect();
    listed.extend(aws.into_iter().map(|policy| {
        let name = name_of(&policy);
        let name = if taken.contains(&name) { policy.arn().map_or(name, str::to_owned) } else { name };
        ListedPolicy { name, aws_managed: true, policy }
    }));
    listed
}

/// The policy's configuration.
fn config(policy: &Policy, aws_managed: bool, document: Option<Value>, entities: &Entities) -> Value {
    let mut groups: Vec<&PolicyGroup> = entities.groups.iter().collect();
    groups.sort_by(|a, b| (a.group_name(), a.group_id()).cmp(&(b.group_name(), b.group_id())));
    let mut users: Vec<&PolicyUser> = entities.users.iter().collect();
    users.sort_by(|a, b| (a.user_name(), a.user_id()).cmp(&(b.user_name(), b.user_id())));
    let mut roles: Vec<&PolicyRole> = entities.roles.iter().collect();
    roles.sort_by(|a, b| (a.role_name(), a.role_id()).cmp(&(b.role_name(), b.role_id())));
    json!({
        "PolicyName": policy.policy_name(),
        "PolicyId": policy.policy_id(),
        "Arn": policy.arn(),
        "Path": policy.path(),
        "Description": policy.description(),
        "IsAttachable": policy.is_attachable(),
        "CreateDate": date(policy.create_date()),
        "UpdateDate": date(policy.update_date()),
        "DefaultVersionId": policy.default_version_id(),
        "Document": document,
        "AwsManaged": aws_managed,
        "AttachmentCount": policy.attachment_count(),
        "PermissionsBoundaryUsageCount": policy.permissions_boundary_usage_count(),
        "PolicyGroups": groups.iter().map(|g| json!({"GroupName": g.group_name(), "GroupId": g.group_id()})).collect::<Vec<_>>(),
        "PolicyUsers": users.iter().map(|u| json!({"UserName": u.user_name(), "UserId": u.user_id()})).collect::<Vec<_>>(),
        "PolicyRoles": roles.iter().map(|r| json!({"RoleName": r.role_name(), "RoleId": r.role_id()})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    //! AWS-managed policies are tested here on recorded answers: moto only knows them when
    //! its server starts with `MOTO_IAM_LOAD_MANAGED_POLICIES=true`, and its configuration
    //! API cannot switch that on at run time.

    use super::*;

    fn admin_access(attached: i32) -> Policy {
        Policy::builder()
            .policy_name("AdministratorAccess")
            .policy_id("ANPAIWMBCKSKIEE64ZLYK")
            .arn("arn:aws:iam::aws:policy/AdministratorAccess")
            .path("/")
            .default_version_id("v1")
            .attachment_count(attached)
            .permissions_boundary_usage_count(0)
            .is_attachable(true)
            .create_date(aws_sdk_iam::primitives::DateTime::from_secs(1_423_602_000))
            .build()
    }

    #[test]
    fn aws_managed_policies_keep_their_name_unless_a_customer_policy_has_it() {
        let own = Policy::builder()
            .policy_name("AdministratorAccess")
            .arn("arn:aws:iam::123456789012:policy/AdministratorAccess")
            .build();
        let read_only =
            Policy::builder().policy_name("ReadOnlyAccess").arn("arn:aws:iam::aws:policy/ReadOnlyAccess").build();
        let listed = named(vec![own], vec![admin_access(1), read_only]);
        let names: Vec<(&str, bool)> = listed.iter().map(|l| (l.name.as_str(), l.aws_managed)).collect();
        assert_eq!(
            names,
            vec![
                ("AdministratorAccess", false),
                ("arn:aws:iam::aws:policy/AdministratorAccess", true),
                ("ReadOnlyAccess", true),
            ]
        );
    }

    #[test]
    fn an_attached_aws_managed_policy_is_shaped_like_any_other() {
        // GetPolicyVersion's answer for AdministratorAccess v1, as IAM sends it.
        let document = policy_document::parse(
            "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D",
        );
        let entities = Entities {
            roles: vec![
                PolicyRole::builder().role_name("ops").role_id("AROB").build(),
                PolicyRole::builder().role_name("admin").role_id("AROA").build(),
            ],
            ..Entities::default()
        };
        let config = config(&admin_access(2), true, Some(document), &entities);
        assert_eq!(config["Document"]["Statement"][0]["Action"], "*");
        assert_eq!(config["AwsManaged"], true);
        assert_eq!(config["CreateDate"], "2015-02-10T21:00:00Z");
        assert_eq!(config["PolicyRoles"][0]["RoleName"], "admin", "sorted");
        assert_eq!(config["PolicyUsers"], json!([]));
    }
}
