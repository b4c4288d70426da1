//! Peak heap memory of the owned paths against hostile bodies (one large read, an undrained feed):
//! measured with a counting global allocator, so the bounds are byte counts, not timings.
//! The scenarios run one at a time (the allocator is global to the test binary).
#![cfg(feature = "std")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use sse_proto::client::{Instant, Output, ResponseHead};
use sse_proto::{Client, ClientConfig, Decoder, DecoderConfig, Dropped, EventReader, OwnedItem};

struct Peak;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Every byte ever allocated: copying shows up here.
static TOTAL: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    TOTAL.fetch_add(by, Ordering::SeqCst);
    let now = CURRENT.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// SAFETY: forwards every call to the system allocator unchanged; it only counts bytes.
// (The library forbids `unsafe`; this test harness needs it to install an allocator.)
unsafe impl GlobalAlloc for Peak {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size);
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        p
    }
}

#[global_allocator]
static GLOBAL: Peak = Peak;

/// One scenario at a time: the counters are global.
static SERIAL: Mutex<()> = Mutex::new(());

/// The peak of heap bytes above what was in use when `f` started.
fn peak_during(f: impl FnOnce()) -> usize {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    f();
    PEAK.load(Ordering::SeqCst).saturating_sub(base)
}

const MIB: usize = 1 << 20;

/// A decoder that takes the long id of [`long_id_body`] (ids have a 64 KiB limit by
/// default): the scenario is an id as long as the limits allow.
fn long_ids() -> DecoderConfig {
    DecoderConfig::default().max_id_len(2 * MIB)
}

/// The body of the issue: a 1 MiB `id`, then 3,000 events that carry it.
fn long_id_body() -> Vec<u8> {
    let mut body = b"id: ".to_vec();
    body.resize(4 + MIB - 16, b'i');
    body.push(b'\n');
    for _ in 0..3000 {
        body.extend_from_slice(b"data\n\n");
    }
    body
}

/// Defect 1: through `EventReader`, every event used to copy the 1 MiB id and all the
/// items of a read were queued at once: 2.7 GB. Now the id is shared and items are made
/// as they are asked for.
#[test]
fn event_reader_memory_is_bounded_by_the_limits() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let body = long_id_body();
    let mut events = 0;
    let peak = peak_during(|| {
        let reader = EventReader::with_decoder(&body[..], Decoder::with_config(long_ids()));
        for item in reader {
            if let Ok(OwnedItem::Event(e)) = item {
                assert_eq!(e.last_event_id.len(), MIB - 16);
                events += 1;
            }
        }
    });
    assert_eq!(events, 3000);
    // The line buffer, the committed id and its shared copy: a few MiB, not 3,000 of them.
    assert!(peak < 8 * MIB, "peak {peak} bytes");
}

/// Defect 1: a `Client` given 64 KiB reads used to hold every item of a read, each with
/// its own copy of the id (about 10 GiB for this body).
#[test]
fn client_memory_is_bounded_by_the_limits() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let body = long_id_body();
    let mut events = 0;
    let peak = peak_during(|| {
        let now = Instant::EPOCH;
        let config = ClientConfig::new("http://h/")
            .decoder(ClientConfig::DEFAULT_DECODER.max_id_len(2 * MIB));
        let mut client = Client::new(config, now).unwrap();
        let head = ResponseHead::new(200).content_type("text/event-stream");
        client
            .handle_response(now, client.attempt(), &head)
            .unwrap();
        while client.poll_output().is_some() {}
        let mut kept = Vec::new();
        for chunk in body.chunks(64 << 10) {
            client.handle_body(now, client.attempt(), chunk).unwrap();
            while let Some(output) = client.poll_output() {
                if let Output::Item(OwnedItem::Event(e)) = output {
                    events += 1;
                    kept.push(e); // even a caller that keeps every event pays the id once
                }
            }
        }
        drop(kept);
    });
    assert_eq!(events, 3000);
    assert!(peak < 8 * MIB, "peak {peak} bytes");
}

/// Defect 1, the owned iterator: `Feed::owned()` shares the id too.
#[test]
fn owned_feed_shares_the_id() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let body = long_id_body();
    let peak = peak_during(|| {
        let mut decoder = Decoder::with_config(long_ids());
        let items: Vec<OwnedItem> = decoder.feed(&body).owned().collect();
        assert_eq!(items.len(), 3000);
    });
    assert!(peak < 8 * MIB, "peak {peak} bytes");
}

