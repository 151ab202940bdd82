//! The item catalog: the date index held in memory, so that item search, its total and the
//! distinct values of autocomplete answer without reading the disk at a million items.
//!
//! It mirrors the "items by date" table exactly: built from it when the store opens and kept
//! current by the write transactions, which report every put and delete of that table (see
//! [`Recorder`]) and apply them here once their commit succeeded. A reader may therefore see
//! the catalog a moment behind a commit still finishing, never ahead of one; a record that a
//! concurrent commit removed is skipped by the search that listed it.
//!
//! An item costs about 150 bytes (its row, key, lower-cased name and position): some 150 MB
//! at a million items.

use super::keys::{self, table};
use super::records::Summary;
use crate::kv::{KvRead, KvWrite, Visit};
use hashbrown::HashTable;
use memchr::memmem;
use monkey_core::store::{ItemQuery, StoreResult};
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasher, RandomState};
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

/// One item as the search sees it: 24 bytes, so a search over a million streams 24 MB.
#[derive(Clone, Copy)]
struct Row {
    technology: u32,
    region: u32,
    account: u32,
    score: u32,
    unjustified_score: u32,
    flags: u8,
}

/// The row is an item's current entry (not one it replaced or a deleted one).
const LIVE: u8 = 1;
/// The item is active.
const ACTIVE: u8 = 2;

impl Row {
    fn set_summary(&mut self, summary: Summary) {
        self.score = summary.score;
        self.unjustified_score = summary.unjustified_score;
        self.flags = LIVE | if summary.active { ACTIVE } else { 0 };
    }
}

/// A change to the date index made by a committed write transaction.
pub(crate) enum Change {
    /// The entry under this key was written.
    Put(Box<[u8]>, Summary),
    /// The entry under this key was removed.
    Delete(Box<[u8]>),
}

/// Where the item key starts in a date-index key: after the table byte and the time.
const ITEM_AT: usize = 17;

/// The entries in columns, oldest first (the reverse of the date index's key order), so that a
/// new revision, the common change, is an append. Replaced entries stay as dead rows until
/// [`Entries::settle`] compacts them away.
#[derive(Default)]
struct Entries {
    rows: Vec<Row>,
    /// The date-index key of each row.
    keys: Vec<Box<[u8]>>,
    /// The lower-cased names of the rows, one after the other, so that a name search is one
    /// substring search over this text.
    names: String,
    /// Where each row's name starts in `names`.
    name_at: Vec<usize>,
    /// The row of each item's live entry, found by the item key part of its date-index key.
    positions: HashTable<u32>,
    hasher: RandomState,
    live: usize,
    /// Rows were appended out of date order: [`Entries::settle`] sorts.
    unsorted: bool,
    technologies: Interner,
    accounts: Interner,
    regions: Interner,
}

impl Entries {
    fn hash(&self, item: &[u8]) -> u64 {
        self.hasher.hash_one(item)
    }

    /// The row of the live entry of the item whose date-index key ends with `item`.
    fn locate(&self, item: &[u8]) -> Option<usize> {
        let keys = &self.keys;
        let found = self.positions.find(self.hash(item), |&row| keys[row as usize].get(ITEM_AT..) == Some(item));
        found.map(|&row| row as usize)
    }

    fn put(&mut self, key: Box<[u8]>, summary: Summary) -> StoreResult<()> {
        let mut reader = keys::Reader::new(&key);
        reader.time_desc()?;
        let fields = reader.item_fields()?;
        reader.end()?;
        let item = key.get(ITEM_AT..).unwrap_or_default();
        if let Some(row) = self.locate(item) {
            if self.keys[row] == key {
                self.rows[row].set_summary(summary);
                return Ok(());
            }
            self.kill(row);
        }
        let mut row = Row {
            technology: self.technologies.acquire(&fields.technology),
            region: self.regions.acquire(&fields.region),
            account: self.accounts.acquire(&fields.account),
            score: 0,
            unjustified_score: 0,
            flags: 0,
        };
        row.set_summary(summary);
        let name = fields.name.to_lowercase();
        // Older rows have greater keys (the time is stored complemented).
        if self.keys.last().is_some_and(|newest| **newest <= *key) {
            self.unsorted = true;
        }
        let index = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        let hash = self.hash(item);
        let (keys, hasher) = (&self.keys, &self.hasher);
        self.positions
            .insert_unique(hash, index, |&row| hasher.hash_one(keys[row as usize].get(ITEM_AT..).unwrap_or_default()));
        self.rows.push(row);
        self.keys.push(key);
        self.name_at.push(self.names.len());
        self.names.push_str(&name);
        self.live += 1;
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) {
        if let Some(row) = self.locate(key.get(ITEM_AT..).unwrap_or_default())
            && *self.keys[row] == *key
        {
            self.kill(row);
        }
    }

