//! One pass over a configuration object's keys, for auditors that read many of them: a
//! lookup per key costs a dozen string comparisons each, and a bucket check reads forty.

use serde_json::Value;

/// A fixed list of keys to read from configuration objects, grouped by length when the list
/// is built (at compile time), so that reading compares each key of an object only with the
/// listed keys of the same length: configurations are audited in bulk, and the text of their
/// keys is rarely in cache.
pub(crate) struct Keys<const N: usize> {
    names: [&'static str; N],
    /// One bit per listed key, for each length (lengths from 63 up share the last entry).
    by_length: [u64; 64],
}

/// Where keys of this length are listed in [`Keys::by_length`].
const fn length_slot(length: usize) -> usize {
    if length < 63 { length } else { 63 }
}

impl<const N: usize> Keys<N> {
    /// The keys `names`, at most 64 of them.
    pub(crate) const fn new(names: [&'static str; N]) -> Self {
        assert!(N <= 64, "at most 64 keys");
        let mut by_length = [0u64; 64];
        let mut index = 0;
        while index < N {
            by_length[length_slot(names[index].len())] |= 1 << index;
            index += 1;
        }
        Self { names, by_length }
    }
}

/// The values of a fixed list of keys of one configuration object.
pub(crate) struct Fields<'a, const N: usize> {
    values: [Option<&'a Value>; N],
}

impl<'a, const N: usize> Fields<'a, N> {
    /// Reads `keys` from `config`; absent keys and non-objects read as `None`.
    pub(crate) fn read(config: &'a Value, keys: &Keys<N>) -> Self {
        let mut values = [None; N];
        let Some(map) = config.as_object() else {
            return Self { values };
        };
        for (key, value) in map {
            let mut candidates = keys.by_length[length_slot(key.len())];
            while candidates != 0 {
                let index = candidates.trailing_zeros() as usize;
                if keys.names.get(index).is_some_and(|name| same_text(name, key)) {
                    if let Some(slot) = values.get_mut(index) {
                        *slot = Some(value);
                    }
                    break;
                }
                candidates &= candidates - 1;
            }
        }
        Self { values }
    }

    /// The value of the key at `index` in the list given to [`Fields::read`].
    pub(crate) fn get(&self, index: usize) -> Option<&'a Value> {
        self.values.get(index).copied().flatten()
    }

    /// The value of every listed key, in the order of the list.
    pub(crate) fn values(&self) -> [Option<&'a Value>; N] {
        self.values
    }
}

/// Whether `name` and `key` are the same text, compared inline a few bytes at a time: keys are
/// short, and calling the library's comparison costs more than comparing them. The last load
/// of each length overlaps the one before it, so no key is compared byte by byte.
fn same_text(name: &str, key: &str) -> bool {
    let (name, key) = (name.as_bytes(), key.as_bytes());
    let length = name.len();
    if length != key.len() {
        return false;
    }
    if length >= 8 {
        let mut start = 0;
        while start + 8 < length {
            if word(name, start) != word(key, start) {
                return false;
            }
            start += 8;
        }
        word(name, length - 8) == word(key, length - 8)
    } else if length >= 4 {
        half(name, 0) == half(key, 0) && half(name, length - 4) == half(key, length - 4)
    } else {
        // Lengths 1 to 3: the first, middle and last bytes are all of them.
        [0, length / 2, length.saturating_sub(1)].iter().all(|&at| name.get(at) == key.get(at))
    }
}

/// The eight bytes of `bytes` from `start` as one number (zero past the end, which the callers
/// never reach).
fn word(bytes: &[u8], start: usize) -> u64 {
    bytes.get(start..start + 8).and_then(|b| b.try_into().ok()).map_or(0, u64::from_ne_bytes)
}

/// The four bytes of `bytes` from `start` as one number (zero past the end, as for [`word`]).
fn half(bytes: &[u8], start: usize) -> u32 {
    bytes.get(start..start + 4).and_then(|b| b.try_into().ok()).map_or(0, u32::from_ne_bytes)
}

/// Reads the first and the last entry of each of `values` that is an object or a list, so
/// that their memory is on its way into cache before the checks read them one after another.
///
/// Configurations are audited in bulk and are rarely in cache. Each setting's first read
/// waits for memory; these reads do not depend on each other, so issued together the
/// processor fetches them at once. Only the ends of each container are read: walking whole
/// settings breadth first, as an earlier version did, cost more instructions than the waits it
/// saved (S3 audits of 100,000 cold buckets ran 4% to 9% faster with this instead, in paired runs).
pub(crate) fn touch<'a>(values: impl IntoIterator<Item = Option<&'a Value>>) {
    // The sum is of no use but keeps the compiler from dropping the reads.
    std::hint::black_box(ends_read(values));
}

