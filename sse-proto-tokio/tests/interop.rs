//! Interoperability with real peers from other ecosystems, on 127.0.0.1:
//!
//! * a real browser (Debian's Chromium via playwright-core) on the `broadcast-server`
//!   example's page, across a dropped connection and a `Last-Event-ID` replay;
//! * Node's `eventsource` package and Python's `httpx-sse` reading `broadcast-server`;
//! * the `sse-starlette` server (Python, uvicorn) read by the core's blocking `client`
//!   example and by this crate's async `EventSource` over reqwest.
//!
//! The conformance vectors, random streams and random events against the same peers are
//! in `peer_conformance.rs`.
//!
//! Each peer comes from `interop/` (`npm ci`, `pip install -r requirements.txt`; `.ci/run`
//! installs them). A missing peer skips its test with a message, except under `CI=true`,
//! where it fails. Every process is bounded in time (`--for`, script timeouts) and killed
//! when its test ends.
#![cfg(all(feature = "axum", feature = "reqwest"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

mod peers;

use peers::{chromium, node_packages, python_modules, repo_root, require, seen};
use serde_json::{json, Value};

/// The longest any one wait may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// `target/<profile>/examples/NAME`, built by `cargo test --workspace --all-features`.
fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let path = exe
        .parent()?
        .parent()?
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    require(
        path.is_file(),
        &format!("the {name} example binary (built by `cargo test --workspace --all-features`)"),
    )
    .then_some(path)
}

// ---------------------------------------------------------------------------------------
// Processes

/// A child process killed when dropped, with its stdout lines on a channel.
struct Running {
    child: Child,
    lines: Receiver<String>,
    name: String,
}

impl Running {
    fn start(name: &str, command: &mut Command) -> Running {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{name} starts: {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if send.send(line).is_err() {
                    return;
                }
            }
        });
        Running {
            child,
            lines,
            name: name.to_string(),
        }
    }

    /// The next line of stdout, within `PATIENCE`.
    fn line(&self) -> String {
        self.lines
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("{} printed nothing more within {PATIENCE:?}", self.name))
    }

    /// The next `n` stdout lines parsed as JSON.
    fn json_lines(&self, n: usize) -> Vec<Value> {
        (0..n)
            .map(|_| {
                let line = self.line();
                serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {line}", self.name))
            })
            .collect()
    }

    /// Every remaining stdout line, up to the end of the output (within `PATIENCE`).
    fn rest(&self) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut lines = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => lines.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => return lines,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!("{} kept its output open", self.name)
                }
            }
        }
    }

    /// Waits for the process to exit by itself, within `PATIENCE`; its exit status.
    fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "{} did not exit", self.name);
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `broadcast-server` example on a free port, for 60 s at most.
struct BroadcastServer {
    process: Running,
    port: u16,
}

