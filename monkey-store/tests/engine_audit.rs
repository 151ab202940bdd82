//! What the engine's units audit against, over a real redb store: networks learned from one
//! unit serve the next (and follow its changes), items that read another technology are
//! re-audited when it changes, and a collection runs what others read first.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

use async_trait::async_trait;
use monkey_core::audit::{AuditEngine, Relation};
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, CheckStatus, Finding};
use monkey_core::engine::Monkey;
use monkey_core::model::{Account, AccountName, AccountNumber, Category, Interval, Technology};
use monkey_core::store::Store;
use monkey_core::watcher::{Slurp, SlurpedItem, WatchContext, Watcher};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

static GADGET_UNKNOWN_NETWORK: Check = Check {
    id: "gadget-unknown-network",
    technology: "gadget",
    title: "GadgetUnknownNetwork",
    category: Category::UnknownAccess,
    default_score: 5,
    status: CheckStatus::Stable,
    docs: "",
};
static WIDGET_USES_OPEN_GADGET: Check = Check {
    id: "widget-uses-open-gadget",
    technology: "widget",
    title: "WidgetUsesOpenGadget",
    category: Category::InternetAccessible,
    default_score: 7,
    status: CheckStatus::Stable,
    docs: "",
};
static GADGET_CHECKS: [&Check; 1] = [&GADGET_UNKNOWN_NETWORK];
static WIDGET_CHECKS: [&Check; 1] = [&WIDGET_USES_OPEN_GADGET];

/// Flags a gadget whose `Source` network belongs to no known account.
struct GadgetAuditor;

#[async_trait]
impl Auditor for GadgetAuditor {
    fn technology(&self) -> &'static str {
        "gadget"
    }
    fn checks(&self) -> &'static [&'static Check] {
        &GADGET_CHECKS
    }
    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let source = item.config["Source"].as_str().unwrap_or_default();
        let relation = ctx.environment.classify_cidr(&item.key.account, source);
        Ok(if relation == Relation::Unknown {
            vec![Finding::new(&GADGET_UNKNOWN_NETWORK, "unknown", source)]
        } else {
            vec![]
        })
    }
}

/// Flags a widget whose gadget (found by name among the support items) is open.
struct WidgetAuditor;

#[async_trait]
impl Auditor for WidgetAuditor {
    fn technology(&self) -> &'static str {
        "widget"
    }
    fn checks(&self) -> &'static [&'static Check] {
        &WIDGET_CHECKS
    }
    fn support(&self) -> &'static [&'static str] {
        &["gadget"]
    }
    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let uses = item.config["Uses"].as_str().unwrap_or_default();
        let open = ctx.support_where("gadget", "Name", uses).iter().any(|g| g.config["Open"] == true);
        Ok(if open { vec![Finding::new(&WIDGET_USES_OPEN_GADGET, "open gadget", uses)] } else { vec![] })
    }
}

/// Returns its items for every account, recording the order of its slurps (account name and
/// technology) in `log`.
struct ListWatcher {
    technology: Technology,
    items: Mutex<Vec<(String, Value)>>,
    log: Arc<Mutex<Vec<String>>>,
    gate: Gate,
}

