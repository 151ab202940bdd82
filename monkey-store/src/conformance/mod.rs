//! The conformance suite: the behaviour every [`Store`] backend must have, as runnable checks.
//!
//! Like object_store's `integration` module, a backend's tests call [`run_all`] on a fresh,
//! empty store; each check is also public, so that a failure names the behaviour that broke.
//! Checks fail by panicking, as tests do. Each check uses its own accounts, technologies and
//! names and deletes what it made, so the checks do not see one another's data.
//!
//! Beyond the checks: [`check_invariants`] verifies, through the trait alone, what must hold of
//! any store at any time (used after a crash); [`write_sample`] and [`snapshot`] show that data
//! survives reopening; [`crash`] is the kill -9 test.
//!
//! ```no_run
//! # async fn example(store: &dyn monkey_core::store::Store) {
//! monkey_store::conformance::run_all(store).await;
//! monkey_store::conformance::check_invariants(store).await.expect("consistent");
//! # }
//! ```

pub mod crash;
pub(crate) mod fixtures;

use fixtures::{account, at, change, changeset, issue, justification, key, number, technology};
use monkey_core::model::{
    Account, Comment, CommentTarget, IgnoreEntry, Interval, Issue, Item, ItemKey, NetworkWhitelistEntry, Revision,
    Role, ScoreOverride, User, WatcherConfig,
};
use monkey_core::store::{
    AuditCommit, ChangeKind, CommitReceipt, DistinctField, ItemAudit, ItemChange, ItemQuery, RevisionQuery, Store,
    StoreError, scores,
};
use serde_json::json;
use std::collections::BTreeSet;

/// Runs every check, in order, on an empty store.
pub async fn run_all(store: &dyn Store) {
    accounts_round_trip(store).await;
    account_names_are_unique(store).await;
    renaming_an_account_keeps_its_items(store).await;
    deleting_an_account_deletes_what_it_owns(store).await;
    changesets_create_items_and_revisions(store).await;
    changed_and_deleted_items_get_new_revisions(store).await;
    ephemeral_changes_update_the_latest_revision(store).await;
    revision_ids_increase(store).await;
    changesets_are_atomic(store).await;
    arns_are_unique_and_move(store).await;
    audits_replace_issues_and_keep_justifications(store).await;
    audits_are_atomic(store).await;
    units_are_read_and_committed_whole(store).await;
    justify_sets_and_clears(store).await;
    search_filters_sorts_and_paginates(store).await;
    search_filters_on_arns_unjustified_scores_and_configuration(store).await;
    revision_search_filters_and_pages_newest_first(store).await;
    distinct_values_for_autocomplete(store).await;
    comments_on_items_and_revisions(store).await;
    settings_round_trip(store).await;
    users_are_keyed_by_lower_cased_email(store).await;
    runs_are_kept_newest_first(store).await;
    outbox_holds_each_message_once(store).await;
    check_invariants(store).await.expect("the store's invariants hold after the suite");
}

async fn commit(store: &dyn Store, seconds: i64, changes: Vec<ItemChange>) -> CommitReceipt {
    store.commit_changeset(&changeset(seconds, changes)).await.expect("the changeset commits")
}

async fn put_accounts(store: &dyn Store, accounts: &[&Account]) {
    for account in accounts {
        store.put_account(account).await.expect("the account is stored");
    }
}

async fn delete_accounts(store: &dyn Store, accounts: &[&Account]) {
    for account in accounts {
        assert!(store.delete_account(&account.number).await.expect("deletion succeeds"));
    }
}

async fn item(store: &dyn Store, key: &ItemKey) -> Item {
    store.item(key).await.expect("item reads").expect("the item exists")
}

async fn revision_of(store: &dyn Store, receipt: &CommitReceipt, index: usize) -> Revision {
    let id = receipt.revisions[index].1;
    store.revision(id).await.expect("revision reads").expect("the revision exists")
}

fn keys_of(items: &[Item]) -> Vec<ItemKey> {
    items.iter().map(|i| i.key.clone()).collect()
}

/// Accounts are stored, found by name and number, listed by name and replaced by number.
pub async fn accounts_round_trip(store: &dyn Store) {
    let b = account("conf-accounts-b", 900_000_000_101);
    let a = account("conf-accounts-a", 900_000_000_102);
    put_accounts(store, &[&b, &a]).await;
    assert_eq!(store.account_by_name(&b.name).await.expect("reads"), Some(b.clone()));
    assert_eq!(store.account_by_number(&a.number).await.expect("reads"), Some(a.clone()));
    let all = store.accounts().await.expect("lists");
    assert!(all.windows(2).all(|w| w[0].name < w[1].name), "accounts are listed by name");
    let ours: Vec<_> = all.iter().filter(|x| x.name.as_str().starts_with("conf-accounts-")).collect();
    assert_eq!(ours, vec![&a, &b]);

    let mut changed = b.clone();
    changed.notes = "replaced".into();
    changed.third_party = true;
    store.put_account(&changed).await.expect("replacing by number works");
    assert_eq!(store.account_by_number(&b.number).await.expect("reads"), Some(changed.clone()));

    let mut invalid = b.clone();
    invalid.role_name = "not a role".into();
    let error = store.put_account(&invalid).await.expect_err("an invalid account is refused");
    assert!(matches!(error, StoreError::Invalid(_)), "{error}");
    assert_eq!(store.account_by_number(&b.number).await.expect("reads"), Some(changed));

    delete_accounts(store, &[&a, &b]).await;
    assert!(!store.delete_account(&a.number).await.expect("deletion succeeds"));
    assert_eq!(store.account_by_name(&a.name).await.expect("reads"), None);
    assert_eq!(store.account_by_number(&b.number).await.expect("reads"), None);
}

/// A name belongs to one account number.
pub async fn account_names_are_unique(store: &dyn Store) {
    let first = account("conf-unique", 900_000_000_201);
    let second = account("conf-unique", 900_000_000_202);
    put_accounts(store, &[&first]).await;
    let error = store.put_account(&second).await.expect_err("a taken name is refused");
    assert!(
        matches!(&error, StoreError::NameTaken { name, number } if *name == first.name && *number == first.number),
        "{error}"
    );
    assert_eq!(store.account_by_number(&second.number).await.expect("reads"), None);
    assert_eq!(store.account_by_name(&first.name).await.expect("reads"), Some(first.clone()));
    delete_accounts(store, &[&first]).await;
}

/// Items are keyed by account number, so a renamed account keeps them, and its old name is free.
pub async fn renaming_an_account_keeps_its_items(store: &dyn Store) {
    let old = account("conf-rename-old", 900_000_000_301);
    put_accounts(store, &[&old]).await;
    let k = key("conf-rename", 900_000_000_301, "us-east-1", "bucket");
    commit(store, 1, vec![change(&k, ChangeKind::Created, None, json!({"v": 1}))]).await;
    let mut renamed = old.clone();
    renamed.name = monkey_core::model::AccountName::parse("conf-rename-new").expect("valid");
    store.put_account(&renamed).await.expect("renaming works");
    assert_eq!(store.account_by_name(&old.name).await.expect("reads"), None);
    assert_eq!(store.account_by_name(&renamed.name).await.expect("reads"), Some(renamed.clone()));
    let items = store.items_of(&renamed.number, &technology("conf-rename")).await.expect("reads");
    assert_eq!(keys_of(&items), vec![k]);
    let other = account("conf-rename-old", 900_000_000_302);
    store.put_account(&other).await.expect("the old name is free again");
    delete_accounts(store, &[&renamed, &other]).await;
}

