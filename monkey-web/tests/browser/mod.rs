//! A headless Chromium driven over the DevTools protocol: navigate, run script in the page,
//! wait for conditions, take screenshots. Chromium is Debian's `chromium` (scripts/test
//! installs it); `MONKEY_TEST_CHROMIUM` names another binary.
#![allow(clippy::unwrap_used, clippy::panic, dead_code)] // a test fails by panicking

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One browser with one page.
pub(crate) struct Browser {
    child: Child,
    socket: Socket,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    /// Starts Chromium headless with a fresh profile and opens a page.
    pub(crate) async fn launch() -> Self {
        let binary = std::env::var("MONKEY_TEST_CHROMIUM").unwrap_or_else(|_| "chromium".into());
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(&binary)
            .args(["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
            .args(["--remote-debugging-port=0", "--window-size=1280,900"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {binary} (the UI tests need Debian's chromium; scripts/test installs it): {e}")
            });
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + Duration::from_secs(30);
        let text = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file)
                && text.lines().count() >= 2
            {
                break text;
            }
            assert!(Instant::now() < deadline, "chromium did not open its DevTools port");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let mut lines = text.lines();
        let (port, path) = (lines.next().unwrap().trim().to_owned(), lines.next().unwrap().trim().to_owned());
        let (socket, _) = tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{port}{path}")).await.unwrap();
        let mut browser = Self { child, socket, session: String::new(), next_id: 0, _profile: profile };
        let target = browser.send("Target.createTarget", json!({"url": "about:blank"}), false).await;
        let attached = browser
            .send("Target.attachToTarget", json!({"targetId": target["targetId"], "flatten": true}), false)
            .await;
        browser.session = attached["sessionId"].as_str().unwrap().to_owned();
        browser.send("Page.enable", json!({}), true).await;
        browser.send("Runtime.enable", json!({}), true).await;
        browser
    }

    async fn send(&mut self, method: &str, params: Value, in_page: bool) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if in_page {
            message["sessionId"] = json!(self.session);
        }
        self.socket.send(Message::text(message.to_string())).await.unwrap();
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(30), self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("no answer to {method}"))
                .unwrap()
                .unwrap();
            let Message::Text(text) = frame else { continue };
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["id"] == id {
                if let Some(error) = value.get("error") {
                    panic!("{method} failed: {error}");
                }
                return value["result"].clone();
            }
        }
    }

    /// Opens `url` and waits until the page has loaded.
    pub(crate) async fn goto(&mut self, url: &str) {
        self.send("Page.navigate", json!({"url": url}), true).await;
        self.wait_for("document.readyState === 'complete'", "the page to load").await;
    }

    /// The value of `expression` evaluated in the page (promises awaited).
    pub(crate) async fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .send(
                "Runtime.evaluate",
                json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
                true,
            )
            .await;
        if let Some(details) = result.get("exceptionDetails") {
            panic!("script failed: {expression}\n{details}");
        }
        result["result"]["value"].clone()
    }

    /// Waits up to 15 s until `condition` is true in the page.
    pub(crate) async fn wait_for(&mut self, condition: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.eval(&format!("!!({condition})")).await == json!(true) {
                return;
            }
            if Instant::now() > deadline {
                let body = self.eval("document.body ? document.body.innerText : ''").await;
                panic!("timed out waiting for {what} ({condition}); the page shows:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets an input's value as typing would (firing `input`).
    pub(crate) async fn fill(&mut self, selector: &str, value: &str) {
        let script = format!(
            "(() => {{ const el = document.querySelector({s}); el.value = {v}; el.dispatchEvent(new Event('input', {{bubbles: true}})); return true; }})()",
            s = json!(selector),
            v = json!(value)
        );
        assert_eq!(self.eval(&script).await, json!(true), "{selector}");
    }

    /// Clicks the element `selector`.
    pub(crate) async fn click(&mut self, selector: &str) {
        let script = format!(
            "(() => {{ const el = document.querySelector({s}); if (!el) return false; el.click(); return true; }})()",
            s = json!(selector)
        );
        assert_eq!(self.eval(&script).await, json!(true), "no element {selector}");
    }

    /// Saves a PNG of the page under `target/ui-screenshots/<name>.png`; returns its path.
    pub(crate) async fn screenshot(&mut self, name: &str) -> PathBuf {
        let shot = self.send("Page.captureScreenshot", json!({"format": "png"}), true).await;
        let bytes = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ui-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).unwrap();
        path
    }
}
