//! Body → events: any `Stream` of byte chunks decoded into a `Stream` of owned events or
//! items, on any runtime (nothing here touches tokio).
//!
//! Chunks are decoded by the core [`Decoder`] one item per poll, straight from the chunk,
//! and each item is made owned as it is handed out: one copy of an event's data (the
//! decoder borrows; a `Stream` item cannot), nothing queued, so a megabyte of tiny comments
//! never becomes a megabyte's worth of items in memory. The rest of a chunk waits as
//! `Bytes` ([`Feed::pause`](sse_proto::Feed::pause) leaves it with the caller): without a
//! copy when the chunk is `Bytes`, as reqwest and hyper bodies give. Each event is made
//! when it is asked for and dropped by the caller before the next, which is also what the
//! allocator serves fastest.

use std::collections::VecDeque;
use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Buf, Bytes};
use futures_core::{FusedStream, Stream};
use pin_project_lite::pin_project;
use sse_proto::encode::IdError;
use sse_proto::{Decoder, DecoderConfig, Dropped, Item, OwnedEvent, OwnedItem, SharedId};

/// Decodes a stream of byte chunks as `text/event-stream`: `.sse()` on any
/// `Stream<Item = Result<impl Buf, E>>` — reqwest's `bytes_stream()`, a hyper body through
/// [`BodyData`], a `futures` channel.
///
/// ```
/// use futures_util::stream;
/// use sse_proto_tokio::SseStreamExt;
///
/// # tokio_test(async {
/// let chunks = [&b"data: hel"[..], b"lo\n\nid: 7\ndata: w\xC3", b"\xA9\n\n"];
/// let body = stream::iter(chunks.map(Ok::<_, std::io::Error>));
/// let mut events = body.sse();
/// let mut seen = Vec::new();
/// while let Some(event) = events.next().await {
///     let event = event?;
///     seen.push(format!("{}: {}", event.event_type, event.data));
/// }
/// assert_eq!(seen, ["message: hello", "message: wé"]);
/// assert_eq!(events.last_event_id(), "7");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # });
/// # fn tokio_test<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
pub trait SseStreamExt: Sized {
    /// The events of this body, with the default decoder limits.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"data: 1\n\n"[..])]);
    /// let data: Vec<String> = body.sse().map(|e| e.unwrap().data).collect().await;
    /// assert_eq!(data, ["1"]);
    /// # }).unwrap();
    /// ```
    fn sse(self) -> Events<Self> {
        Events::new(self)
    }

    /// The events of this body, decoded with `config`'s limits.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto::{DecoderConfig, Dropped};
    /// use sse_proto_tokio::{SseStreamExt, StreamError};
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"data: far too long\n\ndata: ok\n\n"[..])]);
    /// let mut events = body.sse_with(DecoderConfig::default().max_line_len(8));
    /// assert!(matches!(events.next().await, Some(Err(StreamError::Dropped(Dropped::LineTooLong)))));
    /// assert_eq!(events.next().await.unwrap().unwrap().data, "ok");
    /// # }).unwrap();
    /// ```
    fn sse_with(self, config: DecoderConfig) -> Events<Self> {
        Events::with_config(self, config)
    }
}

impl<S, B, E> SseStreamExt for S
where
    S: Stream<Item = Result<B, E>>,
    B: Buf,
{
}

/// Why an [`Events`] stream yielded an error instead of an event. Only
/// [`Body`](Self::Body) ends the body; after the others decoding goes on.
///
/// ```
/// use sse_proto::Dropped;
/// use sse_proto_tokio::StreamError;
///
/// let error: StreamError<std::io::Error> = StreamError::Dropped(Dropped::EventTooLarge);
/// assert!(!error.is_body());
/// assert_eq!(error.to_string(), "event data larger than the configured limit; block dropped");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StreamError<E> {
    /// The byte stream failed; its error, passed through unchanged: transparent, its
    /// message and its [`source`](std::error::Error::source) are the body error's own.
    ///
    /// ```
    /// use std::error::Error;
    /// use sse_proto_tokio::StreamError;
    ///
    /// let error = StreamError::Body(std::io::Error::other("connection reset"));
    /// assert_eq!(error.to_string(), "connection reset");
    /// assert!(error.source().is_none()); // the io::Error's source: it has none
    /// ```
    Body(E),
    /// A block exceeded a decoder limit and was dropped; decoding resumes after it.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto::{DecoderConfig, Dropped};
    /// use sse_proto_tokio::{SseStreamExt, StreamError};
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"data: far too long\n\n"[..])]);
    /// let mut events = body.sse_with(DecoderConfig::default().max_line_len(8));
    /// assert!(matches!(events.next().await, Some(Err(StreamError::Dropped(Dropped::LineTooLong)))));
    /// # }).unwrap();
    /// ```
    Dropped(Dropped),
    /// The body ended inside a block, which was discarded (its `id` not committed), as
    /// the format requires for an unterminated block.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::{SseStreamExt, StreamError};
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"id: 2\ndata: cut"[..])]);
    /// let mut events = body.sse();
    /// assert!(matches!(events.next().await, Some(Err(StreamError::Truncated))));
    /// assert_eq!(events.last_event_id(), ""); // its id was not committed
    /// # }).unwrap();
    /// ```
    Truncated,
}

