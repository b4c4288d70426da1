//! Property tests of the writer against the crate's own decoder (SPEC P22):
//!
//! * whatever the encoder accepts decodes — in any chunking — to exactly that event
//!   (type, with `message` for empty or absent; data, with CR and CRLF line breaks as LF;
//!   id; retry as `Item::Retry`), and a stream of blocks to exactly those items;
//! * the encoder rejects exactly the types with CR or LF and the ids with CR, LF or NUL;
//! * the bytes equal a naive reference writer, and `encoded_len` is their length;
//! * the streaming writers give the one-shot bytes for any split of the data, as `str`
//!   pieces or (with `std`) as bytes cut anywhere, even inside a character or a CRLF.
#![cfg(feature = "alloc")]

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::sample::Index;
use sse_proto::{
    encode::IdError, Comment, Decoder, Encode, EncodeError, Item, KeepAlive, LastEventId, Message,
    Retry,
};

/// Characters that matter to the format, often; anything else, sometimes.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(vec!['a', 'b', 'z', '0', ' ', ':', '\t']),
        3 => prop::sample::select(vec!['\r', '\n']),
        1 => prop::sample::select(vec!['\0', '\u{FEFF}', 'é', '€', '😀', '\u{2028}', '\u{85}']),
        1 => any::<char>(),
    ]
}

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), 0..max).prop_map(String::from_iter)
}

/// A type or id: mostly valid, sometimes not.
fn maybe_invalid(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(vec!['a', 'm', ' ', ':', '\t', 'é']),
                1 => any::<char>().prop_filter("no CR, LF or NUL", |c| !matches!(c, '\r' | '\n' | '\0')),
            ],
            0..max
        )
        .prop_map(String::from_iter),
        1 => text(max),
        1 => Just("message".to_string()),
    ]
}

#[derive(Debug, Clone)]
struct Ev {
    event_type: Option<String>,
    data: String,
    id: Option<String>,
    retry: Option<u64>,
}

impl Ev {
    fn message(&self) -> Message<'_> {
        let mut m = Message::new(&self.data);
        if let Some(t) = &self.event_type {
            m = m.event_type(t);
        }
        if let Some(id) = &self.id {
            m = m.id(id);
        }
        if let Some(ms) = self.retry {
            m = m.retry(ms);
        }
        m
    }

    /// The error the writer must give, if any: the type first, then the id's first
    /// offending character.
    fn expected_error(&self) -> Option<EncodeError> {
        if self
            .event_type
            .as_deref()
            .is_some_and(|t| t.contains(['\r', '\n']))
        {
            return Some(EncodeError::EventType);
        }
        let id = self.id.as_deref()?;
        id.chars().find_map(|c| match c {
            '\r' | '\n' => Some(EncodeError::Id(IdError::LineBreak)),
            '\0' => Some(EncodeError::Id(IdError::Nul)),
            _ => None,
        })
    }
}

fn event() -> impl Strategy<Value = Ev> {
    (
        prop::option::of(maybe_invalid(8)),
        text(24),
        prop::option::of(maybe_invalid(8)),
        prop::option::of(prop_oneof![0..10_000u64, Just(u64::MAX), any::<u64>()]),
    )
        .prop_map(|(event_type, data, id, retry)| Ev {
            event_type,
            data,
            id,
            retry,
        })
}

/// Events with longer values: types and ids past 16 bytes (checked word by word, not byte
/// by byte) and data past several 32-byte blocks of the line-end search.
fn long_event() -> impl Strategy<Value = Ev> {
    (
        prop::option::of(maybe_invalid(40)),
        prop_oneof![text(300), "[a-z \\n]{0,300}"],
        prop::option::of(maybe_invalid(40)),
        prop::option::of(any::<u64>()),
    )
        .prop_map(|(event_type, data, id, retry)| Ev {
            event_type,
            data,
            id,
            retry,
        })
}

fn valid_event() -> impl Strategy<Value = Ev> {
    event().prop_filter("valid", |e| e.expected_error().is_none())
}

/// Any block the writer can write.
#[derive(Debug, Clone)]
enum Block {
    Event(Ev),
    Comment(String),
    KeepAlive,
    Retry(u64),
    LastEventId(String),
}

