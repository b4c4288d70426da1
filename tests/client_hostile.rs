//! The client, the blocking driver and the example's HTTP/1.1 code against hostile servers
//! on 127.0.0.1. Every server stops by itself, every loop is bounded in count and
//! time, and every timing assertion is a lower bound (a slow machine cannot make it fail).
#![cfg(feature = "std")]

#[path = "support/hostile.rs"]
mod hostile;
#[path = "../examples/support/http1.rs"]
mod http1;

#[path = "support/example.rs"]
mod example;
use std::time::{Duration, Instant};

use hostile::{send, Hostile};
use sse_proto::client::{ConnectLimits, Driver, Output, Request};
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
    let connect = |request: &Request, limits: ConnectLimits| {
        http1::open(request, limits, Duration::from_secs(5))
    };
    let driver = Driver::new(
        ClientConfig::new(format!("http://127.0.0.1:{}/", server.port)),
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

/// The limits a driver without an idle timeout gives, with this deadline.
fn limits(deadline: Option<Duration>) -> ConnectLimits {
    ConnectLimits::new(
        deadline.map(|d| Instant::now() + d),
        Duration::from_millis(100),
    )
}

/// A request for `path` on 127.0.0.1:`port`, as a client with `config` makes it.
fn request(config: ClientConfig) -> Request {
    let mut client = sse_proto::Client::new(config, sse_proto::client::Instant::EPOCH).unwrap();
    match client.poll_output() {
        Some(Output::Connect(request)) => request,
        other => panic!("{other:?}"),
    }
}

/// Sends `piece` every `every` until the client hangs up or `limit` passes; returns how
/// many were sent.
fn drip(s: &mut std::net::TcpStream, piece: &[u8], every: Duration, limit: Duration) -> usize {
    let start = Instant::now();
    let mut sent = 0;
    while start.elapsed() < limit && send(s, piece) {
        sent += 1;
        std::thread::sleep(every);
    }
    sent
}

/// Defect 3: endless `100 Continue` responses end in an error after a bounded number,
/// instead of holding the connection until the server stops.
#[test]
fn endless_interim_responses_are_refused() {
    let server = Hostile::start(1, Duration::from_secs(10), |mut s, _| {
        drip(
            &mut s,
            b"HTTP/1.1 100 Continue\r\n\r\n",
            Duration::ZERO,
            Duration::from_secs(5),
        );
    });
    let url = format!("http://127.0.0.1:{}/", server.port);
    let error = http1::open(
        &request(ClientConfig::new(url)),
        limits(None),
        Duration::from_secs(30),
    )
    .expect_err("no final response");
    drop(server.stop());
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData, "{error}");
    assert!(error.to_string().contains("interim"), "{error}");
}

/// Defect 3: slow interim responses, a header trickle: the driver's deadline (the idle
/// timeout) bounds the whole head, however the bytes are spaced.
#[test]
fn a_trickled_head_meets_the_deadline() {
    for piece in [&b"HTTP/1.1 100 Continue\r\n\r\n"[..], b"X"] {
        let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = sent.clone();
        let server = Hostile::start(1, Duration::from_secs(10), move |mut s, _| {
            if piece == b"X" {
                send(&mut s, b"HTTP/1.1 200 OK\r\nX-Slow: ");
            }
            let n = drip(
                &mut s,
                piece,
                Duration::from_millis(100),
                Duration::from_secs(8),
            );
            counter.store(n, std::sync::atomic::Ordering::SeqCst);
        });
        let url = format!("http://127.0.0.1:{}/", server.port);
        let error = http1::open(
            &request(ClientConfig::new(url)),
            limits(Some(Duration::from_millis(500))),
            Duration::from_secs(30),
        )
        .expect_err("the head never completes");
        drop(server.stop());
        assert_eq!(error.kind(), std::io::ErrorKind::TimedOut, "{error}");
        // The server stops when the client hangs up; at one piece per 100 ms, a client
        // that gave up at its 500 ms deadline saw far fewer than the 8 s worth (80).
        let sent = sent.load(std::sync::atomic::Ordering::SeqCst);
        assert!(sent < 50, "{sent} pieces: the head was not bounded");
    }
}

/// Defect 3: endless trailer fields after a chunked body are an error.
#[test]
fn endless_trailers_are_refused() {
    let server = Hostile::start(1, Duration::from_secs(10), |mut s, _| {
        send(&mut s, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n9\r\ndata: x\n\n\r\n0\r\n");
        drip(
            &mut s,
            b"X-Trailer: more\r\n",
            Duration::ZERO,
            Duration::from_secs(5),
        );
    });
    let url = format!("http://127.0.0.1:{}/", server.port);
    let connection = http1::open(
        &request(ClientConfig::new(url)),
        limits(None),
        Duration::from_secs(5),
    )
    .unwrap();
    let mut body = connection.into_body();
    let mut data = Vec::new();
    let mut buf = [0u8; 64];
    let start = Instant::now();
    let error = loop {
        assert!(start.elapsed() < Duration::from_secs(9), "bounded");
        match std::io::Read::read(&mut body, &mut buf) {
            Ok(0) => panic!("the trailers never end"),
            Ok(n) => data.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => break e,
        }
    };
    drop(body); // hang up, so that the server's writes fail and it stops
    drop(server.stop());
    assert_eq!(data, b"data: x\n\n");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData, "{error}");
}

