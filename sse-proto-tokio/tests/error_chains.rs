//! The errors of the serving side, the hub and the stream adapter as error reporters see
//! them (anyhow's `{:#}`, eyre, tracing walk `source()`): each one either writes its cause
//! into its message or returns it from `source()`, never both, so no message shows up
//! twice in a report. A transparent wrapper (`StreamError::Body`) forwards both.

mod error_chain;

use std::error::Error;
use std::fmt;

use error_chain::{assert_no_repeats, chain};
use sse_proto::{Dropped, EncodeError};
use sse_proto_tokio::hub::PublishError;
use sse_proto_tokio::serve::{SendError, ServeError};
use sse_proto_tokio::StreamError;

const CAUSE: &str = "event type contains a line break (CR or LF)";

#[test]
fn send_serve_and_publish_errors_leave_the_writers_reason_to_source() {
    let errors: [(&(dyn Error + 'static), &str); 3] = [
        (
            &SendError::Encode(EncodeError::EventType),
            "event could not be encoded",
        ),
        (
            &ServeError::Encode(EncodeError::EventType),
            "event could not be encoded",
        ),
        (
            &PublishError::Encode(EncodeError::EventType),
            "event refused by the writer",
        ),
    ];
    for (error, message) in errors {
        assert_eq!(assert_no_repeats(error), [message, CAUSE]);
    }
    // Variants without a cause have no source.
    assert_eq!(chain(&SendError::Timeout).len(), 1);
    assert_eq!(chain(&PublishError::EmptyId).len(), 1);
}

/// A body error with a cause of its own, as a client library's are.
#[derive(Debug)]
struct Reset(std::io::Error);

impl fmt::Display for Reset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the response body failed")
    }
}

impl Error for Reset {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

#[test]
fn a_body_error_is_passed_through_transparently() {
    let body = Reset(std::io::Error::other("connection reset"));
    let wrapped: StreamError<Reset> =
        StreamError::Body(Reset(std::io::Error::other("connection reset")));
    assert_eq!(chain(&wrapped), chain(&body));
    assert_eq!(
        assert_no_repeats(&wrapped),
        ["the response body failed", "connection reset"]
    );
    let dropped: StreamError<Reset> = StreamError::Dropped(Dropped::LineTooLong);
    assert_eq!(chain(&dropped).len(), 1);
}
