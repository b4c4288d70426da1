//! Runs the writer vectors (`spec-vectors/writer/*.json`, format in its README): every
//! accepted vector through every encoding path — slice, `fmt::Write`, `Vec`, `io::Write`,
//! the streaming data writers fed whole, piece by piece and split at every position —
//! and, with `alloc`, decoded back by the crate's `Decoder` in every chunking. Rejected
//! vectors must fail the same way on every path, writing nothing.
//!
//! Runs at every feature level: without `alloc` the core paths (slice, `fmt::Write`,
//! streaming into a `SliceWriter` or a `String`) are still checked.

#[path = "../examples/support/items.rs"]
mod items;
#[path = "../examples/support/json.rs"]
mod json;
#[path = "support/vectors.rs"]
mod support;

use std::collections::HashSet;
use std::fmt::Write as _;

use json::Json;
use sse_proto::{
    encode::{IdError, SliceWriter},
    Comment, Encode, EncodeError, KeepAlive, LastEventId, Message, Retry,
};

/// One block of a vector's `input`.
#[derive(Debug, Clone)]
enum Block {
    Event {
        event_type: Option<String>,
        data: String,
        id: Option<String>,
        retry: Option<u64>,
    },
    Comment(String),
    KeepAlive,
    Retry(u64),
    LastEventId(String),
}

impl Block {
    fn parse(j: &Json) -> Block {
        let text = |key: &str| {
            j.get(key)
                .map(|v| v.as_str().expect("a string").to_string())
        };
        match j.get("kind").and_then(Json::as_str).expect("a kind") {
            "event" => Block::Event {
                event_type: text("type"),
                data: text("data").expect("event data"),
                id: text("id"),
                retry: j.get("retry").map(|v| v.as_u64().expect("retry ms")),
            },
            "comment" => Block::Comment(text("text").expect("comment text")),
            "keep_alive" => Block::KeepAlive,
            "retry" => Block::Retry(j.get("ms").and_then(Json::as_u64).expect("ms")),
            "last_event_id" => Block::LastEventId(text("id").expect("id")),
            other => panic!("unknown block kind {other}"),
        }
    }

    /// The event as the writer's input. Only for [`Block::Event`].
    fn message(&self) -> Message<'_> {
        let Block::Event {
            event_type,
            data,
            id,
            retry,
        } = self
        else {
            panic!("not an event")
        };
        let mut m = Message::new(data.as_str());
        if let Some(t) = event_type {
            m = m.event_type(t.as_str());
        }
        if let Some(id) = id {
            m = m.id(id.as_str());
        }
        if let Some(ms) = retry {
            m = m.retry(*ms);
        }
        m
    }
}

#[derive(Debug)]
enum Outcome {
    Bytes {
        expected: Vec<u8>,
        decoded: Vec<Json>,
    },
    Error(String),
}

#[derive(Debug)]
struct Vector {
    file: String,
    name: String,
    input: Vec<Block>,
    outcome: Outcome,
}

fn load() -> Vec<Vector> {
    let files = support::load_files("writer");
    assert!(!files.is_empty(), "no writer vectors found");
    let mut names = HashSet::new();
    let mut out = Vec::new();
    for (file, doc) in files {
        for v in doc
            .get("vectors")
            .and_then(Json::as_array)
            .expect("vectors")
        {
            let name = v.get("name").and_then(Json::as_str).expect("name");
            assert!(
                names.insert(name.to_string()),
                "{file}: duplicate name {name}"
            );
            let rules = v.get("rules").and_then(Json::as_array).expect("rules");
            assert!(!rules.is_empty(), "{name}: no rules");
            for r in rules {
                let r = r.as_str().expect("rule string");
                let (letter, number) = r.split_at(1);
                assert!(
                    matches!(letter, "P" | "C" | "D" | "S") && number.parse::<u32>().is_ok(),
                    "{name}: bad rule {r}"
                );
            }
            let description = v.get("description").and_then(Json::as_str).unwrap_or("");
            assert!(!description.is_empty(), "{name}: no description");
            let input = match v.get("input").expect("input") {
                Json::Array(blocks) => blocks.iter().map(Block::parse).collect(),
                block => vec![Block::parse(block)],
            };
            let outcome = match (v.get("expected"), v.get("error")) {
                (Some(expected), None) => {
                    let expected = expected.as_str().expect("expected string").as_bytes();
                    if let Some(hex) = v.get("expected_hex") {
                        let hex = json::hex(hex.as_str().expect("hex string")).unwrap();
                        assert_eq!(hex, expected, "{name}: expected_hex disagrees");
                    }
                    let decoded = v
                        .get("decoded")
                        .and_then(Json::as_array)
                        .unwrap_or_else(|| panic!("{name}: no decoded"))
                        .to_vec();
                    Outcome::Bytes {
                        expected: expected.to_vec(),
                        decoded,
                    }
                }
                (None, Some(error)) => {
                    assert_eq!(input.len(), 1, "{name}: an error vector has one block");
                    Outcome::Error(error.as_str().expect("error kind").to_string())
                }
                _ => panic!("{name}: exactly one of expected and error"),
            };
            out.push(Vector {
                file: file.clone(),
                name: name.to_string(),
                input,
                outcome,
            });
        }
    }
    out
}

