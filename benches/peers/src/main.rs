//! sse-proto against every published Rust SSE parser and encoder, in one run.
//!
//! ```text
//! cargo run --release -- [--quick] [--rounds N] [--size MiB] [--budget-ms MS]
//!                        [--corpus NAME] [--only PARSER,...] [--skip-encode] [--skip-decode]
//!                        [--skip-scaling] [--order shuffle|rotation] [--cache warm|as-is]
//!                        [--out DIR]
//! ```
//!
//! Every parser is first checked to produce exactly the events the generator put in each
//! corpus (type, data, last event ID, in order); a parser that does not is reported as
//! such and not timed. Then, per corpus × chunk size, the parsers run round by round in a
//! shuffled order, so they share the machine's noise; the figures are medians over rounds,
//! the ratios come from the same run. `--out DIR` writes `RESULTS.md` and `chart.svg`.
//!
//! Before each timed pass, the runner's input is read once (`--cache warm`, the default),
//! so that every runner starts from the same cache state: see `measure::warm`.

mod check;
mod corpus;
mod encoders;
mod measure;
mod parsers;
mod report;
mod sse_proto_api;

/// sse-proto's own line-end search (crate-private there), for the ceiling rows: the search
/// a safe, dependency-free decoder has, where memchr may use AVX2.
#[path = "../../../src/scan.rs"]
#[allow(dead_code, clippy::all)]
mod scan;

use std::hint::black_box;
use std::rc::Rc;
use std::time::Duration;

use check::{Count, EventHash, Sink};
use measure::{median, mib_per_s, round_order, time, warm, warm_chunks};
use report::{Cell, Kind, Row};

struct Args {
    quick: bool,
    rounds: usize,
    size: usize,
    budget: Duration,
    corpus: Option<String>,
    only: Option<String>,
    encode: bool,
    decode: bool,
    scaling: bool,
    out: Option<String>,
    chunk: Option<usize>,
    profile: Option<String>,
    /// `--order rotation`: the old fixed rotation instead of a shuffle per round, to show
    /// the order effect `measure::round_order` describes.
    rotation: bool,
    /// `--cache as-is`: no read of the input before each timed pass (`measure::warm`).
    warm: bool,
}

fn args() -> Args {
    let mut a = Args {
        quick: false,
        rounds: 21,
        size: 32 << 20,
        budget: Duration::from_millis(400),
        corpus: None,
        only: None,
        encode: true,
        decode: true,
        scaling: true,
        out: None,
        chunk: None,
        profile: None,
        rotation: false,
        warm: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--quick" => {
                a.quick = true;
                a.rounds = 1;
                a.size = 1 << 20;
                a.budget = Duration::from_millis(50);
            }
            "--rounds" => a.rounds = value().parse().expect("--rounds N"),
            "--size" => a.size = value().parse::<usize>().expect("--size MiB") << 20,
            "--budget-ms" => {
                a.budget = Duration::from_millis(value().parse().expect("--budget-ms MS"))
            }
            "--corpus" => a.corpus = Some(value()),
            "--only" => a.only = Some(value()),
            "--skip-encode" => a.encode = false,
            "--skip-decode" => a.decode = false,
            "--skip-scaling" => a.scaling = false,
            "--out" => a.out = Some(value()),
            "--chunk" => a.chunk = Some(value().parse().expect("--chunk BYTES")),
            "--profile" => a.profile = Some(value()),
            "--order" => {
                a.rotation = match value().as_str() {
                    "shuffle" => false,
                    "rotation" => true,
                    other => panic!("--order shuffle|rotation, not {other}"),
                }
            }
            "--cache" => {
                a.warm = match value().as_str() {
                    "warm" => true,
                    "as-is" => false,
                    other => panic!("--cache warm|as-is, not {other}"),
                }
            }
            other => panic!("unknown argument {other}; see the doc comment in src/main.rs"),
        }
    }
    a
}

/// A timed row: a parser, or a ceiling (the cost of one pass over the same bytes).
#[derive(Clone, Copy)]
enum Runner {
    Parser(parsers::Parser),
    Memcpy,
    LineEnds,
    SafeLineEnds,
    Utf8,
    SafeFloor,
}