/// A gate between two watchers' slurps: one account's slurp opens it, another's waits for it
/// (ten seconds at most, then logs that it stayed shut).
enum Gate {
    None,
    OpenedBy(&'static str, Arc<tokio::sync::Notify>),
    WaitedForBy(&'static str, Arc<tokio::sync::Notify>),
}

#[async_trait]
impl Watcher for ListWatcher {
    fn technology(&self) -> &Technology {
        &self.technology
    }
    fn ephemeral_paths(&self) -> &[&str] {
        &[]
    }
    fn default_interval(&self) -> Interval {
        Interval::HOURLY
    }
    async fn slurp(&self, ctx: &WatchContext) -> Slurp {
        let account = ctx.account.name.as_str();
        self.log.lock().unwrap().push(format!("{account} {}", self.technology));
        match &self.gate {
            Gate::OpenedBy(opener, gate) if account == *opener => gate.notify_one(),
            Gate::WaitedForBy(waiter, gate) if account == *waiter => {
                let opened = tokio::time::timeout(std::time::Duration::from_secs(10), gate.notified()).await;
                if opened.is_err() {
                    self.log.lock().unwrap().push("the gate stayed shut".into());
                }
            }
            _ => {}
        }
        let items = self.items.lock().unwrap().clone();
        Slurp {
            items: items
                .into_iter()
                .map(|(name, config)| SlurpedItem { region: "us-east-1".into(), name, arn: None, config })
                .collect(),
            failures: vec![],
        }
    }
}

fn watcher(technology: &str, items: Vec<(&str, Value)>, log: &Arc<Mutex<Vec<String>>>) -> Arc<ListWatcher> {
    gated_watcher(technology, items, log, Gate::None)
}

fn gated_watcher(
    technology: &str,
    items: Vec<(&str, Value)>,
    log: &Arc<Mutex<Vec<String>>>,
    gate: Gate,
) -> Arc<ListWatcher> {
    Arc::new(ListWatcher {
        technology: Technology::parse(technology).unwrap(),
        items: Mutex::new(items.into_iter().map(|(n, c)| (n.to_owned(), c)).collect()),
        log: Arc::clone(log),
        gate,
    })
}

async fn open_issues(store: &dyn Store, account: &AccountNumber, technology: &str) -> Vec<String> {
    let issues = store.issues_of(account, &Technology::parse(technology).unwrap()).await.unwrap();
    issues.into_iter().filter(|i| !i.fixed).map(|i| format!("{} {}", i.key.item.name, i.key.check)).collect()
}

#[tokio::test]
async fn units_audit_against_what_other_units_collected() {
    let dir = tempfile::tempdir().unwrap();
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("monkey.redb").display())).unwrap();
    let prod = Account::new(AccountName::parse("prod").unwrap(), AccountNumber::parse("111111111111").unwrap());
    store.put_account(&prod).await.unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let widgets = watcher("widget", vec![("w1", json!({"Uses": "g1"}))], &log);
    let gadgets = watcher("gadget", vec![("g1", json!({"Name": "g1", "Open": true, "Source": "10.7.1.0/24"}))], &log);
    let vpcs = watcher("vpc", vec![("v1", json!({"VpcId": "vpc-1", "CidrBlock": "10.7.0.0/16"}))], &log);
    let monkey = Arc::new(
        Monkey::builder(Arc::clone(&store))
            .watchers([&widgets, &gadgets, &vpcs].map(|w| Arc::clone(w) as Arc<dyn Watcher>))
            .auditors(AuditEngine::new(vec![Box::new(GadgetAuditor), Box::new(WidgetAuditor)]))
            .build()
            .unwrap(),
    );

    // One at a time, so that the order shows: what the environment learns from, then what is
    // read, then what reads it.
    let results = monkey.find_changes(std::slice::from_ref(&prod), &[], 1, &|_| {}).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(*log.lock().unwrap(), ["prod vpc", "prod gadget", "prod widget"]);
    let number = &prod.number;
    assert!(open_issues(store.as_ref(), number, "gadget").await.is_empty(), "10.7.1.0/24 is in the account's VPC");
    assert_eq!(open_issues(store.as_ref(), number, "widget").await, ["w1 widget-uses-open-gadget"]);

    // The VPC moves: the gadget (changed, so audited) is now in no known network.
    *vpcs.items.lock().unwrap() = vec![("v1".into(), json!({"VpcId": "vpc-1", "CidrBlock": "10.8.0.0/16"}))];
    monkey.run_unit(&prod, &Technology::parse("vpc").unwrap()).await.unwrap();
    *gadgets.items.lock().unwrap() = vec![("g1".into(), json!({"Name": "g1", "Open": false, "Source": "10.7.1.0/24"}))];
    let run = monkey.run_unit(&prod, &Technology::parse("gadget").unwrap()).await.unwrap();
    assert_eq!(open_issues(store.as_ref(), number, "gadget").await, ["g1 gadget-unknown-network"]);
    // The gadget closed: the widget that reads it was re-audited in the same unit of work.
    assert!(open_issues(store.as_ref(), number, "widget").await.is_empty());
    assert_eq!((run.issues_new, run.issues_fixed), (1, 1), "{run:?}");

    // A second account registered meanwhile is known to the next unit: its network counts.
    let shared = Account::new(AccountName::parse("shared").unwrap(), AccountNumber::parse("222222222222").unwrap());
    store.put_account(&shared).await.unwrap();
    *vpcs.items.lock().unwrap() = vec![("v1".into(), json!({"VpcId": "vpc-2", "CidrBlock": "10.7.0.0/16"}))];
    monkey.run_unit(&shared, &Technology::parse("vpc").unwrap()).await.unwrap();
    *gadgets.items.lock().unwrap() = vec![("g1".into(), json!({"Name": "g1", "Open": false, "Source": "10.7.1.0/23"}))];
    monkey.run_unit(&prod, &Technology::parse("gadget").unwrap()).await.unwrap();
    assert!(open_issues(store.as_ref(), number, "gadget").await.is_empty(), "the shared account's network is known");
}

