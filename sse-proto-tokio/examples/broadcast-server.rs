//! A broadcast server on the hub: many clients at once, `POST /publish`, replay from
//! `Last-Event-ID`, heartbeats, CORS and a live HTML page. 127.0.0.1 only.
//!
//! ```text
//! cargo run -p sse-proto-tokio --features axum --example broadcast-server -- --port 8080 --for 60
//! curl -N http://127.0.0.1:8080/events?topic=news          # one client (or open / in a browser)
//! curl -X POST http://127.0.0.1:8080/publish -d '{"event":"update","data":"hi","topic":"news"}'
//! ```
//!
//! Routes:
//! * `GET /` — a page whose EventSource shows the events live (`?topic=` and `?types=a,b`
//!   choose the topic and the extra event types it listens for).
//! * `GET /events?topic=T` — the event stream; resumes after the `Last-Event-ID` header
//!   (or, without it, a `lastEventId` query parameter, as event-source-polyfill sends).
//! * `POST /publish` — JSON `{"event", "data", "id"?, "topic"?}`: `201 {"id": …}`, or `400
//!   {"error", "code", "field"}` for bad JSON, a missing, mistyped or oversized field, or a
//!   field the writer refuses.
//! * `POST /drop` — ends every live stream: clients reconnect with `Last-Event-ID` and are
//!   replayed what they missed.
//! * `GET /stats` — JSON: connections so far, live subscribers, and the last event ID each
//!   connection resumed from (`null` when none), oldest first (the last 100).
//!
//! Options: `--port N` (default 8080; 0 picks one), `--heartbeat SECONDS` (keep-alive
//! interval, default 15), `--retry MS` (reconnection time sent to clients first, default 1000; 0 sends none:
//! some non-browser clients, httpx-sse 0.4 among them, wrongly dispatch a `retry`-only
//! block as an empty event),
//! `--for SECONDS` (shut down gracefully after that long). It prints
//! `listening on http://127.0.0.1:PORT` once ready.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Map, Value};
use sse_proto::{EncodeError, Message};
use sse_proto_tokio::hub::{Hub, PublishError, Subscription};
use sse_proto_tokio::serve::{LastEventId, Shutdown, Sse, TimeoutListener};

/// Field limits for `POST /publish` (bytes).
const MAX_EVENT: usize = 128;
const MAX_ID: usize = 256;
const MAX_TOPIC: usize = 64;
const MAX_DATA: usize = 64 * 1024;
/// How many `Last-Event-ID` values `/stats` remembers.
const MAX_SEEN: usize = 100;

/// The server's state, shared by the handlers.
#[derive(Clone)]
pub struct App {
    pub hub: Hub,
    pub shutdown: Shutdown,
    pub heartbeat: Duration,
    pub retry: Option<Duration>,
    stats: Arc<Mutex<Stats>>,
}

#[derive(Default)]
struct Stats {
    connections: u64,
    last_event_ids: VecDeque<Option<String>>,
}

impl App {
    pub fn new(heartbeat: Duration, retry: Option<Duration>) -> Self {
        App {
            hub: Hub::default(),
            shutdown: Shutdown::new(),
            heartbeat,
            retry,
            stats: Arc::default(),
        }
    }
}

/// The routes, with CORS on every response.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/events", get(events))
        .route("/publish", post(publish).options(preflight))
        .route("/drop", post(drop_all))
        .route("/stats", get(stats))
        .with_state(app)
        .layer(axum::middleware::map_response(cors))
}

async fn cors(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("content-type, last-event-id"),
    );
    response
}

async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// A query parameter, undecoded (topics and types are plain names).
fn query<'a>(uri: &'a Uri, name: &str) -> Option<&'a str> {
    uri.query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

async fn events(
    axum::extract::State(app): axum::extract::State<App>,
    uri: Uri,
    LastEventId(last_event_id): LastEventId,
) -> Sse<Subscription> {
    let topic = query(&uri, "topic").unwrap_or("default");
    {
        let mut stats = app.stats.lock().unwrap_or_else(PoisonError::into_inner);
        stats.connections += 1;
        if stats.last_event_ids.len() == MAX_SEEN {
            stats.last_event_ids.pop_front();
        }
        stats.last_event_ids.push_back(last_event_id.clone());
    }
    println!("GET /events topic={topic} Last-Event-ID={last_event_id:?}");
    let body = Sse::new(app.hub.subscribe(topic, last_event_id.as_deref()))
        .keep_alive(app.heartbeat)
        .shutdown(&app.shutdown);
    match app.retry {
        Some(retry) => body.retry(retry),
        None => body,
    }
}

/// A `400` with `{"error", "code", "field"}`.
struct BadRequest {
    code: &'static str,
    field: Option<&'static str>,
    error: String,
}

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "code": self.code, "field": self.field });
        (StatusCode::BAD_REQUEST, json_body(&body)).into_response()
    }
}

fn bad_request(code: &'static str, field: Option<&'static str>, error: String) -> BadRequest {
    BadRequest { code, field, error }
}

fn json_body(value: &Value) -> ([(header::HeaderName, &'static str); 1], String) {
    (
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
}

/// A string field: `Ok(None)` when absent (or `null`), an error when it is not a string
/// or longer than `max` bytes.
fn string_field<'a>(
    object: &'a Map<String, Value>,
    name: &'static str,
    max: usize,
) -> Result<Option<&'a str>, BadRequest> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() > max => Err(bad_request(
            "oversized_field",
            Some(name),
            format!("field `{name}` is {} bytes, more than {max}", s.len()),
        )),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad_request(
            "invalid_field",
            Some(name),
            format!("field `{name}` must be a string"),
        )),
    }
}

