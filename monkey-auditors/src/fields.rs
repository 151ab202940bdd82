//! One pass over a configuration object's keys, for auditors that read many of them: a
//! lookup per key costs a dozen string comparisons each, and a bucket check reads forty.

use serde_json::Value;

/// The values of a fixed, sorted list of top-level keys of one configuration.
pub(crate) struct Fields<'a, const N: usize> {
    values: [Option<&'a Value>; N],
}

impl<'a, const N: usize> Fields<'a, N> {
    /// Reads `keys` (sorted ascending) from `config`; absent keys and non-objects read as `None`.
    pub(crate) fn read(config: &'a Value, keys: &[&str; N]) -> Self {
        let mut values = [None; N];
        let Some(map) = config.as_object() else {
            return Self { values };
        };
        // serde_json keeps keys sorted unless some crate in the build turns on its
        // `preserve_order` feature: then fall back to one lookup per key.
        let mut k = 0;
        let mut previous: Option<&str> = None;
        for (key, value) in map {
            let key = key.as_str();
            if previous.is_some_and(|p| p > key) {
                for (slot, wanted) in values.iter_mut().zip(keys) {
                    *slot = map.get(*wanted);
                }
                return Self { values };
            }
            previous = Some(key);
            while k < N && keys[k] < key {
                k += 1;
            }
            if k < N && keys[k] == key {
                values[k] = Some(value);
                k += 1;
            }
        }
        Self { values }
    }

    /// The value of the key at `index` in the list given to [`Fields::read`].
    pub(crate) fn get(&self, index: usize) -> Option<&'a Value> {
        self.values.get(index).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_listed_keys_in_one_pass() {
        let config = json!({"A": 1, "C": null, "D": [2], "Z": "z"});
        let fields = Fields::read(&config, &["A", "B", "C", "D"]);
        assert_eq!(fields.get(0), Some(&json!(1)));
        assert_eq!(fields.get(1), None);
        assert_eq!(fields.get(2), Some(&Value::Null));
        assert_eq!(fields.get(3), Some(&json!([2])));
        assert_eq!(fields.get(9), None);
        assert_eq!(Fields::read(&json!([1]), &["A"]).get(0), None);
    }
}
