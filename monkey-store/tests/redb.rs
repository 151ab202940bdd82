//! The redb store: conformance, reopening, locking and the kill -9 test, and the move of stores
//! written with one shared table to one table per first byte of the keys.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

backend_tests!(monkey_store::RedbStore, "redb", "monkey.redb");

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, TableHandle};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The one table stores were written in before each first byte of the keys had its own, and
/// the only one older monkeys read.
const SHARED: TableDefinition<&[u8], &[u8]> = TableDefinition::new("monkey");

/// The key of the schema version.
const VERSION: &[u8] = b"\x01schema_version";

/// The newest schema version of the monkeys that read only the shared table.
const LAST_SHARED_VERSION: u32 = 5;

/// Every entry of the file at `path`, by table name.
fn tables_of(path: &Path) -> BTreeMap<String, BTreeMap<Vec<u8>, Vec<u8>>> {
    let db = Database::create(path).unwrap();
    let txn = db.begin_read().unwrap();
    let mut tables = BTreeMap::new();
    for handle in txn.list_tables().unwrap() {
        let name = handle.name().to_owned();
        let table = txn.open_table(TableDefinition::<&[u8], &[u8]>::new(&name)).unwrap();
        let entries = table.iter().unwrap().map(|e| e.unwrap()).map(|(k, v)| (k.value().to_vec(), v.value().to_vec()));
        tables.insert(name, entries.collect());
    }
    tables
}

/// Whether the shared table holds only the schema version that older monkeys refuse, as in a
/// store split by first byte.
fn split(tables: &BTreeMap<String, BTreeMap<Vec<u8>, Vec<u8>>>) -> bool {
    let Some(shared) = tables.get("monkey") else { return false };
    let version = shared.get(VERSION).map(|v| u32::from_be_bytes(v.as_slice().try_into().unwrap()));
    shared.len() == 1 && version.is_some_and(|v| v > LAST_SHARED_VERSION)
}

/// Every entry of the file at `path` but the schema version, whichever table holds it.
fn entries_of(path: &Path) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let tables = tables_of(path);
    let split = split(&tables);
    let tables = tables.into_iter().filter(|(name, _)| !(split && name == "monkey"));
    tables.flat_map(|(_, entries)| entries).filter(|(key, _)| key != VERSION).collect()
}

/// Rewrites the store at `path` as stores of schema version 5 were written, every entry in the
/// one shared table; adds `filler` more entries under a first byte the store does not use.
/// Returns every entry but the schema version.
fn rewrite_as_shared_table(path: &Path, filler: u32) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut entries = entries_of(path);
    for n in 0..filler {
        let key = [&[0xf7_u8][..], &n.to_be_bytes()].concat();
        entries.insert(key, format!("filler {n} {}", "x".repeat((n % 200) as usize)).into_bytes());
    }
    let db = Database::create(path).unwrap();
    let txn = db.begin_write().unwrap();
    let names: Vec<String> = txn.list_tables().unwrap().map(|h| h.name().to_owned()).collect();
    for name in names {
        txn.delete_table(TableDefinition::<&[u8], &[u8]>::new(&name)).unwrap();
    }
    {
        let mut shared = txn.open_table(SHARED).unwrap();
        for (key, value) in &entries {
            shared.insert(key.as_slice(), value.as_slice()).unwrap();
        }
        shared.insert(VERSION, &LAST_SHARED_VERSION.to_be_bytes()[..]).unwrap();
    }
    txn.commit().unwrap();
    entries
}

#[tokio::test]
async fn a_store_written_with_one_shared_table_reopens_with_a_table_per_first_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("monkey.redb");
    let before = {
        let store = monkey_store::RedbStore::open(&path).unwrap();
        conformance::write_sample(&store).await;
        conformance::snapshot(&store).await
    };
    assert!(split(&tables_of(&path)), "a new store is split from the start");
    let entries = rewrite_as_shared_table(&path, 0);
    assert_eq!(tables_of(&path).keys().collect::<Vec<_>>(), ["monkey"]);

    let store = monkey_store::RedbStore::open(&path).unwrap();
    assert_eq!(conformance::snapshot(&store).await, before);
    let counts = store.verify().await.unwrap();
    assert_eq!((counts.items, counts.revisions, counts.comments), (2, 3, 2));
    conformance::write_sample(&store).await;
    drop(store);

    let tables = tables_of(&path);
    assert!(split(&tables), "older monkeys find only a version newer than theirs: {:?}", tables.get("monkey"));
    for (name, table) in tables.iter().filter(|(name, _)| *name != "monkey") {
        let byte = u8::from_str_radix(name.strip_prefix("monkey-").unwrap(), 16).unwrap();
        assert!(table.keys().all(|key| key.first() == Some(&byte)), "{name} holds only its byte's keys");
    }
    let after = entries_of(&path);
    assert!(entries.keys().all(|key| after.contains_key(key)), "no entry was lost");
    // Reopened once split, nothing moves again.
    drop(monkey_store::RedbStore::open(&path).unwrap());
    assert_eq!(tables_of(&path), tables);
}

/// The child side of `a_kill_while_splitting_the_shared_table_loses_nothing`: opens the store
/// named by the variable; does nothing when run on its own.
#[test]
#[ignore = "run by a_kill_while_splitting_the_shared_table_loses_nothing in a child process"]
fn split_child() {
    let Ok(path) = std::env::var("MONKEY_STORE_SPLIT_CHILD") else { return };
    println!("opening");
    monkey_store::RedbStore::open(&path).unwrap();
    println!("opened");
}

/// A child opens a store written with the shared table and is killed with SIGKILL while it
/// moves the entries (or compacts the file): the store reopens with every entry, in one
/// layout or the other, never half of each.
#[test]
fn a_kill_while_splitting_the_shared_table_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.redb");
    let before = runtime().block_on(async {
        let store = monkey_store::RedbStore::open(&template).unwrap();
        conformance::write_sample(&store).await;
        conformance::snapshot(&store).await
    });
    let entries = rewrite_as_shared_table(&template, 150_000);
    let mut interrupted = 0;
    for (round, delay) in [0, 30, 120, 400, 1200].into_iter().enumerate() {
        let path = dir.path().join(format!("round-{round}.redb"));
        std::fs::copy(&template, &path).unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "split_child", "--ignored", "--nocapture", "--test-threads=1"])
            .env("MONKEY_STORE_SPLIT_CHILD", &path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(lines.by_ref().map_while(Result::ok).any(|line| line.ends_with("opening")), "the child started");
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();
        let opened = lines.map_while(Result::ok).any(|line| line.ends_with("opened"));

        let tables = tables_of(&path);
        let shared = !split(&tables);
        assert!(!shared || tables.len() == 1, "round {round}: one layout, not both: {:?}", tables.keys());
        assert_eq!(entries_of(&path), entries, "round {round}: every entry is there");
        interrupted += usize::from(shared && !opened);
        eprintln!("round {round}: killed after {delay} ms, the shared table {}", if shared { "kept" } else { "split" });

        let snapshot = runtime().block_on(async {
            let store = monkey_store::RedbStore::open(&path).unwrap();
            store.verify().await.unwrap();
            conformance::snapshot(&store).await
        });
        assert_eq!(snapshot, before, "round {round}: the store reads as before");
        assert!(split(&tables_of(&path)));
    }
    assert!(interrupted > 0, "at least one kill landed before the split committed");
}