impl<E> StreamError<E> {
    /// Whether this is the byte stream's own error.
    ///
    /// ```
    /// use sse_proto_tokio::StreamError;
    ///
    /// assert!(StreamError::Body(std::io::Error::other("reset")).is_body());
    /// assert!(!StreamError::<std::io::Error>::Truncated.is_body());
    /// ```
    #[must_use]
    pub const fn is_body(&self) -> bool {
        matches!(self, StreamError::Body(_))
    }

    /// The byte stream's error, if that is what this is.
    ///
    /// ```
    /// use sse_proto_tokio::StreamError;
    ///
    /// let error = StreamError::Body(std::io::Error::other("reset"));
    /// assert_eq!(error.into_body().unwrap().to_string(), "reset");
    /// ```
    pub fn into_body(self) -> Option<E> {
        match self {
            StreamError::Body(error) => Some(error),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Body(error) => error.fmt(f), // transparent
            StreamError::Dropped(dropped) => dropped.fmt(f),
            StreamError::Truncated => {
                f.write_str("the body ended inside an event; it was discarded")
            }
        }
    }
}

impl<E: StdError + 'static> StdError for StreamError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            StreamError::Body(error) => error.source(), // transparent
            _ => None,
        }
    }
}

pin_project! {
    /// Every decoded item of a body — events, comments, `retry` values, id-only blocks,
    /// drops and truncation — as [`OwnedItem`]s; only the byte stream's errors are errors.
    /// From [`Events::items`].
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto::OwnedItem;
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b": hi\nretry: 500\n\nid: 9\n\n"[..])]);
    /// let items: Vec<OwnedItem> = body.sse().items().map(Result::unwrap).collect().await;
    /// assert_eq!(items, [
    ///     OwnedItem::Comment("hi".into()),
    ///     OwnedItem::Retry(500),
    ///     OwnedItem::LastEventId("9".into()),
    /// ]);
    /// # }).unwrap();
    /// ```
    #[derive(Debug)]
    #[must_use = "streams do nothing unless polled"]
    pub struct Items<S> {
        #[pin]
        body: S,
        decoder: Decoder,
        // The items the end of the body gave (at most a few), not handed out yet.
        queue: VecDeque<OwnedItem>,
        // The part of a chunk not decoded yet.
        rest: Bytes,
        // Makes the owned items: events with the same id share it.
        ids: SharedId,
        // Made for `Events`: only events, drops and truncation are made owned.
        events_only: bool,
        body_done: bool,
    }
}

impl<S> Items<S> {
    fn new(body: S, decoder: Decoder) -> Self {
        Items {
            body,
            decoder,
            queue: VecDeque::new(),
            rest: Bytes::new(),
            ids: SharedId::new(),
            events_only: false,
            body_done: false,
        }
    }

