//! Proves that a binary linking the plugin finds its check next to the built-in ones.

use std::process::Command;

#[test]
fn the_binary_that_links_the_plugin_lists_its_check() {
    let output = Command::new(env!("CARGO_BIN_EXE_monkey-custom"))
        .args(["checks", "--format", "json"])
        .output()
        .expect("run monkey-custom");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let checks: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let ids: Vec<&str> = checks.as_array().expect("a list").iter().filter_map(|c| c["id"].as_str()).collect();
    assert!(ids.contains(&"s3-bucket-without-owner-tag"), "{ids:?}");
    assert!(ids.contains(&"securitygroup-ingress-open-to-world"), "{ids:?}");
}

#[test]
fn the_plugin_check_runs_in_audits() {
    let recording = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/estate/recording");
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_monkey-custom"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["audit", "--format", "json", "--input"])
        .arg(&recording)
        .output()
        .expect("run monkey-custom");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let flagged: Vec<&str> = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| {
            i["issues"].as_array().into_iter().flatten().any(|x| x["key"]["check"] == "s3-bucket-without-owner-tag")
        })
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert!(flagged.contains(&"estate-hardened"), "no estate bucket has an owner tag: {flagged:?}");
}
