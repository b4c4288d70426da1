//! A small blocking HTTP/1.1 client over `TcpStream`, enough for the `client` example and
//! the tests: `http://` URLs, `Content-Length`, chunked and read-until-close bodies,
//! redirects with a `Location`. Included with `#[path]` from `examples/` and `tests/`.
//!
//! It holds against hostile servers: the whole response head (interim responses and
//! redirects included) has one deadline and a size limit, interim responses and trailers
//! are bounded, `Content-Length` and chunk sizes follow the RFC 9112 grammar exactly, a
//! `Location` must be a valid URL reference, and a redirect to another origin drops the
//! credentials (`Authorization`, `Proxy-Authorization`, `Cookie`) and the `Last-Event-ID`,
//! as the Fetch standard's HTTP-redirect fetch does.
//!
//! It is example code, not part of the library (which never opens a socket): it shows how
//! little a caller needs to drive `sse_proto::client::Driver` with a plain `TcpStream`.
#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// The longest status line, header line or chunk-size line accepted.
const MAX_LINE: u64 = 8 * 1024;
/// The most header lines accepted in one response.
const MAX_HEADERS: usize = 100;
/// The most bytes of response heads accepted for one request, interim responses included.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most interim (1xx) responses accepted before the final one.
const MAX_INTERIM: usize = 8;
/// The most bytes of trailer fields accepted after a chunked body.
const MAX_TRAILER_BYTES: usize = 8 * 1024;
/// The most redirects followed for one request.
const MAX_REDIRECTS: usize = 5;
/// Request headers dropped on a redirect to another origin (Fetch: credentials; and the
/// resumption point, which is the first origin's business).
const CROSS_ORIGIN_DROPPED: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "last-event-id",
];

/// An error of this kind with this message.
fn error(kind: io::ErrorKind, message: impl Into<String>) -> io::Error {
    io::Error::new(kind, message.into())
}

/// Whether `s` is made only of the characters a URL reference may hold (RFC 3986:
/// unreserved, reserved and `%`), with every `%` followed by two hex digits. No space, no
/// control character (so nothing can be injected into a request line), nothing non-ASCII.
fn is_url_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        let ok = c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c);
        if !ok {
            return false;
        }
        i += 1;
    }
    true
}

/// An `http://` URL, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub host: String,
    pub port: u16,
    /// The path and query, starting with `/`.
    pub path: String,
}

