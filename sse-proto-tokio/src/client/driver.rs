//! The task that runs a sans-IO [`sse_proto::Client`] on tokio: it opens connections
//! with a [`Connector`], feeds the client what the network and the clock do, and hands
//! the client's outputs to the [`EventSource`](crate::EventSource) stream.
//!
//! One loop, one rule (the core's): feed one input, then drain the client's outputs.
//! The inputs are a handle's command, the current connection (its response head, a body
//! chunk, its end or error), and the earliest deadline (the client's own timer, or the
//! connect and first-byte deadlines kept here). Outputs wait in `pending` until the
//! stream takes them; while any wait, neither the body nor the clock is read, so a slow
//! reader holds back the body (backpressure) and memory stays bounded.

use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::mem;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http::{HeaderMap, HeaderValue, StatusCode};
use sse_proto::client::http::is_event_stream;
use sse_proto::client::{
    AttemptId, FailReason, Instant as ClientInstant, Output, ReadyState, ReconnectReason, Request,
    ResponseHead, TransportError as CoreTransportError,
};
use sse_proto::{Client, OwnedItem};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::time::{sleep_until, Instant};

use super::builder::{Builder, Hook};
use super::connector::Connector;
use super::error::{Error, StatusError, Timeout, TransportError};
use super::event::{Attempt, Event};
use super::handle::{Command, Shared};

/// The start of an error response's body, read (bounded in bytes and time).
type ExplainFuture = Pin<Box<dyn Future<Output = (Bytes, bool)> + Send>>;

type AttemptFuture<B> = Pin<Box<dyn Future<Output = Result<http::Response<B>, Error>> + Send>>;

/// The current connection.
enum Conn<B> {
    Idle,
    Connecting {
        id: AttemptId,
        attempt: AttemptFuture<B>,
        deadline: Option<Instant>,
    },
    Streaming {
        id: AttemptId,
        body: Pin<Box<B>>,
        first_byte_deadline: Option<Instant>,
    },
    /// An error response's head is in; the start of its body is being read for the
    /// error. The attempt has its answer: no connect deadline or idle timeout applies
    /// (the read has its own bound), so the error is the response's, never a timeout.
    Explaining {
        id: AttemptId,
        parts: http::response::Parts,
        read: ExplainFuture,
    },
}

/// What the connection did.
enum Input<B> {
    Head(Result<http::Response<B>, Error>),
    /// The start of an error response's body, and whether it was cut.
    Explained(Bytes, bool),
    Chunk(Bytes),
    End,
    Failed(TransportError),
}

impl<B> Conn<B>
where
    B: Stream<Item = Result<Bytes, TransportError>>,
{
    /// What the connection did next, and the attempt it belongs to.
    fn poll_input(&mut self, cx: &mut Context<'_>) -> Poll<(AttemptId, Input<B>)> {
        match self {
            Conn::Idle => Poll::Pending,
            Conn::Connecting { id, attempt, .. } => attempt
                .as_mut()
                .poll(cx)
                .map(|head| (*id, Input::Head(head))),
            Conn::Explaining { id, read, .. } => read
                .as_mut()
                .poll(cx)
                .map(|(bytes, truncated)| (*id, Input::Explained(bytes, truncated))),
            Conn::Streaming { id, body, .. } => body.as_mut().poll_next(cx).map(|next| {
                let input = match next {
                    Some(Ok(chunk)) => Input::Chunk(chunk),
                    Some(Err(error)) => Input::Failed(error),
                    None => Input::End,
                };
                (*id, input)
            }),
        }
    }

    fn id(&self) -> Option<AttemptId> {
        match self {
            Conn::Idle => None,
            Conn::Connecting { id, .. }
            | Conn::Streaming { id, .. }
            | Conn::Explaining { id, .. } => Some(*id),
        }
    }

    /// The connect or first-byte deadline of this connection, if any.
    fn deadline(&self) -> Option<(Instant, Timeout)> {
        match self {
            Conn::Connecting {
                deadline: Some(at), ..
            } => Some((*at, Timeout::Connect)),
            Conn::Streaming {
                first_byte_deadline: Some(at),
                ..
            } => Some((*at, Timeout::FirstByte)),
            _ => None,
        }
    }
}

