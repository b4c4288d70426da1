//! Property tests: the client driven by random input sequences, under random configs.
//!
//! Invariants checked after every input:
//! * no panic, whatever the order of inputs;
//! * no `Connect` before its deadline (the `WaitUntil` instant), except on `reconnect_now`;
//! * nothing after CLOSED: no output after `Failed`/`Closed`, no timer, every input refused;
//! * the `Last-Event-ID` sent is always the last committed id, computed by a naive
//!   reference over the bytes each connection received (P17, P20, D3, D4, C17), and
//!   `client.last_event_id()` agrees with it at every step;
//! * a `Last-Event-ID` header is never empty, and the ready state matches the outputs.
#![cfg(feature = "alloc")]

use core::time::Duration;

use proptest::prelude::*;
use sse_proto::{
    client::{Backoff, InputError, Instant, Output, ReadyState, ResponseHead, TransportError},
    Client, ClientConfig,
};

#[derive(Debug, Clone)]
enum Op {
    /// Time passes by this many ms, then `handle_timeout`.
    Tick(u64),
    /// Jump to the client's next deadline, then `handle_timeout`.
    ToDeadline,
    Response {
        status: u16,
        content_type: Option<&'static str>,
        retry_after: Option<&'static str>,
    },
    Body(Vec<u8>),
    /// Body bytes stamped with an earlier time than the latest seen.
    LateBody(Vec<u8>),
    BodyEnd,
    TransportError(bool),
    Close,
    ReconnectNow,
}

const FRAGMENTS: &[&[u8]] = &[
    b"id: 1\n",
    b"id: 2\r\n",
    b"id\n",
    b"id:\n",
    b"id: a\0b\n",
    b"id: \xE2\x80\xA6\n",
    b"data: x\n",
    b"data\n",
    b"\n",
    b"\r",
    b"\r\n",
    b"retry: 0\n",
    b"retry: 2500\n",
    b"retry: x\n",
    b": c\n",
    b"event: e\n",
    b"id: 3",
    b"foo: bar\n",
];

fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    let fragment = prop::sample::select(FRAGMENTS).prop_map(<[u8]>::to_vec);
    let noise = prop::collection::vec(prop::sample::select(&b"id:da \n\r\0x"[..]), 0..6);
    prop::collection::vec(prop_oneof![4 => fragment, 1 => noise], 0..5)
        .prop_map(|parts| parts.concat())
}

fn op() -> impl Strategy<Value = Op> {
    let status = prop::sample::select(&[200u16, 200, 200, 204, 201, 301, 404, 429, 500, 503][..]);
    let content_type = prop::sample::select(
        &[
            Some("text/event-stream"),
            Some("Text/Event-Stream; charset=x"),
            Some("text/html"),
            None,
        ][..],
    );
    let retry_after = prop::sample::select(
        &[
            None,
            Some("1"),
            Some("120"),
            Some("soon"),
            Some("Sun, 06 Nov 1994 08:49:37 GMT"),
        ][..],
    );
    prop_oneof![
        3 => (0u64..8000).prop_map(Op::Tick),
        3 => Just(Op::ToDeadline),
        3 => (status, content_type, retry_after).prop_map(|(status, content_type, retry_after)| Op::Response { status, content_type, retry_after }),
        6 => body_bytes().prop_map(Op::Body),
        1 => body_bytes().prop_map(Op::LateBody),
        2 => Just(Op::BodyEnd),
        2 => prop::bool::weighted(0.1).prop_map(Op::TransportError),
        1 => Just(Op::Close),
        1 => Just(Op::ReconnectNow),
    ]
}

