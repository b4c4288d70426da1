//! The lending iterator over one chunk's items, and what happens to a chunk that is not
//! drained.

use alloc::vec::Vec;
use core::{fmt, mem};

use super::text::InputText;
use super::{Decoder, Dropped, Event, Item, Pending};

/// The least an undrained feed may leave behind, whatever the limits (tiny limits must not
/// make dropping a feed early lose small inputs).
const MIN_BACKLOG_LIMIT: usize = 64 << 10;

/// The items of one chunk (or of the end of the stream), drained with
/// [`next`](Self::next). Returned by [`Decoder::feed`] and [`Decoder::finish`].
///
/// This is a lending iterator: each item borrows the `Feed` (and through it the chunk and
/// the decoder's buffers), so it is not an [`Iterator`] and a `for` loop does not compile.
/// Use `while let Some(item) = feed.next()` or [`for_each`](Self::for_each) — zero-copy,
/// the fast path — or call [`owned`](Self::owned) for an [`Iterator`] of
/// [`OwnedItem`](crate::OwnedItem)s that works with `for` and `collect()`, copying each
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
#[must_use = "a Feed decodes nothing until drained with next()"]
pub struct Feed<'d, 'c> {
    decoder: &'d mut Decoder,
    chunk: &'c [u8],
    chunk_pos: usize,
    /// The part of `chunk` known to be valid UTF-8.
    text: InputText<'c>,
    /// `None` in the usual case: no backlog, nothing to report first, not the end of the
    /// stream, so `next` goes straight to the chunk and a drained feed's drop does
    /// nothing. A feed is made per chunk, so the usual one sets up only a few words.
    slow: Option<Slow>,
    /// `chunk` is used up and the decoder has let go of it (no zero-copy value left in it).
    drained: bool,
}

/// What a feed with a backlog to decode first, a report to give first, or the end of the
/// stream to make, needs besides the chunk.
#[derive(Debug)]
struct Slow {
    /// The decoder's undrained backlog, taken out for this feed.
    backlog: Vec<u8>,
    backlog_pos: usize,
    /// The backlog is used up (or was empty); decoding has moved on to `chunk`.
    in_chunk: bool,
    finishing: bool,
}

/// Sizes rather than contents, as the decoder's own `Debug` shows.
impl fmt::Debug for Feed<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Feed")
            .field("decoder", &self.decoder)
            .field("chunk_len", &self.chunk.len())
            .field("chunk_pos", &self.chunk_pos)
            .field(
                "backlog_left",
                &self
                    .slow
                    .as_ref()
                    .map_or(0, |s| s.backlog.len().saturating_sub(s.backlog_pos)),
            )
            .field(
                "finishing",
                &self.slow.as_ref().is_some_and(|s| s.finishing),
            )
            .finish_non_exhaustive()
    }
}

impl<'d, 'c> Feed<'d, 'c> {
    /// The items of `chunk`, after those of any undrained earlier chunk. Cheap when there
    /// is no backlog (the usual case): nothing is moved, allocated or copied.
    #[inline]
    pub(super) fn new(decoder: &'d mut Decoder, chunk: &'c [u8]) -> Self {
        if decoder.has_backlog() {
            return Self::with_backlog(decoder, chunk);
        }
        // The decoder keeps its (empty) backlog buffer; only `drop_slow` needs it.
        Feed {
            decoder,
            chunk,
            chunk_pos: 0,
            text: InputText::new(),
            slow: None,
            drained: false,
        }
    }

    /// [`new`](Self::new) with bytes of an undrained earlier chunk to decode first, or a
    /// report of discarded items to give first: the feed takes the backlog buffer.
    #[cold]
    #[inline(never)]
    fn with_backlog(decoder: &'d mut Decoder, chunk: &'c [u8]) -> Self {
        let backlog = mem::take(&mut decoder.backlog);
        let backlog_pos = mem::take(&mut decoder.backlog_start);
        let slow = Slow {
            // A report of discarded items also takes the slow path, which gives it first.
            in_chunk: backlog_pos >= backlog.len() && !decoder.undrained,
            backlog,
            backlog_pos,
            finishing: false,
        };
        Feed {
            decoder,
            chunk,
            chunk_pos: 0,
            text: InputText::new(),
            slow: Some(slow),
            drained: false,
        }
    }
}

