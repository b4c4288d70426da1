//! Blocks that dispatch no event: comments, keep-alives, `retry` and last-event-ID updates.
//!
//! Each is written as a complete block, ended by a blank line. The blank line dispatches
//! nothing, because the block has no data (P18), so these blocks can go between any two
//! events, and any sequence of encoded blocks is a stream in the grammar (WHATWG §9.2.5).

use core::fmt;
use core::time::Duration;

use super::fields::{field, retry_line};
use super::lines::Lines;
use super::{sealed, Encode};
use crate::error::{EncodeError, IdError};
use crate::scan::find_line_end;

/// Inherent `to_vec` and `encode_to_vec` for the blocks that are always valid: a `Vec`
/// never refuses a write, so encoding them cannot fail and returns no `Result`. (The
/// [`Encode`] methods remain, fallible in their signature, for generic code.)
macro_rules! infallible_encoding {
    ($block:ty, $example:expr, $bytes:literal) => {
        #[cfg(feature = "alloc")]
        impl $block {
            /// The block as bytes (`alloc`). Unlike [`Encode::to_vec`], infallible.
            ///
            /// ```
            #[doc = concat!("let bytes: Vec<u8> = sse_proto::", stringify!($example), ".to_vec();")]
            #[doc = concat!("assert_eq!(bytes, ", stringify!($bytes), ");")]
            /// ```
            #[must_use]
            pub fn to_vec(&self) -> alloc::vec::Vec<u8> {
                let mut out = alloc::vec::Vec::new();
                self.encode_to_vec(&mut out);
                out
            }

            /// Appends the block to `out` and returns its length (`alloc`). Unlike
            /// [`Encode::encode_to_vec`], infallible.
            ///
            /// ```
            /// let mut out = b"data: earlier\n\n".to_vec();
            #[doc = concat!("let len = sse_proto::", stringify!($example), ".encode_to_vec(&mut out);")]
            #[doc = concat!("assert_eq!(&out[out.len() - len..], ", stringify!($bytes), ");")]
            /// ```
            pub fn encode_to_vec(&self, out: &mut alloc::vec::Vec<u8>) -> usize {
                // Cannot fail (see above); on the impossible error `out` is left as it was.
                Encode::encode_to_vec(self, out).unwrap_or(0)
            }
        }
    };
}

/// A comment block (P9): each line of the text as `: line` (or `:` when empty), then a
/// blank line. A parser gives the text back line by line (D8: the text is what follows the
/// colon, minus one space); text with line breaks (CR, LF or CRLF) becomes several comment
/// lines. Never fails to validate.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use sse_proto::{Comment, Encode};
///
/// assert_eq!(Comment::new("hello").to_vec(), b": hello\n\n");
/// assert_eq!(Comment::new("two\nlines").to_vec(), b": two\n: lines\n\n");
/// assert_eq!(Comment::new("").to_vec(), b":\n\n");
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Comment<'a> {
    text: &'a str,
}

impl<'a> Comment<'a> {
    /// A comment with this text.
    ///
    /// ```
    /// assert_eq!(sse_proto::Comment::new("x").text(), "x");
    /// ```
    #[must_use]
    pub const fn new(text: &'a str) -> Self {
        Comment { text }
    }

    /// The text.
    ///
    /// ```
    /// assert_eq!(sse_proto::Comment::new("x").text(), "x");
    /// ```
    #[must_use]
    pub const fn text(&self) -> &'a str {
        self.text
    }
}

infallible_encoding!(Comment<'_>, Comment::new("hi"), b": hi\n\n");

impl sealed::Sealed for Comment<'_> {}

impl Encode for Comment<'_> {
    fn encode_to_fmt<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), EncodeError> {
        Lines::comment() // P9, D8
            .write_block(self.text, find_line_end(self.text.as_bytes()), out)
            .map_err(|fmt::Error| EncodeError::Write)
    }
}

