//! The cloneable [`Handle`]: steer a running client from any task, and read its liveness.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use http::HeaderMap;
use sse_proto::client::ReadyState;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// A command from a handle to the driver task.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Command {
    Close,
    ReconnectNow,
}

/// State shared by the driver, the stream and every handle.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Set by `close()`: the stream yields nothing more, at once.
    pub(crate) closed: AtomicBool,
    pub(crate) liveness: Mutex<Liveness>,
}

impl Shared {
    pub(crate) fn new() -> Self {
        Shared {
            closed: AtomicBool::new(false),
            liveness: Mutex::new(Liveness {
                ready_state: ReadyState::Connecting,
                last_byte: None,
                last_comment: None,
                opened: None,
                last_event_id: String::new(),
                attempts: 0,
                reconnection_time: Duration::from_secs(3),
                response_headers: None,
            }),
        }
    }

    /// Updates the liveness record (a poisoned lock still holds plain data: use it).
    pub(crate) fn update(&self, f: impl FnOnce(&mut Liveness)) {
        f(&mut self.liveness.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// A cloneable, `Send` handle to a running [`EventSource`](crate::EventSource): close it
/// or make it reconnect now from any task, and watch its liveness.
///
/// ```
/// use sse_proto_tokio::{Event, EventSource};
/// # use bytes::Bytes; use std::sync::{Arc, Mutex}; use sse_proto_tokio::{BoxBody, Connector, TransportError};
/// # /// In memory: answers every request with one response (status 0: never; `hang`: the body
/// # /// stays open after `body`), and records the requests.
/// # #[derive(Clone)] struct Canned { status: u16, content_type: &'static str, body: &'static str, hang: bool, seen: Arc<Mutex<Vec<(http::Method, http::HeaderMap, Bytes)>>> }
/// # impl Canned {
/// #     fn sse(body: &'static str) -> Self { Self::reply(200, "text/event-stream", body) }
/// #     fn reply(status: u16, content_type: &'static str, body: &'static str) -> Self { Canned { status, content_type, body, hang: false, seen: Default::default() } }
/// #     fn hang(self) -> Self { Canned { hang: true, ..self } }
/// #     fn requests(&self) -> Vec<(http::Method, http::HeaderMap, Bytes)> { self.seen.lock().unwrap().clone() }
/// # }
/// # impl Connector for Canned {
/// #     type Body = BoxBody;
/// #     fn connect(&self, request: http::Request<Bytes>) -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static {
/// #         let (parts, body) = request.into_parts(); self.seen.lock().unwrap().push((parts.method, parts.headers, body));
/// #         use futures_util::{stream, StreamExt as _}; let chunk = stream::iter((!self.body.is_empty()).then(|| Ok(Bytes::from_static(self.body.as_bytes()))));
/// #         let body: BoxBody = if self.hang { Box::pin(chunk.chain(stream::pending())) } else { Box::pin(chunk) };
/// #         let mut response = http::Response::builder().status(self.status.max(100));
/// #         if !self.content_type.is_empty() { response = response.header("content-type", self.content_type); }
/// #         let (response, never) = (response.body(body).map_err(TransportError::futile), self.status == 0);
/// #         async move { if never { std::future::pending::<()>().await } response }
/// #     }
/// # }
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), sse_proto_tokio::Error> {
/// let server = Canned::sse("data: hi\n\n").hang(); // one event, then an open stream
/// let mut events = EventSource::new(server, "http://127.0.0.1:9/")?;
/// let handle = events.handle();
/// tokio::spawn(async move {
///     tokio::time::sleep(std::time::Duration::from_secs(60)).await;
///     handle.close(); // the stream ends; its task stops
/// });
/// let mut messages = 0;
/// while let Some(event) = events.next().await {
///     if let Event::Message(_) = event? {
///         messages += 1;
///     }
/// }
/// assert_eq!(messages, 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Handle {
    pub(crate) commands: mpsc::UnboundedSender<Command>,
    pub(crate) shared: Arc<Shared>,
}

impl Handle {
    /// Closes the client: the connection is dropped, the stream yields nothing more
    /// (events already received but not yet read are discarded) and ends. Closing twice
    /// does nothing.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let mut events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// events.handle().close();
    /// assert!(events.next().await.is_none());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn close(&self) {
        self.shared.closed.store(true, Ordering::SeqCst);
        // The driver may already be gone; then there is nothing left to close.
        let _ = self.commands.send(Command::Close);
    }

    /// Drops the current connection, if any, and connects again at once, skipping any
    /// wait (the network came back, the credentials changed). Not a failed attempt.
    ///
    /// ```
    /// use sse_proto_tokio::{Event, EventSource};
    /// # use bytes::Bytes; use std::sync::{Arc, Mutex}; use sse_proto_tokio::{BoxBody, Connector, TransportError};
    /// # /// In memory: answers every request with one response (status 0: never; `hang`: the body
    /// # /// stays open after `body`), and records the requests.
    /// # #[derive(Clone)] struct Canned { status: u16, content_type: &'static str, body: &'static str, hang: bool, seen: Arc<Mutex<Vec<(http::Method, http::HeaderMap, Bytes)>>> }
    /// # impl Canned {
    /// #     fn sse(body: &'static str) -> Self { Self::reply(200, "text/event-stream", body) }
    /// #     fn reply(status: u16, content_type: &'static str, body: &'static str) -> Self { Canned { status, content_type, body, hang: false, seen: Default::default() } }
    /// #     fn hang(self) -> Self { Canned { hang: true, ..self } }
    /// #     fn requests(&self) -> Vec<(http::Method, http::HeaderMap, Bytes)> { self.seen.lock().unwrap().clone() }
    /// # }
    /// # impl Connector for Canned {
    /// #     type Body = BoxBody;
    /// #     fn connect(&self, request: http::Request<Bytes>) -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static {
    /// #         let (parts, body) = request.into_parts(); self.seen.lock().unwrap().push((parts.method, parts.headers, body));
    /// #         use futures_util::{stream, StreamExt as _}; let chunk = stream::iter((!self.body.is_empty()).then(|| Ok(Bytes::from_static(self.body.as_bytes()))));
    /// #         let body: BoxBody = if self.hang { Box::pin(chunk.chain(stream::pending())) } else { Box::pin(chunk) };
    /// #         let mut response = http::Response::builder().status(self.status.max(100));
    /// #         if !self.content_type.is_empty() { response = response.header("content-type", self.content_type); }
    /// #         let (response, never) = (response.body(body).map_err(TransportError::futile), self.status == 0);
    /// #         async move { if never { std::future::pending::<()>().await } response }
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let server = Canned::sse("id: 1\ndata: hi\n\n").hang();
    /// let mut events = EventSource::new(server.clone(), "http://127.0.0.1:9/")?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(_)))));
    /// events.handle().reconnect_now();
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(_)))));
    /// let requests = server.requests();
    /// assert_eq!(requests.len(), 2);
    /// assert_eq!(requests[1].1["last-event-id"], "1");
    /// # Ok(()) }
    /// ```
    pub fn reconnect_now(&self) {
        let _ = self.commands.send(Command::ReconnectNow);
    }

    /// Whether [`close`](Self::close) was called or the client has ended.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert!(!events.handle().is_closed());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.shared.closed.load(Ordering::SeqCst) || self.commands.is_closed()
    }

    /// A snapshot of the client's liveness: state, last byte, last heartbeat.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// let liveness = events.handle().liveness();
    /// assert!(liveness.last_byte().is_none()); // nothing received yet
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn liveness(&self) -> Liveness {
        self.shared
            .liveness
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Whether a stream is alive: its ready state, when the last body byte and the last
/// comment (heartbeat) arrived, the last event ID. From [`Handle::liveness`]. Times are
/// tokio instants (the paused clock in tests).
///
/// ```
/// # #[cfg(feature = "reqwest")]
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
/// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
/// let liveness = events.handle().liveness();
/// let stale = liveness.last_byte().map_or(true, |t| t.elapsed() > std::time::Duration::from_secs(60));
/// # assert!(stale); Ok(()) }
/// # #[cfg(not(feature = "reqwest"))] fn main() {}
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Liveness {
    pub(crate) ready_state: ReadyState,
    pub(crate) last_byte: Option<Instant>,
    pub(crate) last_comment: Option<Instant>,
    pub(crate) opened: Option<Instant>,
    pub(crate) last_event_id: String,
    pub(crate) attempts: u64,
    pub(crate) reconnection_time: Duration,
    pub(crate) response_headers: Option<Arc<HeaderMap>>,
}

/// Hashes every field but the response headers (`HeaderMap` has no `Hash`): values that
/// are equal still hash alike, as `Eq` requires.
impl Hash for Liveness {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.ready_state.hash(state);
        self.last_byte.hash(state);
        self.last_comment.hash(state);
        self.opened.hash(state);
        self.last_event_id.hash(state);
        self.attempts.hash(state);
        self.reconnection_time.hash(state);
    }
}