/// Commits one gadget, created, into the store.
async fn commit_gadget(store: &dyn Store, account: &AccountNumber, name: &str) {
    use monkey_core::model::{Hash, ItemKey, now};
    use monkey_core::store::{ChangeKind, Changeset, ItemChange};
    let key = ItemKey::new(Technology::parse("gadget").unwrap(), account.clone(), "us-east-1", name);
    let change = ItemChange {
        key,
        arn: None,
        kind: ChangeKind::Created,
        config: json!({"Name": name, "Open": true}),
        durable_hash: Hash([1; 32]),
        complete_hash: Hash([1; 32]),
    };
    store.commit_changeset(&Changeset { at: now(), changes: vec![change] }).await.unwrap();
}

#[tokio::test]
async fn audits_at_once_share_support_until_what_it_was_read_from_changes() {
    use monkey_core::audit::SharedSupport;
    let dir = tempfile::tempdir().unwrap();
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("monkey.redb").display())).unwrap();
    let account = AccountNumber::parse("111111111111").unwrap();
    let (widget, gadget) = (Technology::parse("widget").unwrap(), Technology::parse("gadget").unwrap());
    commit_gadget(store.as_ref(), &account, "g1").await;
    let engine = AuditEngine::new(vec![Box::new(GadgetAuditor), Box::new(WidgetAuditor)]);
    let shared = SharedSupport::default();
    let support = || async { shared.get(store.as_ref(), &engine, &account, &widget).await.unwrap() };

    let (first, second) = tokio::join!(support(), support());
    assert!(Arc::ptr_eq(&first, &second), "two audits at once read the gadgets once");
    assert_eq!(first.len(), 1);
    assert!(shared.get(store.as_ref(), &engine, &account, &gadget).await.unwrap().is_empty(), "gadgets read nothing");

    commit_gadget(store.as_ref(), &account, "g2").await;
    shared.changed(&account, &gadget);
    let fresh = support().await;
    assert!(!Arc::ptr_eq(&first, &fresh), "a commit of gadgets ends the sharing");
    assert_eq!(fresh.len(), 2);

    drop((first, second, fresh));
    commit_gadget(store.as_ref(), &account, "g3").await;
    assert_eq!(support().await.len(), 2, "the last set read is kept for the next audit");
    shared.release();
    assert_eq!(support().await.len(), 3, "once released, support nobody holds is read again");
}

#[tokio::test]
async fn an_account_starts_a_stage_once_its_earlier_stages_finish_whatever_other_accounts_do() {
    let dir = tempfile::tempdir().unwrap();
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("monkey.redb").display())).unwrap();
    let prod = Account::new(AccountName::parse("prod").unwrap(), AccountNumber::parse("111111111111").unwrap());
    let shared = Account::new(AccountName::parse("shared").unwrap(), AccountNumber::parse("222222222222").unwrap());
    for account in [&prod, &shared] {
        store.put_account(account).await.unwrap();
    }
    // Shared's gadgets wait until prod's widgets have started: prod's last stage must not wait
    // for shared's earlier ones.
    let log = Arc::new(Mutex::new(Vec::new()));
    let gate = Arc::new(tokio::sync::Notify::new());
    let watchers = [
        watcher("vpc", vec![("v1", json!({"VpcId": "vpc-1", "CidrBlock": "10.7.0.0/16"}))], &log),
        gated_watcher("gadget", vec![("g1", json!({"Name": "g1", "Source": "10.7.1.0/24"}))], &log, {
            Gate::WaitedForBy("shared", Arc::clone(&gate))
        }),
        gated_watcher("widget", vec![("w1", json!({"Uses": "g1"}))], &log, Gate::OpenedBy("prod", Arc::clone(&gate))),
    ];
    let monkey = Arc::new(
        Monkey::builder(Arc::clone(&store))
            .watchers(watchers.map(|w| w as Arc<dyn Watcher>))
            .auditors(AuditEngine::new(vec![Box::new(GadgetAuditor), Box::new(WidgetAuditor)]))
            .build()
            .unwrap(),
    );
    let names = |number: &AccountNumber| if *number == prod.number { "prod" } else { "shared" };
    let results = monkey
        .find_changes(&[prod.clone(), shared.clone()], &[], 4, &|result| {
            if let Ok(run) = result {
                log.lock().unwrap().push(format!("done {} {}", names(&run.account), run.technology));
            }
        })
        .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let log = log.lock().unwrap().clone();
    assert!(!log.contains(&"the gate stayed shut".to_owned()), "prod's widgets waited for shared's gadgets: {log:?}");
    let at = |event: &str| log.iter().position(|e| e == event).unwrap_or_else(|| panic!("no {event}: {log:?}"));
    for account in ["prod", "shared"] {
        assert!(at(&format!("done {account} vpc")) < at(&format!("{account} gadget")), "{log:?}");
        assert!(at(&format!("done {account} gadget")) < at(&format!("{account} widget")), "{log:?}");
    }
    assert_eq!(log.len(), 12, "every unit ran once: {log:?}");
}
