//! Resource limits: hostile streams that never end a line, a block, or that never stop,
//! are consumed in bounded memory with every item accounted for.
#![cfg(feature = "alloc")]

use sse_proto::{Decoder, DecoderConfig, Dropped, Item};

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

fn config(max_line_len: usize, max_event_len: usize) -> DecoderConfig {
    let mut c = DecoderConfig::default();
    c = c.max_line_len(max_line_len).max_event_len(max_event_len);
    c
}

/// A stream of `total` bytes with no line break at all, generated on the fly in 1 MiB
/// chunks: the decoder reports one `LineTooLong`, holds at most `max_line_len` bytes the
/// whole time, and decodes normally once a line break and a blank line come.
#[test]
fn multi_gigabyte_line_without_a_break_is_consumed_in_bounded_memory() {
    let total: u64 = 3 << 30; // 3 GiB
    let max_line = 64 * KIB;
    let mut decoder = Decoder::with_config(config(max_line, 256 * KIB));
    let chunk = vec![b'a'; MIB];
    let mut fed = 0u64;
    let mut drops = 0;
    let mut peak = 0;
    decoder
        .feed(b"data: ")
        .for_each(|_| unreachable!("no item before the limit"));
    while fed < total {
        decoder.feed(&chunk).for_each(|item| match item {
            Item::Dropped(Dropped::LineTooLong) => drops += 1,
            other => panic!("unexpected {other:?}"),
        });
        fed += chunk.len() as u64;
        peak = peak.max(decoder.buffered_capacity());
    }
    assert_eq!(drops, 1, "the overlong line is reported exactly once");
    assert!(peak <= max_line, "held {peak} bytes, limit {max_line}");
    // The line ends, then the block; the next event decodes.
    let mut items = Vec::new();
    decoder
        .feed(b"\ndata: dropped too\n\ndata: fine\n\n")
        .for_each(|i| items.push(i.to_owned()));
    assert_eq!(items.len(), 1);
    assert!(matches!(&items[0], sse_proto::OwnedItem::Event(e) if e.data == "fine"));
    assert!(decoder.finish().next().is_none());
}

/// One block made of endless short `data:` lines and no blank line: dropped once when its
/// data passes `max_event_len`, then skipped without buffering.
#[test]
fn endless_event_of_short_data_lines_is_dropped_and_bounded() {
    let max_event = 256 * KIB;
    let mut decoder = Decoder::with_config(config(4 * KIB, max_event));
    let chunk: Vec<u8> = b"data: 0123456789abcdef\n".repeat(4 * KIB); // ~92 KiB
    let mut drops = 0;
    let mut peak = 0;
    for _ in 0..2_000 {
        // ~180 MiB in all
        decoder.feed(&chunk).for_each(|item| match item {
            Item::Dropped(Dropped::EventTooLarge) => drops += 1,
            other => panic!("unexpected {other:?}"),
        });
        peak = peak.max(decoder.buffered_capacity());
    }
    assert_eq!(drops, 1);
    assert!(peak <= max_event + 8 * KIB, "held {peak} bytes");
    let mut events = 0;
    decoder.feed(b"\ndata: next\n\n").for_each(|item| {
        assert!(
            matches!(item, Item::Event(e) if e.data() == "next"),
            "{item:?}"
        );
        events += 1;
    });
    assert_eq!(events, 1);
}

/// Millions of comments: each one surfaced, memory flat.
#[test]
fn endless_comments_are_all_surfaced_in_flat_memory() {
    let mut decoder = Decoder::with_config(config(4 * KIB, 64 * KIB));
    let chunk: Vec<u8> = b": ping\n".repeat(8 * KIB);
    let rounds = 400; // 3.2 million comments
    let mut comments = 0u64;
    let mut peak = 0;
    for _ in 0..rounds {
        decoder.feed(&chunk).for_each(|item| match item {
            Item::Comment("ping") => comments += 1,
            other => panic!("unexpected {other:?}"),
        });
        peak = peak.max(decoder.buffered_capacity());
    }
    assert_eq!(comments, rounds * 8 * KIB as u64);
    assert!(peak <= 4 * KIB, "held {peak} bytes");
}

/// Millions of tiny events through one decoder, in awkward chunks: every event counted,
/// ids sticky, memory flat.
#[test]
fn millions_of_tiny_events_are_all_accounted_for() {
    let mut decoder = Decoder::with_config(config(4 * KIB, 64 * KIB));
    let block = b"id: 7\ndata: x\r\n\r";
    let stream: Vec<u8> = block.repeat(64 * KIB);
    let rounds = 32; // 2 million events
    let mut events = 0u64;
    let mut peak = 0;
    for _ in 0..rounds {
        for chunk in stream.chunks(1000) {
            decoder.feed(chunk).for_each(|item| match item {
                Item::Event(e) if e.data() == "x" && e.last_event_id() == "7" => events += 1,
                other => panic!("unexpected {other:?}"),
            });
        }
        peak = peak.max(decoder.buffered_capacity());
    }
    assert_eq!(events, rounds * 64 * KIB as u64);
    assert!(peak <= 4 * KIB, "held {peak} bytes");
    assert!(decoder.finish().next().is_none());
}

/// An undrained feed keeps everything up to its bound (here the 64 KiB least, as the limits
/// are tiny), and discards only beyond it: exactly 64 KiB undrained loses nothing.
#[test]
fn an_undrained_feed_exactly_at_its_bound_loses_nothing() {
    for (comments, lost) in [(32 * KIB, 0), (32 * KIB + 1, 1)] {
        let mut decoder = Decoder::with_config(config(16, 16));
        drop(decoder.feed(&b":\n".repeat(comments))); // 2 bytes a comment, none read
        let mut feed = decoder.feed(b"");
        let mut items = 0;
        let mut undrained = 0;
        while let Some(item) = feed.next() {
            match item {
                Item::Comment("") => items += 1,
                Item::Dropped(Dropped::Undrained) => undrained += 1,
                other => panic!("{other:?}"),
            }
        }
        drop(feed);
        assert_eq!(undrained, usize::from(lost > 0), "{comments} comments");
        assert_eq!(items + lost, comments, "{comments} comments");
        assert_eq!(decoder.dropped_blocks(), lost as u64, "{comments} comments");
    }
}
