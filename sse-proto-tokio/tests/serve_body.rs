//! The response body on tokio's paused clock: keep-alive timing, shutdown, errors, the
//! channel's send timeout and disconnect signal. No network: the body is polled directly.

use std::time::Duration;

use bytes::Bytes;
use futures_util::FutureExt;
use http_body_util::BodyExt;
use sse_proto::encode::IdError;
use sse_proto::{Decoder, EncodeError, Message, OwnedItem};
use sse_proto_tokio::serve::{channel, Encoded, SendError, ServeError, Shutdown, Sse};

const SECOND: Duration = Duration::from_secs(1);

/// The next frame's bytes, waiting for it (the paused clock jumps to the next timer).
async fn next<B>(body: &mut B) -> Option<Bytes>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Debug,
{
    body.frame().await.map(|f| f.unwrap().into_data().unwrap())
}

#[tokio::test(start_paused = true)]
async fn keep_alive_comes_after_the_quiet_interval_and_not_while_events_flow() {
    let (sender, receiver) = channel(16);
    let mut body = Sse::new(receiver).keep_alive(10 * SECOND);
    let start = tokio::time::Instant::now();
    // Quiet: the first keep-alive at exactly 10 s, then every 10 s.
    assert_eq!(next(&mut body).await.unwrap(), ":\n\n");
    assert_eq!(start.elapsed(), 10 * SECOND);
    assert_eq!(next(&mut body).await.unwrap(), ":\n\n");
    assert_eq!(start.elapsed(), 20 * SECOND);
    // Events every 4 s for 40 s: each restarts the interval, so no keep-alive at all.
    let producer = tokio::spawn(async move {
        for n in 0..10 {
            tokio::time::sleep(4 * SECOND).await;
            sender.send(&Message::new(n.to_string())).await.unwrap();
        }
        sender // keep the stream open
    });
    for n in 0..10 {
        assert_eq!(next(&mut body).await.unwrap(), format!("data: {n}\n\n"));
    }
    let _sender = producer.await.unwrap();
    // Quiet again: the keep-alive comes 10 s after the last event (at 60 s), not before.
    assert_eq!(start.elapsed(), 60 * SECOND);
    assert_eq!(next(&mut body).await.unwrap(), ":\n\n");
    assert_eq!(start.elapsed(), 70 * SECOND);
}

/// A heartbeat that browser JavaScript can see: an event in place of the comment, on the
/// same timer (and the same rule: every frame restarts the interval).
#[tokio::test(start_paused = true)]
async fn the_keep_alive_block_can_be_an_event() {
    let (sender, receiver) = channel(16);
    let ping = Encoded::new(&Message::new("").event_type("ping")).unwrap();
    let mut body = Sse::new(receiver)
        .keep_alive(5 * SECOND)
        .keep_alive_block(ping);
    let start = tokio::time::Instant::now();
    assert_eq!(next(&mut body).await.unwrap(), "event: ping\ndata:\n\n");
    assert_eq!(start.elapsed(), 5 * SECOND);
    tokio::time::sleep(3 * SECOND).await;
    sender.send(&Message::new("x")).await.unwrap();
    assert_eq!(next(&mut body).await.unwrap(), "data: x\n\n");
    assert_eq!(next(&mut body).await.unwrap(), "event: ping\ndata:\n\n");
    assert_eq!(start.elapsed(), 13 * SECOND); // 5 s after the event
                                              // Turning keep-alive off turns the heartbeat off too, whatever its block.
    let (_sender, receiver) = channel(1);
    let ping = Encoded::new(&Message::new("").event_type("ping")).unwrap();
    let mut quiet = Sse::new(receiver).keep_alive_block(ping).no_keep_alive();
    let an_hour = tokio::time::timeout(3600 * SECOND, next(&mut quiet)).await;
    assert!(an_hour.is_err());
}

