//! A connection-level write timeout: the only way to close the socket of a client that
//! stopped reading (the body is no longer polled once the socket is full).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use pin_project_lite::pin_project;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

pin_project! {
    /// A connection (a `TcpStream`, a TLS stream, …) whose writes fail with
    /// [`io::ErrorKind::TimedOut`] once they have made no progress for the timeout.
    ///
    /// A client that stops reading (a frozen tab, a stalled proxy) fills the socket's
    /// buffers; the server's write then waits, and the response body is no longer polled,
    /// so nothing the body does can end it — and TCP keeps answering zero-window probes, so
    /// the connection can stay open for hours. With `WriteTimeout` the write fails, the
    /// server drops the connection and the body, and the producer sees the disconnect
    /// ([`Sender::closed`](super::Sender::closed), [`Sse::disconnected`](super::Sse::disconnected),
    /// or the hub forgetting the subscriber). Reads are passed through untouched.
    ///
    /// Use `TimeoutListener` with `axum::serve` (feature `axum`),
    /// or wrap each accepted stream before `hyper`'s `serve_connection`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tokio::io::AsyncWriteExt;
    /// use sse_proto_tokio::serve::WriteTimeout;
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap().block_on(async {
    /// // A connection whose peer never reads: 64 bytes fill it.
    /// let (connection, _peer) = tokio::io::duplex(64);
    /// let mut io = WriteTimeout::new(connection, Duration::from_secs(30)); // then serve_connection(TokioIo::new(io), …)
    /// let start = tokio::time::Instant::now();
    /// let error = io.write_all(&[b'x'; 1024]).await.unwrap_err();
    /// assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    /// assert_eq!(start.elapsed(), Duration::from_secs(30));
    /// # });
    /// ```
    #[derive(Debug)]
    pub struct WriteTimeout<IO> {
        #[pin]
        io: IO,
        timeout: Duration,
        // Allocated at the first stalled write and re-armed after that: a client that
        // keeps up never costs a timer.
        stalled: Option<Pin<Box<Sleep>>>,
        armed: bool,
    }
}

impl<IO> WriteTimeout<IO> {
    /// Wraps `io`: a write (or flush, or shutdown) pending for `timeout` fails.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::serve::WriteTimeout;
    ///
    /// let io = WriteTimeout::new(tokio::io::empty(), Duration::from_secs(30));
    /// assert_eq!(io.timeout(), Duration::from_secs(30));
    /// ```
    #[must_use]
    pub fn new(io: IO, timeout: Duration) -> Self {
        WriteTimeout {
            io,
            timeout,
            stalled: None,
            armed: false,
        }
    }

    /// The timeout.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::serve::WriteTimeout;
    ///
    /// assert_eq!(WriteTimeout::new(tokio::io::sink(), Duration::ZERO).timeout(), Duration::ZERO);
    /// ```
    #[must_use]
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The wrapped connection.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::serve::WriteTimeout;
    ///
    /// let io = WriteTimeout::new(std::io::Cursor::new(vec![1u8]), Duration::ZERO);
    /// assert_eq!(io.into_inner().into_inner(), [1]);
    /// ```
    #[must_use]
    pub fn into_inner(self) -> IO {
        self.io
    }

    /// A reference to the wrapped connection (for its address, say).
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::serve::WriteTimeout;
    ///
    /// let io = WriteTimeout::new(std::io::Cursor::new(vec![1u8]), Duration::ZERO);
    /// assert_eq!(io.get_ref().get_ref(), &[1]);
    /// ```
    #[must_use]
    pub fn get_ref(&self) -> &IO {
        &self.io
    }

    /// A mutable reference to the wrapped connection. Writing through it bypasses the
    /// timeout.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::serve::WriteTimeout;
    ///
    /// let mut io = WriteTimeout::new(std::io::Cursor::new(vec![1u8]), Duration::ZERO);
    /// io.get_mut().get_mut().push(2);
    /// assert_eq!(io.get_ref().get_ref(), &[1, 2]);
    /// ```
    #[must_use]
    pub fn get_mut(&mut self) -> &mut IO {
        &mut self.io
    }
}

/// Passes a finished write through (disarming the timer), or fails a pending one whose
/// timer has run out.
fn guard<T>(
    polled: Poll<io::Result<T>>,
    stalled: &mut Option<Pin<Box<Sleep>>>,
    armed: &mut bool,
    timeout: Duration,
    cx: &mut Context<'_>,
) -> Poll<io::Result<T>> {
    if polled.is_ready() {
        *armed = false;
        return polled;
    }
    let deadline = super::deadline_after(Instant::now(), timeout);
    let timer = stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
    if !*armed {
        timer.as_mut().reset(deadline);
        *armed = true;
    }
    match timer.as_mut().poll(cx) {
        Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "write timed out: the client stopped reading",
        ))),
        Poll::Pending => Poll::Pending,
    }
}

impl<IO: AsyncRead> AsyncRead for WriteTimeout<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.project().io.poll_read(cx, buf)
    }
}

impl<IO: AsyncWrite> AsyncWrite for WriteTimeout<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.project();
        let polled = this.io.poll_write(cx, buf);
        guard(polled, this.stalled, this.armed, *this.timeout, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.project();
        let polled = this.io.poll_write_vectored(cx, bufs);
        guard(polled, this.stalled, this.armed, *this.timeout, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.project();
        let polled = this.io.poll_flush(cx);
        guard(polled, this.stalled, this.armed, *this.timeout, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.project();
        let polled = this.io.poll_shutdown(cx);
        guard(polled, this.stalled, this.armed, *this.timeout, cx)
    }
}

/// An `axum::serve` listener whose connections have a [`WriteTimeout`] (feature `axum`).
///
/// ```
/// use std::time::Duration;
/// use axum::{routing::get, Router};
/// use sse_proto_tokio::serve::{Shutdown, TimeoutListener};
/// # use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let app: Router = Router::new().route("/", get(|| async { "hi" }));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// # let addr = listener.local_addr()?;
/// let shutdown = Shutdown::new();
/// let server = axum::serve(TimeoutListener::new(listener, Duration::from_secs(30)), app)
///     .with_graceful_shutdown(shutdown.wait());
/// let server = tokio::spawn(async move { server.await });
/// # let mut client = tokio::net::TcpStream::connect(addr).await?;
/// # client.write_all(b"GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n").await?;
/// # let mut answer = String::new();
/// # tokio::time::timeout(Duration::from_secs(30), client.read_to_string(&mut answer)).await??;
/// # assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("hi"), "{answer}");
/// shutdown.trigger();
/// server.await??;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
#[derive(Debug)]
pub struct TimeoutListener<L> {
    listener: L,
    timeout: Duration,
}

#[cfg(feature = "axum")]
impl<L> TimeoutListener<L> {
    /// Wraps `listener`: every accepted connection's writes time out after `timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_proto_tokio::serve::TimeoutListener;
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use axum::serve::Listener;
    ///
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// let addr = listener.local_addr()?;
    /// let listener = TimeoutListener::new(listener, Duration::from_secs(30));
    /// assert_eq!(listener.local_addr()?, addr); // the same socket, its connections wrapped
    /// # Ok::<(), std::io::Error>(())
    /// # }).unwrap();
    /// ```
    #[must_use]
    pub fn new(listener: L, timeout: Duration) -> Self {
        TimeoutListener { listener, timeout }
    }
}

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
impl<L: axum::serve::Listener> axum::serve::Listener for TimeoutListener<L> {
    type Io = WriteTimeout<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = self.listener.accept().await;
        (WriteTimeout::new(io, self.timeout), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}
