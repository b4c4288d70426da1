//! The JSON-lines form of decoder items that `sse-cat` (and the `client` example) print,
//! one object per line. Documented in README.md ("sse-cat output").
#![allow(dead_code)]

use sse_proto::{Dropped, Item};

// `json` is the sibling module `support/json.rs`, declared next to this one.
use super::json::string;

/// One item as a JSON object on one line.
pub fn item_json(item: &Item<'_>) -> String {
    match item {
        Item::Event(e) => format!(
            r#"{{"kind":"event","type":{},"data":{},"id":{}}}"#,
            string(e.event_type()),
            string(e.data()),
            string(e.last_event_id())
        ),
        Item::Retry(ms) => format!(r#"{{"kind":"retry","ms":{ms}}}"#),
        Item::Comment(text) => format!(r#"{{"kind":"comment","text":{}}}"#, string(text)),
        Item::LastEventId(id) => format!(r#"{{"kind":"last_event_id","id":{}}}"#, string(id)),
        Item::UnknownField { name, value } => format!(
            r#"{{"kind":"unknown_field","name":{},"value":{}}}"#,
            string(name),
            string(value)
        ),
        Item::Dropped(reason) => format!(
            r#"{{"kind":"dropped","reason":"{}"}}"#,
            dropped_reason(*reason)
        ),
        Item::Truncated => r#"{"kind":"truncated"}"#.to_string(),
        // `Item` is non-exhaustive: a newer crate version may add kinds.
        other => format!(
            r#"{{"kind":"other","debug":{}}}"#,
            string(&format!("{other:?}"))
        ),
    }
}

/// The `reason` string of a `dropped` item.
pub fn dropped_reason(reason: Dropped) -> &'static str {
    match reason {
        Dropped::LineTooLong => "line_too_long",
        Dropped::EventTooLarge => "event_too_large",
        Dropped::IdTooLong => "id_too_long",
        Dropped::Undrained => "undrained",
        _ => "other",
    }
}

/// Decodes `chunks` in order with `decoder`, ends the stream, and returns every item as
/// its JSON line, with the decoder (for its last event ID and reconnection time).
#[cfg(feature = "alloc")]
pub fn decode_lines(
    mut decoder: sse_proto::Decoder,
    chunks: &[&[u8]],
) -> (Vec<String>, sse_proto::Decoder) {
    let mut lines = Vec::new();
    for chunk in chunks {
        decoder
            .feed(chunk)
            .for_each(|item| lines.push(item_json(&item)));
    }
    decoder
        .finish()
        .for_each(|item| lines.push(item_json(&item)));
    (lines, decoder)
}
