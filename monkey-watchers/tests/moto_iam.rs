//! The IAM watchers against a real moto server (scripts/test starts one and sets
//! MONKEY_TEST_AWS_ENDPOINT), through the real SDK: create, collect, change, delete, fail.
//!
//! Each test works in its own account: monkey assumes `SecurityMonkey` in it, and moto keeps
//! what those credentials create in that account.
//!
//! What moto lacks is tested on recorded answers beside the code: AWS-managed policies (moto
//! loads none unless started with `MOTO_IAM_LOAD_MANAGED_POLICIES=true`) in
//! `src/iam/managed_policy.rs`, and the credential report's `<root_account>` row (moto's report
//! lists users only) in `src/iam/account.rs`.

mod common;

use aws_sdk_iam::types::Tag;
use common::{fresh_account, run, settings};
use monkey_core::model::{Account, IgnoreEntry, UNIVERSAL_REGION};
use monkey_core::store::ChangeKind;
use monkey_core::watcher::{FailureScope, Slurp, SlurpedItem, WatchContext, Watcher};
use monkey_watchers::aws::{AwsSession, AwsSettings};
use monkey_watchers::iam::{
    AccountWatcher, GroupWatcher, ManagedPolicyWatcher, RoleWatcher, SamlProviderWatcher, ServerCertificateWatcher,
    UserWatcher,
};
use serde_json::{Value, json};
use std::sync::Arc;

const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// A self-signed certificate (RSA 2048, SHA-256, CN and SANs `*.example.com`, `example.com`).
const CERTIFICATE: &str = include_str!("../src/iam/testdata/rsa2048.pem");

/// A policy document allowing `action` on `resource`.
fn allow(action: &str, resource: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})
        .to_string()
}

async fn session() -> Arc<AwsSession> {
    Arc::new(AwsSession::new(settings()).await)
}

async fn iam(session: &AwsSession, account: &Account) -> aws_sdk_iam::Client {
    session.iam(&session.account_config(account).await)
}

fn item<'a>(slurp: &'a Slurp, name: &str) -> &'a SlurpedItem {
    let found = slurp.items.iter().find(|i| i.name == name);
    assert!(found.is_some(), "{name} not collected: {:?}", names(slurp));
    found.expect("checked above")
}

fn names(slurp: &Slurp) -> Vec<&str> {
    slurp.items.iter().map(|i| i.name.as_str()).collect()
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().expect("tag")
}

/// Creates a customer-managed policy and returns its ARN.
async fn create_policy(client: &aws_sdk_iam::Client, name: &str, document: &str) -> String {
    let created = client.create_policy().policy_name(name).policy_document(document).send().await.expect("policy");
    created.policy().and_then(|p| p.arn()).expect("policy ARN").to_owned()
}

