//! [`Connector`] over hyper-util's legacy client (feature `hyper`), plain HTTP by default
//! and any hyper-util connector (hyper-rustls, hyper-tls) for TLS.

use bytes::Bytes;
use http::header::{
    AUTHORIZATION, CONTENT_ENCODING, CONTENT_LANGUAGE, CONTENT_LENGTH, CONTENT_LOCATION,
    CONTENT_TYPE, COOKIE, LOCATION, PROXY_AUTHORIZATION,
};
use http::{HeaderMap, Method, StatusCode, Uri, Version};
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
/// Redirects are followed as the Fetch standard does for an `EventSource` (301, 302, 303,
/// 307 and 308, at most 20 in a row): a 303, or a 301 or 302 answering a `POST`, goes on
/// as a `GET` without the body; a redirect to another origin drops `Authorization`,
/// `Proxy-Authorization`, `Cookie` and `Last-Event-ID`. A redirect whose `Location` is
/// missing or not a valid `http`/`https` URL reference is not followed: the client gets
/// the 3xx, and fails on it. More than 20 is a (retryable) transport error.
///
/// ```
/// use sse_proto_tokio::{Event, EventSource, HyperConnector};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
/// # // A server on 127.0.0.1 that answers one request with one event.
/// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
/// # let url = format!("http://{}/events", listener.local_addr().unwrap());
/// # tokio::spawn(async move {
/// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// #     let (mut socket, _) = listener.accept().await.unwrap();
/// #     let _ = socket.read(&mut [0; 4096]).await;
/// #     let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 26\r\n\r\nevent: greeting\ndata: hi\n\n").await;
/// # });
/// let mut events = EventSource::new(HyperConnector::new(), url)?;
/// let Some(Ok(Event::Message(message))) = events.next().await else { panic!() };
/// assert_eq!((message.event_type.as_str(), message.data.as_str()), ("greeting", "hi"));
/// # Ok(()) }
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
    /// use sse_proto_tokio::{Connector, HyperConnector};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::TransportError> {
    /// # // A server on 127.0.0.1 that answers one request with one event.
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// # let url = format!("http://{}/events", listener.local_addr().unwrap());
    /// # tokio::spawn(async move {
    /// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// #     let (mut socket, _) = listener.accept().await.unwrap();
    /// #     let _ = socket.read(&mut [0; 4096]).await;
    /// #     let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 26\r\n\r\nevent: greeting\ndata: hi\n\n").await;
    /// # });
    /// let connector = HyperConnector::new();
    /// let response = connector.connect(http::Request::get(url).body(bytes::Bytes::new()).unwrap()).await?;
    /// assert_eq!(response.headers()["content-type"], "text/event-stream");
    /// // No TLS: an `https` URL can never work, and says so.
    /// let https = http::Request::get("https://127.0.0.1:9/").body(bytes::Bytes::new()).unwrap();
    /// assert!(connector.connect(https).await.unwrap_err().is_futile());
    /// # Ok(()) }
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
    /// Its type names `hyper-util` 0.1 and `http-body-util` 0.1, which are not 1.0 yet: a
    /// new minor version of either, if it changes these types, will come in under a feature
    /// of its own (as `reqwest-0_12` beside `reqwest`), not by changing this one.
    ///
    /// ```
    /// use hyper_util::client::legacy::Client;
    /// use hyper_util::rt::TokioExecutor;
    /// use sse_proto_tokio::{Event, EventSource, HyperConnector};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # // A server on 127.0.0.1 that answers one request with one event.
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// # let url = format!("http://{}/events", listener.local_addr().unwrap());
    /// # tokio::spawn(async move {
    /// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// #     let (mut socket, _) = listener.accept().await.unwrap();
    /// #     let _ = socket.read(&mut [0; 4096]).await;
    /// #     let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 26\r\n\r\nevent: greeting\ndata: hi\n\n").await;
    /// # });
    /// let client = Client::builder(TokioExecutor::new()).http1_title_case_headers(true).build_http();
    /// let mut events = EventSource::new(HyperConnector::from_client(client), url)?;
    /// assert!(matches!(events.next().await, Some(Ok(Event::Message(m))) if m.data == "hi"));
    /// # Ok(()) }
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
            let (parts, body) = request.into_parts();
            let mut next = Hop {
                method: parts.method,
                uri: parts.uri,
                version: parts.version,
                headers: parts.headers,
                body,
            };
            for _ in 0..=MAX_REDIRECTS {
                check_uri(&next.uri, plain_http)?;
                let response = client.request(next.request()).await.map_err(|error| {
                    if is_plain_http_refusing_https(&error) {
                        TransportError::futile(error)
                    } else {
                        TransportError::new(error)
                    }
                })?;
                match redirect_target(&next.uri, &response) {
                    Some(target) => next.redirect(response.status(), target),
                    None => {
                        let map: fn(hyper::Error) -> TransportError = classify;
                        return Ok(
                            response.map(|body| MapTransportError::new(BodyData::new(body), map))
                        );
                    }
                }
            }
            Err(TransportError::new(format!(
                "more than {MAX_REDIRECTS} redirects in a row"
            )))
        }
    }
}

