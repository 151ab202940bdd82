//! `monkey demo`: the story plays through the real pipeline into a store that other commands
//! then read.

use std::process::Command;

#[test]
fn the_demo_shows_changes_diffs_and_issues_and_leaves_a_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo = dir.path().join("demo");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_monkey"))
            .args(["demo", "--pause", "0", "--dir"])
            .arg(&demo)
            .env_remove("MONKEY_STORE")
            .output()
            .expect("run monkey demo")
    };
    let out = run();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    for expected in [
        "== step 1: Someone opens SSH on the web tier to the whole internet",
        "+ new issue [10] securitygroup-ingress-open-to-world",
        "+      \"FromPort\": 22,",
        "+ new issue [10] s3-bucket-policy-internet-accessible",
        "+ new issue [10] policy-allows-admin",
        "- fixed [10] securitygroup-ingress-open-to-world",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
    assert!(!stdout.contains('\u{1b}'), "no colour when not on a terminal");

    let status = Command::new(env!("CARGO_BIN_EXE_monkey"))
        .arg("--data-dir")
        .arg(&demo)
        .args(["status", "--format", "json"])
        .output()
        .expect("status");
    let runs: serde_json::Value = serde_json::from_slice(&status.stdout).expect("JSON");
    assert_eq!(runs.as_array().map(Vec::len), Some(21), "one latest run per technology");

    // A second demo starts afresh in its own directory; a foreign directory is refused.
    assert!(run().status.success());
    let foreign = dir.path().join("foreign");
    std::fs::create_dir_all(&foreign).expect("dir");
    std::fs::write(foreign.join("keep.txt"), "mine").expect("file");
    let refused = Command::new(env!("CARGO_BIN_EXE_monkey"))
        .args(["demo", "--pause", "0", "--dir"])
        .arg(&foreign)
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(2));
    assert!(foreign.join("keep.txt").exists());
}
