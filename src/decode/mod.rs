//! Reading a stream: the [`Decoder`] turns chunks of bytes into [`Item`]s (P1–P21,
//! D1–D9 in `spec-vectors/RULES.md`) with bounded buffers; [`Feed`] lends a chunk's
//! items, [`OwnedFeed`] is the owned [`Iterator`] over them, and [`EventReader`] (`std`)
//! reads a blocking `io::Read`.
//!
//! ```
//! use sse_proto::decode::{Decoder, Item};
//!
//! let mut decoder = Decoder::new();
//! let mut data = Vec::new();
//! for chunk in [&b"data: he"[..], b"llo\n\nretry: 5", b"00\n"] {
//!     let mut feed = decoder.feed(chunk);
//!     while let Some(item) = feed.next() {
//!         if let Item::Event(event) = item {
//!             data.push(event.data().to_owned());
//!         }
//!     }
//! }
//! assert_eq!(data, ["hello"]);
//! assert_eq!(decoder.retry(), Some(500));
//! ```

// Inside, one concern per file: `config` (limits), `input` (cutting chunks into lines,
// and the line carried from one chunk to the next), `run` (runs of `data` lines, taken in
// a loop of their own), `fields` (what a line does, P8–P16),
// `block` (the buffers of one event and its dispatch, P17–P19), `byte_buffer` (the data
// and partial-line buffers: growth within the limits, writes by fixed-size copies), `text`
// (UTF-8 repair, and the stretch of an input known to be valid), `feed` (the lending
// iterator).

pub use crate::event::{Dropped, Event, Item, OwnedEvent, OwnedItem, SharedId};
#[cfg(feature = "std")]
pub use crate::io::EventReader;
pub use crate::owned_feed::OwnedFeed;

mod block;
mod byte_buffer;
mod config;
mod feed;
mod fields;
mod input;
mod run;
mod text;

pub use config::DecoderConfig;
pub use feed::Feed;

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::IdError;
use crate::split::Splitter;
use block::Block;
use input::Carry;

/// The incremental `text/event-stream` decoder.
///
/// Push chunks of any size with [`feed`](Self::feed) and drain the [`Item`]s of each
/// chunk; call [`finish`](Self::finish) when the body ends. Events are the same however the
/// stream is chunked: a line or a UTF-8 character split between chunks, a BOM split three
/// ways, or a CR ending one chunk with its LF starting the next all decode exactly as if
/// the stream came in one piece.
///
/// * **Zero-copy**: an event whose data is one `data` line inside one chunk borrows it from
///   the chunk; otherwise it borrows the decoder's buffer. Buffers are reused, so the steady
///   state allocates nothing per event.
/// * **Linear**: each byte is scanned once; a partial line is appended, never re-scanned.
/// * **Bounded**: at most [`max_line_len`](DecoderConfig::max_line_len) bytes of a line and
///   [`max_event_len`](DecoderConfig::max_event_len) bytes of an event's data are held (see
///   [`buffered_capacity`](Self::buffered_capacity) for the buffers' sum). A block that
///   exceeds a limit is dropped, reported as [`Item::Dropped`], and decoding resumes after
///   the next blank line.
/// * **Lossless**: comments, `retry` values, id-only blocks and drops are items too.
///
/// # Example
///
/// ```
/// use sse_proto::{Decoder, Item};
///
/// let mut decoder = Decoder::new();
/// let mut seen = Vec::new();
/// for chunk in [&b"data: hel"[..], b"lo\r", b"\nid: 1\r\n\r\n: done\n"] {
///     let mut feed = decoder.feed(chunk);
///     while let Some(item) = feed.next() {
///         match item {
///             Item::Event(e) => seen.push(format!("{}:{}:{}", e.event_type(), e.data(), e.last_event_id())),
///             Item::Comment(c) => seen.push(format!("comment {c}")),
///             _ => {}
///         }
///     }
/// }
/// assert!(decoder.finish().next().is_none()); // nothing was cut off
/// assert_eq!(seen, ["message:hello:1", "comment done"]);
/// assert_eq!(decoder.last_event_id(), "1");
/// ```
#[derive(Clone)]
pub struct Decoder {
    config: DecoderConfig,
    /// The most bytes the data buffer may hold: the completed values of a block (at most
    /// `max_event_len`) and a line still arriving (at most `max_line_len`). Worked out
    /// once, as the configuration never changes.
    data_limit: usize,
    /// Line-ending rules (P2, P4, P5), shared with the tokenizer.
    split: Splitter,
    /// The line that began in an earlier chunk and has not ended yet.
    carry: Carry,
    /// The event being built (P7).
    block: Block,
    /// Committed last event ID (P17): what events carry and what a reconnect sends.
    last_event_id: String,
    /// The reconnection time set by the last valid `retry` field (P15).
    retry: Option<u64>,
    /// Text of the last comment or unknown field that did not borrow from the input.
    scratch: String,
    scratch_value: String,
    /// Bytes of a chunk whose [`Feed`] was dropped before it was drained: decoded first
    /// by the next feed, from `backlog_start` (compacted only when that passes half, so
    /// keeping a backlog costs amortised O(1) per byte).
    backlog: Vec<u8>,
    backlog_start: usize,
    /// Items of an undrained backlog were discarded to keep it within the limits; reported
    /// once, first thing, by the next feed.
    undrained: bool,
    dropped: u64,
    /// Set for a call of [`Feed::next_event`]: only events are made; comments are skipped
    /// unchecked, and what other items would report is only applied.
    events_only: bool,
}

