//! The ignore list: `monkey ignore add|list|remove`.

use crate::Failure;
use crate::cli::{Format, IgnoreCommand};
use crate::commands::watcher_config::watched_technology;
use crate::output;
use crate::output::say;
use monkey_core::model::{IgnoreEntry, Technology};
use monkey_core::store::Store;

/// `monkey ignore ...`.
pub(crate) async fn run(store: &dyn Store, command: IgnoreCommand) -> Result<(), Failure> {
    match command {
        IgnoreCommand::Add { technology, prefix, notes } => {
            // Only watched technologies: an entry for a misspelt one would silently match nothing.
            let (technology, _) = watched_technology(&technology).await?;
            let entry = IgnoreEntry::new(technology, prefix, notes)?;
            store.put_ignore_entry(&entry).await?;
            say!("Ignoring {} items whose name starts with {:?}", entry.technology, entry.prefix);
            Ok(())
        }
        IgnoreCommand::List { format } => {
            let entries = store.ignore_entries().await?;
            match format {
                Format::Json => output::json(&entries)?,
                Format::Table => {
                    let rows: Vec<Vec<String>> = entries
                        .iter()
                        .map(|e| vec![e.technology.to_string(), e.prefix.clone(), e.notes.clone()])
                        .collect();
                    output::table(&["TECHNOLOGY", "PREFIX", "NOTES"], &rows);
                }
            }
            Ok(())
        }
        IgnoreCommand::Remove { technology, prefix } => {
            // Any valid technology: entries of technologies no longer watched can be removed.
            let technology = Technology::parse(&technology)?;
            if !store.delete_ignore_entry(&technology, &prefix).await? {
                return Err(Failure::usage(format!(
                    "no ignore entry for {technology} items starting with {prefix:?}; `monkey ignore list` shows them"
                )));
            }
            say!("Watching {technology} items whose name starts with {prefix:?} again");
            Ok(())
        }
    }
}
