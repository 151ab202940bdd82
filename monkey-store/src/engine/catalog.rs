//! The item catalog: the date index held in memory, so that item search, its total and the
//! distinct values of autocomplete answer without reading the disk at a million items.
//!
//! It mirrors the "items by date" table exactly: built from it when the store opens and kept
//! current by the write transactions, which report every put and delete of that table (see
//! [`Recorder`]) and apply them here once their commit succeeded. A reader may therefore see
//! the catalog a moment behind a commit still finishing, never ahead of one; a record that a
//! concurrent commit removed is skipped by the search that listed it.
//!
//! An entry costs about 120 bytes plus its name: some 150 MB at a million items.

use super::keys::{self, table};
use super::records::Summary;
use crate::kv::{KvRead, KvWrite, Visit};
use memchr::memmem;
use monkey_core::store::{ItemQuery, StoreResult};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{PoisonError, RwLock};

/// Interned field values (technologies, accounts, regions): few distinct ones, shared by many
/// items, compared as numbers while filtering.
#[derive(Default)]
struct Interner {
    values: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
    /// How many entries use each value, so values without items drop out of `distinct`.
    uses: Vec<usize>,
}

impl Interner {
    fn acquire(&mut self, value: &str) -> u32 {
        let id = match self.ids.get(value) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
                self.values.push(value.into());
                self.uses.push(0);
                self.ids.insert(value.into(), id);
                id
            }
        };
        if let Some(uses) = self.uses.get_mut(id as usize) {
            *uses += 1;
        }
        id
    }

    fn release(&mut self, id: u32) {
        if let Some(uses) = self.uses.get_mut(id as usize) {
            *uses = uses.saturating_sub(1);
        }
    }

    /// Which ids the wanted values have, as a lookup table; `None` when any value will do.
    fn wanted<'a>(&self, values: impl IntoIterator<Item = &'a str>) -> Option<Vec<bool>> {
        let mut wanted = None::<Vec<bool>>;
        for value in values {
            let table = wanted.get_or_insert_with(|| vec![false; self.values.len()]);
            if let Some(&id) = self.ids.get(value) {
                table[id as usize] = true;
            }
        }
        wanted
    }

    /// The values in use.
    fn in_use(&self) -> impl Iterator<Item = &str> {
        self.values.iter().zip(&self.uses).filter(|(_, uses)| **uses > 0).map(|(value, _)| value.as_ref())
    }
}

/// One item as the search sees it.
struct Entry {
    technology: u32,
    account: u32,
    region: u32,
    name: Box<str>,
    /// The name lower-cased, when that differs from it.
    lower_name: Option<Box<str>>,
    summary: Summary,
}

impl Entry {
    fn lower_name(&self) -> &str {
        self.lower_name.as_deref().unwrap_or(&self.name)
    }
}

/// A change to the date index made by a committed write transaction.
pub(crate) enum Change {
    /// The entry under this key was written.
    Put(Box<[u8]>, Summary),
    /// The entry under this key was removed.
    Delete(Box<[u8]>),
}

/// The entries, newest first (the date index's key order).
#[derive(Default)]
struct Entries {
    by_date: BTreeMap<Box<[u8]>, Entry>,
    technologies: Interner,
    accounts: Interner,
    regions: Interner,
}

impl Entries {
    fn put(&mut self, key: Box<[u8]>, summary: Summary) -> StoreResult<()> {
        let mut reader = keys::Reader::new(&key);
        reader.time_desc()?;
        let fields = reader.item_fields()?;
        reader.end()?;
        let lower = fields.name.to_lowercase();
        let entry = Entry {
            technology: self.technologies.acquire(&fields.technology),
            account: self.accounts.acquire(&fields.account),
            region: self.regions.acquire(&fields.region),
            lower_name: (lower != fields.name).then(|| lower.into()),
            name: fields.name.as_ref().into(),
            summary,
        };
        if let Some(old) = self.by_date.insert(key, entry) {
            self.release(&old);
        }
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) {
        if let Some(old) = self.by_date.remove(key) {
            self.release(&old);
        }
    }

    fn release(&mut self, entry: &Entry) {
        self.technologies.release(entry.technology);
        self.accounts.release(entry.account);
        self.regions.release(entry.region);
    }
}

/// What a catalog search found: the record keys of the page, or of every candidate when the
/// query also filters on something only the records hold.
pub(crate) struct Found {
    /// Entries matching the filters the catalog answers.
    pub(crate) total: usize,
    /// Item record keys, newest first: the page, or every match when `all` was asked for.
    pub(crate) keys: Vec<Vec<u8>>,
}

/// The in-memory mirror of the date index.
#[derive(Default)]
pub(crate) struct Catalog {
    entries: RwLock<Entries>,
}

impl Catalog {
    /// Reads the whole date index. An entry that cannot be read fails the build: the caller
    /// decides whether to refuse the store or repair it.
    pub(crate) fn load(r: &dyn KvRead) -> StoreResult<Self> {
        let mut entries = Entries::default();
        r.scan(&[table::ITEM_BY_DATE], &mut |key, value| {
            entries.put(key.into(), Summary::decode(key, value)?)?;
            Ok(true)
        })?;
        Ok(Self { entries: RwLock::new(entries) })
    }

