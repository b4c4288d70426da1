//! The `client` example's HTTP/1.1 code (`examples/support/http1.rs`) against a loopback
//! server: `Content-Length`, chunked (split anywhere, extensions, trailers, pauses longer
//! than the read timeout), read-until-close, POST bodies and redirects.
#![cfg(feature = "std")]

#[path = "../examples/support/http1.rs"]
mod http1;
#[path = "support/loopback.rs"]
mod loopback;

use std::io::{self, Read};
use std::thread::sleep;
use std::time::{Duration, Instant};

use loopback::{chunk, send, serve, Handler};

/// Reads a body to its end, retrying reads that time out, within a time limit.
fn read_all(body: &mut http1::Body) -> io::Result<Vec<u8>> {
    let start = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 7]; // small on purpose: many partial reads
    loop {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "body never ended"
        );
        match body.read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e),
        }
    }
}

/// The limits a driver with no idle timeout would give.
fn limits() -> sse_proto::client::ConnectLimits {
    sse_proto::client::ConnectLimits::new(None, Duration::from_secs(5))
}

fn get(port: u16, path: &str, timeout: Duration) -> io::Result<http1::Response> {
    let url = http1::Url::parse(&format!("http://127.0.0.1:{port}{path}"))?;
    http1::send(
        &url,
        "GET",
        &[],
        None,
        Instant::now() + Duration::from_secs(5),
        Some(timeout),
    )
}