impl Url {
    /// Parses `http://host[:port][/path][?query]`. Other schemes are `InvalidInput` (a
    /// futile error for the driver: reconnecting cannot help, C8).
    pub fn parse(url: &str) -> io::Result<Url> {
        let invalid =
            |why: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("{why}: {url:?}"));
        if !is_url_reference(url) {
            return Err(invalid(
                "not a valid URL (spaces, control or non-ASCII characters)",
            ));
        }
        let rest = match url.get(..7) {
            Some(scheme) if scheme.eq_ignore_ascii_case("http://") => &url[7..],
            _ => return Err(invalid("only http:// URLs are supported")),
        };
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let path = path.split('#').next().unwrap_or("/");
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        if authority.contains('@') {
            return Err(invalid("user info in URLs is not supported"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let end = v6.find(']').ok_or_else(|| invalid("bad IPv6 host"))?;
            let port = v6[end + 1..].strip_prefix(':');
            (&authority[..end + 2], port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        let port = match port {
            None | Some("") => 80,
            Some(p) => p.parse().map_err(|_| invalid("bad port"))?,
        };
        if host.is_empty() {
            return Err(invalid("no host"));
        }
        Ok(Url {
            host: host.to_string(),
            port,
            path,
        })
    }

    /// The `Host` header value.
    pub fn authority(&self) -> String {
        if self.port == 80 {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The URL a `Location` header points to (RFC 9110 §10.2.2: a URI reference resolved
    /// against this URL): an absolute `http://` URL, `//authority/path`, an absolute path,
    /// `?query`, or a path relative to this one's directory. Anything that is not a valid
    /// URL reference (a space, a lone CR, a control character) is refused: it would be
    /// written into the request line.
    pub fn join(&self, location: &str) -> io::Result<Url> {
        let location = location.trim_matches([' ', '\t']);
        if location.is_empty() || !is_url_reference(location) {
            return Err(error(
                io::ErrorKind::InvalidData,
                format!("Location {location:?} is not a valid URL reference"),
            ));
        }
        let location = location.split('#').next().unwrap_or("");
        let same_host = |path: String| Url {
            path: without_dot_segments(&path),
            ..self.clone()
        };
        let absolute = |url: io::Result<Url>| {
            url.map(|url| Url {
                path: without_dot_segments(&url.path),
                ..url
            })
        };
        if let Some(rest) = location.strip_prefix("//") {
            absolute(Url::parse(&format!("http://{rest}")))
        } else if location.starts_with('/') {
            Ok(same_host(location.to_string()))
        } else if location.starts_with('?') {
            let path = self.path.split('?').next().unwrap_or("/");
            Ok(same_host(format!("{path}{location}")))
        } else if location
            .split(['/', '?'])
            .next()
            .is_some_and(|first| first.contains(':'))
        {
            absolute(Url::parse(location)) // has a scheme: only http:// is supported
        } else if location.is_empty() {
            Ok(self.clone())
        } else {
            let path = self.path.split('?').next().unwrap_or("/");
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            Ok(same_host(format!("{dir}{location}")))
        }
    }

    /// Whether `other` has the same origin (scheme, host and port; the scheme is always
    /// `http` here). Hosts compare ASCII case-insensitively.
    pub fn same_origin(&self, other: &Url) -> bool {
        self.host.eq_ignore_ascii_case(&other.host) && self.port == other.port
    }
}

/// `path_and_query` with the `.` and `..` segments of its path resolved (RFC 3986
/// §5.2.4), as the resolution of a reference requires: `/a/b/../c` is `/a/c`. The query
/// is kept as it is.
fn without_dot_segments(path_and_query: &str) -> String {
    let (path, query) = match path_and_query.find('?') {
        Some(at) => path_and_query.split_at(at),
        None => (path_and_query, ""),
    };
    let segments: Vec<&str> = path.split('/').skip(1).collect(); // the path starts with '/'
    let mut kept: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {}
            ".." => {
                kept.pop();
            }
            other => kept.push(other),
        }
        if last && matches!(*segment, "." | "..") {
            kept.push(""); // `/a/b/..` is the directory `/a/`
        }
    }
    format!("/{}{query}", kept.join("/"))
}

/// A response head and its body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Response {
    /// The first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the body's end is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// `Content-Length`: this many bytes remain.
    Length(u64),
    /// Chunked: this many bytes remain in the current chunk (0: a size line is next).
    Chunked { remaining: u64, after_data: bool },
    /// Chunked, after the last chunk: trailer fields up to an empty line.
    Trailers,
    /// No length: the body ends when the server closes the connection.
    UntilClose,
    /// The body is over.
    Done,
}

/// A response body: `Read` gives its bytes, de-chunked, and 0 at its end. Read timeouts
/// (`WouldBlock`/`TimedOut`) can be retried: no state is lost.
#[derive(Debug)]
pub struct Body {
    reader: BufReader<Timed>,
    framing: Framing,
    /// A control line (chunk size, CRLF, trailer) read in part before a timeout.
    line: Vec<u8>,
    /// Bytes of trailer fields read so far.
    trailer_bytes: usize,
}

impl Body {
    /// Reads one control line into `self.line` (kept across timeouts); returns it without
    /// its CRLF.
    fn control_line(&mut self) -> io::Result<String> {
        let room = MAX_LINE.saturating_sub(self.line.len() as u64);
        let n = (&mut self.reader)
            .take(room)
            .read_until(b'\n', &mut self.line)?;
        if !self.line.ends_with(b"\n") {
            return Err(if n == 0 && room > 0 {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed inside a chunked body",
                )
            } else {
                io::Error::new(io::ErrorKind::InvalidData, "chunk control line too long")
            });
        }
        let text = String::from_utf8_lossy(&self.line)
            .trim_end_matches(['\r', '\n'])
            .to_string();
        self.line.clear();
        Ok(text)
    }
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.framing {
                Framing::Done => return Ok(0),
                Framing::UntilClose => {
                    let n = self.reader.read(buf)?;
                    if n == 0 {
                        self.framing = Framing::Done;
                    }
                    return Ok(n);
                }
                Framing::Length(0) => self.framing = Framing::Done,
                Framing::Length(left) => {
                    let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    let n = self.reader.read(&mut buf[..want])?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "connection closed before Content-Length bytes arrived",
                        ));
                    }
                    self.framing = Framing::Length(left - n as u64);
                    return Ok(n);
                }
                Framing::Chunked {
                    remaining: 0,
                    after_data: true,
                } => {
                    if !self.control_line()?.is_empty() {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "no CRLF after chunk data",
                        ));
                    }
                    self.framing = Framing::Chunked {
                        remaining: 0,
                        after_data: false,
                    };
                }
                Framing::Chunked {
                    remaining: 0,
                    after_data: false,
                } => {
                    let line = self.control_line()?;
                    let size = chunk_size(&line).ok_or_else(|| {
                        error(
                            io::ErrorKind::InvalidData,
                            format!("bad chunk size {line:?}"),
                        )
                    })?;
                    if size == 0 {
                        self.framing = Framing::Trailers;
                    } else {
                        self.framing = Framing::Chunked {
                            remaining: size,
                            after_data: false,
                        };
                    }
                }
                Framing::Trailers => {
                    // Trailer fields are skipped, up to the empty line that ends the body;
                    // endless trailers are an error, not a connection held forever.
                    let line = self.control_line()?;
                    if line.is_empty() {
                        self.framing = Framing::Done;
                    } else {
                        self.trailer_bytes += line.len() + 2;
                        if self.trailer_bytes > MAX_TRAILER_BYTES {
                            return Err(error(
                                io::ErrorKind::InvalidData,
                                "trailer fields too long",
                            ));
                        }
                    }
                }
                Framing::Chunked { remaining, .. } => {
                    let want = buf
                        .len()
                        .min(usize::try_from(remaining).unwrap_or(usize::MAX));
                    let n = self.reader.read(&mut buf[..want])?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "connection closed inside a chunk",
                        ));
                    }
                    let remaining = remaining - n as u64;
                    self.framing = Framing::Chunked {
                        remaining,
                        after_data: remaining == 0,
                    };
                    return Ok(n);
                }
            }
        }
    }
}

