//! One topic: its history (bounded in count and bytes) and its subscribers' queues.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use sse_proto::Message;
use tokio::time::Instant;

use super::queue::{Gap, Queue};
use super::{HubConfig, Lag, PublishError, GAP_EVENT, RESET_EVENT};
use crate::serve::Encoded;

/// A published event: its id and its bytes, shared with every queue that holds it.
#[derive(Debug)]
struct Entry {
    id: Arc<str>,
    block: Encoded,
}

#[derive(Debug)]
pub(crate) struct Topic {
    history: VecDeque<Entry>,
    history_bytes: usize,
    /// The id of the newest event dropped from the history: a client that last saw it
    /// missed exactly the whole history.
    evicted: Option<Arc<str>>,
    /// This topic life's random prefix of the ids it generates (see [`new_epoch`]).
    epoch: Box<str>,
    /// How many events were published: the number in the next generated id, minus one.
    next_seq: u64,
    subscribers: Vec<Arc<Queue>>,
    /// `subscribers` is pruned of the dropped when a subscribe finds it this long, then
    /// this is set to twice the live count: subscribers that come and go on a quiet topic
    /// (nothing published, which prunes too) leave at most that many slots behind, for
    /// amortised O(1) work per subscribe.
    prune_at: usize,
    /// Removed from the hub ([`Hub::remove_topic`](super::Hub::remove_topic)): nothing may
    /// subscribe or publish here any more.
    pub(crate) removed: bool,
}

/// The least `prune_at`: small topics are not pruned at every subscribe.
const MIN_PRUNE_AT: usize = 64;

/// The length of an epoch: 8 base-36 digits, about 41 random bits.
const EPOCH_LEN: u32 = 8;

/// A new random epoch: the prefix of every id one topic life generates, so that an id
/// from another life (an earlier process, another replica, a removed topic of the same
/// name) is not in this one's history and gets the reset event rather than a replay of
/// the wrong events. `RandomState::new()` is randomly keyed (per thread, then stepped per
/// call); the time and a counter make two topics created together differ too.
fn new_epoch() -> Box<str> {
    static CREATED: AtomicU64 = AtomicU64::new(0);
    let count = CREATED.fetch_add(1, Ordering::Relaxed);
    let hash = RandomState::new().hash_one((SystemTime::now(), count));
    let mut rest = hash % 36u64.pow(EPOCH_LEN);
    let mut digits = [b'0'; EPOCH_LEN as usize];
    for digit in digits.iter_mut().rev() {
        *digit = b"0123456789abcdefghijklmnopqrstuvwxyz"[(rest % 36) as usize];
        rest /= 36;
    }
    digits.iter().map(|&b| char::from(b)).collect()
}

impl Topic {
    /// A new topic life: empty, with a new epoch.
    pub(crate) fn new() -> Self {
        Topic {
            history: VecDeque::new(),
            history_bytes: 0,
            evicted: None,
            epoch: new_epoch(),
            next_seq: 0,
            subscribers: Vec::new(),
            prune_at: 0,
            removed: false,
        }
    }

    /// The id of the next event published without one: `{epoch}-{number}`, the number
    /// counting this topic's events from 1.
    fn generated_id(&self) -> Arc<str> {
        let number = self.next_seq.saturating_add(1);
        // Sized exactly (epoch, `-`, at most 20 digits): one allocation, then the `Arc`.
        let mut id = String::with_capacity(self.epoch.len() + 21);
        let _ = write!(id, "{}-{number}", self.epoch); // writing to a String cannot fail
        Arc::from(id)
    }

    /// Encodes `message` once, with its id (given or the next number), keeps it in the
    /// history and hands the same bytes to every subscriber.
    pub(crate) fn publish(
        &mut self,
        config: &HubConfig,
        message: Message<'_>,
    ) -> Result<Arc<str>, PublishError> {
        let id: Arc<str> = match message.id_ref() {
            Some("") => return Err(PublishError::EmptyId),
            Some(id) => Arc::from(id),
            None => self.generated_id(),
        };
        let data_len = message.data_ref().len();
        if data_len > config.max_event_bytes {
            // The encoding is longer than the data: refuse without encoding it.
            return Err(PublishError::TooLarge {
                len: data_len,
                max: config.max_event_bytes,
            });
        }
        let block = Encoded::new(&message.id(&*id)).map_err(PublishError::Encode)?;
        if block.len() > config.max_event_bytes {
            return Err(PublishError::TooLarge {
                len: block.len(),
                max: config.max_event_bytes,
            });
        }
        self.next_seq = self.next_seq.saturating_add(1);
        self.remember(config, &id, &block);
        self.fan_out(config, &id, &block);
        Ok(id)
    }

