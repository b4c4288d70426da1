//! The decoder's limits and options.

/// Limits and options for a [`Decoder`](super::Decoder): one expression, passed by value.
///
/// Set with the chained setters, read with the public fields. New options may be added, so
/// the struct is `#[non_exhaustive]`: start from [`DecoderConfig::default`].
///
/// ```
/// use sse_proto::{Decoder, DecoderConfig};
///
/// let decoder = Decoder::with_config(
///     DecoderConfig::default().max_line_len(16 << 10).max_event_len(64 << 10),
/// );
/// assert_eq!(decoder.config().max_line_len, 16 << 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecoderConfig {
    /// The longest line accepted, in bytes; see [`max_line_len`](Self::max_line_len()).
    pub max_line_len: usize,
    /// The largest data accepted for one event, in bytes; see
    /// [`max_event_len`](Self::max_event_len()).
    pub max_event_len: usize,
    /// Whether unknown fields are reported; see [`unknown_fields`](Self::unknown_fields()).
    pub unknown_fields: bool,
    /// The longest `id` value accepted, in bytes; see [`max_id_len`](Self::max_id_len()).
    pub max_id_len: usize,
}

impl DecoderConfig {
    /// Default [`max_line_len`](Self::max_line_len()): 1 MiB.
    ///
    /// ```
    /// use sse_proto::DecoderConfig;
    ///
    /// assert_eq!(DecoderConfig::default().max_line_len, DecoderConfig::DEFAULT_MAX_LINE_LEN);
    /// ```
    pub const DEFAULT_MAX_LINE_LEN: usize = 1 << 20;
    /// Default [`max_event_len`](Self::max_event_len()): 4 MiB.
    ///
    /// ```
    /// use sse_proto::DecoderConfig;
    ///
    /// assert_eq!(DecoderConfig::default().max_event_len, DecoderConfig::DEFAULT_MAX_EVENT_LEN);
    /// ```
    pub const DEFAULT_MAX_EVENT_LEN: usize = 4 << 20;
    /// Default [`max_id_len`](Self::max_id_len()): 64 KiB.
    ///
    /// ```
    /// use sse_proto::DecoderConfig;
    ///
    /// assert_eq!(DecoderConfig::default().max_id_len, DecoderConfig::DEFAULT_MAX_ID_LEN);
    /// ```
    pub const DEFAULT_MAX_ID_LEN: usize = 64 << 10;

    /// The longest `id` value accepted, in bytes. A block with a longer one is dropped
    /// ([`Dropped::IdTooLong`](super::Dropped::IdTooLong)) and its id is not committed. The last event ID is kept for
    /// the life of a stream and sent back on every reconnect, so it gets a limit of its own,
    /// far below a line's. Default 64 KiB.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, Dropped, Item};
    ///
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().max_id_len(4));
    /// let mut feed = decoder.feed(b"id: 12345\ndata: a\n\nid: 1234\ndata: b\n\n");
    /// assert_eq!(feed.next(), Some(Item::Dropped(Dropped::IdTooLong)));
    /// assert!(matches!(feed.next(), Some(Item::Event(e)) if e.last_event_id() == "1234"));
    /// ```
    #[must_use]
    pub const fn max_id_len(mut self, bytes: usize) -> Self {
        self.max_id_len = bytes;
        self
    }

    /// The longest line accepted, in bytes, not counting its terminator (a BOM on the first
    /// line counts). A longer line drops its block ([`Dropped::LineTooLong`](super::Dropped::LineTooLong)). This bounds
    /// the bytes held for a line split across chunks. Default 1 MiB.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, Dropped, Item};
    ///
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().max_line_len(8));
    /// let mut feed = decoder.feed(b"data: far too long\n\ndata: ok\n\n");
    /// assert_eq!(feed.next(), Some(Item::Dropped(Dropped::LineTooLong)));
    /// assert!(matches!(feed.next(), Some(Item::Event(e)) if e.data() == "ok"));
    /// ```
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// The largest data buffer accepted for one block, in bytes: each `data` value plus one
    /// for its LF (P13), counted before UTF-8 repair. A larger block is dropped
    /// ([`Dropped::EventTooLarge`](super::Dropped::EventTooLarge)). Default 4 MiB.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, Dropped, Item};
    ///
    /// // "data: abc" counts 4 bytes (3 + its LF): two such lines exceed a limit of 6.
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().max_event_len(6));
    /// let mut feed = decoder.feed(b"data: abc\n\ndata: abc\ndata: abc\n\n");
    /// assert!(matches!(feed.next(), Some(Item::Event(e)) if e.data() == "abc"));
    /// assert_eq!(feed.next(), Some(Item::Dropped(Dropped::EventTooLarge)));
    /// ```
    #[must_use]
    pub const fn max_event_len(mut self, bytes: usize) -> Self {
        self.max_event_len = bytes;
        self
    }

    /// Surface fields with unknown names as [`Item::UnknownField`](super::Item::UnknownField) instead of ignoring them
    /// silently (P16). Default off.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, Item};
    ///
    /// let mut decoder = Decoder::with_config(DecoderConfig::default().unknown_fields(true));
    /// let mut feed = decoder.feed(b"foo: bar\n");
    /// assert_eq!(feed.next(), Some(Item::UnknownField { name: "foo", value: "bar" }));
    /// ```
    #[must_use]
    pub const fn unknown_fields(mut self, on: bool) -> Self {
        self.unknown_fields = on;
        self
    }
}

impl Default for DecoderConfig {
    fn default() -> Self {
        DecoderConfig {
            max_line_len: Self::DEFAULT_MAX_LINE_LEN,
            max_event_len: Self::DEFAULT_MAX_EVENT_LEN,
            unknown_fields: false,
            max_id_len: Self::DEFAULT_MAX_ID_LEN,
        }
    }
}