    /// The last event ID so far (what a reconnect would send as `Last-Event-ID`).
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"id: 3\n\n"[..])]);
    /// let mut items = body.sse().items();
    /// while items.next().await.is_some() {}
    /// assert_eq!(items.last_event_id(), "3");
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.decoder.last_event_id()
    }

    /// The reconnection time the body asked for with its last valid `retry` field, in
    /// milliseconds.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"retry: 250\n"[..])]);
    /// let mut items = body.sse().items();
    /// while items.next().await.is_some() {}
    /// assert_eq!(items.retry(), Some(250));
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn retry(&self) -> Option<u64> {
        self.decoder.retry()
    }

    /// The byte stream, given back (the decoder's state, and any part of a chunk not
    /// decoded yet, are dropped).
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"data: 1\n\n"[..]), Ok(b"data: 2\n\n")]);
    /// let mut items = body.sse().items();
    /// items.next().await; // decodes the first chunk
    /// let mut body = items.into_inner();
    /// assert_eq!(body.next().await.unwrap().unwrap(), b"data: 2\n\n"); // the rest, undecoded
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn into_inner(self) -> S {
        self.body
    }

    /// A reference to the byte stream.
    ///
    /// ```
    /// use futures_util::stream;
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// let items = stream::iter([Ok::<_, std::io::Error>(&b""[..])]).sse().items();
    /// assert_eq!(futures_util::Stream::size_hint(items.get_ref()), (1, Some(1)));
    /// ```
    #[must_use]
    pub fn get_ref(&self) -> &S {
        &self.body
    }

    /// A mutable reference to the byte stream. Taking chunks from it directly skips
    /// them: they are never decoded.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"data: skipped\n\n"[..]), Ok(b"data: 2\n\n")]);
    /// let mut items = body.sse().items();
    /// items.get_mut().next().await;
    /// let next = items.next().await.unwrap().unwrap();
    /// assert!(matches!(next, sse_proto::OwnedItem::Event(event) if event.data == "2"));
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.body
    }
}

impl<S, B, E> Items<S>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: Buf,
{
    /// The next item, or `None` once the body has ended and every item was given (the
    /// same as `StreamExt::next`, without the import).
    ///
    /// ```
    /// use sse_proto::OwnedItem;
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = futures_util::stream::iter([Ok::<_, std::io::Error>(&b": hi\n\n"[..])]);
    /// let mut items = body.sse().items();
    /// assert_eq!(items.next().await.unwrap()?, OwnedItem::Comment("hi".into()));
    /// assert!(items.next().await.is_none());
    /// # Ok::<(), std::io::Error>(())
    /// # }).unwrap()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub async fn next(&mut self) -> Option<Result<OwnedItem, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

/// Whether `item` is handed out: every item, or for [`Events`] only events, drops and
/// truncation (comments, `retry` values and id-only blocks take effect in the decoder and
/// are never made owned).
fn wanted(item: &Item<'_>, events_only: bool) -> bool {
    !events_only || matches!(item, Item::Event(_) | Item::Dropped(_) | Item::Truncated)
}

/// Decodes `buf` up to its next wanted item, which it returns owned, with `buf` advanced
/// just past it; `None` once `buf` is used up (its last line may be carried by the
/// decoder).
fn next_item(
    decoder: &mut Decoder,
    buf: &mut impl Buf,
    ids: &mut SharedId,
    events_only: bool,
) -> Option<OwnedItem> {
    while buf.has_remaining() {
        let slice = buf.chunk();
        let len = slice.len();
        let mut feed = decoder.feed(slice);
        while let Some(item) = feed.next() {
            if wanted(&item, events_only) {
                let owned = ids.own(&item);
                // The rest of the chunk stays in `buf`, not copied into the decoder.
                let taken = feed.pause();
                buf.advance(taken);
                return Some(owned);
            }
        }
        drop(feed);
        buf.advance(len);
    }
    None
}

impl<S, B, E> Stream for Items<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Buf,
{
    type Item = Result<OwnedItem, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        let events_only = *this.events_only;
        loop {
            if let Some(item) = this.queue.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.rest.has_remaining() {
                if let Some(item) = next_item(this.decoder, this.rest, this.ids, events_only) {
                    return Poll::Ready(Some(Ok(item)));
                }
                continue;
            }
            if *this.body_done {
                return Poll::Ready(None);
            }
            match ready!(this.body.as_mut().poll_next(cx)) {
                Some(Ok(mut chunk)) => {
                    let item = next_item(this.decoder, &mut chunk, this.ids, events_only);
                    if chunk.has_remaining() {
                        // Free when the chunk is `Bytes`; one copy of the rest otherwise.
                        *this.rest = chunk.copy_to_bytes(chunk.remaining());
                    }
                    if let Some(item) = item {
                        return Poll::Ready(Some(Ok(item)));
                    }
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => {
                    *this.body_done = true;
                    let mut end = this.decoder.finish();
                    while let Some(item) = end.next() {
                        if wanted(&item, events_only) {
                            this.queue.push_back(this.ids.own(&item));
                        }
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.queue.len(), None)
    }
}

impl<S, B, E> FusedStream for Items<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Buf,
{
    fn is_terminated(&self) -> bool {
        self.body_done && self.queue.is_empty() && self.rest.is_empty()
    }
}

pin_project! {
    /// The events of a body (`.sse()`): each dispatched event as an [`OwnedEvent`], in
    /// order. Comments, `retry` values and id-only blocks are skipped here (see
    /// [`items`](Self::items) for them); a dropped or truncated block is a
    /// [`StreamError`] that does not end the stream, and the byte stream's errors are
    /// passed through as [`StreamError::Body`].
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::Events;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"data: a\r\ndata: b\r\n\r\n"[..])]);
    /// let mut events = Events::new(body).with_last_event_id("41").unwrap();
    /// let event = events.next().await.unwrap().unwrap();
    /// assert_eq!((event.data.as_str(), &*event.last_event_id), ("a\nb", "41"));
    /// # }).unwrap();
    /// ```
    #[derive(Debug)]
    #[must_use = "streams do nothing unless polled"]
    pub struct Events<S> {
        #[pin]
        items: Items<S>,
    }
}

impl<S> Events<S> {
    /// The events of `body`, with the default decoder limits.
    ///
    /// ```
    /// use futures_util::stream;
    /// use sse_proto_tokio::Events;
    ///
    /// let events = Events::new(stream::iter([Ok::<_, std::io::Error>(&b"data: x\n\n"[..])]));
    /// assert_eq!(events.last_event_id(), "");
    /// ```
    pub fn new(body: S) -> Self {
        Self::with_config(body, DecoderConfig::default())
    }