    /// Adds the event to the history, dropping the oldest past either bound.
    fn remember(&mut self, config: &HubConfig, id: &Arc<str>, block: &Encoded) {
        self.history.push_back(Entry {
            id: Arc::clone(id),
            block: block.clone(),
        });
        self.history_bytes = self.history_bytes.saturating_add(block.len());
        while self.history.len() > config.history_len || self.history_bytes > config.history_bytes {
            let Some(old) = self.history.pop_front() else {
                break;
            };
            self.history_bytes = self.history_bytes.saturating_sub(old.block.len());
            self.evicted = Some(old.id);
        }
    }

    /// Hands `block` to every subscriber (a reference count each, no copy), telling those
    /// that are behind, and forgets those that are gone.
    fn fan_out(&mut self, config: &HubConfig, id: &Arc<str>, block: &Encoded) {
        let mut now = None; // read the clock only if someone lags
        self.subscribers.retain(|queue| {
            let mut state = queue.lock();
            if state.dropped || state.end {
                return false;
            }
            let mut room = state.room();
            if room > 0 {
                if let Some(gap) = state.gap.take() {
                    // The gap goes in order, before the events that follow it; it may use
                    // the slot of the event below (a queue holds at most one gap).
                    match gap_event(&gap) {
                        Some(event) => state.items.push_back(event),
                        None => {
                            state.abandon();
                            return false;
                        }
                    }
                    room = room.saturating_sub(1).max(1);
                }
            }
            if room > 0 {
                state.items.push_back(block.clone());
                state.full_since = None;
                let waker = state.waker.take();
                drop(state); // wake outside the queue's lock: the woken task takes it
                if let Some(waker) = waker {
                    waker.wake();
                }
                return true;
            }
            match config.lag {
                Lag::Close => {
                    state.close();
                    false
                }
                Lag::Gap => {
                    let now = *now.get_or_insert_with(Instant::now);
                    let since = *state.full_since.get_or_insert(now);
                    if now.saturating_duration_since(since) >= config.send_timeout {
                        state.abandon();
                        return false;
                    }
                    match &mut state.gap {
                        Some(gap) => gap.last = Arc::clone(id),
                        None => {
                            state.gap = Some(Gap {
                                first: Arc::clone(id),
                                last: Arc::clone(id),
                            });
                        }
                    }
                    true
                }
            }
        });
    }

    /// A new subscriber's queue, holding the replay for `last_event_id`: the events after
    /// it, or the reset event when the history no longer holds it.
    pub(crate) fn subscribe(
        &mut self,
        config: &HubConfig,
        last_event_id: Option<&str>,
    ) -> Arc<Queue> {
        let mut replay = VecDeque::new();
        if let Some(wanted) = last_event_id.filter(|id| !id.is_empty()) {
            let after = match self.history.iter().rposition(|e| *e.id == *wanted) {
                Some(at) => Some(at + 1),
                None if self.evicted.as_deref() == Some(wanted) => Some(0),
                None => None,
            };
            match after {
                Some(at) => replay.extend(self.history.iter().skip(at).map(|e| e.block.clone())),
                None => {
                    let head = self.history.back().map(|e| &*e.id);
                    if let Some(reset) = reset_event(wanted, head) {
                        replay.push_back(reset);
                    }
                }
            }
        }
        let queue = Queue::new(replay, config.queue_capacity);
        if self.subscribers.len() >= self.prune_at {
            self.prune();
        }
        self.subscribers.push(Arc::clone(&queue));
        queue
    }

    /// Forgets the subscribers that are gone.
    fn prune(&mut self) {
        self.subscribers.retain(|queue| {
            let state = queue.lock();
            !(state.dropped || state.end)
        });
        self.prune_at = self.subscribers.len().saturating_mul(2).max(MIN_PRUNE_AT);
    }

    /// Ends every subscriber's stream (after what is queued) and forgets them.
    pub(crate) fn disconnect_all(&mut self) {
        for queue in self.subscribers.drain(..) {
            queue.lock().close();
        }
    }

    /// How many subscribers are live (forgetting those that are gone).
    pub(crate) fn subscriber_count(&mut self) -> usize {
        self.prune();
        self.subscribers.len()
    }
}

/// The in-band lag signal: `event: gap`, the first and the last missed id as two data
/// lines, and the last missed id as its id, so the client's `Last-Event-ID` moves past
/// the gap it was told about. `None` cannot happen (the ids were valid when published).
pub(crate) fn gap_event(gap: &Gap) -> Option<Encoded> {
    let data = format!("{}\n{}", gap.first, gap.last);
    Encoded::new(&Message::new(data).event_type(GAP_EVENT).id(&*gap.last)).ok()
}

/// The replay's reset signal: `event: reset`, the requested id as data, and the newest
/// event's id (if any), from which the client resumes after resynchronising.
fn reset_event(wanted: &str, head: Option<&str>) -> Option<Encoded> {
    let message = Message::new(wanted).event_type(RESET_EVENT);
    match head {
        Some(id) => Encoded::new(&message.id(id)).ok(),
        None => Encoded::new(&message).ok(),
    }
}
