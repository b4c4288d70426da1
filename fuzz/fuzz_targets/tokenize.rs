//! `tokenize`: the allocation-free layer alone. Any chunking, with the caller keeping the
//! tail in a bounded buffer as the contract says, gives the same lines as one pass; lines
//! that do not fit the buffer are skipped with `skip_line`, identically in both runs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_proto::line::{Line, Status, Tokenizer};

#[path = "common.rs"]
mod common;

#[derive(Debug, PartialEq)]
enum Seen {
    Line(String),
    Skipped,
}

/// Runs the tokenizer with a buffer of at most `cap` bytes, the way a `no_std` caller with
/// a fixed array would.
fn run(chunks: &[&[u8]], cap: usize) -> Vec<Seen> {
    let mut tok = Tokenizer::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut skipping = false;
    let mut out = Vec::new();
    for chunk in chunks {
        for &byte in chunk.iter() {
            // Feed byte by byte into the bounded buffer, consuming what completes.
            buf.push(byte);
            loop {
                if skipping {
                    match tok.skip_line(&buf) {
                        Some(n) => {
                            buf.drain(..n);
                            skipping = false;
                            out.push(Seen::Skipped);
                        }
                        None => {
                            buf.clear();
                            break;
                        }
                    }
                    continue;
                }
                match tok.next_line(&buf) {
                    Status::Complete((n, line)) => {
                        assert!(n <= buf.len());
                        out.push(Seen::Line(format!("{line:?}")));
                        buf.drain(..n);
                    }
                    Status::Partial => {
                        if buf.len() >= cap {
                            skipping = true;
                            continue;
                        }
                        break;
                    }
                }
            }
        }
    }
    let _ = tok.finish(&buf);
    out
}

/// Lines of the whole stream, consumed in one pass over one buffer, no capacity limit.
fn one_pass(stream: &[u8]) -> Vec<String> {
    let mut tok = Tokenizer::new();
    let mut out = Vec::new();
    let mut start = 0;
    while let Status::Complete((n, line)) = tok.next_line(&stream[start..]) {
        assert!(n > 0 && start + n <= stream.len());
        out.push(format!("{line:?}"));
        start += n;
    }
    // Whatever is left holds no complete line.
    let _ = Line::parse(&stream[start..]);
    out
}

fuzz_target!(|data: &[u8]| {
    let case = common::case(data);
    let chunks = common::chunks(case.stream, case.chunk_seed);
    // With a buffer large enough for the whole stream, nothing is skipped.
    let roomy = run(&chunks, case.stream.len() + 4);
    let expected: Vec<Seen> = one_pass(case.stream).into_iter().map(Seen::Line).collect();
    assert_eq!(roomy, expected);
    // With a small buffer the result must not depend on the chunking either.
    let cap = case.max_line_len.min(64) + 3;
    assert_eq!(run(&chunks, cap), run(&[case.stream], cap));
});
