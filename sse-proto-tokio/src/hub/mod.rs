//! A broadcast hub: publish an event once, every subscriber of its topic receives the
//! same bytes; replay from `Last-Event-ID`; lagging subscribers are told, never skipped
//! in silence.
//!
//! * **Encode once, share the bytes.** [`Hub::publish`] encodes the event with the core
//!   writer once; each subscriber's queue gets a clone of the same [`Bytes`](bytes::Bytes)
//!   (a reference count), never a copy of the payload.
//! * **Ids on every event, never reused.** An event published without an id gets one
//!   from its topic, `{epoch}-{n}`: an epoch of 8 random base-36 digits drawn when the
//!   topic is created, and the count of its events from 1 (`k3x9q2ab-1`, `k3x9q2ab-2`,
//!   …); the id is returned. An id from another life of the topic (before a restart, on
//!   another replica, before [`Hub::remove_topic`]) is not in its history, so that client
//!   gets the [`RESET_EVENT`] instead of a replay of other events. Ids you choose yourself
//!   need the same care: replay trusts them.
//! * **Bounded everywhere.** Each subscriber has a bounded queue; each topic keeps a
//!   history bounded in events *and* bytes; events above a size are refused.
//! * **Lag is signalled.** A subscriber whose queue is full is closed so that it resumes
//!   with `Last-Event-ID` ([`Lag::Close`], the default), or gets an in-band
//!   [`GAP_EVENT`] naming the first and last events it missed ([`Lag::Gap`]), and is
//!   dropped if it stays full for the send timeout. Publishing never waits for anyone.
//! * **Replay.** [`Hub::subscribe`] with the client's `Last-Event-ID` queues exactly the
//!   events after it; when the history no longer holds that id, a [`RESET_EVENT`] tells
//!   the client to resynchronise instead.
//! * **Topics are isolated.** Each topic has its own ids, history and subscribers.
//!
//! Measured by the crate's `hub_alloc` test with a counting global allocator (64-bit
//! Linux):
//!
//! * publishing one event to 10,000 subscribers makes 4 allocations, as to 1 subscriber:
//!   the id, the encoded bytes and their shared header; every subscriber gets a pointer
//!   to the same bytes;
//! * an idle subscriber costs about 280 bytes (the [`Subscription`], its queue with room
//!   for 4 events, its slot in the topic), and about 730 bytes with the
//!   [`Sse`](crate::serve::Sse) body around it as axum holds it (boxed, keep-alive timer
//!   and shutdown watch armed) — before the HTTP connection's own buffers.
//!
//! ```
//! use futures_util::StreamExt;
//! use sse_proto::Message;
//! use sse_proto_tokio::hub::Hub;
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let hub = Hub::default();
//! let one = hub.publish("room-1", Message::new("one"))?;
//! let two = hub.publish("room-1", Message::new("two").event_type("chat"))?;
//! hub.publish("room-2", Message::new("elsewhere"))?;
//!
//! // A client reconnecting with the first id as `Last-Event-ID` gets exactly what it missed.
//! let mut replay = hub.subscribe("room-1", Some(&one));
//! let missed = format!("event: chat\nid: {two}\ndata: two\n\n");
//! assert_eq!(replay.next().await.unwrap().as_bytes(), missed.as_bytes());
//!
//! // One whose id is not in the history is told to resynchronise.
//! let mut lost = hub.subscribe("room-1", Some("gone"));
//! let reset = format!("event: reset\nid: {two}\ndata: gone\n\n");
//! assert_eq!(lost.next().await.unwrap().as_bytes(), reset.as_bytes());
//! # Ok::<(), sse_proto_tokio::hub::PublishError>(())
//! # }).unwrap();
//! ```

mod config;
mod queue;
mod subscription;
mod topic;

use std::collections::HashMap;
use std::fmt;
use std::mem;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use sse_proto::{EncodeError, Message};

pub use config::{HubConfig, Lag};
pub use subscription::Subscription;
use topic::Topic;