/// Deleting an account deletes its items, revisions, issues, comments and index entries, and
/// nothing of other accounts.
pub async fn deleting_an_account_deletes_what_it_owns(store: &dyn Store) {
    let doomed = account("conf-delete-a", 900_000_000_401);
    let kept = account("conf-delete-b", 900_000_000_402);
    put_accounts(store, &[&doomed, &kept]).await;
    let a1 = key("conf-delete", 900_000_000_401, "eu-west-1", "conf-delete-a1");
    let a2 = key("conf-delete", 900_000_000_401, "universal", "conf-delete-a2");
    let b1 = key("conf-delete", 900_000_000_402, "eu-west-1", "conf-delete-b1");
    let first = commit(
        store,
        10,
        vec![
            change(&a1, ChangeKind::Created, Some("arn:conf:delete:a1"), json!({"v": 1})),
            change(&a2, ChangeKind::Created, None, json!({"v": 1})),
            change(&b1, ChangeKind::Created, Some("arn:conf:delete:b1"), json!({"v": 1})),
        ],
    )
    .await;
    let second =
        commit(store, 11, vec![change(&a1, ChangeKind::Changed, Some("arn:conf:delete:a1"), json!({"v": 2}))]).await;
    let audit = AuditCommit {
        at: at(12),
        items: vec![
            ItemAudit { item: a1.clone(), issues: vec![issue(&a1, "conf-check", "", 5)] },
            ItemAudit { item: b1.clone(), issues: vec![issue(&b1, "conf-check", "", 2)] },
        ],
    };
    store.commit_audit(&audit).await.expect("the audit commits");
    let first_a1 = first.revisions[0].1;
    let on_item = Comment::new(CommentTarget::Item(a1.clone()), "a@example.com", at(13), "on a1").expect("valid");
    let on_revision = Comment::new(CommentTarget::Revision(first_a1), "a@example.com", at(13), "on r1").expect("valid");
    let on_kept = Comment::new(CommentTarget::Item(b1.clone()), "a@example.com", at(13), "on b1").expect("valid");
    for comment in [&on_item, &on_revision, &on_kept] {
        store.add_comment(comment).await.expect("the comment is stored");
    }

    assert!(store.delete_account(&doomed.number).await.expect("deletion succeeds"));
    assert_eq!(store.account_by_number(&doomed.number).await.expect("reads"), None);
    assert_eq!(store.account_by_name(&doomed.name).await.expect("reads"), None);
    for k in [&a1, &a2] {
        assert_eq!(store.item(k).await.expect("reads"), None);
        assert!(store.revisions(k).await.expect("reads").is_empty());
        assert!(store.issues(k).await.expect("reads").is_empty());
    }
    for id in [first_a1, first.revisions[1].1, second.revisions[0].1] {
        assert_eq!(store.revision(id).await.expect("reads"), None);
        assert!(store.comments(&CommentTarget::Revision(id)).await.expect("reads").is_empty());
    }
    assert!(store.comments(&CommentTarget::Item(a1.clone())).await.expect("reads").is_empty());
    assert_eq!(store.item_by_arn("arn:conf:delete:a1").await.expect("reads"), None);
    assert!(store.items_of(&doomed.number, &technology("conf-delete")).await.expect("reads").is_empty());
    let query = ItemQuery { accounts: vec![doomed.number.clone()], ..ItemQuery::default() };
    assert_eq!(store.search(&query).await.expect("searches").total, 0);
    let names = store.distinct(DistinctField::Name, "conf-delete-a", 10).await.expect("reads");
    assert!(names.is_empty(), "{names:?}");

    assert_eq!(item(store, &b1).await.score, 2);
    assert_eq!(store.item_by_arn("arn:conf:delete:b1").await.expect("reads").map(|i| i.key), Some(b1.clone()));
    assert_eq!(store.comments(&CommentTarget::Item(b1.clone())).await.expect("reads").len(), 1);
    assert_eq!(store.issues(&b1).await.expect("reads").len(), 1);
    assert!(!store.delete_account(&doomed.number).await.expect("deletion succeeds"));
    delete_accounts(store, &[&kept]).await;
}

/// Created changes make items and their first revisions; items of a technology and account are
/// listed by (region, name).
pub async fn changesets_create_items_and_revisions(store: &dyn Store) {
    let owner = account("conf-create", 900_000_000_501);
    put_accounts(store, &[&owner]).await;
    let z = key("conf-create", 900_000_000_501, "us-east-1", "z");
    let b = key("conf-create", 900_000_000_501, "us-west-2", "b");
    let a = key("conf-create", 900_000_000_501, "us-east-1", "a");
    let changes = vec![
        change(&z, ChangeKind::Created, Some("arn:conf:create:z"), json!({"name": "z", "t": 1})),
        change(&b, ChangeKind::Created, None, json!({"name": "b"})),
        change(&a, ChangeKind::Created, Some("arn:conf:create:a"), json!({"name": "a"})),
    ];
    let receipt = commit(store, 20, changes.clone()).await;
    let receipt_keys: Vec<_> = receipt.revisions.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(receipt_keys, vec![z.clone(), b.clone(), a.clone()], "the receipt follows the changeset");
    assert!(receipt.revisions.windows(2).all(|w| w[0].1 < w[1].1), "{receipt:?}");

    let stored = item(store, &z).await;
    assert_eq!(stored.arn.as_deref(), Some("arn:conf:create:z"));
    assert_eq!(stored.latest_revision, receipt.revisions[0].1);
    assert_eq!(stored.latest_revision_at, at(20));
    assert!(stored.active);
    assert_eq!((stored.durable_hash, stored.complete_hash), (changes[0].durable_hash, changes[0].complete_hash));
    assert_eq!((stored.score, stored.unjustified_score), (0, 0));

    let revision = revision_of(store, &receipt, 0).await;
    assert_eq!(revision.item, z);
    assert!(revision.active);
    assert_eq!(revision.config, changes[0].config);
    assert_eq!(revision.created_at, at(20));
    assert_eq!(revision.last_ephemeral_change_at, None);
    assert_eq!((revision.durable_hash, revision.complete_hash), (changes[0].durable_hash, changes[0].complete_hash));
    assert_eq!(store.revisions(&z).await.expect("reads"), vec![revision]);

    let listed = store.items_of(&owner.number, &technology("conf-create")).await.expect("reads");
    assert_eq!(keys_of(&listed), vec![a, z, b], "items are listed by (region, name)");
    assert!(store.items_of(&owner.number, &technology("conf-create-other")).await.expect("reads").is_empty());
    delete_accounts(store, &[&owner]).await;
}

/// Changed and deleted items get new revisions; a deletion is inactive with an empty
/// configuration; an item seen again is active again.
pub async fn changed_and_deleted_items_get_new_revisions(store: &dyn Store) {
    let owner = account("conf-history", 900_000_000_601);
    put_accounts(store, &[&owner]).await;
    let k = key("conf-history", 900_000_000_601, "us-east-1", "sg-1");
    let r1 = commit(store, 30, vec![change(&k, ChangeKind::Created, None, json!({"v": 1}))]).await.revisions[0].1;
    let r2 = commit(store, 31, vec![change(&k, ChangeKind::Changed, None, json!({"v": 2}))]).await.revisions[0].1;
    let deletion = change(&k, ChangeKind::Deleted, None, json!({"ignored": true}));
    let r3 = commit(store, 32, vec![deletion.clone()]).await.revisions[0].1;
    let deleted = item(store, &k).await;
    assert!(!deleted.active);
    assert_eq!((deleted.latest_revision, deleted.latest_revision_at), (r3, at(32)));
    assert_eq!(deleted.complete_hash, deletion.complete_hash);
    let gone = store.revision(r3).await.expect("reads").expect("exists");
    assert!(!gone.active);
    assert_eq!(gone.config, json!({}));

    let r4 = commit(store, 33, vec![change(&k, ChangeKind::Created, None, json!({"v": 4}))]).await.revisions[0].1;
    assert!(item(store, &k).await.active, "an item seen again is active");
    let history: Vec<_> = store.revisions(&k).await.expect("reads").iter().map(|r| r.id).collect();
    assert_eq!(history, vec![r4, r3, r2, r1], "revisions are listed newest first");
    assert!(r1 < r2 && r2 < r3 && r3 < r4);
    delete_accounts(store, &[&owner]).await;
}

/// An ephemeral change updates the latest revision in place: same id, new configuration and
/// complete hash, the time of the change recorded, the revision time unchanged.
pub async fn ephemeral_changes_update_the_latest_revision(store: &dyn Store) {
    let owner = account("conf-ephemeral", 900_000_000_701);
    put_accounts(store, &[&owner]).await;
    let k = key("conf-ephemeral", 900_000_000_701, "us-east-1", "role");
    let r1 =
        commit(store, 40, vec![change(&k, ChangeKind::Created, Some("arn:conf:eph"), json!({"v": 1, "t": 1}))]).await;
    let id = r1.revisions[0].1;
    let ephemeral = change(&k, ChangeKind::Ephemeral, Some("arn:conf:eph"), json!({"v": 1, "t": 2}));
    let receipt = commit(store, 41, vec![ephemeral.clone()]).await;
    assert_eq!(receipt.revisions, vec![(k.clone(), id)], "an ephemeral change keeps its revision");
    let revision = store.revision(id).await.expect("reads").expect("exists");
    assert_eq!(revision.config, ephemeral.config);
    assert_eq!(revision.complete_hash, ephemeral.complete_hash);
    assert_eq!(revision.last_ephemeral_change_at, Some(at(41)));
    assert_eq!(revision.created_at, at(40));
    let stored = item(store, &k).await;
    assert_eq!((stored.latest_revision, stored.latest_revision_at), (id, at(40)));
    assert_eq!(stored.complete_hash, ephemeral.complete_hash);
    assert_eq!(stored.durable_hash, ephemeral.durable_hash);
    assert_eq!(store.revisions(&k).await.expect("reads").len(), 1);
    let query = ItemQuery { accounts: vec![owner.number.clone()], ..ItemQuery::default() };
    assert_eq!(keys_of(&store.search(&query).await.expect("searches").items), vec![k]);
    delete_accounts(store, &[&owner]).await;
}

