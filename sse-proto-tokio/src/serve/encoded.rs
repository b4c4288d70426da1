//! An encoded block: the bytes the core writer produced for one event (or comment,
//! keep-alive, `retry`), shared by reference count.

use bytes::Bytes;
use sse_proto::{Comment, Encode, EncodeError, KeepAlive, LastEventId, Message, Retry};

/// One block of a `text/event-stream` (an event, comment, keep-alive, `retry` or id-only
/// block) encoded by the core writer, ready to send. Cloning it clones a [`Bytes`] (a
/// reference count), so one event encoded once goes to every client without a copy.
///
/// It can only be made by encoding, so its bytes are always whole blocks of a valid stream
/// (every block ends with a blank line): concatenating `Encoded` values in any order is a
/// valid stream (WHATWG HTML §9.2.5; rule P22 of sse-proto's `spec-vectors/RULES.md`).
///
/// ```
/// use sse_proto::Message;
/// use sse_proto_tokio::serve::Encoded;
///
/// let event = Encoded::new(&Message::new("hi").id("1"))?;
/// assert_eq!(event.as_bytes(), b"id: 1\ndata: hi\n\n");
/// assert_eq!(event.clone().into_bytes().as_ptr(), event.as_bytes().as_ptr()); // no copy
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Encoded(Bytes);

impl Encoded {
    /// Encodes `block` once.
    ///
    /// # Errors
    ///
    /// The core writer's [`EncodeError`], with nothing encoded, if it refuses the block (an
    /// event type with a line break, an id with a line break or NUL).
    ///
    /// ```
    /// use sse_proto::{EncodeError, Message};
    /// use sse_proto_tokio::serve::Encoded;
    ///
    /// assert!(Encoded::new(&Message::new("")).is_ok()); // `data:`: empty data still dispatches
    /// assert!(matches!(Encoded::new(&Message::new("x").id("a\nb")), Err(EncodeError::Id(_))));
    /// ```
    pub fn new<B: Encode + ?Sized>(block: &B) -> Result<Self, EncodeError> {
        // Sized exactly: one allocation, and `Bytes` takes the `Vec` without reallocating.
        let mut bytes = Vec::with_capacity(block.encoded_len()?);
        block.encode_to_vec(&mut bytes)?;
        Ok(Encoded(Bytes::from(bytes)))
    }

    /// Encodes `message` with data written piece by piece by `write` after the message's
    /// own data (usually `""`): a payload serialised straight into the block, with no
    /// `String` of it first. The core's streaming data writer
    /// ([`IoDataWriter`](sse_proto::encode::IoDataWriter)) does the work, so the bytes are
    /// those of encoding the message with all of it as its data: every line break in it
    /// starts a new `data:` line, and nothing written can end the event early.
    ///
    /// # Errors
    ///
    /// An invalid type or id (kind `InvalidInput`, carrying the [`EncodeError`]), bytes
    /// that are not UTF-8 (kind `InvalidData`), or `write`'s own error; nothing is encoded.
    ///
    /// JSON with `serde_json::to_writer`, whose error converts into an `io::Error`:
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::Encoded;
    ///
    /// #[derive(serde::Serialize)]
    /// struct Quote<'a> { symbol: &'a str, price: u32 }
    ///
    /// let quote = Quote { symbol: "XYZ", price: 42 };
    /// let event = Encoded::with_data(&Message::new("").event_type("quote").id("17"), |data| {
    ///     Ok(serde_json::to_writer(data, &quote)?)
    /// })?;
    /// assert_eq!(event.as_bytes(), br#"event: quote
    /// id: 17
    /// data: {"symbol":"XYZ","price":42}
    ///
    /// "#);
    /// // Pretty-printed JSON has line breaks: each is a `data:` line, and a client
    /// // decodes the same text back.
    /// let pretty = Encoded::with_data(&Message::new(""), |data| {
    ///     Ok(serde_json::to_writer_pretty(data, &[1, 2])?)
    /// })?;
    /// assert_eq!(pretty.as_bytes(), b"data: [\ndata:   1,\ndata:   2\ndata: ]\n\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn with_data<F>(message: &Message<'_>, write: F) -> std::io::Result<Self>
    where
        F: FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    {
        let mut data = message.io_data_writer(Vec::new())?;
        write(&mut data)?;
        Ok(Encoded(Bytes::from(data.finish()?)))
    }

    /// The keep-alive block (`:` and a blank line), without allocating.
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::serve::Encoded::keep_alive().as_bytes(), b":\n\n");
    /// ```
    #[must_use]
    pub fn keep_alive() -> Self {
        Encoded(Bytes::from_static(KeepAlive::BYTES))
    }

    /// The encoded bytes.
    ///
    /// ```
    /// use sse_proto::Retry;
    /// use sse_proto_tokio::serve::Encoded;
    ///
    /// assert_eq!(Encoded::new(&Retry(500))?.as_bytes(), b"retry: 500\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The encoded bytes as a [`Bytes`] (no copy).
    ///
    /// ```
    /// use sse_proto::Comment;
    /// use sse_proto_tokio::serve::Encoded;
    ///
    /// assert_eq!(Encoded::new(&Comment::new("x"))?.into_bytes(), &b": x\n\n"[..]);
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// The length in bytes.
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::serve::Encoded::keep_alive().len(), 3);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: every block ends with a blank line. (For clippy's `len` rule.)
    ///
    /// ```
    /// assert!(!sse_proto_tokio::serve::Encoded::keep_alive().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The encoded bytes, for APIs that take `impl AsRef<[u8]>`.
///
/// ```
/// use sse_proto_tokio::serve::Encoded;
///
/// fn length(bytes: impl AsRef<[u8]>) -> usize { bytes.as_ref().len() }
/// assert_eq!(length(Encoded::keep_alive()), 3);
/// ```
impl AsRef<[u8]> for Encoded {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Encoded> for Bytes {
    fn from(block: Encoded) -> Self {
        block.0
    }
}

/// What a response body can send: a block to encode ([`Message`], [`Comment`], [`Retry`],
/// [`LastEventId`], [`KeepAlive`]) or one already encoded ([`Encoded`], which costs
/// nothing more). The items of the stream given to [`Sse`](super::Sse).
///
/// ```
/// use sse_proto::Message;
/// use sse_proto_tokio::serve::{Encoded, IntoEncoded};
///
/// assert_eq!(Message::new("x").into_encoded()?, Encoded::new(&Message::new("x"))?);
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
pub trait IntoEncoded {
    /// Encodes the block (once).
    ///
    /// # Errors
    ///
    /// The core writer's [`EncodeError`] if it refuses the block, as [`Encoded::new`].
    ///
    /// ```
    /// use sse_proto::Retry;
    /// use sse_proto_tokio::serve::IntoEncoded;
    ///
    /// assert_eq!(Retry(1).into_encoded()?.as_bytes(), b"retry: 1\n\n");
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    fn into_encoded(self) -> Result<Encoded, EncodeError>;
}

impl IntoEncoded for Encoded {
    fn into_encoded(self) -> Result<Encoded, EncodeError> {
        Ok(self)
    }
}

macro_rules! encode_blocks {
    ($($block:ty),*) => {$(
        impl IntoEncoded for $block {
            fn into_encoded(self) -> Result<Encoded, EncodeError> {
                Encoded::new(&self)
            }
        }
    )*};
}

encode_blocks!(Message<'_>, Comment<'_>, LastEventId<'_>, Retry, KeepAlive);
