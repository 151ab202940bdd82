//! The network whitelist: `monkey whitelist add|list|remove|sync` and Security Monkey's
//! `sync_networks`.

use crate::Failure;
use crate::cli::{Format, WhitelistCommand};
use crate::output;
use crate::output::say;
use monkey_core::model::NetworkWhitelistEntry;
use monkey_core::store::Store;
use std::path::Path;

/// `monkey whitelist ...`.
pub(crate) async fn run(store: &dyn Store, command: WhitelistCommand) -> Result<(), Failure> {
    match command {
        WhitelistCommand::Add { name, cidr, notes } => add(store, name, &cidr, notes).await,
        WhitelistCommand::List { format } => list(store, format).await,
        WhitelistCommand::Remove { name } => {
            if !store.delete_whitelist_entry(&name).await? {
                return Err(Failure::usage(format!(
                    "no whitelist entry named {name:?}; `monkey whitelist list` shows them"
                )));
            }
            say!("Removed {name} from the whitelist");
            Ok(())
        }
        WhitelistCommand::Sync { file, authoritative } => sync(store, &file, authoritative).await,
    }
}

async fn add(store: &dyn Store, name: String, cidr: &str, notes: Option<String>) -> Result<(), Failure> {
    let existing = store.whitelist().await?.into_iter().find(|e| e.name == name);
    let notes = notes.or_else(|| existing.as_ref().map(|e| e.notes.clone())).unwrap_or_default();
    let entry = NetworkWhitelistEntry::new(name, cidr, notes)?;
    store.put_whitelist_entry(&entry).await?;
    let verb = if existing.is_some() { "Updated" } else { "Added" };
    say!("{verb} {} ({}) on the whitelist", entry.name, entry.cidr);
    Ok(())
}

async fn list(store: &dyn Store, format: Format) -> Result<(), Failure> {
    let entries = store.whitelist().await?;
    match format {
        Format::Json => output::json(&entries)?,
        Format::Table => {
            let rows: Vec<Vec<String>> =
                entries.iter().map(|e| vec![e.name.clone(), e.cidr.to_string(), e.notes.clone()]).collect();
            output::table(&["NAME", "CIDR", "NOTES"], &rows);
        }
    }
    Ok(())
}

/// Security Monkey's `sync_networks -i FILE [-a] [-b BUCKET]`.
pub(crate) async fn sync_networks(
    store: &dyn Store,
    file: &Path,
    authoritative: bool,
    bucket: Option<&str>,
) -> Result<(), Failure> {
    if let Some(bucket) = bucket {
        return Err(Failure::usage(format!(
            "reading the networks from S3 (-b {bucket}) is not supported; download the file and pass it with -i"
        )));
    }
    sync(store, file, authoritative).await
}

/// Upserts every entry of `file` (a JSON object of name to CIDR), after checking them all;
/// `authoritative` deletes the entries the file does not name. Existing notes are kept.
async fn sync(store: &dyn Store, file: &Path, authoritative: bool) -> Result<(), Failure> {
    let text =
        std::fs::read_to_string(file).map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Failure::usage(format!("{} is not JSON: {e}", file.display())))?;
    let Some(object) = json.as_object() else {
        return Err(Failure::usage(format!(
            "{} must hold a JSON object of name to CIDR, e.g. {{\"office\": \"10.0.0.0/8\"}}",
            file.display()
        )));
    };
    let existing = store.whitelist().await?;
    let mut entries = Vec::with_capacity(object.len());
    let mut errors = Vec::new();
    for (name, cidr) in object {
        let Some(cidr) = cidr.as_str() else {
            errors.push(format!("{name:?}: the CIDR must be a string, not {cidr}"));
            continue;
        };
        let notes = existing.iter().find(|e| &e.name == name).map(|e| e.notes.clone()).unwrap_or_default();
        match NetworkWhitelistEntry::new(name.clone(), cidr, notes) {
            Ok(entry) => entries.push(entry),
            Err(e) => errors.push(format!("{name:?}: {e}")),
        }
    }
    if !errors.is_empty() {
        return Err(Failure::usage(format!(
            "{}: nothing written; invalid entries:\n  {}",
            file.display(),
            errors.join("\n  ")
        )));
    }
    let (mut added, mut updated, mut unchanged, mut deleted) = (0, 0, 0, 0);
    for entry in &entries {
        match existing.iter().find(|e| e.name == entry.name) {
            Some(old) if old == entry => {
                unchanged += 1;
                continue;
            }
            Some(_) => updated += 1,
            None => added += 1,
        }
        store.put_whitelist_entry(entry).await?;
    }
    if authoritative {
        for old in existing.iter().filter(|old| !object.contains_key(&old.name)) {
            store.delete_whitelist_entry(&old.name).await?;
            deleted += 1;
        }
    }
    say!("Synced {}: {added} added, {updated} updated, {unchanged} unchanged, {deleted} deleted", file.display());
    Ok(())
}
