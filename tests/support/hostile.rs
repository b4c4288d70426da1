//! Hostile HTTP servers on 127.0.0.1 for the client tests: each accepts connections until
//! it has served `max_connections` or `limit` has passed, runs the same handler on every
//! one, and counts them. Included with `#[path]`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// A running hostile server.
pub struct Hostile {
    pub port: u16,
    pub connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Vec<String>>>,
}

impl Hostile {
    /// Serves every connection with `handler` (given the stream and the request head read
    /// from it), one thread per connection, until `max_connections` or `limit`.
    pub fn start(
        max_connections: usize,
        limit: Duration,
        handler: impl Fn(TcpStream, &str) + Send + Sync + 'static,
    ) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler = Arc::new(handler);
        let (count, halt) = (connections.clone(), stop.clone());
        let thread = thread::spawn(move || {
            let start = Instant::now();
            let mut heads = Vec::new();
            let mut workers = Vec::new();
            while start.elapsed() < limit
                && !halt.load(Ordering::SeqCst)
                && count.load(Ordering::SeqCst) < max_connections
            {
                match listener.accept() {
                    Ok((stream, _)) => {
                        count.fetch_add(1, Ordering::SeqCst);
                        stream.set_nonblocking(false).unwrap();
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                        let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
                        let head = read_head(&stream);
                        heads.push(head.clone());
                        let handler = handler.clone();
                        workers.push(thread::spawn(move || handler(stream, &head)));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(2)),
                }
            }
            for w in workers {
                let _ = w.join();
            }
            heads
        });
        Hostile {
            port,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    /// Stops accepting and returns the request heads received.
    pub fn stop(mut self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .take()
            .map(|t| t.join().unwrap_or_default())
            .unwrap_or_default()
    }

    pub fn count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The request head (up to the empty line), bounded.
fn read_head(stream: &TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    for _ in 0..100 {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => head.push_str(&line),
        }
    }
    head
}

/// Writes all of `bytes`, ignoring errors (the client may have gone).
pub fn send(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    stream
        .write_all(bytes)
        .and_then(|()| stream.flush())
        .is_ok()
}
