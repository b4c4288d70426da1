//! Decoder throughput on realistic corpora, at socket-sized and tiny chunks.
//!
//! `cargo bench --bench decode`. Compare ratios within one run (the machine is shared).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "support/corpora.rs"]
mod corpora;
use corpora::{big_json, heartbeats, llm_tokens, multiline_crlf};

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
                |b, input| b.iter(|| corpora::decode_data_bytes(black_box(input), chunk)),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
