//! The streaming data writer: an event whose data is produced in pieces (P13, P22).

use core::fmt;

use super::lines::Lines;
use crate::error::EncodeError;

/// Writes the data of one event piece by piece — for a payload serialised straight into
/// the stream — into any [`core::fmt::Write`], without allocation. Made by
/// [`Message::data_writer`](crate::Message::data_writer), which writes the message's
/// other fields first.
///
/// The bytes are exactly those of encoding the message with all the pieces concatenated
/// as its data, however the data is cut: a CR ending one piece and an LF starting the next
/// are one CRLF line break, not two (P4). Pieces go in with [`core::fmt::Write`] (so
/// `write!` works) or, with `std`, [`std::io::Write`] (bytes must be UTF-8; a character
/// may be split between writes). Call [`finish`](Self::finish) to end the event: until
/// then it is incomplete, and a parser would not dispatch it (P20).
///
/// **After any error the writer is poisoned**: invalid UTF-8, a character left
/// unfinished, or a failing sink. Every later write fails, and so does
/// [`finish`](Self::finish), which never ends an event whose data is incomplete. The sink
/// then holds the start of an unterminated block (the fields and the data lines written so
/// far, no blank line): anything written after it would be glued into that event. Discard
/// those bytes — truncate a buffer to its length before the writer was made — or close the
/// connection, which makes a parser discard the block (P20). (With `std`, bytes of a
/// character split between `io::Write` calls must be completed by the next `io::Write`
/// call: a `&str` piece in between is an error.)
///
/// ```
/// # #[cfg(feature = "std")] {
/// use std::io::Write;
/// use sse_proto::{EncodeError, Message};
///
/// let mut data = Message::new("").data_writer(String::new())?;
/// assert!(data.write_all(b"ab\xFFcd").is_err()); // not UTF-8
/// assert_eq!(data.sink(), "data: ab"); // an unterminated block: discard it
/// assert!(data.write_all(b"more").is_err()); // poisoned
/// assert_eq!(data.finish(), Err(EncodeError::InvalidUtf8)); // never "data: ab\n\n"
/// # }
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
///
/// ```
/// use core::fmt::Write;
/// use sse_proto::Message;
///
/// let mut out = String::new();
/// let mut data = Message::new("").event_type("rows").id("7").data_writer(&mut out)?;
/// for row in ["a", "b\r", "\nc"] {
///     data.write_str(row)?; // the CR and the LF are one line break
/// }
/// write!(data, "\n{}", 42)?;
/// data.finish()?;
/// assert_eq!(out, "event: rows\nid: 7\ndata: ab\ndata: c\ndata: 42\n\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "the event is incomplete until finish() is called"]
pub struct DataWriter<W> {
    out: W,
    lines: Lines,
    #[cfg(feature = "std")]
    utf8: utf8::Tail,
    /// The first error; once set, every write and `finish` fail.
    poisoned: Option<EncodeError>,
}

impl<W: fmt::Write> DataWriter<W> {
    /// The writer after `header` was written to `out`.
    pub(crate) fn start(
        mut out: W,
        header: impl FnOnce(&mut W) -> Result<(), EncodeError>,
    ) -> Result<Self, EncodeError> {
        header(&mut out)?;
        Ok(DataWriter {
            out,
            lines: Lines::data(),
            #[cfg(feature = "std")]
            utf8: utf8::Tail::default(),
            poisoned: None,
        })
    }

    /// Ends the data and the event (the last `data` line and the blank line, P8, P13) and
    /// returns the sink.
    ///
    /// # Errors
    ///
    /// The writer's first error if it is poisoned (see the type docs), without writing
    /// anything; [`EncodeError::InvalidUtf8`] if the bytes ended inside a character;
    /// [`EncodeError::Write`] if the sink fails now.
    ///
    /// ```
    /// use sse_proto::Message;
    ///
    /// let data = Message::new("x").data_writer(String::new())?;
    /// assert_eq!(data.finish()?, "data: x\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    pub fn finish(mut self) -> Result<W, EncodeError> {
        if let Some(error) = self.poisoned {
            return Err(error);
        }
        #[cfg(feature = "std")]
        if self.utf8.is_pending() {
            return Err(EncodeError::InvalidUtf8); // the bytes ended inside a character
        }
        self.lines
            .finish(&mut self.out)
            .and_then(|()| self.out.write_str("\n"))
            .map_err(|_| EncodeError::Write)?;
        Ok(self.out)
    }

    /// The sink. Writing to it directly would corrupt the event, so it is only lent.
    ///
    /// ```
    /// use sse_proto::Message;
    ///
    /// let data = Message::new("x").data_writer(String::new())?;
    /// assert_eq!(data.sink(), "data: x"); // the line is not ended yet
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    pub const fn sink(&self) -> &W {
        &self.out
    }
}