fn config() -> impl Strategy<Value = ClientConfig> {
    (
        any::<bool>(),
        any::<u64>(),
        prop::option::of(0u64..2000),
        any::<bool>(),
        prop::option::of(1u64..10_000),
        prop::option::of(0u32..6),
        prop::sample::select(&["", "init", "\u{2026}"][..]),
        prop::option::of(0u32..100),
    )
        .prop_map(
            |(backoff, seed, floor, retry5xx, idle, max_attempts, initial, jitter)| {
                let mut c = ClientConfig::new("http://test/")
                    .reconnection_time(Duration::from_millis(1000))
                    .retry_server_errors(retry5xx)
                    .initial_last_event_id(initial);
                if backoff {
                    let mut b = Backoff::new()
                        .seed(seed)
                        .max(Duration::from_secs(20))
                        .reset_after(Duration::from_millis(3000));
                    if let Some(j) = jitter {
                        b = b.jitter_percent(j);
                    }
                    c = c.backoff(b);
                }
                if let Some(f) = floor {
                    c = c.min_reconnection_time(Duration::from_millis(f));
                }
                if let Some(idle) = idle {
                    c = c.idle_timeout(Duration::from_millis(idle));
                }
                if let Some(n) = max_attempts {
                    c = c.max_attempts(n);
                }
                c
            },
        )
}

/// The naive reference for the committed last event ID (P8–P11, P14, P17, P20, D3): every
/// terminated line of the stream in order, the id buffer seeded with the id committed
/// before the stream, committed at each blank line; a partial last line is ignored.
fn committed_after(stream: &[u8], before: &str) -> String {
    let mut committed = before.to_string();
    let mut buffer = before.to_string();
    let mut line: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < stream.len() {
        let b = stream[i];
        if b == b'\r' || b == b'\n' {
            if line.is_empty() {
                committed = buffer.clone(); // P17
            } else if line[0] != b':' {
                let (name, value) = match line.iter().position(|&c| c == b':') {
                    Some(c) => (&line[..c], &line[c + 1..]),
                    None => (&line[..], &[][..]),
                };
                let value = value.strip_prefix(b" ").unwrap_or(value);
                if name == b"id" && !value.contains(&0) {
                    buffer = String::from_utf8_lossy(value).into_owned(); // P14
                }
            }
            line.clear();
            if b == b'\r' && stream.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        } else {
            line.push(b);
        }
        i += 1;
    }
    committed
}

struct Model {
    now: u64,
    /// The committed id when the current connection's stream began.
    base: String,
    /// Bytes the current connection's stream accepted.
    stream: Vec<u8>,
    wait_until: Option<u64>,
    terminal: bool,
    /// The configured floor under every wait (D12: 100 ms unless configured).
    floor: u64,
}

impl Model {
    fn committed(&self) -> String {
        committed_after(&self.stream, &self.base)
    }
}

fn check_outputs(
    client: &mut Client,
    model: &mut Model,
    reconnect_now: bool,
) -> Result<(), TestCaseError> {
    while let Some(output) = client.poll_output() {
        prop_assert!(!model.terminal, "output after CLOSED: {:?}", output);
        match &output {
            Output::Connect(request) => {
                if !reconnect_now {
                    let due = model.wait_until.expect("a Connect follows a WaitUntil");
                    prop_assert!(
                        model.now >= due,
                        "Connect at {} before its deadline {}",
                        model.now,
                        due
                    );
                }
                let committed = model.committed();
                let expected = (!committed.is_empty()).then_some(committed.as_str());
                prop_assert_eq!(request.last_event_id(), expected);
                prop_assert_eq!(request.header("last-event-id"), expected);
                model.base = committed;
                model.stream.clear();
                model.wait_until = None;
            }
            Output::WaitUntil { at, .. } => {
                // D12: never a tight loop, whatever the server sends.
                prop_assert!(
                    at.as_millis() >= model.now.saturating_add(model.floor),
                    "a wait until {} at {}, below the floor {}",
                    at.as_millis(),
                    model.now,
                    model.floor
                );
                model.wait_until = Some(at.as_millis());
            }
            Output::Failed(_) | Output::Closed(_) => model.terminal = true,
            Output::Open | Output::Item(_) => {}
            other => prop_assert!(false, "unknown output {:?}", other),
        }
    }
    let committed = model.committed();
    prop_assert_eq!(client.last_event_id(), committed.as_str());
    if model.terminal {
        prop_assert_eq!(client.ready_state(), ReadyState::Closed);
        prop_assert_eq!(client.poll_timeout(), None);
    } else {
        prop_assert_ne!(client.ready_state(), ReadyState::Closed);
    }
    if let Some(deadline) = client.poll_timeout() {
        if model.wait_until.is_some() {
            prop_assert_eq!(Some(deadline.as_millis()), model.wait_until);
        }
    }
    Ok(())
}

