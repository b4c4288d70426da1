//! A reconnecting Server-Sent Events client for the command line.
//!
//! ```text
//! cargo run --example client -- URL [--last-event-id ID] [-H 'Name: value']...
//!     [--method POST --body B] [--idle-timeout MS]
//!     [--backoff] [--retry-server-errors] [--max-attempts N]
//! ```
//!
//! Prints every item of the stream as one JSON object per line on stdout, like the
//! `sse-cat` example: `{"kind":"event","type":T,"data":D,"id":I}`,
//! `{"kind":"retry","ms":N}`, `{"kind":"comment","text":C}`,
//! `{"kind":"last_event_id","id":I}`, `{"kind":"dropped","reason":R}`,
//! `{"kind":"truncated"}`, `{"kind":"unknown_field","name":N,"value":V}`.
//! Connection progress and errors go to stderr. It reconnects as an EventSource does
//! (sending `Last-Event-ID`), and exits when the stream fails for good (status 1) or the
//! server answers 204 No Content (status 0). HTTP/1.1 over a plain `TcpStream`, `http://`
//! URLs only: see `support/http1.rs`.

#[path = "support/http1.rs"]
mod http1;
#[path = "support/items.rs"]
mod items;
#[path = "support/json.rs"]
mod json;

use std::process::ExitCode;
use std::time::Duration;

use sse_proto::{Backoff, ClientConfig, DecoderConfig, Driver, Output};

/// The longest wait for a connection and its response head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

const USAGE: &str = "usage: client URL [--last-event-id ID] [-H 'Name: value']... \
[--method METHOD] [--body BODY] [--idle-timeout MS] [--backoff] [--retry-server-errors] \
[--max-attempts N]";

fn main() -> ExitCode {
    let (config, idle) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("client: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Connecting and reading the response head give up after 30 s (or the idle timeout).
    // Body reads wake up at least once a second (or per idle timeout) so that the driver
    // can check its idle deadline; without an idle timeout a body read may block as long
    // as the stream is silent, as a stream may be.
    let head_timeout = Some(
        idle.unwrap_or(HEAD_TIMEOUT)
            .clamp(Duration::from_millis(1), HEAD_TIMEOUT),
    );
    let read_timeout =
        idle.map(|idle| idle.clamp(Duration::from_millis(1), Duration::from_secs(1)));
    let mut driver = Driver::new(config, move |request: &sse_proto::Request| {
        http1::open(request, head_timeout, read_timeout)
    });
    while let Some(output) = driver.next() {
        match output {
            Ok(Output::Item(item)) => println!("{}", items::item_json(&item.as_item())),
            Ok(Output::Connect(request)) => match request.last_event_id() {
                Some(id) => eprintln!(
                    "client: connecting to {} (Last-Event-ID: {id})",
                    request.url()
                ),
                None => eprintln!("client: connecting to {}", request.url()),
            },
            Ok(Output::Open) => eprintln!("client: stream open"),
            Ok(Output::WaitUntil { at, reason }) => {
                let wait = at.saturating_duration_since(driver.now());
                eprintln!("client: {reason}; reconnecting in {} ms", wait.as_millis());
            }
            Ok(Output::Failed(reason)) => {
                eprintln!("client: failed: {reason}");
                return ExitCode::FAILURE;
            }
            Ok(Output::Closed(reason)) => {
                eprintln!("client: {reason}");
                return ExitCode::SUCCESS;
            }
            Ok(other) => eprintln!("client: {other:?}"),
            Err(error) => eprintln!("client: connection error: {error}"),
        }
    }
    ExitCode::SUCCESS
}

/// The command line → a client configuration and the idle timeout.
fn parse_args(
    mut args: impl Iterator<Item = String>,
) -> Result<(ClientConfig, Option<Duration>), String> {
    let mut config = ClientConfig::default();
    let mut url = None;
    let mut idle = None;
    let mut decoder = DecoderConfig::default();
    decoder = decoder.unknown_fields(true);
    config.decoder(decoder);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--last-event-id" => {
                config
                    .initial_last_event_id(&value("--last-event-id")?)
                    .map_err(|e| e.to_string())?;
            }
            "-H" | "--header" => {
                let header = value("-H")?;
                let (name, v) = header
                    .split_once(':')
                    .ok_or_else(|| format!("header {header:?} is not 'Name: value'"))?;
                config
                    .header(name.trim(), v.trim())
                    .map_err(|e| format!("header {header:?}: {e}"))?;
            }
            "--method" | "-X" => {
                config
                    .method(&value("--method")?)
                    .map_err(|e| e.to_string())?;
            }
            "--body" | "-d" => {
                config.body(Some(value("--body")?.into_bytes()));
            }
            "--idle-timeout" => {
                let ms: u64 = value("--idle-timeout")?
                    .parse()
                    .map_err(|_| "--idle-timeout takes milliseconds".to_string())?;
                idle = Some(Duration::from_millis(ms));
                config.idle_timeout(idle);
            }
            "--backoff" => {
                let mut backoff = Backoff::new();
                backoff.seed(random_seed());
                config.backoff(Some(backoff));
            }
            "--retry-server-errors" => {
                config.retry_server_errors(true);
            }
            "--max-attempts" => {
                let n: u32 = value("--max-attempts")?
                    .parse()
                    .map_err(|_| "--max-attempts takes a number".to_string())?;
                config.max_attempts(Some(n));
            }
            "-h" | "--help" => return Err("help".to_string()),
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!("unknown option {flag}"))
            }
            _ if url.is_none() => url = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let url = url.ok_or("no URL given")?;
    http1::Url::parse(&url).map_err(|e| e.to_string())?;
    config.url(url);
    Ok((config, idle))
}

/// A jitter seed that differs between runs (std's hasher keys are random per process).
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}