impl Liveness {
    /// CONNECTING (also while waiting to reconnect), OPEN or CLOSED.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().ready_state(), sse_proto::client::ReadyState::Connecting);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn ready_state(&self) -> ReadyState {
        self.ready_state
    }

    /// When the last body byte arrived, on any connection.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().last_byte(), None);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn last_byte(&self) -> Option<Instant> {
        self.last_byte
    }

    /// When the last comment (a server's heartbeat) arrived.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().last_heartbeat(), None);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn last_heartbeat(&self) -> Option<Instant> {
        self.last_comment
    }

    /// When the current connection opened, if one is open.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().opened(), None);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn opened(&self) -> Option<Instant> {
        self.opened
    }

    /// The last event ID: what the next attempt sends as `Last-Event-ID`.
    ///
    /// It runs ahead of what you have read: the client's task decodes a read's body 4 KiB at
    /// a time and queues up to 32 items for you, so this is the id of the last event
    /// *decoded*, which may be hundreds of events past the last one you took. To resume after a
    /// restart of your own process, persist the `last_event_id` of the last
    /// [`Event::Message`](crate::Event::Message) you handled, and give it to
    /// [`Builder::last_event_id`](crate::Builder::last_event_id) next time.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::builder("http://127.0.0.1:9/").last_event_id("5").connect(reqwest::Client::new())?;
    /// # tokio::task::yield_now().await;
    /// assert_eq!(events.handle().liveness().last_event_id(), "5");
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// Connection attempts so far: every attempt since the client started, as
    /// [`Attempt::number`](crate::Attempt::number) counts them (a `u64`). Not the count of
    /// [`Error::GaveUp`](crate::Error::GaveUp), which is of failed attempts *in a row*, in
    /// the `u32` of [`max_attempts`](crate::Builder::max_attempts).
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// let attempts = events.handle().liveness().attempts();
    /// # assert!(attempts <= 1); Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn attempts(&self) -> u64 {
        self.attempts
    }

    /// The reconnection time in force (configured, or the server's last `retry`).
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// # tokio::task::yield_now().await;
    /// assert_eq!(events.handle().liveness().reconnection_time(), std::time::Duration::from_secs(3));
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn reconnection_time(&self) -> Duration {
        self.reconnection_time
    }

    /// The response headers of the connection that opened last (`None` before the first
    /// opens): set as it opens, before its [`Event::Open`](crate::Event::Open) is queued,
    /// kept after it ends, replaced by the next. A request id, a rate-limit header or a
    /// session cookie is read here, with no connector of your own.
    ///
    /// The liveness is a snapshot of the client's task, which may be ahead of what you
    /// have read: a reader far behind may see the headers of a later connection than the
    /// last `Open` it read.
    ///
    /// ```
    /// use sse_proto_tokio::{Event, EventSource};
    /// # use bytes::Bytes; use std::sync::{Arc, Mutex}; use sse_proto_tokio::{BoxBody, Connector, TransportError};
    /// # /// In memory: answers every request with one response (status 0: never; `hang`: the body
    /// # /// stays open after `body`), and records the requests.
    /// # #[derive(Clone)] struct Canned { status: u16, content_type: &'static str, body: &'static str, hang: bool, seen: Arc<Mutex<Vec<(http::Method, http::HeaderMap, Bytes)>>> }
    /// # impl Canned {
    /// #     fn sse(body: &'static str) -> Self { Self::reply(200, "text/event-stream", body) }
    /// #     fn reply(status: u16, content_type: &'static str, body: &'static str) -> Self { Canned { status, content_type, body, hang: false, seen: Default::default() } }
    /// #     fn hang(self) -> Self { Canned { hang: true, ..self } }
    /// #     fn requests(&self) -> Vec<(http::Method, http::HeaderMap, Bytes)> { self.seen.lock().unwrap().clone() }
    /// # }
    /// # impl Connector for Canned {
    /// #     type Body = BoxBody;
    /// #     fn connect(&self, request: http::Request<Bytes>) -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static {
    /// #         let (parts, body) = request.into_parts(); self.seen.lock().unwrap().push((parts.method, parts.headers, body));
    /// #         use futures_util::{stream, StreamExt as _}; let chunk = stream::iter((!self.body.is_empty()).then(|| Ok(Bytes::from_static(self.body.as_bytes()))));
    /// #         let body: BoxBody = if self.hang { Box::pin(chunk.chain(stream::pending())) } else { Box::pin(chunk) };
    /// #         let mut response = http::Response::builder().status(self.status.max(100));
    /// #         if !self.content_type.is_empty() { response = response.header("content-type", self.content_type); }
    /// #         let (response, never) = (response.body(body).map_err(TransportError::futile), self.status == 0);
    /// #         async move { if never { std::future::pending::<()>().await } response }
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let server = Canned::sse("data: hi\n\n").hang(); // its response has a content-type
    /// let mut events = EventSource::new(server, "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().response_headers(), None);
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(_)))));
    /// let liveness = events.handle().liveness();
    /// let headers = liveness.response_headers().expect("a connection opened");
    /// assert_eq!(headers["content-type"], "text/event-stream");
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn response_headers(&self) -> Option<&HeaderMap> {
        self.response_headers.as_deref()
    }
}
