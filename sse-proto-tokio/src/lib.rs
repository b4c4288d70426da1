//! # sse-proto-tokio
//!
//! [`sse-proto`](sse_proto) on tokio: read a body as a stream of events, run a reconnecting
//! EventSource client over reqwest or hyper, and serve events with keep-alive and a
//! broadcast hub (axum).
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
//!   by every event), proxy-safe headers, a closing event on graceful shutdown
//!   ([`serve::Shutdown`]) and a disconnect signal for the producer.
//! * [`serve::channel`]: the producer's side, with a send timeout that gives up a client
//!   that stopped reading instead of stalling the producer; `serve::TimeoutListener`
//!   (feature `axum`) closes such a client's socket.
//! * [`hub::Hub`]: fan-out to many subscribers by topic, each event encoded once and the
//!   same bytes handed to all, bounded queues, lagging subscribers told (never silently
//!   skipped), replay from `Last-Event-ID` out of a history bounded in count and bytes.
//!
//! ```no_run
//! # #[cfg(feature = "axum")]
//! # async fn run() -> std::io::Result<()> {
//! use std::time::Duration;
//! use axum::{routing::get, Router};
//! use sse_proto_tokio::hub::Hub;
//! use sse_proto_tokio::serve::{Shutdown, Sse};
//!
//! let hub = Hub::default();
//! let shutdown = Shutdown::new();
//! let app = Router::new().route("/events", get({
//!     let (hub, shutdown) = (hub.clone(), shutdown.clone());
//!     move || async move { Sse::new(hub.subscribe("news", None)).shutdown(&shutdown) }
//! }));
//! hub.publish("news", sse_proto::Message::new("hello")).ok(); // to every subscriber
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).with_graceful_shutdown(shutdown.wait()).await
//! # }
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
