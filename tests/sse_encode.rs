//! The `sse-encode` example's logic: JSON lines in the `sse-cat` format → stream →
//! decoded by the crate's `Decoder` → the same JSON lines. So `sse-encode | sse-cat` gives
//! back what went in, ids included, and `sse-cat | sse-encode | sse-cat` is the identity
//! (apart from the `truncated`/`dropped` markers, which describe losses, not content).
#![cfg(feature = "std")]

#[path = "../examples/support/items.rs"]
mod items;
#[path = "../examples/sse-encode.rs"]
#[allow(dead_code)] // its `main`
mod sse_encode;

use sse_encode::json::{self, Json};
use sse_proto::{Decoder, DecoderConfig};

/// What `sse-cat` prints for a stream, fed in chunks of `chunk` bytes.
fn sse_cat(bytes: &[u8], config: DecoderConfig, chunk: usize) -> Vec<Json> {
    let chunks: Vec<&[u8]> = bytes.chunks(chunk.max(1)).collect();
    let (lines, _) = items::decode_lines(Decoder::with_config(config), &chunks);
    lines
        .iter()
        .map(|line| Json::parse(line).unwrap())
        .collect()
}

/// Runs the example's logic: (stdout, stderr, all lines valid).
fn sse_encode(input: &str) -> (Vec<u8>, String, bool) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let ok = sse_encode::run(input.as_bytes(), &mut out, &mut err).unwrap();
    (out, String::from_utf8(err).unwrap(), ok)
}

fn lines(items: &[Json]) -> String {
    items
        .iter()
        .map(|item| to_line(item) + "\n")
        .collect::<String>()
}

/// Writes a JSON value back as one line (objects of strings and integers suffice here).
fn to_line(v: &Json) -> String {
    match v {
        Json::String(s) => json::string(s),
        Json::Number(n) => n.clone(),
        Json::Object(members) => {
            let inner: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}:{}", json::string(k), to_line(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn the_sample_file_round_trips() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/events.jsonl");
    let input = std::fs::read_to_string(path).unwrap();
    let (stream, err, ok) = sse_encode(&input);
    assert!(ok, "{err}");
    assert_eq!(err, "");
    let expected: Vec<Json> = input.lines().map(|l| Json::parse(l).unwrap()).collect();
    for chunk in [1, 2, 7, usize::MAX] {
        assert_eq!(sse_cat(&stream, DecoderConfig::default(), chunk), expected);
    }
}

#[test]
fn ids_are_written_only_when_the_last_event_id_changes() {
    let input = [
        r#"{"kind":"event","type":"message","data":"a","id":""}"#, // nothing set yet: no id line
        r#"{"kind":"event","type":"message","data":"b","id":"5"}"#,
        r#"{"kind":"event","type":"message","data":"c","id":"5"}"#, // sticky: not repeated
        r#"{"kind":"event","type":"message","data":"d","id":""}"#,  // a reset
        r#"{"kind":"event","data":"e"}"#,                           // no id member: no id line
        r#"{"kind":"last_event_id","id":""}"#,                      // always written
        r#"{"kind":"event","type":null,"data":"f","id":null}"#,
    ]
    .join("\n");
    let (stream, err, ok) = sse_encode(&input);
    assert!(ok, "{err}");
    assert_eq!(
        String::from_utf8(stream).unwrap(),
        "data: a\n\nid: 5\ndata: b\n\ndata: c\n\nid:\ndata: d\n\ndata: e\n\nid:\n\ndata: f\n\n"
    );
}

