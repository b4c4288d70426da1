//! The client, the blocking driver and the example's HTTP/1.1 code against hostile servers
//! on 127.0.0.1 (issue 9). Every server stops by itself, every loop is bounded in count and
//! time, and every timing assertion is a lower bound (a slow machine cannot make it fail).
#![cfg(feature = "std")]

#[path = "support/hostile.rs"]
mod hostile;
#[path = "../examples/support/http1.rs"]
mod http1;

use std::time::{Duration, Instant};

use hostile::{send, Hostile};
use sse_proto::client::{Driver, Output, Request};
use sse_proto::ClientConfig;

/// Defect 2: a server that answers `retry: 0` and closes must not get a tight reconnect
/// loop with the default configuration (D12: a 100 ms floor, then doubling while the
/// attempts deliver no event). Four connections take at least 100 + 200 + 400 ms; before
/// D12 they took a few milliseconds.
#[test]
fn retry_zero_and_close_is_not_a_tight_loop() {
    let server = Hostile::start(50, Duration::from_secs(10), |mut s, _| {
        send(
            &mut s,
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nretry: 0\n\n",
        );
    });
    let port = server.port;
    let connect = move |request: &Request| {
        http1::open(
            request,
            Some(Duration::from_secs(5)),
            Some(Duration::from_secs(5)),
        )
    };
    let driver = Driver::new(
        ClientConfig::new(format!("http://127.0.0.1:{port}/")),
        connect,
    )
    .expect("a valid config");
    let start = Instant::now();
    let mut connects = 0;
    for output in driver.take(200) {
        if matches!(output, Ok(Output::Connect(_))) {
            connects += 1;
            if connects == 4 {
                break;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(10), "bounded");
    }
    let elapsed = start.elapsed();
    drop(server.stop());
    assert_eq!(connects, 4);
    assert!(
        elapsed >= Duration::from_millis(700),
        "4 connections in {elapsed:?}: a tight reconnect loop"
    );
}
