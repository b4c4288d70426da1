//! The [`Builder`]: every setting of an [`EventSource`], by value.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use sse_proto::client::{Backoff, ConfigError, Instant};
use sse_proto::{Client, ClientConfig, DecoderConfig};

use super::connector::Connector;
use super::error::{Error, SharedError};
use super::event::Attempt;
use super::event_source::EventSource;
use sse_proto::client::Reconnect;

/// A boxed error, as the [request hook](Builder::on_request) returns: any error converts
/// into it with `?`.
///
/// ```
/// use sse_proto_tokio::BoxError;
///
/// fn bearer(token: &str) -> Result<http::HeaderValue, BoxError> {
///     Ok(format!("Bearer {token}").parse()?) // an `InvalidHeaderValue`, boxed
/// }
/// assert_eq!(bearer("t0ken").unwrap(), "Bearer t0ken");
/// assert!(bearer("a\nb").is_err());
/// let error: BoxError = "the token service is down".into();
/// assert_eq!(error.to_string(), "the token service is down");
/// ```
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

type HookFuture = Pin<Box<dyn Future<Output = Result<http::Request<Bytes>, BoxError>> + Send>>;
pub(crate) type Hook = Arc<dyn Fn(http::Request<Bytes>, Attempt) -> HookFuture + Send + Sync>;

/// How an [`EventSource`] connects, reconnects and reports; from
/// [`EventSource::builder`]. Setters take and return the builder by value;
/// [`connect`](Self::connect) validates everything once and starts the client.
///
/// | setting | default |
/// |---|---|
/// | [`method`](Self::method), [`header`](Self::header) / [`headers`](Self::headers), [`body`](Self::body) | `GET`, none, none |
/// | [`last_event_id`](Self::last_event_id) | none |
/// | [`reconnect`](Self::reconnect) | [`Reconnect::Always`] for a body-less `GET`, [`Reconnect::OnError`] for any other request (never replayed after a clean end) |
/// | [`reconnection_time`](Self::reconnection_time) | 3 s, until the server's `retry` |
/// | [`spec_timing`](Self::spec_timing) | off: never a tight loop (no wait under 100 ms; attempts that deliver no event wait twice as long each, up to 30 s) |
/// | [`backoff`](Self::backoff) | none |
/// | [`max_attempts`](Self::max_attempts) | unbounded |
/// | [`retry_server_errors`](Self::retry_server_errors) | on: 5xx and 429 are retried, honouring `Retry-After` |
/// | [`connect_timeout`](Self::connect_timeout), [`first_byte_timeout`](Self::first_byte_timeout), [`idle_timeout`](Self::idle_timeout) | none |
/// | [`allow_missing_content_type`](Self::allow_missing_content_type) | off |
/// | [`max_error_body`](Self::max_error_body) | 64 KiB |
/// | [`all_events`](Self::all_events) | off: only messages, and drops (events lost to a decoder limit) |
/// | [`on_request`](Self::on_request) | none |
///
/// ```
/// use std::time::Duration;
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
/// // Any connector: `reqwest::Client::new()`, `HyperConnector::new()`; here one in
/// // memory that answers every request with these events and records the requests.
/// let server = Canned::sse("data: {\"delta\":\"Hi\"}\n\ndata: [DONE]\n\n");
/// let mut events = EventSource::builder("http://127.0.0.1:9/v1/chat")
///     .method(http::Method::POST)
///     .header("content-type", "application/json")
///     .body(r#"{"stream":true}"#)
///     .reconnect(Reconnect::OnError)
///     .max_attempts(3)
///     .idle_timeout(Duration::from_secs(30))
///     .connect(server.clone())?;
/// let mut data = Vec::new();
/// while let Some(event) = events.next().await {
///     if let Event::Message(message) = event? {
///         data.push(message.data);
///     }
/// }
/// assert_eq!(data, [r#"{"delta":"Hi"}"#, "[DONE]"]);
/// let (method, headers, body) = server.requests().remove(0);
/// assert_eq!((method, &body[..]), (http::Method::POST, &br#"{"stream":true}"#[..]));
/// assert_eq!(headers["content-type"], "application/json");
/// assert_eq!(headers["accept"], "text/event-stream"); // the client's own
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until connect()"]
pub struct Builder {
    pub(crate) url: String,
    pub(crate) method: http::Method,
    /// The user's request headers, sent after the client's `Accept` and `Cache-Control`
    /// (replacing them if named alike).
    pub(crate) headers: HeaderMap,
    /// The first name or value [`header`](Builder::header) could not take, reported by
    /// [`connect`](Builder::connect).
    pub(crate) header_error: Option<Arc<http::Error>>,
    pub(crate) body: Option<Bytes>,
    pub(crate) last_event_id: Option<String>,
    /// The user's policy; [`Reconnect::Auto`] (the default) is resolved from the request
    /// ([`Builder::reconnect_policy`]).
    pub(crate) reconnect: Reconnect,
    pub(crate) reconnection_time: Option<Duration>,
    pub(crate) spec_timing: bool,
    pub(crate) backoff: Option<Backoff>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) retry_server_errors: bool,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) first_byte_timeout: Option<Duration>,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) allow_missing_content_type: bool,
    pub(crate) max_error_body: usize,
    pub(crate) decoder: DecoderConfig,
    pub(crate) all_events: bool,
    pub(crate) hook: Option<Hook>,
    pub(crate) channel_capacity: usize,
}

