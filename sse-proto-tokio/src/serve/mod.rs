//! Serving events: a response body with keep-alive and graceful shutdown ([`Sse`]), a
//! bounded channel with a send timeout to feed it ([`channel`]), and the encoded block
//! they carry ([`Encoded`]). For one event to many clients, see [`crate::hub`].
//!
//! # An axum endpoint
//!
//! ```
//! # #[cfg(feature = "axum")]
//! # tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap().block_on(async {
//! use axum::{routing::get, Router};
//! use sse_proto_tokio::serve::{channel, LastEventId, Receiver, Sse};
//! use sse_proto_tokio::sse_proto::Message;
//!
//! async fn ticks(LastEventId(last): LastEventId) -> Sse<Receiver> {
//!     // A reconnecting client sends the id of the last tick it got: go on after it.
//!     let start = last.and_then(|id| id.parse().ok()).map_or(1, |n: u64| n.saturating_add(1));
//!     let (sender, receiver) = channel(16);
//!     tokio::spawn(async move {
//!         for n in start..start.saturating_add(60) {
//!             let tick = Message::new(format!("tick {n}")).id(n.to_string());
//!             if sender.send(&tick).await.is_err() {
//!                 break; // the client went away, or stopped reading for 10 s
//!             }
//!             tokio::time::sleep(std::time::Duration::from_secs(1)).await;
//!         }
//!     });
//!     Sse::new(receiver) // keep-alive every 15 s, proxy-safe headers
//! }
//! let app: Router = Router::new().route("/ticks", get(ticks));
//! # drop(app);
//!
//! // What a client of /ticks reads first, new and then back with `Last-Event-ID: 5`:
//! use http_body_util::BodyExt;
//! let mut body = ticks(LastEventId(None)).await;
//! let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
//! assert_eq!(first, "id: 1\ndata: tick 1\n\n");
//! let mut body = ticks(LastEventId(Some("5".into()))).await;
//! let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
//! assert_eq!(first, "id: 6\ndata: tick 6\n\n");
//! # });
//! ```
//!
//! `LastEventId` (feature `axum`) reads the `Last-Event-ID` header, or a `lastEventId`
//! query parameter; outside axum, [`last_event_id`] reads the header.
//!
//! # JSON data
//!
//! Serialise to a `String` and make it the data, or, with [`Encoded::with_data`],
//! serialise straight into the block (one buffer, no `String` first); either way the
//! writer turns any line break into a new `data:` line. (`serde_json` here; no feature of
//! this crate is needed.)
//!
//! ```
//! use sse_proto_tokio::serve::Encoded;
//! use sse_proto_tokio::sse_proto::Message;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let quote = serde_json::json!({ "symbol": "XYZ", "price": 42 });
//! let (sender, _receiver) = sse_proto_tokio::serve::channel(16);
//!
//! let json = serde_json::to_string(&quote)?;
//! sender.send(&Message::new(json).event_type("quote")).await?;
//!
//! let event = Encoded::with_data(&Message::new("").event_type("quote"), |data| {
//!     Ok(serde_json::to_writer(data, &quote)?)
//! })?;
//! assert_eq!(event.as_bytes(), b"event: quote\ndata: {\"price\":42,\"symbol\":\"XYZ\"}\n\n");
//! sender.send_encoded(event).await?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # Heartbeats
//!
//! The keep-alive comment keeps proxies from cutting a quiet stream, but a page's script
//! never sees a comment. For a heartbeat it can see, send an event instead with
//! [`Sse::keep_alive_block`] (a named one, without an `id`):
//! `Sse::new(receiver).keep_alive_block(Encoded::new(&Message::new("").event_type("ping"))?)`.
//!
//! # Headers, proxies and compression
//!
//! The response carries `Content-Type: text/event-stream`; `Cache-Control: no-cache,
//! no-transform` (no cache serves a stale stream, and proxies that honour `no-transform`,
//! compressing ones among them, pass it through unchanged rather than buffer it);
//! `X-Accel-Buffering: no` (nginx, and proxies that copy it, then pass each event through
//! at once); and no `Connection` header (hop-by-hop: HTTP/2 forbids it and proxies strip
//! it). Each event is one body frame, which hyper writes out as soon as it is produced.
//!
//! A compression layer buffers its output until it has a block worth compressing, which
//! holds events back for minutes. tower-http's `CompressionLayer` with its default
//! predicate already skips `text/event-stream`; a custom predicate must keep doing so:
//!
//! ```text
//! use tower_http::compression::{predicate::{NotForContentType, Predicate, SizeAbove}, CompressionLayer};
//! let layer = CompressionLayer::new()
//!     .compress_when(SizeAbove::new(256).and(NotForContentType::SSE));
//! ```
//!
//! # Lifecycle
//!
//! * The client goes away: hyper drops the body; [`Sender::closed`] (or
//!   [`Sse::disconnected`]) resolves, so the producer stops.
//! * The client stops reading: the queue fills, [`Sender::send`] waits at most its send
//!   timeout, then gives the client up; nothing else waits on it. The socket itself is
//!   the server's: once it is full the body is no longer polled, so close it with a
//!   connection-level [`WriteTimeout`] (`TimeoutListener` for `axum::serve`, feature `axum`).
//! * The server shuts down: trigger a [`Shutdown`] given to every body with
//!   [`Sse::shutdown`]; each sends its closing block (a `: shutdown` comment, which
//!   dispatches nothing; [`Sse::closing`] sends an event or a `retry` instead) and ends,
//!   and the graceful shutdown completes. Clients reconnect with their `Last-Event-ID`.

