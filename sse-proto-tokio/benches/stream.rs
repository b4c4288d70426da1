//! The async adapter against the core decoder and eventsource-stream, on the same chunks.
//!
//! * `decoder borrowed`: the core `Decoder`, items borrowed (no copy).
//! * `decoder owned`: the core `Decoder` plus one owned copy of each event (`to_owned`),
//!   the floor for any `Stream` of owned events.
//! * `decoder owned()`: the same through `Feed::owned()`, which the adapter uses.
//! * `sse()`: this crate's adapter over a stream of `Bytes` chunks.
//! * `eventsource-stream`: the incumbent, same stream of chunks.
//!
//! Streams are polled with `now_or_never` (always ready), so no runtime is measured.

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use eventsource_stream::Eventsource;
use futures_util::{stream, FutureExt, StreamExt};
use sse_proto::{Decoder, Event, Item};
use sse_proto_tokio::SseStreamExt;

/// `body` cut into `size`-byte chunks.
fn chunks(body: &[u8], size: usize) -> Vec<Bytes> {
    body.chunks(size).map(Bytes::copy_from_slice).collect()
}

/// LLM-style: many short JSON events, TCP-segment-sized chunks.
fn tokens() -> Vec<u8> {
    let mut body = Vec::new();
    for i in 0..5000 {
        body.extend_from_slice(
            format!("data: {{\"id\":\"chatcmpl-{i}\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"tok{i} \"}}}}]}}\n\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(b"data: [DONE]\n\n");
    body
}

/// Long events: 40 data lines of 100 bytes each, with ids.
fn long_events() -> Vec<u8> {
    let line = "x".repeat(100);
    let mut body = Vec::new();
    for i in 0..500 {
        body.extend_from_slice(format!("id: {i}\nevent: doc\n").as_bytes());
        for _ in 0..40 {
            body.extend_from_slice(format!("data: {line}\n").as_bytes());
        }
        body.push(b'\n');
    }
    body
}

/// The core decoder over `parts`, items borrowed: the sum of `len` over the events.
fn borrowed_data_bytes(parts: &[Bytes], len: impl Fn(Event<'_>) -> usize) -> usize {
    let mut decoder = Decoder::new();
    let mut bytes = 0usize;
    for chunk in parts {
        let mut feed = decoder.feed(chunk);
        while let Some(item) = feed.next() {
            if let Item::Event(e) = item {
                bytes += len(e);
            }
        }
    }
    bytes
}

/// The sum of the data lengths of an always-ready stream of `Result`s of events whose
/// `data` is a `String` (this crate's and eventsource-stream's), errors counting 0.
macro_rules! data_bytes {
    ($events:expr) => {
        $events
            .fold(
                0usize,
                |n, e| async move { n + e.map_or(0, |e| e.data.len()) },
            )
            .now_or_never()
    };
}

fn bench(c: &mut Criterion) {
    for (name, body, size) in [
        ("tokens-1460", tokens(), 1460),
        ("long-events-16k", long_events(), 16 * 1024),
    ] {
        let parts = chunks(&body, size);
        let mut group = c.benchmark_group(format!("stream/{name}"));
        group.throughput(Throughput::Bytes(body.len() as u64));

        group.bench_function(BenchmarkId::from_parameter("decoder borrowed"), |b| {
            b.iter(|| borrowed_data_bytes(&parts, |e| e.data().len()));
        });

        group.bench_function(BenchmarkId::from_parameter("decoder owned"), |b| {
            b.iter(|| borrowed_data_bytes(&parts, |e| e.to_owned().data.len()));
        });

        group.bench_function(BenchmarkId::from_parameter("decoder owned()"), |b| {
            b.iter(|| {
                let mut decoder = Decoder::new();
                let mut bytes = 0usize;
                for chunk in &parts {
                    for item in decoder.feed(chunk).owned() {
                        if let sse_proto::OwnedItem::Event(e) = item {
                            bytes += e.data.len();
                        }
                    }
                }
                bytes
            });
        });

        group.bench_function(BenchmarkId::from_parameter("sse()"), |b| {
            b.iter(|| {
                let body = stream::iter(parts.iter().cloned().map(Ok::<_, std::io::Error>));
                data_bytes!(body.sse())
            });
        });

        group.bench_function(BenchmarkId::from_parameter("eventsource-stream"), |b| {
            b.iter(|| {
                let body = stream::iter(parts.iter().cloned().map(Ok::<_, std::io::Error>));
                data_bytes!(body.eventsource())
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
