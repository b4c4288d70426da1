//! The line layer, allocation-free: a [`Tokenizer`] that splits a byte stream into
//! classified [`Line`]s, and the field rules (P8–P11, P14–P16 in `spec-vectors/RULES.md`).
//!
//! The [`Decoder`](crate::Decoder) is built on these same pieces, so the two can never
//! disagree on a rule. Use this layer directly where there is no allocator, or to build a
//! different event model on the exact line semantics.
//!
//! ```
//! use sse_proto::line::{Line, Tokenizer};
//!
//! assert_eq!(Line::parse(b"data: x"), Line::Field { name: b"data", value: b"x" });
//! assert_eq!(Line::parse(b": hi"), Line::Comment(b"hi"));
//! assert_eq!(Line::parse(b""), Line::Blank);
//! # let _ = Tokenizer::new();
//! ```

pub use crate::tokenize::{Status, Tokenizer};

/// One complete line, classified (P8–P11). Borrowed from the caller's bytes; no decoding
/// has happened yet (CR, LF and `:` are ASCII, so classification on bytes is exact).
///
/// ```
/// use sse_proto::line::Line;
///
/// assert_eq!(Line::parse(b""), Line::Blank);
/// assert_eq!(Line::parse(b": keep-alive"), Line::Comment(b"keep-alive"));
/// assert_eq!(
///     Line::parse(b"data:  two spaces"),
///     Line::Field { name: b"data", value: b" two spaces" }
/// );
/// assert_eq!(Line::parse(b"id"), Line::Field { name: b"id", value: b"" });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Line<'a> {
    /// An empty line: dispatch the event (P8).
    Blank,
    /// A line starting with `:`. The text after the colon, with one leading space removed
    /// (D8), so `: keep-alive` gives `keep-alive`.
    Comment(&'a [u8]),
    /// A field. `name` is everything before the first colon (or the whole line when there
    /// is none, P11); `value` is everything after it minus one leading U+0020 (P10).
    Field {
        /// The field name, compared literally and case-sensitively (P12–P16).
        name: &'a [u8],
        /// The field value, verbatim after the one-space strip (D9).
        value: &'a [u8],
    },
}

impl<'a> Line<'a> {
    /// Classifies one line, given without its terminator (P8–P11).
    ///
    /// ```
    /// use sse_proto::line::Line;
    ///
    /// assert_eq!(Line::parse(b"retry: 500"), Line::Field { name: b"retry", value: b"500" });
    /// assert_eq!(Line::parse(b":"), Line::Comment(b""));
    /// assert_eq!(Line::parse(b"data"), Line::Field { name: b"data", value: b"" }); // no colon
    /// ```
    #[must_use]
    pub fn parse(line: &'a [u8]) -> Self {
        if line.is_empty() {
            return Line::Blank; // P8
        }
        match line.iter().position(|&b| b == b':') {
            Some(0) => Line::Comment(strip_one_space(line.get(1..).unwrap_or_default())), // P9, D8
            Some(colon) => Line::Field {
                // P10: field name before the first colon, value after it.
                name: line.get(..colon).unwrap_or_default(),
                value: strip_one_space(line.get(colon.wrapping_add(1)..).unwrap_or_default()),
            },
            None => Line::Field {
                name: line, // P11: the whole line is the name, the value is empty.
                value: b"",
            },
        }
    }
}

/// Removes exactly one leading U+0020 SPACE, never a TAB, never more (P10).
fn strip_one_space(value: &[u8]) -> &[u8] {
    match value {
        [b' ', rest @ ..] => rest,
        _ => value,
    }
}

/// The four field names the spec gives meaning to (P12–P15); anything else is ignored (P16).
///
/// ```
/// use sse_proto::line::FieldName;
///
/// assert_eq!(FieldName::from_bytes(b"data"), FieldName::Data);
/// assert_eq!(FieldName::from_bytes(b"Data"), FieldName::Unknown); // case-sensitive (P16)
/// assert_eq!(FieldName::from_bytes(b" data"), FieldName::Unknown); // no trimming (P16)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldName {
    /// `event`: sets the event type buffer (P12).
    Event,
    /// `data`: appends to the data buffer (P13).
    Data,
    /// `id`: sets the last event ID buffer unless the value holds NUL (P14).
    Id,
    /// `retry`: sets the reconnection time if the value is all ASCII digits (P15).
    Retry,
    /// Any other name: ignored by the spec (P16).
    Unknown,
}

impl FieldName {
    /// Matches a field name literally (P12–P16).
    ///
    /// ```
    /// use sse_proto::line::{FieldName, Line};
    ///
    /// assert_eq!(FieldName::from_bytes(b"retry"), FieldName::Retry);
    /// assert_eq!(FieldName::from_bytes(b"comment"), FieldName::Unknown);
    /// if let Line::Field { name, .. } = Line::parse(b"id: 7") {
    ///     assert_eq!(FieldName::from_bytes(name), FieldName::Id);
    /// }
    /// ```
    #[must_use]
    pub fn from_bytes(name: &[u8]) -> Self {
        match name {
            b"data" => FieldName::Data,
            b"event" => FieldName::Event,
            b"id" => FieldName::Id,
            b"retry" => FieldName::Retry,
            _ => FieldName::Unknown,
        }
    }
}

/// Interprets a `retry` value (P15, D1, D2): only ASCII digits, base 10, leading zeros
/// allowed; anything else — empty, a sign, a space, a non-ASCII digit, or a value that
/// does not fit in `u64` milliseconds — gives `None` (ignore the field).
///
/// ```
/// use sse_proto::line::parse_retry;
///
/// assert_eq!(parse_retry(b"03000"), Some(3000)); // not octal
/// assert_eq!(parse_retry(b"+5"), None);
/// assert_eq!(parse_retry(b"1000 "), None);
/// assert_eq!(parse_retry(b""), None); // D1
/// assert_eq!(parse_retry(b"99999999999999999999"), None); // D2: overflow
/// ```
#[must_use]
pub fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None; // D1
    }
    value.iter().try_fold(0u64, |acc, &b| {
        if !b.is_ascii_digit() {
            return None;
        }
        acc.checked_mul(10)?
            .checked_add(u64::from(b.wrapping_sub(b'0'))) // D2: overflow → None
    })
}

/// Whether an `id` value is accepted (P14): it must not contain U+0000 NULL. (Only the
/// decoder needs it, hence `alloc`.)
#[cfg(feature = "alloc")]
#[inline]
#[must_use]
pub(crate) fn id_is_valid(value: &[u8]) -> bool {
    !value.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_space_is_stripped_and_never_a_tab() {
        assert_eq!(
            Line::parse(b"data:\t x"),
            Line::Field {
                name: b"data",
                value: b"\t x"
            }
        );
        assert_eq!(
            Line::parse(b"data:x "),
            Line::Field {
                name: b"data",
                value: b"x "
            }
        );
        assert_eq!(
            Line::parse(b"a:b:c"),
            Line::Field {
                name: b"a",
                value: b"b:c"
            }
        );
        assert_eq!(Line::parse(b":"), Line::Comment(b""));
        assert_eq!(Line::parse(b":  x"), Line::Comment(b" x"));
    }

    #[test]
    fn retry_digit_rules() {
        assert_eq!(parse_retry(b"0"), Some(0));
        assert_eq!(parse_retry(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_retry(b"18446744073709551616"), None);
        assert_eq!(parse_retry(b"-1"), None);
        assert_eq!(parse_retry(b"1e3"), None);
        assert_eq!(parse_retry("١".as_bytes()), None);
    }
}
