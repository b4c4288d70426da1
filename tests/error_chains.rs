//! Every error of the crate, walked down its `source()` chain as a report does (`anyhow`'s
//! `{:#}`, `eyre`, `tracing`): an error writes its cause into its message or returns it as
//! its source, never both, so no message of a chain repeats one further down.
#![cfg(feature = "alloc")]

use core::error::Error;

use sse_proto::client::{ClientConfig, ConfigError, TransportError};
use sse_proto::encode::IdError;
use sse_proto::{Encode, EncodeError, Message};

/// The messages of `error`'s chain, from the outermost.
fn chain(error: &(dyn Error + 'static)) -> Vec<String> {
    let mut messages = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        assert!(messages.len() < 8, "a chain ends");
        messages.push(e.to_string());
        next = e.source();
    }
    messages
}

/// No message of the chain is empty, or holds a message that comes after it.
fn assert_no_repeats(error: &(dyn Error + 'static)) {
    let messages = chain(error);
    for (i, outer) in messages.iter().enumerate() {
        assert!(!outer.is_empty(), "{messages:?}");
        for inner in &messages[i + 1..] {
            assert!(
                !outer.contains(inner.as_str()),
                "repeated cause: {messages:?}"
            );
        }
    }
}

#[test]
fn encode_errors_do_not_repeat_their_cause() {
    let errors = [
        Message::new("x").id("a\nb").to_vec().unwrap_err(),
        Message::new("x").id("a\0b").to_vec().unwrap_err(),
        Message::new("x").event_type("a\rb").to_vec().unwrap_err(),
        Message::new("x").encode_to_slice(&mut [0; 2]).unwrap_err(),
    ];
    assert!(matches!(errors[0], EncodeError::Id(IdError::LineBreak)));
    for error in &errors {
        assert_no_repeats(error);
    }
    // `Id` is transparent: its message is the id error's own.
    assert_eq!(errors[1].to_string(), IdError::Nul.to_string());
}

#[test]
fn client_config_errors_do_not_repeat_their_cause() {
    let error = ClientConfig::new("http://127.0.0.1/")
        .initial_last_event_id("a\nb")
        .validate()
        .unwrap_err();
    assert!(matches!(
        error,
        ConfigError::InvalidLastEventId(IdError::LineBreak)
    ));
    assert_no_repeats(&error);
    assert_eq!(chain(&error).len(), 2, "the id error is the source");
}

#[test]
fn transport_error_kinds_are_errors() {
    for kind in [TransportError::Transient, TransportError::Futile] {
        assert_no_repeats(&kind);
    }
}
