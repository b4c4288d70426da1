//! `sse-cat`: decode a `text/event-stream` body and print one JSON object per item.
//!
//! ```text
//! cargo run --example sse-cat -- [--chunk N] [--max-line-len N] [--max-event-len N]
//!                                [--max-id-len N] [--unknown-fields] [--last-event-id ID] [FILE]
//! ```
//!
//! Reads FILE (or stdin), feeds it to the decoder — in N-byte chunks with `--chunk` —,
//! ends the stream at EOF, and prints each item as JSON on its own line (format in
//! README.md). This is also how other tools check `sse-proto`: feed any stream, diff the
//! output. Exit code 0, or 2 for bad arguments / unreadable input.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/items.rs"]
mod items;
#[path = "support/json.rs"]
mod json;

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use sse_proto::{Decoder, DecoderConfig};

const USAGE: &str = "usage: sse-cat [--chunk N] [--max-line-len N] [--max-event-len N] [--max-id-len N] [--unknown-fields] [--last-event-id ID] [FILE]";

/// The largest `--chunk` (the read buffer is that large): 64 MiB.
const MAX_CHUNK: usize = 64 << 20;

struct Args {
    chunk: Option<usize>,
    config: DecoderConfig,
    last_event_id: Option<String>,
    file: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        chunk: None,
        config: DecoderConfig::default(),
        last_event_id: None,
        file: None,
    };
    let mut it = cli::args()?.into_iter();
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let v = it.next().ok_or_else(|| format!("{name} needs a value"))?;
            v.parse()
                .map_err(|_| format!("{name}: not a number: {v:?}"))
        };
        match arg.as_str() {
            "--chunk" => match number("--chunk")? {
                0 => return Err("--chunk must be at least 1".into()),
                n if n > MAX_CHUNK => return Err(format!("--chunk must be at most {MAX_CHUNK}")),
                n => args.chunk = Some(n),
            },
            "--max-line-len" => {
                args.config = args.config.max_line_len(number("--max-line-len")?);
            }
            "--max-event-len" => {
                args.config = args.config.max_event_len(number("--max-event-len")?);
            }
            "--max-id-len" => {
                args.config = args.config.max_id_len(number("--max-id-len")?);
            }
            "--unknown-fields" => {
                args.config = args.config.unknown_fields(true);
            }
            "--last-event-id" => {
                args.last_event_id = Some(it.next().ok_or("--last-event-id needs a value")?)
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}")),
            _ if args.file.is_some() => return Err("only one FILE may be given".into()),
            _ => args.file = Some(arg),
        }
    }
    Ok(args)
}

fn run(args: Args) -> io::Result<()> {
    let mut input: Box<dyn Read> = match args.file.as_deref() {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(path) => Box::new(std::fs::File::open(path)?),
    };
    let mut decoder = Decoder::with_config(args.config);
    if let Some(id) = &args.last_event_id {
        decoder
            .set_last_event_id(id)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut buf = vec![0u8; args.chunk.unwrap_or(64 * 1024)];
    loop {
        // With --chunk, fill each chunk completely (short reads from a pipe would
        // otherwise make the chunking depend on the OS).
        let n = match args.chunk {
            Some(_) => read_full(&mut input, &mut buf)?,
            None => loop {
                match input.read(&mut buf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            },
        };
        if n == 0 {
            break;
        }
        let mut feed = decoder.feed(&buf[..n]);
        while let Some(item) = feed.next() {
            writeln!(out, "{}", items::item_json(&item))?;
        }
        // Flush per chunk so a live stream (stdin from curl -N) is printed as it comes.
        out.flush()?;
    }
    let mut end = decoder.finish();
    while let Some(item) = end.next() {
        writeln!(out, "{}", items::item_json(&item))?;
    }
    out.flush()
}

fn read_full(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(msg) => {
            if !msg.is_empty() {
                cli::warn(format_args!("sse-cat: {msg}"));
            }
            cli::warn(format_args!("{USAGE}"));
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            cli::warn(format_args!("sse-cat: {e}"));
            ExitCode::from(2)
        }
    }
}