fn error_kind(e: EncodeError) -> &'static str {
    match e {
        EncodeError::EventType => "event_type_line_break",
        EncodeError::Id(IdError::LineBreak) => "id_line_break",
        EncodeError::Id(IdError::Nul) => "id_nul",
        other => panic!("not a validation error: {other:?}"),
    }
}

type PathResult = (String, Result<Vec<u8>, EncodeError>);

/// Every one-shot way of encoding a block. Also checks `encoded_len` and the
/// buffer-too-small error against the bytes.
fn one_shot<E: Encode>(block: &E) -> Vec<PathResult> {
    let mut paths: Vec<PathResult> = Vec::new();
    let len = block.encoded_len();

    // A slice of exactly the announced length; and one byte shorter, which must fail
    // with the length and leave the buffer untouched.
    paths.push(("encode_to_slice".into(), {
        len.and_then(|len| {
            let mut buf = vec![0xAA; len];
            let n = block.encode_to_slice(&mut buf)?;
            assert_eq!(n, len, "encode_to_slice returns the encoded length");
            if len > 0 {
                let mut short = vec![0xAA; len - 1];
                assert_eq!(
                    block.encode_to_slice(&mut short),
                    Err(EncodeError::BufferTooSmall { required: len })
                );
                assert!(short.iter().all(|&b| b == 0xAA), "nothing written on error");
            }
            let mut big = vec![0xAA; len + 7];
            assert_eq!(block.encode_to_slice(&mut big)?, len);
            assert!(
                big[len..].iter().all(|&b| b == 0xAA),
                "nothing past the end"
            );
            assert_eq!(big[..len], buf[..]);
            Ok(buf)
        })
    }));
    if let Err(e) = len {
        let mut buf = [0xAAu8; 64];
        assert_eq!(block.encode_to_slice(&mut buf), Err(e));
        assert!(buf.iter().all(|&b| b == 0xAA), "nothing written on error");
    }

    paths.push(("encode_to_fmt(String)".into(), {
        let mut s = String::from("prefix:");
        let r = block.encode_to_fmt(&mut s);
        if r.is_err() {
            assert_eq!(s, "prefix:", "nothing written on error");
        }
        r.map(|()| s.as_bytes()["prefix:".len()..].to_vec())
    }));

    paths.push(("encode_to_fmt(SliceWriter)".into(), {
        let mut buf = vec![0u8; len.unwrap_or(0)];
        let mut w = SliceWriter::new(&mut buf);
        let r = block.encode_to_fmt(&mut w);
        if r.is_ok() {
            assert!(!w.overflowed());
            assert_eq!(w.required(), w.len());
        } else {
            assert!(w.is_empty(), "nothing written on error");
        }
        r.map(|()| w.written().to_vec())
    }));

    paths.push(("encode_to_fmt(dyn Write)".into(), {
        let mut s = String::new();
        let dynamic: &mut dyn std::fmt::Write = &mut s;
        block.encode_to_fmt(dynamic).map(|()| s.into_bytes())
    }));

    #[cfg(feature = "alloc")]
    {
        paths.push(("to_vec".into(), block.to_vec()));
        paths.push((
            "to_string".into(),
            block.to_string().map(String::into_bytes),
        ));
        paths.push(("encode_to_vec(append)".into(), {
            let mut v = b"before".to_vec();
            let r = block.encode_to_vec(&mut v);
            assert_eq!(&v[..6], b"before");
            match r {
                Ok(n) => {
                    assert_eq!(n, v.len() - 6, "encode_to_vec returns the length");
                    Ok(v[6..].to_vec())
                }
                Err(e) => {
                    assert_eq!(v, b"before", "nothing appended on error");
                    Err(e)
                }
            }
        }));
    }

    #[cfg(feature = "std")]
    {
        paths.push(("write_to(Vec)".into(), {
            let mut v = Vec::new();
            let r = block.write_to(&mut v).map_err(io_to_encode);
            if r.is_err() {
                assert!(v.is_empty(), "nothing written on error");
            }
            r.map(|()| v)
        }));
        paths.push(("write_to(one byte per write)".into(), {
            let mut w = Trickle(Vec::new());
            block.write_to(&mut w).map_err(io_to_encode).map(|()| w.0)
        }));
    }

    if let Ok(bytes) = &paths[0].1 {
        assert_eq!(len, Ok(bytes.len()), "encoded_len");
    }
    paths
}

