//! The response body: a stream of blocks, each encoded once, with a keep-alive timer,
//! an optional `retry` first, and a graceful-shutdown watch.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use pin_project_lite::pin_project;
use sse_proto::{Comment, EncodeError, KeepAlive, Retry};
use tokio::sync::watch;
use tokio::time::{Instant, Sleep};

use super::{deadline_after, Encoded, IntoEncoded, Shutdown};

/// The default quiet interval after which a keep-alive comment is sent: 15 seconds, as the
/// spec suggests (WHATWG HTML §9.2.7; rule P24 of sse-proto's `spec-vectors/RULES.md`) and below the 30–60 s
/// idle timeouts of common proxies and load balancers.
///
/// ```
/// assert_eq!(sse_proto_tokio::serve::DEFAULT_KEEP_ALIVE.as_secs(), 15);
/// ```
pub const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The header that tells nginx (and proxies that copy it) not to buffer the response.
const X_ACCEL_BUFFERING: &str = "x-accel-buffering";

// `Sync` too, so that `Sse` is `Sync` whenever its stream is (`Shutdown::wait` is).
type ShutdownFuture = Pin<Box<dyn Future<Output = ()> + Send + Sync>>;

pin_project! {
    /// A `text/event-stream` response body: an [`http_body::Body`] (hyper and axum take it
    /// as is) that sends each item of a [`Stream`] as one frame, encoded once by the core
    /// writer.
    ///
    /// * **Keep-alive on by default**: after [`DEFAULT_KEEP_ALIVE`] without a frame, a
    ///   keep-alive comment (`:` and a blank line, dispatching nothing) is sent, so proxies
    ///   and load balancers do not cut a quiet stream. Every frame restarts the interval.
    ///   Change it with [`keep_alive`](Self::keep_alive), and what is sent with
    ///   [`keep_alive_block`](Self::keep_alive_block) (an event, for a heartbeat that page
    ///   scripts can see).
    /// * **Typed errors, never a panic**: an item the writer refuses (an event type with a
    ///   line break, an id with a line break or NUL) ends the body with
    ///   [`ServeError::Encode`]; nothing of it is sent. Encode with [`Encoded::new`] in the
    ///   producer to handle the error there instead. Empty data is sent as `data:`, which
    ///   still dispatches an event.
    /// * **Graceful shutdown**: with [`shutdown`](Self::shutdown), a triggered [`Shutdown`]
    ///   makes the body send its closing block (a `: shutdown` comment, which dispatches
    ///   nothing) and end, so the server's graceful shutdown is not held up by open
    ///   streams.
    /// * **Disconnects**: the body is dropped when the client goes away or a write fails;
    ///   a producer notices through [`disconnected`](Self::disconnected), or through
    ///   [`Sender::closed`](super::Sender::closed) when it feeds a [`channel`](super::channel).
    /// * **Headers**: [`into_http_response`](Self::into_http_response) and, with the `axum`
    ///   feature, axum's `IntoResponse` set `Content-Type: text/event-stream`,
    ///   `Cache-Control: no-cache, no-transform` and `X-Accel-Buffering: no`, and no
    ///   `Connection` header (hop-by-hop, forbidden in HTTP/2).
    ///
    /// ```
    /// use http_body_util::BodyExt;
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::Sse;
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let events = futures_util::stream::iter([Message::new("a"), Message::new("")]);
    /// let body = Sse::new(events).into_http_response().into_body();
    /// let bytes = body.collect().await.unwrap().to_bytes();
    /// assert_eq!(bytes, "data: a\n\ndata:\n\n");
    /// # });
    /// ```
    #[must_use = "a body does nothing until it is sent as a response"]
    pub struct Sse<S> {
        // Set to `None` when the body ends, so that the producer's end of the stream sees
        // the disconnect even if the server keeps the finished body around.
        #[pin]
        stream: Option<S>,
        keep_alive: Option<Duration>,
        // `None`: the keep-alive comment. Boxed: 8 bytes in every body (an idle hub
        // subscriber's cost) rather than the 32 of an `Encoded`.
        keep_alive_block: Option<Box<Encoded>>,
        // Created on the first poll (a timer needs the runtime) and re-armed only when it
        // fires: an event just records the time, so a busy stream never touches the timer.
        timer: Option<Pin<Box<Sleep>>>,
        last_frame: Option<Instant>,
        first: Option<Encoded>,
        shutdown: Option<ShutdownFuture>,
        closing: Option<Encoded>,
        // Dropped when the body ends or is dropped: every `disconnected()` future resolves.
        disconnected: Option<watch::Sender<()>>,
    }
}

