//! A bounded channel from a producer task to one response body, with a send timeout and a
//! disconnect signal.

use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use sse_proto::{Encode, EncodeError};
use tokio::sync::mpsc;

use super::Encoded;

/// The default time [`Sender::send`] waits for room before it gives the client up.
///
/// ```
/// assert_eq!(sse_proto_tokio::serve::DEFAULT_SEND_TIMEOUT.as_secs(), 10);
/// ```
pub const DEFAULT_SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// A bounded channel feeding one response: the producer keeps the [`Sender`], the
/// [`Receiver`] goes into [`Sse::new`](super::Sse::new).
///
/// * A full queue (the client reads slower than the producer writes) makes
///   [`send`](Sender::send) wait, but at most the send timeout ([`DEFAULT_SEND_TIMEOUT`],
///   see [`Sender::with_send_timeout`]): then the client is given up — its stream ends at once,
///   the queued events are freed, and `send` fails with [`SendError::Timeout`]. A frozen
///   client never stalls its producer for longer.
/// * When the body is dropped (the client went away, a write failed, the server shut
///   down), [`Sender::closed`] resolves and `send` fails with [`SendError::Closed`].
/// * Each event is encoded once, in the producer, by the core writer: a refused one is
///   [`SendError::Encode`] there, and the stream goes on.
///
/// ```
/// use sse_proto::Message;
/// use sse_proto_tokio::serve::{channel, Sse};
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let (sender, receiver) = channel(16);
/// let body = Sse::new(receiver); // return this from the handler
/// tokio::spawn(async move {
///     for n in 0..3 {
///         if sender.send(&Message::new(n.to_string())).await.is_err() {
///             break; // the client is gone
///         }
///     }
/// });
/// # use http_body_util::BodyExt;
/// # assert_eq!(body.collect().await.unwrap().to_bytes(), "data: 0\n\ndata: 1\n\ndata: 2\n\n");
/// # });
/// ```
#[must_use = "the receiver is the body's stream: give it to `Sse::new`"]
pub fn channel(capacity: usize) -> (Sender, Receiver) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    let given_up = Arc::new(AtomicBool::new(false));
    let sender = Sender {
        tx,
        timeout: DEFAULT_SEND_TIMEOUT,
        given_up: Arc::clone(&given_up),
    };
    (sender, Receiver { rx, given_up })
}

/// The producer's end of a [`channel`]. Cloning it gives another producer for the same
/// stream; the stream ends when every sender is dropped.
///
/// ```
/// use sse_proto::Message;
/// use sse_proto_tokio::serve::channel;
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let (sender, receiver) = channel(4);
/// let other = sender.clone();
/// sender.send(&Message::new("from one")).await?;
/// other.send(&Message::new("from another")).await?;
/// drop((sender, other)); // the last sender gone, the stream ends
/// # use http_body_util::BodyExt;
/// let bytes = sse_proto_tokio::serve::Sse::new(receiver).collect().await?.to_bytes();
/// assert_eq!(bytes, "data: from one\n\ndata: from another\n\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Sender {
    tx: mpsc::Sender<Encoded>,
    timeout: Duration,
    given_up: Arc<AtomicBool>,
}

impl Sender {
    /// Sets how long [`send`](Self::send) waits for room before giving the client up
    /// (default [`DEFAULT_SEND_TIMEOUT`]). Not to be confused with tokio's
    /// `mpsc::Sender::send_timeout`, which sends: this one configures, and `send` sends.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, SendError};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap().block_on(async {
    /// let (sender, mut receiver) = channel(1);
    /// let sender = sender.with_send_timeout(Duration::from_secs(2));
    /// sender.send(&Message::new("fills the queue")).await?;
    /// let start = tokio::time::Instant::now();
    /// // Nobody reads: after 2 s the client is given up, and its stream ends.
    /// assert_eq!(sender.send(&Message::new("no room")).await, Err(SendError::Timeout));
    /// assert_eq!(start.elapsed(), Duration::from_secs(2));
    /// assert!(sender.is_closed());
    /// # use futures_util::StreamExt;
    /// assert!(receiver.next().await.is_none());
    /// # Ok::<(), SendError>(())
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn with_send_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Encodes `block` once and queues it, waiting at most the send timeout for room.
    ///
    /// # Errors
    ///
    /// [`SendError::Encode`] if the writer refuses the block (the stream goes on);
    /// [`SendError::Closed`] if the body is gone; [`SendError::Timeout`] if the queue
    /// stayed full for the whole timeout, after which the stream is closed.
    ///
    /// ```
    /// use sse_proto::encode::IdError;
    /// use sse_proto::{EncodeError, Message};
    /// use sse_proto_tokio::serve::{channel, SendError};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let (sender, receiver) = channel(1);
    /// let bad = Message::new("x").id("1\n2");
    /// assert_eq!(sender.send(&bad).await, Err(SendError::Encode(EncodeError::Id(IdError::LineBreak))));
    /// drop(receiver);
    /// assert_eq!(sender.send(&Message::new("x")).await, Err(SendError::Closed));
    /// # });
    /// ```
    pub async fn send<B: Encode + ?Sized>(&self, block: &B) -> Result<(), SendError> {
        let encoded = Encoded::new(block).map_err(SendError::Encode)?;
        self.send_encoded(encoded).await
    }

