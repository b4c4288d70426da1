//! An event to write: the writer's input (P12–P15, P22).

use core::fmt;

#[cfg(feature = "alloc")]
use alloc::borrow::Cow;

use super::data::DataWriter;
use super::fields::Fields;
use super::lines::Lines;
#[cfg(feature = "alloc")]
use super::sink::VecSink;
use super::Encode;
use crate::error::EncodeError;
use crate::event::Event;
use crate::scan::find_line_end;

/// An event to encode: data, and optionally a type, an id and a reconnection time. Build
/// it with the chained setters and encode it with the [`Encode`] methods (or stream its
/// data with [`data_writer`](Self::data_writer)).
///
/// With `alloc`, each string is a [`Cow`]: pass `&str` to borrow or `String` to own, and
/// a message built from owned strings is a `Message<'static>` that can be stored, cloned
/// and sent to another thread. Without `alloc` it borrows `&str`. Either way it encodes
/// to the same bytes.
///
/// What is written, in this order (P22):
///
/// * `event: TYPE` — only for a type other than `""` and `message`, because a parser gives
///   `message` to an event with no (or an empty) type (P19). The decoded type is the same.
/// * `id: ID` if an id is set; `id:` for the empty id, which resets the client's last event
///   ID (P14). With no id set, no `id` line: the client keeps its last event ID (P17).
/// * `retry: MS` if set (P15).
/// * The data, one line per line of it: split on CR, LF and CRLF (P22), `data: LINE`, or
///   `data:` for an empty line. Empty data is the one line `data:`, which dispatches an
///   event with data `""` (P13, P18). A parser joins the lines with LF, so the data comes
///   back exactly, except that every CR or CRLF line break comes back as LF — the format
///   has no way to carry a CR (P4).
/// * A blank line, which dispatches the event (P8).
///
/// Every value is written `field: value`, with the space, so one that starts with a space
/// keeps it (P10); only an empty value is written `field:`, without a trailing space.
/// An event type with CR or LF, or an id with CR, LF or NUL, is an [`EncodeError`], found
/// before anything is written.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use sse_proto::{Encode, Message};
///
/// let event = Message::new("line 1\nline 2").event_type("log").id("42").retry(5000);
/// assert_eq!(
///     event.to_string()?,
///     "event: log\nid: 42\nretry: 5000\ndata: line 1\ndata: line 2\n\n"
/// );
/// assert_eq!(Message::new("").to_string()?, "data:\n\n");
/// assert_eq!(Message::new(" x").event_type("message").to_string()?, "data:  x\n\n");
///
/// // Owned: built from `String`s, kept, and encoded on another thread.
/// let n = 7;
/// let owned: Message<'static> = Message::new(format!("{{\"n\":{n}}}")).id(n.to_string());
/// let bytes = std::thread::spawn(move || owned.to_vec()).join().unwrap()?;
/// assert_eq!(bytes, b"id: 7\ndata: {\"n\":7}\n\n");
/// # }
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Message<'a> {
    event_type: Text<'a>,
    data: Text<'a>,
    id: Option<Text<'a>>,
    retry: Option<u64>,
}

/// A string a [`Message`] holds: borrowed or owned with `alloc`, borrowed without.
#[cfg(feature = "alloc")]
type Text<'a> = Cow<'a, str>;
#[cfg(not(feature = "alloc"))]
type Text<'a> = &'a str;

/// The string a [`Text`] holds, whichever it is.
fn as_str<'t>(text: &'t Text<'_>) -> &'t str {
    text
}

/// The string an optional [`Text`] holds.
fn opt_str<'t>(text: &'t Option<Text<'_>>) -> Option<&'t str> {
    text.as_ref().map(as_str)
}