/// Every streaming way of writing an event's data: pieces through `fmt::Write` (whole,
/// char by char, split at every char boundary, with the first piece as the message's own
/// data), into a `String` and a `SliceWriter`; with `std`, bytes through `io::Write`
/// (whole, byte by byte, split at every byte) into `IoDataWriter` and `DataWriter`.
fn streaming(block: &Block) -> Vec<PathResult> {
    let Block::Event { data, .. } = block else {
        return Vec::new();
    };
    let header = block.message().data("");
    let mut paths: Vec<PathResult> = Vec::new();
    let fmt_pieces = |label: String, first: &str, pieces: &[&str]| -> PathResult {
        let r = (|| {
            let mut w = header.clone().data(first).data_writer(String::new())?;
            for piece in pieces {
                w.write_str(piece).map_err(|_| EncodeError::Write)?;
            }
            w.finish().map(String::into_bytes)
        })();
        (label, r)
    };

    paths.push(fmt_pieces("DataWriter<String> whole".into(), "", &[data]));
    paths.push(fmt_pieces(
        "DataWriter<String> as message data".into(),
        data,
        &[],
    ));
    let chars: Vec<String> = data.chars().map(String::from).collect();
    let char_refs: Vec<&str> = chars.iter().map(String::as_str).collect();
    paths.push(fmt_pieces(
        "DataWriter<String> char by char".into(),
        "",
        &char_refs,
    ));
    for (at, _) in data.char_indices().skip(1) {
        let (a, b) = data.split_at(at);
        paths.push(fmt_pieces(
            format!("DataWriter<String> split at {at}"),
            "",
            &[a, b],
        ));
        paths.push(fmt_pieces(
            format!("DataWriter<String> first {at} as message data"),
            a,
            &[b],
        ));
    }
    // An empty piece anywhere changes nothing.
    paths.push(fmt_pieces(
        "DataWriter<String> empty pieces".into(),
        "",
        &["", data, ""],
    ));

    paths.push(("DataWriter<SliceWriter> char by char".into(), {
        let mut buf = vec![0u8; 4 * data.len() + 256];
        let mut out = SliceWriter::new(&mut buf);
        let r = (|| {
            let mut w = header.data_writer(&mut out)?;
            for c in data.chars() {
                w.write_char(c).map_err(|_| EncodeError::Write)?;
            }
            w.finish().map(|_| ())
        })();
        r.map(|()| out.written().to_vec())
    }));

    #[cfg(feature = "std")]
    {
        use std::io::Write as _;
        let bytes = data.as_bytes();
        let io_pieces = |label: String, pieces: &[&[u8]]| -> PathResult {
            let r = (|| {
                let mut w = header.io_data_writer(Vec::new()).map_err(io_to_encode)?;
                for piece in pieces {
                    w.write_all(piece).map_err(io_to_encode)?;
                }
                w.finish().map_err(io_to_encode)
            })();
            (label, r)
        };
        paths.push(io_pieces("IoDataWriter whole".into(), &[bytes]));
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        paths.push(io_pieces("IoDataWriter byte by byte".into(), &singles));
        for at in 1..bytes.len() {
            let (a, b) = bytes.split_at(at);
            paths.push(io_pieces(
                format!("IoDataWriter split at byte {at}"),
                &[a, b],
            ));
        }
        paths.push(("DataWriter<String> io::Write byte by byte".into(), {
            (|| {
                let mut w = header.data_writer(String::new())?;
                for b in bytes.chunks(1) {
                    w.write_all(b).map_err(io_to_encode)?;
                }
                w.finish().map(String::into_bytes)
            })()
        }));
        paths.push(("IoDataWriter one byte per sink write".into(), {
            (|| {
                let mut w = header
                    .io_data_writer(Trickle(Vec::new()))
                    .map_err(io_to_encode)?;
                w.write_all(bytes).map_err(io_to_encode)?;
                w.finish().map(|t| t.0).map_err(io_to_encode)
            })()
        }));
    }
    paths
}

