//! A blocking driver (`std`): runs a [`Client`] with real time over connections the
//! caller opens, and hands out its outputs as an iterator; a [`DriverHandle`] steers it
//! from other threads. Still no sockets here: the caller's function opens the connection
//! with any HTTP library (or a `TcpStream`).

use core::time::Duration;
use std::io::{self, Read};
use std::string::String;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::vec::Vec;

use super::config::{ClientConfig, ConfigError};
use super::input::{ResponseHead, TransportError};
use super::instant::Instant;
use super::machine::{Client, ReadyState};
use super::output::{Output, Request};

/// An opened connection, as the connect function of a [`Driver`] returns it: the final
/// response status (after any redirects it followed), its headers, and the body to read.
///
/// ```
/// use sse_proto::client::Connection;
///
/// let conn = Connection::new(200, &b"data: hi\n\n"[..]).header("Content-Type", "text/event-stream");
/// assert_eq!(conn.status(), 200);
/// assert_eq!(conn.header_value("content-type"), Some("text/event-stream"));
/// ```
#[derive(Debug)]
pub struct Connection<R> {
    status: u16,
    headers: Vec<(String, String)>,
    body: R,
}

impl<R> Connection<R> {
    /// A connection with this status and body, and no headers yet.
    ///
    /// ```
    /// use sse_proto::client::Connection;
    ///
    /// let conn = Connection::new(204, std::io::empty());
    /// assert_eq!(conn.status(), 204);
    /// assert!(conn.headers().is_empty());
    /// ```
    #[must_use]
    pub fn new(status: u16, body: R) -> Self {
        Connection {
            status,
            headers: Vec::new(),
            body,
        }
    }

    /// Adds a response header (`Content-Type`, `Retry-After` and `Date` are the ones used).
    ///
    /// ```
    /// # use sse_proto::client::Connection;
    /// let conn = Connection::new(503, std::io::empty()).header("Retry-After", "30");
    /// assert_eq!(conn.header_value("Retry-After"), Some("30"));
    /// ```
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The status.
    ///
    /// ```
    /// # use sse_proto::client::Connection;
    /// let conn = Connection::new(200, &b"data: x\n\n"[..]);
    /// assert_eq!(conn.status(), 200);
    /// ```
    #[must_use]
    pub const fn status(&self) -> u16 {
        self.status
    }

    /// Every header, in order.
    ///
    /// ```
    /// # use sse_proto::client::Connection;
    /// let conn = Connection::new(200, std::io::empty())
    ///     .header("Content-Type", "text/event-stream")
    ///     .header("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
    /// let names: Vec<&str> = conn.headers().iter().map(|(n, _)| n.as_str()).collect();
    /// assert_eq!(names, ["Content-Type", "Date"]);
    /// ```
    #[must_use]
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first header with this name (ASCII case-insensitive).
    ///
    /// ```
    /// # use sse_proto::client::Connection;
    /// let conn = Connection::new(200, std::io::empty())
    ///     .header("Content-Type", "text/event-stream")
    ///     .header("content-type", "text/plain");
    /// assert_eq!(conn.header_value("CONTENT-TYPE"), Some("text/event-stream")); // the first one
    /// assert_eq!(conn.header_value("Retry-After"), None);
    /// ```
    #[must_use]
    pub fn header_value(&self, name: &str) -> Option<&str> {
        super::output::find_header(&self.headers, name)
    }

    /// The head the client needs, from the status and headers
    /// ([`ResponseHead::from_headers`]), with the system clock as
    /// [`unix_time`](ResponseHead::unix_time).
    ///
    /// ```
    /// # use sse_proto::client::Connection;
    /// let conn = Connection::new(200, std::io::empty()).header("Content-Type", "text/event-stream");
    /// let head = conn.response_head();
    /// assert_eq!((head.status, head.content_type), (200, Some("text/event-stream")));
    /// ```
    #[must_use]
    pub fn response_head(&self) -> ResponseHead<'_> {
        let headers = self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        ResponseHead::from_headers(self.status, headers).unix_time_now()
    }

    /// The body.
    ///
    /// ```
    /// use std::io::Read;
    /// use sse_proto::client::Connection;
    ///
    /// let conn = Connection::new(200, &b"data: hi\n\n"[..]);
    /// let mut body = String::new();
    /// conn.into_body().read_to_string(&mut body).unwrap();
    /// assert_eq!(body, "data: hi\n\n");
    /// ```
    #[must_use]
    pub fn into_body(self) -> R {
        self.body
    }
}