/// What travels to the [`EventSource`](super::EventSource): an event and its share of the
/// queue's byte budget, given back when the reader takes the event.
pub(crate) type Queued = (Result<Event, Error>, Option<OwnedSemaphorePermit>);

/// The bytes of events that may wait for the reader, at least: twice the largest event,
/// so that one event can wait while the next is decoded. With the channel's slot count,
/// this bounds what a slow reader makes the client hold (the limits times a constant).
const MIN_QUEUE_BYTES: usize = 1 << 20;

/// What one event counts against the budget: its strings and a fixed overhead.
fn queued_bytes(item: &Result<Event, Error>) -> usize {
    const OVERHEAD: usize = 64;
    match item {
        Ok(Event::Message(message)) => OVERHEAD
            .saturating_add(message.data.len())
            .saturating_add(message.event_type.len())
            .saturating_add(message.last_event_id.len()),
        Ok(Event::Comment(text) | Event::LastEventId(text)) => OVERHEAD.saturating_add(text.len()),
        _ => OVERHEAD,
    }
}

/// Waits for room in the byte budget, then for a slot in the channel.
async fn reserve(
    sender: &mpsc::Sender<Queued>,
    budget: Arc<Semaphore>,
    cost: u32,
) -> Option<(mpsc::Permit<'_, Queued>, OwnedSemaphorePermit)> {
    let bytes = budget.acquire_many_owned(cost).await.ok()?;
    let slot = sender.reserve().await.ok()?;
    Some((slot, bytes))
}

/// What woke the loop.
enum Step<'a, B> {
    Command(Command),
    Send(mpsc::Permit<'a, Queued>, OwnedSemaphorePermit),
    Stop,
    Input(AttemptId, Input<B>),
    Wake(Wake),
}

/// Which timer woke the loop.
#[derive(Clone, Copy)]
enum Wake {
    /// The client's own: reconnect time or idle timeout.
    Client,
    /// A deadline of this driver's.
    Deadline(Timeout),
}

pub(crate) struct Driver<C: Connector> {
    connector: Arc<C>,
    client: Client,
    settings: Builder,
    hook: Option<Hook>,
    sender: mpsc::Sender<Queued>,
    /// Bytes of queued events (see [`Queued`]).
    budget: Arc<Semaphore>,
    budget_total: usize,
    commands: mpsc::UnboundedReceiver<Command>,
    shared: Arc<Shared>,
    epoch: Instant,
    conn: Conn<C::Body>,
    pending: VecDeque<Result<Event, Error>>,
    /// The error behind the client's next `WaitUntil` or `Failed`, with the details the
    /// sans-IO client does not keep (headers, body, source).
    last_error: Option<Error>,
    /// The headers of the response being streamed, for the liveness once it opens.
    open_headers: Option<Arc<HeaderMap>>,
    /// The last attempt was answered 401 and is being retried once.
    after_unauthorized: bool,
    unauthorized_retried: bool,
    done: bool,
}

impl<C: Connector> Driver<C> {
    pub(crate) fn new(
        settings: Builder,
        client: Client,
        connector: C,
        sender: mpsc::Sender<Queued>,
        commands: mpsc::UnboundedReceiver<Command>,
        shared: Arc<Shared>,
    ) -> Self {
        let epoch = Instant::now();
        let budget_total = settings.decoder.max_event_len.saturating_mul(2).clamp(
            MIN_QUEUE_BYTES,
            Semaphore::MAX_PERMITS.min(u32::MAX as usize),
        );
        Driver {
            connector: Arc::new(connector),
            client,
            hook: settings.hook.clone(),
            settings,
            sender,
            budget: Arc::new(Semaphore::new(budget_total)),
            budget_total,
            commands,
            shared,
            epoch,
            conn: Conn::Idle,
            pending: VecDeque::new(),
            last_error: None,
            open_headers: None,
            after_unauthorized: false,
            unauthorized_retried: false,
            done: false,
        }
    }

