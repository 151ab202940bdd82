//! `iamuser`: every user with its policies, groups, access keys (and their last use), MFA
//! devices, login profile and signing certificates.
//!
//! Calls: ListUsers (paginated) for the account; per user GetUser (ListUsers leaves out tags
//! and the permissions boundary), ListGroupsForUser, ListUserPolicies + GetUserPolicy per inline
//! policy, ListAttachedUserPolicies, ListAccessKeys + GetAccessKeyLastUsed per key,
//! ListMFADevices, GetLoginProfile and ListSigningCertificates (every List paginated): 8 + one
//! per inline policy + one per access key. Name: `UserName`; ARN: `Arn`.
//!
//! Config: `Path`, `UserName`, `UserId`, `Arn`, `CreateDate`, `PasswordLastUsed` (ephemeral),
//! `PermissionsBoundary`, `Tags` [{`Key`, `Value`}], `Groups` [{`GroupName`, `GroupId`, `Arn`,
//! `Path`}], `InlinePolicies` {name: document}, `AttachedManagedPolicies` [{`PolicyName`,
//! `PolicyArn`}], `AccessKeys` [{`AccessKeyId`, `Status`, `CreateDate`, `AccessKeyLastUsed`
//! {`LastUsedDate`, `Region`, `ServiceName`} (ephemeral)}], `MFADevices` [{`SerialNumber`,
//! `EnableDate`}], `LoginProfile` {`CreateDate`, `PasswordResetRequired`} or null (no password),
//! `SigningCertificates` [{`CertificateId`, `Status`, `UploadDate`, `CertificateBody`}].

use super::role::permissions_boundary;
use super::{Collector, Detailed, Problems, attached_policies, date, failed, inline_policies, tags, universal_item};
use async_trait::async_trait;
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{AccessKeyMetadata, Group, MfaDevice, SigningCertificate, User};
use monkey_core::model::AccountNumber;
use serde_json::{Value, json};

/// The `iamuser` technology.
#[derive(Debug)]
pub struct Users;

#[async_trait]
impl Collector for Users {
    const TECHNOLOGY: &'static str = "iamuser";
    const EPHEMERAL_PATHS: &'static [&'static str] = &["PasswordLastUsed", "AccessKeys.*.AccessKeyLastUsed"];

    type Listed = User;

    async fn list(client: &Client, _account: &AccountNumber) -> Result<Vec<User>, String> {
        client
            .list_users()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| failed("ListUsers", &e))
    }

    fn name(user: &User) -> &str {
        user.user_name()
    }

    async fn detail(client: Client, listed: User) -> Detailed {
        let mut problems = Problems::default();
        let owned_name = listed.user_name().to_owned();
        // A reference, so the per-policy futures below can take it along.
        let name = owned_name.as_str();
        let user = problems
            .take(
                client
                    .get_user()
                    .user_name(name)
                    .send()
                    .await
                    .map(|answer| answer.user)
                    .map_err(|e| failed(&format!("GetUser {name}"), &e)),
            )
            .flatten()
            .unwrap_or(listed);
        let groups =
            problems.take(all_pages!(client.list_groups_for_user().user_name(name), "ListGroupsForUser {name}"));
        let inline_names =
            problems.take(all_pages!(client.list_user_policies().user_name(name), "ListUserPolicies {name}"));
        let inline = inline_policies(
            inline_names.unwrap_or_default(),
            |policy| {
                let request = client.get_user_policy().user_name(name).policy_name(&policy);
                async move {
                    request
                        .send()
                        .await
                        .map(|answer| answer.policy_document)
                        .map_err(|e| failed(&format!("GetUserPolicy {policy} of {name}"), &e))
                }
            },
            &mut problems,
        )
        .await;
        let attached = problems
            .take(all_pages!(client.list_attached_user_policies().user_name(name), "ListAttachedUserPolicies {name}"));
        let keys = problems.take(all_pages!(client.list_access_keys().user_name(name), "ListAccessKeys {name}"));
        let keys = access_keys(&client, keys.unwrap_or_default(), &mut problems).await;
        let mfa = problems.take(all_pages!(client.list_mfa_devices().user_name(name), "ListMFADevices {name}"));
        let login_profile = match client.get_login_profile().user_name(name).send().await {
            Ok(answer) => answer.login_profile.map_or(Value::Null, |profile| {
                json!({
                    "CreateDate": date(Some(profile.create_date())),
                    "PasswordResetRequired": profile.password_reset_required(),
                })
            }),
            // No login profile is how IAM says "this user has no password".
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_entity_exception()) => Value::Null,
            Err(e) => {
                problems.push(failed(&format!("GetLoginProfile {name}"), &e));
                Value::Null
            }
        };
        let certificates = problems
            .take(all_pages!(client.list_signing_certificates().user_name(name), "ListSigningCertificates {name}"));
        let config = json!({
            "Path": user.path(),
            "UserName": user.user_name(),
            "UserId": user.user_id(),
            "Arn": user.arn(),
            "CreateDate": date(Some(user.create_date())),
            "PasswordLastUsed": date(user.password_last_used()),
            "PermissionsBoundary": permissions_boundary(user.permissions_boundary()),
            "Tags": tags(user.tags()),
            "Groups": self::groups(&groups.unwrap_or_default()),
            "InlinePolicies": inline,
            "AttachedManagedPolicies": attached_policies(&attached.unwrap_or_default()),
            "AccessKeys": keys,
            "MFADevices": mfa_devices(&mfa.unwrap_or_default()),
            "LoginProfile": login_profile,
            "SigningCertificates": signing_certificates(&certificates.unwrap_or_default()),
        });
        Detailed { item: universal_item(name, Some(user.arn()), config), problems }
    }
}