/// Revision ids increase across the whole store and are never reused, not even after deletions.
pub async fn revision_ids_increase(store: &dyn Store) {
    let owner = account("conf-ids", 900_000_000_801);
    put_accounts(store, &[&owner]).await;
    let a = key("conf-ids", 900_000_000_801, "us-east-1", "a");
    let b = key("conf-ids", 900_000_000_801, "us-east-1", "b");
    let mut ids = Vec::new();
    for (second, kind) in [(50, ChangeKind::Created), (51, ChangeKind::Changed), (52, ChangeKind::Deleted)] {
        let receipt = commit(
            store,
            second,
            vec![change(&a, kind, None, json!({"s": second})), change(&b, kind, None, json!({"s": second}))],
        )
        .await;
        ids.extend(receipt.revisions.iter().map(|(_, id)| *id));
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    delete_accounts(store, &[&owner]).await;
    put_accounts(store, &[&owner]).await;
    let again = commit(store, 53, vec![change(&a, ChangeKind::Created, None, json!({}))]).await;
    let last = ids.last().copied().expect("ids were made");
    assert!(again.revisions[0].1 > last, "ids are not reused after a deletion");
    delete_accounts(store, &[&owner]).await;
}

/// A changeset that fails part-way changes nothing.
pub async fn changesets_are_atomic(store: &dyn Store) {
    let owner = account("conf-atomic", 900_000_000_901);
    put_accounts(store, &[&owner]).await;
    let existing = key("conf-atomic", 900_000_000_901, "us-east-1", "existing");
    let fresh = key("conf-atomic", 900_000_000_901, "us-east-1", "fresh");
    let unknown = key("conf-atomic", 900_000_000_901, "us-east-1", "unknown");
    let before =
        commit(store, 60, vec![change(&existing, ChangeKind::Created, Some("arn:conf:atomic"), json!({"v": 1}))]).await;
    let refused = store
        .commit_changeset(&changeset(
            61,
            vec![
                change(&existing, ChangeKind::Changed, None, json!({"v": 2})),
                change(&fresh, ChangeKind::Created, Some("arn:conf:atomic"), json!({"v": 1})),
                change(&unknown, ChangeKind::Ephemeral, None, json!({"v": 1})),
            ],
        ))
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
    assert_eq!(store.item(&fresh).await.expect("reads"), None);
    let kept = item(store, &existing).await;
    assert_eq!(kept.latest_revision, before.revisions[0].1);
    assert_eq!(kept.arn.as_deref(), Some("arn:conf:atomic"));
    assert_eq!(store.revisions(&existing).await.expect("reads").len(), 1);
    assert_eq!(store.item_by_arn("arn:conf:atomic").await.expect("reads").map(|i| i.key), Some(existing.clone()));
    let query = ItemQuery { accounts: vec![owner.number.clone()], ..ItemQuery::default() };
    assert_eq!(store.search(&query).await.expect("searches").total, 1);
    let after = commit(store, 62, vec![change(&fresh, ChangeKind::Created, None, json!({}))]).await;
    assert!(after.revisions[0].1 > before.revisions[0].1);
    delete_accounts(store, &[&owner]).await;
}

/// An ARN belongs to one item: an item claiming it takes it, and a changed ARN frees the old one.
pub async fn arns_are_unique_and_move(store: &dyn Store) {
    let owner = account("conf-arn", 900_000_001_001);
    put_accounts(store, &[&owner]).await;
    let a = key("conf-arn", 900_000_001_001, "us-east-1", "a");
    let b = key("conf-arn", 900_000_001_001, "us-east-1", "b");
    let (x, y) = ("arn:conf:arn:x", "arn:conf:arn:y");
    commit(store, 70, vec![change(&a, ChangeKind::Created, Some(x), json!({}))]).await;
    commit(store, 71, vec![change(&b, ChangeKind::Created, Some(x), json!({}))]).await;
    assert_eq!(item(store, &a).await.arn, None, "the old holder loses the ARN");
    assert_eq!(item(store, &b).await.arn.as_deref(), Some(x));
    assert_eq!(store.item_by_arn(x).await.expect("reads").map(|i| i.key), Some(b.clone()));

    commit(store, 72, vec![change(&b, ChangeKind::Changed, Some(y), json!({"v": 2}))]).await;
    assert_eq!(store.item_by_arn(x).await.expect("reads"), None, "the old ARN is free");
    assert_eq!(store.item_by_arn(y).await.expect("reads").map(|i| i.key), Some(b.clone()));

    commit(store, 73, vec![change(&b, ChangeKind::Deleted, None, json!({}))]).await;
    assert_eq!(item(store, &b).await.arn.as_deref(), Some(y), "a deletion keeps the last known ARN");
    assert_eq!(store.item_by_arn(y).await.expect("reads").map(|i| i.key), Some(b.clone()));

    // Within one changeset: a takes y from b, then b takes x.
    commit(
        store,
        74,
        vec![
            change(&a, ChangeKind::Changed, Some(y), json!({"v": 3})),
            change(&b, ChangeKind::Created, Some(x), json!({})),
        ],
    )
    .await;
    assert_eq!(store.item_by_arn(y).await.expect("reads").map(|i| i.key), Some(a.clone()));
    assert_eq!(store.item_by_arn(x).await.expect("reads").map(|i| i.key), Some(b.clone()));
    assert_eq!(item(store, &a).await.arn.as_deref(), Some(y));
    assert_eq!(item(store, &b).await.arn.as_deref(), Some(x));
    assert_eq!(store.item_by_arn("arn:conf:arn:none").await.expect("reads"), None);
    delete_accounts(store, &[&owner]).await;
}

/// An audit replaces an item's issues, keeps stored justifications (whatever the audit carries)
/// and sets the item's scores.
pub async fn audits_replace_issues_and_keep_justifications(store: &dyn Store) {
    let owner = account("conf-audit", 900_000_001_101);
    put_accounts(store, &[&owner]).await;
    let k = key("conf-audit", 900_000_001_101, "us-east-1", "bucket");
    let other = key("conf-audit", 900_000_001_101, "us-east-1", "other");
    commit(
        store,
        80,
        vec![change(&k, ChangeKind::Created, None, json!({})), change(&other, ChangeKind::Created, None, json!({}))],
    )
    .await;
    let i1 = issue(&k, "c1", "n1", 5);
    let i2 = issue(&k, "c1", "n2", 3);
    let mut i3 = issue(&k, "c2", "", 10);
    i3.fixed = true;
    let audit = AuditCommit {
        at: at(81),
        items: vec![ItemAudit { item: k.clone(), issues: vec![i3.clone(), i1.clone(), i2.clone()] }],
    };
    store.commit_audit(&audit).await.expect("the audit commits");
    assert_eq!(
        store.issues(&k).await.expect("reads"),
        vec![i1.clone(), i2.clone(), i3.clone()],
        "issues are listed by (check, notes)"
    );
    let scored = item(store, &k).await;
    assert_eq!((scored.score, scored.unjustified_score), (8, 8), "fixed issues do not count");

    let j1 = justification("alice@example.com", "accepted");
    let justified = store.justify(&i1.key, Some(j1.clone())).await.expect("justifies");
    assert_eq!(justified.justification, Some(j1.clone()));
    let scored = item(store, &k).await;
    assert_eq!((scored.score, scored.unjustified_score), (8, 3));

    let mut i1_again = i1.clone();
    i1_again.score = 6;
    let mut i2_claims = i2.clone();
    i2_claims.justification = Some(justification("mallory@example.com", "forged"));
    let i4 = issue(&k, "c3", "n", 1);
    let audit = AuditCommit {
        at: at(82),
        items: vec![ItemAudit { item: k.clone(), issues: vec![i1_again.clone(), i2_claims, i4.clone()] }],
    };
    store.commit_audit(&audit).await.expect("the audit commits");
    let issues = store.issues(&k).await.expect("reads");
    let mut expected_i1 = i1_again;
    expected_i1.justification = Some(j1);
    assert_eq!(issues, vec![expected_i1, i2.clone(), i4], "stored justifications are kept, carried ones ignored");
    let scored = item(store, &k).await;
    assert_eq!((scored.score, scored.unjustified_score), (10, 4));
    assert_eq!(scores(&issues), (10, 4));

    let min =
        |score| ItemQuery { accounts: vec![owner.number.clone()], min_score: Some(score), ..ItemQuery::default() };
    assert_eq!(keys_of(&store.search(&min(10)).await.expect("searches").items), vec![k.clone()]);
    assert_eq!(store.search(&min(11)).await.expect("searches").total, 0);

    let misplaced = AuditCommit {
        at: at(83),
        items: vec![ItemAudit { item: k.clone(), issues: vec![issue(&other, "c9", "", 1)] }],
    };
    let error = store.commit_audit(&misplaced).await.expect_err("an issue of another item is refused");
    assert!(matches!(error, StoreError::Invalid(_)), "{error}");
    assert_eq!(store.issues(&k).await.expect("reads"), issues);
    assert!(store.issues(&other).await.expect("reads").is_empty());
    delete_accounts(store, &[&owner]).await;
}

/// An audit that fails part-way changes nothing.
pub async fn audits_are_atomic(store: &dyn Store) {
    let owner = account("conf-audit-atomic", 900_000_001_201);
    put_accounts(store, &[&owner]).await;
    let k = key("conf-audit-atomic", 900_000_001_201, "us-east-1", "known");
    let unknown = key("conf-audit-atomic", 900_000_001_201, "us-east-1", "unknown");
    commit(store, 90, vec![change(&k, ChangeKind::Created, None, json!({}))]).await;
    let i1 = issue(&k, "c1", "", 4);
    store
        .commit_audit(&AuditCommit { at: at(91), items: vec![ItemAudit { item: k.clone(), issues: vec![i1.clone()] }] })
        .await
        .expect("the audit commits");
    let refused = store
        .commit_audit(&AuditCommit {
            at: at(92),
            items: vec![
                ItemAudit { item: k.clone(), issues: vec![i1.clone(), issue(&k, "c2", "", 7)] },
                ItemAudit { item: unknown.clone(), issues: vec![issue(&unknown, "c1", "", 1)] },
            ],
        })
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
    assert_eq!(store.issues(&k).await.expect("reads"), vec![i1]);
    assert_eq!(item(store, &k).await.score, 4);
    delete_accounts(store, &[&owner]).await;
}

/// A unit's configurations and issues are read in one call each, and its changes commit
/// together with their audit, atomically.
pub async fn units_are_read_and_committed_whole(store: &dyn Store) {
    let owner = account("conf-unit", 900_000_001_251);
    put_accounts(store, &[&owner]).await;
    let n = 900_000_001_251;
    let (a, b) = (key("conf-unit", n, "us-east-1", "a"), key("conf-unit", n, "eu-west-1", "b"));
    let elsewhere = key("conf-unit-other", n, "us-east-1", "a");
    let unknown = key("conf-unit", n, "us-east-1", "unknown");
    let (ia, ib) = (issue(&a, "c1", "", 4), issue(&b, "c2", "x", 6));
    let first = changeset(
        95,
        vec![
            change(&a, ChangeKind::Created, Some("arn:conf:unit:a"), json!({"v": "a"})),
            change(&b, ChangeKind::Created, None, json!({"v": "b"})),
            change(&elsewhere, ChangeKind::Created, None, json!({"v": "elsewhere"})),
        ],
    );
    let audit = AuditCommit {
        at: at(95),
        items: vec![
            ItemAudit { item: a.clone(), issues: vec![ia.clone()] },
            ItemAudit { item: b.clone(), issues: vec![ib.clone()] },
            ItemAudit { item: elsewhere.clone(), issues: vec![issue(&elsewhere, "c3", "", 1)] },
        ],
    };
    let receipt = store.commit_audited(&first, &audit).await.expect("changes and their audit commit");
    assert_eq!(receipt.revisions.len(), 3);
    assert_eq!((item(store, &a).await.score, item(store, &b).await.score), (4, 6), "scores follow the audit");
    let unit = technology("conf-unit");
    let configs = store.configs_of(&owner.number, &unit).await.expect("reads");
    let listed: Vec<(ItemKey, serde_json::Value)> = configs.into_iter().map(|(i, c)| (i.key, c)).collect();
    assert_eq!(listed, vec![(b.clone(), json!({"v": "b"})), (a.clone(), json!({"v": "a"}))], "by (region, name)");
    assert_eq!(store.issues_of(&owner.number, &unit).await.expect("reads"), vec![ib.clone(), ia.clone()]);

    let mut fixed = ib.clone();
    fixed.fixed = true;
    let deletion = changeset(96, vec![change(&b, ChangeKind::Deleted, None, json!({}))]);
    let retired = AuditCommit { at: at(96), items: vec![ItemAudit { item: b.clone(), issues: vec![fixed.clone()] }] };
    store.commit_audited(&deletion, &retired).await.expect("commits");
    let active: Vec<ItemKey> =
        store.configs_of(&owner.number, &unit).await.expect("reads").into_iter().map(|(i, _)| i.key).collect();
    assert_eq!(active, vec![a.clone()], "deleted items have no configuration");
    assert_eq!(store.issues_of(&owner.number, &unit).await.expect("reads"), vec![fixed, ia.clone()]);

    let refused = store
        .commit_audited(
            &changeset(97, vec![change(&a, ChangeKind::Changed, None, json!({"v": "a2"}))]),
            &AuditCommit { at: at(97), items: vec![ItemAudit { item: unknown.clone(), issues: vec![] }] },
        )
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
    assert_eq!(store.revisions(&a).await.expect("reads").len(), 1, "the changeset was not applied either");
    assert_eq!(store.configs_of(&owner.number, &unit).await.expect("reads")[0].1, json!({"v": "a"}));
    delete_accounts(store, &[&owner]).await;
}

/// Justifying sets and clears one issue's justification and the item's unjustified score.
pub async fn justify_sets_and_clears(store: &dyn Store) {
    let owner = account("conf-justify", 900_000_001_301);
    put_accounts(store, &[&owner]).await;
    let k = key("conf-justify", 900_000_001_301, "us-east-1", "sg");
    commit(store, 100, vec![change(&k, ChangeKind::Created, None, json!({}))]).await;
    let open = issue(&k, "c1", "tcp/22", 5);
    store
        .commit_audit(&AuditCommit {
            at: at(101),
            items: vec![ItemAudit { item: k.clone(), issues: vec![open.clone()] }],
        })
        .await
        .expect("the audit commits");
    let reason = justification("bob@example.com", "bastion");
    let issue = store.justify(&open.key, Some(reason.clone())).await.expect("justifies");
    assert_eq!(issue.justification, Some(reason));
    assert_eq!(item(store, &k).await.unjustified_score, 0);
    let issue = store.justify(&open.key, None).await.expect("clears");
    assert_eq!(issue, open);
    assert_eq!(item(store, &k).await.unjustified_score, 5);
    let mut missing = open.key.clone();
    missing.notes = "tcp/23".into();
    let error = store.justify(&missing, None).await.expect_err("an unknown issue is refused");
    assert!(matches!(error, StoreError::NotFound { .. }), "{error}");
    delete_accounts(store, &[&owner]).await;
}

/// Search: filters ANDed, values within a filter ORed, names matched case-insensitively, newest
/// latest revision first (ties by key), paginated with a total; a limit of 0 means 100.
pub async fn search_filters_sorts_and_paginates(store: &dyn Store) {
    const A: u64 = 900_000_001_401;
    const B: u64 = 900_000_001_402;
    const C: u64 = 900_000_001_403;
    let (a, b, c) = (account("conf-search-a", A), account("conf-search-b", B), account("conf-search-c", C));
    put_accounts(store, &[&a, &b, &c]).await;
    let (x, y) = ("conf-search-x", "conf-search-y");
    let (east, west) = ("conf-east", "conf-west");
    let i0 = key(x, A, east, "Alpha-Web");
    let i1 = key(x, A, west, "beta-db");
    let i2 = key(y, A, east, "gamma-WEB");
    let i3 = key(y, B, east, "delta");
    let i4 = key(x, B, west, "web-epsilon");
    let i5 = key(y, B, west, "zeta");
    let i6 = key(x, A, east, "tie-b");
    let i7 = key(x, A, east, "tie-a");
    for (second, k) in [(100, &i0), (101, &i1), (102, &i2), (103, &i3), (104, &i4), (105, &i5)] {
        commit(store, second, vec![change(k, ChangeKind::Created, None, json!({}))]).await;
    }
    commit(
        store,
        106,
        vec![change(&i6, ChangeKind::Created, None, json!({})), change(&i7, ChangeKind::Created, None, json!({}))],
    )
    .await;
    commit(store, 108, vec![change(&i4, ChangeKind::Deleted, None, json!({}))]).await;
    store
        .commit_audit(&AuditCommit {
            at: at(109),
            items: vec![
                ItemAudit { item: i1.clone(), issues: vec![issue(&i1, "c", "", 7)] },
                ItemAudit { item: i3.clone(), issues: vec![issue(&i3, "c", "", 3)] },
            ],
        })
        .await
        .expect("the audit commits");

    let ab = vec![number(A), number(B)];
    let run = |query: ItemQuery| async move { store.search(&query).await.expect("searches") };
    let find = |query: ItemQuery| async move { keys_of(&store.search(&query).await.expect("searches").items) };
    let base = ItemQuery { accounts: ab.clone(), ..ItemQuery::default() };

    let all = run(base.clone()).await;
    assert_eq!(all.total, 8);
    let everything =
        vec![i4.clone(), i7.clone(), i6.clone(), i5.clone(), i3.clone(), i2.clone(), i1.clone(), i0.clone()];
    assert_eq!(keys_of(&all.items), everything, "newest first, ties by key");
    assert_eq!(
        find(ItemQuery { accounts: vec![number(A)], ..ItemQuery::default() }).await,
        vec![i7.clone(), i6.clone(), i2.clone(), i1.clone(), i0.clone()]
    );
    assert_eq!(
        find(ItemQuery { technologies: vec![technology(y)], ..base.clone() }).await,
        vec![i5.clone(), i3.clone(), i2.clone()]
    );
    assert_eq!(
        find(ItemQuery { technologies: vec![technology(x), technology(y)], ..base.clone() }).await,
        everything,
        "values within a filter are ORed"
    );
    assert_eq!(
        find(ItemQuery { regions: vec![west.into()], ..base.clone() }).await,
        vec![i4.clone(), i5.clone(), i1.clone()]
    );
    assert_eq!(
        find(ItemQuery { name_contains: Some("WEB".into()), ..base.clone() }).await,
        vec![i4.clone(), i2.clone(), i0.clone()],
        "names match case-insensitively"
    );
    assert_eq!(find(ItemQuery { min_score: Some(3), ..base.clone() }).await, vec![i3.clone(), i1.clone()]);
    assert_eq!(find(ItemQuery { min_score: Some(5), ..base.clone() }).await, vec![i1.clone()]);
    assert_eq!(find(ItemQuery { active: Some(false), ..base.clone() }).await, vec![i4.clone()]);
    assert_eq!(run(ItemQuery { active: Some(true), ..base.clone() }).await.total, 7);
    assert_eq!(
        find(ItemQuery {
            accounts: vec![number(B)],
            regions: vec![west.into()],
            active: Some(true),
            ..ItemQuery::default()
        })
        .await,
        vec![i5.clone()],
        "filters are ANDed"
    );
    let page = run(ItemQuery { offset: 2, limit: 3, ..base.clone() }).await;
    assert_eq!((page.total, keys_of(&page.items)), (8, vec![i6.clone(), i5.clone(), i3.clone()]));
    let past = run(ItemQuery { offset: 10, limit: 3, ..base.clone() }).await;
    assert_eq!((past.total, past.items.len()), (8, 0));

    let many: Vec<_> = (0..105)
        .map(|n| change(&key(x, C, east, &format!("many-{n:03}")), ChangeKind::Created, None, json!({})))
        .collect();
    commit(store, 110, many).await;
    let default_page = run(ItemQuery { accounts: vec![number(C)], ..ItemQuery::default() }).await;
    assert_eq!((default_page.total, default_page.items.len()), (105, 100), "a limit of 0 means 100");
    delete_accounts(store, &[&a, &b, &c]).await;
}

/// ARNs match exactly, the unjustified score ignores justified issues, and the configuration
/// filter matches the latest revision's JSON text case-insensitively; all combine with the
/// index filters and count in the total.
pub async fn search_filters_on_arns_unjustified_scores_and_configuration(store: &dyn Store) {
    const N: u64 = 900_000_001_501;
    let owner = account("conf-search-deep", N);
    put_accounts(store, &[&owner]).await;
    let tech = "conf-search-deep";
    let (p, q, r) = (key(tech, N, "eu", "p"), key(tech, N, "eu", "q"), key(tech, N, "us", "r"));
    commit(
        store,
        120,
        vec![
            change(&p, ChangeKind::Created, Some("arn:p"), json!({"Grants": ["AllUsers"], "t": 1})),
            change(&q, ChangeKind::Created, Some("arn:q"), json!({"Grants": ["owner"]})),
            change(&r, ChangeKind::Created, Some("arn:r"), json!({"Grants": ["allusers"]})),
        ],
    )
    .await;
    // q's configuration mentions AllUsers only in an older revision.
    commit(store, 121, vec![change(&q, ChangeKind::Changed, Some("arn:q"), json!({"Grants": ["AllUsers"]}))]).await;
    commit(store, 122, vec![change(&q, ChangeKind::Changed, Some("arn:q"), json!({"Grants": []}))]).await;
    store
        .commit_audit(&AuditCommit {
            at: at(123),
            items: vec![
                ItemAudit { item: p.clone(), issues: vec![issue(&p, "c", "1", 5), issue(&p, "c", "2", 4)] },
                ItemAudit { item: r.clone(), issues: vec![issue(&r, "c", "", 6)] },
            ],
        })
        .await
        .expect("the audit commits");
    store.justify(&issue(&p, "c", "1", 5).key, Some(justification("a@example.com", "fine"))).await.expect("justifies");

    let base = ItemQuery { accounts: vec![number(N)], ..ItemQuery::default() };
    let find = |query: ItemQuery| async move {
        let page = store.search(&query).await.expect("searches");
        (page.total, keys_of(&page.items))
    };
    let arns = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        find(ItemQuery { arns: arns(&["arn:p", "arn:r"]), ..base.clone() }).await,
        (2, vec![p.clone(), r.clone()])
    );
    assert_eq!(find(ItemQuery { arns: arns(&["arn:"]), ..base.clone() }).await, (0, vec![]), "ARNs match exactly");
    assert_eq!(find(ItemQuery { min_score: Some(9), ..base.clone() }).await, (1, vec![p.clone()]));
    assert_eq!(
        find(ItemQuery { min_unjustified_score: Some(5), ..base.clone() }).await,
        (1, vec![r.clone()]),
        "p's unjustified score is 4 once its 5 is justified"
    );
    assert_eq!(
        find(ItemQuery { min_unjustified_score: Some(4), ..base.clone() }).await,
        (2, vec![p.clone(), r.clone()])
    );
    assert_eq!(
        find(ItemQuery { config_contains: Some("ALLUSERS".into()), ..base.clone() }).await,
        (2, vec![p.clone(), r.clone()]),
        "the latest configuration only, case-insensitively"
    );
    assert_eq!(
        find(ItemQuery { config_contains: Some("\"t\":1".into()), ..base.clone() }).await,
        (1, vec![p.clone()]),
        "the compact JSON text, ephemeral fields included"
    );
    assert_eq!(
        find(ItemQuery {
            config_contains: Some("allusers".into()),
            min_unjustified_score: Some(1),
            regions: vec!["eu".into()],
            ..base.clone()
        })
        .await,
        (1, vec![p.clone()]),
        "filters are ANDed"
    );
    let page = store
        .search(&ItemQuery { config_contains: Some("grants".into()), offset: 1, limit: 1, ..base.clone() })
        .await
        .expect("searches");
    assert_eq!((page.total, keys_of(&page.items)), (3, vec![p.clone()]), "totals count every match");
    delete_accounts(store, &[&owner]).await;
}

