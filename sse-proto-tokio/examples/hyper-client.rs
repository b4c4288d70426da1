//! The reconnecting client over hyper 1 (hyper-util's legacy client), showing every kind
//! of event: opens, heartbeats, reconnects with their cause, and messages. An idle
//! timeout gives up a silent connection (set it above the server's heartbeat interval).
//!
//! ```text
//! cargo run -p sse-proto-tokio --features hyper --example hyper-client -- http://127.0.0.1:8000/events
//! ```
use std::time::Duration;

use sse_proto_tokio::{Event, EventSource, HyperConnector};

#[tokio::main]
async fn main() -> Result<(), sse_proto_tokio::Error> {
    let url = std::env::args().nth(1).expect("an event stream URL");
    let mut events = EventSource::builder(url)
        .all_events(true)
        .idle_timeout(Duration::from_secs(45))
        .connect(HyperConnector::new())?;
    while let Some(event) = events.next().await {
        match event? {
            Event::Open => eprintln!("-- open"),
            Event::Message(m) => {
                println!("{} (id {:?}): {}", m.event_type, m.last_event_id, m.data)
            }
            Event::Comment(_) => eprintln!("-- heartbeat"),
            Event::Reconnecting { delay, error } => match error {
                Some(error) => eprintln!("-- {error}; reconnecting in {delay:?}"),
                None => eprintln!("-- stream ended; reconnecting in {delay:?}"),
            },
            _ => {}
        }
    }
    Ok(())
}
