//! Counted, not timed: fan-out to 10,000 subscribers encodes once and allocates nothing
//! per subscriber (every subscriber gets the very same bytes), and the memory an idle
//! subscriber costs, measured with a counting global allocator (figures printed; the
//! hub's module docs state them).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::pin::Pin;
use std::task::Context;

use futures_util::{FutureExt, StreamExt};
use sse_proto::Message;
use sse_proto_tokio::hub::Hub;
use sse_proto_tokio::serve::{Shutdown, Sse};

/// Counts this thread's allocations (tests run on several threads at once).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
}

#[allow(clippy::cast_possible_wrap)] // layout sizes are far below isize::MAX
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        let _ = LIVE_BYTES.try_with(|n| n.set(n.get() + layout.size() as isize));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = LIVE_BYTES.try_with(|n| n.set(n.get() - layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        let grown = new_size as isize - layout.size() as isize;
        let _ = LIVE_BYTES.try_with(|n| n.set(n.get() + grown));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

fn live_bytes() -> isize {
    LIVE_BYTES.with(Cell::get)
}

/// Allocations made by one publish of a 1 KiB event to `subscribers` subscribers, after
/// checking that every subscriber received the very same bytes.
fn allocations_to_publish_to(subscribers: usize) -> usize {
    let hub = Hub::default();
    let mut subscriptions: Vec<_> = (0..subscribers).map(|_| hub.subscribe("t", None)).collect();
    hub.publish("t", Message::new("warm-up")).unwrap(); // the history's first allocation
    for s in &mut subscriptions {
        s.next().now_or_never().unwrap().unwrap();
    }
    let message = Message::new("x".repeat(1024)).event_type("update");
    let before = allocations();
    let id = hub.publish("t", message).unwrap();
    let used = allocations() - before;
    let first = subscriptions[0].next().now_or_never().unwrap().unwrap();
    let head = format!("event: update\nid: {id}\ndata: xxx");
    assert!(first.as_bytes().starts_with(head.as_bytes()));
    for s in &mut subscriptions[1..] {
        let block = s.next().now_or_never().unwrap().unwrap();
        assert_eq!(
            block.as_bytes().as_ptr(),
            first.as_bytes().as_ptr(),
            "shared, not copied"
        );
    }
    used
}

#[test]
fn fan_out_to_10_000_subscribers_encodes_once_and_allocates_nothing_per_subscriber() {
    let to_ten_thousand = allocations_to_publish_to(10_000);
    let to_one = allocations_to_publish_to(1);
    println!("allocations for one publish: {to_ten_thousand} to 10,000 subscribers, {to_one} to 1");
    assert_eq!(
        to_ten_thousand, to_one,
        "the count does not grow with the subscribers"
    );
    // The id (a String, then an Arc<str>), the encoded Vec, and the shared header that
    // `Bytes` allocates on its first clone.
    assert!(to_one <= 4, "one encoding and its bookkeeping: {to_one}");
}

#[test]
fn memory_per_idle_subscriber() {
    const N: isize = 10_000;
    let hub = Hub::default();
    drop(hub.subscribe("t", None)); // creates the topic, not counted below
    let mut subscriptions = Vec::with_capacity(N as usize);
    let before = live_bytes();
    for _ in 0..N {
        subscriptions.push(hub.subscribe("t", None));
    }
    // The topic's list of queues grows by doubling; count what one entry needs (8 bytes).
    let per_subscription = (live_bytes() - before) / N;

    // As served: the body around it, boxed by axum, polled once (keep-alive timer armed,
    // shutdown watch in place).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let shutdown = Shutdown::new();
    let mut cx = Context::from_waker(futures_util::task::noop_waker_ref());
    let before = live_bytes();
    let bodies: Vec<_> = runtime.block_on(async {
        subscriptions
            .drain(..)
            .map(|subscription| {
                let mut body = Box::pin(Sse::new(subscription).shutdown(&shutdown));
                let polled = http_body::Body::poll_frame(Pin::as_mut(&mut body), &mut cx);
                assert!(polled.is_pending());
                body
            })
            .collect()
    });
    let per_body = (live_bytes() - before) / N;
    println!(
        "bytes per idle subscriber: {per_subscription} (subscription and queue), \
         {} with the Sse body",
        per_subscription + per_body
    );
    assert!(per_subscription < 512, "{per_subscription}");
    assert!(per_subscription + per_body < 1024, "{per_body}");
    drop(bodies);
}

/// Subscribers that come and go on a topic nothing is published to (a client reconnecting
/// over and over) leave no memory behind beyond a bounded few slots: the topic forgets
/// dropped subscriptions as it takes new ones, not only when it publishes.
#[test]
fn subscriptions_dropped_on_a_quiet_topic_do_not_pile_up() {
    let hub = Hub::default();
    let _live = hub.subscribe("t", None);
    let before = live_bytes();
    for _ in 0..100_000 {
        drop(hub.subscribe("t", Some("an-unknown-id")));
    }
    let held = live_bytes() - before;
    println!("held after 100,000 subscriptions dropped, nothing published: {held} bytes");
    assert!(held < 64 << 10, "{held} bytes held");
    assert_eq!(hub.subscriber_count("t"), 1);
}
