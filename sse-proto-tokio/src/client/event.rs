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
/// // A stream with a heartbeat, an id-only block, a `retry`, an event and a block the
/// // connection cuts.
/// let server = Canned::sse(": ping\n\nid: 7\n\nretry: 500\n\ndata: hi\n\ndata: cut");
/// let mut events = EventSource::builder("http://127.0.0.1:9/")
///     .all_events(true)
///     .connect(server)?;
/// let mut seen = Vec::new();
/// for _ in 0..7 {
///     seen.push(match events.next().await {
///         Some(Ok(Event::Open)) => "open".to_string(),
///         Some(Ok(Event::Comment(text))) => format!("comment {text}"),
///         Some(Ok(Event::LastEventId(id))) => format!("id {id}"),
///         Some(Ok(Event::Retry(time))) => format!("retry {time:?}"),
///         Some(Ok(Event::Message(m))) => format!("message {} (id {})", m.data, m.last_event_id),
///         Some(Ok(Event::Truncated)) => "truncated".to_string(),
///         Some(Ok(Event::Reconnecting { delay, error })) => format!("reconnecting in {delay:?}, {error:?}"),
///         other => panic!("{other:?}"),
///     });
/// }
/// assert_eq!(seen, [
///     "open", "comment ping", "id 7", "retry 500ms", "message hi (id 7)", "truncated",
///     "reconnecting in 500ms, None",
/// ]);
/// # Ok(()) }
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
    /// let server = Canned::sse("event: price\ndata: 1.5\ndata: EUR\nid: 8\n\n").hang();
    /// let mut events = EventSource::new(server, "http://127.0.0.1:9/")?;
    /// let Some(Ok(Event::Message(m))) = events.next().await else { panic!() };
    /// assert_eq!((m.event_type.as_str(), m.data.as_str()), ("price", "1.5\nEUR"));
    /// assert_eq!(&*m.last_event_id, "8");
    /// # Ok(()) }
    /// ```
    Message(OwnedEvent),
    /// A comment line's text (`: keep-alive` gives `"keep-alive"`): heartbeats. (Also in
    /// [`Liveness::last_heartbeat`](crate::Liveness::last_heartbeat).)
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
    /// let server = Canned::sse(": keep-alive\n\n").hang();
    /// let mut events = EventSource::builder("http://127.0.0.1:9/").all_events(true).connect(server)?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Open))));
    /// assert!(matches!(events.next().await, Some(Ok(Event::Comment(text))) if text == "keep-alive"));
    /// # Ok(()) }
    /// ```
    Comment(String),
    /// The server set the reconnection time with a `retry` field.
    ///
    /// ```
    /// use std::time::Duration;
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
    /// let server = Canned::sse("retry: 10000\n\n").hang();
    /// let mut events = EventSource::builder("http://127.0.0.1:9/").all_events(true).connect(server)?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Open))));
    /// assert!(matches!(events.next().await, Some(Ok(Event::Retry(t))) if t == Duration::from_secs(10)));
    /// # Ok(()) }
    /// ```
    Retry(Duration),
    /// A block with an `id` but no data set the last event ID.
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
    /// let server = Canned::sse("id: 42\n\n").hang();
    /// let mut events = EventSource::builder("http://127.0.0.1:9/").all_events(true).connect(server)?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Open))));
    /// assert!(matches!(events.next().await, Some(Ok(Event::LastEventId(id))) if id == "42"));
    /// assert_eq!(events.last_event_id(), "42"); // sent on the next attempt
    /// # Ok(()) }
    /// ```
    LastEventId(String),
    /// A block exceeded a [decoder limit](crate::Builder::decoder) and was dropped: an
    /// event is lost. Yielded by default, in the place of the lost block, and the stream
    /// goes on (as `.sse()` yields `StreamError::Dropped` and goes on); raise the limit
    /// if your events are that large.
    ///
    /// ```
    /// use sse_proto::{DecoderConfig, Dropped};
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
    /// let server = Canned::sse("data: a line over 16 bytes\n\ndata: ok\n\n").hang();
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .decoder(DecoderConfig::default().max_line_len(16))
    ///     .connect(server)?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Dropped(Dropped::LineTooLong)))));
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(m))) if m.data == "ok"));
    /// # Ok(()) }
    /// ```
    Dropped(Dropped),
    /// A connection ended inside a block, which was discarded (its `id` not kept, so a
    /// server that resumes from `Last-Event-ID` sends the event again). Not yielded by
    /// default: the [`Reconnecting`](Self::Reconnecting) after it says the connection
    /// ended.
    ///
    /// ```
    /// use sse_proto_tokio::{Event, EventSource, Reconnect};
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
    /// let server = Canned::sse("id: 1\ndata: whole\n\nid: 2\ndata: cut sho");
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .all_events(true)
    ///     .reconnect(Reconnect::OnError)
    ///     .connect(server)?;
    /// let mut last = Vec::new();
    /// while let Some(event) = events.next().await {
    ///     last.push(event?);
    ///     assert!(last.len() < 10);
    /// }
    /// assert!(matches!(last.last(), Some(Event::Truncated)));
    /// assert_eq!(events.last_event_id(), "1");
    /// # Ok(()) }
    /// ```
    Truncated,
    /// The connection was lost or refused; the client connects again after `delay`
    /// (the EventSource `error` event with ready state CONNECTING). `error` is `None`
    /// when the server simply ended the stream. Not yielded by default.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::{Error, Event, EventSource};
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
    /// let server = Canned::reply(503, "text/plain", "busy"); // retried
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .reconnection_time(Duration::from_secs(1))
    ///     .all_events(true)
    ///     .connect(server)?;
    /// match events.next().await {
    ///     Some(Ok(Event::Reconnecting { delay, error: Some(Error::Status(status)) })) => {
    ///         assert_eq!(delay, Duration::from_secs(1));
    ///         assert_eq!(status.status(), 503);
    ///     }
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok(()) }
    /// ```
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
/// /// Refresh the token on the first attempt and after a 401.
/// fn needs_a_fresh_token(attempt: &Attempt) -> bool {
///     attempt.number() == 1 || attempt.after_unauthorized()
/// }
/// assert!(needs_a_fresh_token(&Attempt::new(1, false)));
/// assert!(!needs_a_fresh_token(&Attempt::new(2, false)));
/// assert!(needs_a_fresh_token(&Attempt::new(3, true)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
