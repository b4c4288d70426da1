//! `decode`: arbitrary bytes in arbitrary chunks never panic, give the same items as
//! one-shot decoding, and keep the decoder's memory within bounds set by its limits;
//! `Feed::next_event` gives the same events and final state.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_proto::{Decoder, DecoderConfig, OwnedItem};

#[path = "common.rs"]
mod common;

fn run(config: &DecoderConfig, chunks: &[&[u8]], lazy: bool) -> (Vec<OwnedItem>, String, Option<u64>, usize) {
    let mut decoder = Decoder::with_config(config.clone());
    let mut items = Vec::new();
    let mut peak = 0;
    for chunk in chunks {
        let mut feed = decoder.feed(chunk);
        // `lazy`: take one item and drop the feed; the rest must come out later.
        while let Some(item) = feed.next() {
            items.push(item.to_owned());
            if lazy {
                break;
            }
        }
        drop(feed);
        if !lazy {
            peak = peak.max(decoder.buffered_capacity());
        }
    }
    for _ in 0..=chunks.iter().map(|c| c.len()).sum::<usize>() {
        let mut feed = decoder.feed(&[]);
        match feed.next() {
            Some(item) => items.push(item.to_owned()),
            None => break,
        }
    }
    decoder.finish().for_each(|item| items.push(item.to_owned()));
    (items, decoder.last_event_id().to_string(), decoder.retry(), peak)
}

/// The events through `Feed::next_event`, and the final state.
fn run_events(config: &DecoderConfig, chunks: &[&[u8]]) -> (Vec<OwnedItem>, String, Option<u64>) {
    let mut decoder = Decoder::with_config(config.clone());
    let mut events = Vec::new();
    for chunk in chunks {
        let mut feed = decoder.feed(chunk);
        while let Some(event) = feed.next_event() {
            events.push(OwnedItem::Event(event.to_owned()));
        }
    }
    let mut end = decoder.finish();
    while let Some(event) = end.next_event() {
        events.push(OwnedItem::Event(event.to_owned()));
    }
    drop(end);
    (events, decoder.last_event_id().to_string(), decoder.retry())
}

fuzz_target!(|data: &[u8]| {
    let case = common::case(data);
    let mut config = DecoderConfig::default();
    config = config.max_line_len(case.max_line_len).max_event_len(case.max_event_len).unknown_fields(case.unknown_fields);

    let whole = run(&config, &[case.stream], false);
    let chunks = common::chunks(case.stream, case.chunk_seed);
    let chunked = run(&config, &chunks, false);
    let bytewise: Vec<&[u8]> = case.stream.chunks(1).collect();
    let lazy = run(&config, &bytewise, true);
    assert_eq!(whole.0, chunked.0, "items differ between one-shot and chunked decoding");
    assert_eq!((&whole.1, whole.2), (&chunked.1, chunked.2));
    assert_eq!(whole.0, lazy.0, "items differ when feeds are dropped early");
    assert_eq!((&whole.1, whole.2), (&lazy.1, lazy.2));
    let events = run_events(&config, &chunks);
    let expected: Vec<OwnedItem> =
        whole.0.iter().filter(|item| matches!(item, OwnedItem::Event(_))).cloned().collect();
    assert_eq!(events.0, expected, "next_event gives other events than next");
    assert_eq!((&whole.1, whole.2), (&events.1, events.2));

    // Memory: bounded by the limits (with room for U+FFFD expansion and growth
    // doubling), never by the input length once the input is longer than the limits.
    let bound = 6 * (case.max_line_len + case.max_event_len) + 5 * 6 * case.max_line_len + 256;
    assert!(chunked.3 <= bound, "held {} bytes, bound {bound}", chunked.3);
});