fn valid_block() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => valid_event().prop_map(Block::Event),
        1 => text(12).prop_map(Block::Comment),
        1 => Just(Block::KeepAlive),
        1 => any::<u64>().prop_map(Block::Retry),
        1 => maybe_invalid(6)
            .prop_filter("valid id", |id| !id.contains(['\r', '\n', '\0']))
            .prop_map(Block::LastEventId),
    ]
}

impl Block {
    fn to_vec(&self) -> Vec<u8> {
        let r = match self {
            Block::Event(e) => e.message().to_vec(),
            Block::Comment(t) => Ok(Comment::new(t).to_vec()),
            Block::KeepAlive => Ok(KeepAlive.to_vec()),
            Block::Retry(ms) => Ok(Retry(*ms).to_vec()),
            Block::LastEventId(id) => LastEventId::new(id).to_vec(),
        };
        r.expect("a valid block encodes")
    }
}

/// Items as comparable strings.
fn describe(item: &Item<'_>) -> String {
    match item {
        Item::Event(e) => format!(
            "event {:?} {:?} id={:?}",
            e.event_type(),
            e.data(),
            e.last_event_id()
        ),
        Item::Retry(ms) => format!("retry {ms}"),
        Item::Comment(t) => format!("comment {t:?}"),
        Item::LastEventId(id) => format!("last_event_id {id:?}"),
        other => format!("{other:?}"),
    }
}

fn normalize(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// What a client must see for these blocks, from a fresh stream.
fn expected_items(blocks: &[Block]) -> Vec<String> {
    let mut items = Vec::new();
    let mut last_id = String::new();
    for block in blocks {
        match block {
            Block::Event(e) => {
                if let Some(ms) = e.retry {
                    items.push(format!("retry {ms}"));
                }
                if let Some(id) = &e.id {
                    last_id.clone_from(id);
                }
                let ty = match e.event_type.as_deref() {
                    None | Some("") => "message",
                    Some(t) => t,
                };
                items.push(format!(
                    "event {:?} {:?} id={:?}",
                    ty,
                    normalize(&e.data),
                    last_id
                ));
            }
            Block::Comment(t) => {
                for line in normalize(t).split('\n') {
                    items.push(format!("comment {line:?}"));
                }
            }
            Block::KeepAlive => items.push(format!("comment {:?}", "")),
            Block::Retry(ms) => items.push(format!("retry {ms}")),
            Block::LastEventId(id) => {
                last_id.clone_from(id);
                items.push(format!("last_event_id {id:?}"));
            }
        }
    }
    items
}

/// Decodes `bytes` cut at `cuts` (indices into it, any order), then ends the stream.
fn decode(bytes: &[u8], cuts: &[Index]) -> Vec<String> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    let mut decoder = Decoder::new();
    let mut items = Vec::new();
    for w in at.windows(2) {
        let mut feed = decoder.feed(&bytes[w[0]..w[1]]);
        while let Some(item) = feed.next() {
            items.push(describe(&item));
        }
    }
    let mut end = decoder.finish();
    while let Some(item) = end.next() {
        items.push(describe(&item));
    }
    items
}

/// The obviously-correct writer: split with the standard library, format each line.
fn reference(e: &Ev) -> String {
    let field = |name: &str, v: &str| {
        if v.is_empty() {
            format!("{name}:\n")
        } else {
            format!("{name}: {v}\n")
        }
    };
    let mut out = String::new();
    if let Some(t) = e
        .event_type
        .as_deref()
        .filter(|t| !t.is_empty() && *t != "message")
    {
        out += &field("event", t);
    }
    if let Some(id) = &e.id {
        out += &field("id", id);
    }
    if let Some(ms) = e.retry {
        out += &format!("retry: {ms}\n");
    }
    for line in normalize(&e.data).split('\n') {
        out += &field("data", line);
    }
    out + "\n"
}

