//! The decoder corpora, generated deterministically in code, with the events each must
//! decode to (so every parser is checked against the generator, not against another parser).

use crate::check::{EventHash, Expect, Sink};

/// One corpus: the bytes, and after every event the running totals a correct parser reaches.
pub struct Corpus {
    pub name: &'static str,
    pub bytes: &'static [u8],
    /// Byte offset just past each event's blank line.
    ends: Vec<usize>,
    /// The totals after each event (same index as `ends`).
    totals: Vec<Expect>,
}

impl Corpus {
    /// The longest prefix of at most `limit` bytes that ends at an event boundary, and what
    /// it decodes to. Used to keep a slow parser's round within the time budget.
    pub fn prefix(&self, limit: usize) -> (&'static [u8], Expect) {
        let n = self.ends.partition_point(|&end| end <= limit);
        if n == 0 {
            // Not even one event fits: take the first one.
            return (&self.bytes[..self.ends[0]], self.totals[0]);
        }
        (&self.bytes[..self.ends[n - 1]], self.totals[n - 1])
    }

    /// The whole corpus and what it decodes to.
    pub fn whole(&self) -> (&'static [u8], Expect) {
        self.prefix(self.bytes.len())
    }
}

/// Builds a corpus block by block, recording each event.
struct Builder {
    name: &'static str,
    out: Vec<u8>,
    ends: Vec<usize>,
    totals: Vec<Expect>,
    hash: EventHash,
}

impl Builder {
    fn new(name: &'static str, size: usize) -> Self {
        Self {
            name,
            out: Vec::with_capacity(size + (1 << 16)),
            ends: Vec::new(),
            totals: Vec::new(),
            hash: EventHash::default(),
        }
    }

    /// Appends raw bytes that dispatch nothing (comments, retry-only blocks).
    fn raw(&mut self, bytes: &str) {
        self.out.extend_from_slice(bytes.as_bytes());
    }

    /// Appends bytes that end with the blank line dispatching the event (type, data, id).
    fn event(&mut self, bytes: &str, event_type: &str, data: &str, id: &str) {
        self.out.extend_from_slice(bytes.as_bytes());
        self.hash
            .event(event_type.as_bytes(), data.as_bytes(), id.as_bytes());
        self.ends.push(self.out.len());
        self.totals.push(self.hash.expect());
    }

    fn finish(self) -> Corpus {
        Corpus {
            name: self.name,
            bytes: Box::leak(self.out.into_boxed_slice()),
            ends: self.ends,
            totals: self.totals,
        }
    }
}

/// SplitMix64: a tiny deterministic generator so the corpora are identical on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Tokens as an LLM streams them: mostly short ASCII words, some punctuation, some non-ASCII
/// (so UTF-8 validation sees multi-byte sequences).
const WORDS: &[&str] = &[
    " the",
    " of",
    " and",
    " to",
    " a",
    " in",
    " is",
    " that",
    " for",
    " it",
    " with",
    " as",
    " was",
    " on",
    " be",
    " by",
    " this",
    " are",
    "ing",
    "ed",
    " model",
    " token",
    ".",
    ",",
    "\\n",
    " response",
    " stream",
    " caf\u{e9}",
    " na\u{ef}ve",
    " \u{2014}",
    " \u{1F600}",
    " \u{65E5}\u{672C}",
    " server",
    " event",
    " data",
    " Rust",
];

/// One OpenAI-style `chat.completion.chunk` JSON object (~100–115 bytes).
pub fn token_json(rng: &mut Rng, i: u64) -> String {
    let word = WORDS[rng.below(WORDS.len() as u64) as usize];
    format!(
        "{{\"id\":\"chatcmpl-{i:08}\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}}}}]}}"
    )
}