/// Shows the settings and the state, not the stream (which need not be `Debug`).
///
/// ```
/// use sse_proto_tokio::serve::{channel, Sse};
///
/// let (_sender, receiver) = channel(16);
/// let body = Sse::new(receiver);
/// assert_eq!(
///     format!("{body:?}"),
///     "Sse { keep_alive: Some(15s), keep_alive_block: Encoded(b\":\\n\\n\"), retry: None, \
///      shutdown: false, closing: None, ended: false, .. }",
/// );
/// ```
impl<S> fmt::Debug for Sse<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sse")
            .field("keep_alive", &self.keep_alive)
            .field(
                "keep_alive_block",
                self.keep_alive_block
                    .as_deref()
                    .unwrap_or(&Encoded::keep_alive()),
            )
            .field("retry", &self.first)
            .field("shutdown", &self.shutdown.is_some())
            .field("closing", &self.closing)
            .field("ended", &self.stream.is_none())
            .finish_non_exhaustive()
    }
}

impl<S> Sse<S> {
    /// A body sending the items of `stream`, with keep-alive on and no shutdown signal.
    ///
    /// ```
    /// use http_body_util::BodyExt;
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let (sender, receiver) = channel(16);
    /// let body = Sse::new(receiver);
    /// sender.send(&Message::new("x").event_type("tick")).await?;
    /// drop(sender); // the stream ends, so the body does
    /// assert_eq!(body.collect().await?.to_bytes(), "event: tick\ndata: x\n\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn new(stream: S) -> Self {
        Sse {
            stream: Some(stream),
            keep_alive: Some(DEFAULT_KEEP_ALIVE),
            keep_alive_block: None,
            timer: None,
            last_frame: None,
            first: None,
            shutdown: None,
            closing: None,
            disconnected: None,
        }
    }

    /// Sends a keep-alive comment after `interval` without a frame (default
    /// [`DEFAULT_KEEP_ALIVE`]). A zero interval is taken as one millisecond.
    ///
    /// ```
    /// use std::time::Duration;
    /// use http_body_util::BodyExt;
    /// use sse_proto_tokio::serve::{channel, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap().block_on(async {
    /// let (_sender, receiver) = channel(16);
    /// let mut body = Sse::new(receiver).keep_alive(Duration::from_secs(5));
    /// let start = tokio::time::Instant::now();
    /// let frame = body.frame().await.unwrap().unwrap(); // nothing sent for 5 s:
    /// assert_eq!(frame.into_data().unwrap(), ":\n\n"); // a comment, which dispatches nothing
    /// assert_eq!(start.elapsed(), Duration::from_secs(5));
    /// # });
    /// ```
    pub fn keep_alive(mut self, interval: Duration) -> Self {
        self.keep_alive = Some(interval.max(Duration::from_millis(1)));
        self
    }

    /// What is sent after a quiet interval, in place of the keep-alive comment `:` (WHATWG
    /// HTML §9.2.7; rule P24 of sse-proto's `spec-vectors/RULES.md`). Keep-alive itself is
    /// still turned on and off, and timed, by [`keep_alive`](Self::keep_alive) and
    /// [`no_keep_alive`](Self::no_keep_alive).
    ///
    /// * A comment with a text (`: ping`) still dispatches nothing; a reader such as
    ///   `curl` sees what it is.
    /// * An event is a heartbeat the page's script can see (a browser shows no comment to
    ///   it), to tell a live but quiet stream from a dead one. Every client delivers it, as
    ///   a message (this crate's `EventSource` as an `Event::Message`): give it a type of
    ///   its own, which a browser shows only to an `addEventListener` for that type, never
    ///   to `onmessage`. Give it no `id`: an id would become the client's last event ID, and
    ///   a reconnect would resume after the heartbeat rather than after the last real
    ///   event.
    ///
    /// ```
    /// use std::time::Duration;
    /// use http_body_util::BodyExt;
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, Encoded, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap().block_on(async {
    /// let ping = Encoded::new(&Message::new("").event_type("ping"))?; // addEventListener("ping", ..)
    /// let (_sender, receiver) = channel(16);
    /// let mut body = Sse::new(receiver).keep_alive(Duration::from_secs(20)).keep_alive_block(ping);
    /// let frame = body.frame().await.unwrap()?; // nothing sent for 20 s:
    /// assert_eq!(frame.into_data().unwrap(), "event: ping\ndata:\n\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn keep_alive_block(mut self, block: Encoded) -> Self {
        self.keep_alive_block = Some(Box::new(block));
        self
    }

    /// Turns the keep-alive off (not advised behind a proxy).
    ///
    /// ```
    /// use std::time::Duration;
    /// use http_body_util::BodyExt;
    /// use sse_proto_tokio::serve::{channel, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap().block_on(async {
    /// let (_sender, receiver) = channel(16);
    /// let mut body = Sse::new(receiver).no_keep_alive();
    /// let an_hour = tokio::time::timeout(Duration::from_secs(3600), body.frame()).await;
    /// assert!(an_hour.is_err()); // not a byte in an hour of silence
    /// # });
    /// ```
    pub fn no_keep_alive(mut self) -> Self {
        self.keep_alive = None;
        self
    }

    /// Starts the stream with a `retry` block, setting the client's reconnection time.
    ///
    /// ```
    /// use std::time::Duration;
    /// use http_body_util::BodyExt;
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let (sender, receiver) = channel(16);
    /// let body = Sse::new(receiver).retry(Duration::from_millis(500));
    /// sender.send(&Message::new("x")).await?;
    /// drop(sender);
    /// assert_eq!(body.collect().await?.to_bytes(), "retry: 500\n\ndata: x\n\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn retry(mut self, delay: Duration) -> Self {
        // A `retry` block is always valid: its encoding cannot fail.
        self.first = Encoded::new(&Retry::from(delay)).ok();
        self
    }

    /// Ends the body when `shutdown` is triggered: the closing block and then the end of
    /// the body, even if the stream has more to send.
    ///
    /// The default closing block is the comment `: shutdown`: it dispatches no event (WHATWG
    /// HTML §9.2.6; rule P9 of sse-proto's `spec-vectors/RULES.md`), so no client takes it
    /// for a message, and the end of the body makes every EventSource reconnect with its
    /// `Last-Event-ID` (to the next server, or after the restart). A person reading the
    /// stream with `curl` sees why it ended. To send an event instead, see
    /// [`closing`](Self::closing).
    ///
    /// ```
    /// use http_body_util::BodyExt;
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, Shutdown, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let shutdown = Shutdown::new();
    /// let (sender, receiver) = channel(16);
    /// let mut body = Sse::new(receiver).shutdown(&shutdown);
    /// sender.send(&Message::new("first")).await?;
    /// assert_eq!(body.frame().await.unwrap()?.into_data().unwrap(), "data: first\n\n");
    /// shutdown.trigger(); // the server shuts down
    /// let closing = body.frame().await.unwrap()?.into_data().unwrap();
    /// assert_eq!(closing, ": shutdown\n\n"); // a comment: no client sees an event
    /// assert!(body.frame().await.is_none()); // then the body ends,
    /// assert!(sender.is_closed()); // which the producer sees
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn shutdown(mut self, shutdown: &Shutdown) -> Self {
        self.shutdown = Some(Box::pin(shutdown.wait()));
        if self.closing.is_none() {
            // A comment is always valid: its encoding cannot fail.
            self.closing = Encoded::new(&Comment::new("shutdown")).ok();
        }
        self
    }

    /// The block sent on shutdown before the body ends, in place of the default
    /// `: shutdown` comment: a `retry` telling clients when to come back, or an event.
    ///
    /// An event is delivered as a message by every non-browser client (this crate's
    /// `EventSource` among them: an `Event::Message` whose `event_type` is `shutdown`), so
    /// send one only to clients that expect it; a browser's EventSource shows a named event
    /// only to an `addEventListener` for its type, never to `onmessage`. An event without
    /// an `id` carries the client's last event ID, which it does not change.
    ///
    /// ```
    /// use http_body_util::BodyExt;
    /// use sse_proto::Retry;
    /// use sse_proto_tokio::serve::{channel, Encoded, Shutdown, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let shutdown = Shutdown::new();
    /// shutdown.trigger(); // already: the body sends its closing block and ends at once
    /// let (_sender, receiver) = channel(16);
    /// let body = Sse::new(receiver).shutdown(&shutdown).closing(Encoded::new(&Retry(5000))?);
    /// assert_eq!(body.collect().await?.to_bytes(), "retry: 5000\n\n"); // come back in 5 s
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// The event `shutdown`, for clients that listen for it:
    ///
    /// ```
    /// use http_body_util::BodyExt;
    /// use sse_proto::Message;
    /// use sse_proto_tokio::serve::{channel, Encoded, Shutdown, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let shutdown = Shutdown::new();
    /// shutdown.trigger();
    /// let (_sender, receiver) = channel(16);
    /// let event = Encoded::new(&Message::new("").event_type("shutdown"))?;
    /// let body = Sse::new(receiver).shutdown(&shutdown).closing(event);
    /// assert_eq!(body.collect().await?.to_bytes(), "event: shutdown\ndata:\n\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn closing(mut self, block: Encoded) -> Self {
        self.closing = Some(block);
        self
    }

    /// A future that resolves when this body is dropped or has ended: the client went
    /// away, a write failed, the stream ended or the server shut down. A producer that is
    /// not fed by a [`channel`](super::channel) awaits it to stop working for nobody.
    ///
    /// ```
    /// use sse_proto_tokio::serve::{channel, Sse};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (_sender, receiver) = channel(16);
    /// let mut body = Sse::new(receiver);
    /// let gone = body.disconnected();
    /// drop(body); // what hyper does when the client disconnects
    /// gone.await;
    /// # });
    /// ```
    pub fn disconnected(&mut self) -> impl Future<Output = ()> + Send + 'static + use<S> {
        let mut receiver = match &self.disconnected {
            Some(sender) => sender.subscribe(),
            None => {
                let (sender, receiver) = watch::channel(());
                self.disconnected = Some(sender);
                receiver
            }
        };
        async move {
            // Nothing is ever sent: this ends with `Err` once the sender is dropped.
            while receiver.changed().await.is_ok() {}
        }
    }

    /// The body as an HTTP response (status 200) with the proxy-safe headers: for hyper,
    /// or any server that takes an `http::Response` with an [`http_body::Body`].
    ///
    /// ```
    /// use sse_proto_tokio::serve::{channel, Sse};
    ///
    /// let (_sender, receiver) = channel(16);
    /// let response = Sse::new(receiver).into_http_response();
    /// assert_eq!(response.headers()["content-type"], "text/event-stream");
    /// assert_eq!(response.headers()["cache-control"], "no-cache, no-transform");
    /// assert_eq!(response.headers()["x-accel-buffering"], "no");
    /// assert!(response.headers().get("connection").is_none());
    /// ```
    pub fn into_http_response(self) -> http::Response<Self> {
        let mut response = http::Response::new(self);
        set_headers(response.headers_mut());
        response
    }
}