/// What the [`Driver`] asks of one connection attempt besides the [`Request`]: hand these
/// to the HTTP library that opens the connection.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::client::ConnectLimits;
///
/// let limits = ConnectLimits::new(None, Duration::from_millis(100));
/// assert_eq!(limits.read_timeout, Duration::from_millis(100));
/// assert_eq!(limits.deadline, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ConnectLimits {
    /// When to give the attempt up: the whole response head (after any redirects and
    /// interim responses) must have arrived by then, or the connect function should fail
    /// with an error of kind `TimedOut`. It is the client's
    /// [idle timeout](crate::ClientConfig::idle_timeout) deadline; `None` when there is
    /// none (then apply a deadline of your own: a server can trickle a head forever).
    pub deadline: Option<std::time::Instant>,
    /// The longest one read of the body may block: set it as the connection's read timeout
    /// (e.g. [`std::net::TcpStream::set_read_timeout`]). A read that times out
    /// (`WouldBlock` or `TimedOut`) lets the driver check the idle deadline and the
    /// commands of its [`DriverHandle`]s. [`ConnectLimits::POLL_INTERVAL`], or the idle timeout
    /// if that is shorter.
    pub read_timeout: Duration,
}

impl ConnectLimits {
    /// The longest read timeout a [`Driver`] asks for ([`read_timeout`](Self::read_timeout)),
    /// and so the longest a [`DriverHandle`] command waits while a stream is open: 100 ms.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto::client::ConnectLimits;
    ///
    /// assert_eq!(ConnectLimits::POLL_INTERVAL, Duration::from_millis(100));
    /// ```
    pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

    /// Limits with this deadline and read timeout (for tests and other drivers).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::client::ConnectLimits;
    ///
    /// let at = std::time::Instant::now() + Duration::from_secs(5);
    /// assert_eq!(ConnectLimits::new(Some(at), Duration::from_secs(1)).deadline, Some(at));
    /// ```
    #[must_use]
    pub const fn new(deadline: Option<std::time::Instant>, read_timeout: Duration) -> Self {
        ConnectLimits {
            deadline,
            read_timeout,
        }
    }
}

/// What a [`Driver`] asks for when the client has no idle timeout: no deadline, reads of at
/// most [`ConnectLimits::POLL_INTERVAL`].
///
/// ```
/// use sse_proto::client::ConnectLimits;
///
/// let limits = ConnectLimits::default();
/// assert_eq!((limits.deadline, limits.read_timeout), (None, ConnectLimits::POLL_INTERVAL));
/// ```
impl Default for ConnectLimits {
    fn default() -> Self {
        ConnectLimits::new(None, ConnectLimits::POLL_INTERVAL)
    }
}

/// A command from a [`DriverHandle`], waiting for the driver to pick it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    ReconnectNow,
    Close,
}

/// What a driver and its handles share.
#[derive(Debug, Default)]
struct Shared {
    command: Mutex<Option<Command>>,
    wake: Condvar,
}

impl Shared {
    fn post(&self, command: Command) {
        let mut slot = self.command.lock().unwrap_or_else(PoisonError::into_inner);
        // Close wins over a reconnect that is still pending.
        if *slot != Some(Command::Close) {
            *slot = Some(command);
        }
        self.wake.notify_all();
    }

