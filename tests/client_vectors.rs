//! Runs every client scenario vector in `spec-vectors/client/*.json` on a virtual clock
//! (format: `spec-vectors/client/README.md`), with body inputs whole and byte by byte.
#![cfg(feature = "alloc")]

#[path = "../examples/support/json.rs"]
mod json;
#[path = "support/vectors.rs"]
mod support;

use core::time::Duration;
use std::collections::BTreeSet;

use json::Json;
use sse_proto::{
    client::{
        AttemptId, Backoff, CloseReason, FailReason, InputError, Instant, Output, ReadyState,
        Reconnect, ReconnectReason, ResponseHead, TransportError,
    },
    Client, ClientConfig, DecoderConfig, Dropped, OwnedItem,
};

struct Vector {
    file: String,
    json: Json,
}

impl Vector {
    fn name(&self) -> &str {
        self.json.get("name").and_then(Json::as_str).unwrap_or("?")
    }
}

fn load() -> Vec<Vector> {
    let mut vectors = Vec::new();
    for (file, doc) in support::load_files("client") {
        for v in doc
            .get("vectors")
            .and_then(Json::as_array)
            .expect("a vectors array")
        {
            vectors.push(Vector {
                file: file.clone(),
                json: v.clone(),
            });
        }
    }
    vectors
}

fn ms(j: &Json) -> Duration {
    Duration::from_millis(j.as_u64().expect("milliseconds"))
}

fn config_from(j: Option<&Json>) -> ClientConfig {
    let mut c = ClientConfig::default();
    let Some(j) = j else { return c };
    let mut decoder = DecoderConfig::default();
    for (key, value) in j.as_object().expect("config object") {
        c = match key.as_str() {
            "url" => c.url(value.as_str().unwrap()),
            "method" => c.method(value.as_str().unwrap()),
            "headers" => value.as_array().unwrap().iter().fold(c, |c, pair| {
                let pair = pair.as_array().unwrap();
                c.header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap())
            }),
            "body" => match value.as_str() {
                Some(body) => c.body(body.as_bytes()),
                None => {
                    c.body = None;
                    c
                }
            },
            "initial_last_event_id" => c.initial_last_event_id(value.as_str().unwrap()),
            "reconnection_time_ms" => c.reconnection_time(ms(value)),
            "max_reconnection_time_ms" => c.max_reconnection_time(ms(value)),
            "min_reconnection_time_ms" => c.min_reconnection_time(ms(value)),
            "spec_timing" if value.as_bool().unwrap() => c.spec_timing(),
            "spec_timing" => c,
            "unproductive_backoff_ms" if value.is_null() => c.no_unproductive_backoff(),
            "unproductive_backoff_ms" => c.unproductive_backoff(ms(value)),
            "retry_server_errors" => c.retry_server_errors(value.as_bool().unwrap()),
            "idle_timeout_ms" if value.is_null() => c.no_idle_timeout(),
            "idle_timeout_ms" => c.idle_timeout(ms(value)),
            "max_attempts" => match value.as_u64() {
                Some(n) => c.max_attempts(u32::try_from(n).unwrap()),
                None => c.unlimited_attempts(),
            },
            "reconnect" => c.reconnect(match value.as_str().unwrap() {
                "auto" => Reconnect::Auto,
                "always" => Reconnect::Always,
                "on_error" => Reconnect::OnError,
                "never" => Reconnect::Never,
                other => panic!("unknown reconnect policy {other}"),
            }),
            "backoff" if value.is_null() => c.no_backoff(),
            "backoff" => {
                let mut b = Backoff::new();
                for (k, v) in value.as_object().unwrap() {
                    b = match k.as_str() {
                        "max_ms" => b.max(ms(v)),
                        "multiplier_percent" => b.multiplier_percent(v.as_u64().unwrap() as u32),
                        "jitter_percent" => b.jitter_percent(v.as_u64().unwrap() as u32),
                        "reset_after_ms" => b.reset_after(ms(v)),
                        "seed" => b.seed(v.as_u64().unwrap()),
                        other => panic!("unknown backoff member {other}"),
                    };
                }
                c.backoff(b)
            }
            "max_line_len" => {
                decoder = decoder.max_line_len(value.as_u64().unwrap() as usize);
                c
            }
            "max_event_len" => {
                decoder = decoder.max_event_len(value.as_u64().unwrap() as usize);
                c
            }
            "max_id_len" => {
                decoder = decoder.max_id_len(value.as_u64().unwrap() as usize);
                c
            }
            "unknown_fields" => {
                decoder = decoder.unknown_fields(value.as_bool().unwrap());
                c
            }
            other => panic!("unknown config member {other}"),
        };
    }
    c.decoder(decoder)
}

