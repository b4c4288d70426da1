//! The job of `axum-endpoint.rs` done with axum's own `Sse`, for comparison (lines, and
//! what it takes): resuming after `Last-Event-ID`, ids, keep-alive, the proxy headers, a
//! send timeout, and streams that end on graceful shutdown (axum's do not by themselves).
//! The server stops after 90 s.
//!
//! cargo run -p sse-proto-tokio --features axum --example axum-endpoint-baseline
use std::{convert::Infallible, time::Duration};

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::{extract::State, http::HeaderMap, response::IntoResponse, routing::get, Router};
use futures_util::{stream, StreamExt};
use tokio::sync::{mpsc, watch};

async fn ticks(
    State(mut shutdown): State<watch::Receiver<bool>>,
    headers: HeaderMap,
) -> impl IntoResponse {
    // A reconnecting client sends the id of the last tick it got: go on after it.
    let last = headers.get("last-event-id").and_then(|id| id.to_str().ok());
    let start = last
        .and_then(|id| id.parse().ok())
        .map_or(1, |n: u64| n.saturating_add(1));
    let (sender, receiver) = mpsc::channel(16);
    tokio::spawn(async move {
        for n in start..start.saturating_add(60) {
            let tick = Event::default().data(format!("tick {n}")).id(n.to_string());
            if sender
                .send_timeout(tick, Duration::from_secs(10))
                .await
                .is_err()
            {
                break; // the client left, or did not read for 10 s
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    let events = stream::unfold(receiver, |mut r| async {
        Some((Ok::<_, Infallible>(r.recv().await?), r))
    });
    let stop = async move {
        let _ = shutdown.wait_for(|&stop| stop).await;
    };
    let sse = Sse::new(events.take_until(Box::pin(stop))).keep_alive(KeepAlive::default());
    let headers = [
        ("x-accel-buffering", "no"),
        ("cache-control", "no-cache, no-transform"),
    ];
    (headers, sse)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (trigger, shutdown) = watch::channel(false);
    let app = Router::new()
        .route("/ticks", get(ticks))
        .with_state(shutdown.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(90)).await;
        let _ = trigger.send(true);
    });
    let mut shutdown = shutdown;
    let stop = async move {
        let _ = shutdown.wait_for(|&stop| stop).await;
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
}