/// An `io::Write` that takes one byte per call, to exercise `write_all` loops.
#[cfg(feature = "std")]
struct Trickle(Vec<u8>);

#[cfg(feature = "std")]
impl std::io::Write for Trickle {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match buf.first() {
            Some(&b) => {
                self.0.push(b);
                Ok(1)
            }
            None => Ok(0),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `EncodeError` inside an `io::Error` from the crate.
#[cfg(feature = "std")]
fn io_to_encode(e: std::io::Error) -> EncodeError {
    *e.get_ref()
        .and_then(|inner| inner.downcast_ref::<EncodeError>())
        .unwrap_or_else(|| panic!("an io::Error without an EncodeError: {e}"))
}

fn all_paths(block: &Block) -> Vec<PathResult> {
    let mut paths = match block {
        Block::Event { .. } => one_shot(&block.message()),
        Block::Comment(text) => one_shot(&Comment::new(text)),
        Block::KeepAlive => one_shot(&KeepAlive),
        Block::Retry(ms) => one_shot(&Retry(*ms)),
        Block::LastEventId(id) => one_shot(&LastEventId::new(id)),
    };
    paths.extend(streaming(block));
    paths
}

#[test]
fn writer_vectors() {
    let vectors = load();
    let accepted = vectors
        .iter()
        .filter(|v| matches!(v.outcome, Outcome::Bytes { .. }))
        .count();
    assert!(accepted >= 40, "only {accepted} accepted writer vectors");
    for v in &vectors {
        let ctx = format!("{} ({})", v.name, v.file);
        match &v.outcome {
            Outcome::Bytes { expected, decoded } => {
                // Each path writes every block; the stream is their concatenation.
                let per_block: Vec<Vec<PathResult>> = v.input.iter().map(all_paths).collect();
                let mut one_shot_stream = Vec::new();
                for (block, paths) in v.input.iter().zip(&per_block) {
                    let reference = paths[0]
                        .1
                        .clone()
                        .unwrap_or_else(|e| panic!("{ctx}: {block:?} refused: {e}"));
                    for (path, got) in paths {
                        assert_eq!(
                            got.as_ref()
                                .map(|b| String::from_utf8_lossy(b).into_owned()),
                            Ok(String::from_utf8_lossy(&reference).into_owned()),
                            "{ctx}: path {path} differs for {block:?}"
                        );
                        assert_eq!(got.as_ref().unwrap(), &reference, "{ctx}: {path}");
                    }
                    one_shot_stream.extend_from_slice(&reference);
                }
                assert_eq!(
                    String::from_utf8_lossy(&one_shot_stream),
                    String::from_utf8_lossy(expected),
                    "{ctx}: bytes"
                );
                assert_eq!(&one_shot_stream, expected, "{ctx}: bytes");
                assert_eq!(
                    &semantic(&v.input),
                    decoded,
                    "{ctx}: `decoded` is not what the input means"
                );
                #[cfg(feature = "alloc")]
                decode::check(&ctx, expected, decoded);
            }
            Outcome::Error(kind) => {
                for (path, got) in all_paths(&v.input[0]) {
                    match got {
                        Err(e) => assert_eq!(error_kind(e), kind, "{ctx}: {path}"),
                        Ok(bytes) => panic!(
                            "{ctx}: {path} wrote {:?} instead of failing",
                            String::from_utf8_lossy(&bytes)
                        ),
                    }
                }
                // The streaming writers refuse before writing anything.
                let message = v.input[0].message_or_none();
                if let Some(m) = message {
                    let mut s = String::new();
                    assert!(m.data_writer(&mut s).is_err(), "{ctx}");
                    assert_eq!(s, "", "{ctx}: data_writer wrote before failing");
                    #[cfg(feature = "std")]
                    {
                        let mut sink = Vec::new();
                        let e = m.io_data_writer(&mut sink).unwrap_err();
                        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{ctx}");
                        assert!(
                            sink.is_empty(),
                            "{ctx}: io_data_writer wrote before failing"
                        );
                    }
                }
            }
        }
    }
    eprintln!("{} writer vectors ({accepted} accepted)", vectors.len());
}

impl Block {
    fn message_or_none(&self) -> Option<Message<'_>> {
        matches!(self, Block::Event { .. }).then(|| self.message())
    }
}

/// What a client must see for these blocks: the writer's promise, independent of the
/// bytes. Data comes back with each CR or CRLF line break as LF (P4).
fn semantic(blocks: &[Block]) -> Vec<Json> {
    let obj = |members: Vec<(&str, Json)>| {
        Json::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    };
    let s = |t: &str| Json::String(t.to_string());
    let mut items = Vec::new();
    let mut last_id = String::new();
    for block in blocks {
        match block {
            Block::Event {
                event_type,
                data,
                id,
                retry,
            } => {
                if let Some(ms) = retry {
                    items.push(obj(vec![
                        ("kind", s("retry")),
                        ("ms", Json::Number(ms.to_string())),
                    ]));
                }
                if let Some(id) = id {
                    last_id.clone_from(id);
                }
                let ty = match event_type.as_deref() {
                    None | Some("") => "message",
                    Some(t) => t,
                };
                let data = data.replace("\r\n", "\n").replace('\r', "\n");
                items.push(obj(vec![
                    ("kind", s("event")),
                    ("type", s(ty)),
                    ("data", s(&data)),
                    ("id", s(&last_id)),
                ]));
            }
            Block::Comment(text) => {
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                for line in text.split('\n') {
                    items.push(obj(vec![("kind", s("comment")), ("text", s(line))]));
                }
            }
            Block::KeepAlive => items.push(obj(vec![("kind", s("comment")), ("text", s(""))])),
            Block::Retry(ms) => items.push(obj(vec![
                ("kind", s("retry")),
                ("ms", Json::Number(ms.to_string())),
            ])),
            Block::LastEventId(id) => {
                last_id.clone_from(id);
                items.push(obj(vec![("kind", s("last_event_id")), ("id", s(id))]));
            }
        }
    }
    items
}

#[cfg(feature = "alloc")]
mod decode {
    use super::json::Json;
    use sse_proto::Decoder;

