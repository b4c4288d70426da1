//! Every call into sse-proto, in one place (the API is young; a rename touches only this).

use sse_proto::{Decoder, Encode, Event, Item, Message};

use crate::check::Sink;

/// Decodes `chunks` through the zero-copy `Feed`, then `finish`: the loop the crate's
/// documentation shows for a reader that wants the events (`Feed::next_event`), as every
/// other parser here gives them.
pub fn decode<S: Sink>(chunks: &[&[u8]], sink: &mut S) {
    let mut decoder = Decoder::new();
    for chunk in chunks {
        let mut feed = decoder.feed(chunk);
        while let Some(e) = feed.next_event() {
            event(&e, sink);
        }
    }
    let mut feed = decoder.finish();
    while let Some(e) = feed.next_event() {
        event(&e, sink);
    }
}

/// Hands one event to `sink`.
#[inline]
fn event<S: Sink>(e: &Event<'_>, sink: &mut S) {
    sink.event(
        e.event_type().as_bytes(),
        e.data().as_bytes(),
        e.last_event_id().as_bytes(),
    );
}

/// Encodes one event into an owned buffer: the broadcast path.
pub fn encode(e: &crate::encoders::Event) -> Vec<u8> {
    Message::new(e.data.as_str())
        .event_type(e.event_type.as_str())
        .id(e.id.as_str())
        .to_vec()
        .expect("valid event")
}

/// A decoder whose limits admit one data line of `len` bytes.
pub fn line_decoder(len: usize) -> Decoder {
    Decoder::with_config(
        sse_proto::DecoderConfig::default()
            .max_line_len(len + 16)
            .max_event_len(len + 16),
    )
}

/// Decodes one line fed in `chunk`-byte pieces with `decoder`; returns its data length.
pub fn decode_one_line(decoder: &mut Decoder, line: &[u8], chunk: usize) -> usize {
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
