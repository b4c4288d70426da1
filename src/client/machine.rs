//! The state machine itself: inputs in, outputs queued, drained by the caller.

use alloc::collections::VecDeque;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::time::Duration;

use super::attempt::AttemptId;
use super::backoff::SplitMix64;
use super::config::{ClientConfig, ConfigError};
use super::http::{is_event_stream, RetryAfter};
use super::input::{InputError, ResponseHead, TransportError};
use super::instant::{millis_of, Instant};
use super::output::{CloseReason, FailReason, Output, ReconnectReason, Request};
use super::reconnect::Reconnect;
use crate::decode::Decoder;
use crate::decode::OWNED_PIECE;
use crate::event::{Item, SharedId};

/// The `readyState` of an EventSource (C1). Exactly the spec's three values, so it is
/// exhaustive; [`as_u16`](Self::as_u16) gives the DOM number.
///
/// ```
/// use sse_proto::client::ReadyState;
///
/// assert_eq!(ReadyState::Connecting.as_u16(), 0);
/// assert_eq!(ReadyState::Open.as_u16(), 1);
/// assert_eq!(ReadyState::Closed.as_u16(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadyState {
    /// Not yet open, or lost and reconnecting (C1, C14 step 1). The initial state.
    Connecting,
    /// Open and dispatching events (C13).
    Open,
    /// Not open and never reconnecting: failed (C15) or closed (C26).
    Closed,
}

impl ReadyState {
    /// The DOM constant: `CONNECTING` 0, `OPEN` 1, `CLOSED` 2.
    ///
    /// ```
    /// use sse_proto::{client::Instant, Client, ClientConfig};
    ///
    /// let client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.ready_state().as_u16(), 0); // EventSource.CONNECTING
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn as_u16(self) -> u16 {
        match self {
            ReadyState::Connecting => 0,
            ReadyState::Open => 1,
            ReadyState::Closed => 2,
        }
    }
}

/// Where the client is. `ReadyState` is a view of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// A `Connect` was asked for at `since`; no response yet. CONNECTING.
    AwaitingResponse { since: Instant },
    /// The stream opened at `since`; the last bytes arrived at `last_bytes`. OPEN.
    Open { since: Instant, last_bytes: Instant },
    /// Lost; reconnect at `until` (C14 steps 2–3). CONNECTING.
    Waiting { until: Instant },
    /// Failed or closed, for good. CLOSED.
    Closed,
}

/// The sans-IO EventSource client (C1–C31).
///
/// You do the I/O and own the clock; the client decides. It is the quinn-proto /
/// str0m shape:
///
/// * **Inputs**, each with `now`: [`handle_response`](Self::handle_response) (the
///   response head), [`handle_body`](Self::handle_body) (body bytes, any chunking),
///   [`handle_body_end`](Self::handle_body_end), [`handle_transport_error`](Self::handle_transport_error),
///   [`handle_timeout`](Self::handle_timeout) (time has passed), and the commands
///   [`close`](Self::close) and [`reconnect_now`](Self::reconnect_now).
/// * **Outputs**: after **every** input, drain [`poll_output`](Self::poll_output) until
///   it returns `None`, acting on each [`Output`] in order; then ask
///   [`poll_timeout`](Self::poll_timeout) when to call `handle_timeout` next, and wait
///   for I/O or that instant, whichever comes first.
///
/// [`Client::new`] queues the first `Connect`. From then on the client follows the
/// spec: a 200 `text/event-stream` response opens (C11); 204 ends for good (C9); any
/// other status or a wrong Content-Type fails for good (C9, C10); the end of the body
/// or a transport error reconnects after the reconnection time (C12, C14). The last
/// event ID and the reconnection time survive every reconnect (D3), and
/// `Last-Event-ID` is sent exactly when the last event ID is non-empty (C17). Policies
/// beyond the spec are opt-in in [`ClientConfig`] (D11).
///
/// **Time** never goes backwards: a `now` earlier than one already seen counts as the
/// latest one seen. **Inputs that make no sense** in the current state (bytes before a
/// response, a response while waiting to reconnect, anything after CLOSED) return an
/// [`InputError`] and change nothing. No sequence of calls can make it panic.
///
/// # Example
///
/// ```
/// use sse_proto::{client::{Instant, Output, ReadyState, ResponseHead}, Client, ClientConfig, OwnedItem};
///
/// let t = Instant::from_millis;
/// let mut client = Client::new(ClientConfig::new("http://example.test/events"), t(0))?;
/// assert!(matches!(client.poll_output(), Some(Output::Connect(_))));
///
/// let head = ResponseHead::new(200).content_type("text/event-stream");
/// client.handle_response(t(10), client.attempt(), &head).unwrap();
/// assert_eq!(client.poll_output(), Some(Output::Open));
/// assert_eq!(client.ready_state(), ReadyState::Open);
///
/// client.handle_body(t(20), client.attempt(), b"id: 7\ndata: hello\n\n").unwrap();
/// let Some(Output::Item(OwnedItem::Event(event))) = client.poll_output() else { panic!() };
/// assert_eq!((event.data.as_str(), &*event.last_event_id), ("hello", "7"));
///
/// client.handle_body_end(t(30), client.attempt()).unwrap(); // the server closed: reconnect in 3 s (D10)
/// assert!(matches!(client.poll_output(), Some(Output::WaitUntil { at, .. }) if at == t(3030)));
/// assert_eq!(client.ready_state(), ReadyState::Connecting);
/// assert_eq!(client.poll_timeout(), Some(t(3030)));
///
/// client.handle_timeout(t(3030));
/// let Some(Output::Connect(request)) = client.poll_output() else { panic!() };
/// assert_eq!(request.header("Last-Event-ID"), Some("7"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    config: ClientConfig,
    decoder: Decoder,
    state: State,
    /// The latest `now` seen.
    now: Instant,
    /// The reconnection time in ms (C14 step 2), clamped (D2): the configured one
    /// until a `retry` field sets it (P15).
    reconnection_time: u64,
    /// Consecutive failed attempts since the last healthy connection.
    failures: u32,
    /// Whether the current attempt has dispatched an event (D12).
    delivered: bool,
    /// The latest attempt: `Connect`s asked for so far.
    attempt: AttemptId,
    rng: SplitMix64,
    outputs: VecDeque<Output>,
    /// Body bytes handed in but not decoded yet: decoded a piece at a time as the outputs
    /// are drained, so one read never becomes all its items at once.
    pending: Vec<u8>,
    /// How much of `pending` is decoded.
    pending_pos: usize,
    /// The events' last event ID, shared while it stays the same.
    shared_id: SharedId,
}

