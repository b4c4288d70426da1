//! Where lines end: the byte-level rules P2, P4 and P5 (`spec-vectors/RULES.md`), in the
//! one place both the [`Tokenizer`](crate::line::Tokenizer) and the
//! [`Decoder`](crate::Decoder) take them from.
//!
//! * P4: a line ends at CR, LF or CRLF ([`find_line_end`] finds the first CR or LF;
//!   [`Splitter::terminator_len`] measures the whole terminator).
//! * P5: a CR that ends one input ends its line at once; an LF that starts the next input
//!   is the rest of that CRLF, not a blank line ([`Splitter::skip_split_lf`]).
//! * P2: one U+FEFF BOM is dropped from the start of the stream's first line, and only
//!   there ([`Splitter::first_line_bom`]).

pub(crate) use crate::scan::find_line_end;

/// The UTF-8 byte order mark, stripped once at the very start of a stream (P2).
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The state the rules need between inputs: two flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Splitter {
    /// The last line ended with a CR that was the last byte of its input (P5).
    after_cr: bool,
    /// No line of this stream has ended yet (P2).
    at_stream_start: bool,
}

impl Default for Splitter {
    fn default() -> Self {
        Self::new()
    }
}

impl Splitter {
    /// The state at the start of a stream.
    pub(crate) const fn new() -> Self {
        Splitter {
            after_cr: false,
            at_stream_start: true,
        }
    }

    /// How many bytes at the start of `input` to skip before the next line: 1 for the LF
    /// of a CRLF whose CR ended the previous input (P5), else 0. `None` when `input` is
    /// empty and the decision has to wait for a byte.
    #[inline]
    pub(crate) fn skip_split_lf(&mut self, input: &[u8]) -> Option<usize> {
        if !self.after_cr {
            return Some(0);
        }
        let first = *input.first()?;
        self.after_cr = false;
        Some(usize::from(first == b'\n'))
    }

    /// Steps over the terminator at `input[end]` (a CR or LF found by [`find_line_end`])
    /// and returns the index just past it: [`terminator_len`](Self::terminator_len) bytes
    /// further, so the rules live in one place.
    #[inline]
    pub(crate) fn end_line(&mut self, input: &[u8], end: usize) -> usize {
        let from = input.get(end..).unwrap_or_default();
        end.saturating_add(self.terminator_len(from))
    }

    /// How many bytes the terminator that starts `from` (the input from the terminator
    /// on, so never empty) takes: 2 for a CRLF, else 1 (P4). A CR that is the last byte
    /// of the input is remembered, so an LF starting the next input is skipped (P5).
    #[inline]
    pub(crate) fn terminator_len(&mut self, from: &[u8]) -> usize {
        debug_assert!(
            matches!(from.first(), Some(b'\r' | b'\n')),
            "terminator_len is called at a terminator"
        );
        match from {
            [b'\r', b'\n', ..] => 2, // CRLF (P4)
            [b'\r'] => {
                self.after_cr = true; // CR ends the input: an LF may follow (P5)
                1
            }
            _ => 1, // LF, or a lone CR (P4)
        }
    }

    /// The length of the BOM to drop from the start of a line that is complete (or long
    /// enough to tell), and marks the stream's first line as over: 3 for the first line of
    /// a stream that starts with a BOM, else 0 (P2). Call once per line, with the line's
    /// first bytes.
    #[inline]
    pub(crate) fn first_line_bom(&mut self, line: &[u8]) -> usize {
        // Tested before it is cleared: after the first line, a load and no store.
        if !self.at_stream_start {
            return 0;
        }
        self.at_stream_start = false;
        if line.starts_with(BOM) {
            BOM.len()
        } else {
            0
        }
    }

    /// Whether no line of this stream has ended yet: the next line may start with a BOM.
    #[inline]
    pub(crate) const fn at_stream_start(&self) -> bool {
        self.at_stream_start
    }

    /// Whether the LF of a split CRLF may still come (P5).
    #[inline]
    pub(crate) const fn after_cr(&self) -> bool {
        self.after_cr
    }

    /// Marks the first line as over without looking at it (a line dropped unread).
    #[inline]
    pub(crate) fn leave_stream_start(&mut self) {
        self.at_stream_start = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_split_between_inputs_is_one_terminator() {
        let mut s = Splitter::new();
        assert_eq!(s.end_line(b"a\r", 1), 2);
        assert!(s.after_cr());
        assert_eq!(s.skip_split_lf(b""), None, "waits for a byte");
        assert_eq!(s.skip_split_lf(b"\nb"), Some(1));
        assert_eq!(s.skip_split_lf(b"\nb"), Some(0), "only once");
        assert_eq!(s.end_line(b"a\r\nb", 1), 3);
        assert_eq!(s.end_line(b"a\rb", 1), 2);
        assert!(!s.after_cr());
    }

    #[test]
    fn the_bom_is_dropped_from_the_first_line_only() {
        let mut s = Splitter::new();
        assert_eq!(s.first_line_bom(b"\xEF\xBB\xBFdata"), 3);
        assert_eq!(s.first_line_bom(b"\xEF\xBB\xBFdata"), 0);
        let mut s = Splitter::new();
        assert_eq!(s.first_line_bom(b"data"), 0);
        assert_eq!(s.first_line_bom(b"\xEF\xBB\xBF"), 0);
    }
}
