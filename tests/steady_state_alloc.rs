//! The decoder allocates nothing per event once its buffers have grown: measured with a
//! counting global allocator over a million events in socket-sized and tiny chunks.
#![cfg(feature = "alloc")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use sse_proto::{Decoder, Item};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set on the thread that runs the decoder while it is measured: only its allocations
    /// count. The test harness's own thread allocates now and then (4 allocations in
    /// about one run in five, seen with a per-thread count), which is not the decoder's.
    static MEASURED: Cell<bool> = const { Cell::new(false) };
}

/// Counts one allocation if it is made by the measured thread.
fn count() {
    if MEASURED.with(Cell::get) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: forwards every call to the system allocator unchanged; it only counts. (The
// library forbids `unsafe`; this test harness needs it to install a global allocator.)
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn run(decoder: &mut Decoder, stream: &[u8], chunk: usize) -> u64 {
    let mut events = 0;
    for piece in stream.chunks(chunk) {
        let mut feed = decoder.feed(piece);
        while let Some(item) = feed.next() {
            if let Item::Event(e) = item {
                events += u64::from(!e.data().is_empty());
            }
        }
    }
    events
}

#[test]
fn no_allocation_per_event_in_steady_state() {
    // Single-line, multi-line, typed, id'd and CRLF events, comments and retries mixed.
    let block: &[u8] = b"data: {\"token\":\"hello\"}\n\nevent: update\r\nid: 42\r\ndata: line one\r\ndata: line two\r\n\r\n: keep-alive\nretry: 3000\n\ndata: caf\xC3\xA9\r\r";
    let stream = block.repeat(4096);
    for chunk in [16 * 1024, 7, 1] {
        let mut decoder = Decoder::new();
        // Warm-up: buffers reach their working size.
        run(&mut decoder, &stream, chunk);
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        MEASURED.with(|m| m.set(true));
        let mut events = 0;
        for _ in 0..80 {
            events += run(&mut decoder, &stream, chunk);
        }
        MEASURED.with(|m| m.set(false));
        let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
        assert_eq!(events, 80 * 4096 * 3);
        assert_eq!(
            allocations, 0,
            "{allocations} allocations for {events} events in {chunk}-byte chunks"
        );
    }
}
