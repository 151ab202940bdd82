//! The diff's equality of values and texts is `==`'s.

use serde_json::json;

use crate::diff::equal::{equal, same_text};

#[test]
fn texts_differing_at_any_byte_are_different() {
    // Lengths around the word size, with a difference at every position in turn.
    for len in 0..=26 {
        let text: String = (0..len).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        assert!(same_text(&text, &text.clone()), "{len}");
        for at in 0..len {
            let mut other = text.clone().into_bytes();
            other[at] = b'_';
            let other = String::from_utf8(other).unwrap_or_default();
            assert!(!same_text(&text, &other), "{len} {at}");
        }
        assert!(!same_text(&text, &format!("{text}_")), "{len}");
    }
}

#[test]
fn values_are_equal_as_eq_says() {
    let values = [
        json!(null),
        json!(false),
        json!(0),
        json!(0.0),
        json!(-0.0),
        json!(1),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!(""),
        json!("0"),
        json!([]),
        json!([null]),
        json!({}),
        json!({"a": 1}),
        json!({"a": 1.0}),
        json!({"b": 1}),
        json!({"a": [1, {"c": "déjà vu"}]}),
        json!({"a": [1, {"c": "déjà vü"}]}),
    ];
    for a in &values {
        for b in &values {
            assert_eq!(equal(a, b), a == b, "{a} {b}");
        }
    }
}