/// Sets the proxy-safe response headers of an event stream.
pub(crate) fn set_headers(headers: &mut http::HeaderMap) {
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    // no-cache: caches must not serve a stale stream. no-transform: proxies must not
    // rewrite it (a compressing proxy would hold events back to fill its blocks).
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-transform"),
    );
    headers.insert(X_ACCEL_BUFFERING, HeaderValue::from_static("no"));
}

impl<S, T> http_body::Body for Sse<S>
where
    S: Stream<Item = T>,
    T: IntoEncoded,
{
    type Data = Bytes;
    type Error = ServeError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, ServeError>>> {
        let mut this = self.project();
        let Some(stream) = this.stream.as_mut().as_pin_mut() else {
            return Poll::Ready(None); // ended
        };
        if let Some(first) = this.first.take() {
            return Poll::Ready(Some(Ok(frame(first.into_bytes()))));
        }
        if let Some(shutdown) = this.shutdown {
            if shutdown.as_mut().poll(cx).is_ready() {
                this.stream.set(None);
                this.disconnected.take();
                return Poll::Ready(this.closing.take().map(|b| Ok(frame(b.into_bytes()))));
            }
        }
        match stream.poll_next(cx) {
            Poll::Ready(Some(item)) => match item.into_encoded() {
                Ok(block) => {
                    if this.keep_alive.is_some() {
                        *this.last_frame = Some(Instant::now());
                    }
                    return Poll::Ready(Some(Ok(frame(block.into_bytes()))));
                }
                Err(e) => {
                    this.stream.set(None);
                    this.disconnected.take();
                    return Poll::Ready(Some(Err(ServeError::Encode(e))));
                }
            },
            Poll::Ready(None) => {
                this.stream.set(None);
                this.disconnected.take(); // wakes whoever awaits `disconnected`
                return Poll::Ready(None);
            }
            Poll::Pending => {}
        }
        let Some(interval) = *this.keep_alive else {
            return Poll::Pending;
        };
        let now = Instant::now();
        let last = *this.last_frame.get_or_insert(now);
        let timer = this.timer.get_or_insert_with(|| {
            Box::pin(tokio::time::sleep_until(deadline_after(last, interval)))
        });
        loop {
            if timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let due = deadline_after(last, interval);
            if due > now {
                // An event went out since the timer was armed: wait out the rest.
                timer.as_mut().reset(due);
                continue;
            }
            *this.last_frame = Some(now);
            timer.as_mut().reset(deadline_after(now, interval));
            // Static bytes, or a clone of `Bytes` (a reference count).
            let block = match this.keep_alive_block {
                None => Bytes::from_static(KeepAlive::BYTES),
                Some(block) => block.as_ref().clone().into_bytes(),
            };
            return Poll::Ready(Some(Ok(frame(block))));
        }
    }
}

fn frame(bytes: Bytes) -> http_body::Frame<Bytes> {
    http_body::Frame::data(bytes)
}

/// Why a response body ended early.
///
/// Its message does not repeat its cause: the writer's error is its
/// [`source`](std::error::Error::source), as error reporters expect.
///
/// ```
/// use std::error::Error;
/// use sse_proto::EncodeError;
/// use sse_proto_tokio::serve::ServeError;
///
/// let e = ServeError::Encode(EncodeError::EventType);
/// assert_eq!(e.to_string(), "event could not be encoded");
/// assert_eq!(e.source().unwrap().to_string(), "event type contains a line break (CR or LF)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServeError {
    /// An item of the stream was refused by the core writer; nothing of it was sent.
    ///
    /// ```
    /// use sse_proto::EncodeError;
    /// use sse_proto_tokio::serve::ServeError;
    ///
    /// assert!(matches!(ServeError::Encode(EncodeError::EventType), ServeError::Encode(_)));
    /// ```
    Encode(EncodeError),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Encode(_) => f.write_str("event could not be encoded"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Encode(e) => Some(e),
        }
    }
}
