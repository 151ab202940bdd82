//! The redb store: conformance, reopening, locking and the kill -9 test.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

backend_tests!(monkey_store::RedbStore, "redb", "monkey.redb");
