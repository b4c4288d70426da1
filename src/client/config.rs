//! The client's configuration: the request it repeats, the reconnection time, and the
//! opt-in policies (D11). Public fields with same-named by-value setters; checked once, by
//! [`Client::new`](crate::Client::new).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use super::backoff::Backoff;
use super::reconnect::Reconnect;
use crate::decode::DecoderConfig;
use crate::error::IdError;

/// How a [`Client`](crate::Client) connects and reconnects.
///
/// A by-value builder: start from [`ClientConfig::new`], chain the settings you need, and
/// hand the result to [`Client::new`](crate::Client::new) (or
/// [`Driver::new`](crate::client::Driver::new)), which checks it once and says which
/// setting is wrong ([`ConfigError`]). The fields are public to read (and to set, if you
/// prefer); every field has a setter of the same name.
///
/// With `ClientConfig::new(url)` the client is the EventSource processing model: it fails
/// on any status but 200 (204 ends the stream) and retries forever, waiting the
/// reconnection time (3 s, D10, or what the server's `retry` says) before a reconnect —
/// except that it **never reconnects in a tight loop** (D12): no wait is shorter than
/// 100 ms, and attempts in a row that dispatch no event wait twice as long each time, up to
/// 30 s. [`spec_timing`](Self::spec_timing) gives the spec's exact timing. Every other
/// policy is **off by default** (D11).
///
/// | setting | default | what it does |
/// |---|---|---|
/// | [`method`](Self::method), [`header`](Self::header), [`body`](Self::body) | `GET`, none, none | the request (C6; POST and bodies are extensions) |
/// | [`initial_last_event_id`](Self::initial_last_event_id) | `""` | resume from an ID (C20) |
/// | [`reconnection_time`](Self::reconnection_time) | 3 s | the initial reconnection time (C29, D10) |
/// | [`max_reconnection_time`](Self::max_reconnection_time) | 1 h | clamps `retry` and `Retry-After` (D2) |
/// | [`min_reconnection_time`](Self::min_reconnection_time) | 100 ms | floor for `retry: 0` (D12) |
/// | [`unproductive_backoff`](Self::unproductive_backoff) / [`no_unproductive_backoff`](Self::no_unproductive_backoff) | 30 s cap | slow down attempts that deliver no event (D12) |
/// | [`spec_timing`](Self::spec_timing) | — | both of the above off: exact spec timing |
/// | [`backoff`](Self::backoff) / [`no_backoff`](Self::no_backoff) | off | exponential backoff with cap and jitter |
/// | [`retry_server_errors`](Self::retry_server_errors) | `false` | reconnect on 5xx/429, honouring `Retry-After` |
/// | [`idle_timeout`](Self::idle_timeout) / [`no_idle_timeout`](Self::no_idle_timeout) | off | reconnect when no bytes arrive for this long |
/// | [`max_attempts`](Self::max_attempts) / [`unlimited_attempts`](Self::unlimited_attempts) | unlimited | give up after this many failed attempts in a row |
/// | [`reconnect`](Self::reconnect) | [`Reconnect::Auto`]: `Always` for a GET without a body, else `OnError` | reconnect after a clean end too, only after failures, or never |
/// | [`decoder`](Self::decoder) | [`DEFAULT_DECODER`](Self::DEFAULT_DECODER): 16 MiB lines and events, 64 KiB ids | size limits, and so the memory bound |
///
/// ```
/// use core::time::Duration;
/// use sse_proto::client::{Backoff, Instant};
/// use sse_proto::{Client, ClientConfig};
///
/// # fn main() -> Result<(), sse_proto::client::ConfigError> {
/// let config = ClientConfig::new("http://127.0.0.1:8080/events")
///     .header("Authorization", "Bearer t0ken")
///     .initial_last_event_id("41")
///     .reconnection_time(Duration::from_secs(1))
///     .min_reconnection_time(Duration::from_millis(250))
///     .backoff(Backoff::new().max(Duration::from_secs(30)))
///     .idle_timeout(Duration::from_secs(45))
///     .max_attempts(20);
/// assert_eq!(config.max_attempts, Some(20));
/// let client = Client::new(config, Instant::EPOCH)?; // checked here, once
/// assert_eq!(client.config().headers[0].0, "Authorization");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The URL, handed back verbatim in every [`Request`](crate::client::Request).
    pub url: String,
    /// The request method; must be an HTTP token.
    pub method: String,
    /// The user's request headers, in order (see [`header`](Self::header)).
    pub headers: Vec<(String, String)>,
    /// The request body, if any.
    pub body: Option<Vec<u8>>,
    /// The last event ID to start from (C20).
    pub initial_last_event_id: String,
    /// The reconnection time until the server sends `retry` (C29, D10).
    pub reconnection_time: Duration,
    /// The ceiling of every reconnection time (D2).
    pub max_reconnection_time: Duration,
    /// The floor of every reconnection time (D12).
    pub min_reconnection_time: Duration,
    /// The cap of the doubling wait after attempts in a row that dispatched no event, or
    /// `None` for none (D12).
    pub unproductive_backoff: Option<Duration>,
    /// Exponential backoff, or `None` for none.
    pub backoff: Option<Backoff>,
    /// Whether 5xx and 429 responses reconnect instead of failing.
    pub retry_server_errors: bool,
    /// The idle timeout, or `None` for none.
    pub idle_timeout: Option<Duration>,
    /// The number of failed attempts in a row to give up after, or `None` for never.
    pub max_attempts: Option<u32>,
    /// When to reconnect after a connection ends.
    pub reconnect: Reconnect,
    /// The decoder's limits and options.
    pub decoder: DecoderConfig,
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
            reconnection_time: Self::DEFAULT_RECONNECTION_TIME,
            max_reconnection_time: Self::DEFAULT_MAX_RECONNECTION_TIME,
            min_reconnection_time: Self::DEFAULT_MIN_RECONNECTION_TIME,
            unproductive_backoff: Some(Self::DEFAULT_UNPRODUCTIVE_BACKOFF),
            backoff: None,
            retry_server_errors: false,
            idle_timeout: None,
            max_attempts: None,
            reconnect: Reconnect::Auto,
            decoder: Self::DEFAULT_DECODER,
        }
    }
}