    fn decode(chunks: &[&[u8]]) -> Vec<Json> {
        let (lines, _) = crate::items::decode_lines(Decoder::new(), chunks);
        lines
            .iter()
            .map(|line| Json::parse(line).unwrap())
            .collect()
    }

    /// The bytes decode to `decoded` whole, byte by byte and split at every position.
    pub(super) fn check(ctx: &str, bytes: &[u8], decoded: &[Json]) {
        assert_eq!(decode(&[bytes]), decoded, "{ctx}: decoded whole");
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(decode(&singles), decoded, "{ctx}: decoded byte by byte");
        for at in 1..bytes.len() {
            let (a, b) = bytes.split_at(at);
            assert_eq!(decode(&[a, b]), decoded, "{ctx}: decoded split at {at}");
        }
    }
}

/// Sink errors surface as `EncodeError::Write` (fmt) or the sink's own error (io).
#[test]
fn sink_errors_are_reported() {
    struct Full;
    impl std::fmt::Write for Full {
        fn write_str(&mut self, _: &str) -> std::fmt::Result {
            Err(std::fmt::Error)
        }
    }
    assert_eq!(
        Message::new("x").encode_to_fmt(&mut Full),
        Err(EncodeError::Write)
    );
    assert_eq!(KeepAlive.encode_to_fmt(&mut Full), Err(EncodeError::Write));
    assert!(Message::new("x").data_writer(Full).is_err());

    let mut tiny = [0u8; 10];
    let mut w = SliceWriter::new(&mut tiny);
    let mut data = Message::new("").data_writer(&mut w).unwrap();
    assert!(data.write_str("0123456789").is_err());
    drop(data);
    assert!(w.overflowed());
    assert_eq!(w.written(), b"data: ");
    assert_eq!(w.required(), 16);

    #[cfg(feature = "std")]
    {
        use std::io::{self, Write as _};
        #[derive(Debug)]
        struct Broken;
        impl io::Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::ConnectionReset, "peer gone"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let e = Message::new("x").write_to(&mut Broken).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::ConnectionReset);
        let e = Message::new("x").io_data_writer(Broken).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::ConnectionReset);
        // Through fmt::Write the I/O error becomes fmt::Error, and finish() returns it.
        let mut sink = FailAfter(8, Vec::new());
        let mut w = Message::new("").io_data_writer(&mut sink).unwrap();
        assert!(std::fmt::Write::write_str(&mut w, &"x".repeat(600)).is_err());
        assert_eq!(
            w.finish().unwrap_err().kind(),
            io::ErrorKind::ConnectionReset
        );

