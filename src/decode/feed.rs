//! The lending iterator over one chunk's items, and what happens to a chunk that is not
//! drained.

use alloc::vec::Vec;
use core::mem;

use super::text::InputText;
use super::{Decoder, Item};

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
#[derive(Debug)]
#[must_use = "a Feed decodes nothing until drained with next()"]
pub struct Feed<'d, 'c> {
    decoder: &'d mut Decoder,
    backlog: Vec<u8>,
    backlog_pos: usize,
    chunk: &'c [u8],
    chunk_pos: usize,
    /// The part of `chunk` known to be valid UTF-8.
    text: InputText<'c>,
    /// The backlog is used up (or was empty); decoding has moved on to `chunk`.
    in_chunk: bool,
    /// `chunk` is used up and the decoder has let go of it (no zero-copy value left in it).
    drained: bool,
    finishing: bool,
}

impl<'d, 'c> Feed<'d, 'c> {
    /// The items of `chunk`, after those of any undrained earlier chunk. Cheap when there
    /// is no backlog (the usual case): nothing is allocated or copied.
    pub(super) fn new(decoder: &'d mut Decoder, chunk: &'c [u8]) -> Self {
        let backlog = mem::take(&mut decoder.backlog);
        Feed {
            in_chunk: backlog.is_empty(),
            decoder,
            backlog,
            backlog_pos: 0,
            chunk,
            chunk_pos: 0,
            drained: false,
            text: InputText::new(),
            finishing: false,
        }
    }
}

impl<'d> Feed<'d, 'static> {
    /// The end of the stream: the items of any undrained chunk, then the end (P20).
    pub(super) fn finishing(decoder: &'d mut Decoder) -> Self {
        let mut feed = Feed::new(decoder, &[]);
        feed.finishing = true;
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
        if !self.in_chunk || self.finishing {
            return self.next_slow();
        }
        // The usual case: no backlog, not the end of the stream.
        match self
            .decoder
            .advance(self.chunk, &mut self.chunk_pos, &mut self.text)
        {
            Some(p) => Some(self.decoder.materialize(p)),
            None => {
                self.drained = true;
                None
            }
        }
    }

    /// [`next`](Self::next) with a backlog to decode first, or at the end of the stream.
    #[cold]
    #[inline(never)]
    fn next_slow(&mut self) -> Option<Item<'_>> {
        if !self.in_chunk {
            let mut text = InputText::off(); // re-entered per item: no stretch kept
            if let Some(p) = self
                .decoder
                .advance(&self.backlog, &mut self.backlog_pos, &mut text)
            {
                return Some(self.decoder.materialize(p));
            }
            self.in_chunk = true; // the backlog is used up (and released its zero-copy data)
        }
        if let Some(p) = self
            .decoder
            .advance(self.chunk, &mut self.chunk_pos, &mut self.text)
        {
            return Some(self.decoder.materialize(p));
        }
        self.drained = true;
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
    #[inline]
    fn drop(&mut self) {
        // The usual case, a drained chunk and no backlog buffer: nothing to do.
        if !(self.drained && !self.finishing && self.backlog.capacity() == 0) {
            self.drop_slow();
        }
    }
}

impl Feed<'_, '_> {
    /// Dropping a `Feed` that was not drained, or that holds a backlog buffer.
    #[cold]
    #[inline(never)]
    fn drop_slow(&mut self) {
        if self.drained && !self.finishing {
            // Drained: nothing to keep but the backlog's capacity.
            self.backlog.clear();
            self.decoder.backlog = mem::take(&mut self.backlog);
            return;
        }
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
