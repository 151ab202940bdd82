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
}

/// Whether `name` and `key` are the same text, compared inline eight bytes at a time: keys are
/// short, and calling the library's comparison costs more than comparing them.
fn same_text(name: &str, key: &str) -> bool {
    let (name, key) = (name.as_bytes(), key.as_bytes());
    if name.len() != key.len() {
        return false;
    }
    let (mut names, mut keys) = (name.chunks_exact(8), key.chunks_exact(8));
    for (a, b) in names.by_ref().zip(keys.by_ref()) {
        if word(a) != word(b) {
            return false;
        }
    }
    names.remainder().iter().zip(keys.remainder()).all(|(a, b)| a == b)
}

/// Eight bytes as one number (zero for a shorter slice, which `chunks_exact` never gives).
fn word(bytes: &[u8]) -> u64 {
    bytes.try_into().map_or(0, u64::from_ne_bytes)
}

/// The most containers [`prefetch`] visits: it bounds the walk on very large settings.
const PREFETCH_CONTAINERS: usize = 64;

/// Reads the objects and lists under `roots` breadth first, each root down to its depth (0:
/// the root alone), up to [`PREFETCH_CONTAINERS`] of them, with the text of their keys, so
/// that the checks that read them next find them in cache.
///
/// Configurations are audited in bulk and are rarely in cache, and a check reading a nested
/// setting depth first waits for memory at every level of it in turn. Read level by level,
/// the containers of one level do not depend on each other, so the processor fetches them
/// together. Depths keep the walk to what the checks read: a lifecycle rule's transitions or a
/// replication rule's destination are never looked at, and fetching them delayed the rest.
/// Key texts are read because every lookup by key compares them; most string values (a
/// statement's `Sid` and resources, a grantee's display name) are never read, so they are not
/// fetched either.
pub(crate) fn prefetch<'a>(roots: impl IntoIterator<Item = (Option<&'a Value>, u8)>) {
    // The sum is of no use but keeps the compiler from dropping the reads.
    std::hint::black_box(read_breadth_first(roots));
}

/// The walk of [`prefetch`]: the sum of the first bytes of the keys it read, of no meaning.
fn read_breadth_first<'a>(roots: impl IntoIterator<Item = (Option<&'a Value>, u8)>) -> usize {
    let mut queue = Queue::new();
    for (root, depth) in roots {
        if let Some(root) = root {
            queue.push(root, depth);
        }
    }
    let mut read = 0;
    let mut next = 0;
    while let Some((value, depth)) = queue.get(next) {
        next += 1;
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    read += first_byte(key);
                    queue.push_under(child, depth);
                }
            }
            Value::Array(items) => {
                for child in items {
                    queue.push_under(child, depth);
                }
            }
            _ => {}
        }
    }
    read
}

/// The first byte of `text`, where reading it starts.
fn first_byte(text: &str) -> usize {
    usize::from(text.as_bytes().first().copied().unwrap_or(0))
}

/// The containers [`prefetch`] has found, in the order found (breadth first), with the
/// depth still to read under each.
struct Queue<'a> {
    items: [(&'a Value, u8); PREFETCH_CONTAINERS],
    len: usize,
}

impl<'a> Queue<'a> {
    fn new() -> Self {
        static NONE: Value = Value::Null;
        Self { items: [(&NONE, 0); PREFETCH_CONTAINERS], len: 0 }
    }

    /// Queues `value` if it is an object or a list and the queue has room.
    fn push(&mut self, value: &'a Value, depth: u8) {
        if matches!(value, Value::Object(_) | Value::Array(_))
            && let Some(slot) = self.items.get_mut(self.len)
        {
            *slot = (value, depth);
            self.len += 1;
        }
    }

    /// Queues `child` when its parent, at `depth`, is not the deepest level wanted.
    fn push_under(&mut self, child: &'a Value, depth: u8) {
        if let Some(below) = depth.checked_sub(1) {
            self.push(child, below);
        }
    }

    fn get(&self, index: usize) -> Option<(&'a Value, u8)> {
        self.items.get(..self.len).and_then(|queued| queued.get(index)).copied()
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
    }

    #[test]
    fn prefetch_reads_every_container_once_within_its_bound_and_depth() {
        // The keys "ab" (97) and, under the list, "c" (99).
        let config = json!({"ab": [1, {"c": "d"}]});
        assert_eq!(read_breadth_first([(Some(&config), 2), (None, 3)]), 97 + 99);
        // At depth 1 the object in the list is not read.
        assert_eq!(read_breadth_first([(Some(&config), 1)]), 97);
        assert_eq!(read_breadth_first([(Some(&json!("text")), 1), (Some(&json!(3)), 1)]), 0);
        // Past the bound, containers are left unread rather than queued: each object read has "c".
        let wide = Value::Array((0..200).map(|_| json!({"c": 1})).collect());
        assert_eq!(read_breadth_first([(Some(&wide), 1)]), 99 * (PREFETCH_CONTAINERS - 1));
        prefetch([(Some(&wide), 1), (Some(&config), 1)]);
    }

    #[test]
    fn one_field_is_read_by_name() {
        let config = json!({"Id": 1, "ID": 2, "IDs": 3});
        assert_eq!(field(&config, "ID"), Some(&json!(2)));
        assert_eq!(field(&config, "Name"), None);
        assert_eq!(field(&json!("ID"), "ID"), None);
    }
}