/// The type of a string parameter: `impl Into<Cow<'a, str>>` with `alloc` (a `&str`, a
/// `String`, a `Cow`), `impl Into<&'a str>` without. Generic in both, so that turning
/// `alloc` on (any crate in the build may) does not change how a call's argument type is
/// inferred (features must be additive): a plain `&'a str` parameter accepted `s.as_ref()`
/// without `alloc` and rejected it as ambiguous with it. (A type of your own that converts
/// into `&str` but not into `Cow<str>` is still accepted only without `alloc`.)
#[cfg(feature = "alloc")]
macro_rules! text {
    ($lt:lifetime) => { impl Into<Cow<$lt, str>> };
}
#[cfg(not(feature = "alloc"))]
macro_rules! text {
    ($lt:lifetime) => { impl Into<&$lt str> };
}

impl<'a> Message<'a> {
    /// An event of type `message` with this data and no id or retry.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Encode, Message};
    ///
    /// assert_eq!(Message::new("hi").to_vec()?, b"data: hi\n\n");
    /// assert_eq!(Message::new(String::from("hi")).to_vec()?, b"data: hi\n\n");
    /// # }
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    #[allow(clippy::useless_conversion)] // `into` is the identity without `alloc`
    pub fn new(data: text!('a)) -> Self {
        Message {
            event_type: Text::default(),
            data: data.into(),
            id: None,
            retry: None,
        }
    }

    /// Sets the event type (P12). `""` and `message` both mean the default type, and write
    /// no `event` line. Must not contain CR or LF.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Encode, Message};
    ///
    /// assert_eq!(Message::new("1").event_type("tick").to_vec()?, b"event: tick\ndata: 1\n\n");
    /// # }
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    #[allow(clippy::useless_conversion)]
    pub fn event_type(mut self, event_type: text!('a)) -> Self {
        self.event_type = event_type.into();
        self
    }

    /// Sets the data (P13); it may hold any text, line breaks included.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Encode, Message};
    ///
    /// assert_eq!(Message::default().data("a\r\nb").to_vec()?, b"data: a\ndata: b\n\n");
    /// # }
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    #[allow(clippy::useless_conversion)]
    pub fn data(mut self, data: text!('a)) -> Self {
        self.data = data.into();
        self
    }

    /// Sets the id: the client's last event ID from this event on (P14, P17). `""` writes
    /// `id:`, which resets it. Must not contain CR, LF or NUL (C18).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Encode, Message};
    ///
    /// assert_eq!(Message::new("x").id("7").to_vec()?, b"id: 7\ndata: x\n\n");
    /// assert_eq!(Message::new("x").id("").to_vec()?, b"id:\ndata: x\n\n");
    /// assert_eq!(Message::new("x").id(8.to_string()).to_vec()?, b"id: 8\ndata: x\n\n");
    /// # }
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    #[allow(clippy::useless_conversion)]
    pub fn id(mut self, id: text!('a)) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Removes the id: no `id` line, the client keeps its last event ID (P17).
    ///
    /// ```
    /// use sse_proto::Message;
    ///
    /// assert_eq!(Message::new("x").id("7").no_id().id_ref(), None);
    /// ```
    #[must_use]
    pub fn no_id(mut self) -> Self {
        self.id = None;
        self
    }

    /// Sets the reconnection time in milliseconds, written as a `retry` field (P15).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Encode, Message};
    ///
    /// assert_eq!(Message::new("x").retry(3000).to_vec()?, b"retry: 3000\ndata: x\n\n");
    /// # }
    /// # Ok::<(), sse_proto::EncodeError>(())
    /// ```
    #[must_use]
    pub const fn retry(mut self, ms: u64) -> Self {
        self.retry = Some(ms);
        self
    }

    // Getters end in `_ref`, as on `http`'s request and response builders: the plain names
    // are the chained setters.

    /// The event type set by [`event_type`](Self::event_type) (`""` if none).
    ///
    /// ```
    /// use sse_proto::Message;
    ///
    /// assert_eq!(Message::new("x").event_type_ref(), "");
    /// assert_eq!(Message::new("x").event_type("tick").event_type_ref(), "tick");
    /// ```
    #[must_use]
    pub fn event_type_ref(&self) -> &str {
        as_str(&self.event_type)
    }

    /// The data set by [`new`](Self::new) or [`data`](Self::data).
    ///
    /// ```
    /// assert_eq!(sse_proto::Message::new("x").data_ref(), "x");
    /// ```
    #[must_use]
    pub fn data_ref(&self) -> &str {
        as_str(&self.data)
    }

    /// The id set by [`id`](Self::id), if any.
    ///
    /// ```
    /// assert_eq!(sse_proto::Message::new("x").id("1").id_ref(), Some("1"));
    /// ```
    #[must_use]
    pub fn id_ref(&self) -> Option<&str> {
        opt_str(&self.id)
    }

    /// The reconnection time set by [`retry`](Self::retry), in milliseconds, if any.
    ///
    /// ```
    /// assert_eq!(sse_proto::Message::new("x").retry_ref(), None);
    /// assert_eq!(sse_proto::Message::new("x").retry(10).retry_ref(), Some(10));
    /// ```
    #[must_use]
    pub const fn retry_ref(&self) -> Option<u64> {
        self.retry
    }

    /// The same message owning its strings: a `Message<'static>` to keep or send to
    /// another thread (`alloc`).
    ///
    /// ```
    /// use sse_proto::Message;
    ///
    /// let text = String::from("hello");
    /// let owned: Message<'static> = Message::new(&text).into_owned();
    /// drop(text);
    /// assert_eq!(owned.data_ref(), "hello");
    /// ```
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn into_owned(self) -> Message<'static> {
        Message {
            event_type: Cow::Owned(self.event_type.into_owned()),
            data: Cow::Owned(self.data.into_owned()),
            id: self.id.map(|id| Cow::Owned(id.into_owned())),
            retry: self.retry,
        }
    }

    /// Checks the event type (no CR or LF) and then the id (no CR, LF or NUL), as every
    /// encoding method does before writing anything (P22).
    ///
    /// # Errors
    ///
    /// [`EncodeError::EventType`] or [`EncodeError::Id`], the first found.
    ///
    /// ```
    /// use sse_proto::{encode::IdError, EncodeError, Message};
    ///
    /// assert_eq!(Message::new("any\ndata\0").validate(), Ok(()));
    /// assert_eq!(Message::new("").id("a\0").validate(), Err(EncodeError::Id(IdError::Nul)));
    /// ```
    pub fn validate(&self) -> Result<(), EncodeError> {
        self.fields().map(drop)
    }

    /// The fields before the data, validated.
    #[inline(always)]
    fn fields(&self) -> Result<Fields<'_>, EncodeError> {
        Fields::new(self.event_type_ref(), self.id_ref(), self.retry)
    }

    /// Validates, then writes the fields that come before the data.
    fn start<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), EncodeError> {
        self.fields()?
            .write(out)
            .map_err(|fmt::Error| EncodeError::Write)
    }

    /// Starts this event on `out` and returns a [`DataWriter`] for its data: the fields are
    /// written, then this message's data as the first piece (usually `""`), then whatever
    /// is written to the `DataWriter` until [`DataWriter::finish`]. The result is the same
    /// bytes as encoding the message with all the data at once.
    ///
    /// # Errors
    ///
    /// An invalid type or id, as [`validate`](Self::validate), with nothing written;
    /// [`EncodeError::Write`] if `out` fails.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use core::fmt::Write;
    /// use sse_proto::{Encode, Message};
    ///
    /// let event = Message::new("").event_type("json");
    /// let mut data = event.data_writer(String::new())?;
    /// write!(data, "[{}, {}]", 1, 2)?;
    /// let streamed = data.finish()?;
    /// assert_eq!(streamed, event.data("[1, 2]").to_string()?);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data_writer<W: fmt::Write>(&self, out: W) -> Result<DataWriter<W>, EncodeError> {
        let mut writer = DataWriter::start(out, |out| self.start(out))?;
        fmt::Write::write_str(&mut writer, as_str(&self.data))
            .map_err(|fmt::Error| EncodeError::Write)?;
        Ok(writer)
    }

    /// [`data_writer`](Self::data_writer) for a [`std::io::Write`] sink (`std`).
    ///
    /// # Errors
    ///
    /// An invalid type or id is an error of kind `InvalidInput` carrying the
    /// [`EncodeError`], with nothing written; an error of `out` is returned as is.
    ///
    /// ```
    /// use std::io::Write;
    /// use sse_proto::Message;
    ///
    /// let mut data = Message::new("").event_type("log").io_data_writer(Vec::new())?;
    /// data.write_all(b"one\ntwo")?;
    /// assert_eq!(data.finish()?, b"event: log\ndata: one\ndata: two\n\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn io_data_writer<W: std::io::Write>(
        &self,
        mut out: W,
    ) -> std::io::Result<super::IoDataWriter<W>> {
        let mut sink = super::sink::IoSink::new(&mut out);
        match self.start(&mut sink) {
            Ok(()) => sink.finish()?,
            Err(EncodeError::Write) => return Err(sink.take_error()),
            Err(e) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, e)),
        }
        let mut writer = super::IoDataWriter::start(out, Lines::data());
        writer.put(as_str(&self.data))?;
        Ok(writer)
    }
}

