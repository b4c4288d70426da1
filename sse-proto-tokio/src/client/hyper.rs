//! [`Connector`] over hyper-util's legacy client (feature `hyper`), plain HTTP by default
//! and any hyper-util connector (hyper-rustls, hyper-tls) for TLS.

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::connector::{Connector, MapTransportError};
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
}

impl HyperConnector {
    /// A plain-HTTP connector (HTTP/1.1, connection pooling).
    ///
    /// ```
    /// let _connector = sse_proto_tokio::HyperConnector::new();
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::from_client(Client::builder(TokioExecutor::new()).build_http())
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
        HyperConnector { client }
    }
}

fn classify(error: hyper::Error) -> TransportError {
    TransportError::new(error)
}

/// A URI no connector can reach (relative, or a scheme other than HTTP's) is futile.
fn check_uri(uri: &http::Uri) -> Result<(), TransportError> {
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    if scheme_ok && uri.host().is_some() {
        Ok(())
    } else {
        Err(TransportError::futile(format!(
            "cannot connect to {uri:?}: an absolute http or https URL is required"
        )))
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
        async move {
            check_uri(request.uri())?;
            let response = client
                .request(request.map(Full::new))
                .await
                .map_err(TransportError::new)?;
            let map: fn(hyper::Error) -> TransportError = classify;
            Ok(response.map(|body| MapTransportError::new(BodyData::new(body), map)))
        }
    }
}
