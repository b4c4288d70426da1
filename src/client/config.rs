//! The client's configuration: the request it repeats, the reconnection time, and the
//! opt-in policies (D11). A plain struct with chained setters and matching getters.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use super::backoff::Backoff;
use crate::decode::DecoderConfig;
use crate::error::IdError;
use crate::time::millis_of;

/// How a [`Client`](crate::Client) connects and reconnects.
///
/// Everything beyond the EventSource processing model is **off by default** (D11): with
/// `ClientConfig::new(url)` the client waits the reconnection time (3 s, D10, or what the
/// server's `retry` says) before every reconnect, fails on any status but 200 (204 ends the
/// stream), and retries forever.
///
/// | setting | default | what it does |
/// |---|---|---|
/// | [`method`](Self::method), [`header`](Self::header), [`body`](Self::body) | `GET`, none, none | the request (C6; POST and bodies are extensions, PEERS §3 #11) |
/// | [`initial_last_event_id`](Self::initial_last_event_id) | `""` | resume from an ID (C20) |
/// | [`reconnection_time`](Self::reconnection_time) | 3 s | the initial reconnection time (C29, D10) |
/// | [`max_reconnection_time`](Self::max_reconnection_time) | 1 h | clamps `retry` and `Retry-After` (D2) |
/// | [`min_reconnection_time`](Self::min_reconnection_time) | 0 (off) | floor for `retry: 0` |
/// | [`backoff`](Self::backoff) | `None` (off) | exponential backoff with cap and jitter |
/// | [`retry_server_errors`](Self::retry_server_errors) | `false` | reconnect on 5xx/429, honouring `Retry-After` |
/// | [`idle_timeout`](Self::idle_timeout) | `None` (off) | reconnect when no bytes arrive for this long |
/// | [`max_attempts`](Self::max_attempts) | `None` (off) | give up after this many failed attempts in a row |
/// | [`decoder`](Self::decoder) | [`DecoderConfig::default`] | line and event size limits |
///
/// ```
/// use core::time::Duration;
/// use sse_proto::{Backoff, ClientConfig};
///
/// # fn main() -> Result<(), sse_proto::ConfigError> {
/// let mut config = ClientConfig::new("http://127.0.0.1:8080/events");
/// config
///     .header("Authorization", "Bearer t0ken")?
///     .initial_last_event_id("41")?
///     .reconnection_time(Duration::from_secs(1))
///     .min_reconnection_time(Duration::from_millis(250))
///     .backoff(Some(Backoff::new()))
///     .idle_timeout(Some(Duration::from_secs(45)))
///     .max_attempts(Some(20));
/// assert_eq!(config.get_headers(), [("Authorization".to_string(), "Bearer t0ken".to_string())]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub(crate) url: String,
    pub(crate) method: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) initial_last_event_id: String,
    pub(crate) reconnection_time: u64,
    pub(crate) max_reconnection_time: u64,
    pub(crate) min_reconnection_time: u64,
    pub(crate) backoff: Option<Backoff>,
    pub(crate) retry_server_errors: bool,
    pub(crate) idle_timeout: Option<u64>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) decoder: DecoderConfig,
}

impl Default for ClientConfig {
    /// The defaults, with an empty URL.
    fn default() -> Self {
        ClientConfig {
            url: String::new(),
            method: String::from("GET"),
            headers: Vec::new(),
            body: None,
            initial_last_event_id: String::new(),
            reconnection_time: 3000,
            max_reconnection_time: 3_600_000,
            min_reconnection_time: 0,
            backoff: None,
            retry_server_errors: false,
            idle_timeout: None,
            max_attempts: None,
            decoder: DecoderConfig::default(),
        }
    }
}