        #[derive(Debug)]
        struct FailAfter(usize, Vec<u8>);
        impl io::Write for FailAfter {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                if self.1.len() + buf.len() > self.0 {
                    return Err(io::Error::new(io::ErrorKind::ConnectionReset, "peer gone"));
                }
                self.1.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = Message::new("x").io_data_writer(Vec::new()).unwrap();
        w.flush().unwrap();
    }
}

/// Bytes through `io::Write` must be UTF-8; a character may be split between writes.
#[cfg(feature = "std")]
#[test]
fn io_data_must_be_utf8() {
    use std::io::{ErrorKind, Write};

    let euro = "€".as_bytes(); // E2 82 AC
    let mut w = Message::new("").io_data_writer(Vec::new()).unwrap();
    w.write_all(&euro[..1]).unwrap();
    w.write_all(&euro[1..2]).unwrap();
    w.write_all(&euro[2..]).unwrap();
    assert_eq!(w.finish().unwrap(), "data: €\n\n".as_bytes());

    let mut w = Message::new("").io_data_writer(Vec::new()).unwrap();
    let e = w.write_all(b"ok\xFFno").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidData);
    assert_eq!(io_to_encode(e), EncodeError::InvalidUtf8);
    assert_eq!(
        w.sink(),
        b"data: ok",
        "the valid prefix was written, nothing after"
    );

    let mut w = Message::new("").io_data_writer(Vec::new()).unwrap();
    w.write_all(&euro[..2]).unwrap();
    assert_eq!(
        io_to_encode(w.finish().unwrap_err()),
        EncodeError::InvalidUtf8
    );

    let mut w = Message::new("").io_data_writer(Vec::new()).unwrap();
    w.write_all(&euro[..1]).unwrap();
    assert_eq!(
        w.write_all(b"A").unwrap_err().kind(),
        ErrorKind::InvalidData
    );

    let mut w = Message::new("").data_writer(String::new()).unwrap();
    w.write_all(&euro[..1]).unwrap();
    assert!(
        w.write_str("x").is_err(),
        "a str cannot complete a split character"
    );
    assert_eq!(w.finish().unwrap_err(), EncodeError::InvalidUtf8);
}

/// `encode_to_slice` writes nothing into a buffer too short, whatever the data, including
/// data of only line breaks (each CR or LF becomes `\ndata: `, the largest expansion),
/// at every buffer length around the encoded one.
#[test]
fn encode_to_slice_never_writes_into_a_buffer_too_short() {
    for unit in ["\r", "\n", "\r\n", "a\r", "\u{e9}\n"] {
        // Up to 40, and around where a line break per byte outgrows smaller bounds.
        for count in (0..=40).chain(56..=72).chain([100, 128, 200]) {
            let data = unit.repeat(count);
            let message = Message::new(data.as_str()).event_type("t").id("7");
            let required = message.encoded_len().unwrap();
            for len in required.saturating_sub(3 * required / 4)..=required + 2 {
                let mut buf = vec![0xAA_u8; len];
                match message.encode_to_slice(&mut buf) {
                    Ok(n) => {
                        assert!(len >= required, "{unit:?}×{count} into {len}");
                        assert_eq!(n, required);
                        let mut text = String::new();
                        message.encode_to_fmt(&mut text).unwrap();
                        assert_eq!(&buf[..n], text.as_bytes());
                    }
                    Err(e) => {
                        assert!(len < required, "{unit:?}×{count} into {len}: {e:?}");
                        assert_eq!(e, EncodeError::BufferTooSmall { required });
                        assert!(buf.iter().all(|&b| b == 0xAA), "written: {unit:?}×{count}");
                    }
                }
            }
        }
    }
}