    /// Marks `row` dead and forgets it as its item's entry.
    fn kill(&mut self, row: usize) {
        let dead = self.rows[row];
        self.rows[row].flags = 0;
        self.technologies.release(dead.technology);
        self.regions.release(dead.region);
        self.accounts.release(dead.account);
        self.live -= 1;
        let hash = self.hash(self.keys[row].get(ITEM_AT..).unwrap_or_default());
        if let Ok(entry) = self.positions.find_entry(hash, |&r| r as usize == row) {
            entry.remove();
        }
    }

    /// The lower-cased name of `row`.
    fn name(&self, row: usize) -> &str {
        let end = self.name_at.get(row + 1).copied().unwrap_or(self.names.len());
        self.names.get(self.name_at[row]..end).unwrap_or_default()
    }

    /// Which rows have a name containing `needle`: one pass of a substring search over all
    /// names, each hit checked to lie within one name.
    fn names_containing(&self, needle: &str) -> Vec<bool> {
        let mut hits = vec![false; self.rows.len()];
        let finder = memmem::Finder::new(needle.as_bytes());
        let text = self.names.as_bytes();
        let (mut from, mut row) = (0, 0);
        while let Some(found) = text.get(from..).and_then(|rest| finder.find(rest)) {
            let at = from + found;
            while row + 1 < self.name_at.len() && self.name_at[row + 1] <= at {
                row += 1;
            }
            let end = self.name_at.get(row + 1).copied().unwrap_or(text.len());
            if at + needle.len() <= end {
                hits[row] = true;
            }
            // On with the next name: a hit across two names may hide one inside the second.
            from = end;
        }
        hits
    }

    /// Whether dead rows are as many as live ones (and worth compacting away).
    fn sparse(&self) -> bool {
        let dead = self.rows.len() - self.live;
        dead >= 1024 && dead >= self.live
    }

    /// Restores date order and drops dead rows.
    fn settle(&mut self) {
        if !self.unsorted && !self.sparse() {
            return;
        }
        let mut order: Vec<usize> = (0..self.rows.len()).filter(|&r| self.rows[r].flags & LIVE != 0).collect();
        if self.unsorted {
            // Rows arrive in runs (a commit's items share a time): a stable sort merges the
            // runs in close to linear time where an unstable one would not notice them.
            order.sort_by(|&a, &b| self.keys[b].cmp(&self.keys[a]));
        }
        let mut rows = Vec::with_capacity(order.len());
        let mut keys = Vec::with_capacity(order.len());
        let mut names = String::with_capacity(self.names.len());
        let mut name_at = Vec::with_capacity(order.len());
        for &r in &order {
            rows.push(self.rows[r]);
            keys.push(std::mem::take(&mut self.keys[r]));
            name_at.push(names.len());
            names.push_str(self.name(r));
        }
        (self.rows, self.keys, self.names, self.name_at) = (rows, keys, names, name_at);
        self.unsorted = false;
        self.positions.clear();
        for (row, key) in self.keys.iter().enumerate() {
            let hash = self.hasher.hash_one(key.get(ITEM_AT..).unwrap_or_default());
            let (keys, hasher) = (&self.keys, &self.hasher);
            let index = u32::try_from(row).unwrap_or(u32::MAX);
            self.positions
                .insert_unique(hash, index, |&r| hasher.hash_one(keys[r as usize].get(ITEM_AT..).unwrap_or_default()));
        }
    }
}

