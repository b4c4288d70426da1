//! A reader that stops reading holds at most a few events' worth of memory in the client:
//! the queue between the client's task and the `EventSource` is bounded in bytes (twice
//! the largest event), not only in slots. Before the bound, 32 slots of events up to the
//! decoder's limit (16 MiB each by default) could wait: 512 MiB.
#![cfg(feature = "reqwest")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream;
use sse_proto::DecoderConfig;
use sse_proto_tokio::{BoxBody, Connector, Event, EventSource, TransportError};

const EVENT_DATA: usize = 1 << 20; // 1 MiB of data per event
const EVENTS: usize = 40;

/// Serves `EVENTS` events of 1 MiB, one chunk each, counting the chunks the client pulls.
struct BigEvents {
    pulled: Arc<AtomicUsize>,
}

impl Connector for BigEvents {
    type Body = BoxBody;

    fn connect(
        &self,
        _request: http::Request<Bytes>,
    ) -> impl std::future::Future<Output = Result<http::Response<BoxBody>, TransportError>>
           + Send
           + 'static {
        let pulled = Arc::clone(&self.pulled);
        let chunk = Bytes::from(format!("data: {}\n\n", "x".repeat(EVENT_DATA)));
        let body: BoxBody = Box::pin(stream::iter((0..EVENTS).map(move |_| {
            pulled.fetch_add(1, Ordering::SeqCst);
            Ok(chunk.clone())
        })));
        let response = http::Response::builder()
            .header("content-type", "text/event-stream")
            .body(body)
            .map_err(TransportError::futile);
        async move { response }
    }
}

#[tokio::test]
async fn a_reader_that_stops_reading_holds_a_few_events_not_the_queue_slots() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let mut events = EventSource::builder("http://127.0.0.1:9/events")
        .decoder(
            DecoderConfig::default()
                .max_line_len(2 << 20)
                .max_event_len(2 << 20),
        )
        .connect(BigEvents {
            pulled: Arc::clone(&pulled),
        })
        .expect("a valid configuration");
    // Read one event, then stop reading and let the client's task run as far as it can.
    let first = tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("the first event in time");
    assert!(matches!(first, Some(Ok(Event::Message(m))) if m.data.len() == EVENT_DATA));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let held = pulled.load(Ordering::SeqCst);
    // Budget: 2 × 2 MiB = 4 MiB of queued events (four of 1 MiB), one being decoded, one
    // waiting for room, the one read: at most about seven chunks, never the 32 slots.
    assert!(
        held <= 8,
        "{held} events of 1 MiB pulled while the reader slept"
    );
    // Nothing is lost: the rest arrives once the reader reads again.
    let mut rest = 0;
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(10), events.next()).await {
        if matches!(event, Ok(Event::Message(_))) {
            rest += 1;
        }
        if rest == EVENTS - 1 {
            break;
        }
    }
    assert_eq!(rest, EVENTS - 1);
}
