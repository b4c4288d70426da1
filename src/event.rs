//! What the decoder hands out: events and the other items it never silently drops.

use core::fmt;

/// A dispatched event (P19), borrowed from the input chunk or the decoder's buffers.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use sse_proto::{Decoder, Item};
///
/// let mut decoder = Decoder::new();
/// let mut feed = decoder.feed(b"event: add\nid: 7\ndata: {\"x\":1}\n\n");
/// let Some(Item::Event(event)) = feed.next() else { panic!("an event") };
/// assert_eq!(event.event_type(), "add");
/// assert_eq!(event.data(), "{\"x\":1}");
/// assert_eq!(event.last_event_id(), "7");
/// assert!(event.has_id());
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event<'a> {
    pub(crate) event_type: &'a str,
    pub(crate) data: &'a str,
    pub(crate) last_event_id: &'a str,
    pub(crate) has_id: bool,
}

impl<'a> Event<'a> {
    /// The event type: the last `event` field of the block, or `message` when it had none
    /// or an empty one (P19).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Decoder, Item};
    ///
    /// let mut decoder = Decoder::new();
    /// let mut types = Vec::new();
    /// decoder.feed(b"event: ping\ndata: 1\n\nevent:\ndata: 2\n\ndata: 3\n\n").for_each(|item| {
    ///     if let Item::Event(e) = item { types.push(e.event_type().to_string()) }
    /// });
    /// assert_eq!(types, ["ping", "message", "message"]); // empty or absent: "message"
    /// # }
    /// ```
    #[must_use]
    pub const fn event_type(&self) -> &'a str {
        self.event_type
    }

    /// The data: each `data` field's value joined with LF, without a final LF (P13, P18).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Decoder, Item};
    ///
    /// let mut decoder = Decoder::new();
    /// let mut feed = decoder.feed(b"data: line 1\ndata\ndata:line 3\n\n");
    /// let Some(Item::Event(event)) = feed.next() else { panic!("an event") };
    /// assert_eq!(event.data(), "line 1\n\nline 3");
    /// # }
    /// ```
    #[must_use]
    pub const fn data(&self) -> &'a str {
        self.data
    }

    /// The last event ID at dispatch (P19, D5): sticky — set by this block's `id` field or
    /// any earlier one — and `""` if no id has been set (or it was reset by an empty `id`).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Decoder, Item};
    ///
    /// let mut decoder = Decoder::new();
    /// let mut ids = Vec::new();
    /// decoder.feed(b"id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n").for_each(|item| {
    ///     if let Item::Event(e) = item { ids.push(e.last_event_id().to_string()) }
    /// });
    /// assert_eq!(ids, ["1", "1", ""]); // sticky, until an empty id resets it
    /// # }
    /// ```
    #[must_use]
    pub const fn last_event_id(&self) -> &'a str {
        self.last_event_id
    }

    /// Whether this block carried its own valid `id` field (D5).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::{Decoder, Item};
    ///
    /// let mut decoder = Decoder::new();
    /// let mut own = Vec::new();
    /// decoder.feed(b"id: 1\ndata: a\n\ndata: b\n\n").for_each(|item| {
    ///     if let Item::Event(e) = item { own.push((e.last_event_id().to_string(), e.has_id())) }
    /// });
    /// assert_eq!(own, [("1".to_string(), true), ("1".to_string(), false)]);
    /// # }
    /// ```
    #[must_use]
    pub const fn has_id(&self) -> bool {
        self.has_id
    }

    /// An owned copy.
    ///
    /// ```
    /// # use sse_proto::{Decoder, Item};
    /// let mut decoder = Decoder::new();
    /// let owned = match decoder.feed(b"data: x\n\n").next() {
    ///     Some(Item::Event(e)) => e.to_owned(),
    ///     _ => unreachable!(),
    /// };
    /// assert_eq!(owned.data, "x");
    /// ```
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn to_owned(&self) -> OwnedEvent {
        use alloc::string::ToString;
        OwnedEvent {
            event_type: self.event_type.to_string(),
            data: self.data.to_string(),
            last_event_id: self.last_event_id.into(),
            has_id: self.has_id,
        }
    }
}

/// Why the decoder dropped a block (see [`DecoderConfig`](crate::DecoderConfig)).
///
/// The block is discarded and the decoder resynchronises at the next blank line; `retry`
/// fields already seen in the block have taken effect (P15), its `id` is not committed.
///
/// ```
/// use sse_proto::Dropped;
///
/// assert_eq!(Dropped::LineTooLong.to_string(), "line longer than the configured limit; block dropped");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dropped {
    /// A line was longer than `max_line_len`.
    LineTooLong,
    /// The block's data was larger than `max_event_len`.
    EventTooLarge,
    /// The block's `id` was longer than `max_id_len`.
    IdTooLong,
    /// [`Feed`](crate::Feed)s were dropped before they were drained until the input they
    /// left behind exceeded `max_line_len + max_event_len` (at least 64 KiB): the oldest of its items were
    /// discarded (all counted by `dropped_blocks`; reported once per such run).
    Undrained,
}

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dropped::LineTooLong => "line longer than the configured limit; block dropped",
            Dropped::EventTooLarge => "event data larger than the configured limit; block dropped",
            Dropped::IdTooLong => "id longer than the configured limit; block dropped",
            Dropped::Undrained => "undrained input beyond the configured limits; items dropped",
        })
    }
}