/// The user's groups, sorted by name.
fn groups(groups: &[Group]) -> Value {
    let mut groups: Vec<&Group> = groups.iter().collect();
    groups.sort_by(|a, b| a.group_name().cmp(b.group_name()));
    Value::Array(
        groups
            .into_iter()
            .map(|g| json!({"GroupName": g.group_name(), "GroupId": g.group_id(), "Arn": g.arn(), "Path": g.path()}))
            .collect(),
    )
}

/// Access keys sorted by id, each with its last use (GetAccessKeyLastUsed); a key whose last
/// use cannot be read is kept, with the problem noted.
async fn access_keys(client: &Client, mut keys: Vec<AccessKeyMetadata>, problems: &mut Problems) -> Value {
    keys.sort_by(|a, b| a.access_key_id().cmp(&b.access_key_id()));
    let mut shaped = Vec::with_capacity(keys.len());
    for key in &keys {
        let last_used = match key.access_key_id() {
            Some(id) => problems
                .take(
                    client
                        .get_access_key_last_used()
                        .access_key_id(id)
                        .send()
                        .await
                        .map_err(|e| failed(&format!("GetAccessKeyLastUsed {id}"), &e)),
                )
                .and_then(|answer| answer.access_key_last_used)
                .map(|used| {
                    json!({
                        "LastUsedDate": date(used.last_used_date()),
                        "Region": used.region(),
                        "ServiceName": used.service_name(),
                    })
                }),
            None => None,
        };
        shaped.push(json!({
            "AccessKeyId": key.access_key_id(),
            "Status": key.status().map(|s| s.as_str()),
            "CreateDate": date(key.create_date()),
            "AccessKeyLastUsed": last_used,
        }));
    }
    Value::Array(shaped)
}

/// MFA devices sorted by serial number.
fn mfa_devices(devices: &[MfaDevice]) -> Value {
    let mut devices: Vec<&MfaDevice> = devices.iter().collect();
    devices.sort_by(|a, b| a.serial_number().cmp(b.serial_number()));
    Value::Array(
        devices
            .into_iter()
            .map(|d| json!({"SerialNumber": d.serial_number(), "EnableDate": date(Some(d.enable_date()))}))
            .collect(),
    )
}

/// Signing certificates sorted by id.
fn signing_certificates(certificates: &[SigningCertificate]) -> Value {
    let mut certificates: Vec<&SigningCertificate> = certificates.iter().collect();
    certificates.sort_by(|a, b| a.certificate_id().cmp(b.certificate_id()));
    Value::Array(
        certificates
            .into_iter()
            .map(|c| {
                json!({
                    "CertificateId": c.certificate_id(),
                    "Status": c.status().as_str(),
                    "UploadDate": date(c.upload_date()),
                    "CertificateBody": c.certificate_body(),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_iam::primitives::DateTime;

    #[test]
    fn devices_and_certificates_are_sorted() {
        let device = |serial: &str| {
            MfaDevice::builder()
                .user_name("u")
                .serial_number(serial)
                .enable_date(DateTime::from_secs(0))
                .build()
                .expect("device")
        };
        let shaped = mfa_devices(&[device("b"), device("a")]);
        assert_eq!(shaped[0]["SerialNumber"], "a");
        assert_eq!(shaped[1]["EnableDate"], "1970-01-01T00:00:00Z");
        let certificate = |id: &str| {
            SigningCertificate::builder()
                .user_name("u")
                .certificate_id(id)
                .certificate_body("-----BEGIN CERTIFICATE-----")
                .status(aws_sdk_iam::types::StatusType::Active)
                .build()
                .expect("certificate")
        };
        let shaped = signing_certificates(&[certificate("y"), certificate("x")]);
        assert_eq!(shaped[0]["CertificateId"], "x");
        assert_eq!(shaped[0]["Status"], "Active");
        assert_eq!(shaped[0]["UploadDate"], Value::Null);
    }
}