fn num(n: u64) -> Json {
    Json::Number(n.to_string())
}

fn s(text: &str) -> Json {
    Json::String(text.to_string())
}

fn obj(members: Vec<(&str, Json)>) -> Json {
    Json::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// An output in the vector format.
fn output_json(output: &Output) -> Json {
    match output {
        Output::Connect(r) => {
            // C14 step 5, C17: the header and the field agree, and never an empty header.
            assert_eq!(
                r.header("Last-Event-ID"),
                r.last_event_id(),
                "Last-Event-ID header vs field"
            );
            assert_ne!(r.last_event_id(), Some(""), "an empty Last-Event-ID header");
            obj(vec![
                ("kind", s("connect")),
                ("last_event_id", r.last_event_id().map_or(Json::Null, s)),
                ("attempt", num(r.attempt().number())),
                ("url", s(r.url())),
                ("method", s(r.method())),
                (
                    "headers",
                    Json::Array(
                        r.headers()
                            .iter()
                            .map(|(n, v)| Json::Array(vec![s(n), s(v)]))
                            .collect(),
                    ),
                ),
                (
                    "body",
                    r.body()
                        .map_or(Json::Null, |b| s(&String::from_utf8_lossy(b))),
                ),
            ])
        }
        Output::Open => obj(vec![("kind", s("open"))]),
        Output::Item(item) => item_json(item),
        Output::WaitUntil { at, reason } => {
            let mut m = vec![("kind", s("wait")), ("until", num(at.as_millis()))];
            match reason {
                ReconnectReason::BodyEnd => m.push(("reason", s("body_end"))),
                ReconnectReason::TransportError => m.push(("reason", s("transport_error"))),
                ReconnectReason::IdleTimeout => m.push(("reason", s("idle_timeout"))),
                ReconnectReason::Status(code) => {
                    m.push(("reason", s("status")));
                    m.push(("status", num(u64::from(*code))));
                }
                other => panic!("unknown reason {other:?}"),
            }
            obj(m)
        }
        Output::Failed(reason) => {
            let mut m = vec![("kind", s("failed"))];
            match reason {
                FailReason::Status(code) => {
                    m.push(("reason", s("status")));
                    m.push(("status", num(u64::from(*code))));
                }
                FailReason::ContentType => m.push(("reason", s("content_type"))),
                FailReason::Futile => m.push(("reason", s("futile"))),
                FailReason::MaxAttempts => m.push(("reason", s("max_attempts"))),
                other => panic!("unknown reason {other:?}"),
            }
            obj(m)
        }
        Output::Closed(reason) => obj(vec![
            ("kind", s("closed")),
            (
                "reason",
                s(match reason {
                    CloseReason::Requested => "requested",
                    CloseReason::NoContent => "no_content",
                    CloseReason::Ended => "ended",
                    other => panic!("unknown reason {other:?}"),
                }),
            ),
        ]),
        other => panic!("unknown output {other:?}"),
    }
}

fn item_json(item: &OwnedItem) -> Json {
    match item {
        OwnedItem::Event(e) => obj(vec![
            ("kind", s("event")),
            ("type", s(&e.event_type)),
            ("data", s(&e.data)),
            ("id", s(&e.last_event_id)),
        ]),
        OwnedItem::Retry(n) => obj(vec![("kind", s("retry")), ("ms", num(*n))]),
        OwnedItem::Comment(t) => obj(vec![("kind", s("comment")), ("text", s(t))]),
        OwnedItem::LastEventId(id) => obj(vec![("kind", s("last_event_id")), ("id", s(id))]),
        OwnedItem::UnknownField { name, value } => obj(vec![
            ("kind", s("unknown_field")),
            ("name", s(name)),
            ("value", s(value)),
        ]),
        OwnedItem::Dropped(d) => obj(vec![
            ("kind", s("dropped")),
            (
                "reason",
                s(match d {
                    Dropped::LineTooLong => "line_too_long",
                    Dropped::EventTooLarge => "event_too_large",
                    Dropped::IdTooLong => "id_too_long",
                    Dropped::Undrained => "undrained",
                    other => panic!("unknown drop {other:?}"),
                }),
            ),
        ]),
        OwnedItem::Truncated => obj(vec![("kind", s("truncated"))]),
        other => panic!("unknown item {other:?}"),
    }
}

fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            x == y || x.parse::<f64>().ok() == y.parse::<f64>().ok()
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        _ => a == b,
    }
}

