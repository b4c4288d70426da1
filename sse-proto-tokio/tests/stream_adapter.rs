//! The body-to-events adapter: chunking never changes the events, errors pass through,
//! every item is available, and real bodies (reqwest, hyper) decode.

mod script_server;

use std::fmt::Debug;
use std::io;

use bytes::{Buf, Bytes};
use futures_util::{stream, FutureExt, Stream, StreamExt};
use script_server::{Reply, Server};
use sse_proto::{DecoderConfig, Dropped, OwnedEvent, OwnedItem};
use sse_proto_tokio::{BodyData, Events, SseStreamExt, StreamError};

const CORPUS: &[u8] = b"\xEF\xBB\xBFretry: 250\r\n: heartbeat\r\n\r\nid: 1\nevent: add\ndata: {\"a\":1}\n\n\
data: line 1\rdata: line 2\r\rid: 2\n\ndata: caf\xC3\xA9 \xF0\x9F\x8E\x89\ndata\n\ndata:no space\n\n\
id: 3\r\ndata: last\r\n\r\ndata: cut off";

/// Decodes `chunks` with `.sse().items()`, to completion (the streams here never wait).
fn items_of(chunks: Vec<Bytes>) -> Vec<OwnedItem> {
    let body = stream::iter(chunks.into_iter().map(Ok::<_, io::Error>));
    body.sse()
        .items()
        .map(|item| item.expect("no body error"))
        .collect::<Vec<_>>()
        .now_or_never()
        .expect("an iterator stream is always ready")
}

/// Decodes a real body with `.sse().items()`, to its end; a body error fails the test.
async fn items_of_body<B: Buf, E: Debug>(body: impl Stream<Item = Result<B, E>>) -> Vec<OwnedItem> {
    body.sse().items().map(Result::unwrap).collect().await
}

fn split_at(input: &[u8], cuts: &[usize]) -> Vec<Bytes> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        chunks.push(Bytes::copy_from_slice(&input[start..cut]));
        start = cut;
    }
    chunks.push(Bytes::copy_from_slice(&input[start..]));
    chunks
}

#[test]
fn the_corpus_decodes_to_every_item() {
    let items = items_of(vec![Bytes::from_static(CORPUS)]);
    let event = |event_type: &str, data: &str, id: &str, has_id: bool| {
        OwnedItem::Event(OwnedEvent {
            event_type: event_type.into(),
            data: data.into(),
            last_event_id: id.into(),
            has_id,
        })
    };
    assert_eq!(
        items,
        [
            OwnedItem::Retry(250),
            OwnedItem::Comment("heartbeat".into()),
            event("add", "{\"a\":1}", "1", true),
            event("message", "line 1\nline 2", "1", false),
            OwnedItem::LastEventId("2".into()),
            event("message", "café 🎉\n", "2", false),
            event("message", "no space", "2", false),
            event("message", "last", "3", true),
            OwnedItem::Truncated,
        ]
    );
}

#[test]
fn every_two_and_three_way_split_gives_the_same_items() {
    let whole = items_of(vec![Bytes::from_static(CORPUS)]);
    for i in 0..=CORPUS.len() {
        assert_eq!(items_of(split_at(CORPUS, &[i])), whole, "split at {i}");
    }
    for i in (0..=CORPUS.len()).step_by(7) {
        for j in i..=CORPUS.len() {
            assert_eq!(
                items_of(split_at(CORPUS, &[i, j])),
                whole,
                "split at {i}, {j}"
            );
        }
    }
    let bytes: Vec<Bytes> = CORPUS
        .iter()
        .map(|b| Bytes::copy_from_slice(&[*b]))
        .collect();
    assert_eq!(items_of(bytes), whole, "byte by byte");
}

#[test]
fn a_chunk_made_of_several_slices_is_decoded_whole() {
    // `Buf::chunk` gives one slice at a time: a chained buffer has two.
    let (a, b) = CORPUS.split_at(40);
    let chained = Buf::chain(a, b);
    let body = stream::iter([Ok::<_, io::Error>(chained)]);
    let items: Vec<_> = body
        .sse()
        .items()
        .map(Result::unwrap)
        .collect::<Vec<_>>()
        .now_or_never()
        .unwrap();
    assert_eq!(items, items_of(vec![Bytes::from_static(CORPUS)]));
}