/// Everything the decoder surfaces, in stream order. Nothing is lost silently.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use sse_proto::{Decoder, Item};
///
/// let mut decoder = Decoder::new();
/// let mut feed = decoder.feed(b": hi\nretry: 500\n\nid: 9\n\ndata: x\n\n");
/// assert_eq!(feed.next(), Some(Item::Comment("hi")));
/// assert_eq!(feed.next(), Some(Item::Retry(500)));
/// assert_eq!(feed.next(), Some(Item::LastEventId("9")));
/// assert!(matches!(feed.next(), Some(Item::Event(e)) if e.data() == "x" && e.last_event_id() == "9"));
/// assert_eq!(feed.next(), None);
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Item<'a> {
    /// A dispatched event (P17–P19).
    Event(Event<'a>),
    /// A valid `retry` field set the reconnection time, in milliseconds (P15). Emitted when
    /// the field is read, whether or not its block ever dispatches.
    Retry(u64),
    /// A comment line's text, after one leading space (D8). The spec ignores comments (P9);
    /// they are surfaced so keep-alives are visible.
    Comment(&'a str),
    /// A block with an `id` field but no data ended: the last event ID is now this value
    /// (P17, D6). No event is dispatched; the value is what a reconnect sends.
    LastEventId(&'a str),
    /// A field with a name the spec does not know (P16). Only emitted when
    /// [`DecoderConfig::unknown_fields`](crate::DecoderConfig::unknown_fields) is on.
    UnknownField {
        /// The field name.
        name: &'a str,
        /// The value after the one-space strip.
        value: &'a str,
    },
    /// A block was dropped because it exceeded a configured limit.
    Dropped(Dropped),
    /// The stream ended inside a block: the partial line and the block were discarded
    /// (P20) and the block's `id` was not committed (D4). Only from
    /// [`Decoder::finish`](crate::Decoder::finish).
    Truncated,
}

#[cfg(feature = "alloc")]
pub use owned::{OwnedEvent, OwnedItem, SharedId};

#[cfg(feature = "alloc")]
mod owned {
    use super::{Dropped, Item};
    use alloc::string::{String, ToString};
    use alloc::sync::Arc;

    /// An owned [`Event`](super::Event), for keeping past the next call to the decoder.
    ///
    /// ```
    /// use sse_proto::OwnedEvent;
    ///
    /// let e = OwnedEvent { event_type: "message".into(), data: "hi".into(), last_event_id: "7".into(), has_id: true };
    /// assert_eq!((e.data.as_str(), &*e.last_event_id), ("hi", "7"));
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
    pub struct OwnedEvent {
        /// See [`Event::event_type`](super::Event::event_type).
        pub event_type: String,
        /// See [`Event::data`](super::Event::data).
        pub data: String,
        /// See [`Event::last_event_id`](super::Event::last_event_id). Shared: the owned
        /// items of a [`Client`](crate::Client), an [`EventReader`](crate::EventReader)
        /// or [`Feed::owned`](crate::Feed::owned) hold one allocation per distinct id, not
        /// one per event, so a long id that many events carry costs its length once.
        pub last_event_id: Arc<str>,
        /// See [`Event::has_id`](super::Event::has_id).
        pub has_id: bool,
    }

    /// An owned [`Item`].
    ///
    /// ```
    /// use sse_proto::{Item, OwnedItem};
    ///
    /// assert_eq!(Item::Comment("x").to_owned(), OwnedItem::Comment("x".into()));
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum OwnedItem {
        /// See [`Item::Event`].
        Event(OwnedEvent),
        /// See [`Item::Retry`].
        Retry(u64),
        /// See [`Item::Comment`].
        Comment(String),
        /// See [`Item::LastEventId`].
        LastEventId(String),
        /// See [`Item::UnknownField`].
        UnknownField {
            /// The field name.
            name: String,
            /// The value.
            value: String,
        },
        /// See [`Item::Dropped`].
        Dropped(Dropped),
        /// See [`Item::Truncated`].
        Truncated,
    }

    impl OwnedEvent {
        /// Borrows this event as an [`Event`](super::Event), so code written for the
        /// decoder's borrowed events (an encoder, a printer) serves owned ones too.
        ///
        /// ```
        /// use sse_proto::OwnedEvent;
        ///
        /// let owned = OwnedEvent { data: "x".into(), ..OwnedEvent::default() };
        /// assert_eq!(owned.as_event().data(), "x");
        /// ```
        #[must_use]
        pub fn as_event(&self) -> super::Event<'_> {
            super::Event {
                event_type: &self.event_type,
                data: &self.data,
                last_event_id: &self.last_event_id,
                has_id: self.has_id,
            }
        }
    }

    impl OwnedItem {
        /// Borrows this item as an [`Item`].
        ///
        /// ```
        /// use sse_proto::{Item, OwnedItem};
        ///
        /// assert_eq!(OwnedItem::Comment("hi".into()).as_item(), Item::Comment("hi"));
        /// ```
        #[must_use]
        pub fn as_item(&self) -> Item<'_> {
            match self {
                OwnedItem::Event(e) => Item::Event(e.as_event()),
                OwnedItem::Retry(ms) => Item::Retry(*ms),
                OwnedItem::Comment(c) => Item::Comment(c),
                OwnedItem::LastEventId(id) => Item::LastEventId(id),
                OwnedItem::UnknownField { name, value } => Item::UnknownField { name, value },
                OwnedItem::Dropped(d) => Item::Dropped(*d),
                OwnedItem::Truncated => Item::Truncated,
            }
        }
    }

    /// Makes owned copies of items whose events share one allocation of their last event ID
    /// while it stays the same: the id changes rarely, events are many, and an id may be
    /// as long as a line. What [`Feed::owned`](crate::Feed::owned), the
    /// [`Client`](crate::Client) and the [`EventReader`](crate::EventReader) use; for a
    /// reader of your own that keeps items past the next call to the decoder.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use sse_proto::{Decoder, OwnedItem, SharedId};
    ///
    /// let mut ids = SharedId::new();
    /// let mut decoder = Decoder::new();
    /// let mut owned = Vec::new();
    /// for chunk in [&b"id: 7\ndata: a\n\n"[..], b"data: b\n\n"] {
    ///     let mut feed = decoder.feed(chunk);
    ///     while let Some(item) = feed.next() {
    ///         owned.push(ids.own(&item));
    ///     }
    /// }
    /// let [OwnedItem::Event(a), OwnedItem::Event(b)] = &owned[..] else { panic!() };
    /// assert!(Arc::ptr_eq(&a.last_event_id, &b.last_event_id)); // one "7" for both
    /// ```
    #[derive(Debug, Clone, Default)]
    pub struct SharedId {
        id: Arc<str>,
    }

    impl SharedId {
        /// Nothing shared yet.
        ///
        /// ```
        /// let mut ids = sse_proto::SharedId::new();
        /// assert_eq!(ids.own(&sse_proto::Item::Retry(5)), sse_proto::OwnedItem::Retry(5));
        /// ```
        #[must_use]
        pub fn new() -> Self {
            Self::default()
        }

        /// `id` as a shared string, reusing the last one when it is the same.
        fn share(&mut self, id: &str) -> Arc<str> {
            if *self.id != *id {
                self.id = Arc::from(id);
            }
            Arc::clone(&self.id)
        }

        /// An owned copy of `item` (as [`Item::to_owned`]), whose event's last event ID
        /// is the one of the last event made here when they are the same.
        ///
        /// ```
        /// use sse_proto::{Decoder, OwnedItem, SharedId};
        ///
        /// let mut ids = SharedId::new();
        /// let mut decoder = Decoder::new();
        /// let mut feed = decoder.feed(b"id: 1\ndata: x\n\n");
        /// let item = feed.next().expect("an event");
        /// assert!(matches!(ids.own(&item), OwnedItem::Event(e) if &*e.last_event_id == "1"));
        /// ```
        #[must_use]
        pub fn own(&mut self, item: &Item<'_>) -> OwnedItem {
            match *item {
                Item::Event(e) => OwnedItem::Event(OwnedEvent {
                    event_type: e.event_type.to_string(),
                    data: e.data.to_string(),
                    last_event_id: self.share(e.last_event_id),
                    has_id: e.has_id,
                }),
                ref other => other.to_owned(),
            }
        }
    }

    impl Item<'_> {
        /// An owned copy.
        ///
        /// ```
        /// use sse_proto::{Item, OwnedItem};
        ///
        /// assert_eq!(Item::Retry(5).to_owned(), OwnedItem::Retry(5));
        /// ```
        #[must_use]
        pub fn to_owned(&self) -> OwnedItem {
            match *self {
                Item::Event(e) => OwnedItem::Event(e.to_owned()),
                Item::Retry(ms) => OwnedItem::Retry(ms),
                Item::Comment(c) => OwnedItem::Comment(c.to_string()),
                Item::LastEventId(id) => OwnedItem::LastEventId(id.to_string()),
                Item::UnknownField { name, value } => OwnedItem::UnknownField {
                    name: name.to_string(),
                    value: value.to_string(),
                },
                Item::Dropped(d) => OwnedItem::Dropped(d),
                Item::Truncated => OwnedItem::Truncated,
            }
        }
    }
}
