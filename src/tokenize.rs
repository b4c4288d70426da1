//! The allocation-free layer: bytes in, borrowed lines out; the caller keeps the tail.

use crate::line::Line;
use crate::split::{find_line_end, Splitter, BOM};

/// The result of a step that may need more input. Incomplete input is not an error.
///
/// ```
/// use sse_proto::line::Status;
///
/// let s: Status<u8> = Status::Partial;
/// assert!(s.is_partial());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// A complete value.
    Complete(T),
    /// More bytes are needed; nothing was consumed.
    Partial,
}

impl<T> Status<T> {
    /// `true` for [`Status::Partial`].
    ///
    /// ```
    /// use sse_proto::line::Tokenizer;
    ///
    /// let mut tok = Tokenizer::new();
    /// assert!(tok.next_line(b"data: no end yet").is_partial());
    /// assert!(!tok.next_line(b"data: no end yet\n").is_partial());
    /// ```
    #[must_use]
    pub const fn is_partial(&self) -> bool {
        matches!(self, Status::Partial)
    }
}

/// An allocation-free line tokenizer for `text/event-stream` (works without `alloc`).
///
/// The httparse contract: you hand it your buffer of unconsumed bytes, it returns the next
/// complete [`Line`] (borrowed from your buffer) and how many bytes it consumed, or
/// [`Status::Partial`] when the buffer holds no complete line yet. You then drop the
/// consumed bytes, append new ones after the rest, and call again with the **same
/// unconsumed prefix**: the tokenizer remembers how far it already looked, so no byte is
/// scanned twice (linear time however the stream is chunked).
///
/// It implements the byte-level rules: one BOM stripped at the start of the stream, even
/// when it arrives split (P2); CR, LF and CRLF endings (P4); a CR that ends the buffer
/// completes the line at once, and an LF that then starts the next buffer is swallowed (P5);
/// classification into blank / comment / field with the one-space strip (P8–P11).
/// Building events from lines (P12–P21) is the [`Decoder`](crate::Decoder)'s job, or yours.
///
/// The tokenizer holds no line itself, so your buffer is the line-length limit: when it is
/// full and the result is still `Partial`, drop the line with [`Tokenizer::skip_line`].
///
/// # Example
///
/// ```
/// use sse_proto::line::{Line, Status, Tokenizer};
///
/// let mut tok = Tokenizer::new();
/// let mut buf = Vec::new(); // any buffer you own: a fixed array works the same way
/// let mut lines = Vec::new();
/// for chunk in [&b"\xEF\xBBdata: a\r"[..], b"\ndata: b", b"\n\n"] {
///     buf.extend_from_slice(chunk);
///     let mut start = 0;
///     while let Status::Complete((used, line)) = tok.next_line(&buf[start..]) {
///         lines.push(format!("{line:?}"));
///         start += used;
///     }
///     buf.drain(..start); // keep the unconsumed tail
/// }
/// // "\xEF\xBB" was not a whole BOM, so it stays in the first line (P2).
/// assert_eq!(lines.len(), 3);
/// assert_eq!(Line::parse(b"data: b"), Line::Field { name: b"data", value: b"b" });
/// ```
#[derive(Debug, Clone)]
pub struct Tokenizer {
    /// The line rules P2, P4, P5 (shared with the decoder).
    split: Splitter,
    /// Where the current line starts in the caller's buffer (1 after a swallowed LF).
    line_start: usize,
    /// How many bytes of the caller's buffer are known to hold no terminator.
    scanned: usize,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Tokenizer {
    /// A tokenizer at the start of a stream.
    ///
    /// ```
    /// use sse_proto::line::{Line, Status, Tokenizer};
    ///
    /// // At the start of a stream: a BOM is skipped (P2), and counted as used.
    /// let mut tok = Tokenizer::new();
    /// let line = Line::Field { name: b"data", value: b"x" };
    /// assert_eq!(tok.next_line(b"\xEF\xBB\xBFdata: x\n"), Status::Complete((11, line)));
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Tokenizer {
            split: Splitter::new(),
            line_start: 0,
            scanned: 0,
        }
    }

