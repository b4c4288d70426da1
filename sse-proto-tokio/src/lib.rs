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
#![forbid(unsafe_code)]
#![warn(missing_docs)]

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

// README.md's client examples are compiled as doctests.
#[cfg(all(doctest, feature = "reqwest", feature = "hyper"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