#[tokio::test]
async fn roles_are_collected_then_a_new_admin_policy_and_a_deleted_role_are_exactly_the_changes() {
    let session = session().await;
    let account = fresh_account();
    let client = iam(&session, &account).await;
    client
        .create_role()
        .role_name("app")
        .assume_role_policy_document(TRUST_EC2)
        .description("the app's instances")
        .tags(tag("team", "web"))
        .tags(tag("env", "prod"))
        .send()
        .await
        .expect("role");
    client
        .put_role_policy()
        .role_name("app")
        .policy_name("read-logs")
        .policy_document(allow("logs:Get*", "*"))
        .send()
        .await
        .expect("inline policy");
    client.create_instance_profile().instance_profile_name("app-profile").send().await.expect("profile");
    client
        .add_role_to_instance_profile()
        .instance_profile_name("app-profile")
        .role_name("app")
        .send()
        .await
        .expect("profile role");
    client.create_role().role_name("batch").assume_role_policy_document(TRUST_EC2).send().await.expect("role");

    let (_dir, store) = common::store();
    let watcher = RoleWatcher::new(Arc::clone(&session));
    let policies = ManagedPolicyWatcher::new(Arc::clone(&session));
    assert_eq!(run(&*store, &policies, &account, 1).await.1, vec![], "no managed policy yet");
    let (slurp, first) = run(&*store, &watcher, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(names(&slurp), ["app", "batch"]);
    let app = item(&slurp, "app");
    assert_eq!(app.region, UNIVERSAL_REGION);
    assert_eq!(app.arn.as_deref(), Some(format!("arn:aws:iam::{}:role/app", account.number).as_str()));
    let config = &app.config;
    assert_eq!(config["RoleName"], "app");
    assert_eq!(config["Description"], "the app's instances");
    assert!(config["AssumeRolePolicyDocument"].is_object(), "parsed: {}", config["AssumeRolePolicyDocument"]);
    assert_eq!(config["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"], "ec2.amazonaws.com");
    assert_eq!(config["InlinePolicies"]["read-logs"]["Statement"][0]["Action"], "logs:Get*");
    assert_eq!(config["AttachedManagedPolicies"], json!([]));
    assert_eq!(config["InstanceProfiles"][0]["InstanceProfileName"], "app-profile");
    assert_eq!(config["Tags"], json!([{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "web"}]));
    assert!(config["CreateDate"].as_str().is_some_and(|d| d.ends_with('Z')), "{}", config["CreateDate"]);
    assert!(first.iter().all(|(_, kind)| *kind == ChangeKind::Created), "{first:?}");

    // Nothing changed: nothing to report.
    assert_eq!(run(&*store, &watcher, &account, 2).await.1, vec![]);

    // Someone works as `app`: its last use moves, which is ephemeral.
    let as_app = AwsSession::new(settings()).await;
    let app_account = Account { role_name: "app".into(), ..account.clone() };
    as_app.iam(&as_app.account_config(&app_account).await).list_roles().send().await.expect("app calls IAM");
    let (slurp, changes) = run(&*store, &watcher, &account, 3).await;
    assert_eq!(changes, vec![("app".to_owned(), ChangeKind::Ephemeral)]);
    assert!(item(&slurp, "app").config["RoleLastUsed"]["LastUsedDate"].is_string(), "{}", item(&slurp, "app").config);

    // A policy granting everything attached to `app`, and `batch` deleted.
    let admin = create_policy(&client, "admin-all", &allow("*", "*")).await;
    client.attach_role_policy().role_name("app").policy_arn(&admin).send().await.expect("attach");
    client.delete_role().role_name("batch").send().await.expect("delete");
    let (slurp, changes) = run(&*store, &watcher, &account, 4).await;
    assert_eq!(changes, vec![("app".to_owned(), ChangeKind::Changed), ("batch".to_owned(), ChangeKind::Deleted)]);
    assert_eq!(
        item(&slurp, "app").config["AttachedManagedPolicies"],
        json!([{"PolicyName": "admin-all", "PolicyArn": admin}])
    );
    let (slurp, changes) = run(&*store, &policies, &account, 4).await;
    assert_eq!(changes, vec![("admin-all".to_owned(), ChangeKind::Created)]);
    let admin_all = &item(&slurp, "admin-all").config;
    assert_eq!(admin_all["Document"]["Statement"][0]["Action"], "*");
    assert_eq!(admin_all["PolicyRoles"][0]["RoleName"], "app");

    // The ignore list skips by prefix, case-insensitively.
    let ignore = vec![IgnoreEntry::new(watcher.technology().clone(), "AP", "").expect("entry")];
    let ignored = watcher.slurp(&WatchContext::new(account.clone()).with_ignore(ignore)).await;
    assert!(names(&ignored).is_empty(), "{:?}", names(&ignored));
}

/// A proxy in front of moto that answers AccessDenied to every request whose form body
/// contains all of `fail_when`, and forwards the rest (one connection per request).
async fn failing_proxy(fail_when: &'static [&'static str]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let upstream = common::endpoint().trim_start_matches("http://").trim_end_matches('/').to_owned();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 16 * 1024];
                // Headers, then as much body as Content-Length says.
                let (head_end, length) = loop {
                    let Ok(read) = client.read(&mut buffer).await else { return };
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (end + 4, length);
                    }
                };
                while request.len() < head_end + length {
                    match client.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let body = String::from_utf8_lossy(&request[head_end..]).into_owned();
                let response = if fail_when.iter().all(|part| body.contains(part)) {
                    let error = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                        <Message>injected by the test</Message></Error><RequestId>1</RequestId></ErrorResponse>";
                    format!(
                        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{error}",
                        error.len()
                    )
                    .into_bytes()
                } else {
                    let Ok(mut moto) = tokio::net::TcpStream::connect(&upstream).await else { return };
                    let head = String::from_utf8_lossy(&request[..head_end]);
                    let head: String = head
                        .split("\r\n")
                        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:") && !line.is_empty())
                        .map(|line| format!("{line}\r\n"))
                        .collect();
                    let mut forwarded = format!("{head}Connection: close\r\n\r\n").into_bytes();
                    forwarded.extend_from_slice(&request[head_end..]);
                    if moto.write_all(&forwarded).await.is_err() {
                        return;
                    }
                    let mut answer = Vec::new();
                    if moto.read_to_end(&mut answer).await.is_err() {
                        return;
                    }
                    // Tell the SDK not to reuse this connection: the proxy closes it.
                    match answer.windows(2).position(|w| w == b"\r\n") {
                        Some(status_end) => {
                            let mut patched = answer[..status_end + 2].to_vec();
                            patched.extend_from_slice(b"Connection: close\r\n");
                            patched.extend_from_slice(&answer[status_end + 2..]);
                            patched
                        }
                        None => answer,
                    }
                };
                let _ = client.write_all(&response).await;
                let _ = client.shutdown().await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_failed_call_for_one_role_is_scoped_to_that_role() {
    let session = session().await;
    let account = fresh_account();
    let client = iam(&session, &account).await;
    for name in ["flaky", "steady"] {
        client.create_role().role_name(name).assume_role_policy_document(TRUST_EC2).send().await.expect("role");
    }
    let (_dir, store) = common::store();
    let watcher = RoleWatcher::new(Arc::clone(&session));
    assert_eq!(run(&*store, &watcher, &account, 1).await.1.len(), 2);

    // Both roles change, but ListRolePolicies fails for `flaky` only.
    for name in ["flaky", "steady"] {
        client.tag_role().role_name(name).tags(tag("changed", "yes")).send().await.expect("tag");
    }
    let proxied = AwsSession::new(AwsSettings {
        endpoint_url: Some(failing_proxy(&["Action=ListRolePolicies", "RoleName=flaky"]).await),
        ..settings()
    })
    .await;
    let proxied = RoleWatcher::new(Arc::new(proxied));
    let (slurp, changes) = run(&*store, &proxied, &account, 2).await;
    assert_eq!(names(&slurp), ["flaky", "steady"], "the half-read role is still emitted");
    assert_eq!(slurp.failures.len(), 1, "{:?}", slurp.failures);
    assert_eq!(
        slurp.failures[0].scope,
        FailureScope::Item { region: UNIVERSAL_REGION.to_owned(), name: "flaky".to_owned() }
    );
    assert!(
        slurp.failures[0].message.starts_with("ListRolePolicies flaky failed: ")
            && slurp.failures[0].message.contains("AccessDenied"),
        "{}",
        slurp.failures[0].message
    );
    assert_eq!(changes, vec![("steady".to_owned(), ChangeKind::Changed)], "flaky is left alone");

    // Once the call works again, flaky's change is seen.
    assert_eq!(run(&*store, &watcher, &account, 3).await.1, vec![("flaky".to_owned(), ChangeKind::Changed)]);
}

#[tokio::test]
async fn an_unreachable_iam_is_an_account_failure_and_deletes_nothing() {
    let session = session().await;
    let account = fresh_account();
    let client = iam(&session, &account).await;
    client.create_role().role_name("kept").assume_role_policy_document(TRUST_EC2).send().await.expect("role");
    let (_dir, store) = common::store();
    let watcher = RoleWatcher::new(Arc::clone(&session));
    assert_eq!(run(&*store, &watcher, &account, 1).await.1, vec![("kept".to_owned(), ChangeKind::Created)]);

    // No AssumeRole: the closed port must be what fails, not the credentials.
    let broken = AwsSession::new(AwsSettings {
        endpoint_url: Some("http://127.0.0.1:9".into()),
        assume_role: false,
        ..settings()
    })
    .await;
    let broken = RoleWatcher::new(Arc::new(broken));
    let (slurp, changes) = run(&*store, &broken, &account, 2).await;
    assert_eq!(changes, vec![], "nothing deleted");
    assert_eq!(slurp.failures.len(), 1, "{:?}", slurp.failures);
    assert_eq!(slurp.failures[0].scope, FailureScope::Account);
    assert!(slurp.failures[0].message.starts_with("ListRoles failed: "), "{}", slurp.failures[0].message);
}

#[tokio::test]
async fn users_groups_and_policies_are_collected_and_only_real_changes_count() {
    let session = session().await;
    let account = fresh_account();
    let client = iam(&session, &account).await;
    let read_s3 = create_policy(&client, "read-s3", &allow("s3:GetObject", "arn:aws:s3:::data/*")).await;
    create_policy(&client, "unused", &allow("sqs:SendMessage", "*")).await;
    client.create_group().group_name("devs").send().await.expect("group");
    client
        .put_group_policy()
        .group_name("devs")
        .policy_name("pass-roles")
        .policy_document(allow("iam:PassRole", "*"))
        .send()
        .await
        .expect("group policy");
    client.attach_group_policy().group_name("devs").policy_arn(&read_s3).send().await.expect("attach");
    client.create_user().user_name("alice").tags(tag("team", "data")).send().await.expect("user");
    client.create_user().user_name("bob").send().await.expect("user");
    client.add_user_to_group().group_name("devs").user_name("alice").send().await.expect("member");
    client.add_user_to_group().group_name("devs").user_name("bob").send().await.expect("member");
    client
        .put_user_policy()
        .user_name("alice")
        .policy_name("own-bucket")
        .policy_document(allow("s3:*", "arn:aws:s3:::alice/*"))
        .send()
        .await
        .expect("user policy");
    client.attach_user_policy().user_name("alice").policy_arn(&read_s3).send().await.expect("attach");
    let key = client.create_access_key().user_name("alice").send().await.expect("key");
    let key = key.access_key().expect("access key").clone();
    client.create_login_profile().user_name("alice").password("correct horse battery").send().await.expect("login");
    let device = client.create_virtual_mfa_device().virtual_mfa_device_name("alice-phone").send().await.expect("mfa");
    let serial = device.virtual_mfa_device().map(|d| d.serial_number().to_owned()).expect("serial");
    client
        .enable_mfa_device()
        .user_name("alice")
        .serial_number(&serial)
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await
        .expect("enable mfa");
    client.upload_signing_certificate().user_name("alice").certificate_body(CERTIFICATE).send().await.expect("cert");

    let (_dir, store) = common::store();
    let users = UserWatcher::new(Arc::clone(&session));
    let groups = GroupWatcher::new(Arc::clone(&session));
    let policies = ManagedPolicyWatcher::new(Arc::clone(&session));

    let (slurp, _) = run(&*store, &users, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(names(&slurp), ["alice", "bob"]);
    let alice = &item(&slurp, "alice").config;
    assert_eq!(alice["Tags"], json!([{"Key": "team", "Value": "data"}]));
    assert_eq!(alice["Groups"][0]["GroupName"], "devs");
    assert_eq!(alice["InlinePolicies"]["own-bucket"]["Statement"][0]["Resource"], "arn:aws:s3:::alice/*");
    assert_eq!(alice["AttachedManagedPolicies"], json!([{"PolicyName": "read-s3", "PolicyArn": read_s3}]));
    assert_eq!(alice["AccessKeys"][0]["AccessKeyId"], key.access_key_id());
    assert_eq!(alice["AccessKeys"][0]["Status"], "Active");
    assert!(alice["AccessKeys"][0]["AccessKeyLastUsed"].is_object(), "{}", alice["AccessKeys"][0]);
    assert_eq!(alice["MFADevices"][0]["SerialNumber"], serial.as_str());
    assert_eq!(alice["LoginProfile"]["PasswordResetRequired"], false);
    assert_eq!(alice["SigningCertificates"][0]["Status"], "Active");
    let bob = &item(&slurp, "bob").config;
    assert_eq!(bob["LoginProfile"], Value::Null, "no password: null, not a failure");
    assert_eq!(bob["AccessKeys"], json!([]));

    let (slurp, _) = run(&*store, &groups, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    let devs = &item(&slurp, "devs").config;
    let members: Vec<&Value> = devs["Users"].as_array().expect("users").iter().map(|u| &u["UserName"]).collect();
    assert_eq!(members, ["alice", "bob"]);
    assert_eq!(devs["InlinePolicies"]["pass-roles"]["Statement"][0]["Action"], "iam:PassRole");
    assert_eq!(devs["AttachedManagedPolicies"][0]["PolicyArn"], read_s3.as_str());

    let (slurp, _) = run(&*store, &policies, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(names(&slurp), ["read-s3", "unused"], "customer-managed only: moto loads no AWS-managed policy");
    let policy = item(&slurp, "read-s3");
    assert_eq!(policy.arn.as_deref(), Some(read_s3.as_str()));
    assert_eq!(policy.config["Document"]["Statement"][0]["Action"], "s3:GetObject");
    assert_eq!(policy.config["AwsManaged"], false);
    assert_eq!(policy.config["AttachmentCount"], 2);
    assert_eq!(policy.config["PolicyGroups"][0]["GroupName"], "devs");
    assert_eq!(policy.config["PolicyUsers"][0]["UserName"], "alice");
    assert_eq!(item(&slurp, "unused").config["PolicyUsers"], json!([]));

    // Nothing changed: nothing to report.
    for watcher in [&users as &dyn Watcher, &groups, &policies] {
        assert_eq!(run(&*store, watcher, &account, 2).await.1, vec![], "{}", watcher.technology());
    }

    // Alice's key is used: its last use moves, which is ephemeral.
    let as_alice = AwsSession::new(AwsSettings {
        static_credentials: Some((key.access_key_id().to_owned(), key.secret_access_key().to_owned())),
        assume_role: false,
        ..settings()
    })
    .await;
    as_alice.iam(&as_alice.account_config(&account).await).list_users().send().await.expect("alice calls IAM");
    assert_eq!(run(&*store, &users, &account, 3).await.1, vec![("alice".to_owned(), ChangeKind::Ephemeral)]);

    // The group loses its attached policy: the group changed; for the policy only the
    // ephemeral attachments did.
    client.detach_group_policy().group_name("devs").policy_arn(&read_s3).send().await.expect("detach");
    assert_eq!(run(&*store, &groups, &account, 4).await.1, vec![("devs".to_owned(), ChangeKind::Changed)]);
    assert_eq!(run(&*store, &policies, &account, 4).await.1, vec![("read-s3".to_owned(), ChangeKind::Ephemeral)]);

    // Bob leaves: one deletion, and the group's members change.
    client.remove_user_from_group().group_name("devs").user_name("bob").send().await.expect("leave");
    client.delete_user().user_name("bob").send().await.expect("delete");
    assert_eq!(run(&*store, &users, &account, 5).await.1, vec![("bob".to_owned(), ChangeKind::Deleted)]);
    assert_eq!(run(&*store, &groups, &account, 5).await.1, vec![("devs".to_owned(), ChangeKind::Changed)]);

    // Policies are ignored by name or by ARN prefix.
    let by_arn = format!("arn:aws:iam::{}:policy/READ", account.number);
    let ignore = vec![
        IgnoreEntry::new(policies.technology().clone(), by_arn, "").expect("entry"),
        IgnoreEntry::new(policies.technology().clone(), "unu", "").expect("entry"),
    ];
    let ignored = policies.slurp(&WatchContext::new(account.clone()).with_ignore(ignore)).await;
    assert!(names(&ignored).is_empty(), "{:?}", names(&ignored));
}

#[tokio::test]
async fn the_account_item_holds_password_policy_summary_and_credential_report() {
    let session = session().await;
    let account = fresh_account();
    let client = iam(&session, &account).await;
    let (_dir, store) = common::store();
    let watcher = AccountWatcher::new(Arc::clone(&session));
    assert_eq!(watcher.technology().as_str(), "iamaccount");

    let (slurp, changes) = run(&*store, &watcher, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(changes, vec![("account".to_owned(), ChangeKind::Created)]);
    let config = &item(&slurp, "account").config;
    assert_eq!(config["PasswordPolicy"], Value::Null, "no policy yet: null, not a failure");
    assert_eq!(config["AccountSummary"]["Users"], 0);
    assert!(config["AccountSummary"]["UsersQuota"].as_i64().is_some_and(|q| q > 0), "{}", config["AccountSummary"]);
    // moto's report lists users only: no `<root_account>` row (see iam/account.rs).
    assert_eq!(config["CredentialReport"]["RootAccount"], Value::Null);
    assert!(config["CredentialReport"]["GeneratedTime"].is_string(), "{}", config["CredentialReport"]);
    assert_eq!(run(&*store, &watcher, &account, 2).await.1, vec![]);

    // A new user only moves usage counts: ephemeral.
    client.create_user().user_name("carol").send().await.expect("user");
    assert_eq!(run(&*store, &watcher, &account, 3).await.1, vec![("account".to_owned(), ChangeKind::Ephemeral)]);

    // A password policy is a real change.
    client
        .update_account_password_policy()
        .minimum_password_length(14)
        .require_symbols(true)
        .send()
        .await
        .expect("password policy");
    let (slurp, changes) = run(&*store, &watcher, &account, 4).await;
    assert_eq!(changes, vec![("account".to_owned(), ChangeKind::Changed)]);
    let policy = &item(&slurp, "account").config["PasswordPolicy"];
    assert_eq!(policy["MinimumPasswordLength"], 14);
    assert_eq!(policy["RequireSymbols"], true);
}

/// IdP metadata holding `certificate` (PEM) as SAML metadata does: bare base64.
fn saml_metadata(entity: &str, certificate: &str) -> String {
    let bare: String = certificate.lines().filter(|l| !l.starts_with("-----")).collect();
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{bare}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
    )
}

#[tokio::test]
async fn saml_providers_and_server_certificates_are_read_with_their_certificates() {
    let session = session().await;
    let account = fresh_account();
    let client = iam(&session, &account).await;
    let ec_certificate = include_str!("../src/iam/testdata/ec-p256.pem");
    let created = client
        .create_saml_provider()
        .name("okta")
        .saml_metadata_document(saml_metadata("http://www.okta.com/exk1", CERTIFICATE))
        .send()
        .await
        .expect("saml provider");
    let provider_arn = created.saml_provider_arn().expect("provider ARN").to_owned();
    client
        .upload_server_certificate()
        .server_certificate_name("shop")
        .path("/cloudfront/")
        .certificate_body(CERTIFICATE)
        .certificate_chain(ec_certificate)
        // moto stores the key without reading it; AWS would check it against the body.
        .private_key("not a key: moto does not read it")
        .send()
        .await
        .expect("server certificate");

    let (_dir, store) = common::store();
    let providers = SamlProviderWatcher::new(Arc::clone(&session));
    let (slurp, changes) = run(&*store, &providers, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(changes, vec![("okta".to_owned(), ChangeKind::Created)]);
    let okta = item(&slurp, "okta");
    assert_eq!(okta.arn.as_deref(), Some(provider_arn.as_str()));
    assert_eq!(okta.config["EntityId"], "http://www.okta.com/exk1");
    assert_eq!(okta.config["X509Certificates"][0]["KeySize"], 2048);
    assert_eq!(okta.config["X509Certificates"][0]["NotAfter"], "2036-11-24T06:56:20Z");
    assert!(okta.config["SAMLMetadataDocument"].as_str().is_some_and(|d| d.contains("exk1")));

    let certificates = ServerCertificateWatcher::new(Arc::clone(&session));
    let (slurp, changes) = run(&*store, &certificates, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert_eq!(changes, vec![("shop".to_owned(), ChangeKind::Created)]);
    let shop = item(&slurp, "shop");
    assert_eq!(
        shop.arn.as_deref(),
        Some(format!("arn:aws:iam::{}:server-certificate/cloudfront/shop", account.number).as_str())
    );
    assert_eq!(shop.config["Path"], "/cloudfront/");
    assert_eq!(shop.config["Certificate"]["SignatureAlgorithm"], "sha256WithRSAEncryption");
    assert_eq!(shop.config["Certificate"]["KeySize"], 2048);
    assert_eq!(shop.config["Certificate"]["IssuerOrganization"], "Example Corp, Inc.");
    assert_eq!(shop.config["Certificate"]["SubjectAlternativeNames"], json!(["*.example.com", "example.com"]));
    assert_eq!(shop.config["CertificateChain"].as_str().map(str::trim_end), Some(ec_certificate.trim_end()));

    for watcher in [&providers as &dyn Watcher, &certificates] {
        assert_eq!(run(&*store, watcher, &account, 2).await.1, vec![], "{}", watcher.technology());
    }

    // The IdP rolls its certificate: the provider changed. The certificate is deleted.
    client
        .update_saml_provider()
        .saml_provider_arn(&provider_arn)
        .saml_metadata_document(saml_metadata("http://www.okta.com/exk1", ec_certificate))
        .send()
        .await
        .expect("update provider");
    client.delete_server_certificate().server_certificate_name("shop").send().await.expect("delete");
    let (slurp, changes) = run(&*store, &providers, &account, 3).await;
    assert_eq!(changes, vec![("okta".to_owned(), ChangeKind::Changed)]);
    assert_eq!(item(&slurp, "okta").config["X509Certificates"][0]["KeyAlgorithm"], "EC");
    assert_eq!(run(&*store, &certificates, &account, 3).await.1, vec![("shop".to_owned(), ChangeKind::Deleted)]);
}

/// Wall and CPU time to slurp 1,000 roles (each with one inline policy) from moto; prints,
/// never asserts. Run alone: `cargo test -p monkey-watchers --test moto_iam -- --ignored
/// --nocapture slurp_1000_roles`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, run on demand"]
async fn slurp_1000_roles() {
    const ROLES: usize = 1000;
    // moto sometimes answers 500 to concurrent writes: the setup retries them.
    let session = AwsSession::new(AwsSettings { max_attempts: 5, ..settings() }).await;
    let account = fresh_account();
    let client = iam(&session, &account).await;
    let setup = std::time::Instant::now();
    let mut creating = tokio::task::JoinSet::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(8));
    for n in 0..ROLES {
        let (client, permits) = (client.clone(), Arc::clone(&permits));
        creating.spawn(async move {
            let _permit = permits.acquire_owned().await.ok();
            let name = format!("role-{n:04}");
            client.create_role().role_name(&name).assume_role_policy_document(TRUST_EC2).send().await.expect("role");
            client
                .put_role_policy()
                .role_name(&name)
                .policy_name("read")
                .policy_document(allow("s3:GetObject", "*"))
                .send()
                .await
                .expect("inline policy");
        });
    }
    while let Some(done) = creating.join_next().await {
        done.expect("created");
    }
    println!("created {ROLES} roles in {:.1?}", setup.elapsed());

    for concurrency in [4, 16] {
        let tuned = AwsSettings { concurrency, ..settings() };
        let watcher = RoleWatcher::new(Arc::new(AwsSession::new(tuned).await));
        let context = WatchContext::new(account.clone());
        let (wall, cpu) = (std::time::Instant::now(), common::cpu_time());
        let slurp = watcher.slurp(&context).await;
        let (wall, cpu) =
            (wall.elapsed(), common::cpu_time().zip(cpu).map(|(after, before)| after.saturating_sub(before)));
        println!(
            "slurp of {} roles ({} failures), concurrency {concurrency}: wall {wall:.2?}, process CPU {}",
            slurp.items.len(),
            slurp.failures.len(),
            cpu.map_or("unknown".to_owned(), |cpu| format!("{cpu:.2?}")),
        );
    }

    // For comparison, not what the watcher does: the same roles with their inline and
    // attached policies, instance profiles, tags and last use in a few large pages, plus
    // ListRoles for what those pages leave out (description, maximum session duration).
    let (wall, cpu) = (std::time::Instant::now(), common::cpu_time());
    let listed: Vec<_> =
        client.list_roles().into_paginator().items().send().collect::<Result<Vec<_>, _>>().await.expect("ListRoles");
    let pages: Vec<_> = client
        .get_account_authorization_details()
        .filter(aws_sdk_iam::types::EntityType::Role)
        .max_items(1000)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("GetAccountAuthorizationDetails");
    let roles: usize = pages.iter().map(|p| p.role_detail_list().len()).sum();
    let (wall, cpu) = (wall.elapsed(), common::cpu_time().zip(cpu).map(|(after, before)| after.saturating_sub(before)));
    println!(
        "ListRoles ({} roles) + GetAccountAuthorizationDetails(Filter=Role) ({roles} roles in {} pages): \
         wall {wall:.2?}, process CPU {}",
        listed.len(),
        pages.len(),
        cpu.map_or("unknown".to_owned(), |cpu| format!("{cpu:.2?}")),
    );
}
