//! The ordered key-value layer each backend provides and the store logic runs on.
//!
//! Three operations suffice for everything the store does: read a key, scan the keys that start
//! with a prefix in ascending byte order, and a write transaction that reads its own writes and
//! commits all of them atomically and durably. Keeping the layer this small is what lets one
//! implementation of the store serve every backend.

pub(crate) mod redb;
pub(crate) mod sled;

use monkey_core::store::{StoreError, StoreResult};

/// Called for each entry of a scan, in key order; returns `false` to stop the scan.
pub(crate) type Visit<'a> = &'a mut dyn FnMut(&[u8], &[u8]) -> StoreResult<bool>;

/// A consistent view of the keys.
pub(crate) trait KvRead {
    /// The value of `key`.
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>>;
    /// Visits every entry whose key starts with `prefix`, in ascending key order.
    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()>;
}

/// A write transaction: reads see its own earlier writes.
pub(crate) trait KvWrite: KvRead {
    /// Sets `key` to `value`.
    fn put(&mut self, key: &[u8], value: &[u8]) -> StoreResult<()>;
    /// Removes `key` (absent keys are fine).
    fn delete(&mut self, key: &[u8]) -> StoreResult<()>;
}

/// A backend: runs a closure over a read view or inside a write transaction.
pub(crate) trait Kv: Send + Sync {
    /// Runs `f` over a consistent view.
    fn read(&self, f: &mut dyn FnMut(&dyn KvRead) -> StoreResult<()>) -> StoreResult<()>;
    /// Runs `f` in a write transaction that commits atomically and durably if `f` succeeds and
    /// leaves no trace if it fails. Write transactions run one at a time.
    fn write(&self, f: &mut dyn FnMut(&mut dyn KvWrite) -> StoreResult<()>) -> StoreResult<()>;
}

/// A closure the backend called twice although it promises to call it once.
fn called_twice() -> StoreError {
    StoreError::Backend { backend: "store", message: "a transaction body ran twice".into(), retryable: false }
}

impl dyn Kv + '_ {
    /// Runs `f` over a consistent view and returns its result.
    pub(crate) fn read_with<T>(&self, f: impl FnOnce(&dyn KvRead) -> StoreResult<T>) -> StoreResult<T> {
        let mut f = Some(f);
        let mut out = None;
        self.read(&mut |r| {
            let f = f.take().ok_or_else(called_twice)?;
            out = Some(f(r)?);
            Ok(())
        })?;
        out.ok_or_else(called_twice)
    }

    /// Runs `f` in a write transaction and returns its result once committed.
    pub(crate) fn write_with<T>(&self, f: impl FnOnce(&mut dyn KvWrite) -> StoreResult<T>) -> StoreResult<T> {
        let mut f = Some(f);
        let mut out = None;
        self.write(&mut |w| {
            let f = f.take().ok_or_else(called_twice)?;
            out = Some(f(w)?);
            Ok(())
        })?;
        out.ok_or_else(called_twice)
    }
}

impl dyn KvRead + '_ {
    /// Every entry under `prefix`, in key order.
    pub(crate) fn entries(&self, prefix: &[u8]) -> StoreResult<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut out = Vec::new();
        self.scan(prefix, &mut |k, v| {
            out.push((k.to_vec(), v.to_vec()));
            Ok(true)
        })?;
        Ok(out)
    }

    /// Every key under `prefix`, in order.
    pub(crate) fn keys(&self, prefix: &[u8]) -> StoreResult<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        self.scan(prefix, &mut |k, _| {
            out.push(k.to_vec());
            Ok(true)
        })?;
        Ok(out)
    }

    /// Whether any key starts with `prefix`.
    pub(crate) fn any(&self, prefix: &[u8]) -> StoreResult<bool> {
        let mut found = false;
        self.scan(prefix, &mut |_, _| {
            found = true;
            Ok(false)
        })?;
        Ok(found)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    fn exercise(kv: &dyn Kv) {
        kv.write_with(|w| {
            w.put(b"a1", b"x")?;
            w.put(b"b1", b"1")?;
            w.put(b"b3", b"3")?;
            w.put(b"c1", b"y")
        })
        .unwrap();
        // Reads inside a write see the pending writes merged with the stored ones, in order.
        let inside = kv
            .write_with(|w| {
                w.put(b"b2", b"2")?;
                w.delete(b"b3")?;
                w.put(b"b1", b"one")?;
                let r: &dyn KvRead = w;
                Ok((r.entries(b"b")?, r.get(b"b3")?, r.get(b"b2")?))
            })
            .unwrap();
        let expected = vec![(b"b1".to_vec(), b"one".to_vec()), (b"b2".to_vec(), b"2".to_vec())];
        assert_eq!(inside, (expected.clone(), None, Some(b"2".to_vec())));
        assert_eq!(kv.read_with(|r| r.entries(b"b")).unwrap(), expected);
        // A failed write leaves nothing behind.
        let failed = kv.write_with(|w| {
            w.put(b"b9", b"9")?;
            Err::<(), _>(StoreError::NotFound { what: "x".into() })
        });
        assert!(failed.is_err());
        assert_eq!(kv.read_with(|r| r.get(b"b9")).unwrap(), None);
        // A scan stops when asked to.
        let mut seen = 0;
        kv.read(&mut |r| {
            r.scan(b"", &mut |_, _| {
                seen += 1;
                Ok(seen < 2)
            })
        })
        .unwrap();
        assert_eq!(seen, 2);
        assert!(kv.read_with(|r| r.any(b"c")).unwrap());
        assert!(!kv.read_with(|r| r.any(b"d")).unwrap());
    }

    #[test]
    fn redb_reads_writes_and_scans() {
        let dir = tempfile::tempdir().unwrap();
        let kv = redb::RedbKv::open(&dir.path().join("kv.redb")).unwrap();
        exercise(&kv);
    }

    #[test]
    fn sled_reads_writes_and_scans() {
        let dir = tempfile::tempdir().unwrap();
        let kv = sled::SledKv::open(&dir.path().join("kv.sled")).unwrap();
        exercise(&kv);
    }

    #[test]
    fn sled_reopens_at_once_after_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kv.sled");
        let value = vec![7u8; 4096];
        for round in 0..20u8 {
            let kv: &dyn Kv = &sled::SledKv::open(&path).unwrap();
            // Enough to fill sled's write buffers, which its own threads write out.
            kv.write_with(|w| (0..200u8).try_for_each(|key| w.put(&[round, key], &value))).unwrap();
        }
        let kv: &dyn Kv = &sled::SledKv::open(&path).unwrap();
        assert_eq!(kv.read_with(|r| r.keys(b"")).unwrap().len(), 20 * 200);
    }
}