/// Revisions of every item are searched across items, newest (highest id) first: filters on
/// the item's account, technology, region and name (case-insensitive substring) and on the
/// revision's activity, ANDed, values within one ORed; a page and the total of every match.
pub async fn revision_search_filters_and_pages_newest_first(store: &dyn Store) {
    const A: u64 = 900_000_001_451;
    const B: u64 = 900_000_001_452;
    let (a, b) = (account("conf-revs-a", A), account("conf-revs-b", B));
    put_accounts(store, &[&a, &b]).await;
    let (x, y) = ("conf-revs-x", "conf-revs-y");
    let (p, q, r) = (key(x, A, "eu", "Web-p"), key(y, A, "us", "db-q"), key(x, B, "us", "web-r"));
    let first = commit(
        store,
        140,
        vec![
            change(&p, ChangeKind::Created, None, json!({"v": 1})),
            change(&q, ChangeKind::Created, None, json!({"v": 1})),
        ],
    )
    .await;
    let second = commit(
        store,
        141,
        vec![
            change(&r, ChangeKind::Created, None, json!({"v": 1})),
            change(&p, ChangeKind::Changed, None, json!({"v": 2})),
        ],
    )
    .await;
    let third = commit(store, 142, vec![change(&q, ChangeKind::Deleted, None, json!({}))]).await;
    // An ephemeral change keeps its revision: nothing new to list.
    commit(store, 143, vec![change(&r, ChangeKind::Ephemeral, None, json!({"v": 1, "t": 9}))]).await;
    let (p1, q1) = (first.revisions[0].1, first.revisions[1].1);
    let (r1, p2) = (second.revisions[0].1, second.revisions[1].1);
    let q2 = third.revisions[0].1;

    let base = RevisionQuery { accounts: vec![number(A), number(B)], ..RevisionQuery::default() };
    let find = |query: RevisionQuery| async move {
        let page = store.search_revisions(&query).await.expect("searches");
        (page.total, page.items.iter().map(|s| s.id).collect::<Vec<_>>())
    };
    let all = store.search_revisions(&base).await.expect("searches");
    assert_eq!(all.total, 5);
    assert_eq!(all.items.iter().map(|s| s.id).collect::<Vec<_>>(), vec![q2, p2, r1, q1, p1], "newest first");
    let deletion = &all.items[0];
    assert_eq!((&deletion.item, deletion.active, deletion.created_at), (&q, false, at(142)));
    assert_eq!((&all.items[2].item, all.items[2].active, all.items[2].created_at), (&r, true, at(141)));

    assert_eq!(find(RevisionQuery { accounts: vec![number(B)], ..base.clone() }).await, (1, vec![r1]));
    assert_eq!(find(RevisionQuery { technologies: vec![technology(x)], ..base.clone() }).await, (3, vec![p2, r1, p1]));
    assert_eq!(
        find(RevisionQuery { technologies: vec![technology(x), technology(y), technology(x)], ..base.clone() }).await,
        (5, vec![q2, p2, r1, q1, p1]),
        "values within a filter are ORed, each once"
    );
    assert_eq!(
        find(RevisionQuery {
            technologies: vec![technology(x)],
            accounts: vec![number(A)],
            ..RevisionQuery::default()
        })
        .await,
        (2, vec![p2, p1])
    );
    assert_eq!(find(RevisionQuery { regions: vec!["us".into()], ..base.clone() }).await, (3, vec![q2, r1, q1]));
    assert_eq!(
        find(RevisionQuery { name_contains: Some("WEB".into()), ..base.clone() }).await,
        (3, vec![p2, r1, p1]),
        "names match case-insensitively"
    );
    assert_eq!(find(RevisionQuery { active: Some(false), ..base.clone() }).await, (1, vec![q2]));
    assert_eq!(find(RevisionQuery { active: Some(true), ..base.clone() }).await, (4, vec![p2, r1, q1, p1]));
    assert_eq!(
        find(RevisionQuery { active: Some(true), offset: 1, limit: 2, ..base.clone() }).await,
        (4, vec![r1, q1]),
        "the activity filter pages too"
    );
    assert_eq!(
        find(RevisionQuery { regions: vec!["us".into()], name_contains: Some("q".into()), ..base.clone() }).await,
        (2, vec![q2, q1]),
        "filters are ANDed"
    );
    assert_eq!(find(RevisionQuery { offset: 1, limit: 2, ..base.clone() }).await, (5, vec![p2, r1]));
    assert_eq!(find(RevisionQuery { offset: 9, limit: 2, ..base.clone() }).await, (5, vec![]));
    delete_accounts(store, &[&a, &b]).await;
    assert_eq!(find(base).await, (0, vec![]), "deleted with their items");
}

