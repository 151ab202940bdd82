//! Equality of JSON values, as `==` decides it, for the diff's many comparisons of unchanged parts.
//!
//! Diffing a large list spends most of its time confirming that unchanged elements are equal.
//! `==` calls itself for every value and the C library's `memcmp` for every key and string;
//! configurations are mostly short texts and scalars, compared here without a call.
//! The answer is always `==`'s.

use serde_json::Value;

/// Whether `a == b`.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            // Maps iterate in key order, so equal maps walk in step.
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((a_key, a_value), (b_key, b_value))| same_text(a_key, b_key) && same_value(a_value, b_value))
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_value(a, b)),
        _ => same_value(a, b),
    }
}

/// [`equal`], with scalars compared in place: most values of a configuration are scalars.
#[inline(always)]
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => same_text(a, b),
        (Value::Object(_), Value::Object(_)) | (Value::Array(_), Value::Array(_)) => equal(a, b),
        (Value::Number(a), Value::Number(b)) => a == b,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

/// Whether two texts are the same bytes, compared a word at a time: the first and last eight
/// bytes (overlapping for short texts) decide most comparisons, and the rest is a loop of words.
#[inline(always)]
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let len = a.len();
    if len != b.len() {
        return false;
    }
    if len < 8 {
        return short(a, b);
    }
    // Both ends first, then every full word between them.
    if word(a, len - 8) != word(b, len - 8) {
        return false;
    }
    let mut at = 0;
    while at + 8 < len {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    true
}

/// Texts of fewer than eight bytes: two overlapping half-words, or bytes.
#[inline(always)]
fn short(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len >= 4 {
        half(a, 0) == half(b, 0) && half(a, len - 4) == half(b, len - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// The eight bytes of `bytes` from `at` as one number (zero past the end, which callers never ask).
#[inline(always)]
fn word(bytes: &[u8], at: usize) -> u64 {
    bytes.get(at..at + 8).and_then(|w| w.try_into().ok()).map_or(0, u64::from_ne_bytes)
}

/// The four bytes of `bytes` from `at` as one number (zero past the end, which callers never ask).
#[inline(always)]
fn half(bytes: &[u8], at: usize) -> u32 {
    bytes.get(at..at + 4).and_then(|w| w.try_into().ok()).map_or(0, u32::from_ne_bytes)
}