/// A `TcpStream` whose reads respect a deadline while one is set (the response head) and
/// the socket's own read timeout otherwise (the body).
#[derive(Debug)]
pub struct Timed {
    stream: TcpStream,
    deadline: Option<Instant>,
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(error(
                    io::ErrorKind::TimedOut,
                    "the response head did not arrive in time",
                ));
            }
            self.stream.set_read_timeout(Some(left))?;
            // The socket's timeout is the deadline here: say so, whatever the platform's
            // error kind for it (`WouldBlock` on Unix).
            return self.stream.read(buf).map_err(|e| match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => error(
                    io::ErrorKind::TimedOut,
                    "the response head did not arrive in time",
                ),
                _ => e,
            });
        }
        self.stream.read(buf)
    }
}

/// Connects to `url`, sends one request and reads the response head. The connect, the
/// writes and the whole head (interim responses included) must be done by `deadline`,
/// else the error is `TimedOut`; `body_timeout` then bounds each read of the body (a read
/// that times out fails with `WouldBlock`/`TimedOut` and can be retried: the body loses
/// no state).
pub fn send(
    url: &Url,
    method: &str,
    headers: &[(String, String)],
    body: Option<&[u8]>,
    deadline: Instant,
    body_timeout: Option<Duration>,
) -> io::Result<Response> {
    let left = || {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(error(io::ErrorKind::TimedOut, "no time left to connect"))
        } else {
            Ok(left)
        }
    };
    let stream = connect(url, left()?)?;
    stream.set_write_timeout(Some(left()?))?;
    let mut head = format!(
        "{method} {} HTTP/1.1\r\nHost: {}\r\n",
        url.path,
        url.authority()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut writer = &stream;
    writer.write_all(head.as_bytes())?;
    if let Some(body) = body {
        writer.write_all(body)?;
    }
    writer.flush()?;

    let mut reader = BufReader::new(Timed {
        stream,
        deadline: Some(deadline),
    });
    let mut head_bytes = 0;
    for _ in 0..=MAX_INTERIM {
        let status_line = head_line(&mut reader, &mut head_bytes)?;
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or("");
        if !version.starts_with("HTTP/1.") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not an HTTP/1.x response: {status_line:?}"),
            ));
        }
        let status: u16 = parts
            .next()
            .filter(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
            .filter(|s| (100..1000).contains(s))
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("bad status line {status_line:?}"),
                )
            })?;
        let reason = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let line = head_line(&mut reader, &mut head_bytes)?;
            if line.is_empty() {
                break;
            }
            if headers.len() == MAX_HEADERS {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "too many response headers",
                ));
            }
            let (name, value) = line.split_once(':').ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("bad header line {line:?}"),
                )
            })?;
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        if (100..200).contains(&status) && status != 101 {
            continue; // an interim response (100 Continue, 103 Early Hints): the real one follows
        }
        let mut response = Response {
            status,
            reason,
            headers,
            body: Body {
                reader,
                framing: Framing::Done,
                line: Vec::new(),
                trailer_bytes: 0,
            },
        };
        response.body.framing = framing(method, &response)?;
        let timed = response.body.reader.get_mut();
        timed.deadline = None;
        timed.stream.set_read_timeout(body_timeout)?;
        return Ok(response);
    }
    Err(error(
        io::ErrorKind::InvalidData,
        format!("more than {MAX_INTERIM} interim responses"),
    ))
}