    /// Queues a block already encoded (for example one event for many streams), as
    /// [`send`](Self::send).
    ///
    /// # Errors
    ///
    /// [`SendError::Closed`] or [`SendError::Timeout`], as for [`send`](Self::send).
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, Encoded};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// use futures_util::StreamExt;
    ///
    /// let event = Encoded::new(&Message::new("same bytes for all"))?;
    /// let (a, mut ra) = channel(4);
    /// let (b, mut rb) = channel(4);
    /// a.send_encoded(event.clone()).await?;
    /// b.send_encoded(event).await?;
    /// let (from_a, from_b) = (ra.next().await.unwrap(), rb.next().await.unwrap());
    /// assert_eq!(from_a.as_bytes().as_ptr(), from_b.as_bytes().as_ptr()); // not copied
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub async fn send_encoded(&self, block: Encoded) -> Result<(), SendError> {
        if self.given_up.load(Ordering::Acquire) {
            return Err(SendError::Closed);
        }
        match self.tx.send_timeout(block, self.timeout).await {
            Ok(()) => Ok(()),
            Err(mpsc::error::SendTimeoutError::Closed(_)) => Err(SendError::Closed),
            Err(mpsc::error::SendTimeoutError::Timeout(_)) => {
                // The receiver sees the flag on its next poll and ends, dropping the queue.
                self.given_up.store(true, Ordering::Release);
                Err(SendError::Timeout)
            }
        }
    }

    /// Resolves when the body is gone: dropped by the server (the client disconnected, a
    /// write failed, shutdown) or given up after a send timeout.
    ///
    /// ```
    /// use sse_proto_tokio::serve::channel;
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (sender, receiver) = channel(4);
    /// drop(receiver);
    /// sender.closed().await;
    /// assert!(sender.is_closed());
    /// # });
    /// ```
    pub async fn closed(&self) {
        if !self.given_up.load(Ordering::Acquire) {
            self.tx.closed().await;
        }
    }

    /// Whether the body is gone (see [`closed`](Self::closed)).
    ///
    /// ```
    /// let (sender, _receiver) = sse_proto_tokio::serve::channel(4);
    /// assert!(!sender.is_closed());
    /// ```
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.given_up.load(Ordering::Acquire) || self.tx.is_closed()
    }
}

/// The body's end of a [`channel`]: a [`Stream`] of [`Encoded`] blocks for
/// [`Sse::new`](super::Sse::new).
///
/// ```
/// use futures_util::StreamExt;
/// use sse_proto::Message;
/// use sse_proto_tokio::serve::channel;
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let (sender, mut receiver) = channel(4);
/// sender.send(&Message::new("x")).await.unwrap();
/// drop(sender);
/// assert_eq!(receiver.next().await.unwrap().as_bytes(), b"data: x\n\n");
/// assert!(receiver.next().await.is_none()); // every sender gone: the stream ends
/// # });
/// ```
#[derive(Debug)]
pub struct Receiver {
    rx: mpsc::Receiver<Encoded>,
    given_up: Arc<AtomicBool>,
}

impl Stream for Receiver {
    type Item = Encoded;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Encoded>> {
        if self.given_up.load(Ordering::Acquire) {
            self.rx.close(); // frees the queue now, and wakes `closed()`
            while self.rx.try_recv().is_ok() {}
            return Poll::Ready(None);
        }
        self.rx.poll_recv(cx)
    }
}

/// Why [`Sender::send`] failed.
///
/// Its message does not repeat its cause: the writer's error is its
/// [`source`](std::error::Error::source), as error reporters expect.
///
/// ```
/// use std::error::Error;
/// use sse_proto::EncodeError;
/// use sse_proto_tokio::serve::SendError;
///
/// assert_eq!(SendError::Timeout.to_string(), "the client did not read in time and was dropped");
/// let refused = SendError::Encode(EncodeError::EventType);
/// assert_eq!(refused.to_string(), "event could not be encoded");
/// assert_eq!(refused.source().unwrap().to_string(), "event type contains a line break (CR or LF)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendError {
    /// The core writer refused the block; nothing was queued and the stream goes on.
    ///
    /// ```
    /// use sse_proto::{EncodeError, Message};
    /// use sse_proto_tokio::serve::{channel, SendError};
    ///
    /// # futures_util::FutureExt::now_or_never(async {
    /// let (sender, _receiver) = channel(4);
    /// let refused = sender.send(&Message::new("x").event_type("a\rb")).await;
    /// assert_eq!(refused, Err(SendError::Encode(EncodeError::EventType)));
    /// assert!(!sender.is_closed());
    /// # }).unwrap();
    /// ```
    Encode(EncodeError),
    /// The body is gone (the client disconnected, a write failed, or shutdown).
    ///
    /// ```
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, SendError, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let (sender, receiver) = channel(4);
    /// drop(Sse::new(receiver)); // what the server does when the client leaves
    /// assert_eq!(sender.send(&Message::new("x")).await, Err(SendError::Closed));
    /// # });
    /// ```
    Closed,
    /// The queue stayed full for the send timeout: the client was given up and its stream
    /// closed. See [`Sender::with_send_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, SendError};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap().block_on(async {
    /// let (sender, _receiver) = channel(1); // nobody reads
    /// sender.send(&Message::new("1")).await.unwrap();
    /// assert_eq!(sender.send(&Message::new("2")).await, Err(SendError::Timeout)); // after 10 s
    /// assert!(sender.is_closed());
    /// # });
    /// ```
    Timeout,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Encode(_) => f.write_str("event could not be encoded"),
            SendError::Closed => f.write_str("the client is gone"),
            SendError::Timeout => f.write_str("the client did not read in time and was dropped"),
        }
    }
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SendError::Encode(e) => Some(e),
            _ => None,
        }
    }
}
