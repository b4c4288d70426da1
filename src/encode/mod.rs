//! The writer: events and other blocks into `text/event-stream` bytes that always follow
//! the grammar (WHATWG §9.2.5; rules P22–P24 in `spec-vectors/RULES.md`, shipped with the
//! crate). Core only; `Vec`/`String` helpers with `alloc`, `io::Write` with `std`.
//!
//! ```
//! use sse_proto::encode::{Comment, Encode, Message};
//!
//! let mut buf = [0u8; 64];
//! let len = Message::new("line 1\nline 2").event_type("log").id("7").encode_to_slice(&mut buf)?;
//! assert_eq!(&buf[..len], b"event: log\nid: 7\ndata: line 1\ndata: line 2\n\n");
//! let len = Comment::new("ping").encode_to_slice(&mut buf)?;
//! assert_eq!(&buf[..len], b": ping\n\n");
//! # Ok::<(), sse_proto::EncodeError>(())
//! ```

// Files: `message.rs` (the event), `control.rs` (comment, keep-alive, retry, id-only
// blocks), `lines.rs` (splitting a value on CR, LF and CRLF), `data.rs` (the streaming
// data writer), `sink.rs` (slices, counting, adapters).

use core::fmt;

mod control;
mod data;
mod decimal;
mod fields;
mod lines;
mod message;
mod sink;

pub use control::{Comment, KeepAlive, LastEventId, Retry};
pub use data::DataWriter;
#[cfg(feature = "std")]
pub use data::IoDataWriter;
pub use message::Message;
pub use sink::SliceWriter;

pub use crate::error::{EncodeError, IdError};
use sink::Counter;

mod sealed {
    /// Only this crate's blocks are [`Encode`](super::Encode): methods can be added to it.
    pub trait Sealed {
        /// A cheap estimate of the encoded length (no scan of the data), to size a new
        /// buffer so that it rarely grows: a `Vec` that grows from empty reallocates
        /// several times per event, and past glibc's mmap threshold each growth maps fresh
        /// pages.
        fn capacity_hint(&self) -> usize {
            16
        }

        /// A bound the encoded length never exceeds, found without scanning the data;
        /// `None` if there is none cheaper than the exact length.
        fn length_bound(&self) -> Option<usize> {
            None
        }
    }
}

/// Encoding a block — a [`Message`] (an event), [`Comment`], [`KeepAlive`], [`Retry`] or
/// [`LastEventId`] — into any sink. Every method validates first and writes nothing when
/// the block is invalid (P22).
///
/// Every block ends with a blank line, so blocks can be concatenated in any order and the
/// result is a valid stream; a block's bytes do not depend on what was sent before, so an
/// event can be encoded once and the same bytes sent to every client.
///
/// ```
/// use sse_proto::{Encode, Message};
///
/// let event = Message::new("hello").event_type("greeting");
/// let len = event.encoded_len()?;
/// let mut buf = [0u8; 64];
/// assert_eq!(event.encode_to_slice(&mut buf)?, len);
/// assert_eq!(&buf[..len], b"event: greeting\ndata: hello\n\n");
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
pub trait Encode: sealed::Sealed {
    /// Writes the block to a [`core::fmt::Write`] (a `String`, a `heapless` string, a
    /// [`SliceWriter`], …), without allocating.
    ///
    /// # Errors
    ///
    /// An invalid block ([`EncodeError::EventType`], [`EncodeError::Id`]), found before
    /// anything is written; [`EncodeError::Write`] if `out` fails, having taken part of the
    /// block.
    ///
    /// ```
    /// use sse_proto::{Encode, Message};
    ///
    /// let mut out = String::new();
    /// Message::new("a").encode_to_fmt(&mut out)?;
    /// Message::new("b").encode_to_fmt(&mut out)?;
    /// assert_eq!(out, "data: a\n\ndata: b\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    fn encode_to_fmt<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), EncodeError>;

    /// The exact number of bytes the block encodes to (saturating at `usize::MAX`), for
    /// sizing a buffer up front.
    ///
    /// # Errors
    ///
    /// An invalid block, as [`encode_to_fmt`](Self::encode_to_fmt).
    ///
    /// ```
    /// use sse_proto::{Encode, Message};
    ///
    /// assert_eq!(Message::new("a\nb").encoded_len()?, "data: a\ndata: b\n\n".len());
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    fn encoded_len(&self) -> Result<usize, EncodeError> {
        let mut counter = Counter::default();
        self.encode_to_fmt(&mut counter)?;
        Ok(counter.0)
    }

