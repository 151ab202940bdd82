//! Durable and complete hashes of a configuration, from one walk and one reused buffer.
//!
//! The configuration is encoded into a buffer (tagged, length-prefixed, containers framed)
//! and the buffer is hashed with BLAKE3 in large slices: feeding the hasher node by node costs
//! several times more than the encoding. Ephemeral subtrees are recorded as byte ranges the
//! durable hash skips, so both hashes come from one encoding; with no ephemeral field present
//! they are the same bytes and are hashed once. A [`ConfigHasher`] keeps its buffers between
//! items, so hashing an item allocates nothing once the buffers have grown.

use super::ephemeral::{Alive, EphemeralPaths};
use crate::model::Hash;
use serde_json::Value;

/// Which hashes a range of the buffer belongs to, when not both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Only {
    /// Ephemeral bytes, and digests of whole statements: the durable hash skips them.
    Complete,
    /// Digests of statements without their ephemeral fields: the complete hash skips them.
    Durable,
}

/// Computes the hashes of many configurations, reusing its buffers.
#[derive(Debug)]
pub struct ConfigHasher<'p> {
    paths: &'p EphemeralPaths,
    buffer: Vec<u8>,
    ranges: Vec<(usize, usize, Only)>,
}

/// Statements hashed without allocating; larger policies use the heap.
const INLINE: usize = 32;

impl<'p> ConfigHasher<'p> {
    /// A hasher for configurations with these ephemeral paths.
    pub fn new(paths: &'p EphemeralPaths) -> Self {
        Self { paths, buffer: Vec::with_capacity(16 * 1024), ranges: Vec::new() }
    }

    /// The durable hash (ephemeral fields left out) and the complete hash of `config`.
    pub fn hash(&mut self, config: &Value) -> (Hash, Hash) {
        self.buffer.clear();
        self.ranges.clear();
        self.value(config, true, self.paths.root(), 0);
        let (durable, complete) = self.digest(0, 0);
        self.buffer.clear();
        self.ranges.clear();
        (durable.unwrap_or(EMPTY), complete)
    }

    /// Hashes `buffer[from..]` with the ranges recorded from `first_range` on: the durable
    /// digest (none when the whole span is ephemeral) and the complete digest.
    fn digest(&self, from: usize, first_range: usize) -> (Option<Hash>, Hash) {
        let ranges = &self.ranges[first_range..];
        let bytes = &self.buffer[from..];
        if ranges.is_empty() {
            let hash = Hash(*blake3::hash(bytes).as_bytes());
            return (Some(hash), hash);
        }
        let skipping = |skip: Only| {
            let mut hasher = blake3::Hasher::new();
            let mut at = from;
            for &(start, end, only) in ranges {
                if only == skip && start >= at {
                    hasher.update(&self.buffer[at..start]);
                    at = end;
                }
            }
            hasher.update(&self.buffer[at..]);
            Hash(*hasher.finalize().as_bytes())
        };
        let whole_span_ephemeral =
            ranges.first().is_some_and(|&(s, e, o)| o == Only::Complete && s == from && e == self.buffer.len());
        let durable = (!whole_span_ephemeral).then(|| skipping(Only::Complete));
        (durable, skipping(Only::Durable))
    }

    fn put(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    fn text(&mut self, tag: u8, s: &str) {
        self.buffer.push(tag);
        // u32 lengths: a configuration string over 4 GiB is not a thing AWS returns.
        self.put(&(s.len() as u32).to_le_bytes());
        self.put(s.as_bytes());
    }

    /// Encodes a child; when it is ephemeral under a durable parent, its bytes (key included,
    /// from `start`) become a range the durable hash skips.
    fn child(
        &mut self,
        start: usize,
        item: &Value,
        parent_durable: bool,
        step: (Alive, bool),
        depth: usize,
        statements: bool,
    ) {
        let (next, ends) = step;
        let durable = parent_durable && !ends;
        match item {
            Value::Array(list) if statements && list.len() > 1 => self.unordered(list, durable, next, depth),
            _ => self.value(item, durable, next, depth),
        }
        if parent_durable && ends {
            // Ranges inside an ephemeral span are subsumed by it.
            while self.ranges.last().is_some_and(|r| r.0 >= start) {
                self.ranges.pop();
            }
            self.ranges.push((start, self.buffer.len(), Only::Complete));
        }
    }

    // Containers are framed by open/close tags instead of a length prefix, so skipping
    // ephemeral children leaves the durable encoding unambiguous.
    fn value(&mut self, value: &Value, durable: bool, alive: Alive, depth: usize) {
        match value {
            Value::Null => self.buffer.push(b'z'),
            Value::Bool(b) => self.buffer.push(if *b { b't' } else { b'f' }),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.buffer.push(b'i');
                    self.put(&i.to_le_bytes());
                } else if let Some(u) = n.as_u64() {
                    self.buffer.push(b'u');
                    self.put(&u.to_le_bytes());
                } else {
                    self.buffer.push(b'd');
                    self.put(&n.as_f64().unwrap_or(f64::NAN).to_bits().to_le_bytes());
                }
            }
            Value::String(s) => self.text(b's', s),
            Value::Array(items) => {
                self.buffer.push(b'[');
                for (index, item) in items.iter().enumerate() {
                    let (next, ends) = if alive == 0 { (0, false) } else { self.paths.step_index(alive, depth, index) };
                    let start = self.buffer.len();
                    self.buffer.push(b',');
                    self.child(start, item, durable, (next, ends), depth + 1, false);
                }
                self.buffer.push(b']');
            }
            Value::Object(map) => {
                self.buffer.push(b'{');
                // serde_json's Map iterates in key order (no `preserve_order`), which is what
                // makes the hash independent of the order AWS sent the keys in.
                for (key, item) in map {
                    let (next, ends) = if alive == 0 { (0, false) } else { self.paths.step_key(alive, depth, key) };
                    let start = self.buffer.len();
                    self.text(b'k', key);
                    self.child(start, item, durable, (next, ends), depth + 1, key == "Statement");
                }
                self.buffer.push(b'}');
            }
        }
    }

    /// Encodes a policy's statements as a set: IAM gives their order no meaning, so each one
    /// is hashed on its own and the digests go in sorted order, the complete ones for the
    /// complete hash and the durable ones for the durable hash.
    fn unordered(&mut self, items: &[Value], durable: bool, alive: Alive, depth: usize) {
        let mut inline = [(None, EMPTY); INLINE];
        let mut heap = Vec::new();
        let digests: &mut [(Option<Hash>, Hash)] = if items.len() <= INLINE {
            &mut inline[..items.len()]
        } else {
            heap.resize(items.len(), (None, EMPTY));
            &mut heap
        };
        for ((index, item), digest) in items.iter().enumerate().zip(digests.iter_mut()) {
            let (next, ends) = if alive == 0 { (0, false) } else { self.paths.step_index(alive, depth, index) };
            let (from, first_range) = (self.buffer.len(), self.ranges.len());
            self.child(from, item, true, (next, ends), depth + 1, false);
            *digest = self.digest(from, first_range);
            self.buffer.truncate(from);
            self.ranges.truncate(first_range);
        }
        self.buffer.push(b'<');
        digests.sort_unstable_by_key(|d| d.1);
        let start = self.buffer.len();
        for (_, complete) in digests.iter() {
            self.put(&complete.0);
        }
        self.ranges.push((start, self.buffer.len(), Only::Complete));
        if durable {
            digests.sort_unstable_by_key(|d| d.0);
            let start = self.buffer.len();
            for durable_digest in digests.iter().filter_map(|d| d.0) {
                self.put(&durable_digest.0);
            }
            self.ranges.push((start, self.buffer.len(), Only::Durable));
        }
        self.buffer.push(b'>');
    }
}

