//! The redb backend's own tests: table naming, scans across tables, buffered writes.
#![allow(clippy::unwrap_used)] // a test fails by panicking

use super::*;
use crate::kv::KvRead;
use monkey_core::store::StoreError;
use proptest::prelude::*;
use std::collections::BTreeMap;

#[test]
fn tables_are_named_by_first_byte() {
    assert_eq!(table_name(0x30), "monkey-30");
    assert_eq!(table_byte("monkey-30"), Some(0x30));
    assert_eq!(table_byte("monkey-ff"), Some(0xff));
    for other in ["monkey", "monkey-", "monkey-3", "monkey-300", "monkey-zz", "other-30"] {
        assert_eq!(table_byte(other), None, "{other}");
    }
}

#[test]
fn a_scan_of_every_key_crosses_tables_in_key_order() {
    let dir = tempfile::tempdir().unwrap();
    let kv: &dyn Kv = &RedbKv::open(&dir.path().join("kv.redb")).unwrap();
    let keys = |r: &dyn KvRead| r.keys(b"").unwrap();
    let inside = kv
        .write_with(|w| {
            for key in [&b"\x30b"[..], b"\x10a", b"", b"\x30a", b"\xff"] {
                w.put(key, b"v")?;
            }
            // Tables created by this transaction, before it commits.
            Ok(keys(w))
        })
        .unwrap();
    let expected: Vec<Vec<u8>> = [&b""[..], b"\x10a", b"\x30a", b"\x30b", b"\xff"].map(<[u8]>::to_vec).into();
    assert_eq!(inside, expected);
    assert_eq!(kv.read_with(|r| Ok(keys(r))).unwrap(), expected);
    // Once committed, a later transaction finds them without having opened them.
    assert_eq!(kv.write_with(|w| Ok(keys(w))).unwrap(), expected);
    assert_eq!(kv.read_with(|r| r.get(b"\x10a")).unwrap().as_deref(), Some(&b"v"[..]));
    assert_eq!(kv.read_with(|r| r.get(b"\x11a")).unwrap(), None, "a table never written reads as empty");
}

/// One step of a write transaction.
#[derive(Debug, Clone)]
enum Step {
    Put(Vec<u8>, Vec<u8>),
    Delete(Vec<u8>),
    Get(Vec<u8>),
    Scan(Vec<u8>),
}

/// Keys in a few tables, short enough that transactions write between, over and next to
/// each other's keys.
fn key() -> impl Strategy<Value = Vec<u8>> {
    (prop::sample::select(vec![0x10u8, 0x30, 0x31]), prop::collection::vec(0u8..4, 0..3))
        .prop_map(|(table, rest)| [vec![table], rest].concat())
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (key(), prop::collection::vec(any::<u8>(), 0..24)).prop_map(|(k, v)| Step::Put(k, v)),
        2 => key().prop_map(Step::Delete),
        1 => key().prop_map(Step::Get),
        1 => prop::collection::vec(prop::sample::select(vec![0x10u8, 0x30, 0x31, 0]), 0..3).prop_map(Step::Scan),
    ]
}

/// What `model` holds under `prefix`, in key order.
fn under(model: &BTreeMap<Vec<u8>, Vec<u8>>, prefix: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    model.iter().filter(|(k, _)| k.starts_with(prefix)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Transactions of puts, deletes and reads, committed or failed, with changes applied
    /// to the tables every few bytes or only at commit, read and end as a map does.
    #[test]
    fn writes_read_and_commit_as_a_map_does(
        transactions in prop::collection::vec((prop::collection::vec(step(), 0..40), any::<bool>()), 1..8),
        limit in prop::sample::select(vec![0usize, 40, 200, PENDING_BYTES]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut kv = RedbKv::open(&dir.path().join("kv.redb")).unwrap();
        kv.pending_limit = limit;
        let kv: &dyn Kv = &kv;
        let mut committed: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for (steps, commit) in transactions {
            let mut model = committed.clone();
            let result = kv.write_with(|w| {
                for step in &steps {
                    match step {
                        Step::Put(k, v) => {
                            w.put(k, v)?;
                            model.insert(k.clone(), v.clone());
                        }
                        Step::Delete(k) => {
                            w.delete(k)?;
                            model.remove(k);
                        }
                        Step::Get(k) => assert_eq!(w.get(k)?, model.get(k).cloned(), "get {k:?}"),
                        Step::Scan(prefix) => {
                            assert_eq!((w as &dyn KvRead).entries(prefix)?, under(&model, prefix), "scan {prefix:?}");
                        }
                    }
                }
                if commit { Ok(()) } else { Err(StoreError::NotFound { what: "a failed transaction".into() }) }
            });
            prop_assert_eq!(result.is_ok(), commit);
            if commit {
                committed = model;
            }
            prop_assert_eq!(kv.read_with(|r| r.entries(b"")).unwrap(), under(&committed, b""));
        }
    }
}

/// Values from a few bytes to several pages, new and overwritten, in runs and alone.
#[test]
fn values_larger_than_a_page_go_in_runs_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let kv: &dyn Kv = &RedbKv::open(&dir.path().join("kv.redb")).unwrap();
    let value = |n: usize, fill: u8| vec![fill; n];
    let sizes = [10, 4_000, 5_000, 100_000, 3_000_000, 20];
    let key = |i: usize| [&[0x30u8][..], &(i as u32).to_be_bytes()].concat();
    kv.write_with(|w| sizes.iter().enumerate().try_for_each(|(i, &n)| w.put(&key(2 * i), &value(n, 1)))).unwrap();
    // Between the stored keys and over them, sizes swapped end for end.
    kv.write_with(|w| {
        for (i, &n) in sizes.iter().rev().enumerate() {
            w.put(&key(2 * i + 1), &value(n, 2))?;
            w.put(&key(2 * i), &value(n, 3))?;
        }
        Ok(())
    })
    .unwrap();
    let stored = kv.read_with(|r| r.entries(&[0x30])).unwrap();
    let expected: Vec<(Vec<u8>, Vec<u8>)> = sizes
        .iter()
        .rev()
        .enumerate()
        .flat_map(|(i, &n)| [(key(2 * i), value(n, 3)), (key(2 * i + 1), value(n, 2))])
        .collect();
    assert_eq!(stored.len(), expected.len());
    assert!(stored == expected, "every value is back whole, in key order");
}
