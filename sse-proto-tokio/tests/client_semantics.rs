//! The reconnecting client against real servers on 127.0.0.1, once per connector
//! (reqwest 0.13, reqwest 0.12, hyper-util), on tokio's paused clock: timings are exact
//! and every test is bounded (a hang auto-advances to the `bounded` deadline and fails).
#![cfg(any(feature = "reqwest", feature = "reqwest-0_12", feature = "hyper"))]

mod script_server;

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use script_server::{closed_port, Reply, Server};
use sse_proto::client::{Backoff, ReadyState};
use sse_proto_tokio::{Builder, Connector, Error, Event, EventSource, Reconnect, Timeout};

/// Runs `test` with a deadline on the (paused) clock.
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(600), test)
        .await
        .expect("the test finished within its (virtual) deadline")
}

/// The next message's data, skipping other events.
async fn next_data(events: &mut EventSource) -> String {
    loop {
        match events.next().await {
            Some(Ok(Event::Message(message))) => return message.data,
            Some(Ok(_)) => {}
            other => panic!("expected a message, got {other:?}"),
        }
    }
}

/// The next event that is not a message, an open or a comment.
async fn next_other(events: &mut EventSource) -> Option<Result<Event, Error>> {
    loop {
        match events.next().await {
            Some(Ok(Event::Open | Event::Comment(_) | Event::Retry(_))) => {}
            other => return other,
        }
    }
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

async fn events_in_order_with_multiline_and_unicode_data(connector: impl Connector) {
    let server = Server::always(
        Reply::status(200)
            .header("content-type", "text/event-stream; charset=utf-8")
            .send(b"data: one\n\nevent: multi\r\ndata: line 1\r\ndata: line 2\r\n\r\ndata: h\xC3")
            .sleep(10)
            .send(b"\xA9llo \xF0\x9F\x8C")
            .send(b"\x8D\n\n\xEF\xBB\xBFdata: bom mid-stream is content\n\ndata:no space\n\n"),
    )
    .await;
    let mut events = EventSource::builder(server.url("/"))
        .reconnect(Reconnect::OnError)
        .connect(connector)
        .unwrap();
    let mut got = Vec::new();
    while let Some(event) = events.next().await {
        if let Event::Message(m) = event.unwrap() {
            got.push((m.event_type, m.data));
        }
    }
    let got: Vec<(&str, &str)> = got.iter().map(|(t, d)| (t.as_str(), d.as_str())).collect();
    assert_eq!(
        got,
        [
            ("message", "one"),
            ("multi", "line 1\nline 2"),
            ("message", "héllo 🌍"),
            ("message", "no space"),
        ]
    );
    assert_eq!(
        server.requests(),
        1,
        "a clean end is not replayed under OnError"
    );
}

async fn last_event_id_is_resent_after_a_drop(connector: impl Connector) {
    let server = Server::sequence(vec![
        Reply::sse("id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: cut"),
        Reply::sse("data: c\n\n").hang(),
    ])
    .await;
    let mut events = EventSource::builder(server.url("/feed"))
        .reconnection_time(ms(100))
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "a");
    assert_eq!(next_data(&mut events).await, "b");
    assert_eq!(next_data(&mut events).await, "c");
    let seen = server.seen();
    assert_eq!(seen[0].header("last-event-id"), None);
    assert_eq!(seen[0].header("accept"), Some("text/event-stream"));
    assert_eq!(
        seen[1].header("last-event-id"),
        Some("2"),
        "the cut block's id is not committed"
    );
    assert_eq!(events.last_event_id(), "2");
}

async fn retry_field_sets_the_reconnection_time(connector: impl Connector) {
    let server = Server::sequence(vec![
        Reply::sse("retry: 1500\ndata: a\n\n"),
        Reply::sse("data: b\n\n").hang(),
    ])
    .await;
    let mut events = EventSource::builder(server.url("/"))
        .all_events(true)
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "a");
    match next_other(&mut events).await {
        Some(Ok(Event::Reconnecting { delay, error })) => {
            assert_eq!(delay, ms(1500));
            assert!(error.is_none(), "a clean end is not an error: {error:?}");
        }
        other => panic!("expected Reconnecting, got {other:?}"),
    }
    assert_eq!(next_data(&mut events).await, "b");
    let seen = server.seen();
    let gap = seen[1].at - seen[0].at;
    assert!(
        gap >= ms(1500) && gap < ms(1600),
        "reconnected after {gap:?}"
    );
}

async fn no_content_ends_without_an_error(connector: impl Connector) {
    let server = Server::always(Reply::status(204)).await;
    let mut events = EventSource::new(connector, server.url("/")).unwrap();
    assert!(events.next().await.is_none());
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(server.requests(), 1);
}