/// Distinct values start with a prefix (case-insensitive), sorted, at most a limit; accounts
/// offer the names of stored accounts.
pub async fn distinct_values_for_autocomplete(store: &dyn Store) {
    const N: u64 = 900_000_001_501;
    let owner = account("conf-distinct-b", N);
    let second = account("Conf-Distinct-a", 900_000_001_502);
    put_accounts(store, &[&owner, &second]).await;
    let (t1, t2) = ("conf-distinct-t1", "conf-distinct-t2");
    let changes = [
        key(t1, N, "conf-distinct-r2", "conf-distinct-n1"),
        key(t1, N, "Conf-Distinct-R1", "conf-distinct-n2"),
        key(t2, N, "conf-distinct-r2", "CONF-distinct-n3"),
        key(t2, N, "conf-distinct-r2", "conf-distinct-n1"),
    ]
    .iter()
    .map(|k| change(k, ChangeKind::Created, None, json!({})))
    .collect();
    commit(store, 120, changes).await;
    let distinct =
        |field, prefix: &'static str, limit| async move { store.distinct(field, prefix, limit).await.expect("reads") };
    assert_eq!(distinct(DistinctField::Technology, "CONF-DISTINCT", 10).await, vec![t1, t2]);
    assert_eq!(
        distinct(DistinctField::Region, "conf-distinct", 10).await,
        vec!["Conf-Distinct-R1", "conf-distinct-r2"]
    );
    assert_eq!(
        distinct(DistinctField::Name, "conf-distinct-", 10).await,
        vec!["CONF-distinct-n3", "conf-distinct-n1", "conf-distinct-n2"]
    );
    assert_eq!(distinct(DistinctField::Name, "conf-distinct-", 2).await, vec!["CONF-distinct-n3", "conf-distinct-n1"]);
    assert_eq!(distinct(DistinctField::Account, "conf-distinct", 10).await, vec!["Conf-Distinct-a", "conf-distinct-b"]);
    assert_eq!(distinct(DistinctField::Account, "CONF-DISTINCT", 1).await, vec!["Conf-Distinct-a"]);
    assert!(distinct(DistinctField::Name, "conf-no-such-prefix", 10).await.is_empty());
    delete_accounts(store, &[&owner, &second]).await;
}