    pub(crate) async fn run(mut self) {
        loop {
            self.drain();
            if self.done && self.pending.is_empty() {
                self.shared.update(|l| {
                    l.ready_state = ReadyState::Closed;
                    l.opened = None;
                });
                return;
            }
            let waiting = self.pending.is_empty() && !self.done;
            let deadline = self.deadline();
            let sleep_at = deadline.map_or_else(far_future, |(at, _)| at);
            // The permits borrow these clones, not `self`.
            let sender = self.sender.clone();
            let budget = Arc::clone(&self.budget);
            let cost = self.pending.front().map_or(1, |item| {
                // One event always fits, however large (`budget_total` fits in a u32).
                u32::try_from(queued_bytes(item).min(self.budget_total)).unwrap_or(u32::MAX)
            });
            let step = tokio::select! {
                biased;
                Some(command) = self.commands.recv() => Step::Command(command),
                permits = reserve(&sender, budget, cost), if !self.pending.is_empty() => match permits {
                    Some((slot, bytes)) => Step::Send(slot, bytes),
                    None => Step::Stop, // the stream was dropped
                },
                () = sender.closed(), if self.pending.is_empty() => Step::Stop,
                (id, input) = poll_fn(|cx| self.conn.poll_input(cx)), if waiting => Step::Input(id, input),
                () = sleep_until(sleep_at), if waiting && deadline.is_some() => match deadline {
                    Some((_, wake)) => Step::Wake(wake),
                    None => continue,
                },
            };
            match step {
                Step::Command(command) => self.command(command),
                Step::Send(slot, bytes) => {
                    if let Some(item) = self.pending.pop_front() {
                        slot.send((item, Some(bytes)));
                    }
                }
                Step::Stop => return,
                Step::Input(id, input) => self.input(id, input),
                Step::Wake(wake) => self.wake(wake),
            }
        }
    }

    /// Now, on the client's clock (milliseconds since the driver started).
    fn now(&self) -> ClientInstant {
        let millis = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        ClientInstant::from_millis(millis)
    }

    fn to_tokio(&self, at: ClientInstant) -> Instant {
        self.epoch
            .checked_add(Duration::from_millis(at.as_millis()))
            .unwrap_or_else(far_future)
    }

