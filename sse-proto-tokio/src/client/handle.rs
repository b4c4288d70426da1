//! The cloneable [`Handle`]: steer a running client from any task, and read its liveness.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use sse_proto::client::ReadyState;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// A command from a handle to the driver task.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Command {
    Close,
    ReconnectNow,
}

/// State shared by the driver, the stream and every handle.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Set by `close()`: the stream yields nothing more, at once.
    pub(crate) closed: AtomicBool,
    pub(crate) liveness: Mutex<Liveness>,
}

impl Shared {
    pub(crate) fn new() -> Self {
        Shared {
            closed: AtomicBool::new(false),
            liveness: Mutex::new(Liveness {
                ready_state: ReadyState::Connecting,
                last_byte: None,
                last_comment: None,
                opened: None,
                last_event_id: String::new(),
                attempts: 0,
                reconnection_time: Duration::from_secs(3),
            }),
        }
    }

    /// Updates the liveness record (a poisoned lock still holds plain data: use it).
    pub(crate) fn update(&self, f: impl FnOnce(&mut Liveness)) {
        f(&mut self.liveness.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// A cloneable, `Send` handle to a running [`EventSource`](crate::EventSource): close it
/// or make it reconnect now from any task, and watch its liveness.
///
/// ```
/// # #[cfg(feature = "reqwest")]
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
/// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
/// let handle = events.handle();
/// tokio::spawn(async move {
///     tokio::time::sleep(std::time::Duration::from_secs(60)).await;
///     handle.close(); // the stream ends; its task stops
/// });
/// # Ok(()) }
/// # #[cfg(not(feature = "reqwest"))] fn main() {}
/// ```
#[derive(Debug, Clone)]
pub struct Handle {
    pub(crate) commands: mpsc::UnboundedSender<Command>,
    pub(crate) shared: Arc<Shared>,
}

impl Handle {
    /// Closes the client: the connection is dropped, the stream yields nothing more
    /// (events already received but not yet read are discarded) and ends. Closing twice
    /// does nothing.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let mut events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// events.handle().close();
    /// assert!(events.next().await.is_none());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn close(&self) {
        self.shared.closed.store(true, Ordering::SeqCst);
        // The driver may already be gone; then there is nothing left to close.
        let _ = self.commands.send(Command::Close);
    }

    /// Drops the current connection, if any, and connects again at once, skipping any
    /// wait (the network came back, the credentials changed). Not a failed attempt.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// events.handle().reconnect_now();
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn reconnect_now(&self) {
        let _ = self.commands.send(Command::ReconnectNow);
    }

    /// Whether [`close`](Self::close) was called or the client has ended.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert!(!events.handle().is_closed());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.shared.closed.load(Ordering::SeqCst) || self.commands.is_closed()
    }

    /// A snapshot of the client's liveness: state, last byte, last heartbeat.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// let liveness = events.handle().liveness();
    /// assert!(liveness.last_byte().is_none()); // nothing received yet
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn liveness(&self) -> Liveness {
        self.shared
            .liveness
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Whether a stream is alive: its ready state, when the last body byte and the last
/// comment (heartbeat) arrived, the last event ID. From [`Handle::liveness`]. Times are
/// tokio instants (the paused clock in tests).
///
/// ```
/// # #[cfg(feature = "reqwest")]
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
/// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
/// let liveness = events.handle().liveness();
/// let stale = liveness.last_byte().map_or(true, |t| t.elapsed() > std::time::Duration::from_secs(60));
/// # assert!(stale); Ok(()) }
/// # #[cfg(not(feature = "reqwest"))] fn main() {}
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Liveness {
    pub(crate) ready_state: ReadyState,
    pub(crate) last_byte: Option<Instant>,
    pub(crate) last_comment: Option<Instant>,
    pub(crate) opened: Option<Instant>,
    pub(crate) last_event_id: String,
    pub(crate) attempts: u64,
    pub(crate) reconnection_time: Duration,
}

impl Liveness {
    /// CONNECTING (also while waiting to reconnect), OPEN or CLOSED.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().ready_state(), sse_proto::client::ReadyState::Connecting);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn ready_state(&self) -> ReadyState {
        self.ready_state
    }

    /// When the last body byte arrived, on any connection.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().last_byte(), None);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn last_byte(&self) -> Option<Instant> {
        self.last_byte
    }

    /// When the last comment (a server's heartbeat) arrived.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().last_heartbeat(), None);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn last_heartbeat(&self) -> Option<Instant> {
        self.last_comment
    }

    /// When the current connection opened, if one is open.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.handle().liveness().opened(), None);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn opened(&self) -> Option<Instant> {
        self.opened
    }

    /// The last event ID: what the next attempt sends as `Last-Event-ID`.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::builder("http://127.0.0.1:9/").last_event_id("5").connect(reqwest::Client::new())?;
    /// # tokio::task::yield_now().await;
    /// assert_eq!(events.handle().liveness().last_event_id(), "5");
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// Connection attempts so far.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// let attempts = events.handle().liveness().attempts();
    /// # assert!(attempts <= 1); Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn attempts(&self) -> u64 {
        self.attempts
    }

    /// The reconnection time in force (configured, or the server's last `retry`).
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// # let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// # tokio::task::yield_now().await;
    /// assert_eq!(events.handle().liveness().reconnection_time(), std::time::Duration::from_secs(3));
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn reconnection_time(&self) -> Duration {
        self.reconnection_time
    }
}
