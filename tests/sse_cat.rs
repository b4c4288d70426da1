//! The `sse-cat` example, run as a program on the parser vectors: its JSON lines must be
//! the vectors' expected items, whatever `--chunk` size it reads with.
#![cfg(feature = "std")]

#[path = "../examples/support/json.rs"]
mod json;
#[path = "support/vectors.rs"]
mod vectors;

#[path = "support/example.rs"]
mod example;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// `target/<profile>/examples/sse-cat`, built by `cargo test` alongside this test.
fn sse_cat() -> std::path::PathBuf {
    example::example("sse-cat")
}

fn run(args: &[String], input: &[u8]) -> (String, String, bool) {
    let mut child = Command::new(sse_cat())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sse-cat runs (built by cargo test)");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

#[test]
fn sse_cat_prints_the_expected_items_of_the_vectors() {
    let vectors = vectors::load_parser_vectors();
    let mut checked = 0;
    // Every vector in three files, with each of its settings passed as flags.
    for v in vectors.iter().filter(|v| {
        ["spec-examples.json", "peer-traps.json", "limits.json"].contains(&v.file.as_str())
    }) {
        let mut flags = Vec::new();
        if let Some(n) = v.max_line_len {
            flags.extend(["--max-line-len".to_string(), n.to_string()]);
        }
        if let Some(n) = v.max_event_len {
            flags.extend(["--max-event-len".to_string(), n.to_string()]);
        }
        if let Some(n) = v.max_id_len {
            flags.extend(["--max-id-len".to_string(), n.to_string()]);
        }
        if v.unknown_fields {
            flags.push("--unknown-fields".into());
        }
        if let Some(id) = &v.initial_last_event_id {
            flags.extend(["--last-event-id".to_string(), id.clone()]);
        }
        for chunk in [None, Some(1), Some(3)] {
            let mut args = flags.clone();
            if let Some(n) = chunk {
                args.extend(["--chunk".to_string(), n.to_string()]);
            }
            let (stdout, stderr, ok) = run(&args, &v.input);
            assert!(ok, "{}: sse-cat failed: {stderr}", v.name);
            let lines: Vec<&str> = stdout.lines().collect();
            assert_eq!(lines, v.expected, "{} with {args:?}", v.name);
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} runs");
}

#[test]
fn sse_cat_reads_a_file_and_rejects_bad_arguments() {
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample.sse");
    let (stdout, _, ok) = run(&[sample.display().to_string()], b"");
    assert!(ok);
    let first = stdout.lines().next().expect("output");
    assert!(json::Json::parse(first).is_ok(), "{first}");
    assert!(stdout.lines().any(|l| l.contains(r#""kind":"event""#)));

    let (_, stderr, ok) = run(&["--chunk".into(), "0".into()], b"");
    assert!(!ok && stderr.contains("--chunk"), "{stderr}");
    let (_, stderr, ok) = run(&["--bogus".into()], b"");
    assert!(!ok && stderr.contains("unknown option"), "{stderr}");
    // A chunk size no buffer can have is a bad argument, not an aborted allocation.
    let (_, stderr, ok) = run(&["--chunk".into(), usize::MAX.to_string()], b"");
    assert!(!ok && stderr.contains("at most"), "{stderr}");
}

/// An argument that is not UTF-8 is a bad command line (status 2) for every command-line
/// example, never a panic (`std::env::args` panics on one).
#[cfg(unix)]
#[test]
fn command_line_examples_refuse_an_argument_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"\xff");
    for name in ["sse-cat", "sse-encode", "client"] {
        let out = Command::new(example::example(name))
            .arg(bad)
            .stdin(Stdio::null())
            .output()
            .expect("the example runs (built by cargo test)");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains("not valid UTF-8"), "{name}: {stderr}");
    }
}
