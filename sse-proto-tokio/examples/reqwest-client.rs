//! A reconnecting EventSource client over reqwest, printing each event.
//!
//! ```text
//! cargo run -p sse-proto-tokio --features reqwest --example reqwest-client -- http://127.0.0.1:8000/events
//! ```
//!
//! It reconnects after the server's `retry` (3 s by default) with `Last-Event-ID`, stops
//! on a 204, retries 5xx and 429 after their `Retry-After`, and ends with an error on
//! other 4xx.
use sse_proto_tokio::{Event, EventSource};

#[tokio::main]
async fn main() -> Result<(), sse_proto_tokio::Error> {
    let url = std::env::args().nth(1).expect("an event stream URL");
    let mut events = EventSource::new(reqwest::Client::new(), url)?;
    while let Some(event) = events.next().await {
        if let Event::Message(message) = event? {
            println!("{}: {}", message.event_type, message.data);
        }
    }
    Ok(())
}