/// Comments on items and on revisions: ids assigned, oldest first, deleted by id; a comment
/// needs an existing target and 1 to 1024 characters.
pub async fn comments_on_items_and_revisions(store: &dyn Store) {
    const N: u64 = 900_000_001_601;
    let owner = account("conf-comments", N);
    put_accounts(store, &[&owner]).await;
    let k = key("conf-comments", N, "us-east-1", "vpc");
    let revision = commit(store, 130, vec![change(&k, ChangeKind::Created, None, json!({}))]).await.revisions[0].1;
    let on_item = CommentTarget::Item(k.clone());
    let on_revision = CommentTarget::Revision(revision);
    let newer = Comment::new(on_item.clone(), "a@example.com", at(200), "newer").expect("valid");
    let about_revision = Comment::new(on_revision.clone(), "b@example.com", at(201), "revision").expect("valid");
    let older = Comment::new(on_item.clone(), "c@example.com", at(199), "older").expect("valid");
    let newer_id = store.add_comment(&newer).await.expect("stored");
    let revision_id = store.add_comment(&about_revision).await.expect("stored");
    let older_id = store.add_comment(&older).await.expect("stored");
    let ids: BTreeSet<_> = [newer_id, revision_id, older_id].into_iter().collect();
    assert_eq!(ids.len(), 3, "comment ids are unique");
    let listed = store.comments(&on_item).await.expect("reads");
    assert_eq!(
        listed,
        vec![Comment { id: older_id, ..older.clone() }, Comment { id: newer_id, ..newer }],
        "comments are listed oldest first"
    );
    assert_eq!(store.comments(&on_revision).await.expect("reads"), vec![Comment { id: revision_id, ..about_revision }]);

    let ghost =
        Comment::new(CommentTarget::Item(key("conf-comments", N, "us-east-1", "ghost")), "a@example.com", at(1), "x")
            .expect("valid");
    assert!(matches!(store.add_comment(&ghost).await, Err(StoreError::NotFound { .. })));
    let ghost_revision = Comment { target: CommentTarget::Revision(monkey_core::model::RevisionId(u64::MAX)), ..ghost };
    assert!(matches!(store.add_comment(&ghost_revision).await, Err(StoreError::NotFound { .. })));
    let empty = Comment { text: "  ".into(), ..older.clone() };
    assert!(matches!(store.add_comment(&empty).await, Err(StoreError::Invalid(_))));
    let long = Comment { text: "x".repeat(1025), ..older.clone() };
    assert!(matches!(store.add_comment(&long).await, Err(StoreError::Invalid(_))));

    assert_eq!(store.comment(older_id).await.expect("reads"), Some(Comment { id: older_id, ..older.clone() }));
    assert!(store.delete_comment(newer_id).await.expect("deletes"));
    assert!(!store.delete_comment(newer_id).await.expect("deletes"));
    assert_eq!(store.comment(newer_id).await.expect("reads"), None, "a deleted comment is gone");
    assert_eq!(store.comments(&on_item).await.expect("reads"), vec![Comment { id: older_id, ..older }]);
    delete_accounts(store, &[&owner]).await;
}

