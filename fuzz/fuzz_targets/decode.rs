//! `decode`: arbitrary bytes in arbitrary chunks never panic, give the same items as
//! one-shot decoding, and keep the decoder's memory within bounds set by its limits;
//! `Feed::next_event` gives the same events and final state, and so does reading one item
//! per feed with `Feed::pause`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_proto::{Decoder, DecoderConfig, Feed, Item, OwnedItem};

#[path = "common.rs"]
mod common;

/// The next item of `feed`: any (`Feed::next`), or with `events`, the next event
/// (`Feed::next_event`).
fn take<'f>(feed: &'f mut Feed<'_, '_>, events: bool) -> Option<Item<'f>> {
    if events { feed.next_event().map(Item::Event) } else { feed.next() }
}

/// How each chunk's feed is used.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Drained.
    Drain,
    /// One item taken, then the feed dropped: the rest must come out later.
    Lazy,
    /// One item taken, then `pause`: the rest of the chunk is fed again by the caller.
    Paused,
}

fn run(config: &DecoderConfig, chunks: &[&[u8]], mode: Mode, events: bool) -> (Vec<OwnedItem>, String, Option<u64>, usize) {
    let mut decoder = Decoder::with_config(config.clone());
    let mut items = Vec::new();
    let mut peak = 0;
    for chunk in chunks {
        let mut rest: &[u8] = chunk;
        // Each round takes an item or ends the chunk: at most one item per byte, and a
        // round that takes none is the last.
        for _ in 0..=2 * chunk.len() + 1 {
            let mut feed = decoder.feed(rest);
            let Some(item) = take(&mut feed, events) else { break };
            items.push(item.to_owned());
            match mode {
                Mode::Drain => {
                    while let Some(item) = take(&mut feed, events) {
                        items.push(item.to_owned());
                    }
                    break;
                }
                Mode::Lazy => break,
                Mode::Paused => {
                    let n = feed.pause();
                    assert!(n <= rest.len(), "pause returned {n} of {} bytes", rest.len());
                    rest = &rest[n..];
                }
            }
        }
        if mode == Mode::Drain {
            peak = peak.max(decoder.buffered_capacity());
        }
    }
    for _ in 0..=chunks.iter().map(|c| c.len()).sum::<usize>() {
        let mut feed = decoder.feed(&[]);
        match take(&mut feed, events) {
            Some(item) => items.push(item.to_owned()),
            None => break,
        }
    }
    let mut end = decoder.finish();
    while let Some(item) = take(&mut end, events) {
        items.push(item.to_owned());
    }
    drop(end);
    (items, decoder.last_event_id().to_string(), decoder.retry(), peak)
}

fuzz_target!(|data: &[u8]| {
    let case = common::case(data);
    let mut config = DecoderConfig::default();
    config = config.max_line_len(case.max_line_len).max_event_len(case.max_event_len).unknown_fields(case.unknown_fields);

    let whole = run(&config, &[case.stream], Mode::Drain, false);
    let chunks = common::chunks(case.stream, case.chunk_seed);
    let chunked = run(&config, &chunks, Mode::Drain, false);
    let bytewise: Vec<&[u8]> = case.stream.chunks(1).collect();
    let lazy = run(&config, &bytewise, Mode::Lazy, false);
    assert_eq!(whole.0, chunked.0, "items differ between one-shot and chunked decoding");
    assert_eq!((&whole.1, whole.2), (&chunked.1, chunked.2));
    assert_eq!(whole.0, lazy.0, "items differ when feeds are dropped early");
    assert_eq!((&whole.1, whole.2), (&lazy.1, lazy.2));
    let events = run(&config, &chunks, Mode::Drain, true);
    let expected: Vec<OwnedItem> =
        whole.0.iter().filter(|item| matches!(item, OwnedItem::Event(_))).cloned().collect();
    assert_eq!(events.0, expected, "next_event gives other events than next");
    assert_eq!((&whole.1, whole.2), (&events.1, events.2));
    let paused = run(&config, &chunks, Mode::Paused, false);
    assert_eq!(whole.0, paused.0, "items differ when each feed is paused after one item");
    assert_eq!((&whole.1, whole.2), (&paused.1, paused.2));
    let paused_events = run(&config, &chunks, Mode::Paused, true);
    assert_eq!(paused_events.0, expected, "events differ when each feed is paused after one");
    assert_eq!((&whole.1, whole.2), (&paused_events.1, paused_events.2));

    // Memory: bounded by the limits (with room for U+FFFD expansion and growth
    // doubling), never by the input length once the input is longer than the limits.
    let bound = 6 * (case.max_line_len + case.max_event_len) + 5 * 6 * case.max_line_len + 256;
    assert!(chunked.3 <= bound, "held {} bytes, bound {bound}", chunked.3);
});
