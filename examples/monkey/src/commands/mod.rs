//! Carrying out a parsed command against the store.

mod accounts;
mod audit;
mod audit_changes;
mod checks;
mod config_check;
mod daemon;
mod demo;
mod export;
mod find_changes;
mod ignore;
mod outbox;
mod override_score;
mod record;
mod status;
mod user;
mod watcher_config;
mod whitelist;

use crate::Failure;
use crate::cli::{Cli, Command, ConfigCommand};
use anyhow::Context;
use monkey_core::store::{Store, StoreError};
use std::sync::Arc;

/// Runs one command.
pub(crate) async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Checks { format } => checks::list(format),
        Command::FindChanges { accounts, technologies } => match open_local(&cli.store, &cli.data_dir) {
            Err(StoreError::Locked { .. }) => {
                let remote = remote(&cli.data_dir).await?.ok_or_else(|| {
                    Failure::Runtime(anyhow::anyhow!(
                        "the store in {} is held by a process that publishes no API; stop it first",
                        cli.data_dir.display()
                    ))
                })?;
                find_changes::through(&remote, &accounts, &technologies).await
            }
            store => {
                let config = crate::config::Config::load(cli.config.as_deref())?;
                let (aws, notify) = (config.aws()?, config.notify()?);
                let (monkey, notifications) = find_changes::aws_monkey(store?, aws, notify).await?;
                find_changes::find_changes(monkey, &notifications, &accounts, &technologies).await
            }
        },
        Command::Run(args) => {
            let store = open_for_daemon(&cli.store, &cli.data_dir).await;
            daemon::daemon(store, &cli.data_dir, cli.config.as_deref(), args, false).await
        }
        Command::Serve(args) => {
            let store = open_for_daemon(&cli.store, &cli.data_dir).await;
            daemon::daemon(store, &cli.data_dir, cli.config.as_deref(), args, true).await
        }
        Command::Outbox { limit, format } => {
            outbox::list(&*open(&cli.store, &cli.data_dir).await?, limit, format).await
        }
        Command::Status { format } => status::status(&*open(&cli.store, &cli.data_dir).await?, format).await,
        Command::Demo { dir, pause } => demo::demo(&dir, std::time::Duration::from_secs(pause)).await,
        Command::Audit { input, format, output, min_score } => {
            let store = audit::existing_store(&cli.store, &cli.data_dir);
            audit::audit(store, &input, format, output.as_deref(), min_score).await
        }
        Command::Record { account, out, technologies } => {
            let aws = crate::config::Config::load(cli.config.as_deref())?.aws()?;
            record::record(&*open(&cli.store, &cli.data_dir).await?, aws, &account, &out, &technologies).await
        }
        Command::AddAccountAws(args) => accounts::add_aws(&*open(&cli.store, &cli.data_dir).await?, args).await,
        Command::User(command) => user::run(&*open(&cli.store, &cli.data_dir).await?, command).await,
        Command::Accounts(command) => accounts::run(&*open(&cli.store, &cli.data_dir).await?, command).await,
        Command::EnableAccounts(selection) => {
            accounts::set_active(&*open(&cli.store, &cli.data_dir).await?, &selection.accounts, true).await
        }
        Command::DisableAccounts(selection) => {
            accounts::set_active(&*open(&cli.store, &cli.data_dir).await?, &selection.accounts, false).await
        }
        Command::DeleteAccount { name } => accounts::delete(&*open(&cli.store, &cli.data_dir).await?, &name).await,
        Command::AuditChanges { accounts, technologies, send_report, skip_batch: _ } => {
            let store = open(&cli.store, &cli.data_dir).await?;
            audit_changes::audit_changes(&*store, &accounts, &technologies, send_report).await
        }
        Command::WatcherConfig(command) => watcher_config::run(&*open(&cli.store, &cli.data_dir).await?, command).await,
        Command::AddWatcherConfig { technology, interval, disabled } => {
            let store = open(&cli.store, &cli.data_dir).await?;
            watcher_config::add_watcher_config(&*store, &technology, &interval, disabled).await
        }
        Command::Ignore(command) => ignore::run(&*open(&cli.store, &cli.data_dir).await?, command).await,
        Command::Whitelist(command) => whitelist::run(&*open(&cli.store, &cli.data_dir).await?, command).await,
        Command::SyncNetworks { input, authoritative, bucket } => {
            let store = open(&cli.store, &cli.data_dir).await?;
            whitelist::sync_networks(&*store, &input, authoritative, bucket.as_deref()).await
        }
        Command::OverrideScore(command) => override_score::run(&*open(&cli.store, &cli.data_dir).await?, command).await,
        Command::AddOverrideScore { technology, check, auditor: _, score, disabled, patterns } => {
            let store = open(&cli.store, &cli.data_dir).await?;
            override_score::add_override_score(&*store, &technology, &check, score, disabled, &patterns).await
        }
        Command::AddOverrideScores { file, mappings } => {
            let store = open(&cli.store, &cli.data_dir).await?;
            override_score::add_override_scores(&*store, &file, mappings.as_deref()).await
        }
        Command::Export(args) => export::export(&*open(&cli.store, &cli.data_dir).await?, args).await,
        Command::Config(ConfigCommand::Check { format }) => {
            config_check::check(cli.config.as_deref(), &cli.data_dir, cli.store.as_deref(), format)
        }
    }
}

