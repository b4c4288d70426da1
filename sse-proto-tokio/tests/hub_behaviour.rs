//! The hub without a network: replay, reset, bounds, topics, lag signals, send timeout.
//! Subscriptions are polled directly; nothing waits on a clock except where the paused
//! tokio clock is advanced by hand.

use std::time::Duration;

use futures_util::{FutureExt, StreamExt};
use sse_proto::Message;
use sse_proto_tokio::hub::{Hub, HubConfig, Lag, PublishError, Subscription};

/// Everything the subscription has ready now, as text; `None` marks the end of stream.
fn drain(subscription: &mut Subscription) -> Vec<Option<String>> {
    let mut out = Vec::new();
    while let Some(item) = subscription.next().now_or_never() {
        let end = item.is_none();
        out.push(item.map(|b| String::from_utf8(b.as_bytes().to_vec()).unwrap()));
        if end {
            break;
        }
    }
    out
}

fn event(id: &str, data: &str) -> Option<String> {
    Some(format!("id: {id}\ndata: {data}\n\n"))
}

fn publish_n(hub: &Hub, topic: &str, range: std::ops::RangeInclusive<u32>) {
    for n in range {
        hub.publish(topic, Message::new(format!("e{n}"))).unwrap();
    }
}

#[test]
fn every_event_gets_an_id_and_live_subscribers_get_each_once() {
    let hub = Hub::default();
    let mut a = hub.subscribe("t", None);
    let mut b = hub.subscribe("t", None);
    publish_n(&hub, "t", 1..=3);
    let expected = vec![event("1", "e1"), event("2", "e2"), event("3", "e3")];
    assert_eq!(drain(&mut a), expected);
    assert_eq!(drain(&mut b), expected);
    assert_eq!(drain(&mut a), vec![]); // nothing more, and not ended
}

#[test]
fn replay_from_last_event_id_is_exactly_the_missed_events_then_live() {
    let hub = Hub::default();
    publish_n(&hub, "t", 1..=5);
    let mut resumed = hub.subscribe("t", Some("2"));
    publish_n(&hub, "t", 6..=6);
    assert_eq!(
        drain(&mut resumed),
        vec![
            event("3", "e3"),
            event("4", "e4"),
            event("5", "e5"),
            event("6", "e6")
        ]
    );
    let mut up_to_date = hub.subscribe("t", Some("6"));
    assert_eq!(drain(&mut up_to_date), vec![]);
}

#[test]
fn replay_works_with_publisher_chosen_ids() {
    let hub = Hub::default();
    for id in ["a", "b", "c"] {
        hub.publish("t", Message::new(id).id(id)).unwrap();
    }
    let mut resumed = hub.subscribe("t", Some("a"));
    assert_eq!(drain(&mut resumed), vec![event("b", "b"), event("c", "c")]);
}

#[test]
fn an_id_older_than_the_history_gets_the_reset_event() {
    let hub = Hub::new(HubConfig::default().history_len(3));
    publish_n(&hub, "t", 1..=10);
    let mut old = hub.subscribe("t", Some("2"));
    let expected = Some("event: reset\nid: 10\ndata: 2\n\n".to_string());
    assert_eq!(drain(&mut old), vec![expected]);
    // The oldest id still held replays normally.
    let mut edge = hub.subscribe("t", Some("8"));
    assert_eq!(drain(&mut edge), vec![event("9", "e9"), event("10", "e10")]);
}

#[test]
fn the_history_is_bounded_in_bytes_too() {
    // Each event "id: N\ndata: xxxxxxxxxx\n\n" is 24 bytes for one-digit ids.
    let hub = Hub::new(HubConfig::default().history_len(100).history_bytes(60));
    for n in 1..=5 {
        hub.publish("t", Message::new("xxxxxxxxxx").id(n.to_string()))
            .unwrap();
    }
    // Only two events fit in 60 bytes: 4 and 5. Asking from 3 (the last one dropped)
    // replays both; from 2, reset.
    assert_eq!(drain(&mut hub.subscribe("t", Some("3"))).len(), 2);
    let reset = drain(&mut hub.subscribe("t", Some("2")));
    assert_eq!(
        reset,
        vec![Some("event: reset\nid: 5\ndata: 2\n\n".to_string())]
    );
}

#[test]
fn topics_are_isolated() {
    let hub = Hub::default();
    let mut a = hub.subscribe("tenant-a", None);
    let mut b = hub.subscribe("tenant-b", None);
    hub.publish("tenant-a", Message::new("secret-a")).unwrap();
    hub.publish("tenant-b", Message::new("secret-b")).unwrap();
    assert_eq!(drain(&mut a), vec![event("1", "secret-a")]);
    assert_eq!(drain(&mut b), vec![event("1", "secret-b")]); // own numbering too
                                                             // Replay never crosses topics: b's id 1 is not a's id 1.
    let mut replay_b = hub.subscribe("tenant-b", Some("0"));
    assert_eq!(
        drain(&mut replay_b),
        vec![Some("event: reset\nid: 1\ndata: 0\n\n".to_string())]
    );
}