async fn post_stream_ending_cleanly_is_not_replayed(connector: impl Connector) {
    let server = Server::always(Reply::sse(
        "data: {\"delta\":\"Hel\"}\n\ndata: {\"delta\":\"lo\"}\n\ndata: [DONE]\n\n",
    ))
    .await;
    let mut events = EventSource::builder(server.url("/v1/chat"))
        .method(http::Method::POST)
        .header("content-type", "application/json")
        .body(r#"{"stream":true}"#)
        .reconnect(Reconnect::OnError)
        .connect(connector)
        .unwrap();
    let mut data = Vec::new();
    while let Some(event) = events.next().await {
        if let Event::Message(m) = event.expect("a clean end is not an error") {
            data.push(m.data);
        }
    }
    assert_eq!(data.len(), 3);
    assert_eq!(data[2], "[DONE]");
    tokio::time::sleep(Duration::from_secs(60)).await;
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "not replayed");
    assert_eq!(seen[0].method, "POST");
    assert_eq!(&seen[0].body[..], br#"{"stream":true}"#);
}

/// Without a chosen policy, a request that is not a body-less GET (an LLM completion, a
/// search) is not sent again after a clean end: replaying it would start it over.
async fn a_post_is_not_replayed_by_default(connector: impl Connector + Clone) {
    let server = Server::always(Reply::sse("retry: 200\n\ndata: token\n\ndata: [DONE]\n\n")).await;
    let requests = [
        EventSource::builder(server.url("/v1/chat"))
            .method(http::Method::POST)
            .body(r#"{"prompt":"hi"}"#),
        EventSource::builder(server.url("/v1/chat")).method(http::Method::POST),
        EventSource::builder(server.url("/search")).body("q=1"),
    ];
    for (n, request) in requests.into_iter().enumerate() {
        let mut events = request.connect(connector.clone()).unwrap();
        assert_eq!(next_data(&mut events).await, "token");
        assert_eq!(next_data(&mut events).await, "[DONE]");
        assert!(events.next().await.is_none(), "a clean end, no error");
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert_eq!(server.requests(), n + 1, "request {n} sent once");
    }

    // It still reconnects after a failure, with the same body.
    let server = Server::sequence(vec![
        Reply::sse("id: 1\ndata: a\n\ndata: cut").sleep(10).abort(),
        Reply::sse("data: b\n\n"),
    ])
    .await;
    let mut events = builder(&server)
        .method(http::Method::POST)
        .body("{}")
        .connect(connector.clone())
        .unwrap();
    assert_eq!(next_data(&mut events).await, "a");
    assert_eq!(next_data(&mut events).await, "b");
    assert!(events.next().await.is_none());
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        (&seen[1].body[..], seen[1].header("last-event-id")),
        (&b"{}"[..], Some("1"))
    );

    // A policy chosen by the user is the user's.
    let server = Server::always(Reply::sse("data: again\n\n")).await;
    let mut events = builder(&server)
        .method(http::Method::POST)
        .body("{}")
        .reconnect(Reconnect::Always)
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "again");
    assert_eq!(next_data(&mut events).await, "again");
    assert_eq!(server.requests(), 2);
}

async fn on_error_policy_reconnects_after_a_cut_connection(connector: impl Connector) {
    let server = Server::sequence(vec![
        Reply::sse("id: 1\ndata: a\n\ndata: cut").sleep(10).abort(),
        Reply::sse("data: b\n\n"),
    ])
    .await;
    let mut events = EventSource::builder(server.url("/"))
        .method(http::Method::POST)
        .body("{}")
        .reconnect(Reconnect::OnError)
        .reconnection_time(ms(100))
        .all_events(true)
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "a");
    loop {
        match events.next().await {
            Some(Ok(Event::Truncated)) => {}
            Some(Ok(Event::Reconnecting {
                error: Some(error @ Error::Transport(_)),
                ..
            })) => {
                assert!(error.is_retryable());
                break;
            }
            other => panic!("expected a transport error and a reconnect, got {other:?}"),
        }
    }
    assert_eq!(next_data(&mut events).await, "b");
    assert!(next_other(&mut events).await.is_none(), "then a clean end");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].header("last-event-id"), Some("1"));
}

/// Connects (100 ms reconnection time, every event shown) to a server that answers the
/// first request with `refusal` and the second with an `ok` event. Returns the first
/// event that is not a message (the reconnect, if the client retried) and the time
/// between the two requests, once `ok` has arrived.
async fn refused_then_ok(
    refusal: Reply,
    connector: impl Connector,
) -> (Option<Result<Event, Error>>, Duration) {
    let server = Server::sequence(vec![refusal, Reply::sse("data: ok\n\n").hang()]).await;
    let mut events = EventSource::builder(server.url("/"))
        .reconnection_time(ms(100))
        .all_events(true)
        .connect(connector)
        .unwrap();
    let reconnecting = next_other(&mut events).await;
    assert_eq!(next_data(&mut events).await, "ok");
    let seen = server.seen();
    (reconnecting, seen[1].at - seen[0].at)
}

