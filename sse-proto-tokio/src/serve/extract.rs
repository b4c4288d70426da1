//! axum's `LastEventId` extractor (feature `axum`).

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use http::request::Parts;

/// The `Last-Event-ID` a reconnecting client sent, as an axum extractor: put it in a
/// handler's arguments and resume after it. It never rejects a request: without a usable
/// id it is `LastEventId(None)`, a client starting afresh.
///
/// Where it looks, first match wins:
///
/// 1. the `Last-Event-ID` header, read as UTF-8 as [`last_event_id`](super::last_event_id)
///    reads it (what an EventSource sends on every reconnect, the exact UTF-8 string:
///    WHATWG HTML §9.2.3–9.2.4; rules C14 and C17 of sse-proto's `spec-vectors/RULES.md`);
/// 2. else the query parameter `lastEventId` (or `last_event_id`), percent-decoded: what
///    the common `event-source-polyfill` package sends *instead of* the header, and how a
///    page resumes a stream it opens anew (after a reload, from an id it kept). When the
///    parameter appears more than once the last one counts (the polyfill appends its own
///    after any the page put in the URL).
///
/// The header comes first because it is the newer of the two: a browser's EventSource
/// reconnects to the same URL, so a `?lastEventId=` the page chose once stays in it while
/// the header carries the id of the last event actually received. A query value that is
/// empty, not UTF-8 once decoded, or holds NUL, CR or LF (no stream could have set such an
/// id: rule C18) counts as absent.
///
/// (Not to be confused with the core's [`sse_proto::LastEventId`], the block that *sets*
/// a client's last event ID.)
///
/// ```
/// use axum::{extract::FromRequestParts, routing::get, Router};
/// use sse_proto_tokio::hub::{Hub, Subscription};
/// use sse_proto_tokio::serve::{LastEventId, Sse};
///
/// let hub = Hub::default();
/// let app: Router = Router::new().route("/news", get({
///     let hub = hub.clone();
///     // Replays what the client missed, then live events.
///     move |LastEventId(last): LastEventId| async move {
///         Sse::new(hub.subscribe("news", last.as_deref()))
///     }
/// }));
/// # drop(app);
///
/// // What the handler gets, for three requests:
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// async fn extract(request: http::Request<()>) -> Option<String> {
///     let (mut parts, ()) = request.into_parts();
///     let Ok(LastEventId(last)) = LastEventId::from_request_parts(&mut parts, &()).await;
///     last
/// }
/// let reconnect = http::Request::get("/news").header("last-event-id", "k3x9q2ab-7");
/// assert_eq!(extract(reconnect.body(()).unwrap()).await.as_deref(), Some("k3x9q2ab-7"));
/// let polyfill = http::Request::get("/news?lastEventId=caf%C3%A9%207");
/// assert_eq!(extract(polyfill.body(()).unwrap()).await.as_deref(), Some("café 7"));
/// let first = http::Request::get("/news");
/// assert_eq!(extract(first.body(()).unwrap()).await, None);
/// # });
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub struct LastEventId(pub Option<String>);

impl LastEventId {
    /// The id, borrowed: what [`Hub::subscribe`](crate::hub::Hub::subscribe) takes.
    ///
    /// ```
    /// use sse_proto_tokio::serve::LastEventId;
    ///
    /// assert_eq!(LastEventId(Some("7".into())).as_deref(), Some("7"));
    /// assert_eq!(LastEventId(None).as_deref(), None);
    /// ```
    #[must_use]
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// The id, owned.
    ///
    /// ```
    /// use sse_proto_tokio::serve::LastEventId;
    ///
    /// let last: Option<u64> = LastEventId(Some("41".into())).into_inner().and_then(|id| id.parse().ok());
    /// assert_eq!(last, Some(41));
    /// ```
    #[must_use]
    pub fn into_inner(self) -> Option<String> {
        self.0
    }

    /// What the extractor finds in a request's head (see the type docs for where it looks).
    fn from_parts(parts: &Parts) -> Self {
        if let Some(id) = super::last_event_id(&parts.headers) {
            return LastEventId(Some(id.to_owned()));
        }
        LastEventId(parts.uri.query().and_then(from_query))
    }
}

/// Never rejects: a request without a usable id is a client starting afresh.
///
/// ```
/// use axum::extract::FromRequestParts;
/// use sse_proto_tokio::serve::LastEventId;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let request = http::Request::get("/events?lastEventId=5&topic=news")
///     .header("last-event-id", "9") // the header wins: it is what the client last received
///     .body(())
///     .unwrap();
/// let (mut parts, ()) = request.into_parts();
/// let extracted = LastEventId::from_request_parts(&mut parts, &()).await;
/// assert_eq!(extracted, Ok(LastEventId(Some("9".into()))));
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
impl<S: Send + Sync> FromRequestParts<S> for LastEventId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(LastEventId::from_parts(parts))
    }
}

/// The last `lastEventId` or `last_event_id` parameter of a query, decoded; `None` when
/// there is none or the last one is not a usable id.
fn from_query(query: &str) -> Option<String> {
    // From the end: the last parameter counts.
    let value = query.rsplit('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        matches!(name, "lastEventId" | "last_event_id").then_some(value)
    })?;
    let id = String::from_utf8(form_decode(value)).ok()?;
    // No stream could have set an id with NUL, CR or LF (the core's own check).
    let usable = !id.is_empty() && sse_proto::encode::IdError::check(&id).is_ok();
    usable.then_some(id)
}

/// `application/x-www-form-urlencoded` value decoding, as browsers' `URLSearchParams` and
/// servers' form parsers do it: `+` is a space, `%XX` a byte, and a `%` not followed by
/// two hex digits is kept as it is.
fn form_decode(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = match bytes[i] {
            b'+' => b' ',
            b'%' => match (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            ) {
                (Some(high), Some(low)) => {
                    i += 2;
                    high << 4 | low
                }
                _ => b'%',
            },
            other => other,
        };
        out.push(byte);
        i += 1;
    }
    out
}

fn hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{form_decode, from_query};

    #[test]
    fn form_decoding_follows_url_search_params() {
        assert_eq!(form_decode("a+b%20c%2Bd"), b"a b c+d");
        assert_eq!(form_decode("caf%C3%a9"), "café".as_bytes());
        assert_eq!(form_decode("100%"), b"100%");
        assert_eq!(form_decode("%4"), b"%4");
        assert_eq!(form_decode("%zz%41"), b"%zzA");
        assert_eq!(form_decode(""), b"");
    }

    #[test]
    fn the_last_usable_parameter_counts() {
        assert_eq!(from_query("lastEventId=5").as_deref(), Some("5"));
        assert_eq!(from_query("last_event_id=5").as_deref(), Some("5"));
        assert_eq!(
            from_query("topic=a&lastEventId=5&lastEventId=9").as_deref(),
            Some("9")
        );
        assert_eq!(
            from_query("lastEventId=5&last_event_id=9").as_deref(),
            Some("9")
        );
        // Other names, even close ones, are not it.
        assert_eq!(from_query("lastEventID=5&lasteventid=5&id=5"), None);
        assert_eq!(from_query("lastEventId"), None); // no value at all
                                                     // Not usable: empty, not UTF-8, a line break or NUL.
        assert_eq!(from_query("lastEventId="), None);
        assert_eq!(from_query("lastEventId=%FF"), None);
        assert_eq!(from_query("lastEventId=a%0Ab"), None);
        assert_eq!(from_query("lastEventId=a%0Db"), None);
        assert_eq!(from_query("lastEventId=a%00b"), None);
    }
}
