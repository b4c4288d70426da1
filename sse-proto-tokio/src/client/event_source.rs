//! [`EventSource`]: the stream side of a running client.

use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use sse_proto::Client;
use tokio::sync::mpsc;

use super::builder::Builder;
use super::connector::Connector;
use super::driver::{Driver, Queued};
use super::error::Error;
use super::event::Event;
use super::handle::{Handle, Shared};

/// A reconnecting Server-Sent Events client on tokio: a `Stream` of
/// `Result<`[`Event`]`, `[`Error`]`>`.
///
/// It follows the WHATWG EventSource processing model (through the sans-IO
/// [`sse_proto::Client`]): it reconnects after the reconnection time (3 s, or the server's
/// `retry`), sends `Last-Event-ID`, stops on 204 and on a clean end under
/// [`Reconnect::OnError`](crate::Reconnect::OnError), and yields an [`Error`] only when it
/// gives up for good, after which the stream ends. Connections are made by a
/// [`Connector`] (reqwest 0.12 or 0.13, hyper), in a task of its own; the stream reads
/// what that task hands over, at most a few dozen items ahead (backpressure: a slow
/// reader slows the reading of the body, memory stays bounded).
///
/// Dropping the `EventSource` stops the task and the connection; [`handle`](Self::handle)
/// gives a cloneable [`Handle`] to close it or reconnect now from any task.
///
/// By default it yields messages, and [`Event::Dropped`] for an event lost to a decoder
/// limit; [`Builder::all_events`] yields opens, comments and reconnects too.
///
/// ```
/// use sse_proto_tokio::{Event, EventSource};
///
/// # #[cfg(feature = "reqwest")]
/// #[tokio::main]
/// async fn main() -> Result<(), sse_proto_tokio::Error> {
/// #   // A server on 127.0.0.1 that answers one request with one event.
/// #   let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
/// #   let url = format!("http://{}/events", listener.local_addr().unwrap());
/// #   tokio::spawn(async move {
/// #       use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// #       let (mut socket, _) = listener.accept().await.unwrap();
/// #       let _ = socket.read(&mut [0; 4096]).await;
/// #       let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 26\r\n\r\nevent: greeting\ndata: hi\n\n").await;
/// #   });
///     let mut events = EventSource::new(reqwest::Client::new(), url)?;
///     while let Some(event) = events.next().await {
///         if let Event::Message(message) = event? {
///             println!("{}: {}", message.event_type, message.data);
/// #           assert_eq!((message.event_type.as_str(), message.data.as_str()), ("greeting", "hi"));
/// #           break;
///         }
///     }
///     Ok(())
/// }
/// # #[cfg(not(feature = "reqwest"))] fn main() {}
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct EventSource {
    receiver: mpsc::Receiver<Queued>,
    handle: Handle,
    ended: bool,
}

impl EventSource {
    /// A client for `url` with the default settings, started with `connector`.
    ///
    /// # Errors
    ///
    /// [`Error::Request`] for a URL that can never be sent.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// assert!(sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://h/events").is_ok());
    /// assert!(sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://h /").is_err());
    /// # }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn new<C: Connector>(connector: C, url: impl Into<String>) -> Result<Self, Error> {
        Self::builder(url).connect(connector)
    }

    /// A [`Builder`] for `url`, for every other setting.
    ///
    /// ```
    /// use sse_proto_tokio::EventSource;
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
    /// let server = Canned::sse("data: hi\n\n").hang(); // or reqwest::Client::new(), ...
    /// let mut events = EventSource::builder("http://127.0.0.1:9/events")
    ///     .header("authorization", "Bearer t0ken")
    ///     .connect(server.clone())?;
    /// assert!(events.next().await.is_some());
    /// assert_eq!(server.requests()[0].1["authorization"], "Bearer t0ken");
    /// # Ok(()) }
    /// ```
    pub fn builder(url: impl Into<String>) -> Builder {
        Builder::new(url.into())
    }

    pub(crate) fn spawn<C: Connector>(
        builder: Builder,
        client: Client,
        connector: C,
    ) -> EventSource {
        let (sender, receiver) = mpsc::channel(builder.channel_capacity.max(1));
        let (commands, command_receiver) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared::new());
        let driver = Driver::new(
            builder,
            client,
            connector,
            sender,
            command_receiver,
            Arc::clone(&shared),
        );
        tokio::spawn(driver.run());
        EventSource {
            receiver,
            handle: Handle { commands, shared },
            ended: false,
        }
    }

    /// The next event, or `None` once the stream has ended (same as `StreamExt::next`,
    /// without the import).
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let mut events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// events.close();
    /// assert!(events.next().await.is_none());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub async fn next(&mut self) -> Option<Result<Event, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// A cloneable handle to close the client or reconnect now from any task.
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
    /// let mut events = EventSource::new(server.clone(), "http://127.0.0.1:9/")?;
    /// let handle = events.handle();
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(_)))));
    /// tokio::spawn(async move { handle.reconnect_now() }).await.unwrap();
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(_)))));
    /// assert_eq!(server.requests().len(), 2, "connected again at once");
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// Closes the client (see [`Handle::close`]).
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let mut events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// events.close();
    /// assert!(events.handle().is_closed());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn close(&mut self) {
        self.handle.close();
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
    /// An owned `String` (where `.sse()`'s `Events::last_event_id` lends a `&str`): the ID
    /// lives in the state the client's task shares behind a lock, which a borrow could
    /// not outlive.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.last_event_id(), "");
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> String {
        self.handle.liveness().last_event_id
    }
}

impl Stream for EventSource {
    type Item = Result<Event, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended || self.handle.shared.closed.load(Ordering::SeqCst) {
            self.ended = true;
            return Poll::Ready(None);
        }
        // The event's share of the queue's byte budget goes back as it is taken.
        let item = std::task::ready!(self.receiver.poll_recv(cx)).map(|(item, _budget)| item);
        // After an error or the end, nothing more (the driver has stopped too).
        if !matches!(item, Some(Ok(_))) {
            self.ended = true;
        }
        Poll::Ready(item)
    }
}

impl FusedStream for EventSource {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}
