//! The blocking driver against a real server on 127.0.0.1, through the `client` example's
//! HTTP/1.1 code: a connection dropped mid-stream, the reconnect's `Last-Event-ID`, the
//! idle timeout on a silent connection, and 204 to stop. Every wait is bounded.
#![cfg(feature = "std")]

#[path = "../examples/support/http1.rs"]
mod http1;
#[path = "support/loopback.rs"]
mod loopback;

use std::io;
use std::time::{Duration, Instant};

use loopback::{chunk, send, serve, Handler};
use sse_proto::{
    client::{CloseReason, ConnectLimits, Driver, Output, ReconnectReason, Request},
    ClientConfig, OwnedItem,
};

const LIMIT: Duration = Duration::from_secs(20);

/// Runs the driver to its end (bounded in outputs and time), returning what it yielded.
fn run(config: ClientConfig, read_timeout: Option<Duration>) -> Vec<io::Result<Output>> {
    let driver = Driver::new(config, move |request: &Request, limits: ConnectLimits| {
        let limits =
            ConnectLimits::new(limits.deadline, read_timeout.unwrap_or(limits.read_timeout));
        http1::open(request, limits, Duration::from_secs(5))
    })
    .expect("a valid config");
    let start = Instant::now();
    let mut outputs = Vec::new();
    for output in driver.take(100) {
        outputs.push(output);
        assert!(
            start.elapsed() < LIMIT,
            "the driver ran too long: {outputs:?}"
        );
    }
    outputs
}

fn events(outputs: &[io::Result<Output>]) -> Vec<(String, String)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Ok(Output::Item(OwnedItem::Event(e))) => {
                Some((e.data.clone(), e.last_event_id.to_string()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn reconnects_after_a_mid_stream_drop_with_last_event_id() {
    let handlers: Vec<Handler> = vec![
        Box::new(|mut s, _| {
            send(&mut s, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            send(&mut s, &chunk(b"retry: 20\n: hello\nid: 1\ndata: one\n\n"));
            // A chunk announced as 0x40 bytes that never completes: the connection drops
            // in the middle of an event.
            send(&mut s, b"40\r\nid: 2\ndata: par");
        }),
        Box::new(|mut s, _| {
            let body = b"data: two\n\n";
            send(&mut s, format!("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes());
            send(&mut s, body);
        }),
        Box::new(|mut s, _| send(&mut s, b"HTTP/1.1 204 No Content\r\n\r\n")),
    ];
    let (port, server) = serve(handlers);
    let config =
        ClientConfig::new(format!("http://127.0.0.1:{port}/events")).header("X-Test", "yes");
    let outputs = run(config, Some(Duration::from_secs(5)));
    let requests = server.join().expect("server thread");

    assert_eq!(requests.len(), 3, "{outputs:?}");
    for r in &requests {
        assert_eq!(r.line(), "GET /events HTTP/1.1");
        assert_eq!(r.header("Accept"), Some("text/event-stream"));
        assert_eq!(r.header("Cache-Control"), Some("no-cache"));
        assert_eq!(r.header("X-Test"), Some("yes"));
    }
    // C17: no header on the first request; the committed id "1" (not the cut-off "2",
    // D4) on every reconnect, also after the id-less second connection (D3).
    assert_eq!(requests[0].header("Last-Event-ID"), None);
    assert_eq!(requests[1].header("Last-Event-ID"), Some("1"));
    assert_eq!(requests[2].header("Last-Event-ID"), Some("1"));

    assert_eq!(
        events(&outputs),
        [
            ("one".to_string(), "1".to_string()),
            ("two".to_string(), "1".to_string())
        ]
    );
    let items: Vec<&OwnedItem> = outputs
        .iter()
        .filter_map(|o| match o {
            Ok(Output::Item(item)) => Some(item),
            _ => None,
        })
        .collect();
    assert!(items.contains(&&OwnedItem::Retry(20)));
    assert!(items.contains(&&OwnedItem::Comment("hello".into())));
    assert!(
        items.contains(&&OwnedItem::Truncated),
        "the cut-off block is reported"
    );
    assert!(
        outputs.iter().any(|o| o.is_err()),
        "the dropped connection is reported as an error"
    );
    assert!(outputs.iter().any(|o| matches!(
        o,
        Ok(Output::WaitUntil {
            reason: ReconnectReason::BodyEnd,
            ..
        })
    )));
    assert!(
        matches!(
            outputs.last(),
            Some(Ok(Output::Closed(CloseReason::NoContent)))
        ),
        "{outputs:?}"
    );
}

#[test]
fn idle_timeout_gives_up_a_silent_connection() {
    let (release, hold) = std::sync::mpsc::channel::<()>();
    let handlers: Vec<Handler> = vec![
        Box::new(move |mut s, _| {
            send(&mut s, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nretry: 10\nid: 7\ndata: hi\n\n");
            // Then silence, with the socket still open: a dead connection without a FIN.
            // Held in a thread until the test ends (bounded).
            std::thread::spawn(move || {
                let _ = hold.recv_timeout(Duration::from_secs(10));
                drop(s);
            });
        }),
        Box::new(|mut s, _| send(&mut s, b"HTTP/1.1 204 No Content\r\n\r\n")),
    ];
    let (port, server) = serve(handlers);
    let config = ClientConfig::new(format!("http://127.0.0.1:{port}/"))
        .idle_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let outputs = run(config, Some(Duration::from_millis(50)));
    let _ = release.send(());
    let requests = server.join().expect("server thread");

    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(requests.len(), 2, "{outputs:?}");
    assert_eq!(requests[1].header("Last-Event-ID"), Some("7"));
    assert_eq!(events(&outputs), [("hi".to_string(), "7".to_string())]);
    assert!(
        outputs.iter().any(|o| matches!(
            o,
            Ok(Output::WaitUntil {
                reason: ReconnectReason::IdleTimeout,
                ..
            })
        )),
        "{outputs:?}"
    );
    assert!(matches!(
        outputs.last(),
        Some(Ok(Output::Closed(CloseReason::NoContent)))
    ));
}

#[test]
fn wrong_content_type_fails_and_refused_connections_retry() {
    // Nothing listens on this port once the listener is dropped: connecting is refused.
    let refused_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = ClientConfig::new(format!("http://127.0.0.1:{refused_port}/"))
        .reconnection_time(Duration::from_millis(5))
        .max_attempts(3);
    let outputs = run(config, Some(Duration::from_secs(2)));
    assert_eq!(
        outputs.iter().filter(|o| o.is_err()).count(),
        3,
        "{outputs:?}"
    );
    assert!(matches!(
        outputs.last(),
        Some(Ok(Output::Failed(
            sse_proto::client::FailReason::MaxAttempts
        )))
    ));

    let handlers: Vec<Handler> = vec![Box::new(|mut s, _| {
        send(&mut s, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 21\r\n\r\ndata: not an event\n\n");
    })];
    let (port, server) = serve(handlers);
    let outputs = run(
        ClientConfig::new(format!("http://127.0.0.1:{port}/")),
        Some(Duration::from_secs(5)),
    );
    server.join().unwrap();
    assert!(events(&outputs).is_empty());
    assert!(matches!(
        outputs.last(),
        Some(Ok(Output::Failed(
            sse_proto::client::FailReason::ContentType
        )))
    ));

    // An unsupported scheme is futile: one error, then failed, no retry (C8).
    let outputs = run(ClientConfig::new("ftp://127.0.0.1/"), None);
    assert!(
        matches!(
            outputs.last(),
            Some(Ok(Output::Failed(sse_proto::client::FailReason::Futile)))
        ),
        "{outputs:?}"
    );
}
