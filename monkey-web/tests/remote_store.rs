//! `RemoteStore` over a real server and a real redb store: the whole store conformance suite
//! through the wire, errors that keep their variant and message, and a running monkey that is
//! gone or restarted.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

use common::{account, redb_store, serve, start};
use monkey_core::ModelError;
use monkey_core::model::{Comment, CommentTarget, IssueKey, ItemKey, Technology, now};
use monkey_core::store::{Store, StoreError};
use monkey_core::store_rpc::REMOTE_BACKEND;
use monkey_web::admin::AdminToken;
use monkey_web::client::RemoteStore;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn passes_the_conformance_suite_through_the_wire() {
    let server = start().await;
    let remote = server.remote();
    monkey_store::conformance::run_all(&remote).await;
    // What the suite wrote through the wire is what the server's store holds.
    let items = monkey_store::conformance::check_invariants(server.store.as_ref()).await.unwrap();
    assert_eq!(items, monkey_store::conformance::check_invariants(&remote).await.unwrap());
    monkey_store::conformance::write_sample(&remote).await;
    assert_eq!(
        monkey_store::conformance::snapshot(&remote).await,
        monkey_store::conformance::snapshot(server.store.as_ref()).await
    );
    server.stop().await;
}

#[tokio::test]
async fn a_taken_name_comes_back_as_name_taken_with_its_message() {
    let server = start().await;
    let remote = server.remote();
    let prod = account("prod", "111111111111");
    remote.put_account(&prod).await.unwrap();
    let thief = account("prod", "222222222222");
    let error = remote.put_account(&thief).await.unwrap_err();
    let local = server.store.put_account(&thief).await.unwrap_err();
    assert!(
        matches!(&error, StoreError::NameTaken { name, number } if *name == prod.name && *number == prod.number),
        "{error:?}"
    );
    assert_eq!(error.to_string(), local.to_string());
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn invalid_input_comes_back_as_invalid_with_its_message() {
    let server = start().await;
    let remote = server.remote();
    let mut bad = account("prod", "111111111111");
    bad.role_name = "not a role".into();
    let error = remote.put_account(&bad).await.unwrap_err();
    let local = server.store.put_account(&bad).await.unwrap_err();
    let StoreError::Invalid(ModelError::Remote { message }) = &error else { panic!("{error:?}") };
    assert_eq!(message, &local.to_string());
    assert_eq!(error.to_string(), local.to_string());
    assert!(error.to_string().contains("role name"), "{error}");

    remote.put_account(&account("prod", "111111111111")).await.unwrap();
    let key = ItemKey::new(Technology::parse("s3").unwrap(), bad.number.clone(), "universal", "bucket");
    let comment =
        Comment { text: " ".into(), ..Comment::new(CommentTarget::Item(key), "a@example.com", now(), "x").unwrap() };
    let error = remote.add_comment(&comment).await.unwrap_err();
    assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
    assert_eq!(error.to_string(), server.store.add_comment(&comment).await.unwrap_err().to_string());
}

#[tokio::test]
async fn not_found_comes_back_as_not_found() {
    let server = start().await;
    let remote = server.remote();
    let key = ItemKey::new(Technology::parse("s3").unwrap(), account("x", "111111111111").number, "r", "n");
    let issue = IssueKey { item: key, check: "c".into(), notes: String::new() };
    let error = remote.justify(&issue, None).await.unwrap_err();
    let local = server.store.justify(&issue, None).await.unwrap_err();
    assert!(matches!(&error, StoreError::NotFound { .. }), "{error:?}");
    assert_eq!(error.to_string(), local.to_string());
}

#[tokio::test]
async fn a_monkey_that_is_gone_does_not_answer() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let remote = RemoteStore::new(address, &AdminToken::generate().unwrap());
    let error = remote.accounts().await.unwrap_err();
    let StoreError::Backend { backend, message, retryable } = &error else { panic!("{error:?}") };
    assert_eq!(*backend, REMOTE_BACKEND);
    assert!(message.starts_with(&format!("the running monkey at {address} does not answer (")), "{message}");
    assert!(*retryable);
    assert!(remote.ping().await.is_err());
}

#[tokio::test]
async fn a_wrong_token_is_refused_with_a_clear_error() {
    let server = start().await;
    let remote = RemoteStore::new(server.address, &AdminToken::generate().unwrap());
    let error = remote.accounts().await.unwrap_err();
    let StoreError::Backend { message, retryable: false, .. } = &error else { panic!("{error:?}") };
    assert!(message.contains(&format!("the running monkey at {} refused accounts", server.address)), "{message}");
    assert!(message.contains("admin token is wrong"), "{message}");
    assert!(server.remote().ping().await.is_ok());
}

#[tokio::test]
async fn writes_poke_the_scheduler_and_reads_do_not() {
    let server = start().await;
    let remote = server.remote();
    remote.accounts().await.unwrap();
    remote.watcher_configs().await.unwrap();
    assert_eq!(server.pokes(), 0);
    remote.put_account(&account("prod", "111111111111")).await.unwrap();
    assert_eq!(server.pokes(), 1);
    remote.put_account(&account("prod", "222222222222")).await.unwrap_err();
    assert_eq!(server.pokes(), 1, "a refused write changes nothing");
    assert!(remote.delete_account(&account("prod", "111111111111").number).await.unwrap());
    assert_eq!(server.pokes(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_share_the_client() {
    let server = start().await;
    let remote = Arc::new(server.remote());
    let tasks: Vec<_> = (0..32)
        .map(|n| {
            let remote = remote.clone();
            tokio::spawn(async move {
                let account = account(&format!("a{n}"), &format!("{:012}", 100 + n));
                remote.put_account(&account).await.unwrap();
                assert_eq!(remote.account_by_number(&account.number).await.unwrap(), Some(account));
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(remote.accounts().await.unwrap().len(), 32);
}

#[tokio::test]
async fn a_restarted_monkey_is_reached_on_a_new_connection() {
    let (store, dir) = redb_store();
    let token = AdminToken::generate().unwrap();
    let first = serve(store, dir, token.clone(), "127.0.0.1:0".parse().unwrap()).await;
    let address = first.address;
    let remote = RemoteStore::new(address, &token);
    remote.put_account(&account("prod", "111111111111")).await.unwrap();
    let (store, dir) = first.stop().await;
    assert!(remote.accounts().await.is_err(), "nobody listens");
    let second = serve(store, dir, token, address).await;
    assert_eq!(remote.accounts().await.unwrap().len(), 1);
    second.stop().await;
}
