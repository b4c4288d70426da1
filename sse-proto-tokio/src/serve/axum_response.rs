//! axum's `IntoResponse` for the body (feature `axum`).

use axum::response::{IntoResponse, Response};
use futures_core::Stream;

use super::{IntoEncoded, Sse};

/// Returns the body from an axum handler with the proxy-safe headers (see [`Sse`]).
///
/// ```
/// use axum::response::IntoResponse;
/// use sse_proto_tokio::serve::{channel, Sse};
///
/// let (_sender, receiver) = channel(16);
/// let response = Sse::new(receiver).into_response();
/// assert_eq!(response.headers()["content-type"], "text/event-stream");
/// assert_eq!(response.headers()["cache-control"], "no-cache, no-transform");
/// assert_eq!(response.headers()["x-accel-buffering"], "no");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
impl<S, T> IntoResponse for Sse<S>
where
    S: Stream<Item = T> + Send + 'static,
    T: IntoEncoded + 'static,
{
    fn into_response(self) -> Response {
        let mut response = Response::new(axum::body::Body::new(self));
        super::body::set_headers(response.headers_mut());
        response
    }
}
