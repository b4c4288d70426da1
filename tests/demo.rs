//! The `demo` example (README's first command), run as a program: it must exit 0, which it
//! does only when every event arrived exactly once and in order, and its transcript must
//! show the reconnection with `Last-Event-ID` and the replay.
#![cfg(feature = "std")]

#[path = "support/example.rs"]
mod example;
use std::process::Command;
use std::time::{Duration, Instant};

/// `target/<profile>/examples/demo`, built by `cargo test` alongside this test.
fn demo() -> std::path::PathBuf {
    example::example("demo")
}

#[test]
fn the_demo_delivers_every_event_once_across_a_dropped_connection() {
    let started = Instant::now();
    let out = Command::new(demo())
        .output()
        .expect("the demo runs (built by cargo test)");
    let transcript = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{transcript}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The demo bounds each step by 5 s itself; a healthy run takes well under a second.
    assert!(started.elapsed() < Duration::from_secs(30));
    let lines: Vec<&str> = transcript.lines().collect();
    let position = |needle: &str| {
        lines
            .iter()
            .position(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} missing from:\n{transcript}"))
    };
    let dropped = position("drops the connection on purpose");
    let resumed = position("<- GET /events, Last-Event-ID: 3");
    let replayed = position("event \"note\", id 5, data \"also missed, replayed from history\"");
    let stopped = position("closed: the server answered 204");
    assert!(
        dropped < resumed && resumed < replayed && replayed < stopped,
        "{transcript}"
    );
    assert!(
        transcript.contains("event \"message\", id 3, data \"\""),
        "empty data dispatches"
    );
    assert!(transcript.contains("all 6 events arrived exactly once, in order"));
}
