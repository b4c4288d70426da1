//! The whole job in one command: an event server and a reconnecting client, on 127.0.0.1.
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! The server publishes events (multi-line data, Unicode, empty data), drops the
//! connection on purpose, keeps publishing while the client is away, and replays what the
//! client missed from a bounded history when it comes back with `Last-Event-ID`. The client
//! is the crate's reconnecting [`Driver`] over a small HTTP/1.1 client. Each step prints the
//! bytes on the wire next to the events the client decoded. Standard library only; exits
//! by itself within a few seconds, with status 0 only if every event arrived exactly once
//! and in order.

#[path = "support/http1.rs"]
mod http1;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use sse_proto::client::{Driver, Output};
use sse_proto::{ClientConfig, Encode, Message, OwnedEvent, OwnedItem, Retry};

/// How many events the server keeps for replay (a real server bounds bytes too).
const HISTORY: usize = 16;
/// The reconnection time the server asks for (a `retry` field).
const RETRY: Duration = Duration::from_millis(300);
/// The longest wait for any one step; the demo fails rather than hang.
const STEP_TIMEOUT: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    let started = Instant::now();
    match run() {
        Ok(count) => {
            say(
                "result",
                &format!(
                    "all {count} events arrived exactly once, in order ({:.1} s)",
                    started.elapsed().as_secs_f64()
                ),
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            say("FAILED", &message);
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<usize, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{address}/events");
    say(
        "demo",
        &format!("an event server and a reconnecting client on {address}"),
    );

    let hub = Arc::new(Hub::default());
    let server = Arc::clone(&hub);
    thread::spawn(move || serve(&listener, &server));
    let events = spawn_client(&url)?;

    let published = [
        Message::new("first line\nsecond line").event_type("note"),
        Message::new("Unicode: héllo ✓ 日本語 🚀"),
        Message::new(""), // empty data still dispatches an event
        Message::new("sent while the client was away"),
        Message::new("also missed, replayed from history").event_type("note"),
        Message::new("live again"),
    ];
    let mut received = Vec::new();

    for message in &published[..3] {
        hub.publish(message);
        received.extend(wait_for(&events, 1)?);
    }
    say("server", "drops the connection on purpose");
    hub.drop_connections();
    for message in &published[3..5] {
        hub.publish(message); // kept in the history: no client is connected
    }
    received.extend(wait_for(&events, 2)?); // after reconnecting with Last-Event-ID
    hub.publish(&published[5]);
    received.extend(wait_for(&events, 1)?);

    say(
        "server",
        "ends the stream: its next answer is 204 No Content",
    );
    hub.finish();
    wait_for(&events, 0)?; // the client reconnects, gets 204 and stops
    check(&published, &received)
}

/// Each published message must have arrived once, in order, with its id.
fn check(published: &[Message<'_>], received: &[OwnedEvent]) -> Result<usize, String> {
    if received.len() != published.len() {
        return Err(format!(
            "{} events published, {} received",
            published.len(),
            received.len()
        ));
    }
    for (n, (sent, got)) in published.iter().zip(received).enumerate() {
        let id = (n + 1).to_string();
        let event_type = match sent.event_type_ref() {
            "" => "message",
            other => other,
        };
        if got.data != sent.data_ref() || got.event_type != event_type || *got.last_event_id != *id
        {
            return Err(format!("event {id}: sent {sent:?}, received {got:?}"));
        }
    }
    Ok(received.len())
}

/// Prints one step: who, then what. A closed stdout (`demo | head -2`) is ignored: the
/// demo still runs to its end and its status says whether every event arrived.
fn say(who: &str, what: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{who:>7} | {what}");
}

// ---------------------------------------------------------------------------------------
// The client: the crate's reconnecting `Driver` over `support/http1.rs`, in a thread that
// prints what it sees and hands each event to `main`. `Err` in the channel ends the demo.

fn spawn_client(url: &str) -> Result<Receiver<Result<OwnedEvent, String>>, String> {
    let config = ClientConfig::new(url);
    let connect = |request: &sse_proto::client::Request,
                   limits: sse_proto::client::ConnectLimits| {
        http1::open(request, limits, STEP_TIMEOUT)
    };
    let driver = Driver::new(config, connect).map_err(|e| e.to_string())?;
    let (events, received) = mpsc::channel();
    thread::spawn(move || {
        for output in driver {
            let step = match output {
                Ok(Output::Connect(request)) => match request.last_event_id() {
                    Some(id) => format!("connects, sending Last-Event-ID: {id}"),
                    None => "connects".to_string(),
                },
                Ok(Output::Open) => "open".to_string(),
                Ok(Output::Item(OwnedItem::Event(event))) => {
                    let step = format!(
                        "event {:?}, id {}, data {:?}",
                        event.event_type, event.last_event_id, event.data
                    );
                    say("client", &step);
                    if events.send(Ok(event)).is_err() {
                        return; // `main` is done
                    }
                    continue;
                }
                Ok(Output::Item(OwnedItem::Retry(ms))) => format!("will wait {ms} ms to reconnect"),
                Ok(Output::Item(item)) => format!("{item:?}"),
                Ok(Output::WaitUntil { at, reason }) => format!("{reason}; reconnects at {at}"),
                Ok(Output::Closed(reason)) => {
                    say("client", &format!("closed: {reason}"));
                    break;
                }
                Ok(Output::Failed(reason)) => {
                    let _ = events.send(Err(format!("the client failed: {reason}")));
                    return;
                }
                Ok(other) => format!("{other:?}"),
                Err(error) => format!("I/O error, recovering: {error}"),
            };
            say("client", &step);
        }
        let _ = events.send(Err("closed".to_string()));
    });
    Ok(received)
}

/// The next `count` events; with `count` 0, waits for the client to close.
fn wait_for(
    events: &Receiver<Result<OwnedEvent, String>>,
    count: usize,
) -> Result<Vec<OwnedEvent>, String> {
    let mut got = Vec::with_capacity(count);
    loop {
        let next = events.recv_timeout(STEP_TIMEOUT);
        match next {
            Ok(Ok(event)) if got.len() < count => got.push(event),
            Ok(Ok(event)) => return Err(format!("an unexpected event: {event:?}")),
            Ok(Err(end)) if count == 0 && end == "closed" => return Ok(got),
            Ok(Err(end)) => return Err(end),
            Err(RecvTimeoutError::Timeout) => {
                return Err(format!("no event within {} s", STEP_TIMEOUT.as_secs()));
            }
            Err(RecvTimeoutError::Disconnected) => return Err("the client stopped".to_string()),
        }
        if count > 0 && got.len() == count {
            return Ok(got);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The server: one connection at a time, fed from a bounded history that `main` publishes
// into. A live connection sends each new entry; a new one first replays what came after
// its `Last-Event-ID`.

#[derive(Default)]
struct Hub {
    state: Mutex<HubState>,
    changed: Condvar,
}

#[derive(Default)]
struct HubState {
    /// (id, encoded event), oldest first, at most `HISTORY`.
    history: VecDeque<(u64, Vec<u8>)>,
    last_id: u64,
    /// Bumped to drop every live connection.
    generation: u64,
    finished: bool,
}

impl Hub {
    fn publish(&self, message: &Message<'_>) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.last_id += 1;
        let id = state.last_id;
        // Encoded once, with its id; the same bytes go to every connection.
        let bytes = match message.clone().id(id.to_string()).to_vec() {
            Ok(bytes) => bytes,
            Err(error) => return say("server", &format!("refused an event: {error}")),
        };
        say("server", &format!("publishes event {id}"));
        if state.history.len() == HISTORY {
            state.history.pop_front();
        }
        state.history.push_back((id, bytes));
        self.changed.notify_all();
    }

    fn drop_connections(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.generation += 1;
        self.changed.notify_all();
    }

    fn finish(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.finished = true;
        state.generation += 1;
        self.changed.notify_all();
    }
}

fn serve(listener: &TcpListener, hub: &Hub) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        match serve_one(stream, hub) {
            Ok(Served::Stop) => return,
            Ok(Served::Dropped) => {}
            Err(error) => say("server", &format!("connection error: {error}")),
        }
    }
}

enum Served {
    Dropped,
    Stop,
}

fn serve_one(mut stream: TcpStream, hub: &Hub) -> std::io::Result<Served> {
    stream.set_read_timeout(Some(STEP_TIMEOUT))?;
    let last_event_id = read_request(&stream)?;
    let mut state = hub.state.lock().unwrap_or_else(PoisonError::into_inner);
    say(
        "server",
        &match &last_event_id {
            Some(id) => format!("<- GET /events, Last-Event-ID: {id}"),
            None => "<- GET /events".to_string(),
        },
    );
    if state.finished {
        say("server", "-> 204 No Content");
        wire(
            &mut stream,
            b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
        )?;
        return Ok(Served::Stop);
    }
    wire(
        &mut stream,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n",
    )?;
    wire(&mut stream, &Retry(RETRY.as_millis() as u64).to_vec())?;
    // Replay: everything after the client's last event ID that the history still holds.
    let mut sent = last_event_id.and_then(|id| id.parse().ok()).unwrap_or(0);
    let generation = state.generation;
    loop {
        let new: Vec<Vec<u8>> = state
            .history
            .iter()
            .filter(|(id, _)| *id > sent)
            .map(|(_, bytes)| bytes.clone())
            .collect();
        sent = state.last_id;
        drop(state);
        for bytes in &new {
            wire(&mut stream, bytes)?;
        }
        state = hub.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state.generation == generation && state.last_id == sent {
            let (next, timeout) = hub
                .changed
                .wait_timeout(state, STEP_TIMEOUT)
                .unwrap_or_else(PoisonError::into_inner);
            state = next;
            if timeout.timed_out() {
                return Ok(Served::Dropped); // nothing happened for a long time: give up
            }
        }
        if state.generation != generation {
            stream.shutdown(Shutdown::Both)?;
            return Ok(Served::Dropped);
        }
    }
}

/// Reads the request head; returns its `Last-Event-ID`, if any.
fn read_request(stream: &TcpStream) -> std::io::Result<Option<String>> {
    let mut reader = BufReader::new(stream).take(16 * 1024);
    let mut last_event_id = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            return Ok(last_event_id);
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("last-event-id") {
                last_event_id = Some(value.trim().to_string());
            }
        }
    }
}

/// Writes bytes to the client, printing the event-stream part as it goes on the wire.
fn wire(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    if !bytes.starts_with(b"HTTP/") {
        say("wire", &format!("{:?}", String::from_utf8_lossy(bytes)));
    }
    stream.write_all(bytes)?;
    stream.flush()
}