#[test]
fn publish_refuses_invalid_events_and_publishes_nothing() {
    let hub = Hub::new(HubConfig::default().max_event_bytes(32));
    let mut sub = hub.subscribe("t", None);
    assert!(matches!(
        hub.publish("t", Message::new("x").event_type("a\nb")),
        Err(PublishError::Encode(_))
    ));
    assert!(matches!(
        hub.publish("t", Message::new("x").id("1\u{0}2")),
        Err(PublishError::Encode(_))
    ));
    assert_eq!(
        hub.publish("t", Message::new("x").id("")),
        Err(PublishError::EmptyId)
    );
    // Encoded "id: 1\ndata: " + 30 bytes + "\n\n" is 44 bytes; data of 40 alone is too large.
    assert_eq!(
        hub.publish("t", Message::new("y".repeat(30))),
        Err(PublishError::TooLarge { len: 44, max: 32 })
    );
    assert_eq!(
        hub.publish("t", Message::new("y".repeat(40))),
        Err(PublishError::TooLarge { len: 40, max: 32 })
    );
    assert_eq!(drain(&mut sub), vec![]);
    // The refused events took no number.
    assert_eq!(hub.publish("t", Message::new("ok")).unwrap().as_ref(), "1");
}

#[test]
fn empty_data_is_still_an_event() {
    let hub = Hub::default();
    let mut sub = hub.subscribe("t", None);
    hub.publish("t", Message::new("").event_type("prime"))
        .unwrap();
    assert_eq!(
        drain(&mut sub),
        vec![Some("event: prime\nid: 1\ndata:\n\n".to_string())]
    );
}

#[test]
fn a_lagging_subscriber_is_closed_to_resume_and_replay_fills_the_gap() {
    let hub = Hub::new(HubConfig::default().queue_capacity(2).lag(Lag::Close));
    let mut slow = hub.subscribe("t", None);
    let mut fast = hub.subscribe("t", None);
    publish_n(&hub, "t", 1..=1);
    assert_eq!(drain(&mut fast), vec![event("1", "e1")]);
    for n in 2..=4 {
        publish_n(&hub, "t", n..=n); // the slow queue holds 1, 2; event 3 overflows it
        assert_eq!(
            drain(&mut fast),
            vec![event(&n.to_string(), &format!("e{n}"))]
        );
    }
    // Told: the stream ends after what was queued, never skipping ahead in silence.
    assert_eq!(
        drain(&mut slow),
        vec![event("1", "e1"), event("2", "e2"), None]
    );
    assert_eq!(hub.subscriber_count("t"), 1);
    // It reconnects with its last id and gets exactly what it missed.
    let mut resumed = hub.subscribe("t", Some("2"));
    assert_eq!(
        drain(&mut resumed),
        vec![event("3", "e3"), event("4", "e4")]
    );
}

#[test]
fn a_lagging_subscriber_gets_an_in_band_gap_event_in_order() {
    let hub = Hub::new(HubConfig::default().queue_capacity(2).lag(Lag::Gap));
    let mut slow = hub.subscribe("t", None);
    publish_n(&hub, "t", 1..=5); // 1, 2 queued; 3, 4, 5 missed
    assert_eq!(
        slow.next()
            .now_or_never()
            .flatten()
            .map(|b| b.as_bytes().to_vec()),
        Some(b"id: 1\ndata: e1\n\n".to_vec())
    );
    publish_n(&hub, "t", 6..=6); // room for the gap and event 6 now, in order
    let gap = Some("event: gap\nid: 5\ndata: 3\ndata: 5\n\n".to_string());
    assert_eq!(
        drain(&mut slow),
        vec![event("2", "e2"), gap, event("6", "e6")]
    );
    assert_eq!(hub.subscriber_count("t"), 1); // still subscribed
}

#[test]
fn a_gap_is_reported_when_the_queue_drains_even_without_a_new_event() {
    let hub = Hub::new(HubConfig::default().queue_capacity(1).lag(Lag::Gap));
    let mut slow = hub.subscribe("t", None);
    publish_n(&hub, "t", 1..=3);
    let gap = Some("event: gap\nid: 3\ndata: 2\ndata: 3\n\n".to_string());
    assert_eq!(drain(&mut slow), vec![event("1", "e1"), gap]);
}

