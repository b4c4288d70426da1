//! The one thing the client needs from an HTTP library: send a request, get the response
//! head and a stream of body chunks.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use pin_project_lite::pin_project;

use super::error::TransportError;

/// A response body as the client reads it: byte chunks, or a transport error. The
/// [`Connector::Body`] of a connector that boxes its body.
///
/// ```
/// use bytes::Bytes;
/// use futures_util::{stream, StreamExt};
/// use sse_proto_tokio::{BoxBody, TransportError};
///
/// # futures_util::FutureExt::now_or_never(async {
/// let mut body: BoxBody = Box::pin(stream::iter([
///     Ok(Bytes::from_static(b"data: hi\n\n")),
///     Err(TransportError::new("connection reset")),
/// ]));
/// assert_eq!(body.next().await.unwrap().unwrap(), "data: hi\n\n");
/// assert!(body.next().await.unwrap().is_err());
/// # }).unwrap();
/// ```
pub type BoxBody = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send + 'static>>;

/// Sends one request and resolves to the response once its head has arrived, with the
/// body left to stream. Implemented for `reqwest::Client` (0.12 and 0.13, features
/// `reqwest-0_12` and `reqwest`) and for `HyperConnector`
/// (feature `hyper`); implement it to use any other HTTP library.
///
/// The client calls it once per connection attempt, with the final request (its own
/// `Accept` and `Cache-Control`, the configured headers, what the request hook changed,
/// then `Last-Event-ID`). Deadlines are the client's business: a connector needs none, and
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
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let mut events = sse_proto_tokio::EventSource::new(Canned("data: hi\n\n"), "http://h/").unwrap();
/// let first = events.next().await;
/// assert!(matches!(first, Some(Ok(sse_proto_tokio::Event::Message(m))) if m.data == "hi"));
/// # }
/// ```
pub trait Connector: Send + Sync + 'static {
    /// The body stream: byte chunks as they arrive (any split), or a [`TransportError`]
    /// for a read that failed, which the client reconnects after (unless futile). The
    /// end of the stream is the end of the body.
    ///
    /// ```
    /// use futures_util::StreamExt;
    /// use sse_proto_tokio::Connector;
    /// # use bytes::Bytes;
    /// # use futures_util::stream;
    /// # use sse_proto_tokio::{BoxBody, TransportError};
    /// # struct Canned(&'static str);
    /// # impl Connector for Canned {
    /// #     type Body = BoxBody;
    /// #     fn connect(&self, _request: http::Request<Bytes>)
    /// #         -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static
    /// #     {
    /// #         let body: BoxBody = Box::pin(stream::iter([Ok(Bytes::from_static(self.0.as_bytes()))]));
    /// #         let response = http::Response::builder().header("content-type", "text/event-stream").body(body).map_err(TransportError::futile);
    /// #         async move { response }
    /// #     }
    /// # }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::TransportError> {
    /// let response = Canned("data: hi\n\n").connect(http::Request::new(bytes::Bytes::new())).await?;
    /// let mut body = response.into_body(); // a `<Canned as Connector>::Body`
    /// assert_eq!(body.next().await.unwrap()?, "data: hi\n\n");
    /// assert!(body.next().await.is_none());
    /// # Ok(()) }
    /// ```
    type Body: Stream<Item = Result<Bytes, TransportError>> + Send + 'static;

    /// Sends `request`; resolves when the response head has arrived, whatever its status
    /// (the client reads error statuses itself).
    ///
    /// # Errors
    ///
    /// A [`TransportError`] when no response head arrives: the connection was refused
    /// or reset, or the request could not be sent. [Futile](TransportError::futile) if
    /// no retry can help (an unsupported scheme), which ends the client; otherwise
    /// [transient](TransportError::new), and the client reconnects.
    ///
    /// ```
    /// use sse_proto_tokio::Connector;
    /// # use bytes::Bytes;
    /// # use futures_util::stream;
    /// # use sse_proto_tokio::{BoxBody, TransportError};
    /// # struct Canned(&'static str);
    /// # impl Connector for Canned {
    /// #     type Body = BoxBody;
    /// #     fn connect(&self, _request: http::Request<Bytes>)
    /// #         -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>> + Send + 'static
    /// #     {
    /// #         let body: BoxBody = Box::pin(stream::iter([Ok(Bytes::from_static(self.0.as_bytes()))]));
    /// #         let response = http::Response::builder().header("content-type", "text/event-stream").body(body).map_err(TransportError::futile);
    /// #         async move { response }
    /// #     }
    /// # }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::TransportError> {
    /// let request = http::Request::post("http://h/v1/chat").body(bytes::Bytes::from("{}")).unwrap();
    /// let response = Canned("data: hi\n\n").connect(request).await?;
    /// assert_eq!(response.status(), http::StatusCode::OK);
    /// assert_eq!(response.headers()["content-type"], "text/event-stream");
    /// # Ok(()) }
    /// ```
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
    /// use futures_util::{stream, StreamExt};
    /// use sse_proto_tokio::{MapTransportError, TransportError};
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = stream::iter([
    ///     Ok(&b"data: hi\n\n"[..]),
    ///     Err(std::io::Error::from(std::io::ErrorKind::Unsupported)),
    /// ]);
    /// let mut body = MapTransportError::new(body, TransportError::from_io);
    /// assert_eq!(body.next().await.unwrap().unwrap(), "data: hi\n\n"); // into `Bytes`
    /// assert!(body.next().await.unwrap().unwrap_err().is_futile());
    /// # }).unwrap();
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
