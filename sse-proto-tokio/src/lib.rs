//! # sse-proto-tokio
//!
//! [`sse-proto`](sse_proto) on tokio: read a body as a stream of events, run a reconnecting
//! EventSource client over reqwest or hyper, and serve events with keep-alive and a
//! broadcast hub (axum). The core is re-exported as [`sse_proto`], so its types
//! (`Message`, `OwnedEvent`, `DecoderConfig`, …) need no dependency of your own.
//!
//! ## Reading events
//!
//! * [`SseStreamExt::sse`]: any `Stream` of byte chunks (reqwest's `bytes_stream()`, a
//!   hyper body through [`BodyData`]) into a `Stream` of events ([`Events`]) or of every
//!   item ([`Items`]), on any runtime.
//! * [`EventSource`]: the reconnecting EventSource client on tokio, over a [`Connector`]
//!   (reqwest 0.13 and 0.12, `HyperConnector` with the `hyper` feature), with a
//!   reconnect policy ([`Reconnect`]), typed errors ([`Error`]), connect, first-byte and
//!   idle timeouts, a per-attempt request hook and a cloneable [`Handle`].
//!
//! ## Serving events
//!
//! * [`serve::Sse`]: a `Stream` of messages into an `http-body` 1 body (hyper takes it,
//!   and with the `axum` feature it is an axum `IntoResponse`): each event encoded once
//!   by the core writer, a keep-alive comment after a quiet interval (on by default, reset
//!   by every event), proxy-safe headers, an end on graceful shutdown
//!   ([`serve::Shutdown`]) and a disconnect signal for the producer.
//! * [`serve::channel`]: the producer's side, with a send timeout that gives up a client
//!   that stopped reading instead of stalling the producer; `serve::TimeoutListener`
//!   (feature `axum`) closes such a client's socket.
//! * [`serve::last_event_id`], and the `serve::LastEventId` extractor (feature `axum`):
//!   the id a reconnecting client resumes after.
//! * [`hub::Hub`]: fan-out to many subscribers by topic, each event encoded once and the
//!   same bytes handed to all, bounded queues, lagging subscribers told (never silently
//!   skipped), replay from `Last-Event-ID` out of a history bounded in count and bytes.
//!
//! A server and a client, as they run (features `axum` and `hyper`): each response of the
//! server carries two ticks and ends, as a proxy's timeout might end it; the client
//! reconnects with the id of the last tick it got, and the server goes on after it.
//!
//! ```
//! # #[cfg(all(feature = "axum", feature = "hyper"))]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # tokio::time::timeout(std::time::Duration::from_secs(60), async {
//! use std::time::Duration;
//! use axum::{routing::get, Router};
//! use sse_proto_tokio::serve::{channel, LastEventId, Receiver, Shutdown, Sse};
//! use sse_proto_tokio::sse_proto::Message;
//! use sse_proto_tokio::{Event, EventSource, HyperConnector};
//!
//! // Serving: each GET /ticks gets a stream of its own, fed by a task, starting after the
//! // client's `Last-Event-ID`.
//! async fn ticks(LastEventId(last): LastEventId) -> Sse<Receiver> {
//!     let start = last.and_then(|id| id.parse().ok()).map_or(1, |n: u64| n.saturating_add(1));
//!     let (sender, receiver) = channel(16);
//!     tokio::spawn(async move {
//!         for n in start..start.saturating_add(2) {
//!             let tick = Message::new(format!("tick {n}")).id(n.to_string());
//!             if sender.send(&tick).await.is_err() {
//!                 break; // the client left
//!             }
//!         }
//!     });
//!     // Keep-alive and proxy-safe headers; clients reconnect 100 ms after the end.
//!     Sse::new(receiver).retry(Duration::from_millis(100))
//! }
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let url = format!("http://{}/ticks", listener.local_addr()?);
//! let shutdown = Shutdown::new();
//! let app = Router::new().route("/ticks", get(ticks));
//! let server = axum::serve(listener, app).with_graceful_shutdown(shutdown.wait());
//! let server = tokio::spawn(async move { server.await });
//!
//! // The client's run loop: it reconnects, with `Last-Event-ID`, when a stream ends.
//! let mut events = EventSource::new(HyperConnector::new(), url)?;
//! let mut seen = Vec::new();
//! while let Some(event) = events.next().await {
//!     if let Event::Message(message) = event? {
//!         seen.push(message.data);
//!         if seen.len() == 4 {
//!             break;
//!         }
//!     }
//! }
//! assert_eq!(seen, ["tick 1", "tick 2", "tick 3", "tick 4"]); // across a reconnect
//! assert_eq!(events.last_event_id(), "4");
//!
//! drop(events); // closes the connection
//! shutdown.trigger();
//! server.await??;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).await?
//! # }
//! # #[cfg(not(all(feature = "axum", feature = "hyper")))]
//! # fn main() {}
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` on nightly: show which feature each gated item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The core crate, whose types this crate's API takes and gives (`Message`, `OwnedEvent`,
/// `DecoderConfig`, `Backoff`, …): reachable as `sse_proto_tokio::sse_proto` without a
/// dependency of your own, and always the version this crate was built with.
///
/// ```
/// use sse_proto_tokio::sse_proto::Message;
/// use sse_proto_tokio::serve::Encoded;
///
/// assert_eq!(Encoded::new(&Message::new("hi"))?.as_bytes(), b"data: hi\n\n");
/// # Ok::<(), sse_proto_tokio::sse_proto::EncodeError>(())
/// ```
pub use sse_proto;

pub mod hub;
pub mod serve;

mod stream;

pub use stream::{BodyData, Events, Items, SseStreamExt, StreamError};

mod client;

#[cfg(feature = "hyper")]
pub use client::HyperConnector;
pub use client::{
    Attempt, BoxBody, BoxError, Builder, Connector, Error, Event, EventSource, Handle, Liveness,
    MapTransportError, Reconnect, SharedError, StatusError, Timeout, TransportError,
};

// README.md's examples, client and serving, are compiled as doctests: they need the
// reqwest, hyper and axum features (`--all-features` has them).
#[cfg(all(doctest, feature = "reqwest", feature = "hyper", feature = "axum"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