/// Score overrides, the ignore list, the whitelist and watcher configurations are stored,
/// replaced, listed in order and deleted.
pub async fn settings_round_trip(store: &dyn Store) {
    let ours = |t: &str| t.starts_with("conf-set-");
    let over = |tech: &str, check: &str, score| ScoreOverride {
        technology: technology(tech),
        check: check.into(),
        score: Some(score),
        disabled: false,
        account_patterns: vec!["name.prod*=9".parse().expect("a valid pattern")],
    };
    for o in [over("conf-set-b", "c2", 1), over("conf-set-a", "c1", 2), over("conf-set-a", "c0", 3)] {
        store.put_score_override(&o).await.expect("stored");
    }
    store.put_score_override(&over("conf-set-a", "c1", 20)).await.expect("replaced");
    let listed: Vec<_> =
        store.score_overrides().await.expect("reads").into_iter().filter(|o| ours(o.technology.as_str())).collect();
    assert_eq!(listed, vec![over("conf-set-a", "c0", 3), over("conf-set-a", "c1", 20), over("conf-set-b", "c2", 1)]);
    for (tech, check) in [("conf-set-a", "c0"), ("conf-set-a", "c1"), ("conf-set-b", "c2")] {
        assert!(store.delete_score_override(&technology(tech), check).await.expect("deletes"));
    }
    assert!(!store.delete_score_override(&technology("conf-set-a"), "c0").await.expect("deletes"));

    let ignore =
        |tech: &str, prefix: &str, notes: &str| IgnoreEntry::new(technology(tech), prefix, notes).expect("valid");
    for entry in
        [ignore("conf-set-b", "logs-", ""), ignore("conf-set-a", "tmp-", ""), ignore("conf-set-a", "test-", "")]
    {
        store.put_ignore_entry(&entry).await.expect("stored");
    }
    store.put_ignore_entry(&ignore("conf-set-a", "tmp-", "scratch")).await.expect("replaced");
    let listed: Vec<_> =
        store.ignore_entries().await.expect("reads").into_iter().filter(|e| ours(e.technology.as_str())).collect();
    assert_eq!(
        listed,
        vec![
            ignore("conf-set-a", "test-", ""),
            ignore("conf-set-a", "tmp-", "scratch"),
            ignore("conf-set-b", "logs-", "")
        ]
    );
    for (tech, prefix) in [("conf-set-a", "test-"), ("conf-set-a", "tmp-"), ("conf-set-b", "logs-")] {
        assert!(store.delete_ignore_entry(&technology(tech), prefix).await.expect("deletes"));
    }
    assert!(!store.delete_ignore_entry(&technology("conf-set-b"), "logs-").await.expect("deletes"));

    let net = |name: &str, cidr: &str| NetworkWhitelistEntry::new(name, cidr, "").expect("valid");
    for entry in [net("conf-set-w2", "10.0.0.0/8"), net("conf-set-w1", "192.0.2.0/24")] {
        store.put_whitelist_entry(&entry).await.expect("stored");
    }
    store.put_whitelist_entry(&net("conf-set-w2", "2001:db8::/32")).await.expect("replaced");
    let listed: Vec<_> = store.whitelist().await.expect("reads").into_iter().filter(|e| ours(&e.name)).collect();
    assert_eq!(listed, vec![net("conf-set-w1", "192.0.2.0/24"), net("conf-set-w2", "2001:db8::/32")]);
    assert!(store.delete_whitelist_entry("conf-set-w1").await.expect("deletes"));
    assert!(store.delete_whitelist_entry("conf-set-w2").await.expect("deletes"));
    assert!(!store.delete_whitelist_entry("conf-set-w2").await.expect("deletes"));

    let config = |tech: &str, minutes, enabled| WatcherConfig {
        enabled,
        ..WatcherConfig::new(technology(tech), Interval::from_minutes(minutes).expect("valid"))
    };
    store.put_watcher_config(&config("conf-set-b", 60, true)).await.expect("stored");
    store.put_watcher_config(&config("conf-set-a", 15, true)).await.expect("stored");
    store.put_watcher_config(&config("conf-set-a", 120, false)).await.expect("replaced");
    let mut per_account = config("conf-set-c", 60, true);
    per_account.account_intervals.insert(number(1), Interval::MIN);
    store.put_watcher_config(&per_account).await.expect("stored");
    let read = store.watcher_configs().await.expect("reads");
    let read = read.iter().find(|c| c.technology.as_str() == "conf-set-c").expect("stored");
    assert_eq!(read.interval_for(&number(1)), Interval::MIN);
    assert_eq!(read.interval_for(&number(2)), Interval::HOURLY);
    store.put_watcher_config(&config("conf-set-c", 60, true)).await.expect("replaced");
    let listed: Vec<_> =
        store.watcher_configs().await.expect("reads").into_iter().filter(|c| ours(c.technology.as_str())).collect();
    assert_eq!(
        listed,
        vec![config("conf-set-a", 120, false), config("conf-set-b", 60, true), config("conf-set-c", 60, true)]
    );
}

/// Users are keyed by their lower-cased e-mail, listed by it, replaced and deleted.
pub async fn users_are_keyed_by_lower_cased_email(store: &dyn Store) {
    let b = User::new("conf-b@example.com", Role::View).expect("valid");
    let shouting =
        User { email: "Conf-A@Example.com".into(), ..User::new("x@example.com", Role::Justify).expect("valid") };
    store.put_user(&b).await.expect("stored");
    store.put_user(&shouting).await.expect("stored");
    let a = User { email: "conf-a@example.com".into(), ..shouting };
    assert_eq!(store.user("conf-a@example.com").await.expect("reads"), Some(a.clone()));
    assert_eq!(store.user("CONF-A@EXAMPLE.COM").await.expect("reads"), Some(a.clone()));
    let listed: Vec<_> =
        store.users().await.expect("reads").into_iter().filter(|u| u.email.starts_with("conf-")).collect();
    assert_eq!(listed, vec![a.clone(), b.clone()]);
    let promoted = User { role: Role::Admin, ..b.clone() };
    store.put_user(&promoted).await.expect("replaced");
    assert_eq!(store.user(&b.email).await.expect("reads"), Some(promoted));
    let invalid = User { email: "not-an-address".into(), ..b.clone() };
    assert!(matches!(store.put_user(&invalid).await, Err(StoreError::Invalid(_))));
    assert!(store.delete_user("CONF-B@example.com").await.expect("deletes"));
    assert!(!store.delete_user("conf-b@example.com").await.expect("deletes"));
    assert!(store.delete_user("conf-a@example.com").await.expect("deletes"));
}

/// Every item, through paginated searches.
async fn all_items(store: &dyn Store) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    loop {
        let query = ItemQuery { offset: items.len(), limit: 500, ..ItemQuery::default() };
        let page = store.search(&query).await.map_err(|e| format!("search: {e}"))?;
        let done = page.items.is_empty() || items.len() + page.items.len() >= page.total;
        items.extend(page.items);
        if done {
            return Ok(items);
        }
    }
}

/// Checks, through the trait alone, what must hold of any store at any time: every item's latest
/// revision exists, is its newest and agrees with it; the ARN lookup, the per-account listing
/// and the search agree with the items; scores agree with issues. Returns how many items it
/// checked, or what is wrong.
pub async fn check_invariants(store: &dyn Store) -> Result<usize, String> {
    let fail = |e: StoreError| e.to_string();
    let items = all_items(store).await?;
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for pair in items.windows(2) {
        if pair[0].latest_revision_at < pair[1].latest_revision_at {
            problems.push(format!("search lists {} before the newer {}", pair[0].key, pair[1].key));
        }
    }
    for item in &items {
        let k = &item.key;
        if !seen.insert(k.clone()) {
            problems.push(format!("search lists {k} twice"));
        }
        let revisions = store.revisions(k).await.map_err(fail)?;
        match revisions.first() {
            None => problems.push(format!("{k} has no revisions")),
            Some(newest) => {
                if newest.id != item.latest_revision {
                    problems.push(format!(
                        "{k} points at {} but its newest revision is {}",
                        item.latest_revision, newest.id
                    ));
                }
                if newest.active != item.active
                    || newest.created_at != item.latest_revision_at
                    || newest.complete_hash != item.complete_hash
                    || newest.durable_hash != item.durable_hash
                {
                    problems.push(format!("{k} disagrees with its latest revision"));
                }
            }
        }
        if !revisions.windows(2).all(|w| w[0].id > w[1].id) || revisions.iter().any(|r| &r.item != k) {
            problems.push(format!("the history of {k} is out of order or mixed"));
        }
        if store.revision(item.latest_revision).await.map_err(fail)?.as_ref() != revisions.first() {
            problems.push(format!("revision {} of {k} reads differently by id", item.latest_revision));
        }
        if let Some(arn) = &item.arn {
            let holder = store.item_by_arn(arn).await.map_err(fail)?;
            if holder.as_ref().map(|h| &h.key) != Some(k) {
                problems.push(format!("the ARN {arn} of {k} leads elsewhere"));
            }
        }
        let listed = store.items_of(&k.account, &k.technology).await.map_err(fail)?;
        if listed.iter().filter(|i| i == &item).count() != 1 {
            problems.push(format!("{k} is not listed once, as stored, among its account's items"));
        }
        let issues: Vec<Issue> = store.issues(k).await.map_err(fail)?;
        if scores(&issues) != (item.score, item.unjustified_score) {
            problems.push(format!("the scores of {k} disagree with its issues"));
        }
    }
    if problems.is_empty() { Ok(items.len()) } else { Err(problems.join("; ")) }
}

/// Writes a little of everything, for [`snapshot`] to read back after reopening.
pub async fn write_sample(store: &dyn Store) {
    const N: u64 = 900_000_001_701;
    let owner = account("sample", N);
    put_accounts(store, &[&owner]).await;
    let role = key("iamrole", N, "universal", "admin");
    let group = key("securitygroup", N, "eu-west-1", "sg-1");
    commit(
        store,
        300,
        vec![
            change(
                &role,
                ChangeKind::Created,
                Some("arn:aws:iam::900000001701:role/admin"),
                json!({"Path": "/", "t": 1}),
            ),
            change(&group, ChangeKind::Created, None, json!({"rules": [22]})),
        ],
    )
    .await;
    commit(store, 301, vec![change(&role, ChangeKind::Ephemeral, None, json!({"Path": "/", "t": 2}))]).await;
    let changed =
        commit(store, 302, vec![change(&group, ChangeKind::Changed, None, json!({"rules": [22, 443]}))]).await;
    let open = issue(&group, "securitygroup-open-to-world", "tcp/22", 10);
    store
        .commit_audit(&AuditCommit {
            at: at(303),
            items: vec![ItemAudit { item: group.clone(), issues: vec![open.clone(), issue(&group, "x", "y", 1)] }],
        })
        .await
        .expect("the audit commits");
    store.justify(&open.key, Some(justification("ops@example.com", "bastion"))).await.expect("justifies");
    for target in [CommentTarget::Item(group.clone()), CommentTarget::Revision(changed.revisions[0].1)] {
        let comment = Comment::new(target, "ops@example.com", at(304), "looked at it").expect("valid");
        store.add_comment(&comment).await.expect("stored");
    }
    let patterns = vec!["name.sample=2".parse().expect("valid")];
    let over = ScoreOverride {
        technology: technology("s3"),
        check: "s3-bucket-public-read".into(),
        score: None,
        disabled: true,
        account_patterns: patterns,
    };
    store.put_score_override(&over).await.expect("stored");
    store
        .put_ignore_entry(&IgnoreEntry::new(technology("s3"), "logs-", "noise").expect("valid"))
        .await
        .expect("stored");
    store
        .put_whitelist_entry(&NetworkWhitelistEntry::new("office", "10.0.0.0/8", "").expect("valid"))
        .await
        .expect("stored");
    let config = WatcherConfig { enabled: false, ..WatcherConfig::new(technology("s3"), Interval::HOURLY) };
    store.put_watcher_config(&config).await.expect("stored");
    store.put_user(&User::new("ops@example.com", Role::Admin).expect("valid")).await.expect("stored");
}

