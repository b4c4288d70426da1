//! A small blocking HTTP/1.1 client over `TcpStream`, enough for the `client` example and
//! the tests: `http://` URLs, `Content-Length`, chunked and read-until-close bodies,
//! redirects with a `Location`. Included with `#[path]` from `examples/` and `tests/`.
//!
//! It is example code, not part of the library (which never opens a socket): it shows how
//! little a caller needs to drive `sse_proto::client::Driver` with a plain `TcpStream`.
#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The longest status line, header line or chunk-size line accepted.
const MAX_LINE: u64 = 8 * 1024;
/// The most header lines accepted in one response.
const MAX_HEADERS: usize = 100;
/// The most redirects followed for one request.
const MAX_REDIRECTS: usize = 5;

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

    /// The URL a `Location` header points to: an absolute `http://` URL, or a path on the
    /// same host.
    pub fn join(&self, location: &str) -> io::Result<Url> {
        let location = location.trim();
        if location.starts_with('/') && !location.starts_with("//") {
            Ok(Url {
                path: location.to_string(),
                ..self.clone()
            })
        } else {
            Url::parse(location)
        }
    }
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
    reader: BufReader<TcpStream>,
    framing: Framing,
    /// A control line (chunk size, CRLF, trailer) read in part before a timeout.
    line: Vec<u8>,
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
                    let size = line.split(';').next().unwrap_or("").trim();
                    let size = u64::from_str_radix(size, 16).map_err(|_| {
                        io::Error::new(
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
                    // Trailer fields are skipped, up to the empty line that ends the body.
                    if self.control_line()?.is_empty() {
                        self.framing = Framing::Done;
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

/// Connects to `url`, sends one request and reads the response head. `timeout` bounds the
/// connect, every write, and every read of the head; `body_timeout` then bounds each read
/// of the body (a read that times out fails with `WouldBlock`/`TimedOut` and can be
/// retried: the body loses no state).
pub fn send(
    url: &Url,
    method: &str,
    headers: &[(String, String)],
    body: Option<&[u8]>,
    timeout: Option<Duration>,
    body_timeout: Option<Duration>,
) -> io::Result<Response> {
    let stream = connect(url, timeout)?;
    stream.set_read_timeout(timeout)?;
    stream.set_write_timeout(timeout)?;
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

    let mut reader = BufReader::new(stream);
    loop {
        let status_line = head_line(&mut reader)?;
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
            let line = head_line(&mut reader)?;
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
            },
        };
        response.body.framing = framing(method, &response)?;
        response
            .body
            .reader
            .get_ref()
            .set_read_timeout(body_timeout)?;
        return Ok(response);
    }
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
    match response.header("content-length") {
        Some(len) => len.trim().parse().map(Framing::Length).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bad Content-Length {len:?}"),
            )
        }),
        None => Ok(Framing::UntilClose),
    }
}

/// One line of the response head, without CRLF.
fn head_line(reader: &mut BufReader<TcpStream>) -> io::Result<String> {
    let mut line = Vec::new();
    reader.take(MAX_LINE).read_until(b'\n', &mut line)?;
    if !line.ends_with(b"\n") {
        return Err(if line.len() as u64 >= MAX_LINE {
            io::Error::new(io::ErrorKind::InvalidData, "response head line too long")
        } else {
            io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed inside the response head",
            )
        });
    }
    Ok(String::from_utf8_lossy(&line)
        .trim_end_matches(['\r', '\n'])
        .to_string())
}

fn connect(url: &Url, timeout: Option<Duration>) -> io::Result<TcpStream> {
    let host = url.host.trim_start_matches('[').trim_end_matches(']');
    let mut last = io::Error::new(
        io::ErrorKind::NotFound,
        format!("{} resolves to no address", url.host),
    );
    for addr in (host, url.port).to_socket_addrs()? {
        let attempt = match timeout {
            Some(t) => TcpStream::connect_timeout(&addr, t.max(Duration::from_millis(1))),
            None => TcpStream::connect(addr),
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Opens a connection for an `sse_proto` request: sends it, follows up to five redirects
/// that carry a `Location` (a 303, or a 301/302 after a POST, continue as GET without a
/// body), and returns the final response for the driver. A redirect without a usable
/// `Location` is returned as is, so the client fails on it (C24). The timeouts are those
/// of [`send`].
pub fn open(
    request: &sse_proto::client::Request,
    timeout: Option<Duration>,
    body_timeout: Option<Duration>,
) -> io::Result<sse_proto::client::Connection<Body>> {
    let mut url = Url::parse(request.url())?;
    let mut method = request.method().to_string();
    let mut body = request.body().map(<[u8]>::to_vec);
    for _ in 0..=MAX_REDIRECTS {
        let response = send(
            &url,
            &method,
            request.headers(),
            body.as_deref(),
            timeout,
            body_timeout,
        )?;
        if matches!(response.status, 301 | 302 | 303 | 307 | 308) {
            if let Some(location) = response.header("location").filter(|l| !l.trim().is_empty()) {
                url = url.join(location)?;
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
