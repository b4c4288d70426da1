//! What the caller tells the client besides body bytes: the response head, transport
//! errors, and the error for an input that makes no sense in the current state.

use core::fmt;

use super::http::parse_http_date;

/// The head of an HTTP response, as much of it as the client needs (C9, C10), borrowed
/// from the caller's headers. A small value type: public fields with same-named by-value
/// setters.
///
/// * `status`: the final status, after any redirects the caller followed (C22). A 3xx
///   here is a redirect the caller could not follow, and fails (C24).
/// * `content_type`: the `Content-Type` value, or `None` when absent (C10, D7).
/// * `retry_after`, `date`, `unix_time`: only used when
///   [`retry_server_errors`](crate::ClientConfig::retry_server_errors) is on. An HTTP-date
///   `Retry-After` is measured from the response's `Date` header, else from `unix_time`
///   (the caller's wall clock in seconds since the Unix epoch), else it is ignored.
///
/// ```
/// use sse_proto::client::ResponseHead;
///
/// let head = ResponseHead::new(503)
///     .content_type("text/plain")
///     .retry_after("Sun, 06 Nov 1994 08:49:37 GMT")
///     .date("Sun, 06 Nov 1994 08:49:07 GMT");
/// assert_eq!(head.status, 503);
/// assert_eq!(head.content_type, Some("text/plain"));
/// assert_eq!(head.reference_time(), Some(784_111_747));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ResponseHead<'a> {
    /// The status code.
    pub status: u16,
    /// The `Content-Type` value, if any.
    pub content_type: Option<&'a str>,
    /// The `Retry-After` value, if any.
    pub retry_after: Option<&'a str>,
    /// The `Date` value, if any.
    pub date: Option<&'a str>,
    /// The caller's wall-clock time when the response arrived, in seconds since the Unix
    /// epoch, if known.
    pub unix_time: Option<u64>,
}

impl<'a> ResponseHead<'a> {
    /// A head with this status and no headers.
    ///
    /// ```
    /// assert_eq!(sse_proto::client::ResponseHead::new(204).content_type, None);
    /// ```
    #[must_use]
    pub const fn new(status: u16) -> Self {
        ResponseHead {
            status,
            content_type: None,
            retry_after: None,
            date: None,
            unix_time: None,
        }
    }

    /// Sets the `Content-Type` value.
    ///
    /// ```
    /// let head = sse_proto::client::ResponseHead::new(200).content_type("text/event-stream");
    /// assert_eq!(head.content_type, Some("text/event-stream"));
    /// ```
    #[must_use]
    pub const fn content_type(mut self, value: &'a str) -> Self {
        self.content_type = Some(value);
        self
    }

    /// Sets the `Retry-After` value.
    ///
    /// ```
    /// let head = sse_proto::client::ResponseHead::new(429).retry_after("30");
    /// assert_eq!(head.retry_after, Some("30"));
    /// ```
    #[must_use]
    pub const fn retry_after(mut self, value: &'a str) -> Self {
        self.retry_after = Some(value);
        self
    }

    /// Sets the `Date` value.
    ///
    /// ```
    /// let head = sse_proto::client::ResponseHead::new(503).date("Thu, 01 Jan 1970 00:01:00 GMT");
    /// assert_eq!(head.reference_time(), Some(60));
    /// ```
    #[must_use]
    pub const fn date(mut self, value: &'a str) -> Self {
        self.date = Some(value);
        self
    }

    /// Sets the caller's wall-clock time when the response arrived, in seconds since the
    /// Unix epoch (used when there is no valid `Date` header).
    ///
    /// ```
    /// let head = sse_proto::client::ResponseHead::new(503).unix_time(1_700_000_000);
    /// assert_eq!(head.reference_time(), Some(1_700_000_000));
    /// ```
    #[must_use]
    pub const fn unix_time(mut self, seconds: u64) -> Self {
        self.unix_time = Some(seconds);
        self
    }