impl super::sealed::Sealed for Message<'_> {
    /// The fields' lengths, the data plus an eighth (room for the `data: ` of a line break
    /// every 48 bytes or more), and the fixed bytes.
    #[inline]
    fn capacity_hint(&self) -> usize {
        let data = self.data_ref().len();
        self.event_type_ref()
            .len()
            .saturating_add(self.id_ref().map_or(0, str::len))
            .saturating_add(if self.retry_ref().is_some() { 28 } else { 0 })
            .saturating_add(data)
            .saturating_add(data / 8)
            .saturating_add(32)
    }

    /// Every data byte at most a line break turned into `\ndata: `, eight bytes, so
    /// `data.len() * 8` plus the fixed parts (`event: `, `id: `, `retry: ` and 20 digits,
    /// `data: `, the line ends, the blank line) bounds the encoding.
    fn length_bound(&self) -> Option<usize> {
        self.data_ref()
            .len()
            .checked_mul(8)?
            .checked_add(self.event_type_ref().len())?
            .checked_add(self.id_ref().map_or(0, str::len))?
            .checked_add(64)
    }
}

impl Encode for Message<'_> {
    fn encode_to_fmt<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), EncodeError> {
        let event = Checked::new(self)?;
        event.write(out).map_err(|fmt::Error| EncodeError::Write)
    }

    /// The same bytes as `encode_to_fmt` (the same writer), with room reserved once, after
    /// validation (an invalid message allocates nothing), and only when `out` has less
    /// room than the event needs at the least: a buffer the caller sized (for example to
    /// [`encoded_len`](Encode::encoded_len)) or reuses is never grown past what the event
    /// takes. The room is the usual estimate, not the exact length of one-line data:
    /// measured in benches/peers, exact-size buffers were no faster run alone, and slower
    /// in the interleaved comparison.
    ///
    /// Inlined, as `to_vec`, into the caller, where the message was just built by the
    /// chained setters: it then never goes through memory. Measured on ~130-byte token
    /// events (benches/peers), that alone made `to_vec` ~1.2× faster.
    #[cfg(feature = "alloc")]
    #[inline]
    fn encode_to_vec(&self, out: &mut alloc::vec::Vec<u8>) -> Result<usize, EncodeError> {
        let event = Checked::new(self)?;
        let start = out.len();
        if out.capacity().saturating_sub(start) < event.min_len() {
            out.reserve(super::sealed::Sealed::capacity_hint(self));
        }
        // A `Vec` never refuses a write: this cannot fail.
        let _ = event.write(&mut VecSink(out));
        Ok(out.len().saturating_sub(start))
    }

    #[cfg(feature = "alloc")]
    #[inline]
    fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let event = Checked::new(self)?;
        let mut out = alloc::vec::Vec::with_capacity(super::sealed::Sealed::capacity_hint(self));
        // A `Vec` never refuses a write: this cannot fail.
        let _ = event.write(&mut VecSink(&mut out));
        Ok(out)
    }
}

