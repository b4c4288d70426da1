//! The client's typed errors: what went wrong, with what the server said, and whether
//! trying again can help.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue, StatusCode};

/// Any error, shared (so [`Error`] is `Clone`).
///
/// ```
/// use std::error::Error as _;
/// use std::sync::Arc;
/// use sse_proto_tokio::{Error, SharedError};
///
/// let cause: SharedError = Arc::new(std::io::Error::other("token service down"));
/// let error = Error::Request(cause);
/// let copy = error.clone(); // the cause is shared, not copied
/// assert_eq!(copy.source().unwrap().to_string(), "token service down");
/// ```
pub type SharedError = Arc<dyn StdError + Send + Sync + 'static>;

/// Everything that can end an [`EventSource`](crate::EventSource) or make it reconnect.
///
/// The stream yields an `Error` only when it gives up for good (after it, the stream
/// ends); errors it recovers from are in [`Event::Reconnecting`](crate::Event::Reconnecting)
/// for those who ask. A clean end of the stream and a 204 are never errors.
///
/// The message (`Display`) is one line about this error; its cause, if any, is its
/// [`source()`](std::error::Error::source), never repeated in the message, so a reporter
/// that walks the chain (anyhow's `{:#}`, eyre, tracing) prints each cause once.
/// [`Status`](Self::Status) and [`Transport`](Self::Transport) are transparent: their
/// message and source are those of the error they hold.
///
/// ```
/// use http::StatusCode;
/// use sse_proto_tokio::{Error, StatusError, Timeout};
///
/// assert!(Error::Timeout(Timeout::Idle).is_retryable());
/// let error = Error::from(StatusError::new(StatusCode::NOT_FOUND, Default::default(), "no such feed"));
/// assert!(!error.is_retryable());
/// assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
/// assert_eq!(error.to_string(), "the server answered 404 Not Found: no such feed");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status other than 200 or 204; see [`StatusError`] for
    /// its headers and (bounded) body. Retried if it is a 5xx, 429 or 408 (see
    /// [`is_retryable`](Self::is_retryable)), unless
    /// [`retry_server_errors`](crate::Builder::retry_server_errors) is off.
    ///
    /// ```
    /// use std::error::Error as _;
    /// use sse_proto_tokio::{Error, StatusError};
    ///
    /// let error = Error::from(StatusError::new(http::StatusCode::NOT_FOUND, Default::default(), "no such feed"));
    /// assert_eq!(error.to_string(), "the server answered 404 Not Found: no such feed");
    /// assert!(error.source().is_none()); // the message is the whole story
    /// let Error::Status(status) = &error else { unreachable!() };
    /// assert_eq!(status.body(), "no such feed");
    /// ```
    Status(StatusError),
    /// A 200 whose `Content-Type` is not `text/event-stream` (or is missing, unless
    /// [`allow_missing_content_type`](crate::Builder::allow_missing_content_type)): the
    /// response, kept as for [`Status`](Self::Status), with its headers and the start of
    /// its body (at most [`max_error_body`](crate::Builder::max_error_body) bytes), where
    /// servers explain (`{"error":"quota exceeded"}`);
    /// [`content_type`](StatusError::content_type) gives the value, if any.
    ///
    /// ```
    /// use http::header::{HeaderMap, CONTENT_TYPE};
    /// use sse_proto_tokio::{Error, StatusError};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert(CONTENT_TYPE, "application/json".parse().unwrap());
    /// let response = StatusError::new(http::StatusCode::OK, headers, r#"{"error":"quota exceeded"}"#);
    /// let error = Error::ContentType(response);
    /// assert_eq!(
    ///     error.to_string(),
    ///     r#"the response's Content-Type is "application/json", not text/event-stream: {"error":"quota exceeded"}"#
    /// );
    /// let Error::ContentType(response) = &error else { unreachable!() };
    /// assert_eq!(response.content_type().unwrap(), "application/json");
    /// assert_eq!(response.body_text(), r#"{"error":"quota exceeded"}"#);
    /// assert!(!error.is_retryable());
    /// ```
    ContentType(StatusError),
    /// The connection failed below HTTP: refused, reset, DNS, TLS, a read error.
    /// Retried unless [futile](TransportError::is_futile).
    ///
    /// ```
    /// use std::error::Error as _;
    /// use sse_proto_tokio::{Error, TransportError};
    ///
    /// let reset = Error::Transport(TransportError::new(std::io::Error::other("connection reset")));
    /// assert!(reset.is_retryable());
    /// assert_eq!(reset.to_string(), "the connection failed");
    /// assert_eq!(reset.source().unwrap().to_string(), "connection reset");
    /// let bad_scheme = Error::Transport(TransportError::futile("only http and https are supported"));
    /// assert!(!bad_scheme.is_retryable());
    /// ```
    Transport(TransportError),
    /// A deadline passed; which one. Retried.
    ///
    /// ```
    /// use sse_proto_tokio::{Error, Timeout};
    ///
    /// let error = Error::Timeout(Timeout::Idle);
    /// assert!(error.is_retryable());
    /// assert_eq!(error.to_string(), "nothing arrived within the idle timeout");
    /// ```
    Timeout(Timeout),
    /// The request could not be made, and never will: never retried.
    /// [`Builder::connect`](crate::Builder::connect) (and
    /// [`EventSource::new`](crate::EventSource::new)) return it for a URL, method, header
    /// or last event ID that can never be sent; the stream ends with it when the
    /// [request hook](crate::Builder::on_request) returns an error, or the request it
    /// built cannot be sent. The cause is its [`source()`](std::error::Error::source).
    ///
    /// ```
    /// use std::error::Error as _;
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
    ///
    /// let refused = EventSource::builder("http://127.0.0.1:9/")
    ///     .header("x-evil", "a\r\nhost: b") // not a header value
    ///     .connect(Canned::sse(""));
    /// let Err(error @ Error::Request(_)) = refused else { panic!("connected") };
    /// assert_eq!(error.to_string(), "the request could not be made");
    /// assert!(error.source().is_some());
    /// assert!(!error.is_retryable());
    /// ```
    Request(SharedError),
    /// A response ended cleanly before it delivered an event. Such attempts count as
    /// failed in a row (they slow reconnection down, unless
    /// [`spec_timing`](crate::Builder::spec_timing)), so this is what
    /// [`GaveUp`](Self::GaveUp) names as the last failure when
    /// [`max_attempts`](crate::Builder::max_attempts) ends a run of empty streams.
    ///
    /// ```
    /// use sse_proto_tokio::Error;
    ///
    /// assert!(Error::EmptyStream.is_retryable());
    /// assert_eq!(Error::EmptyStream.to_string(), "the response ended without an event");
    /// ```
    EmptyStream,
    /// The client gave up: this many attempts in a row failed (the
    /// [`max_attempts`](crate::Builder::max_attempts) bound), or the
    /// [`Reconnect`](crate::Reconnect) policy forbids another; the last failure.
    ///
    /// Its message says that it gave up; the last failure is its
    /// [`source()`](std::error::Error::source), and that failure's cause the next link:
    ///
    /// ```
    /// use std::error::Error as _;
    /// use sse_proto_tokio::{Error, TransportError};
    ///
    /// let reset = TransportError::new(std::io::Error::other("connection reset"));
    /// let error = Error::GaveUp { attempts: 3, last: Box::new(Error::Transport(reset)) };
    /// let first: &dyn std::error::Error = &error;
    /// let chain: Vec<String> = std::iter::successors(Some(first), |e| (*e).source())
    ///     .map(|e| e.to_string())
    ///     .collect();
    /// assert_eq!(chain, ["gave up after 3 failed attempts", "the connection failed", "connection reset"]);
    /// ```
    GaveUp {
        /// Failed attempts in a row: the unit of
        /// [`max_attempts`](crate::Builder::max_attempts), hence a `u32`
        /// ([`Liveness::attempts`](crate::Liveness::attempts) counts every attempt).
        attempts: u32,
        /// The failure of the last attempt.
        last: Box<Error>,
    },
}

