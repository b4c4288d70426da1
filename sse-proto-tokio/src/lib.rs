//! # sse-proto-tokio
//!
//! [`sse-proto`](sse_proto) on tokio: read a body as a stream of events, run a reconnecting
//! EventSource client over reqwest or hyper, and serve events with keep-alive and a
//! broadcast hub (axum).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod hub;
pub mod serve;
