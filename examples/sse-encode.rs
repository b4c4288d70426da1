//! `sse-encode`: write a `text/event-stream` from JSON lines — the inverse of `sse-cat`.
//!
//! ```text
//! cargo run --example sse-encode -- [FILE]
//! cargo run --example sse-encode -- examples/data/events.jsonl
//! ```
//!
//! Reads one JSON object per line from FILE (or stdin, also with `-`), in the format
//! `sse-cat` prints, and writes the encoded stream to stdout, flushed after every line so
//! it can feed a live connection. `sse-encode | sse-cat` gives back the same items.
//!
//! | line | written |
//! |---|---|
//! | `{"kind":"event","data":D}` plus optional `"type":T`, `"id":I`, `"retry":MS` | an event ([`Message`]) |
//! | `{"kind":"comment","text":T}` | a comment block (text with line breaks: several comment lines) |
//! | `{"kind":"retry","ms":MS}` | a `retry`-only block |
//! | `{"kind":"last_event_id","id":I}` | an id-only block (`id: I` or `id:`, then a blank line) |
//! | `{"kind":"truncated"}`, `{"kind":"dropped",...}` | nothing: they report a block the source stream lost, whose content is unknown; a note goes to stderr |
//! | `{"kind":"unknown_field",...}` and anything else | rejected: the writer only writes the fields the spec defines |
//!
//! **Ids.** In an `event` line, `id` is what `sse-cat` prints: the event's last event ID,
//! which is sticky (it stays until a later `id` field changes it). So an `id` field is
//! written only when the value differs from the last event ID already in force on the
//! output stream: `"id":""` on a fresh stream (how `sse-cat` shows "no id") writes nothing,
//! `"id":""` after `"id":"5"` writes `id:` (a reset), and repeating `"id":"5"` writes it
//! once. An absent or `null` `id` writes no `id` line. A `last_event_id` line is always
//! written, because a parser reports every id-only block. An empty or `null` `type` and the
//! type `message` write no `event` line (the parser's default is `message`).
//!
//! An invalid line — not JSON, an unknown kind or member, a missing or mistyped member, a
//! type with CR or LF, an id with CR, LF or NUL — is reported on stderr with its line
//! number and skipped; the exit code is then 1. Exit code 2: unreadable input or a bad
//! argument.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/json.rs"]
pub(crate) mod json; // pub(crate): tests/sse_encode.rs reuses it

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use json::Json;
use sse_proto::{Comment, Encode, LastEventId, Message, Retry};

const USAGE: &str = "usage: sse-encode [FILE]";

/// Turns `sse-cat` JSON lines into blocks, keeping the last event ID in force on the
/// output stream (see the module docs, "Ids").
#[derive(Debug, Default)]
pub struct LineEncoder {
    last_event_id: String,
}