impl std::fmt::Debug for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("url", &self.url)
            .field("method", &self.method)
            .field("headers", &self.headers)
            .field("reconnect", &self.reconnect_policy())
            .field("max_attempts", &self.max_attempts)
            .field("connect_timeout", &self.connect_timeout)
            .field("first_byte_timeout", &self.first_byte_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("hook", &self.hook.is_some())
            .finish_non_exhaustive()
    }
}

impl Builder {
    pub(crate) fn new(url: String) -> Self {
        Builder {
            url,
            method: http::Method::GET,
            headers: HeaderMap::new(),
            header_error: None,
            body: None,
            last_event_id: None,
            reconnect: Reconnect::Auto,
            reconnection_time: None,
            spec_timing: false,
            backoff: None,
            max_attempts: None,
            retry_server_errors: true,
            connect_timeout: None,
            first_byte_timeout: None,
            idle_timeout: None,
            allow_missing_content_type: false,
            max_error_body: 64 * 1024,
            // The core client's defaults (16 MiB lines and events, 64 KiB ids), not the
            // bare decoder's 1 MiB: real streams carry multi-megabyte events.
            decoder: ClientConfig::DEFAULT_DECODER,
            all_events: false,
            hook: None,
            channel_capacity: 32,
        }
    }

    /// The request method (`GET` by default), sent on every attempt.
    ///
    /// A request that is not a body-less `GET` is not sent again after its response ends
    /// cleanly, unless you choose a [`reconnect`](Self::reconnect) policy: sending it
    /// again would start it over (a new completion, a new charge). By default it is
    /// retried only after a failure ([`Reconnect::OnError`]).
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
    /// let server = Canned::sse("data: done\n\n"); // one event, then the body ends
    /// let mut events = EventSource::builder("http://127.0.0.1:9/v1/chat")
    ///     .method(http::Method::POST)
    ///     .connect(server.clone())?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(m))) if m.data == "done"));
    /// assert!(events.next().await.is_none(), "a clean end: not sent again");
    /// let requests = server.requests();
    /// assert_eq!(requests.len(), 1);
    /// assert_eq!(requests[0].0, http::Method::POST);
    /// # Ok(()) }
    /// ```
    pub fn method(mut self, method: http::Method) -> Self {
        self.method = method;
        self
    }