impl ClientConfig {
    /// Default [`reconnection_time`](Self::reconnection_time): 3 s (D10, as Chromium and
    /// undici).
    pub const DEFAULT_RECONNECTION_TIME: Duration = Duration::from_secs(3);
    /// Default [`max_reconnection_time`](Self::max_reconnection_time): 1 hour.
    pub const DEFAULT_MAX_RECONNECTION_TIME: Duration = Duration::from_secs(3600);

    /// The defaults, for `url`. The URL is not parsed: it is handed back verbatim in every
    /// [`Request`](crate::Request), the same for every reconnect (C22: reconnection
    /// re-fetches the original URL, not a redirect target).
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::new("http://localhost/sse");
    /// assert_eq!(config.get_url(), "http://localhost/sse");
    /// assert_eq!(config.get_method(), "GET");
    /// ```
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        ClientConfig {
            url: url.into(),
            ..ClientConfig::default()
        }
    }

    /// Sets the URL (see [`new`](Self::new)).
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::default();
    /// assert_eq!(config.url("http://h/").get_url(), "http://h/");
    /// ```
    pub fn url(&mut self, url: impl Into<String>) -> &mut Self {
        self.url = url.into();
        self
    }

    /// The request method, `GET` by default (C6). Must be an HTTP token.
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::default();
    /// assert_eq!(config.method("POST").unwrap().get_method(), "POST");
    /// assert!(config.method("GET /x").is_err());
    /// ```
    pub fn method(&mut self, method: &str) -> Result<&mut Self, ConfigError> {
        if !is_token(method) {
            return Err(ConfigError::InvalidMethod);
        }
        self.method = method.to_string();
        Ok(self)
    }

    /// Adds a request header, sent on every connection after `Accept` and `Cache-Control`.
    /// A header named `Accept` or `Cache-Control` (any case) replaces the default one (set,
    /// not append). `Last-Event-ID` is the client's own ([`ConfigError::ReservedHeader`]:
    /// use [`initial_last_event_id`](Self::initial_last_event_id)). Names must be HTTP
    /// tokens and values must not hold CR, LF, NUL or other control characters except tab,
    /// so no header can be injected.
    ///
    /// ```
    /// use sse_proto::{ClientConfig, ConfigError};
    ///
    /// let mut config = ClientConfig::default();
    /// config.header("X-Token", "abc").unwrap();
    /// assert_eq!(config.header("X-Evil", "a\r\nHost: b"), Err(ConfigError::InvalidHeaderValue));
    /// assert_eq!(config.header("Last-Event-ID", "1"), Err(ConfigError::ReservedHeader));
    /// ```
    pub fn header(&mut self, name: &str, value: &str) -> Result<&mut Self, ConfigError> {
        if !is_token(name) {
            return Err(ConfigError::InvalidHeaderName);
        }
        if name.eq_ignore_ascii_case("last-event-id") {
            return Err(ConfigError::ReservedHeader);
        }
        if !value
            .bytes()
            .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
        {
            return Err(ConfigError::InvalidHeaderValue);
        }
        self.headers.push((name.to_string(), value.to_string()));
        Ok(self)
    }

    /// A request body, sent on every connection (set the method too). Default none.
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::default();
    /// assert_eq!(config.body(Some(b"{}".to_vec())).get_body(), Some(&b"{}"[..]));
    /// ```
    pub fn body(&mut self, body: Option<Vec<u8>>) -> &mut Self {
        self.body = body;
        self
    }

    /// The last event ID to start from, sent as `Last-Event-ID` from the first request on
    /// (C20; a browser always starts empty). Fails for NUL, CR or LF (C18).
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::default();
    /// assert_eq!(config.initial_last_event_id("7").unwrap().get_initial_last_event_id(), "7");
    /// assert!(config.initial_last_event_id("a\nb").is_err());
    /// ```
    pub fn initial_last_event_id(&mut self, id: &str) -> Result<&mut Self, ConfigError> {
        IdError::check(id).map_err(ConfigError::InvalidLastEventId)?;
        self.initial_last_event_id = id.to_string();
        Ok(self)
    }

    /// The reconnection time until the server sends `retry` (C29, D10). Default 3 s.
    /// Whole milliseconds; clamped by the min and max below.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let mut config = sse_proto::ClientConfig::default();
    /// config.reconnection_time(Duration::from_millis(500));
    /// assert_eq!(config.get_reconnection_time(), Duration::from_millis(500));
    /// ```
    pub fn reconnection_time(&mut self, time: Duration) -> &mut Self {
        self.reconnection_time = millis_of(time);
        self
    }

    /// The longest reconnection time a `retry` field, the configuration or a `Retry-After`
    /// header can set; larger values are clamped to it (D2). Default 1 hour, so that a
    /// bogus `retry: 99999999999` cannot silence a client for years.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let mut config = sse_proto::ClientConfig::default();
    /// config.max_reconnection_time(Duration::from_secs(60));
    /// assert_eq!(config.get_max_reconnection_time(), Duration::from_secs(60));
    /// ```
    pub fn max_reconnection_time(&mut self, time: Duration) -> &mut Self {
        self.max_reconnection_time = millis_of(time);
        self
    }

    /// Opt-in floor for the reconnection time: a `retry` below it (notably `retry: 0`,
    /// which makes the spec reconnect in a tight loop; PEERS §3 #5) counts as the floor.
    /// Default 0: off, the spec's behaviour.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let mut config = sse_proto::ClientConfig::default();
    /// config.min_reconnection_time(Duration::from_millis(100));
    /// assert_eq!(config.get_min_reconnection_time(), Duration::from_millis(100));
    /// ```
    pub fn min_reconnection_time(&mut self, time: Duration) -> &mut Self {
        self.min_reconnection_time = millis_of(time);
        self
    }

    /// Opt-in exponential backoff (C30): see [`Backoff`]. Default `None`: every reconnect
    /// waits exactly the reconnection time.
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::default();
    /// config.backoff(Some(sse_proto::Backoff::new()));
    /// assert!(config.get_backoff().is_some());
    /// ```
    pub fn backoff(&mut self, backoff: Option<Backoff>) -> &mut Self {
        self.backoff = backoff;
        self
    }

    /// Opt-in: treat 5xx and 429 responses as a lost connection and reconnect, waiting at
    /// least what their `Retry-After` says (seconds or HTTP-date, clamped to
    /// [`max_reconnection_time`](Self::max_reconnection_time)). Other non-200 statuses,
    /// 4xx included, still fail. Default `false`: any status but 200 fails (C9).
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::default();
    /// assert!(config.retry_server_errors(true).get_retry_server_errors());
    /// ```
    pub fn retry_server_errors(&mut self, on: bool) -> &mut Self {
        self.retry_server_errors = on;
        self
    }

    /// Opt-in idle (read) timeout: when a connection is waiting for its response, or is
    /// open, and no bytes have arrived for this long, the client gives it up and
    /// reconnects. This is the answer to a silently dead connection (a NAT or proxy that
    /// dropped it without a FIN), which otherwise never ends. Pick it well above the
    /// server's keep-alive interval (often 15 s, P24). Default `None`: off.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let mut config = sse_proto::ClientConfig::default();
    /// config.idle_timeout(Some(Duration::from_secs(45)));
    /// assert_eq!(config.get_idle_timeout(), Some(Duration::from_secs(45)));
    /// ```
    pub fn idle_timeout(&mut self, timeout: Option<Duration>) -> &mut Self {
        self.idle_timeout = timeout.map(millis_of);
        self
    }

    /// Opt-in: fail with [`FailReason::MaxAttempts`](crate::FailReason::MaxAttempts) once
    /// this many connection attempts in a row have failed (0 counts as 1). An attempt
    /// fails unless its stream opened — and, with a [`Backoff`], stayed open for its
    /// [`reset_after`](Backoff::reset_after). Default `None`: retry forever, as the spec.
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::default();
    /// assert_eq!(config.max_attempts(Some(5)).get_max_attempts(), Some(5));
    /// ```
    pub fn max_attempts(&mut self, attempts: Option<u32>) -> &mut Self {
        self.max_attempts = attempts;
        self
    }

    /// The decoder's limits and options.
    ///
    /// ```
    /// use sse_proto::{ClientConfig, DecoderConfig};
    ///
    /// let mut config = ClientConfig::default();
    /// config.decoder(DecoderConfig::default().max_line_len(4096));
    /// assert_eq!(config.get_decoder().max_line_len, 4096);
    /// ```
    pub fn decoder(&mut self, decoder: DecoderConfig) -> &mut Self {
        self.decoder = decoder;
        self
    }

    /// See [`url`](Self::url).
    ///
    /// ```
    /// use sse_proto::ClientConfig;
    /// assert_eq!(ClientConfig::default().get_url(), "");
    /// assert_eq!(ClientConfig::new("http://h/events").get_url(), "http://h/events");
    /// ```
    #[must_use]
    pub fn get_url(&self) -> &str {
        &self.url
    }

    /// See [`method`](Self::method).
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::new("http://h/");
    /// assert_eq!(config.get_method(), "GET");
    /// config.method("POST").unwrap();
    /// assert_eq!(config.get_method(), "POST");
    /// ```
    #[must_use]
    pub fn get_method(&self) -> &str {
        &self.method
    }

    /// See [`header`](Self::header): the user's headers, in order.
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::new("http://h/");
    /// assert!(config.get_headers().is_empty()); // Accept and Cache-Control are added per request
    /// config.header("X-A", "1").unwrap().header("X-B", "2").unwrap();
    /// assert_eq!(config.get_headers()[1], ("X-B".to_string(), "2".to_string()));
    /// ```
    #[must_use]
    pub fn get_headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// See [`body`](Self::body).
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::new("http://h/");
    /// assert_eq!(config.get_body(), None);
    /// config.body(Some(b"q=1".to_vec()));
    /// assert_eq!(config.get_body(), Some(&b"q=1"[..]));
    /// ```
    #[must_use]
    pub fn get_body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// See [`initial_last_event_id`](Self::initial_last_event_id).
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::new("http://h/");
    /// assert_eq!(config.get_initial_last_event_id(), ""); // no Last-Event-ID at first
    /// config.initial_last_event_id("41").unwrap();
    /// assert_eq!(config.get_initial_last_event_id(), "41");
    /// ```
    #[must_use]
    pub fn get_initial_last_event_id(&self) -> &str {
        &self.initial_last_event_id
    }

    /// See [`reconnection_time`](Self::reconnection_time).
    ///
    /// ```
    /// use sse_proto::ClientConfig;
    ///
    /// let config = ClientConfig::new("http://h/");
    /// assert_eq!(config.get_reconnection_time(), ClientConfig::DEFAULT_RECONNECTION_TIME); // 3 s
    /// ```
    #[must_use]
    pub const fn get_reconnection_time(&self) -> Duration {
        Duration::from_millis(self.reconnection_time)
    }

    /// See [`max_reconnection_time`](Self::max_reconnection_time).
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::ClientConfig;
    ///
    /// let config = ClientConfig::new("http://h/");
    /// assert_eq!(config.get_max_reconnection_time(), Duration::from_secs(3600));
    /// ```
    #[must_use]
    pub const fn get_max_reconnection_time(&self) -> Duration {
        Duration::from_millis(self.max_reconnection_time)
    }

    /// See [`min_reconnection_time`](Self::min_reconnection_time).
    ///
    /// ```
    /// # use core::time::Duration;
    /// let config = sse_proto::ClientConfig::new("http://h/");
    /// assert_eq!(config.get_min_reconnection_time(), Duration::ZERO); // off
    /// ```
    #[must_use]
    pub const fn get_min_reconnection_time(&self) -> Duration {
        Duration::from_millis(self.min_reconnection_time)
    }

    /// See [`backoff`](Self::backoff).
    ///
    /// ```
    /// let mut config = sse_proto::ClientConfig::new("http://h/");
    /// assert_eq!(config.get_backoff(), None); // off
    /// config.backoff(Some(sse_proto::Backoff::new()));
    /// assert_eq!(config.get_backoff().map(|b| b.get_multiplier_percent()), Some(200));
    /// ```
    #[must_use]
    pub const fn get_backoff(&self) -> Option<&Backoff> {
        self.backoff.as_ref()
    }

    /// See [`retry_server_errors`](Self::retry_server_errors).
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::new("http://h/");
    /// assert!(!config.get_retry_server_errors()); // any status but 200 (and 204) fails
    /// ```
    #[must_use]
    pub const fn get_retry_server_errors(&self) -> bool {
        self.retry_server_errors
    }

    /// See [`idle_timeout`](Self::idle_timeout).
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::new("http://h/");
    /// assert_eq!(config.get_idle_timeout(), None); // off
    /// ```
    #[must_use]
    pub fn get_idle_timeout(&self) -> Option<Duration> {
        self.idle_timeout.map(Duration::from_millis)
    }

    /// See [`max_attempts`](Self::max_attempts).
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::new("http://h/");
    /// assert_eq!(config.get_max_attempts(), None); // retry forever
    /// ```
    #[must_use]
    pub const fn get_max_attempts(&self) -> Option<u32> {
        self.max_attempts
    }

    /// See [`decoder`](Self::decoder).
    ///
    /// ```
    /// use sse_proto::{ClientConfig, DecoderConfig};
    ///
    /// let config = ClientConfig::new("http://h/");
    /// assert_eq!(config.get_decoder(), &DecoderConfig::default());
    /// assert_eq!(config.get_decoder().max_line_len, DecoderConfig::DEFAULT_MAX_LINE_LEN);
    /// ```
    #[must_use]
    pub const fn get_decoder(&self) -> &DecoderConfig {
        &self.decoder
    }

    /// A reconnection time clamped to the configured floor and ceiling (D2).
    pub(crate) fn clamp_reconnection_time(&self, ms: u64) -> u64 {
        ms.max(self.min_reconnection_time)
            .min(self.max_reconnection_time)
    }
}

