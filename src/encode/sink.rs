//! Where encoded text goes: the caller's byte slice, a length counter, and the adapters
//! that let one `core::fmt::Write`-based encoder write to a `Vec<u8>` or an `io::Write`.

use core::fmt;

/// A [`core::fmt::Write`] into a caller's byte buffer: encoding with no allocation at all.
///
/// Each `write_str` either fits whole or writes nothing and fails; after the first failure
/// every later write fails too, so [`written`](Self::written) is always a prefix of the
/// intended output. [`required`](Self::required) counts every byte asked for, written or
/// not. One-shot encoding into a slice is simpler with
/// [`Encode::encode_to_slice`](crate::Encode::encode_to_slice), which checks the length
/// first; `SliceWriter` is for the [`DataWriter`](crate::encode::DataWriter) without `alloc`.
///
/// ```
/// use core::fmt::Write;
/// use sse_proto::{encode::SliceWriter, Message};
///
/// let mut buf = [0u8; 64];
/// let mut out = SliceWriter::new(&mut buf);
/// let mut data = Message::new("").event_type("tick").data_writer(&mut out).unwrap();
/// write!(data, "{{\"n\":{}}}", 42).unwrap();
/// data.finish().unwrap();
/// assert_eq!(out.written(), b"event: tick\ndata: {\"n\":42}\n\n");
/// ```
#[derive(Debug)]
pub struct SliceWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
    required: usize,
    full: bool,
}

impl<'a> SliceWriter<'a> {
    /// A writer that fills `buf` from its start.
    ///
    /// ```
    /// let mut buf = [0u8; 4];
    /// assert!(sse_proto::encode::SliceWriter::new(&mut buf).is_empty());
    /// ```
    #[must_use]
    pub fn new(buf: &'a mut [u8]) -> Self {
        SliceWriter {
            buf,
            len: 0,
            required: 0,
            full: false,
        }
    }

    /// The number of bytes written so far.
    ///
    /// ```
    /// use core::fmt::Write;
    ///
    /// let mut buf = [0u8; 4];
    /// let mut w = sse_proto::encode::SliceWriter::new(&mut buf);
    /// w.write_str(":\n\n").unwrap();
    /// assert_eq!(w.len(), 3);
    /// ```
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing has been written.
    ///
    /// ```
    /// let mut buf = [0u8; 4];
    /// assert!(sse_proto::encode::SliceWriter::new(&mut buf).is_empty());
    /// ```
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes written so far.
    ///
    /// ```
    /// use core::fmt::Write;
    ///
    /// let mut buf = [0u8; 8];
    /// let mut w = sse_proto::encode::SliceWriter::new(&mut buf);
    /// w.write_str("data:\n\n").unwrap();
    /// assert_eq!(w.written(), b"data:\n\n");
    /// ```
    #[must_use]
    pub fn written(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// The bytes written, for as long as the buffer is borrowed.
    ///
    /// ```
    /// use core::fmt::Write;
    ///
    /// let mut buf = [0u8; 8];
    /// let mut w = sse_proto::encode::SliceWriter::new(&mut buf);
    /// w.write_str(":\n\n").unwrap();
    /// let bytes: &[u8] = w.into_written();
    /// assert_eq!(bytes, b":\n\n");
    /// ```
    #[must_use]
    pub fn into_written(self) -> &'a mut [u8] {
        let SliceWriter { buf, len, .. } = self;
        let available = buf.len();
        buf.get_mut(..len.min(available)).unwrap_or_default()
    }

    /// Every byte asked for so far, including those that did not fit: the buffer size that
    /// would have been needed for the writes made until now.
    ///
    /// ```
    /// use core::fmt::Write;
    ///
    /// let mut buf = [0u8; 4];
    /// let mut w = sse_proto::encode::SliceWriter::new(&mut buf);
    /// assert!(w.write_str("data: too long").is_err());
    /// assert_eq!((w.len(), w.required()), (0, 14));
    /// ```
    #[must_use]
    pub const fn required(&self) -> usize {
        self.required
    }

