//! How the engines' errors become [`StoreError`]s: lock conflicts, corruption, retryable failures.

use monkey_core::store::StoreError;
use std::io;

/// The name redb errors carry in [`StoreError::Backend`].
pub(crate) const REDB: &str = "redb";
/// The name sled errors carry in [`StoreError::Backend`].
pub(crate) const SLED: &str = "sled";

/// A failure of the engine itself.
pub(crate) fn backend(backend: &'static str, message: impl Into<String>, retryable: bool) -> StoreError {
    StoreError::Backend { backend, message: message.into(), retryable }
}

/// I/O errors that may pass when tried again.
fn io_retryable(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// Any redb error met while the store is open.
pub(crate) fn redb(error: impl Into<redb::Error>) -> StoreError {
    match error.into() {
        redb::Error::Corrupted(what) => StoreError::Corrupt { what: format!("redb reports: {what}") },
        redb::Error::Io(e) => {
            let retryable = io_retryable(&e);
            backend(REDB, e.to_string(), retryable)
        }
        other => backend(REDB, other.to_string(), false),
    }
}

/// A redb error met while opening the file at `path`.
pub(crate) fn redb_open(path: &str, error: redb::DatabaseError) -> StoreError {
    match error {
        redb::DatabaseError::DatabaseAlreadyOpen => {
            StoreError::Locked { path: path.to_owned(), detail: "redb: the database file is locked".into() }
        }
        redb::DatabaseError::LockProtocolMismatch => StoreError::Locked {
            path: path.to_owned(),
            detail: "redb: another process has it open with an incompatible redb version".into(),
        },
        other => redb(other),
    }
}

/// Any sled error met while the store is open.
pub(crate) fn sled(error: sled::Error) -> StoreError {
    match error {
        sled::Error::Io(e) => {
            let retryable = io_retryable(&e);
            backend(SLED, e.to_string(), retryable)
        }
        sled::Error::Corruption { at, .. } => {
            StoreError::Corrupt { what: format!("sled reports corruption at {at:?}") }
        }
        other => backend(SLED, other.to_string(), false),
    }
}

/// A sled error met while opening the directory at `path`.
pub(crate) fn sled_open(path: &str, error: sled::Error) -> StoreError {
    // sled 0.34 reports a held lock only as an `Other` I/O error with this text.
    if let sled::Error::Io(e) = &error
        && e.to_string().contains("could not acquire lock")
    {
        return StoreError::Locked { path: path.to_owned(), detail: format!("sled: {e}") };
    }
    sled(error)
}
