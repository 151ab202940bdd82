//! HTML escaping for text placed in mail bodies, and links to the web UI.

use monkey_core::model::ItemKey;
use std::fmt::Write;

/// Escapes `&`, `<`, `>`, `"` and `'` so the text shows as written and runs nothing.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The web UI's page of `key` under `base`.
pub(crate) fn item_link(base: &str, key: &ItemKey) -> String {
    format!(
        "{}/items/{}/{}/{}/{}",
        base.trim_end_matches('/'),
        key.technology,
        key.account,
        url_part(&key.region),
        url_part(&key.name)
    )
}

/// Percent-encodes a path segment (names may hold `/`, `?`, spaces).
fn url_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(super::escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}
