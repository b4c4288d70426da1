//! The sans-IO EventSource client: the processing model of WHATWG HTML §9.2.2–9.2.4
//! (rules C1–C31 of `spec-vectors/RULES.md`) as a state machine that does no I/O and reads
//! no clock.
//!
//! [`Client`] and [`ClientConfig`] are also at the crate root; everything else the client
//! speaks is here: what it asks of you ([`Output`], [`Request`]), what you tell it
//! ([`ResponseHead`], [`TransportError`]), why it stopped or reconnects ([`FailReason`],
//! [`CloseReason`], [`ReconnectReason`]), time ([`Instant`]), the opt-in [`Backoff`], and
//! with `std` the blocking [`Driver`]. [`http`] holds the header helpers and [`backoff`]
//! the backoff arithmetic and its generator.
//!
//! ## What a caller can count on
//!
//! * **Inputs name their attempt.** Every [`Output::Connect`] starts an attempt
//!   ([`AttemptId`], from [`Request::attempt`]); every input about a connection gives it
//!   back, and one about an attempt already given up is refused as [`InputError::Stale`]
//!   and changes nothing, whatever the order of events.
//! * **No tight reconnect loop** (D12): no wait is shorter than 100 ms, and attempts in a
//!   row that dispatch no event wait twice as long each time, up to 30 s; an attempt that
//!   dispatches an event resets that (and the count of
//!   [`max_attempts`](ClientConfig::max_attempts)). A plain `retry: 400` after events still
//!   waits 400 ms. [`ClientConfig::spec_timing`] gives the spec's exact timing.
//! * **Bounded memory** whatever the server sends: the decoder's limits (by default
//!   16 MiB lines and events, 64 KiB ids: [`ClientConfig::DEFAULT_DECODER`]), the owned
//!   copy of the event being delivered, one read, and the items of 4 KiB of it, which are
//!   decoded as you drain them; the last event ID is shared by the events that carry it,
//!   never copied per event. About 3 × 16 MiB + one read by default.
//! * **Redirects** are followed (or not) by whoever opens the connection (C22, C24): the
//!   client sees the final status. The example HTTP code follows the Fetch rules — a
//!   redirect to another origin drops `Authorization`, `Proxy-Authorization`, `Cookie` and
//!   `Last-Event-ID`, and a `Location` that is not a valid URL reference is not followed —
//!   and bounds the whole response head with the [`ConnectLimits`] the [`Driver`] gives.
//!
//! The run loop, with the I/O left out (the crate docs show it whole):
//!
//! ```
//! # #[cfg(feature = "alloc")] {
//! use sse_proto::client::{Instant, Output, ResponseHead};
//! use sse_proto::{Client, ClientConfig, OwnedItem};
//!
//! let mut client = Client::new(ClientConfig::new("http://127.0.0.1/events"), Instant::EPOCH)?;
//! let Some(Output::Connect(request)) = client.poll_output() else { unreachable!() };
//! // ... open `request.url()`, then tell the client what came back:
//! let head = ResponseHead::new(200).content_type("text/event-stream");
//! client.handle_response(Instant::EPOCH, request.attempt(), &head)?;
//! client.handle_body(Instant::EPOCH, request.attempt(), b"id: 1\ndata: hi\n\n")?;
//! let mut data = Vec::new();
//! while let Some(output) = client.poll_output() {
//!     if let Output::Item(OwnedItem::Event(event)) = output {
//!         data.push(event.data);
//!     }
//! }
//! assert_eq!(data, ["hi"]);
//! assert_eq!(client.last_event_id(), "1");
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Files: `instant.rs`, `backoff.rs` and `http.rs` are plain values and functions usable
// without `alloc`; `config.rs`, `input.rs` and `output.rs` are the client's vocabulary;
// `attempt.rs` names attempts; `machine.rs` is the state machine; `driver.rs` (`std`)
// runs it over blocking I/O with real time.

pub mod backoff;
pub mod http;
mod instant;

#[cfg(feature = "alloc")]
mod attempt;
#[cfg(feature = "alloc")]
mod config;
#[cfg(feature = "std")]
mod driver;
#[cfg(feature = "alloc")]
mod input;
#[cfg(feature = "alloc")]
mod machine;
#[cfg(feature = "alloc")]
mod output;
mod reconnect;

pub use backoff::Backoff;
pub(crate) use instant::millis_of;
pub use instant::Instant;
pub use reconnect::Reconnect;

#[cfg(feature = "alloc")]
pub use attempt::AttemptId;
#[cfg(feature = "alloc")]
pub use config::{ClientConfig, ConfigError};
#[cfg(feature = "std")]
pub use driver::{ConnectLimits, Connection, Driver, DriverHandle};
#[cfg(feature = "alloc")]
pub use input::{InputError, ResponseHead, TransportError};
#[cfg(feature = "alloc")]
pub use machine::{Client, ReadyState};
#[cfg(feature = "alloc")]
pub use output::{CloseReason, FailReason, Output, ReconnectReason, Request};
