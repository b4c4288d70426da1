//! Runs every parser vector in `spec-vectors/parser/` through the decoder and through the
//! allocation-free tokenizer: whole, one byte at a time, at every two-way split, and with
//! feeds dropped before they are drained; and through `Feed::next_event`, which must give
//! the same events and final state. Any difference fails.
#![cfg(feature = "alloc")]

#[path = "../examples/support/items.rs"]
mod items;
#[path = "../examples/support/json.rs"]
mod json;
#[path = "support/vectors.rs"]
mod vectors;

use std::collections::BTreeSet;

use sse_proto::{
    line::{parse_retry, FieldName, Line, Status, Tokenizer},
    Decoder, DecoderConfig, Feed, Item,
};
use vectors::{load_parser_vectors, ParserVector};

/// What a run produced: items in canonical JSON, then the final state.
#[derive(Debug, PartialEq)]
struct Outcome {
    items: Vec<String>,
    last_event_id: String,
    retry: Option<u64>,
}

fn expected(v: &ParserVector) -> Outcome {
    Outcome {
        items: v.expected.clone(),
        last_event_id: v.final_last_event_id.clone(),
        retry: v.final_retry,
    }
}

fn decoder_for(v: &ParserVector) -> Decoder {
    let mut config = DecoderConfig::default();
    if let Some(n) = v.max_line_len {
        config = config.max_line_len(n);
    }
    if let Some(n) = v.max_event_len {
        config = config.max_event_len(n);
    }
    if let Some(n) = v.max_id_len {
        config = config.max_id_len(n);
    }
    config = config.unknown_fields(v.unknown_fields);
    let mut decoder = Decoder::with_config(config);
    if let Some(id) = &v.initial_last_event_id {
        decoder.set_last_event_id(id).expect("valid initial id");
    }
    decoder
}

/// How a run takes a feed's items: all of them (`Feed::next`), or the events only
/// (`Feed::next_event`).
#[derive(Clone, Copy)]
enum Take {
    Items,
    Events,
}

/// The next item of `feed`, as `take` says.
fn take<'f>(feed: &'f mut Feed<'_, '_>, take: Take) -> Option<Item<'f>> {
    match take {
        Take::Items => feed.next(),
        Take::Events => feed.next_event().map(Item::Event),
    }
}

/// How a run leaves each feed.
#[derive(Clone, Copy, PartialEq)]
enum Leave {
    /// Drained: every item taken.
    Drained,
    /// Dropped after at most one item: the rest of the chunk must stay in the decoder and
    /// come out later, in order.
    DroppedEarly,
    /// Paused after each item (`Feed::pause`): the rest of the chunk is fed again, by a
    /// new feed, until a feed gives nothing.
    Paused,
}

/// Decodes `chunks`, leaving each feed as `leave` says.
fn run_decoder(v: &ParserVector, chunks: &[&[u8]], leave: Leave, how: Take) -> Outcome {
    let mut decoder = decoder_for(v);
    let mut items = Vec::new();
    for chunk in chunks {
        if leave == Leave::Paused {
            let mut rest: &[u8] = chunk;
            // Bounded: every round but the last takes an item.
            for _ in 0..=v.input.len() + v.expected.len() {
                let mut feed = decoder.feed(rest);
                let Some(item) = take(&mut feed, how) else {
                    break;
                };
                items.push(items::item_json(&item));
                let taken = feed.pause();
                rest = &rest[taken..];
            }
            continue;
        }
        let mut feed = decoder.feed(chunk);
        while let Some(item) = take(&mut feed, how) {
            items.push(items::item_json(&item));
            if leave == Leave::DroppedEarly {
                break;
            }
        }
    }
    // Drain any backlog with empty feeds (bounded: at least one item per round).
    for _ in 0..=v.input.len() + v.expected.len() {
        let mut feed = decoder.feed(&[]);
        let Some(item) = take(&mut feed, how) else {
            break;
        };
        items.push(items::item_json(&item));
    }
    let mut end = decoder.finish();
    while let Some(item) = take(&mut end, how) {
        items.push(items::item_json(&item));
    }
    drop(end);
    Outcome {
        items,
        last_event_id: decoder.last_event_id().to_string(),
        retry: decoder.retry(),
    }
}

