//! A very small Chrome DevTools Protocol client over `--remote-debugging-pipe`, enough to open a
//! page at an emulated phone or desktop size, collect console errors, evaluate a script and take
//! a full-page screenshot or print to PDF.
//!
//! Why not `chromium --screenshot --window-size=375,…`: headless Chromium never makes a window
//! narrower than 500 px, so a 375 px screenshot is a 500 px layout cut off on the right. Device
//! metrics emulation gives the page a real 375 px viewport (and honours its viewport meta tag).
//!
//! Chromium reads protocol messages from its file descriptor 3 and writes them to 4, each
//! terminated by a NUL byte. `sh` maps them onto the child's standard input and output, so no
//! unsafe file-descriptor juggling is needed here.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The flags the project runs Chromium with (headless, as root, no network side traffic).
pub const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    // Containers often give /dev/shm 64 MB, too little for a long page.
    "--disable-dev-shm-usage",
    "--mute-audio",
];

const TIMEOUT: Duration = Duration::from_secs(60);

/// `FACTBRIEF_CHROMIUM`, else chromium, chromium-browser or google-chrome on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("FACTBRIEF_CHROMIUM").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// A running headless Chromium and one page in it.
pub struct Browser {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    /// Events that arrived while waiting for a reply.
    pending: VecDeque<Value>,
    next_id: u64,
    session: String,
    _profile: tempfile::TempDir,
}

/// One visit of a page: what it logged, and what the measuring script returned.
pub struct Visit {
    pub errors: Vec<String>,
    pub measured: Value,
}

impl Browser {
    pub fn launch(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
            .arg(binary)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("--remote-debugging-pipe")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let input = child.stdin.take().unwrap();
        let output = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(output);
            let mut buf = Vec::new();
            while matches!(reader.read_until(0, &mut buf), Ok(n) if n > 0) {
                if buf.last() == Some(&0) {
                    buf.pop();
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&buf) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
                buf.clear();
            }
        });
        let mut browser = Browser {
            child,
            input,
            messages,
            pending: VecDeque::new(),
            next_id: 0,
            session: String::new(),
            _profile: profile,
        };
        let target = browser.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].as_str().expect("no target id").to_string();
        let attached = browser.call(None, "Target.attachToTarget", json!({ "targetId": target_id, "flatten": true }));
        browser.session = attached["sessionId"].as_str().expect("no session id").to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            browser.send(domain, json!({}));
        }
        browser
    }

    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.input.write_all(&bytes).and_then(|_| self.input.flush()).expect("chromium closed its pipe");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self.recv(deadline, method);
            if v["id"].as_u64() == Some(id) {
                if let Some(err) = v.get("error") {
                    panic!("{method} failed: {err}");
                }
                return v["result"].clone();
            }
            self.pending.push_back(v);
        }
    }

    fn recv(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        match self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("chromium did not answer {waiting_for} within {TIMEOUT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("chromium exited while waiting for {waiting_for}"),
        }
    }

    /// A command to the page's session.
    pub fn send(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    /// Waits for an event of the page's session, keeping the others.
    fn wait_for(&mut self, event: &str) {
        if let Some(i) = self.pending.iter().position(|v| v["method"] == event) {
            self.pending.remove(i);
            return;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self.recv(deadline, event);
            if v["method"] == event {
                return;
            }
            self.pending.push_back(v);
        }
    }

    /// Error messages among the events so far: console.error, uncaught exceptions, failed loads,
    /// blocked requests, security-policy violations.
    fn drain_errors(&mut self) -> Vec<String> {
        let mut errors = Vec::new();
        for v in self.pending.drain(..) {
            let p = &v["params"];
            match v["method"].as_str() {
                Some("Runtime.consoleAPICalled") if matches!(p["type"].as_str(), Some("error" | "assert")) => {
                    let args: Vec<String> =
                        p["args"].as_array().into_iter().flatten().map(|a| a["value"].to_string()).collect();
                    errors.push(format!("console.error: {}", args.join(" ")));
                }
                Some("Runtime.exceptionThrown") => {
                    let d = &p["exceptionDetails"];
                    errors.push(format!("exception: {} {}", d["text"], d["exception"]["description"]));
                }
                Some("Log.entryAdded") if p["entry"]["level"] == "error" => {
                    errors.push(format!("log: {} {}", p["entry"]["text"], p["entry"]["url"]));
                }
                _ => {}
            }
        }
        errors
    }

    /// Opens `url` with a viewport of `width` × `height` CSS pixels (`mobile` turns on the
    /// viewport meta tag and touch), in light or dark colour scheme, waits for the load event and
    /// runs `script` (an expression whose value is returned as JSON).
    pub fn visit(&mut self, url: &str, width: u32, height: u32, mobile: bool, dark: bool, script: &str) -> Visit {
        self.send(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        );
        let scheme = if dark { "dark" } else { "light" };
        self.send(
            "Emulation.setEmulatedMedia",
            json!({ "media": "screen", "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        self.pending.clear();
        self.send("Page.navigate", json!({ "url": url }));
        self.wait_for("Page.loadEventFired");
        let result = self.send("Runtime.evaluate", json!({ "expression": script, "returnByValue": true }));
        if let Some(e) = result.get("exceptionDetails") {
            panic!("the measuring script failed: {e}");
        }
        // Let late console messages arrive before collecting them.
        self.send("Runtime.evaluate", json!({ "expression": "1" }));
        Visit { errors: self.drain_errors(), measured: result["result"]["value"].clone() }
    }

    /// A PNG of the whole page (not just the viewport) at the current emulation.
    pub fn screenshot(&mut self, to: &Path) {
        let metrics = self.send("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let (w, h) = (size["width"].as_f64().unwrap_or(800.0), size["height"].as_f64().unwrap_or(800.0));
        let shot = self.send(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": w, "height": h.min(30000.0), "scale": 1 } }),
        );
        std::fs::write(to, base64(shot["data"].as_str().unwrap())).unwrap();
    }

    /// The page as Chromium prints it (the print stylesheet), A4.
    pub fn print_pdf(&mut self, to: &Path) {
        self.send("Emulation.setEmulatedMedia", json!({ "media": "print" }));
        let pdf = self.send(
            "Page.printToPDF",
            json!({ "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": true, "preferCSSPageSize": true }),
        );
        std::fs::write(to, base64(pdf["data"].as_str().unwrap())).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask politely (without waiting for an answer that may never come), then make sure.
        let _ = self.input.write_all(b"{\"id\":0,\"method\":\"Browser.close\"}\0");
        let _ = self.input.flush();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 (what the protocol uses for binary data).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=' && !c.is_ascii_whitespace()).map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}