#[tokio::test(start_paused = true)]
async fn a_frozen_subscriber_is_dropped_after_the_send_timeout_and_others_keep_receiving() {
    let timeout = Duration::from_secs(5);
    let hub = Hub::new(
        HubConfig::default()
            .queue_capacity(2)
            .lag(Lag::Gap)
            .send_timeout(timeout),
    );
    let mut frozen = hub.subscribe("t", None); // never read until the end
    let mut reader = hub.subscribe("t", None);
    let mut received = 0;
    for n in 1..=20u32 {
        hub.publish("t", Message::new(format!("e{n}"))).unwrap();
        received += drain(&mut reader).len();
        tokio::time::advance(Duration::from_millis(500)).await;
    }
    assert_eq!(received, 20, "the reader missed nothing");
    // Full since event 3 (t = 1 s); at 6 s, on event 13, the timeout had passed.
    assert_eq!(hub.subscriber_count("t"), 1);
    assert_eq!(
        drain(&mut frozen),
        vec![None],
        "dropped: queue freed, stream ended"
    );
}

#[test]
fn disconnect_all_ends_every_stream_after_its_queue() {
    let hub = Hub::default();
    let mut a = hub.subscribe("a", None);
    let mut b = hub.subscribe("b", None);
    publish_n(&hub, "a", 1..=1);
    hub.disconnect_all();
    assert_eq!(drain(&mut a), vec![event("1", "e1"), None]);
    assert_eq!(drain(&mut b), vec![None]);
    assert_eq!(hub.subscriber_count("a") + hub.subscriber_count("b"), 0);
}

#[test]
fn a_dropped_subscription_is_forgotten() {
    let hub = Hub::default();
    let sub = hub.subscribe("t", None);
    assert_eq!(hub.subscriber_count("t"), 1);
    drop(sub);
    publish_n(&hub, "t", 1..=1);
    assert_eq!(hub.subscriber_count("t"), 0);
}

/// After a replay, the live queue is bounded by `queue_capacity` again once the replayed
/// events are read: a resumed client that stalls is treated as a fresh one.
#[test]
fn the_queue_bound_holds_again_once_a_replay_is_read() {
    let hub = Hub::new(HubConfig::default().queue_capacity(2).lag(Lag::Close));
    publish_n(&hub, "t", 1..=100);
    let mut resumed = hub.subscribe("t", Some("1"));
    let replayed = drain(&mut resumed);
    assert_eq!(replayed.len(), 99, "the replay is not lag");
    assert_eq!(replayed.last(), Some(&event("100", "e100")));
    publish_n(&hub, "t", 101..=110); // the client stalls
    assert_eq!(
        drain(&mut resumed),
        vec![event("101", "e101"), event("102", "e102"), None],
        "closed once 2 live events wait, as a fresh subscriber would be"
    );
    // Replayed events still waiting do count as room: a stalled resumed client is not
    // closed for them.
    let mut waiting = hub.subscribe("t", Some("100"));
    publish_n(&hub, "t", 111..=112);
    assert_eq!(drain(&mut waiting).len(), 12);
}

/// `remove_topic` ends its subscribers' streams even when it races `subscribe` and
/// `publish` on other threads: no subscription is left in a removed topic, waiting for
/// events that go to the new topic of the same name.
#[test]
fn remove_topic_racing_subscribe_leaves_no_subscription_behind() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let hub = Hub::default();
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = std::time::Instant::now() + Duration::from_millis(400);
    let subscriber = {
        let (hub, stop) = (hub.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut subscriptions = Vec::new();
            while !stop.load(Ordering::Relaxed) && subscriptions.len() < 100_000 {
                subscriptions.push(hub.subscribe("t", None));
            }
            subscriptions
        })
    };
    let remover = {
        let (hub, stop) = (hub.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            for _ in 0..100_000 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                hub.remove_topic("t");
            }
        })
    };
    while std::time::Instant::now() < deadline && !subscriber.is_finished() {
        std::thread::sleep(Duration::from_millis(10));
    }
    stop.store(true, Ordering::Relaxed);
    remover.join().unwrap();
    let mut subscriptions = subscriber.join().unwrap();
    assert!(
        subscriptions.len() > 100,
        "the race ran: {}",
        subscriptions.len()
    );
    hub.publish("t", Message::new("after")).unwrap();
    let mut stuck = 0;
    for subscription in &mut subscriptions {
        stuck += usize::from(drain(subscription).is_empty());
    }
    assert_eq!(stuck, 0, "of {} subscriptions", subscriptions.len());
}

/// When the last handle to the hub goes, nothing can publish any more: subscriptions end
/// (after what is queued), so clients reconnect instead of idling on keep-alives.
#[test]
fn dropping_the_last_hub_handle_ends_every_subscription() {
    let hub = Hub::default();
    let mut a = hub.subscribe("t", None);
    let mut b = hub.subscribe("u", None);
    let handle = hub.clone();
    publish_n(&hub, "t", 1..=1);
    drop(hub);
    assert_eq!(drain(&mut a), vec![event("1", "e1")], "a handle is left");
    drop(handle);
    assert_eq!(drain(&mut a), vec![None]);
    assert_eq!(drain(&mut b), vec![None]);
}
