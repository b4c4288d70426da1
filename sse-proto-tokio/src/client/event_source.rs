//! [`EventSource`]: the stream side of a running client.

use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use sse_proto::Client;
use tokio::sync::mpsc;

use super::builder::Builder;
use super::connector::Connector;
use super::driver::{Driver, Queued};
use super::error::Error;
use super::event::Event;
use super::handle::{Handle, Shared};

/// A reconnecting Server-Sent Events client on tokio: a `Stream` of
/// `Result<`[`Event`]`, `[`Error`]`>`.
///
/// It follows the WHATWG EventSource processing model (through the sans-IO
/// [`sse_proto::Client`]): it reconnects after the reconnection time (3 s, or the server's
/// `retry`), sends `Last-Event-ID`, stops on 204 and on a clean end under
/// [`Reconnect::OnError`](crate::Reconnect::OnError), and yields an [`Error`] only when it
/// gives up for good, after which the stream ends. Connections are made by a
/// [`Connector`] (reqwest 0.12 or 0.13, hyper), in a task of its own; the stream reads
/// what that task hands over, at most a few dozen items ahead (backpressure: a slow
/// reader slows the reading of the body, memory stays bounded).
///
/// Dropping the `EventSource` stops the task and the connection; [`handle`](Self::handle)
/// gives a cloneable [`Handle`] to close it or reconnect now from any task.
///
/// ```no_run
/// use sse_proto_tokio::{Event, EventSource};
///
/// # #[cfg(feature = "reqwest")]
/// #[tokio::main]
/// async fn main() -> Result<(), sse_proto_tokio::Error> {
///     let mut events = EventSource::new(reqwest::Client::new(), "http://127.0.0.1:8080/events")?;
///     while let Some(event) = events.next().await {
///         if let Event::Message(message) = event? {
///             println!("{}: {}", message.event_type, message.data);
///         }
///     }
///     Ok(())
/// }
/// # #[cfg(not(feature = "reqwest"))] fn main() {}
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct EventSource {
    receiver: mpsc::Receiver<Queued>,
    handle: Handle,
    ended: bool,
}

impl EventSource {
    /// A client for `url` with the default settings, started with `connector`.
    ///
    /// # Errors
    ///
    /// [`Error::Request`] for a URL that can never be sent.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// assert!(sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://h/events").is_ok());
    /// assert!(sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://h /").is_err());
    /// # }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn new<C: Connector>(connector: C, url: impl Into<String>) -> Result<Self, Error> {
        Self::builder(url).connect(connector)
    }

    /// A [`Builder`] for `url`, for every other setting.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::builder("http://127.0.0.1:9/events")
    ///     .header("authorization", "Bearer t0ken")
    ///     .connect(reqwest::Client::new())?;
    /// # drop(events); Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn builder(url: impl Into<String>) -> Builder {
        Builder::new(url.into())
    }

    pub(crate) fn spawn<C: Connector>(
        builder: Builder,
        client: Client,
        connector: C,
    ) -> EventSource {
        let (sender, receiver) = mpsc::channel(builder.channel_capacity.max(1));
        let (commands, command_receiver) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared::new());
        let driver = Driver::new(
            builder,
            client,
            connector,
            sender,
            command_receiver,
            Arc::clone(&shared),
        );
        tokio::spawn(driver.run());
        EventSource {
            receiver,
            handle: Handle { commands, shared },
            ended: false,
        }
    }

    /// The next event, or `None` once the stream has ended (same as `StreamExt::next`,
    /// without the import).
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let mut events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// events.close();
    /// assert!(events.next().await.is_none());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub async fn next(&mut self) -> Option<Result<Event, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// A cloneable handle to close the client or reconnect now from any task.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// let handle = events.handle();
    /// tokio::spawn(async move { handle.reconnect_now() });
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// Closes the client (see [`Handle::close`]).
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let mut events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// events.close();
    /// assert!(events.handle().is_closed());
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    pub fn close(&mut self) {
        self.handle.close();
    }

    /// The last event ID: what the next attempt sends as `Last-Event-ID`.
    ///
    /// ```
    /// # #[cfg(feature = "reqwest")]
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_proto_tokio::Error> {
    /// let events = sse_proto_tokio::EventSource::new(reqwest::Client::new(), "http://127.0.0.1:9/")?;
    /// assert_eq!(events.last_event_id(), "");
    /// # Ok(()) }
    /// # #[cfg(not(feature = "reqwest"))] fn main() {}
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> String {
        self.handle.liveness().last_event_id
    }
}

impl Stream for EventSource {
    type Item = Result<Event, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended || self.handle.shared.closed.load(Ordering::SeqCst) {
            self.ended = true;
            return Poll::Ready(None);
        }
        // The event's share of the queue's byte budget goes back as it is taken.
        let item = std::task::ready!(self.receiver.poll_recv(cx)).map(|(item, _budget)| item);
        // After an error or the end, nothing more (the driver has stopped too).
        if !matches!(item, Some(Ok(_))) {
            self.ended = true;
        }
        Poll::Ready(item)
    }
}

impl FusedStream for EventSource {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}
