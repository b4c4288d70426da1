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
//! Files: `instant.rs`, `backoff.rs` and `http.rs` are plain values and functions usable
//! without `alloc`; `config.rs`, `input.rs` and `output.rs` are the client's vocabulary;
//! `machine.rs` is the state machine; `driver.rs` (`std`) runs it over blocking I/O with
//! real time.

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