    fn take(&self) -> Option<Command> {
        self.command
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Sleeps until `until` or until a command is posted, whichever comes first.
    fn sleep_until(&self, until: std::time::Instant) {
        let mut slot = self.command.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let left = until.saturating_duration_since(std::time::Instant::now());
            if slot.is_some() || left.is_zero() {
                return;
            }
            slot = self
                .wake
                .wait_timeout(slot, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// Steers a [`Driver`] from any thread: cloneable, `Send` and `Sync`, made by
/// [`Driver::handle`].
///
/// A command takes effect inside the driver's [`next`](Iterator::next), which yields its
/// outputs: while the driver waits to reconnect, at once; while a stream is open, when the
/// current read returns — within [`ConnectLimits::POLL_INTERVAL`] when the connect function sets
/// [`ConnectLimits::read_timeout`]; while a connection attempt is under way, when the
/// connect function returns (by [`ConnectLimits::deadline`] if it honours it). A command
/// sent after the driver has ended does nothing.
///
/// ```
/// use std::io::Read;
/// use std::time::Duration;
/// use sse_proto::client::{CloseReason, Connection, ConnectLimits, Driver, Output, Request};
/// use sse_proto::ClientConfig;
///
/// /// A body that never ends: every read waits its read timeout and times out.
/// struct Silent(Duration);
/// impl Read for Silent {
///     fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
///         std::thread::sleep(self.0);
///         Err(std::io::ErrorKind::WouldBlock.into())
///     }
/// }
/// let connect = |_: &Request, limits: ConnectLimits| {
///     Ok(Connection::new(200, Silent(limits.read_timeout)).header("Content-Type", "text/event-stream"))
/// };
/// let mut driver = Driver::new(ClientConfig::new("http://h/"), connect)?;
/// let handle = driver.handle();
/// let closer = std::thread::spawn(move || {
///     std::thread::sleep(Duration::from_millis(50));
///     handle.close(); // from another thread, while next() blocks on the silent stream
/// });
/// let outputs: Vec<_> = driver.by_ref().take(10).filter_map(Result::ok).collect();
/// closer.join().unwrap();
/// assert!(matches!(outputs.last(), Some(Output::Closed(CloseReason::Requested))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DriverHandle {
    shared: Arc<Shared>,
}

impl DriverHandle {
    /// Closes the client (C26): the driver drops its connection, yields
    /// [`Output::Closed`]`(`[`CloseReason::Requested`](super::CloseReason::Requested)`)` and
    /// ends. Takes effect within the interval of the type docs.
    ///
    /// ```
    /// # use sse_proto::{client::{CloseReason, Connection, ConnectLimits, Driver, Output, Request}, ClientConfig};
    /// let mut driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request, _: ConnectLimits| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// let handle = driver.handle(); // Send + Sync: for another thread
    /// handle.close();
    /// let outputs: Vec<Output> = driver.filter_map(Result::ok).collect();
    /// assert!(matches!(outputs.last(), Some(Output::Closed(CloseReason::Requested))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&self) {
        self.shared.post(Command::Close);
    }

    /// Drops the current connection, if any, and connects again at once, skipping any wait
    /// ([`Client::reconnect_now`]). Takes effect within the interval of the type docs.
    ///
    /// ```
    /// # use sse_proto::{client::{Connection, ConnectLimits, Driver, Output, Request}, ClientConfig};
    /// let mut driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request, _: ConnectLimits| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// driver.handle().reconnect_now(); // before the first connection was opened: it never is
    /// let attempts: Vec<u64> = driver
    ///     .filter_map(|o| match o { Ok(Output::Connect(r)) => Some(r.attempt().number()), _ => None })
    ///     .collect();
    /// assert_eq!(attempts, [1, 2]); // only attempt 2 was opened (and answered 204)
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reconnect_now(&self) {
        self.shared.post(Command::ReconnectNow);
    }
}

/// Runs a [`Client`] over blocking I/O with the real clock: an iterator of the client's
/// [`Output`]s (events arrive as [`Output::Item`]) interleaved with the I/O errors it
/// recovered from.
///
/// `connect` is called for every [`Output::Connect`] with the [`Request`] to send and the
/// [`ConnectLimits`] to honour (the deadline for the response head, the read timeout for
/// the body); it returns the response as a [`Connection`] or an I/O error, classified by
/// [`TransportError::from_io_error`]: `InvalidInput` or `Unsupported` (a URL the function
/// cannot handle) fails for good (C8); any other error, and any read error, reconnects.
/// The driver reads the body, sleeps until the reconnect time, and ends the iteration
/// after the terminal [`Output::Failed`] or [`Output::Closed`].
///
/// Each item is `Ok(output)`, or `Err(e)` for an I/O error the client has already been
/// told about (it is reconnecting or has failed); iteration goes on after an `Err`.
///
/// Reads must return from time to time for the [idle
/// timeout](crate::ClientConfig::idle_timeout) and the commands of a [`DriverHandle`] to
/// take effect while a stream is silent: set [`ConnectLimits::read_timeout`] as the
/// connection's read timeout (a read that times out with `WouldBlock` or `TimedOut` is
/// not an error).
///
/// With an HTTP library, the connect function is a few lines: send the request's method,
/// URL, headers and body; copy the status, the headers and the body reader into a
/// [`Connection`]. Two things to check in the library: that a status other than 2xx is
/// a response, not an error (ureq: `http_status_as_error(false)`), or 204 and 5xx become
/// transport errors; and whether it can time out a single read. One that cannot (ureq 3
/// has only connect and whole-body timeouts) still works, but a silent stream then
/// ignores the idle timeout, and a [`DriverHandle`] command waits for the next byte or for
/// the peer to go. The crate's `examples/client.rs` does it over a plain `TcpStream`
/// (HTTP/1.1, redirects, deadlines and read timeouts honoured).
///
/// ```
/// use sse_proto::{client::{Connection, ConnectLimits, Driver, Output, Request}, ClientConfig, OwnedItem};
///
/// // A connect function that serves one canned response, then 204 (stop).
/// let mut served = 0;
/// let connect = move |request: &Request, _limits: ConnectLimits| {
///     served += 1;
///     assert_eq!(request.header("Accept"), Some("text/event-stream"));
///     let (status, body): (u16, &[u8]) = if served == 1 { (200, b"data: hello\n\n") } else { (204, b"") };
///     Ok(Connection::new(status, body).header("Content-Type", "text/event-stream"))
/// };
/// let config = ClientConfig::new("http://example.test/events")
///     .reconnection_time(core::time::Duration::from_millis(1));
/// let mut events = Vec::new();
/// for output in Driver::new(config, connect)? {
///     if let Ok(Output::Item(OwnedItem::Event(event))) = output {
///         events.push(event.data);
///     }
/// }
/// assert_eq!(events, ["hello"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Driver<C, R> {
    client: Client,
    connect: C,
    epoch: std::time::Instant,
    body: Option<R>,
    buf: Vec<u8>,
    pending_error: Option<io::Error>,
    shared: Arc<Shared>,
    done: bool,
}

impl<C, R> Driver<C, R>
where
    C: FnMut(&Request, ConnectLimits) -> io::Result<Connection<R>>,
    R: Read,
{
    /// A driver for a new client with `config`; the epoch of its [`Instant`]s is now.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] for a configuration [`Client::new`] refuses.
    ///
    /// ```
    /// use sse_proto::{client::{Connection, ConnectLimits, Driver, ReadyState, Request}, ClientConfig};
    ///
    /// // Nothing is connected until the driver is iterated.
    /// let driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request, _: ConnectLimits| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// assert_eq!(driver.client().ready_state(), ReadyState::Connecting);
    /// assert_eq!(driver.client().config().url, "http://h/");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(config: ClientConfig, connect: C) -> Result<Self, ConfigError> {
        Ok(Driver {
            client: Client::new(config, Instant::EPOCH)?,
            connect,
            epoch: std::time::Instant::now(),
            body: None,
            buf: std::vec![0; 16 * 1024],
            pending_error: None,
            shared: Arc::default(),
            done: false,
        })
    }