impl ClientConfig {
    /// Default [`reconnection_time`](Self::reconnection_time): 3 s (D10, as Chromium and
    /// undici).
    ///
    /// ```
    /// use sse_proto::ClientConfig;
    ///
    /// let config = ClientConfig::new("http://h/");
    /// assert_eq!(config.reconnection_time, ClientConfig::DEFAULT_RECONNECTION_TIME);
    /// ```
    pub const DEFAULT_RECONNECTION_TIME: Duration = Duration::from_secs(3);
    /// Default [`max_reconnection_time`](Self::max_reconnection_time): 1 hour.
    ///
    /// ```
    /// use sse_proto::ClientConfig;
    ///
    /// let config = ClientConfig::new("http://h/");
    /// assert_eq!(config.max_reconnection_time, ClientConfig::DEFAULT_MAX_RECONNECTION_TIME);
    /// ```
    pub const DEFAULT_MAX_RECONNECTION_TIME: Duration = Duration::from_secs(3600);
    /// The default [`decoder`](Self::decoder) limits of a client: lines and events up to
    /// 16 MiB (a 5 MiB payload in base64 is a ~7 MB `data:` line, and browsers take it),
    /// ids up to 64 KiB. See [`decoder`](Self::decoder) for the memory they imply.
    ///
    /// ```
    /// use sse_proto::ClientConfig;
    ///
    /// let config = ClientConfig::new("http://h/");
    /// assert_eq!(config.decoder, ClientConfig::DEFAULT_DECODER);
    /// assert_eq!(config.decoder.max_line_len, 16 << 20);
    /// ```
    pub const DEFAULT_DECODER: DecoderConfig = DecoderConfig {
        max_line_len: 16 << 20,
        max_event_len: 16 << 20,
        unknown_fields: false,
        max_id_len: DecoderConfig::DEFAULT_MAX_ID_LEN,
    };
    /// Default [`min_reconnection_time`](Self::min_reconnection_time): 100 ms (D12).
    ///
    /// ```
    /// use sse_proto::ClientConfig;
    ///
    /// let config = ClientConfig::new("http://h/");
    /// assert_eq!(config.min_reconnection_time, ClientConfig::DEFAULT_MIN_RECONNECTION_TIME);
    /// ```
    pub const DEFAULT_MIN_RECONNECTION_TIME: Duration = Duration::from_millis(100);
    /// Default cap of the [`unproductive_backoff`](Self::unproductive_backoff): 30 s (D12).
    ///
    /// ```
    /// use sse_proto::ClientConfig;
    ///
    /// let config = ClientConfig::new("http://h/");
    /// assert_eq!(config.unproductive_backoff, Some(ClientConfig::DEFAULT_UNPRODUCTIVE_BACKOFF));
    /// ```
    pub const DEFAULT_UNPRODUCTIVE_BACKOFF: Duration = Duration::from_secs(30);