impl Error {
    /// Whether another attempt may succeed: transport errors (unless futile), timeouts, an
    /// empty stream, 5xx, 408 and 429. Other 4xx, a wrong Content-Type, a failed request
    /// hook and giving up are not.
    ///
    /// ```
    /// use http::StatusCode;
    /// use sse_proto_tokio::{Error, StatusError};
    ///
    /// let status = |code| Error::from(StatusError::new(code, Default::default(), ""));
    /// assert!(status(StatusCode::SERVICE_UNAVAILABLE).is_retryable());
    /// assert!(status(StatusCode::TOO_MANY_REQUESTS).is_retryable());
    /// assert!(!status(StatusCode::FORBIDDEN).is_retryable());
    /// assert!(!Error::ContentType(StatusError::new(StatusCode::OK, Default::default(), "")).is_retryable());
    /// ```
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Status(status) => {
                let code = status.status();
                code.is_server_error()
                    || code == StatusCode::TOO_MANY_REQUESTS
                    || code == StatusCode::REQUEST_TIMEOUT
            }
            Error::Transport(error) => !error.is_futile(),
            Error::Timeout(_) | Error::EmptyStream => true,
            Error::ContentType(_) | Error::Request(_) | Error::GaveUp { .. } => false,
        }
    }

    /// The HTTP status of a [`Status`](Self::Status) error, or of one given up on
    /// ([`GaveUp`](Self::GaveUp) whose last failure was one), as `reqwest::Error::status`
    /// gives it. `None` for every other error, including a
    /// [`ContentType`](Self::ContentType) error (a 200, whose response is in the variant).
    ///
    /// ```
    /// use http::StatusCode;
    /// use sse_proto_tokio::{Error, StatusError};
    ///
    /// let error = Error::from(StatusError::new(StatusCode::BAD_GATEWAY, Default::default(), ""));
    /// assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    /// let gave_up = Error::GaveUp { attempts: 3, last: Box::new(error) };
    /// assert_eq!(gave_up.status(), Some(StatusCode::BAD_GATEWAY));
    /// assert_eq!(Error::EmptyStream.status(), None);
    /// ```
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status(status) => Some(status.status()),
            Error::GaveUp { last, .. } => last.status(),
            _ => None,
        }
    }

    /// The HTTP status; renamed [`status`](Self::status), as reqwest names it.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use http::StatusCode;
    /// use sse_proto_tokio::{Error, StatusError};
    ///
    /// let error = Error::from(StatusError::new(StatusCode::GONE, Default::default(), ""));
    /// assert_eq!(error.status_code(), error.status());
    /// ```
    #[must_use]
    #[deprecated(note = "renamed `status()`, as `reqwest::Error::status`")]
    pub fn status_code(&self) -> Option<StatusCode> {
        self.status()
    }
}