impl<'d> Feed<'d, 'static> {
    /// The end of the stream: the items of any undrained chunk, then the end (P20).
    pub(super) fn finishing(decoder: &'d mut Decoder) -> Self {
        let mut feed = Feed::new(decoder, &[]);
        let decoder = &mut feed.decoder;
        feed.slow
            .get_or_insert_with(|| Slow {
                // The decoder's (empty) buffer, given back when the feed is dropped.
                backlog: mem::take(&mut decoder.backlog),
                backlog_pos: 0,
                in_chunk: true,
                finishing: false,
            })
            .finishing = true;
        feed
    }
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
    #[inline]
    pub fn next(&mut self) -> Option<Item<'_>> {
        self.decoder.events_only = false;
        if self.slow.is_some() {
            return self.next_slow();
        }
        let pending = self.next_direct()?;
        Some(self.decoder.materialize(pending))
    }

    /// The next event, skipping every other item; `None` when the chunk is used up.
    ///
    /// For a reader that wants events only, and its fast path: comments are skipped
    /// without being checked as UTF-8, and nothing but events is made. What the skipped
    /// items say still takes effect, and the decoder shows it: a `retry` field sets
    /// [`Decoder::retry`], an `id` commits [`Decoder::last_event_id`], a block dropped for a
    /// limit counts in [`Decoder::dropped_blocks`]. Calls may be mixed with
    /// [`next`](Self::next) on the same feed.
    ///
    /// ```
    /// use sse_proto::Decoder;
    ///
    /// let mut decoder = Decoder::new();
    /// let mut feed = decoder.feed(b": keep-alive\n\nretry: 10\nid: 7\ndata: a\n\ndata: b");
    /// let event = feed.next_event().expect("one complete event");
    /// assert_eq!((event.data(), event.last_event_id()), ("a", "7"));
    /// assert!(feed.next_event().is_none()); // "data: b" waits for more bytes
    /// drop(feed);
    /// assert_eq!(decoder.retry(), Some(10));
    /// ```
    #[inline]
    pub fn next_event(&mut self) -> Option<Event<'_>> {
        self.decoder.events_only = true;
        if self.slow.is_some() {
            return match self.next_slow() {
                Some(Item::Event(event)) => Some(event),
                other => {
                    debug_assert!(other.is_none(), "only events are made");
                    None
                }
            };
        }
        // The usual case, without going through an `Item`.
        let pending = self.next_direct()?;
        self.decoder.materialize_event(pending)
    }

    /// [`next`](Self::next) or [`next_event`](Self::next_event) (as the decoder's
    /// `events_only` says) with a backlog to decode first, or at the end of the stream.
    #[cold]
    #[inline(never)]
    fn next_slow(&mut self) -> Option<Item<'_>> {
        let Feed {
            decoder,
            chunk,
            chunk_pos,
            text,
            slow,
            drained,
        } = self;
        let slow = slow.as_mut()?;
        if mem::take(&mut decoder.undrained) && !decoder.events_only {
            return Some(Item::Dropped(Dropped::Undrained));
        }
        if !slow.in_chunk {
            let mut text = InputText::off(); // re-entered per item: no stretch kept
            if let Some(p) = decoder.advance(&slow.backlog, &mut slow.backlog_pos, &mut text) {
                return Some(decoder.materialize(p));
            }
            slow.in_chunk = true; // the backlog is used up (and released its zero-copy data)
        }
        if let Some(p) = decoder.advance(chunk, chunk_pos, text) {
            return Some(decoder.materialize(p));
        }
        *drained = true;
        if mem::take(&mut slow.finishing) {
            if let Some(p) = decoder.end_of_stream() {
                if !decoder.events_only {
                    return Some(decoder.materialize(p));
                }
            }
        }
        None
    }

    /// Stops decoding this chunk after the last item taken, keeping none of its rest:
    /// returns how many of the chunk's bytes were decoded, `n`, and the rest,
    /// `&chunk[n..]`, is yours to feed next.
    ///
    /// For a reader that takes one item at a time from a buffer it owns (a `Stream` over
    /// `Bytes` chunks, a `BufRead`): dropping an undrained feed instead copies the chunk's
    /// rest into the decoder, to decode it first on the next call. What the feed decoded
    /// stays decoded (a data value begun in the chunk is copied out of it, as at a chunk's
    /// end), so feeding exactly the rest next decodes the stream as if the chunk had been
    /// drained. A drained feed returns the chunk's length. Bytes of an earlier chunk still
    /// undecoded (that feed was dropped undrained) stay in the decoder and come first next
    /// time; until they are used up, `n` is 0. On the feed of [`Decoder::finish`] this is
    /// the same as dropping it, and returns 0.
    ///
    /// ```
    /// use sse_proto::Decoder;
    ///
    /// let mut decoder = Decoder::new();
    /// let mut chunk: &[u8] = b"data: a\n\ndata: b\n\ndata: c";
    /// let mut events = Vec::new();
    /// loop {
    ///     let mut feed = decoder.feed(chunk);
    ///     let Some(event) = feed.next_event() else { break };
    ///     events.push(event.data().to_owned());
    ///     let n = feed.pause(); // one event per feed; the rest is still ours
    ///     chunk = &chunk[n..];
    /// }
    /// assert_eq!(events, ["a", "b"]);
    /// // `data: c` was decoded as far as it goes (it waits for its line's end) by the
    /// // feed that returned `None`, which was drained: nothing is left to feed again.
    /// let mut feed = decoder.feed(b"\n\n");
    /// assert_eq!(feed.next_event().map(|e| e.data().to_owned()).as_deref(), Some("c"));
    /// ```
    #[must_use = "the bytes after the returned count were not decoded: feed them next"]
    pub fn pause(mut self) -> usize {
        let in_chunk = self
            .slow
            .as_ref()
            .is_none_or(|s| s.in_chunk && !s.finishing);
        let taken = if in_chunk {
            self.chunk_pos.min(self.chunk.len())
        } else {
            0 // still in the backlog (or finishing): none of the chunk was decoded
        };
        // The feed now ends where decoding stopped, so its drop keeps nothing of the chunk.
        self.chunk = self.chunk.get(..taken).unwrap_or_default();
        if self.slow.is_none() {
            // The usual case, as a drained feed's drop: zero-copy data leaves the chunk.
            self.decoder.end_of_input(self.chunk);
            self.drained = true;
        }
        taken
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

impl<'c> Feed<'_, 'c> {
    /// The next decision in the usual case (`direct`: no backlog, not the end of the
    /// stream), straight from the chunk; `None`, and the feed marked drained, when the
    /// chunk is used up.
    #[inline]
    fn next_direct(&mut self) -> Option<Pending<'c>> {
        debug_assert!(
            self.slow.is_none(),
            "only without a backlog or an end to give"
        );
        let pending = self
            .decoder
            .advance(self.chunk, &mut self.chunk_pos, &mut self.text);
        if pending.is_none() {
            self.drained = true;
        }
        pending
    }
}

