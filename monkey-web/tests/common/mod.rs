//! A real monkey server for the tests: the router over a redb store in a temporary directory,
//! served by axum on 127.0.0.1 with an admin token.
#![allow(dead_code, clippy::unwrap_used)] // each test file uses part of it; helpers fail by panicking

use monkey_core::model::{Account, AccountName, AccountNumber};
use monkey_core::store::Store;
use monkey_web::admin::AdminToken;
use monkey_web::client::RemoteStore;
use monkey_web::{AppState, router};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server.
pub(crate) struct Server {
    pub(crate) address: SocketAddr,
    pub(crate) token: AdminToken,
    pub(crate) store: Arc<dyn Store>,
    pokes: Arc<AtomicUsize>,
    pub(crate) dir: Arc<TempDir>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

/// A fresh redb store in its own temporary directory.
pub(crate) fn redb_store() -> (Arc<dyn Store>, Arc<TempDir>) {
    let dir = tempfile::tempdir().unwrap();
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("monkey.redb").display())).unwrap();
    (store, Arc::new(dir))
}

/// A server over a fresh store, on a free port.
pub(crate) async fn start() -> Server {
    let (store, dir) = redb_store();
    serve(store, dir, AdminToken::generate().unwrap(), "127.0.0.1:0".parse().unwrap()).await
}

/// A server over `store` on `address`, taking `token`.
pub(crate) async fn serve(store: Arc<dyn Store>, dir: Arc<TempDir>, token: AdminToken, address: SocketAddr) -> Server {
    let pokes = Arc::new(AtomicUsize::new(0));
    let counter = pokes.clone();
    let state = AppState::new(store.clone()).with_admin_token(token.clone()).with_poke(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let listener = TcpListener::bind(address).await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    Server { address, token, store, pokes, dir, stop, task }
}

impl Server {
    /// A client of this server.
    pub(crate) fn remote(&self) -> RemoteStore {
        RemoteStore::new(self.address, &self.token)
    }

    /// Store calls so far that changed the store.
    pub(crate) fn pokes(&self) -> usize {
        self.pokes.load(Ordering::SeqCst)
    }

    /// Stops the server and waits until it has; returns its store and directory.
    pub(crate) async fn stop(self) -> (Arc<dyn Store>, Arc<TempDir>) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
        (self.store, self.dir)
    }
}

/// A friendly account.
pub(crate) fn account(name: &str, number: &str) -> Account {
    Account::new(AccountName::parse(name).unwrap(), AccountNumber::parse(number).unwrap())
}
