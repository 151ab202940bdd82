//! Carrying out a parsed command against the store.

mod accounts;
mod audit;
mod checks;
mod record;

use crate::Failure;
use crate::cli::{Cli, Command};
use anyhow::Context;
use monkey_core::store::Store;
use std::sync::Arc;

/// Runs one command.
pub(crate) async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Checks { format } => checks::list(format),
        Command::Audit { input, format, output, min_score } => {
            let store = audit::existing_store(&cli.store, &cli.data_dir);
            audit::audit(store, &input, format, output.as_deref(), min_score).await
        }
        Command::Record { account, out, technologies } => {
            let aws = crate::config::Config::load(cli.config.as_deref())?.aws()?;
            record::record(&*open(&cli.store, &cli.data_dir)?, aws, &account, &out, &technologies).await
        }
        Command::AddAccountAws(args) => accounts::add_aws(&*open(&cli.store, &cli.data_dir)?, args).await,
        Command::Accounts(command) => accounts::run(&*open(&cli.store, &cli.data_dir)?, command).await,
        Command::EnableAccounts(selection) => {
            accounts::set_active(&*open(&cli.store, &cli.data_dir)?, &selection.accounts, true).await
        }
        Command::DisableAccounts(selection) => {
            accounts::set_active(&*open(&cli.store, &cli.data_dir)?, &selection.accounts, false).await
        }
        Command::DeleteAccount { name } => accounts::delete(&*open(&cli.store, &cli.data_dir)?, &name).await,
    }
}

/// Opens the store named by `--store`, or the default redb store in the data directory.
fn open(spec: &Option<String>, data_dir: &std::path::Path) -> Result<Arc<dyn Store>, Failure> {
    let spec = match spec {
        Some(spec) => spec.clone(),
        None => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
            format!("redb:{}", data_dir.join("monkey.redb").display())
        }
    };
    monkey_store::open(&spec).map_err(Failure::from)
}
