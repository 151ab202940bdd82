//! Watcher schedules: `monkey watcher-config list|set` and Security Monkey's `add_watcher_config`.

use crate::Failure;
use crate::cli::{Format, WatcherConfigCommand};
use crate::output;
use crate::output::say;
use monkey_core::model::{Account, Interval, Technology, WatcherConfig};
use monkey_core::store::{Store, StoreExt};
use monkey_watchers::aws::{AwsSession, AwsSettings};
use monkey_watchers::aws_watchers;
use serde::Serialize;
use std::sync::Arc;

/// `monkey watcher-config ...`.
pub(crate) async fn run(store: &dyn Store, command: WatcherConfigCommand) -> Result<(), Failure> {
    match command {
        WatcherConfigCommand::List { format } => list(store, format).await,
        WatcherConfigCommand::Set { technology, interval, enabled, account } => {
            set(store, &technology, interval.as_deref(), enabled, account.as_deref()).await
        }
    }
}

/// Security Monkey's `add_watcher_config -t TECH -i MINUTES [-d]`.
pub(crate) async fn add_watcher_config(
    store: &dyn Store,
    technology: &str,
    minutes: &str,
    disabled: bool,
) -> Result<(), Failure> {
    set(store, technology, Some(minutes), Some(!disabled), None).await
}

/// The technologies this binary watches, sorted, with their watchers' default intervals.
pub(crate) async fn watched() -> Vec<(Technology, Interval)> {
    // A session is only needed to build the watchers: with static credentials and no role to
    // assume, nothing is sent to AWS and no credential chain is consulted.
    let settings = AwsSettings {
        static_credentials: Some(("unused".into(), "unused".into())),
        assume_role: false,
        ..AwsSettings::default()
    };
    let session = Arc::new(AwsSession::new(settings).await);
    aws_watchers(&session).iter().map(|w| (w.technology().clone(), w.default_interval())).collect()
}

/// `input` as one of the technologies this binary watches, or a usage error listing them.
pub(crate) async fn watched_technology(input: &str) -> Result<(Technology, Interval), Failure> {
    let watched = watched().await;
    watched.iter().find(|(t, _)| t.as_str() == input).cloned().ok_or_else(|| {
        let known: Vec<&str> = watched.iter().map(|(t, _)| t.as_str()).collect();
        Failure::usage(format!("unknown technology {input:?}; known: {}", known.join(", ")))
    })
}

/// A technology's schedule as listed: stored, or the watcher's default.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    config: WatcherConfig,
    /// `false` when nothing is stored and the watcher's default applies.
    stored: bool,
}

async fn list(store: &dyn Store, format: Format) -> Result<(), Failure> {
    let mut stored = store.watcher_configs().await?;
    let mut listed: Vec<Listed> = Vec::new();
    for (technology, interval) in watched().await {
        match stored.iter().position(|c| c.technology == technology) {
            Some(i) => listed.push(Listed { config: stored.remove(i), stored: true }),
            None => listed.push(Listed { config: WatcherConfig::new(technology, interval), stored: false }),
        }
    }
    // Schedules of technologies this binary does not watch (a plugin's) are listed too.
    listed.extend(stored.into_iter().map(|config| Listed { config, stored: true }));
    listed.sort_by(|a, b| a.config.technology.cmp(&b.config.technology));
    match format {
        Format::Json => output::json(&listed)?,
        Format::Table => {
            let accounts = store.accounts().await?;
            let rows: Vec<Vec<String>> = listed
                .iter()
                .map(|l| {
                    vec![
                        l.config.technology.to_string(),
                        l.config.interval.to_string(),
                        if l.config.enabled { "yes" } else { "no" }.into(),
                        account_intervals(&l.config, &accounts),
                        if l.stored { "stored" } else { "default" }.into(),
                    ]
                })
                .collect();
            output::table(&["TECHNOLOGY", "INTERVAL", "ENABLED", "ACCOUNT INTERVALS", "SOURCE"], &rows);
        }
    }
    Ok(())
}

async fn set(
    store: &dyn Store,
    technology: &str,
    interval: Option<&str>,
    enabled: Option<bool>,
    account: Option<&str>,
) -> Result<(), Failure> {
    let (technology, default_interval) = watched_technology(technology).await?;
    if account.is_some() && enabled.is_some() {
        return Err(Failure::usage("--enabled applies to the whole technology; leave out --account"));
    }
    if account.is_some() && interval.is_none() {
        return Err(Failure::usage("--account needs --interval (or --interval default to remove it)"));
    }
    if interval.is_none() && enabled.is_none() {
        return Err(Failure::usage("nothing to set: give --interval, --enabled or both"));
    }
    let mut config = store
        .watcher_configs()
        .await?
        .into_iter()
        .find(|c| c.technology == technology)
        .unwrap_or_else(|| WatcherConfig::new(technology, default_interval));
    match account {
        Some(which) => {
            let interval = match interval {
                Some("default") | None => None,
                Some(interval) => Some(interval.parse::<Interval>()?),
            };
            let account = store.find_account(which).await?.ok_or_else(|| {
                Failure::usage(format!("no account named or numbered {which:?}; `monkey accounts list` shows them"))
            })?;
            match interval {
                Some(interval) => config.account_intervals.insert(account.number.clone(), interval),
                None => config.account_intervals.remove(&account.number),
            };
        }
        None => {
            if let Some(interval) = interval {
                config.interval = interval.parse()?;
            }
            if let Some(enabled) = enabled {
                config.enabled = enabled;
            }
        }
    }
    store.put_watcher_config(&config).await?;
    let accounts = store.accounts().await?;
    let state = if config.enabled { "enabled" } else { "disabled" };
    let mut line = format!("{}: every {}, {state}", config.technology, config.interval);
    if !config.account_intervals.is_empty() {
        line.push_str(&format!("; {}", account_intervals(&config, &accounts)));
    }
    say!("{line}");
    Ok(())
}

/// `name=15m, 123456789012=1d`: accounts by name when known.
fn account_intervals(config: &WatcherConfig, accounts: &[Account]) -> String {
    config
        .account_intervals
        .keys()
        .map(|number| {
            let name = accounts.iter().find(|a| &a.number == number).map_or(number.to_string(), |a| a.name.to_string());
            format!("{name}={}", config.interval_for(number))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