/// `Encoded::with_data`: the same bytes as encoding the whole data at once, however it is
/// written; on any error, no block.
#[tokio::test]
async fn a_block_with_streamed_data_is_the_one_shot_encoding_or_nothing() {
    use std::io;
    let message = Message::new("a").event_type("t").id("1");
    let streamed = Encoded::with_data(&message, |data| {
        data.write_all(b"b\r")?;
        data.write_all(b"\nc\xC3")?; // a CRLF split across writes, and a split character
        data.write_all(b"\xA9")
    })
    .unwrap();
    let whole = Encoded::new(&Message::new("ab\r\nc\u{e9}").event_type("t").id("1")).unwrap();
    assert_eq!(streamed, whole);
    // It is a block like any other: sent, then decoded to the same text.
    let (sender, receiver) = channel(1);
    let body = Sse::new(receiver);
    sender.send_encoded(streamed).await.unwrap();
    drop(sender);
    let bytes = body.collect().await.unwrap().to_bytes();
    let mut decoder = Decoder::new();
    let items: Vec<OwnedItem> = decoder.feed(&bytes).owned().collect();
    assert!(
        matches!(&items[..], [OwnedItem::Event(e)] if e.data == "ab\nc\u{e9}"),
        "{items:?}"
    );
    // Errors: the message's own, the writer's, bytes that are not UTF-8, or cut off.
    let bad_id = Message::new("").id("a\nb");
    let error = Encoded::with_data(&bad_id, |_| Ok(())).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    let error = Encoded::with_data(&Message::new(""), |data| {
        data.write_all(b"partial")?;
        Err(io::Error::other("serialiser failed"))
    })
    .unwrap_err();
    assert_eq!(error.to_string(), "serialiser failed");
    let latin1 = Encoded::with_data(&Message::new(""), |data| {
        let _ = data.write_all(b"caf\xE9 ");
        Ok(()) // the error ignored: the block is still refused
    });
    assert_eq!(latin1.unwrap_err().kind(), io::ErrorKind::InvalidData);
    let cut = Encoded::with_data(&Message::new(""), |data| data.write_all(b"caf\xC3"));
    assert_eq!(cut.unwrap_err().kind(), io::ErrorKind::InvalidData);
}

#[tokio::test(start_paused = true)]
async fn keep_alive_is_on_by_default_at_15_seconds() {
    let (_sender, receiver) = channel(1);
    let mut body = Sse::new(receiver);
    let start = tokio::time::Instant::now();
    assert_eq!(next(&mut body).await.unwrap(), ":\n\n");
    assert_eq!(start.elapsed(), 15 * SECOND);
}

#[tokio::test(start_paused = true)]
async fn shutdown_sends_the_closing_event_then_ends_every_body() {
    let shutdown = Shutdown::new();
    let mut bodies = Vec::new();
    let mut senders = Vec::new();
    for _ in 0..3 {
        let (sender, receiver) = channel(4);
        bodies.push(Sse::new(receiver).shutdown(&shutdown));
        senders.push(sender); // producers still alive: only the shutdown can end the bodies
    }
    senders[0].send(&Message::new("before")).await.unwrap();
    assert_eq!(next(&mut bodies[0]).await.unwrap(), "data: before\n\n");
    let trigger = shutdown.clone();
    tokio::spawn(async move {
        tokio::time::sleep(SECOND).await;
        trigger.trigger();
    });
    for body in &mut bodies {
        // A comment: clients see the end of the stream, and no event.
        assert_eq!(next(body).await.unwrap(), ": shutdown\n\n");
        assert_eq!(next(body).await, None);
    }
    for sender in &senders {
        sender
            .closed()
            .now_or_never()
            .expect("the producer sees the end");
    }
    // A body created after the trigger ends at once.
    let (_sender, receiver) = channel(1);
    let mut late = Sse::new(receiver).shutdown(&shutdown).no_keep_alive();
    assert_eq!(next(&mut late).await.unwrap(), ": shutdown\n\n");
    assert_eq!(next(&mut late).await, None);
}