/// The keep-alive: an empty comment block, `:` and a blank line (3 bytes). Send one when
/// the stream has been idle for a while — the spec suggests about every 15 seconds
/// (P24) — so that proxies do not close an idle connection. A parser surfaces it as an
/// empty comment and dispatches nothing. The crate has no timer: the caller decides when.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use sse_proto::{Encode, KeepAlive};
///
/// assert_eq!(KeepAlive.to_vec(), KeepAlive::BYTES);
/// assert_eq!(KeepAlive::BYTES, b":\n\n");
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeepAlive;

impl KeepAlive {
    /// The encoded keep-alive, ready to send.
    ///
    /// ```
    /// use sse_proto::{Encode, KeepAlive};
    ///
    /// let mut buf = [0u8; 3];
    /// assert_eq!(KeepAlive.encode_to_slice(&mut buf)?, 3);
    /// assert_eq!(buf, KeepAlive::BYTES);
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    pub const BYTES: &'static [u8] = b":\n\n";
}

infallible_encoding!(KeepAlive, KeepAlive, b":\n\n");

impl sealed::Sealed for KeepAlive {}

impl Encode for KeepAlive {
    fn encode_to_fmt<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), EncodeError> {
        out.write_str(":\n\n")
            .map_err(|fmt::Error| EncodeError::Write)
    }
}

/// A block that only sets the client's reconnection time: `retry: MS` and a blank line
/// (P15). The value is milliseconds, in ASCII digits — never seconds (some libraries wrote seconds).
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use core::time::Duration;
/// use sse_proto::{Encode, Retry};
///
/// assert_eq!(Retry(3000).to_vec(), b"retry: 3000\n\n");
/// assert_eq!(Retry::from(Duration::from_secs(2)), Retry(2000));
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Retry(pub u64);

/// Whole milliseconds, rounded down; saturates at `u64::MAX`.
impl From<Duration> for Retry {
    fn from(delay: Duration) -> Self {
        Retry(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX))
    }
}

infallible_encoding!(Retry, Retry(100), b"retry: 100\n\n");

impl sealed::Sealed for Retry {}

impl Encode for Retry {
    fn encode_to_fmt<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), EncodeError> {
        retry_line(out, self.0)
            .and_then(|()| out.write_str("\n")) // P8: the blank line ends the block
            .map_err(|fmt::Error| EncodeError::Write)
    }
}

/// A block that only sets the client's last event ID, dispatching nothing: `id: ID` (or
/// `id:` for the empty ID, a reset) and a blank line (P14, P17, D6). The ID must not
/// contain CR, LF or NUL (C18).
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use sse_proto::{encode::IdError, Encode, EncodeError, LastEventId};
///
/// assert_eq!(LastEventId::new("99").to_vec()?, b"id: 99\n\n");
/// assert_eq!(LastEventId::new("").to_vec()?, b"id:\n\n");
/// assert_eq!(LastEventId::new("a\nb").to_vec(), Err(EncodeError::Id(IdError::LineBreak)));
/// # }
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LastEventId<'a> {
    id: &'a str,
}

impl<'a> LastEventId<'a> {
    /// A block setting the last event ID to `id`.
    ///
    /// ```
    /// assert_eq!(sse_proto::LastEventId::new("1").id(), "1");
    /// ```
    #[must_use]
    pub const fn new(id: &'a str) -> Self {
        LastEventId { id }
    }

    /// The ID.
    ///
    /// ```
    /// assert_eq!(sse_proto::LastEventId::new("1").id(), "1");
    /// ```
    #[must_use]
    pub const fn id(&self) -> &'a str {
        self.id
    }
}

impl sealed::Sealed for LastEventId<'_> {}

impl Encode for LastEventId<'_> {
    fn encode_to_fmt<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), EncodeError> {
        IdError::check(self.id)?; // P22, C18: before anything is written
        field(out, "id: ", "id:\n", self.id)
            .and_then(|()| out.write_str("\n"))
            .map_err(|fmt::Error| EncodeError::Write)
    }
}
