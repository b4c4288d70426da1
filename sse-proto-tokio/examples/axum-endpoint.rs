//! An axum endpoint streaming events with sse-proto-tokio: resuming after a reconnecting
//! client's `Last-Event-ID`, keep-alive, proxy-safe headers, a send timeout, a write
//! timeout for frozen clients and graceful shutdown, all by default or in one call. The
//! same job with axum's own `Sse` (less the write timeout) is `axum-endpoint-baseline.rs`.
//! The server stops by itself after 90 s.
//!
//! cargo run -p sse-proto-tokio --features axum --example axum-endpoint
//! curl -N http://127.0.0.1:3000/ticks
//! curl -N http://127.0.0.1:3000/ticks -H 'Last-Event-ID: 5'   # resumes at tick 6
use std::time::Duration;

use axum::{extract::State, routing::get, Router};
use sse_proto_tokio::serve::{channel, LastEventId, Receiver, Shutdown, Sse, TimeoutListener};
use sse_proto_tokio::sse_proto::Message;

pub async fn ticks(
    State(shutdown): State<Shutdown>,
    LastEventId(last): LastEventId,
) -> Sse<Receiver> {
    // A reconnecting client sends the id of the last tick it got: go on after it.
    let start = last
        .and_then(|id| id.parse().ok())
        .map_or(1, |n: u64| n.saturating_add(1));
    let (sender, receiver) = channel(16);
    tokio::spawn(async move {
        for n in start..start.saturating_add(60) {
            let tick = Message::new(format!("tick {n}")).id(n.to_string());
            if sender.send(&tick).await.is_err() {
                break; // the client left, or did not read for 10 s
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }); // after 60 ticks the response ends; the client reconnects and goes on
    Sse::new(receiver).shutdown(&shutdown) // keep-alive every 15 s
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let shutdown = Shutdown::new();
    let app = Router::new()
        .route("/ticks", get(ticks))
        .with_state(shutdown.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    let stop = shutdown.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(90)).await;
        stop.trigger();
    });
    let listener = TimeoutListener::new(listener, Duration::from_secs(30)); // frozen clients
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown.wait())
        .await
}