    /// The client, to read its ready state, last event ID or reconnection time.
    ///
    /// ```
    /// # use sse_proto::{client::{Connection, ConnectLimits, Driver, ReadyState, Request}, ClientConfig};
    /// let driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request, _: ConnectLimits| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// assert_eq!(driver.client().ready_state(), ReadyState::Connecting);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn client(&self) -> &Client {
        &self.client
    }

    /// A handle to close or reconnect this driver from another thread (see
    /// [`DriverHandle`] for when its commands take effect).
    ///
    /// ```
    /// # use sse_proto::{client::{CloseReason, Connection, ConnectLimits, Driver, Output, Request}, ClientConfig};
    /// let mut driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request, _: ConnectLimits| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// let handle = driver.handle();
    /// std::thread::spawn(move || handle.close()).join().unwrap();
    /// assert!(matches!(driver.next(), Some(Ok(Output::Closed(CloseReason::Requested)))));
    /// assert!(driver.next().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn handle(&self) -> DriverHandle {
        DriverHandle {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Closes the client and drops the connection (C26); the iteration then yields
    /// [`Output::Closed`] and ends. From another thread, use a [`DriverHandle`].
    ///
    /// ```
    /// # use sse_proto::{client::{CloseReason, Connection, ConnectLimits, Driver, Output, Request}, ClientConfig};
    /// let mut driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request, _: ConnectLimits| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// driver.close();
    /// assert!(matches!(driver.next(), Some(Ok(Output::Closed(CloseReason::Requested)))));
    /// assert!(driver.next().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&mut self) {
        self.body = None;
        let now = self.now();
        self.client.close(now);
    }

    /// Drops the current connection, if any, and connects again at once
    /// ([`Client::reconnect_now`]); nothing happens once the client is closed.
    ///
    /// ```
    /// # use sse_proto::{client::{Connection, ConnectLimits, Driver, Output, Request}, ClientConfig};
    /// let mut driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request, _: ConnectLimits| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// driver.reconnect_now(); // before the first connection was opened: it never is
    /// let attempts: Vec<u64> = driver
    ///     .filter_map(|o| match o { Ok(Output::Connect(r)) => Some(r.attempt().number()), _ => None })
    ///     .collect();
    /// assert_eq!(attempts, [1, 2]); // only attempt 2 was opened (and answered 204)
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reconnect_now(&mut self) {
        self.body = None;
        let now = self.now();
        // A closed client never reconnects (C15): nothing to do then.
        let _ = self.client.reconnect_now(now);
    }

    /// The current time on the driver's clock: milliseconds since the driver was created
    /// (the epoch of every [`Instant`] in its outputs).
    ///
    /// ```
    /// # use sse_proto::{client::{Connection, ConnectLimits, Driver, Request}, ClientConfig};
    /// let driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request, _: ConnectLimits| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// assert!(driver.now().as_millis() < 60_000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn now(&self) -> Instant {
        Instant::from_std(std::time::Instant::now(), self.epoch)
    }

    /// Applies a command a [`DriverHandle`] posted, if any; whether there was one.
    fn apply_command(&mut self) -> bool {
        match self.shared.take() {
            Some(Command::Close) => self.close(),
            Some(Command::ReconnectNow) => self.reconnect_now(),
            None => return false,
        }
        true
    }

    /// The limits for the attempt the client just asked for.
    fn limits(&self) -> ConnectLimits {
        let idle = self.client.config().idle_timeout;
        ConnectLimits {
            // While awaiting the response, the client's deadline is its idle deadline.
            deadline: self
                .client
                .poll_timeout()
                .and_then(|at| at.to_std(self.epoch)),
            read_timeout: idle.map_or(ConnectLimits::POLL_INTERVAL, |idle| {
                idle.clamp(Duration::from_millis(1), ConnectLimits::POLL_INTERVAL)
            }),
        }
    }

    /// Opens the connection for `request` and gives the client its response head.
    fn open(&mut self, request: &Request) {
        let attempt = request.attempt();
        let limits = self.limits();
        let opened = (self.connect)(request, limits);
        let now = self.now();
        // A connect function that overran the deadline: the idle timeout fires first, and
        // its late result is refused as belonging to a connection given up.
        self.client.handle_timeout(now);
        match opened {
            Ok(connection) => {
                let head = connection.response_head();
                let accepted = self.client.handle_response(now, attempt, &head);
                if accepted.is_ok() && self.client.ready_state() == ReadyState::Open {
                    self.body = Some(connection.into_body());
                }
            }
            Err(error) => {
                let kind = TransportError::from_io_error(&error);
                let _ = self.client.handle_transport_error(now, attempt, kind);
                self.pending_error = Some(error);
            }
        }
    }

    /// Reads once from the open body, or sleeps until the next deadline (or a command).
    /// `false` when there is nothing left to wait for.
    fn step(&mut self) -> bool {
        if let Some(body) = &mut self.body {
            let read = body.read(&mut self.buf);
            let now = Instant::from_std(std::time::Instant::now(), self.epoch);
            let attempt = self.client.attempt();
            match read {
                Ok(0) => {
                    self.body = None;
                    let _ = self.client.handle_body_end(now, attempt);
                }
                Ok(n) => {
                    let bytes = self.buf.get(..n).unwrap_or_default();
                    let _ = self.client.handle_body(now, attempt, bytes);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => {
                    self.body = None;
                    // A close or reconnect posted while this read blocked drops this
                    // connection anyway: its failure is not news, and is not reported (a
                    // read with no timeout of its own ends only when the peer goes).
                    if self.apply_command() {
                        return true;
                    }
                    let _ = self.client.handle_transport_error(
                        now,
                        attempt,
                        TransportError::from_io_error(&e),
                    );
                    self.pending_error = Some(e);
                }
            }
            self.client.handle_timeout(now); // idle deadline, if any
            return true;
        }
        let Some(deadline) = self.client.poll_timeout() else {
            return false;
        };
        // A deadline the platform's clock cannot represent is far away: sleep an hour at a
        // time (a command still wakes the driver).
        let now_std = std::time::Instant::now();
        let until = deadline
            .to_std(self.epoch)
            .or_else(|| now_std.checked_add(Duration::from_secs(3600)))
            .unwrap_or(now_std);
        self.shared.sleep_until(until);
        let now = self.now();
        self.client.handle_timeout(now);
        true
    }
}

