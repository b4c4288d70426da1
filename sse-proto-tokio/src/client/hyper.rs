//! [`Connector`] over hyper-util's legacy client (feature `hyper`), plain HTTP by default
//! and any hyper-util connector (hyper-rustls, hyper-tls) for TLS.

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::connector::{is_plain_http_refusing_https, Connector, MapTransportError};
use super::error::TransportError;
use crate::stream::BodyData;

/// A [`Connector`] on hyper 1 through `hyper_util::client::legacy::Client`.
///
/// [`new`](Self::new) speaks plain HTTP/1.1; for `https` build a hyper-util client over a
/// TLS connector (hyper-rustls's `HttpsConnector`, say) and pass it to
/// [`from_client`](Self::from_client).
///
/// ```
/// use sse_proto_tokio::{EventSource, HyperConnector};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let events = EventSource::new(HyperConnector::new(), "http://127.0.0.1:9/events");
/// # drop(events); }
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "hyper")))]
pub struct HyperConnector<C = HttpConnector> {
    client: Client<C, Full<Bytes>>,
    /// Built by [`HyperConnector::new`]: no TLS, so `https` can never work.
    plain_http: bool,
}

impl HyperConnector {
    /// A plain-HTTP connector (HTTP/1.1, connection pooling).
    ///
    /// ```
    /// let _connector = sse_proto_tokio::HyperConnector::new();
    /// ```
    #[must_use]
    pub fn new() -> Self {
        HyperConnector {
            client: Client::builder(TokioExecutor::new()).build_http(),
            plain_http: true,
        }
    }
}

impl Default for HyperConnector {
    fn default() -> Self {
        Self::new()
    }
}

impl<C> HyperConnector<C> {
    /// A connector over a hyper-util client you built (for TLS, proxies, pool settings).
    ///
    /// ```
    /// use hyper_util::client::legacy::Client;
    /// use hyper_util::rt::TokioExecutor;
    ///
    /// let client = Client::builder(TokioExecutor::new()).http1_title_case_headers(true).build_http();
    /// let _connector = sse_proto_tokio::HyperConnector::from_client(client);
    /// ```
    #[must_use]
    pub fn from_client(client: Client<C, Full<Bytes>>) -> Self {
        HyperConnector {
            client,
            plain_http: false,
        }
    }
}

fn classify(error: hyper::Error) -> TransportError {
    TransportError::new(error)
}

/// A URI the connector can never reach is futile: relative, a scheme other than HTTP's,
/// or `https` without TLS.
fn check_uri(uri: &http::Uri, plain_http: bool) -> Result<(), TransportError> {
    match uri.scheme_str() {
        _ if uri.host().is_none() => Err(TransportError::futile(format!(
            "cannot connect to {uri}: an absolute http or https URL is required"
        ))),
        Some("http") => Ok(()),
        Some("https") if !plain_http => Ok(()),
        Some("https") => Err(TransportError::futile(format!(
            "cannot connect to {uri}: HyperConnector::new() has no TLS; build one with \
             from_client over a TLS connector (hyper-rustls)"
        ))),
        _ => Err(TransportError::futile(format!(
            "cannot connect to {uri}: only http and https are supported"
        ))),
    }
}

impl<C> Connector for HyperConnector<C>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    type Body =
        MapTransportError<BodyData<hyper::body::Incoming>, fn(hyper::Error) -> TransportError>;

    fn connect(
        &self,
        request: http::Request<Bytes>,
    ) -> impl std::future::Future<Output = Result<http::Response<Self::Body>, TransportError>>
           + Send
           + 'static {
        let client = self.client.clone();
        let plain_http = self.plain_http;
        async move {
            check_uri(request.uri(), plain_http)?;
            let response = client
                .request(request.map(Full::new))
                .await
                .map_err(|error| {
                    if is_plain_http_refusing_https(&error) {
                        TransportError::futile(error)
                    } else {
                        TransportError::new(error)
                    }
                })?;
            let map: fn(hyper::Error) -> TransportError = classify;
            Ok(response.map(|body| MapTransportError::new(BodyData::new(body), map)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_uri;

    #[test]
    fn unreachable_uris_are_futile() {
        let check = |uri: &str, plain| check_uri(&uri.parse().unwrap(), plain);
        assert!(check("http://127.0.0.1:9/", true).is_ok());
        assert!(check("https://example.test/", false).is_ok());
        assert!(check("https://example.test/", true)
            .unwrap_err()
            .is_futile());
        assert!(check("ftp://example.test/", false).unwrap_err().is_futile());
        assert!(check("/relative", false).unwrap_err().is_futile());
    }
}
