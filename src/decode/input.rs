//! Cutting each input into lines with the shared line rules (P2, P4, P5), and the line
//! that continues from one chunk into the next (the carry).
//!
//! A line that ends inside the input it started in is handed on where it lies, so its
//! text can be borrowed (zero-copy). A line that continues into the next chunk is carried:
//! a `data` line's value goes straight into the event's data buffer, so each of its bytes
//! is copied once; any other line is held in the partial-line buffer until it ends.

use core::mem;

use super::byte_buffer::ByteBuffer;
use super::text::InputText;
use super::{Decoder, Dropped, Pending};
use crate::scan::find_line_end_inlined;
use crate::split::{Splitter, BOM};

/// What the line in progress at the end of the last input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    /// No line in progress: the next input starts a line.
    #[default]
    None,
    /// The start of a line, held in `partial`.
    Held,
    /// A `data` line whose value is being appended to the data buffer.
    Data,
    /// A line being dropped (too long, or inside a dropped block): skipped to its end.
    Skip,
}

/// The line carried from one input to the next.
#[derive(Debug, Clone, Default)]
pub(super) struct Carry {
    state: State,
    /// The start of a `Held` line (at most `max_line_len` bytes, a BOM included).
    partial: ByteBuffer,
    /// Bytes of a `Data` line so far, field name included (for `max_line_len`).
    line_len: usize,
    /// Bytes of a `Data` line's value so far (for `max_event_len`, counted when it ends).
    value_len: usize,
}

impl Carry {
    /// Heap bytes held.
    pub(super) fn capacity(&self) -> usize {
        self.partial.capacity()
    }
}

/// Where the value of a `data` line that has not ended starts: after `data:` and one
/// optional space (P10, P13). `None` for any other line, and until the byte after the
/// colon is known, since it decides whether a space is stripped.
#[inline]
fn data_value_at(line: &[u8]) -> Option<usize> {
    match line {
        [b'd', b'a', b't', b'a', b':', b' ', ..] => Some(6),
        [b'd', b'a', b't', b'a', b':', _, ..] => Some(5),
        _ => None,
    }
}

impl Decoder {
    /// The most bytes the data buffer may hold (see the `data_limit` field).
    #[inline]
    pub(super) fn data_limit(&self) -> usize {
        self.data_limit
    }

