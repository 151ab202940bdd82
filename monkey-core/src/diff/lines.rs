//! Lays a diff tree out as marked lines of JSON-like text, for the HTML and terminal renderers.
//!
//! The whole new document is shown, unchanged parts included, with removed parts where they
//! were: removed object keys in key order, removed list elements after the list's new ones
//! (as Security Monkey shows them), a changed scalar as its old line then its new line.

use std::fmt::Write;

use serde_json::Value;

use crate::diff::tree::{Entry, Item, Node};

/// What a line shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    /// In both values.
    Same,
    /// Only in the new value.
    Added,
    /// Only in the old value.
    Removed,
}

/// Receives the lines of a rendering, in order.
pub(crate) trait Sink {
    /// One line: its mark, its nesting depth, and its unescaped text.
    fn line(&mut self, mark: Mark, depth: usize, text: &str);
}

/// Feeds every line of `node` to `sink`.
pub(crate) fn render(node: &Node<'_>, sink: &mut impl Sink) {
    Layout { sink, text: String::new() }.node(0, None, node, false);
}

struct Layout<'s, S> {
    sink: &'s mut S,
    /// The line being built, reused from line to line.
    text: String,
}

impl<S: Sink> Layout<'_, S> {
    /// Starts a line with the key it belongs to, if any.
    fn start(&mut self, key: Option<&str>) {
        self.text.clear();
        if let Some(key) = key {
            json_string(&mut self.text, key);
            self.text.push_str(": ");
        }
    }

    fn end(&mut self, mark: Mark, depth: usize, comma: bool) {
        if comma {
            self.text.push(',');
        }
        self.sink.line(mark, depth, &self.text);
    }

    fn open(&mut self, mark: Mark, depth: usize, key: Option<&str>, bracket: char) {
        self.start(key);
        self.text.push(bracket);
        self.end(mark, depth, false);
    }

    fn close(&mut self, mark: Mark, depth: usize, bracket: char, comma: bool) {
        self.start(None);
        self.text.push(bracket);
        self.end(mark, depth, comma);
    }

    /// A whole value under one mark.
    fn value(&mut self, mark: Mark, depth: usize, key: Option<&str>, value: &Value, comma: bool) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                self.open(mark, depth, key, '{');
                let last = map.len() - 1;
                for (i, (k, child)) in map.iter().enumerate() {
                    self.value(mark, depth + 1, Some(k), child, i < last);
                }
                self.close(mark, depth, '}', comma);
            }
            Value::Array(items) if !items.is_empty() => {
                self.open(mark, depth, key, '[');
                let last = items.len() - 1;
                for (i, item) in items.iter().enumerate() {
                    self.value(mark, depth + 1, None, item, i < last);
                }
                self.close(mark, depth, ']', comma);
            }
            scalar => {
                self.start(key);
                // serde_json's Display writes compact JSON and escapes control characters.
                let _ = write!(self.text, "{scalar}");
                self.end(mark, depth, comma);
            }
        }
    }

    fn node(&mut self, depth: usize, key: Option<&str>, node: &Node<'_>, comma: bool) {
        match node {
            Node::Same(value) => self.value(Mark::Same, depth, key, value, comma),
            Node::Replaced { old, new } => {
                self.value(Mark::Removed, depth, key, old, comma);
                self.value(Mark::Added, depth, key, new, comma);
            }
            Node::Object(object) => {
                self.open(Mark::Same, depth, key, '{');
                let count = object.entries.len();
                for (i, (k, entry)) in object.entries.iter().enumerate() {
                    let comma = i + 1 < count;
                    match entry {
                        Entry::Both(child) => self.node(depth + 1, Some(k), child, comma),
                        Entry::Added(v) => self.value(Mark::Added, depth + 1, Some(k), v, comma),
                        Entry::Removed(v) => {
                            self.value(Mark::Removed, depth + 1, Some(k), v, comma);
                        }
                    }
                }
                self.close(Mark::Same, depth, '}', comma);
            }
            Node::Array(array) => {
                self.open(Mark::Same, depth, key, '[');
                let count = array.items.len() + array.removed.len();
                for (i, item) in array.items.iter().enumerate() {
                    let comma = i + 1 < count;
                    match item {
                        Item::Paired { node, .. } => self.node(depth + 1, None, node, comma),
                        Item::Added(v) => self.value(Mark::Added, depth + 1, None, v, comma),
                    }
                }
                for (i, &index) in array.removed.iter().enumerate() {
                    let comma = array.items.len() + i + 1 < count;
                    if let Some(v) = array.old.get(index) {
                        self.value(Mark::Removed, depth + 1, None, v, comma);
                    }
                }
                self.close(Mark::Same, depth, ']', comma);
            }
        }
    }
}

/// Writes `s` as a JSON string literal, escaped as serde_json escapes it.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
