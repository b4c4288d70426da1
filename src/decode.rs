//! Reading a stream: the [`Decoder`] turns chunks of bytes into [`Item`]s (P1–P21,
//! D1–D9 in `spec-vectors/RULES.md`) with bounded buffers; [`Feed`] lends a chunk's
//! items, [`OwnedFeed`] is the owned [`Iterator`] over them, and [`EventReader`] (`std`)
//! reads a blocking `io::Read`.

pub use crate::event::{Dropped, Event, Item, OwnedEvent, OwnedItem};
#[cfg(feature = "std")]
pub use crate::io::EventReader;
pub use crate::owned_feed::OwnedFeed;

use alloc::string::String;
use alloc::vec::Vec;
use core::mem;
use core::ops::Range;

use crate::error::IdError;
use crate::line::{id_is_valid, parse_retry, FieldName, Line, BOM};
use crate::scan::find_line_end;

/// Limits and options for a [`Decoder`]: one expression, passed by value.
///
/// Set with the chained setters, read with the public fields. New options may be added, so
/// the struct is `#[non_exhaustive]`: start from [`DecoderConfig::default`].
///
/// ```
/// use sse_proto::{Decoder, DecoderConfig};
///
/// let decoder = Decoder::with_config(
///     DecoderConfig::default().max_line_len(16 << 10).max_event_len(64 << 10),
/// );
/// assert_eq!(decoder.config().max_line_len, 16 << 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecoderConfig {
    /// The longest line accepted, in bytes; see [`max_line_len`](Self::max_line_len()).
    pub max_line_len: usize,
    /// The largest data accepted for one event, in bytes; see
    /// [`max_event_len`](Self::max_event_len()).
    pub max_event_len: usize,
    /// Whether unknown fields are reported; see [`unknown_fields`](Self::unknown_fields()).
    pub unknown_fields: bool,
    /// The longest `id` value accepted, in bytes; see [`max_id_len`](Self::max_id_len()).
    pub max_id_len: usize,
}

impl DecoderConfig {
    /// Default [`max_line_len`](Self::max_line_len()): 1 MiB.
    pub const DEFAULT_MAX_LINE_LEN: usize = 1 << 20;
    /// Default [`max_event_len`](Self::max_event_len()): 4 MiB.
    pub const DEFAULT_MAX_EVENT_LEN: usize = 4 << 20;
    /// Default [`max_id_len`](Self::max_id_len()): 64 KiB.
    pub const DEFAULT_MAX_ID_LEN: usize = 64 << 10;

    /// The longest `id` value accepted, in bytes. A block with a longer one is dropped
    /// ([`Dropped::IdTooLong`]) and its id is not committed. The last event ID is kept for
    /// the life of a stream and sent back on every reconnect, so it gets a limit of its own,
    /// far below a line's. Default 64 KiB.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, Dropped, Item};
    ///
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().max_id_len(4));
    /// let mut feed = decoder.feed(b"id: 12345\ndata: a\n\nid: 1234\ndata: b\n\n");
    /// assert_eq!(feed.next(), Some(Item::Dropped(Dropped::IdTooLong)));
    /// assert!(matches!(feed.next(), Some(Item::Event(e)) if e.last_event_id() == "1234"));
    /// ```
    #[must_use]
    pub const fn max_id_len(mut self, bytes: usize) -> Self {
        self.max_id_len = bytes;
        self
    }

    /// The longest line accepted, in bytes, not counting its terminator (a BOM on the first
    /// line counts). A longer line drops its block ([`Dropped::LineTooLong`]). This bounds
    /// the bytes held for a line split across chunks. Default 1 MiB.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, Dropped, Item};
    ///
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().max_line_len(8));
    /// let mut feed = decoder.feed(b"data: far too long\n\ndata: ok\n\n");
    /// assert_eq!(feed.next(), Some(Item::Dropped(Dropped::LineTooLong)));
    /// assert!(matches!(feed.next(), Some(Item::Event(e)) if e.data() == "ok"));
    /// ```
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// The largest data buffer accepted for one block, in bytes: each `data` value plus one
    /// for its LF (P13), counted before UTF-8 repair. A larger block is dropped
    /// ([`Dropped::EventTooLarge`]). Default 4 MiB.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, Dropped, Item};
    ///
    /// // "data: abc" counts 4 bytes (3 + its LF): two such lines exceed a limit of 6.
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().max_event_len(6));
    /// let mut feed = decoder.feed(b"data: abc\n\ndata: abc\ndata: abc\n\n");
    /// assert!(matches!(feed.next(), Some(Item::Event(e)) if e.data() == "abc"));
    /// assert_eq!(feed.next(), Some(Item::Dropped(Dropped::EventTooLarge)));
    /// ```
    #[must_use]
    pub const fn max_event_len(mut self, bytes: usize) -> Self {
        self.max_event_len = bytes;
        self
    }

    /// Surface fields with unknown names as [`Item::UnknownField`] instead of ignoring them
    /// silently (P16). Default off.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, Item};
    ///
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().unknown_fields(true));
    /// let mut feed = decoder.feed(b"foo: bar\n");
    /// assert_eq!(feed.next(), Some(Item::UnknownField { name: "foo", value: "bar" }));
    /// ```
    #[must_use]
    pub const fn unknown_fields(mut self, on: bool) -> Self {
        self.unknown_fields = on;
        self
    }
}