/// The store named by `--store`, or the default redb store in the data directory; while a
/// running monkey holds it, that monkey's API (named in the data directory's `monkey.api`).
async fn open(spec: &Option<String>, data_dir: &std::path::Path) -> Result<Arc<dyn Store>, Failure> {
    match open_local(spec, data_dir) {
        Err(locked @ StoreError::Locked { .. }) => match remote(data_dir).await? {
            Some(remote) => Ok(Arc::new(remote)),
            None => Err(locked.into()),
        },
        store => store.map_err(Failure::from),
    }
}

/// Opens the store for a daemon: a command that holds it for a moment is waited for (a few
/// seconds); a daemon that answers on the API holds it for good.
async fn open_for_daemon(spec: &Option<String>, data_dir: &std::path::Path) -> Result<Arc<dyn Store>, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match open_local(spec, data_dir) {
            Err(StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                let running = match monkey_web::client::RemoteStore::discover(data_dir) {
                    Ok(Some(remote)) => remote.ping().await.is_ok(),
                    _ => false,
                };
                if running {
                    return open_local(spec, data_dir);
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            other => return other,
        }
    }
}

/// Opens the store itself, creating the data directory for the default one.
fn open_local(spec: &Option<String>, data_dir: &std::path::Path) -> Result<Arc<dyn Store>, StoreError> {
    let spec = match spec {
        Some(spec) => spec.clone(),
        None => {
            std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Backend {
                backend: "filesystem",
                message: format!("cannot create the data directory {}: {e}", data_dir.display()),
                retryable: false,
            })?;
            format!("redb:{}", data_dir.join("monkey.redb").display())
        }
    };
    monkey_store::open(&spec)
}

/// The running monkey that holds the store, through its API. A monkey that is starting (or
/// one killed without removing its file, replaced by a new one) may not answer yet: the file
/// is read again for a few seconds until the monkey holding the store does.
/// `None` when no monkey publishes an API for this data directory (the store is held by
/// something else).
async fn remote(data_dir: &std::path::Path) -> Result<Option<monkey_web::client::RemoteStore>, Failure> {
    let start = std::time::Instant::now();
    let deadline = start + std::time::Duration::from_secs(15);
    loop {
        let found = monkey_web::client::RemoteStore::discover(data_dir)
            .with_context(|| format!("cannot read the running monkey's API file in {}", data_dir.display()))?;
        let answer = match &found {
            Some(remote) => remote.ping().await.map_err(|e| e.to_string()),
            None => Err("it publishes no API (monkey.api is missing)".to_owned()),
        };
        match (found, answer) {
            (Some(remote), Ok(())) => return Ok(Some(remote)),
            (None, _) if start.elapsed() >= std::time::Duration::from_secs(2) => return Ok(None),
            (_, Err(why)) if std::time::Instant::now() >= deadline => {
                return Err(Failure::Runtime(anyhow::anyhow!(
                    "the store in {} is held by another process, and {why}; stop it or wait",
                    data_dir.display()
                )));
            }
            _ => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    }
}