impl Default for Decoder {
    /// [`Decoder::new`].
    fn default() -> Self {
        Self::new()
    }
}

/// Sizes rather than contents: the buffers may hold megabytes (a partial line, an event's
/// data, an undrained chunk), and a `{:?}` in a log line must stay a line.
impl core::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Decoder")
            .field("config", &self.config)
            .field("last_event_id", &Abbreviated(&self.last_event_id))
            .field("retry", &self.retry)
            .field("dropped_blocks", &self.dropped)
            .field(
                "undrained_bytes",
                &self.backlog.len().saturating_sub(self.backlog_start),
            )
            .field("buffered_capacity", &self.buffered_capacity())
            .finish_non_exhaustive()
    }
}

/// A string in a `Debug` line: whole when short, else its start and its length (an id may
/// be as long as `max_id_len`, 64 KiB by default).
struct Abbreviated<'a>(&'a str);

impl core::fmt::Debug for Abbreviated<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        const SHOWN: usize = 64;
        if self.0.len() <= SHOWN {
            return core::fmt::Debug::fmt(self.0, f);
        }
        let end = (0..=SHOWN)
            .rev()
            .find(|&i| self.0.is_char_boundary(i))
            .unwrap_or(0);
        let start = self.0.get(..end).unwrap_or_default();
        write!(f, "{start:?}… ({} bytes)", self.0.len())
    }
}

/// How many input bytes the `Client` decodes at a time: the items of one read are made as
/// they are asked for, never all at once, so at most this many bytes' worth of owned items
/// (at most one per two bytes, each a few dozen bytes plus its data) wait in a queue
/// (one large read must not become all its items at once). (`EventReader` makes one item
/// at a time.)
pub(crate) const OWNED_PIECE: usize = 4096;
/// An item decided on before it is borrowed from the decoder (lets the decode loop
/// return early without holding a borrow of `self`). `None` text lives in the decoder.
enum Pending<'a> {
    Event {
        data: Option<&'a str>,
    },
    Retry(u64),
    Comment(Option<&'a str>),
    LastEventId,
    UnknownField {
        name: Option<&'a str>,
        value: Option<&'a str>,
    },
    Dropped(Dropped),
    Truncated,
}

