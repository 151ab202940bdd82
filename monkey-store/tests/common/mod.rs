//! The tests every backend runs, written once as a macro over the backend's store type.

/// Expands to the conformance, reopening, locking and kill -9 tests of one backend.
#[macro_export]
macro_rules! backend_tests {
    ($store:ty, $kind:literal, $file:literal) => {
        use monkey_core::store::StoreError;
        use monkey_store::conformance::{self, crash};
        use std::path::Path;

        fn runtime() -> tokio::runtime::Runtime {
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
        }

        fn spec(path: &Path) -> String {
            format!("{}:{}", $kind, path.display())
        }

        #[tokio::test]
        async fn passes_the_conformance_suite() {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let store = <$store>::open(dir.path().join($file)).expect("the store opens");
            conformance::run_all(&store).await;
            store.verify().await.expect("the indexes agree with the data");
        }

        #[tokio::test]
        async fn data_survives_reopening() {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let path = dir.path().join("nested").join($file);
            let before = {
                let store = monkey_store::open(&spec(&path)).expect("the store opens");
                conformance::write_sample(store.as_ref()).await;
                conformance::snapshot(store.as_ref()).await
            };
            assert_eq!(before.items.len(), 2);
            let store = <$store>::open(&path).expect("the store reopens");
            assert_eq!(conformance::snapshot(&store).await, before);
            let counts = store.verify().await.expect("the indexes agree with the data");
            assert_eq!((counts.items, counts.revisions, counts.comments), (2, 3, 2));
            conformance::check_invariants(&store).await.expect("invariants hold");
        }

        #[tokio::test]
        async fn a_held_store_is_locked() {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let path = dir.path().join($file);
            let _held = <$store>::open(&path).expect("the store opens");
            let Err(error) = monkey_store::open(&spec(&path)) else {
                panic!("a second open of a held store must fail")
            };
            let shown = path.display().to_string();
            assert!(matches!(&error, StoreError::Locked { path, .. } if *path == shown), "{error:?}");
            assert!(error.to_string().contains("in use by another process"), "{error}");
            assert!(error.is_retryable());
        }

        /// The child side of `survives_kill_9`; does nothing when run on its own.
        #[test]
        #[ignore = "run by survives_kill_9 in a child process"]
        fn crash_child() {
            let Ok(spec) = std::env::var(crash::CHILD_ENV) else { return };
            runtime().block_on(async {
                let store = monkey_store::open(&spec).expect("the child opens the store");
                crash::child_workload(store.as_ref(), 10_000).await.expect("the child commits");
            });
        }

        /// A child commits in a loop and is killed with SIGKILL; reopened, the store holds every
        /// acknowledged commit and its indexes agree with its data. Three times, killed after a
        /// different number of commits each time.
        #[test]
        fn survives_kill_9() {
            for (round, acks) in [(0, 4), (1, 11), (2, 23)] {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let path = dir.path().join($file);
                let spec = spec(&path);
                let locked_out = || match monkey_store::open(&spec) {
                    Err(StoreError::Locked { .. }) => Ok(()),
                    Err(other) => Err(format!("another process's store gave {other:?}, not Locked")),
                    Ok(_) => Err("another process's store opened a second time".into()),
                };
                let acked = if round == 0 {
                    crash::run_and_kill_with("crash_child", &spec, acks, locked_out)
                } else {
                    crash::run_and_kill("crash_child", &spec, acks)
                }
                .expect("the child ran and was killed");
                assert!(acked.len() >= acks);
                runtime().block_on(async {
                    let store = <$store>::open(&path).expect("the store reopens after the kill");
                    let counts = store.verify().await.expect("the indexes agree with the data");
                    crash::check_acknowledged(&store, &acked).await.expect("no acknowledged commit is lost");
                    let items = conformance::check_invariants(&store).await.expect("invariants hold");
                    assert_eq!(items, counts.items);
                    eprintln!(
                        "{} round {round}: {} commits acknowledged, {} items, {} revisions after the kill",
                        $kind,
                        acked.len(),
                        counts.items,
                        counts.revisions
                    );
                    // The store stays usable.
                    crash::child_workload(&store, 2).await.expect("commits after recovery");
                    store.verify().await.expect("still consistent");
                });
            }
        }
    };
}