    /// The earliest of the client's timer and this connection's deadline.
    fn deadline(&self) -> Option<(Instant, Wake)> {
        if matches!(self.conn, Conn::Explaining { .. }) {
            // The answer is in: the client hears it once its body's start is read.
            return None;
        }
        let client = self
            .client
            .poll_timeout()
            .map(|at| (self.to_tokio(at), Wake::Client));
        let conn = self
            .conn
            .deadline()
            .map(|(at, timeout)| (at, Wake::Deadline(timeout)));
        match (client, conn) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    fn command(&mut self, command: Command) {
        let now = self.now();
        self.conn = Conn::Idle;
        match command {
            Command::Close => {
                self.pending.clear(); // nothing after close
                self.client.close(now);
            }
            Command::ReconnectNow => {
                // A closed client stays closed: the error says so, and nothing happens.
                let _ = self.client.reconnect_now(now);
            }
        }
    }

    fn wake(&mut self, wake: Wake) {
        let now = self.now();
        match wake {
            Wake::Client => {
                if !matches!(self.conn, Conn::Idle) {
                    // A connection is pending or open: the client's timer is its idle timeout.
                    self.last_error = Some(Error::Timeout(Timeout::Idle));
                }
                self.client.handle_timeout(now);
            }
            Wake::Deadline(timeout) => {
                if let Some(id) = self.conn.id() {
                    self.conn = Conn::Idle;
                    self.last_error = Some(Error::Timeout(timeout));
                    let _ =
                        self.client
                            .handle_transport_error(now, id, CoreTransportError::Transient);
                }
            }
        }
    }

    fn input(&mut self, id: AttemptId, input: Input<C::Body>) {
        let now = self.now();
        // Every input names its attempt; the client ignores a stale one (`InputError`),
        // which cannot happen here anyway: a connection is dropped with the state that
        // expected it.
        match input {
            Input::Head(Ok(head)) => self.response(id, head),
            Input::Explained(bytes, truncated) => {
                if let Conn::Explaining { parts, .. } = mem::replace(&mut self.conn, Conn::Idle) {
                    self.explained(id, &parts, bytes, truncated);
                }
            }
            Input::Head(Err(Error::Transport(error))) => {
                self.conn = Conn::Idle;
                self.transport_error(id, error);
            }
            Input::Head(Err(error)) => {
                self.conn = Conn::Idle;
                self.fail_now(error);
            }
            Input::Chunk(chunk) => {
                if let Conn::Streaming {
                    first_byte_deadline,
                    ..
                } = &mut self.conn
                {
                    *first_byte_deadline = None;
                }
                if !chunk.is_empty() {
                    let at = Instant::now();
                    self.shared.update(|l| l.last_byte = Some(at));
                }
                let _ = self.client.handle_body(now, id, &chunk);
            }
            Input::End => {
                self.conn = Conn::Idle;
                let _ = self.client.handle_body_end(now, id);
            }
            Input::Failed(error) => {
                self.conn = Conn::Idle;
                self.transport_error(id, error);
            }
        }
    }

    fn transport_error(&mut self, id: AttemptId, error: TransportError) {
        let kind = if error.is_futile() {
            CoreTransportError::Futile
        } else {
            CoreTransportError::Transient
        };
        self.last_error = Some(Error::Transport(error));
        let _ = self.client.handle_transport_error(self.now(), id, kind);
    }

    /// A response head: retry a 401 once if a hook can refresh credentials; else hand
    /// the head to the client, keeping the details its verdict will need.
    fn response(&mut self, id: AttemptId, response: http::Response<C::Body>) {
        let now = self.now();
        let (parts, body) = response.into_parts();
        let status = parts.status;
        if status == StatusCode::UNAUTHORIZED && self.hook.is_some() && !self.unauthorized_retried {
            self.unauthorized_retried = true;
            self.after_unauthorized = true;
            self.conn = Conn::Idle;
            let _ = self.client.reconnect_now(now);
            return;
        }
        let core_head = core_head(
            status,
            &parts.headers,
            self.settings.allow_missing_content_type,
        )
        .unix_time_now();
        // A 200 event stream is streamed, and a 204 (whose body is never read) ends it; any
        // other response's body is read (its start) for the error that explains it.
        let streamed = status == StatusCode::NO_CONTENT
            || (status == StatusCode::OK && is_event_stream(core_head.content_type));
        if !streamed {
            let read = read_bounded(body, self.settings.max_error_body);
            self.conn = Conn::Explaining {
                id,
                parts,
                read: Box::pin(read),
            };
            return; // the client hears the response once its body's start is read
        }
        let first_byte_deadline = self
            .settings
            .first_byte_timeout
            .and_then(|d| Instant::now().checked_add(d));
        self.conn = Conn::Streaming {
            id,
            body: Box::pin(body),
            first_byte_deadline,
        };
        let _ = self.client.handle_response(now, id, &core_head);
        if matches!(self.conn, Conn::Streaming { .. }) {
            self.open_headers = Some(Arc::new(parts.headers));
        }
    }

    /// An error response, with the start of its body: the error that explains it, then the
    /// client's verdict on the response.
    fn explained(
        &mut self,
        id: AttemptId,
        parts: &http::response::Parts,
        bytes: Bytes,
        truncated: bool,
    ) {
        let status = parts.status;
        let response =
            StatusError::new(status, parts.headers.clone(), bytes).body_truncated(truncated);
        // A 200 is read only when it is not an event stream.
        self.last_error = Some(if status == StatusCode::OK {
            Error::ContentType(response)
        } else {
            Error::Status(response)
        });
        let core_head = core_head(
            status,
            &parts.headers,
            self.settings.allow_missing_content_type,
        )
        .unix_time_now();
        let _ = self.client.handle_response(self.now(), id, &core_head);
    }

    /// Ends the stream with `error` (after what is already pending).
    fn fail_now(&mut self, error: Error) {
        self.pending.push_back(Err(error));
        self.client.close(self.now());
    }

    /// Takes the client's outputs until one is waiting for the reader. The sans-IO client
    /// decodes a read's body as its outputs are taken, so taking them one event at a time
    /// keeps a read's events in the body bytes until the reader wants them, instead of
    /// holding them all here.
    fn drain(&mut self) {
        while self.pending.is_empty() {
            let Some(output) = self.client.poll_output() else {
                break;
            };
            match output {
                Output::Connect(request) => self.start_attempt(&request),
                Output::Open => {
                    self.unauthorized_retried = false;
                    let at = Instant::now();
                    let headers = self.open_headers.take();
                    self.shared.update(|l| {
                        l.opened = Some(at);
                        if headers.is_some() {
                            l.response_headers = headers;
                        }
                    });
                    self.emit(Event::Open);
                }
                Output::Item(item) => self.item(item),
                Output::WaitUntil { at, reason } => self.lost(at, reason),
                Output::Failed(reason) => {
                    self.conn = Conn::Idle;
                    let error = self.failure(reason);
                    self.pending.push_back(Err(error));
                    self.done = true;
                }
                Output::Closed(_) => {
                    self.conn = Conn::Idle;
                    self.done = true;
                }
                _ => {}
            }
        }
        let ready_state = self.client.ready_state();
        let reconnection_time = self.client.reconnection_time();
        let last_event_id = self.client.last_event_id();
        self.shared.update(|l| {
            l.ready_state = ready_state;
            if ready_state != ReadyState::Open {
                l.opened = None;
            }
            l.reconnection_time = reconnection_time;
            if l.last_event_id != last_event_id {
                last_event_id.clone_into(&mut l.last_event_id);
            }
        });
    }

    /// Yields `event` if this client reports that kind: messages and drops (lost data)
    /// always, the others with `all_events`.
    fn emit(&mut self, event: Event) {
        if self.settings.all_events || matches!(event, Event::Message(_) | Event::Dropped(_)) {
            self.pending.push_back(Ok(event));
        }
    }

    fn item(&mut self, item: OwnedItem) {
        let event = match item {
            OwnedItem::Event(message) => Event::Message(message),
            OwnedItem::Comment(text) => {
                let at = Instant::now();
                self.shared.update(|l| l.last_comment = Some(at));
                Event::Comment(text)
            }
            OwnedItem::Retry(ms) => Event::Retry(Duration::from_millis(ms)),
            OwnedItem::LastEventId(id) => Event::LastEventId(id),
            OwnedItem::Dropped(dropped) => Event::Dropped(dropped),
            OwnedItem::Truncated => Event::Truncated,
            _ => return,
        };
        self.emit(event);
    }

    /// The connection is lost and the client reconnects at `at` (the reconnect policy,
    /// in the sans-IO client, has already decided that it should).
    fn lost(&mut self, at: ClientInstant, reason: ReconnectReason) {
        self.conn = Conn::Idle;
        let error = match reason {
            ReconnectReason::BodyEnd => None,
            ReconnectReason::IdleTimeout => Some(Error::Timeout(Timeout::Idle)),
            _ => self.last_error.take(),
        };
        self.last_error = None;
        let delay = at.saturating_duration_since(self.now());
        self.emit(Event::Reconnecting { delay, error });
    }

    /// The error for a client that failed for good.
    fn failure(&mut self, reason: FailReason) -> Error {
        let last = self.last_error.take();
        match (reason, last) {
            (FailReason::MaxAttempts, last) => Error::GaveUp {
                attempts: self.client.failures(),
                // No error recorded: the last attempt's response ended cleanly with no
                // event, which counts as a failure in a row (see `spec_timing`).
                last: Box::new(last.unwrap_or(Error::EmptyStream)),
            },
            (_, Some(error)) => error,
            (FailReason::Status(code), None) => Error::Status(StatusError::new(
                StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                http::HeaderMap::new(),
                Bytes::new(),
            )),
            (FailReason::ContentType, None) => Error::ContentType(StatusError::new(
                StatusCode::OK,
                http::HeaderMap::new(),
                Bytes::new(),
            )),
            (reason, None) => Error::Transport(TransportError::futile(reason)),
        }
    }

    /// `Output::Connect`: start an attempt (hook, then connector, then a bounded read of
    /// an error body), replacing any earlier connection.
    fn start_attempt(&mut self, request: &Request) {
        self.last_error = None;
        self.open_headers = None;
        let attempt = Attempt {
            number: request.attempt().number(),
            after_unauthorized: mem::take(&mut self.after_unauthorized),
            last_event_id: request.last_event_id().map(str::to_owned),
        };
        self.shared.update(|l| l.attempts = attempt.number);
        let http_request =
            match to_http(request, &self.settings.headers, self.settings.body.clone()) {
                Ok(r) => r,
                Err(error) => {
                    self.conn = Conn::Idle;
                    return self.fail_now(error);
                }
            };
        let future = run_attempt(
            Arc::clone(&self.connector),
            self.hook.clone(),
            http_request,
            attempt,
        );
        let deadline = self
            .settings
            .connect_timeout
            .and_then(|d| Instant::now().checked_add(d));
        self.conn = Conn::Connecting {
            id: request.attempt(),
            attempt: Box::pin(future),
            deadline,
        };
    }
}

/// A deadline that never comes (for a disabled `select!` branch's placeholder).
fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365)
}