/// Defect 3, through the driver: with an idle timeout, a head that never completes is
/// given up at the idle deadline (reason `IdleTimeout`), not held forever.
#[test]
fn the_driver_hands_its_idle_deadline_to_the_connector() {
    let server = Hostile::start(3, Duration::from_secs(10), |mut s, _| {
        drip(
            &mut s,
            b"HTTP/1.1 100 Continue\r\n\r\n",
            Duration::from_millis(50),
            Duration::from_secs(8),
        );
    });
    let config = ClientConfig::new(format!("http://127.0.0.1:{}/", server.port))
        .idle_timeout(Duration::from_millis(400))
        .reconnection_time(Duration::from_millis(100))
        .max_attempts(2);
    let connect = |request: &Request, limits: ConnectLimits| {
        assert!(
            limits.deadline.is_some(),
            "the idle deadline is handed over"
        );
        http1::open(request, limits, Duration::from_secs(30))
    };
    let outputs: Vec<_> = Driver::new(config, connect).unwrap().take(20).collect();
    drop(server.stop());
    let idle_timeouts = outputs
        .iter()
        .filter(|o| {
            matches!(
                o,
                Ok(Output::WaitUntil {
                    reason: sse_proto::client::ReconnectReason::IdleTimeout,
                    ..
                })
            )
        })
        .count();
    assert_eq!(idle_timeouts, 1, "{outputs:?}");
    assert!(
        matches!(
            outputs.last(),
            Some(Ok(Output::Failed(
                sse_proto::client::FailReason::MaxAttempts
            )))
        ),
        "{outputs:?}"
    );
}

/// Defect 4: a redirect to another origin (another port suffices) drops `Authorization`
/// and `Last-Event-ID`; a same-origin one keeps them.
#[test]
fn cross_origin_redirects_drop_credentials() {
    let target = Hostile::start(2, Duration::from_secs(10), |mut s, _| {
        send(&mut s, b"HTTP/1.1 204 No Content\r\n\r\n");
    });
    let target_port = target.port;
    let origin = Hostile::start(2, Duration::from_secs(10), move |mut s, head| {
        let location = if head.starts_with("GET /same ") {
            format!("http://127.0.0.1:{target_port}/elsewhere")
        } else {
            "/same".to_string()
        };
        send(
            &mut s,
            format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n")
                .as_bytes(),
        );
    });
    let config = ClientConfig::new(format!("http://127.0.0.1:{}/start", origin.port))
        .header("Authorization", "Bearer secret")
        .header("X-Other", "kept")
        .initial_last_event_id("41");
    let connection = http1::open(&request(config), limits(None), Duration::from_secs(5)).unwrap();
    assert_eq!(connection.status(), 204);
    let at_origin = origin.stop();
    let at_target = target.stop();
    assert_eq!(at_origin.len(), 2, "{at_origin:?}");
    assert!(at_origin[1].starts_with("GET /same "), "{at_origin:?}");
    for head in &at_origin {
        assert!(head.contains("Authorization: Bearer secret"), "{head}");
        assert!(head.contains("Last-Event-ID: 41"), "{head}");
    }
    assert_eq!(at_target.len(), 1, "{at_target:?}");
    let head = &at_target[0];
    assert!(head.starts_with("GET /elsewhere "), "{head}");
    assert!(
        !head.to_ascii_lowercase().contains("authorization"),
        "{head}"
    );
    assert!(
        !head.to_ascii_lowercase().contains("last-event-id"),
        "{head}"
    );
    assert!(head.contains("X-Other: kept"), "{head}");
}

/// Defect 4: a `Location` with a lone CR or a space is not followed (it would be written
/// into the request line); the redirect goes to the client as is, which fails on it.
#[test]
fn invalid_locations_are_not_followed() {
    for location in [&b"/x\rX-Injected: yes"[..], b"/a b", b"/\x01"] {
        let location = location.to_vec();
        let server = Hostile::start(2, Duration::from_secs(10), move |mut s, _| {
            let mut response = b"HTTP/1.1 302 Found\r\nLocation: ".to_vec();
            response.extend_from_slice(&location);
            response.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
            send(&mut s, &response);
        });
        let url = format!("http://127.0.0.1:{}/", server.port);
        let connection = http1::open(
            &request(ClientConfig::new(url)),
            limits(None),
            Duration::from_secs(5),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(50)); // a second request would be in by now
        let heads = server.stop();
        assert_eq!(connection.status(), 302);
        assert_eq!(heads.len(), 1, "the redirect was followed: {heads:?}");
    }
}

