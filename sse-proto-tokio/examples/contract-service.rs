//! A test service for LaunchDarkly's SSE client test harness (`sse-contract-tests`): it
//! lets the harness drive [`EventSource`] over its REST protocol, and adds no behaviour
//! of its own — each request maps onto the client's API.
//!
//! ```text
//! cargo run -p sse-proto-tokio --features reqwest --example contract-service -- --port 8000
//! sse-contract-tests -url http://127.0.0.1:8000 -host 127.0.0.1 -stop-service-at-end
//! ```
//!
//! * `GET /`: `{"capabilities": [...]}`, what the client supports.
//! * `DELETE /`: exit.
//! * `POST /` with `{streamUrl, callbackUrl, tag?, initialDelayMs?, readTimeoutMs?,
//!   lastEventId?, headers?, method?, body?}`: start a client (`initialDelayMs` is the
//!   reconnection time, `readTimeoutMs` the idle timeout); `201` with `Location:
//!   /streams/N`, or `400` for bad parameters.
//! * `POST /streams/N` with `{"command":"restart"}`: reconnect now; `400` for another
//!   command, `404` for an unknown stream.
//! * `DELETE /streams/N`: close the client; `404` for an unknown stream.
//!
//! Each stream POSTs what its client yields, in order, to `<callbackUrl>/1`, `/2`, …:
//! `{"kind":"event","event":{"type","data","id"}}`, `{"kind":"comment","comment":C}`,
//! and `{"kind":"error","error":M,"comment":M}` for each lost connection, each block
//! dropped over a decoder limit and the final error (the harness reads `error`, its
//! protocol document names `comment`).
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::json;
use sse_proto_tokio::{Event, EventSource, Handle, Reconnect};
use tokio::net::TcpListener;
use tokio::sync::watch;

const CAPABILITIES: &[&str] = &[
    "comments",
    "headers",
    "last-event-id",
    "post",
    "report",
    "read-timeout",
    "restart",
    "bom",
    "server-directed-shutdown-request",
];

/// The body of `POST /`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateStream {
    stream_url: String,
    callback_url: String,
    tag: Option<String>,
    initial_delay_ms: Option<u64>,
    read_timeout_ms: Option<u64>,
    last_event_id: Option<String>,
    #[serde(default)]
    headers: HashMap<String, String>,
    method: Option<String>,
    body: Option<String>,
}

/// The body of `POST /streams/N`.
#[derive(Debug, Deserialize)]
struct Command {
    command: String,
}

#[derive(Default)]
struct Service {
    streams: Mutex<HashMap<u64, Handle>>,
    next_id: AtomicU64,
    http: reqwest::Client,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut port = 8000u16;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().ok_or("--port needs a value")?.parse()?,
            "-h" | "--help" => {
                println!(
                    "usage: contract-service [--port PORT]   (listens on 127.0.0.1, default 8000)"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?} (try --help)").into()),
        }
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!(
        "contract-service listening on http://{}",
        listener.local_addr()?
    );
    let service = Arc::new(Service::default());
    let (stop, mut stopped) = watch::channel(false);
    let stop = Arc::new(stop);
    loop {
        let (socket, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            _ = stopped.changed() => break,
        };
        let (service, stop) = (Arc::clone(&service), Arc::clone(&stop));
        tokio::spawn(async move {
            let handler = service_fn(move |request| {
                let (service, stop) = (Arc::clone(&service), Arc::clone(&stop));
                async move { Ok::<_, Infallible>(route(&service, &stop, request).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(socket), handler)
                .await;
        });
    }
    eprintln!("contract-service: told to exit");
    Ok(())
}

async fn route(
    service: &Arc<Service>,
    stop: &watch::Sender<bool>,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => return reply(StatusCode::BAD_REQUEST, "unreadable body"),
    };
    let stream_id = path
        .strip_prefix("/streams/")
        .and_then(|n| n.parse::<u64>().ok());
    match (&method, path.as_str(), stream_id) {
        (&Method::GET, "/", _) => {
            let status = json!({ "name": "sse-proto-tokio", "capabilities": CAPABILITIES });
            reply(StatusCode::OK, &status.to_string())
        }
        (&Method::DELETE, "/", _) => {
            // Answer first, then stop: the loop ends after this response is queued.
            let stop = stop.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let _ = stop.send(true);
            });
            reply(StatusCode::NO_CONTENT, "")
        }
        (&Method::POST, "/", _) => match serde_json::from_slice::<CreateStream>(&body) {
            Ok(params) => match start(service, params) {
                Ok(id) => {
                    let mut response = reply(StatusCode::CREATED, "");
                    let location = format!("/streams/{id}").parse().expect("an ASCII path");
                    response
                        .headers_mut()
                        .insert(http::header::LOCATION, location);
                    response
                }
                Err(error) => reply(StatusCode::BAD_REQUEST, &error.to_string()),
            },
            Err(error) => reply(StatusCode::BAD_REQUEST, &error.to_string()),
        },
        (&Method::POST, _, Some(id)) => {
            let handle = service.streams.lock().expect("lock").get(&id).cloned();
            match (handle, serde_json::from_slice::<Command>(&body)) {
                (None, _) => reply(StatusCode::NOT_FOUND, "no such stream"),
                (Some(handle), Ok(command)) if command.command == "restart" => {
                    handle.reconnect_now();
                    reply(StatusCode::NO_CONTENT, "")
                }
                (Some(_), _) => reply(StatusCode::BAD_REQUEST, "unknown command"),
            }
        }
        (&Method::DELETE, _, Some(id)) => match service.streams.lock().expect("lock").remove(&id) {
            Some(handle) => {
                handle.close();
                reply(StatusCode::NO_CONTENT, "")
            }
            None => reply(StatusCode::NOT_FOUND, "no such stream"),
        },
        _ => reply(StatusCode::NOT_FOUND, "not found"),
    }
}

