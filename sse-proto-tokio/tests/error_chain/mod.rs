//! An error's `source()` chain as error reporters print it (anyhow's `{:#}`, eyre and
//! tracing walk `source()`), for the tests of the client's and the serving side's errors.

use std::error::Error;

/// The messages of `error` and of its sources, outermost first (at most 32 links).
pub fn chain(error: &(dyn Error + 'static)) -> Vec<String> {
    let mut messages = Vec::new();
    let mut next = Some(error);
    while let Some(error) = next {
        assert!(
            messages.len() < 32,
            "a source chain of 32 links: {messages:?}"
        );
        messages.push(error.to_string());
        next = error.source();
    }
    messages
}

/// No message of the chain holds a later one (a cause printed twice); the chain.
pub fn assert_no_repeats(error: &(dyn Error + 'static)) -> Vec<String> {
    let messages = chain(error);
    for (i, outer) in messages.iter().enumerate() {
        for inner in messages.iter().skip(i + 1) {
            assert!(
                inner.is_empty() || !outer.contains(inner.as_str()),
                "{outer:?} repeats its source {inner:?}; the chain: {messages:#?}"
            );
        }
    }
    messages
}
