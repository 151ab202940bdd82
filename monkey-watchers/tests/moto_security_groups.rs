//! The security-group watcher against a real moto server (scripts/test starts one and sets
//! MONKEY_TEST_AWS_ENDPOINT), through the real SDK: collect, change, fail a region, delete.
//!
//! Each test works in its own account: monkey assumes `SecurityMonkey` in it, and moto puts
//! what those credentials create in that account.

// Linked for its inventory registrations: the test runs the built-in security-group check.
use monkey_auditors as _;

mod common;

use aws_sdk_ec2::types::{IpPermission, IpRange};
use common::{fresh_account, run, settings};
use monkey_core::auditor::{AuditContext, AuditedItem};
use monkey_core::model::Account;
use monkey_core::store::ChangeKind;
use monkey_core::watcher::{FailureScope, Slurp, WatchContext, Watcher};
use monkey_watchers::aws::{AwsSession, AwsSettings, regions};
use monkey_watchers::ec2::SecurityGroupWatcher;
use std::sync::Arc;

async fn ec2(session: &AwsSession, account: &Account, region: &str) -> aws_sdk_ec2::Client {
    session.ec2(&session.account_config(account).await, region)
}

fn rule(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

#[tokio::test]
async fn collects_changes_survives_a_failed_region_and_sees_deletions() {
    let session = Arc::new(AwsSession::new(settings()).await);
    let account = fresh_account();
    let client = ec2(&session, &account, "us-east-1").await;
    let web = client.create_security_group().group_name("web").description("web tier").send().await.expect("create");
    let web_id = web.group_id().expect("group id").to_owned();
    client
        .authorize_security_group_ingress()
        .group_id(&web_id)
        .ip_permissions(rule(443, "10.0.0.0/8"))
        .send()
        .await
        .expect("ingress");

    let (_dir, store) = common::store();
    let watcher = SecurityGroupWatcher::new(Arc::clone(&session));

    // First run: every group is new, in both regions (each has its default VPC's group).
    let (slurp, first) = run(&*store, &watcher, &account, 1).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    let web_item = slurp.items.iter().find(|i| i.config["GroupId"] == web_id.as_str()).expect("web collected");
    assert_eq!(web_item.region, "us-east-1");
    assert!(web_item.name.starts_with(&format!("web ({web_id} in vpc-")), "{}", web_item.name);
    assert_eq!(web_item.config["IpPermissions"][0]["FromPort"], 443);
    assert_eq!(web_item.config["IpPermissions"][0]["IpRanges"][0]["CidrIp"], "10.0.0.0/8");
    assert_eq!(web_item.config["OwnerId"], account.number.as_str(), "created in the assumed account");
    assert!(web_item.arn.as_deref().is_some_and(|arn| arn.contains(&web_id)));
    assert!(slurp.items.iter().any(|i| i.region == "eu-west-1"), "the other region is collected too");
    assert!(first.iter().all(|(_, kind)| *kind == ChangeKind::Created));
    assert_eq!(first.len(), slurp.items.len());

    // Nothing changed: nothing to report.
    assert!(run(&*store, &watcher, &account, 2).await.1.is_empty());

    // Open SSH to the world: exactly that group changed, and the built-in check sees it.
    client
        .authorize_security_group_ingress()
        .group_id(&web_id)
        .ip_permissions(rule(22, "0.0.0.0/0"))
        .send()
        .await
        .expect("ingress");
    let (slurp, changes) = run(&*store, &watcher, &account, 3).await;
    assert_eq!(changes, vec![(web_item.name.clone(), ChangeKind::Changed)]);
    let web_now = slurp.items.iter().find(|i| i.name == web_item.name).expect("web");
    let key = monkey_core::model::ItemKey::new(
        watcher.technology().clone(),
        account.number.clone(),
        "us-east-1",
        web_now.name.clone(),
    );
    let findings = monkey_core::auditor::registered_auditors()
        .into_iter()
        .find(|a| a.technology() == "securitygroup")
        .expect("built-in auditor")
        .audit(&AuditedItem { key: &key, arn: None, config: &web_now.config }, &AuditContext::default())
        .await
        .expect("audit");
    let open =
        findings.iter().find(|f| f.check.id == "securitygroup-ingress-open-to-world").expect("SSH open to the world");
    assert_eq!(open.notes, "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]");

    // eu-west-1 unreachable: its items are protected, not deleted.
    let mut broken = settings();
    broken.region_endpoints.insert("eu-west-1".into(), "http://127.0.0.1:9".into());
    let broken_watcher = SecurityGroupWatcher::new(Arc::new(AwsSession::new(broken).await));
    let (slurp, changes) = run(&*store, &broken_watcher, &account, 4).await;
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(slurp.failures.len(), 1, "{:?}", slurp.failures);
    assert_eq!(slurp.failures[0].scope, FailureScope::Region { region: "eu-west-1".into() });
    assert!(
        slurp.failures[0].message.contains("DescribeSecurityGroups in eu-west-1 failed"),
        "{}",
        slurp.failures[0].message
    );

    // Deleting the group is seen as exactly one deletion.
    client.delete_security_group().group_id(&web_id).send().await.expect("delete");
    let (_, changes) = run(&*store, &watcher, &account, 5).await;
    assert_eq!(changes, vec![(web_item.name.clone(), ChangeKind::Deleted)]);
}

#[tokio::test]
async fn accounts_are_isolated_and_regions_discovered() {
    let session = Arc::new(AwsSession::new(AwsSettings { regions: None, ..settings() }).await);
    let (a, b) = (fresh_account(), fresh_account());
    ec2(&session, &a, "us-west-2")
        .await
        .create_security_group()
        .group_name("only-in-a")
        .description("x")
        .send()
        .await
        .expect("create");

    let discovered = regions(&session, &session.account_config(&a).await).await.expect("regions");
    for region in ["eu-west-1", "us-east-1", "us-west-2"] {
        assert!(discovered.iter().any(|r| r == region), "{region} in {discovered:?}");
    }
    assert!(discovered.windows(2).all(|w| w[0] < w[1]), "sorted");

    let only = AwsSession::new(AwsSettings { regions: Some(vec!["us-west-2".into()]), ..settings() }).await;
    let watcher = SecurityGroupWatcher::new(Arc::new(only));
    let names = |slurp: &Slurp| {
        slurp.items.iter().map(|i| i.config["GroupName"].as_str().unwrap_or_default().to_owned()).collect::<Vec<_>>()
    };
    let in_a = watcher.slurp(&WatchContext::new(a.clone())).await;
    let in_b = watcher.slurp(&WatchContext::new(b)).await;
    assert!(names(&in_a).contains(&"only-in-a".to_owned()), "{:?}", names(&in_a));
    assert!(!names(&in_b).contains(&"only-in-a".to_owned()), "{:?}", names(&in_b));

    let ignore = vec![monkey_core::model::IgnoreEntry::new(watcher.technology().clone(), "ONLY-", "").expect("entry")];
    let ignored = watcher.slurp(&WatchContext::new(a).with_ignore(ignore)).await;
    assert!(!names(&ignored).contains(&"only-in-a".to_owned()));
}