/// A [`Status`](Error::Status) error.
///
/// ```
/// use sse_proto_tokio::{Error, StatusError};
///
/// let error: Error = StatusError::new(http::StatusCode::GONE, Default::default(), "bye").into();
/// assert!(matches!(error, Error::Status(s) if s.body() == "bye"));
/// ```
impl From<StatusError> for Error {
    fn from(status: StatusError) -> Self {
        Error::Status(status)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Status(status) => status.fmt(f),
            Error::ContentType(response) => {
                match response.content_type() {
                    Some(value) => write!(
                        f,
                        "the response's Content-Type is {value:?}, not text/event-stream"
                    )?,
                    None => f.write_str(
                        "the response has no Content-Type (expected text/event-stream)",
                    )?,
                }
                response.write_body_line(f)
            }
            Error::Transport(error) => error.fmt(f),
            Error::Timeout(timeout) => timeout.fmt(f),
            Error::Request(_) => f.write_str("the request could not be made"),
            Error::EmptyStream => f.write_str("the response ended without an event"),
            Error::GaveUp { attempts: 1, .. } => f.write_str("gave up after 1 failed attempt"),
            Error::GaveUp { attempts, .. } => {
                write!(f, "gave up after {attempts} failed attempts")
            }
        }
    }
}

/// An error writes its cause into its message or returns it from `source()`, never both
/// (reporters such as anyhow's `{:#}` print the whole chain). `Status` and `Transport`
/// are transparent: their message and source are the inner error's own.
impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Status(status) => status.source(),
            Error::Transport(error) => error.source(),
            Error::Request(error) => Some(&**error),
            Error::GaveUp { last, .. } => Some(&**last),
            Error::ContentType(_) | Error::Timeout(_) | Error::EmptyStream => None,
        }
    }
}

/// A response the client could not stream from: the status, the headers, and the start
/// of the body (at most [`max_error_body`](crate::Builder::max_error_body) bytes), so the
/// server's explanation is not lost. In [`Error::Status`] (a status other than 200 or
/// 204) and in [`Error::ContentType`] (a 200 that is not `text/event-stream`).
///
/// ```
/// use http::{HeaderMap, StatusCode};
/// use sse_proto_tokio::{Error, StatusError};
///
/// let status = StatusError::new(StatusCode::UNAUTHORIZED, HeaderMap::new(), r#"{"error":"expired"}"#);
/// assert_eq!(status.status(), StatusCode::UNAUTHORIZED);
/// assert_eq!(status.body_text(), r#"{"error":"expired"}"#);
/// assert!(!status.is_body_truncated());
/// assert_eq!(Error::from(status).to_string(), r#"the server answered 401 Unauthorized: {"error":"expired"}"#);
/// ```
#[derive(Debug, Clone)]
pub struct StatusError {
    inner: Arc<StatusInner>,
}

