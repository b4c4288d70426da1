//! The reconnect policy: what ends a stream for good when a connection ends.

use core::fmt;

/// When the client connects again after a connection ends (a policy beyond the spec,
/// D11). By default ([`Auto`](Self::Auto)) the spec's [`Always`](Self::Always) for the
/// spec's request, a GET without a body, and [`OnError`](Self::OnError) for any other.
///
/// One-shot streams — an LLM completion or an MCP response, sent as a POST that the
/// server answers and then closes — must not be replayed once answered:
/// [`OnError`](Self::OnError) ends the client at a clean end of the body
/// ([`CloseReason::Ended`](crate::client::CloseReason::Ended)) and reconnects only after
/// a failure. Whatever the policy, [`max_attempts`](crate::ClientConfig::max_attempts)
/// bounds the failed attempts in a row.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use sse_proto::client::{CloseReason, Instant, Output, Reconnect, ResponseHead};
/// use sse_proto::{Client, ClientConfig};
///
/// let config = ClientConfig::new("http://h/v1/chat").method("POST").reconnect(Reconnect::OnError);
/// let mut client = Client::new(config, Instant::EPOCH)?;
/// let _ = client.poll_output(); // Connect
/// let head = ResponseHead::new(200).content_type("text/event-stream");
/// client.handle_response(Instant::EPOCH, client.attempt(), &head)?;
/// client.handle_body(Instant::EPOCH, client.attempt(), b"data: [DONE]\n\n")?;
/// client.handle_body_end(Instant::EPOCH, client.attempt())?;
/// let last = core::iter::from_fn(|| client.poll_output()).last();
/// assert_eq!(last, Some(Output::Closed(CloseReason::Ended))); // not replayed
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Reconnect {
    /// [`Always`](Self::Always) for a GET without a body (the EventSource's request);
    /// [`OnError`](Self::OnError) for any other method or a request with a body, so that
    /// a request answered in full is not sent again
    /// ([`ClientConfig::reconnect_policy`](crate::ClientConfig::reconnect_policy) tells
    /// which).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use sse_proto::client::Reconnect;
    /// use sse_proto::ClientConfig;
    ///
    /// let get = ClientConfig::new("http://h/");
    /// assert_eq!(get.reconnect, Reconnect::Auto);
    /// assert_eq!(get.reconnect_policy(), Reconnect::Always);
    /// let post = ClientConfig::new("http://h/").method("POST").body(b"{}".to_vec());
    /// assert_eq!(post.reconnect_policy(), Reconnect::OnError);
    /// # }
    /// ```
    #[default]
    Auto,
    /// After every end of a connection, clean or not (C12, C14): the EventSource model.
    Always,
    /// Only after a failure (a transport error, an idle timeout, a retried status); a
    /// clean end of the body closes the client ([`CloseReason::Ended`](crate::client::CloseReason::Ended)).
    OnError,
    /// Never: a clean end closes the client, a failure fails it
    /// ([`FailReason::MaxAttempts`](crate::client::FailReason::MaxAttempts): it gave up
    /// after one attempt).
    Never,
}

impl Reconnect {
    /// The policy for a request with this `method` and `body`: [`Auto`](Self::Auto)
    /// resolved — [`Always`](Self::Always) for a GET with an empty body,
    /// [`OnError`](Self::OnError) otherwise; any other policy as it is. (For a client
    /// that keeps its request in its own form: the crate's own
    /// [`ClientConfig::reconnect_policy`](crate::ClientConfig::reconnect_policy) is this.)
    ///
    /// ```
    /// use sse_proto::client::Reconnect;
    ///
    /// assert_eq!(Reconnect::Auto.resolve("GET", b""), Reconnect::Always);
    /// assert_eq!(Reconnect::Auto.resolve("GET", b"{}"), Reconnect::OnError);
    /// assert_eq!(Reconnect::Auto.resolve("POST", b""), Reconnect::OnError);
    /// assert_eq!(Reconnect::Never.resolve("GET", b""), Reconnect::Never);
    /// ```
    #[must_use]
    pub fn resolve(self, method: &str, body: &[u8]) -> Reconnect {
        match self {
            Reconnect::Auto if method == "GET" && body.is_empty() => Reconnect::Always,
            Reconnect::Auto => Reconnect::OnError,
            policy => policy,
        }
    }
}

impl fmt::Display for Reconnect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reconnect::Auto => "auto",
            Reconnect::Always => "always",
            Reconnect::OnError => "on error",
            Reconnect::Never => "never",
        })
    }
}