#[test]
fn sse_cat_then_sse_encode_is_the_identity() {
    let streams: &[&[u8]] = &[
        // The spec's examples (S1–S4).
        b"data: YHOO\ndata: +2\ndata: 10\n\n",
        b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
        b"data\n\ndata\ndata\n\ndata:",
        b"data:test\n\ndata: test\n\n",
        // Line endings of every kind, split CRLF, empty lines inside data, trailing LFs.
        b"event: a\r\ndata: 1\r\ndata:\r\ndata:  2 \r\n\r\ndata: x\rdata: y\r\r: c\r\n\n",
        // Ids: set, kept, reset, id-only blocks, NUL ignored, an id in a cut block.
        b"id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 2\n\nid: 3\0\ndata: d\n\nid: 4\n\nid:\n\nid: 9\ndata: lost",
        // Retry anywhere, unknown fields (ignored), BOM, non-ASCII, comments with spaces.
        b"\xEF\xBB\xBFretry: 100\nfoo: bar\ndata: \xC3\xA9\nretry: 7\n\n:  spaced\n:\nevent: \xE2\x80\xA6\ndata\n\n",
        // The type `message` written out, and an empty type.
        b"event: message\ndata: m\n\nevent:\ndata: n\n\n",
    ];
    for (i, stream) in streams.iter().enumerate() {
        let first = sse_cat(stream, DecoderConfig::default(), usize::MAX);
        let (encoded, err, ok) = sse_encode(&lines(&first));
        assert!(ok, "stream {i}: {err}");
        let again = sse_cat(&encoded, DecoderConfig::default(), 3);
        let content: Vec<Json> = first
            .iter()
            .filter(|item| item.get("kind").and_then(Json::as_str) != Some("truncated"))
            .cloned()
            .collect();
        assert_eq!(
            again,
            content,
            "stream {i}: {}",
            String::from_utf8_lossy(&encoded)
        );
        // And sse-encode's own output is a fixed point.
        let (encoded_again, _, _) = sse_encode(&lines(&again));
        assert_eq!(encoded_again, encoded, "stream {i}");
    }
}

#[test]
fn dropped_and_truncated_are_skipped_with_a_note() {
    let mut config = DecoderConfig::default();
    config = config.max_line_len(8);
    let first = sse_cat(
        b"data: far too long\n\ndata: ok\n\ndata: c",
        config,
        usize::MAX,
    );
    let kinds: Vec<&str> = first
        .iter()
        .map(|i| i.get("kind").and_then(Json::as_str).unwrap())
        .collect();
    assert_eq!(kinds, ["dropped", "event", "truncated"]);
    let (encoded, err, ok) = sse_encode(&lines(&first));
    assert!(ok, "skipping is not an error");
    assert!(err.contains("line 1: dropped: skipped"), "{err}");
    assert!(err.contains("line 3: truncated: skipped"), "{err}");
    assert_eq!(encoded, b"data: ok\n\n");
}

#[test]
fn invalid_lines_are_reported_with_their_number() {
    let input = [
        r#"{"kind":"event","data":"before"}"#,
        r#"{"kind":"event","data":"x","type":"a\nb"}"#,
        "not json",
        r#"{"kind":"unknown_field","name":"foo","value":"x"}"#,
        r#"{"kind":"event","data":"x","id":"1\u0000"}"#,
        r#"{"kind":"event","data":"x","id":"1\r2"}"#,
        r#"{"kind":"event","data":"x","tyep":"t"}"#,
        r#"{"kind":"event"}"#,
        r#"{"kind":"retry","ms":-1}"#,
        r#"{"kind":"comment","text":5}"#,
        r#"{"kind":"other"}"#,
        r#"["kind"]"#,
        "",
        r#"{"kind":"event","data":"after"}"#,
    ]
    .join("\n");
    let (encoded, err, ok) = sse_encode(&input);
    assert!(!ok);
    assert_eq!(
        encoded, b"data: before\n\ndata: after\n\n",
        "only valid lines are written"
    );
    for n in 2..=12 {
        assert!(
            err.contains(&format!("line {n}: ")),
            "line {n} not reported:\n{err}"
        );
    }
    assert!(!err.contains("line 1:") && !err.contains("line 13:") && !err.contains("line 14:"));
    assert!(err.contains("event type contains a line break"), "{err}");
    assert!(err.contains("U+0000"), "{err}");
}
