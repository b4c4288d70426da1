//! A scripted HTTP/1.1 server on 127.0.0.1 for the client and stream tests: each
//! connection gets the reply a script picks for it, and every request is recorded.
//! Sleeps run on tokio's clock, so a paused clock makes the timing exact.
#![allow(dead_code)] // each test file uses a part

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// One step of a reply body.
#[derive(Debug, Clone)]
pub enum Step {
    /// Send these bytes as one chunk.
    Send(Vec<u8>),
    /// Wait this long.
    Sleep(Duration),
    /// Keep the body open, sending nothing, until the client goes away.
    Hang,
    /// Cut the connection mid-body (no clean end of the chunked body).
    Abort,
}

/// A reply: status, headers and body steps; the body ends after the last step.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub steps: Vec<Step>,
    /// Wait this long before sending the response head.
    pub head_delay: Option<Duration>,
}

impl Reply {
    /// A 200 `text/event-stream` reply sending `body` in one chunk, then ending.
    pub fn sse(body: &str) -> Self {
        Reply::status(200)
            .header("content-type", "text/event-stream")
            .send(body)
    }

    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            steps: Vec::new(),
            head_delay: None,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn send(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.steps.push(Step::Send(bytes.as_ref().to_vec()));
        self
    }

    pub fn sleep(mut self, ms: u64) -> Self {
        self.steps.push(Step::Sleep(Duration::from_millis(ms)));
        self
    }

    pub fn hang(mut self) -> Self {
        self.steps.push(Step::Hang);
        self
    }

    pub fn abort(mut self) -> Self {
        self.steps.push(Step::Abort);
        self
    }

    /// Never answer the head (the request hangs).
    pub fn no_head() -> Self {
        let mut reply = Reply::status(200);
        reply.head_delay = Some(Duration::from_secs(365 * 86_400));
        reply
    }
}

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
    /// When it arrived, on tokio's clock.
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

type Script = dyn Fn(usize, &Seen) -> Reply + Send + Sync;

/// A running test server.
#[derive(Clone)]
pub struct Server {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Starts a server answering request `n` (0-based) with `script(n, request)`.
    pub async fn start(script: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let server = Server {
            addr,
            seen: Arc::clone(&seen),
        };
        tokio::spawn(async move {
            // Ends with the test's runtime.
            while let Ok((socket, _)) = listener.accept().await {
                let seen = Arc::clone(&seen);
                let script = Arc::clone(&script);
                tokio::spawn(async move {
                    let service = service_fn(
                        move |request: http::Request<hyper::body::Incoming>| {
                            let seen = Arc::clone(&seen);
                            let script = Arc::clone(&script);
                            async move { Ok::<_, Infallible>(answer(request, &seen, &*script).await) }
                        },
                    );
                    // One request per connection: a reused keep-alive connection and
                    // tokio's paused clock do not mix (the clock jumps while the pooled
                    // connection wakes), and every attempt then shows as a connection.
                    let _ = http1::Builder::new()
                        .keep_alive(false)
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        server
    }

    /// A server whose every connection gets a copy of `reply`.
    pub async fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    /// A server whose connection `n` gets `replies[n]` (the last one after that).
    pub async fn sequence(replies: Vec<Reply>) -> Self {
        Self::start(move |n, _| replies[n.min(replies.len() - 1)].clone()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    pub fn requests(&self) -> usize {
        self.seen.lock().expect("lock").len()
    }
}

type Chunk = Result<Frame<Bytes>, std::io::Error>;
type Body = StreamBody<futures_util::stream::BoxStream<'static, Chunk>>;

async fn answer(
    request: http::Request<hyper::body::Incoming>,
    seen: &Mutex<Vec<Seen>>,
    script: &Script,
) -> http::Response<Body> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let record = Seen {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or("/".to_string(), |p| p.to_string()),
        headers: parts.headers,
        body,
        at: Instant::now(),
    };
    let n = {
        let mut seen = seen.lock().expect("lock");
        seen.push(record.clone());
        seen.len() - 1
    };
    let reply = script(n, &record);
    if let Some(delay) = reply.head_delay {
        tokio::time::sleep(delay).await;
    }
    // `None` asks for an abort: the body fails and hyper cuts the connection.
    let (sender, mut receiver) = mpsc::channel::<Option<Bytes>>(4);
    let steps = reply.steps.clone();
    tokio::spawn(async move {
        for step in steps {
            match step {
                Step::Send(bytes) => {
                    if sender.send(Some(Bytes::from(bytes))).await.is_err() {
                        return;
                    }
                }
                Step::Abort => {
                    let _ = sender.send(None).await;
                    return;
                }
                Step::Sleep(d) => tokio::time::sleep(d).await,
                Step::Hang => {
                    sender.closed().await;
                    return;
                }
            }
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| {
        receiver.poll_recv(cx).map(|chunk| {
            chunk.map(|bytes| match bytes {
                Some(bytes) => Ok(Frame::data(bytes)),
                None => Err(std::io::Error::other("aborted by the script")),
            })
        })
    });
    let mut response = http::Response::new(StreamBody::new(
        Box::pin(stream) as futures_util::stream::BoxStream<'static, _>
    ));
    *response.status_mut() = http::StatusCode::from_u16(reply.status).expect("status");
    for (name, value) in &reply.headers {
        response.headers_mut().append(
            http::HeaderName::from_bytes(name.as_bytes()).expect("name"),
            http::HeaderValue::from_str(value).expect("value"),
        );
    }
    response
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("addr").port()
}