    /// The events of `body`, decoded with `config`'s limits.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto::{DecoderConfig, Dropped};
    /// use sse_proto_tokio::{Events, StreamError};
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"data: 123456789\n\ndata: 1234\n\n"[..])]);
    /// let mut events = Events::with_config(body, DecoderConfig::default().max_event_len(8));
    /// assert!(matches!(events.next().await, Some(Err(StreamError::Dropped(Dropped::EventTooLarge)))));
    /// assert_eq!(events.next().await.unwrap().unwrap().data, "1234");
    /// # }).unwrap();
    /// ```
    pub fn with_config(body: S, config: DecoderConfig) -> Self {
        let mut items = Items::new(body, Decoder::with_config(config));
        items.events_only = true;
        Events { items }
    }

    /// Starts from a last event ID, as a reconnection does: events without an `id` of
    /// their own carry it. Fails for an id holding NUL, CR or LF, which no stream could
    /// have set.
    ///
    /// # Errors
    ///
    /// [`IdError`] for such an id.
    ///
    /// ```
    /// use futures_util::stream;
    /// use sse_proto_tokio::Events;
    ///
    /// let body = || stream::iter([Ok::<_, std::io::Error>(&b""[..])]);
    /// assert_eq!(Events::new(body()).with_last_event_id("7").unwrap().last_event_id(), "7");
    /// assert!(Events::new(body()).with_last_event_id("a\nb").is_err());
    /// ```
    pub fn with_last_event_id(mut self, id: &str) -> Result<Self, IdError> {
        self.items.decoder.set_last_event_id(id)?;
        Ok(self)
    }

    /// Every item instead of only events: comments, `retry`, id-only blocks, drops.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto::OwnedItem;
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b":\n\n"[..])]);
    /// let mut items = body.sse().items();
    /// assert_eq!(items.next().await.unwrap().unwrap(), OwnedItem::Comment(String::new()));
    /// # }).unwrap();
    /// ```
    pub fn items(self) -> Items<S> {
        let mut items = self.items;
        items.events_only = false;
        items
    }

    /// The last event ID so far: set by the last `id` field of a complete block (or
    /// [`with_last_event_id`](Self::with_last_event_id)); what a reconnection sends as
    /// `Last-Event-ID`.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"id: 1\ndata: a\n\nid: 2\ndata: cut"[..])]);
    /// let mut events = body.sse();
    /// while events.next().await.is_some() {}
    /// assert_eq!(events.last_event_id(), "1"); // the cut-off block's id is not committed
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.items.last_event_id()
    }

    /// See [`Items::retry`].
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Ok::<_, std::io::Error>(&b"retry: 900\ndata: x\n\n"[..])]);
    /// let mut events = body.sse();
    /// events.next().await;
    /// assert_eq!(events.retry(), Some(900));
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn retry(&self) -> Option<u64> {
        self.items.retry()
    }
}