/// A message ready to write: its fields validated and its data's first line break found,
/// both before anything is written.
struct Checked<'m> {
    fields: Fields<'m>,
    data: &'m str,
    /// `find_line_end(data)`.
    first_break: Option<usize>,
}

impl<'m> Checked<'m> {
    /// Validates, then finds the data's first line break (which the writer reuses): both
    /// before any allocation, so an invalid message allocates nothing.
    #[inline]
    fn new(message: &'m Message<'_>) -> Result<Self, EncodeError> {
        let fields = message.fields()?;
        let data = message.data_ref();
        Ok(Checked {
            fields,
            data,
            first_break: find_line_end(data.as_bytes()),
        })
    }

    /// A length the encoding never falls below: the fields' least, and the data's bytes
    /// plus `data:`, its line end and the blank line (a line break in the data becomes at
    /// least as many bytes as it had).
    #[cfg(feature = "alloc")] // sizes a `Vec`
    #[inline]
    fn min_len(&self) -> usize {
        self.fields
            .min_len()
            .saturating_add(self.data.len())
            .saturating_add(7)
    }

    /// The whole event: fields, data lines, blank line (P13, P22, P8).
    #[inline(always)]
    fn write<W: fmt::Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        self.fields.write(out)?;
        Lines::data().write_block(self.data, self.first_break, out)
    }
}

