//! The name of one connection attempt, so that inputs can say which one they are about.

use core::fmt;

/// Which connection attempt an input is about.
///
/// Every [`Output::Connect`](crate::client::Output::Connect) starts a new attempt and its
/// [`Request::attempt`](crate::client::Request::attempt) names it. Give that name back
/// with every input about the connection ([`handle_response`](crate::Client::handle_response),
/// [`handle_body`](crate::Client::handle_body), [`handle_body_end`](crate::Client::handle_body_end),
/// [`handle_transport_error`](crate::Client::handle_transport_error)): an input about any
/// other attempt — a late error or response from a connection the client already gave up
/// after an idle timeout or [`reconnect_now`](crate::Client::reconnect_now) — is refused
/// with [`InputError::Stale`](crate::client::InputError::Stale) and changes nothing, however
/// the inputs are ordered.
///
/// Attempts are numbered from 1 in the order of the `Connect`s;
/// [`Client::attempt`](crate::Client::attempt) is the latest one.
///
/// ```
/// use sse_proto::client::{InputError, Instant, Output, ResponseHead, TransportError};
/// use sse_proto::{Client, ClientConfig};
///
/// let now = Instant::EPOCH;
/// let mut client = Client::new(ClientConfig::new("http://h/"), now)?;
/// let Some(Output::Connect(first)) = client.poll_output() else { unreachable!() };
/// client.reconnect_now(now)?; // give the first connection up
/// let Some(Output::Connect(second)) = client.poll_output() else { unreachable!() };
/// assert_eq!((first.attempt().number(), second.attempt().number()), (1, 2));
///
/// // The first connection's late error cannot abort the second attempt:
/// let late = client.handle_transport_error(now, first.attempt(), TransportError::Transient);
/// assert_eq!(late, Err(InputError::Stale));
/// let head = ResponseHead::new(200).content_type("text/event-stream");
/// client.handle_response(now, second.attempt(), &head)?;
/// assert_eq!(client.poll_output(), Some(Output::Open));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttemptId(pub(crate) u64);

impl AttemptId {
    /// The attempt's number: 1 for the first `Connect`, then counting every `Connect`.
    ///
    /// ```
    /// use sse_proto::{client::Instant, Client, ClientConfig};
    ///
    /// let client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.attempt().number(), 1);
    /// # Ok::<(), sse_proto::client::ConfigError>(())
    /// ```
    #[must_use]
    pub const fn number(self) -> u64 {
        self.0
    }
}

impl fmt::Display for AttemptId {
    /// ```
    /// # use sse_proto::{client::Instant, Client, ClientConfig};
    /// let client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.attempt().to_string(), "attempt 1");
    /// # Ok::<(), sse_proto::client::ConfigError>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attempt {}", self.0)
    }
}