impl Decoder {
    /// A decoder with the default limits.
    ///
    /// ```
    /// let decoder = sse_proto::Decoder::new();
    /// assert_eq!(decoder.last_event_id(), "");
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_config(DecoderConfig::default())
    }

    /// A decoder with the given limits and options.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig};
    ///
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().max_line_len(8));
    /// assert_eq!(decoder.config().max_line_len, 8);
    /// let mut feed = decoder.feed(b"data: too long\n\ndata: ok\n\n");
    /// assert_eq!(feed.next(), Some(sse_proto::Item::Dropped(sse_proto::Dropped::LineTooLong)));
    /// assert!(matches!(feed.next(), Some(sse_proto::Item::Event(e)) if e.data() == "ok"));
    /// ```
    #[must_use]
    pub fn with_config(config: DecoderConfig) -> Self {
        Decoder {
            config,
            data_limit: config.max_event_len.saturating_add(config.max_line_len),
            split: Splitter::default(),
            carry: Carry::default(),
            block: Block::default(),
            last_event_id: String::new(),
            retry: None,
            scratch: String::new(),
            scratch_value: String::new(),
            backlog: Vec::new(),
            backlog_start: 0,
            undrained: false,
            dropped: 0,
            events_only: false,
        }
    }

    /// The configuration in force.
    ///
    /// ```
    /// assert_eq!(sse_proto::Decoder::new().config().max_event_len, 4 << 20);
    /// ```
    #[must_use]
    pub const fn config(&self) -> &DecoderConfig {
        &self.config
    }

    /// The committed last event ID (P17): what a reconnect sends as `Last-Event-ID` when
    /// non-empty (C14, C17). Survives [`finish`](Self::finish) (D3).
    ///
    /// ```
    /// let mut d = sse_proto::Decoder::new();
    /// d.feed(b"id: 5\n\nid: 6\n").for_each(|_| {});
    /// assert_eq!(d.last_event_id(), "5"); // the second block never ended
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// Seeds the last event ID, as a client does for a reconnection (C20, D3).
    ///
    /// # Errors
    ///
    /// An [`IdError`] for a value no `id` field could produce: one holding NUL, CR or LF
    /// (C18). The last event ID is then unchanged.
    ///
    /// ```
    /// let mut d = sse_proto::Decoder::new();
    /// d.set_last_event_id("41").unwrap();
    /// assert!(d.set_last_event_id("a\nb").is_err());
    /// d.feed(b"data: x\n\n").for_each(|item| {
    ///     if let sse_proto::Item::Event(e) = item { assert_eq!(e.last_event_id(), "41") }
    /// });
    /// ```
    pub fn set_last_event_id(&mut self, id: &str) -> Result<(), IdError> {
        IdError::check(id)?;
        self.block.dispatched_reset();
        self.last_event_id.clear();
        self.last_event_id.push_str(id);
        self.block.id.clear();
        self.block.id.push_str(id);
        Ok(())
    }

    /// The reconnection time set by the last valid `retry` field, in milliseconds (P15).
    ///
    /// ```
    /// let mut d = sse_proto::Decoder::new();
    /// d.feed(b"retry: 2500\n").for_each(|_| {});
    /// assert_eq!(d.retry(), Some(2500));
    /// ```
    #[must_use]
    pub const fn retry(&self) -> Option<u64> {
        self.retry
    }

    /// How many blocks were dropped for exceeding a limit, over the decoder's life.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig};
    ///
    /// let mut d = Decoder::with_config(DecoderConfig::default().max_line_len(10));
    /// d.feed(b"data: too long\n\ndata: ok\n\n").for_each(|_| {});
    /// assert_eq!(d.dropped_blocks(), 1);
    /// ```
    #[must_use]
    pub const fn dropped_blocks(&self) -> u64 {
        self.dropped
    }

    /// Bytes of heap memory the decoder's buffers currently hold (their capacities): the
    /// partial line (at most `max_line_len`); the data buffer and the text of the last
    /// event, which trade allocations so that an event's data is never copied to be handed
    /// out (each at most `max_event_len` plus `max_line_len` raw bytes, the text up to three
    /// times that after U+FFFD repair); the event type, id and comment buffers (each at
    /// most one line); and any undrained backlog (see [`feed`](Self::feed)).
    ///
    /// ```
    /// let mut d = sse_proto::Decoder::new();
    /// d.feed(b"data: 0123456789").for_each(|_| {});
    /// assert!(d.buffered_capacity() >= 16);
    /// ```
    #[must_use]
    pub fn buffered_capacity(&self) -> usize {
        [
            self.carry.capacity(),
            self.block.capacity(),
            self.last_event_id.capacity(),
            self.scratch.capacity(),
            self.scratch_value.capacity(),
            self.backlog.capacity(),
        ]
        .iter()
        .fold(0usize, |sum, c| sum.saturating_add(*c))
    }

    /// Decodes one chunk. Drain the returned [`Feed`] with `while let Some(item) =
    /// feed.next()`; items borrow from `chunk` and from the decoder.
    ///
    /// A `Feed` dropped before it is drained keeps the rest of the chunk in the decoder, so
    /// nothing is lost: its items come first from the next `feed` or `finish`. What it
    /// keeps is bounded by the limits: beyond `max_line_len + max_event_len` (or 64 KiB, if
    /// more) undrained bytes, the oldest items are decoded and discarded, counted in
    /// [`dropped_blocks`](Self::dropped_blocks) and reported once as
    /// [`Dropped::Undrained`] by the next feed.
    ///
    /// ```
    /// let mut decoder = sse_proto::Decoder::new();
    /// let mut feed = decoder.feed(b"data: a\n\n");
    /// assert!(feed.next().is_some());
    /// assert!(feed.next().is_none());
    /// ```
    #[inline]
    pub fn feed<'d, 'c>(&'d mut self, chunk: &'c [u8]) -> Feed<'d, 'c> {
        Feed::new(self, chunk)
    }

    /// Ends the stream (P20, P21): a partial line and an unterminated block are discarded
    /// (reported once as [`Item::Truncated`]) and the block's `id` is not committed (D4).
    /// The decoder is then ready for a new stream — the next connection — keeping the last
    /// event ID and reconnection time (D3).
    ///
    /// The returned [`Feed`] first yields the items of any undrained earlier chunk. Drain
    /// it: the stream ends when it is dropped, and whatever it still held is discarded.
    /// A `Feed` does that work when dropped, so it borrows the decoder until then: read the
    /// decoder after `decoder.finish().for_each(..)`, or after the feed's scope ends, not
    /// while a `let feed = decoder.finish()` is still alive (the compiler says E0502).
    ///
    /// ```
    /// use sse_proto::{Decoder, Item};
    ///
    /// let mut d = Decoder::new();
    /// d.feed(b"id: 1\n\ndata: lost\nid: 2\n").for_each(|_| {});
    /// assert_eq!(d.finish().next(), Some(Item::Truncated));
    /// assert_eq!(d.last_event_id(), "1");
    /// ```
    pub fn finish(&mut self) -> Feed<'_, 'static> {
        Feed::finishing(self)
    }

    /// Whether bytes of an undrained feed (or a report of discarded items) wait to be
    /// decoded first: what the next feed starts with. Both are tested without branching
    /// (`|`): a feed is made per chunk, and this is its one well-predicted branch.
    #[inline]
    pub(crate) fn has_backlog(&self) -> bool {
        !self.backlog.is_empty() | self.undrained
    }

    /// [`materialize`](Self::materialize) when only events are asked for, and so made.
    #[inline]
    fn materialize_event<'a>(&'a mut self, pending: Pending<'a>) -> Option<Event<'a>> {
        match pending {
            Pending::Event { data } => Some(self.block.event(data, &self.last_event_id)),
            _ => {
                debug_assert!(false, "only events are made");
                None
            }
        }
    }

    /// Turns a decision into an item borrowed from the decoder or the input.
    /// Mutable because an event's data buffer is checked as UTF-8 here, where it is handed
    /// out, so the text it gives borrows the buffer as it lies.
    #[inline]
    fn materialize<'a>(&'a mut self, pending: Pending<'a>) -> Item<'a> {
        match pending {
            Pending::Event { data } => Item::Event(self.block.event(data, &self.last_event_id)),
            Pending::Retry(ms) => Item::Retry(ms),
            Pending::Comment(text) => Item::Comment(text.unwrap_or(&self.scratch)),
            Pending::LastEventId => Item::LastEventId(&self.last_event_id),
            Pending::UnknownField { name, value } => Item::UnknownField {
                name: name.unwrap_or(&self.scratch),
                value: value.unwrap_or(&self.scratch_value),
            },
            Pending::Dropped(d) => Item::Dropped(d),
            Pending::Truncated => Item::Truncated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn items(config: DecoderConfig, input: &[u8]) -> Vec<crate::OwnedItem> {
        Decoder::with_config(config).feed(input).owned().collect()
    }

    #[test]
    fn a_bom_after_an_overlong_first_line_is_content() {
        let config = DecoderConfig::default().max_line_len(12);
        // The BOM starts the second line: it is part of the field name (P2, P16).
        let got = items(
            config,
            b"aaaaaaaaaaaaaaaa\n\n\xEF\xBB\xBFdata: x\n\ndata: y\n\n",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], crate::OwnedItem::Dropped(Dropped::LineTooLong));
        assert!(matches!(&got[1], crate::OwnedItem::Event(e) if e.data == "y"));
    }

    #[test]
    fn partial_line_capacity_never_exceeds_the_limit() {
        let config = DecoderConfig::default().max_line_len(1500);
        let mut d = Decoder::with_config(config);
        for _ in 0..1200 {
            d.feed(b"a").for_each(|_| {});
            assert!(d.carry.capacity() <= 1500);
        }
        d.feed(&vec![b'b'; 300]).for_each(|_| {});
        d.feed(b"\n").for_each(|_| {});
        assert!(d.carry.capacity() <= 1500);
    }

    #[test]
    fn joined_data_checked_with_padding_keeps_exactly_its_bytes() {
        // Joined data is padded with NULs before its UTF-8 check (byte_buffer.rs); the padding
        // must never show, and must not hide a sequence cut at the end of the data. Two
        // long events first give the data buffer the room (16 bytes past the data) that
        // padding needs.
        let room = b"data: 0123456789012345678901234567890123456789\ndata: x\n\n";
        for (input, want) in [
            (
                &b"data: 0123456789\ndata: abcdefghij\n\n"[..],
                "0123456789\nabcdefghij",
            ),
            (
                b"data: 0123456789\ndata: abcdefghi\xF0\x9F\n\n",
                "0123456789\nabcdefghi\u{FFFD}",
            ),
            (
                b"data: 0123456789abcdefghi\xE2\x82\n\n",
                "0123456789abcdefghi\u{FFFD}",
            ),
        ] {
            let mut d = Decoder::new();
            let mut got = Vec::new();
            let stream = [&room[..], room, input].concat();
            for piece in stream.chunks(3) {
                d.feed(piece).for_each(|item| {
                    if let Item::Event(e) = item {
                        got.push(alloc::string::String::from(e.data()));
                    }
                });
            }
            assert_eq!(got.len(), 3, "{input:?}");
            assert_eq!(got[2], want, "{input:?}");
        }
    }

    /// `{:?}` of a decoder, and of a feed, shows sizes, not the buffers: after a
    /// 500 KB partial line it is still a short line.
    #[test]
    fn debug_output_stays_short_whatever_the_buffers_hold() {
        let mut decoder = Decoder::new();
        let mut line = vec![b'x'; 500_000];
        line.splice(0..0, *b"data: ");
        decoder.feed(&line).for_each(|_| {});
        let mut undrained = decoder.feed(b"\n\n: a\n: b\n");
        assert!(undrained.next().is_some());
        drop(undrained);
        let debug = alloc::format!("{decoder:?}");
        assert!(debug.len() < 400, "{debug}");
        assert!(debug.contains("undrained_bytes: 8"), "{debug}");
        // A long id shows its start and length; a short one, whole.
        let mut decoder = Decoder::new();
        let id = "é".repeat(30_000);
        decoder.set_last_event_id(&id).unwrap();
        let debug = alloc::format!("{decoder:?}");
        assert!(debug.len() < 500, "{debug}");
        assert!(debug.contains("(60000 bytes)"), "{debug}");
        decoder.set_last_event_id("7").unwrap();
        assert!(alloc::format!("{decoder:?}").contains("last_event_id: \"7\""));
        let feed = decoder.feed(&line);
        let debug = alloc::format!("{feed:?}");
        assert!(debug.len() < 600, "{debug}");
    }

    #[test]
    fn an_event_inside_one_chunk_borrows_its_data_from_the_chunk() {
        let chunk = b"id: 1\ndata: {\"big\":\"json\"}\n\ndata: a\ndata: b\n\n";
        let range = chunk.as_ptr_range();
        let mut d = Decoder::new();
        let mut feed = d.feed(chunk);
        let Some(Item::Event(e)) = feed.next() else {
            panic!("event")
        };
        assert!(
            range.contains(&e.data().as_ptr()),
            "single-line data is borrowed"
        );
        let Some(Item::Event(e)) = feed.next() else {
            panic!("event")
        };
        assert_eq!(e.data(), "a\nb");
        assert!(
            !range.contains(&e.data().as_ptr()),
            "joined data comes from the buffer"
        );
    }
}