/// `.sse()` (events only) over `chunks` given as plain slices, not `Bytes`: the rest of a
/// chunk is then copied once into `Bytes` when an event leaves some of it undecoded.
fn events_of(chunks: &[&'static [u8]]) -> Vec<Result<OwnedEvent, String>> {
    let body = stream::iter(chunks.iter().copied().map(Ok::<_, io::Error>));
    body.sse()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect::<Vec<_>>()
        .now_or_never()
        .expect("an iterator stream is always ready")
}

#[test]
fn events_are_the_same_at_every_split_of_slices() {
    let whole = events_of(&[CORPUS]);
    assert_eq!(whole.len(), 6, "{whole:?}");
    for i in 0..=CORPUS.len() {
        let (a, b) = CORPUS.split_at(i);
        assert_eq!(events_of(&[a, b]), whole, "split at {i}");
    }
    let bytes: Vec<&'static [u8]> = CORPUS.chunks(1).collect();
    assert_eq!(events_of(&bytes), whole, "byte by byte");
}

#[test]
fn a_large_chunk_is_decoded_as_its_items_are_asked_for() {
    // 1 MiB of the smallest item there is (`:` and LF): decoded all at once, a queue
    // would hold 524,288 owned comments before the first one is taken.
    let tiny = b":\n".repeat(1 << 19);
    let mut tail = tiny.clone();
    tail.extend_from_slice(b"data: end\n\n");
    for chunk in [
        Box::new(Bytes::from(tail.clone())) as Box<dyn Buf + Send>,
        Box::new(Buf::chain(&tiny[..], &b"data: end\n\n"[..])),
    ] {
        let body = stream::iter([Ok::<_, io::Error>(chunk)]);
        let mut items = body.sse().items();
        let mut count = 0usize;
        let mut most_queued = 0;
        while let Some(item) = items.next().now_or_never().expect("always ready") {
            most_queued = most_queued.max(items.size_hint().0);
            match item.expect("no body error") {
                OwnedItem::Comment(text) => assert_eq!(text, ""),
                OwnedItem::Event(e) => assert_eq!(e.data, "end"),
                other => panic!("unexpected {other:?}"),
            }
            count += 1;
        }
        assert_eq!(count, (1 << 19) + 1, "every item comes out");
        // One item per poll, straight from the chunk: nothing waits in a queue.
        assert_eq!(most_queued, 0, "{most_queued} items queued at once");
    }
}

#[test]
fn events_skip_other_items_and_report_loss() {
    let body = stream::iter([Ok::<_, io::Error>(Bytes::from_static(CORPUS))]);
    let got: Vec<_> = body.sse().collect::<Vec<_>>().now_or_never().unwrap();
    let data: Vec<String> = got
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|e| e.data.clone()))
        .collect();
    assert_eq!(
        data,
        [
            "{\"a\":1}",
            "line 1\nline 2",
            "café 🎉\n",
            "no space",
            "last"
        ]
    );
    assert!(matches!(got.last(), Some(Err(StreamError::Truncated))));
}

#[test]
fn body_errors_pass_through_and_decoding_goes_on() {
    let body = stream::iter([
        Ok(Bytes::from_static(b"data: a\n\ndata: b")),
        Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset")),
        Ok(Bytes::from_static(b"c\n\n")),
    ]);
    let mut events = body.sse();
    let mut next = || events.next().now_or_never().unwrap();
    assert_eq!(next().unwrap().unwrap().data, "a");
    match next() {
        Some(Err(StreamError::Body(error))) => {
            assert_eq!(error.kind(), io::ErrorKind::ConnectionReset)
        }
        other => panic!("expected the body error, got {other:?}"),
    }
    assert_eq!(next().unwrap().unwrap().data, "bc");
    assert!(next().is_none());
}

