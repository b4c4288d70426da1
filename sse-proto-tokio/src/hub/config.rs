//! The hub's limits and its lag policy.

use std::time::Duration;

/// What the hub does with a subscriber whose queue is full when an event is published.
/// Either way the subscriber is told; it is never silently skipped.
///
/// ```
/// use sse_proto_tokio::hub::{HubConfig, Lag};
///
/// let config = HubConfig::default().lag(Lag::Gap);
/// assert_eq!(config.lag, Lag::Gap);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lag {
    /// Close the subscriber's stream once it has read what was queued (the default). An
    /// EventSource reconnects with `Last-Event-ID` and the hub replays what it missed from
    /// its history (or sends the [`RESET_EVENT`](super::RESET_EVENT) when the history no
    /// longer reaches back that far).
    ///
    /// ```
    /// use futures_util::{FutureExt, StreamExt};
    /// use sse_proto::Message;
    /// use sse_proto_tokio::hub::{Hub, HubConfig, Lag};
    ///
    /// let hub = Hub::new(HubConfig::default().queue_capacity(1).lag(Lag::Close));
    /// let mut slow = hub.subscribe("t", None);
    /// let first = hub.publish("t", Message::new("1"))?;
    /// let missed = hub.publish("t", Message::new("2"))?; // finds the queue full
    /// assert!(slow.next().now_or_never().flatten().is_some()); // what was queued,
    /// assert_eq!(slow.next().now_or_never(), Some(None)); // then the end
    /// let mut resumed = hub.subscribe("t", Some(&first)); // the reconnect
    /// let replayed = resumed.next().now_or_never().flatten().unwrap();
    /// assert_eq!(replayed.as_bytes(), format!("id: {missed}\ndata: 2\n\n").as_bytes());
    /// # Ok::<(), sse_proto_tokio::hub::PublishError>(())
    /// ```
    #[default]
    Close,
    /// Skip events while the queue is full, and tell the subscriber in band, in order, with
    /// a [`GAP_EVENT`](super::GAP_EVENT) naming the first and last event it missed. A
    /// subscriber whose queue stays full for the send timeout is dropped.
    ///
    /// ```
    /// use futures_util::{FutureExt, StreamExt};
    /// use sse_proto::Message;
    /// use sse_proto_tokio::hub::{Hub, HubConfig, Lag};
    ///
    /// let hub = Hub::new(HubConfig::default().queue_capacity(1).lag(Lag::Gap));
    /// let mut slow = hub.subscribe("t", None);
    /// hub.publish("t", Message::new("1"))?;
    /// let missed = hub.publish("t", Message::new("2"))?; // finds the queue full
    /// slow.next().now_or_never(); // event 1
    /// let gap = slow.next().now_or_never().flatten().unwrap();
    /// let expected = format!("event: gap\nid: {missed}\ndata: {missed}\ndata: {missed}\n\n");
    /// assert_eq!(gap.as_bytes(), expected.as_bytes());
    /// # Ok::<(), sse_proto_tokio::hub::PublishError>(())
    /// ```
    Gap,
}

/// The hub's limits: per-subscriber queue, history (in events and in bytes), largest
/// event, lag policy and send timeout. Read the public fields; set them with the by-value
/// setters of the same names.
///
/// ```
/// use std::time::Duration;
/// use sse_proto_tokio::hub::{Hub, HubConfig};
///
/// let hub = Hub::new(
///     HubConfig::default()
///         .queue_capacity(32)
///         .history_len(500)
///         .history_bytes(256 * 1024)
///         .send_timeout(Duration::from_secs(5)),
/// );
/// assert_eq!(hub.config().history_len, 500);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct HubConfig {
    /// How many events may wait for one subscriber (at least 1: 0 is taken as 1), beyond
    /// the replayed events it has not read yet (a replay is not lag). Default 64.
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().queue_capacity, 64);
    /// ```
    pub queue_capacity: usize,
    /// How many events of each topic are kept for replay (0: no replay). Default 1,024.
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().history_len, 1024);
    /// ```
    pub history_len: usize,
    /// How many encoded bytes of each topic's events are kept for replay; the oldest go
    /// first when either bound is passed. Default 1 MiB.
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().history_bytes, 1 << 20);
    /// ```
    pub history_bytes: usize,
    /// The largest encoded event [`Hub::publish`](super::Hub::publish) accepts. Default
    /// 64 KiB.
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().max_event_bytes, 64 << 10);
    /// ```
    pub max_event_bytes: usize,
    /// What happens to a subscriber that falls behind. Default [`Lag::Close`].
    ///
    /// ```
    /// use sse_proto_tokio::hub::{HubConfig, Lag};
    ///
    /// assert_eq!(HubConfig::default().lag, Lag::Close);
    /// ```
    pub lag: Lag,
    /// With [`Lag::Gap`], how long a subscriber's queue may stay full before the
    /// subscriber is dropped (its stream ends and its queue is freed); checked when an
    /// event is published, since publishing is what finds the queue full. The socket of
    /// such a client is closed by a connection-level
    /// [`WriteTimeout`](crate::serve::WriteTimeout). Default 10 s.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().send_timeout, Duration::from_secs(10));
    /// ```
    pub send_timeout: Duration,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            queue_capacity: 64,
            history_len: 1024,
            history_bytes: 1 << 20,
            max_event_bytes: 64 << 10,
            lag: Lag::Close,
            send_timeout: Duration::from_secs(10),
        }
    }
}

impl HubConfig {
    /// Sets [`queue_capacity`](Self::queue_capacity) (0 is taken as 1).
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().queue_capacity(0).queue_capacity, 1);
    /// ```
    #[must_use]
    pub fn queue_capacity(mut self, events: usize) -> Self {
        self.queue_capacity = events.max(1);
        self
    }

    /// Sets [`history_len`](Self::history_len).
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().history_len(10).history_len, 10);
    /// ```
    #[must_use]
    pub fn history_len(mut self, events: usize) -> Self {
        self.history_len = events;
        self
    }

    /// Sets [`history_bytes`](Self::history_bytes).
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().history_bytes(4096).history_bytes, 4096);
    /// ```
    #[must_use]
    pub fn history_bytes(mut self, bytes: usize) -> Self {
        self.history_bytes = bytes;
        self
    }

    /// Sets [`max_event_bytes`](Self::max_event_bytes).
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::HubConfig::default().max_event_bytes(1024).max_event_bytes, 1024);
    /// ```
    #[must_use]
    pub fn max_event_bytes(mut self, bytes: usize) -> Self {
        self.max_event_bytes = bytes;
        self
    }

    /// Sets [`lag`](Self::lag).
    ///
    /// ```
    /// use sse_proto_tokio::hub::{HubConfig, Lag};
    ///
    /// assert_eq!(HubConfig::default().lag(Lag::Gap).lag, Lag::Gap);
    /// ```
    #[must_use]
    pub fn lag(mut self, policy: Lag) -> Self {
        self.lag = policy;
        self
    }

    /// Sets [`send_timeout`](Self::send_timeout).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let config = sse_proto_tokio::hub::HubConfig::default().send_timeout(Duration::from_secs(1));
    /// assert_eq!(config.send_timeout, Duration::from_secs(1));
    /// ```
    #[must_use]
    pub fn send_timeout(mut self, timeout: Duration) -> Self {
        self.send_timeout = timeout;
        self
    }
}
