//! The buffers of the event being built (P7) and how they become an event (P17–P19).
//!
//! Data is kept as raw bytes and checked as UTF-8 once, where it lies, when the event is
//! handed out, rather than once per `data` line: the result is the same, because a line
//! feed ends any invalid sequence, so no U+FFFD can straddle two lines (P1, P13).

use alloc::string::String;
use core::mem;
use core::ops::Range;

use super::byte_buffer::ByteBuffer;
use super::text::InputText;
use super::Event;

/// The per-block buffers of P7.
#[derive(Debug, Clone, Default)]
pub(super) struct Block {
    /// The data buffer without its final LF (P13, P18), as raw bytes, once more than the
    /// first line of data is known or the first line did not stay in the input.
    data: ByteBuffer,
    /// The U+FFFD repair of dispatched data that is not valid UTF-8 (P1); valid data is
    /// handed out from the data buffer itself.
    text: String,
    /// Number of `data` fields in this block; zero means "data buffer empty" (P18).
    pub(super) data_lines: usize,
    /// The block's single `data` value so far, left in the current input (zero-copy).
    deferred: Option<Range<usize>>,
    /// Bytes counted against `max_event_len`: each value plus one for its LF.
    pub(super) data_len: usize,
    /// The event type buffer (P12).
    pub(super) event_type: String,
    /// This block had an `event` field (even an empty one).
    pub(super) has_event_type: bool,
    /// The last event ID buffer (P7, P14): only committed at a blank line (P17).
    pub(super) id: String,
    /// This block set the ID buffer (D5).
    pub(super) has_id: bool,
    /// A limit was exceeded: ignore lines until a blank line ends the block.
    pub(super) skipping: bool,
    /// The last block was dispatched and its buffers still back the item handed out.
    pub(super) dispatched: bool,
}

impl Block {
    /// Starts a `data` value (P13): the LF between it and an earlier value goes in first.
    /// A first value that lies whole in the input is left there (`in_input`, zero-copy);
    /// otherwise `value` is appended. `limit` bounds the data buffer's growth.
    #[inline]
    pub(super) fn push_data(
        &mut self,
        value: &[u8],
        in_input: Option<Range<usize>>,
        input: &[u8],
        limit: usize,
    ) {
        let first = self.data_lines == 0;
        self.data_lines = self.data_lines.saturating_add(1);
        if first {
            debug_assert!(self.data.is_empty() && self.deferred.is_none());
            if let Some(range) = in_input {
                debug_assert!(range.end <= input.len(), "a value in the input lies in it");
                self.deferred = Some(range); // zero-copy until proven otherwise
                return;
            }
        } else {
            self.separate_value(input, limit);
        }
        self.append_data(value, limit);
    }

    /// The block's first `data` value, whole in the input at `range` and already counted
    /// (`data_len`, value + LF, within the limit): it is left there (zero-copy) until the
    /// block is dispatched, another value follows, or the input goes.
    #[inline]
    pub(super) fn defer_first_value(&mut self, range: Range<usize>, data_len: usize) {
        debug_assert!(self.data_lines == 0 && self.data.is_empty() && self.deferred.is_none());
        self.data_lines = 1;
        self.data_len = data_len;
        self.deferred = Some(range);
    }

    /// A `data` value begins but does not end in `input`: its start goes into the data
    /// buffer, after the LF that separates it from an earlier value (P13).
    #[inline(never)]
    pub(super) fn start_value(&mut self, start: &[u8], input: &[u8], limit: usize) {
        // The usual case, a block whose values are all in the buffer, which has room for
        // the LF and the start: both written at once, by fixed-size copies (the start is
        // what is left of a chunk, so usually short).
        if self.deferred.is_none() && self.data.extend_short(self.data_lines != 0, start) {
            self.data_lines = self.data_lines.saturating_add(1);
            return;
        }
        self.start_value_slow(start, input, limit);
    }

    /// [`start_value`](Self::start_value) in general.
    #[cold]
    #[inline(never)]
    fn start_value_slow(&mut self, start: &[u8], input: &[u8], limit: usize) {
        if self.data_lines != 0 {
            self.separate_value(input, limit);
        }
        self.data_lines = self.data_lines.saturating_add(1);
        self.append_data(start, limit);
    }

    /// A complete `data` value after the first: an LF, then the value (P13).
    #[inline]
    pub(super) fn push_next_value(&mut self, value: &[u8], input: &[u8], limit: usize) {
        debug_assert!(self.data_lines > 0, "an earlier value exists");
        self.data_lines = self.data_lines.saturating_add(1);
        self.separate_value(input, limit);
        self.append_data(value, limit);
    }

    /// Starts a run of `data` values after the second (see `decode/run.rs`): each value
    /// is appended with the LF that ended its line, which follows it in the input, so LF
    /// and value are one copy; the LF that separates the run from the values before it
    /// goes in here. [`end_run`](Self::end_run) removes the LF after the last one (P18).
    #[inline]
    pub(super) fn start_run(&mut self, limit: usize) {
        debug_assert!(
            self.data_lines > 1 && self.deferred.is_none(),
            "values joined"
        );
        self.push_separator(limit);
    }