fn reply(status: StatusCode, body: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response
}

/// Maps the harness's parameters onto the builder and starts the stream's task.
fn start(service: &Arc<Service>, params: CreateStream) -> Result<u64, sse_proto_tokio::Error> {
    // LaunchDarkly's clients reconnect after every end of a stream, whatever the method
    // (this crate's default keeps a POST from being replayed after a clean end).
    let mut builder = EventSource::builder(params.stream_url)
        .all_events(true)
        .reconnect(Reconnect::Always);
    if let Some(ms) = params.initial_delay_ms {
        builder = builder.reconnection_time(Duration::from_millis(ms));
    }
    if let Some(ms) = params.read_timeout_ms {
        builder = builder.idle_timeout(Duration::from_millis(ms));
    }
    if let Some(id) = params.last_event_id.filter(|id| !id.is_empty()) {
        builder = builder.last_event_id(id);
    }
    for (name, value) in params.headers {
        builder = builder.header(name, value);
    }
    if let Some(method) = params.method {
        let method = Method::from_bytes(method.as_bytes())
            .map_err(|e| sse_proto_tokio::Error::Request(Arc::new(e)))?;
        builder = builder.method(method);
    }
    if let Some(body) = params.body {
        builder = builder.body(body);
    }
    let mut events = builder.connect(service.http.clone())?;
    let id = service.next_id.fetch_add(1, Ordering::SeqCst) + 1;
    let tag = params.tag.unwrap_or_default();
    eprintln!("stream {id} started: {tag}");
    service
        .streams
        .lock()
        .expect("lock")
        .insert(id, events.handle());
    let (http, callback) = (service.http.clone(), params.callback_url);
    tokio::spawn(async move {
        let mut counter = 0u64;
        while let Some(next) = events.next().await {
            let message = match next {
                Ok(Event::Message(m)) => json!({
                    "kind": "event",
                    "event": { "type": m.event_type, "data": m.data, "id": &*m.last_event_id },
                }),
                Ok(Event::Comment(text)) => json!({ "kind": "comment", "comment": text }),
                Ok(Event::Reconnecting { error, .. }) => {
                    let text =
                        error.map_or("the server ended the stream".into(), |e| e.to_string());
                    json!({ "kind": "error", "error": text, "comment": text })
                }
                // A block the client dropped (over a decoder limit) is a reported loss:
                // the harness hears of it as an error rather than waiting for an event.
                Ok(Event::Dropped(dropped)) => {
                    let text = dropped.to_string();
                    json!({ "kind": "error", "error": text, "comment": text })
                }
                // Opens, retry values, id-only blocks and the truncated block before a
                // reconnect (which `Reconnecting` reports) have no callback of their own.
                Ok(_) => continue,
                Err(error) => {
                    let text = error.to_string();
                    json!({ "kind": "error", "error": text, "comment": text })
                }
            };
            counter += 1;
            let url = format!("{}/{counter}", callback.trim_end_matches('/'));
            let post = http.post(url).header("content-type", "application/json");
            if let Err(error) = post.body(message.to_string()).send().await {
                eprintln!("stream {id}: callback failed: {error}");
            }
        }
        eprintln!("stream {id} ended: {tag}");
    });
    Ok(id)
}