/// The most redirects followed in a row (Fetch's limit).
const MAX_REDIRECTS: usize = 20;

/// One request of a chain of redirects: what the next one is built from.
struct Hop {
    method: Method,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
    body: Bytes,
}

impl Hop {
    fn request(&self) -> http::Request<Full<Bytes>> {
        let mut request = http::Request::new(Full::new(self.body.clone()));
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.version_mut() = self.version;
        *request.headers_mut() = self.headers.clone();
        request
    }

    /// Fetch's HTTP-redirect fetch, applied to the next request.
    fn redirect(&mut self, status: StatusCode, target: Uri) {
        let to_get = (status == StatusCode::SEE_OTHER
            && self.method != Method::GET
            && self.method != Method::HEAD)
            || (matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
                && self.method == Method::POST);
        if to_get {
            self.method = Method::GET;
            self.body = Bytes::new();
            for name in [
                CONTENT_ENCODING,
                CONTENT_LANGUAGE,
                CONTENT_LOCATION,
                CONTENT_TYPE,
                CONTENT_LENGTH,
            ] {
                self.headers.remove(name);
            }
        }
        if origin(&self.uri) != origin(&target) {
            // Credentials, and the position in this origin's stream, stay with it.
            for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
                self.headers.remove(name);
            }
            self.headers.remove("last-event-id");
        }
        self.uri = target;
    }
}

/// Where `response` redirects a request for `current` to, if it is a redirect to follow:
/// a 301, 302, 303, 307 or 308 with a `Location` that resolves against `current` to an
/// `http` or `https` URL (its fragment dropped).
fn redirect_target<B>(current: &Uri, response: &http::Response<B>) -> Option<Uri> {
    if !matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    if location.is_empty() {
        return None;
    }
    let base = url::Url::parse(&current.to_string()).ok()?;
    let mut target = base.join(location).ok()?;
    if !matches!(target.scheme(), "http" | "https") {
        return None;
    }
    target.set_fragment(None);
    target.as_str().parse().ok()
}