/// `connect` compares only the members the vector gives; everything else compares whole.
fn output_matches(expected: &Json, actual: &Json) -> bool {
    let (Some(e), Some(a)) = (expected.as_object(), actual.as_object()) else {
        return false;
    };
    if expected.get("kind") != actual.get("kind") {
        return false;
    }
    let partial = expected.get("kind").and_then(Json::as_str) == Some("connect");
    if !partial && e.len() != a.len() {
        return false;
    }
    e.iter()
        .all(|(k, v)| actual.get(k).is_some_and(|got| json_eq(v, got)))
}

enum Fed {
    Ok,
    Refused(InputError),
}

/// Feeds one input; it names the latest attempt unless its `attempt` member names an
/// earlier `Connect` (1 for the first).
fn feed(
    client: &mut Client,
    now: Instant,
    input: &Json,
    bytewise: bool,
    attempts: &[AttemptId],
) -> Fed {
    let kind = input
        .get("kind")
        .and_then(Json::as_str)
        .expect("input kind");
    let attempt = match input.get("attempt").and_then(Json::as_u64) {
        Some(n) => attempts[usize::try_from(n).unwrap() - 1],
        None => client.attempt(),
    };
    let result = match kind {
        "response" => {
            let status =
                u16::try_from(input.get("status").and_then(Json::as_u64).unwrap()).unwrap();
            let mut head = ResponseHead::new(status);
            if let Some(v) = input.get("content_type").and_then(Json::as_str) {
                head = head.content_type(v);
            }
            if let Some(v) = input.get("retry_after").and_then(Json::as_str) {
                head = head.retry_after(v);
            }
            if let Some(v) = input.get("date").and_then(Json::as_str) {
                head = head.date(v);
            }
            if let Some(v) = input.get("unix_time").and_then(Json::as_u64) {
                head = head.unix_time(v);
            }
            client.handle_response(now, attempt, &head)
        }
        "body" => {
            let bytes = match (input.get("data"), input.get("data_hex")) {
                (Some(d), _) => d.as_str().unwrap().as_bytes().to_vec(),
                (None, Some(h)) => json::hex(h.as_str().unwrap()).unwrap(),
                _ => panic!("body without data"),
            };
            if bytewise && bytes.len() > 1 {
                let mut result = Ok(());
                for b in &bytes {
                    result = client.handle_body(now, attempt, std::slice::from_ref(b));
                    if result.is_err() {
                        break;
                    }
                }
                result
            } else {
                client.handle_body(now, attempt, &bytes)
            }
        }
        "body_end" => client.handle_body_end(now, attempt),
        "transport_error" => {
            let futile = input.get("futile").and_then(Json::as_bool).unwrap_or(false);
            let error = if futile {
                TransportError::Futile
            } else {
                TransportError::Transient
            };
            client.handle_transport_error(now, attempt, error)
        }
        "timeout" => {
            client.handle_timeout(now);
            Ok(())
        }
        "close" => {
            client.close(now);
            Ok(())
        }
        "reconnect_now" => client.reconnect_now(now),
        other => panic!("unknown input kind {other}"),
    };
    match result {
        Ok(()) => Fed::Ok,
        Err(e) => Fed::Refused(e),
    }
}

fn error_name(e: InputError) -> &'static str {
    match e {
        InputError::Closed => "closed",
        InputError::UnexpectedResponse => "unexpected_response",
        InputError::NotOpen => "not_open",
        InputError::NoConnection => "no_connection",
        InputError::Stale => "stale",
        _ => "other",
    }
}

fn state_name(s: ReadyState) -> &'static str {
    match s {
        ReadyState::Connecting => "connecting",
        ReadyState::Open => "open",
        ReadyState::Closed => "closed",
    }
}

