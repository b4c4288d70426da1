//! The body behind a real axum server on 127.0.0.1, read by plain hyper: headers,
//! keep-alive on a quiet stream, graceful shutdown of every live stream, and a client that
//! stops reading dropped by the hub while another keeps receiving. Every wait is bounded.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use sse_proto::Message;
use sse_proto_tokio::hub::{Hub, HubConfig, Lag, Subscription};
use sse_proto_tokio::serve::{channel, Receiver, Shutdown, Sse, TimeoutListener};
use support::{event, request, serve, Reader, Seen, PATIENCE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An endpoint that sends three events, then stays open (quiet) until shutdown.
fn three_then_quiet(shutdown: &Shutdown, keep_alive: Duration) -> Router {
    let shutdown = shutdown.clone();
    Router::new().route(
        "/events",
        get(move || {
            let shutdown = shutdown.clone();
            async move {
                let (sender, receiver) = channel(8);
                tokio::spawn(async move {
                    for n in 1..=3 {
                        let id = n.to_string();
                        if sender
                            .send(&Message::new(format!("e{n}")).id(id))
                            .await
                            .is_err()
                        {
                            return;
                        }
                    }
                    sender.closed().await; // quiet until the client goes or shutdown
                });
                let body: Sse<Receiver> = Sse::new(receiver).keep_alive(keep_alive);
                body.shutdown(&shutdown)
            }
        }),
    )
}

#[tokio::test]
async fn headers_are_proxy_safe() {
    let shutdown = Shutdown::new();
    let (addr, _server) = serve(three_then_quiet(&shutdown, PATIENCE), &shutdown).await;
    let response = request(addr, "GET", "/events", &[], "").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/event-stream");
    // no-transform: a compressing proxy that honours it passes events through at once.
    assert_eq!(headers["cache-control"], "no-cache, no-transform");
    assert_eq!(headers["x-accel-buffering"], "no");
    assert!(
        headers.get("connection").is_none(),
        "no hop-by-hop Connection header"
    );
    assert!(
        headers.get("content-length").is_none(),
        "a stream has no length"
    );
    let mut reader = Reader::new(response);
    for n in 1..=3 {
        assert_eq!(
            reader.next().await,
            event("message", &format!("e{n}"), &n.to_string())
        );
    }
    shutdown.trigger();
}

#[tokio::test]
async fn a_quiet_stream_gets_keep_alives() {
    let shutdown = Shutdown::new();
    let router = three_then_quiet(&shutdown, Duration::from_millis(50));
    let (addr, _server) = serve(router, &shutdown).await;
    let mut reader = Reader::new(request(addr, "GET", "/events", &[], "").await);
    for n in 1..=3 {
        assert_eq!(
            reader.next().await,
            event("message", &format!("e{n}"), &n.to_string())
        );
    }
    // (When exactly is tested on the paused clock in serve_body.rs.)
    assert_eq!(reader.next().await, Seen::Comment(String::new()));
    assert_eq!(reader.next().await, Seen::Comment(String::new()));
    shutdown.trigger();
}

#[tokio::test]
async fn graceful_shutdown_ends_every_live_stream() {
    let shutdown = Shutdown::new();
    let (addr, server) = serve(three_then_quiet(&shutdown, PATIENCE), &shutdown).await;
    let mut readers = Vec::new();
    for _ in 0..5 {
        let mut reader = Reader::new(request(addr, "GET", "/events", &[], "").await);
        for n in 1..=3 {
            assert_eq!(
                reader.next().await,
                event("message", &format!("e{n}"), &n.to_string())
            );
        }
        readers.push(reader);
    }
    shutdown.trigger();
    for reader in &mut readers {
        // A comment, then the end: no event a client would take for a message.
        assert_eq!(reader.next().await, Seen::Comment("shutdown".into()));
        assert_eq!(reader.next().await, Seen::End);
    }
    // Without the shutdown signal the open streams would hold the server forever.
    tokio::time::timeout(PATIENCE, server)
        .await
        .expect("the server stops once its streams have ended")
        .unwrap();
}

/// A hub endpoint: `GET /events` subscribes to topic `t`.
fn hub_router(hub: &Hub, shutdown: &Shutdown) -> Router {
    let (hub, shutdown) = (hub.clone(), shutdown.clone());
    Router::new().route(
        "/events",
        get(move || {
            let (hub, shutdown) = (hub.clone(), shutdown.clone());
            async move {
                let body: Sse<Subscription> = Sse::new(hub.subscribe("t", None));
                body.shutdown(&shutdown)
            }
        }),
    )
}

/// A client that sends its request to `GET /events` and then never reads a byte, and one
/// that reads; returns once the hub counts both as subscribers of `t`.
async fn frozen_and_reading_clients(hub: &Hub, addr: SocketAddr) -> (TcpStream, Reader) {
    let mut frozen = TcpStream::connect(addr).await.unwrap();
    frozen
        .write_all(b"GET /events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let reader = Reader::new(request(addr, "GET", "/events", &[], "").await);
    let subscribed = tokio::time::timeout(PATIENCE, async {
        while hub.subscriber_count("t") < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    subscribed.await.expect("both clients subscribed");
    (frozen, reader)
}

/// Publishes 60 KB events to `t` until the frozen client's socket buffers and queue are
/// full and it is dropped (at most `most` events); `reader` reads each event before the
/// next is published. Returns how many were published.
async fn publish_until_the_frozen_client_is_dropped(
    hub: &Hub,
    reader: &mut Reader,
    most: usize,
) -> usize {
    let data = "x".repeat(60_000);
    let mut published = 0;
    while hub.subscriber_count("t") == 2 {
        assert!(published < most, "the frozen client was never dropped");
        published += 1;
        let id = hub.publish("t", Message::new(data.as_str())).unwrap();
        assert_eq!(reader.next().await, event("message", &data, &id));
        tokio::time::sleep(Duration::from_millis(1)).await; // let time pass for a timeout
    }
    published
}

#[tokio::test]
async fn a_client_that_stops_reading_is_dropped_and_the_others_keep_receiving() {
    let hub = Hub::new(
        HubConfig::default()
            .queue_capacity(8)
            .lag(Lag::Gap)
            .send_timeout(Duration::from_millis(100)),
    );
    let shutdown = Shutdown::new();
    let (addr, _server) = serve(hub_router(&hub, &shutdown), &shutdown).await;

    let (frozen, mut reader) = frozen_and_reading_clients(&hub, addr).await;

    // The hub's send timeout drops the frozen client.
    publish_until_the_frozen_client_is_dropped(&hub, &mut reader, 2_000).await;
    // The reader keeps receiving, and never lagged.
    for _ in 0..10 {
        let id = hub.publish("t", Message::new("after")).unwrap();
        assert_eq!(reader.next().await, event("message", "after", &id));
    }
    assert_eq!(hub.subscriber_count("t"), 1);
    drop(frozen);
    shutdown.trigger();
}

#[tokio::test]
async fn the_write_timeout_closes_the_connection_of_a_client_that_stopped_reading() {
    // The hub itself would keep the frozen subscriber for an hour: only the connection's
    // write timeout can drop it here.
    let hub = Hub::new(
        HubConfig::default()
            .queue_capacity(8)
            .lag(Lag::Gap)
            .send_timeout(Duration::from_secs(3600)),
    );
    let shutdown = Shutdown::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let listener = TimeoutListener::new(listener, Duration::from_millis(200));
    let router = hub_router(&hub, &shutdown);
    let signal = shutdown.wait();
    tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(signal)
            .await
            .unwrap();
    });

    let (mut frozen, mut reader) = frozen_and_reading_clients(&hub, addr).await;

    // The frozen client's write stalls for the timeout: the server then drops the
    // connection, the body and so the subscription.
    let published = publish_until_the_frozen_client_is_dropped(&hub, &mut reader, 5_000).await;
    // The frozen client now reads what was sent, then the end of the connection.
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0usize;
    let closed = tokio::time::timeout(PATIENCE, async {
        loop {
            match frozen.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => total += n,
            }
        }
    });
    closed.await.expect("the server closed the connection");
    assert!(total > 0 && total <= published * 60_100 + 1_000, "{total}");
    // The other client is unaffected.
    let id = hub.publish("t", Message::new("after")).unwrap();
    assert_eq!(reader.next().await, event("message", "after", &id));
    shutdown.trigger();
}
