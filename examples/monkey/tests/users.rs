//! `monkey user` run as an administrator would, and the first administrator of `monkey serve`
//! logging in over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn monkey(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_monkey"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("MONKEY_STORE")
        .env_remove("MONKEY_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run monkey");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("monkey exits")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn users_are_created_listed_changed_and_deleted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    let create = ["user", "create", "--email", "Alice@Example.com", "--role", "justify", "--password-stdin"];
    let created = monkey(data, &create, "a long enough password\n");
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert_eq!(text(&created.stdout).trim(), "created alice@example.com (Justify)");

    let again = monkey(data, &create, "a long enough password\n");
    assert_eq!(again.status.code(), Some(2), "a second alice: {}", text(&again.stderr));
    let weak = monkey(data, &["user", "create", "--email", "bob@example.com", "--password-stdin"], "short\n");
    assert_eq!(weak.status.code(), Some(2));
    assert!(text(&weak.stderr).contains("at least 12 characters"), "{}", text(&weak.stderr));
    let role = monkey(data, &["user", "create", "--email", "bob@example.com", "--role", "root", "--no-password"], "");
    assert_eq!(role.status.code(), Some(2));
    assert!(text(&role.stderr).contains("unknown role"), "{}", text(&role.stderr));
    let bad = monkey(data, &["user", "create", "--email", "not-an-address", "--no-password"], "");
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));

    assert!(monkey(data, &["user", "set-role", "alice@example.com", "admin"], "").status.success());
    assert!(monkey(data, &["user", "deactivate", "alice@example.com"], "").status.success());
    let token = monkey(data, &["user", "token", "alice@example.com", "--name", "ci"], "");
    assert!(token.status.success());
    assert!(text(&token.stdout).trim().starts_with("mk_"), "{}", text(&token.stdout));

    let listed = monkey(data, &["user", "list", "--format", "json"], "");
    let users: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    assert_eq!(users[0]["email"], "alice@example.com");
    assert_eq!(users[0]["role"], "Admin");
    assert_eq!(users[0]["active"], false);
    assert_eq!(users[0]["password"], true);
    assert_eq!(users[0]["tokens"][0]["name"], "ci");
    assert!(!text(&listed.stdout).contains("argon2"), "no hash is shown");

    assert!(monkey(data, &["user", "delete", "alice@example.com"], "").status.success());
    assert_eq!(monkey(data, &["user", "delete", "alice@example.com"], "").status.code(), Some(2));
}

/// POSTs JSON over plain HTTP/1.0; returns the status line, headers and body.
fn post(address: &str, path: &str, body: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "POST {path} HTTP/1.0\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

#[test]
fn serve_creates_the_first_administrator_who_can_log_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut serve = Killed(
        Command::new(env!("CARGO_BIN_EXE_monkey"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("MONKEY_STORE")
            .env("MONKEY_ADMIN_EMAIL", "root@example.com")
            .env("MONKEY_ADMIN_PASSWORD", "the first admin password")
            .env("MONKEY_LOG", "warn")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start monkey serve"),
    );
    let mut lines = BufReader::new(serve.0.stdout.take().expect("stdout")).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut address = None;
    while address.is_none() && Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        address = line.split("http://").nth(1).and_then(|rest| rest.split('/').next()).map(str::to_owned);
        if line.contains("first run") {
            assert!(line.contains("root@example.com"), "{line}");
            assert!(!line.contains("the first admin password"), "a given password is not echoed: {line}");
        }
    }
    let address = address.expect("serve prints its URL");
    let wrong = post(&address, "/api/1/login", r#"{"email":"root@example.com","password":"wrong wrong wrong"}"#);
    assert!(wrong.starts_with("HTTP/1.0 401") || wrong.starts_with("HTTP/1.1 401"), "{wrong}");
    let right = post(&address, "/api/1/login", r#"{"email":"root@example.com","password":"the first admin password"}"#);
    assert!(right.contains(" 200 OK"), "{right}");
    assert!(right.to_ascii_lowercase().contains("set-cookie: monkey_session="), "{right}");
    assert!(right.contains("\"role\":\"Admin\""), "{right}");
}

/// A child process killed when the test ends, passed or not.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
