//! `client`: arbitrary sequences of client inputs and commands, with time that only moves
//! forward, under arbitrary policies. Never panics, and after every input:
//! * nothing comes out after CLOSED (`Failed`/`Closed`), no timer is pending then;
//! * no `Connect` before the deadline its `WaitUntil` announced (except `reconnect_now`);
//! * the `Last-Event-ID` sent equals the last committed id — tracked here from the items
//!   the client surfaced (events carry it, id-only blocks announce it) — and is never empty.
#![no_main]

use core::time::Duration;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_proto::{client::{Backoff, Instant, Output, ReadyState, ResponseHead, TransportError}, Client, ClientConfig, OwnedItem};

#[derive(Arbitrary, Debug)]
enum Op {
    Tick(u16),
    ToDeadline,
    Response { status: u16, event_stream: bool, retry_after: Option<u16> },
    Body(Vec<u8>),
    BodyEnd,
    TransportError { futile: bool },
    Close,
    ReconnectNow,
}

#[derive(Arbitrary, Debug)]
struct Input {
    backoff: Option<(u64, u8)>,
    floor_ms: Option<u16>,
    retry_server_errors: bool,
    idle_ms: Option<u16>,
    max_attempts: Option<u8>,
    initial_id: bool,
    ops: Vec<Op>,
}

struct Model {
    now: u64,
    committed: String,
    wait_until: Option<u64>,
    terminal: bool,
}

fn drain(client: &mut Client, model: &mut Model, reconnect_now: bool) {
    while let Some(output) = client.poll_output() {
        // A read's items are decoded as they are drained, never all at once.
        assert!(client.queued_outputs() < Client::MAX_QUEUED_OUTPUTS, "{} queued", client.queued_outputs());
        assert!(!model.terminal, "output after CLOSED: {output:?}");
        match output {
            Output::Connect(request) => {
                if let (false, Some(due)) = (reconnect_now, model.wait_until) {
                    assert!(model.now >= due, "connected at {} before the deadline {due}", model.now);
                }
                model.wait_until = None;
                let expected = (!model.committed.is_empty()).then_some(model.committed.as_str());
                assert_eq!(request.last_event_id(), expected, "Last-Event-ID");
                assert_ne!(request.header("Last-Event-ID"), Some(""), "an empty Last-Event-ID header");
            }
            Output::WaitUntil { at, .. } => model.wait_until = Some(at.as_millis()),
            Output::Item(OwnedItem::Event(e)) => model.committed = e.last_event_id.to_string(),
            Output::Item(OwnedItem::LastEventId(id)) => model.committed = id,
            Output::Failed(_) | Output::Closed(_) => model.terminal = true,
            _ => {}
        }
    }
    if model.terminal {
        assert_eq!(client.ready_state(), ReadyState::Closed);
        assert_eq!(client.poll_timeout(), None, "a timer after CLOSED");
    }
    assert_eq!(client.last_event_id(), model.committed, "committed id");
}

fuzz_target!(|input: Input| {
    let initial = if input.initial_id { "seed" } else { "" };
    let mut config = ClientConfig::new("http://fuzz.test/events")
        .reconnection_time(Duration::from_millis(1000))
        .retry_server_errors(input.retry_server_errors)
        .initial_last_event_id(initial);
    if let Some((seed, jitter)) = input.backoff {
        config = config.backoff(
            Backoff::new().seed(seed).jitter_percent(u32::from(jitter % 101)).max(Duration::from_secs(30)),
        );
    }
    if let Some(ms) = input.floor_ms {
        config = config.min_reconnection_time(Duration::from_millis(u64::from(ms)));
    }
    if let Some(ms) = input.idle_ms {
        config = config.idle_timeout(Duration::from_millis(u64::from(ms) + 1));
    }
    if let Some(n) = input.max_attempts {
        config = config.max_attempts(u32::from(n));
    }

    let mut model = Model { now: 0, committed: initial.to_string(), wait_until: None, terminal: false };
    let mut client = Client::new(config, Instant::from_millis(0)).expect("a valid config");
    drain(&mut client, &mut model, false);
    for op in input.ops.iter().take(200) {
        let now = |m: &Model| Instant::from_millis(m.now);
        let mut reconnect_now = false;
        let result = match op {
            Op::Tick(ms) => {
                model.now += u64::from(*ms);
                client.handle_timeout(now(&model));
                Ok(())
            }
            Op::ToDeadline => {
                if let Some(at) = client.poll_timeout() {
                    model.now = model.now.max(at.as_millis());
                }
                client.handle_timeout(now(&model));
                Ok(())
            }
            Op::Response { status, event_stream, retry_after } => {
                let retry_after = retry_after.map(|s| s.to_string());
                let mut head = ResponseHead::new(*status);
                if *event_stream {
                    head = head.content_type("text/event-stream; charset=utf-8");
                }
                if let Some(ra) = &retry_after {
                    head = head.retry_after(ra);
                }
                client.handle_response(now(&model), client.attempt(), &head)
            }
            Op::Body(bytes) => client.handle_body(now(&model), client.attempt(), bytes),
            Op::BodyEnd => client.handle_body_end(now(&model), client.attempt()),
            Op::TransportError { futile } => client.handle_transport_error(
                now(&model), client.attempt(),
                if *futile { TransportError::Futile } else { TransportError::Transient },
            ),
            Op::Close => {
                client.close(now(&model));
                Ok(())
            }
            Op::ReconnectNow => {
                reconnect_now = true;
                client.reconnect_now(now(&model))
            }
        };
        if model.terminal {
            assert!(result.is_err() || matches!(op, Op::Tick(_) | Op::ToDeadline | Op::Close), "{op:?} accepted after CLOSED");
        }
        drain(&mut client, &mut model, reconnect_now);
    }
});