    /// The head of a response from its status and header list (name, value), the glue
    /// every HTTP integration needs: the first `Content-Type`, `Retry-After` and `Date`
    /// (names in any case) are taken, every other header is ignored. Add the wall clock
    /// with [`unix_time`](Self::unix_time) (or, with `std`,
    /// [`unix_time_now`](Self::unix_time_now)) so that an HTTP-date `Retry-After` works
    /// without a `Date` header.
    ///
    /// ```
    /// use sse_proto::client::ResponseHead;
    ///
    /// let headers = [("content-type", "text/event-stream"), ("X-Other", "1"), ("Retry-After", "5"), ("Content-Type", "text/html")];
    /// let head = ResponseHead::from_headers(200, headers).unix_time(1_700_000_000);
    /// assert_eq!(head.content_type, Some("text/event-stream")); // the first one
    /// assert_eq!(head.retry_after, Some("5"));
    /// assert_eq!(head.date, None);
    /// assert_eq!(head.reference_time(), Some(1_700_000_000));
    ///
    /// // From an owned list (or, mapped, from an `http::HeaderMap`):
    /// let owned = vec![("Date".to_string(), "Thu, 01 Jan 1970 00:01:00 GMT".to_string())];
    /// let head = ResponseHead::from_headers(503, owned.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    /// assert_eq!(head.reference_time(), Some(60));
    /// ```
    #[must_use]
    pub fn from_headers<I>(status: u16, headers: I) -> Self
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut head = ResponseHead::new(status);
        for (name, value) in headers {
            let slot = if name.eq_ignore_ascii_case("content-type") {
                &mut head.content_type
            } else if name.eq_ignore_ascii_case("retry-after") {
                &mut head.retry_after
            } else if name.eq_ignore_ascii_case("date") {
                &mut head.date
            } else {
                continue;
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        head
    }

    /// Sets [`unix_time`](Self::unix_time) from the system clock (`std`); leaves it unset if
    /// the clock reads before 1970.
    ///
    /// ```
    /// let head = sse_proto::client::ResponseHead::new(503).unix_time_now();
    /// assert!(head.unix_time.unwrap() > 1_600_000_000);
    /// ```
    #[cfg(feature = "std")]
    #[must_use]
    pub fn unix_time_now(mut self) -> Self {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        if let Ok(since) = now {
            self.unix_time = Some(since.as_secs());
        }
        self
    }

    /// The time an HTTP-date `Retry-After` is measured from: the `Date` header if it
    /// parses, else [`unix_time`](Self::unix_time).
    ///
    /// ```
    /// use sse_proto::client::ResponseHead;
    ///
    /// let head = ResponseHead::new(503).unix_time(1_000);
    /// assert_eq!(head.reference_time(), Some(1_000)); // no Date: the caller's clock
    /// let dated = head.date("Sun, 06 Nov 1994 08:49:37 GMT");
    /// assert_eq!(dated.reference_time(), Some(784_111_777)); // a valid Date wins
    /// assert_eq!(head.date("yesterday").reference_time(), Some(1_000)); // an invalid one does not
    /// assert_eq!(ResponseHead::new(503).reference_time(), None);
    /// ```
    #[must_use]
    pub fn reference_time(&self) -> Option<u64> {
        self.date.and_then(parse_http_date).or(self.unix_time)
    }
}

/// How a connection failed at the transport level (below HTTP): what a driver tells
/// [`Client::handle_transport_error`](crate::client::Client::handle_transport_error), which
/// decides from it whether to reconnect. It is the kind of failure, not the failure itself
/// (which the driver keeps, with its own message).
///
/// ```
/// use sse_proto::client::TransportError;
///
/// assert_ne!(TransportError::Transient, TransportError::Futile);
/// assert_eq!(TransportError::Futile.to_string(), "the connection failed and reconnecting is futile");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportError {
    /// DNS, refused, reset, TLS, a read error mid-stream: reconnect (C8, C12).
    Transient,
    /// The caller knows reconnecting is futile (an unsupported scheme, an invalid URL):
    /// fail for good (C8, C2).
    Futile,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportError::Transient => "the connection failed",
            TransportError::Futile => "the connection failed and reconnecting is futile",
        })
    }
}

impl core::error::Error for TransportError {}

