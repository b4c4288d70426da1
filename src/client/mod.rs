//! The sans-IO EventSource client: the processing model of WHATWG HTML §9.2.2–9.2.4
//! (SPEC.md C1–C31) as a state machine that does no I/O and reads no clock.
//!
//! Files: `backoff.rs` and `http.rs` are plain functions usable without `alloc`;
//! `config.rs`, `input.rs` and `output.rs` are the client's vocabulary; `machine.rs` is the
//! state machine; `driver.rs` (`std`) runs it over blocking I/O with real time.

mod backoff;
mod http;

#[cfg(feature = "alloc")]
mod config;
#[cfg(feature = "std")]
mod driver;
#[cfg(feature = "alloc")]
mod input;
#[cfg(feature = "alloc")]
mod output;

pub use backoff::{Backoff, SplitMix64};
pub use http::{is_event_stream, parse_http_date, RetryAfter};

#[cfg(feature = "alloc")]
pub use config::{ClientConfig, ConfigError};
#[cfg(feature = "std")]
pub use driver::{Connection, Driver};
#[cfg(feature = "alloc")]
pub use input::{InputError, ResponseHead, TransportError};
#[cfg(feature = "alloc")]
pub use output::{CloseReason, FailReason, Output, ReconnectReason, Request};

#[cfg(feature = "alloc")]
pub use machine::{Client, ReadyState};

#[cfg(feature = "alloc")]
mod machine;