impl<S, B, E> Events<S>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: Buf,
{
    /// The next event (or [`StreamError`]), or `None` once the body has ended and every
    /// event was given (the same as `StreamExt::next`, without the import).
    ///
    /// ```no_run
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # #[cfg(feature = "reqwest")]
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let mut events = reqwest::get("http://127.0.0.1:8000/events").await?.bytes_stream().sse();
    /// while let Some(event) = events.next().await {
    ///     let event = event?;
    ///     println!("{}: {}", event.event_type, event.data);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// ```
    /// use sse_proto_tokio::SseStreamExt;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = futures_util::stream::iter([Ok::<_, std::io::Error>(&b"data: 1\n\n"[..])]);
    /// let mut events = body.sse();
    /// assert_eq!(events.next().await.unwrap()?.data, "1");
    /// assert!(events.next().await.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn next(&mut self) -> Option<Result<OwnedEvent, StreamError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<S, B, E> Stream for Events<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Buf,
{
    type Item = Result<OwnedEvent, StreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut items = self.project().items;
        loop {
            let item = match ready!(items.as_mut().poll_next(cx)) {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(StreamError::Body(error)))),
                Some(Ok(item)) => item,
            };
            return Poll::Ready(Some(match item {
                OwnedItem::Event(event) => Ok(event),
                OwnedItem::Dropped(dropped) => Err(StreamError::Dropped(dropped)),
                OwnedItem::Truncated => Err(StreamError::Truncated),
                _ => continue, // comments, retry, id-only blocks: see `items()`
            }));
        }
    }
}

impl<S, B, E> FusedStream for Events<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Buf,
{
    fn is_terminated(&self) -> bool {
        self.items.is_terminated()
    }
}

pin_project! {
    /// The data frames of an [`http_body::Body`] (a hyper `Incoming`, an axum body) as a
    /// `Stream` of [`Bytes`](bytes::Bytes), so `.sse()` applies; trailers are skipped.
    ///
    /// ```
    /// use futures_util::StreamExt;
    /// use http_body_util::Full;
    /// use sse_proto_tokio::{BodyData, SseStreamExt};
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = Full::new(bytes::Bytes::from_static(b"data: hi\n\n"));
    /// let mut events = BodyData::new(body).sse();
    /// assert_eq!(events.next().await.unwrap().unwrap().data, "hi");
    /// # }).unwrap();
    /// ```
    #[derive(Debug)]
    #[must_use = "streams do nothing unless polled"]
    pub struct BodyData<B> {
        #[pin]
        body: B,
    }
}

impl<B> BodyData<B> {
    /// Wraps `body`.
    ///
    /// ```
    /// use futures_util::StreamExt;
    /// use http_body_util::Full;
    /// use sse_proto_tokio::BodyData;
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let mut data = BodyData::new(Full::new(bytes::Bytes::from_static(b"data: x\n\n")));
    /// assert_eq!(data.next().await.unwrap().unwrap(), "data: x\n\n");
    /// assert!(data.next().await.is_none());
    /// # }).unwrap();
    /// ```
    pub fn new(body: B) -> Self {
        BodyData { body }
    }

    /// A reference to the body.
    ///
    /// ```
    /// use http_body::Body;
    ///
    /// let data = sse_proto_tokio::BodyData::new(http_body_util::Full::new(bytes::Bytes::from_static(b"x")));
    /// assert_eq!(data.get_ref().size_hint().exact(), Some(1));
    /// ```
    #[must_use]
    pub fn get_ref(&self) -> &B {
        &self.body
    }

    /// A mutable reference to the body.
    ///
    /// ```
    /// use http_body::Body;
    ///
    /// let mut data = sse_proto_tokio::BodyData::new(http_body_util::Full::new(bytes::Bytes::from_static(b"x")));
    /// assert!(!data.get_mut().is_end_stream());
    /// ```
    #[must_use]
    pub fn get_mut(&mut self) -> &mut B {
        &mut self.body
    }

    /// The body, given back.
    ///
    /// ```
    /// use http_body::Body;
    ///
    /// let data = sse_proto_tokio::BodyData::new(http_body_util::Empty::<bytes::Bytes>::new());
    /// assert!(data.into_inner().is_end_stream());
    /// ```
    #[must_use]
    pub fn into_inner(self) -> B {
        self.body
    }
}

impl<B> Stream for BodyData<B>
where
    B: http_body::Body,
{
    type Item = Result<B::Data, B::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut body = self.project().body;
        loop {
            match ready!(body.as_mut().poll_frame(cx)) {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        return Poll::Ready(Some(Ok(data)));
                    }
                    // A trailers frame: nothing to decode.
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, None)
    }
}