    /// Decodes lines of `input` from `*pos` until one yields an item or the input ends.
    pub(super) fn advance<'a>(
        &mut self,
        input: &'a [u8],
        pos: &mut usize,
        text: &mut InputText<'a>,
    ) -> Option<Pending<'a>> {
        // The item handed out last (if any) has been released by now.
        self.block.dispatched_reset();
        // What the last input left unfinished is settled first, so every line the loop
        // below meets began in this input: the loop never looks at the carry.
        if self.split.after_cr() {
            // P5: the last input ended with a CR, and so did its line; an LF starting this
            // input is the rest of that CRLF. (Only at an input's start: a CR sets this
            // only as an input's last byte.)
            let rest = input.get(*pos..).unwrap_or_default();
            let skip = self.split.skip_split_lf(rest).unwrap_or(0);
            *pos = pos.saturating_add(skip);
        }
        if self.carry.state != State::None {
            if let Some(pending) = self.resume(input, pos, text) {
                if self.hands_out(&pending) {
                    return Some(pending);
                }
            }
        }
        // The position lives in a local through the loop (a register), and is stored
        // back only when the call returns: one store per call instead of one per line.
        let mut at = *pos;
        loop {
            let start = at;
            let rest = input.get(start..).unwrap_or_default();
            let Some(&first) = rest.first() else {
                *pos = at;
                // Nothing was dispatched since the reset above (an event returns at once).
                if self.block.has_deferred() {
                    self.end_of_input(input);
                }
                return None;
            };
            match self.next_line(rest, first) {
                Some((line, taken)) => {
                    // `taken` bytes lie in `rest`: no overflow.
                    at = start.wrapping_add(taken);
                    if let Some(pending) = self.complete_line(input, start, line, &mut at, text) {
                        if self.hands_out(&pending) {
                            *pos = at;
                            return Some(pending);
                        }
                    }
                }
                None => {
                    at = input.len();
                    if let Some(pending) = self.carry_begun(input, rest) {
                        if self.hands_out(&pending) {
                            *pos = at;
                            return Some(pending);
                        }
                    }
                }
            }
        }
    }

    /// The line that starts `rest`, whose first byte is `first`, and how many bytes it
    /// takes with its terminator (P4, P5); `None` when `rest` ends inside it.
    #[inline(always)]
    fn next_line<'r>(&mut self, rest: &'r [u8], first: u8) -> Option<(&'r [u8], usize)> {
        // A blank line (one per event) needs no search.
        let end = match first {
            b'\n' | b'\r' => Some(0),
            _ => find_line_end_inlined(rest),
        };
        // The line and its terminator, as slices of `rest`: nothing below re-slices the
        // input by index.
        let (line, terminator) = rest.split_at_checked(end?)?;
        let taken = line
            .len()
            .wrapping_add(self.split.terminator_len(terminator));
        Some((line, taken))
    }

    /// Whether `pending` becomes an item: always, but for an event only when only events
    /// are asked for ([`Feed::next_event`](super::Feed::next_event)).
    #[inline]
    fn hands_out(&self, pending: &Pending<'_>) -> bool {
        !self.events_only || matches!(pending, Pending::Event { .. })
    }

    /// A line that began in this input has ended: `line`, which lies in `input` from
    /// `start`. `*pos` is just past its terminator.
    #[inline]
    fn complete_line<'a>(
        &mut self,
        input: &'a [u8],
        start: usize,
        line: &'a [u8],
        pos: &mut usize,
        text: &mut InputText<'a>,
    ) -> Option<Pending<'a>> {
        debug_assert_eq!(self.carry.state, State::None, "no line is carried");
        if line.len() > self.config.max_line_len {
            self.split.leave_stream_start();
            return self.drop_block(Dropped::LineTooLong);
        }
        let (start, line) = match self.split.first_line_bom(line) {
            0 => (start, line), // P2: no BOM here
            bom => (
                start.saturating_add(bom),
                line.get(bom..).unwrap_or_default(),
            ),
        };
        self.line_in_input(input, start, line, pos, text)
    }

    /// The line carried from the last input, at this input's start (`*pos`): it ends in
    /// this input, or this input is all of it and it goes on.
    #[inline]
    fn resume<'a>(
        &mut self,
        input: &'a [u8],
        pos: &mut usize,
        text: &mut InputText<'a>,
    ) -> Option<Pending<'a>> {
        let start = *pos;
        let rest = input.get(start..).unwrap_or_default();
        let Some(&first) = rest.first() else {
            return None; // nothing to go on with yet
        };
        match self.next_line(rest, first) {
            Some((line, taken)) => {
                *pos = start.wrapping_add(taken);
                self.complete_carried(input, rest, line, text)
            }
            None => {
                *pos = input.len();
                self.carry_further(input, rest)
            }
        }
    }

    /// A line that began in an earlier input has ended with `line`, which starts
    /// `window` (the input from the line on, read past the line by fixed-size copies).
    #[inline]
    fn complete_carried<'a>(
        &mut self,
        input: &'a [u8],
        window: &[u8],
        line: &[u8],
        text: &mut InputText<'a>,
    ) -> Option<Pending<'a>> {
        let max_line_len = self.config.max_line_len;
        match mem::take(&mut self.carry.state) {
            State::None => None, // nothing was carried
            State::Data => {
                if self.carry.line_len.saturating_add(line.len()) > max_line_len {
                    return self.drop_block(Dropped::LineTooLong);
                }
                let value_len = self.carry.value_len.saturating_add(line.len());
                let limit = self.data_limit();
                self.block.append_data_from(window, line.len(), limit);
                self.count_data(value_len)
            }
            State::Held
                if self.events_only
                    && !self.split.at_stream_start()
                    && self.carry.partial.as_bytes().first() == Some(&b':')
                    && self.carry.partial.len().saturating_add(line.len()) <= max_line_len =>
            {
                // A comment within the limit, when only events are asked for, is not even
                // put together (P9), as in the input (see `line_in_input`).
                self.carry.partial.clear();
                None
            }
            State::Held => {
                let mut held = mem::take(&mut self.carry.partial);
                let pending = if held.len().saturating_add(line.len()) > max_line_len {
                    self.split.leave_stream_start();
                    self.drop_block(Dropped::LineTooLong)
                } else {
                    // The line began in an earlier chunk: it is decoded from the partial
                    // buffer, which is taken out for the call and put back after.
                    held.extend_from_window(window, line.len(), max_line_len);
                    let held = held.as_bytes();
                    let bom = self.split.first_line_bom(held); // P2, even split
                    self.process_line(input, held.get(bom..).unwrap_or_default(), None, text)
                };
                held.clear();
                self.carry.partial = held;
                pending
            }
            State::Skip => {
                self.split.leave_stream_start();
                None // the rest of a line already dropped
            }
        }
    }

    /// The input ends inside a line that began in it, `rest`: carry it on.
    fn carry_begun<'a>(&mut self, input: &'a [u8], rest: &[u8]) -> Option<Pending<'a>> {
        debug_assert_eq!(self.carry.state, State::None, "no line is carried");
        debug_assert!(!rest.is_empty(), "a carried line has bytes");
        if !self.split.at_stream_start() {
            if self.block.skipping {
                // Inside a dropped block, and not blank (it has bytes): skip it.
                self.carry.state = State::Skip;
                return None;
            }
            if let Some(at) = data_value_at(rest) {
                return self.carry_data(input, rest, at);
            }
        }
        self.hold(input, rest)
    }

    /// The whole of this input, `rest`, continues the line carried from the last one.
    fn carry_further<'a>(&mut self, input: &'a [u8], rest: &[u8]) -> Option<Pending<'a>> {
        debug_assert!(!rest.is_empty(), "a carried line has bytes");
        match self.carry.state {
            State::None | State::Skip => None,
            State::Data => {
                self.carry.line_len = self.carry.line_len.saturating_add(rest.len());
                if self.carry.line_len > self.config.max_line_len {
                    self.carry.state = State::Skip;
                    return self.drop_block(Dropped::LineTooLong);
                }
                self.carry.value_len = self.carry.value_len.saturating_add(rest.len());
                let limit = self.data_limit();
                // A whole chunk of at most 64 bytes is one fixed-size copy.
                self.block.append_data_from(rest, rest.len(), limit);
                None
            }
            State::Held => self.hold(input, rest),
        }
    }

    /// Holds the start of a line in the partial-line buffer, within the line limit.
    fn hold<'a>(&mut self, input: &'a [u8], rest: &[u8]) -> Option<Pending<'a>> {
        let max_line_len = self.config.max_line_len;
        if self.carry.partial.len().saturating_add(rest.len()) > max_line_len {
            self.carry.partial.clear();
            self.carry.state = State::Skip;
            return self.drop_block(Dropped::LineTooLong);
        }
        if !self.carry.partial.extend_short(false, rest) {
            self.carry.partial.extend(rest, max_line_len);
        }
        self.carry.state = State::Held;
        // A line held because it was too short to classify may now show it is `data`.
        if !self.block.skipping && !self.split.at_stream_start() {
            if let Some(at) = data_value_at(self.carry.partial.as_bytes()) {
                let held = mem::take(&mut self.carry.partial);
                let pending = self.carry_data(input, held.as_bytes(), at);
                let mut held = held;
                held.clear();
                self.carry.partial = held;
                return pending;
            }
        }
        None
    }

    /// Starts carrying a `data` line whose first bytes are `line` (value from `at`): the
    /// value goes into the data buffer now, and the rest of it as it arrives.
    #[inline(always)]
    fn carry_data<'a>(&mut self, input: &'a [u8], line: &[u8], at: usize) -> Option<Pending<'a>> {
        debug_assert!(at <= line.len(), "the value starts inside the line");
        if line.len() > self.config.max_line_len {
            self.carry.state = State::Skip;
            return self.drop_block(Dropped::LineTooLong);
        }
        let value = line.get(at..).unwrap_or_default();
        self.carry.state = State::Data;
        self.carry.line_len = line.len();
        self.carry.value_len = value.len();
        let limit = self.data_limit();
        self.block.start_value(value, input, limit); // P13
        None
    }

    /// The current input is used up: a zero-copy data value is copied into the data
    /// buffer, because the input will not outlive this call.
    #[inline]
    pub(super) fn end_of_input(&mut self, input: &[u8]) {
        self.block.dispatched_reset();
        let limit = self.data_limit();
        self.block.flush_deferred(input, limit);
    }

    /// End of stream (P20): discard the partial line and the open block; keep the
    /// committed id (D3, D4); start a new stream.
    pub(super) fn end_of_stream<'a>(&mut self) -> Option<Pending<'a>> {
        self.block.dispatched_reset();
        let partial_lost = match self.carry.state {
            State::None | State::Skip => false,
            State::Data => true,
            State::Held => {
                let mut partial = self.carry.partial.as_bytes();
                if self.split.at_stream_start() {
                    partial = partial.strip_prefix(BOM).unwrap_or(partial); // a lone BOM loses nothing
                }
                !partial.is_empty()
            }
        };
        let lost = !self.block.skipping
            && self.carry.state != State::Skip
            && (partial_lost
                || self.block.data_lines > 0
                || self.block.has_event_type
                || self.block.has_id);
        self.block.clear();
        self.block.skipping = false;
        self.block.id.clone_from(&self.last_event_id); // D4
        self.carry.partial.clear();
        self.carry.state = State::None;
        self.split = Splitter::new();
        lost.then_some(Pending::Truncated)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Decoder, OwnedItem};
    use alloc::vec::Vec;

    /// The items of `stream` cut into `pieces`, then of `finish`.
    fn decode<'a>(pieces: impl IntoIterator<Item = &'a [u8]>) -> Vec<OwnedItem> {
        let mut decoder = Decoder::new();
        let mut items = Vec::new();
        for piece in pieces {
            items.extend(decoder.feed(piece).owned());
        }
        items.extend(decoder.finish().owned());
        items
    }

    /// Events of one and of several `data` lines, 0 to 140 bytes long (around the sizes
    /// the carry copies in fixed pieces), with LF, CRLF and CR endings and a line of
    /// another field between them: cut in two at every point, and into chunks of every
    /// size up to 80 bytes, they decode as the whole stream does.
    #[test]
    fn carried_lines_of_every_length_decode_as_whole() {
        let mut stream = Vec::new();
        for (i, len) in [0, 1, 7, 31, 50, 63, 64, 65, 66, 90, 127, 128, 129, 140]
            .into_iter()
            .enumerate()
        {
            let end: &[u8] = [&b"\n"[..], b"\r\n", b"\r"][i % 3];
            for line in 0..=(i % 3) {
                stream.extend_from_slice(if line % 2 == 0 { b"data: " } else { b"data:" });
                stream.extend((0..len + line).map(|k| b'a' + (k % 26) as u8));
                stream.extend_from_slice(end);
                if i % 4 == 1 {
                    stream.extend_from_slice(b"id: 7\n");
                }
            }
            stream.extend_from_slice(end);
        }
        let whole = decode([&stream[..]]);
        assert_eq!(
            whole
                .iter()
                .filter(|item| matches!(item, OwnedItem::Event(_)))
                .count(),
            14,
            "{whole:?}"
        );
        for cut in 1..stream.len() {
            let (a, b) = stream.split_at(cut);
            assert_eq!(decode([a, b]), whole, "cut at {cut}");
        }
        for size in 1..=80 {
            assert_eq!(decode(stream.chunks(size)), whole, "chunks of {size}");
        }
    }
}
