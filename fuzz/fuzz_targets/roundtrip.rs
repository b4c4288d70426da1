//! `roundtrip`: arbitrary events → encode → decode (in arbitrary chunks) gives the same
//! events; the encoder rejects exactly the invalid inputs (type with CR/LF, id with
//! CR/LF/NUL) and writes nothing for them.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_proto::{Comment, Decoder, Encode, EncodeError, Item, Message, OwnedItem};

#[path = "common.rs"]
mod common;

#[derive(Arbitrary, Debug)]
struct Outgoing {
    event_type: String,
    data: String,
    id: Option<String>,
    retry: Option<u64>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    events: Vec<Outgoing>,
    comment: String,
    chunk_seed: u8,
}

/// How a parser gives data back: every CR, LF or CRLF becomes LF (P4, P13).
fn normalise(data: &str) -> String {
    data.replace("\r\n", "\n").replace('\r', "\n")
}

fuzz_target!(|input: Input| {
    let mut wire = Vec::new();
    let mut expected = Vec::new();
    let mut last_id = String::new();
    for e in &input.events {
        let mut msg = Message::new(&e.data).event_type(&e.event_type);
        if let Some(id) = &e.id {
            msg = msg.id(id);
        }
        if let Some(ms) = e.retry {
            msg = msg.retry(ms);
        }
        let type_ok = !e.event_type.contains(['\r', '\n']);
        let id_ok = e.id.as_deref().is_none_or(|id| !id.contains(['\r', '\n', '\0']));
        let before = wire.len();
        match msg.encode_to_vec(&mut wire) {
            Ok(n) => {
                assert!(type_ok && id_ok, "accepted an invalid event {e:?}");
                assert_eq!(n, wire.len() - before);
                assert_eq!(Ok(n), msg.encoded_len());
                if let Some(ms) = e.retry {
                    expected.push(OwnedItem::Retry(ms));
                }
                if let Some(id) = &e.id {
                    last_id.clone_from(id);
                }
                let ty = if e.event_type.is_empty() { "message" } else { &e.event_type };
                expected.push(OwnedItem::Event(sse_proto::OwnedEvent {
                    event_type: ty.to_string(),
                    data: normalise(&e.data),
                    last_event_id: last_id.as_str().into(),
                    has_id: e.id.is_some(),
                }));
            }
            Err(EncodeError::EventType) => assert!(!type_ok, "rejected a valid type {e:?}"),
            Err(EncodeError::Id(_)) => assert!(type_ok && !id_ok, "rejected a valid id {e:?}"),
            Err(other) => panic!("unexpected {other:?} for {e:?}"),
        }
        assert!(wire.len() == before || msg.validate().is_ok(), "a rejected event wrote bytes");
    }
    // A comment of any text comes back line by line (D8).
    Comment::new(&input.comment).encode_to_vec(&mut wire); // a comment always encodes
    for line in normalise(&input.comment).split('\n') {
        expected.push(OwnedItem::Comment(line.to_string()));
    }

    let mut decoder = Decoder::new();
    let mut got = Vec::new();
    for chunk in common::chunks(&wire, input.chunk_seed) {
        let mut feed = decoder.feed(chunk);
        while let Some(item) = feed.next() {
            if !matches!(item, Item::LastEventId(_)) {
                got.push(item.to_owned());
            }
        }
    }
    decoder.finish().for_each(|item| got.push(item.to_owned()));
    assert_eq!(got, expected, "wire: {:?}", String::from_utf8_lossy(&wire));
});
