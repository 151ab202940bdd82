//! The admin file: owner-only, atomic, read back, and removed on a clean shutdown.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

use monkey_web::admin::{ADMIN_FILE_NAME, AdminFile, AdminToken};
use std::fs;
use std::io;

fn file(port: u16) -> AdminFile {
    AdminFile::new(format!("127.0.0.1:{port}").parse().unwrap(), AdminToken::generate().unwrap())
}

#[test]
fn tokens_are_32_random_bytes_in_hex_and_hidden_from_debug() {
    let (a, b) = (AdminToken::generate().unwrap(), AdminToken::generate().unwrap());
    assert_ne!(a, b);
    assert_eq!(a.expose().len(), 64);
    assert!(a.expose().bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    assert!(!format!("{a:?}").contains(a.expose()));
    assert!(!format!("{:?}", AdminFile::new("127.0.0.1:1".parse().unwrap(), a.clone())).contains(a.expose()));
    assert_eq!(AdminToken::parse(&format!(" {} ", a.expose())), Some(a));
    for bad in ["", "  ", "two words", "tab\there", "é"] {
        assert_eq!(AdminToken::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn wildcard_addresses_become_loopback() {
    let token = AdminToken::generate().unwrap();
    let at = |address: &str| AdminFile::new(address.parse().unwrap(), token.clone()).address.to_string();
    assert_eq!(at("0.0.0.0:8080"), "127.0.0.1:8080");
    assert_eq!(at("[::]:8080"), "[::1]:8080");
    assert_eq!(at("192.0.2.1:8080"), "192.0.2.1:8080");
}

#[test]
fn the_file_is_json_owner_only_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(AdminFile::read(dir.path()).unwrap(), None);
    let written = file(8080);
    let path = written.write(dir.path()).unwrap();
    assert_eq!(path, dir.path().join(ADMIN_FILE_NAME));
    assert_eq!(path, AdminFile::path(dir.path()));
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(json, serde_json::json!({"address": "127.0.0.1:8080", "token": written.token.expose()}));
    assert_eq!(AdminFile::read(dir.path()).unwrap(), Some(written));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![ADMIN_FILE_NAME], "no temporary file is left");
}

#[cfg(unix)]
#[test]
fn rewriting_replaces_a_readable_file_with_an_owner_only_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = AdminFile::path(dir.path());
    fs::write(&path, "old").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let stale_temp = dir.path().join(format!(".{ADMIN_FILE_NAME}.{}.tmp", std::process::id()));
    fs::write(&stale_temp, "left by a crash").unwrap();
    fs::set_permissions(&stale_temp, fs::Permissions::from_mode(0o644)).unwrap();
    let written = file(9000);
    written.write(dir.path()).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(AdminFile::read(dir.path()).unwrap(), Some(written));
    assert!(!stale_temp.exists());
}

#[test]
fn a_malformed_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(AdminFile::path(dir.path()), r#"{"address": "nowhere"}"#).unwrap();
    let error = AdminFile::read(dir.path()).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    assert!(error.to_string().contains(ADMIN_FILE_NAME), "{error}");
}

#[test]
fn a_missing_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = file(1).write(&dir.path().join("absent")).unwrap_err();
    assert!(error.to_string().contains(ADMIN_FILE_NAME), "{error}");
}

#[test]
fn the_file_is_removed_on_a_clean_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let guard = file(1).publish(dir.path()).unwrap();
    assert!(guard.path().exists());
    drop(guard);
    assert!(!AdminFile::path(dir.path()).exists());

    let guard = file(2).publish(dir.path()).unwrap();
    guard.remove().unwrap();
    assert_eq!(AdminFile::read(dir.path()).unwrap(), None);
}

#[test]
fn a_newer_monkeys_file_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let stale = file(1).publish(dir.path()).unwrap();
    let newer = file(2);
    newer.write(dir.path()).unwrap();
    drop(stale);
    assert_eq!(AdminFile::read(dir.path()).unwrap(), Some(newer));
}