/// The event type of the in-band lag signal ([`Lag::Gap`]). Its data is the id of the
/// first missed event, a line break, and the id of the last; its id is the last missed
/// id.
///
/// ```
/// use futures_util::StreamExt;
/// use sse_proto::Message;
/// use sse_proto_tokio::hub::{Hub, HubConfig, Lag, GAP_EVENT};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let hub = Hub::new(HubConfig::default().queue_capacity(1).lag(Lag::Gap));
/// let mut slow = hub.subscribe("t", None);
/// let mut ids = Vec::new();
/// for n in 1..=3 {
///     ids.push(hub.publish("t", Message::new(n.to_string()))?); // 2 and 3 find the queue full
/// }
/// let first = format!("id: {}\ndata: 1\n\n", ids[0]);
/// assert_eq!(slow.next().await.unwrap().as_bytes(), first.as_bytes());
/// let gap = format!("event: {GAP_EVENT}\nid: {}\ndata: {}\ndata: {}\n\n", ids[2], ids[1], ids[2]);
/// assert_eq!(slow.next().await.unwrap().as_bytes(), gap.as_bytes());
/// # Ok::<(), sse_proto_tokio::hub::PublishError>(())
/// # }).unwrap();
/// ```
pub const GAP_EVENT: &str = "gap";

/// The event type sent first to a subscriber whose `Last-Event-ID` is not in the history
/// (too old, or unknown: from before a restart, say): the client must resynchronise. Its
/// data is the id it asked for; its id is the newest event's (none if the topic has no
/// history).
///
/// ```
/// use futures_util::StreamExt;
/// use sse_proto::Message;
/// use sse_proto_tokio::hub::{Hub, RESET_EVENT};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let before_restart = Hub::default();
/// let seen = before_restart.publish("t", Message::new("a"))?; // the client's last id
///
/// let hub = Hub::default(); // the server restarted: its ids are new ones
/// let newest = hub.publish("t", Message::new("b"))?;
/// let mut stale = hub.subscribe("t", Some(&seen));
/// let reset = format!("event: {RESET_EVENT}\nid: {newest}\ndata: {seen}\n\n");
/// assert_eq!(stale.next().await.unwrap().as_bytes(), reset.as_bytes());
/// # Ok::<(), sse_proto_tokio::hub::PublishError>(())
/// # }).unwrap();
/// ```
pub const RESET_EVENT: &str = "reset";

/// A broadcast hub of topics. Cloning it gives another handle to the same hub; when the
/// last handle is dropped, every subscription ends (after what is queued), so that clients
/// reconnect rather than wait on keep-alives for events that can no longer come.
///
/// ```
/// use sse_proto::Message;
/// use sse_proto_tokio::hub::{Hub, HubConfig};
///
/// let hub = Hub::new(HubConfig::default().history_len(100));
/// let _subscription = hub.subscribe("t", None);
/// assert!(hub.publish("t", Message::new("x"))?.ends_with("-1")); // `{epoch}-1`
/// assert_eq!(hub.subscriber_count("t"), 1);
/// # Ok::<(), sse_proto_tokio::hub::PublishError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Hub {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    config: HubConfig,
    topics: Mutex<HashMap<Box<str>, Arc<Mutex<Topic>>>>,
}

