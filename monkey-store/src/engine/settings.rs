//! Settings: score overrides, the ignore list, the network whitelist and watcher configurations.

use super::keys::{Key, table};
use super::records;
use crate::kv::{KvRead, KvWrite};
use monkey_core::ModelError;
use monkey_core::model::{IgnoreEntry, NetworkWhitelistEntry, ScoreOverride, Technology, WatcherConfig};
use monkey_core::store::{StoreError, StoreResult};

fn override_key(technology: &Technology, check: &str) -> Key {
    Key::new(table::SCORE_OVERRIDE).str(technology.as_str()).str(check)
}

fn ignore_key(technology: &Technology, prefix: &str) -> Key {
    Key::new(table::IGNORE).str(technology.as_str()).str(prefix)
}

fn whitelist_key(name: &str) -> Key {
    Key::new(table::WHITELIST).str(name)
}

fn watcher_key(technology: &Technology) -> Key {
    Key::new(table::WATCHER_CONFIG).str(technology.as_str())
}

/// Refuses an empty identifying field, which no lookup could name.
fn required(field: &'static str, value: &str) -> StoreResult<()> {
    if value.trim().is_empty() {
        return Err(StoreError::Invalid(ModelError::Field {
            field,
            input: value.to_owned(),
            reason: "it is empty".into(),
        }));
    }
    Ok(())
}

/// Inserts or replaces the override of (technology, check).
pub(crate) fn put_override(w: &mut dyn KvWrite, value: &ScoreOverride) -> StoreResult<()> {
    required("check", &value.check)?;
    records::put(w, &override_key(&value.technology, &value.check), value)
}

/// Every override, by (technology, check).
pub(crate) fn overrides(r: &dyn KvRead) -> StoreResult<Vec<ScoreOverride>> {
    records::list(r, &Key::new(table::SCORE_OVERRIDE))
}

/// Deletes the override of (technology, check).
pub(crate) fn delete_override(w: &mut dyn KvWrite, technology: &Technology, check: &str) -> StoreResult<bool> {
    records::remove(w, &override_key(technology, check))
}

/// Inserts or replaces the ignore entry of (technology, prefix).
pub(crate) fn put_ignore(w: &mut dyn KvWrite, entry: &IgnoreEntry) -> StoreResult<()> {
    required("ignore prefix", &entry.prefix)?;
    records::put(w, &ignore_key(&entry.technology, &entry.prefix), entry)
}

/// Every ignore entry, by (technology, prefix).
pub(crate) fn ignore_entries(r: &dyn KvRead) -> StoreResult<Vec<IgnoreEntry>> {
    records::list(r, &Key::new(table::IGNORE))
}

/// Deletes the ignore entry of (technology, prefix).
pub(crate) fn delete_ignore(w: &mut dyn KvWrite, technology: &Technology, prefix: &str) -> StoreResult<bool> {
    records::remove(w, &ignore_key(technology, prefix))
}

/// Inserts or replaces the whitelist entry with this name.
pub(crate) fn put_whitelist(w: &mut dyn KvWrite, entry: &NetworkWhitelistEntry) -> StoreResult<()> {
    required("whitelist name", &entry.name)?;
    records::put(w, &whitelist_key(&entry.name), entry)
}

/// Every whitelist entry, by name.
pub(crate) fn whitelist(r: &dyn KvRead) -> StoreResult<Vec<NetworkWhitelistEntry>> {
    records::list(r, &Key::new(table::WHITELIST))
}

/// Deletes the whitelist entry with this name.
pub(crate) fn delete_whitelist(w: &mut dyn KvWrite, name: &str) -> StoreResult<bool> {
    records::remove(w, &whitelist_key(name))
}

/// Inserts or replaces a technology's configuration.
pub(crate) fn put_watcher_config(w: &mut dyn KvWrite, config: &WatcherConfig) -> StoreResult<()> {
    records::put(w, &watcher_key(&config.technology), config)
}

/// Every watcher configuration, by technology.
pub(crate) fn watcher_configs(r: &dyn KvRead) -> StoreResult<Vec<WatcherConfig>> {
    records::list(r, &Key::new(table::WATCHER_CONFIG))
}