/// A chunk-size line (RFC 9112 §7.1): `1*HEXDIG`, then optionally whitespace and chunk
/// extensions after `;`. No sign, no leading space, at most 16 digits.
fn chunk_size(line: &str) -> Option<u64> {
    let digits = line.bytes().take_while(u8::is_ascii_hexdigit).count();
    let (size, rest) = line.split_at(digits);
    if size.is_empty() || size.len() > 16 {
        return None;
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    if !(rest.is_empty() || rest.starts_with(';')) || rest.bytes().any(|b| b < 0x20 && b != b'\t') {
        return None;
    }
    u64::from_str_radix(size, 16).ok()
}

/// A `Content-Length` value (RFC 9112 §6.3): `1*DIGIT`, nothing else.
fn content_length(value: &str) -> Option<u64> {
    let value = value.trim_matches([' ', '\t']);
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// How the body of `response` is delimited (RFC 9112 §6.3).
fn framing(method: &str, response: &Response) -> io::Result<Framing> {
    if method.eq_ignore_ascii_case("HEAD") || matches!(response.status, 204 | 304) {
        return Ok(Framing::Done);
    }
    if let Some(te) = response.header("transfer-encoding") {
        let last = te.rsplit(',').next().unwrap_or("").trim();
        return Ok(if last.eq_ignore_ascii_case("chunked") {
            Framing::Chunked {
                remaining: 0,
                after_data: false,
            }
        } else {
            Framing::UntilClose
        });
    }
    // Every Content-Length field must be valid, and all of them equal.
    let mut length = None;
    for (_, value) in response
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        let bad = || {
            error(
                io::ErrorKind::InvalidData,
                format!("bad Content-Length {value:?}"),
            )
        };
        let n = content_length(value).ok_or_else(bad)?;
        if length.is_some_and(|m| m != n) {
            return Err(bad());
        }
        length = Some(n);
    }
    Ok(length.map_or(Framing::UntilClose, Framing::Length))
}

/// One line of the response head, without CRLF; `head_bytes` counts every head byte of
/// the request, against [`MAX_HEAD_BYTES`].
fn head_line(reader: &mut BufReader<Timed>, head_bytes: &mut usize) -> io::Result<String> {
    let mut line = Vec::new();
    let room = MAX_HEAD_BYTES.saturating_sub(*head_bytes);
    if room == 0 {
        return Err(error(io::ErrorKind::InvalidData, "response head too large"));
    }
    reader
        .take(MAX_LINE.min(room as u64))
        .read_until(b'\n', &mut line)?;
    *head_bytes += line.len();
    if !line.ends_with(b"\n") {
        return Err(
            if line.len() as u64 >= MAX_LINE || *head_bytes >= MAX_HEAD_BYTES {
                io::Error::new(io::ErrorKind::InvalidData, "response head line too long")
            } else {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed inside the response head",
                )
            },
        );
    }
    Ok(String::from_utf8_lossy(&line)
        .trim_end_matches(['\r', '\n'])
        .to_string())
}