impl<C, R> Iterator for Driver<C, R>
where
    C: FnMut(&Request, ConnectLimits) -> io::Result<Connection<R>>,
    R: Read,
{
    type Item = io::Result<Output>;

    fn next(&mut self) -> Option<io::Result<Output>> {
        loop {
            if let Some(error) = self.pending_error.take() {
                return Some(Err(error));
            }
            if !self.done {
                let _ = self.apply_command();
            }
            if let Some(output) = self.client.poll_output() {
                match &output {
                    Output::Connect(request) => {
                        self.body = None;
                        // A Connect already superseded (by a reconnect_now before it was
                        // drained) is passed on but not opened.
                        if request.attempt() == self.client.attempt() {
                            self.open(request);
                        }
                    }
                    Output::WaitUntil { .. } => self.body = None,
                    Output::Failed(_) | Output::Closed(_) => {
                        self.body = None;
                        self.done = true;
                    }
                    _ => {}
                }
                return Some(Ok(output));
            }
            if self.done || !self.step() {
                self.done = true;
                return None;
            }
        }
    }
}

impl<C, R> core::fmt::Debug for Driver<C, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Driver")
            .field("client", &self.client)
            .field("connected", &self.body.is_some())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::CloseReason;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::thread;

    /// A stream that never sends a byte: each read waits the read timeout the driver asked
    /// for and times out. It counts the reads that start after `posted` is set.
    struct Silent {
        wait: Duration,
        posted: Arc<AtomicBool>,
        reads_after: Arc<AtomicUsize>,
    }

    impl Read for Silent {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            if self.posted.load(Ordering::SeqCst) {
                self.reads_after.fetch_add(1, Ordering::SeqCst);
            }
            thread::sleep(self.wait);
            Err(io::ErrorKind::WouldBlock.into())
        }
    }

    /// `close` and `reconnect_now` from another thread, while `next()`
    /// blocks on a silent stream, take effect after the read in progress.
    #[test]
    fn a_handle_steers_the_driver_from_another_thread() {
        let posted = Arc::new(AtomicBool::new(false));
        let reads_after = Arc::new(AtomicUsize::new(0));
        let connects = Arc::new(AtomicUsize::new(0));
        let (p, r, c) = (posted.clone(), reads_after.clone(), connects.clone());
        let connect = move |_: &Request, limits: ConnectLimits| {
            c.fetch_add(1, Ordering::SeqCst);
            assert!(limits.read_timeout <= ConnectLimits::POLL_INTERVAL);
            let body = Silent {
                wait: limits.read_timeout,
                posted: p.clone(),
                reads_after: r.clone(),
            };
            Ok(Connection::new(200, body).header("Content-Type", "text/event-stream"))
        };
        let mut driver = Driver::new(ClientConfig::new("http://h/"), connect).unwrap();
        let handle = driver.handle();
        let steer = {
            let posted = posted.clone();
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(150));
                handle.reconnect_now();
                thread::sleep(Duration::from_millis(150));
                posted.store(true, Ordering::SeqCst);
                handle.close();
            })
        };
        let mut outputs = Vec::new();
        for output in driver.by_ref().take(100) {
            outputs.push(output.unwrap());
        }
        steer.join().unwrap();
        let attempts: Vec<u64> = outputs
            .iter()
            .filter_map(|o| match o {
                Output::Connect(r) => Some(r.attempt().number()),
                _ => None,
            })
            .collect();
        assert_eq!(attempts, [1, 2], "{outputs:?}");
        assert_eq!(connects.load(Ordering::SeqCst), 2, "both attempts opened");
        assert_eq!(
            outputs.last(),
            Some(&Output::Closed(CloseReason::Requested))
        );
        assert!(
            reads_after.load(Ordering::SeqCst) <= 1,
            "reads after close: {}",
            reads_after.load(Ordering::SeqCst)
        );
        assert!(driver.next().is_none());
    }

    /// A close posted while a read blocks (a body with no read timeout of its own), which
    /// then fails as the peer goes: the driver closes as asked and does not report the
    /// failure of the connection it was dropping anyway.
    #[test]
    fn a_read_failing_after_a_close_was_posted_is_not_reported() {
        /// A body whose one read blocks, then fails as a reset connection would.
        struct Blocking;
        impl Read for Blocking {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                thread::sleep(Duration::from_millis(300));
                Err(io::ErrorKind::ConnectionReset.into())
            }
        }
        let connect = |_: &Request, _: ConnectLimits| {
            Ok(Connection::new(200, Blocking).header("Content-Type", "text/event-stream"))
        };
        let mut driver = Driver::new(ClientConfig::new("http://h/"), connect).unwrap();
        let handle = driver.handle();
        let closer = thread::spawn(move || {
            thread::sleep(Duration::from_millis(100));
            handle.close();
        });
        let outputs: Vec<io::Result<Output>> = driver.by_ref().take(20).collect();
        closer.join().unwrap();
        assert!(outputs.iter().all(Result::is_ok), "{outputs:?}");
        assert!(matches!(
            outputs.last(),
            Some(Ok(Output::Closed(CloseReason::Requested)))
        ));
    }

    /// A close while the driver sleeps before a reconnect wakes it: no reconnect happens.
    #[test]
    fn a_handle_wakes_a_driver_waiting_to_reconnect() {
        let connects = Arc::new(AtomicUsize::new(0));
        let c = connects.clone();
        let connect = move |_: &Request, _: ConnectLimits| {
            c.fetch_add(1, Ordering::SeqCst);
            Err::<Connection<io::Empty>, _>(io::Error::from(io::ErrorKind::ConnectionRefused))
        };
        let config = ClientConfig::new("http://h/").reconnection_time(Duration::from_secs(5));
        let mut driver = Driver::new(config, connect).unwrap();
        let handle = driver.handle();
        let closer = thread::spawn(move || {
            thread::sleep(Duration::from_millis(100));
            handle.close();
        });
        let outputs: Vec<_> = driver.by_ref().take(20).collect();
        closer.join().unwrap();
        assert_eq!(connects.load(Ordering::SeqCst), 1, "{outputs:?}");
        assert!(matches!(
            outputs.last(),
            Some(Ok(Output::Closed(CloseReason::Requested)))
        ));
    }

    #[test]
    fn handles_are_send_and_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<DriverHandle>();
    }
}