#[test]
fn limits_drop_blocks_and_decoding_resumes() {
    let body = stream::iter([Ok::<_, io::Error>(Bytes::from_static(
        b"data: 0123456789abcdef\n\ndata: ok\n\n",
    ))]);
    let got: Vec<_> = body
        .sse_with(DecoderConfig::default().max_line_len(10))
        .collect::<Vec<_>>()
        .now_or_never()
        .unwrap();
    assert!(matches!(
        got[0],
        Err(StreamError::Dropped(Dropped::LineTooLong))
    ));
    assert_eq!(got[1].as_ref().unwrap().data, "ok");
    assert_eq!(got.len(), 2);
}

#[test]
fn last_event_id_seeds_and_is_readable() {
    let body = stream::iter([Ok::<_, io::Error>(Bytes::from_static(
        b"data: a\n\nid: 8\ndata: b\n\ndata: c\n\n",
    ))]);
    let mut events = Events::new(body).with_last_event_id("7").unwrap();
    let ids: Vec<String> = (0..3)
        .map(|_| {
            events
                .next()
                .now_or_never()
                .unwrap()
                .unwrap()
                .unwrap()
                .last_event_id
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["7", "8", "8"]);
    assert_eq!(events.last_event_id(), "8");
}

#[tokio::test]
async fn reqwest_bytes_stream_and_hyper_body_decode_alike() {
    let server = Server::always(
        Reply::status(200)
            .header("content-type", "text/event-stream")
            .send(&CORPUS[..13])
            .sleep(5)
            .send(&CORPUS[13..77])
            .sleep(5)
            .send(&CORPUS[77..]),
    )
    .await;
    let expected = items_of(vec![Bytes::from_static(CORPUS)]);

    #[cfg(feature = "reqwest")]
    {
        let response = reqwest::get(server.url("/")).await.unwrap();
        assert_eq!(items_of_body(response.bytes_stream()).await, expected);
    }
    #[cfg(feature = "reqwest-0_12")]
    {
        let response = reqwest_0_12::get(server.url("/")).await.unwrap();
        assert_eq!(items_of_body(response.bytes_stream()).await, expected);
    }

    // hyper: a raw HTTP/1.1 connection, its `Incoming` body through `BodyData`.
    let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    let request = http::Request::get("/")
        .header("host", server.addr.to_string())
        .body(http_body_util::Empty::<Bytes>::new())
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(
        items_of_body(BodyData::new(response.into_body())).await,
        expected
    );
}

/// `.next()` on the adapters needs no `StreamExt` import (this module has none), as on
/// `EventSource`; it takes what the `Stream` would, in order, then `None`.
mod inherent_next {
    use std::io;

    use futures_util::stream;
    use sse_proto::OwnedItem;
    use sse_proto_tokio::{BodyData, SseStreamExt, StreamError};

    #[tokio::test]
    async fn events_and_items_have_next_without_an_import() {
        let chunks = [&b"data: a\n\n: hi\nid: 7\n\n"[..], b"data: b\n\ndata: cut"];
        let mut events = stream::iter(chunks.map(Ok::<_, io::Error>)).sse();
        assert_eq!(events.next().await.unwrap().unwrap().data, "a");
        let b = events.next().await.unwrap().unwrap();
        assert_eq!((b.data.as_str(), &*b.last_event_id), ("b", "7"));
        assert!(matches!(
            events.next().await,
            Some(Err(StreamError::Truncated))
        ));
        assert!(events.next().await.is_none());
        assert!(events.next().await.is_none()); // and stays ended

        let mut items = stream::iter(chunks.map(Ok::<_, io::Error>)).sse().items();
        let mut seen = Vec::new();
        for _ in 0..10 {
            match items.next().await {
                Some(item) => seen.push(item.unwrap()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 5, "{seen:?}");
        assert_eq!(seen[1], OwnedItem::Comment("hi".into()));
        assert_eq!(seen[4], OwnedItem::Truncated);
    }

    #[tokio::test]
    async fn a_hyper_body_needs_no_import_either() {
        let body = http_body_util::Full::new(bytes::Bytes::from_static(b"data: hi\n\n"));
        let mut events = BodyData::new(body).sse();
        assert_eq!(events.next().await.unwrap().unwrap().data, "hi");
        assert!(events.next().await.is_none());
    }
}
