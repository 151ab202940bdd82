//! Renders a diff as HTML: one `<div>` per line, added green, removed red, unchanged plain.
//!
//! Colours are inline styles as well as classes, so the diff reads the same in an e-mail
//! client that drops style sheets. Every line's text (keys and values) is HTML-escaped.

use crate::diff::lines::{self, Mark, Sink};
use crate::diff::tree::Node;

const OPEN: &str = "<div class=\"monkey-diff\" style=\"font-family:monospace;white-space:pre\">";
const CLOSE: &str = "</div>";
/// Four non-breaking spaces per level survive mail clients that collapse white space.
const INDENT: &str = "&nbsp;&nbsp;&nbsp;&nbsp;";

/// The HTML rendering of `node`.
pub(crate) fn render(node: &Node<'_>) -> String {
    let mut html = Html { out: String::from(OPEN) };
    lines::render(node, &mut html);
    html.out.push_str(CLOSE);
    html.out
}

struct Html {
    out: String,
}

impl Sink for Html {
    fn line(&mut self, mark: Mark, depth: usize, text: &str) {
        self.out.push_str(match mark {
            Mark::Same => "<div class=\"diff-line diff-same\">&nbsp;&nbsp;",
            Mark::Added => {
                "<div class=\"diff-line diff-added\" style=\"color:#116329;background-color:#dafbe1\">+&nbsp;"
            }
            Mark::Removed => {
                "<div class=\"diff-line diff-removed\" style=\"color:#82071e;background-color:#ffebe9\">-&nbsp;"
            }
        });
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
        escape(&mut self.out, text);
        self.out.push_str("</div>");
    }
}

/// Appends `text` with the five HTML-significant characters escaped.
fn escape(out: &mut String, text: &str) {
    // Copies the runs between special characters whole: most text has none. The special
    // characters are ASCII, so every cut falls on a character boundary.
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..at]);
        out.push_str(entity);
        start = at + 1;
    }
    out.push_str(&text[start..]);
}
