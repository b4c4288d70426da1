//! A reconnecting Server-Sent Events client for the command line.
//!
//! ```text
//! cargo run --example client -- URL [--last-event-id ID] [-H 'Name: value']...
//!     [--method POST --body B] [--idle-timeout MS]
//!     [--backoff] [--retry-server-errors] [--max-attempts N] [--max-id-len BYTES]
//! ```
//!
//! Prints every item of the stream as one JSON object per line on stdout, like the
//! `sse-cat` example: `{"kind":"event","type":T,"data":D,"id":I}`,
//! `{"kind":"retry","ms":N}`, `{"kind":"comment","text":C}`,
//! `{"kind":"last_event_id","id":I}`, `{"kind":"dropped","reason":R}`,
//! `{"kind":"truncated"}`, `{"kind":"unknown_field","name":N,"value":V}`.
//! Connection progress and errors go to stderr, with control characters escaped. It
//! reconnects as an EventSource does (sending `Last-Event-ID`), and exits when the stream
//! fails for good (status 1), the server answers 204 No Content (status 0) or stdout is
//! closed (status 0, quietly). `--help` prints the usage (status 0); a bad command line
//! exits with status 2. HTTP/1.1 over a plain `TcpStream`, `http://`
//! URLs only: see `support/http1.rs`.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/http1.rs"]
mod http1;
#[path = "support/items.rs"]
mod items;
#[path = "support/json.rs"]
mod json;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use sse_proto::{
    client::{Backoff, ConnectLimits, Driver, Output, Request},
    ClientConfig,
};

/// The longest wait for a connection and its whole response head, when the client has no
/// idle timeout to bound it.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

const USAGE: &str = "usage: client URL [--last-event-id ID] [-H 'Name: value']... \
[--method METHOD] [--body BODY] [--idle-timeout MS] [--backoff] [--retry-server-errors] \
[--max-attempts N] [--max-id-len BYTES]";

fn main() -> ExitCode {
    let config = match cli::args().and_then(|args| parse_args(args.into_iter())) {
        Ok(Some(config)) => config,
        Ok(None) => {
            cli::say(format_args!("{USAGE}")); // --help: the usage on stdout, success
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            cli::warn(format_args!("client: {message}\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    // The driver hands every attempt its limits: the idle deadline for the response head
    // (HEAD_TIMEOUT without one) and a read timeout that lets it notice the idle deadline.
    let connect =
        |request: &Request, limits: ConnectLimits| http1::open(request, limits, HEAD_TIMEOUT);
    let mut driver = match Driver::new(config, connect) {
        Ok(driver) => driver,
        Err(e) => {
            cli::warn(format_args!("client: {e}\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    while let Some(output) = driver.next() {
        match output {
            Ok(Output::Item(item)) => {
                // A closed stdout (`client URL | head -1`) ends the program quietly.
                let line = items::item_json(&item.as_item());
                if writeln!(stdout, "{line}")
                    .and_then(|()| stdout.flush())
                    .is_err()
                {
                    return ExitCode::SUCCESS;
                }
            }
            Ok(Output::Connect(request)) => match request.last_event_id() {
                // Everything from the server is escaped: no control character reaches the
                // terminal.
                Some(id) => cli::warn(format_args!(
                    "client: connecting to {} (Last-Event-ID: {})",
                    request.url(),
                    id.escape_debug()
                )),
                None => cli::warn(format_args!("client: connecting to {}", request.url())),
            },
            Ok(Output::Open) => cli::warn(format_args!("client: stream open")),
            Ok(Output::WaitUntil { at, reason }) => {
                let wait = at.saturating_duration_since(driver.now());
                cli::warn(format_args!(
                    "client: {reason}; reconnecting in {} ms",
                    wait.as_millis()
                ));
            }
            Ok(Output::Failed(reason)) => {
                cli::warn(format_args!("client: failed: {reason}"));
                return ExitCode::FAILURE;
            }
            Ok(Output::Closed(reason)) => {
                cli::warn(format_args!("client: {reason}"));
                return ExitCode::SUCCESS;
            }
            Ok(other) => cli::warn(format_args!(
                "client: {}",
                format!("{other:?}").escape_debug()
            )),
            Err(error) => cli::warn(format_args!(
                "client: connection error: {}",
                error.to_string().escape_debug()
            )),
        }
    }
    ExitCode::SUCCESS
}

/// The command line → a client configuration, or `None` for `--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<ClientConfig>, String> {
    let mut config =
        ClientConfig::default().decoder(ClientConfig::DEFAULT_DECODER.unknown_fields(true));
    let mut url = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--last-event-id" => {
                config = config.initial_last_event_id(value("--last-event-id")?);
            }
            "-H" | "--header" => {
                let header = value("-H")?;
                let (name, v) = header
                    .split_once(':')
                    .ok_or_else(|| format!("header {header:?} is not 'Name: value'"))?;
                config = config.header(name.trim(), v.trim());
            }
            "--method" | "-X" => {
                config = config.method(value("--method")?);
            }
            "--body" | "-d" => {
                config = config.body(value("--body")?.into_bytes());
            }
            "--idle-timeout" => {
                let ms: u64 = value("--idle-timeout")?
                    .parse()
                    .map_err(|_| "--idle-timeout takes milliseconds".to_string())?;
                config = config.idle_timeout(Duration::from_millis(ms));
            }
            "--backoff" => {
                config = config.backoff(Backoff::new().seed(random_seed()));
            }
            "--max-id-len" => {
                let n: usize = value("--max-id-len")?
                    .parse()
                    .map_err(|_| "--max-id-len takes a number of bytes".to_string())?;
                let decoder = config.decoder.max_id_len(n);
                config = config.decoder(decoder);
            }
            "--retry-server-errors" => {
                config = config.retry_server_errors(true);
            }
            "--max-attempts" => {
                let n: u32 = value("--max-attempts")?
                    .parse()
                    .map_err(|_| "--max-attempts takes a number".to_string())?;
                config = config.max_attempts(n);
            }
            "-h" | "--help" => return Ok(None),
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!("unknown option {flag}"))
            }
            _ if url.is_none() => url = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let url = url.ok_or("no URL given")?;
    http1::Url::parse(&url).map_err(|e| e.to_string())?;
    Ok(Some(config.url(url)))
}

/// A jitter seed that differs between runs (std's hasher keys are random per process).
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}