    /// Adds a request header, sent on every attempt. Takes what
    /// `reqwest::RequestBuilder::header` takes: `&str`, `String`, `&[u8]`, or the typed
    /// `http::HeaderName` and `http::HeaderValue` (for a value that is not UTF-8, say).
    /// A name or value that is not valid HTTP is reported by [`connect`](Self::connect)
    /// as [`Error::Request`].
    ///
    /// Headers of the same name add up (use [`headers`](Self::headers) to replace).
    /// `Accept` and `Cache-Control` replace the client's defaults (`text/event-stream`,
    /// `no-cache`); `Last-Event-ID` is the client's own (use
    /// [`last_event_id`](Self::last_event_id)), and `connect` refuses it.
    ///
    /// ```
    /// use http::header::{HeaderValue, AUTHORIZATION};
    /// use sse_proto_tokio::EventSource;
    ///
    /// let builder = EventSource::builder("http://h/")
    ///     .header(AUTHORIZATION, HeaderValue::from_static("Bearer t0ken"))
    ///     .header("x-trace", format!("{:x}", 48879))
    ///     .header("x-trace", "second");
    /// let headers = builder.headers_ref();
    /// assert_eq!(headers["authorization"], "Bearer t0ken");
    /// assert_eq!(headers.get_all("x-trace").iter().collect::<Vec<_>>(), ["beef", "second"]);
    /// ```
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        <HeaderName as TryFrom<K>>::Error: Into<http::Error>,
        HeaderValue: TryFrom<V>,
        <HeaderValue as TryFrom<V>>::Error: Into<http::Error>,
    {
        let name = HeaderName::try_from(name).map_err(Into::into);
        let value = HeaderValue::try_from(value).map_err(Into::into);
        match name.and_then(|name| Ok((name, value?))) {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(error) => {
                // The first mistake is the one reported.
                self.header_error.get_or_insert_with(|| Arc::new(error));
            }
        }
        self
    }