    /// The defaults, for `url`. The URL is not parsed: it is handed back verbatim in every
    /// [`Request`](crate::client::Request), the same for every reconnect (C22:
    /// reconnection re-fetches the original URL, not a redirect target).
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::new("http://localhost/sse");
    /// assert_eq!(config.url, "http://localhost/sse");
    /// assert_eq!(config.method, "GET");
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
    /// let config = sse_proto::ClientConfig::default().url("http://h/");
    /// assert_eq!(config.url, "http://h/");
    /// ```
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// The request method, `GET` by default (C6). Must be an HTTP token, or
    /// [`Client::new`](crate::Client::new) refuses the configuration with
    /// [`ConfigError::InvalidMethod`].
    ///
    /// ```
    /// use sse_proto::{client::ConfigError, ClientConfig};
    ///
    /// assert_eq!(ClientConfig::default().method("POST").validate(), Ok(()));
    /// assert_eq!(ClientConfig::default().method("GET /x").validate(), Err(ConfigError::InvalidMethod));
    /// ```
    #[must_use]
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = method.into();
        self
    }

    /// Adds a request header, sent on every connection after `Accept` and `Cache-Control`.
    /// A header named `Accept` or `Cache-Control` (any case) replaces the default one (set,
    /// not append). `Last-Event-ID` is the client's own ([`ConfigError::ReservedHeader`]:
    /// use [`initial_last_event_id`](Self::initial_last_event_id)). Names must be HTTP
    /// tokens and values must not hold CR, LF, NUL or other control characters except tab,
    /// so no header can be injected; [`Client::new`](crate::Client::new) checks them.
    ///
    /// ```
    /// use sse_proto::{client::ConfigError, ClientConfig};
    ///
    /// let config = ClientConfig::default().header("X-Token", "abc").header("X-Evil", "a\r\nHost: b");
    /// assert_eq!(config.headers.len(), 2);
    /// assert_eq!(config.validate(), Err(ConfigError::InvalidHeaderValue { index: 1 }));
    /// let reserved = ClientConfig::default().header("Last-Event-ID", "1");
    /// assert_eq!(reserved.validate(), Err(ConfigError::ReservedHeader { index: 0 }));
    /// ```
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A request body, sent on every connection (set the method too). Default none.
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::default().method("POST").body(b"{}".to_vec());
    /// assert_eq!(config.body.as_deref(), Some(&b"{}"[..]));
    /// ```
    #[must_use]
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// The last event ID to start from, sent as `Last-Event-ID` from the first request on
    /// (C20; a browser always starts empty). NUL, CR or LF are refused by
    /// [`Client::new`](crate::Client::new) (C18).
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::default().initial_last_event_id("7");
    /// assert_eq!(config.initial_last_event_id, "7");
    /// assert!(config.initial_last_event_id("a\nb").validate().is_err());
    /// ```
    #[must_use]
    pub fn initial_last_event_id(mut self, id: impl Into<String>) -> Self {
        self.initial_last_event_id = id.into();
        self
    }

    /// The reconnection time until the server sends `retry` (C29, D10). Default 3 s.
    /// Whole milliseconds; clamped by the min and max below.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let config = sse_proto::ClientConfig::default().reconnection_time(Duration::from_millis(500));
    /// assert_eq!(config.reconnection_time, Duration::from_millis(500));
    /// ```
    #[must_use]
    pub fn reconnection_time(mut self, time: Duration) -> Self {
        self.reconnection_time = time;
        self
    }

    /// The longest reconnection time a `retry` field, the configuration or a `Retry-After`
    /// header can set; larger values are clamped to it (D2). Default 1 hour, so that a
    /// bogus `retry: 99999999999` cannot silence a client for years.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let config = sse_proto::ClientConfig::default().max_reconnection_time(Duration::from_secs(60));
    /// assert_eq!(config.max_reconnection_time, Duration::from_secs(60));
    /// ```
    #[must_use]
    pub fn max_reconnection_time(mut self, time: Duration) -> Self {
        self.max_reconnection_time = time;
        self
    }

    /// Floor for the reconnection time: a `retry` (or configured time) below it, notably
    /// `retry: 0`, which makes the spec reconnect in a tight loop, counts as the floor.
    /// Default 100 ms (D12); `Duration::ZERO` (or [`spec_timing`](Self::spec_timing)) is
    /// the spec's behaviour. A floor above
    /// [`max_reconnection_time`](Self::max_reconnection_time) gives way to that ceiling.
    ///
    /// ```
    /// # use core::time::Duration;
    /// use sse_proto::ClientConfig;
    ///
    /// assert_eq!(ClientConfig::default().min_reconnection_time, Duration::from_millis(100));
    /// let config = ClientConfig::default().min_reconnection_time(Duration::from_millis(250));
    /// assert_eq!(config.min_reconnection_time, Duration::from_millis(250));
    /// ```
    #[must_use]
    pub fn min_reconnection_time(mut self, time: Duration) -> Self {
        self.min_reconnection_time = time;
        self
    }

    /// Sets the cap of the wait after **unproductive** attempts (D12): when attempts in a
    /// row end without dispatching a single event — refused, failed, or opened and closed
    /// at once — the first waits the reconnection time and each further one twice as long
    /// as the one before, up to this cap (or the reconnection time, if larger). An attempt
    /// that dispatches an event resets it. On by default with a cap of 30 s; a
    /// [`Backoff`] takes its place when one is set.
    ///
    /// Such attempts also count towards [`max_attempts`](Self::max_attempts): a server that
    /// accepts connections and closes them without an event is failing.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let config = sse_proto::ClientConfig::default().unproductive_backoff(Duration::from_secs(10));
    /// assert_eq!(config.unproductive_backoff, Some(Duration::from_secs(10)));
    /// ```
    #[must_use]
    pub fn unproductive_backoff(mut self, cap: Duration) -> Self {
        self.unproductive_backoff = Some(cap);
        self
    }

    /// Turns the [`unproductive_backoff`](Self::unproductive_backoff) off: every attempt
    /// waits the reconnection time, and any attempt whose stream opened counts as healthy.
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::default().no_unproductive_backoff();
    /// assert_eq!(config.unproductive_backoff, None);
    /// ```
    #[must_use]
    pub fn no_unproductive_backoff(mut self) -> Self {
        self.unproductive_backoff = None;
        self
    }

    /// Exact spec timing (C14, C29): no floor under `retry` and no slow-down of unproductive
    /// attempts (D12 off), so every reconnect waits exactly the reconnection time, even
    /// `retry: 0`. Opt-in policies set explicitly still apply.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let config = sse_proto::ClientConfig::default().spec_timing();
    /// assert_eq!(config.min_reconnection_time, Duration::ZERO);
    /// assert_eq!(config.unproductive_backoff, None);
    /// ```
    #[must_use]
    pub fn spec_timing(mut self) -> Self {
        self.min_reconnection_time = Duration::ZERO;
        self.unproductive_backoff = None;
        self
    }

    /// Turns on exponential backoff (C30): see [`Backoff`]. Default off: every reconnect
    /// waits exactly the reconnection time.
    ///
    /// ```
    /// use sse_proto::{client::Backoff, ClientConfig};
    ///
    /// let config = ClientConfig::default().backoff(Backoff::new().seed(7));
    /// assert_eq!(config.backoff.map(|b| b.seed), Some(7));
    /// ```
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = Some(backoff);
        self
    }

    /// Turns backoff off (the default): every reconnect waits the reconnection time.
    ///
    /// ```
    /// use sse_proto::{client::Backoff, ClientConfig};
    ///
    /// let config = ClientConfig::default().backoff(Backoff::new()).no_backoff();
    /// assert_eq!(config.backoff, None);
    /// ```
    #[must_use]
    pub fn no_backoff(mut self) -> Self {
        self.backoff = None;
        self
    }

    /// Opt-in: treat 5xx and 429 responses as a lost connection and reconnect, waiting at
    /// least what their `Retry-After` says (seconds or HTTP-date, clamped to
    /// [`max_reconnection_time`](Self::max_reconnection_time)). Other non-200 statuses,
    /// 4xx included, still fail. Default `false`: any status but 200 fails (C9).
    ///
    /// ```
    /// assert!(sse_proto::ClientConfig::default().retry_server_errors(true).retry_server_errors);
    /// ```
    #[must_use]
    pub fn retry_server_errors(mut self, on: bool) -> Self {
        self.retry_server_errors = on;
        self
    }

    /// Opt-in idle (read) timeout: when a connection is waiting for its response, or is
    /// open, and no bytes have arrived for this long, the client gives it up and
    /// reconnects. This is the answer to a silently dead connection (a NAT or proxy that
    /// dropped it without a FIN), which otherwise never ends. Pick it well above the
    /// server's keep-alive interval (often 15 s, P24). Default off
    /// ([`no_idle_timeout`](Self::no_idle_timeout)).
    ///
    /// ```
    /// # use core::time::Duration;
    /// let config = sse_proto::ClientConfig::default().idle_timeout(Duration::from_secs(45));
    /// assert_eq!(config.idle_timeout, Some(Duration::from_secs(45)));
    /// ```
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// Turns the idle timeout off (the default): a silent connection is kept forever.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let config = sse_proto::ClientConfig::default().idle_timeout(Duration::from_secs(1)).no_idle_timeout();
    /// assert_eq!(config.idle_timeout, None);
    /// ```
    #[must_use]
    pub fn no_idle_timeout(mut self) -> Self {
        self.idle_timeout = None;
        self
    }

    /// Opt-in: fail with [`FailReason::MaxAttempts`](crate::client::FailReason::MaxAttempts)
    /// once this many connection attempts in a row have failed (0 counts as 1). An attempt
    /// fails unless its stream opened and — with a [`Backoff`] — stayed open for its
    /// [`reset_after`](Backoff::reset_after), or — without one, unless the
    /// [`unproductive_backoff`](Self::unproductive_backoff) is off — dispatched an event
    /// (D12). Default: unlimited, as the spec.
    ///
    /// ```
    /// assert_eq!(sse_proto::ClientConfig::default().max_attempts(5).max_attempts, Some(5));
    /// ```
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Retry forever (the default, as the spec).
    ///
    /// ```
    /// let config = sse_proto::ClientConfig::default().max_attempts(3).unlimited_attempts();
    /// assert_eq!(config.max_attempts, None);
    /// ```
    #[must_use]
    pub fn unlimited_attempts(mut self) -> Self {
        self.max_attempts = None;
        self
    }

    /// When to reconnect after a connection ends. By default ([`Reconnect::Auto`]) the
    /// spec's [`Reconnect::Always`] for a GET without a body, and [`Reconnect::OnError`]
    /// for any other request (a one-shot stream that ends cleanly is not replayed); see
    /// [`reconnect_policy`](Self::reconnect_policy).
    ///
    /// ```
    /// use sse_proto::client::Reconnect;
    ///
    /// let config = sse_proto::ClientConfig::default().reconnect(Reconnect::OnError);
    /// assert_eq!(config.reconnect, Reconnect::OnError);
    /// ```
    #[must_use]
    pub fn reconnect(mut self, policy: Reconnect) -> Self {
        self.reconnect = policy;
        self
    }

    /// The policy in force: [`reconnect`](Self::reconnect), with [`Reconnect::Auto`]
    /// resolved from the request — [`Reconnect::Always`] for a GET without a body (or with
    /// an empty one), [`Reconnect::OnError`] otherwise.
    ///
    /// ```
    /// use sse_proto::client::Reconnect;
    /// use sse_proto::ClientConfig;
    ///
    /// assert_eq!(ClientConfig::new("http://h/").reconnect_policy(), Reconnect::Always);
    /// let report = ClientConfig::new("http://h/").method("REPORT");
    /// assert_eq!(report.reconnect_policy(), Reconnect::OnError);
    /// assert_eq!(report.reconnect(Reconnect::Always).reconnect_policy(), Reconnect::Always);
    /// ```
    #[must_use]
    pub fn reconnect_policy(&self) -> Reconnect {
        self.reconnect
            .resolve(&self.method, self.body.as_deref().unwrap_or_default())
    }

    /// The decoder's limits and options. A client's default is
    /// [`DEFAULT_DECODER`](Self::DEFAULT_DECODER): lines and events up to 16 MiB, ids up to
    /// 64 KiB.
    ///
    /// **Memory.** A client holds at most: the partial line (`max_line_len`), the event
    /// data being gathered (`max_event_len`) and, once it is dispatched, its owned copy in
    /// the output queue (`max_event_len` again), the last event ID a few times
    /// (`max_id_len` each: committed, shared by the owned events, and in the next
    /// request), the bytes of the last [`handle_body`](crate::Client::handle_body) call, and
    /// the small items of at most 4 KiB of them. With the defaults that is about
    /// 3 × 16 MiB + one read, whatever the server sends; lower the limits for a smaller
    /// bound.
    ///
    /// ```
    /// use sse_proto::{ClientConfig, DecoderConfig};
    ///
    /// assert_eq!(ClientConfig::default().decoder.max_line_len, 16 << 20);
    /// let config = ClientConfig::default().decoder(DecoderConfig::default().max_line_len(4096));
    /// assert_eq!(config.decoder.max_line_len, 4096);
    /// ```
    #[must_use]
    pub fn decoder(mut self, decoder: DecoderConfig) -> Self {
        self.decoder = decoder;
        self
    }

    /// Checks the settings that can be wrong: the method, every header, and the initial
    /// last event ID. [`Client::new`](crate::Client::new) calls it; call it yourself to
    /// check a configuration early.
    ///
    /// # Errors
    ///
    /// The first wrong setting, as a [`ConfigError`].
    ///
    /// ```
    /// use sse_proto::{client::ConfigError, ClientConfig};
    ///
    /// assert_eq!(ClientConfig::new("http://h/").validate(), Ok(()));
    /// let bad = ClientConfig::new("http://h/").header("Ok", "1").header("Bad Name", "x");
    /// assert_eq!(bad.validate(), Err(ConfigError::InvalidHeaderName { index: 1 }));
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !is_token(&self.method) {
            return Err(ConfigError::InvalidMethod);
        }
        for (index, (name, value)) in self.headers.iter().enumerate() {
            if !is_token(name) {
                return Err(ConfigError::InvalidHeaderName { index });
            }
            if name.eq_ignore_ascii_case("last-event-id") {
                return Err(ConfigError::ReservedHeader { index });
            }
            if !value
                .bytes()
                .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
            {
                return Err(ConfigError::InvalidHeaderValue { index });
            }
        }
        IdError::check(&self.initial_last_event_id).map_err(ConfigError::InvalidLastEventId)
    }

    /// A reconnection time clamped to the configured floor and ceiling (D2), in ms.
    pub(crate) fn clamp_reconnection_time(&self, ms: u64) -> u64 {
        ms.max(super::millis_of(self.min_reconnection_time))
            .min(super::millis_of(self.max_reconnection_time))
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

/// The [`ClientConfig`] setting that is wrong, from [`ClientConfig::validate`] or
/// [`Client::new`](crate::Client::new). Header errors give the header's index in
/// [`ClientConfig::headers`].
///
/// ```
/// use sse_proto::{client::{ConfigError, Instant}, Client, ClientConfig};
///
/// let config = ClientConfig::new("http://h/").header("Bad Name", "x");
/// let err = Client::new(config, Instant::EPOCH).unwrap_err();
/// assert_eq!(err, ConfigError::InvalidHeaderName { index: 0 });
/// assert_eq!(err.to_string(), "header 0: the name is not an HTTP token");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigError {
    /// The method is not an HTTP token.
    InvalidMethod,
    /// A header name is not an HTTP token.
    InvalidHeaderName {
        /// Which header, counting from 0.
        index: usize,
    },
    /// A header value holds CR, LF, NUL or another control character.
    InvalidHeaderValue {
        /// Which header, counting from 0.
        index: usize,
    },
    /// `Last-Event-ID` is set by the client itself (C14 step 5).
    ReservedHeader {
        /// Which header, counting from 0.
        index: usize,
    },
    /// The initial last event ID holds NUL, CR or LF (C18).
    InvalidLastEventId(IdError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidMethod => f.write_str("the method is not an HTTP token"),
            ConfigError::InvalidHeaderName { index } => {
                write!(f, "header {index}: the name is not an HTTP token")
            }
            ConfigError::InvalidHeaderValue { index } => {
                write!(f, "header {index}: the value contains a control character")
            }
            ConfigError::ReservedHeader { index } => write!(
                f,
                "header {index}: Last-Event-ID is managed by the client; set initial_last_event_id instead"
            ),
            // The cause is `source()`, not repeated here.
            ConfigError::InvalidLastEventId(_) => f.write_str("invalid initial last event id"),
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