/// About `len` bytes of JSON on one line (an array of small records).
pub fn big_json_line(rng: &mut Rng, len: usize) -> String {
    let mut s = String::with_capacity(len + 64);
    s.push('[');
    let mut k = 0u64;
    while s.len() < len {
        let word = WORDS[rng.below(WORDS.len() as u64) as usize];
        s.push_str(&format!(
            "{{\"k\":{k},\"score\":{},\"label\":\"{word}\"}},",
            rng.below(100_000)
        ));
        k += 1;
    }
    s.pop();
    s.push(']');
    s
}

/// 80 bytes of log text (ASCII, no line break).
fn log_line(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(96);
    while s.len() < 80 {
        let word = WORDS[rng.below(24) as usize]; // the ASCII-only head of WORDS
        s.push_str(word);
    }
    s.truncate(80);
    s
}

/// `data:` line per event, ~110 bytes: the common case of an LLM API.
fn llm_tokens(size: usize, eol: &str) -> Builder {
    let name = if eol == "\n" { "llm-tokens" } else { "crlf" };
    let mut b = Builder::new(name, size);
    let mut rng = Rng::new(1);
    let mut i = 0;
    while b.out.len() < size {
        let data = token_json(&mut rng, i);
        b.event(&format!("data: {data}{eol}{eol}"), "message", &data, "");
        i += 1;
    }
    b
}

/// One ~64 KiB JSON `data:` line per event (a snapshot, a tool result, an image as base64).
fn big_json(size: usize) -> Builder {
    let mut b = Builder::new("big-json", size);
    let mut rng = Rng::new(2);
    while b.out.len() < size {
        let len = 60 * 1024 + rng.below(8 * 1024) as usize;
        let data = big_json_line(&mut rng, len);
        b.event(&format!("data: {data}\n\n"), "message", &data, "");
    }
    b
}

/// `event:` + `id:` + 20 `data:` lines of 80 bytes per event (logs, tables, diffs).
fn multiline(size: usize) -> Builder {
    let mut b = Builder::new("multiline", size);
    let mut rng = Rng::new(3);
    let mut i = 0u64;
    while b.out.len() < size {
        let lines: Vec<String> = (0..20).map(|_| log_line(&mut rng)).collect();
        let mut block = format!("event: log\nid: {i}\n");
        for line in &lines {
            block.push_str("data: ");
            block.push_str(line);
            block.push('\n');
        }
        block.push('\n');
        b.event(&block, "log", &lines.join("\n"), &i.to_string());
        i += 1;
    }
    b
}

/// Token events interleaved with `: keep-alive` comments and `retry:` lines, both as blocks
/// of their own and inside events.
fn heartbeat_mixed(size: usize) -> Builder {
    let mut b = Builder::new("heartbeat-mixed", size);
    let mut rng = Rng::new(4);
    let mut i = 0;
    while b.out.len() < size {
        match rng.below(10) {
            0 | 1 => b.raw(": keep-alive\n\n"),
            2 => b.raw("retry: 3000\n\n"),
            3 | 4 => {
                let data = token_json(&mut rng, i);
                i += 1;
                let block = format!(": keep-alive\ndata: {data}\nretry: 2500\n\n");
                b.event(&block, "message", &data, "");
            }
            _ => {
                let data = token_json(&mut rng, i);
                i += 1;
                b.event(&format!("data: {data}\n\n"), "message", &data, "");
            }
        }
    }
    b
}

/// The names of the five corpora, in table order.
pub const NAMES: [&str; 5] = [
    "llm-tokens",
    "big-json",
    "multiline",
    "crlf",
    "heartbeat-mixed",
];

/// The corpora named by `wanted` (all when `None`), each about `size` bytes.
pub fn all(size: usize, wanted: Option<&str>) -> Vec<Corpus> {
    NAMES
        .iter()
        .filter(|n| wanted.is_none_or(|w| w == **n))
        .map(|name| match *name {
            "llm-tokens" => llm_tokens(size, "\n"),
            "big-json" => big_json(size),
            "multiline" => multiline(size),
            "crlf" => llm_tokens(size, "\r\n"),
            _ => heartbeat_mixed(size),
        })
        .map(Builder::finish)
        .collect()
}