/// What a catalog search found.
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
    /// Reads the whole date index. An entry that cannot be read fails the load: the caller
    /// decides whether to refuse the store or repair it.
    pub(crate) fn load(r: &dyn KvRead) -> StoreResult<Self> {
        let mut newest_first = Vec::new();
        r.scan(&[table::ITEM_BY_DATE], &mut |key, value| {
            newest_first.push((Box::<[u8]>::from(key), Summary::decode(key, value)?));
            Ok(true)
        })?;
        let mut entries = Entries::default();
        for (key, summary) in newest_first.into_iter().rev() {
            entries.put(key, summary)?;
        }
        entries.settle();
        Ok(Self { entries: RwLock::new(entries) })
    }

    /// How many items it holds.
    pub(crate) fn len(&self) -> usize {
        self.read().live
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
                    // The recorder read this key before the commit, so it cannot fail here.
                    if let Err(error) = entries.put(key, summary) {
                        tracing::error!(%error, "the item catalog skipped an entry");
                    }
                }
                Change::Delete(key) => entries.delete(&key),
            }
        }
        // Sorting waits for the next reader: a collection commits many times between searches.
        if entries.sparse() {
            entries.settle();
        }
    }

    /// The entries in date order, sorting them first if commits appended out of order.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Entries> {
        loop {
            // Writers never leave a half-made row behind a panic: a row is pushed whole.
            let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
            if !entries.unsorted {
                return entries;
            }
            drop(entries);
            self.entries.write().unwrap_or_else(PoisonError::into_inner).settle();
        }
    }

    /// The items matching the filters of `query` that the catalog holds (key fields, name,
    /// activity, score, unjustified score), newest first; only those of `among` (item key
    /// fields as stored) when given. With `all`, the keys of every match; otherwise only those
    /// of the page `query.offset`, `limit`.
    pub(crate) fn search(&self, query: &ItemQuery, among: Option<&[Vec<u8>]>, limit: usize, all: bool) -> Found {
        let entries = self.read();
        let accounts = entries.accounts.wanted(query.accounts.iter().map(|a| a.as_str()));
        let technologies = entries.technologies.wanted(query.technologies.iter().map(|t| t.as_str()));
        let regions = entries.regions.wanted(query.regions.iter().map(String::as_str));
        let needle = query.name_contains.as_ref().map(|n| n.to_lowercase()).filter(|n| !n.is_empty());
        let named = needle.map(|n| entries.names_containing(&n));
        let allowed = |table: &Option<Vec<bool>>, id: u32| {
            table.as_ref().is_none_or(|t| t.get(id as usize).copied().unwrap_or(false))
        };
        let wanted_flags = match query.active {
            None => (LIVE, LIVE),
            Some(true) => (LIVE | ACTIVE, LIVE | ACTIVE),
            Some(false) => (LIVE | ACTIVE, LIVE),
        };
        let (min_score, min_unjustified) = (query.min_score.unwrap_or(0), query.min_unjustified_score.unwrap_or(0));
        let mut found = Found { total: 0, keys: Vec::new() };
        let mut consider = |index: usize| {
            let row = &entries.rows[index];
            let matches = row.flags & wanted_flags.0 == wanted_flags.1
                && row.score >= min_score
                && row.unjustified_score >= min_unjustified
                && allowed(&accounts, row.account)
                && allowed(&technologies, row.technology)
                && allowed(&regions, row.region)
                && named.as_ref().is_none_or(|hits| hits[index]);
            if !matches {
                return;
            }
            if all || (found.total >= query.offset && found.keys.len() < limit) {
                found.keys.push(keys::record_of_date_entry(&entries.keys[index]));
            }
            found.total += 1;
        };
        match among {
            None => (0..entries.rows.len()).rev().for_each(&mut consider),
            Some(items) => {
                let mut rows: Vec<usize> = items.iter().filter_map(|item| entries.locate(item)).collect();
                rows.sort_unstable_by(|a, b| b.cmp(a));
                rows.dedup();
                rows.into_iter().for_each(&mut consider);
            }
        }
        found
    }

    /// Up to `limit` sorted distinct technologies, regions or names starting with `prefix`
    /// (lower-case), compared case-insensitively.
    pub(crate) fn distinct(&self, field: Field, prefix: &str, limit: usize) -> Vec<String> {
        let entries = self.read();
        let starts = |value: &str| value.to_lowercase().starts_with(prefix);
        let mut out: BTreeSet<String> = BTreeSet::new();
        match field {
            Field::Technology => out.extend(entries.technologies.in_use().filter(|v| starts(v)).map(str::to_owned)),
            Field::Region => out.extend(entries.regions.in_use().filter(|v| starts(v)).map(str::to_owned)),
            Field::Name => {
                // Keeps the `limit` smallest names seen: a million names never sit in one set.
                for (index, row) in entries.rows.iter().enumerate() {
                    if row.flags & LIVE == 0 || !entries.name(index).starts_with(prefix) {
                        continue;
                    }
                    let mut reader = keys::Reader::new(&entries.keys[index]);
                    let name = match reader.time_desc().and_then(|_| reader.item_fields()) {
                        Ok(fields) => fields.name.into_owned(),
                        Err(_) => continue, // every key was read when it was put
                    };
                    if out.len() >= limit && out.last().is_some_and(|last| *last <= name) {
                        continue;
                    }
                    out.insert(name);
                    if out.len() > limit {
                        out.pop_last();
                    }
                }
            }
        }
        out.into_iter().take(limit).collect()
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
        let found = catalog.search(&query, None, 1, false);
        assert_eq!(found.total, 2);
        assert_eq!(found.keys, vec![keys::record_of_date_entry(&key("s3", "new-bucket", 3))]);
        let second = catalog.search(&ItemQuery { offset: 1, ..query.clone() }, None, 1, false);

        assert_eq!(second.keys, vec![keys::record_of_date_entry(&key("s3", "Old-Bucket", 1))]);
        let scored = ItemQuery { min_unjustified_score: Some(2), ..ItemQuery::default() };
        assert_eq!(catalog.search(&scored, None, 10, true).total, 2);
        let unknown = ItemQuery { technologies: vec![Technology::parse("iamrole").unwrap()], ..ItemQuery::default() };
        assert_eq!(catalog.search(&unknown, None, 10, true).total, 0);
    }

    #[test]
    fn a_name_hit_across_two_names_does_not_hide_one_inside_the_second() {
        // "a" then "aa": the first hit of "aa" in "aaa" spans both names, the second is in "aa".
        let catalog = catalog(vec![(key("s3", "a", 1), summary(0)), (key("s3", "aa", 2), summary(0))]);
        let query = ItemQuery { name_contains: Some("aa".into()), ..ItemQuery::default() };
        assert_eq!(catalog.search(&query, None, 10, false).keys, vec![keys::record_of_date_entry(&key("s3", "aa", 2))]);
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

    /// Random puts, moves and deletes, in and out of date order, against a plain sorted map.
    #[test]
    fn follows_a_sorted_map_through_moves_deletes_and_compaction() {
        let mut model: std::collections::BTreeMap<Box<[u8]>, Summary> = std::collections::BTreeMap::new();
        let mut current: HashMap<usize, Box<[u8]>> = HashMap::new();
        let catalog = Catalog::default();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for round in 0..40_i128 {
            let mut changes = Vec::new();
            for _ in 0..200 {
                let item = usize::try_from(next(300)).unwrap();
                // Mostly newer than everything so far, sometimes in the past.
                let at =
                    if next(10) == 0 { i128::from(next(1_000)) } else { 1_000 + round * 1_000 + i128::from(next(900)) };
                if let Some(old) = current.remove(&item) {
                    model.remove(&old);
                    changes.push(Change::Delete(old));
                }
                if next(8) != 0 {
                    let key = key(["s3", "securitygroup"][item % 2], &format!("Item-{item}"), at);
                    let summary = summary(u32::try_from(next(12)).unwrap());
                    model.insert(key.clone(), summary);
                    current.insert(item, key.clone());
                    changes.push(Change::Put(key, summary));
                }
            }
            catalog.apply(changes);
            let found = catalog.search(&ItemQuery::default(), None, usize::MAX, true);
            let expected: Vec<Vec<u8>> = model.keys().map(|k| keys::record_of_date_entry(k)).collect();
            assert_eq!(found.keys, expected, "round {round}");
            let scored = ItemQuery { min_score: Some(6), name_contains: Some("item-1".into()), ..ItemQuery::default() };
            let expected = model
                .iter()
                .filter(|(k, s)| s.score >= 6 && String::from_utf8_lossy(k).to_lowercase().contains("item-1"))
                .count();
            assert_eq!(catalog.search(&scored, None, 10, false).total, expected, "round {round}");
            assert_eq!(catalog.len(), model.len());
        }
    }
}