/// Re-encoding a decoded event (a proxy): same type (`message` is omitted), same data,
/// and an `id` line only if the event's block had one ([`Event::has_id`]) — the client
/// downstream keeps the last event ID across events just as the one upstream did.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use sse_proto::{Decoder, Encode, Item, Message};
///
/// let mut decoder = Decoder::new();
/// let mut out = Vec::new();
/// let mut feed = decoder.feed(b"event: a\r\nid: 1\r\ndata: x\r\n\r\ndata: y\r\n\r\n");
/// while let Some(item) = feed.next() {
///     if let Item::Event(event) = item {
///         Message::from(event).encode_to_vec(&mut out)?;
///     }
/// }
/// assert_eq!(out, b"event: a\nid: 1\ndata: x\n\ndata: y\n\n");
/// # }
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
impl<'a> From<Event<'a>> for Message<'a> {
    fn from(event: Event<'a>) -> Self {
        let message = Message::new(event.data()).event_type(event.event_type());
        if event.has_id() {
            message.id(event.last_event_id())
        } else {
            message
        }
    }
}

/// Re-encoding an owned decoded event, as for a borrowed [`Event`].
///
/// ```
/// use sse_proto::{Encode, Message, OwnedEvent};
///
/// let owned = OwnedEvent { event_type: "message".into(), data: "hi".into(), last_event_id: "3".into(), has_id: true };
/// assert_eq!(Message::from(&owned).to_vec()?, b"id: 3\ndata: hi\n\n");
/// # Ok::<(), sse_proto::EncodeError>(())
/// ```
#[cfg(feature = "alloc")]
impl<'a> From<&'a crate::OwnedEvent> for Message<'a> {
    fn from(event: &'a crate::OwnedEvent) -> Self {
        let message = Message::new(&event.data).event_type(&event.event_type);
        if event.has_id {
            message.id(&*event.last_event_id)
        } else {
            message
        }
    }
}
