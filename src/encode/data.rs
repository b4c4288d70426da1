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
/// After an error from the sink the output is incomplete; drop the writer and the
/// connection. (With `std`, bytes of a character split between `io::Write` calls must be
/// completed by the next `io::Write` call: a `&str` piece in between is an error.)
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
        })
    }

    /// Ends the data and the event (the last `data` line and the blank line, P8, P13) and
    /// returns the sink.
    ///
    /// ```
    /// use sse_proto::Message;
    ///
    /// let data = Message::new("x").data_writer(String::new())?;
    /// assert_eq!(data.finish()?, "data: x\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    pub fn finish(mut self) -> Result<W, EncodeError> {
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
        #[cfg(feature = "std")]
        if self.utf8.is_pending() {
            return Err(fmt::Error); // bytes of an unfinished character came before
        }
        self.lines.write(piece, &mut self.out)
    }
}

#[cfg(feature = "std")]
impl<W: fmt::Write> std::io::Write for DataWriter<W> {
    /// Takes UTF-8 bytes; a character may be split between calls. Invalid UTF-8 is an
    /// `InvalidData` error carrying [`EncodeError::InvalidUtf8`].
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let DataWriter { out, lines, utf8 } = self;
        utf8.write(buf, |s| lines.write(s, out))
            .map_err(|e| match e {
                utf8::Error::Utf8 => utf8::invalid_data(),
                utf8::Error::Sink => std::io::Error::other(EncodeError::Write),
            })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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

    /// The [`DataWriter`](super::DataWriter) for a [`std::io::Write`] sink (`std`), made by
    /// [`Message::io_data_writer`](crate::Message::io_data_writer). It reports the sink's
    /// own I/O errors, and gathers the small pieces of each call into one `write_all`.
    ///
    /// It takes the data through [`std::io::Write`] (UTF-8 bytes, a character may be split
    /// between calls; `serde_json::to_writer` works) or [`core::fmt::Write`] (then an I/O
    /// error surfaces as `fmt::Error` and is returned again by [`finish`](Self::finish)).
    /// [`finish`](Self::finish) ends the event; it does not flush the sink.
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
        error: Option<io::Error>,
    }

    impl<W: io::Write> IoDataWriter<W> {
        pub(crate) fn start(out: W, lines: Lines) -> Self {
            IoDataWriter {
                out,
                lines,
                utf8: utf8::Tail::default(),
                error: None,
            }
        }

        /// Ends the data and the event (P8, P13) and returns the sink, unflushed. Fails with
        /// the first I/O error of any earlier write, or `InvalidData` if the bytes ended
        /// inside a UTF-8 character.
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
            let IoDataWriter {
                out, lines, utf8, ..
            } = self;
            let mut sink = IoSink::new(out);
            let result = utf8.write(buf, |s| lines.write(s, &mut sink));
            match result {
                Ok(n) => sink.finish().map(|()| n),
                Err(utf8::Error::Utf8) => {
                    sink.finish()?;
                    Err(utf8::invalid_data())
                }
                Err(utf8::Error::Sink) => Err(sink.take_error()),
            }
        }

        fn flush(&mut self) -> io::Result<()> {
            self.out.flush()
        }
    }

    impl<W: io::Write> fmt::Write for IoDataWriter<W> {
        fn write_str(&mut self, piece: &str) -> fmt::Result {
            if self.error.is_some() || self.utf8.is_pending() {
                return Err(fmt::Error);
            }
            self.put(piece).map_err(|e| {
                self.error = Some(e);
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