    /// Sets every header of `headers`, replacing any this builder already has of the same
    /// names (as `reqwest::RequestBuilder::headers` does); the rules of
    /// [`header`](Self::header) apply.
    ///
    /// ```
    /// use http::header::{HeaderMap, ACCEPT};
    /// use sse_proto_tokio::EventSource;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert(ACCEPT, "text/event-stream;v=2".parse().unwrap());
    /// headers.append("x-tag", "a".parse().unwrap());
    /// headers.append("x-tag", "b".parse().unwrap());
    /// let builder = EventSource::builder("http://h/").header("x-tag", "old").headers(headers);
    /// assert_eq!(builder.headers_ref()["accept"], "text/event-stream;v=2");
    /// assert_eq!(builder.headers_ref().get_all("x-tag").iter().count(), 2);
    /// ```
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        let mut current = None;
        // Each name comes once, followed by `None` for its further values.
        for (name, value) in headers {
            if let Some(name) = name {
                self.headers.insert(name.clone(), value);
                current = Some(name);
            } else if let Some(name) = &current {
                self.headers.append(name.clone(), value);
            }
        }
        self
    }

    /// The request headers set so far (not the client's own `Accept`, `Cache-Control`
    /// and `Last-Event-ID`), as `http::request::Builder::headers_ref` gives them.
    ///
    /// ```
    /// let builder = sse_proto_tokio::EventSource::builder("http://h/").header("x-a", "1");
    /// assert_eq!(builder.headers_ref().len(), 1);
    /// ```
    #[must_use]
    pub fn headers_ref(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request body, sent on every attempt (set the method too).
    ///
    /// A request with a body is not sent again after its response ends cleanly, unless
    /// you choose a [`reconnect`](Self::reconnect) policy (see [`method`](Self::method)):
    /// by default it is retried only after a failure ([`Reconnect::OnError`]).
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
    /// let server = Canned::sse("data: {\"answer\":42}\n\n");
    /// let mut events = EventSource::builder("http://127.0.0.1:9/v1/chat")
    ///     .method(http::Method::POST)
    ///     .header("content-type", "application/json")
    ///     .body(r#"{"question":"?"}"#)
    ///     .connect(server.clone())?;
    /// while let Some(event) = events.next().await {
    ///     event?; // one message, then a clean end
    /// }
    /// let requests = server.requests();
    /// assert_eq!(requests.len(), 1, "not replayed");
    /// assert_eq!(requests[0].2, r#"{"question":"?"}"#);
    /// # Ok(()) }
    /// ```
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Resume from this event ID: the first request sends it as `Last-Event-ID`.
    ///
    /// Any text without NUL, CR or LF is an event ID (the spec's value space), but an
    /// HTTP header cannot carry the other control characters: an ID holding one (yours,
    /// or one a server sent) is not sent, and the attempt goes on without the header.
    ///
    /// ```
    /// use sse_proto_tokio::{Error, EventSource};
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
    /// # async fn main() -> Result<(), Error> {
    /// let server = Canned::sse("data: hi\n\n").hang();
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .last_event_id("41")
    ///     .connect(server.clone())?;
    /// assert!(events.next().await.is_some());
    /// assert_eq!(server.requests()[0].1["last-event-id"], "41");
    /// assert_eq!(events.last_event_id(), "41");
    /// # Ok(()) }
    /// ```
    pub fn last_event_id(mut self, id: impl Into<String>) -> Self {
        self.last_event_id = Some(id.into());
        self
    }

    /// When to reconnect after a connection ends. Unless set, it depends on the request:
    ///
    /// * a body-less `GET`: [`Reconnect::Always`], the EventSource model: after a clean end
    ///   too, once the reconnection time has passed;
    /// * any other method, or a body: [`Reconnect::OnError`]: a clean end ends the stream
    ///   (with no error), and only failures are retried, so the request is never replayed
    ///   after it has been answered in full.
    ///
    /// A policy set here holds for every request, `Always` for a POST included. (A
    /// [request hook](Self::on_request) that changes the method does not change the
    /// policy: it is chosen from the builder's method and body.)
    ///
    /// ```
    /// use sse_proto_tokio::{EventSource, Reconnect};
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
    /// // A GET reconnects after a clean end by default ...
    /// let server = Canned::sse("data: tick\n\n");
    /// let mut events = EventSource::new(server.clone(), "http://127.0.0.1:9/ticks")?;
    /// for _ in 0..2 {
    ///     assert!(events.next().await.is_some_and(|event| event.is_ok()));
    /// }
    /// assert_eq!(server.requests().len(), 2);
    ///
    /// // ... unless told otherwise.
    /// let server = Canned::sse("data: tick\n\n");
    /// let mut events = EventSource::builder("http://127.0.0.1:9/ticks")
    ///     .reconnect(Reconnect::OnError)
    ///     .connect(server.clone())?;
    /// assert!(events.next().await.is_some_and(|event| event.is_ok()));
    /// assert!(events.next().await.is_none());
    /// assert_eq!(server.requests().len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn reconnect(mut self, policy: Reconnect) -> Self {
        self.reconnect = policy;
        self
    }

    /// The reconnection time until the server sets one with `retry` (default 3 s).
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
    /// # async fn main() -> Result<(), Error> {
    /// let server = Canned::sse("data: hi\n\n"); // one event, then the body ends
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .reconnection_time(Duration::from_millis(500))
    ///     .all_events(true)
    ///     .connect(server)?;
    /// let mut delay = None;
    /// for _ in 0..3 {
    ///     if let Some(Ok(Event::Reconnecting { delay: d, .. })) = events.next().await {
    ///         delay = Some(d);
    ///         break;
    ///     }
    /// }
    /// assert_eq!(delay, Some(Duration::from_millis(500)));
    /// # Ok(()) }
    /// ```
    pub fn reconnection_time(mut self, time: Duration) -> Self {
        self.reconnection_time = Some(time);
        self
    }

    /// Exact spec timing: every reconnect waits exactly the reconnection time, even after
    /// `retry: 0` or attempts that deliver nothing. By default the client never
    /// reconnects in a tight loop: no wait is shorter than 100 ms, and attempts in a row
    /// that deliver no event wait twice as long each time, up to 30 s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::{Builder, Error, Event, EventSource};
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
    /// # async fn main() -> Result<(), Error> {
    /// // The server asks for `retry: 0`, then ends the body.
    /// async fn first_wait(builder: Builder) -> Result<Option<Duration>, Error> {
    ///     let server = Canned::sse("retry: 0\ndata: hi\n\n");
    ///     let mut events = builder.all_events(true).connect(server)?;
    ///     for _ in 0..5 { // open, retry, message, reconnecting
    ///         if let Some(Ok(Event::Reconnecting { delay, .. })) = events.next().await {
    ///             return Ok(Some(delay));
    ///         }
    ///     }
    ///     Ok(None)
    /// }
    /// let url = "http://127.0.0.1:9/";
    /// let default = first_wait(EventSource::builder(url)).await?;
    /// assert_eq!(default, Some(Duration::from_millis(100)), "never a tight loop");
    /// let exact = first_wait(EventSource::builder(url).spec_timing()).await?;
    /// assert_eq!(exact, Some(Duration::ZERO));
    /// # Ok(()) }
    /// ```
    pub fn spec_timing(mut self) -> Self {
        self.spec_timing = true;
        self
    }

    /// Exponential backoff (with a cap and jitter) for failed attempts in a row.
    ///
    /// The jitter spreads out clients that fail together (a server restart), so each
    /// client draws its own: a [`seed`](Backoff::seed) of 0, [`Backoff::new`]'s, is
    /// replaced by a random one when the client starts (from `std`'s per-process
    /// `RandomState`). Any other seed is kept, for jitter that repeats (in tests).
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto::client::Backoff;
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
    /// let server = Canned::reply(503, "text/plain", "busy"); // retried, with backoff
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .reconnection_time(Duration::from_millis(100))
    ///     .backoff(Backoff::new().jitter_percent(0))
    ///     .all_events(true)
    ///     .connect(server)?;
    /// let mut delays = Vec::new();
    /// for _ in 0..3 {
    ///     let Some(Ok(Event::Reconnecting { delay, .. })) = events.next().await else { panic!() };
    ///     delays.push(delay.as_millis());
    /// }
    /// assert_eq!(delays, [200, 400, 800]); // doubling, no jitter
    /// # Ok(()) }
    /// ```
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = Some(backoff);
        self
    }

    /// Give up after this many failed attempts in a row ([`Error::GaveUp`]). A
    /// connection that opened and stayed healthy resets the count.
    ///
    /// ```
    /// use sse_proto_tokio::{Error, EventSource};
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
    /// # async fn main() -> Result<(), Error> {
    /// let server = Canned::reply(503, "text/plain", "busy"); // retried until given up
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .max_attempts(2)
    ///     .connect(server.clone())?;
    /// let Some(Err(Error::GaveUp { attempts, last })) = events.next().await else { panic!() };
    /// assert_eq!(attempts, 2);
    /// assert_eq!(last.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    /// assert_eq!(server.requests().len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Retry 5xx and 429 responses, waiting at least their `Retry-After` (default on;
    /// a browser's EventSource fails on them). Other 4xx always end the stream.
    ///
    /// ```
    /// use sse_proto_tokio::{Error, EventSource};
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
    /// # async fn main() -> Result<(), Error> {
    /// let server = Canned::reply(503, "text/plain", "busy");
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .retry_server_errors(false)
    ///     .connect(server.clone())?;
    /// let Some(Err(Error::Status(status))) = events.next().await else { panic!() };
    /// assert_eq!((status.status().as_u16(), status.body_text().as_str()), (503, "busy"));
    /// assert_eq!(server.requests().len(), 1, "not retried");
    /// # Ok(()) }
    /// ```
    pub fn retry_server_errors(mut self, on: bool) -> Self {
        self.retry_server_errors = on;
        self
    }

    /// Deadline for the response head, from the start of each attempt (including the
    /// request hook). Off by default.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::{Error, EventSource, Timeout};
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
    /// # async fn main() -> Result<(), Error> {
    /// let server = Canned::reply(0, "", ""); // never answers
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .connect_timeout(Duration::from_secs(10))
    ///     .max_attempts(1)
    ///     .connect(server)?;
    /// let Some(Err(Error::GaveUp { last, .. })) = events.next().await else { panic!() };
    /// assert!(matches!(*last, Error::Timeout(Timeout::Connect)));
    /// # Ok(()) }
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Deadline for the first body byte after the response head. Off by default.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::{Error, EventSource, Timeout};
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
    /// # async fn main() -> Result<(), Error> {
    /// let server = Canned::sse("").hang(); // a response head, then silence
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .first_byte_timeout(Duration::from_secs(20))
    ///     .max_attempts(1)
    ///     .connect(server)?;
    /// let Some(Err(Error::GaveUp { last, .. })) = events.next().await else { panic!() };
    /// assert!(matches!(*last, Error::Timeout(Timeout::FirstByte)));
    /// # Ok(()) }
    /// ```
    pub fn first_byte_timeout(mut self, timeout: Duration) -> Self {
        self.first_byte_timeout = Some(timeout);
        self
    }

    /// Reconnect when nothing arrives for this long: no response while connecting, no
    /// byte (events or heartbeats) while streaming. Set it above the server's heartbeat
    /// interval. Off by default. Unlike reqwest's total `timeout`, it never cuts a
    /// stream that is still delivering.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::{Error, Event, EventSource, Timeout};
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
    /// # async fn main() -> Result<(), Error> {
    /// let server = Canned::sse("data: a\n\n").hang(); // one event, then silence
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .idle_timeout(Duration::from_secs(45))
    ///     .all_events(true)
    ///     .connect(server.clone())?;
    /// let mut error = None;
    /// for _ in 0..3 {
    ///     if let Some(Ok(Event::Reconnecting { error: e, .. })) = events.next().await {
    ///         error = e;
    ///         break;
    ///     }
    /// }
    /// assert!(matches!(error, Some(Error::Timeout(Timeout::Idle))));
    /// # Ok(()) }
    /// ```
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// Accept a 200 response without a `Content-Type` header (some servers omit it). A
    /// `Content-Type` other than `text/event-stream` still fails. Off by default.
    ///
    /// ```
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
    /// # async fn main() -> Result<(), Error> {
    /// let untyped = || Canned::reply(200, "", "data: hi\n\n").hang(); // no Content-Type
    /// let mut events = EventSource::new(untyped(), "http://127.0.0.1:9/")?;
    /// assert!(matches!(events.next().await, Some(Err(Error::ContentType(_)))));
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .allow_missing_content_type(true)
    ///     .connect(untyped())?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(m))) if m.data == "hi"));
    /// # Ok(()) }
    /// ```
    pub fn allow_missing_content_type(mut self, on: bool) -> Self {
        self.allow_missing_content_type = on;
        self
    }

    /// How much of the body of a response the client cannot stream from to keep, in
    /// [`Error::Status`] and [`Error::ContentType`] (default 64 KiB); the rest is not
    /// read. (Reading stops after 5 s too: the explanation is worth a short wait, not a
    /// hang.)
    ///
    /// ```
    /// use sse_proto_tokio::{Error, EventSource};
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
    /// # async fn main() -> Result<(), Error> {
    /// let server = Canned::reply(400, "text/plain", "a long explanation of what went wrong");
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .max_error_body(6)
    ///     .connect(server)?;
    /// let Some(Err(Error::Status(status))) = events.next().await else { panic!("a 400") };
    /// assert_eq!(status.body_text(), "a long");
    /// assert!(status.is_body_truncated());
    /// # Ok(()) }
    /// ```
    pub fn max_error_body(mut self, bytes: usize) -> Self {
        self.max_error_body = bytes;
        self
    }

    /// The decoder's limits (line, event and id sizes). By default the core client's,
    /// [`ClientConfig::DEFAULT_DECODER`]: 16 MiB lines and events and 64 KiB ids, so a
    /// 5 MiB payload in base64 (a ~7 MB `data:` line) arrives as an event. Memory scales
    /// with these limits: the decoder holds about three times the line limit, and the
    /// events waiting for a slow reader at most twice the event limit (at least 1 MiB);
    /// lower them for a smaller bound.
    ///
    /// A block over a limit is dropped, and the stream says so by default with
    /// [`Event::Dropped`](crate::Event::Dropped) in its place (no `all_events` needed),
    /// then goes on.
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
    /// let server = Canned::sse("data: 0123456789\n\ndata: ok\n\n").hang();
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .decoder(DecoderConfig::default().max_event_len(8))
    ///     .connect(server)?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Dropped(Dropped::EventTooLarge)))));
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(m))) if m.data == "ok"));
    /// # Ok(()) }
    /// ```
    pub fn decoder(mut self, config: DecoderConfig) -> Self {
        self.decoder = config;
        self
    }

    /// Yield every [`Event`](crate::Event) variant — opens, comments, `retry`, id-only
    /// blocks, truncated blocks, reconnects — not only messages and drops (which are
    /// always yielded).
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
    /// let server = Canned::sse(": heartbeat\n\nretry: 500\n\ndata: hi\n\n");
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .all_events(true)
    ///     .connect(server)?;
    /// let mut kinds = Vec::new();
    /// for _ in 0..5 {
    ///     kinds.push(match events.next().await {
    ///         Some(Ok(Event::Open)) => "open",
    ///         Some(Ok(Event::Comment(_))) => "comment",
    ///         Some(Ok(Event::Retry(_))) => "retry",
    ///         Some(Ok(Event::Message(_))) => "message",
    ///         Some(Ok(Event::Reconnecting { .. })) => "reconnecting",
    ///         other => panic!("{other:?}"),
    ///     });
    /// }
    /// assert_eq!(kinds, ["open", "comment", "retry", "message", "reconnecting"]);
    /// # Ok(()) }
    /// ```
    pub fn all_events(mut self, on: bool) -> Self {
        self.all_events = on;
        self
    }

    /// An async hook called before every connection attempt with the request about to be
    /// sent; it returns the request to send, with any URL, method, header or body
    /// changed (refresh a token, move to another URL). `Last-Event-ID` is set after it.
    /// When a hook is set, a `401` is retried once at once, with
    /// [`Attempt::after_unauthorized`] set. An error from the hook ends the stream with
    /// [`Error::Request`].
    ///
    /// ```
    /// use sse_proto_tokio::{BoxError, Error, EventSource};
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
    /// # async fn main() -> Result<(), Error> {
    /// async fn fresh_token() -> Result<String, BoxError> { Ok("t0ken".into()) }
    ///
    /// let server = Canned::sse("data: hi\n\n").hang();
    /// let mut events = EventSource::builder("http://127.0.0.1:9/")
    ///     .on_request(|mut request, attempt| async move {
    ///         let token = fresh_token().await?;
    ///         request.headers_mut().insert("authorization", format!("Bearer {token}").parse()?);
    ///         assert_eq!(attempt.number(), 1);
    ///         Ok(request)
    ///     })
    ///     .connect(server.clone())?;
    /// assert!(events.next().await.is_some());
    /// assert_eq!(server.requests()[0].1["authorization"], "Bearer t0ken");
    /// # Ok(()) }
    /// ```
    pub fn on_request<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn(http::Request<Bytes>, Attempt) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<http::Request<Bytes>, BoxError>> + Send + 'static,
    {
        self.hook = Some(Arc::new(move |request, attempt| {
            Box::pin(hook(request, attempt)) as HookFuture
        }));
        self
    }

    /// Validates the settings and starts the client on the current tokio runtime with
    /// `connector`; the first attempt starts at once.
    ///
    /// # Errors
    ///
    /// [`Error::Request`] for a URL, method, header or last event ID that can never be
    /// sent.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, as `tokio::spawn` does.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let bad = sse_proto_tokio::EventSource::builder("http://h/")
    ///     .header("x-evil", "a\r\nhost: b")
    ///     .connect(reqwest::Client::new());
    /// assert!(bad.is_err());
    /// # }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn connect<C: Connector>(self, connector: C) -> Result<EventSource, Error> {
        http::Uri::try_from(self.url.as_str()).map_err(|e| Error::Request(Arc::new(e)))?;
        if let Some(error) = &self.header_error {
            return Err(Error::Request(Arc::clone(error) as SharedError));
        }
        if self.headers.contains_key("last-event-id") {
            return Err(Error::Request(Arc::from(BoxError::from(
                "Last-Event-ID is the client's own header: set it with last_event_id()",
            ))));
        }
        // The sans-IO client validates its configuration once, here.
        let client = Client::new(self.core_config(), Instant::EPOCH)
            .map_err(|e: ConfigError| Error::Request(Arc::new(e)))?;
        Ok(EventSource::spawn(self, client, connector))
    }

    /// The reconnect policy in force: the one set with [`reconnect`](Self::reconnect), with
    /// [`Reconnect::Auto`] (the default) resolved by [`Reconnect::resolve`], as the core
    /// resolves it: [`Reconnect::Always`] for a body-less `GET` (the EventSource model),
    /// [`Reconnect::OnError`] for any other request, which a clean end must not replay.
    /// Resolved here because the body is this builder's, not the core configuration's.
    fn reconnect_policy(&self) -> Reconnect {
        self.reconnect.resolve(
            self.method.as_str(),
            self.body.as_deref().unwrap_or_default(),
        )
    }

    /// The sans-IO client's configuration: the one place that speaks its setters.
    fn core_config(&self) -> ClientConfig {
        let mut config = ClientConfig::new(self.url.clone())
            .method(self.method.as_str())
            .retry_server_errors(self.retry_server_errors)
            .reconnect(self.reconnect_policy())
            .decoder(self.decoder);
        // The headers are not the core's: `to_http` adds them to each request, so a value
        // that is not UTF-8 is sent as it is.
        if let Some(body) = &self.body {
            config = config.body(body.to_vec());
        }
        if let Some(id) = &self.last_event_id {
            config = config.initial_last_event_id(id.as_str());
        }
        if let Some(time) = self.reconnection_time {
            config = config.reconnection_time(time);
        }
        if self.spec_timing {
            config = config.spec_timing();
        }
        if let Some(mut backoff) = self.backoff {
            if backoff.seed == 0 {
                backoff.seed = random_seed();
            }
            config = config.backoff(backoff);
        }
        if let Some(attempts) = self.max_attempts {
            config = config.max_attempts(attempts);
        }
        if let Some(timeout) = self.idle_timeout {
            config = config.idle_timeout(timeout);
        }
        config
    }
}

/// A seed for a client's jitter that differs between clients and processes: std's
/// `RandomState` is keyed from the operating system's randomness once per thread and
/// differs at each `new()`. The time and process id are hashed in too.
fn random_seed() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new()
        .hash_one((std::time::SystemTime::now(), std::process::id()))
}
