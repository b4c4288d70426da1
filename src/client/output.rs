//! What the client asks of the caller: the [`Output`]s, and the [`Request`] to send.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::attempt::AttemptId;
use super::instant::Instant;
use crate::event::OwnedItem;

/// One thing the client needs the caller to do or know, from
/// [`Client::poll_output`](crate::Client::poll_output). Drain them until `None` after
/// every input.
///
/// A client's outputs always follow this shape: `Connect`, then either `Open` and the
/// stream's `Item`s, or not; then `WaitUntil` and again `Connect`…; and at most one
/// terminal output, `Failed` or `Closed`, after which there is nothing more, ever.
///
/// ```
/// use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
///
/// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
/// match client.poll_output() {
///     Some(Output::Connect(request)) => assert_eq!(request.method(), "GET"),
///     other => panic!("{other:?}"),
/// }
/// assert_eq!(client.poll_output(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Output {
    /// Open a connection and send this request (C14 step 5). Drop any earlier connection
    /// first: from now on every input is about this one. (A
    /// [`Driver`](crate::client::Driver) opens the connection itself before it yields
    /// this output, which is then a report of the attempt.)
    Connect(Request),
    /// The response was a 200 `text/event-stream`: the stream is open and the ready state
    /// is OPEN (C11, C13, the `open` event).
    Open,
    /// An event or another decoder item (P9–P21): comments, `retry` updates, id-only
    /// blocks, drops, and [`OwnedItem::Truncated`] when a connection ended inside a block.
    Item(OwnedItem),
    /// The connection is lost and will be reestablished (C12, C14 step 1, the `error`
    /// event with ready state CONNECTING): drop it, and call
    /// [`handle_timeout`](crate::Client::handle_timeout) at `at` (also
    /// [`poll_timeout`](crate::Client::poll_timeout)); a `Connect` follows.
    WaitUntil {
        /// When to reconnect.
        at: Instant,
        /// Why the connection was lost.
        reason: ReconnectReason,
    },
    /// The connection failed for good: the ready state is CLOSED and the client will never
    /// reconnect (C15). Terminal.
    Failed(FailReason),
    /// The stream is over without a failure: the ready state is CLOSED. Terminal.
    Closed(CloseReason),
}

/// Why a connection was lost before a reconnect ([`Output::WaitUntil`]).
///
/// ```
/// assert_eq!(sse_proto::client::ReconnectReason::BodyEnd.to_string(), "the server ended the response body");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReconnectReason {
    /// The response body ended (C12). The normal way for a server to drop a stream; not an
    /// error.
    BodyEnd,
    /// A transport error, before or during the response (C8, C12).
    TransportError,
    /// No bytes arrived for the configured idle timeout (opt-in policy).
    IdleTimeout,
    /// A 5xx or 429 response, retried by the opt-in
    /// [`retry_server_errors`](crate::ClientConfig::retry_server_errors) policy.
    Status(u16),
}

impl fmt::Display for ReconnectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReconnectReason::BodyEnd => f.write_str("the server ended the response body"),
            ReconnectReason::TransportError => f.write_str("the connection failed"),
            ReconnectReason::IdleTimeout => f.write_str("no bytes arrived within the idle timeout"),
            ReconnectReason::Status(s) => write!(f, "the server answered with status {s}"),
        }
    }
}

/// Why the client failed for good ([`Output::Failed`], C15).
///
/// ```
/// use sse_proto::client::FailReason;
///
/// assert_eq!(FailReason::Status(404).to_string(), "the server answered with status 404, not 200");
/// assert_eq!(FailReason::Status(301).to_string(), "the server answered with status 301, not 200 (a redirect that was not followed)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailReason {
    /// A status other than 200 and 204 (C9): another 2xx, an unfollowed 3xx (C24), a 4xx,
    /// or a 5xx unless [`retry_server_errors`](crate::ClientConfig::retry_server_errors).
    Status(u16),
    /// A 200 whose `Content-Type` is missing or not `text/event-stream` (C10, D7).
    ContentType,
    /// The caller reported a futile transport error ([`TransportError::Futile`](crate::client::TransportError::Futile), C8).
    Futile,
    /// [`max_attempts`](crate::ClientConfig::max_attempts) attempts in a row failed.
    MaxAttempts,
}

impl fmt::Display for FailReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailReason::Status(s @ 300..=399) => write!(
                f,
                "the server answered with status {s}, not 200 (a redirect that was not followed)"
            ),
            FailReason::Status(s) => write!(f, "the server answered with status {s}, not 200"),
            FailReason::ContentType => {
                f.write_str("the response's Content-Type is missing or not text/event-stream")
            }
            FailReason::Futile => f.write_str("the connection cannot succeed"),
            FailReason::MaxAttempts => f.write_str("too many failed connection attempts in a row"),
        }
    }
}

impl core::error::Error for FailReason {}

