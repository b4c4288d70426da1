//! Every client error's `source()` chain, as error reporters print it (anyhow's `{:#}`,
//! eyre, tracing walk `source()`): each link says something the others do not. An error
//! either writes its cause into its message or returns it from `source()`, never both.

mod error_chain;
mod script_server;

use std::error::Error as StdError;
use std::io;
use std::sync::Arc;

use error_chain::{assert_no_repeats, chain};
use sse_proto_tokio::{Error, StatusError, Timeout, TransportError};

fn reset() -> TransportError {
    TransportError::new(io::Error::other("connection reset"))
}

/// Every variant, built by hand, and each one given up on.
fn every_error() -> Vec<Error> {
    let nested = io::Error::other(TransportError::futile("unsupported scheme"));
    let errors = vec![
        Error::from(StatusError::new(
            http::StatusCode::BAD_GATEWAY,
            http::HeaderMap::new(),
            "upstream down",
        )),
        Error::ContentType(StatusError::new(
            http::StatusCode::OK,
            http::HeaderMap::from_iter([(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("text/html"),
            )]),
            "<p>sign in</p>",
        )),
        Error::ContentType(StatusError::new(
            http::StatusCode::OK,
            http::HeaderMap::new(),
            "",
        )),
        Error::Transport(reset()),
        Error::Transport(TransportError::futile("relative URL without a base")),
        Error::Transport(TransportError::new(nested)),
        Error::Timeout(Timeout::Idle),
        Error::Request(Arc::new(io::Error::other("the token service is down"))),
        Error::EmptyStream,
    ];
    let given_up = errors.iter().map(|last| Error::GaveUp {
        attempts: 3,
        last: Box::new(last.clone()),
    });
    let mut all: Vec<Error> = given_up.collect();
    all.extend(errors);
    all
}

#[test]
fn no_error_prints_its_source_twice() {
    for error in every_error() {
        assert_no_repeats(&error);
    }
    assert_no_repeats(&reset());
}

#[test]
fn a_status_error_is_an_error_and_its_wrapper_is_transparent() {
    fn error<E: StdError + Send + Sync + 'static>(_: &E) {}
    let wrapped = every_error()
        .into_iter()
        .find(|error| matches!(error, Error::Status(_)))
        .expect("a status error");
    let Error::Status(status) = &wrapped else {
        unreachable!()
    };
    error(status);
    assert_eq!(chain(&wrapped), chain(status));
}

#[test]
fn a_transport_error_is_one_link_inside_the_client_error() {
    // `Error::Transport` is a transparent wrapper: the chain of `Error::Transport(e)` is
    // the chain of `e`, not `e` twice.
    let error = Error::Transport(reset());
    assert_eq!(chain(&error), chain(&reset()));
    assert_eq!(chain(&error).len(), 2, "{:?}", chain(&error));
}

/// A refused connection, given up on at once, as each connector reports it: reqwest and
/// hyper-util add their own links (the request, the connect step, the OS error).
#[cfg(any(feature = "reqwest", feature = "reqwest-0_12", feature = "hyper"))]
async fn refused(connector: impl sse_proto_tokio::Connector) -> Vec<String> {
    let port = script_server::closed_port().await;
    let mut events = sse_proto_tokio::EventSource::builder(format!("http://127.0.0.1:{port}/"))
        .reconnect(sse_proto_tokio::Reconnect::Never)
        .connect(connector)
        .unwrap();
    let next = tokio::time::timeout(std::time::Duration::from_secs(30), events.next()).await;
    match next.expect("the refusal within 30 s") {
        Some(Err(error)) => {
            assert!(
                matches!(&error, Error::GaveUp { last, .. } if matches!(**last, Error::Transport(_))),
                "{error:?}"
            );
            assert_no_repeats(&error);
            chain(&error)
        }
        other => panic!("expected to give up, got {other:?}"),
    }
}

#[cfg(feature = "reqwest")]
#[tokio::test]
async fn refused_with_reqwest_0_13() {
    let chain = refused(reqwest::Client::new()).await;
    assert!(chain.len() >= 3, "{chain:?}");
}

#[cfg(feature = "reqwest-0_12")]
#[tokio::test]
async fn refused_with_reqwest_0_12() {
    let chain = refused(reqwest_0_12::Client::new()).await;
    assert!(chain.len() >= 3, "{chain:?}");
}

#[cfg(feature = "hyper")]
#[tokio::test]
async fn refused_with_hyper_util() {
    let chain = refused(sse_proto_tokio::HyperConnector::new()).await;
    assert!(chain.len() >= 3, "{chain:?}");
}
