//! The client's default decoder limits against a real server on 127.0.0.1, once per
//! connector: a multi-megabyte event arrives without any configuration (LaunchDarkly's
//! contract suite sends such events, and browsers take them).
#![cfg(any(feature = "reqwest", feature = "reqwest-0_12", feature = "hyper"))]

mod script_server;

use std::time::Duration;

use script_server::{Reply, Server};
use sse_proto_tokio::{Connector, Event, EventSource, Reconnect};

async fn multi_megabyte_event_arrives_by_default(connector: impl Connector) {
    // The contract suite's largest event: 5 MiB of random bytes in base64, a ~7 MB
    // `data:` line. With 1 MiB limits the block is dropped and the stream ends empty.
    let data: String = (0..7_000_000u32)
        .map(|i| char::from(b'A' + (i % 26) as u8))
        .collect();
    let server = Server::always(Reply::sse(&format!("data: {data}\n\n"))).await;
    let mut events = EventSource::builder(server.url("/"))
        .reconnect(Reconnect::OnError)
        .all_events(true)
        .connect(connector)
        .unwrap();
    let test = async {
        loop {
            match events.next().await {
                Some(Ok(Event::Message(message))) => return message.data,
                Some(Ok(Event::Open | Event::Comment(_) | Event::Retry(_))) => {}
                other => panic!("expected the 7 MB message, got {other:?}"),
            }
        }
    };
    let got = tokio::time::timeout(Duration::from_secs(600), test)
        .await
        .expect("the test finished within its (virtual) deadline");
    assert_eq!(got.len(), data.len());
    assert!(got == data, "the 7 MB event's data arrived intact");
}

#[cfg(feature = "reqwest")]
#[tokio::test(start_paused = true)]
async fn with_reqwest_0_13() {
    multi_megabyte_event_arrives_by_default(reqwest::Client::new()).await;
}

#[cfg(feature = "reqwest-0_12")]
#[tokio::test(start_paused = true)]
async fn with_reqwest_0_12() {
    multi_megabyte_event_arrives_by_default(reqwest_0_12::Client::new()).await;
}

#[cfg(feature = "hyper")]
#[tokio::test(start_paused = true)]
async fn with_hyper_util() {
    multi_megabyte_event_arrives_by_default(sse_proto_tokio::HyperConnector::new()).await;
}
