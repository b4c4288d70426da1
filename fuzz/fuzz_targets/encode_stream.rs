//! `encode_stream`: a payload written in arbitrary pieces through the streaming data
//! writers gives exactly the bytes of encoding the whole payload at once — including a CR
//! that ends one piece with the LF starting the next.
#![no_main]

use std::fmt::Write as _;
use std::io::Write as _;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_proto::{Encode, Message};

#[derive(Arbitrary, Debug)]
struct Input {
    event_type: String,
    id: Option<String>,
    first: String,
    pieces: Vec<String>,
}

fuzz_target!(|input: Input| {
    let mut msg = Message::new(&input.first).event_type(&input.event_type);
    if let Some(id) = &input.id {
        msg = msg.id(id);
    }
    let whole: String = std::iter::once(input.first.as_str()).chain(input.pieces.iter().map(String::as_str)).collect();
    let one_shot = Message::new(&whole).event_type(&input.event_type);
    let one_shot = match &input.id {
        Some(id) => one_shot.id(id).to_string(),
        None => one_shot.to_string(),
    };

    // fmt::Write into a String.
    let streamed = msg.data_writer(String::new()).and_then(|mut w| {
        for piece in &input.pieces {
            w.write_str(piece).map_err(|_| sse_proto::EncodeError::Write)?;
        }
        w.finish()
    });
    match (&one_shot, &streamed) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("one-shot {one_shot:?} vs streamed {streamed:?}"),
    }

    // io::Write into a Vec, each piece's bytes split in two at an arbitrary point.
    if let Ok(expected) = &one_shot {
        let mut w = msg.io_data_writer(Vec::new()).expect("valid message");
        for piece in &input.pieces {
            let cut = piece.len() / 2;
            w.write_all(&piece.as_bytes()[..cut]).unwrap();
            w.write_all(&piece.as_bytes()[cut..]).unwrap();
        }
        assert_eq!(w.finish().unwrap(), expected.as_bytes());
    }
});