impl TransportError {
    /// How to treat an I/O error from opening or reading a connection (`std`): an error of
    /// kind `InvalidInput` or `Unsupported` (a URL or scheme the connector cannot handle) is
    /// [`Futile`](Self::Futile); everything else — refused, reset, timed out, DNS, TLS,
    /// a malformed response — is [`Transient`](Self::Transient): the server or the network
    /// may recover, so reconnect (C8, C12).
    ///
    /// ```
    /// use std::io::{Error, ErrorKind};
    /// use sse_proto::client::TransportError;
    ///
    /// assert_eq!(TransportError::from_io_error(&Error::from(ErrorKind::ConnectionRefused)), TransportError::Transient);
    /// assert_eq!(TransportError::from_io_error(&Error::new(ErrorKind::InvalidData, "bad chunk")), TransportError::Transient);
    /// assert_eq!(TransportError::from_io_error(&Error::new(ErrorKind::Unsupported, "https")), TransportError::Futile);
    /// assert_eq!(TransportError::from_io_error(&Error::from(ErrorKind::InvalidInput)), TransportError::Futile);
    /// ```
    #[cfg(feature = "std")]
    #[must_use]
    pub fn from_io_error(error: &std::io::Error) -> TransportError {
        match error.kind() {
            std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported => {
                TransportError::Futile
            }
            _ => TransportError::Transient,
        }
    }
}

/// An input that makes no sense in the client's current state. The input is ignored and
/// the client's state is unchanged; nothing is queued.
///
/// Inputs about a connection the client already gave up (after an idle timeout,
/// [`reconnect_now`](crate::Client::reconnect_now) or a server error) are
/// [`Stale`](Self::Stale): every input names its [`AttemptId`](crate::client::AttemptId).
/// After [`close`](crate::Client::close) everything is [`Closed`](Self::Closed). The caller
/// may log and drop them.
///
/// ```
/// use sse_proto::client::{InputError, Instant};
/// use sse_proto::{Client, ClientConfig};
///
/// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
/// // Bytes before any response:
/// let attempt = client.attempt();
/// assert_eq!(client.handle_body(Instant::EPOCH, attempt, b"data: x\n\n"), Err(InputError::NotOpen));
/// # Ok::<(), sse_proto::client::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputError {
    /// The client is CLOSED: nothing happens any more (C15, C26).
    Closed,
    /// A response head, but no request is waiting for one (none was asked for since the
    /// last response, or the client is waiting to reconnect).
    UnexpectedResponse,
    /// Body bytes or the end of a body, but no stream is open.
    NotOpen,
    /// A transport error, but there is no connection (the client is waiting to reconnect).
    NoConnection,
    /// The input names an attempt other than the latest one
    /// ([`Client::attempt`](crate::Client::attempt)): it is about a connection the client
    /// already gave up. Drop it (and that connection).
    Stale,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputError::Closed => "the client is closed",
            InputError::UnexpectedResponse => "no request is waiting for a response",
            InputError::NotOpen => "no stream is open",
            InputError::NoConnection => "there is no connection",
            InputError::Stale => "the input is about an earlier connection attempt",
        })
    }
}

impl core::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The driver-independent glue from a header list to a head.
    #[test]
    fn head_from_headers_takes_the_first_of_each_and_ignores_the_rest() {
        let headers = [
            ("X-Content-Type", "text/html"),
            ("DATE", "Thu, 01 Jan 1970 00:01:00 GMT"),
            ("Content-type", "text/event-stream; charset=utf-8"),
            ("retry-after", "Thu, 01 Jan 1970 00:02:00 GMT"),
            ("Retry-After", "1"),
            ("content-type", "text/plain"),
        ];
        let head = ResponseHead::from_headers(503, headers);
        assert_eq!(head.status, 503);
        assert_eq!(head.content_type, Some("text/event-stream; charset=utf-8"));
        assert_eq!(head.retry_after, Some("Thu, 01 Jan 1970 00:02:00 GMT"));
        assert_eq!(head.reference_time(), Some(60));
        assert_eq!(head.unix_time, None);
        assert_eq!(
            ResponseHead::from_headers(204, []),
            ResponseHead::new(204),
            "no headers: nothing set"
        );
    }

    #[cfg(feature = "std")]
    #[test]
    fn io_errors_are_transient_unless_the_request_cannot_work() {
        use std::io::{Error, ErrorKind};
        for kind in [
            ErrorKind::ConnectionRefused,
            ErrorKind::ConnectionReset,
            ErrorKind::TimedOut,
            ErrorKind::UnexpectedEof,
            ErrorKind::InvalidData,
            ErrorKind::NotFound,
            ErrorKind::Other,
        ] {
            assert_eq!(
                TransportError::from_io_error(&Error::from(kind)),
                TransportError::Transient,
                "{kind:?}"
            );
        }
        for kind in [ErrorKind::InvalidInput, ErrorKind::Unsupported] {
            assert_eq!(
                TransportError::from_io_error(&Error::from(kind)),
                TransportError::Futile,
                "{kind:?}"
            );
        }
    }
}