async fn server_error_is_retried_after_retry_after(connector: impl Connector) {
    let busy = Reply::status(503)
        .header("retry-after", "7")
        .header("content-type", "text/plain")
        .send("busy, come back later");
    let (reconnecting, wait) = refused_then_ok(busy, connector).await;
    match reconnecting {
        Some(Ok(Event::Reconnecting {
            delay,
            error: Some(Error::Status(status)),
        })) => {
            assert_eq!(delay, Duration::from_secs(7));
            assert_eq!(status.status(), 503);
            assert_eq!(status.body_text(), "busy, come back later");
            assert_eq!(status.headers()["retry-after"], "7");
        }
        other => panic!("expected a 503 retry, got {other:?}"),
    }
    assert!(wait >= Duration::from_secs(7), "{wait:?}");
}

async fn too_many_requests_waits_for_an_http_date_retry_after(connector: impl Connector) {
    // An HTTP-date Retry-After counts from the response's own Date header.
    let too_many = Reply::status(429)
        .header("date", "Sun, 06 Nov 1994 08:49:30 GMT")
        .header("retry-after", "Sun, 06 Nov 1994 08:49:42 GMT");
    let (reconnecting, wait) = refused_then_ok(too_many, connector).await;
    match reconnecting {
        Some(Ok(Event::Reconnecting {
            delay,
            error: Some(error),
        })) => {
            assert_eq!(delay, Duration::from_secs(12));
            assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
            assert!(error.is_retryable());
        }
        other => panic!("expected a 429 retry, got {other:?}"),
    }
    assert!(wait >= Duration::from_secs(12), "{wait:?}");
}

async fn not_found_is_not_retried_and_its_body_is_readable(connector: impl Connector) {
    let server = Server::always(
        Reply::status(404)
            .header("content-type", "application/json")
            .send(r#"{"error":"no such stream"}"#),
    )
    .await;
    let mut events = EventSource::new(connector, server.url("/nope")).unwrap();
    match events.next().await {
        Some(Err(error @ Error::Status(_))) => {
            assert!(!error.is_retryable());
            let Error::Status(status) = error else {
                unreachable!()
            };
            assert_eq!(status.status(), 404);
            assert_eq!(status.body_text(), r#"{"error":"no such stream"}"#);
            assert!(!status.is_body_truncated());
        }
        other => panic!("expected a 404 error, got {other:?}"),
    }
    assert!(
        events.next().await.is_none(),
        "the stream ends after its error"
    );
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(server.requests(), 1);
}

async fn error_body_is_bounded(connector: impl Connector) {
    let big = "x".repeat(10_000);
    let server = Server::always(Reply::status(400).send(&big).send(&big)).await;
    let mut events = EventSource::builder(server.url("/"))
        .max_error_body(1000)
        .connect(connector)
        .unwrap();
    match events.next().await {
        Some(Err(Error::Status(status))) => {
            assert_eq!(status.body().len(), 1000);
            assert!(status.is_body_truncated());
        }
        other => panic!("expected a 400 error, got {other:?}"),
    }
}

async fn request_hook_runs_before_every_attempt(connector: impl Connector) {
    let server = Server::sequence(vec![
        Reply::sse("id: 9\ndata: a\n\n"),
        Reply::sse("data: b\n\n").hang(),
    ])
    .await;
    let calls = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&calls);
    let mut events = EventSource::builder(server.url("/"))
        .reconnection_time(ms(10))
        .on_request(move |mut request, attempt| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                assert_eq!(attempt.number(), u64::from(n));
                let headers = request.headers_mut();
                headers.insert("authorization", format!("Bearer token-{n}").parse()?);
                // The client's Last-Event-ID wins over anything the hook sets.
                headers.insert("last-event-id", "forged".parse()?);
                Ok(request)
            }
        })
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "a");
    assert_eq!(next_data(&mut events).await, "b");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let seen = server.seen();
    assert_eq!(seen[0].header("authorization"), Some("Bearer token-1"));
    assert_eq!(seen[1].header("authorization"), Some("Bearer token-2"));
    assert_eq!(seen[0].header("last-event-id"), None);
    assert_eq!(seen[1].header("last-event-id"), Some("9"));
}

async fn request_hook_can_move_to_another_url(connector: impl Connector) {
    // The first host is overloaded; the hook sends every later attempt elsewhere, as a
    // POST with another body.
    let first = Server::always(Reply::status(503).header("retry-after", "1")).await;
    let second = Server::always(Reply::sse("data: moved\n\n").hang()).await;
    let elsewhere: http::Uri = second.url("/other?x=1").parse().unwrap();
    let mut events = EventSource::builder(first.url("/"))
        .on_request(move |mut request, attempt| {
            if attempt.number() > 1 {
                *request.uri_mut() = elsewhere.clone();
                *request.method_mut() = http::Method::POST;
                *request.body_mut() = bytes::Bytes::from_static(b"moved body");
            }
            async move { Ok(request) }
        })
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "moved");
    assert_eq!(first.requests(), 1);
    let seen = second.seen();
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/other?x=1")
    );
    assert_eq!(&seen[0].body[..], b"moved body");
}

