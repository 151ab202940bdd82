//! HTML, terminal and unified renderings.

use serde_json::json;

use crate::diff::{diff, unified};

#[test]
fn html_escapes_keys_and_values() {
    let old = json!({"<script>alert(1)</script>": "a & b", "keep": "it's"});
    let new = json!({"<script>alert(1)</script>": "<script>alert(2)</script>", "keep": "it's"});
    let html = diff(&old, &new).to_html();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(html.contains("&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;: "));
    assert!(html.contains("a &amp; b"));
    assert!(html.contains("it&#39;s"));
}

#[test]
fn html_colours_lines() {
    let html = diff(&json!({"a": 1, "b": 2}), &json!({"a": 1, "c": 3})).to_html();
    assert!(html.starts_with("<div class=\"monkey-diff\""));
    let lines: Vec<&str> = html.split("</div>").collect();
    let line = |text: &str| {
        lines.iter().find(|l| l.ends_with(text)).unwrap_or_else(|| panic!("no line {text} in {html}")).to_string()
    };
    assert!(line("&quot;a&quot;: 1,").contains("diff-same"));
    let removed = line("&quot;b&quot;: 2,");
    assert!(removed.contains("diff-removed") && removed.contains("color:#82071e"));
    let added = line("&quot;c&quot;: 3");
    assert!(added.contains("diff-added") && added.contains("color:#116329"));
    assert!(added.contains("+&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;"));
}

#[test]
fn ansi_marks_lines() {
    let text = diff(&json!({"a": [1]}), &json!({"a": [1, 2]})).to_ansi();
    assert_eq!(text, "  {\n      \"a\": [\n          1,\n\u{1b}[32m+         2\u{1b}[0m\n      ]\n  }\n");
}

#[test]
fn ansi_escapes_control_characters() {
    let text = diff(&json!({"k": "a"}), &json!({"k\u{1b}[2J": "b\u{9b}c"})).to_ansi();
    assert!(!text.contains("\u{1b}[2J"), "{text:?}");
    assert!(!text.contains('\u{9b}'));
    assert!(text.contains("\\u001b[2J"));
    assert!(text.contains("\\u009b"));
}

#[test]
fn unified_shows_changed_lines_with_headers() {
    let old = json!({"a": 1, "b": [1, 2, 3], "c": true});
    let new = json!({"a": 1, "b": [1, 5, 3], "c": true});
    let text = unified(&old, &new, 1);
    assert_eq!(text, "--- old\n+++ new\n@@ -4,3 +4,3 @@\n     1,\n-    2,\n+    5,\n     3\n");
    assert_eq!(unified(&old, &old, 3), "");
}
