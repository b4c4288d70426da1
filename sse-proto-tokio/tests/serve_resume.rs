//! Resuming from `Last-Event-ID` in axum: the `LastEventId` extractor behind a real server
//! on 127.0.0.1 (header, query parameter, which wins), and the `axum-endpoint` example,
//! which must start after the id a reconnecting client sends. Every wait is bounded.

mod support;

#[path = "../examples/axum-endpoint.rs"]
#[allow(dead_code)] // its `main` is not used here
mod axum_endpoint;

use axum::extract::FromRequestParts;
use axum::routing::get;
use axum::Router;
use sse_proto::Message;
use sse_proto_tokio::serve::{LastEventId, Shutdown, Sse};
use support::{event, request, serve, Reader, Seen};

/// `GET /id` answers one event whose data is what the extractor found (`-` for none).
fn echo_router() -> Router {
    Router::new().route(
        "/id",
        get(|LastEventId(last): LastEventId| async move {
            let data = last.unwrap_or_else(|| "-".to_owned());
            Sse::new(futures_util::stream::iter([Message::new(data)]))
        }),
    )
}

/// What the extractor found for a request to `path` with `headers`, through the server.
async fn extracted(addr: std::net::SocketAddr, path: &str, headers: &[(&str, &str)]) -> String {
    let mut reader = Reader::new(request(addr, "GET", path, headers, "").await);
    match reader.next_event().await {
        Seen::Event(_, data, _) => data,
        other => panic!("expected an event, got {other:?}"),
    }
}

#[tokio::test]
async fn the_extractor_reads_the_header_then_the_query_parameter() {
    let shutdown = Shutdown::new();
    let (addr, _server) = serve(echo_router(), &shutdown).await;
    // A first connection: nothing to resume.
    assert_eq!(extracted(addr, "/id", &[]).await, "-");
    assert_eq!(extracted(addr, "/id?topic=news", &[]).await, "-");
    // A reconnecting EventSource: the header, read as UTF-8 (not only ASCII).
    let header = [("last-event-id", "k3x9q2ab-7")];
    assert_eq!(extracted(addr, "/id", &header).await, "k3x9q2ab-7");
    let unicode = [("last-event-id", "café-7")];
    assert_eq!(extracted(addr, "/id", &unicode).await, "café-7");
    // event-source-polyfill sends the query parameter instead (encodeURIComponent), and
    // appends it after any the page put in the URL: the last one counts.
    let polyfill = "/id?topic=news&lastEventId=caf%C3%A9%207";
    assert_eq!(extracted(addr, polyfill, &[]).await, "café 7");
    let appended = "/id?lastEventId=1&lastEventId=2";
    assert_eq!(extracted(addr, appended, &[]).await, "2");
    assert_eq!(extracted(addr, "/id?last_event_id=a+b", &[]).await, "a b");
    // Both: a browser reconnects to the URL the page chose once; the header is newer.
    let both = [("last-event-id", "9")];
    assert_eq!(extracted(addr, "/id?lastEventId=5", &both).await, "9");
    // A value no stream could have set is no id.
    assert_eq!(extracted(addr, "/id?lastEventId=a%0Ab", &[]).await, "-");
    assert_eq!(extracted(addr, "/id?lastEventId=", &[]).await, "-");
    shutdown.trigger();
}

#[tokio::test]
async fn a_header_that_is_not_utf8_falls_back_to_the_query_parameter() {
    async fn extract(request: http::Request<()>) -> Option<String> {
        let (mut parts, ()) = request.into_parts();
        let Ok(LastEventId(last)) = LastEventId::from_request_parts(&mut parts, &()).await;
        last
    }
    let not_utf8 = http::HeaderValue::from_bytes(b"caf\xE9").unwrap(); // Latin-1
    let request = |uri: &str| {
        http::Request::get(uri)
            .header("last-event-id", not_utf8.clone())
            .body(())
            .unwrap()
    };
    assert_eq!(extract(request("/id")).await, None);
    assert_eq!(
        extract(request("/id?lastEventId=5")).await.as_deref(),
        Some("5")
    );
}

#[tokio::test]
async fn the_axum_endpoint_example_resumes_after_the_last_event_id() {
    let shutdown = Shutdown::new();
    let router = Router::new()
        .route("/ticks", get(axum_endpoint::ticks))
        .with_state(shutdown.clone());
    let (addr, _server) = serve(router, &shutdown).await;
    // A first connection starts at tick 1.
    let mut fresh = Reader::new(request(addr, "GET", "/ticks", &[], "").await);
    assert_eq!(fresh.next_event().await, event("message", "tick 1", "1"));
    // A client that got tick 5 before it lost the connection goes on at tick 6.
    let headers = [("last-event-id", "5")];
    let mut resumed = Reader::new(request(addr, "GET", "/ticks", &headers, "").await);
    assert_eq!(resumed.next_event().await, event("message", "tick 6", "6"));
    // An id this endpoint never sent starts afresh; after the largest one there is
    // nothing more (and no overflow panic).
    let headers = [("last-event-id", "not-a-tick")];
    let mut unknown = Reader::new(request(addr, "GET", "/ticks", &headers, "").await);
    assert_eq!(unknown.next_event().await, event("message", "tick 1", "1"));
    let max = u64::MAX.to_string();
    let headers = [("last-event-id", max.as_str())];
    let response = request(addr, "GET", "/ticks", &headers, "").await;
    assert_eq!(response.status(), 200);
    assert_eq!(Reader::new(response).next_event().await, Seen::End);
    shutdown.trigger();
}
