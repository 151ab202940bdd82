//! Ephemeral paths: fields whose changes mean nothing (last-used dates, usage lists).

use crate::ModelError;

/// One segment of a path: an object key or list index, or `*` for any.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Any,
    Exact(String),
}

impl Segment {
    fn matches_key(&self, key: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Exact(s) => s == key,
        }
    }

    fn matches_index(&self, index: usize) -> bool {
        match self {
            Self::Any => true,
            Self::Exact(s) => s.parse::<usize>().is_ok_and(|i| i == index),
        }
    }
}

/// A set of ephemeral paths, each a `.`-separated list of keys, list indexes or `*`
/// (`AccessKeys.*.LastUsedDate`).
///
/// At most 64 paths: the hasher tracks which are still matching in one machine word, so
/// checking an unchanged item allocates nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EphemeralPaths {
    paths: Vec<Vec<Segment>>,
}

/// The set of paths still matching at a node, one bit per path.
pub(crate) type Alive = u64;

impl EphemeralPaths {
    /// The largest number of paths a set can hold.
    pub const MAX: usize = 64;

    /// No ephemeral paths: every change is durable.
    pub fn none() -> Self {
        Self::default()
    }

    /// Parses paths; empty paths, empty segments and more than [`Self::MAX`] paths are refused.
    pub fn parse<S: AsRef<str>>(paths: &[S]) -> Result<Self, ModelError> {
        if paths.len() > Self::MAX {
            return Err(ModelError::Field {
                field: "ephemeral paths",
                input: format!("{} paths", paths.len()),
                reason: format!("at most {} paths are supported", Self::MAX),
            });
        }
        let mut parsed = Vec::with_capacity(paths.len());
        for path in paths {
            let path = path.as_ref();
            let segments: Vec<Segment> = path
                .split('.')
                .map(|s| match s {
                    "*" => Segment::Any,
                    other => Segment::Exact(other.to_owned()),
                })
                .collect();
            if path.is_empty() || segments.iter().any(|s| *s == Segment::Exact(String::new())) {
                return Err(ModelError::Field {
                    field: "ephemeral path",
                    input: path.to_owned(),
                    reason: "a path is keys separated by '.', none of them empty".into(),
                });
            }
            parsed.push(segments);
        }
        Ok(Self { paths: parsed })
    }

    /// Whether there are no paths.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Every path alive at the root.
    pub(crate) fn root(&self) -> Alive {
        if self.paths.len() == 64 { u64::MAX } else { (1u64 << self.paths.len()) - 1 }
    }

    /// Steps from a node at `depth` into its child named `key`: the paths still alive there,
    /// and whether one of them ends there (the child is ephemeral).
    pub(crate) fn step_key(&self, alive: Alive, depth: usize, key: &str) -> (Alive, bool) {
        self.step(alive, depth, |s| s.matches_key(key))
    }

    /// Like [`Self::step_key`] for the list element at `index`.
    pub(crate) fn step_index(&self, alive: Alive, depth: usize, index: usize) -> (Alive, bool) {
        self.step(alive, depth, |s| s.matches_index(index))
    }

    fn step(&self, alive: Alive, depth: usize, matches: impl Fn(&Segment) -> bool) -> (Alive, bool) {
        let mut next = 0;
        let mut ends = false;
        let mut bits = alive;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if let Some(segment) = self.paths[i].get(depth)
                && matches(segment)
            {
                if self.paths[i].len() == depth + 1 {
                    ends = true;
                } else {
                    next |= 1 << i;
                }
            }
        }
        (next, ends)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_steps() {
        let paths = EphemeralPaths::parse(&["AccessKeys.*.LastUsedDate", "assigned_to"]).unwrap();
        let root = paths.root();
        assert_eq!(root, 0b11);
        let (alive, ends) = paths.step_key(root, 0, "assigned_to");
        assert!(ends);
        assert_eq!(alive, 0);
        let (alive, ends) = paths.step_key(root, 0, "AccessKeys");
        assert!(!ends);
        let (alive, ends) = paths.step_index(alive, 1, 3);
        assert!(!ends);
        let (_, ends) = paths.step_key(alive, 2, "LastUsedDate");
        assert!(ends);
        assert!(EphemeralPaths::parse(&["a..b"]).is_err());
        assert!(EphemeralPaths::parse(&[""]).is_err());
        let many: Vec<String> = (0..65).map(|i| format!("k{i}")).collect();
        assert!(EphemeralPaths::parse(&many).is_err());
        assert_eq!(EphemeralPaths::parse(&many[..64]).unwrap().root(), u64::MAX);
    }
}
