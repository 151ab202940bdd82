//! Renders a diff for a terminal: `+` lines green, `-` lines red, unchanged lines plain.
//!
//! Control characters left in the text (JSON escapes only those below U+0020) are written as
//! `\u` escapes, so a configuration value cannot send escape sequences to the terminal.

use std::fmt::Write;

use crate::diff::lines::{self, Mark, Sink};
use crate::diff::tree::Node;

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";
const INDENT: &str = "    ";

/// The terminal rendering of `node`, one line per JSON line.
pub(crate) fn render(node: &Node<'_>) -> String {
    let mut ansi = Ansi { out: String::new() };
    lines::render(node, &mut ansi);
    ansi.out
}

struct Ansi {
    out: String,
}

impl Sink for Ansi {
    fn line(&mut self, mark: Mark, depth: usize, text: &str) {
        let (colour, sign) = match mark {
            Mark::Same => ("", "  "),
            Mark::Added => (GREEN, "+ "),
            Mark::Removed => (RED, "- "),
        };
        self.out.push_str(colour);
        self.out.push_str(sign);
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
        if text.contains(char::is_control) {
            for c in text.chars() {
                if c.is_control() {
                    let _ = write!(self.out, "\\u{:04x}", u32::from(c));
                } else {
                    self.out.push(c);
                }
            }
        } else {
            self.out.push_str(text);
        }
        if !colour.is_empty() {
            self.out.push_str(RESET);
        }
        self.out.push('\n');
    }
}
