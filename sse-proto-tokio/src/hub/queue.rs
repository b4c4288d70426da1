//! One subscriber's bounded queue, shared by its topic (which pushes) and its
//! [`Subscription`](super::Subscription) (which pops).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;

use tokio::time::Instant;

use crate::serve::Encoded;

/// Events a subscriber missed while its queue was full ([`Lag::Gap`](super::Lag::Gap)).
#[derive(Debug)]
pub(crate) struct Gap {
    pub(crate) first: Arc<str>,
    pub(crate) last: Arc<str>,
}

#[derive(Debug)]
pub(crate) struct QueueState {
    pub(crate) items: VecDeque<Encoded>,
    /// Room for this many live events (the configured capacity).
    pub(crate) capacity: usize,
    /// Replayed events at the front of `items` not read yet: room beyond `capacity`, so a
    /// replay does not count as lag, that goes as they are read.
    pub(crate) replay_left: usize,
    pub(crate) waker: Option<Waker>,
    /// End the stream once `items` (and any gap) are read.
    pub(crate) end: bool,
    /// The subscription was dropped: the topic forgets this queue on its next publish.
    pub(crate) dropped: bool,
    pub(crate) gap: Option<Gap>,
    /// Since when the queue has been full (for the send timeout).
    pub(crate) full_since: Option<Instant>,
}

/// The preallocated room of a queue: a subscriber that keeps up never makes its queue
/// grow, so publishing allocates nothing per subscriber.
const INITIAL_ROOM: usize = 4;

#[derive(Debug)]
pub(crate) struct Queue {
    state: Mutex<QueueState>,
}

impl Queue {
    pub(crate) fn new(items: VecDeque<Encoded>, capacity: usize) -> Arc<Self> {
        // `Hub::new` makes it at least 1: a queue with no room would close its subscriber
        // (or skip every event) at the first publish.
        debug_assert!(capacity >= 1, "the hub's configuration is normalised");
        let mut items = items;
        items.reserve(INITIAL_ROOM.min(capacity).saturating_sub(items.len()));
        Arc::new(Queue {
            state: Mutex::new(QueueState {
                capacity,
                replay_left: items.len(),
                items,
                waker: None,
                end: false,
                dropped: false,
                gap: None,
                full_since: None,
            }),
        })
    }

    /// Locks the state. A panic while holding the lock cannot leave the state broken (each
    /// critical section is a few field writes), so a poisoned lock is used as is.
    pub(crate) fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl QueueState {
    /// How many more events fit: the live capacity, and the room of the replayed events
    /// still waiting.
    pub(crate) fn room(&self) -> usize {
        self.capacity
            .saturating_add(self.replay_left)
            .saturating_sub(self.items.len())
    }

    /// The next event, for the subscription.
    pub(crate) fn pop(&mut self) -> Option<Encoded> {
        let block = self.items.pop_front()?;
        self.replay_left = self.replay_left.saturating_sub(1);
        Some(block)
    }

    /// Frees what is queued (the subscriber is gone, or given up).
    pub(crate) fn clear(&mut self) {
        self.items = VecDeque::new();
        self.replay_left = 0;
        self.gap = None;
    }

    /// Wakes the subscription, if it waits.
    pub(crate) fn wake(&mut self) {
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }

    /// Ends the stream after what is queued: the client resumes with `Last-Event-ID`.
    pub(crate) fn close(&mut self) {
        self.end = true;
        self.wake();
    }

    /// Drops the subscriber now: its queue is freed and its stream ends.
    pub(crate) fn abandon(&mut self) {
        self.clear();
        self.close();
    }
}
