//! UTF-8 repair (P1), and the stretch of an input known to be valid UTF-8.

use alloc::string::String;
use core::mem;
use core::ops::Range;

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
/// found with one `from_utf8` over a window of the input the first time a value needs it,
/// and again from a value past it: a few calls per chunk rather than one per line. Each
/// window is twice the last ([`FIRST_WINDOW`] first), so a drained chunk is checked in a
/// handful of calls, and a feed that stops after one item ([`Feed::pause`]) checks little
/// more than that item, however much of the chunk is left (checking all of it would make
/// a chunk read one item per feed cost its length per item). Each byte is validated at
/// most twice, so the cost stays linear.
///
/// [`Feed::pause`]: super::Feed::pause
#[derive(Debug, Clone, Copy)]
pub(super) struct InputText<'a> {
    /// Where `valid` starts in the input.
    start: usize,
    valid: &'a str,
    /// Off for inputs re-entered many times (the backlog): each value is checked alone.
    enabled: bool,
    /// No stretch was looked for yet: the first is looked for from the input's start.
    fresh: bool,
    /// The least length of the next window checked.
    window: usize,
}

/// The first window an input is checked in: about one short event. A multiple of 16, as
/// every window is past its unaligned head (see `str_at`), so `from_utf8` runs with no
/// byte-by-byte tail.
const FIRST_WINDOW: usize = 64;

impl<'a> InputText<'a> {
    pub(super) const fn new() -> Self {
        InputText {
            start: 0,
            valid: "",
            enabled: true,
            fresh: true,
            window: FIRST_WINDOW,
        }
    }

    /// [`new`](Self::new) with a first window of `window` bytes, so that tests on short
    /// inputs cross window ends.
    #[cfg(test)]
    const fn with_first_window(window: usize) -> Self {
        let mut text = Self::new();
        text.window = window;
        text
    }

    /// Checks each value on its own (no stretch is kept).
    pub(super) const fn off() -> Self {
        InputText {
            start: 0,
            valid: "",
            enabled: false,
            fresh: false,
            window: FIRST_WINDOW,
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
        } else if self.enabled && range.end > valid_end {
            // First use, or past the stretch or across its end (which is the window's end,
            // an invalid sequence, or a character cut by the end of the input): validate a
            // new window from here (a value across the end is checked again only up to
            // the old end, or up to its own invalid sequence, so the cost stays linear). The
            // first stretch starts at the input's start, not at this value: a chunk that
            // starts 8-byte aligned and is a whole number of 16 bytes long is then checked
            // with no byte-by-byte head or tail, whose lengths vary from value to value (a
            // mispredicted branch each). Bytes before the value are checked at most once
            // more, so the cost stays linear.
            let from = if mem::take(&mut self.fresh) {
                0
            } else {
                range.start
            };
            // The window reaches past the value and ends a whole number of 16 bytes past
            // the first 8-byte-aligned address in it (unless the input ends first):
            // `from_utf8` checks bytes one by one up to that address, then 16 at a time,
            // so no byte is left for a byte-by-byte tail. (An input that starts unaligned,
            // as the rest of a chunk read one item at a time does, had up to 15.)
            // At most the input's length (the window doubles without bound, saturating),
            // so rounding up to 16 below cannot overflow: an input is at most
            // `isize::MAX` bytes.
            let least = range
                .end
                .wrapping_sub(from)
                .max(self.window)
                .min(input.len());
            let head = input
                .get(from..)
                .map_or(0, |rest| rest.as_ptr().addr().wrapping_neg() & 7);
            let end = from
                .saturating_add(head)
                .saturating_add(least.saturating_sub(head).next_multiple_of(16))
                .min(input.len());
            self.window = self.window.saturating_mul(2);
            self.start = from;
            self.valid = valid_prefix(input.get(from..end).unwrap_or_default());
            let start = range.start.wrapping_sub(from);
            let end = range.end.wrapping_sub(from);
            if let Some(text) = self.valid.get(start..end) {
                return Some(text);
            }
        }
        core::str::from_utf8(input.get(range).unwrap_or_default()).ok()
    }
}