async fn unauthorized_refreshes_once(connector: impl Connector + Clone) {
    // One 401: refreshed and retried at once.
    let server =
        Server::sequence(vec![Reply::status(401), Reply::sse("data: ok\n\n").hang()]).await;
    let refreshed = Arc::new(AtomicU32::new(0));
    let refreshes = Arc::clone(&refreshed);
    let mut events = EventSource::builder(server.url("/"))
        .on_request(move |request, attempt| {
            if attempt.after_unauthorized() {
                refreshes.fetch_add(1, Ordering::SeqCst);
            }
            async move { Ok(request) }
        })
        .connect(connector.clone())
        .unwrap();
    assert_eq!(next_data(&mut events).await, "ok");
    assert_eq!(refreshed.load(Ordering::SeqCst), 1);
    let seen = server.seen();
    assert!(seen[1].at - seen[0].at < ms(50), "retried at once");

    // Two in a row: the second is final.
    let server = Server::always(Reply::status(401).send("expired")).await;
    let mut events = EventSource::builder(server.url("/"))
        .on_request(|request, _| async move { Ok(request) })
        .connect(connector)
        .unwrap();
    match events.next().await {
        Some(Err(Error::Status(status))) => assert_eq!(status.status(), 401),
        other => panic!("expected a 401 error, got {other:?}"),
    }
    assert_eq!(server.requests(), 2);
}

async fn idle_timeout_fires_while_connecting(connector: impl Connector) {
    let server = Server::sequence(vec![Reply::no_head(), Reply::sse("data: ok\n\n").hang()]).await;
    let mut events = EventSource::builder(server.url("/"))
        .idle_timeout(Duration::from_secs(5))
        .reconnection_time(ms(100))
        .all_events(true)
        .connect(connector)
        .unwrap();
    let delay = match next_other(&mut events).await {
        Some(Ok(Event::Reconnecting {
            delay,
            error: Some(Error::Timeout(Timeout::Idle)),
        })) => delay,
        other => panic!("expected an idle timeout, got {other:?}"),
    };
    assert_eq!(next_data(&mut events).await, "ok");
    let seen = server.seen();
    // 5 s of silence, then the reconnection wait (at least the 100 ms configured; the
    // client may wait longer after an attempt that delivered nothing).
    let gap = seen[1].at - seen[0].at;
    assert!(delay >= ms(100), "{delay:?}");
    assert!(gap >= ms(5000) + delay && gap < ms(5050) + delay, "{gap:?}");
}

async fn idle_timeout_fires_while_streaming(connector: impl Connector) {
    let server = Server::sequence(vec![
        Reply::sse(": hi\n\ndata: a\n\n")
            .sleep(3000)
            .send(":\n\n")
            .hang(),
        Reply::sse("data: b\n\n").hang(),
    ])
    .await;
    let mut events = EventSource::builder(server.url("/"))
        .idle_timeout(Duration::from_secs(5))
        .reconnection_time(ms(100))
        .all_events(true)
        .connect(connector)
        .unwrap();
    let handle = events.handle();
    assert_eq!(next_data(&mut events).await, "a");
    assert!(handle.liveness().last_byte().is_some());
    assert!(handle.liveness().last_heartbeat().is_some());
    match next_other(&mut events).await {
        Some(Ok(Event::Reconnecting {
            error: Some(error @ Error::Timeout(Timeout::Idle)),
            ..
        })) => assert!(error.is_retryable()),
        other => panic!("expected an idle timeout, got {other:?}"),
    }
    assert_eq!(next_data(&mut events).await, "b");
    let seen = server.seen();
    let gap = seen[1].at - seen[0].at;
    // The heartbeat at 3 s restarted the idle timer: 3 s + 5 s + 100 ms.
    assert!(gap >= ms(8100) && gap < ms(8200), "{gap:?}");
}

async fn connect_and_first_byte_timeouts(connector: impl Connector) {
    let server = Server::sequence(vec![
        Reply::no_head(),
        Reply::status(200)
            .header("content-type", "text/event-stream")
            .hang(),
        Reply::sse("data: ok\n\n").hang(),
    ])
    .await;
    let mut events = EventSource::builder(server.url("/"))
        .connect_timeout(Duration::from_secs(2))
        .first_byte_timeout(Duration::from_secs(3))
        .reconnection_time(ms(100))
        .all_events(true)
        .connect(connector)
        .unwrap();
    let mut timeouts = Vec::new();
    for _ in 0..2 {
        match next_other(&mut events).await {
            Some(Ok(Event::Reconnecting {
                error: Some(Error::Timeout(t)),
                ..
            })) => timeouts.push(t),
            other => panic!("expected a timeout, got {other:?}"),
        }
    }
    assert_eq!(timeouts, [Timeout::Connect, Timeout::FirstByte]);
    assert_eq!(next_data(&mut events).await, "ok");
}

async fn close_from_another_task(connector: impl Connector) {
    let server = Server::always(Reply::sse("data: a\n\n").hang()).await;
    let mut events = EventSource::new(connector, server.url("/")).unwrap();
    assert_eq!(next_data(&mut events).await, "a");
    let handle = events.handle();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        handle.close();
    });
    let watcher = events.handle();
    assert_eq!(watcher.liveness().ready_state(), ReadyState::Open);
    assert!(events.next().await.is_none(), "closed: the stream ends");
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert!(watcher.is_closed());
    assert_eq!(watcher.liveness().ready_state(), ReadyState::Closed);
    assert_eq!(server.requests(), 1);
}

