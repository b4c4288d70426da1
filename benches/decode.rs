//! Decoder throughput on realistic corpora, at socket-sized and tiny chunks.
//!
//! `cargo bench --bench decode`. Compare ratios within one run (the machine is shared).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sse_proto::{Decoder, Item};

/// About 1 MiB of LLM-style token events (the common case: many small single-line events).
fn llm_tokens() -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0u32;
    while out.len() < 1 << 20 {
        out.extend_from_slice(
            format!(
                "data: {{\"id\":\"chatcmpl-{i}\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"tok{i}\"}}}}]}}\n\n"
            )
            .as_bytes(),
        );
        i += 1;
    }
    out
}

/// 16 events of one 64 KiB JSON line each.
fn big_json() -> Vec<u8> {
    let payload: String = (0..10_000)
        .map(|i| format!("{{\"k\":{i}}},"))
        .collect::<String>();
    let line = format!("event: snapshot\ndata: [{}]\n\n", &payload[..64 * 1024]);
    line.repeat(16).into_bytes()
}

/// Multi-line events with CRLF endings, ids and types.
fn multiline_crlf() -> Vec<u8> {
    let block = "event: log\r\nid: 12345\r\ndata: first line of the entry\r\ndata: second line, a bit longer than the first\r\ndata: third\r\n\r\n";
    block.repeat((1 << 20) / block.len()).into_bytes()
}

/// Keep-alive comments and retry-only blocks between a few events.
fn heartbeats() -> Vec<u8> {
    let block = ": keep-alive\n\n: keep-alive\n\nretry: 3000\n\ndata: tick\n\n";
    block.repeat((1 << 20) / block.len()).into_bytes()
}

fn decode_all(input: &[u8], chunk: usize) -> usize {
    let mut decoder = Decoder::new();
    let mut n = 0usize;
    for piece in input.chunks(chunk) {
        let mut feed = decoder.feed(piece);
        while let Some(item) = feed.next() {
            if let Item::Event(e) = item {
                n += e.data().len();
            }
        }
    }
    decoder.finish().for_each(|_| {});
    n
}

fn decode(c: &mut Criterion) {
    let corpora = [
        ("llm-tokens", llm_tokens()),
        ("big-json", big_json()),
        ("multiline-crlf", multiline_crlf()),
        ("heartbeats", heartbeats()),
    ];
    let mut group = c.benchmark_group("decode");
    group.sample_size(20);
    for (name, input) in &corpora {
        group.throughput(Throughput::Bytes(input.len() as u64));
        for chunk in [16 * 1024, 64] {
            group.bench_with_input(
                BenchmarkId::new(*name, format!("chunk-{chunk}")),
                input,
                |b, input| b.iter(|| decode_all(black_box(input), chunk)),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
