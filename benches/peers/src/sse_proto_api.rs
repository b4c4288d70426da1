//! Every call into sse-proto, in one place (the API is young; a rename touches only this).

use sse_proto::{Decoder, Encode, Feed, Item, Message};

use crate::check::Sink;

/// Decodes `chunks` through the zero-copy `Feed`, then `finish`.
pub fn decode<S: Sink>(chunks: &[&[u8]], sink: &mut S) {
    let mut decoder = Decoder::new();
    for chunk in chunks {
        drain(decoder.feed(chunk), sink);
    }
    drain(decoder.finish(), sink);
}

/// Hands every event of `feed` to `sink`.
fn drain<S: Sink>(mut feed: Feed<'_, '_>, sink: &mut S) {
    while let Some(item) = feed.next() {
        if let Item::Event(e) = item {
            sink.event(
                e.event_type().as_bytes(),
                e.data().as_bytes(),
                e.last_event_id().as_bytes(),
            );
        }
    }
}

/// Encodes one event into an owned buffer: the broadcast path.
pub fn encode(e: &crate::encoders::Event) -> Vec<u8> {
    Message::new(e.data.as_str())
        .event_type(e.event_type.as_str())
        .id(e.id.as_str())
        .to_vec()
        .expect("valid event")
}

/// Decodes one line of `len` bytes fed in `chunk`-byte pieces; returns its data length.
pub fn decode_one_line(line: &[u8], chunk: usize) -> usize {
    let mut decoder = Decoder::with_config(
        sse_proto::DecoderConfig::default()
            .max_line_len(line.len() + 16)
            .max_event_len(line.len() + 16),
    );
    let mut n = 0;
    for piece in line.chunks(chunk) {
        let mut feed = decoder.feed(piece);
        while let Some(item) = feed.next() {
            if let Item::Event(e) = item {
                n += e.data().len();
            }
        }
    }
    n
}
