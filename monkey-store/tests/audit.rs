//! The audit engine against real stores on disk: the issue lifecycle across revisions,
//! re-audits and restarts (justifications survive all three), score overrides, disabled checks,
//! deletions, and re-audits of the technologies that read a changed one.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

use async_trait::async_trait;
use monkey_core::audit::{AuditEngine, Transition, audit_changes, audit_changeset};
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, CheckStatus, Finding};
use monkey_core::change::{EphemeralPaths, detect};
use monkey_core::model::{
    Account, AccountName, AccountNumber, Category, IssueKey, ItemKey, Justification, ScoreOverride, Technology,
    Timestamp,
};
use monkey_core::store::{Changeset, Store};
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

static WIDGET_PORT_OPEN: Check = Check {
    id: "widget-port-open",
    technology: "widget",
    title: "WidgetPortOpen",
    category: Category::InternetAccessible,
    default_score: 10,
    status: CheckStatus::Stable,
    docs: "",
};

static WIDGET_BEHIND_OPEN_FIREWALL: Check = Check {
    id: "widget-behind-open-firewall",
    technology: "widget",
    title: "WidgetBehindOpenFirewall",
    category: Category::InternetAccessible,
    default_score: 5,
    status: CheckStatus::Stable,
    docs: "",
};

static CHECKS: [&Check; 2] = [&WIDGET_PORT_OPEN, &WIDGET_BEHIND_OPEN_FIREWALL];

/// Flags each port in `open`, and each firewall (a support item) whose `open` flag is set and
/// whose name is in the widget's `firewalls`.
struct WidgetAuditor;

#[async_trait]
impl Auditor for WidgetAuditor {
    fn technology(&self) -> &'static str {
        "widget"
    }
    fn support(&self) -> &'static [&'static str] {
        &["firewall"]
    }
    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }
    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings: Vec<Finding> = item.config["open"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .map(|port| Finding::new(&WIDGET_PORT_OPEN, "port open", format!("port:{port}")))
            .collect();
        let uses: Vec<&str> =
            item.config["firewalls"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        for firewall in ctx.support_of("firewall") {
            if uses.contains(&firewall.key.name.as_str()) && firewall.config["open"] == true {
                findings.push(
                    Finding::new(&WIDGET_BEHIND_OPEN_FIREWALL, "behind an open firewall", firewall.key.name.clone())
                        .with_links(vec![firewall.key.clone()]),
                );
            }
        }
        Ok(findings)
    }
}

fn engine() -> AuditEngine {
    AuditEngine::new(vec![Box::new(WidgetAuditor)])
}

fn at(seconds: i128) -> Timestamp {
    Timestamp::from_unix_nanos((1_800_000_000 + seconds) * 1_000_000_000)
}

fn number() -> AccountNumber {
    AccountNumber::parse("111111111111").unwrap()
}

fn tech(name: &str) -> Technology {
    Technology::parse(name).unwrap()
}

fn widget() -> ItemKey {
    ItemKey::new(tech("widget"), number(), "eu-west-1", "w1")
}

/// Runs change detection of one slurp of `technology` and commits it: the real pipeline.
async fn watch(store: &dyn Store, technology: &str, items: Vec<(&str, Value)>, seconds: i128) -> Changeset {
    let technology = tech(technology);
    let previous = store.items_of(&number(), &technology).await.unwrap();
    let slurp = Slurp {
        items: items
            .into_iter()
            .map(|(name, config)| SlurpedItem { region: "eu-west-1".into(), name: name.into(), arn: None, config })
            .collect(),
        failures: vec![],
    };
    let detection = detect(&technology, &number(), &previous, slurp, &EphemeralPaths::none(), at(seconds));
    store.commit_changeset(&detection.changeset).await.unwrap();
    detection.changeset
}

async fn audit(store: &dyn Store, changeset: &Changeset, seconds: i128) -> Vec<(IssueKey, Transition)> {
    let summary = audit_changeset(store, &engine(), changeset, at(seconds)).await.unwrap();
    assert!(summary.errors.is_empty());
    summary.transitions
}

fn issue(check: &str, notes: &str) -> IssueKey {
    IssueKey { item: widget(), check: check.into(), notes: notes.into() }
}

async fn scores(store: &dyn Store) -> (u32, u32) {
    let item = store.item(&widget()).await.unwrap().unwrap();
    (item.score, item.unjustified_score)
}

fn open(kind: &str, path: &Path) -> Arc<dyn Store> {
    monkey_store::open(&format!("{kind}:{}", path.display())).unwrap()
}

