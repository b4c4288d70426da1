//! # sse-proto
//!
//! The WHATWG `text/event-stream` format (Server-Sent Events), exactly: an incremental
//! parser, a writer that only produces valid streams, and a sans-IO EventSource client,
//! with no I/O, no dependencies, no `std` required, and `#![forbid(unsafe_code)]`.
//!
//! The rules come from the WHATWG HTML Standard, §9.2 "Server-sent events"
//! (<https://html.spec.whatwg.org/multipage/server-sent-events.html>). Each is numbered
//! in `spec-vectors/RULES.md`, shipped with the crate (P1–P24 for the format, C1–C31
//! for the client, D1–D13 for our decisions where the spec is silent); the docs and the
//! code cite those numbers, and `spec-vectors/` holds the language-neutral conformance
//! vectors that test them.
//!
//! The crate does three things, and its root holds what each needs:
//!
//! | to | use | more in |
//! |---|---|---|
//! | read a stream | [`Decoder`] (chunks in, [`Item`]s out), [`EventReader`] (`io::Read` in) | [`decode`] |
//! | write a stream | [`Message`], [`Comment`], [`KeepAlive`], [`Retry`], [`LastEventId`] through [`Encode`] | [`encode`] |
//! | stay connected | [`Client`] with a [`ClientConfig`]: the EventSource reconnection model, sans-IO | [`client`] |
//!
//! [`line`](mod@line) is the allocation-free layer underneath: a tokenizer and the field rules.
//!
//! ## Decoding a stream
//!
//! Feed the body in chunks of any size, drain the items of each chunk, and call
//! [`Decoder::finish`] when the body ends. A [`Feed`] lends its items — they borrow the
//! chunk and the decoder, nothing is copied — so it is drained with `while let`, not
//! `for`:
//!
//! ```
//! # #[cfg(feature = "alloc")] {
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
//! # }
//! ```
//!
//! A reader that wants the events only takes them with [`Feed::next_event`], which does the
//! least work: comments are skipped without being checked, and what a `retry` or `id` field
//! says still takes effect, read from the decoder.
//!
//! ```
//! # #[cfg(feature = "alloc")] {
//! use sse_proto::Decoder;
//!
//! let mut decoder = Decoder::new();
//! let mut data = Vec::new();
//! for chunk in [&b": keep-alive\n\nretry: 1000\ndata: a\n"[..], b"\nid: 7\ndata: b\n\n"] {
//!     let mut feed = decoder.feed(chunk);
//!     while let Some(event) = feed.next_event() {
//!         data.push(event.data().to_owned());
//!     }
//! }
//! assert_eq!(data, ["a", "b"]);
//! assert_eq!((decoder.retry(), decoder.last_event_id()), (Some(1000), "7"));
//! # }
//! ```
//!
//! For a `for` loop, `collect()` or items to keep, [`Feed::owned`] turns the feed into an
//! [`Iterator`] of [`OwnedItem`]s (one copy per item):
//!
//! ```
//! # #[cfg(feature = "alloc")] {
//! use sse_proto::{Decoder, OwnedItem};
//!
//! let mut decoder = Decoder::new();
//! let mut items = Vec::new();
//! for item in decoder.feed(b"data: a\n\ndata: b\n\n").owned() {
//!     items.push(item);
//! }
//! assert!(matches!(&items[1], OwnedItem::Event(e) if e.data == "b"));
//! # }
//! ```
//!
//! Which to use: the lending [`Feed`] in a hot loop (a proxy, a parser benchmark, an
//! embedded target); [`Feed::owned`] when items outlive the next chunk (a channel, a
//! queue, a `Vec`); [`EventReader`] to read a blocking `io::Read` as an iterator.
//!
//! ## Without allocation
//!
//! With `default-features = false` the [`line::Tokenizer`] still splits and classifies
//! lines, borrowing from a buffer you own (here a fixed array), and
//! [`line::parse_retry`] and [`line::FieldName`] give the field rules:
//!
//! ```
//! use sse_proto::line::{FieldName, Line, Status, Tokenizer};
//!
//! let mut tok = Tokenizer::new();
//! let mut buf = [0u8; 64];
//! let mut len = 0;
//! let mut data_lines = 0;
//! for chunk in [&b"data: a\r"[..], b"\ndata: b\n", b"\n"] {
//!     buf[len..len + chunk.len()].copy_from_slice(chunk);
//!     len += chunk.len();
//!     let mut start = 0;
//!     while let Status::Complete((used, line)) = tok.next_line(&buf[start..len]) {
//!         if let Line::Field { name, .. } = line {
//!             data_lines += usize::from(FieldName::from_bytes(name) == FieldName::Data);
//!         }
//!         start += used;
//!     }
//!     buf.copy_within(start..len, 0); // keep the unconsumed tail
//!     len -= start;
//! }
//! assert_eq!(data_lines, 2);
//! ```
//!
//! ## Encoding
//!
//! A [`Message`] is an event to send; [`Comment`], [`KeepAlive`], [`Retry`] and
//! [`LastEventId`] are the blocks that dispatch nothing. The [`Encode`] trait writes any of
//! them into a caller's slice (with [`encoded_len`](Encode::encoded_len) up front), any
//! `core::fmt::Write`, a `Vec<u8>` or `String` (`alloc`), or an `io::Write` (`std`). A
//! block's bytes do not depend on anything sent before, so a broadcast server encodes an
//! event once and sends the same bytes to every client:
//!
//! ```
//! # #[cfg(feature = "alloc")] {
//! use std::sync::Arc;
//! use sse_proto::{Encode, KeepAlive, Message, Retry};
//!
//! // Three connected clients, each with its own send buffer (sockets in real life).
//! let mut clients = vec![Vec::new(), Vec::new(), Vec::new()];
//!
//! // On connect: tell each client how long to wait before reconnecting.
//! for buffer in &mut clients {
//!     Retry(5000).encode_to_vec(buffer); // a `retry` block cannot fail
//! }
//!
//! // An update to broadcast: encoded once, shared by every client.
//! let json = "{\"symbol\":\"XYZ\",\n \"price\":42}"; // data may hold line breaks
//! let id = 17;
//! let frame: Arc<[u8]> = Message::new(json).event_type("quote").id(id.to_string()).to_vec()?.into();
//! for buffer in &mut clients {
//!     buffer.extend_from_slice(&frame);
//! }
//!
//! // Nothing to send for 15 s: a keep-alive comment keeps proxies from closing the stream.
//! for buffer in &mut clients {
//!     buffer.extend_from_slice(KeepAlive::BYTES);
//! }
//!
//! let expected = "retry: 5000\n\n\
//!                 event: quote\nid: 17\ndata: {\"symbol\":\"XYZ\",\ndata:  \"price\":42}\n\n\
//!                 :\n\n";
//! assert!(clients.iter().all(|buffer| buffer == expected.as_bytes()));
//! # }
//! # Ok::<(), sse_proto::EncodeError>(())
//! ```
//!
//! Without `alloc`, [`Encode::encode_to_slice`] writes into any buffer, and a
//! [`DataWriter`](encode::DataWriter) streams a large payload (serialised JSON, say) into the event piece by
//! piece with exactly the bytes of a one-shot encoding:
//!
//! ```
//! use core::fmt::Write;
//! use sse_proto::{encode::SliceWriter, Encode, Message};
//!
//! let mut buf = [0u8; 128];
//! let mut out = SliceWriter::new(&mut buf);
//! let mut data = Message::new("").event_type("row").data_writer(&mut out)?;
//! for (i, cell) in ["a", "b\r", "\nc"].iter().enumerate() {
//!     write!(data, "{i}={cell};")?;
//! }
//! data.finish()?;
//! assert_eq!(out.written(), b"event: row\ndata: 0=a;1=b\ndata: ;2=\ndata: c;\n\n");
//!
//! let mut one_shot = [0u8; 128];
//! let n = Message::new("0=a;1=b\r\n;2=\nc;").event_type("row").encode_to_slice(&mut one_shot)?;
//! assert_eq!(&one_shot[..n], out.written());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What the writer writes (P22, the grammar of WHATWG §9.2.5):
//!
//! * Fields in the order `event`, `id`, `retry`, `data`, then a blank line. Every block
//!   — comments, keep-alives, `retry`-only and id-only blocks included — ends with a blank
//!   line, so blocks never run into each other.
//! * `field: value` with the space, so a value starting with a space keeps it (P10); an
//!   empty value is written `field:` (no trailing space).
//! * Data is split on CR, LF and CRLF into one `data:` line each; a parser gives it back
//!   with each line break as LF (the format cannot carry a CR). **Empty data** is the one
//!   line `data:` and dispatches an event with data `""` (P13, P18).
//! * **The default type**: a type `""` or `message` writes no `event` line; a parser gives
//!   `message` either way (P19).
//! * **The empty id** writes `id:`, which resets the client's last event ID (P14); no id
//!   writes no `id` line, and the client keeps the last one (P17).
//! * An event type with CR or LF, or an id with CR, LF or NUL, is an [`EncodeError`] before
//!   anything is written — never a panic, never an injected line.
//! * Comments are written `: text`, one line per line of text (D8).
//!
//! ## Client
//!
//! [`Client`] (`alloc`) is the EventSource processing model (C1–C31) as a state machine
//! that does no I/O and reads no clock (the quinn-proto / str0m shape). You open the
//! connections and own the time; every input carries `now` as an [`Instant`](client::Instant)
//! (milliseconds since an epoch you pick). The one rule of the run loop: **feed one
//! input, then drain [`Client::poll_output`] until it returns `None`**; then wait for
//! I/O or for [`Client::poll_timeout`], whichever comes first, and feed that.
//!
//! * Inputs: [`handle_response`](Client::handle_response) (status, `Content-Type`,
//!   `Retry-After`), [`handle_body`](Client::handle_body),
//!   [`handle_body_end`](Client::handle_body_end),
//!   [`handle_transport_error`](Client::handle_transport_error) (each naming the
//!   [attempt](client::AttemptId) it is about),
//!   [`handle_timeout`](Client::handle_timeout), and the commands
//!   [`close`](Client::close) and [`reconnect_now`](Client::reconnect_now).
//! * Outputs ([`Output`](client::Output)): `Connect(request)` (with `Accept`, `Cache-Control`, your
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
//! use sse_proto::client::{Instant, Output, ResponseHead};
//! use sse_proto::{Client, ClientConfig, OwnedItem};
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
//! let mut client = Client::new(ClientConfig::new("http://example.test/events"), now)?;
//! let mut network = VecDeque::new();
//! let mut attempt = client.attempt();
//! let mut log = Vec::new();
//! 'run: loop {
//!     // Drain every output of the last input, in order.
//!     while let Some(output) = client.poll_output() {
//!         match output {
//!             Output::Connect(request) => {
//!                 attempt = request.attempt(); // every input about this connection names it
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
//!                 Net::Head(status) => client.handle_response(now, attempt, &ResponseHead::new(status).content_type("text/event-stream")),
//!                 Net::Bytes(bytes) => client.handle_body(now, attempt, bytes),
//!                 Net::End => client.handle_body_end(now, attempt),
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
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! By default the client never reconnects in a tight loop (D12): no wait is shorter than
//! 100 ms (so `retry: 0` waits 100 ms, `retry: 400` still 400 ms), and attempts in a row
//! that dispatch no event wait twice as long each time, up to 30 s;
//! [`ClientConfig::spec_timing`] gives the spec's exact timing. Beyond the spec, and **off
//! by default** (D11), [`ClientConfig`] offers: exponential [`Backoff`](client::Backoff)
//! with a cap, jitter and a reset only after a healthy connection; retrying 5xx/429 with
//! `Retry-After`; an idle timeout for silently dead connections; and a maximum number of
//! attempts. With `std`, [`Driver`](client::Driver) runs a
//! client over blocking I/O and real time, given a function that opens a connection
//! (with any HTTP library); the crate itself never opens a socket.
//!
//! ## Layers
//!
//! * [`line::Tokenizer`] (core, no allocation): bytes in, borrowed [`line::Line`]s out;
//!   you keep the unconsumed tail (the httparse contract). BOM, CR/LF/CRLF and field
//!   splitting.
//! * [`Decoder`] (`alloc`): lines into [`Item`]s — events with the sticky last event ID,
//!   `retry` updates, comments, id-only blocks, drops for limits — with bounded buffers.
//! * The writer ([`Encode`], [`Message`], [`encode::DataWriter`], …; core, no
//!   allocation): blocks into bytes, always in the grammar.
//! * [`EventReader`] (`std`): a blocking iterator of owned items over any `io::Read`.
//! * [`Client`] (`alloc`): the EventSource processing model over a decoder, sans-IO;
//!   [`Driver`](client::Driver) (`std`) runs it over blocking I/O.
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
//!   ignoring parameters and whitespace; a missing header fails ([`is_event_stream`](client::http::is_event_stream)).
//! * **D8** a comment's text is what follows the colon minus one leading space.
//! * **D9** event types and ids are taken verbatim after the one-space strip.
//! * **D10** the client's default reconnection time is 3000 ms.
//! * **D11** the client follows the spec by default; its extra policies are opt-in.
//! * **D12** the client never reconnects in a tight loop: a 100 ms floor under every wait,
//!   and a doubling wait (up to 30 s) for attempts in a row that dispatch no event;
//!   [`ClientConfig::spec_timing`] turns both off.
//! * A 204 response ends the client as [`Output::Closed`](client::Output::Closed)`(`[`CloseReason::NoContent`](client::CloseReason::NoContent)`)`
//!   rather than as a failure: the spec "fails the connection" (CLOSED, no reconnect), but
//!   it is the server's normal way to say "stop".
//!
//! ## Crate features
//!
//! * `std` (default): implies `alloc`; adds [`EventReader`], the blocking [`Driver`](client::Driver), the
//!   `std::time::Instant` conversions of [`Instant`](client::Instant), [`Encode::write_to`] and
//!   [`encode::IoDataWriter`] for `std::io::Write` sinks, and `std::io::Write` input for
//!   the [`encode::DataWriter`].
//! * `alloc`: the [`Decoder`], owned items and the [`Client`]; [`Encode::to_vec`],
//!   [`Encode::to_string`] and [`Encode::encode_to_vec`]. Without it, the [`line::Tokenizer`],
//!   the line-level helpers, the whole writer (slices, `core::fmt::Write`, streaming) and
//!   the header helpers ([`is_event_stream`](client::http::is_event_stream), [`RetryAfter`](client::http::RetryAfter), [`parse_http_date`](client::http::parse_http_date),
//!   [`Backoff`](client::Backoff)) still work, with no allocation at all.
//!
//! ## Guarantees
//!
//! No input, chunking or call order makes the crate panic; every buffer has a limit from
//! [`DecoderConfig`]; every byte is scanned once. The client reads no clock and opens no
//! socket.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The docs name `std`-only items (`EventReader`, the blocking `Driver`, `io::Write`
// helpers) wherever they are the answer; documented without `std` those items do not
// exist, and their names stay plain text rather than links.
#![cfg_attr(not(feature = "std"), allow(rustdoc::broken_intra_doc_links))]
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

pub mod client;
#[cfg(feature = "alloc")]
pub mod decode;
pub mod encode;
mod error;
mod event;
mod forbidden;
#[cfg(feature = "std")]
mod io;
pub mod line;
#[cfg(feature = "alloc")]
mod owned_feed;
mod scan;
mod split;
mod tokenize;

// Staying connected.
#[cfg(feature = "alloc")]
pub use client::{Client, ClientConfig};

// Reading a stream.
#[cfg(feature = "alloc")]
pub use decode::{Decoder, DecoderConfig, Feed};
pub use event::{Dropped, Event, Item};
#[cfg(feature = "alloc")]
pub use event::{OwnedEvent, OwnedItem, SharedId};
#[cfg(feature = "std")]
pub use io::EventReader;

// Writing a stream.
pub use encode::{Comment, Encode, EncodeError, KeepAlive, LastEventId, Message, Retry};

// README.md's examples are compiled and run as doctests.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