/// Why the stream ended without a failure ([`Output::Closed`]).
///
/// ```
/// assert_eq!(sse_proto::client::CloseReason::NoContent.to_string(), "the server answered 204 No Content: stop reconnecting");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CloseReason {
    /// [`Client::close`](crate::Client::close) was called (C26).
    Requested,
    /// The server answered 204 No Content, its documented way to say "stop reconnecting"
    /// (C9). The spec "fails the connection" here (ready state CLOSED, no reconnect); it is
    /// reported as a close, not a failure, because it is the server's normal way to end.
    NoContent,
    /// The server ended the body and the [`Reconnect`](crate::client::Reconnect) policy
    /// does not reconnect after a clean end (a one-shot stream is complete).
    Ended,
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CloseReason::Requested => "closed by the caller",
            CloseReason::NoContent => "the server answered 204 No Content: stop reconnecting",
            CloseReason::Ended => "the server ended the stream; the reconnect policy ends it here",
        })
    }
}

/// The request to send for one connection ([`Output::Connect`]).
///
/// Its headers are complete and in order: `Accept: text/event-stream` (C4),
/// `Cache-Control: no-cache` (C5), the configured headers, and `Last-Event-ID` only when
/// the last event ID is non-empty (C14 step 5, C17) — never an empty header.
///
/// ```
/// use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
///
/// let config = ClientConfig::new("http://h/stream").initial_last_event_id("41");
/// let mut client = Client::new(config, Instant::EPOCH)?;
/// let Some(Output::Connect(req)) = client.poll_output() else { unreachable!() };
/// assert_eq!(req.url(), "http://h/stream");
/// assert_eq!(req.header("last-event-id"), Some("41"));
/// let names: Vec<&str> = req.headers().iter().map(|(n, _)| n.as_str()).collect();
/// assert_eq!(names, ["Accept", "Cache-Control", "Last-Event-ID"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Request {
    pub(crate) url: String,
    pub(crate) method: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) last_event_id: Option<String>,
    pub(crate) attempt: AttemptId,
}

impl Request {
    /// The configured URL, unchanged on every reconnect (C22).
    ///
    /// ```
    /// use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
    ///
    /// let mut client = Client::new(ClientConfig::new("http://h/events?x=1"), Instant::EPOCH)?;
    /// let Some(Output::Connect(req)) = client.poll_output() else { unreachable!() };
    /// assert_eq!(req.url(), "http://h/events?x=1"); // verbatim, never parsed
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The method (`GET` unless configured, C6).
    ///
    /// ```
    /// use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
    ///
    /// let config = ClientConfig::new("http://h/").method("POST");
    /// let mut client = Client::new(config, Instant::EPOCH)?;
    /// let Some(Output::Connect(req)) = client.poll_output() else { unreachable!() };
    /// assert_eq!(req.method(), "POST");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Every header to send, in order.
    ///
    /// ```
    /// use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
    ///
    /// let config = ClientConfig::new("http://h/").header("Authorization", "Bearer t");
    /// let mut client = Client::new(config, Instant::EPOCH)?;
    /// let Some(Output::Connect(req)) = client.poll_output() else { unreachable!() };
    /// assert_eq!(req.headers()[0], ("Accept".to_string(), "text/event-stream".to_string()));
    /// assert_eq!(req.headers()[2].0, "Authorization"); // after Accept and Cache-Control
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The value of a header, by ASCII case-insensitive name.
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
    /// # let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// # let Some(Output::Connect(req)) = client.poll_output() else { unreachable!() };
    /// assert_eq!(req.header("accept"), Some("text/event-stream"));
    /// assert_eq!(req.header("Last-Event-ID"), None); // empty id: no header at all
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body, if one is configured.
    ///
    /// ```
    /// use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
    ///
    /// let config = ClientConfig::new("http://h/").method("POST").body(b"{\"topic\":\"a\"}".to_vec());
    /// let mut client = Client::new(config, Instant::EPOCH)?;
    /// let Some(Output::Connect(req)) = client.poll_output() else { unreachable!() };
    /// assert_eq!(req.body(), Some(&b"{\"topic\":\"a\"}"[..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The `Last-Event-ID` sent with this request, if any (also in
    /// [`headers`](Self::headers)).
    ///
    /// ```
    /// use sse_proto::{client::{Instant, Output, ResponseHead}, Client, ClientConfig};
    ///
    /// let now = Instant::EPOCH;
    /// let head = ResponseHead::new(200).content_type("text/event-stream");
    /// let mut client = Client::new(ClientConfig::new("http://h/"), now)?;
    /// let Some(Output::Connect(first)) = client.poll_output() else { unreachable!() };
    /// assert_eq!(first.last_event_id(), None); // no id yet: no header
    /// client.handle_response(now, client.attempt(), &head).unwrap();
    /// client.handle_body(now, client.attempt(), b"id: 7\ndata: x\n\n").unwrap();
    /// client.reconnect_now(now).unwrap();
    /// let last = core::iter::from_fn(|| client.poll_output()).last(); // Open, the event, Connect
    /// let Some(Output::Connect(second)) = last else { unreachable!() };
    /// assert_eq!(second.last_event_id(), Some("7"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// Which attempt this is: give it back with every input about this connection
    /// ([`AttemptId`]). Numbered from 1, counting every `Connect`.
    ///
    /// ```
    /// use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
    ///
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert!(matches!(client.poll_output(), Some(Output::Connect(r)) if r.attempt().number() == 1));
    /// client.reconnect_now(Instant::EPOCH)?;
    /// assert!(matches!(client.poll_output(), Some(Output::Connect(r)) if r.attempt().number() == 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn attempt(&self) -> AttemptId {
        self.attempt
    }
}

/// The value of the first header named `name` (ASCII case-insensitive, as HTTP field names
/// are).
pub(crate) fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
