//! A scripted HTTP server on 127.0.0.1 for the loopback tests: it accepts a fixed number
//! of connections, in order, hands each to its handler with the request it read, and
//! gives up after a time limit. Included with `#[path]`.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long the server waits for each connection before giving up.
const ACCEPT_LIMIT: Duration = Duration::from_secs(10);

/// A request as received: the head (request line and headers) and the body, if a
/// `Content-Length` announced one.
#[derive(Debug, Clone)]
pub struct Received {
    pub head: String,
    pub body: Vec<u8>,
}

impl Received {
    /// The request line.
    pub fn line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }

    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

pub type Handler = Box<dyn FnOnce(TcpStream, &Received) + Send>;

/// Starts a server that serves one connection per handler, in order. Returns its port and
/// a handle that yields every request received.
pub fn serve(handlers: Vec<Handler>) -> (u16, JoinHandle<Vec<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let handle = thread::spawn(move || {
        let mut received = Vec::new();
        for handler in handlers {
            let Some(stream) = accept(&listener) else {
                break;
            };
            stream.set_nonblocking(false).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            stream
                .set_write_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = stream.try_clone().unwrap();
            let Some(request) = read_request(&mut reader) else {
                break;
            };
            handler(stream, &request);
            received.push(request);
        }
        received
    });
    (port, handle)
}

fn accept(listener: &TcpListener) -> Option<TcpStream> {
    let start = Instant::now();
    while start.elapsed() < ACCEPT_LIMIT {
        match listener.accept() {
            Ok((stream, _)) => return Some(stream),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(2))
            }
            Err(_) => return None,
        }
    }
    None
}

fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut data = Vec::new();
    let mut buf = [0u8; 1024];
    let end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if data.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let mut received = Received {
        head,
        body: data[end..].to_vec(),
    };
    let length: usize = received
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while received.body.len() < length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        received.body.extend_from_slice(&buf[..n]);
    }
    Some(received)
}

/// Writes all of `bytes`, ignoring errors (the client may have gone).
pub fn send(stream: &mut TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes);
    let _ = stream.flush();
}

/// A chunk of a chunked body.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}
