//! The body served by plain hyper (no axum): `into_http_response` is all it takes.

mod support;

use std::convert::Infallible;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use sse_proto::Message;
use sse_proto_tokio::hub::Hub;
use sse_proto_tokio::serve::Sse;
use support::{event, request, Reader, Seen};

#[tokio::test]
async fn hyper_serves_the_body_with_its_headers() {
    let hub = Hub::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = hub.clone();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let last_event_id = sse_proto_tokio::serve::last_event_id(request.headers());
            let body = Sse::new(served.subscribe("t", last_event_id));
            async move { Ok::<_, Infallible>(body.into_http_response()) }
        });
        // One connection, served until the client closes it.
        let _ = http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service)
            .await;
    });
    let before = hub.publish("t", Message::new("before")).unwrap();
    let response = request(addr, "GET", "/", &[("last-event-id", "0")], "").await;
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert_eq!(
        response.headers()["cache-control"],
        "no-cache, no-transform"
    );
    assert_eq!(response.headers()["x-accel-buffering"], "no");
    let mut reader = Reader::new(response);
    // "0" was never published: reset, pointing at the newest event.
    assert_eq!(reader.next().await, event("reset", "0", &before));
    let live = hub.publish("t", Message::new("live")).unwrap();
    assert_eq!(reader.next().await, event("message", "live", &live));
    hub.disconnect_all();
    assert_eq!(reader.next().await, Seen::End);
    drop(reader);
    tokio::time::timeout(support::PATIENCE, server)
        .await
        .unwrap()
        .unwrap();
}