fn connect(url: &Url, timeout: Duration) -> io::Result<TcpStream> {
    let host = url.host.trim_start_matches('[').trim_end_matches(']');
    let mut last = io::Error::new(
        io::ErrorKind::NotFound,
        format!("{} resolves to no address", url.host),
    );
    for addr in (host, url.port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, timeout.max(Duration::from_millis(1))) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Opens a connection for an `sse_proto` request: sends it, follows up to five redirects
/// that carry a valid `Location` (a 303, or a 301/302 after a POST, continue as GET without
/// a body; a redirect to another origin drops the credentials and `Last-Event-ID`), and
/// returns the final response for the driver. A redirect without a usable `Location` is
/// returned as is, so the client fails on it (C24). Everything up to the final response
/// head must be done within `head_timeout` and by the driver's deadline, if it has one;
/// each body read then blocks at most `limits.read_timeout`.
pub fn open(
    request: &sse_proto::client::Request,
    limits: sse_proto::client::ConnectLimits,
    head_timeout: Duration,
) -> io::Result<sse_proto::client::Connection<Body>> {
    let mut deadline = Instant::now() + head_timeout;
    if let Some(driver_deadline) = limits.deadline {
        deadline = deadline.min(driver_deadline);
    }
    let first = Url::parse(request.url())?;
    let mut url = first.clone();
    let mut method = request.method().to_string();
    let mut body = request.body().map(<[u8]>::to_vec);
    let mut headers = request.headers().to_vec();
    for _ in 0..=MAX_REDIRECTS {
        let response = send(
            &url,
            &method,
            &headers,
            body.as_deref(),
            deadline,
            Some(limits.read_timeout),
        )?;
        if matches!(response.status, 301 | 302 | 303 | 307 | 308) {
            if let Some(next) = response.header("location").and_then(|l| url.join(l).ok()) {
                if !next.same_origin(&url) {
                    headers.retain(|(n, _)| {
                        !CROSS_ORIGIN_DROPPED
                            .iter()
                            .any(|d| n.eq_ignore_ascii_case(d))
                    });
                }
                url = next;
                if response.status == 303
                    || (matches!(response.status, 301 | 302) && method == "POST")
                {
                    method = "GET".to_string();
                    body = None;
                }
                continue;
            }
        }
        let Response {
            status,
            headers,
            body,
            ..
        } = response;
        let mut connection = sse_proto::client::Connection::new(status, body);
        for (name, value) in headers {
            connection = connection.header(name, value);
        }
        return Ok(connection);
    }
    Err(io::Error::other(format!(
        "more than {MAX_REDIRECTS} redirects"
    )))
}