    /// A complete `data` value in a run, `value_lf`: the value and its line's LF.
    #[inline]
    pub(super) fn push_run_value(&mut self, value_lf: &[u8], limit: usize) {
        debug_assert!(
            value_lf.last() == Some(&b'\n'),
            "the value's LF comes with it"
        );
        self.data_lines = self.data_lines.saturating_add(1);
        self.append_data(value_lf, limit);
    }

    /// Ends a run of `data` values: the LF after the last one goes (P13, P18).
    #[inline]
    pub(super) fn end_run(&mut self) {
        let last = self.data.pop();
        debug_assert_eq!(last, Some(b'\n'), "a run leaves an LF last");
    }

    /// Before a value that follows another: the earlier one leaves the input if it was
    /// deferred there, then the LF between them (P13; never a final one, P18).
    #[inline]
    fn separate_value(&mut self, input: &[u8], limit: usize) {
        self.flush_deferred(input, limit);
        self.push_separator(limit);
    }

    /// The LF between two values (P13).
    #[inline]
    fn push_separator(&mut self, limit: usize) {
        self.data.push(b'\n', limit);
    }

    /// Appends more bytes of the current `data` value (one that continues across chunks).
    #[inline]
    pub(super) fn append_data(&mut self, bytes: &[u8], limit: usize) {
        self.data.extend(bytes, limit);
    }

    /// Appends the first `len` bytes of `window`, as [`append_data`](Self::append_data)
    /// does, by one fixed-size copy when it can ([`ByteBuffer::extend_from_window`]).
    #[inline]
    pub(super) fn append_data_from(&mut self, window: &[u8], len: usize, limit: usize) {
        self.data.extend_from_window(window, len, limit);
    }

    /// A first `data` value is still left in the input (zero-copy).
    #[inline]
    pub(super) fn has_deferred(&self) -> bool {
        self.deferred.is_some()
    }

    /// Copies a zero-copy value out of `input` into the data buffer: the input is about to
    /// be left behind, or a second value follows it.
    #[inline]
    pub(super) fn flush_deferred(&mut self, input: &[u8], limit: usize) {
        if let Some(range) = self.deferred.take() {
            debug_assert!(
                range.end <= input.len(),
                "the deferred value is in this input"
            );
            let value = input.get(range).unwrap_or_default();
            self.append_data(value, limit);
        }
    }

    /// At a blank line with data (P18): the data as borrowed text, when it is one valid
    /// value in the input; `None` when it is the data buffer, which
    /// [`event`](Self::event) checks as UTF-8 where it lies. A value left in the input
    /// that is not valid UTF-8 is copied into the buffer, to be repaired there.
    #[inline]
    pub(super) fn take_data<'a>(
        &mut self,
        input: &'a [u8],
        input_text: &mut InputText<'a>,
        limit: usize,
    ) -> Option<&'a str> {
        let range = self.deferred.take()?;
        self.take_deferred(range, input, input_text, limit)
    }

    /// [`take_data`](Self::take_data) of a value left in the input at `range`.
    fn take_deferred<'a>(
        &mut self,
        range: Range<usize>,
        input: &'a [u8],
        input_text: &mut InputText<'a>,
        limit: usize,
    ) -> Option<&'a str> {
        debug_assert!(self.data.is_empty(), "a deferred value is the only one");
        debug_assert!(
            range.end <= input.len(),
            "the deferred value is in this input"
        );
        let text = input_text.str_at(input, range.clone());
        if text.is_none() {
            self.append_data(input.get(range).unwrap_or_default(), limit);
        }
        text
    }

    /// The event of the dispatched block: its data is `borrowed` (from the input), or the
    /// data buffer checked as UTF-8 once, in place, and repaired only if invalid (P1).
    /// `last_event_id` is the committed one (P17).
    #[inline]
    pub(super) fn event<'b>(
        &'b mut self,
        borrowed: Option<&'b str>,
        last_event_id: &'b str,
    ) -> Event<'b> {
        let Block {
            data,
            text,
            event_type,
            has_id,
            ..
        } = self;
        Event {
            event_type: if event_type.is_empty() {
                "message" // P19
            } else {
                event_type
            },
            data: match borrowed {
                Some(data) => data,
                None => data.text(text),
            },
            last_event_id,
            has_id: *has_id,
        }
    }

    /// After an item was handed out, the buffers behind it can be reset (P18, P19).
    #[inline]
    pub(super) fn dispatched_reset(&mut self) {
        if mem::take(&mut self.dispatched) {
            self.clear();
        }
    }

    /// Resets the data and event type buffers; the id buffer stays (P17).
    pub(super) fn clear(&mut self) {
        self.data.clear();
        self.text.clear();
        self.data_lines = 0;
        self.deferred = None;
        self.data_len = 0;
        self.event_type.clear();
        self.has_event_type = false;
        self.has_id = false;
    }

    /// Whether [`clear`](Self::clear) would change nothing.
    pub(super) fn is_clear(&self) -> bool {
        self.data.is_empty()
            && self.text.is_empty()
            && self.data_lines == 0
            && self.deferred.is_none()
            && self.data_len == 0
            && self.event_type.is_empty()
            && !self.has_event_type
            && !self.has_id
    }

    /// Heap bytes held.
    pub(super) fn capacity(&self) -> usize {
        self.data
            .capacity()
            .saturating_add(self.text.capacity())
            .saturating_add(self.event_type.capacity())
            .saturating_add(self.id.capacity())
    }
}
