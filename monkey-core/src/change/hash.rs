//! Durable and complete hashes of a configuration, computed in one allocation-free walk.

use super::ephemeral::{Alive, EphemeralPaths};
use crate::model::Hash;
use serde_json::Value;

/// A BLAKE3 hasher behind a small buffer: a configuration is fed in many tiny pieces, and
/// batching them is several times faster than calling `update` for each.
struct Sink {
    hasher: blake3::Hasher,
    buffer: [u8; 1024],
    len: usize,
}

impl Sink {
    fn new() -> Self {
        Self { hasher: blake3::Hasher::new(), buffer: [0; 1024], len: 0 }
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > self.buffer.len() {
            self.hasher.update(&self.buffer[..self.len]);
            self.len = 0;
            if bytes.len() > self.buffer.len() {
                self.hasher.update(bytes);
                return;
            }
        }
        self.buffer[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn finish(mut self) -> Hash {
        self.hasher.update(&self.buffer[..self.len]);
        Hash(*self.hasher.finalize().as_bytes())
    }
}

/// Feeds both hashers, the durable one only outside ephemeral subtrees.
struct Walker<'p> {
    paths: &'p EphemeralPaths,
    complete: Sink,
    durable: Sink,
}

impl Walker<'_> {
    fn write(&mut self, durable: bool, bytes: &[u8]) {
        self.complete.write(bytes);
        if durable {
            self.durable.write(bytes);
        }
    }

    fn string(&mut self, durable: bool, tag: u8, s: &str) {
        self.write(durable, &[tag]);
        self.write(durable, &(s.len() as u64).to_le_bytes());
        self.write(durable, s.as_bytes());
    }

    // Containers are framed by open/close tags instead of a length prefix, so skipping
    // ephemeral children leaves the durable encoding unambiguous.
    fn value(&mut self, value: &Value, durable: bool, alive: Alive, depth: usize) {
        match value {
            Value::Null => self.write(durable, b"z"),
            Value::Bool(b) => self.write(durable, if *b { b"t" } else { b"f" }),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.write(durable, b"i");
                    self.write(durable, &i.to_le_bytes());
                } else if let Some(u) = n.as_u64() {
                    self.write(durable, b"u");
                    self.write(durable, &u.to_le_bytes());
                } else {
                    self.write(durable, b"d");
                    self.write(durable, &n.as_f64().unwrap_or(f64::NAN).to_bits().to_le_bytes());
                }
            }
            Value::String(s) => self.string(durable, b's', s),
            Value::Array(items) => {
                self.write(durable, b"[");
                for (index, item) in items.iter().enumerate() {
                    let (next, ends) = if alive == 0 { (0, false) } else { self.paths.step_index(alive, depth, index) };
                    let child_durable = durable && !ends;
                    self.write(child_durable, b",");
                    self.value(item, child_durable, next, depth + 1);
                }
                self.write(durable, b"]");
            }
            Value::Object(map) => {
                self.write(durable, b"{");
                // serde_json's Map iterates in key order (no `preserve_order`), which is what
                // makes the hash independent of the order AWS sent the keys in.
                for (key, item) in map {
                    let (next, ends) = if alive == 0 { (0, false) } else { self.paths.step_key(alive, depth, key) };
                    let child_durable = durable && !ends;
                    self.string(child_durable, b'k', key);
                    self.value(item, child_durable, next, depth + 1);
                }
                self.write(durable, b"}");
            }
        }
    }
}

/// The durable hash (ephemeral fields left out) and the complete hash of `config`.
pub fn hashes(config: &Value, ephemeral: &EphemeralPaths) -> (Hash, Hash) {
    let mut walker = Walker { paths: ephemeral, complete: Sink::new(), durable: Sink::new() };
    walker.value(config, true, ephemeral.root(), 0);
    let Walker { complete, durable, .. } = walker;
    (durable.finish(), complete.finish())
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
}