impl Default for DecoderConfig {
    fn default() -> Self {
        DecoderConfig {
            max_line_len: Self::DEFAULT_MAX_LINE_LEN,
            max_event_len: Self::DEFAULT_MAX_EVENT_LEN,
            unknown_fields: false,
            max_id_len: Self::DEFAULT_MAX_ID_LEN,
        }
    }
}

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
/// * **Bounded**: at most [`max_line_len`](DecoderConfig::max_line_len) bytes of partial
///   line and [`max_event_len`](DecoderConfig::max_event_len) bytes of data are held. A
///   block that exceeds a limit is dropped, reported as [`Item::Dropped`], and decoding
///   resumes after the next blank line.
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
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    config: DecoderConfig,
    lines: LineState,
    block: Block,
    /// Committed last event ID (P17): what events carry and what a reconnect sends.
    last_event_id: String,
    /// The reconnection time set by the last valid `retry` field (P15).
    retry: Option<u64>,
    /// Text of the last comment or unknown field that did not borrow from the input.
    scratch: String,
    scratch_value: String,
    /// Bytes of a chunk whose [`Feed`] was dropped before it was drained: decoded first
    /// by the next feed.
    backlog: Vec<u8>,
    dropped: u64,
}

/// Line splitting state (P2, P4, P5) and the partial line carried between chunks.
#[derive(Debug, Clone)]
struct LineState {
    /// The last line ended with CR at the end of a chunk: an LF next is part of it (P5).
    after_cr: bool,
    /// No line completed yet in this stream: the first loses a leading BOM (P2).
    at_stream_start: bool,
    /// The start of a line that has not ended yet.
    partial: Vec<u8>,
    /// The current line passed `max_line_len`: its bytes are skipped up to its end.
    overlong: bool,
}

impl Default for LineState {
    fn default() -> Self {
        LineState {
            after_cr: false,
            at_stream_start: true,
            partial: Vec::new(),
            overlong: false,
        }
    }
}

/// The per-block buffers of P7.
#[derive(Debug, Clone, Default)]
struct Block {
    /// The data buffer without its final LF (P13, P18), once more than the first line of
    /// data is known or the first line did not stay in the input.
    data: String,
    /// Number of `data` fields in this block; zero means "data buffer empty" (P18).
    data_lines: usize,
    /// The block's single `data` value so far, left in the current input (zero-copy).
    deferred: Option<Range<usize>>,
    /// Bytes counted against `max_event_len`.
    data_len: usize,
    /// The event type buffer (P12).
    event_type: String,
    /// This block had an `event` field (even an empty one).
    has_event_type: bool,
    /// The last event ID buffer (P7, P14): only committed at a blank line (P17).
    id: String,
    /// This block set the ID buffer (D5).
    has_id: bool,
    /// A limit was exceeded: ignore lines until a blank line ends the block.
    skipping: bool,
    /// The last block was dispatched and its buffers still back the item handed out.
    dispatched: bool,
}