/// The longest prefix of `bytes` that is valid UTF-8.
fn valid_prefix(bytes: &[u8]) -> &str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => bytes
            .get(..e.valid_up_to())
            .and_then(|prefix| core::str::from_utf8(prefix).ok())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Inputs with ASCII, multi-byte characters, invalid bytes, and a chunk that starts
    /// inside a character (as a chunk boundary can cut one).
    const INPUTS: [&[u8]; 6] = [
        b"data: abc\ndata: def\n\n",
        "x: \u{e9}t\u{e9}\n: \u{1f600}\n".as_bytes(),
        b"a\xffb\ncd\xe2\x82\n\xe2\x82\xacz",
        b"\x82\xacabc\ndef",
        b"\xf0\x9f\x98\x80\xf0\x9f\x98",
        b"",
    ];

    /// `str_at` of `range` is what `from_utf8` says of those bytes; `context` says which
    /// case failed.
    fn assert_agrees<'a>(
        text: &mut InputText<'a>,
        input: &'a [u8],
        range: Range<usize>,
        context: impl core::fmt::Display,
    ) {
        assert_eq!(
            text.str_at(input, range.clone()),
            core::str::from_utf8(&input[range.clone()]).ok(),
            "{input:?}[{range:?}] {context}"
        );
    }

    /// The window doubles each time a value lies past the stretch, without bound (it
    /// saturates): a stretch cut short by invalid bytes, again and again in one input,
    /// makes it huge, and rounding it up to a whole number of 16 bytes must not overflow
    /// (a panic with overflow checks on, as in debug builds; found by `cargo fuzz`).
    #[test]
    fn a_saturated_window_does_not_overflow() {
        for window in [
            usize::MAX,
            usize::MAX - 1,
            usize::MAX - 16,
            usize::MAX / 2 + 1,
        ] {
            let input: &[u8] = b"ab\xffcd\nef";
            for range in [0..2, 3..5, 6..8, 0..8] {
                let mut text = InputText::with_first_window(window);
                assert_agrees(
                    &mut text,
                    input,
                    range,
                    format_args!("first window {window}"),
                );
            }
        }
    }

    /// Through the decoder: one input of comments that each hold an invalid byte, so
    /// that every comment starts a new window, twice the last, until it saturates.
    #[test]
    fn many_invalid_comments_in_one_input_decode() {
        let mut input = alloc::vec::Vec::new();
        for _ in 0..100 {
            input.extend_from_slice(b": a\xffb\n");
        }
        let mut decoder = crate::Decoder::new();
        let mut feed = decoder.feed(&input);
        let mut n = 0;
        while let Some(item) = feed.next() {
            assert_eq!(item, crate::Item::Comment("a\u{FFFD}b"));
            n += 1;
        }
        assert_eq!(n, 100);
    }

    /// `str_at` is `from_utf8` of the range, whatever stretch it keeps: for any one range
    /// on a fresh input, and for every sequence of consecutive ranges (the decoder asks in
    /// increasing order) that splits the input at any three cut points.
    #[test]
    fn str_at_agrees_with_from_utf8() {
        for input in INPUTS {
            let n = input.len();
            for start in 0..=n {
                for end in start..=n {
                    let mut text = InputText::new();
                    assert_agrees(&mut text, input, start..end, "on a fresh input");
                }
            }
            for a in 0..=n {
                for b in a..=n {
                    for c in b..=n {
                        for on in [true, false] {
                            let mut text = if on {
                                InputText::new()
                            } else {
                                InputText::off()
                            };
                            for range in [0..a, a..b, b..c, c..n] {
                                assert_agrees(
                                    &mut text,
                                    input,
                                    range,
                                    format_args!("after cuts {a}, {b}, {c}"),
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// With windows of 16 bytes and up, a stretch often ends inside a character or just
    /// before an invalid byte: every range still gets what `from_utf8` says, whatever the
    /// input's alignment in memory (window ends follow the first aligned address).
    #[test]
    fn str_at_agrees_with_from_utf8_across_window_ends() {
        let mut content = Vec::new();
        for i in 0..12 {
            content.extend_from_slice("ab\u{e9}c\u{1f600}".as_bytes());
            if i % 5 == 4 {
                content.push(0xFF);
            }
        }
        for shift in [0, 1, 3, 7, 8, 13] {
            let mut storage = alloc::vec![b'z'; shift];
            storage.extend_from_slice(&content);
            check_window_ends(&storage[shift..]);
        }
    }

    fn check_window_ends(input: &[u8]) {
        let n = input.len();
        for window in [16, 32] {
            for a in 0..=n {
                for b in (a..=n).step_by(3) {
                    let mut text = InputText::with_first_window(window);
                    for range in [0..a, a..b, b..n] {
                        assert_agrees(
                            &mut text,
                            input,
                            range,
                            format_args!("after cuts {a}, {b}, first window {window}"),
                        );
                    }
                }
            }
        }
    }
}