impl BroadcastServer {
    fn start(retry_ms: u64) -> Option<BroadcastServer> {
        let binary = example("broadcast-server")?;
        let process = Running::start(
            "broadcast-server",
            Command::new(binary)
                .args(["--port", "0", "--for", "60", "--retry"])
                .arg(retry_ms.to_string()),
        );
        let ready = process.line();
        let port = ready
            .rsplit(':')
            .next()
            .and_then(|port| port.trim().parse().ok())
            .unwrap_or_else(|| panic!("broadcast-server: unexpected first line {ready:?}"));
        Some(BroadcastServer { process, port })
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `POST /publish`; the id the server gave the event.
    fn publish(&self, event: &str, data: &str) -> String {
        let body = json!({ "event": event, "data": data }).to_string();
        let (status, reply) = http(self.port, "POST", "/publish", &body);
        assert_eq!(status, 201, "publish {body}: {reply}");
        let reply: Value = serde_json::from_str(&reply).expect("JSON reply");
        match &reply["id"] {
            Value::String(id) => id.clone(),
            other => other.to_string(),
        }
    }

    fn stats(&self) -> Value {
        let (status, reply) = http(self.port, "GET", "/stats", "");
        assert_eq!(status, 200, "{reply}");
        serde_json::from_str(&reply).expect("JSON stats")
    }

    /// Waits until `n` clients are subscribed.
    fn await_subscribers(&self, n: u64) {
        let deadline = Instant::now() + PATIENCE;
        while self.stats()["subscribers"].as_u64() != Some(n) {
            assert!(
                Instant::now() < deadline,
                "{n} subscribers: {}",
                self.stats()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn drop_connections(&self) {
        let (status, reply) = http(self.port, "POST", "/drop", "");
        assert!((200..300).contains(&status), "drop: {status} {reply}");
    }
}

/// One HTTP/1.1 request with `Connection: close`; the status and the body.
fn http(port: u16, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("status line: {response:?}"));
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

// ---------------------------------------------------------------------------------------
// The tests

#[test]
fn chromium_reads_broadcast_server_across_a_dropped_connection() {
    if !node_packages() || !chromium() {
        return;
    }
    // A 1.5 s reconnection time: what is published right after the drop is missed live.
    let Some(server) = BroadcastServer::start(1500) else {
        return;
    };
    let browser = Running::start(
        "chromium",
        Command::new("node")
            .arg(repo_root().join("interop/browser.mjs"))
            .arg(server.url("/?types=note"))
            .arg("6"),
    );
    server.await_subscribers(1);

    let mut expected = Vec::new();
    for (event, data) in [
        ("note", "line one\nline two\nline three"),
        (
            "message",
            "Unicode: h\u{e9}llo \u{2713} \u{65e5}\u{672c} \u{1F680}",
        ),
        ("update", ""),
    ] {
        let id = server.publish(event, data);
        expected.push(seen(event, data, &id));
    }
    let mut got = browser.json_lines(3);
    let id_before_drop = expected[2]["lastEventId"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    server.drop_connections();
    for (event, data) in [("note", "missed, replayed"), ("message", "missed too")] {
        let id = server.publish(event, data);
        expected.push(seen(event, data, &id));
    }
    got.extend(browser.json_lines(2));
    server.await_subscribers(1);
    let id = server.publish("update", "live again");
    expected.push(seen("update", "live again", &id));
    got.extend(browser.json_lines(1));

    assert_eq!(got, expected, "the events the page saw");
    let last_event_ids = server.stats()["last_event_ids"].clone();
    assert_eq!(
        last_event_ids,
        json!([null, id_before_drop]),
        "the Last-Event-ID headers the server received"
    );
    drop(server.process);
}

/// Once `client` has subscribed, publishes each `(event type, data)` and checks that the
/// client prints exactly those events, with the ids the server gave them, then exits
/// successfully.
fn reads_exactly_what_was_published(
    server: &BroadcastServer,
    mut client: Running,
    published: &[(&str, &str)],
) {
    server.await_subscribers(1);
    let expected: Vec<Value> = published
        .iter()
        .map(|(event, data)| seen(event, data, &server.publish(event, data)))
        .collect();
    assert_eq!(client.json_lines(published.len()), expected);
    assert!(client.wait().success());
}

#[test]
fn node_eventsource_reads_exactly_what_was_published() {
    if !node_packages() {
        return;
    }
    let Some(server) = BroadcastServer::start(500) else {
        return;
    };
    let client = Running::start(
        "node eventsource",
        Command::new("node")
            .arg(repo_root().join("interop/node_client.mjs"))
            .arg(server.url("/events"))
            .args(["4", "note", "update"]),
    );
    let published = [
        ("note", "a\nb"),
        ("message", "\u{1F600} \u{0}nul\u{7f}"),
        ("update", ""),
        ("message", " leading space"),
    ];
    reads_exactly_what_was_published(&server, client, &published);
}

#[test]
fn httpx_sse_reads_exactly_what_was_published() {
    if !python_modules("httpx, httpx_sse") {
        return;
    }
    let Some(server) = BroadcastServer::start(500) else {
        return;
    };
    let client = Running::start(
        "httpx-sse",
        Command::new("python3")
            .arg(repo_root().join("interop/httpx_client.py"))
            .arg(server.url("/events"))
            .arg("3"),
    );
    let published = [
        ("note", "x\ny\n\nz"),
        ("message", "\u{e9}t\u{e9}"),
        ("update", ""),
    ];
    reads_exactly_what_was_published(&server, client, &published);
}

/// The sse-starlette server: three connections (events 1-3; 4-6 after Last-Event-ID 3;
/// 204 after Last-Event-ID 6). See `interop/starlette_server.py`.
struct StarletteServer {
    _process: Running,
    port: u16,
}

impl StarletteServer {
    fn start() -> Option<StarletteServer> {
        if !python_modules("sse_starlette, uvicorn") {
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let process = Running::start(
            "sse-starlette",
            Command::new("python3")
                .arg(repo_root().join("interop/starlette_server.py"))
                .args(["--port", &port.to_string(), "--for", "60"]),
        );
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "sse-starlette did not start");
            thread::sleep(Duration::from_millis(50));
        }
        Some(StarletteServer {
            _process: process,
            port,
        })
    }

    fn last_event_ids(&self) -> Value {
        let (status, body) = http(self.port, "GET", "/log", "");
        assert_eq!(status, 200);
        serde_json::from_str(&body).expect("JSON log")
    }
}

/// What `interop/starlette_server.py` sends, as the core `client` example prints events.
fn starlette_events() -> Vec<Value> {
    [
        ("1", "message", "first"),
        ("2", "update", "line one\nline two\nline three"),
        ("3", "message", "h\u{e9}llo \u{2713} \u{65e5}\u{672c} \u{1F600}"),
        ("4", "update", ""),
        ("5", "message", "  leading spaces kept"),
        ("6", "final", "{\"done\": true}"),
    ]
    .iter()
    .map(|(id, event_type, data)| json!({"kind": "event", "type": event_type, "data": data, "id": id}))
    .collect()
}

#[test]
fn the_blocking_client_example_reads_sse_starlette_and_resumes_with_last_event_id() {
    let Some(server) = StarletteServer::start() else {
        return;
    };
    let Some(client_example) = example("client") else {
        return;
    };
    let mut client = Running::start(
        "client example",
        Command::new(client_example).arg(format!("http://127.0.0.1:{}/events", server.port)),
    );
    let status = client.wait();
    let lines: Vec<Value> = client
        .rest()
        .iter()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    let events: Vec<Value> = lines
        .iter()
        .filter(|l| l["kind"] == "event")
        .cloned()
        .collect();
    assert_eq!(events, starlette_events(), "{lines:?}");
    assert!(
        lines.contains(&json!({"kind": "retry", "ms": 300})),
        "{lines:?}"
    );
    assert!(
        lines.contains(&json!({"kind": "comment", "text": "hello from sse-starlette"})),
        "{lines:?}"
    );
    assert!(
        status.success(),
        "the client stops cleanly on 204: {status}"
    );
    assert_eq!(server.last_event_ids(), json!([null, "3", "6"]));
}

#[test]
fn the_async_client_reads_sse_starlette_and_resumes_with_last_event_id() {
    let Some(server) = StarletteServer::start() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let url = format!("http://127.0.0.1:{}/events", server.port);
    let (events, comments, retries) = runtime.block_on(async {
        let mut source = sse_proto_tokio::EventSource::builder(url)
            .all_events(true)
            .connect(reqwest::Client::new())
            .expect("a valid configuration");
        let (mut events, mut comments, mut retries) = (Vec::new(), Vec::new(), Vec::new());
        let read = async {
            while let Some(event) = source.next().await {
                match event.expect("no error from a well-behaved server") {
                    sse_proto_tokio::Event::Message(e) => events.push(json!({
                        "kind": "event", "type": e.event_type, "data": e.data, "id": &*e.last_event_id,
                    })),
                    sse_proto_tokio::Event::Comment(text) => comments.push(text),
                    sse_proto_tokio::Event::Retry(delay) => retries.push(delay),
                    _ => {}
                }
            }
        };
        tokio::time::timeout(PATIENCE, read)
            .await
            .expect("the stream ends (204) in time");
        (events, comments, retries)
    });
    assert_eq!(events, starlette_events());
    assert_eq!(retries, [Duration::from_millis(300)]);
    assert_eq!(comments, ["hello from sse-starlette", "resuming after 3"]);
    assert_eq!(server.last_event_ids(), json!([null, "3", "6"]));
}
