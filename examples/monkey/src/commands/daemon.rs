//! `monkey run` and `monkey serve`: the scheduler, and the API other monkey commands use while
//! this process holds the store.

use crate::Failure;
use crate::cli::DaemonArgs;
use crate::commands::find_changes::aws_monkey;
use crate::output::say;
use anyhow::Context;
use monkey_core::engine::{Scheduler, SchedulerSettings};
use monkey_core::store::{Store, StoreError};
use monkey_web::admin::{AdminFile, AdminToken};
use monkey_web::{AppState, router};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// Runs until SIGINT or SIGTERM. `serve` listens on 127.0.0.1:8080 by default, `run` on a free
/// loopback port (its API is for other monkey commands; `monkey.api` in the data dir names it).
pub(crate) async fn daemon(
    store: Result<Arc<dyn Store>, StoreError>,
    data_dir: &Path,
    config: Option<&Path>,
    args: DaemonArgs,
    serve: bool,
) -> Result<(), Failure> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("MONKEY_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .try_init();
    let store = match store {
        Ok(store) => store,
        Err(StoreError::Locked { .. }) => {
            let running = AdminFile::read(data_dir).ok().flatten().map(|f| f.address.to_string());
            return Err(Failure::usage(format!(
                "another monkey already runs on this store{}; stop it first (one store, one process)",
                running.map(|a| format!(" (its API: http://{a})")).unwrap_or_default()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let config = crate::config::Config::load(config)?;
    let (aws, notify, auth) = (config.aws()?, config.notify()?, config.auth()?);
    let (monkey, notifications) = aws_monkey(Arc::clone(&store), aws, notify).await?;
    let recovered = monkey.recover().await.context("cannot recover interrupted runs")?;
    if recovered > 0 {
        tracing::info!(recovered, "re-audited what runs of a stopped monkey had committed");
    }
    let settings = SchedulerSettings {
        concurrency: args.concurrency.max(1),
        per_account: args.per_account.max(1),
        ..SchedulerSettings::default()
    };
    let scheduler = Scheduler::new(Arc::clone(&monkey), settings);
    let waker = scheduler.waker();

    let default = if serve { SocketAddr::from(([127, 0, 0, 1], 8080)) } else { SocketAddr::from(([127, 0, 0, 1], 0)) };
    let listen = args.listen.unwrap_or(default);
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr().context("cannot read the listening address")?;
    let token = AdminToken::generate().context("cannot make an admin token")?;
    if serve {
        first_admin(store.as_ref(), address).await?;
    }
    let state = AppState::new(Arc::clone(&store))
        .with_auth(auth)
        .with_admin_token(token.clone())
        .with_engine(Arc::clone(&monkey))
        .with_poke(move || waker.notify_one());
    let published = AdminFile::new(address, token)
        .publish(data_dir)
        .with_context(|| format!("cannot write the API file in {}", data_dir.display()))?;
    say!(
        "monkey {}: watching {} technologies; API on http://{address}/ (metrics: /metrics); stop with Ctrl-C or SIGTERM",
        if serve { "serve" } else { "run" },
        monkey.technologies().len()
    );

    let (stop_server, server_stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = server_stopped.await;
            })
            .await
    });
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let stopped = |mut stopping: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    let mail_stopped = stopped(stopping.clone());
    let mail = tokio::spawn(async move { notifications.run(mail_stopped).await });
    let signal = tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let ran = scheduler.run(stopped(stopping)).await.context("the scheduler stopped")?;
    tracing::info!(ran, "stopping: no new runs; running ones finished or were left for recovery");
    signal.abort();
    if let Err(e) = mail.await {
        tracing::warn!("the notification task failed: {e}");
    }
    let _ = stop_server.send(());
    match server.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("the API stopped with an error: {e}"),
        Err(e) => tracing::warn!("the API task failed: {e}"),
    }
    published.remove().context("cannot remove the API file")?;
    Ok(())
}

/// On a store without users, creates an administrator so that someone can log in: the e-mail
/// and password from MONKEY_ADMIN_EMAIL / MONKEY_ADMIN_PASSWORD, or `admin@localhost` with a
/// random password printed once.
async fn first_admin(store: &dyn Store, address: SocketAddr) -> Result<(), Failure> {
    if !store.users().await?.is_empty() {
        return Ok(());
    }
    let email = std::env::var("MONKEY_ADMIN_EMAIL").unwrap_or_else(|_| "admin@localhost".to_owned());
    let (password, shown) = match std::env::var("MONKEY_ADMIN_PASSWORD") {
        Ok(password) => (password, false),
        Err(_) => {
            (monkey_web::auth::sessions::random_token().context("cannot make a password")?[..24].to_owned(), true)
        }
    };
    let mut user = monkey_core::model::User::new(&email, monkey_core::model::Role::Admin)?;
    user.password_hash = Some(
        monkey_web::auth::password::hash_password(&password)
            .map_err(|e| Failure::usage(format!("MONKEY_ADMIN_PASSWORD: {e}")))?,
    );
    store.put_user(&user).await?;
    if shown {
        say!(
            "first run: log in at http://{address}/ as {email} with password {password} (shown once; change it in Settings)"
        );
    } else {
        say!("first run: created the administrator {email}");
    }
    Ok(())
}

/// SIGINT (Ctrl-C) or, on unix, SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