    /// Writes the block at the start of `buf` and returns its length.
    ///
    /// # Errors
    ///
    /// An invalid block, as [`encode_to_fmt`](Self::encode_to_fmt);
    /// [`EncodeError::BufferTooSmall`] with the length `buf` needs if it is too short. Either
    /// way nothing is written.
    ///
    /// ```
    /// use sse_proto::{Encode, EncodeError, KeepAlive};
    ///
    /// let mut buf = [0u8; 2];
    /// assert_eq!(KeepAlive.encode_to_slice(&mut buf), Err(EncodeError::BufferTooSmall { required: 3 }));
    /// let mut buf = [0u8; 3];
    /// assert_eq!(KeepAlive.encode_to_slice(&mut buf), Ok(3));
    /// ```
    fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        // One pass over the data when `buf` has room for the worst case (found without a
        // scan); otherwise the exact length first, so that a buffer too short is left
        // untouched.
        if self.length_bound().is_none_or(|bound| bound > buf.len()) {
            let required = self.encoded_len()?;
            if required > buf.len() {
                return Err(EncodeError::BufferTooSmall { required });
            }
        }
        let mut out = SliceWriter::new(buf);
        self.encode_to_fmt(&mut out)?; // fits: checked above
        Ok(out.len())
    }

    /// Appends the block to `out` (`alloc`) and returns its length. On error `out` is
    /// unchanged. One pass: the block is validated before any byte is written, and a
    /// `Vec` never refuses a write, so no length needs computing first (a reused buffer —
    /// the broadcast case — stops growing after the first events).
    ///
    /// # Errors
    ///
    /// An invalid block, as [`encode_to_fmt`](Self::encode_to_fmt), with `out` unchanged.
    ///
    /// ```
    /// use sse_proto::{Encode, Message};
    ///
    /// let mut out = b"retry: 1000\n\n".to_vec();
    /// Message::new("hi").event_type("greeting").encode_to_vec(&mut out)?;
    /// Message::new("x").encode_to_vec(&mut out)?;
    /// assert_eq!(out, b"retry: 1000\n\nevent: greeting\ndata: hi\n\ndata: x\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[cfg(feature = "alloc")]
    fn encode_to_vec(&self, out: &mut alloc::vec::Vec<u8>) -> Result<usize, EncodeError> {
        let start = out.len();
        match self.encode_to_fmt(&mut sink::VecSink(out)) {
            Ok(()) => Ok(out.len().saturating_sub(start)),
            Err(e) => {
                out.truncate(start); // keeps "unchanged on error" true for any encoder
                Err(e)
            }
        }
    }

    /// The block as bytes (`alloc`). Encode an event once this way and send the same
    /// bytes to every client (see the crate docs, "Encoding").
    ///
    /// # Errors
    ///
    /// An invalid block, as [`encode_to_fmt`](Self::encode_to_fmt).
    ///
    /// ```
    /// use sse_proto::{Encode, Message};
    ///
    /// assert_eq!(Message::new("x").id("1").to_vec()?, b"id: 1\ndata: x\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[cfg(feature = "alloc")]
    fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let mut out = alloc::vec::Vec::with_capacity(self.capacity_hint());
        self.encode_to_vec(&mut out)?;
        Ok(out)
    }

    /// The block as a `String` (`alloc`); the encoding is always UTF-8 (P22).
    ///
    /// # Errors
    ///
    /// An invalid block, as [`encode_to_fmt`](Self::encode_to_fmt).
    ///
    /// ```
    /// use sse_proto::{Encode, Retry};
    ///
    /// assert_eq!(Retry(10).to_string()?, "retry: 10\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[cfg(feature = "alloc")]
    fn to_string(&self) -> Result<alloc::string::String, EncodeError> {
        let mut out = alloc::string::String::with_capacity(self.capacity_hint());
        self.encode_to_fmt(&mut out)?; // one pass, as `encode_to_vec`
        Ok(out)
    }

    /// Writes the block to an [`std::io::Write`] (`std`), gathering its pieces into few
    /// `write_all` calls (through a small stack buffer; no allocation); does not flush.
    ///
    /// # Errors
    ///
    /// An invalid block is an error of kind `InvalidInput` carrying the [`EncodeError`],
    /// with nothing written; an error of `out` is returned as is.
    ///
    /// ```
    /// use sse_proto::{Encode, Message};
    ///
    /// let mut socket = Vec::new(); // any io::Write: a TcpStream, a BufWriter, …
    /// Message::new("x").event_type("t").write_to(&mut socket)?;
    /// assert_eq!(socket, b"event: t\ndata: x\n\n");
    /// let bad = Message::new("x").event_type("t\n");
    /// assert_eq!(bad.write_to(&mut socket).unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    fn write_to<W: std::io::Write + ?Sized>(&self, out: &mut W) -> std::io::Result<()> {
        let mut sink = sink::IoSink::new(out);
        match self.encode_to_fmt(&mut sink) {
            Ok(()) => sink.finish(),
            Err(EncodeError::Write) => Err(sink.take_error()),
            Err(e) => Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, e)),
        }
    }
}