async fn reconnect_now_from_another_task(connector: impl Connector) {
    let server = Server::sequence(vec![
        Reply::sse("id: 1\ndata: a\n\n").hang(),
        Reply::sse("data: b\n\n").hang(),
    ])
    .await;
    let mut events = EventSource::new(connector, server.url("/")).unwrap();
    assert_eq!(next_data(&mut events).await, "a");
    let handle = events.handle();
    tokio::spawn(async move { handle.reconnect_now() });
    assert_eq!(next_data(&mut events).await, "b");
    let seen = server.seen();
    assert!(seen[1].at - seen[0].at < ms(50), "no reconnection wait");
    assert_eq!(seen[1].header("last-event-id"), Some("1"));
    let liveness = events.handle().liveness();
    assert_eq!(liveness.attempts(), 2);
    assert_eq!(liveness.last_event_id(), "1");
    assert!(liveness.opened().is_some());
}

async fn content_type_is_checked_after_the_status(connector: impl Connector + Clone) {
    let server = Server::always(
        Reply::status(200)
            .header("content-type", "text/html")
            .send("<html>"),
    )
    .await;
    let mut events = EventSource::new(connector.clone(), server.url("/")).unwrap();
    match events.next().await {
        Some(Err(Error::ContentType(response))) => {
            assert_eq!(response.content_type().unwrap(), "text/html");
        }
        other => panic!("expected a Content-Type error, got {other:?}"),
    }

    let server = Server::always(Reply::status(200).send("data: x\n\n").hang()).await;
    let mut events = EventSource::new(connector.clone(), server.url("/")).unwrap();
    match events.next().await {
        Some(Err(Error::ContentType(response))) => {
            assert_eq!(response.content_type(), None);
        }
        other => panic!("expected a Content-Type error, got {other:?}"),
    }
    let mut events = EventSource::builder(server.url("/"))
        .allow_missing_content_type(true)
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "x");
}

