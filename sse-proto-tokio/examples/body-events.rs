//! One response body to events: `.sse()` on reqwest's `bytes_stream()`, no reconnection.
//!
//! ```text
//! cargo run -p sse-proto-tokio --features reqwest --example body-events -- http://127.0.0.1:8000/events
//! ```
use sse_proto_tokio::SseStreamExt; // `.sse()`; the streams it gives have `.next()`

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).expect("an event stream URL");
    let mut events = reqwest::get(url).await?.bytes_stream().sse();
    while let Some(event) = events.next().await {
        let event = event?;
        println!("{}: {}", event.event_type, event.data);
    }
    Ok(())
}
