//! UTF-8 repair (P1) and buffer growth that stays within a configured limit.

use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

/// Makes room for `extra` more bytes, growing by doubling as `Vec` does but never past
/// `limit` unless the bytes themselves need more, so the capacity held stays within the
/// configured limit whenever the content does.
#[inline]
pub(super) fn reserve_within(buf: &mut Vec<u8>, extra: usize, limit: usize) {
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
/// standard does. Decoding line by line, or a block of LF-joined lines at once, gives the
/// same text: CR, LF and `:` are ASCII and so end any invalid sequence.
pub(super) fn push_lossy(dst: &mut String, bytes: &[u8]) {
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

/// The stretch of one input known to be valid UTF-8, so that a value inside it becomes a
/// `&str` by slicing (a boundary check) instead of by validating it again. The stretch is
/// found with one `from_utf8` over the rest of the input the first time a value needs it:
/// one call per chunk rather than one per line. Each byte is validated at most twice
/// (again only up to an invalid sequence), so the cost stays linear.
#[derive(Debug, Clone, Copy)]
pub(super) struct InputText<'a> {
    /// Where `valid` starts in the input.
    start: usize,
    valid: &'a str,
    /// Off for inputs re-entered many times (the backlog): each value is checked alone.
    enabled: bool,
}

impl<'a> InputText<'a> {
    pub(super) const fn new() -> Self {
        InputText {
            start: 0,
            valid: "",
            enabled: true,
        }
    }

    /// Checks each value on its own (no stretch is kept).
    pub(super) const fn off() -> Self {
        InputText {
            start: 0,
            valid: "",
            enabled: false,
        }
    }

    /// `input[range]` as text, or `None` if it is not valid UTF-8.
    #[inline]
    pub(super) fn str_at(&mut self, input: &'a [u8], range: Range<usize>) -> Option<&'a str> {
        debug_assert!(range.start <= range.end && range.end <= input.len());
        let valid_end = self.start.saturating_add(self.valid.len());
        if range.start >= self.start && range.end <= valid_end {
            let from = range.start.wrapping_sub(self.start);
            let to = range.end.wrapping_sub(self.start);
            // Values start and end next to ASCII bytes, so these are char boundaries.
            if let Some(text) = self.valid.get(from..to) {
                return Some(text);
            }
        } else if self.enabled && range.start >= valid_end {
            // First use, or past the stretch (which ended at an invalid sequence or at a
            // character cut by the end of the input): validate the rest from here.
            let rest = input.get(range.start..).unwrap_or_default();
            self.start = range.start;
            self.valid = match core::str::from_utf8(rest) {
                Ok(text) => text,
                Err(e) => rest
                    .get(..e.valid_up_to())
                    .and_then(|prefix| core::str::from_utf8(prefix).ok())
                    .unwrap_or_default(),
            };
            let to = range.end.wrapping_sub(range.start);
            if let Some(text) = self.valid.get(..to) {
                return Some(text);
            }
        }
        core::str::from_utf8(input.get(range).unwrap_or_default()).ok()
    }
}
