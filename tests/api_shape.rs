//! The API shapes a new user writes first: each must compile as written and
//! behave as the docs say.
#![cfg(feature = "std")]

use sse_proto::{Decoder, DecoderConfig, Encode, Message, OwnedItem};

#[test]
fn a_decoder_config_is_one_expression_passed_by_value() {
    let decoder = Decoder::with_config(DecoderConfig::default().max_line_len(8).max_event_len(64));
    assert_eq!(decoder.config().max_line_len, 8);
    assert_eq!(decoder.config().max_event_len, 64);
    assert!(!decoder.config().unknown_fields);
}

#[test]
fn blocks_that_cannot_fail_return_bytes() {
    let bytes: Vec<u8> = sse_proto::Retry(100).to_vec();
    assert_eq!(bytes, b"retry: 100\n\n");
    let keep_alive: Vec<u8> = sse_proto::KeepAlive.to_vec();
    assert_eq!(keep_alive, sse_proto::KeepAlive::BYTES);
    let comment: Vec<u8> = sse_proto::Comment::new("a\nb").to_vec();
    assert_eq!(comment, b": a\n: b\n\n");
}

#[test]
fn an_owned_message_moves_to_another_thread_and_encodes_there() {
    let n = 42;
    let message = Message::new(format!("{{\"n\":{n}}}"))
        .event_type("tick")
        .id(n.to_string());
    let borrowed_form = Message::new("{\"n\":42}")
        .event_type("tick")
        .id("42")
        .to_vec();
    let encoded = std::thread::spawn(move || message.to_vec())
        .join()
        .expect("the encoding thread ran");
    assert_eq!(encoded, borrowed_form);
    assert_eq!(
        encoded.expect("a valid message"),
        b"event: tick\nid: 42\ndata: {\"n\":42}\n\n"
    );
}

#[test]
fn a_for_loop_over_the_owned_items_of_one_chunk() {
    let mut decoder = Decoder::new();
    let mut items = Vec::new();
    for item in decoder.feed(b": hi\nid: 1\ndata: a\n\nretry: 5\n").owned() {
        items.push(item);
    }
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0], OwnedItem::Comment("hi".into()));
    assert!(matches!(&items[1], OwnedItem::Event(e) if e.data == "a" && &*e.last_event_id == "1"));
    assert_eq!(items[2], OwnedItem::Retry(5));
}

#[test]
fn an_owned_feed_dropped_early_loses_nothing() {
    let mut decoder = Decoder::new();
    let first: Vec<OwnedItem> = decoder
        .feed(b"data: a\n\ndata: b\n\n")
        .owned()
        .take(1)
        .collect();
    assert_eq!(first.len(), 1);
    let rest: Vec<OwnedItem> = decoder.feed(b"").owned().collect();
    assert!(
        matches!(&rest[..], [OwnedItem::Event(e)] if e.data == "b"),
        "{rest:?}"
    );
}

/// The common traits a user reaches for (C-COMMON-TRAITS, C-SEND-SYNC): values can be
/// hashed and compared, moved to and shared with other threads.
#[test]
fn public_types_have_the_common_traits() {
    use core::hash::Hash;
    fn value<T: Clone + core::fmt::Debug + PartialEq + Eq + Hash + Send + Sync + Unpin>() {}
    fn state<T: core::fmt::Debug + Send + Sync + Unpin>() {}
    value::<sse_proto::Event<'static>>();
    value::<sse_proto::Item<'static>>();
    value::<sse_proto::OwnedEvent>();
    value::<sse_proto::OwnedItem>();
    value::<sse_proto::DecoderConfig>();
    value::<sse_proto::line::Line<'static>>();
    value::<sse_proto::line::Status<usize>>();
    value::<sse_proto::Message<'static>>();
    value::<sse_proto::EncodeError>();
    value::<sse_proto::ClientConfig>();
    value::<sse_proto::client::Output>();
    value::<sse_proto::client::Instant>();
    value::<sse_proto::client::ConnectLimits>();
    value::<sse_proto::client::TransportError>();
    state::<sse_proto::Decoder>();
    state::<sse_proto::Client>();
    state::<sse_proto::line::Tokenizer>();
    state::<sse_proto::client::DriverHandle>();
}