/// Defect 7: a 5 MiB payload in base64 is a ~7 MB `data:` line; browsers take it, and so
/// does a client with the default configuration, within the documented bound
/// (3 × 16 MiB + one read).
#[test]
fn default_client_takes_a_7_mb_line_within_its_bound() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let payload = 5 * MIB * 4 / 3; // base64 of 5 MiB
    let mut body = b"data: ".to_vec();
    body.resize(6 + payload, b'A');
    body.extend_from_slice(b"\n\n");
    let mut sizes = Vec::new();
    let peak = peak_during(|| {
        let now = Instant::EPOCH;
        let mut client = Client::new(ClientConfig::new("http://h/"), now).unwrap();
        let head = ResponseHead::new(200).content_type("text/event-stream");
        client
            .handle_response(now, client.attempt(), &head)
            .unwrap();
        while client.poll_output().is_some() {}
        for chunk in body.chunks(64 << 10) {
            client.handle_body(now, client.attempt(), chunk).unwrap();
            while let Some(output) = client.poll_output() {
                match output {
                    Output::Item(OwnedItem::Event(e)) => sizes.push(e.data.len()),
                    Output::Item(other) => panic!("{other:?}"),
                    _ => {}
                }
            }
        }
    });
    assert_eq!(sizes, [payload]);
    assert!(peak < 3 * 16 * MIB + (64 << 10), "peak {peak} bytes");
}

/// Defect 1: ids have a limit of their own (64 KiB by default): a 1 MiB id drops its
/// block, reported, and is never kept or sent back.
#[test]
fn a_long_id_is_dropped_by_default() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let body = long_id_body();
    let items: Vec<OwnedItem> = EventReader::new(&body[..]).map(Result::unwrap).collect();
    assert_eq!(items[0], OwnedItem::Dropped(Dropped::IdTooLong));
    assert_eq!(items.len(), 3000); // the first block dropped, 2,999 events
    assert!(items[1..]
        .iter()
        .all(|i| matches!(i, OwnedItem::Event(e) if e.last_event_id.is_empty())));
}

/// Defect 5: feeds dropped before they are drained. The kept backlog used to be copied
/// whole on every feed (quadratic) and grow without bound; now it is kept amortised and
/// within `max_line_len + max_event_len`, the excess reported as `Dropped::Undrained`.
#[test]
fn undrained_feeds_stay_within_the_limits() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let config = DecoderConfig::default()
        .max_line_len(16 << 10)
        .max_event_len(48 << 10); // 64 KiB of limits
    let chunk = b"data: 0123456789\n\n".repeat(256); // 4.5 KiB, 256 events
    let rounds = 1000;
    let mut taken = 0u64;
    let mut reports = 0;
    let total_before = TOTAL.load(Ordering::SeqCst);
    let mut decoder = Decoder::with_config(config);
    let peak = peak_during(|| {
        for _ in 0..rounds {
            let mut feed = decoder.feed(&chunk);
            // One item, then the feed is dropped undrained.
            match feed.next() {
                Some(sse_proto::Item::Event(_)) => taken += 1,
                Some(sse_proto::Item::Dropped(Dropped::Undrained)) => reports += 1,
                other => panic!("{other:?}"),
            }
        }
    });
    let copied = TOTAL.load(Ordering::SeqCst) - total_before;
    // Then drain: the report comes first, and every event is either seen or counted.
    let mut seen = taken;
    let mut feed = decoder.feed(b"");
    while let Some(item) = feed.next() {
        match item {
            sse_proto::Item::Dropped(Dropped::Undrained) => reports += 1,
            sse_proto::Item::Event(_) => seen += 1,
            other => panic!("{other:?}"),
        }
    }
    drop(feed);
    let all = rounds * 256;
    assert!(reports >= 1, "the discarded items are reported");
    assert_eq!(
        seen + decoder.dropped_blocks(),
        all,
        "nothing lost without a count"
    );
    assert!(peak < 4 * (64 << 10) + 2 * chunk.len(), "peak {peak} bytes");
    assert!(
        copied < 16 * rounds as usize * chunk.len(),
        "{copied} bytes allocated"
    );
}