fn required<'a>(value: Option<&'a str>, name: &'static str) -> Result<&'a str, BadRequest> {
    value.ok_or_else(|| {
        bad_request(
            "missing_field",
            Some(name),
            format!("missing field `{name}`"),
        )
    })
}

async fn publish(axum::extract::State(app): axum::extract::State<App>, body: Bytes) -> Response {
    match try_publish(&app.hub, &body) {
        Ok((id, topic)) => {
            println!("POST /publish topic={topic} id={id}");
            let body = json!({ "id": id, "topic": topic });
            (StatusCode::CREATED, json_body(&body)).into_response()
        }
        Err(bad) => bad.into_response(),
    }
}

/// Publishes the JSON `body`; returns the event's id and topic.
fn try_publish(hub: &Hub, body: &[u8]) -> Result<(String, String), BadRequest> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| bad_request("invalid_json", None, format!("invalid JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(bad_request(
            "invalid_json",
            None,
            "expected a JSON object".into(),
        ));
    };
    let event = required(string_field(&object, "event", MAX_EVENT)?, "event")?;
    let data = required(string_field(&object, "data", MAX_DATA)?, "data")?;
    let id = string_field(&object, "id", MAX_ID)?;
    let topic = string_field(&object, "topic", MAX_TOPIC)?.unwrap_or("default");
    let mut message = Message::new(data).event_type(event);
    if let Some(id) = id {
        message = message.id(id);
    }
    let id = hub.publish(topic, message).map_err(|e| {
        let field = match e {
            PublishError::Encode(EncodeError::EventType) => "event",
            PublishError::Encode(EncodeError::Id(_)) | PublishError::EmptyId => "id",
            _ => "data",
        };
        let code = match e {
            PublishError::TooLarge { .. } => "oversized_field",
            _ => "invalid_field",
        };
        // The writer's reason is the error's source, not part of its message.
        let message = match std::error::Error::source(&e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        };
        bad_request(code, Some(field), message)
    })?;
    Ok((id.to_string(), topic.to_owned()))
}

async fn drop_all(axum::extract::State(app): axum::extract::State<App>) -> Response {
    app.hub.disconnect_all();
    println!("POST /drop: every stream ended");
    json_body(&json!({ "dropped": true })).into_response()
}

async fn stats(axum::extract::State(app): axum::extract::State<App>, uri: Uri) -> Response {
    let topic = query(&uri, "topic").unwrap_or("default");
    let stats = app.stats.lock().unwrap_or_else(PoisonError::into_inner);
    let body = json!({
        "connections": stats.connections,
        "subscribers": app.hub.subscriber_count(topic),
        "last_event_ids": stats.last_event_ids,
    });
    json_body(&body).into_response()
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// The live page: `window.events` holds what the EventSource saw, for tests to read.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>broadcast-server</title>
<h1>Events</h1>
<p id="state">connecting</p>
<form id="publish">
  <input name="event" value="update"> <input name="data" value="hello"> <button>Publish</button>
</form>
<ol id="log"></ol>
<script>
const params = new URLSearchParams(location.search);
const topic = params.get("topic") || "default";
const types = ["message", "update", "gap", "reset"]
  .concat((params.get("types") || "").split(",").filter(Boolean));
window.events = [];
const source = new EventSource("/events?topic=" + encodeURIComponent(topic));
const state = document.getElementById("state");
source.onopen = () => { state.textContent = "open"; };
source.onerror = () => { state.textContent = "reconnecting"; };
for (const type of new Set(types)) {
  source.addEventListener(type, (e) => {
    window.events.push({ type: e.type, data: e.data, lastEventId: e.lastEventId });
    const li = document.createElement("li");
    li.textContent = `${e.type} #${e.lastEventId}: ${e.data}`;
    document.getElementById("log").append(li);
  });
}
document.getElementById("publish").onsubmit = async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  await fetch("/publish", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ event: form.get("event"), data: form.get("data"), topic }) });
};
</script>
"#;

/// Command-line options.
struct Args {
    port: u16,
    heartbeat: Duration,
    retry: Option<Duration>,
    run_for: Option<Duration>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        port: 8080,
        heartbeat: Duration::from_secs(15),
        retry: Some(Duration::from_millis(1000)),
        run_for: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--port" => args.port = value.parse().map_err(|_| format!("bad port: {value}"))?,
            "--heartbeat" => args.heartbeat = Duration::from_secs(number(&value)?.max(1)),
            "--retry" => {
                args.retry = Some(number(&value)?)
                    .filter(|&ms| ms > 0)
                    .map(Duration::from_millis);
            }
            "--for" => args.run_for = Some(Duration::from_secs(number(&value)?)),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args().map_err(|e| {
        format!("{e}\nusage: broadcast-server [--port N] [--heartbeat S] [--retry MS] [--for S]")
    })?;
    let app = App::new(args.heartbeat, args.retry);
    let shutdown = app.shutdown.clone();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    if let Some(run_for) = args.run_for {
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            tokio::time::sleep(run_for).await;
            println!("--for elapsed: shutting down");
            shutdown.trigger();
        });
    }
    let ctrl_c = shutdown.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            ctrl_c.trigger();
        }
    });
    // A client that stops reading for 30 s is disconnected; every stream watches
    // `shutdown`, so the graceful shutdown finishes promptly.
    let listener = TimeoutListener::new(listener, Duration::from_secs(30));
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown.wait())
        .await?;
    println!("stopped");
    Ok(())
}
