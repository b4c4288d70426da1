//! Timing: the CPU time of the measuring thread, interleaved rounds, medians.
//!
//! Wall-clock time on a machine shared with other work counts the time the OS gives to
//! other processes against whichever parser happened to be running; the thread's CPU time
//! does not (cache and memory-bandwidth contention still show, hence the interleaving).

use std::hint::black_box;
use std::time::Duration;

/// The calling thread's CPU time so far.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The order in which the runners take their turn in one round: a fresh shuffle each
/// round (seeded, so a run is repeatable). A fixed rotation always times a runner right
/// after the same other one, and a pass inherits the state the one before left (heap free
/// lists, caches): once, with an earlier encoder and 7 rounds, whichever encoder ran right
/// after the two ceiling rows was 1.6–2× slower on the 20-line and 64 KiB workloads than
/// in another place, even after an untimed pass of its own (with 21 rounds and today's
/// encoder the two orders gave ratios within the run-to-run noise). Shuffled, each runner
/// follows each other one about equally often, and the median over rounds drops the
/// unlucky ones. `--order rotation` gives that fixed rotation instead (round `round`
/// starts at runner `round`), to compare.
pub fn round_order(
    runners: usize,
    round: usize,
    rotation: bool,
    rng: &mut crate::corpus::Rng,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..runners).collect();
    if rotation {
        order.rotate_left(round % runners.max(1));
        return order;
    }
    for j in (1..order.len()).rev() {
        // Fisher–Yates; `j + 1` fits in u64 and the remainder is at most `j`.
        let k = (rng.next() % (j as u64 + 1)) as usize;
        order.swap(j, k);
    }
    order
}

/// Reads one byte of every 64 in `bytes` (one per cache line), untimed, right before a
/// runner's timed pass over them.
///
/// The corpora are 32 MiB, but the machine this table comes from has a 480 MiB L3 cache
/// (shared with other tenants): the corpus does not leave it, and without this read a
/// runner starts with whatever part of its input the runners before it left there. A
/// runner that churns memory for long (sseer allocates per line) pushed much of it out;
/// a quick one left it in. In one run without this read, sse-proto decoded multiline at
/// 16 KiB at ~5,100 MiB/s beside sse-stream alone and at 2,900–4,300 MiB/s beside sseer:
/// the order of the shuffle, not the parser, decided the figure. Read first, every runner
/// starts with its input in the cache as far as it fits, as a parser does with bytes a
/// `read` has just copied into its buffer. `--cache as-is` leaves the cache as the
/// previous runner left it, to compare.
pub fn warm(bytes: &[u8]) {
    let mut x = 0u8;
    for line in bytes.chunks(64) {
        x ^= line[0];
    }
    black_box(x);
}

/// [`warm`] for the list of chunks a runner walks (at 64-byte chunks, 16 bytes of slice
/// per 64 bytes of stream: 8 MiB for a 32 MiB corpus).
pub fn warm_chunks(chunks: &[&[u8]]) {
    let mut x = 0usize;
    for four in chunks.chunks(4) {
        x ^= four[0].len();
    }
    black_box(x);
}

/// Runs `f` once and returns the CPU time it took.
pub fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let start = thread_cpu_time();
    black_box(f());
    thread_cpu_time().saturating_sub(start)
}

/// The median over rounds of `ours[r] / theirs[r]` (time ratios of the same round, so a
/// slow patch of the machine affects both sides of each ratio alike): how many times
/// faster `ours` is.
pub fn paired_speedup(
    ours: &[Duration],
    theirs: &[Duration],
    our_bytes: usize,
    their_bytes: usize,
) -> f64 {
    let mut ratios: Vec<f64> = ours
        .iter()
        .zip(theirs)
        .map(|(o, t)| {
            let ours = our_bytes as f64 / o.as_secs_f64().max(1e-12);
            let theirs = their_bytes as f64 / t.as_secs_f64().max(1e-12);
            ours / theirs
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let n = ratios.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => ratios[n / 2],
        _ => (ratios[n / 2 - 1] + ratios[n / 2]) / 2.0,
    }
}

/// The median of the samples (the mean of the middle two for an even count).
pub fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    let n = s.len();
    if n == 0 {
        return Duration::ZERO;
    }
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2
    }
}

/// MiB per second for `bytes` processed in `t`.
pub fn mib_per_s(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / t.as_secs_f64().max(1e-9)
}