/// A poisoned lock is used as is: every critical section leaves its state consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Hub {
    /// A hub with these limits, normalised as their setters do (a `queue_capacity` of 0,
    /// set through the public field, is taken as 1).
    ///
    /// ```
    /// use sse_proto_tokio::hub::{Hub, HubConfig};
    ///
    /// let hub = Hub::new(HubConfig::default());
    /// assert_eq!(hub.config().queue_capacity, 64);
    /// let mut config = HubConfig::default();
    /// config.queue_capacity = 0;
    /// assert_eq!(Hub::new(config).config().queue_capacity, 1);
    /// ```
    #[must_use]
    pub fn new(mut config: HubConfig) -> Self {
        config.queue_capacity = config.queue_capacity.max(1);
        Hub {
            shared: Arc::new(Shared {
                config,
                topics: Mutex::default(),
            }),
        }
    }

    /// The limits this hub was made with.
    ///
    /// ```
    /// assert_eq!(sse_proto_tokio::hub::Hub::default().config().history_len, 1024);
    /// ```
    #[must_use]
    pub fn config(&self) -> &HubConfig {
        &self.shared.config
    }

    /// Runs `f` on the topic, created on first use (topics live as long as the hub; see
    /// [`remove_topic`](Self::remove_topic)), under its lock.
    fn with_topic<R>(&self, name: &str, f: impl FnOnce(&mut Topic) -> R) -> R {
        let topic = {
            let topics = lock(&self.shared.topics);
            topics.get(name).cloned()
        };
        if let Some(topic) = topic {
            let mut topic = lock(&topic);
            if !topic.removed {
                return f(&mut topic);
            }
        }
        // A new topic, or one removed between the lookup and its lock: the topic of that
        // name is taken and locked under the hub's lock, so that no removal comes between
        // (a subscriber of a removed topic would wait for ever). The topic lock is only
        // ever taken inside the hub lock here, never the other way round.
        let mut topics = lock(&self.shared.topics);
        let topic = Arc::clone(
            topics
                .entry(name.into())
                .or_insert_with(|| Arc::new(Mutex::new(Topic::new()))),
        );
        let mut topic = lock(&topic);
        drop(topics);
        f(&mut topic)
    }

    /// Publishes `message` to `topic`: encodes it once (with its id, or when it has none
    /// the topic's next generated id, `{epoch}-{n}`, see the [module docs](self)), keeps it
    /// in the history and queues the same bytes for every subscriber. Never waits:
    /// subscribers that are behind are told (see [`Lag`]). Returns the event's id.
    ///
    /// # Errors
    ///
    /// Nothing is published if the writer refuses the event ([`PublishError::Encode`]),
    /// if its id is empty ([`PublishError::EmptyId`]: every hub event has an id), or if it
    /// encodes to more than [`HubConfig::max_event_bytes`] ([`PublishError::TooLarge`]).
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_tokio::hub::{Hub, PublishError};
    ///
    /// let hub = Hub::default();
    /// let a = hub.publish("t", Message::new("a"))?; // `{epoch}-1`
    /// assert_eq!(hub.publish("t", Message::new("b").id("order-7"))?.as_ref(), "order-7");
    /// let c = hub.publish("t", Message::new("c"))?;
    /// let epoch = a.strip_suffix("-1").unwrap();
    /// assert_eq!(*c, format!("{epoch}-3")); // the same epoch, the third event
    /// assert_eq!(hub.publish("t", Message::new("d").id("")), Err(PublishError::EmptyId));
    /// # Ok::<(), PublishError>(())
    /// ```
    pub fn publish(&self, topic: &str, message: Message<'_>) -> Result<Arc<str>, PublishError> {
        self.with_topic(topic, |topic| topic.publish(&self.shared.config, message))
    }

    /// Subscribes to `topic`. With the client's `Last-Event-ID` (the request header; `None`
    /// or empty for a first connection), the subscription first yields exactly the events
    /// published after that id, or the [`RESET_EVENT`] when the history no longer holds it;
    /// then every event published from now on. Replay and registration happen under one
    /// lock, so no event falls between them.
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_tokio::hub::Hub;
    ///
    /// let hub = Hub::default();
    /// hub.publish("t", Message::new("a"))?;
    /// let _live_only = hub.subscribe("t", None);
    /// let _replaying = hub.subscribe("t", Some("an-id-seen-before"));
    /// assert_eq!(hub.subscriber_count("t"), 2);
    /// # Ok::<(), sse_proto_tokio::hub::PublishError>(())
    /// ```
    pub fn subscribe(&self, topic: &str, last_event_id: Option<&str>) -> Subscription {
        let queue = self.with_topic(topic, |topic| {
            topic.subscribe(&self.shared.config, last_event_id)
        });
        Subscription::new(queue)
    }

    /// The number of live subscribers of `topic`.
    ///
    /// ```
    /// let hub = sse_proto_tokio::hub::Hub::default();
    /// let subscription = hub.subscribe("t", None);
    /// drop(subscription);
    /// assert_eq!(hub.subscriber_count("t"), 0);
    /// ```
    #[must_use]
    pub fn subscriber_count(&self, topic: &str) -> usize {
        let topic = lock(&self.shared.topics).get(topic).cloned();
        topic.map_or(0, |topic| lock(&topic).subscriber_count())
    }

    /// Ends every subscriber's stream, in every topic, once it has read what is queued.
    /// EventSource clients reconnect with `Last-Event-ID` and are replayed what they miss
    /// in between (a way to move clients to another server, or to test reconnection).
    ///
    /// ```
    /// use futures_util::StreamExt;
    /// use sse_proto_tokio::hub::Hub;
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let hub = Hub::default();
    /// let mut subscription = hub.subscribe("t", None);
    /// hub.disconnect_all();
    /// assert!(subscription.next().await.is_none());
    /// # });
    /// ```
    pub fn disconnect_all(&self) {
        let topics: Vec<_> = lock(&self.shared.topics).values().cloned().collect();
        for topic in topics {
            lock(&topic).disconnect_all();
        }
    }

    /// Forgets `topic`: its history goes and its subscribers' streams end. Topics are
    /// created by use, so a server whose clients name topics should remove idle ones. A
    /// topic created again under the name is a new life, with a new epoch in its ids: the
    /// old ids get the [`RESET_EVENT`], not a replay.
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_tokio::hub::Hub;
    ///
    /// let hub = Hub::default();
    /// let old = hub.publish("t", Message::new("a"))?;
    /// hub.remove_topic("t");
    /// let new = hub.publish("t", Message::new("b"))?; // a new topic: counts from 1 again
    /// assert!(new.ends_with("-1"));
    /// assert_ne!(old, new); // under another epoch
    /// # Ok::<(), sse_proto_tokio::hub::PublishError>(())
    /// ```
    pub fn remove_topic(&self, topic: &str) {
        let removed = lock(&self.shared.topics).remove(topic);
        if let Some(topic) = removed {
            let mut topic = lock(&topic);
            topic.removed = true;
            topic.disconnect_all();
        }
    }
}

