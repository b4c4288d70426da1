//! The one thing the client needs from an HTTP library: send a request, get the response
//! head and a stream of body chunks.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use pin_project_lite::pin_project;

use super::error::TransportError;

/// A response body as the client reads it: byte chunks, or a transport error.
pub type BoxBody = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send + 'static>>;

/// Sends one request and resolves to the response once its head has arrived, with the
/// body left to stream. Implemented for `reqwest::Client` (0.12 and 0.13, features
/// `reqwest-0_12` and `reqwest`) and for `HyperConnector`
/// (feature `hyper`); implement it to use any other HTTP library.
///
/// The client calls it once per connection attempt, with the final request (headers
/// from the configuration and the request hook, then `Accept`, `Cache-Control` and
/// `Last-Event-ID`). Deadlines are the client's business: a connector needs none, and
/// must not put a total timeout on the request, which would cut healthy streams.
///
/// The returned future is `'static` (clone what it needs, as HTTP clients are cheap to
/// clone) so the client can keep it while it waits.
///
/// ```
/// use bytes::Bytes;
/// use futures_util::stream;
/// use sse_proto_tokio::{BoxBody, Connector, TransportError};
///
/// /// Answers every request with the same canned stream: a connector for tests.
/// struct Canned(&'static str);
///
/// impl Connector for Canned {
///     type Body = BoxBody;
///
///     fn connect(&self, _request: http::Request<Bytes>)
///         -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static
///     {
///         let body: BoxBody = Box::pin(stream::iter([Ok(Bytes::from_static(self.0.as_bytes()))]));
///         let response = http::Response::builder()
///             .header("content-type", "text/event-stream")
///             .body(body)
///             .map_err(TransportError::futile);
///         async move { response }
///     }
/// }
/// # let _ = Canned("data: hi\n\n");
/// ```
pub trait Connector: Send + Sync + 'static {
    /// The body stream.
    type Body: Stream<Item = Result<Bytes, TransportError>> + Send + 'static;

    /// Sends `request`; resolves when the response head has arrived.
    fn connect(
        &self,
        request: http::Request<Bytes>,
    ) -> impl Future<Output = Result<http::Response<Self::Body>, TransportError>> + Send + 'static;
}

pin_project! {
    /// A body stream with its errors mapped to [`TransportError`]: what connectors return.
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::{MapTransportError, TransportError};
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([Err::<bytes::Bytes, _>(std::io::Error::other("reset"))]);
    /// let mut body = MapTransportError::new(body, TransportError::from_io);
    /// assert!(!body.next().await.unwrap().unwrap_err().is_futile());
    /// # }).unwrap();
    /// ```
    #[derive(Debug)]
    #[must_use = "streams do nothing unless polled"]
    pub struct MapTransportError<S, F> {
        #[pin]
        stream: S,
        map: F,
    }
}

impl<S, F> MapTransportError<S, F> {
    /// Maps the errors of `stream` with `map`.
    ///
    /// ```
    /// use futures_util::stream;
    /// use sse_proto_tokio::{MapTransportError, TransportError};
    ///
    /// let body = stream::iter([Ok::<bytes::Bytes, std::io::Error>(bytes::Bytes::new())]);
    /// let _ = MapTransportError::new(body, TransportError::from_io);
    /// ```
    pub fn new(stream: S, map: F) -> Self {
        MapTransportError { stream, map }
    }
}

impl<S, F, B, E> Stream for MapTransportError<S, F>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
    F: FnMut(E) -> TransportError,
{
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.project();
        Poll::Ready(
            ready!(this.stream.poll_next(cx))
                .map(|item| item.map(Into::into).map_err(|e| (this.map)(e))),
        )
    }
}

/// Whether `error` comes from hyper-util's plain-HTTP connector refusing an `https` URL
/// (reqwest or hyper without TLS): no retry can cure that. hyper-util exposes no type
/// for it, so its message is matched (best effort: on a mismatch the client retries).
#[cfg(any(feature = "reqwest", feature = "reqwest-0_12", feature = "hyper"))]
pub(crate) fn is_plain_http_refusing_https(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        if error.to_string() == "invalid URL, scheme is not http" {
            return true;
        }
        next = error.source();
    }
    false
}
