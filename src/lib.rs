//! # sse-proto
//!
//! The WHATWG `text/event-stream` format (Server-Sent Events), exactly: an incremental
//! parser and a sans-IO EventSource client, with no I/O, no `unsafe`, no dependencies and
//! no `std` required.
//!
//! Every rule of the format is numbered in the project's `SPEC.md` (P1–P24 for the
//! format, C1–C31 for the client, D1–D11 for our decisions where the spec is silent);
//! the code cites them where it implements them, and `spec-vectors/` holds the
//! language-neutral conformance vectors that test them.
//!
//! ## Decoding a stream
//!
//! Feed the body in chunks of any size, drain the items of each chunk, and call
//! [`Decoder::finish`] when the body ends:
//!
#![cfg_attr(feature = "alloc", doc = "```")]
#![cfg_attr(not(feature = "alloc"), doc = "```ignore")]
//! use sse_proto::{Decoder, Item};
//!
//! let body: &[&[u8]] = &[b"retry: 1000\n: keep-alive\n\nevent: up", b"date\r", b"\ndata: {\"n\":1}\nid: 7\n\ndata: cut"];
//! let mut decoder = Decoder::new();
//! let mut log = Vec::new();
//! for chunk in body {
//!     let mut feed = decoder.feed(chunk);
//!     while let Some(item) = feed.next() {
//!         match item {
//!             Item::Event(event) => log.push(format!(
//!                 "{} {} (id {})", event.event_type(), event.data(), event.last_event_id()
//!             )),
//!             Item::Retry(ms) => log.push(format!("reconnect after {ms} ms")),
//!             Item::Comment(text) => log.push(format!("comment: {text}")),
//!             other => log.push(format!("{other:?}")),
//!         }
//!     }
//! }
//! let mut end = decoder.finish();
//! while let Some(item) = end.next() {
//!     log.push(format!("{item:?}")); // the unterminated last block
//! }
//! assert_eq!(log, [
//!     "reconnect after 1000 ms",
//!     "comment: keep-alive",
//!     "update {\"n\":1} (id 7)",
//!     "Truncated",
//! ]);
//! ```
//!
//! ## Client
//!
//! [`Client`] (`alloc`) is the EventSource processing model (C1–C31) as a state machine
//! that does no I/O and reads no clock (the quinn-proto / str0m shape). You open the
//! connections and own the time; every input carries `now` as an [`Instant`]
//! (milliseconds since an epoch you pick). The one rule of the run loop: **feed one
//! input, then drain [`Client::poll_output`] until it returns `None`**; then wait for
//! I/O or for [`Client::poll_timeout`], whichever comes first, and feed that.
//!
//! * Inputs: [`handle_response`](Client::handle_response) (status, `Content-Type`,
//!   `Retry-After`), [`handle_body`](Client::handle_body),
//!   [`handle_body_end`](Client::handle_body_end),
//!   [`handle_transport_error`](Client::handle_transport_error),
//!   [`handle_timeout`](Client::handle_timeout), and the commands
//!   [`close`](Client::close) and [`reconnect_now`](Client::reconnect_now).
//! * Outputs ([`Output`]): `Connect(request)` (with `Accept`, `Cache-Control`, your
//!   headers and a `Last-Event-ID` only when non-empty), `Open`, `Item(event or other
//!   decoder item)`, `WaitUntil { at, reason }` (lost; reconnect at `at`),
//!   `Failed(reason)` and `Closed(reason)`; [`Client::ready_state`] follows
//!   CONNECTING / OPEN / CLOSED.
//!
//! Here a scripted server stands in for the network and a virtual clock for time:
//!
#![cfg_attr(feature = "alloc", doc = "```")]
#![cfg_attr(not(feature = "alloc"), doc = "```ignore")]
//! use core::time::Duration;
//! use std::collections::VecDeque;
//! use sse_proto::{Client, ClientConfig, Instant, Output, OwnedItem, ResponseHead};
//!
//! enum Net { Head(u16), Bytes(&'static [u8]), End }
//! // What the server does on each connection: the first drops mid-event.
//! let mut server = vec![
//!     vec![Net::Head(200), Net::Bytes(b"id: 1\ndata: first\n\ndata: cut o"), Net::End],
//!     vec![Net::Head(200), Net::Bytes(b"retry: 500\ndata: second\n\n"), Net::End],
//!     vec![Net::Head(204)], // "stop reconnecting"
//! ]
//! .into_iter();
//!
//! let mut now = Instant::EPOCH;
//! let mut client = Client::new(ClientConfig::new("http://example.test/events"), now);
//! let mut network = VecDeque::new();
//! let mut log = Vec::new();
//! 'run: loop {
//!     // Drain every output of the last input, in order.
//!     while let Some(output) = client.poll_output() {
//!         match output {
//!             Output::Connect(request) => {
//!                 log.push(format!("connect, Last-Event-ID {:?}", request.last_event_id()));
//!                 network = server.next().unwrap_or_default().into(); // "open a socket"
//!             }
//!             Output::Open => log.push("open".to_string()),
//!             Output::Item(OwnedItem::Event(e)) => log.push(format!("event {} (id {})", e.data, e.last_event_id)),
//!             Output::Item(item) => log.push(format!("{item:?}")),
//!             Output::WaitUntil { at, reason } => log.push(format!("{reason}; reconnect at {at}")),
//!             Output::Failed(reason) => { log.push(format!("failed: {reason}")); break 'run; }
//!             Output::Closed(reason) => { log.push(format!("closed: {reason}")); break 'run; }
//!             _ => {}
//!         }
//!     }
//!     // Feed one input: what the network did next, or else the timer.
//!     match network.pop_front() {
//!         Some(input) => {
//!             now = now + Duration::from_millis(10);
//!             let fed = match input {
//!                 Net::Head(status) => client.handle_response(now, &ResponseHead::new(status).content_type("text/event-stream")),
//!                 Net::Bytes(bytes) => client.handle_body(now, bytes),
//!                 Net::End => client.handle_body_end(now),
//!             };
//!             fed.expect("the script fits the client's state");
//!         }
//!         None => match client.poll_timeout() {
//!             Some(deadline) => { now = now.max(deadline); client.handle_timeout(now); }
//!             None => break,
//!         },
//!     }
//! }
//! assert_eq!(log, [
//!     "connect, Last-Event-ID None",
//!     "open",
//!     "event first (id 1)",
//!     "Truncated", // the cut-off block is discarded, its id never committed (P20, D4)
//!     "the server ended the response body; reconnect at 3030ms", // 3 s (D10)
//!     "connect, Last-Event-ID Some(\"1\")", // the id survives the reconnect (D3, C17)
//!     "open",
//!     "Retry(500)",
//!     "event second (id 1)",
//!     "the server ended the response body; reconnect at 3560ms", // retry: 500 (P15)
//!     "connect, Last-Event-ID Some(\"1\")",
//!     "closed: the server answered 204 No Content: stop reconnecting", // C9
//! ]);
//! ```
//!
//! Beyond the spec, and **off by default** (D11), [`ClientConfig`] offers: exponential
//! [`Backoff`] with a cap, jitter and a reset only after a healthy connection; a floor
//! for `retry: 0`; retrying 5xx/429 with `Retry-After`; an idle timeout for silently
//! dead connections; and a maximum number of attempts. With `std`, [`Driver`] runs a
//! client over blocking I/O and real time, given a function that opens a connection
//! (with any HTTP library); the crate itself never opens a socket.
//!
//! ## Layers
//!
//! * [`Tokenizer`] (core, no allocation): bytes in, borrowed [`Line`]s out; you keep the
//!   unconsumed tail (the httparse contract). BOM, CR/LF/CRLF and field splitting.
//! * [`Decoder`] (`alloc`): lines into [`Item`]s — events with the sticky last event ID,
//!   `retry` updates, comments, id-only blocks, drops for limits — with bounded buffers.
//! * [`Client`] (`alloc`): the EventSource processing model over a decoder, sans-IO;
//!   [`Driver`] (`std`) runs it over blocking I/O.
//!
//! ## Decisions where the spec is silent
//!
//! * **D1** an empty `retry` is ignored (Chromium resets to its default instead).
//! * **D2** a `retry` value that overflows `u64` milliseconds is ignored.
//! * **D3** a decoder keeps its last event ID across [`Decoder::finish`], so the next
//!   connection starts with it; [`Decoder::set_last_event_id`] seeds it.
//! * **D4** the `id` of a block cut off by the end of the stream is never committed.
//! * **D5** events carry the sticky last event ID, and [`Event::has_id`] says whether the
//!   block had its own `id` field.
//! * **D6** blocks with no data dispatch nothing but commit their id, surfaced as
//!   [`Item::LastEventId`].
//! * **D7** the client compares the `Content-Type` essence ASCII case-insensitively,
//!   ignoring parameters and whitespace; a missing header fails ([`is_event_stream`]).
//! * **D8** a comment's text is what follows the colon minus one leading space.
//! * **D9** event types and ids are taken verbatim after the one-space strip.
//! * **D10** the client's default reconnection time is 3000 ms.
//! * **D11** the client follows the spec by default; its extra policies are opt-in.
//! * A 204 response ends the client as [`Output::Closed`]`(`[`CloseReason::NoContent`]`)`
//!   rather than as a failure: the spec "fails the connection" (CLOSED, no reconnect), but
//!   it is the server's normal way to say "stop".
//!
//! ## Crate features
//!
//! * `std` (default): implies `alloc`; adds the blocking [`Driver`] and the
//!   `std::time::Instant` conversions of [`Instant`].
//! * `alloc`: the [`Decoder`], owned items and the [`Client`]. Without it, the
//!   [`Tokenizer`], the line-level helpers and the header helpers ([`is_event_stream`],
//!   [`RetryAfter`], [`parse_http_date`], [`Backoff`]) still work, with no allocation.
//!
//! ## Guarantees
//!
//! No input, chunking or call order makes the crate panic; every buffer has a limit from
//! [`DecoderConfig`]; every byte is scanned once. The client reads no clock and opens no
//! socket.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod client;
#[cfg(feature = "alloc")]
mod decode;
mod error;
mod event;
mod line;
mod scan;
mod time;
mod tokenize;

pub use client::{is_event_stream, parse_http_date, Backoff, RetryAfter, SplitMix64};
#[cfg(feature = "alloc")]
pub use client::{
    Client, ClientConfig, CloseReason, ConfigError, FailReason, InputError, Output, ReadyState,
    ReconnectReason, Request, ResponseHead, TransportError,
};
#[cfg(feature = "std")]
pub use client::{Connection, Driver};
#[cfg(feature = "alloc")]
pub use decode::{Decoder, DecoderConfig, Feed};
pub use error::IdError;
pub use event::{Dropped, Event, Item};
#[cfg(feature = "alloc")]
pub use event::{OwnedEvent, OwnedItem};
pub use line::{parse_retry, FieldName, Line};
pub use time::Instant;
pub use tokenize::{Status, Tokenizer};