fn refused_after_close(result: Result<(), InputError>, model: &Model) -> Result<(), TestCaseError> {
    if model.terminal {
        prop_assert_eq!(result, Err(InputError::Closed));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn client_invariants(config in config(), ops in prop::collection::vec(op(), 0..60)) {
        let initial = config.initial_last_event_id.clone();
        let floor = config.min_reconnection_time.as_millis() as u64;
        let mut client = Client::new(config, Instant::EPOCH).unwrap();
        let mut model = Model { now: 0, base: initial, stream: Vec::new(), wait_until: Some(0), terminal: false, floor };
        check_outputs(&mut client, &mut model, false)?;
        for op in ops {
            let mut reconnect_now = false;
            match op {
                Op::Tick(ms) => {
                    model.now += ms;
                    client.handle_timeout(Instant::from_millis(model.now));
                }
                Op::ToDeadline => {
                    if let Some(t) = client.poll_timeout() {
                        model.now = model.now.max(t.as_millis());
                    }
                    client.handle_timeout(Instant::from_millis(model.now));
                }
                Op::Response { status, content_type, retry_after } => {
                    model.now += 1;
                    let mut head = ResponseHead::new(status).unix_time(784_111_000);
                    if let Some(ct) = content_type { head = head.content_type(ct); }
                    if let Some(ra) = retry_after { head = head.retry_after(ra); }
                    let result = client.handle_response(Instant::from_millis(model.now), client.attempt(), &head);
                    refused_after_close(result, &model)?;
                }
                Op::Body(bytes) => {
                    model.now += 1;
                    let result = client.handle_body(Instant::from_millis(model.now), client.attempt(), &bytes);
                    refused_after_close(result, &model)?;
                    if result.is_ok() { model.stream.extend_from_slice(&bytes); }
                }
                Op::LateBody(bytes) => {
                    let result = client.handle_body(Instant::from_millis(model.now.saturating_sub(500)), client.attempt(), &bytes);
                    refused_after_close(result, &model)?;
                    if result.is_ok() { model.stream.extend_from_slice(&bytes); }
                }
                Op::BodyEnd => {
                    model.now += 1;
                    let result = client.handle_body_end(Instant::from_millis(model.now), client.attempt());
                    refused_after_close(result, &model)?;
                }
                Op::TransportError(futile) => {
                    model.now += 1;
                    let error = if futile { TransportError::Futile } else { TransportError::Transient };
                    let result = client.handle_transport_error(Instant::from_millis(model.now), client.attempt(), error);
                    refused_after_close(result, &model)?;
                }
                Op::Close => client.close(Instant::from_millis(model.now)),
                Op::ReconnectNow => {
                    reconnect_now = true;
                    let result = client.reconnect_now(Instant::from_millis(model.now));
                    refused_after_close(result, &model)?;
                }
            }
            check_outputs(&mut client, &mut model, reconnect_now)?;
        }
    }

    /// The reference and the decoder agree on the committed id however the body is cut.
    #[test]
    fn committed_id_is_chunking_independent(parts in prop::collection::vec(body_bytes(), 0..8)) {
        let mut client = Client::new(ClientConfig::new("http://test/"), Instant::EPOCH).unwrap();
        let _ = client.handle_response(Instant::EPOCH, client.attempt(), &ResponseHead::new(200).content_type("text/event-stream"));
        let mut all = Vec::new();
        for part in &parts {
            client.handle_body(Instant::EPOCH, client.attempt(), part).unwrap();
            all.extend_from_slice(part);
            // The body is decoded as outputs are drained (bounded memory): drain first.
            while client.poll_output().is_some() {}
            let expected = committed_after(&all, "");
            prop_assert_eq!(client.last_event_id(), expected.as_str());
        }
        client.handle_body_end(Instant::EPOCH, client.attempt()).unwrap();
        while client.poll_output().is_some() {}
        let expected = committed_after(&all, "");
        prop_assert_eq!(client.last_event_id(), expected.as_str());
    }
}