/// The digest used where a hash is needed before anything was hashed.
const EMPTY: Hash = Hash([0; 32]);

/// The durable hash (ephemeral fields left out) and the complete hash of `config`.
///
/// For many configurations, reuse one [`ConfigHasher`].
pub fn hashes(config: &Value, ephemeral: &EphemeralPaths) -> (Hash, Hash) {
    ConfigHasher::new(ephemeral).hash(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn both(v: &Value, paths: &[&str]) -> (Hash, Hash) {
        hashes(v, &EphemeralPaths::parse(paths).unwrap())
    }

    #[test]
    fn key_order_does_not_matter() {
        let a: Value = serde_json::from_str(r#"{"a":1,"b":{"x":[1,2],"y":null}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"b":{"y":null,"x":[1,2]},"a":1}"#).unwrap();
        assert_eq!(both(&a, &[]), both(&b, &[]));
    }

    #[test]
    fn distinct_values_hash_differently() {
        let values = [
            json!(null),
            json!(false),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(u64::MAX),
            json!(""),
            json!("0"),
            json!([]),
            json!({}),
            json!([[]]),
            json!([null]),
            json!({"a": null}),
            json!({"a": []}),
            json!(["a", "b"]),
            json!(["ab"]),
            json!({"ab": "c"}),
            json!({"a": "bc"}),
        ];
        let hashes: std::collections::HashSet<Hash> = values.iter().map(|v| both(v, &[]).1).collect();
        assert_eq!(hashes.len(), values.len());
    }

    #[test]
    fn ephemeral_fields_change_only_the_complete_hash() {
        let paths = ["Keys.*.LastUsed", "assigned_to"];
        let a = json!({"Name": "x", "Keys": [{"Id": 1, "LastUsed": "mon"}], "assigned_to": ["i-1"]});
        let b = json!({"Name": "x", "Keys": [{"Id": 1, "LastUsed": "tue"}], "assigned_to": ["i-1", "i-2"]});
        let c = json!({"Name": "x", "Keys": [{"Id": 2, "LastUsed": "tue"}], "assigned_to": []});
        let (da, ca) = both(&a, &paths);
        let (db, cb) = both(&b, &paths);
        let (dc, _) = both(&c, &paths);
        assert_eq!(da, db);
        assert_ne!(ca, cb);
        assert_ne!(da, dc);
        // Removing an ephemeral field entirely is ephemeral too.
        let d = json!({"Name": "x", "Keys": [{"Id": 1}]});
        assert_eq!(both(&d, &paths).0, da);
        // Without paths, durable and complete agree.
        let (d0, c0) = both(&a, &[]);
        assert_eq!(d0, c0);
    }

    #[test]
    fn a_reused_hasher_gives_the_same_hashes() {
        let paths = EphemeralPaths::parse(&["Statement.*.LastUsed", "b"]).unwrap();
        let configs = [
            json!({"a": 1, "b": 2}),
            json!({"Statement": [{"LastUsed": 1, "x": 1}, {"y": 2}], "b": [1]}),
            json!({"Statement": [{"y": 2}, {"LastUsed": 7, "x": 1}]}),
            json!("plain"),
        ];
        let mut hasher = ConfigHasher::new(&paths);
        for config in &configs {
            assert_eq!(hasher.hash(config), hashes(config, &paths), "{config}");
        }
        assert_eq!(
            hasher.hash(&configs[1]).0,
            hasher.hash(&json!({"Statement": [{"y": 2}, {"LastUsed": 9, "x": 1}]})).0
        );
    }
}