mod body;
mod channel;
mod encoded;
mod shutdown;
mod write_timeout;

#[cfg(feature = "axum")]
mod axum_response;
#[cfg(feature = "axum")]
mod extract;

pub use body::{ServeError, Sse, DEFAULT_KEEP_ALIVE};
pub use channel::{channel, Receiver, SendError, Sender, DEFAULT_SEND_TIMEOUT};
pub use encoded::{Encoded, IntoEncoded};
#[cfg(feature = "axum")]
pub use extract::LastEventId;
pub use shutdown::Shutdown;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use write_timeout::TimeoutListener;
pub use write_timeout::WriteTimeout;

/// The request's `Last-Event-ID`, read as UTF-8 as the spec sends it: what a resuming
/// client gives [`Hub::subscribe`](crate::hub::Hub::subscribe). `None` without the header
/// or when it is not UTF-8. (`HeaderValue::to_str` refuses every byte above 0x7F, so a
/// client whose id is not ASCII would be served as a new one and miss events.) In an axum
/// handler, the `LastEventId` extractor (feature `axum`) reads it for you, and falls back
/// to a `lastEventId` query parameter.
///
/// ```
/// use http::HeaderMap;
///
/// let mut headers = HeaderMap::new();
/// assert_eq!(sse_proto_tokio::serve::last_event_id(&headers), None);
/// headers.insert("last-event-id", http::HeaderValue::from_bytes("café-7".as_bytes()).unwrap());
/// assert_eq!(sse_proto_tokio::serve::last_event_id(&headers), Some("café-7"));
/// ```
#[must_use]
pub fn last_event_id(headers: &http::HeaderMap) -> Option<&str> {
    let value = headers.get("last-event-id")?;
    std::str::from_utf8(value.as_bytes()).ok()
}

/// `start + wait`, or a deadline that never comes (about 30 years on) when that is past
/// what an `Instant` holds: an absurdly long keep-alive interval or write timeout waits
/// forever rather than panicking.
pub(crate) fn deadline_after(
    start: tokio::time::Instant,
    wait: std::time::Duration,
) -> tokio::time::Instant {
    const FAR: std::time::Duration = std::time::Duration::from_secs(86_400 * 365 * 30);
    start
        .checked_add(wait)
        .or_else(|| start.checked_add(FAR))
        .unwrap_or(start)
}
