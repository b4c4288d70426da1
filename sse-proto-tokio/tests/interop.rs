//! Interoperability with real peers from other ecosystems, on 127.0.0.1:
//!
//! * a real browser (Debian's Chromium via playwright-core) on the `broadcast-server`
//!   example's page, across a dropped connection and a `Last-Event-ID` replay;
//! * Node's `eventsource` package and Python's `httpx-sse` reading `broadcast-server`;
//! * the parser vectors and the writer vectors' bytes (`spec-vectors/`) read by Chromium's
//!   and Node's `eventsource`'s EventSource and by `httpx-sse` (`interop/vectors.mjs`): the
//!   events each gives are the vectors', but for the departures that script lists with
//!   their reasons;
//! * the `sse-starlette` server (Python, uvicorn) read by the core's blocking `client`
//!   example and by this crate's async `EventSource` over reqwest.
//!
//! Each peer comes from `interop/` (`npm ci`, `pip install -r requirements.txt`; `.ci/run`
//! installs them). A missing peer skips its test with a message, except under `CI=true`,
//! where it fails. Every process is bounded in time (`--for`, script timeouts) and killed
//! when its test ends.
#![cfg(all(feature = "axum", feature = "reqwest"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The longest any one wait may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------
// Prerequisites

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// `Ok(())` if `what` is available; otherwise skips (prints why) or, under `CI=true`,
/// fails the test.
fn require(available: bool, what: &str) -> bool {
    if available {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("interop prerequisite missing under CI=true: {what}");
    }
    eprintln!("SKIPPED: {what} is missing (run `bash .ci/run`, or see interop/)");
    false
}

fn command_succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn node_packages() -> bool {
    require(command_succeeds("node", &["--version"]), "node (Node.js)")
        && require(
            repo_root()
                .join("interop/node_modules/eventsource")
                .is_dir()
                && repo_root()
                    .join("interop/node_modules/playwright-core")
                    .is_dir(),
            "the npm packages of interop/ (`cd interop && npm ci`)",
        )
}

fn python_modules(modules: &str) -> bool {
    require(
        command_succeeds("python3", &["-c", &format!("import {modules}")]),
        &format!("the Python modules {modules} (`pip install -r interop/requirements.txt`)"),
    )
}

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

/// What a peer saw: `{type, data, lastEventId}` per event.
fn seen(event_type: &str, data: &str, id: &str) -> Value {
    json!({ "type": event_type, "data": data, "lastEventId": id })
}

// ---------------------------------------------------------------------------------------
// The tests