    /// How many items it holds.
    pub(crate) fn len(&self) -> usize {
        self.read().by_date.len()
    }

    /// Applies the changes of a committed transaction, in order.
    pub(crate) fn apply(&self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        for change in changes {
            match change {
                Change::Put(key, summary) => {
                    // The recorder parsed this key before the commit, so it cannot fail here.
                    if let Err(error) = entries.put(key, summary) {
                        tracing::error!(%error, "the item catalog skipped an entry");
                    }
                }
                Change::Delete(key) => entries.delete(&key),
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Entries> {
        // A panic while holding the lock cannot leave a half-applied entry: each `put` or
        // `delete` of the map is one call.
        self.entries.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The items matching the filters of `query` that the catalog holds (key fields, name,
    /// activity, score, unjustified score), newest first. With `all`, the keys of every match;
    /// otherwise only those of the page `query.offset`, `limit`.
    pub(crate) fn search(&self, query: &ItemQuery, limit: usize, all: bool) -> Found {
        let entries = self.read();
        let accounts = entries.accounts.wanted(query.accounts.iter().map(|a| a.as_str()));
        let technologies = entries.technologies.wanted(query.technologies.iter().map(|t| t.as_str()));
        let regions = entries.regions.wanted(query.regions.iter().map(String::as_str));
        let needle = query.name_contains.as_ref().map(|n| n.to_lowercase()).filter(|n| !n.is_empty());
        let finder = needle.as_ref().map(|n| memmem::Finder::new(n.as_bytes()));
        let allowed = |table: &Option<Vec<bool>>, id: u32| {
            table.as_ref().is_none_or(|t| t.get(id as usize).copied().unwrap_or(false))
        };
        let mut found = Found { total: 0, keys: Vec::new() };
        for (key, entry) in &entries.by_date {
            let matches = allowed(&accounts, entry.account)
                && allowed(&technologies, entry.technology)
                && allowed(&regions, entry.region)
                && query.active.is_none_or(|active| entry.summary.active == active)
                && query.min_score.is_none_or(|min| entry.summary.score >= min)
                && query.min_unjustified_score.is_none_or(|min| entry.summary.unjustified_score >= min)
                && finder.as_ref().is_none_or(|f| f.find(entry.lower_name().as_bytes()).is_some());
            if !matches {
                continue;
            }
            if all || (found.total >= query.offset && found.keys.len() < limit) {
                found.keys.push(keys::record_of_date_entry(key));
            }
            found.total += 1;
        }
        found
    }

    /// Up to `limit` sorted distinct technologies, regions or names starting with `prefix`
    /// (lower-case), compared case-insensitively.
    pub(crate) fn distinct(&self, field: Field, prefix: &str, limit: usize) -> Vec<String> {
        let entries = self.read();
        let starts = |value: &str| value.to_lowercase().starts_with(prefix);
        let mut out = BTreeSet::new();
        match field {
            Field::Technology => out.extend(entries.technologies.in_use().filter(|v| starts(v))),
            Field::Region => out.extend(entries.regions.in_use().filter(|v| starts(v))),
            Field::Name => {
                // Keeps the `limit` smallest names seen: a million names never sit in one set.
                for entry in entries.by_date.values() {
                    if !entry.lower_name().starts_with(prefix) {
                        continue;
                    }
                    let name = entry.name.as_ref();
                    if out.len() >= limit && out.last().is_some_and(|last| *last <= name) {
                        continue;
                    }
                    if out.insert(name) && out.len() > limit {
                        out.pop_last();
                    }
                }
            }
        }
        out.into_iter().take(limit).map(str::to_owned).collect()
    }
}

/// An item field the catalog lists distinct values of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The technology.
    Technology,
    /// The region.
    Region,
    /// The name.
    Name,
}

/// A write transaction that notes its date-index changes, checked as they are made, for
/// [`Catalog::apply`] after the commit.
pub(crate) struct Recorder<'a> {
    inner: &'a mut dyn KvWrite,
    changes: Vec<Change>,
}

impl KvRead for Recorder<'_> {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        self.inner.get(key)
    }

    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
        self.inner.scan(prefix, visit)
    }
}

impl KvWrite for Recorder<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> StoreResult<()> {
        self.note_put(key, value)?;
        self.inner.put(key, value)
    }

    fn delete(&mut self, key: &[u8]) -> StoreResult<()> {
        if key.first() == Some(&table::ITEM_BY_DATE) {
            self.changes.push(Change::Delete(key.into()));
        }
        self.inner.delete(key)
    }
}

impl<'a> Recorder<'a> {
    /// Records the writes made through it to `inner`.
    pub(crate) fn new(inner: &'a mut dyn KvWrite) -> Self {
        Self { inner, changes: Vec::new() }
    }

