//! What one complete line does to the event being built (P8–P16), and the two ways a
//! block ends: dispatched at a blank line (P17–P19) or dropped for exceeding a limit.

use core::ops::Range;

use super::text::{push_lossy, InputText};
use super::{Decoder, Dropped, Pending};
use crate::line::{id_is_valid, parse_retry, FieldName, Line};

impl Decoder {
    /// A complete line that lies in `input` from `start`, so its text can be borrowed.
    /// The shapes nearly every line has — blank, `data:`, a comment, `event:`, `id:` and
    /// `retry:` with the usual spelling — are decided here without the general parse.
    /// `*pos` is just past the line's terminator: after a block's second `data` value, the
    /// `data` lines that follow are taken from there at once ([`data_run`](Self::data_run)).
    #[inline]
    pub(super) fn line_in_input<'a>(
        &mut self,
        input: &'a [u8],
        start: usize,
        line: &[u8],
        pos: &mut usize,
        text: &mut InputText<'a>,
    ) -> Option<Pending<'a>> {
        debug_assert!(
            input.get(start..start.saturating_add(line.len())) == Some(line),
            "the line lies in the input"
        );
        if !self.block.skipping {
            match line {
                [] => return self.dispatch(input, text), // P8
                [b'd', b'a', b't', b'a', b':', after @ ..] => {
                    // P10, P13: one optional space after the colon.
                    let value = after.strip_prefix(b" ").unwrap_or(after);
                    // Offsets within `input`, where the line lies: no overflow.
                    let end = start.wrapping_add(line.len());
                    let range = end.wrapping_sub(value.len())..end;
                    let total = self.block.data_len.saturating_add(value.len());
                    if total < self.config.max_event_len {
                        // Within the limit (value + LF), the usual case.
                        if self.block.data_lines == 0 {
                            // The first value stays in the input (zero-copy).
                            self.block.defer_first_value(range, total.saturating_add(1));
                        } else {
                            self.next_data_value(input, value, total.saturating_add(1));
                            // A second value: a multi-line event, whose further `data`
                            // lines are taken in a loop of their own. Not looked for
                            // after a first value, so one-line events pay nothing.
                            *pos = self.data_run(input, *pos);
                        }
                        return None;
                    }
                    return self.data_value(input, value, Some(range));
                }
                [b':', ..] if self.events_only => return None, // P9: not even checked
                [b':', after @ ..] => {
                    // P9, D8: a comment, one optional space stripped.
                    let comment = after.strip_prefix(b" ").unwrap_or(after);
                    let end = start.wrapping_add(line.len());
                    let range = end.wrapping_sub(comment.len())..end;
                    return Some(self.comment(input, comment, Some(range), text));
                }
                [b'e', b'v', b'e', b'n', b't', b':', after @ ..] => {
                    self.event_field(after.strip_prefix(b" ").unwrap_or(after));
                    return None;
                }
                [b'i', b'd', b':', after @ ..] => {
                    return self.id_field(after.strip_prefix(b" ").unwrap_or(after));
                }
                [b'r', b'e', b't', b'r', b'y', b':', after @ ..] => {
                    return self.retry_field(after.strip_prefix(b" ").unwrap_or(after));
                }
                _ => {}
            }
        }
        self.process_line(input, line, Some(start), text)
    }

    /// Processes one complete line (P8–P16). When `at` is `Some`, the line lies in `input`
    /// at that offset and text may be borrowed from there; otherwise it is copied.
    pub(super) fn process_line<'a>(
        &mut self,
        input: &'a [u8],
        line: &[u8],
        at: Option<usize>,
        text: &mut InputText<'a>,
    ) -> Option<Pending<'a>> {
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
            Line::Blank => self.dispatch(input, text),
            Line::Comment(_) if self.events_only => None, // P9: not even checked
            Line::Comment(comment) => {
                Some(self.comment(input, comment, suffix_in_input(comment.len()), text))
            }
            Line::Field { name, value } => match FieldName::from_bytes(name) {
                FieldName::Data => self.data_value(input, value, suffix_in_input(value.len())),
                FieldName::Event => {
                    self.event_field(value);
                    None
                }
                FieldName::Id => self.id_field(value),
                FieldName::Retry => self.retry_field(value),
                FieldName::Unknown if self.config.unknown_fields && !self.events_only => {
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

    /// A complete `data` value (P13), counted against the limit as value + LF. A value that
    /// lies in the input (`in_input`) may stay there (zero-copy).
    fn data_value<'a>(
        &mut self,
        input: &'a [u8],
        value: &[u8],
        in_input: Option<Range<usize>>,
    ) -> Option<Pending<'a>> {
        if let Some(dropped) = self.count_data(value.len()) {
            return Some(dropped);
        }
        let limit = self.data_limit();
        self.block.push_data(value, in_input, input, limit);
        None
    }

    /// A `data` value after the first, already counted (`data_len`, within the limit):
    /// appended to the data buffer after an LF (P13).
    #[inline]
    fn next_data_value(&mut self, input: &[u8], value: &[u8], data_len: usize) {
        let limit = self.data_limit();
        self.block.data_len = data_len;
        self.block.push_next_value(value, input, limit);
    }

    /// A comment's text (P9, D8), borrowed where it lies in the input (`in_input`) as valid
    /// UTF-8, else copied (repaired) into the scratch buffer.
    #[inline]
    fn comment<'a>(
        &mut self,
        input: &'a [u8],
        comment: &[u8],
        in_input: Option<Range<usize>>,
        text: &mut InputText<'a>,
    ) -> Pending<'a> {
        let borrowed = in_input.and_then(|range| text.str_at(input, range));
        if borrowed.is_none() {
            self.scratch.clear();
            push_lossy(&mut self.scratch, comment);
        }
        Pending::Comment(borrowed)
    }

    /// A `retry` field (P15): a value of ASCII digits only sets the reconnection time and is
    /// reported; any other is ignored (D1, D2).
    #[inline]
    fn retry_field<'a>(&mut self, value: &[u8]) -> Option<Pending<'a>> {
        let ms = parse_retry(value)?;
        self.retry = Some(ms);
        (!self.events_only).then_some(Pending::Retry(ms))
    }

    /// An `event` field (P12): its value replaces the event type.
    #[inline]
    fn event_field(&mut self, value: &[u8]) {
        self.block.event_type.clear(); // P12: replaces
        push_lossy(&mut self.block.event_type, value);
        self.block.has_event_type = true;
    }

    /// An `id` field (P14): sets the ID buffer unless the value holds NUL; one longer than
    /// `max_id_len` drops the block.
    #[inline]
    fn id_field<'a>(&mut self, value: &[u8]) -> Option<Pending<'a>> {
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

    /// Counts a complete `data` value of `len` bytes, plus its LF, against `max_event_len`;
    /// drops the block if it no longer fits.
    pub(super) fn count_data<'a>(&mut self, len: usize) -> Option<Pending<'a>> {
        let total = self.block.data_len.saturating_add(len).saturating_add(1);
        self.block.data_len = total;
        if total > self.config.max_event_len {
            return self.drop_block(Dropped::EventTooLarge);
        }
        None
    }

    /// A blank line (P17–P19).
    fn dispatch<'a>(&mut self, input: &'a [u8], text: &mut InputText<'a>) -> Option<Pending<'a>> {
        if self.block.has_id {
            self.last_event_id.clone_from(&self.block.id); // P17: commit, even with no data
        }
        if self.block.data_lines == 0 {
            // P18 step 2: no event. An id-only block is still surfaced (D6).
            let has_id = self.block.has_id;
            // Only the event type and the id flag can be set without data (a comment-only
            // or retry-only block, a keep-alive, sets neither).
            if has_id | self.block.has_event_type {
                self.block.clear();
            }
            debug_assert!(self.block.is_clear(), "nothing else is set without data");
            return has_id.then_some(Pending::LastEventId);
        }
        let limit = self.data_limit();
        let data = self.block.take_data(input, text, limit);
        self.block.dispatched = true; // the buffers back the event until the next call
        Some(Pending::Event { data })
    }

    /// Drops the block for exceeding a limit, reported once; lines are then ignored until
    /// a blank line (P7: the dropped block's fields, its id too, never take effect).
    pub(super) fn drop_block<'a>(&mut self, reason: Dropped) -> Option<Pending<'a>> {
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
}
