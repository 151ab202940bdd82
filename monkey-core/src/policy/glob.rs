//! IAM wildcard patterns: `*` matches any run of characters (`:` included), `?` exactly one.
//!
//! Matching works on bytes and never allocates. Case folding is ASCII only: action names and
//! service prefixes are ASCII, and resource ARNs are matched case-sensitively anyway.

/// Whether `text` matches `pattern`, folding ASCII case when `fold_case`.
pub(crate) fn matches(pattern: &str, text: &str, fold_case: bool) -> bool {
    // Most patterns are a literal (`s3:GetObject`) or a literal and one final `*` (`s3:*`,
    // `s3:Get*`): the same answer as the walk's, without its backtracking.
    let (literal, open_ended) = match pattern.strip_suffix('*') {
        Some(prefix) => (prefix, true),
        None => (pattern, false),
    };
    if !has_wildcard(literal) {
        let Some(head) = text.as_bytes().get(..literal.len()) else {
            return false;
        };
        let same_head =
            if fold_case { head.eq_ignore_ascii_case(literal.as_bytes()) } else { head == literal.as_bytes() };
        return same_head && (open_ended || text.len() == literal.len());
    }
    walk_matches(pattern, text, fold_case)
}

/// [`matches`] by the general walk, whatever the pattern's shape.
pub(crate) fn walk_matches(pattern: &str, text: &str, fold_case: bool) -> bool {
    walk(pattern.as_bytes(), text.as_bytes(), |token, text, at| match token {
        b'?' => Some(char_width(text[at])),
        _ => same(token, text[at], fold_case).then_some(1),
    })
}

/// Whether every text `specific` matches is also matched by `general` (both patterns).
///
/// Sound but not complete: when this says yes, `general` covers `specific`; a few exotic pairs
/// that do cover each other get a no, which makes callers conservative, never wrong.
pub(crate) fn covers(general: &str, specific: &str, fold_case: bool) -> bool {
    // A wildcard in `specific` stands for text the general pattern cannot predict, so only a
    // `*` of the general pattern may absorb it (or a `?`, a `?`).
    walk(general.as_bytes(), specific.as_bytes(), |token, specific, at| match (token, specific[at]) {
        (b'?', b'*') => None,
        (b'?', other) => Some(char_width(other)),
        (_, b'*' | b'?') => None,
        (literal, other) => same(literal, other, fold_case).then_some(1),
    })
}

/// Whether `pattern` is nothing but `*` (it matches everything).
pub(crate) fn is_star(pattern: &str) -> bool {
    !pattern.is_empty() && pattern.bytes().all(|byte| byte == b'*')
}

/// Whether `pattern` holds a wildcard.
pub(crate) fn has_wildcard(pattern: &str) -> bool {
    pattern.bytes().any(|byte| matches!(byte, b'*' | b'?'))
}

/// Byte equality, ASCII case folded on request.
fn same(a: u8, b: u8, fold_case: bool) -> bool {
    a == b || (fold_case && a.eq_ignore_ascii_case(&b))
}

/// The length of the UTF-8 character whose first byte is `first`, so `?` eats whole characters.
fn char_width(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The classic single-backtrack glob walk: a `*` remembers where it started, and a mismatch
/// later retries with that `*` eating one more character. `step` matches one non-`*` token
/// against the text at an index and says how many bytes it consumed.
#[inline]
fn walk(pattern: &[u8], text: &[u8], step: impl Fn(u8, &[u8], usize) -> Option<usize>) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut retry: Option<(usize, usize)> = None;
    while t < text.len() {
        if let Some(&token) = pattern.get(p) {
            if token == b'*' {
                p += 1;
                retry = Some((p, t));
                continue;
            }
            if let Some(width) = step(token, text, t) {
                p += 1;
                t = (t + width).min(text.len());
                continue;
            }
        }
        let Some((after_star, start)) = retry else {
            return false;
        };
        let start = (start + char_width(text[start])).min(text.len());
        retry = Some((after_star, start));
        p = after_star;
        t = start;
    }
    pattern[p.min(pattern.len())..].iter().all(|&token| token == b'*')
}
