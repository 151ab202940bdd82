//! `monkey find-changes`: one pass of collection, change detection and audit, now.

use crate::Failure;
use crate::commands::export::technologies;
use crate::output::say;
use anyhow::Context;
use monkey_core::engine::{EngineError, Monkey};
use monkey_core::model::{Account, RunOutcome, RunRecord, now};
use monkey_core::store::{Store, StoreExt};
use monkey_notify::{Notifications, NotifySettings};
use monkey_watchers::aws::{AwsSession, AwsSettings};
use monkey_watchers::aws_watchers;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The watched accounts named in `which` (`all`: every active account that is not third party).
pub(crate) async fn watched_accounts(store: &dyn Store, which: &[String]) -> Result<Vec<Account>, Failure> {
    if which.iter().any(|w| w.trim().eq_ignore_ascii_case("all")) {
        return Ok(store.accounts().await?.into_iter().filter(Monkey::is_watched).collect());
    }
    let mut accounts = Vec::new();
    for name in which.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        let account = store.find_account(name).await?.ok_or_else(|| {
            Failure::usage(format!("no account named or numbered {name:?}; `monkey accounts list` shows them"))
        })?;
        accounts.push(account);
    }
    Ok(accounts)
}

/// The engine over every AWS watcher of this binary, with its change notices.
pub(crate) async fn aws_monkey(
    store: Arc<dyn Store>,
    aws: AwsSettings,
    notify: NotifySettings,
) -> Result<(Arc<Monkey>, Notifications), Failure> {
    let session = Arc::new(AwsSession::new(aws).await);
    let endpoint = session.settings().endpoint_url.clone();
    let notifications =
        Notifications::new(Arc::clone(&store), notify, Some((session.base_config(), endpoint.as_deref())))
            .context("cannot set up notifications")?;
    let watchers = aws_watchers(&session).into_iter().map(Arc::from);
    let monkey = Monkey::builder(store)
        .watchers(watchers)
        .observer(notifications.observer())
        .build()
        .context("cannot assemble the engine")?;
    Ok((Arc::new(monkey), notifications))
}

/// Runs every selected (account, technology) once and prints what each did.
pub(crate) async fn find_changes(
    monkey: Arc<Monkey>,
    notifications: &Notifications,
    which_accounts: &[String],
    which_technologies: &[String],
) -> Result<(), Failure> {
    let accounts = watched_accounts(monkey.store().as_ref(), which_accounts).await?;
    let technologies = technologies(which_technologies)?;
    let known = monkey.technologies();
    if let Some(unknown) = technologies.iter().find(|t| !known.contains(t)) {
        let known: Vec<&str> = known.iter().map(|t| t.as_str()).collect();
        return Err(Failure::usage(format!("unknown technology {unknown:?}; known: {}", known.join(", "))));
    }
    let recovered = monkey.recover().await.context("cannot recover interrupted runs")?;
    if recovered > 0 {
        eprintln!("recovered {recovered} runs a stopped monkey left unfinished");
    }
    let units = accounts.len() * if technologies.is_empty() { known.len() } else { technologies.len() };
    let done = AtomicUsize::new(0);
    let bar = std::io::stderr().is_terminal();
    let progress = |result: &Result<RunRecord, EngineError>| {
        let n = done.fetch_add(1, Ordering::SeqCst) + 1;
        let line = match result {
            Ok(run) => describe(run),
            Err(error) => format!("failed: {error}"),
        };
        let mut err = std::io::stderr().lock();
        if bar {
            let _ = write!(err, "\r\x1b[2K[{n}/{units}] {line}");
            if n == units {
                let _ = writeln!(err);
            }
        } else {
            let _ = writeln!(err, "[{n}/{units}] {line}");
        }
    };
    let results = monkey.find_changes(&accounts, &technologies, 4, &progress).await;
    print_summary(&results);
    // One attempt now; what fails waits in the outbox for the next `monkey run` or `serve`.
    let mail = notifications.courier().deliver_due(now()).await.context("cannot read the outbox")?;
    if mail.delivered + mail.retrying + mail.abandoned > 0 {
        say!(
            "notifications: {} delivered, {} waiting for a retry, {} given up",
            mail.delivered,
            mail.retrying,
            mail.abandoned
        );
    }
    let failed = results.iter().filter(|r| r.as_ref().map_or(true, |run| run.outcome == RunOutcome::Failed)).count();
    if failed > 0 {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "{failed} of {} runs failed (see `monkey status`)",
            results.len()
        )));
    }
    Ok(())
}

/// `account/technology: N items, +c ~c -d, issues +n -f`.
pub(crate) fn describe(run: &RunRecord) -> String {
    let mut line = format!(
        "{}/{}: {} items, +{} ~{} -{}, issues +{} -{}",
        run.account, run.technology, run.items, run.created, run.changed, run.deleted, run.issues_new, run.issues_fixed
    );
    if !run.failures.is_empty() {
        line.push_str(&format!(" ({} failures)", run.failures.len()));
    }
    line
}

fn print_summary(results: &[Result<RunRecord, EngineError>]) {
    let runs: Vec<&RunRecord> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    let sum = |f: fn(&RunRecord) -> usize| runs.iter().map(|r| f(r)).sum::<usize>();
    say!(
        "{} runs: {} items, {} created, {} changed, {} deleted; {} new issues, {} fixed",
        results.len(),
        sum(|r| r.items),
        sum(|r| r.created),
        sum(|r| r.changed),
        sum(|r| r.deleted),
        sum(|r| r.issues_new),
        sum(|r| r.issues_fixed)
    );
    for run in &runs {
        for failure in &run.failures {
            eprintln!("warning: {}/{}: {failure}", run.account, run.technology);
        }
    }
}

/// Asks the running monkey to run the units (it holds the store and never runs a unit twice at
/// once) and prints what each did.
pub(crate) async fn through(
    remote: &monkey_web::client::RemoteStore,
    which_accounts: &[String],
    which_technologies: &[String],
) -> Result<(), Failure> {
    use monkey_web::runs::{FindChanges, UnitResult};
    let accounts = watched_accounts(remote, which_accounts).await?;
    let request = FindChanges {
        accounts: if which_accounts.iter().any(|w| w.trim().eq_ignore_ascii_case("all")) {
            Vec::new()
        } else {
            accounts.into_iter().map(|a| a.number).collect()
        },
        technologies: technologies(which_technologies)?,
    };
    eprintln!("running through the monkey at http://{} (it holds the store)", remote.address());
    let results = remote.find_changes(&request).await?;
    let mut failed = 0;
    let results: Vec<Result<RunRecord, EngineError>> = results
        .into_iter()
        .map(|r| match r {
            UnitResult::Run(run) => {
                eprintln!("{}", describe(&run));
                if run.outcome == RunOutcome::Failed {
                    failed += 1;
                }
                Ok(run)
            }
            UnitResult::Error(message) => {
                eprintln!("failed: {message}");
                failed += 1;
                Err(EngineError::Store(monkey_core::store::StoreError::Backend {
                    backend: "monkey API",
                    message,
                    retryable: false,
                }))
            }
        })
        .collect();
    print_summary(&results);
    if failed > 0 {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "{failed} of {} runs failed (see `monkey status`)",
            results.len()
        )));
    }
    Ok(())
}
