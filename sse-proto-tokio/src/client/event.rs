//! What an [`EventSource`](crate::EventSource) yields, and what its request hook is told.

use std::time::Duration;

use sse_proto::{Dropped, OwnedEvent};

use super::error::Error;

/// One thing an [`EventSource`](crate::EventSource) yields. By default
/// [`Message`](Self::Message) and [`Dropped`](Self::Dropped) (an event lost to a decoder
/// limit is never lost in silence); with [`all_events`](crate::Builder::all_events)
/// every other variant too.
///
/// ```
/// use sse_proto::OwnedEvent;
/// use sse_proto_tokio::Event;
///
/// let event = Event::Message(OwnedEvent { data: "hi".into(), ..OwnedEvent::default() });
/// assert!(matches!(event, Event::Message(m) if m.data == "hi"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// A connection opened: a 200 `text/event-stream` response (the EventSource `open`
    /// event). Its response headers are in the
    /// [liveness](crate::Liveness::response_headers).
    ///
    /// ```
    /// use sse_proto_tokio::{Event, EventSource};
    /// # use bytes::Bytes;
    /// # use std::sync::{Arc, Mutex};
    /// # use sse_proto_tokio::{BoxBody, Connector, TransportError};
    /// # /// Answers every request with one response (status 0: never answers; `hang`: the body
    /// # /// stays open after `body`), and records the requests.
    /// # #[derive(Clone)]
    /// # struct Canned { status: u16, content_type: &'static str, body: &'static str, hang: bool, seen: Arc<Mutex<Vec<(http::Method, http::HeaderMap, Bytes)>>> }
    /// # impl Canned {
    /// #     fn sse(body: &'static str) -> Self { Self::reply(200, "text/event-stream", body) }
    /// #     fn reply(status: u16, content_type: &'static str, body: &'static str) -> Self {
    /// #         Canned { status, content_type, body, hang: false, seen: Default::default() }
    /// #     }
    /// #     fn hang(self) -> Self { Canned { hang: true, ..self } }
    /// #     fn requests(&self) -> Vec<(http::Method, http::HeaderMap, Bytes)> { self.seen.lock().unwrap().clone() }
    /// # }
    /// # impl Connector for Canned {
    /// #     type Body = BoxBody;
    /// #     fn connect(&self, request: http::Request<Bytes>) -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static {
    /// #         let (parts, body) = request.into_parts();
    /// #         self.seen.lock().unwrap().push((parts.method, parts.headers, body));
    /// #         use futures_util::StreamExt as _;
    /// #         let chunks = futures_util::stream::iter((!self.body.is_empty()).then(|| Ok(Bytes::from_static(self.body.as_bytes()))));
    /// #         let body: BoxBody = if self.hang { Box::pin(chunks.chain(futures_util::stream::pending())) } else { Box::pin(chunks) };
    /// #         let mut response = http::Response::builder().status(self.status.max(100));
    /// #         if !self.content_type.is_empty() { response = response.header("content-type", self.content_type); }
    /// #         let (response, never) = (response.body(body).map_err(TransportError::futile), self.status == 0);
    /// #         async move { if never { std::future::pending::<()>().await } response }
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .all_events(true)
    ///     .connect(Canned::sse("data: hi\n\n"))?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Open))));
    /// let liveness = events.handle().liveness();
    /// assert_eq!(liveness.response_headers().unwrap()["content-type"], "text/event-stream");
    /// # Ok(()) }
    /// ```
    Open,
    /// An event (the EventSource `message` event, or a named one): its type, data and the
    /// last event ID.
    Message(OwnedEvent),
    /// A comment line's text (`: keep-alive` gives `"keep-alive"`): heartbeats.
    Comment(String),
    /// The server set the reconnection time with a `retry` field.
    Retry(Duration),
    /// A block with an `id` but no data set the last event ID.
    LastEventId(String),
    /// A block exceeded a [decoder limit](crate::Builder::decoder) and was dropped: an
    /// event is lost. Yielded by default, in the place of the lost block, and the stream
    /// goes on (as `.sse()` yields `StreamError::Dropped` and goes on); raise the limit
    /// if your events are that large.
    ///
    /// ```
    /// use sse_proto::{DecoderConfig, Dropped};
    /// use sse_proto_tokio::{Event, EventSource};
    /// # use bytes::Bytes;
    /// # use std::sync::{Arc, Mutex};
    /// # use sse_proto_tokio::{BoxBody, Connector, TransportError};
    /// # /// Answers every request with one response (status 0: never answers; `hang`: the body
    /// # /// stays open after `body`), and records the requests.
    /// # #[derive(Clone)]
    /// # struct Canned { status: u16, content_type: &'static str, body: &'static str, hang: bool, seen: Arc<Mutex<Vec<(http::Method, http::HeaderMap, Bytes)>>> }
    /// # impl Canned {
    /// #     fn sse(body: &'static str) -> Self { Self::reply(200, "text/event-stream", body) }
    /// #     fn reply(status: u16, content_type: &'static str, body: &'static str) -> Self {
    /// #         Canned { status, content_type, body, hang: false, seen: Default::default() }
    /// #     }
    /// #     fn hang(self) -> Self { Canned { hang: true, ..self } }
    /// #     fn requests(&self) -> Vec<(http::Method, http::HeaderMap, Bytes)> { self.seen.lock().unwrap().clone() }
    /// # }
    /// # impl Connector for Canned {
    /// #     type Body = BoxBody;
    /// #     fn connect(&self, request: http::Request<Bytes>) -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static {
    /// #         let (parts, body) = request.into_parts();
    /// #         self.seen.lock().unwrap().push((parts.method, parts.headers, body));
    /// #         use futures_util::StreamExt as _;
    /// #         let chunks = futures_util::stream::iter((!self.body.is_empty()).then(|| Ok(Bytes::from_static(self.body.as_bytes()))));
    /// #         let body: BoxBody = if self.hang { Box::pin(chunks.chain(futures_util::stream::pending())) } else { Box::pin(chunks) };
    /// #         let mut response = http::Response::builder().status(self.status.max(100));
    /// #         if !self.content_type.is_empty() { response = response.header("content-type", self.content_type); }
    /// #         let (response, never) = (response.body(body).map_err(TransportError::futile), self.status == 0);
    /// #         async move { if never { std::future::pending::<()>().await } response }
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let server = Canned::sse("data: a line over 16 bytes\n\ndata: ok\n\n").hang();
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .decoder(DecoderConfig::default().max_line_len(16))
    ///     .connect(server)?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Dropped(Dropped::LineTooLong)))));
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(m))) if m.data == "ok"));
    /// # Ok(()) }
    /// ```
    Dropped(Dropped),
    /// A connection ended inside a block, which was discarded.
    Truncated,
    /// The connection was lost or refused; the client connects again after `delay`
    /// (the EventSource `error` event with ready state CONNECTING). `error` is `None`
    /// when the server simply ended the stream.
    Reconnecting {
        /// How long until the next attempt.
        delay: Duration,
        /// What went wrong, if anything did; [`Error::is_retryable`] holds for it.
        error: Option<Error>,
    },
}

