//! Input layout shared by the parser targets, kept byte-oriented so seeds made from
//! `spec-vectors/` (see `fuzz/make_corpus.py`) are meaningful to the fuzzer:
//!
//! byte 0: limits selector; byte 1: chunking seed; rest: the stream.
#![allow(dead_code)]

/// The stream and how to cut it.
pub struct Case<'a> {
    pub max_line_len: usize,
    pub max_event_len: usize,
    pub unknown_fields: bool,
    pub chunk_seed: u8,
    pub stream: &'a [u8],
}

pub fn case(data: &[u8]) -> Case<'_> {
    let (head, stream) = match data {
        [a, b, rest @ ..] => ((*a, *b), rest),
        _ => ((0, 0), data),
    };
    let (limits, chunk_seed) = head;
    // Small limits half the time, so drops and resynchronisation get exercised.
    let small = limits & 1 == 1;
    Case {
        max_line_len: if small { usize::from(limits >> 3) + 1 } else { 1 << 20 },
        max_event_len: if small { usize::from(limits >> 2) * 2 + 1 } else { 4 << 20 },
        unknown_fields: limits & 2 == 2,
        chunk_seed,
        stream,
    }
}

/// Deterministic, varied chunk lengths from a seed: 1..=64 bytes, xorshift-driven.
pub fn chunks<'a>(stream: &'a [u8], seed: u8) -> Vec<&'a [u8]> {
    let mut state = u32::from(seed) | 0x9E37_0000;
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let len = (state % 64) as usize + 1;
        let (a, b) = rest.split_at(len.min(rest.len()));
        out.push(a);
        rest = b;
    }
    out
}
