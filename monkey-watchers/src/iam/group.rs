//! `iamgroup`: every group with its members and its inline and attached policies.
//!
//! Calls: ListGroups (paginated) for the account; per group GetGroup (paginated over the
//! members), ListGroupPolicies (paginated) + GetGroupPolicy per inline policy and
//! ListAttachedGroupPolicies (paginated): 3 + one per inline policy. Name: `GroupName`; ARN:
//! `Arn`.
//!
//! Config: `Path`, `GroupName`, `GroupId`, `Arn`, `CreateDate`, `Users` [{`UserName`,
//! `UserId`, `Arn`, `Path`}] (members, without their `PasswordLastUsed`: that is the user's
//! item's business), `InlinePolicies` {name: document}, `AttachedManagedPolicies`
//! [{`PolicyName`, `PolicyArn`}].

use super::{Collector, Detailed, Problems, attached_policies, date, failed, inline_policies, universal_item};
use async_trait::async_trait;
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{Group, User};
use monkey_core::model::AccountNumber;
use serde_json::{Value, json};

/// The `iamgroup` technology.
#[derive(Debug)]
pub struct Groups;

#[async_trait]
impl Collector for Groups {
    const TECHNOLOGY: &'static str = "iamgroup";

    type Listed = Group;

    async fn list(client: &Client, _account: &AccountNumber) -> Result<Vec<Group>, String> {
        client
            .list_groups()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| failed("ListGroups", &e))
    }

    fn name(group: &Group) -> &str {
        group.group_name()
    }

    async fn detail(client: Client, group: Group) -> Detailed {
        let mut problems = Problems::default();
        let owned_name = group.group_name().to_owned();
        // A reference, so the per-policy futures below can take it along.
        let name = owned_name.as_str();
        let members = problems.take(all_pages!(client.get_group().group_name(name), "GetGroup {name}"));
        let inline_names =
            problems.take(all_pages!(client.list_group_policies().group_name(name), "ListGroupPolicies {name}"));
        let inline = inline_policies(
            inline_names.unwrap_or_default(),
            |policy| {
                let request = client.get_group_policy().group_name(name).policy_name(&policy);
                async move {
                    request
                        .send()
                        .await
                        .map(|answer| answer.policy_document)
                        .map_err(|e| failed(&format!("GetGroupPolicy {policy} of {name}"), &e))
                }
            },
            &mut problems,
        )
        .await;
        let attached = problems.take(all_pages!(
            client.list_attached_group_policies().group_name(name),
            "ListAttachedGroupPolicies {name}"
        ));
        let config = json!({
            "Path": group.path(),
            "GroupName": group.group_name(),
            "GroupId": group.group_id(),
            "Arn": group.arn(),
            "CreateDate": date(Some(group.create_date())),
            "Users": users(&members.unwrap_or_default()),
            "InlinePolicies": inline,
            "AttachedManagedPolicies": attached_policies(&attached.unwrap_or_default()),
        });
        Detailed { item: universal_item(name, Some(group.arn()), config), problems }
    }
}

/// Members sorted by name.
fn users(users: &[User]) -> Value {
    let mut users: Vec<&User> = users.iter().collect();
    users.sort_by(|a, b| a.user_name().cmp(b.user_name()));
    Value::Array(
        users
            .into_iter()
            .map(|u| json!({"UserName": u.user_name(), "UserId": u.user_id(), "Arn": u.arn(), "Path": u.path()}))
            .collect(),
    )
}