#[derive(Debug, Clone)]
struct StatusInner {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    truncated: bool,
}

impl StatusError {
    /// A response's status, headers and the start of its body (for connectors and tests;
    /// the client builds its own). The body is whole; mark it cut with
    /// [`body_truncated`](Self::body_truncated).
    ///
    /// ```
    /// use sse_proto_tokio::StatusError;
    ///
    /// let s = StatusError::new(http::StatusCode::SERVICE_UNAVAILABLE, Default::default(), "busy");
    /// assert_eq!((s.status().as_u16(), s.body_text().as_str()), (503, "busy"));
    /// assert!(!s.is_body_truncated());
    /// ```
    #[must_use]
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        StatusError {
            inner: Arc::new(StatusInner {
                status,
                headers,
                body: body.into(),
                truncated: false,
            }),
        }
    }

    /// Marks the body as cut at the limit (`true`) or whole (`false`, the default): the
    /// response had more than the body kept here.
    ///
    /// ```
    /// use sse_proto_tokio::StatusError;
    ///
    /// let s = StatusError::new(http::StatusCode::BAD_REQUEST, Default::default(), "abc")
    ///     .body_truncated(true);
    /// assert!(s.is_body_truncated());
    /// ```
    #[must_use]
    pub fn body_truncated(mut self, truncated: bool) -> Self {
        Arc::make_mut(&mut self.inner).truncated = truncated;
        self
    }

    /// The status code.
    ///
    /// ```
    /// # use sse_proto_tokio::StatusError;
    /// let s = StatusError::new(http::StatusCode::IM_A_TEAPOT, Default::default(), "");
    /// assert_eq!(s.status().as_u16(), 418);
    /// ```
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The response headers.
    ///
    /// ```
    /// # use sse_proto_tokio::StatusError;
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("retry-after", "30".parse().unwrap());
    /// let s = StatusError::new(http::StatusCode::SERVICE_UNAVAILABLE, headers, "");
    /// assert_eq!(s.headers()["retry-after"], "30");
    /// ```
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The response's `Content-Type`, if it has one (the first, if several).
    ///
    /// ```
    /// # use sse_proto_tokio::StatusError;
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("content-type", "text/html".parse().unwrap());
    /// let s = StatusError::new(http::StatusCode::OK, headers, "<html>");
    /// assert_eq!(s.content_type().unwrap(), "text/html");
    /// assert_eq!(StatusError::new(http::StatusCode::OK, Default::default(), "").content_type(), None);
    /// ```
    #[must_use]
    pub fn content_type(&self) -> Option<&HeaderValue> {
        self.inner.headers.get(CONTENT_TYPE)
    }

    /// The start of the body, as bytes.
    ///
    /// ```
    /// # use sse_proto_tokio::StatusError;
    /// let s = StatusError::new(http::StatusCode::NOT_FOUND, Default::default(), "nope");
    /// assert_eq!(s.body(), "nope");
    /// ```
    #[must_use]
    pub fn body(&self) -> &Bytes {
        &self.inner.body
    }

    /// The start of the body as text (invalid UTF-8 replaced).
    ///
    /// ```
    /// # use sse_proto_tokio::StatusError;
    /// let s = StatusError::new(http::StatusCode::NOT_FOUND, Default::default(), &b"no\xFF"[..]);
    /// assert_eq!(s.body_text(), "no\u{FFFD}");
    /// ```
    #[must_use]
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.inner.body).into_owned()
    }

    /// Whether the body was longer than the limit and cut.
    ///
    /// ```
    /// # use sse_proto_tokio::StatusError;
    /// let s = StatusError::new(http::StatusCode::NOT_FOUND, Default::default(), "abc");
    /// assert!(!s.is_body_truncated());
    /// assert!(s.body_truncated(true).is_body_truncated());
    /// ```
    #[must_use]
    pub fn is_body_truncated(&self) -> bool {
        self.inner.truncated
    }
}

impl StatusError {
    /// `": "` and the body's first line (at most 200 characters), if it has any text.
    fn write_body_line(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from_utf8_lossy(&self.inner.body);
        let text = text.trim();
        if !text.is_empty() {
            // One line of the body is enough for a message; the rest is in `body()`.
            let line: String = text
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect();
            write!(f, ": {line}")?;
        }
        Ok(())
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.inner.status)?;
        self.write_body_line(f)
    }
}

