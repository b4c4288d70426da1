//! A blocking driver (`std`): runs a [`Client`] with real time over connections the
//! caller opens, and hands out its outputs as an iterator. Still no sockets here: the
//! caller's function opens the connection with any HTTP library (or a `TcpStream`).

use std::io::{self, Read};
use std::string::String;
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

/// Runs a [`Client`] over blocking I/O with the real clock: an iterator of the client's
/// [`Output`]s (events arrive as [`Output::Item`]) interleaved with the I/O errors it
/// recovered from.
///
/// `connect` is called for every [`Output::Connect`] with the [`Request`] to send; it
/// returns the response as a [`Connection`] or an I/O error. An error of kind
/// `InvalidInput` or `Unsupported` (a URL the function cannot handle) is taken as futile
/// and fails for good (C8); any other error, and any read error, reconnects. The driver
/// reads the body, sleeps until the reconnect time, and ends the iteration after the
/// terminal [`Output::Failed`] or [`Output::Closed`].
///
/// Each item is `Ok(output)`, or `Err(e)` for an I/O error the client has already been
/// told about (it is reconnecting or has failed); iteration goes on after an `Err`.
///
/// For the [idle timeout](crate::ClientConfig::idle_timeout) to fire while a read blocks,
/// give the connection a read timeout (e.g. [`std::net::TcpStream::set_read_timeout`]):
/// reads that time out (`WouldBlock`/`TimedOut`) let the driver check its deadlines.
///
/// ```
/// use sse_proto::{client::{Connection, Driver, Output}, ClientConfig, OwnedItem};
///
/// // A connect function that serves one canned response, then 204 (stop).
/// let mut served = 0;
/// let connect = move |request: &sse_proto::client::Request| {
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
    done: bool,
}

impl<C, R> Driver<C, R>
where
    C: FnMut(&Request) -> io::Result<Connection<R>>,
    R: Read,
{
    /// A driver for a new client with `config`; the epoch of its [`Instant`]s is now.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] for a configuration [`Client::new`] refuses.
    ///
    /// ```
    /// use sse_proto::{client::{Connection, Driver, ReadyState, Request}, ClientConfig};
    ///
    /// // Nothing is connected until the driver is iterated.
    /// let driver = Driver::new(ClientConfig::new("http://h/"), |_: &Request| {
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
            done: false,
        })
    }

    /// The client, to read its ready state, last event ID or reconnection time.
    ///
    /// ```
    /// # use sse_proto::{client::{Connection, Driver, ReadyState}, ClientConfig};
    /// let driver = Driver::new(ClientConfig::new("http://h/"), |_: &sse_proto::client::Request| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// assert_eq!(driver.client().ready_state(), ReadyState::Connecting);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn client(&self) -> &Client {
        &self.client
    }

    /// Closes the client and drops the connection (C26); the iteration then yields
    /// [`Output::Closed`] and ends.
    ///
    /// ```
    /// # use sse_proto::{client::{Connection, Driver, Output, CloseReason}, ClientConfig};
    /// let mut driver = Driver::new(ClientConfig::new("http://h/"), |_: &sse_proto::client::Request| {
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

    /// The current time on the driver's clock: milliseconds since the driver was created
    /// (the epoch of every [`Instant`] in its outputs).
    ///
    /// ```
    /// # use sse_proto::{client::{Connection, Driver}, ClientConfig};
    /// let driver = Driver::new(ClientConfig::new("http://h/"), |_: &sse_proto::client::Request| {
    ///     Ok(Connection::new(204, std::io::empty()))
    /// })?;
    /// assert!(driver.now().as_millis() < 60_000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn now(&self) -> Instant {
        Instant::from_std(std::time::Instant::now(), self.epoch)
    }

    /// Opens the connection for `request` and gives the client its response head.
    fn open(&mut self, request: &Request) {
        match (self.connect)(request) {
            Ok(connection) => {
                let now = self.now();
                // The client is awaiting this response (it just asked for it), so this
                // cannot be refused.
                let _ = self.client.handle_response(
                    now,
                    request.attempt(),
                    &connection.response_head(),
                );
                if self.client.ready_state() == ReadyState::Open {
                    self.body = Some(connection.into_body());
                }
            }
            Err(error) => {
                let kind = TransportError::from_io_error(&error);
                let now = self.now();
                let _ = self
                    .client
                    .handle_transport_error(now, request.attempt(), kind);
                self.pending_error = Some(error);
            }
        }
    }

    /// Reads once from the open body, or sleeps until the next deadline. `false` when
    /// there is nothing left to wait for.
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
                    let _ =
                        self.client
                            .handle_transport_error(now, attempt, TransportError::Transient);
                    self.pending_error = Some(e);
                }
            }
            self.client.handle_timeout(now); // idle deadline, if any
            return true;
        }
        let Some(deadline) = self.client.poll_timeout() else {
            return false;
        };
        let now = self.now();
        if deadline > now {
            std::thread::sleep(deadline.saturating_duration_since(now));
        }
        let now = self.now();
        self.client.handle_timeout(now.max(deadline));
        true
    }
}

impl<C, R> Iterator for Driver<C, R>
where
    C: FnMut(&Request) -> io::Result<Connection<R>>,
    R: Read,
{
    type Item = io::Result<Output>;

    fn next(&mut self) -> Option<io::Result<Output>> {
        loop {
            if let Some(error) = self.pending_error.take() {
                return Some(Err(error));
            }
            if let Some(output) = self.client.poll_output() {
                match &output {
                    Output::Connect(request) => {
                        self.body = None;
                        self.open(request);
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