impl LineEncoder {
    /// Encodes one line (without its terminator) and appends the bytes to `out`. Returns a
    /// note for a line that is valid but writes nothing, and an error message for an
    /// invalid line (then nothing is appended).
    pub fn line(&mut self, line: &str, out: &mut Vec<u8>) -> Result<Option<String>, String> {
        let value = Json::parse(line).map_err(|e| format!("not JSON: {e}"))?;
        let members = value.as_object().ok_or("not a JSON object")?;
        let kind = string(&value, "kind")?.ok_or("no \"kind\"")?;
        let allowed: &[&str] = match kind {
            "event" => &["kind", "type", "data", "id", "retry"],
            "comment" => &["kind", "text"],
            "retry" => &["kind", "ms"],
            "last_event_id" => &["kind", "id"],
            "truncated" => &["kind"],
            "dropped" => &["kind", "reason"],
            "unknown_field" => {
                return Err("unknown_field is not written: the writer only writes the \
                            fields the spec defines (data, event, id, retry)"
                    .into())
            }
            other => return Err(format!("unknown kind {other:?}")),
        };
        if let Some((name, _)) = members.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(format!("unknown member {name:?} for kind {kind:?}"));
        }
        let encoded = match kind {
            "event" => {
                let data = string(&value, "data")?.ok_or("an event needs \"data\"")?;
                let mut message =
                    Message::new(data).event_type(string(&value, "type")?.unwrap_or(""));
                if let Some(ms) = number(&value, "retry")? {
                    message = message.retry(ms);
                }
                // Only a change of the (sticky) last event ID is written.
                let new_id = string(&value, "id")?.filter(|id| *id != self.last_event_id);
                if let Some(id) = new_id {
                    message = message.id(id);
                }
                let written = message.encode_to_vec(out);
                if let (Ok(_), Some(id)) = (written, new_id) {
                    self.last_event_id = id.to_string();
                }
                written
            }
            "comment" => {
                let text = string(&value, "text")?.ok_or("a comment needs \"text\"")?;
                Ok(Comment::new(text).encode_to_vec(out))
            }
            "retry" => {
                let ms = number(&value, "ms")?.ok_or("a retry needs \"ms\"")?;
                Ok(Retry(ms).encode_to_vec(out))
            }
            "last_event_id" => {
                let id = string(&value, "id")?.ok_or("last_event_id needs \"id\"")?;
                let written = LastEventId::new(id).encode_to_vec(out);
                if written.is_ok() {
                    self.last_event_id = id.to_string();
                }
                written
            }
            _ => {
                return Ok(Some(format!(
                    "{kind}: skipped (the source stream lost a block here; nothing to write)"
                )))
            }
        };
        encoded.map(|_| None).map_err(|e| e.to_string())
    }
}

/// The string member `key`: `None` if absent or `null`.
fn string<'j>(value: &'j Json, key: &str) -> Result<Option<&'j str>, String> {
    match value.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{key}\" must be a string")),
    }
}

/// The integer member `key` (0 ..= u64::MAX): `None` if absent or `null`.
fn number(value: &Json, key: &str) -> Result<Option<u64>, String> {
    match value.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("\"{key}\" must be an integer from 0 to {}", u64::MAX)),
    }
}

/// Encodes every line of `input` to `out`, reporting notes and invalid lines on `err`.
/// Returns whether every line was valid.
pub fn run(
    mut input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<bool> {
    let mut encoder = LineEncoder::default();
    let mut all_valid = true;
    let mut raw = Vec::new();
    let mut encoded = Vec::new();
    for number in 1usize.. {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        let result = match std::str::from_utf8(&raw) {
            Err(e) => Err(format!("not UTF-8: {e}")),
            Ok(line) if line.trim().is_empty() => Ok(None),
            Ok(line) => encoder.line(line, &mut encoded),
        };
        match result {
            Ok(None) => {}
            Ok(Some(note)) => writeln!(err, "sse-encode: line {number}: {note}")?,
            Err(message) => {
                all_valid = false;
                writeln!(err, "sse-encode: line {number}: {message}")?;
            }
        }
        out.write_all(&encoded)?;
        encoded.clear();
        out.flush()?; // a live stream goes out as it comes
    }
    Ok(all_valid)
}

fn main() -> ExitCode {
    let args = match cli::args() {
        Ok(args) => args,
        Err(message) => {
            cli::warn(format_args!("sse-encode: {message}\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let mut args = args.into_iter();
    let file = args.next();
    if args.next().is_some()
        || file
            .as_deref()
            .is_some_and(|f| f.starts_with('-') && f != "-")
    {
        cli::warn(format_args!("{USAGE}"));
        return ExitCode::from(2);
    }
    let input: Box<dyn BufRead> = match file.as_deref() {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => Box::new(BufReader::new(f)),
            Err(e) => {
                cli::warn(format_args!("sse-encode: {path}: {e}"));
                return ExitCode::from(2);
            }
        },
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match run(input, &mut out, &mut io::stderr().lock()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            cli::warn(format_args!("sse-encode: {e}"));
            ExitCode::from(2)
        }
    }
}