    /// Returns the next complete line of `buf` and the number of bytes it used (the line,
    /// its terminator, and any BOM or swallowed LF before it), or [`Status::Partial`] if
    /// `buf` holds no complete line (nothing consumed: call again with more bytes appended).
    ///
    /// ```
    /// use sse_proto::line::{Line, Status, Tokenizer};
    ///
    /// let mut tok = Tokenizer::new();
    /// assert_eq!(tok.next_line(b"data: x"), Status::Partial);
    /// assert_eq!(
    ///     tok.next_line(b"data: x\r"),
    ///     Status::Complete((8, Line::Field { name: b"data", value: b"x" }))
    /// );
    /// // The LF after that CR belongs to it (P5): it is not a blank line.
    /// assert_eq!(tok.next_line(b"\n\n"), Status::Complete((2, Line::Blank)));
    /// ```
    pub fn next_line<'b>(&mut self, buf: &'b [u8]) -> Status<(usize, Line<'b>)> {
        let Some(end) = self.find_end(buf) else {
            return Status::Partial;
        };
        let content = buf.get(self.line_start..end).unwrap_or_default();
        let content = content
            .get(self.split.first_line_bom(content)..)
            .unwrap_or_default(); // P2
        let consumed = self.end_line(buf, end);
        Status::Complete((consumed, Line::parse(content)))
    }

    /// Drops the current line without looking at it: for a caller whose buffer is full.
    ///
    /// Returns `Some(n)` when the line ends within `buf` (drop `n` bytes, then go back to
    /// [`next_line`](Self::next_line)), or `None` when all of `buf` belongs to the line
    /// (drop it all and call `skip_line` again with the bytes that follow).
    ///
    /// ```
    /// use sse_proto::line::{Line, Status, Tokenizer};
    ///
    /// let mut tok = Tokenizer::new();
    /// let mut buf = [0u8; 8];
    /// buf.copy_from_slice(b"data: lo");
    /// assert_eq!(tok.next_line(&buf), Status::Partial); // full, and no line yet
    /// assert_eq!(tok.skip_line(&buf), None); // drop all 8 bytes
    /// assert_eq!(tok.skip_line(b"ng\nid: 1\n"), Some(3));
    /// assert_eq!(
    ///     tok.next_line(b"id: 1\n"),
    ///     Status::Complete((6, Line::Field { name: b"id", value: b"1" }))
    /// );
    /// ```
    pub fn skip_line(&mut self, buf: &[u8]) -> Option<usize> {
        // A line dropped unread ends the stream's first line for P2 whether or not it ends
        // here: the bytes that follow are the middle of a line, never the stream's start.
        self.split.leave_stream_start();
        let Some(end) = self.find_end(buf) else {
            // The caller drops everything, so the next buffer starts mid-line.
            self.line_start = 0;
            self.scanned = 0;
            return None;
        };
        Some(self.end_line(buf, end))
    }

    /// Ends the stream. `tail` is what the caller still holds (the unconsumed bytes); it is
    /// discarded (P20). Returns `true` if it held part of a line — content that is lost —
    /// and `false` if it held nothing, or only bytes the tokenizer had already decided to
    /// skip (the LF of a split CRLF, a BOM at the start of the stream). The tokenizer is then
    /// ready for a new stream.
    ///
    /// ```
    /// let mut tok = sse_proto::line::Tokenizer::new();
    /// assert!(tok.next_line(b"data: never finished").is_partial());
    /// assert!(tok.finish(b"data: never finished"));
    ///
    /// assert!(!tok.next_line(b"\r").is_partial()); // a CR ends a line at once (P5)
    /// assert!(tok.next_line(b"\n").is_partial()); // its LF is held by the caller...
    /// assert!(!tok.finish(b"\n")); // ...but is no lost content
    /// ```
    pub fn finish(&mut self, tail: &[u8]) -> bool {
        let mut rest = tail.get(self.line_start..).unwrap_or_default();
        if self.split.after_cr() {
            rest = rest.strip_prefix(b"\n").unwrap_or(rest); // P5: not content
        }
        if self.split.at_stream_start() {
            rest = rest.strip_prefix(BOM).unwrap_or(rest); // P2: not content
        }
        *self = Self::new();
        !rest.is_empty()
    }

    /// The index in `buf` of the terminator that ends the current line, scanning only the
    /// bytes not scanned before; `None` if `buf` holds none yet.
    fn find_end(&mut self, buf: &[u8]) -> Option<usize> {
        if !self.resolve_after_cr(buf) {
            return None;
        }
        let from = self.scanned.max(self.line_start).min(buf.len());
        match buf.get(from..).and_then(find_line_end) {
            Some(found) => Some(from.saturating_add(found)),
            None => {
                self.scanned = buf.len();
                None
            }
        }
    }

    /// Applies a pending "swallow the LF after a CR" (P5). Returns `false` if `buf` is
    /// empty, so the decision has to wait.
    fn resolve_after_cr(&mut self, buf: &[u8]) -> bool {
        match self.split.skip_split_lf(buf) {
            None => false,
            Some(0) => true,
            Some(skip) => {
                self.line_start = skip;
                true
            }
        }
    }

    /// Consumes the terminator at `buf[end]` and resets for the next line; returns the
    /// number of bytes consumed in all.
    fn end_line(&mut self, buf: &[u8], end: usize) -> usize {
        self.line_start = 0;
        self.scanned = 0;
        self.split.end_line(buf, end) // P4, P5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_bom_is_stripped_once() {
        let mut tok = Tokenizer::new();
        assert!(tok.next_line(b"\xEF").is_partial());
        assert!(tok.next_line(b"\xEF\xBB").is_partial());
        assert_eq!(
            tok.next_line(b"\xEF\xBB\xBF\xEF\xBB\xBFx\n"),
            Status::Complete((
                8,
                Line::Field {
                    name: b"\xEF\xBB\xBFx",
                    value: b""
                }
            ))
        );
    }

    /// A first line dropped unread (its start skipped, its end not yet seen) is still the
    /// first line: what follows is its middle, so three bytes that spell a BOM there are
    /// content, lost as any other would be (P2, P20).
    #[test]
    fn a_bom_in_the_middle_of_a_skipped_first_line_is_content() {
        for tail in [&b"aaa"[..], b"\xEF\xBB\xBF"] {
            let mut tok = Tokenizer::new();
            assert_eq!(tok.skip_line(b"xxxxxxxx"), None);
            assert!(tok.finish(tail), "{tail:?}");
        }
        let mut tok = Tokenizer::new();
        assert_eq!(tok.skip_line(b"xxxx"), None);
        assert_eq!(tok.skip_line(b"\xEF\xBB\xBFx\n"), Some(5));
        assert_eq!(
            tok.next_line(b"\xEF\xBB\xBFy\n"),
            Status::Complete((
                5,
                Line::Field {
                    name: b"\xEF\xBB\xBFy",
                    value: b""
                }
            ))
        );
    }

    /// The LF of a CRLF whose CR ended the last buffer is the rest of that terminator,
    /// not content, also when it is all `finish` is given (P5).
    #[test]
    fn finish_after_a_cr_does_not_count_its_lf_as_lost() {
        let mut tok = Tokenizer::new();
        assert!(matches!(
            tok.next_line(b"data: x\r"),
            Status::Complete((8, _))
        ));
        assert!(!tok.finish(b"\n"));
        let mut tok = Tokenizer::new();
        assert!(matches!(
            tok.next_line(b"data: x\r"),
            Status::Complete((8, _))
        ));
        assert!(tok.finish(b"\nx"), "bytes after the LF are content");
    }

    #[test]
    fn cr_lf_across_buffers_is_one_terminator() {
        let mut tok = Tokenizer::new();
        assert_eq!(tok.next_line(b"\r"), Status::Complete((1, Line::Blank)));
        assert_eq!(tok.next_line(b""), Status::Partial);
        assert_eq!(tok.next_line(b"\n"), Status::Partial);
        assert_eq!(tok.next_line(b"\n\r"), Status::Complete((2, Line::Blank)));
        assert_eq!(tok.next_line(b"\r\n"), Status::Complete((2, Line::Blank)));
    }
}