/// Everything a store holds, as read through the trait.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Accounts.
    pub accounts: Vec<Account>,
    /// Items, newest first.
    pub items: Vec<Item>,
    /// Each item's revisions, newest first.
    pub revisions: Vec<Vec<Revision>>,
    /// Each item's issues.
    pub issues: Vec<Vec<Issue>>,
    /// Each item's comments, then each revision's.
    pub comments: Vec<Vec<Comment>>,
    /// Score overrides.
    pub score_overrides: Vec<ScoreOverride>,
    /// The ignore list.
    pub ignore_entries: Vec<IgnoreEntry>,
    /// The whitelist.
    pub whitelist: Vec<NetworkWhitelistEntry>,
    /// Watcher configurations.
    pub watcher_configs: Vec<WatcherConfig>,
    /// Users.
    pub users: Vec<User>,
}

/// Reads everything the store holds.
pub async fn snapshot(store: &dyn Store) -> Snapshot {
    let items = all_items(store).await.expect("items read");
    let mut revisions = Vec::new();
    let mut issues = Vec::new();
    let mut comments = Vec::new();
    for item in &items {
        let history = store.revisions(&item.key).await.expect("reads");
        comments.push(store.comments(&CommentTarget::Item(item.key.clone())).await.expect("reads"));
        for revision in &history {
            comments.push(store.comments(&CommentTarget::Revision(revision.id)).await.expect("reads"));
        }
        revisions.push(history);
        issues.push(store.issues(&item.key).await.expect("reads"));
    }
    Snapshot {
        accounts: store.accounts().await.expect("reads"),
        items,
        revisions,
        issues,
        comments,
        score_overrides: store.score_overrides().await.expect("reads"),
        ignore_entries: store.ignore_entries().await.expect("reads"),
        whitelist: store.whitelist().await.expect("reads"),
        watcher_configs: store.watcher_configs().await.expect("reads"),
        users: store.users().await.expect("reads"),
    }
}

/// Runs: newest first across units, the latest per unit, bounded history, and gone with
/// their account.
pub async fn runs_are_kept_newest_first(store: &dyn Store) {
    use monkey_core::model::{RunOutcome, RunRecord};
    use monkey_core::store::RUNS_KEPT;
    let account = account("conf-runs", 880);
    put_accounts(store, &[&account]).await;
    let run = |tech: &str, seconds: i64| RunRecord::start(account.number.clone(), technology(tech), at(seconds));
    let mut first = run("s3", 10);
    store.put_run(&first).await.expect("stored");
    store.put_run(&run("iamrole", 20)).await.expect("stored");
    first.outcome = RunOutcome::Succeeded;
    first.finished_at = Some(at(15));
    first.created = 3;
    store.put_run(&first).await.expect("replaced");
    let newest = store.runs(10).await.expect("reads");
    let ours: Vec<_> = newest.iter().filter(|r| r.account == account.number).collect();
    assert_eq!(ours.len(), 2);
    assert_eq!(ours[0].technology.as_str(), "iamrole", "newest first");
    assert_eq!(ours[1], &first, "a finished run replaces its start");
    assert_eq!(store.runs(1).await.expect("reads").len(), 1);

    // An older run stored late does not replace the latest.
    store.put_run(&run("s3", 5)).await.expect("stored");
    let last: Vec<_> =
        store.last_runs().await.expect("reads").into_iter().filter(|r| r.account == account.number).collect();
    assert_eq!(
        last.iter().map(|r| (r.technology.as_str(), r.started_at)).collect::<Vec<_>>(),
        vec![("iamrole", at(20)), ("s3", at(10))]
    );

    for n in 0..RUNS_KEPT as i64 + 5 {
        store.put_run(&run("ebsvolume", 100 + n)).await.expect("stored");
    }
    let all = store.runs(usize::MAX).await.expect("reads");
    let volumes: Vec<_> =
        all.iter().filter(|r| r.account == account.number && r.technology.as_str() == "ebsvolume").collect();
    assert_eq!(volumes.len(), RUNS_KEPT, "history is bounded per unit");
    assert_eq!(volumes.last().map(|r| r.started_at), Some(at(105)), "the oldest went first");

    delete_accounts(store, &[&account]).await;
    assert!(store.runs(usize::MAX).await.expect("reads").iter().all(|r| r.account != account.number));
    assert!(store.last_runs().await.expect("reads").iter().all(|r| r.account != account.number));
}

/// The outbox: an id is queued once, due entries come earliest first, an update moves an entry
/// between states, and finished entries are dropped once older than `OUTBOX_KEPT`.
pub async fn outbox_holds_each_message_once(store: &dyn Store) {
    use monkey_core::model::{Channel, OUTBOX_KEPT, OutboxEntry, OutboxState};
    use monkey_core::notifier::Message;
    let entry = |id: &str, seconds: i64| {
        let message = Message {
            id: format!("conf-outbox/{id}"),
            recipients: vec!["team@example.com".into()],
            subject: format!("subject {id}"),
            text: "text".into(),
            html: Some("<p>html</p>".into()),
        };
        OutboxEntry::new(message, Channel::Mail, at(seconds))
    };
    let ours = |entries: Vec<OutboxEntry>| -> Vec<OutboxEntry> {
        entries.into_iter().filter(|e| e.message.id.starts_with("conf-outbox/")).collect()
    };
    let (a, b, c) = (entry("a", 30), entry("b", 10), entry("c", 20));
    assert_eq!(store.enqueue(&[a.clone(), b.clone()]).await.expect("queued"), 2);
    let mut changed_a = a.clone();
    changed_a.message.subject = "a second rendering".into();
    assert_eq!(store.enqueue(&[changed_a, c.clone()]).await.expect("queued"), 1, "a known id is not queued again");
    let due = ours(store.outbox_due(at(25), 10).await.expect("reads"));
    assert_eq!(due, vec![b.clone(), c.clone()], "due entries, earliest first; a is not due yet");
    assert_eq!(ours(store.outbox_due(at(25), 1).await.expect("reads")).len(), 1);
    let listed = ours(store.outbox(10).await.expect("reads"));
    assert_eq!(
        listed.iter().map(|e| e.message.id.as_str()).collect::<Vec<_>>(),
        ["conf-outbox/a", "conf-outbox/c", "conf-outbox/b"]
    );
    assert_eq!(listed[0].message.subject, "subject a", "the first rendering is kept");

    let failed = b.clone().failed("connection refused".into(), true, at(26));
    store.update_outbox(&failed).await.expect("updated");
    let due = ours(store.outbox_due(at(40), 10).await.expect("reads"));
    assert_eq!(due.iter().map(|e| e.message.id.as_str()).collect::<Vec<_>>(), ["conf-outbox/c", "conf-outbox/a"]);
    let due = ours(store.outbox_due(at(90), 10).await.expect("reads"));
    assert_eq!(due.last(), Some(&failed), "retried after its backoff");

    let sent = c.clone().delivered(at(41));
    store.update_outbox(&sent).await.expect("updated");
    assert!(ours(store.outbox_due(at(1_000), 10).await.expect("reads")).iter().all(|e| e.message.id != c.message.id));
    assert_eq!(store.enqueue(std::slice::from_ref(&c)).await.expect("queued"), 0, "a delivered id is not queued again");
    let listed = ours(store.outbox(10).await.expect("reads"));
    assert_eq!(listed.iter().find(|e| e.message.id == c.message.id).map(|e| e.state), Some(OutboxState::Delivered));

    let ghost = entry("ghost", 1);
    assert!(matches!(store.update_outbox(&ghost).await, Err(StoreError::NotFound { .. })));

    // Finishing an entry long after drops finished ones older than OUTBOX_KEPT.
    let later = at(41 + OUTBOX_KEPT.as_secs() as i64 + 1);
    store.update_outbox(&a.clone().delivered(later)).await.expect("updated");
    let listed = ours(store.outbox(10).await.expect("reads"));
    assert!(listed.iter().all(|e| e.message.id != c.message.id), "c was dropped");
    assert!(listed.iter().any(|e| e.message.id == a.message.id));
    assert_eq!(store.enqueue(std::slice::from_ref(&c)).await.expect("queued"), 1, "a forgotten id may be queued anew");
    for id in ["a", "b", "c"] {
        let done = entry(id, 0).delivered(later);
        store.update_outbox(&done).await.expect("updated");
    }
}