impl Runner {
    fn name(self) -> &'static str {
        match self {
            Runner::Parser(p) => p.name(),
            Runner::Memcpy => "memcpy of each chunk (ceiling)",
            Runner::LineEnds => "memchr2 CR/LF search (ceiling)",
            Runner::SafeLineEnds => "safe SWAR CR/LF search (ceiling)",
            Runner::Utf8 => "from_utf8 of the corpus (ceiling)",
            Runner::SafeFloor => "safe search + memcpy + from_utf8 (ceiling)",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Runner::Parser(parsers::Parser::SseProto | parsers::Parser::SseProtoStream) => {
                Kind::Ours
            }
            Runner::Parser(_) => Kind::Peer,
            _ => Kind::Reference,
        }
    }

    /// One timed pass; returns something that depends on all the work.
    fn run(self, bytes: &'static [u8], chunks: &[&'static [u8]], scratch: &mut [u8]) -> u64 {
        match self {
            Runner::Parser(p) => {
                let mut count = Count::default();
                p.run(chunks, &mut count);
                count.events + count.data_bytes
            }
            Runner::Memcpy => {
                let mut n = 0u64;
                for c in chunks {
                    scratch[..c.len()].copy_from_slice(c);
                    n += u64::from(black_box(&scratch[..c.len()])[0]);
                }
                n
            }
            Runner::LineEnds => chunks
                .iter()
                .map(|c| memchr::memchr2_iter(b'\r', b'\n', c).count() as u64)
                .sum(),
            Runner::SafeLineEnds => chunks.iter().map(|c| count_line_ends(c)).sum(),
            Runner::Utf8 => std::str::from_utf8(bytes)
                .map(|s| s.len() as u64)
                .unwrap_or(0),
            Runner::SafeFloor => {
                // What any safe, dependency-free decoder does at least to a line it must keep
                // across chunks, fused per chunk (each chunk is in cache for all three): find
                // the line ends, copy the bytes, check them as UTF-8 (up to a character cut
                // by the chunk's end).
                let mut n = 0u64;
                for c in chunks {
                    n += count_line_ends(c);
                    scratch[..c.len()].copy_from_slice(c);
                    n += u64::from(black_box(&scratch[..c.len()])[0]);
                    n += std::str::from_utf8(c).map_or_else(|e| e.valid_up_to(), str::len) as u64;
                }
                n
            }
        }
    }
}

/// The number of CR and LF bytes in `bytes`, found with sse-proto's search.
fn count_line_ends(mut bytes: &[u8]) -> u64 {
    let mut n = 0;
    while let Some(i) = scan::find_line_end(bytes) {
        n += 1;
        bytes = &bytes[i + 1..];
    }
    n
}

/// What a runner is timed on: the bytes, their chunks, and a note if they are a prefix.
type TimedInput = (&'static [u8], Rc<[&'static [u8]]>, Option<String>);