/// An HTTP token (RFC 9110 §5.6.2): one or more `tchar`.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

/// A [`ClientConfig`] setting that was refused; the configuration is left unchanged.
///
/// ```
/// use sse_proto::{ClientConfig, ConfigError};
///
/// let err = ClientConfig::default().header("Bad Name", "x").unwrap_err();
/// assert_eq!(err, ConfigError::InvalidHeaderName);
/// assert_eq!(err.to_string(), "header name is not an HTTP token");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigError {
    /// The method is not an HTTP token.
    InvalidMethod,
    /// A header name is not an HTTP token.
    InvalidHeaderName,
    /// A header value holds CR, LF, NUL or another control character.
    InvalidHeaderValue,
    /// `Last-Event-ID` is set by the client itself (C14 step 5).
    ReservedHeader,
    /// The initial last event ID holds NUL, CR or LF (C18).
    InvalidLastEventId(IdError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidMethod => f.write_str("method is not an HTTP token"),
            ConfigError::InvalidHeaderName => f.write_str("header name is not an HTTP token"),
            ConfigError::InvalidHeaderValue => {
                f.write_str("header value contains a control character")
            }
            ConfigError::ReservedHeader => f.write_str(
                "Last-Event-ID is managed by the client; set initial_last_event_id instead",
            ),
            ConfigError::InvalidLastEventId(e) => write!(f, "invalid initial last event id: {e}"),
        }
    }
}

impl core::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            ConfigError::InvalidLastEventId(e) => Some(e),
            _ => None,
        }
    }
}
