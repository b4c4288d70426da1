//! A subscriber's end of the hub: a stream of the shared encoded events.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::queue::Queue;
use super::topic::gap_event;
use crate::serve::Encoded;

/// One subscriber of a [`Hub`](super::Hub) topic: a [`Stream`] of [`Encoded`] events
/// (the replay first, then live events), to give to [`Sse::new`](crate::serve::Sse::new).
///
/// It ends when the hub closes it (lag with [`Lag::Close`](super::Lag::Close),
/// [`Hub::disconnect_all`](super::Hub::disconnect_all), [`Hub::remove_topic`](super::Hub::remove_topic),
/// a send timeout, or when the last handle to the hub is dropped); dropping it unsubscribes
/// and frees its queued events at once.
///
/// ```
/// use futures_util::StreamExt;
/// use sse_proto::Message;
/// use sse_proto_tokio::hub::Hub;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let hub = Hub::default();
/// let mut subscription = hub.subscribe("news", None);
/// let id = hub.publish("news", Message::new("hello"))?;
/// let event = format!("id: {id}\ndata: hello\n\n");
/// assert_eq!(subscription.next().await.unwrap().as_bytes(), event.as_bytes());
/// # Ok::<(), sse_proto_tokio::hub::PublishError>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
#[must_use = "a subscription receives nothing until polled"]
pub struct Subscription {
    queue: Arc<Queue>,
}

impl Subscription {
    pub(crate) fn new(queue: Arc<Queue>) -> Self {
        Subscription { queue }
    }
}

impl Stream for Subscription {
    type Item = Encoded;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Encoded>> {
        let mut state = self.queue.lock();
        if let Some(block) = state.pop() {
            return Poll::Ready(Some(block));
        }
        if let Some(gap) = state.gap.take() {
            // Drained while still lagging: tell now rather than at the next publish.
            if let Some(event) = gap_event(&gap) {
                return Poll::Ready(Some(event));
            }
            state.end = true; // cannot happen; never skip silently
        }
        if state.end {
            return Poll::Ready(None);
        }
        match &mut state.waker {
            Some(waker) => waker.clone_from(cx.waker()),
            None => state.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut state = self.queue.lock();
        state.dropped = true;
        state.clear(); // free the queue now; the topic forgets it soon (see `Topic::subscribe`)
        state.waker = None;
    }
}
