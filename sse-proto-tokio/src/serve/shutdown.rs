//! A graceful-shutdown signal that every live stream watches.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::watch;

/// A shutdown signal shared by a server and its streams. Open streams are what keep a
/// graceful shutdown from finishing (an SSE response never ends by itself); give each
/// [`Sse`](super::Sse) body the signal with [`Sse::shutdown`](super::Sse::shutdown) and,
/// once [`trigger`](Self::trigger)ed, every one of them sends its closing block (by default
/// a `: shutdown` comment, which no client takes for an event) and ends,
/// so `axum::serve(..).with_graceful_shutdown(..)` or hyper's `GracefulShutdown` can finish.
///
/// Clones share the signal. Triggering is sticky: a body created afterwards ends at once.
///
/// ```
/// use sse_proto_tokio::serve::Shutdown;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let shutdown = Shutdown::new();
/// let waiter = tokio::spawn(shutdown.wait());
/// shutdown.trigger();
/// waiter.await.unwrap(); // resolved
/// assert!(shutdown.is_triggered());
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Shutdown {
    signal: Arc<watch::Sender<bool>>,
}

impl Shutdown {
    /// A signal not yet triggered.
    ///
    /// ```
    /// assert!(!sse_proto_tokio::serve::Shutdown::new().is_triggered());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Shutdown {
            signal: Arc::new(watch::Sender::new(false)),
        }
    }

    /// Triggers the shutdown: every stream watching this signal closes.
    ///
    /// ```
    /// let shutdown = sse_proto_tokio::serve::Shutdown::new();
    /// shutdown.trigger();
    /// assert!(shutdown.is_triggered());
    /// ```
    pub fn trigger(&self) {
        self.signal.send_replace(true); // send_replace: works with no receiver yet
    }

    /// Whether [`trigger`](Self::trigger) was called.
    ///
    /// ```
    /// assert!(!sse_proto_tokio::serve::Shutdown::default().is_triggered());
    /// ```
    #[must_use]
    pub fn is_triggered(&self) -> bool {
        *self.signal.borrow()
    }

    /// A future that resolves once the signal is triggered (at once if it already was).
    /// It owns what it needs (`'static`), so it can be handed to
    /// `with_graceful_shutdown` or spawned.
    ///
    /// ```
    /// use futures_util::FutureExt;
    ///
    /// let shutdown = sse_proto_tokio::serve::Shutdown::new();
    /// let wait = shutdown.wait();
    /// let mut wait = std::pin::pin!(wait);
    /// assert_eq!(wait.as_mut().now_or_never(), None); // pending
    /// shutdown.trigger();
    /// assert_eq!(wait.now_or_never(), Some(())); // resolved
    /// assert_eq!(shutdown.wait().now_or_never(), Some(())); // and at once, afterwards
    /// ```
    pub fn wait(&self) -> impl Future<Output = ()> + Send + Sync + 'static + use<> {
        let mut receiver = self.signal.subscribe();
        async move {
            if receiver.wait_for(|&triggered| triggered).await.is_err() {
                // Every `Shutdown` was dropped untriggered: nobody can trigger it any more.
                std::future::pending::<()>().await;
            }
        }
    }
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown::new()
    }
}
