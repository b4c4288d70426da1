//! Events per second through the hub to 1,000 subscribers, beside a plain
//! `tokio::sync::broadcast` channel feeding axum's own `Sse` (one `String` per event, cloned
//! and encoded again for every subscriber). Both on one current-thread runtime, each
//! subscriber a task draining its response body as hyper would; the publisher sends
//! batches of 32 (half a queue) and waits for every subscriber to read the batch, so that
//! nobody lags.
//!
//! `cargo bench -p sse-proto-tokio-benches --bench hub_fanout`

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::response::sse::{Event, KeepAlive, Sse as AxumSse};
use axum::response::IntoResponse;
use futures_util::stream;
use http_body_util::BodyExt;
use sse_proto::Message;
use sse_proto_tokio::hub::{Hub, HubConfig};
use sse_proto_tokio::serve::Sse;

const SUBSCRIBERS: usize = 1_000;
const EVENTS: usize = 2_000;
const BATCH: usize = 32;
const QUEUE: usize = 64;
const ROUNDS: usize = 3;

/// Drains a response body until it has seen `EVENTS` frames, counting them in `read`.
async fn drain<B>(mut body: B, read: Arc<AtomicUsize>)
where
    B: http_body::Body + Unpin,
    B::Error: std::fmt::Debug,
{
    for _ in 0..EVENTS {
        body.frame().await.expect("an event").expect("no error");
        read.fetch_add(1, Ordering::Relaxed);
    }
}

/// After a batch: waits until every subscriber has read the `published` events.
async fn catch_up(read: &AtomicUsize, published: usize) {
    while read.load(Ordering::Relaxed) < published * SUBSCRIBERS {
        tokio::task::yield_now().await;
    }
}

async fn hub_run() -> Duration {
    let hub = Hub::new(HubConfig::default().queue_capacity(QUEUE));
    let read = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..SUBSCRIBERS)
        .map(|_| tokio::spawn(drain(Sse::new(hub.subscribe("t", None)), Arc::clone(&read))))
        .collect();
    tokio::task::yield_now().await; // every reader waits
    let data = "x".repeat(100);
    let start = Instant::now();
    for n in 0..EVENTS {
        hub.publish("t", Message::new(data.as_str()).event_type("tick"))
            .unwrap();
        if n % BATCH == BATCH - 1 {
            catch_up(&read, n + 1).await;
        }
    }
    for reader in readers {
        reader.await.unwrap();
    }
    start.elapsed()
}

async fn broadcast_run() -> Duration {
    let (sender, _) = tokio::sync::broadcast::channel::<(u64, String)>(QUEUE);
    let read = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..SUBSCRIBERS)
        .map(|_| {
            let events = stream::unfold(sender.subscribe(), |mut rx| async move {
                let (id, data) = rx.recv().await.ok()?; // (a lag would end the stream)
                let event = Event::default().event("tick").id(id.to_string()).data(data);
                Some((Ok::<_, Infallible>(event), rx))
            });
            let sse = AxumSse::new(events).keep_alive(KeepAlive::default());
            tokio::spawn(drain(sse.into_response().into_body(), Arc::clone(&read)))
        })
        .collect();
    tokio::task::yield_now().await;
    let data = "x".repeat(100);
    let start = Instant::now();
    for n in 0..EVENTS {
        sender.send((n as u64 + 1, data.clone())).unwrap();
        if n % BATCH == BATCH - 1 {
            catch_up(&read, n + 1).await;
        }
    }
    for reader in readers {
        reader.await.unwrap();
    }
    start.elapsed()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut hub, mut baseline) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        hub.push(runtime.block_on(hub_run()));
        baseline.push(runtime.block_on(broadcast_run()));
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (hub, baseline) = (median(&mut hub), median(&mut baseline));
    let per_second = |t: Duration| EVENTS as f64 / t.as_secs_f64();
    println!("{EVENTS} events to {SUBSCRIBERS} subscribers, median of {ROUNDS} rounds:");
    println!(
        "  hub + Sse body:            {:>9.0} events/s ({hub:?})",
        per_second(hub)
    );
    println!(
        "  broadcast + axum Sse:      {:>9.0} events/s ({baseline:?})",
        per_second(baseline)
    );
    println!(
        "  ratio hub / baseline:      {:.2}x",
        per_second(hub) / per_second(baseline)
    );
}
