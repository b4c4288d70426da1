//! # sse-proto
//!
//! The WHATWG `text/event-stream` format (Server-Sent Events), exactly: an incremental
//! parser, with no I/O, no `unsafe`, no dependencies and no `std` required.
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
//! ```
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
//! ## Layers
//!
//! * [`Tokenizer`] (core, no allocation): bytes in, borrowed [`Line`]s out; you keep the
//!   unconsumed tail (the httparse contract). BOM, CR/LF/CRLF and field splitting.
//! * [`Decoder`] (`alloc`): lines into [`Item`]s — events with the sticky last event ID,
//!   `retry` updates, comments, id-only blocks, drops for limits — with bounded buffers.
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
//! * **D8** a comment's text is what follows the colon minus one leading space.
//! * **D9** event types and ids are taken verbatim after the one-space strip.
//!
//! ## Crate features
//!
//! * `std` (default): implies `alloc`.
//! * `alloc`: the [`Decoder`] and owned items. Without it, the [`Tokenizer`] and the
//!   line-level helpers still work, with no allocation at all.
//!
//! ## Guarantees
//!
//! No input, chunking or call order makes the crate panic; every buffer has a limit from
//! [`DecoderConfig`]; every byte is scanned once.
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

#[cfg(feature = "alloc")]
mod decode;
mod encode;
mod error;
mod event;
mod line;
mod scan;
mod tokenize;

#[cfg(feature = "alloc")]
pub use decode::{Decoder, DecoderConfig, Feed};
#[cfg(feature = "std")]
pub use encode::IoDataWriter;
pub use encode::{
    Comment, DataWriter, Encode, KeepAlive, LastEventId, Message, Retry, SliceWriter,
};
pub use error::{EncodeError, IdError};
pub use event::{Dropped, Event, Item};
#[cfg(feature = "alloc")]
pub use event::{OwnedEvent, OwnedItem};
pub use line::{parse_retry, FieldName, Line};
pub use tokenize::{Status, Tokenizer};