/// A status error is a whole message: the status and the first line of the body; it has
/// no source.
impl StdError for StatusError {}

/// Which deadline passed.
///
/// ```
/// use sse_proto_tokio::Timeout;
///
/// assert_eq!(Timeout::FirstByte.to_string(), "no body byte arrived within the first-byte timeout");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Timeout {
    /// No response head within the [connect timeout](crate::Builder::connect_timeout).
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::Timeout::Connect.to_string(), "no response within the connect timeout");
    /// ```
    Connect,
    /// No body byte within the [first-byte timeout](crate::Builder::first_byte_timeout)
    /// after the response head.
    ///
    /// ```
    /// let message = sse_proto_tokio::Timeout::FirstByte.to_string();
    /// assert_eq!(message, "no body byte arrived within the first-byte timeout");
    /// ```
    FirstByte,
    /// Nothing arrived for the [idle timeout](crate::Builder::idle_timeout), while
    /// connecting or streaming.
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::Timeout::Idle.to_string(), "nothing arrived within the idle timeout");
    /// ```
    Idle,
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Timeout::Connect => "no response within the connect timeout",
            Timeout::FirstByte => "no body byte arrived within the first-byte timeout",
            Timeout::Idle => "nothing arrived within the idle timeout",
        })
    }
}

/// A failure below HTTP, from a [`Connector`](crate::Connector): connecting, sending the
/// request or reading the body. A *futile* one (an invalid URL, an unsupported scheme)
/// cannot succeed on retry and ends the client.
///
/// ```
/// use sse_proto_tokio::TransportError;
///
/// let refused = TransportError::new(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
/// assert!(!refused.is_futile());
/// let bad_url = TransportError::futile("relative URL without a base");
/// assert!(bad_url.is_futile());
/// ```
#[derive(Debug, Clone)]
pub struct TransportError {
    futile: bool,
    source: SharedError,
}

impl TransportError {
    /// A transient failure: the client reconnects.
    ///
    /// ```
    /// use std::error::Error as _;
    ///
    /// let e = sse_proto_tokio::TransportError::new(std::io::Error::other("reset"));
    /// assert_eq!(e.to_string(), "the connection failed");
    /// assert_eq!(e.source().unwrap().to_string(), "reset");
    /// ```
    #[must_use]
    pub fn new(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        TransportError {
            futile: false,
            source: Arc::from(source.into()),
        }
    }

    /// A failure that no retry can cure: the client ends with it.
    ///
    /// ```
    /// assert!(sse_proto_tokio::TransportError::futile("unsupported scheme").is_futile());
    /// ```
    #[must_use]
    pub fn futile(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        TransportError {
            futile: true,
            source: Arc::from(source.into()),
        }
    }

    /// An I/O error, classified as the core classifies it
    /// ([`sse_proto::client::TransportError::from_io_error`]): `InvalidInput` and
    /// `Unsupported` (a URL or scheme the connector cannot handle) are futile; everything
    /// else (refused, reset, timed out, a malformed response) is transient.
    ///
    /// ```
    /// use std::io::{Error, ErrorKind};
    /// use sse_proto_tokio::TransportError;
    ///
    /// assert!(TransportError::from_io(Error::from(ErrorKind::InvalidInput)).is_futile());
    /// assert!(!TransportError::from_io(Error::from(ErrorKind::ConnectionReset)).is_futile());
    /// assert!(!TransportError::from_io(Error::from(ErrorKind::InvalidData)).is_futile());
    /// ```
    #[must_use]
    pub fn from_io(error: std::io::Error) -> Self {
        use sse_proto::client::TransportError as Kind;
        match Kind::from_io_error(&error) {
            Kind::Futile => Self::futile(error),
            _ => Self::new(error),
        }
    }

    /// Whether retrying cannot help.
    ///
    /// ```
    /// assert!(!sse_proto_tokio::TransportError::new("reset").is_futile());
    /// ```
    #[must_use]
    pub fn is_futile(&self) -> bool {
        self.futile
    }

    /// The underlying error.
    ///
    /// ```
    /// let e = sse_proto_tokio::TransportError::new("reset");
    /// assert_eq!(e.inner().to_string(), "reset");
    /// ```
    #[must_use]
    pub fn inner(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.source
    }
}

/// The message says what failed; the underlying error is the `source()`, not repeated.
impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.futile {
            "the connection cannot succeed"
        } else {
            "the connection failed"
        })
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}