impl Drop for Shared {
    /// The last handle to the hub is gone: nothing can publish to its subscribers any
    /// more, so their streams end (after what is queued) and clients reconnect, rather
    /// than waiting on keep-alives for ever.
    fn drop(&mut self) {
        let topics = mem::take(
            self.topics
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for topic in topics.into_values() {
            lock(&topic).disconnect_all();
        }
    }
}

/// Why [`Hub::publish`] refused an event. Nothing was published.
///
/// Its message does not repeat its cause: the writer's error is its
/// [`source`](std::error::Error::source), as error reporters expect.
///
/// ```
/// use std::error::Error;
/// use sse_proto::{EncodeError, Message};
/// use sse_proto_tokio::hub::{Hub, PublishError};
///
/// let hub = Hub::default();
/// let e = hub.publish("t", Message::new("x").event_type("a\nb")).unwrap_err();
/// assert_eq!(e, PublishError::Encode(EncodeError::EventType));
/// assert_eq!(e.to_string(), "event refused by the writer");
/// assert_eq!(e.source().unwrap().to_string(), "event type contains a line break (CR or LF)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PublishError {
    /// The core writer refused the event (an event type with a line break, an id with a
    /// line break or NUL).
    ///
    /// ```
    /// use sse_proto::{encode::IdError, EncodeError, Message};
    /// use sse_proto_tokio::hub::{Hub, PublishError};
    ///
    /// let refused = Hub::default().publish("t", Message::new("x").id("a\0b"));
    /// assert_eq!(refused, Err(PublishError::Encode(EncodeError::Id(IdError::Nul))));
    /// ```
    Encode(EncodeError),
    /// The id is empty: it would reset the client's last event ID, and hub events always
    /// carry one.
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_tokio::hub::{Hub, PublishError};
    ///
    /// let refused = Hub::default().publish("t", Message::new("x").id(""));
    /// assert_eq!(refused, Err(PublishError::EmptyId));
    /// ```
    EmptyId,
    /// The encoded event is larger than [`HubConfig::max_event_bytes`].
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_tokio::hub::{Hub, HubConfig, PublishError};
    ///
    /// let hub = Hub::new(HubConfig::default().max_event_bytes(16));
    /// let refused = hub.publish("t", Message::new("sixteen bytes!!!").id("1"));
    /// // "id: 1\ndata: sixteen bytes!!!\n\n" is 30 bytes.
    /// assert_eq!(refused, Err(PublishError::TooLarge { len: 30, max: 16 }));
    /// ```
    TooLarge {
        /// The encoded length (or the data's length, when that alone is too large).
        len: usize,
        /// The limit.
        max: usize,
    },
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::Encode(_) => f.write_str("event refused by the writer"),
            PublishError::EmptyId => f.write_str("the event id is empty"),
            PublishError::TooLarge { len, max } => {
                write!(
                    f,
                    "the event encodes to {len} bytes, more than the {max} allowed"
                )
            }
        }
    }
}

impl std::error::Error for PublishError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PublishError::Encode(e) => Some(e),
            _ => None,
        }
    }
}