/// What the [request hook](crate::Builder::on_request) is told about the attempt it
/// prepares.
///
/// ```
/// use sse_proto_tokio::Attempt;
///
/// # fn hook(attempt: &Attempt) -> bool {
/// // Refresh the token on the first attempt and after a 401.
/// attempt.number() == 1 || attempt.after_unauthorized()
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub(crate) number: u64,
    pub(crate) after_unauthorized: bool,
    pub(crate) last_event_id: Option<String>,
}

impl Attempt {
    /// Which connection attempt this is: 1 for the first, counting every attempt.
    ///
    /// ```
    /// # let attempt = sse_proto_tokio::Attempt::new(1, false);
    /// assert_eq!(attempt.number(), 1);
    /// ```
    #[must_use]
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Whether the previous attempt was answered `401 Unauthorized`: refresh the
    /// credentials now. The client retries a 401 once, at once, when a hook is set.
    ///
    /// ```
    /// # let attempt = sse_proto_tokio::Attempt::new(2, true);
    /// assert!(attempt.after_unauthorized());
    /// ```
    #[must_use]
    pub fn after_unauthorized(&self) -> bool {
        self.after_unauthorized
    }

    /// The `Last-Event-ID` this attempt sends (set after the hook runs, whatever it does).
    ///
    /// ```
    /// # let attempt = sse_proto_tokio::Attempt::new(1, false);
    /// assert_eq!(attempt.last_event_id(), None);
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// An attempt, for testing a hook (the client makes its own).
    ///
    /// ```
    /// let attempt = sse_proto_tokio::Attempt::new(3, false);
    /// assert_eq!(attempt.number(), 3);
    /// ```
    #[must_use]
    pub fn new(number: u64, after_unauthorized: bool) -> Self {
        Attempt {
            number,
            after_unauthorized,
            last_event_id: None,
        }
    }
}
