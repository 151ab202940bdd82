//! Printing listings as aligned tables or JSON.
//!
//! A reader that stops early (`monkey accounts list | head`) closes the pipe: printing then
//! stops quietly instead of panicking.

use serde::Serialize;
use std::io::{ErrorKind, Write};

/// Prints rows as columns padded to their widest cell, with a header.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    let mut line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    let _closed = std::iter::once(header.to_vec())
        .chain(rows.iter().map(|row| row.iter().map(String::as_str).collect()))
        .try_for_each(&mut line);
}

/// Prints a value as pretty JSON.
pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes a line to standard output; a closed pipe (`| head`) ends output quietly.
pub(crate) fn line(text: &str) {
    let _closed = writeln!(std::io::stdout().lock(), "{text}");
}

/// `println!` that stops quietly when the reader closed the pipe.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::line(&format!($($arg)*))
    };
}
pub(crate) use say;
