//! The reconnecting client: the sans-IO [`sse_proto::Client`] driven on tokio over a
//! [`Connector`].
//!
//! Files: `connector.rs` (the trait any HTTP library implements), `reqwest.rs` and
//! `hyper.rs` (its implementations), `error.rs`, `event.rs` (what the stream yields),
//! `builder.rs` (settings), `handle.rs` (steering and liveness), `event_source.rs` (the
//! stream) and `driver.rs` (the task that runs the sans-IO client).

mod builder;
mod connector;
mod driver;
mod error;
mod event;
mod event_source;
mod handle;
#[cfg(feature = "hyper")]
mod hyper;
#[cfg(any(feature = "reqwest", feature = "reqwest-0_12"))]
mod reqwest;

pub use builder::{BoxError, Builder};
pub use connector::{BoxBody, Connector, MapTransportError};
pub use error::{Error, SharedError, StatusError, Timeout, TransportError};
pub use event::{Attempt, Event};
pub use event_source::EventSource;
pub use handle::{Handle, Liveness};
#[cfg(feature = "hyper")]
pub use hyper::HyperConnector;
pub use sse_proto::client::Reconnect;
