//! Property tests for the decoder: any chunking gives the same items as one-shot decoding,
//! and the decoder agrees with a deliberately simple reference decoder written here.
#![cfg(feature = "alloc")]

#[path = "../../examples/support/items.rs"]
mod items;
#[path = "../../examples/support/json.rs"]
mod json;

use proptest::prelude::*;
use sse_proto::{Decoder, DecoderConfig};

/// The reference: decode the whole stream the way the rules of spec-vectors/RULES.md read, with no cleverness —
/// strip one BOM, UTF-8-decode everything with U+FFFD (P1), split into lines on CRLF, CR,
/// LF (P4), then apply P8–P21 line by line. Returns items in the `sse-cat` JSON form.
fn reference(
    input: &[u8],
    initial_id: &str,
    unknown_fields: bool,
) -> (Vec<String>, String, Option<u64>) {
    let bytes = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\r' => {
                lines.push(std::mem::take(&mut current));
                if chars.get(i + 1) == Some(&'\n') {
                    i += 1;
                }
            }
            '\n' => lines.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
        i += 1;
    }
    let partial = current; // P20: never processed

    let mut out = Vec::new();
    let (mut data, mut has_data) = (String::new(), false);
    let mut event_type = String::new();
    let mut event_seen = false;
    let mut id_buffer = initial_id.to_string();
    let mut last_id = initial_id.to_string();
    let mut block_id = false;
    let mut retry = None;
    for line in lines {
        if line.is_empty() {
            if block_id {
                last_id = id_buffer.clone(); // P17
            }
            if has_data {
                let ty = if event_type.is_empty() {
                    "message"
                } else {
                    &event_type
                };
                out.push(format!(
                    r#"{{"kind":"event","type":{},"data":{},"id":{}}}"#,
                    json::string(ty),
                    json::string(data.strip_suffix('\n').unwrap_or(&data)),
                    json::string(&last_id)
                ));
            } else if block_id {
                out.push(format!(
                    r#"{{"kind":"last_event_id","id":{}}}"#,
                    json::string(&last_id)
                ));
            }
            data.clear();
            has_data = false;
            event_type.clear();
            event_seen = false;
            block_id = false;
            continue;
        }
        let (name, value) = match line.find(':') {
            Some(0) => {
                let text = &line[1..];
                let text = text.strip_prefix(' ').unwrap_or(text);
                out.push(format!(
                    r#"{{"kind":"comment","text":{}}}"#,
                    json::string(text)
                ));
                continue;
            }
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (&line[..], ""),
        };
        match name {
            "event" => {
                event_type = value.to_string();
                event_seen = true;
            }
            "data" => {
                data.push_str(value);
                data.push('\n');
                has_data = true;
            }
            "id" if !value.contains('\0') => {
                id_buffer = value.to_string();
                block_id = true;
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse::<u64>() {
                    retry = Some(ms);
                    out.push(format!(r#"{{"kind":"retry","ms":{ms}}}"#));
                }
            }
            "id" | "retry" => {}
            _ if unknown_fields => out.push(format!(
                r#"{{"kind":"unknown_field","name":{},"value":{}}}"#,
                json::string(name),
                json::string(value)
            )),
            _ => {}
        }
    }
    if !partial.is_empty() || has_data || event_seen || block_id {
        out.push(r#"{"kind":"truncated"}"#.to_string());
    }
    (out, last_id, retry)
}

fn decode(
    config: &DecoderConfig,
    initial_id: &str,
    chunks: &[&[u8]],
) -> (Vec<String>, String, Option<u64>) {
    let mut decoder = Decoder::with_config(*config);
    decoder.set_last_event_id(initial_id).unwrap();
    let (out, decoder) = items::decode_lines(decoder, chunks);
    (out, decoder.last_event_id().to_string(), decoder.retry())
}

/// Streams built from the pieces that matter to the grammar, plus arbitrary bytes.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => Just(b"data".to_vec()),
        2 => Just(b"id".to_vec()),
        2 => Just(b"event".to_vec()),
        2 => Just(b"retry".to_vec()),
        1 => Just(b"Data".to_vec()),
        6 => Just(b":".to_vec()),
        6 => Just(b" ".to_vec()),
        6 => Just(b"\n".to_vec()),
        5 => Just(b"\r".to_vec()),
        3 => Just(b"\r\n".to_vec()),
        3 => Just(b"12".to_vec()),
        1 => Just(b"+".to_vec()),
        1 => Just(b"\0".to_vec()),
        1 => Just(b"\t".to_vec()),
        1 => Just(b"\xEF\xBB\xBF".to_vec()),
        1 => Just(b"\xEF\xBB".to_vec()),
        1 => Just("é😀".as_bytes().to_vec()),
        1 => Just(b"\xE2\x80".to_vec()),
        1 => Just(b"\xFF".to_vec()),
        3 => "[a-z]{1,4}".prop_map(String::into_bytes),
        2 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Cut points for an input of length `len`.
fn split(input: &[u8], mut cuts: Vec<usize>) -> Vec<&[u8]> {
    cuts.iter_mut().for_each(|c| *c %= input.len() + 1);
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts {
        out.push(&input[start..cut]);
        start = cut;
    }
    out.push(&input[start..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn decoder_agrees_with_the_reference(input in stream(), unknown in any::<bool>(), seed_id in "[a-z0-9]{0,3}") {
        let mut config = DecoderConfig::default();
        config = config.unknown_fields(unknown);
        prop_assert_eq!(decode(&config, &seed_id, &[&input]), reference(&input, &seed_id, unknown));
    }

    #[test]
    fn any_chunking_gives_the_same_items(
        input in stream(),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
        max_line in 1usize..40,
        max_event in 1usize..60,
        unknown in any::<bool>(),
    ) {
        // Small limits make drops and resynchronisation part of what must not depend on chunking.
        let mut config = DecoderConfig::default();
        config = config.max_line_len(max_line).max_event_len(max_event).unknown_fields(unknown);
        let whole = decode(&config, "", &[&input]);
        prop_assert_eq!(decode(&config, "", &split(&input, cuts)), whole.clone());
        prop_assert_eq!(decode(&config, "", &input.chunks(1).collect::<Vec<_>>()), whole);
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..300), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let config = DecoderConfig::default();
        let _ = decode(&config, "", &split(&input, cuts));
    }
}