    /// Notes a put; fails (and so aborts the transaction) if the entry is not one the
    /// catalog can hold.
    fn note_put(&mut self, key: &[u8], value: &[u8]) -> StoreResult<()> {
        if key.first() == Some(&table::ITEM_BY_DATE) {
            let mut reader = keys::Reader::new(key);
            reader.time_desc()?;
            reader.item_fields()?;
            reader.end()?;
            self.changes.push(Change::Put(key.into(), Summary::decode(key, value)?));
        }
        Ok(())
    }

    /// The changes, in the order they were made.
    pub(crate) fn into_changes(self) -> Vec<Change> {
        self.changes
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use monkey_core::model::{AccountNumber, ItemKey, Technology, Timestamp};

    fn key(technology: &str, name: &str, at: i128) -> Box<[u8]> {
        let item = ItemKey::new(
            Technology::parse(technology).unwrap(),
            AccountNumber::parse("123456789012").unwrap(),
            "us-east-1",
            name,
        );
        keys::item_by_date(Timestamp::from_unix_nanos(at), &item).into_bytes().into()
    }

    fn summary(score: u32) -> Summary {
        Summary { active: true, score, unjustified_score: score / 2 }
    }

    fn catalog(entries: Vec<(Box<[u8]>, Summary)>) -> Catalog {
        let catalog = Catalog::default();
        catalog.apply(entries.into_iter().map(|(k, s)| Change::Put(k, s)).collect());
        catalog
    }

    #[test]
    fn searches_newest_first_with_totals_and_pages() {
        let catalog = catalog(vec![
            (key("s3", "Old-Bucket", 1), summary(0)),
            (key("s3", "new-bucket", 3), summary(10)),
            (key("securitygroup", "web", 2), summary(4)),
        ]);
        let query = ItemQuery { name_contains: Some("BUCKET".into()), ..ItemQuery::default() };
        let found = catalog.search(&query, 1, false);
        assert_eq!(found.total, 2);
        assert_eq!(found.keys, vec![keys::record_of_date_entry(&key("s3", "new-bucket", 3))]);
        let second = catalog.search(&ItemQuery { offset: 1, ..query.clone() }, 1, false);
        assert_eq!(second.keys, vec![keys::record_of_date_entry(&key("s3", "Old-Bucket", 1))]);
        let scored = ItemQuery { min_unjustified_score: Some(2), ..ItemQuery::default() };
        assert_eq!(catalog.search(&scored, 10, true).total, 2);
        let unknown = ItemQuery { technologies: vec![Technology::parse("iamrole").unwrap()], ..ItemQuery::default() };
        assert_eq!(catalog.search(&unknown, 10, true).total, 0);
    }

    #[test]
    fn deletes_and_moves_keep_distinct_values_current() {
        let catalog = catalog(vec![(key("s3", "b", 1), summary(0)), (key("securitygroup", "a", 2), summary(0))]);
        assert_eq!(catalog.distinct(Field::Technology, "", 10), vec!["s3", "securitygroup"]);
        catalog.apply(vec![Change::Delete(key("securitygroup", "a", 2))]);
        assert_eq!(catalog.distinct(Field::Technology, "", 10), vec!["s3"]);
        // A new revision moves the entry: delete at the old time, put at the new one.
        catalog.apply(vec![Change::Delete(key("s3", "b", 1)), Change::Put(key("s3", "b", 5), summary(1))]);
        assert_eq!(catalog.len(), 1);
        assert_eq!(catalog.distinct(Field::Name, "", 10), vec!["b"]);
    }

    #[test]
    fn distinct_names_keep_the_smallest_within_the_limit() {
        let catalog = catalog((0..50).map(|i| (key("s3", &format!("n{:02}", 49 - i), i), summary(0))).collect());
        assert_eq!(catalog.distinct(Field::Name, "n", 3), vec!["n00", "n01", "n02"]);
        assert_eq!(catalog.distinct(Field::Name, "n4", 100).len(), 10);
    }

    #[test]
    fn the_recorder_refuses_entries_it_cannot_read() {
        let dir = tempfile::tempdir().unwrap();
        let kv = crate::kv::redb::RedbKv::open(&dir.path().join("kv.redb")).unwrap();
        let kv: &dyn crate::kv::Kv = &kv;
        for (key, value) in [
            (vec![table::ITEM_BY_DATE, 1, 2], summary(0).encode().to_vec()),
            (key("s3", "b", 1).into(), b"xx".to_vec()),
        ] {
            let failed = kv.write_with(|w| Recorder::new(w).put(&key, &value));
            assert!(failed.is_err());
            assert!(kv.read_with(|r| r.get(&key)).unwrap().is_none(), "the transaction was not aborted");
        }
        let changes = kv
            .write_with(|w| {
                let mut recorder = Recorder::new(w);
                recorder.put(b"\x20other table", b"anything")?;
                recorder.put(&key("s3", "b", 1), &summary(0).encode())?;
                recorder.delete(&key("s3", "b", 1))?;
                Ok(recorder.into_changes())
            })
            .unwrap();
        assert_eq!(changes.len(), 2);
    }
}