/// Cuts `s` at the given positions, moved back to char boundaries.
fn str_pieces<'s>(s: &'s str, cuts: &[Index]) -> Vec<&'s str> {
    let mut at: Vec<usize> = cuts
        .iter()
        .map(|i| {
            let mut p = i.index(s.len() + 1);
            while !s.is_char_boundary(p) {
                p -= 1;
            }
            p
        })
        .collect();
    at.push(0);
    at.push(s.len());
    at.sort_unstable();
    at.windows(2).map(|w| &s[w[0]..w[1]]).collect()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Whatever is accepted decodes back, however the bytes are chunked.
    #[test]
    fn accepted_events_decode_back(e in valid_event(), cuts in prop::collection::vec(any::<Index>(), 0..6)) {
        let bytes = e.message().to_vec().unwrap();
        prop_assert_eq!(decode(&bytes, &cuts), expected_items(&[Block::Event(e.clone())]));
    }

    /// The encoder accepts and rejects exactly per P22, and never writes a rejected event.
    #[test]
    fn rejects_exactly_the_invalid(e in event()) {
        let m = e.message();
        match e.expected_error() {
            None => {
                prop_assert_eq!(m.validate(), Ok(()));
                let bytes = m.to_vec().unwrap();
                prop_assert_eq!(String::from_utf8(bytes).unwrap(), reference(&e));
            }
            Some(err) => {
                prop_assert_eq!(m.validate(), Err(err));
                prop_assert_eq!(m.encoded_len(), Err(err));
                let mut s = String::new();
                prop_assert_eq!(m.encode_to_fmt(&mut s), Err(err));
                prop_assert_eq!(s, "");
                let mut buf = [0u8; 256];
                prop_assert_eq!(m.encode_to_slice(&mut buf), Err(err));
                prop_assert!(m.data_writer(String::new()).is_err());
            }
        }
    }

    /// The bytes equal the reference writer's, and `encoded_len` and the slice agree.
    #[test]
    fn bytes_match_the_reference(e in valid_event()) {
        let m = e.message();
        let expected = reference(&e);
        prop_assert_eq!(m.to_string().unwrap(), expected.clone());
        prop_assert_eq!(m.encoded_len(), Ok(expected.len()));
        let mut buf = vec![0u8; expected.len()];
        prop_assert_eq!(m.encode_to_slice(&mut buf), Ok(expected.len()));
        prop_assert_eq!(buf, expected.as_bytes());
        if !expected.is_empty() {
            let mut short = vec![0u8; expected.len() - 1];
            prop_assert_eq!(
                m.encode_to_slice(&mut short),
                Err(EncodeError::BufferTooSmall { required: expected.len() })
            );
        }
    }

    /// Every one-shot path writes the same bytes (the `Vec` path reserves and writes on its
    /// own, so it is checked against the `fmt` path), or fails with the same error having
    /// written nothing.
    #[test]
    fn every_path_writes_the_same_bytes(e in prop_oneof![event(), long_event()]) {
        let m = e.message();
        let mut via_fmt = String::new();
        let result = m.encode_to_fmt(&mut via_fmt);
        prop_assert_eq!(result, e.expected_error().map_or(Ok(()), Err));
        if result.is_ok() {
            prop_assert_eq!(via_fmt.clone(), reference(&e));
        }
        let expected = result.map(|()| via_fmt.clone().into_bytes());

        prop_assert_eq!(m.to_vec(), expected.clone());
        prop_assert_eq!(m.to_string().map(String::into_bytes), expected.clone());
        let mut appended = b"earlier".to_vec();
        let appended_len = m.encode_to_vec(&mut appended);
        prop_assert_eq!(appended_len, expected.as_ref().map(Vec::len).map_err(|e| *e));
        let tail = appended.split_off(7);
        prop_assert_eq!(&appended, b"earlier");
        prop_assert_eq!(Ok(tail), expected.clone().or_else(|_| Ok::<_, EncodeError>(Vec::new())));
        let mut buf = vec![0u8; via_fmt.len() + 64];
        let in_slice = m.encode_to_slice(&mut buf).map(|n| buf[..n].to_vec());
        prop_assert_eq!(in_slice, expected.clone());
        if let Ok(bytes) = &expected {
            let mut streamed = e.message().data("").data_writer(String::new()).unwrap();
            streamed.write_str(&e.data).unwrap();
            prop_assert_eq!(streamed.finish().unwrap().into_bytes(), bytes.clone());
        }
        #[cfg(feature = "std")]
        {
            let mut socket = Vec::new();
            let written = m.write_to(&mut socket);
            prop_assert_eq!(written.is_ok(), expected.is_ok());
            prop_assert_eq!(socket, expected.clone().unwrap_or_default());
        }
    }

    /// A buffer sized to `encoded_len` takes the event without growing: `encode_to_vec`
    /// reserves only when the room is short of the least the event needs (a server that
    /// sizes its buffer exactly, as `sse-proto-tokio`'s `Encoded` does, keeps one
    /// allocation per event).
    #[test]
    fn a_buffer_of_the_encoded_length_is_not_grown(e in prop_oneof![event(), long_event()]) {
        let m = e.message();
        if let Ok(len) = m.encoded_len() {
            let mut out = Vec::with_capacity(len);
            let capacity = out.capacity();
            prop_assert_eq!(m.encode_to_vec(&mut out), Ok(len));
            prop_assert_eq!(out.len(), len);
            prop_assert_eq!(out.capacity(), capacity, "grown past the exact length");
        }
    }

    /// Any sequence of blocks is a valid stream that decodes to all of them, in order.
    #[test]
    fn streams_of_blocks_decode_back(
        blocks in prop::collection::vec(valid_block(), 0..6),
        cuts in prop::collection::vec(any::<Index>(), 0..8),
    ) {
        let bytes: Vec<u8> = blocks.iter().flat_map(|b| b.to_vec()).collect();
        prop_assert_eq!(decode(&bytes, &cuts), expected_items(&blocks));
    }

    /// Streaming the data in pieces gives the one-shot bytes, whatever the cuts.
    #[test]
    fn streaming_equals_one_shot(
        e in valid_event(),
        cuts in prop::collection::vec(any::<Index>(), 0..8),
        prefix_piece in any::<bool>(),
    ) {
        let one_shot = e.message().to_string().unwrap();
        let pieces = str_pieces(&e.data, &cuts);
        let (first, rest) = match pieces.split_first() {
            Some((first, rest)) if prefix_piece => (*first, rest),
            _ => ("", &pieces[..]),
        };
        let mut w = e.message().data(first).data_writer(String::new()).unwrap();
        for piece in rest {
            w.write_str(piece).unwrap();
        }
        prop_assert_eq!(w.finish().unwrap(), one_shot.clone());

        // Comments split the same way.
        let comment = Comment::new(&e.data).to_string().unwrap();
        let lines: String = normalize(&e.data)
            .split('\n')
            .map(|l| if l.is_empty() { ":\n".to_string() } else { format!(": {l}\n") })
            .collect();
        prop_assert_eq!(comment, lines + "\n");
    }

    /// Bytes through `io::Write`, cut anywhere (inside a character, between CR and LF).
    #[cfg(feature = "std")]
    #[test]
    fn io_streaming_equals_one_shot(e in valid_event(), cuts in prop::collection::vec(any::<Index>(), 0..8)) {
        use std::io::Write as _;
        let one_shot = e.message().to_vec().unwrap();
        let bytes = e.data.as_bytes();
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        at.push(0);
        at.push(bytes.len());
        at.sort_unstable();

        let mut w = e.message().data("").io_data_writer(Vec::new()).unwrap();
        for win in at.windows(2) {
            w.write_all(&bytes[win[0]..win[1]]).unwrap();
        }
        prop_assert_eq!(w.finish().unwrap(), one_shot.clone());

        let mut w = e.message().data("").data_writer(String::new()).unwrap();
        for win in at.windows(2) {
            w.write_all(&bytes[win[0]..win[1]]).unwrap();
        }
        prop_assert_eq!(w.finish().unwrap().into_bytes(), one_shot.clone());

        let mut socket = Vec::new();
        e.message().write_to(&mut socket).unwrap();
        prop_assert_eq!(socket, one_shot);
    }

    /// A decoded event re-encoded (a proxy) decodes to the same event.
    #[test]
    fn decoded_events_re_encode_to_themselves(blocks in prop::collection::vec(valid_block(), 0..5)) {
        let bytes: Vec<u8> = blocks.iter().flat_map(|b| b.to_vec()).collect();
        let mut decoder = Decoder::new();
        let mut re_encoded = Vec::new();
        let mut feed = decoder.feed(&bytes);
        while let Some(item) = feed.next() {
            match item {
                Item::Event(ev) => { Message::from(ev).encode_to_vec(&mut re_encoded).unwrap(); }
                Item::Retry(ms) => { Retry(ms).encode_to_vec(&mut re_encoded); }
                Item::Comment(t) => { Comment::new(t).encode_to_vec(&mut re_encoded); }
                Item::LastEventId(id) => { LastEventId::new(id).encode_to_vec(&mut re_encoded).unwrap(); }
                other => prop_assert!(false, "unexpected {:?}", other),
            }
        }
        drop(feed);
        prop_assert_eq!(decode(&re_encoded, &[]), decode(&bytes, &[]));
    }
}
