//! Fast 64-bit structural hashes of JSON values, for pairing list elements.
//!
//! Equal values hash equally whatever the key order of their objects; unequal values may
//! collide, so callers confirm a hash match with `==`. Not a cryptographic or stable hash.

use std::hash::{BuildHasherDefault, Hasher};

use serde_json::{Number, Value};

const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// Folds `word` into the running hash `state`.
#[inline]
pub(crate) fn mix(state: u64, word: u64) -> u64 {
    (state.rotate_left(23) ^ word).wrapping_mul(MULTIPLIER)
}

/// Spreads every input bit over the whole word (MurmurHash3's finaliser).
#[inline]
pub(crate) fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The hash of a string's bytes, read eight at a time.
pub(crate) fn text(state: u64, s: &str) -> u64 {
    let bytes = s.as_bytes();
    let mut h = state;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = mix(h, u64::from_le_bytes(word));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(word));
    }
    mix(h, bytes.len() as u64)
}

/// The hash of a number, consistent with `Number`'s equality.
fn number(n: &Number) -> u64 {
    if let Some(u) = n.as_u64() {
        mix(3, u)
    } else if let Some(i) = n.as_i64() {
        mix(4, i as u64)
    } else {
        let f = n.as_f64().unwrap_or_default();
        // 0.0 == -0.0, so both must hash alike.
        let f = if f == 0.0 { 0.0 } else { f };
        mix(5, f.to_bits())
    }
}

/// The hash of a scalar; containers get a hash of their kind and length only.
pub(crate) fn scalar(value: &Value) -> u64 {
    match value {
        Value::Null => 1,
        Value::Bool(b) => mix(2, u64::from(*b)),
        Value::Number(n) => number(n),
        Value::String(s) => text(6, s),
        Value::Array(items) => mix(7, items.len() as u64),
        Value::Object(map) => mix(8, map.len() as u64),
    }
}

/// The structural hash of a whole value.
pub(crate) fn value(v: &Value) -> u64 {
    finish(raw(v))
}

fn raw(v: &Value) -> u64 {
    match v {
        Value::Array(items) => {
            let h = items.iter().fold(7, |h, item| mix(h, raw(item)));
            mix(h, items.len() as u64)
        }
        Value::Object(map) => {
            // A sum of mixed entries does not depend on iteration order.
            let sum = map.iter().fold(0u64, |sum, (k, x)| sum.wrapping_add(finish(mix(text(9, k), raw(x)))));
            mix(mix(8, sum), map.len() as u64)
        }
        scalar_value => scalar(scalar_value),
    }
}

/// A `Hasher` for keys that already are well-mixed `u64` hashes.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Builds [`Prehashed`] hashers for `HashMap<u64, _>`.
pub(crate) type BuildPrehashed = BuildHasherDefault<Prehashed>;