/// The reads of [`touch`]: a sum of no meaning over the ends of every container.
fn ends_read<'a>(values: impl IntoIterator<Item = Option<&'a Value>>) -> usize {
    let mut read = 0;
    for value in values.into_iter().flatten() {
        read += match value {
            Value::Object(map) => {
                let mut entries = map.iter();
                let entry = |(key, value): (&String, &Value)| key.len() + kind(value);
                entries.next().map_or(0, entry) + entries.next_back().map_or(0, entry)
            }
            Value::Array(items) => items.first().map_or(0, kind) + items.last().map_or(0, kind),
            _ => 0,
        };
    }
    read
}

/// A number for the kind of `value`, read from its tag (and a string's length).
fn kind(value: &Value) -> usize {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(text) => 3 + text.len(),
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// The value of `key` in a small configuration object (`None` when absent or not an object).
///
/// A map lookup compares the text of every key it passes; lengths are compared first here,
/// so only a key of the right length has its text read.
pub(crate) fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_object()?.iter().find(|(name, _)| name.len() == key.len() && same_text(name, key)).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_listed_keys_in_one_pass() {
        let config = json!({"A": 1, "C": null, "D": [2], "Z": "z"});
        let fields = Fields::read(&config, &Keys::new(["A", "B", "C", "D"]));
        assert_eq!(fields.get(0), Some(&json!(1)));
        assert_eq!(fields.get(1), None);
        assert_eq!(fields.get(2), Some(&Value::Null));
        assert_eq!(fields.get(3), Some(&json!([2])));
        assert_eq!(fields.get(9), None);
        assert_eq!(Fields::read(&json!([1]), &Keys::new(["A"])).get(0), None);
    }

    #[test]
    fn keys_need_no_order_and_long_keys_are_read() {
        const LONG: &str = "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL";
        let config = json!({"Bb": 1, "Ab": 2, LONG: 3, &LONG[..64]: 4, "Cc": 5});
        let fields = Fields::read(&config, &Keys::new(["Bb", LONG, "Ab", "Cb", &LONG[..65]]));
        assert_eq!(fields.get(0), Some(&json!(1)));
        assert_eq!(fields.get(1), Some(&json!(3)));
        assert_eq!(fields.get(2), Some(&json!(2)));
        assert_eq!(fields.get(3), None);
        assert_eq!(fields.get(4), None);
    }

    #[test]
    fn texts_are_compared_whole() {
        assert!(same_text("NotificationConfiguration", "NotificationConfiguration"));
        assert!(!same_text("NotificationConfiguratioN", "NotificationConfiguration"));
        assert!(!same_text("NotificationXonfiguration", "NotificationConfiguration"));
        assert!(!same_text("Policy", "Grants"));
        assert!(!same_text("Policy", "Policy2"));
        assert!(same_text("", ""));
        // Every length up to 20, a difference at every position.
        let text = "ABCDEFGHIJKLMNOPQRST";
        for length in 0..=text.len() {
            let name = &text[..length];
            assert!(same_text(name, name));
            for at in 0..length {
                let mut other = name.as_bytes().to_vec();
                other[at] = b'x';
                assert!(!same_text(name, std::str::from_utf8(&other).unwrap()), "{name} at {at}");
            }
        }
    }

    #[test]
    fn touch_reads_the_ends_of_each_container() {
        // "ab" (2) and a list (4), then "z" (1) and the string "xyz" (3 + 3).
        let config = json!({"ab": [1, {"c": "d"}], "m": 1, "z": "xyz"});
        assert_eq!(ends_read([Some(&config)]), 2 + 4 + 1 + 3 + 3);
        // A one-entry object's entry ("k" (1), null (0)) is read once, a one-item list's item
        // (true (1)) at both ends; numbers and text are not containers, and `None` is skipped.
        assert_eq!(ends_read([Some(&json!({"k": null})), Some(&json!([true]))]), 3);
        assert_eq!(ends_read([Some(&json!("text")), Some(&json!(3)), None, Some(&json!({})), Some(&json!([]))]), 0);
        touch([Some(&config), None]);
    }

    #[test]
    fn one_field_is_read_by_name() {
        let config = json!({"Id": 1, "ID": 2, "IDs": 3});
        assert_eq!(field(&config, "ID"), Some(&json!(2)));
        assert_eq!(field(&config, "Name"), None);
        assert_eq!(field(&json!("ID"), "ID"), None);
    }
}