async fn lifecycle(kind: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let store = open(kind, &path);
    store.put_account(&Account::new(AccountName::parse("prod").unwrap(), number())).await.unwrap();

    // New: two open ports.
    let created = watch(&*store, "widget", vec![("w1", json!({"open": [22, 80]}))], 0).await;
    let transitions = audit(&*store, &created, 0).await;
    assert_eq!(
        transitions,
        vec![
            (issue("widget-port-open", "port:22"), Transition::New),
            (issue("widget-port-open", "port:80"), Transition::New)
        ]
    );
    assert_eq!(scores(&*store).await, (20, 20));

    let reason = Justification { by: "sec@example.com".into(), at: at(1), reason: "bastion".into() };
    store.justify(&issue("widget-port-open", "port:22"), Some(reason.clone())).await.unwrap();
    assert_eq!(scores(&*store).await, (20, 10), "a justified issue counts in the score only");

    // A new revision and its audit keep the justification (Security Monkey lost it here).
    let changed = watch(&*store, "widget", vec![("w1", json!({"open": [22, 80], "tag": "x"}))], 10).await;
    assert_eq!(changed.changes.len(), 1);
    let transitions = audit(&*store, &changed, 10).await;
    assert!(transitions.iter().all(|(_, t)| *t == Transition::Existing), "{transitions:?}");
    assert_eq!(store.issues(&widget()).await.unwrap()[0].justification, Some(reason.clone()));

    // A restart and a full re-audit keep it too.
    drop(store);
    let store = open(kind, &path);
    let summary = audit_changes(&*store, &engine(), &[], &[], at(20)).await.unwrap();
    assert_eq!(summary.items, 1);
    assert_eq!(summary.count(Transition::Existing), 2);
    assert_eq!(store.issues(&widget()).await.unwrap()[0].justification, Some(reason.clone()));
    assert_eq!(scores(&*store).await, (20, 10));

    // Fixed, then regressed with its justification.
    let closed = watch(&*store, "widget", vec![("w1", json!({"open": [80], "tag": "x"}))], 30).await;
    assert!(audit(&*store, &closed, 30).await.contains(&(issue("widget-port-open", "port:22"), Transition::Fixed)));
    assert_eq!(scores(&*store).await, (10, 10));
    let reopened = watch(&*store, "widget", vec![("w1", json!({"open": [22, 80], "tag": "x"}))], 40).await;
    assert!(
        audit(&*store, &reopened, 40).await.contains(&(issue("widget-port-open", "port:22"), Transition::Regressed))
    );
    let issues = store.issues(&widget()).await.unwrap();
    assert!(!issues[0].fixed);
    assert_eq!(issues[0].justification, Some(reason.clone()));
    assert_eq!(issues[0].first_seen, at(0));
    assert_eq!(scores(&*store).await, (20, 10));

    // Overrides: a new score for every account, then an account pattern.
    let mut override_ = ScoreOverride {
        technology: tech("widget"),
        check: "widget-port-open".into(),
        score: Some(3),
        disabled: false,
        account_patterns: vec![],
    };
    store.put_score_override(&override_).await.unwrap();
    audit_changes(&*store, &engine(), &[], &[], at(50)).await.unwrap();
    assert_eq!(scores(&*store).await, (6, 3));
    override_.account_patterns = vec!["name.prod=7".parse().unwrap()];
    store.put_score_override(&override_).await.unwrap();
    audit_changes(&*store, &engine(), &[number()], &[tech("widget")], at(55)).await.unwrap();
    assert_eq!(scores(&*store).await, (14, 7));

    // A disabled check does not run, and its open issues become fixed.
    override_.disabled = true;
    store.put_score_override(&override_).await.unwrap();
    let summary = audit_changes(&*store, &engine(), &[], &[], at(60)).await.unwrap();
    assert_eq!(summary.count(Transition::Fixed), 2);
    assert_eq!(scores(&*store).await, (0, 0));
    store.delete_score_override(&tech("widget"), "widget-port-open").await.unwrap();
    let summary = audit_changes(&*store, &engine(), &[], &[], at(65)).await.unwrap();
    assert_eq!(summary.count(Transition::Regressed), 2);
    assert_eq!(store.issues(&widget()).await.unwrap()[0].justification, Some(reason.clone()));

    // A change to a supporting technology re-audits the widgets that read it, with a link.
    store.put_account(&Account::new(AccountName::parse("prod").unwrap(), number())).await.unwrap();
    watch(&*store, "widget", vec![("w1", json!({"open": [22, 80], "tag": "x", "firewalls": ["fw"]}))], 70).await;
    let firewall = watch(&*store, "firewall", vec![("fw", json!({"open": true}))], 71).await;
    let transitions = audit(&*store, &firewall, 71).await;
    assert!(transitions.contains(&(issue("widget-behind-open-firewall", "fw"), Transition::New)), "{transitions:?}");
    let linked = store.issues(&widget()).await.unwrap();
    let behind = linked.iter().find(|i| i.key.check == "widget-behind-open-firewall").unwrap();
    assert_eq!(behind.links, vec![ItemKey::new(tech("firewall"), number(), "eu-west-1", "fw")]);

    // A deleted item's issues are fixed, justification kept.
    let deleted = watch(&*store, "widget", vec![], 80).await;
    let transitions = audit(&*store, &deleted, 80).await;
    assert_eq!(transitions.iter().filter(|(_, t)| *t == Transition::Fixed).count(), 3);
    let issues = store.issues(&widget()).await.unwrap();
    assert!(issues.iter().all(|i| i.fixed));
    let port_22 = issues.iter().find(|i| i.key == issue("widget-port-open", "port:22")).unwrap();
    assert_eq!(port_22.justification, Some(reason));
    assert_eq!(scores(&*store).await, (0, 0));
}

#[tokio::test]
async fn issue_lifecycle_on_redb() {
    lifecycle("redb").await;
}

#[tokio::test]
async fn issue_lifecycle_on_sled() {
    lifecycle("sled").await;
}