#[test]
fn content_length_body() {
    let (port, server) = serve(vec![Box::new(|mut s, _| {
        send(&mut s, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 11\r\n\r\ndata: x\n\n");
        send(&mut s, b"\n\nEXTRA BYTES PAST THE LENGTH");
    })]);
    let mut response = get(port, "/a?b=c", Duration::from_secs(5)).unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(read_all(&mut response.body).unwrap(), b"data: x\n\n\n\n");
    let requests = server.join().unwrap();
    assert_eq!(requests[0].line(), "GET /a?b=c HTTP/1.1");
    assert_eq!(
        requests[0].header("host"),
        Some(&*format!("127.0.0.1:{port}"))
    );
}

#[test]
fn chunked_body_split_anywhere_with_pauses() {
    let (port, server) = serve(vec![Box::new(|mut s, _| {
        let mut wire = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n".to_vec();
        wire.extend(chunk(b"data: hello\n"));
        wire.extend(b"A;ext=1\r\n\ndata: wor\r\n"); // 10 bytes with a chunk extension
        wire.extend(chunk(b"ld\n\n"));
        wire.extend(b"0\r\nX-Trailer: t\r\n\r\n");
        // Sent in small pieces, with pauses longer than the client's read timeout, so
        // reads time out in the middle of size lines, data and CRLFs.
        for piece in wire.chunks(5) {
            send(&mut s, piece);
            sleep(Duration::from_millis(15));
        }
    })]);
    let mut response = get(port, "/", Duration::from_millis(5)).unwrap();
    assert_eq!(response.status, 200, "the interim 100 is skipped");
    let body = read_all(&mut response.body).unwrap();
    assert_eq!(
        String::from_utf8(body).unwrap(),
        "data: hello\n\ndata: world\n\n"
    );
    server.join().unwrap();
}

#[test]
fn chunked_body_cut_short_is_an_error() {
    let (port, server) = serve(vec![Box::new(|mut s, _| {
        send(
            &mut s,
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nonly part",
        );
    })]);
    let mut response = get(port, "/", Duration::from_secs(5)).unwrap();
    let error = read_all(&mut response.body).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    server.join().unwrap();
}

#[test]
fn body_until_close() {
    let (port, server) = serve(vec![Box::new(|mut s, _| {
        send(
            &mut s,
            b"HTTP/1.0 200 OK\r\ncontent-type: text/event-stream\r\n\r\ndata: a\n\n",
        );
        send(&mut s, b"data: b\n\n");
    })]);
    let mut response = get(port, "/", Duration::from_secs(5)).unwrap();
    assert_eq!(
        read_all(&mut response.body).unwrap(),
        b"data: a\n\ndata: b\n\n"
    );
    server.join().unwrap();
}

#[test]
fn post_body_and_redirects() {
    let handlers: Vec<Handler> = vec![
        Box::new(|mut s, _| {
            send(
                &mut s,
                b"HTTP/1.1 307 Temporary Redirect\r\nLocation: /moved\r\nContent-Length: 0\r\n\r\n",
            )
        }),
        Box::new(|mut s, _| {
            send(&mut s, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 9\r\n\r\ndata: r\n\n");
        }),
        Box::new(|mut s, _| send(&mut s, b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n")),
    ];
    let (port, server) = serve(handlers);
    let config = sse_proto::ClientConfig::new(format!("http://127.0.0.1:{port}/start"))
        .method("POST")
        .body(b"{\"q\":1}".to_vec());
    let mut client = sse_proto::Client::new(config, sse_proto::client::Instant::EPOCH).unwrap();
    let Some(sse_proto::client::Output::Connect(request)) = client.poll_output() else {
        panic!()
    };

    // 307 keeps the method and body (C22: the caller follows redirects).
    let connection = http1::open(&request, limits(), Duration::from_secs(5)).unwrap();
    assert_eq!(connection.status(), 200);
    let mut body = connection.into_body();
    assert_eq!(read_all(&mut body).unwrap(), b"data: r\n\n");

    // A redirect without Location is handed to the client as is (C24).
    let connection = http1::open(&request, limits(), Duration::from_secs(5)).unwrap();
    assert_eq!(connection.status(), 302);

    let requests = server.join().unwrap();
    assert_eq!(requests[0].line(), "POST /start HTTP/1.1");
    assert_eq!(requests[0].body, b"{\"q\":1}");
    assert_eq!(requests[1].line(), "POST /moved HTTP/1.1");
    assert_eq!(requests[1].body, b"{\"q\":1}");
    assert_eq!(requests[1].header("Accept"), Some("text/event-stream"));
}

#[test]
fn urls() {
    let u = http1::Url::parse("http://example.test:8080/a/b?c#frag").unwrap();
    assert_eq!(
        (u.host.as_str(), u.port, u.path.as_str()),
        ("example.test", 8080, "/a/b?c")
    );
    assert_eq!(u.authority(), "example.test:8080");
    let u = http1::Url::parse("HTTP://[::1]/").unwrap();
    assert_eq!((u.host.as_str(), u.port), ("[::1]", 80));
    let u = http1::Url::parse("http://h?x").unwrap();
    assert_eq!(u.path, "/?x");
    assert_eq!(
        http1::Url::parse("https://h/").unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    assert_eq!(
        http1::Url::parse("http://h:99999/").unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    assert_eq!(u.join("/next").unwrap().path, "/next");
    assert_eq!(u.join("http://other:1/x").unwrap().host, "other");
}

/// A `Location` is resolved as RFC 3986 §5.2 says, dot segments removed: the request line
/// names the resource the server meant, never `/a/b/../x`.
#[test]
fn redirect_targets_lose_their_dot_segments() {
    let base = http1::Url::parse("http://h/a/b/c?q").unwrap();
    for (location, path) in [
        ("../x", "/a/x"),
        ("./x", "/a/b/x"),
        ("x", "/a/b/x"),
        ("/a/../y", "/y"),
        ("../../../../z?k=v", "/z?k=v"),
        (".", "/a/b/"),
        ("..", "/a/"),
        ("x/./y/../z", "/a/b/x/z"),
        ("?only", "/a/b/c?only"),
        ("/keep//double/", "/keep//double/"),
        ("/q?a=../b", "/q?a=../b"),
        ("//other/p/../r", "/r"),
        ("http://other/s/./t", "/s/t"),
    ] {
        assert_eq!(base.join(location).unwrap().path, path, "{location}");
    }
}