impl<W: fmt::Write> fmt::Write for DataWriter<W> {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        if self.poisoned.is_some() {
            return Err(fmt::Error);
        }
        #[cfg(feature = "std")]
        if self.utf8.is_pending() {
            // Bytes of an unfinished character came before.
            self.poisoned = Some(EncodeError::InvalidUtf8);
            return Err(fmt::Error);
        }
        self.lines.write(piece, &mut self.out).inspect_err(|_| {
            self.poisoned = Some(EncodeError::Write);
        })
    }
}

#[cfg(feature = "std")]
impl<W: fmt::Write> std::io::Write for DataWriter<W> {
    /// Takes UTF-8 bytes; a character may be split between calls. Invalid UTF-8 is an
    /// `InvalidData` error carrying [`EncodeError::InvalidUtf8`].
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(error) = self.poisoned {
            return Err(poisoned_io_error(error));
        }
        let DataWriter {
            out, lines, utf8, ..
        } = self;
        let written = utf8.write(buf, |s| lines.write(s, out));
        match written {
            // A short write: the rest of `buf` starts with bytes that are not UTF-8. Poison
            // now, so that a caller ignoring the short count cannot `finish` the event.
            Ok(n) if n < buf.len() => {
                self.poisoned = Some(EncodeError::InvalidUtf8);
                Ok(n)
            }
            Ok(n) => Ok(n),
            Err(e) => {
                let error = match e {
                    utf8::Error::Utf8 => EncodeError::InvalidUtf8,
                    utf8::Error::Sink => EncodeError::Write,
                };
                self.poisoned = Some(error);
                Err(poisoned_io_error(error))
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `io::Error` for a poisoned [`DataWriter`].
#[cfg(feature = "std")]
fn poisoned_io_error(error: EncodeError) -> std::io::Error {
    match error {
        EncodeError::InvalidUtf8 => utf8::invalid_data(),
        other => std::io::Error::other(other),
    }
}

#[cfg(feature = "std")]
pub use io_data::IoDataWriter;

#[cfg(feature = "std")]
mod io_data {
    use core::fmt;
    use std::io;

    use super::utf8;
    use crate::encode::lines::Lines;
    use crate::encode::sink::IoSink;
    use crate::error::EncodeError;

    /// The [`DataWriter`](super::DataWriter) for a [`std::io::Write`] sink (`std`), made by
    /// [`Message::io_data_writer`](crate::Message::io_data_writer). It reports the sink's
    /// own I/O errors, and gathers the small pieces of each call into one `write_all`.
    ///
    /// It takes the data through [`std::io::Write`] (UTF-8 bytes, a character may be split
    /// between calls; `serde_json::to_writer` works) or [`core::fmt::Write`] (then an I/O
    /// error surfaces as `fmt::Error` and is returned again by [`finish`](Self::finish)).
    /// [`finish`](Self::finish) ends the event; it does not flush the sink.
    ///
    /// As the [`DataWriter`](super::DataWriter), it is **poisoned by any error** (invalid
    /// UTF-8 or an I/O error): later writes and [`finish`](Self::finish) fail, and the sink
    /// holds an unterminated block to discard or end by closing the connection.
    ///
    /// ```
    /// use std::io::Write;
    /// use sse_proto::Message;
    ///
    /// let mut socket = Vec::new(); // any io::Write
    /// let mut data = Message::new("").id("1").io_data_writer(&mut socket)?;
    /// data.write_all("{\"text\":\"caf\u{e9}\"}".as_bytes())?;
    /// data.finish()?;
    /// assert_eq!(socket, "id: 1\ndata: {\"text\":\"caf\u{e9}\"}\n\n".as_bytes());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[derive(Debug)]
    #[must_use = "the event is incomplete until finish() is called"]
    pub struct IoDataWriter<W> {
        out: W,
        lines: Lines,
        utf8: utf8::Tail,
        /// The first I/O error, until it is reported.
        error: Option<io::Error>,
        /// Set by the first error of any kind, never cleared: `InvalidUtf8` or `Write`.
        poisoned: Option<EncodeError>,
    }

    impl<W: io::Write> IoDataWriter<W> {
        pub(crate) fn start(out: W, lines: Lines) -> Self {
            IoDataWriter {
                out,
                lines,
                utf8: utf8::Tail::default(),
                error: None,
                poisoned: None,
            }
        }

        /// Ends the data and the event (P8, P13) and returns the sink, unflushed.
        ///
        /// # Errors
        ///
        /// The first I/O error of any earlier write, or one of kind `InvalidData` if the
        /// bytes were not UTF-8 or ended inside a character; the event is then not ended.
        ///
        /// ```
        /// use sse_proto::Message;
        ///
        /// let out = Message::new("x").io_data_writer(Vec::new())?.finish()?;
        /// assert_eq!(out, b"data: x\n\n");
        /// # Ok::<(), std::io::Error>(())
        /// ```
        pub fn finish(mut self) -> io::Result<W> {
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            if let Some(poison) = self.poisoned {
                return Err(super::poisoned_io_error(poison));
            }
            if self.utf8.is_pending() {
                return Err(utf8::invalid_data());
            }
            let mut sink = IoSink::new(&mut self.out);
            let ended = self
                .lines
                .finish(&mut sink)
                .and_then(|()| fmt::Write::write_str(&mut sink, "\n"));
            match ended {
                Ok(()) => sink.finish()?,
                Err(fmt::Error) => return Err(sink.take_error()),
            }
            Ok(self.out)
        }

        /// The sink. Writing to it directly would corrupt the event, so it is only lent.
        ///
        /// ```
        /// use sse_proto::Message;
        ///
        /// let data = Message::new("x").io_data_writer(Vec::new())?;
        /// assert_eq!(data.sink(), b"data: x");
        /// # Ok::<(), std::io::Error>(())
        /// ```
        pub const fn sink(&self) -> &W {
            &self.out
        }

        /// Writes one piece through a gathering sink.
        pub(crate) fn put(&mut self, piece: &str) -> io::Result<()> {
            let mut sink = IoSink::new(&mut self.out);
            match self.lines.write(piece, &mut sink) {
                Ok(()) => sink.finish(),
                Err(fmt::Error) => Err(sink.take_error()),
            }
        }
    }

    impl<W: io::Write> io::Write for IoDataWriter<W> {
        /// Takes UTF-8 bytes; a character may be split between calls. Invalid UTF-8 is an
        /// `InvalidData` error carrying [`EncodeError::InvalidUtf8`](crate::EncodeError).
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            if let Some(poison) = self.poisoned {
                return Err(super::poisoned_io_error(poison));
            }
            let IoDataWriter {
                out, lines, utf8, ..
            } = self;
            let mut sink = IoSink::new(out);
            let result = utf8.write(buf, |s| lines.write(s, &mut sink));
            let (result, poison) = match result {
                // A short count: the rest starts with invalid UTF-8 (see `utf8::Tail`).
                Ok(n) => (
                    sink.finish().map(|()| n),
                    (n < buf.len()).then_some(EncodeError::InvalidUtf8),
                ),
                Err(utf8::Error::Utf8) => (
                    sink.finish().and_then(|()| Err(utf8::invalid_data())),
                    Some(EncodeError::InvalidUtf8),
                ),
                Err(utf8::Error::Sink) => (Err(sink.take_error()), Some(EncodeError::Write)),
            };
            self.poisoned = match (&result, poison) {
                (Err(_), None) => Some(EncodeError::Write),
                (_, poison) => poison,
            };
            result
        }

        fn flush(&mut self) -> io::Result<()> {
            self.out.flush()
        }
    }

    impl<W: io::Write> fmt::Write for IoDataWriter<W> {
        fn write_str(&mut self, piece: &str) -> fmt::Result {
            if self.poisoned.is_some() {
                return Err(fmt::Error);
            }
            if self.utf8.is_pending() {
                self.poisoned = Some(EncodeError::InvalidUtf8);
                return Err(fmt::Error);
            }
            self.put(piece).map_err(|e| {
                self.error = Some(e);
                self.poisoned = Some(EncodeError::Write);
                fmt::Error
            })
        }
    }
}

/// Reassembling UTF-8 characters split between `io::Write` calls.
#[cfg(feature = "std")]
mod utf8 {
    use core::fmt;
    use core::str;

    use crate::error::EncodeError;

    /// The start of a character whose remaining bytes have not arrived yet (at most 3).
    #[derive(Debug, Clone, Copy, Default)]
    pub(super) struct Tail {
        bytes: [u8; 4],
        len: usize,
    }

    pub(super) enum Error {
        /// The bytes are not UTF-8.
        Utf8,
        /// The sink failed.
        Sink,
    }

    pub(super) fn invalid_data() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, EncodeError::InvalidUtf8)
    }

