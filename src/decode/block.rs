//! The buffers of the event being built (P7) and how they become an event (P17–P19).
//!
//! Data is checked as UTF-8 at most once. Values that lie in a chunk come as text already
//! (the chunk is checked once, see `InputText`), and are appended to a `String`: such an
//! event needs no check at all when it is dispatched. Once a value arrives as bytes that
//! cannot be checked alone — a line continued across chunks may end in half a character —
//! the block switches to a byte buffer, checked once when the block is dispatched. Either
//! way the result is the same: a line feed ends any invalid sequence, so no U+FFFD can
//! straddle two lines (P1, P13).

use alloc::string::String;
use alloc::vec::Vec;
use core::mem;
use core::ops::Range;

use super::text::{push_lossy, reserve_within, InputText};

/// The per-block buffers of P7.
#[derive(Debug, Clone, Default)]
pub(super) struct Block {
    /// The data buffer without its final LF (P13, P18) while every value came as text;
    /// after dispatch, the event's data in either mode.
    text: String,
    /// The data buffer as bytes, once a value came as bytes (`raw`).
    data: Vec<u8>,
    /// The data buffer is `data`, not `text`.
    raw: bool,
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

/// Makes room for `extra` more bytes in a `String`, within `limit` as [`reserve_within`].
#[inline]
fn reserve_text_within(buf: &mut String, extra: usize, limit: usize) {
    let needed = buf.len().saturating_add(extra);
    if needed > buf.capacity() {
        let target = needed
            .max(buf.capacity().saturating_mul(2))
            .min(limit)
            .max(needed);
        buf.reserve_exact(target.saturating_sub(buf.len()));
    }
}

impl Block {
    /// Starts a `data` value (P13): the LF between it and an earlier value goes in first.
    /// A first value that lies whole in the input is left there (`in_input`, zero-copy);
    /// otherwise `value` is appended. `limit` bounds the data buffer's growth.
    #[inline]
    pub(super) fn push_data<'a>(
        &mut self,
        value: &[u8],
        in_input: Option<Range<usize>>,
        input: &'a [u8],
        input_text: &mut InputText<'a>,
        limit: usize,
    ) {
        let first = self.data_lines == 0;
        self.data_lines = self.data_lines.saturating_add(1);
        if first {
            debug_assert!(self.text.is_empty() && self.data.is_empty() && !self.raw);
            debug_assert!(self.deferred.is_none());
            if let Some(range) = in_input {
                debug_assert!(range.end <= input.len(), "a value in the input lies in it");
                self.deferred = Some(range); // zero-copy until proven otherwise
                return;
            }
        } else {
            self.flush_deferred(input, input_text, limit);
            self.append(b"\n", Some("\n"), limit); // P13: the LF between values (never the final one, P18)
        }
        let as_text = in_input.and_then(|range| input_text.str_at(input, range));
        self.append(value, as_text, limit);
    }

    /// Appends more bytes of the current `data` value (one that continues across chunks,
    /// so they may end in part of a character: bytes, checked at dispatch).
    #[inline]
    pub(super) fn append_data(&mut self, bytes: &[u8], limit: usize) {
        self.append(bytes, None, limit);
    }

    /// Appends to the data buffer: as text while every piece is text (`as_text`, the same
    /// bytes as `bytes`), as bytes from the first piece that is not.
    #[inline]
    fn append(&mut self, bytes: &[u8], as_text: Option<&str>, limit: usize) {
        if !self.raw {
            if let Some(text) = as_text {
                debug_assert_eq!(text.as_bytes(), bytes);
                reserve_text_within(&mut self.text, text.len(), limit);
                self.text.push_str(text);
                return;
            }
            // Switch to bytes, keeping what is there (a copy of the values so far).
            self.raw = true;
            self.data.clear();
            reserve_within(&mut self.data, self.text.len(), limit);
            self.data.extend_from_slice(self.text.as_bytes());
            self.text.clear();
        }
        reserve_within(&mut self.data, bytes.len(), limit);
        self.data.extend_from_slice(bytes);
    }

    /// Copies a zero-copy value out of `input` into the data buffer: the input is about to
    /// be left behind, or a second value follows it.
    #[inline]
    pub(super) fn flush_deferred<'a>(
        &mut self,
        input: &'a [u8],
        input_text: &mut InputText<'a>,
        limit: usize,
    ) {
        if let Some(range) = self.deferred.take() {
            debug_assert!(range.end <= input.len(), "the deferred value is in this input");
            let as_text = input_text.str_at(input, range.clone());
            self.append(input.get(range).unwrap_or_default(), as_text, limit);
        }
    }

    /// At a blank line with data (P18): the data as borrowed text, when it is one valid
    /// value in the input; `None` when it is [`text`](Self::text), made ready here (as
    /// text already, or the byte buffer checked as UTF-8 once and repaired only if
    /// invalid, P1).
    pub(super) fn take_data<'a>(
        &mut self,
        input: &'a [u8],
        input_text: &mut InputText<'a>,
    ) -> Option<&'a str> {
        if let Some(range) = self.deferred.take() {
            debug_assert!(self.text.is_empty() && !self.raw, "a deferred value is the only one");
            debug_assert!(range.end <= input.len(), "the deferred value is in this input");
            if let Some(text) = input_text.str_at(input, range.clone()) {
                return Some(text); // zero-copy
            }
            push_lossy(&mut self.text, input.get(range).unwrap_or_default());
            return None;
        }
        if mem::take(&mut self.raw) {
            debug_assert!(self.text.is_empty(), "raw mode holds the data in `data`");
            match String::from_utf8(mem::take(&mut self.data)) {
                // The buffer becomes the text without a copy; the text's old allocation
                // becomes the next byte buffer, so nothing is allocated in steady state.
                Ok(text) => self.data = mem::replace(&mut self.text, text).into_bytes(),
                Err(invalid) => {
                    self.data = invalid.into_bytes();
                    push_lossy(&mut self.text, &self.data);
                }
            }
        }
        None
    }

    /// The data of the dispatched event, when it did not borrow from the input.
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    /// The event type of the dispatched event: `message` unless set non-empty (P19).
    pub(super) fn event_type(&self) -> &str {
        if self.event_type.is_empty() {
            "message"
        } else {
            &self.event_type
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
        self.raw = false;
        self.data_lines = 0;
        self.deferred = None;
        self.data_len = 0;
        self.event_type.clear();
        self.has_event_type = false;
        self.has_id = false;
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