/// An item decided on before it is borrowed from the decoder (lets the decode loop
/// return early without holding a borrow of `self`).
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
        Self::default()
    }

    /// A decoder with the given limits and options.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig};
    ///
    /// let decoder = Decoder::with_config(DecoderConfig::default().max_line_len(4096));
    /// # let _ = decoder;
    /// ```
    #[must_use]
    pub fn with_config(config: DecoderConfig) -> Self {
        Decoder {
            config,
            ..Self::default()
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

    /// Seeds the last event ID, as a client does for a reconnection (C20, D3). Fails for a
    /// value no `id` field could produce: one holding NUL, CR or LF (C18).
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
    /// partial line (at most `max_line_len`), the data buffer (at most `max_event_len` raw
    /// bytes, up to three times that after U+FFFD repair), the event type, id and comment
    /// buffers (each at most one line), and any undrained backlog (see [`feed`](Self::feed)).
    ///
    /// ```
    /// let mut d = sse_proto::Decoder::new();
    /// d.feed(b"data: 0123456789").for_each(|_| {});
    /// assert!(d.buffered_capacity() >= 16);
    /// ```
    #[must_use]
    pub fn buffered_capacity(&self) -> usize {
        [
            self.lines.partial.capacity(),
            self.block.data.capacity(),
            self.block.event_type.capacity(),
            self.block.id.capacity(),
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
    /// nothing is lost: its items come first from the next `feed` or `finish`.
    ///
    /// ```
    /// let mut decoder = sse_proto::Decoder::new();
    /// let mut feed = decoder.feed(b"data: a\n\n");
    /// assert!(feed.next().is_some());
    /// assert!(feed.next().is_none());
    /// ```
    pub fn feed<'d, 'c>(&'d mut self, chunk: &'c [u8]) -> Feed<'d, 'c> {
        let backlog = mem::take(&mut self.backlog);
        Feed {
            decoder: self,
            backlog,
            backlog_pos: 0,
            chunk,
            chunk_pos: 0,
            in_chunk: false,
            finishing: false,
        }
    }

    /// Ends the stream (P20, P21): a partial line and an unterminated block are discarded
    /// (reported once as [`Item::Truncated`]) and the block's `id` is not committed (D4).
    /// The decoder is then ready for a new stream — the next connection — keeping the last
    /// event ID and reconnection time (D3).
    ///
    /// The returned [`Feed`] first yields the items of any undrained earlier chunk. Drain
    /// it: the stream ends when it is dropped, and whatever it still held is discarded.
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
        let mut feed = self.feed(&[]);
        feed.finishing = true;
        feed
    }

    /// Decodes lines of `input` from `*pos` until one yields an item or the input ends.
    fn advance<'a>(&mut self, input: &'a [u8], pos: &mut usize) -> Option<Pending<'a>> {
        loop {
            let rest = input.get(*pos..).unwrap_or_default();
            let Some(&first) = rest.first() else {
                self.end_of_input(input);
                return None;
            };
            if mem::take(&mut self.lines.after_cr) && first == b'\n' {
                *pos = pos.saturating_add(1); // P5: the LF of a CRLF split between chunks.
                continue;
            }
            let Some(found) = find_line_end(rest) else {
                *pos = input.len();
                if let Some(dropped) = self.hold_partial(rest) {
                    return Some(dropped);
                }
                continue;
            };
            let start = *pos;
            let end = start.saturating_add(found);
            *pos = self.skip_terminator(input, end);
            if let Some(pending) = self.complete_line(input, start..end) {
                return Some(pending);
            }
        }
    }

    /// Steps past the terminator at `input[end]` (P4, P5) and returns the next position.
    fn skip_terminator(&mut self, input: &[u8], end: usize) -> usize {
        let next = end.saturating_add(1);
        if input.get(end) == Some(&b'\r') {
            match input.get(next) {
                Some(b'\n') => return next.saturating_add(1),
                Some(_) => {}
                None => self.lines.after_cr = true,
            }
        }
        next
    }

    /// Keeps the start of a line that continues in the next chunk, within the line limit.
    fn hold_partial<'a>(&mut self, rest: &[u8]) -> Option<Pending<'a>> {
        if self.lines.overlong {
            return None;
        }
        let held = self.lines.partial.len().saturating_add(rest.len());
        if held > self.config.max_line_len {
            self.lines.partial.clear();
            self.lines.overlong = true;
            return self.drop_block(Dropped::LineTooLong);
        }
        reserve_within(
            &mut self.lines.partial,
            rest.len(),
            self.config.max_line_len,
        );
        self.lines.partial.extend_from_slice(rest);
        None
    }

    /// A line has ended at `input[range]` (plus any partial start held from before).
    fn complete_line<'a>(&mut self, input: &'a [u8], range: Range<usize>) -> Option<Pending<'a>> {
        // Whatever becomes of it, the first line has ended: no later BOM is stripped (P2).
        let strip_bom = mem::take(&mut self.lines.at_stream_start);
        if mem::take(&mut self.lines.overlong) {
            return None; // The rest of a line already dropped.
        }
        let tail = input.get(range.clone()).unwrap_or_default();
        let total = self.lines.partial.len().saturating_add(tail.len());
        if total > self.config.max_line_len {
            self.lines.partial.clear();
            return self.drop_block(Dropped::LineTooLong);
        }
        if self.lines.partial.is_empty() {
            let bom = bom_len(strip_bom, tail);
            let line = tail.get(bom..).unwrap_or_default();
            self.process_line(input, line, Some(range.start.saturating_add(bom)))
        } else {
            // The line began in an earlier chunk: it is decoded from the partial buffer,
            // which is taken out for the call and put back (capacity kept) after.
            let mut held = mem::take(&mut self.lines.partial);
            reserve_within(&mut held, tail.len(), self.config.max_line_len);
            held.extend_from_slice(tail);
            let line = held.get(bom_len(strip_bom, &held)..).unwrap_or_default(); // P2, even split
            let pending = self.process_line(input, line, None);
            held.clear();
            self.lines.partial = held;
            pending
        }
    }

    /// Processes one complete line (P8–P16). When `at` is `Some`, the line lies in `input`
    /// at that offset and text may be borrowed from there; otherwise it is copied.
    fn process_line<'a>(
        &mut self,
        input: &'a [u8],
        line: &[u8],
        at: Option<usize>,
    ) -> Option<Pending<'a>> {
        self.block.dispatched_reset();
        let parsed = Line::parse(line);
        if self.block.skipping {
            if parsed == Line::Blank {
                self.block.skipping = false; // resynchronised after a dropped block
                self.block.clear();
            }
            return None;
        }
        // Comment text and field values are suffixes of the line, so their place in the
        // input follows from their length.
        let line_end = at.map(|at| at.saturating_add(line.len()));
        let suffix_in_input = |len: usize| line_end.map(|end| end.saturating_sub(len)..end);
        match parsed {
            Line::Blank => self.dispatch(input),
            Line::Comment(text) => {
                let borrowed = suffix_in_input(text.len())
                    .and_then(|r| input.get(r))
                    .and_then(|raw| core::str::from_utf8(raw).ok());
                if borrowed.is_none() {
                    self.scratch.clear();
                    push_lossy(&mut self.scratch, text);
                }
                Some(Pending::Comment(borrowed)) // P9, D8
            }
            Line::Field { name, value } => match FieldName::from_bytes(name) {
                FieldName::Data => {
                    // P13, counted against the limit as value + LF.
                    let len = self
                        .block
                        .data_len
                        .saturating_add(value.len())
                        .saturating_add(1);
                    self.block.data_len = len;
                    if len > self.config.max_event_len {
                        return self.drop_block(Dropped::EventTooLarge);
                    }
                    self.block
                        .push_data(value, suffix_in_input(value.len()), input);
                    None
                }
                FieldName::Event => {
                    self.block.event_type.clear(); // P12: replaces
                    push_lossy(&mut self.block.event_type, value);
                    self.block.has_event_type = true;
                    None
                }
                FieldName::Id => {
                    if value.len() > self.config.max_id_len {
                        return self.drop_block(Dropped::IdTooLong);
                    }
                    if id_is_valid(value) {
                        self.block.id.clear(); // P14
                        push_lossy(&mut self.block.id, value);
                        self.block.has_id = true;
                    }
                    None
                }
                FieldName::Retry => {
                    let ms = parse_retry(value)?; // P15, D1, D2
                    self.retry = Some(ms);
                    Some(Pending::Retry(ms))
                }
                FieldName::Unknown if self.config.unknown_fields => {
                    let borrowed = at.and_then(|at| {
                        let name = input.get(at..at.saturating_add(name.len()))?;
                        let value = input.get(suffix_in_input(value.len())?)?;
                        Some((
                            core::str::from_utf8(name).ok()?,
                            core::str::from_utf8(value).ok()?,
                        ))
                    });
                    match borrowed {
                        Some((name, value)) => Some(Pending::UnknownField {
                            name: Some(name),
                            value: Some(value),
                        }),
                        None => {
                            self.scratch.clear();
                            push_lossy(&mut self.scratch, name);
                            self.scratch_value.clear();
                            push_lossy(&mut self.scratch_value, value);
                            Some(Pending::UnknownField {
                                name: None,
                                value: None,
                            })
                        }
                    }
                }
                FieldName::Unknown => None, // P16
            },
        }
    }

    /// A blank line (P17–P19).
    fn dispatch<'a>(&mut self, input: &'a [u8]) -> Option<Pending<'a>> {
        self.block.dispatched = true;
        if self.block.has_id {
            self.last_event_id.clone_from(&self.block.id); // P17: commit, even with no data
        }
        if self.block.data_lines == 0 {
            // P18 step 2: no event. An id-only block is still surfaced (D6).
            return self.block.has_id.then_some(Pending::LastEventId);
        }
        let data = self.block.deferred.take().and_then(|range| {
            let raw = input.get(range).unwrap_or_default();
            let borrowed = core::str::from_utf8(raw).ok(); // zero-copy when valid
            if borrowed.is_none() {
                push_lossy(&mut self.block.data, raw);
            }
            borrowed
        });
        Some(Pending::Event { data })
    }

    fn drop_block<'a>(&mut self, reason: Dropped) -> Option<Pending<'a>> {
        if self.block.skipping {
            return None; // Already reported; still waiting for the blank line.
        }
        self.block.dispatched_reset();
        self.block.clear();
        self.block.id.clone_from(&self.last_event_id); // the dropped block's id is void
        self.block.skipping = true;
        self.dropped = self.dropped.saturating_add(1);
        Some(Pending::Dropped(reason))
    }

    /// The current input is used up: copy a zero-copy data value into the data buffer,
    /// because the input will not outlive this call.
    fn end_of_input(&mut self, input: &[u8]) {
        self.block.dispatched_reset();
        if let Some(range) = self.block.deferred.take() {
            push_lossy(&mut self.block.data, input.get(range).unwrap_or_default());
        }
    }

    /// End of stream (P20): discard the partial line and the open block; keep the
    /// committed id (D3, D4); start a new stream.
    fn end_of_stream<'a>(&mut self) -> Option<Pending<'a>> {
        self.block.dispatched_reset();
        let mut partial = &self.lines.partial[..];
        if self.lines.at_stream_start {
            partial = partial.strip_prefix(BOM).unwrap_or(partial); // a lone BOM loses nothing
        }
        let lost = !self.block.skipping
            && !self.lines.overlong
            && (!partial.is_empty()
                || self.block.data_lines > 0
                || self.block.has_event_type
                || self.block.has_id);
        self.block.clear();
        self.block.skipping = false;
        self.block.id.clone_from(&self.last_event_id); // D4
        self.lines.partial.clear();
        self.lines.overlong = false;
        self.lines.after_cr = false;
        self.lines.at_stream_start = true;
        lost.then_some(Pending::Truncated)
    }

    /// Turns a decision into an item borrowed from the decoder or the input.
    fn materialize<'a>(&'a self, pending: Pending<'a>) -> Item<'a> {
        match pending {
            Pending::Event { data } => Item::Event(Event {
                event_type: if self.block.event_type.is_empty() {
                    "message" // P19
                } else {
                    &self.block.event_type
                },
                data: data.unwrap_or(&self.block.data),
                last_event_id: &self.last_event_id,
                has_id: self.block.has_id,
            }),
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

impl Block {
    /// Appends one `data` value (P13), leaving a first value in the input (zero-copy).
    fn push_data(&mut self, value: &[u8], in_input: Option<Range<usize>>, input: &[u8]) {
        let first = self.data_lines == 0;
        self.data_lines = self.data_lines.saturating_add(1);
        if first {
            if let Some(range) = in_input {
                self.deferred = Some(range); // zero-copy until proven otherwise
                return;
            }
        } else {
            if let Some(range) = self.deferred.take() {
                push_lossy(&mut self.data, input.get(range).unwrap_or_default());
            }
            self.data.push('\n'); // P13: the LF between values (the final one is never added, P18)
        }
        push_lossy(&mut self.data, value);
    }

    /// After an item was handed out, the buffers behind it can be reset (P18, P19).
    fn dispatched_reset(&mut self) {
        if mem::take(&mut self.dispatched) {
            self.clear();
        }
    }

    /// Resets the data and event type buffers; the id buffer stays (P17).
    fn clear(&mut self) {
        self.data.clear();
        self.data_lines = 0;
        self.deferred = None;
        self.data_len = 0;
        self.event_type.clear();
        self.has_event_type = false;
        self.has_id = false;
    }
}

/// The length of the BOM to strip from a line: 3 only for the first line of a stream that
/// starts with one (P2). `strip` is tested first, so later lines pay nothing.
#[inline]
fn bom_len(strip: bool, line: &[u8]) -> usize {
    if strip && line.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// Makes room for `extra` more bytes, growing by doubling as `Vec` does but never past
/// `limit` (the caller has checked `len + extra <= limit`), so the capacity held stays
/// within the configured limit too.
fn reserve_within(buf: &mut Vec<u8>, extra: usize, limit: usize) {
    let needed = buf.len().saturating_add(extra);
    if needed > buf.capacity() {
        let target = needed
            .max(buf.capacity().saturating_mul(2))
            .min(limit)
            .max(needed);
        buf.reserve_exact(target.saturating_sub(buf.len()));
    }
}

/// UTF-8 decode with U+FFFD for each maximal invalid subpart (P1), as the Encoding
/// standard does. Decoding line by line is exact because CR, LF and `:` are ASCII and so
/// end any invalid sequence.
fn push_lossy(dst: &mut String, bytes: &[u8]) {
    // Valid input (the usual case) takes `from_utf8`, which checks ASCII a word at a time;
    // `utf8_chunks` walks byte by byte.
    if let Ok(text) = core::str::from_utf8(bytes) {
        dst.push_str(text);
        return;
    }
    for chunk in bytes.utf8_chunks() {
        dst.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            dst.push(char::REPLACEMENT_CHARACTER);
        }
    }
}

/// The items of one chunk (or of the end of the stream), drained with
/// [`next`](Self::next). Returned by [`Decoder::feed`] and [`Decoder::finish`].
///
/// This is a lending iterator: each item borrows the `Feed` (and through it the chunk and
/// the decoder's buffers), so it is not an [`Iterator`] and a `for` loop does not compile.
/// Use `while let Some(item) = feed.next()` or [`for_each`](Self::for_each) — zero-copy,
/// the fast path — or call [`owned`](Self::owned) for an [`Iterator`] of
/// [`OwnedItem`]s that works with `for` and `collect()`, copying each
/// item.
///
/// ```
/// use sse_proto::{Decoder, Item};
///
/// let mut decoder = Decoder::new();
/// let mut n = 0;
/// decoder.feed(b"data: 1\n\ndata: 2\n\n").for_each(|item| {
///     if let Item::Event(_) = item { n += 1 }
/// });
/// assert_eq!(n, 2);
/// ```
#[derive(Debug)]
#[must_use = "a Feed decodes nothing until drained with next()"]
pub struct Feed<'d, 'c> {
    decoder: &'d mut Decoder,
    backlog: Vec<u8>,
    backlog_pos: usize,
    chunk: &'c [u8],
    chunk_pos: usize,
    /// The backlog is used up; decoding has moved on to `chunk`.
    in_chunk: bool,
    finishing: bool,
}

impl Feed<'_, '_> {
    /// The next item, or `None` when the chunk is used up.
    ///
    /// ```
    /// use sse_proto::{Decoder, Item};
    ///
    /// let mut decoder = Decoder::new();
    /// let mut feed = decoder.feed(b"retry: 10\ndata: a\n\ndata: b");
    /// assert_eq!(feed.next(), Some(Item::Retry(10)));
    /// assert!(matches!(feed.next(), Some(Item::Event(e)) if e.data() == "a"));
    /// assert_eq!(feed.next(), None); // "data: b" waits for more bytes
    /// ```
    #[allow(clippy::should_implement_trait)] // a lending iterator cannot be an Iterator
    pub fn next(&mut self) -> Option<Item<'_>> {
        if !self.in_chunk {
            if let Some(p) = self.decoder.advance(&self.backlog, &mut self.backlog_pos) {
                return Some(self.decoder.materialize(p));
            }
            self.in_chunk = true; // the backlog is used up (and released its zero-copy data)
        }
        if let Some(p) = self.decoder.advance(self.chunk, &mut self.chunk_pos) {
            return Some(self.decoder.materialize(p));
        }
        if mem::take(&mut self.finishing) {
            if let Some(p) = self.decoder.end_of_stream() {
                return Some(self.decoder.materialize(p));
            }
        }
        None
    }

    /// Calls `f` on every remaining item.
    ///
    /// ```
    /// let mut decoder = sse_proto::Decoder::new();
    /// let mut items = 0;
    /// decoder.feed(b": a\n: b\n").for_each(|_| items += 1);
    /// assert_eq!(items, 2);
    /// ```
    pub fn for_each(mut self, mut f: impl FnMut(Item<'_>)) {
        while let Some(item) = self.next() {
            f(item);
        }
    }
}

impl Drop for Feed<'_, '_> {
    fn drop(&mut self) {
        // Zero-copy data must leave the input before the input goes away.
        if self.in_chunk {
            self.decoder.end_of_input(self.chunk);
        } else {
            self.decoder.end_of_input(&self.backlog);
        }
        let backlog_rest = self.backlog.get(self.backlog_pos..).unwrap_or_default();
        let chunk_rest = self.chunk.get(self.chunk_pos..).unwrap_or_default();
        if self.finishing {
            // The stream is over: whatever was not drained belongs to it and is discarded.
            let _ = self.decoder.end_of_stream();
            self.backlog.clear();
        } else if backlog_rest.is_empty() && chunk_rest.is_empty() {
            self.backlog.clear();
        } else {
            let mut kept = Vec::with_capacity(backlog_rest.len().saturating_add(chunk_rest.len()));
            kept.extend_from_slice(backlog_rest);
            kept.extend_from_slice(chunk_rest);
            self.backlog = kept;
        }
        self.decoder.backlog = mem::take(&mut self.backlog);
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
            assert!(d.lines.partial.capacity() <= 1500);
        }
        d.feed(&vec![b'b'; 300]).for_each(|_| {});
        d.feed(b"\n").for_each(|_| {});
        assert!(d.lines.partial.capacity() <= 1500);
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
