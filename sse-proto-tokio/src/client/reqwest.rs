//! [`Connector`] for `reqwest::Client`, 0.13 (feature `reqwest`) and 0.12 (feature
//! `reqwest-0_12`): the same code for both, instantiated by a macro.
//!
//! reqwest's `timeout` is a *total* deadline that also runs while the body streams, so it
//! cuts healthy streams: leave it unset on the client you pass, and use the event
//! source's connect, first-byte and idle timeouts instead. `connect_timeout` and
//! `read_timeout` (per read) on the reqwest client are safe.
//!
//! Redirects follow the reqwest client's own policy (by default up to 10; to another host
//! or port it drops `Authorization`, `Proxy-Authorization` and `Cookie`, but sends
//! `Last-Event-ID` along). `HyperConnector` keeps `Last-Event-ID` within its origin, as
//! the core's redirect rules do.

use bytes::Bytes;

use super::connector::{is_plain_http_refusing_https, Connector, MapTransportError};
use super::error::TransportError;
use crate::stream::BodyData;

macro_rules! reqwest_connector {
    ($reqwest:ident, $feature:literal) => {
        #[cfg_attr(docsrs, doc(cfg(feature = $feature)))]
        impl Connector for $reqwest::Client {
            type Body = MapTransportError<
                BodyData<$reqwest::Body>,
                fn($reqwest::Error) -> TransportError,
            >;

            fn connect(
                &self,
                request: http::Request<Bytes>,
            ) -> impl std::future::Future<
                Output = Result<http::Response<Self::Body>, TransportError>,
            > + Send
                   + 'static {
                fn classify(error: $reqwest::Error) -> TransportError {
                    // A request reqwest cannot build (bad URL, scheme) never will, nor can
                    // an `https` URL on a reqwest built without TLS.
                    if error.is_builder() || is_plain_http_refusing_https(&error) {
                        TransportError::futile(error)
                    } else {
                        TransportError::new(error)
                    }
                }
                let client = self.clone();
                async move {
                    let request = $reqwest::Request::try_from(request).map_err(classify)?;
                    let response = client.execute(request).await.map_err(classify)?;
                    let map: fn($reqwest::Error) -> TransportError = classify;
                    Ok(http::Response::from(response)
                        .map(|body| MapTransportError::new(BodyData::new(body), map)))
                }
            }
        }
    };
}

#[cfg(feature = "reqwest")]
reqwest_connector!(reqwest, "reqwest");
#[cfg(feature = "reqwest-0_12")]
reqwest_connector!(reqwest_0_12, "reqwest-0_12");
