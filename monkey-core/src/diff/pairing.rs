//! Pairs the elements of an old and a new list: equal elements first, then the most alike.
//!
//! Equal elements are found at the same position (the usual case: most of a list unchanged),
//! then anywhere through a hash map of structural hashes, so pairing stays linear. Each
//! leftover new element then takes the most similar leftover old element of the same type,
//! greedily in new order, as Security Monkey's PolicyDiff does. Scoring every leftover pair is
//! quadratic, so past [`MAX_SCORED_PAIRS`] leftovers pair in order by type instead.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::Value;

use crate::diff::equal::equal;
use crate::diff::hash::{self, BuildPrehashed};
use crate::diff::similarity::{Profile, Score};

/// Above this many (new, old) leftover combinations, similarity is not scored.
const MAX_SCORED_PAIRS: usize = 1 << 16;
/// Below this many combinations, comparing directly is cheaper than hashing.
const MAX_DIRECT_PAIRS: usize = 64;
/// End of a hash chain.
const END: usize = usize::MAX;

/// The old partner of a new list element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Partner {
    /// Equal to the old element at this index.
    Equal(usize),
    /// Most like the old element at this index.
    Similar(usize),
    /// Added: no old element left to pair with.
    Unpaired,
}

/// How two lists' elements correspond.
#[derive(Debug)]
pub(crate) struct Pairing {
    /// The partner of each new element, in new order.
    pub(crate) partners: Vec<Partner>,
    /// Old elements left without a partner (removed), ascending.
    pub(crate) removed: Vec<usize>,
}

/// Pairs `new`'s elements with `old`'s; the first `same_prefix` are known to be equal.
pub(crate) fn pair(old: &[Value], new: &[Value], same_prefix: usize) -> Pairing {
    let mut partners = vec![Partner::Unpaired; new.len()];
    let mut used = vec![false; old.len()];
    for j in 0..same_prefix.min(old.len()).min(new.len()) {
        partners[j] = Partner::Equal(j);
        used[j] = true;
    }
    // The element right after the equal prefix is known to differ.
    for (j, (o, n)) in old.iter().zip(new).enumerate().skip(same_prefix + 1) {
        if equal(o, n) {
            partners[j] = Partner::Equal(j);
            used[j] = true;
        }
    }
    let mut left_new: Vec<usize> = unpaired(&partners).collect();
    let mut left_old: Vec<usize> = unused(&used).collect();
    if !left_new.is_empty() && !left_old.is_empty() {
        equal_elsewhere(old, new, &left_old, &left_new, &mut partners, &mut used);
        left_new.retain(|&j| partners[j] == Partner::Unpaired);
        left_old.retain(|&i| !used[i]);
    }
    if !left_new.is_empty() && !left_old.is_empty() {
        if left_new.len().saturating_mul(left_old.len()) <= MAX_SCORED_PAIRS {
            most_alike(old, new, &left_old, &left_new, &mut partners, &mut used);
        } else {
            in_order_by_type(old, new, &left_old, &left_new, &mut partners, &mut used);
        }
    }
    Pairing { partners, removed: unused(&used).collect() }
}

fn unpaired(partners: &[Partner]) -> impl Iterator<Item = usize> + '_ {
    (0..partners.len()).filter(|&j| partners[j] == Partner::Unpaired)
}

fn unused(used: &[bool]) -> impl Iterator<Item = usize> + '_ {
    (0..used.len()).filter(|&i| !used[i])
}

/// Pairs leftover elements equal to one another at different positions.
fn equal_elsewhere(
    old: &[Value],
    new: &[Value],
    left_old: &[usize],
    left_new: &[usize],
    partners: &mut [Partner],
    used: &mut [bool],
) {
    if left_old.len().saturating_mul(left_new.len()) <= MAX_DIRECT_PAIRS {
        for &j in left_new {
            // Leftovers at the same position were compared already.
            if let Some(&i) = left_old.iter().find(|&&i| i != j && !used[i] && equal(&old[i], &new[j])) {
                partners[j] = Partner::Equal(i);
                used[i] = true;
            }
        }
        return;
    }
    // Old indices by hash, each bucket a chain through `next` in ascending index order.
    let mut heads: HashMap<u64, usize, BuildPrehashed> =
        HashMap::with_capacity_and_hasher(left_old.len(), BuildPrehashed::default());
    let mut next = vec![END; old.len()];
    for &i in left_old.iter().rev() {
        if let Some(previous) = heads.insert(hash::value(&old[i]), i) {
            next[i] = previous;
        }
    }
    for &j in left_new {
        let mut i = heads.get(&hash::value(&new[j])).copied().unwrap_or(END);
        while i != END {
            if !used[i] && equal(&old[i], &new[j]) {
                partners[j] = Partner::Equal(i);
                used[i] = true;
                break;
            }
            i = next[i];
        }
    }
}

/// Pairs each leftover new element with the most similar leftover old element of its type.
fn most_alike(
    old: &[Value],
    new: &[Value],
    left_old: &[usize],
    left_new: &[usize],
    partners: &mut [Partner],
    used: &mut [bool],
) {
    let profiles: Vec<Profile<'_>> = left_old.iter().map(|&i| Profile::of(&old[i])).collect();
    for &j in left_new {
        let wanted = Profile::of(&new[j]);
        let mut best: Option<(usize, Score)> = None;
        for (&i, candidate) in left_old.iter().zip(&profiles) {
            if used[i] {
                continue;
            }
            let Some(score) = wanted.score(candidate) else {
                continue;
            };
            // Ties keep the earliest old element, so unchanged order pairs positionally.
            if score.worth_pairing() && best.is_none_or(|(_, b)| score.ratio_cmp(b) == Ordering::Greater) {
                best = Some((i, score));
            }
        }
        if let Some((i, _)) = best {
            partners[j] = Partner::Similar(i);
            used[i] = true;
        }
    }
}

/// Pairs each leftover new element with the first leftover old element of its type.
fn in_order_by_type(
    old: &[Value],
    new: &[Value],
    left_old: &[usize],
    left_new: &[usize],
    partners: &mut [Partner],
    used: &mut [bool],
) {
    // One cursor per JSON type into `left_old`: each only moves forward.
    let mut cursors = [0usize; 6];
    for &j in left_new {
        let kind = kind(&new[j]);
        let cursor = &mut cursors[kind];
        while let Some(&i) = left_old.get(*cursor) {
            *cursor += 1;
            if !used[i] && self::kind(&old[i]) == kind {
                partners[j] = Partner::Similar(i);
                used[i] = true;
                break;
            }
        }
    }
}

fn kind(value: &Value) -> usize {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}