/// The client's request as an `http::Request`: its own headers (`Accept` and
/// `Cache-Control` unless the user's replace them; not `Last-Event-ID`, set after the
/// hook), then the user's.
fn to_http(
    request: &Request,
    user_headers: &HeaderMap,
    body: Option<Bytes>,
) -> Result<http::Request<Bytes>, Error> {
    let mut builder = http::Request::builder()
        .method(request.method())
        .uri(request.url());
    for (name, value) in request.headers() {
        if !name.eq_ignore_ascii_case("last-event-id") && !user_headers.contains_key(name.as_str())
        {
            builder = builder.header(name.as_str(), value.as_str());
        }
    }
    let mut http_request = builder
        .body(body.unwrap_or_default())
        .map_err(|e| Error::Request(Arc::new(e)))?;
    let headers = http_request.headers_mut();
    for (name, value) in user_headers {
        headers.append(name.clone(), value.clone());
    }
    Ok(http_request)
}

/// The response head as the sans-IO client reads it: the headers that are text, and a
/// missing `Content-Type` taken for `text/event-stream` if the user allows it.
fn core_head(
    status: StatusCode,
    headers: &HeaderMap,
    allow_missing_type: bool,
) -> ResponseHead<'_> {
    let text_headers = headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
    let mut head = ResponseHead::from_headers(status.as_u16(), text_headers);
    if head.content_type.is_none() && allow_missing_type {
        head.content_type = Some("text/event-stream");
    }
    head
}