/// Defect 4: `Content-Length` and chunk sizes follow the RFC 9112 grammar: a sign or other
/// junk is an error, not a length.
#[test]
fn lengths_follow_the_grammar() {
    let responses: [&[u8]; 5] = [
        b"HTTP/1.1 200 OK\r\nContent-Length: +9\r\n\r\ndata: x\n\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nContent-Length: 10\r\n\r\ndata: x\n\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 0x9\r\n\r\ndata: x\n\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+b\r\ndata: x\n\n\r\n\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n b\r\ndata: x\n\n\r\n\r\n0\r\n\r\n",
    ];
    for response in responses {
        let server = Hostile::start(1, Duration::from_secs(10), move |mut s, _| {
            send(&mut s, response);
        });
        let url = format!("http://127.0.0.1:{}/", server.port);
        let result = http1::open(
            &request(ClientConfig::new(url)),
            limits(None),
            Duration::from_secs(5),
        )
        .and_then(|c| {
            let mut body = Vec::new();
            std::io::Read::read_to_end(&mut c.into_body(), &mut body).map(|_| body)
        });
        drop(server.stop());
        let error = result.expect_err(&String::from_utf8_lossy(response));
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData, "{error}");
    }
    // The grammar's own forms still work: extensions and upper-case hex digits.
    let server = Hostile::start(1, Duration::from_secs(10), |mut s, _| {
        send(&mut s, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA ; ext=1\r\ndata: xy\n\n\r\n0\r\n\r\n");
    });
    let url = format!("http://127.0.0.1:{}/", server.port);
    let connection = http1::open(
        &request(ClientConfig::new(url)),
        limits(None),
        Duration::from_secs(5),
    )
    .unwrap();
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut connection.into_body(), &mut body).unwrap();
    drop(server.stop());
    assert_eq!(body, b"data: xy\n\n");
}

/// `target/<profile>/examples/client`, built by `cargo test` alongside this test.
fn client_example() -> std::path::PathBuf {
    example::example("client")
}

/// Waits for `child` at most `limit`, killing it after that; its exit status, if it
/// exited by itself.
fn wait_bounded(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Defect 11: `--help` prints the usage and succeeds.
#[test]
fn the_client_example_prints_its_usage_on_help() {
    let out = std::process::Command::new(client_example())
        .arg("--help")
        .output()
        .expect("the client example runs (built by cargo test)");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("usage: client URL"));
}

/// `client URL 2>&1 | head -1`, or a closed stderr: progress messages that cannot be
/// written are dropped, never a panic; and `--help` into a closed stdout still succeeds.
#[test]
fn the_client_example_runs_on_with_a_closed_stderr() {
    let server = Hostile::start(1, Duration::from_secs(20), |mut s, _| {
        send(&mut s, b"HTTP/1.1 204 No Content\r\n\r\n");
    });
    let mut child = std::process::Command::new(client_example())
        .arg(format!("http://127.0.0.1:{}/", server.port))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the client example runs (built by cargo test)");
    drop(child.stderr.take()); // nobody reads stderr any more
    let status = wait_bounded(&mut child, Duration::from_secs(15));
    drop(server.stop());
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(0),
        "a 204 ends it with 0"
    );

    let mut child = std::process::Command::new(client_example())
        .arg("--help")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the client example runs");
    drop(child.stdout.take());
    let status = wait_bounded(&mut child, Duration::from_secs(15));
    assert_eq!(status.and_then(|s| s.code()), Some(0));
}

/// Defect 11: `client URL | head -1` — the example exits quietly when its stdout closes,
/// and control characters from the server never reach the terminal raw.
#[test]
fn the_client_example_exits_quietly_on_a_closed_pipe_and_escapes() {
    use std::io::BufRead;
    let server = Hostile::start(2, Duration::from_secs(20), |mut s, head| {
        send(
            &mut s,
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n",
        );
        if head.contains("Last-Event-ID") {
            // The reconnect: events until the client hangs up (bounded).
            drip(
                &mut s,
                b"data: more\n\n",
                Duration::from_millis(5),
                Duration::from_secs(15),
            );
        } else {
            send(
                &mut s,
                b"id: a\x1b]0;pwned\x07\x1b[2Jb\ndata: x\x1b[31m\x7f\xc2\x9b\n\n",
            );
        }
    });
    let mut child = std::process::Command::new(client_example())
        .arg(format!("http://127.0.0.1:{}/", server.port))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the client example runs (built by cargo test)");
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = Vec::new();
    stdout.read_until(b'\n', &mut first).unwrap();
    drop(stdout); // `head -1`
    let status = wait_bounded(&mut child, Duration::from_secs(15));
    let mut stderr = Vec::new();
    std::io::Read::read_to_end(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    drop(server.stop());
    let stderr_text = String::from_utf8_lossy(&stderr);
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{stderr_text}");
    assert!(!stderr_text.contains("panicked"), "{stderr_text}");
    let controls = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .count()
    };
    assert_eq!(controls(&first), 0, "{first:?}");
    assert_eq!(controls(&stderr), 0, "{stderr_text:?}");
    assert!(
        stderr_text.contains("Last-Event-ID: a\\u{1b}]0;pwned"),
        "{stderr_text}"
    );
}