/// What a client decodes from a body's closing block: the default dispatches no event
/// (every non-browser client would deliver `event: shutdown` as a message); a closing
/// event is an opt-in.
#[tokio::test]
async fn the_default_closing_block_dispatches_nothing_and_an_event_is_opt_in() {
    async fn closing_items(body: Sse<sse_proto_tokio::serve::Receiver>) -> Vec<OwnedItem> {
        let bytes = body.collect().await.unwrap().to_bytes();
        let mut decoder = Decoder::new();
        let mut items: Vec<OwnedItem> = decoder.feed(&bytes).owned().collect();
        items.extend(decoder.finish().owned());
        items
    }
    let shutdown = Shutdown::new();
    shutdown.trigger();
    let (_sender, receiver) = channel(1);
    let default = Sse::new(receiver).shutdown(&shutdown);
    assert_eq!(
        closing_items(default).await,
        [OwnedItem::Comment("shutdown".into())]
    );
    let (_sender, receiver) = channel(1);
    let event = Encoded::new(&Message::new("").event_type("shutdown")).unwrap();
    let opted_in = Sse::new(receiver).shutdown(&shutdown).closing(event);
    let items = closing_items(opted_in).await;
    assert!(
        matches!(&items[..], [OwnedItem::Event(e)] if e.event_type == "shutdown" && e.data.is_empty()),
        "{items:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn send_times_out_on_a_client_that_stops_reading_and_the_stream_is_closed() {
    let (sender, receiver) = channel(2);
    let sender = sender.with_send_timeout(3 * SECOND);
    let mut body = Sse::new(receiver).no_keep_alive(); // never polled until the end
    sender.send(&Message::new("1")).await.unwrap();
    sender.send(&Message::new("2")).await.unwrap();
    let start = tokio::time::Instant::now();
    assert_eq!(
        sender.send(&Message::new("3")).await,
        Err(SendError::Timeout)
    );
    assert_eq!(start.elapsed(), 3 * SECOND);
    assert!(sender.is_closed());
    assert_eq!(
        sender.send(&Message::new("4")).await,
        Err(SendError::Closed)
    );
    // The given-up stream ends at once, its queue dropped.
    assert_eq!(next(&mut body).await, None);
}

#[tokio::test(start_paused = true)]
async fn a_frozen_client_does_not_stall_another_producer() {
    let (frozen_tx, _frozen_rx) = channel(1);
    let (live_tx, live_rx) = channel(1);
    let frozen_tx = frozen_tx.with_send_timeout(2 * SECOND);
    let frozen = tokio::spawn(async move {
        let mut sent = 0;
        while frozen_tx.send(&Message::new("x")).await.is_ok() {
            sent += 1;
        }
        sent
    });
    let live = tokio::spawn(async move {
        for n in 0..50 {
            live_tx.send(&Message::new(n.to_string())).await.unwrap();
        }
    });
    let mut body = Sse::new(live_rx);
    for n in 0..50 {
        assert_eq!(next(&mut body).await.unwrap(), format!("data: {n}\n\n"));
    }
    live.await.unwrap();
    assert_eq!(frozen.await.unwrap(), 1, "one queued, the next timed out");
}

#[tokio::test]
async fn dropping_the_body_is_the_disconnect_signal() {
    let (sender, receiver) = channel(4);
    let mut body = Sse::new(receiver);
    let disconnected = body.disconnected();
    assert!(!sender.is_closed());
    drop(body); // what hyper does when the client goes or a write fails
    sender.closed().await;
    disconnected.await;
    assert_eq!(
        sender.send(&Message::new("x")).await,
        Err(SendError::Closed)
    );
}

#[tokio::test]
async fn an_item_the_writer_refuses_ends_the_body_with_a_typed_error() {
    let items = [
        Message::new("ok"),
        Message::new("x").id("a\nb"),
        Message::new("never"),
    ];
    let mut body = Sse::new(futures_util::stream::iter(items));
    assert_eq!(next(&mut body).await.unwrap(), "data: ok\n\n");
    let error = body.frame().await.unwrap().unwrap_err();
    assert_eq!(
        error,
        ServeError::Encode(EncodeError::Id(IdError::LineBreak))
    );
    assert!(body.frame().await.is_none());
}

#[tokio::test]
async fn send_reports_a_refused_event_and_the_stream_goes_on() {
    let (sender, receiver) = channel(4);
    let bad = Message::new("x").event_type("a\rb");
    assert_eq!(
        sender.send(&bad).await,
        Err(SendError::Encode(EncodeError::EventType))
    );
    sender.send(&Message::new("")).await.unwrap(); // empty data still dispatches
    drop(sender);
    let bytes = Sse::new(receiver).collect().await.unwrap().to_bytes();
    assert_eq!(bytes, "data:\n\n");
}

#[tokio::test]
async fn retry_comes_first_and_encoded_blocks_are_sent_as_they_are() {
    let event = Encoded::new(&Message::new("shared").event_type("t")).unwrap();
    let stream = futures_util::stream::iter([event.clone(), event]);
    let body = Sse::new(stream).retry(Duration::from_millis(1500));
    let bytes = body.collect().await.unwrap().to_bytes();
    assert_eq!(
        bytes,
        "retry: 1500\n\nevent: t\ndata: shared\n\nevent: t\ndata: shared\n\n"
    );
}

/// What a server may require of a body, whatever its stream: `Send` and `Sync` (some
/// frameworks and `Arc`-shared state ask for `Sync`), `Unpin`, `'static`, `Debug`.
#[test]
fn the_body_is_send_sync_unpin_and_debug() {
    use sse_proto_tokio::hub::Subscription;
    use sse_proto_tokio::serve::Receiver;
    fn server_ready<T: Send + Sync + Unpin + std::fmt::Debug + 'static>(_: &T) {}
    let (_sender, receiver) = channel(4);
    let body: Sse<Receiver> = Sse::new(receiver).shutdown(&Shutdown::new());
    server_ready(&body);
    let hub = sse_proto_tokio::hub::Hub::default();
    let body: Sse<Subscription> = Sse::new(hub.subscribe("t", None)).shutdown(&Shutdown::new());
    server_ready(&body);
}

#[tokio::test]
async fn debug_shows_the_settings_and_whether_the_body_ended() {
    let (sender, receiver) = channel(4);
    let mut body = Sse::new(receiver)
        .keep_alive(5 * SECOND)
        .retry(Duration::from_millis(500))
        .shutdown(&Shutdown::new());
    assert_eq!(
        format!("{body:?}"),
        "Sse { keep_alive: Some(5s), keep_alive_block: Encoded(b\":\\n\\n\"), \
         retry: Some(Encoded(b\"retry: 500\\n\\n\")), \
         shutdown: true, closing: Some(Encoded(b\": shutdown\\n\\n\")), \
         ended: false, .. }"
    );
    drop(sender);
    while body.frame().await.is_some() {}
    assert!(format!("{body:?}").contains("retry: None"));
    assert!(format!("{body:?}").ends_with("ended: true, .. }"));
}

#[tokio::test]
async fn every_disconnected_future_resolves_when_the_body_ends() {
    let (sender, receiver) = channel(4);
    let mut body = Sse::new(receiver);
    let first = body.disconnected();
    let second = body.disconnected();
    drop(sender); // the stream ends, so the body ends
    assert!(body.frame().await.is_none());
    first.await;
    second.await;
}

#[tokio::test(start_paused = true)]
async fn a_write_that_makes_no_progress_for_the_timeout_fails() {
    use sse_proto_tokio::serve::WriteTimeout;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let (server, mut client) = tokio::io::duplex(8); // room for 8 bytes
    let mut server = WriteTimeout::new(server, 5 * SECOND);
    let start = tokio::time::Instant::now();
    // A reader that keeps up: no timeout however long it takes in total.
    let reading = tokio::spawn(async move {
        let mut got = [0u8; 64];
        for chunk in got.chunks_mut(8) {
            tokio::time::sleep(4 * SECOND).await; // each stall is shorter than the timeout
            client.read_exact(chunk).await.unwrap();
        }
        client // then stops reading
    });
    server.write_all(&[b'x'; 64]).await.unwrap();
    let _client = reading.await.unwrap();
    assert!(start.elapsed() >= 28 * SECOND);
    // Now nobody reads: the write fails after exactly the timeout.
    let stalled = tokio::time::Instant::now();
    server.write_all(&[b'y'; 8]).await.unwrap(); // fits in the buffer
    let error = server.write_all(b"z").await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    assert_eq!(stalled.elapsed(), 5 * SECOND);
}

/// An absurdly long keep-alive interval or write timeout waits (for ever, in practice)
/// rather than panicking on an `Instant` overflow.
#[tokio::test(start_paused = true)]
async fn the_longest_keep_alive_and_write_timeout_wait_and_do_not_panic() {
    use sse_proto_tokio::serve::WriteTimeout;
    use tokio::io::AsyncWriteExt;

    let (_sender, receiver) = channel(4);
    let mut body = Sse::new(receiver).keep_alive(Duration::MAX);
    let quiet = tokio::time::timeout(3600 * SECOND, body.frame()).await;
    assert!(quiet.is_err(), "nothing within an hour");

    let (server, _client) = tokio::io::duplex(8);
    let mut server = WriteTimeout::new(server, Duration::MAX);
    let stalled = tokio::time::timeout(3600 * SECOND, server.write_all(&[b'x'; 64])).await;
    assert!(stalled.is_err(), "still waiting after an hour");
}
