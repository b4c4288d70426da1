//! Encoder throughput: token-sized events, large JSON payloads (one-shot and streamed in
//! pieces), multi-line data with CRLF, into a reused `Vec` (the broadcast case) and a
//! fixed slice. `cargo bench --bench encode`; compare ratios within one run.

use std::fmt::Write as _;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sse_proto::{Encode, Message};

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("encode");
    group.sample_size(20);

    let token = r#"{"choices":[{"index":0,"delta":{"content":"tok"}}]}"#;
    let n_tokens = 10_000;
    group.throughput(Throughput::Bytes((n_tokens * (token.len() + 8)) as u64));
    let mut out = Vec::with_capacity(1 << 20);
    group.bench_function("llm-tokens/vec", |b| {
        b.iter(|| {
            out.clear();
            for _ in 0..n_tokens {
                Message::new(black_box(token))
                    .encode_to_vec(&mut out)
                    .unwrap();
            }
            out.len()
        })
    });
    let mut slice = vec![0u8; 256];
    group.bench_function("llm-tokens/slice", |b| {
        b.iter(|| {
            let mut total = 0;
            for _ in 0..n_tokens {
                total += Message::new(black_box(token))
                    .encode_to_slice(&mut slice)
                    .unwrap();
            }
            total
        })
    });

    let big: String = (0..20_000).map(|i| format!("{{\"k\":{i}}},")).collect();
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("big-json/one-shot", |b| {
        b.iter(|| {
            out.clear();
            Message::new(black_box(&big))
                .event_type("snapshot")
                .encode_to_vec(&mut out)
                .unwrap()
        })
    });
    let pieces: Vec<&str> = big
        .as_bytes()
        .chunks(100)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    group.bench_function("big-json/streamed-100-byte-pieces", |b| {
        b.iter(|| {
            let mut w = Message::new("")
                .event_type("snapshot")
                .data_writer(String::with_capacity(big.len() + 64))
                .unwrap();
            for piece in &pieces {
                w.write_str(black_box(piece)).unwrap();
            }
            w.finish().unwrap().len()
        })
    });

    let multiline =
        "first line\r\nsecond line\r\n\r\nfourth line, longer than the others\n".repeat(2000);
    group.throughput(Throughput::Bytes(multiline.len() as u64));
    group.bench_function("multiline-crlf/vec", |b| {
        b.iter(|| {
            out.clear();
            Message::new(black_box(&multiline))
                .id("42")
                .encode_to_vec(&mut out)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, encode);
criterion_main!(benches);