    /// The length of the character a lead byte starts (1 for anything else).
    const fn width(lead: u8) -> usize {
        match lead {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        }
    }

    impl Tail {
        pub(super) const fn is_pending(&self) -> bool {
            self.len != 0
        }

        /// Passes the complete characters of `buf` (after any held start of one) to `put`,
        /// holds a trailing incomplete one, and returns how many bytes of `buf` it used.
        /// Invalid UTF-8 at the start is an error; later in `buf` it ends the call early
        /// (a short write), so the next call reports it.
        pub(super) fn write(
            &mut self,
            buf: &[u8],
            mut put: impl FnMut(&str) -> fmt::Result,
        ) -> Result<usize, Error> {
            let mut rest = buf;
            if self.is_pending() {
                let need = self
                    .bytes
                    .first()
                    .map_or(1, |&b| width(b))
                    .saturating_sub(self.len);
                let take = need.min(rest.len());
                let (head, after) = rest.split_at(take);
                let end = self.len.saturating_add(take);
                if let Some(dst) = self.bytes.get_mut(self.len..end) {
                    dst.copy_from_slice(head);
                }
                self.len = end;
                rest = after;
                let held = self.bytes.get(..self.len).unwrap_or_default();
                match str::from_utf8(held) {
                    Ok(text) => {
                        self.len = 0;
                        put(text).map_err(|_| Error::Sink)?;
                    }
                    // A valid start of a character that is still incomplete.
                    Err(e) if e.error_len().is_none() && take < need => return Ok(buf.len()),
                    Err(_) => {
                        self.len = 0;
                        return Err(Error::Utf8);
                    }
                }
            }
            let used_before = buf.len().saturating_sub(rest.len());
            match str::from_utf8(rest) {
                Ok(text) => {
                    put(text).map_err(|_| Error::Sink)?;
                    Ok(buf.len())
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    // `valid` is UTF-8 by the error's own account.
                    let text = str::from_utf8(valid).map_err(|_| Error::Utf8)?;
                    put(text).map_err(|_| Error::Sink)?;
                    let used = used_before.saturating_add(valid.len());
                    match e.error_len() {
                        // A character cut by the end of `buf`: hold it (at most 3 bytes).
                        None => {
                            if let Some(dst) = self.bytes.get_mut(..after.len()) {
                                dst.copy_from_slice(after);
                                self.len = after.len();
                            }
                            Ok(buf.len())
                        }
                        Some(_) if used > 0 => Ok(used),
                        Some(_) => Err(Error::Utf8),
                    }
                }
            }
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use std::io::Write as _;
    use std::string::String;
    use std::vec::Vec;

    use crate::encode::Message;
    use crate::error::EncodeError;

    /// After invalid UTF-8 the event must never be ended as if complete.
    #[test]
    fn invalid_utf8_poisons_the_data_writer() {
        let mut data = Message::new("").data_writer(String::new()).unwrap();
        assert!(data.write_all(b"ab\xFFcd").is_err());
        assert!(data.write_all(b"ok").is_err(), "a write after the error");
        assert!(core::fmt::Write::write_str(&mut data, "ok").is_err());
        assert_eq!(data.sink(), "data: ab");
        assert_eq!(data.finish(), Err(EncodeError::InvalidUtf8));

        // Invalid from the first byte: an error, not `Ok(0)` (which `write_all` would
        // report as `WriteZero`, hiding the cause).
        let mut data = Message::new("").data_writer(String::new()).unwrap();
        let error = data.write(b"\xFF").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        let mut data = Message::new("").data_writer(String::new()).unwrap();
        let error = data.write_all(b"\xFFok").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);

        // A caller that ignores the short count of a single write is stopped too.
        let mut data = Message::new("").data_writer(String::new()).unwrap();
        assert_eq!(data.write(b"ab\xFF").unwrap(), 2);
        assert_eq!(data.finish(), Err(EncodeError::InvalidUtf8));
    }

    #[test]
    fn invalid_utf8_poisons_the_io_data_writer() {
        let mut out = Vec::new();
        let mut data = Message::new("").io_data_writer(&mut out).unwrap();
        assert!(data.write_all(b"ab\xFFcd").is_err());
        assert!(data.write_all(b"ok").is_err(), "a write after the error");
        assert!(data.finish().is_err());
        assert_eq!(out, b"data: ab", "no blank line ends the broken event");

        let mut out = Vec::new();
        let mut data = Message::new("").io_data_writer(&mut out).unwrap();
        assert_eq!(data.write(b"ab\xFF").unwrap(), 2);
        assert!(data.finish().is_err());
    }

    /// An I/O error is reported once by the next write; `finish` must still fail after.
    #[test]
    fn a_sink_error_poisons_the_io_data_writer() {
        struct Fails(usize);
        impl std::io::Write for Fails {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("down"));
                }
                self.0 -= 1;
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut data = Message::new("").io_data_writer(Fails(0)).unwrap();
        assert!(data.write_all(b"a").is_err());
        assert!(data.write_all(b"b").is_err());
        assert!(data.finish().is_err());
    }
}