/// The vector's outcome with its items cut down to the events.
fn expected_events(v: &ParserVector) -> Outcome {
    let mut want = expected(v);
    want.items
        .retain(|item| item.starts_with(r#"{"kind":"event""#));
    want
}

/// A minimal event assembler on the no-alloc `Tokenizer`, with the caller keeping the
/// tail as the tokenizer's contract says. Vectors with limits are not run this way.
fn run_tokenizer(v: &ParserVector, chunks: &[&[u8]]) -> Outcome {
    let mut tok = Tokenizer::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut st = Assembler::new(v);
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        let mut start = 0;
        while let Status::Complete((used, line)) = tok.next_line(&buf[start..]) {
            st.line(line);
            start += used;
        }
        buf.drain(..start);
    }
    if tok.finish(&buf) || st.open_block() {
        st.items.push(r#"{"kind":"truncated"}"#.to_string());
    }
    Outcome {
        items: st.items,
        last_event_id: st.last_event_id,
        retry: st.retry,
    }
}

struct Assembler {
    unknown_fields: bool,
    data: Option<String>,
    event_type: String,
    has_event_type: bool,
    id_buffer: String,
    has_id: bool,
    last_event_id: String,
    retry: Option<u64>,
    items: Vec<String>,
}

impl Assembler {
    fn new(v: &ParserVector) -> Self {
        let id = v.initial_last_event_id.clone().unwrap_or_default();
        Assembler {
            unknown_fields: v.unknown_fields,
            data: None,
            event_type: String::new(),
            has_event_type: false,
            id_buffer: id.clone(),
            has_id: false,
            last_event_id: id,
            retry: None,
            items: Vec::new(),
        }
    }

    fn open_block(&self) -> bool {
        self.data.is_some() || self.has_event_type || self.has_id
    }

    fn line(&mut self, line: Line<'_>) {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        match line {
            Line::Blank => {
                if self.has_id {
                    self.last_event_id = self.id_buffer.clone();
                }
                if let Some(data) = self.data.take() {
                    let ty = if self.event_type.is_empty() {
                        "message".to_string()
                    } else {
                        self.event_type.clone()
                    };
                    self.items.push(format!(
                        r#"{{"kind":"event","type":{},"data":{},"id":{}}}"#,
                        json::string(&ty),
                        json::string(&data),
                        json::string(&self.last_event_id)
                    ));
                } else if self.has_id {
                    self.items.push(format!(
                        r#"{{"kind":"last_event_id","id":{}}}"#,
                        json::string(&self.last_event_id)
                    ));
                }
                self.event_type.clear();
                self.has_event_type = false;
                self.has_id = false;
            }
            Line::Comment(c) => self.items.push(format!(
                r#"{{"kind":"comment","text":{}}}"#,
                json::string(&text(c))
            )),
            Line::Field { name, value } => match FieldName::from_bytes(name) {
                FieldName::Data => match &mut self.data {
                    Some(d) => {
                        d.push('\n');
                        d.push_str(&text(value));
                    }
                    None => self.data = Some(text(value)),
                },
                FieldName::Event => {
                    self.event_type = text(value);
                    self.has_event_type = true;
                }
                FieldName::Id if !value.contains(&0) => {
                    self.id_buffer = text(value);
                    self.has_id = true;
                }
                FieldName::Id => {}
                FieldName::Retry => {
                    if let Some(ms) = parse_retry(value) {
                        self.retry = Some(ms);
                        self.items.push(format!(r#"{{"kind":"retry","ms":{ms}}}"#));
                    }
                }
                FieldName::Unknown if self.unknown_fields => self.items.push(format!(
                    r#"{{"kind":"unknown_field","name":{},"value":{}}}"#,
                    json::string(&text(name)),
                    json::string(&text(value))
                )),
                FieldName::Unknown => {}
            },
        }
    }
}

/// The chunkings every vector runs under: whole, byte by byte, every two-way split.
fn chunkings(input: &[u8]) -> Vec<(String, Vec<&[u8]>)> {
    let mut out = vec![
        ("whole".to_string(), vec![input]),
        ("byte-by-byte".to_string(), input.chunks(1).collect()),
    ];
    for split in 0..=input.len() {
        let (a, b) = input.split_at(split);
        out.push((format!("split at {split}"), vec![a, b]));
    }
    out
}

#[test]
fn parser_vectors_pass_under_every_chunking() {
    let vectors = load_parser_vectors();
    assert!(
        vectors.len() >= 100,
        "expected at least 100 parser vectors, found {}",
        vectors.len()
    );
    let mut names = BTreeSet::new();
    let mut failures = Vec::new();
    let mut runs = 0usize;
    for v in &vectors {
        assert!(
            names.insert(v.name.clone()),
            "duplicate vector name {}",
            v.name
        );
        let want = expected(v);
        for (how, chunks) in chunkings(&v.input) {
            let mut paths: Vec<(&str, Outcome)> = vec![
                (
                    "decoder",
                    run_decoder(v, &chunks, Leave::Drained, Take::Items),
                ),
                (
                    "decoder, feeds dropped early",
                    run_decoder(v, &chunks, Leave::DroppedEarly, Take::Items),
                ),
                (
                    "decoder, feeds paused after each item",
                    run_decoder(v, &chunks, Leave::Paused, Take::Items),
                ),
            ];
            if !v.has_limits() {
                paths.push(("tokenizer", run_tokenizer(v, &chunks)));
            }
            let events = expected_events(v);
            let event_paths = [
                (
                    "decoder, events only",
                    run_decoder(v, &chunks, Leave::Drained, Take::Events),
                ),
                (
                    "decoder, events only, feeds dropped early",
                    run_decoder(v, &chunks, Leave::DroppedEarly, Take::Events),
                ),
                (
                    "decoder, events only, feeds paused after each event",
                    run_decoder(v, &chunks, Leave::Paused, Take::Events),
                ),
            ];
            let all = paths.into_iter().map(|(path, got)| (path, got, &want));
            let events_only = event_paths
                .into_iter()
                .map(|(path, got)| (path, got, &events));
            for (path, got, want) in all.chain(events_only) {
                runs += 1;
                if got != *want {
                    failures.push(format!(
                        "{} / {} [{}] via {path}, {how}:\n  want {want:#?}\n  got  {got:#?}",
                        v.file,
                        v.name,
                        v.rules.join(" ")
                    ));
                }
            }
        }
    }
    println!(
        "parser vectors: {} vectors, {runs} runs, {} failed",
        vectors.len(),
        failures.len()
    );
    if !failures.is_empty() {
        let shown: Vec<_> = failures.iter().take(40).cloned().collect();
        panic!(
            "{} runs failed; first ones:\n{}",
            failures.len(),
            shown.join("\n")
        );
    }
}

#[test]
fn every_parser_rule_and_decision_is_covered() {
    let cited: BTreeSet<String> = load_parser_vectors()
        .into_iter()
        .flat_map(|v| v.rules)
        .collect();
    let required = (1..=21)
        .map(|n| format!("P{n}"))
        .chain((1..=9).filter(|n| *n != 7).map(|n| format!("D{n}")))
        .chain((1..=4).map(|n| format!("S{n}")));
    let missing: Vec<String> = required.filter(|r| !cited.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "rules no parser vector cites: {missing:?}"
    );
}
