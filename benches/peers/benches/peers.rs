//! sse-proto against eventsource-stream (the parser under reqwest-eventsource) on the same
//! corpora and chunkings, in one run: read the ratios, not the absolute numbers.

use std::convert::Infallible;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use eventsource_stream::Eventsource;
use futures::executor::block_on;
use futures::stream::{self, StreamExt};

#[path = "../../support/corpora.rs"]
mod corpora;
use corpora::{big_json, llm_tokens, multiline_crlf};

fn eventsource_stream(input: &[u8], chunk: usize) -> usize {
    let chunks = stream::iter(input.chunks(chunk).map(Ok::<_, Infallible>));
    block_on(chunks.eventsource().fold(0, |n, e| async move {
        n + e.map(|e| e.data.len()).unwrap_or(0)
    }))
}

fn compare(c: &mut Criterion) {
    let corpora = [
        ("llm-tokens", llm_tokens()),
        ("big-json", big_json()),
        ("multiline-crlf", multiline_crlf()),
    ];
    for (name, input) in &corpora {
        for chunk in [16 * 1024, 64] {
            assert_eq!(
                corpora::decode_data_bytes(input, chunk),
                eventsource_stream(input, chunk),
                "{name}: both see the same data"
            );
        }
    }
    let mut group = c.benchmark_group("peers");
    group.sample_size(10);
    for (name, input) in &corpora {
        group.throughput(Throughput::Bytes(input.len() as u64));
        for chunk in [16 * 1024, 64] {
            let id = format!("{name}/chunk-{chunk}");
            group.bench_with_input(BenchmarkId::new("sse-proto", &id), input, |b, i| {
                b.iter(|| corpora::decode_data_bytes(black_box(i), chunk))
            });
            group.bench_with_input(
                BenchmarkId::new("eventsource-stream", &id),
                input,
                |b, i| b.iter(|| eventsource_stream(black_box(i), chunk)),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