/// Runs one vector; `Err` describes the first mismatch.
fn run(vector: &Vector, bytewise: bool) -> Result<(), String> {
    let v = &vector.json;
    let script = v
        .get("script")
        .and_then(Json::as_array)
        .ok_or("no script")?;
    let mut client: Option<Client> = None;
    let mut attempts = Vec::new();
    let mut terminal = false;
    for (i, step) in script.iter().enumerate() {
        let at = |what: String| format!("step {i}: {what}");
        let now = Instant::from_millis(
            step.get("now")
                .and_then(Json::as_u64)
                .ok_or(at("no now".into()))?,
        );
        let fed = match (step.get("input"), client.as_mut()) {
            (None, None) => {
                client =
                    Some(Client::new(config_from(v.get("config")), now).expect("a valid config"));
                Fed::Ok
            }
            (Some(input), Some(c)) => feed(c, now, input, bytewise, &attempts),
            (None, Some(_)) => return Err(at("a step after the first without input".into())),
            (Some(_), None) => return Err(at("the first step has an input".into())),
        };
        let c = client.as_mut().expect("created by the first step");
        match (fed, step.get("error").and_then(Json::as_str)) {
            (Fed::Ok, None) => {}
            (Fed::Refused(e), Some(want)) if error_name(e) == want => {}
            (Fed::Refused(e), want) => {
                return Err(at(format!("input refused with {e:?}, expected {want:?}")))
            }
            (Fed::Ok, Some(want)) => {
                return Err(at(format!("input accepted, expected error {want}")))
            }
        }
        let mut actual = Vec::new();
        while let Some(output) = c.poll_output() {
            if terminal {
                return Err(at(format!("output after the terminal one: {output:?}")));
            }
            terminal = matches!(output, Output::Failed(_) | Output::Closed(_));
            if let Output::Connect(request) = &output {
                attempts.push(request.attempt());
            }
            actual.push(output_json(&output));
        }
        let expected = step
            .get("expect")
            .and_then(Json::as_array)
            .ok_or(at("no expect".into()))?;
        if expected.len() != actual.len()
            || !expected
                .iter()
                .zip(&actual)
                .all(|(e, a)| output_matches(e, a))
        {
            return Err(at(format!(
                "outputs\n  expected {expected:?}\n  actual   {actual:?}"
            )));
        }
        if let Some(want) = step.get("state").and_then(Json::as_str) {
            let got = state_name(c.ready_state());
            if got != want {
                return Err(at(format!("ready state {got}, expected {want}")));
            }
        }
        if let Some(want) = step.get("timeout") {
            let got = c.poll_timeout().map(Instant::as_millis);
            if got != want.as_u64() {
                return Err(at(format!("timeout {got:?}, expected {want:?}")));
            }
        }
        if let Some(want) = step.get("last_event_id").and_then(Json::as_str) {
            if c.last_event_id() != want {
                return Err(at(format!(
                    "last event id {:?}, expected {want:?}",
                    c.last_event_id()
                )));
            }
        }
        if let Some(want) = step.get("reconnection_time").and_then(Json::as_u64) {
            let got = c.reconnection_time().as_millis();
            if got != u128::from(want) {
                return Err(at(format!("reconnection time {got}, expected {want}")));
            }
        }
    }
    Ok(())
}

fn run_all(bytewise: bool) {
    let vectors = load();
    let failures: Vec<String> = vectors
        .iter()
        .filter_map(|v| {
            run(v, bytewise)
                .err()
                .map(|e| format!("{} / {}: {e}", v.file, v.name()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn client_vectors_pass() {
    run_all(false);
}

#[test]
fn client_vectors_pass_with_bodies_fed_byte_by_byte() {
    run_all(true);
}

#[test]
fn vectors_are_well_formed() {
    let vectors = load();
    assert!(vectors.len() >= 40, "only {} client vectors", vectors.len());
    let mut names = BTreeSet::new();
    for v in &vectors {
        assert!(
            names.insert(v.name().to_string()),
            "duplicate vector name {}",
            v.name()
        );
        let rules = v.json.get("rules").and_then(Json::as_array).expect("rules");
        assert!(!rules.is_empty(), "{} names no rule", v.name());
        assert!(v
            .json
            .get("description")
            .and_then(Json::as_str)
            .is_some_and(|d| !d.is_empty()));
    }
}

/// Every rule the README says is covered has at least one vector.
#[test]
fn every_applicable_rule_is_covered() {
    let covered: BTreeSet<String> = load()
        .iter()
        .flat_map(|v| {
            v.json
                .get("rules")
                .and_then(Json::as_array)
                .unwrap_or_default()
                .to_vec()
        })
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    let required = [
        "C1", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "C13", "C14", "C15", "C17",
        "C18", "C19", "C20", "C22", "C24", "C26", "C29", "C30", "P14", "P15", "P16", "P17", "P19",
        "P20", "D1", "D2", "D3", "D4", "D6", "D7", "D10", "D11", "D12",
    ];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !covered.contains(*r))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a client vector: {missing:?}"
    );
}

/// Every client bug we found in other libraries has its vector.
#[test]
fn every_peer_bug_has_a_vector() {
    let names: BTreeSet<String> = load().iter().map(|v| v.name().to_string()).collect();
    for name in [
        "peer-204-reconnect-loop",
        "peer-last-event-id-lost-after-id-less-reconnect",
        "peer-last-event-id-lost-after-second-reconnect",
        "peer-empty-last-event-id-header",
        "peer-backoff-never-grows",
        "peer-tight-reconnect-loop-on-retry-zero",
        "peer-wrong-content-type-accepted",
    ] {
        assert!(names.contains(name), "missing vector {name}");
    }
}