/// A URI's origin: scheme, host and port (the scheme's default if none is given).
fn origin(uri: &Uri) -> (Option<&str>, Option<String>, Option<u16>) {
    let scheme = uri.scheme_str();
    let port = uri.port_u16().or(match scheme {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    });
    (scheme, uri.host().map(str::to_ascii_lowercase), port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, location: Option<&str>) -> http::Response<()> {
        let mut response = http::Response::builder().status(status);
        if let Some(location) = location {
            response = response.header(LOCATION, location);
        }
        response.body(()).unwrap()
    }

    #[test]
    fn redirect_targets_resolve_against_the_current_url() {
        let current: Uri = "http://a.test:8080/feed/events?x=1".parse().unwrap();
        let target = |status, location| redirect_target(&current, &response(status, location));
        for status in [301, 302, 303, 307, 308] {
            assert_eq!(
                target(status, Some("/moved#frag")),
                Some("http://a.test:8080/moved".parse().unwrap()),
                "{status}"
            );
        }
        assert_eq!(
            target(307, Some("other?y=2")),
            Some("http://a.test:8080/feed/other?y=2".parse().unwrap())
        );
        assert_eq!(
            target(307, Some("//b.test/x")),
            Some("http://b.test/x".parse().unwrap())
        );
        assert_eq!(
            target(308, Some("https://b.test/x")),
            Some("https://b.test/x".parse().unwrap())
        );
        // Not followed (C9, C24): not a redirect, no or empty Location, not HTTP, invalid.
        assert_eq!(target(200, Some("/x")), None);
        assert_eq!(target(300, Some("/x")), None);
        assert_eq!(target(304, Some("/x")), None);
        assert_eq!(target(307, None), None);
        assert_eq!(target(307, Some("")), None);
        assert_eq!(target(307, Some("ftp://b.test/x")), None);
        assert_eq!(target(307, Some("http://[::1")), None);
    }

    fn hop(method: Method) -> Hop {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("authorization", "Bearer t"),
            ("proxy-authorization", "Basic p"),
            ("cookie", "c=1"),
            ("last-event-id", "7"),
            ("content-type", "application/json"),
            ("x-kept", "yes"),
        ] {
            headers.insert(name, value.parse().unwrap());
        }
        Hop {
            method,
            uri: "http://a.test/feed".parse().unwrap(),
            version: Version::HTTP_11,
            headers,
            body: Bytes::from_static(b"{}"),
        }
    }

    #[test]
    fn a_redirect_keeps_or_drops_the_method_body_and_headers_as_fetch_does() {
        let same = || "http://a.test:80/moved".parse::<Uri>().unwrap();
        let other = || "http://a.test:81/moved".parse::<Uri>().unwrap();
        // 307 and 308 keep the method and body; within the origin, every header.
        for status in [
            StatusCode::TEMPORARY_REDIRECT,
            StatusCode::PERMANENT_REDIRECT,
        ] {
            let mut next = hop(Method::POST);
            next.redirect(status, same());
            assert_eq!(
                (next.method.clone(), &next.body[..]),
                (Method::POST, &b"{}"[..])
            );
            assert_eq!(next.headers.len(), 6);
            assert_eq!(next.uri, same());
        }
        // 303 (but for GET and HEAD), and 301 or 302 after a POST, go on as a body-less GET.
        for (status, method, to_get) in [
            (StatusCode::SEE_OTHER, Method::POST, true),
            (StatusCode::SEE_OTHER, Method::PUT, true),
            (StatusCode::SEE_OTHER, Method::GET, false),
            (StatusCode::MOVED_PERMANENTLY, Method::POST, true),
            (StatusCode::FOUND, Method::POST, true),
            (StatusCode::FOUND, Method::PUT, false),
        ] {
            let mut next = hop(method.clone());
            next.redirect(status, same());
            assert_eq!(next.method == Method::GET, to_get || method == Method::GET);
            assert_eq!(next.body.is_empty(), to_get, "{status} {method}");
            assert_eq!(next.headers.contains_key(CONTENT_TYPE), !to_get);
        }
        // Another origin (another port is enough): credentials and the id stay behind.
        let mut next = hop(Method::GET);
        next.redirect(StatusCode::TEMPORARY_REDIRECT, other());
        let mut left: Vec<_> = next.headers.keys().map(|k| k.as_str()).collect();
        left.sort_unstable();
        assert_eq!(left, ["content-type", "x-kept"]);
    }

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
