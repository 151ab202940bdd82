//! Unified line diff of two pretty-printed JSON documents, through `similar`.
//!
//! A line diff sees list order and cannot pair moved elements: use it for plain-text reports,
//! and [`crate::diff::diff`] to know whether anything changed.

use std::time::Duration;

use serde_json::Value;
use similar::TextDiff;

/// Gives up minimising the diff of huge, very different documents after this long.
const TIMEOUT: Duration = Duration::from_secs(1);

/// A unified diff (`--- old` / `+++ new` headers) of the pretty-printed values; empty when equal.
pub fn unified(old: &Value, new: &Value, context_lines: usize) -> String {
    // `{:#}` pretty-prints; the trailing newline avoids "\ No newline at end of file".
    let old = format!("{old:#}\n");
    let new = format!("{new:#}\n");
    TextDiff::configure()
        .timeout(TIMEOUT)
        .diff_lines(&old, &new)
        .unified_diff()
        .context_radius(context_lines)
        .header("old", "new")
        .to_string()
}