#[test]
fn chromium_reads_broadcast_server_across_a_dropped_connection() {
    if !node_packages()
        || !require(
            Path::new("/usr/bin/chromium").is_file(),
            "/usr/bin/chromium (apt chromium)",
        )
    {
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

/// The conformance vectors as three SSE implementations that are not ours read them:
/// every event Chromium's and the npm `eventsource` package's EventSource dispatch, and
/// every event `httpx-sse` yields, is the vector's (type, data, lastEventId, in order) —
/// for a parser vector from its input, for a writer vector from the bytes written — but
/// for the departures `interop/vectors.mjs` lists with their reasons (one of Chromium's,
/// two bugs of `eventsource`, two of `httpx-sse`). Vectors that need a decoder limit or a
/// starting id are left out there.
#[test]
fn chromium_eventsource_and_httpx_sse_give_the_vectors_events() {
    if !node_packages()
        || !python_modules("httpx, httpx_sse")
        || !require(
            Path::new("/usr/bin/chromium").is_file(),
            "/usr/bin/chromium (apt chromium)",
        )
    {
        return;
    }
    // The script stops itself within 120 s.
    let output = Command::new("node")
        .arg(repo_root().join("interop/vectors.mjs"))
        .stderr(Stdio::inherit())
        .output()
        .expect("node runs interop/vectors.mjs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}");
    assert!(
        output.status.success(),
        "an implementation disagrees with a vector in a way not listed: {stdout}"
    );
    let summaries: Vec<Value> = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line.get("version").is_some())
        .collect();
    let names: Vec<&str> = summaries
        .iter()
        .filter_map(|s| s["implementation"].as_str())
        .collect();
    assert_eq!(names, ["chromium", "node", "httpx-sse"], "{stdout}");
    for summary in &summaries {
        let count = |key: &str| summary[key].as_u64().unwrap_or_default();
        assert!(count("parser_vectors") > 200, "{summary}");
        assert!(count("writer_vectors") > 50, "{summary}");
        assert_eq!(count("unexplained"), 0, "{summary}");
        assert_eq!(
            count("agree") + count("known_departures"),
            count("vectors"),
            "{summary}"
        );
    }
}

/// Random streams (seeded, so every run is the same) decoded by `sse_proto::Decoder` and by
/// Chromium's EventSource give the same events: type, data and lastEventId, in order. The
/// streams mix every field, comments, unknown fields, fields without a colon, blank lines,
/// LF, CR and CRLF, a leading BOM, NUL, invalid and truncated UTF-8, and a last block the
/// end cuts off: what the hand-written vectors cover, in combinations nobody wrote down.
#[test]
fn the_decoder_and_chromium_agree_on_random_streams() {
    if !node_packages()
        || !require(
            Path::new("/usr/bin/chromium").is_file(),
            "/usr/bin/chromium (apt chromium)",
        )
    {
        return;
    }
    let mut rng = XorShift(0x5EED_CAFE_F00D_0001);
    let streams: Vec<Vec<u8>> = (0..STREAMS).map(|_| random_stream(&mut rng)).collect();
    let file = std::env::temp_dir().join(format!("sse-proto-streams-{}.json", std::process::id()));
    let encoded: Vec<String> = streams.iter().map(|s| base64(s)).collect();
    std::fs::write(
        &file,
        json!({ "types": EVENT_TYPES, "streams": encoded }).to_string(),
    )
    .expect("the streams file is written");
    // The script stops itself within 120 s.
    let output = Command::new("node")
        .arg(repo_root().join("interop/vectors.mjs"))
        .arg("--streams")
        .arg(&file)
        .arg("chromium")
        .stderr(Stdio::inherit())
        .output()
        .expect("node runs interop/vectors.mjs");
    let _ = std::fs::remove_file(&file);
    assert!(output.status.success(), "vectors.mjs --streams failed");
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    let chromium = report["results"].as_array().expect("results");
    assert_eq!(chromium.len(), streams.len());

    let (mut agree, mut bom_then_line_end) = (0, 0);
    let mut differ = Vec::new();
    for (stream, theirs) in streams.iter().zip(chromium) {
        let ours = decoded_events(stream);
        if ours == *theirs {
            agree += 1;
        } else if matches!(stream.as_slice(), [0xEF, 0xBB, 0xBF, b'\r' | b'\n', ..]) {
            // Chromium's known departure (the vector `bom-then-empty-line`): after a
            // leading BOM, a line end right away is not taken as the end of an empty first
            // line, and the line after it is lost.
            bom_then_line_end += 1;
        } else {
            differ.push(format!(
                "{:?}\n  sse-proto: {ours}\n  chromium:  {theirs}",
                String::from_utf8_lossy(stream)
            ));
        }
    }
    eprintln!(
        "{} random streams, {}: {agree} agree, {bom_then_line_end} differ by the BOM departure",
        streams.len(),
        report["version"]
    );
    assert!(agree >= STREAMS * 9 / 10, "{agree} of {STREAMS} agree");
    assert!(
        differ.is_empty(),
        "{} of {} streams differ:\n{}",
        differ.len(),
        streams.len(),
        differ.join("\n")
    );
}

/// Random events (seeded) written by `sse_proto::Message` and read by Chromium's
/// EventSource come back as written: the type (`message` when empty), the data (CR and
/// CRLF, which no `data` line can hold, read back as LF), and the id, which stays the last
/// event ID until another replaces it. The data mixes line breaks of every kind, `data:`
/// and `id:` look-alikes, colons, leading spaces, NUL, a BOM and multi-byte characters; an
/// event the writer must refuse (a type with a line break, an id with NUL or a line break)
/// is refused, and nothing of it is written.
#[test]
fn chromium_reads_back_random_events_as_written() {
    use sse_proto::{Encode, Message};

    if !node_packages()
        || !require(
            Path::new("/usr/bin/chromium").is_file(),
            "/usr/bin/chromium (apt chromium)",
        )
    {
        return;
    }
    const DATA: [&str; 14] = [
        "a",
        " ",
        ":",
        "\n",
        "\r",
        "\r\n",
        "\u{e9}",
        "\u{1F600}",
        "\u{FEFF}",
        "\0",
        "data: x",
        "\n\n",
        "id: 9",
        "\t",
    ];
    // One type in eight and two ids in ten must be refused.
    const TYPES: [&str; 8] = [
        "", "", "message", "update", "update", "t\u{e9}", "a b", "x\ny",
    ];
    const IDS: [Option<&str>; 10] = [
        None,
        None,
        None,
        None,
        Some("7"),
        Some(""),
        Some("\u{e9}9"),
        Some(" 8"),
        Some("a\0b"),
        Some("1\r2"),
    ];
    let mut rng = XorShift(0x5EED_0F_E7E4_7500);
    let (mut streams, mut expected, mut refused) = (Vec::new(), Vec::new(), 0);
    for _ in 0..60 {
        let (mut stream, mut events, mut last_id) = (Vec::new(), Vec::new(), String::new());
        for _ in 0..12 {
            let data: String = (0..rng.below(6)).map(|_| rng.pick(&DATA)).collect();
            let (event_type, id) = (rng.pick(&TYPES), rng.pick(&IDS));
            let mut message = Message::new(data.as_str()).event_type(event_type);
            if let Some(id) = id {
                message = message.id(id);
            }
            let invalid = event_type.contains(['\r', '\n'])
                || id.is_some_and(|id| id.contains(['\0', '\r', '\n']));
            match message.to_vec() {
                Ok(bytes) => {
                    assert!(!invalid, "{event_type:?} {id:?} was written");
                    stream.extend_from_slice(&bytes);
                    if let Some(id) = id {
                        last_id = id.to_string();
                    }
                    let read_back = data.replace("\r\n", "\n").replace('\r', "\n");
                    let read_type = if event_type.is_empty() {
                        "message"
                    } else {
                        event_type
                    };
                    events.push(seen(read_type, &read_back, &last_id));
                }
                Err(_) => {
                    assert!(invalid, "{event_type:?} {id:?} was refused");
                    refused += 1;
                }
            }
        }
        streams.push(base64(&stream));
        expected.push(Value::Array(events));
    }
    let file = std::env::temp_dir().join(format!("sse-proto-events-{}.json", std::process::id()));
    let types: Vec<&str> = TYPES
        .iter()
        .copied()
        .filter(|t| !t.contains('\n'))
        .collect();
    std::fs::write(
        &file,
        json!({ "types": types, "streams": streams }).to_string(),
    )
    .expect("the streams file is written");
    // The script stops itself within 120 s.
    let output = Command::new("node")
        .arg(repo_root().join("interop/vectors.mjs"))
        .arg("--streams")
        .arg(&file)
        .arg("chromium")
        .stderr(Stdio::inherit())
        .output()
        .expect("node runs interop/vectors.mjs");
    let _ = std::fs::remove_file(&file);
    assert!(output.status.success(), "vectors.mjs --streams failed");
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    let written = expected
        .iter()
        .map(|e| e.as_array().map_or(0, Vec::len))
        .sum::<usize>();
    eprintln!(
        "{written} events written, {refused} refused, read by {}",
        report["version"]
    );
    assert!(
        written > 400 && refused > 50,
        "{written} written, {refused} refused"
    );
    let read = report["results"].as_array().expect("results");
    assert_eq!(read.len(), expected.len());
    for (i, (read, written)) in read.iter().zip(&expected).enumerate() {
        let (read, written) = (read.as_array(), written.as_array());
        let (read, written) = (read.expect("events"), written.expect("events"));
        let first = (0..read.len().max(written.len())).find(|&k| read.get(k) != written.get(k));
        if let Some(k) = first {
            panic!(
                "stream {i}, event {k}: written {:?}, Chromium read {:?} ({} vs {} events)",
                written.get(k),
                read.get(k),
                written.len(),
                read.len()
            );
        }
    }
}

/// How many random streams are compared.
const STREAMS: usize = 600;
/// The event types the random streams use (the page listens for each; `""` is `message`).
const EVENT_TYPES: [&str; 5] = ["", "update", "t\u{e9}", "error", "open"];

/// The events `sse_proto::Decoder` gives for `stream`, whole, then ended, as the page
/// records them.
fn decoded_events(stream: &[u8]) -> Value {
    let mut decoder = sse_proto::Decoder::new();
    let mut events = Vec::new();
    let mut feed = decoder.feed(stream);
    while let Some(e) = feed.next_event() {
        events.push(seen(e.event_type(), e.data(), e.last_event_id()));
    }
    drop(feed);
    let mut end = decoder.finish();
    while let Some(e) = end.next_event() {
        events.push(seen(e.event_type(), e.data(), e.last_event_id()));
    }
    Value::Array(events)
}

/// A small deterministic generator (xorshift64): no dependency, the same streams each run.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// One random stream of 1 to 14 lines.
fn random_stream(rng: &mut XorShift) -> Vec<u8> {
    // Pieces of values: ASCII, the colon and space the parser looks at, multi-byte
    // characters, a BOM, NUL, a tab, an invalid byte and sequences cut short.
    const PIECES: [&[u8]; 12] = [
        b"a",
        b"bc",
        b" ",
        b":",
        "\u{e9}".as_bytes(),
        "\u{1F600}".as_bytes(),
        "\u{FEFF}".as_bytes(),
        b"\0",
        b"\t",
        b"\xFF",
        b"\xC3",
        b"\xE2\x82",
    ];
    const ENDINGS: [&[u8]; 3] = [b"\n", b"\r", b"\r\n"];
    let mut stream = Vec::new();
    if rng.below(6) == 0 {
        stream.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let value = |rng: &mut XorShift, stream: &mut Vec<u8>| {
        for _ in 0..rng.below(5) {
            stream.extend_from_slice(rng.pick(&PIECES));
        }
    };
    for _ in 0..=rng.below(14) {
        match rng.below(14) {
            0..=3 => {
                stream.extend_from_slice(rng.pick(&[&b"data:"[..], b"data: ", b"data:  "]));
                value(rng, &mut stream);
            }
            4 => {
                stream.extend_from_slice(rng.pick(&[&b"event:"[..], b"event: "]));
                stream.extend_from_slice(rng.pick(&EVENT_TYPES).as_bytes());
            }
            5 => {
                stream.extend_from_slice(rng.pick(&[&b"id:"[..], b"id: "]));
                value(rng, &mut stream);
            }
            6 => {
                stream.extend_from_slice(b"retry: ");
                stream.extend_from_slice(rng.pick(&[&b"1000"[..], b"x", b"", b"10a"]));
            }
            7 => {
                stream.push(b':');
                value(rng, &mut stream);
            }
            8 => stream.extend_from_slice(rng.pick(&[&b"data"[..], b"event", b"id", b"retry"])),
            9 => {
                stream.extend_from_slice(b"other: ");
                value(rng, &mut stream);
            }
            _ => {} // a blank line
        }
        stream.extend_from_slice(rng.pick(&ENDINGS));
    }
    if rng.below(4) == 0 {
        stream.extend_from_slice(b"data: cut off"); // a block the end discards
    }
    stream
}

/// Standard base64 with padding (what `Buffer.from(s, "base64")` reads).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