/// A 200 that is not an event stream keeps its body, as an error status does: that is
/// where the server explains (a JSON error from an API gateway, an HTML login page).
async fn a_wrong_content_type_keeps_the_body(connector: impl Connector + Clone) {
    let server = Server::always(
        Reply::status(200)
            .header("content-type", "application/json")
            .header("x-request-id", "abc123")
            .send(r#"{"error":"quota exceeded"}"#),
    )
    .await;
    let mut events = EventSource::new(connector.clone(), server.url("/")).unwrap();
    match events.next().await {
        Some(Err(error @ Error::ContentType(_))) => {
            assert!(!error.is_retryable());
            assert_eq!(
                error.to_string(),
                r#"the response's Content-Type is "application/json", not text/event-stream: {"error":"quota exceeded"}"#
            );
            let Error::ContentType(response) = error else {
                unreachable!()
            };
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["x-request-id"], "abc123");
            assert_eq!(response.body_text(), r#"{"error":"quota exceeded"}"#);
            assert!(!response.is_body_truncated());
        }
        other => panic!("expected a Content-Type error, got {other:?}"),
    }
    assert!(events.next().await.is_none());
    assert_eq!(server.requests(), 1);

    // Bounded as an error body is, however long the page.
    let page = "<p>sign in</p>".repeat(1000);
    let server = Server::always(
        Reply::status(200)
            .header("content-type", "text/html")
            .send(&page)
            .hang(),
    )
    .await;
    let mut events = EventSource::builder(server.url("/"))
        .max_error_body(100)
        .connect(connector)
        .unwrap();
    match events.next().await {
        Some(Err(Error::ContentType(response))) => {
            assert_eq!(response.body(), &page.as_bytes()[..100]);
            assert!(response.is_body_truncated());
        }
        other => panic!("expected a Content-Type error, got {other:?}"),
    }
}

/// A block over a decoder limit is lost data: the stream says so without `all_events`,
/// in its place, and goes on (as `.sse()` yields `StreamError::Dropped` and goes on).
async fn a_dropped_block_is_shown_by_default(connector: impl Connector) {
    let big = format!("data: {}\n\n", "x".repeat(2048));
    let server = Server::always(
        Reply::sse("data: before\n\n")
            .send(&big)
            .send("data: after\n\n")
            .hang(),
    )
    .await;
    let mut events = EventSource::builder(server.url("/"))
        .decoder(sse_proto::DecoderConfig::default().max_line_len(1024))
        .connect(connector)
        .unwrap();
    let mut got = Vec::new();
    for _ in 0..3 {
        match events.next().await {
            Some(Ok(Event::Message(m))) => got.push(m.data),
            Some(Ok(Event::Dropped(dropped))) => got.push(format!("dropped: {dropped:?}")),
            other => panic!("expected a message or a drop, got {other:?} after {got:?}"),
        }
    }
    assert_eq!(got, ["before", "dropped: LineTooLong", "after"]);
}

/// The first four reconnect delays of a client with `backoff` against a closed port.
async fn backoff_delays(connector: impl Connector, backoff: Backoff) -> Vec<Duration> {
    let port = closed_port().await;
    let mut events = EventSource::builder(format!("http://127.0.0.1:{port}/"))
        .reconnection_time(ms(100))
        .backoff(backoff)
        .all_events(true)
        .connect(connector)
        .unwrap();
    let mut delays = Vec::new();
    while delays.len() < 4 {
        match events.next().await {
            Some(Ok(Event::Reconnecting { delay, .. })) => delays.push(delay),
            other => panic!("expected a reconnect, got {other:?}"),
        }
    }
    delays
}

/// Clients restarted together must not reconnect together: each draws its own jitter
/// unless given a seed.
async fn backoff_jitter_differs_between_clients(connector: impl Connector + Clone) {
    let a = backoff_delays(connector.clone(), Backoff::new()).await;
    let b = backoff_delays(connector.clone(), Backoff::new()).await;
    assert_ne!(a, b, "two clients jittered in lockstep");
    // A seed of one's own (not 0) is kept: the same jitter every time, for tests.
    let a = backoff_delays(connector.clone(), Backoff::new().seed(7)).await;
    let b = backoff_delays(connector, Backoff::new().seed(7)).await;
    assert_eq!(a, b);
    assert!(a.windows(2).all(|w| w[0] < w[1]), "backing off: {a:?}");
}

/// The headers of the response that opened, with no connector of one's own: each new
/// connection's replace the last's, and they stay while the client reconnects.
async fn response_headers_of_the_open_connection(connector: impl Connector) {
    let server = Server::sequence(vec![
        Reply::sse("data: one\n\n").header("x-request-id", "abc123"),
        Reply::status(503).header("x-request-id", "refused"),
        Reply::sse("data: two\n\n")
            .header("x-request-id", "def456")
            .hang(),
    ])
    .await;
    let mut events = builder(&server)
        .all_events(true)
        .connect(connector)
        .unwrap();
    let handle = events.handle();
    let request_id = || {
        let liveness = handle.liveness();
        let headers = liveness.response_headers()?;
        Some(headers.get("x-request-id")?.to_str().ok()?.to_owned())
    };
    assert_eq!(request_id(), None, "nothing opened yet");
    assert!(matches!(events.next().await, Some(Ok(Event::Open))));
    assert_eq!(request_id().as_deref(), Some("abc123"));
    assert_eq!(next_data(&mut events).await, "one");
    match next_other(&mut events).await {
        Some(Ok(Event::Reconnecting { error: None, .. })) => {}
        other => panic!("expected a reconnect, got {other:?}"),
    }
    match next_other(&mut events).await {
        Some(Ok(Event::Reconnecting {
            error: Some(Error::Status(status)),
            ..
        })) => assert_eq!(status.headers()["x-request-id"], "refused"),
        other => panic!("expected the 503, got {other:?}"),
    }
    assert_eq!(
        request_id().as_deref(),
        Some("abc123"),
        "a refused attempt does not replace them"
    );
    assert_eq!(next_data(&mut events).await, "two");
    assert_eq!(request_id().as_deref(), Some("def456"));
}

async fn max_attempts_gives_up(connector: impl Connector) {
    let port = closed_port().await;
    let mut events = EventSource::builder(format!("http://127.0.0.1:{port}/"))
        .reconnection_time(ms(10))
        .max_attempts(3)
        .connect(connector)
        .unwrap();
    match events.next().await {
        Some(Err(Error::GaveUp { attempts, last })) => {
            assert_eq!(attempts, 3);
            assert!(matches!(*last, Error::Transport(_)), "{last:?}");
        }
        other => panic!("expected to give up, got {other:?}"),
    }
}

async fn never_policy_gives_up_on_the_first_failure(connector: impl Connector) {
    let server = Server::always(Reply::status(502)).await;
    let mut events = builder(&server)
        .reconnect(Reconnect::Never)
        .connect(connector)
        .unwrap();
    match events.next().await {
        Some(Err(error @ Error::GaveUp { .. })) => {
            assert_eq!(error.status(), Some(http::StatusCode::BAD_GATEWAY));
        }
        other => panic!("expected to give up, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

async fn https_without_tls_is_futile(connector: impl Connector) {
    // The tests build every HTTP library without TLS: such a URL can never work.
    let mut events = EventSource::new(connector, "https://127.0.0.1:9/").unwrap();
    match events.next().await {
        Some(Err(error @ Error::Transport(_))) => assert!(!error.is_retryable(), "{error}"),
        other => panic!("expected a futile transport error, got {other:?}"),
    }
    assert!(events.next().await.is_none());
}

async fn spec_timing_reconnects_after_exactly_retry_zero(connector: impl Connector + Clone) {
    // `retry: 0` and streams that deliver nothing: with spec timing every reconnect comes
    // at once; by default the client slows down (no wait under 100 ms, doubling).
    let replies = || {
        vec![
            Reply::sse("retry: 0\n\n"),
            Reply::sse(""),
            Reply::sse("data: end\n\n").hang(),
        ]
    };
    let gaps = |seen: Vec<script_server::Seen>| -> Vec<Duration> {
        seen.windows(2).map(|w| w[1].at - w[0].at).collect()
    };

    let server = Server::sequence(replies()).await;
    let mut events = EventSource::builder(server.url("/"))
        .spec_timing()
        .connect(connector.clone())
        .unwrap();
    assert_eq!(next_data(&mut events).await, "end");
    assert!(
        gaps(server.seen()).iter().all(|gap| *gap < ms(10)),
        "{:?}",
        gaps(server.seen())
    );

    let server = Server::sequence(replies()).await;
    let mut events = EventSource::new(connector, server.url("/")).unwrap();
    assert_eq!(next_data(&mut events).await, "end");
    let gaps = gaps(server.seen());
    assert!(gaps[0] >= ms(100) && gaps[1] > gaps[0], "{gaps:?}");
}

async fn an_id_no_header_can_carry_is_left_out_and_the_stream_goes_on(connector: impl Connector) {
    // C18 allows U+0001 in an id; an HTTP header value cannot hold it.
    let server = Server::sequence(vec![
        Reply::sse("id: a\u{1}b\ndata: one\n\n"),
        Reply::sse("data: two\n\n").hang(),
    ])
    .await;
    let mut events = builder(&server).connect(connector).unwrap();
    assert_eq!(next_data(&mut events).await, "one");
    assert_eq!(next_data(&mut events).await, "two");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].header("last-event-id"), None);
    assert_eq!(events.last_event_id(), "a\u{1}b", "the id itself is kept");
}

async fn redirects_are_followed(connector: impl Connector) {
    // C22: the client sees the final response; reconnecting starts from the original URL.
    let server = Server::start(|_, seen| match seen.path.as_str() {
        "/old" => Reply::status(307).header("location", "/events"),
        _ => Reply::sse("data: moved\n\n"),
    })
    .await;
    let mut events = EventSource::builder(server.url("/old"))
        .reconnection_time(ms(10))
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "moved");
    assert_eq!(next_data(&mut events).await, "moved");
    let paths: Vec<_> = server.seen().into_iter().map(|seen| seen.path).collect();
    assert_eq!(paths, ["/old", "/events", "/old", "/events"]);
}

async fn a_redirect_without_location_fails(connector: impl Connector) {
    // C24: not followed; the 3xx fails the connection (C9).
    let server = Server::always(Reply::status(307)).await;
    let mut events = builder(&server).connect(connector).unwrap();
    match events.next().await {
        Some(Err(error)) => {
            assert_eq!(error.status(), Some(http::StatusCode::TEMPORARY_REDIRECT));
        }
        other => panic!("expected the 307 to fail, got {other:?}"),
    }
    assert!(events.next().await.is_none());
    assert_eq!(server.requests(), 1);
}

async fn giving_up_on_empty_streams_says_so(connector: impl Connector) {
    let server = Server::always(Reply::sse(": nothing\n\n")).await;
    let mut events = builder(&server).max_attempts(2).connect(connector).unwrap();
    match next_other(&mut events).await {
        Some(Err(Error::GaveUp { attempts, last })) => {
            assert_eq!(attempts, 2);
            assert!(matches!(*last, Error::EmptyStream), "{last:?}");
        }
        other => panic!("expected to give up, got {other:?}"),
    }
}

async fn typed_and_mapped_headers_are_sent(connector: impl Connector) {
    let server = Server::always(Reply::sse("data: a\n\n").hang()).await;
    let mut more = http::HeaderMap::new();
    more.insert(
        http::header::ACCEPT,
        "text/event-stream;v=2".parse().unwrap(),
    );
    more.append("x-tag", "a".parse().unwrap());
    more.append("x-tag", "b".parse().unwrap());
    let mut events = builder(&server)
        .header(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_static("Bearer t0ken"),
        )
        // obs-text: a value that is not UTF-8 goes out byte for byte.
        .header(
            "x-latin-1",
            http::HeaderValue::from_bytes(b"caf\xE9").unwrap(),
        )
        .header(String::from("x-tag"), String::from("replaced by headers()"))
        .header("x-twice", "1")
        .header("x-twice", "2")
        .headers(more)
        .connect(connector)
        .unwrap();
    assert_eq!(next_data(&mut events).await, "a");
    let seen = &server.seen()[0];
    let all = |name: &str| -> Vec<&[u8]> {
        seen.headers
            .get_all(name)
            .iter()
            .map(|v| v.as_bytes())
            .collect()
    };
    assert_eq!(all("authorization"), [b"Bearer t0ken"]);
    assert_eq!(all("x-latin-1"), [b"caf\xE9"]);
    assert_eq!(
        all("accept"),
        [b"text/event-stream;v=2"],
        "the default replaced"
    );
    assert_eq!(all("cache-control"), [b"no-cache"], "the default kept");
    assert_eq!(all("x-tag"), [b"a", b"b"]);
    assert_eq!(all("x-twice"), [b"1", b"2"]);
}

async fn invalid_or_reserved_headers_fail_at_connect(connector: impl Connector + Clone) {
    let url = "http://127.0.0.1:9/";
    let builders = [
        EventSource::builder(url).header("bad name", "x"),
        EventSource::builder(url).header(&b"\xFF"[..], "x"),
        EventSource::builder(url).header("x-evil", "a\r\nhost: b"),
        EventSource::builder(url).header("Last-Event-ID", "1"),
        EventSource::builder(url)
            .header("x-ok", "1")
            .header("bad name", "x"),
    ];
    for builder in builders {
        let debug = format!("{builder:?}");
        match builder.connect(connector.clone()) {
            Err(Error::Request(_)) => {}
            Err(other) => panic!("{debug}: expected a request error, got {other:?}"),
            Ok(_) => panic!("{debug}: connected"),
        }
    }
}

fn builder(server: &Server) -> Builder {
    EventSource::builder(server.url("/")).reconnection_time(ms(10))
}

macro_rules! for_connector {
    ($module:ident, $connector:expr_2021) => {
        mod $module {
            use super::*;

            macro_rules! case {
                ($name:ident) => {
                    #[tokio::test(start_paused = true)]
                    async fn $name() {
                        bounded(super::$name($connector)).await;
                    }
                };
            }

            case!(events_in_order_with_multiline_and_unicode_data);
            case!(last_event_id_is_resent_after_a_drop);
            case!(retry_field_sets_the_reconnection_time);
            case!(no_content_ends_without_an_error);
            case!(post_stream_ending_cleanly_is_not_replayed);
            case!(on_error_policy_reconnects_after_a_cut_connection);
            case!(server_error_is_retried_after_retry_after);
            case!(too_many_requests_waits_for_an_http_date_retry_after);
            case!(not_found_is_not_retried_and_its_body_is_readable);
            case!(error_body_is_bounded);
            case!(request_hook_runs_before_every_attempt);
            case!(request_hook_can_move_to_another_url);
            case!(unauthorized_refreshes_once);
            case!(idle_timeout_fires_while_connecting);
            case!(idle_timeout_fires_while_streaming);
            case!(connect_and_first_byte_timeouts);
            case!(close_from_another_task);
            case!(reconnect_now_from_another_task);
            case!(content_type_is_checked_after_the_status);
            case!(a_wrong_content_type_keeps_the_body);
            case!(a_dropped_block_is_shown_by_default);
            case!(backoff_jitter_differs_between_clients);
            case!(response_headers_of_the_open_connection);
            case!(max_attempts_gives_up);
            case!(never_policy_gives_up_on_the_first_failure);
            case!(https_without_tls_is_futile);
            case!(spec_timing_reconnects_after_exactly_retry_zero);
            case!(an_id_no_header_can_carry_is_left_out_and_the_stream_goes_on);
            case!(redirects_are_followed);
            case!(a_redirect_without_location_fails);
            case!(giving_up_on_empty_streams_says_so);
            case!(typed_and_mapped_headers_are_sent);
            case!(a_post_is_not_replayed_by_default);
            case!(invalid_or_reserved_headers_fail_at_connect);
        }
    };
}

#[cfg(feature = "reqwest")]
for_connector!(with_reqwest_0_13, reqwest::Client::new());
#[cfg(feature = "reqwest-0_12")]
for_connector!(with_reqwest_0_12, reqwest_0_12::Client::new());
#[cfg(feature = "hyper")]
for_connector!(with_hyper_util, sse_proto_tokio::HyperConnector::new());

/// The hyper connector follows redirects as Fetch does (reqwest's own redirect policy is
/// the user's): to another origin, without the credentials or `Last-Event-ID`.
#[cfg(feature = "hyper")]
#[tokio::test(start_paused = true)]
async fn hyper_redirect_to_another_origin_drops_credentials_and_the_id() {
    bounded(async {
        let target = Server::always(Reply::sse("data: there\n\n").hang()).await;
        let moved = target.url("/there");
        let origin = Server::sequence(vec![
            Reply::sse("id: 5\ndata: here\n\n"),
            Reply::status(308).header("location", &moved),
        ])
        .await;
        let mut events = builder(&origin)
            .header("authorization", "Bearer secret")
            .header("cookie", "session=1")
            .header("x-trace", "kept")
            .connect(sse_proto_tokio::HyperConnector::new())
            .unwrap();
        assert_eq!(next_data(&mut events).await, "here");
        assert_eq!(next_data(&mut events).await, "there");
        let asked = origin.seen();
        assert_eq!(asked[1].header("last-event-id"), Some("5"));
        assert_eq!(asked[1].header("authorization"), Some("Bearer secret"));
        let followed = &target.seen()[0];
        assert_eq!(followed.path, "/there");
        assert_eq!(followed.header("authorization"), None);
        assert_eq!(followed.header("cookie"), None);
        assert_eq!(followed.header("last-event-id"), None);
        assert_eq!(followed.header("x-trace"), Some("kept"));
    })
    .await;
}

/// The client, its handle and its errors cross tasks and threads.
#[test]
fn client_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send::<EventSource>();
    send_sync::<sse_proto_tokio::Handle>();
    send_sync::<Error>();
    send_sync::<Event>();
    send_sync::<Builder>();
}