    /// Whether a write did not fit (and so every later write failed too).
    ///
    /// ```
    /// use core::fmt::Write;
    ///
    /// let mut buf = [0u8; 2];
    /// let mut w = sse_proto::encode::SliceWriter::new(&mut buf);
    /// assert!(w.write_str(":\n\n").is_err());
    /// assert!(w.overflowed());
    /// ```
    #[must_use]
    pub const fn overflowed(&self) -> bool {
        self.full
    }
}

impl fmt::Write for SliceWriter<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.required = self.required.saturating_add(s.len());
        if self.full {
            return Err(fmt::Error);
        }
        let start = self.len;
        let dst = start
            .checked_add(s.len())
            .and_then(|end| Some((end, self.buf.get_mut(start..end)?)));
        match dst {
            Some((end, dst)) => {
                dst.copy_from_slice(s.as_bytes());
                self.len = end;
                Ok(())
            }
            None => {
                self.full = true;
                Err(fmt::Error)
            }
        }
    }
}

/// Counts bytes instead of writing them: [`Encode::encoded_len`](crate::Encode::encoded_len)
/// runs the encoder into one, so the length is exact by construction.
#[derive(Debug, Default)]
pub(crate) struct Counter(pub(crate) usize);

impl fmt::Write for Counter {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.saturating_add(s.len());
        Ok(())
    }
}

/// Appends to a `Vec<u8>`.
#[cfg(feature = "alloc")]
pub(crate) struct VecSink<'a>(pub(crate) &'a mut alloc::vec::Vec<u8>);

#[cfg(feature = "alloc")]
impl fmt::Write for VecSink<'_> {
    // Inlined so that each literal piece (`: `, `\n`, `data: `) is a few stores, not a call.
    #[inline(always)]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(feature = "std")]
pub(crate) use io_sink::IoSink;

#[cfg(feature = "std")]
mod io_sink {
    use core::fmt;
    use std::io;

    /// Size of the stack buffer that gathers the small pieces of a block (`data: `, the
    /// value, `\n`) into few `write_all` calls on an unbuffered `io::Write` (a socket).
    const GATHER: usize = 512;

    /// A `core::fmt::Write` over an `io::Write` that keeps the first I/O error (which
    /// `fmt::Error` cannot carry) and gathers small writes in a stack buffer.
    /// [`finish`](Self::finish) writes out what is gathered; it does not flush `W`.
    pub(crate) struct IoSink<'a, W: ?Sized> {
        inner: &'a mut W,
        buf: [u8; GATHER],
        len: usize,
        error: Option<io::Error>,
    }

    impl<'a, W: io::Write + ?Sized> IoSink<'a, W> {
        pub(crate) fn new(inner: &'a mut W) -> Self {
            IoSink {
                inner,
                buf: [0; GATHER],
                len: 0,
                error: None,
            }
        }

        fn drain(&mut self) -> io::Result<()> {
            let len = core::mem::take(&mut self.len);
            self.inner
                .write_all(self.buf.get(..len).unwrap_or_default())
        }

        fn put(&mut self, s: &[u8]) -> io::Result<()> {
            let free = GATHER.saturating_sub(self.len);
            if s.len() > free {
                self.drain()?;
                if s.len() >= GATHER {
                    return self.inner.write_all(s);
                }
            }
            let start = self.len;
            let end = start.saturating_add(s.len());
            if let Some(dst) = self.buf.get_mut(start..end) {
                dst.copy_from_slice(s);
                self.len = end;
            }
            Ok(())
        }

        /// The I/O error behind a `fmt::Error`, or a generic one if there was none.
        pub(crate) fn take_error(&mut self) -> io::Error {
            self.error
                .take()
                .unwrap_or_else(|| io::Error::other("formatting error"))
        }

        /// Writes out the gathered bytes; returns the first error of the whole run. Takes
        /// `&mut self`, not `self`: moving the sink would copy its whole buffer.
        pub(crate) fn finish(&mut self) -> io::Result<()> {
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            self.drain()
        }
    }

    impl<W: io::Write + ?Sized> fmt::Write for IoSink<'_, W> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            if self.error.is_some() {
                return Err(fmt::Error);
            }
            self.put(s.as_bytes()).map_err(|e| {
                self.error = Some(e);
                fmt::Error
            })
        }
    }
}
