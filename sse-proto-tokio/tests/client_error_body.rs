//! The body of an error response (a status the client does not stream, a 200 of another
//! type) is read for the error that explains it, bounded in bytes and time, and outside
//! the attempt's connect deadline and idle timeout: a response whose body stays open is
//! still reported as what it is, once, never turned into a timeout and retried.
//! In memory, on tokio's paused clock.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{stream, StreamExt as _};
use sse_proto_tokio::{BoxBody, Builder, Connector, Error, EventSource, TransportError};

/// Answers every request with `status`, `content_type` and `body`, then keeps the body
/// open for ever; counts the requests.
#[derive(Clone)]
struct OpenErrorBody {
    status: u16,
    content_type: &'static str,
    body: &'static str,
    requests: Arc<AtomicUsize>,
}

impl OpenErrorBody {
    fn new(status: u16, content_type: &'static str, body: &'static str) -> Self {
        OpenErrorBody {
            status,
            content_type,
            body,
            requests: Arc::default(),
        }
    }
}

impl Connector for OpenErrorBody {
    type Body = BoxBody;

    fn connect(
        &self,
        _: http::Request<Bytes>,
    ) -> impl Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static
    {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let start = stream::iter([Ok(Bytes::from_static(self.body.as_bytes()))]);
        let body: BoxBody = Box::pin(start.chain(stream::pending()));
        let response = http::Response::builder()
            .status(self.status)
            .header("content-type", self.content_type)
            .body(body)
            .map_err(TransportError::futile);
        async move { response }
    }
}

/// The first item of a client built by `configure` against `server`, and how many
/// requests the server saw by then.
async fn first_item(
    server: OpenErrorBody,
    configure: impl FnOnce(Builder) -> Builder,
) -> (Option<Result<sse_proto_tokio::Event, Error>>, usize) {
    let mut events = configure(EventSource::builder("http://127.0.0.1:9/").all_events(true))
        .connect(server.clone())
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(600), events.next())
        .await
        .expect("an item within 600 s");
    (first, server.requests.load(Ordering::SeqCst))
}

fn short_timeouts(builder: Builder) -> Builder {
    builder
        .connect_timeout(Duration::from_millis(300))
        .idle_timeout(Duration::from_millis(300))
}

#[tokio::test(start_paused = true)]
async fn a_wrong_content_type_whose_body_stays_open_is_reported_not_retried() {
    let server = OpenErrorBody::new(200, "application/json", r#"{"error":"quota exceeded"}"#);
    for configure in [short_timeouts as fn(Builder) -> Builder, |b| b] {
        let (first, requests) = first_item(server.clone(), configure).await;
        match first {
            Some(Err(Error::ContentType(response))) => {
                assert_eq!(response.body_text(), r#"{"error":"quota exceeded"}"#);
            }
            other => panic!("expected the Content-Type error, got {other:?}"),
        }
        assert_eq!(requests, 1);
        server.requests.store(0, Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn an_error_status_whose_body_stays_open_is_reported_not_retried() {
    let server = OpenErrorBody::new(403, "text/plain", "forbidden");
    let (first, requests) = first_item(server, short_timeouts).await;
    match first {
        Some(Err(Error::Status(response))) => {
            assert_eq!(response.status(), 403);
            assert_eq!(response.body_text(), "forbidden");
        }
        other => panic!("expected the status error, got {other:?}"),
    }
    assert_eq!(requests, 1);
}