/// One attempt, up to its response head: the hook, `Last-Event-ID`, the connector. The
/// body of a response that is not a stream (an error status, a 200 of another type) is
/// read later, in `Conn::Explaining`, outside the connect deadline.
async fn run_attempt<C: Connector>(
    connector: Arc<C>,
    hook: Option<Hook>,
    mut request: http::Request<Bytes>,
    attempt: Attempt,
) -> Result<http::Response<C::Body>, Error> {
    let last_event_id = attempt.last_event_id.clone();
    if let Some(hook) = hook {
        request = hook(request, attempt)
            .await
            .map_err(|e| Error::Request(Arc::from(e)))?;
    }
    // Last-Event-ID is the client's, whatever the hook did.
    let headers = request.headers_mut();
    headers.remove("last-event-id");
    if let Some(id) = last_event_id {
        // C18: an id is any text without NUL, CR or LF, but an HTTP header value cannot
        // hold the other control characters (U+0001–U+001F but tab, U+007F). Such an id, a
        // broken or hostile server's, is left out rather than ending the stream: the
        // attempt goes on as a first one would.
        if let Ok(value) = HeaderValue::from_bytes(id.as_bytes()) {
            headers.insert("last-event-id", value);
        }
    }
    connector.connect(request).await.map_err(Error::Transport)
}

/// How long an error response's body may take to arrive: the explanation is worth a
/// short wait, not a hang.
const ERROR_BODY_TIME: Duration = Duration::from_secs(5);

/// Reads at most `limit` bytes of `body`, for at most [`ERROR_BODY_TIME`] (an error or
/// the deadline stops the reading, keeping what came).
async fn read_bounded<B>(body: B, limit: usize) -> (Bytes, bool)
where
    B: Stream<Item = Result<Bytes, TransportError>>,
{
    let mut body = std::pin::pin!(body);
    let mut bytes = BytesMut::new();
    let deadline = Instant::now() + ERROR_BODY_TIME;
    while let Ok(Some(Ok(chunk))) =
        tokio::time::timeout_at(deadline, poll_fn(|cx| body.as_mut().poll_next(cx))).await
    {
        let room = limit.saturating_sub(bytes.len());
        if chunk.len() > room {
            bytes.extend_from_slice(chunk.get(..room).unwrap_or_default());
            return (bytes.freeze(), true);
        }
        bytes.extend_from_slice(&chunk);
    }
    (bytes.freeze(), false)
}
