//! A plain hyper reader for the serving tests: 127.0.0.1 only, every wait bounded.
#![allow(dead_code)] // each test file uses part of it

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use sse_proto::{Decoder, OwnedItem};
#[cfg(feature = "axum")]
use {sse_proto_tokio::serve::Shutdown, tokio::net::TcpListener, tokio::task::JoinHandle};

/// The longest any single wait in these tests may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Serves `router` on 127.0.0.1 (a free port) until `shutdown` is triggered.
#[cfg(feature = "axum")]
pub async fn serve(router: axum::Router, shutdown: &Shutdown) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let signal = shutdown.wait();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(signal)
            .await
            .unwrap();
    });
    (addr, server)
}

/// Sends one request on a new connection.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response<Incoming> {
    let stream = tokio::time::timeout(PATIENCE, tokio::net::TcpStream::connect(addr))
        .await
        .expect("connect in time")
        .unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection); // ends with the connection
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    tokio::time::timeout(PATIENCE, sender.send_request(request))
        .await
        .expect("response head in time")
        .unwrap()
}

/// POSTs `body` and returns the status and the JSON answer.
pub async fn post_json(
    addr: SocketAddr,
    path: &str,
    body: &str,
) -> (StatusCode, serde_json::Value) {
    let response = request(
        addr,
        "POST",
        path,
        &[("content-type", "application/json")],
        body,
    )
    .await;
    let status = response.status();
    let bytes = tokio::time::timeout(PATIENCE, response.into_body().collect())
        .await
        .expect("body in time")
        .unwrap()
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).expect("a JSON answer"),
    )
}

/// What a reader saw: an event `(type, data, last event id)`, a comment, a retry, or the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Event(String, String, String),
    Comment(String),
    Retry(u64),
    End,
}

pub fn event(event_type: &str, data: &str, id: &str) -> Seen {
    Seen::Event(event_type.into(), data.into(), id.into())
}

/// Reads an event stream response with the core decoder.
pub struct Reader {
    body: Incoming,
    decoder: Decoder,
    ready: VecDeque<Seen>,
    ended: bool,
}

impl Reader {
    pub fn new(response: Response<Incoming>) -> Self {
        Reader {
            body: response.into_body(),
            decoder: Decoder::new(),
            ready: VecDeque::new(),
            ended: false,
        }
    }

    /// The next thing seen, waiting at most `PATIENCE`.
    pub async fn next(&mut self) -> Seen {
        loop {
            if let Some(seen) = self.ready.pop_front() {
                return seen;
            }
            if self.ended {
                return Seen::End;
            }
            let frame = tokio::time::timeout(PATIENCE, self.body.frame())
                .await
                .expect("a frame in time");
            match frame {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        let items: Vec<_> = self.decoder.feed(&data).owned().collect();
                        self.push(items);
                    }
                }
                Some(Err(_)) | None => {
                    let items: Vec<_> = self.decoder.finish().owned().collect();
                    self.push(items);
                    self.ended = true;
                }
            }
        }
    }

    /// The next event, skipping comments and retries.
    pub async fn next_event(&mut self) -> Seen {
        loop {
            match self.next().await {
                Seen::Comment(_) | Seen::Retry(_) => {}
                other => return other,
            }
        }
    }

    fn push(&mut self, items: Vec<OwnedItem>) {
        for item in items {
            self.ready.push_back(match item {
                OwnedItem::Event(e) => {
                    Seen::Event(e.event_type, e.data, e.last_event_id.to_string())
                }
                OwnedItem::Comment(text) => Seen::Comment(text),
                OwnedItem::Retry(ms) => Seen::Retry(ms),
                other => panic!("unexpected item {other:?}"),
            });
        }
    }
}