/// The state and sizes rather than the queues' contents, which may hold megabytes of
/// events and body bytes: a `{:?}` in a log line must stay a line.
impl core::fmt::Debug for Client {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.config.url)
            .field("state", &self.state)
            .field("now", &self.now)
            .field("reconnection_time_ms", &self.reconnection_time)
            .field("failures", &self.failures)
            .field("attempt", &self.attempt)
            .field("queued_outputs", &self.outputs.len())
            .field(
                "undecoded_bytes",
                &self.pending.len().saturating_sub(self.pending_pos),
            )
            .field("decoder", &self.decoder)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config`, created at `now`. Its ready state is CONNECTING (C1) and
    /// the first [`Output::Connect`] is queued; `Last-Event-ID` is in it only if an
    /// initial last event ID was configured (C20).
    ///
    /// # Errors
    ///
    /// The configuration is checked here, once ([`ClientConfig::validate`]): a method or
    /// header that is not valid HTTP, a reserved header, or an initial last event ID with
    /// NUL, CR or LF is a [`ConfigError`] naming the setting.
    ///
    /// ```
    /// use sse_proto::client::{ConfigError, Instant, ReadyState};
    /// use sse_proto::{Client, ClientConfig};
    ///
    /// let client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.ready_state(), ReadyState::Connecting);
    ///
    /// let bad = ClientConfig::new("http://h/").method("GET /");
    /// assert_eq!(Client::new(bad, Instant::EPOCH).unwrap_err(), ConfigError::InvalidMethod);
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn new(config: ClientConfig, now: Instant) -> Result<Client, ConfigError> {
        config.validate()?;
        let mut decoder = Decoder::with_config(config.decoder);
        decoder
            .set_last_event_id(&config.initial_last_event_id)
            .map_err(ConfigError::InvalidLastEventId)?;
        let reconnection_time = config.clamp_reconnection_time(millis_of(config.reconnection_time));
        let seed = config.backoff.as_ref().map_or(0, |b| b.seed);
        let mut client = Client {
            config,
            decoder,
            state: State::Closed,
            now,
            reconnection_time,
            failures: 0,
            delivered: false,
            attempt: AttemptId(0),
            rng: SplitMix64::new(seed),
            outputs: VecDeque::new(),
            pending: Vec::new(),
            pending_pos: 0,
            shared_id: SharedId::default(),
        };
        client.connect(now);
        Ok(client)
    }

    /// The configuration.
    ///
    /// ```
    /// # use sse_proto::{client::Instant, Client, ClientConfig};
    /// let client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.config().url, "http://h/");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The ready state (C1): CONNECTING until a stream opens and while waiting to
    /// reconnect, OPEN while a stream is open, CLOSED after a failure or a close.
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, ReadyState}, Client, ClientConfig};
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// client.close(Instant::EPOCH);
    /// assert_eq!(client.ready_state(), ReadyState::Closed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn ready_state(&self) -> ReadyState {
        match self.state {
            State::AwaitingResponse { .. } | State::Waiting { .. } => ReadyState::Connecting,
            State::Open { .. } => ReadyState::Open,
            State::Closed => ReadyState::Closed,
        }
    }

    /// The last event ID (P17): what the next request sends as `Last-Event-ID` when
    /// non-empty. Kept across reconnects, id-less events and cut-off blocks (D3, D4). Body
    /// bytes count once their outputs are drained ([`handle_body`](Self::handle_body)
    /// decodes as [`poll_output`](Self::poll_output) is called).
    ///
    /// ```
    /// # use sse_proto::{client::Instant, Client, ClientConfig};
    /// let client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.last_event_id(), "");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn last_event_id(&self) -> &str {
        self.decoder.last_event_id()
    }

    /// The reconnection time in force (C14 step 2): configured, or set by the last
    /// `retry` field (P15), clamped by the configured minimum and maximum.
    ///
    /// ```
    /// # use sse_proto::{client::Instant, Client, ClientConfig};
    /// # use core::time::Duration;
    /// let client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.reconnection_time(), Duration::from_secs(3)); // D10
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn reconnection_time(&self) -> Duration {
        Duration::from_millis(self.reconnection_time)
    }

    /// Consecutive failed connection attempts since the last healthy connection (what
    /// [`Backoff`](crate::client::Backoff) and [`max_attempts`](ClientConfig::max_attempts) use).
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, TransportError}, Client, ClientConfig};
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// client.handle_transport_error(Instant::EPOCH, client.attempt(), TransportError::Transient).unwrap();
    /// assert_eq!(client.failures(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn failures(&self) -> u32 {
        self.failures
    }

    /// How many outputs are decoded and waiting to be drained. Body bytes are decoded 4 KiB
    /// at a time as outputs are drained, so this stays below about 2,050 (one item per
    /// two bytes of a piece, plus the few outputs of one input) whatever the body holds.
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, ResponseHead}, Client, ClientConfig};
    /// let now = Instant::EPOCH;
    /// let mut client = Client::new(ClientConfig::new("http://h/"), now)?;
    /// assert_eq!(client.queued_outputs(), 1); // the first Connect
    /// let head = ResponseHead::new(200).content_type("text/event-stream");
    /// client.handle_response(now, client.attempt(), &head)?;
    /// client.handle_body(now, client.attempt(), &b"data\n\n".repeat(100_000))?;
    /// let mut most = 0;
    /// while client.poll_output().is_some() {
    ///     most = most.max(client.queued_outputs());
    /// }
    /// assert!(most < Client::MAX_QUEUED_OUTPUTS);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn queued_outputs(&self) -> usize {
        self.outputs.len()
    }

    /// A bound on [`queued_outputs`](Self::queued_outputs) for a caller that drains after
    /// every input.
    ///
    /// ```
    /// use sse_proto::client::{Instant, ResponseHead};
    /// use sse_proto::{Client, ClientConfig};
    ///
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// while client.poll_output().is_some() {}
    /// let head = ResponseHead::new(200).content_type("text/event-stream");
    /// client.handle_response(Instant::EPOCH, client.attempt(), &head)?;
    /// // A read of a thousand events at once: they are made as they are drained.
    /// client.handle_body(Instant::EPOCH, client.attempt(), "data: x\n\n".repeat(1000).as_bytes())?;
    /// assert!(client.queued_outputs() <= Client::MAX_QUEUED_OUTPUTS);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const MAX_QUEUED_OUTPUTS: usize = OWNED_PIECE / 2 + 16;

    /// The latest connection attempt: the one named by the last
    /// [`Output::Connect`]'s [`Request::attempt`]. Inputs about any other attempt are
    /// [`InputError::Stale`].
    ///
    /// ```
    /// # use sse_proto::{client::Instant, Client, ClientConfig};
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.attempt().number(), 1); // Client::new queued the first Connect
    /// client.reconnect_now(Instant::EPOCH)?;
    /// assert_eq!(client.attempt().number(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn attempt(&self) -> AttemptId {
        self.attempt
    }

    /// The next output, or `None` when there is nothing left to do for now. Call it
    /// until `None` after every input.
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// let mut outputs = Vec::new();
    /// while let Some(output) = client.poll_output() {
    ///     outputs.push(output);
    /// }
    /// // A new client asks for its first connection, and then waits for an input.
    /// assert!(matches!(outputs.as_slice(), [Output::Connect(request)] if request.url() == "http://h/"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn poll_output(&mut self) -> Option<Output> {
        if self.outputs.is_empty() {
            self.decode_pending(false);
        }
        self.outputs.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next, if ever: the
    /// reconnect time while waiting to reconnect, the idle deadline while a connection
    /// is pending or open with an idle timeout configured, otherwise `None`. It moves
    /// with every input; ask again after each.
    ///
    /// ```
    /// # use sse_proto::{client::Instant, Client, ClientConfig};
    /// let client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// assert_eq!(client.poll_timeout(), None); // waiting for the response, no idle timeout
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        let idle = self.config.idle_timeout;
        match self.state {
            State::Waiting { until } => Some(until),
            State::AwaitingResponse { since } => idle.map(|d| since.saturating_add(d)),
            State::Open { last_bytes, .. } => idle.map(|d| last_bytes.saturating_add(d)),
            State::Closed => None,
        }
    }

    /// The response head arrived for the pending request (C9–C11).
    ///
    /// * 200 with a `text/event-stream` Content-Type (essence, any case, any
    ///   parameters): **open** — [`Output::Open`], ready state OPEN (C11, C13).
    /// * 200 with another or no Content-Type: **fail** — [`FailReason::ContentType`]
    ///   (C10, D7).
    /// * 204: **closed** for good — [`CloseReason::NoContent`] (C9).
    /// * 5xx or 429 with [`retry_server_errors`](ClientConfig::retry_server_errors):
    ///   **reconnect**, waiting at least the `Retry-After`.
    /// * Anything else (other 2xx, an unfollowed 3xx, 4xx, 5xx): **fail** —
    ///   [`FailReason::Status`] (C9, C24).
    ///
    /// # Errors
    ///
    /// [`InputError::Closed`] after CLOSED; [`InputError::UnexpectedResponse`] when no
    /// request is waiting for a response.
    ///
    /// ```
    /// use sse_proto::{client::{FailReason, Instant, Output, ResponseHead}, Client, ClientConfig};
    ///
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// let _ = client.poll_output();
    /// let head = ResponseHead::new(200).content_type("text/html");
    /// client.handle_response(Instant::EPOCH, client.attempt(), &head).unwrap();
    /// assert_eq!(client.poll_output(), Some(Output::Failed(FailReason::ContentType)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_response(
        &mut self,
        now: Instant,
        attempt: AttemptId,
        head: &ResponseHead<'_>,
    ) -> Result<(), InputError> {
        let now = self.advance(now);
        self.check_attempt(attempt)?;
        match self.state {
            State::AwaitingResponse { .. } => {}
            State::Closed => return Err(InputError::Closed),
            State::Open { .. } | State::Waiting { .. } => {
                return Err(InputError::UnexpectedResponse)
            }
        }
        match head.status {
            200 if is_event_stream(head.content_type) => {
                // C11: announce the connection (C13: OPEN, `open` event).
                self.state = State::Open {
                    since: now,
                    last_bytes: now,
                };
                self.outputs.push_back(Output::Open);
            }
            200 => self.fail(FailReason::ContentType), // C10, D7
            204 => self.finish_with(Output::Closed(CloseReason::NoContent)), // C9
            status @ (429 | 500..=599) if self.config.retry_server_errors => {
                // Opt-in (D11): a server error is a lost connection, not a failure.
                let retry_after = head
                    .retry_after
                    .and_then(RetryAfter::parse)
                    .and_then(|r| r.delay(head.reference_time()));
                self.reconnect_later(now, ReconnectReason::Status(status), retry_after);
            }
            status => self.fail(FailReason::Status(status)), // C9, C24
        }
        Ok(())
    }

    /// Bytes of the open stream's body, in any chunking (P1–P21). Non-empty bytes
    /// restart the idle timeout. The bytes are kept and decoded as
    /// [`poll_output`](Self::poll_output) drains the outputs, a few KiB at a time, so
    /// the items of a large read are never all in memory at once: each decoded item
    /// becomes an [`Output::Item`], and a `retry` field sets the reconnection time (P15)
    /// when it is decoded. (Inputs that come before the outputs are drained decode
    /// everything first.)
    ///
    /// **Memory**: besides the decoder's buffers (bounded by
    /// [`DecoderConfig`](crate::DecoderConfig): a line, an event's data, the last event
    /// ID), the client holds the bytes of the last `handle_body` call and the items of at
    /// most 4 KiB of them; the last event ID is shared by the events that carry it, never
    /// copied per event.
    ///
    /// # Errors
    ///
    /// [`InputError::Closed`] after CLOSED; [`InputError::NotOpen`] when no stream is
    /// open (before the response, or from a connection already given up).
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, Output, ResponseHead}, Client, ClientConfig, OwnedItem};
    /// # let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// # client.handle_response(Instant::EPOCH, client.attempt(), &ResponseHead::new(200).content_type("text/event-stream")).unwrap();
    /// # while client.poll_output().is_some() {}
    /// client.handle_body(Instant::EPOCH, client.attempt(), b"retry: 500\n").unwrap();
    /// assert_eq!(client.poll_output(), Some(Output::Item(OwnedItem::Retry(500))));
    /// assert_eq!(client.reconnection_time().as_millis(), 500);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_body(
        &mut self,
        now: Instant,
        attempt: AttemptId,
        bytes: &[u8],
    ) -> Result<(), InputError> {
        let now = self.advance(now);
        self.check_attempt(attempt)?;
        match &mut self.state {
            State::Open { last_bytes, .. } => {
                if !bytes.is_empty() {
                    *last_bytes = now;
                }
            }
            State::Closed => return Err(InputError::Closed),
            State::AwaitingResponse { .. } | State::Waiting { .. } => {
                return Err(InputError::NotOpen)
            }
        }
        // Decoded as the outputs are drained (`poll_output`), a piece at a time.
        self.decode_pending(true);
        self.pending.extend_from_slice(bytes);
        Ok(())
    }

    /// The open stream's body ended (C12): the decoder discards any partial block
    /// (P20, reported as [`OwnedItem::Truncated`](crate::OwnedItem::Truncated); its
    /// `id` is not committed, D4) and the client waits to reconnect
    /// ([`Output::WaitUntil`], ready state CONNECTING).
    ///
    /// # Errors
    ///
    /// [`InputError::Closed`] after CLOSED; [`InputError::NotOpen`] when no stream is
    /// open (a connection that ends before its response head is a transport error).
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, Output, ReadyState, ResponseHead}, Client, ClientConfig};
    /// # let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// # client.handle_response(Instant::EPOCH, client.attempt(), &ResponseHead::new(200).content_type("text/event-stream")).unwrap();
    /// # while client.poll_output().is_some() {}
    /// client.handle_body_end(Instant::EPOCH, client.attempt()).unwrap();
    /// assert!(matches!(client.poll_output(), Some(Output::WaitUntil { .. })));
    /// assert_eq!(client.ready_state(), ReadyState::Connecting);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_body_end(&mut self, now: Instant, attempt: AttemptId) -> Result<(), InputError> {
        let now = self.advance(now);
        self.check_attempt(attempt)?;
        match self.state {
            State::Open { .. } => {}
            State::Closed => return Err(InputError::Closed),
            State::AwaitingResponse { .. } | State::Waiting { .. } => {
                return Err(InputError::NotOpen)
            }
        }
        self.end_stream();
        if self.config.reconnect_policy() == Reconnect::Always {
            self.reconnect_later(now, ReconnectReason::BodyEnd, None);
        } else {
            // A one-shot stream is complete: never replay its request (D11 policy).
            self.finish_with(Output::Closed(CloseReason::Ended));
        }
        Ok(())
    }

    /// The pending or open connection failed below HTTP. [`TransportError::Transient`]
    /// reconnects (C8, C12); [`TransportError::Futile`] fails for good (C8). An open
    /// stream's partial block is discarded first (P20).
    ///
    /// # Errors
    ///
    /// [`InputError::Closed`] after CLOSED; [`InputError::NoConnection`] while waiting
    /// to reconnect.
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, Output, FailReason, TransportError}, Client, ClientConfig};
    /// let mut client = Client::new(ClientConfig::new("ftp://h/"), Instant::EPOCH)?;
    /// let _ = client.poll_output();
    /// client.handle_transport_error(Instant::EPOCH, client.attempt(), TransportError::Futile).unwrap();
    /// assert_eq!(client.poll_output(), Some(Output::Failed(FailReason::Futile)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_transport_error(
        &mut self,
        now: Instant,
        attempt: AttemptId,
        error: TransportError,
    ) -> Result<(), InputError> {
        let now = self.advance(now);
        self.check_attempt(attempt)?;
        match self.state {
            State::Open { .. } => self.end_stream(),
            State::AwaitingResponse { .. } => {}
            State::Closed => return Err(InputError::Closed),
            State::Waiting { .. } => return Err(InputError::NoConnection),
        }
        match error {
            TransportError::Futile => self.fail(FailReason::Futile),
            TransportError::Transient => {
                self.reconnect_later(now, ReconnectReason::TransportError, None);
            }
        }
        Ok(())
    }

    /// Time has passed. When the reconnect time has come, the next
    /// [`Output::Connect`] is queued (C14 step 5); when the idle timeout has run out,
    /// the connection is given up and a reconnect is scheduled. Before any deadline it
    /// does nothing, so calling it early or often is harmless.
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, Output, TransportError}, Client, ClientConfig};
    /// let t = Instant::from_millis;
    /// let mut client = Client::new(ClientConfig::new("http://h/"), t(0))?;
    /// let _ = client.poll_output();
    /// client.handle_transport_error(t(0), client.attempt(), TransportError::Transient).unwrap();
    /// let _ = client.poll_output(); // WaitUntil 3000
    /// client.handle_timeout(t(2999));
    /// assert_eq!(client.poll_output(), None); // not yet
    /// client.handle_timeout(t(3000));
    /// assert!(matches!(client.poll_output(), Some(Output::Connect(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.advance(now);
        let Some(deadline) = self.poll_timeout() else {
            return;
        };
        if now < deadline {
            return;
        }
        match self.state {
            State::Waiting { .. } => self.connect(now),
            State::Open { .. } => {
                self.end_stream();
                self.reconnect_later(now, ReconnectReason::IdleTimeout, None);
            }
            State::AwaitingResponse { .. } => {
                self.reconnect_later(now, ReconnectReason::IdleTimeout, None);
            }
            State::Closed => {}
        }
    }

    /// Command: close (C26, also C7 "aborted"). The ready state becomes CLOSED at once,
    /// outputs not yet drained are discarded (no event after close, P19) and
    /// [`Output::Closed`]`(`[`CloseReason::Requested`]`)` is queued. Drop the
    /// connection. Closing a closed client does nothing.
    ///
    /// ```
    /// # use sse_proto::{client::{CloseReason, Instant, Output}, Client, ClientConfig};
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// client.close(Instant::EPOCH);
    /// assert_eq!(client.poll_output(), Some(Output::Closed(CloseReason::Requested)));
    /// assert_eq!(client.poll_output(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&mut self, now: Instant) {
        self.advance(now);
        if self.state == State::Closed {
            return;
        }
        self.outputs.clear();
        self.pending.clear();
        self.pending_pos = 0;
        self.finish_with(Output::Closed(CloseReason::Requested));
    }

    /// Command: drop the current connection, if any, and connect again now, skipping
    /// any wait (for example when the network comes back, C30). An open stream's
    /// partial block is discarded first (P20). Does not count as a failed attempt.
    ///
    /// # Errors
    ///
    /// [`InputError::Closed`] after CLOSED: a closed client never reconnects (C15).
    ///
    /// ```
    /// # use sse_proto::{client::{Instant, Output}, Client, ClientConfig};
    /// let mut client = Client::new(ClientConfig::new("http://h/"), Instant::EPOCH)?;
    /// let _ = client.poll_output();
    /// client.reconnect_now(Instant::EPOCH).unwrap();
    /// assert!(matches!(client.poll_output(), Some(Output::Connect(r)) if r.attempt().number() == 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reconnect_now(&mut self, now: Instant) -> Result<(), InputError> {
        let now = self.advance(now);
        match self.state {
            State::Closed => return Err(InputError::Closed),
            State::Open { .. } => self.end_stream(),
            State::AwaitingResponse { .. } | State::Waiting { .. } => {}
        }
        self.connect(now);
        Ok(())
    }

    /// Inputs about a connection name its attempt; after CLOSED every input is refused as
    /// such, otherwise one about an earlier attempt is stale.
    fn check_attempt(&self, attempt: AttemptId) -> Result<(), InputError> {
        if self.state == State::Closed {
            Err(InputError::Closed)
        } else if attempt != self.attempt {
            Err(InputError::Stale)
        } else {
            Ok(())
        }
    }

    /// Keeps time monotonic: an earlier `now` counts as the latest seen.
    fn advance(&mut self, now: Instant) -> Instant {
        self.now = self.now.max(now);
        self.now
    }

    /// C14 step 5: queue the request; CONNECTING until the response.
    fn connect(&mut self, now: Instant) {
        self.attempt = AttemptId(self.attempt.0.saturating_add(1));
        self.delivered = false;
        self.state = State::AwaitingResponse { since: now };
        let request = self.request();
        self.outputs.push_back(Output::Connect(request));
    }

    /// The stored request (C22: same URL and method every time) with the headers of
    /// C4, C5 and C14 step 5.
    fn request(&self) -> Request {
        let user = &self.config.headers;
        let has = |name: &str| user.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        let mut headers = Vec::with_capacity(user.len().saturating_add(3));
        if !has("accept") {
            headers.push(("Accept".to_string(), "text/event-stream".to_string()));
            // C4
        }
        if !has("cache-control") {
            headers.push(("Cache-Control".to_string(), "no-cache".to_string()));
            // C5
        }
        headers.extend(user.iter().cloned());
        // C14 step 5, C17: *set* Last-Event-ID only when the ID is non-empty; an empty
        // ID means no header at all, never an empty one.
        let id = self.decoder.last_event_id();
        let last_event_id = (!id.is_empty()).then(|| String::from(id));
        if let Some(id) = &last_event_id {
            headers.push(("Last-Event-ID".to_string(), id.clone()));
        }
        Request {
            url: self.config.url.clone(),
            method: self.config.method.clone(),
            headers,
            body: self.config.body.clone(),
            last_event_id,
            attempt: self.attempt,
        }
    }

    /// The open stream is over (C12): end the decoder's stream (P20, D3, D4).
    fn end_stream(&mut self) {
        self.decode_pending(true);
        let mut feed = self.decoder.finish();
        while let Some(item) = feed.next() {
            self.outputs
                .push_back(Output::Item(self.shared_id.own(&item)));
        }
    }

    /// Decodes pending body bytes into outputs: one piece that yields at least one item
    /// (as the caller drains), or everything (`all`: before any other input, when the
    /// caller did not drain).
    fn decode_pending(&mut self, all: bool) {
        while self.pending_pos < self.pending.len() && (all || self.outputs.is_empty()) {
            let end = self
                .pending_pos
                .saturating_add(OWNED_PIECE)
                .min(self.pending.len());
            let piece = self.pending.get(self.pending_pos..end).unwrap_or_default();
            self.pending_pos = end;
            let mut feed = self.decoder.feed(piece);
            while let Some(item) = feed.next() {
                match item {
                    // P15: the reconnection time changes when the field is read; D2 clamp.
                    Item::Retry(ms) => {
                        self.reconnection_time = self.config.clamp_reconnection_time(ms);
                    }
                    Item::Event(_) => self.delivered = true, // D12: a productive attempt
                    _ => {}
                }
                self.outputs
                    .push_back(Output::Item(self.shared_id.own(&item)));
            }
        }
        if self.pending_pos >= self.pending.len() {
            self.pending.clear();
            self.pending_pos = 0;
            if self.pending.capacity() > 4 * OWNED_PIECE {
                self.pending.shrink_to(4 * OWNED_PIECE); // a large read's buffer is not kept
            }
        }
    }

    /// C14 steps 1–3: CONNECTING, and a reconnect at the reconnection time, or later
    /// under the opt-in policies (backoff, `Retry-After`, max attempts).
    fn reconnect_later(
        &mut self,
        now: Instant,
        reason: ReconnectReason,
        at_least: Option<Duration>,
    ) {
        // A connection that opened (and, with a Backoff, stayed open long enough) resets
        // the failure count; any other end of an attempt is one more failure in a row.
        let healthy_after = self
            .config
            .backoff
            .as_ref()
            .map_or(Duration::ZERO, |b| b.reset_after);
        // D12: without a Backoff (whose own rule is the time open), an attempt must also
        // have dispatched an event, unless the timing is the spec's.
        let productive = self.delivered
            || self.config.backoff.is_some()
            || self.config.unproductive_backoff.is_none();
        let healthy = productive
            && matches!(self.state, State::Open { since, .. } if now.saturating_duration_since(since) >= healthy_after);
        if self.config.reconnect_policy() == Reconnect::Never {
            // Only failures get here under `Never` (a clean end closes): give up at once.
            self.failures = self.failures.saturating_add(1);
            self.fail(FailReason::MaxAttempts);
            return;
        }
        if healthy {
            self.failures = 0;
        } else {
            self.failures = self.failures.saturating_add(1);
            if let Some(max) = self.config.max_attempts {
                if self.failures >= max.max(1) {
                    self.fail(FailReason::MaxAttempts);
                    return;
                }
            }
        }
        let reconnection_time = Duration::from_millis(self.reconnection_time);
        let mut delay = match &self.config.backoff {
            // C30: "might introduce an exponential backoff delay"; never below the
            // reconnection time.
            Some(backoff) => {
                let random = if backoff.jitter_percent > 0 {
                    self.rng.next_u64()
                } else {
                    0
                };
                backoff.delay(reconnection_time, self.failures, random)
            }
            // D12: attempts in a row that delivered nothing wait twice as long each time
            // (the first waits the reconnection time), up to the cap.
            None => match self.config.unproductive_backoff {
                Some(cap) if self.failures > 1 => {
                    let doublings = self.failures.saturating_sub(1).min(63);
                    let factor = 1u64.checked_shl(doublings).unwrap_or(u64::MAX);
                    let grown = millis_of(reconnection_time).saturating_mul(factor);
                    Duration::from_millis(grown)
                        .min(cap.max(reconnection_time))
                        .max(reconnection_time)
                }
                _ => reconnection_time, // C14 step 2
            },
        };
        if let Some(at_least) = at_least {
            let cap = self.config.max_reconnection_time;
            delay = delay.max(at_least.min(cap));
        }
        let until = now.saturating_add(delay);
        self.state = State::Waiting { until };
        self.outputs
            .push_back(Output::WaitUntil { at: until, reason });
    }

    /// C15: CLOSED, never reconnect.
    fn fail(&mut self, reason: FailReason) {
        self.finish_with(Output::Failed(reason));
    }

    fn finish_with(&mut self, terminal: Output) {
        self.state = State::Closed;
        self.outputs.push_back(terminal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::OwnedItem;

    fn open_client(config: ClientConfig) -> Client {
        let mut c = Client::new(config, Instant::EPOCH).unwrap();
        let head = ResponseHead::new(200).content_type("text/event-stream");
        c.handle_response(Instant::EPOCH, c.attempt(), &head)
            .unwrap();
        while c.poll_output().is_some() {}
        c
    }

    /// `{:?}` of a client shows its state and sizes, not a megabyte of queued body bytes.
    #[test]
    fn debug_output_stays_short_whatever_is_queued() {
        let mut c = open_client(ClientConfig::new("http://h/"));
        let body = "data: 0123456789\n\n".repeat(60_000);
        c.handle_body(Instant::EPOCH, c.attempt(), body.as_bytes())
            .unwrap();
        let debug = alloc::format!("{c:?}");
        assert!(debug.len() < 800, "{debug}");
        assert!(debug.contains("undecoded_bytes"), "{debug}");
    }

    /// A floor configured above the ceiling: the ceiling wins (D2: the client clamps any
    /// reconnection time to its configured maximum).
    #[test]
    fn the_reconnection_ceiling_wins_over_a_higher_floor() {
        let config = ClientConfig::new("u")
            .min_reconnection_time(Duration::from_secs(10))
            .max_reconnection_time(Duration::from_secs(1));
        let mut c = open_client(config);
        assert_eq!(c.reconnection_time(), Duration::from_secs(1));
        c.handle_body(Instant::EPOCH, c.attempt(), b"retry: 0\n\n")
            .unwrap();
        assert_eq!(c.reconnection_time(), Duration::from_secs(1));
    }

    #[test]
    fn close_discards_undrained_outputs() {
        let mut c = open_client(ClientConfig::new("u"));
        c.handle_body(Instant::EPOCH, c.attempt(), b"data: a\n\ndata: b\n\n")
            .unwrap();
        c.close(Instant::EPOCH);
        assert_eq!(
            c.poll_output(),
            Some(Output::Closed(CloseReason::Requested))
        );
        assert_eq!(c.poll_output(), None);
    }

    #[test]
    fn max_attempts_zero_counts_as_one() {
        let config = ClientConfig::new("u").max_attempts(0);
        let mut c = Client::new(config, Instant::EPOCH).unwrap();
        let _ = c.poll_output();
        c.handle_transport_error(Instant::EPOCH, c.attempt(), TransportError::Transient)
            .unwrap();
        assert_eq!(
            c.poll_output(),
            Some(Output::Failed(FailReason::MaxAttempts))
        );
    }

    #[test]
    fn extreme_times_saturate() {
        let config = ClientConfig::new("u").idle_timeout(Duration::MAX);
        let mut c = open_client(config);
        c.handle_body(Instant::MAX, c.attempt(), b"retry: 18446744073709551615\n")
            .unwrap();
        assert_eq!(
            c.poll_output(),
            Some(Output::Item(OwnedItem::Retry(u64::MAX)))
        );
        assert_eq!(c.poll_timeout(), Some(Instant::MAX));
        c.handle_timeout(Instant::MAX);
        assert!(matches!(
            c.poll_output(),
            Some(Output::WaitUntil {
                at: Instant::MAX,
                ..
            })
        ));
        c.handle_timeout(Instant::MAX);
        assert!(matches!(c.poll_output(), Some(Output::Connect(_))));
    }

    #[test]
    fn ready_state_follows_outputs() {
        let mut c = open_client(ClientConfig::new("u"));
        assert_eq!(c.ready_state(), ReadyState::Open);
        c.reconnect_now(Instant::EPOCH).unwrap();
        assert_eq!(c.ready_state(), ReadyState::Connecting);
        let head = ResponseHead::new(500);
        c.handle_response(Instant::EPOCH, c.attempt(), &head)
            .unwrap();
        assert_eq!(c.ready_state(), ReadyState::Closed);
    }

    /// A late error from a connection given up by an idle timeout must
    /// not abort the attempt that replaced it.
    #[test]
    fn late_inputs_from_an_abandoned_attempt_are_stale() {
        let config = ClientConfig::new("u")
            .idle_timeout(Duration::from_millis(100))
            .reconnection_time(Duration::from_millis(10))
            .spec_timing();
        let t = Instant::from_millis;
        let mut c = Client::new(config, t(0)).unwrap();
        let Some(Output::Connect(first)) = c.poll_output() else {
            panic!()
        };
        c.handle_timeout(t(100)); // idle: give attempt 1 up
        c.handle_timeout(t(110)); // reconnect: attempt 2
        let outputs: Vec<Output> = core::iter::from_fn(|| c.poll_output()).collect();
        let Some(Output::Connect(second)) = outputs.last() else {
            panic!("{outputs:?}")
        };
        assert_ne!(first.attempt(), second.attempt());
        let futile = c.handle_transport_error(t(120), first.attempt(), TransportError::Futile);
        assert_eq!(futile, Err(InputError::Stale));
        let head = ResponseHead::new(500);
        assert_eq!(
            c.handle_response(t(121), first.attempt(), &head),
            Err(InputError::Stale)
        );
        assert_eq!(
            c.handle_body(t(122), first.attempt(), b"data: x\n\n"),
            Err(InputError::Stale)
        );
        assert_eq!(
            c.handle_body_end(t(123), first.attempt()),
            Err(InputError::Stale)
        );
        assert_eq!(c.poll_output(), None, "a stale input queues nothing");
        assert_eq!(c.ready_state(), ReadyState::Connecting);
        assert_eq!(c.failures(), 1, "only the idle timeout counted");
        let ok = ResponseHead::new(200).content_type("text/event-stream");
        c.handle_response(t(130), second.attempt(), &ok).unwrap();
        assert_eq!(c.poll_output(), Some(Output::Open));
        c.close(t(140));
        assert_eq!(
            c.handle_body(t(150), second.attempt(), b""),
            Err(InputError::Closed),
            "after CLOSED, Closed wins"
        );
    }
}