impl Drop for Feed<'_, '_> {
    #[inline]
    fn drop(&mut self) {
        // The usual case, a drained chunk and no backlog: nothing to do.
        if self.slow.is_some() || !self.drained {
            self.drop_slow();
        }
    }
}

impl Feed<'_, '_> {
    /// Dropping a `Feed` that was not drained, or that holds a backlog buffer.
    #[cold]
    #[inline(never)]
    fn drop_slow(&mut self) {
        let finishing = self.slow.as_ref().is_some_and(|s| s.finishing);
        if self.drained && !finishing {
            // Drained (with a backlog buffer, or the drop would not be here): nothing to
            // keep but the buffer's capacity.
            if let Some(mut slow) = self.slow.take() {
                slow.backlog.clear();
                self.decoder.backlog = slow.backlog;
            }
            return;
        }
        // What an undrained feed keeps stays within the limits (memory is bounded whatever
        // the caller does); the oldest items beyond them are decoded, discarded, counted
        // and reported.
        // (The same sum of the two limits that bounds the data buffer.)
        let limit = self.decoder.data_limit().max(MIN_BACKLOG_LIMIT);
        if !finishing {
            while self.undecoded() > limit {
                let report = self.decoder.undrained;
                match self.next() {
                    Some(Item::Dropped(Dropped::Undrained)) if report => {}
                    Some(_) => {
                        self.decoder.dropped = self.decoder.dropped.saturating_add(1);
                        self.decoder.undrained = true;
                    }
                    None => break,
                }
            }
        }
        // The usual feed has no buffer of its own: the decoder's (empty) one is reused for
        // what is kept.
        let decoder = &mut *self.decoder;
        let mut slow = self.slow.take().unwrap_or_else(|| Slow {
            backlog: mem::take(&mut decoder.backlog),
            backlog_pos: 0,
            in_chunk: true,
            finishing: false,
        });
        // Zero-copy data must leave the input before the input goes away.
        if slow.in_chunk {
            decoder.end_of_input(self.chunk);
        } else {
            decoder.end_of_input(&slow.backlog);
        }
        let chunk_rest = self.chunk.get(self.chunk_pos..).unwrap_or_default();
        let backlog = &mut slow.backlog;
        let mut start = 0;
        if slow.finishing {
            // The stream is over: whatever was not drained belongs to it and is discarded.
            let _ = decoder.end_of_stream();
            backlog.clear();
        } else if slow.in_chunk || slow.backlog_pos >= backlog.len() {
            // The backlog is used up: keep the chunk's rest, reusing the buffer.
            backlog.clear();
            backlog.extend_from_slice(chunk_rest);
        } else {
            // Still inside the backlog: append the whole chunk's rest (amortised), and
            // compact only once more than half of the buffer is decoded.
            start = slow.backlog_pos;
            if start > backlog.len() / 2 {
                backlog.drain(..start);
                start = 0;
            }
            backlog.extend_from_slice(chunk_rest);
        }
        if backlog.is_empty() && backlog.capacity() > limit {
            *backlog = Vec::new(); // a burst's buffer is not kept
        }
        decoder.backlog = mem::take(backlog);
        decoder.backlog_start = start;
    }

    /// Input bytes not decoded yet.
    fn undecoded(&self) -> usize {
        let backlog = match &self.slow {
            Some(slow) if !slow.in_chunk => slow.backlog.len().saturating_sub(slow.backlog_pos),
            _ => 0,
        };
        backlog.saturating_add(self.chunk.len().saturating_sub(self.chunk_pos))
    }
}