fn split(bytes: &'static [u8], chunk: usize) -> Vec<&'static [u8]> {
    bytes.chunks(chunk).collect()
}

/// One corpus × chunk size: what each runner is timed on, and its times so far.
struct DecodeCell {
    title: String,
    /// Per runner: its bytes and chunks (`None` if it decoded them wrongly).
    inputs: Vec<Option<TimedInput>>,
    samples: Vec<Vec<Duration>>,
    rng: corpus::Rng,
}

/// Decoder comparison: every corpus × chunk size.
///
/// Each round times every runner of every cell, so a cell's rounds are spread over the
/// whole run: a slow minute of the shared machine (another tenant's job) touches some
/// rounds of every cell, which the medians drop, rather than every round of one cell.
fn decode_cells(a: &Args) -> Vec<Cell> {
    let corpora = corpus::all(a.size, a.corpus.as_deref());
    let mut runners: Vec<Runner> = parsers::ALL
        .iter()
        .filter(|p| {
            a.only
                .as_deref()
                .is_none_or(|o| o.split(',').any(|o| p.name().starts_with(o)))
        })
        .map(|&p| Runner::Parser(p))
        .collect();
    runners.extend([
        Runner::Memcpy,
        Runner::LineEnds,
        Runner::SafeLineEnds,
        Runner::Utf8,
        Runner::SafeFloor,
    ]);
    let mut scratch = vec![0u8; 1 << 16];
    let mut cells = Vec::new();
    for c in &corpora {
        for chunk in [16 * 1024, 64] {
            if a.chunk.is_some_and(|only| only != chunk) {
                continue;
            }
            let title = format!("{} {}", c.name, if chunk == 64 { "64 B" } else { "16 KiB" });
            eprintln!(
                "== {title} ({:.1} MiB): checking",
                c.bytes.len() as f64 / 1048576.0
            );
            let (whole, whole_expect) = c.whole();
            // Shared by every runner timed on the whole corpus.
            let whole_chunks: Rc<[&'static [u8]]> = split(whole, chunk).into();
            // Per runner: the bytes it is timed on (a prefix for one too slow for the budget).
            let mut inputs: Vec<Option<TimedInput>> = Vec::new();
            for &r in &runners {
                let (probe, _) = c.prefix(whole.len().min(1 << 20));
                let probe_chunks = split(probe, chunk);
                // The fastest of three probes: on a shared VM one probe can absorb a stall
                // (time stolen by the host counts as the thread's CPU time) and make a fast
                // runner look a hundred times slower than it is.
                let t = (0..3)
                    .map(|_| time(|| r.run(probe, &probe_chunks, &mut scratch)))
                    .min()
                    .unwrap_or_default();
                let estimate = t.as_secs_f64() * whole.len() as f64 / probe.len() as f64;
                let (bytes, chunks, expect, note) = if estimate > a.budget.as_secs_f64() {
                    let limit =
                        (a.budget.as_secs_f64() / t.as_secs_f64() * probe.len() as f64) as usize;
                    let (bytes, expect) = c.prefix(limit.max(probe.len()));
                    let note = format!(
                        "timed on the first {:.1} MiB of the corpus: a full pass would take ~{:.1} s per round",
                        bytes.len() as f64 / 1048576.0,
                        estimate
                    );
                    (bytes, split(bytes, chunk).into(), expect, Some(note))
                } else {
                    (whole, Rc::clone(&whole_chunks), whole_expect, None)
                };
                if let Runner::Parser(p) = r {
                    let mut hash = EventHash::default();
                    p.run(&chunks, &mut hash);
                    let got = hash.expect();
                    if got != expect {
                        eprintln!(
                            "   {}: WRONG EVENTS: got {got:?}, expected {expect:?}",
                            r.name()
                        );
                        inputs.push(None);
                        continue;
                    }
                }
                inputs.push(Some((bytes, chunks, note)));
            }
            cells.push(DecodeCell {
                title,
                inputs,
                samples: vec![Vec::new(); runners.len()],
                rng: corpus::Rng::new(1),
            });
        }
    }
    for round in 0..a.rounds {
        eprintln!("== round {} of {}", round + 1, a.rounds);
        for cell in &mut cells {
            for i in round_order(runners.len(), round, a.rotation, &mut cell.rng) {
                if let Some((bytes, chunks, _)) = &cell.inputs[i] {
                    let r = runners[i];
                    if a.warm {
                        warm(bytes);
                        warm_chunks(chunks);
                    }
                    cell.samples[i].push(time(|| r.run(bytes, chunks, &mut scratch)));
                }
            }
        }
    }
    cells
        .into_iter()
        .map(|cell| {
            let rows = runners
                .iter()
                .zip(cell.inputs)
                .zip(cell.samples)
                .map(|((r, input), s)| Row {
                    name: r.name().to_string(),
                    kind: r.kind(),
                    mib_s: input
                        .as_ref()
                        .map(|(bytes, _, _)| mib_per_s(bytes.len(), median(&s))),
                    bytes: input.as_ref().map_or(0, |(bytes, _, _)| bytes.len()),
                    note: input.and_then(|(_, _, note)| note),
                    samples: s,
                })
                .collect::<Vec<_>>();
            let cell = Cell {
                title: cell.title,
                rows,
            };
            eprint_cell("", &cell);
            cell
        })
        .collect()
}

/// Progress on stderr: a cell's rows as they were measured, then its ratio.
fn eprint_cell(prefix: &str, cell: &Cell) {
    eprintln!("== {prefix}{}", cell.title);
    for row in &cell.rows {
        eprintln!(
            "   {:40} {:>10}",
            row.name,
            row.mib_s.map_or("wrong".into(), |m| format!("{m:.1}"))
        );
    }
    if let Some((r, who)) = cell.ratio() {
        eprintln!("   sse-proto ÷ fastest other: {r:.2} ({who})");
    }
}

/// Encoder comparison: every workload, each event into an owned buffer. As for the
/// decoders, each round times every encoder on every workload.
fn encode_cells(a: &Args) -> Vec<Cell> {
    let workloads = encoders::workloads(a.size);
    // Per workload: whether each encoder's frames decode to the events put in.
    let mut checked = Vec::new();
    for w in &workloads {
        eprintln!("== encode {} ({} events): checking", w.name, w.events.len());
        let mut want = EventHash::default();
        for ev in w.events {
            want.event(
                ev.event_type.as_bytes(),
                ev.data.as_bytes(),
                ev.id.as_bytes(),
            );
        }
        let ok: Vec<bool> = encoders::ALL
            .iter()
            .map(|e| {
                if e.is_ceiling() {
                    return true; // its buffers are not frames
                }
                let mut stream = Vec::new();
                e.run(w.events, &mut |f| stream.extend_from_slice(f));
                let mut got = EventHash::default();
                sse_proto_api::decode(&[&stream], &mut got);
                let good = got.expect() == want.expect();
                if !good {
                    eprintln!("   {}: WRONG FRAMES", e.name());
                }
                good
            })
            .collect();
        checked.push((
            ok,
            vec![Vec::new(); encoders::ALL.len()],
            corpus::Rng::new(1),
        ));
    }
    for round in 0..a.rounds {
        for (w, (ok, samples, rng)) in workloads.iter().zip(&mut checked) {
            for i in round_order(encoders::ALL.len(), round, a.rotation, rng) {
                if ok[i] {
                    let e = encoders::ALL[i];
                    if a.warm {
                        w.events.iter().for_each(|ev| warm(ev.data.as_bytes()));
                    }
                    samples[i].push(time(|| encode_once(e, w.events)));
                }
            }
        }
    }
    workloads
        .iter()
        .zip(checked)
        .map(|(w, (ok, samples, _))| {
            let rows = encoders::ALL
                .iter()
                .zip(ok)
                .zip(samples)
                .map(|((e, good), s)| Row {
                    name: e.name().to_string(),
                    kind: match e {
                        encoders::Encoder::SseProto => Kind::Ours,
                        _ if e.is_reference() => Kind::Reference,
                        _ => Kind::Peer,
                    },
                    mib_s: good.then(|| mib_per_s(w.field_bytes, median(&s))),
                    note: None,
                    samples: s,
                    bytes: w.field_bytes,
                })
                .collect::<Vec<_>>();
            let cell = Cell {
                title: w.name.to_string(),
                rows,
            };
            eprint_cell("encode ", &cell);
            cell
        })
        .collect()
}

/// One timed encoder pass.
#[inline(never)]
fn encode_once(e: encoders::Encoder, events: &'static [encoders::Event]) -> usize {
    let mut n = 0usize;
    e.run(events, &mut |f| n += black_box(f).len());
    n
}

/// Scaling: one data line of growing length fed in 16-byte chunks; time per byte.
fn scaling(a: &Args) -> String {
    let sizes: &[usize] = if a.quick {
        &[1 << 16, 1 << 18]
    } else {
        &[1 << 16, 1 << 20, 16 << 20]
    };
    let mut out = String::from("| data line | fed in | ns per byte (median) |\n|---:|---:|---:|\n");
    for &n in sizes {
        let mut line = b"data: ".to_vec();
        line.resize(n + 6, b'x');
        line.extend_from_slice(b"\n\n");
        // Untimed passes first: the decoder's data buffer reaches the line's size (and its
        // pages are touched), so the rounds time the decoding, not the kernel handing out
        // fresh pages (in a VM, page faults cost far more, and vary far more, than the bytes
        // they hold).
        let mut decoder = sse_proto_api::line_decoder(line.len());
        for _ in 0..2 {
            assert_eq!(
                sse_proto_api::decode_one_line(&mut decoder, &line, 16),
                n,
                "the line decodes whole"
            );
        }
        let samples: Vec<Duration> = (0..a.rounds.max(3))
            .map(|_| time(|| sse_proto_api::decode_one_line(&mut decoder, &line, 16)))
            .collect();
        let ns = median(&samples).as_secs_f64() * 1e9 / line.len() as f64;
        let label = if n >= 1 << 20 {
            format!("{} MiB", n >> 20)
        } else {
            format!("{} KiB", n >> 10)
        };
        eprintln!("== scaling {label}: {ns:.2} ns/byte");
        out.push_str(&format!("| {label} | 16-byte chunks | {ns:.2} |\n"));
    }
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let flags = match env!("COMPARE_RUSTFLAGS") {
        "" => "no RUSTFLAGS (the layout of each runner's code is left to chance)".to_string(),
        flags => format!("RUSTFLAGS `{flags}` (see `benches/peers/.cargo/config.toml`)"),
    };
    format!(
        "{cpu}, {cores} cores (shared with other work), {rustc}, {}, {flags}",
        std::env::consts::OS
    )
}

/// `--profile PARSER --corpus NAME --chunk BYTES`: that parser alone, `--rounds` times,
/// nothing else (for callgrind or perf).
fn profile(a: &Args, name: &str) {
    if let Some(name) = name.strip_prefix("enc:") {
        // `--profile enc:ENCODER --corpus WORKLOAD-PREFIX`
        let encoder = encoders::ALL
            .into_iter()
            .find(|e| e.name().starts_with(name))
            .expect("--profile enc: an encoder name");
        for w in encoders::workloads(a.size) {
            if a.corpus.as_deref().is_some_and(|c| !w.name.starts_with(c)) {
                continue;
            }
            for _ in 0..a.rounds {
                encode_once(encoder, w.events);
            }
        }
        return;
    }
    let parser = parsers::ALL
        .into_iter()
        .find(|p| p.name().starts_with(name))
        .expect("--profile: a parser name");
    for c in corpus::all(a.size, a.corpus.as_deref()) {
        let chunks = split(c.bytes, a.chunk.unwrap_or(16 * 1024));
        for _ in 0..a.rounds {
            let mut count = Count::default();
            parser.run(&chunks, &mut count);
            black_box(count);
        }
    }
}

/// Appends the notes on the cells below target, under `heading`, if there are any.
fn push_notes(md: &mut String, heading: &str, notes: &str) {
    if !notes.is_empty() {
        md.push_str(heading);
        md.push_str(notes);
        md.push('\n');
    }
}

fn main() {
    let a = args();
    if let Some(name) = &a.profile {
        return profile(&a, name);
    }
    let decode = if a.decode {
        decode_cells(&a)
    } else {
        Vec::new()
    };
    let encode = if a.encode {
        encode_cells(&a)
    } else {
        Vec::new()
    };
    let scaling = if a.scaling {
        scaling(&a)
    } else {
        String::new()
    };

    let mut md = String::new();
    md.push_str("# sse-proto against the other Rust SSE parsers and encoders\n\n");
    md.push_str(&format!(
        "Machine: {}. Corpora of {} MiB each, {} rounds, each of which times every runner \
         on every corpus and chunk size (so that a slow patch of the shared machine falls on \
         some rounds of every cell, not on all rounds of one), the runners of a cell in {} \
         order{}. Each figure is the median over rounds of the CPU time of the \
         measuring thread (time the OS gave to other processes is not counted; the machine \
         is shared, so cache and memory contention still add noise). The ratio row is the median over rounds of sse-proto's \
         throughput divided by the fastest other parser's in the same round, rounded down to \
         two decimals (a cell shown at 1.50× has reached 1.5×). These are \
         figures from one run on a noisy machine: read the ratios rather than the absolute \
         numbers.\n\n",
        machine(),
        a.size >> 20,
        a.rounds,
        if a.rotation {
            "a fixed rotating"
        } else {
            "a freshly shuffled (seeded)"
        },
        if a.warm {
            ", each timed pass starting with its input read once, so that every runner starts \
             with it in the cache (see `warm` in `benches/peers/src/measure.rs`)"
        } else {
            ", each timed pass starting from the cache as the one before left it \
             (`--cache as-is`)"
        }
    ));
    md.push_str("Reproduce (writes this file and `chart.svg`):\n\n```sh\ncd benches/peers && cargo run --release -- --out .\n```\n\n");
    if !decode.is_empty() {
        md.push_str("## Decoding (MiB/s of stream bytes; corpus and chunk size per column)\n\n");
        md.push_str(&report::table(&decode, "parser"));
        md.push('\n');
        md.push_str(
            "The *ceiling* rows are single passes over the same chunks: copying them, finding \
             their line ends (memchr2 uses AVX2; the safe SWAR search is sse-proto's own), \
             checking them as UTF-8 (std's `from_utf8`, which a crate without `unsafe` or \
             dependencies must use to hand out `&str`), and the three together: the least work \
             a safe, dependency-free decoder does on a line it has to keep across chunks.\n\n",
        );
        let notes = report::below_target(
            &decode,
            1.5,
            "safe search + memcpy + from_utf8 (ceiling)",
            "a decoder that hands out `&str` without `unsafe` or dependencies",
            false,
        );
        push_notes(
            &mut md,
            "Cells below the 1.5× target, against the safe floor:\n\n",
            &notes,
        );
    }
    if !encode.is_empty() {
        md.push_str(
            "## Encoding each event into an owned buffer (MiB/s of type + id + data bytes)\n\n",
        );
        md.push_str(&report::table(&encode, "encoder"));
        md.push('\n');
        md.push_str(
            "*memcpy of the fields* allocates a buffer the size of the frame and copies the \
             event's type, id and data into it, with the fixed bytes of a one-line frame: the \
             least work for any encoder that hands out an owned buffer per event (no search, \
             no `data: ` per line). *safe search + memcpy of the fields* first finds every \
             line end of the data with sse-proto's own safe search (an encoder must find them \
             to start each line with `data: `; memchr may use AVX2, safe code without \
             dependencies cannot), then does the same copy: the work of a safe, \
             dependency-free encoder, with no formatting.\n\n",
        );
        let notes = report::below_target(
            &encode,
            2.0,
            "memcpy of the fields (ceiling)",
            "any encoder into an owned buffer",
            true,
        );
        push_notes(
            &mut md,
            "Workloads below the 2× target, against that ceiling:\n\n",
            &notes,
        );
        let notes = report::below_target(
            &encode,
            2.0,
            "safe search + memcpy of the fields (ceiling)",
            "an encoder into an owned buffer without `unsafe` or dependencies",
            false,
        );
        push_notes(
            &mut md,
            "The same workloads against the safe floor:\n\n",
            &notes,
        );
    }
    if !scaling.is_empty() {
        md.push_str("## Scaling: one long data line fed in 16-byte chunks (sse-proto)\n\n");
        md.push_str(&scaling);
    }
    println!("{md}");
    if let Some(dir) = &a.out {
        let svg = report::svg(&[("Decoding (MiB/s)", &decode), ("Encoding (MiB/s)", &encode)]);
        // A run is minutes long: a directory that does not exist yet is made, not an error
        // at the end.
        std::fs::create_dir_all(dir).expect("create the --out directory");
        std::fs::write(format!("{dir}/RESULTS.md"), &md).expect("write RESULTS.md");
        std::fs::write(format!("{dir}/chart.svg"), svg).expect("write chart.svg");
        eprintln!("wrote {dir}/RESULTS.md and {dir}/chart.svg");
    }
}
