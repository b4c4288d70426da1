//! What the tests against real peers share: finding the peers (`interop/`: Node packages,
//! Python modules, Chromium), skipping when one is missing (failing under `CI=true`), and
//! the form in which every peer's events are compared.
#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

/// The workspace root (where `interop/` and `spec-vectors/` are).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// Whether `what` is available; if not, the test skips (and says why), or under
/// `CI=true` fails.
pub fn require(available: bool, what: &str) -> bool {
    if available {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("interop prerequisite missing under CI=true: {what}");
    }
    eprintln!("SKIPPED: {what} is missing (run `bash .ci/run`, or see interop/)");
    false
}

/// Whether `program args` runs and exits successfully.
pub fn command_succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Node and the npm packages of `interop/` (`eventsource`, `playwright-core`).
pub fn node_packages() -> bool {
    require(command_succeeds("node", &["--version"]), "node (Node.js)")
        && require(
            repo_root()
                .join("interop/node_modules/eventsource")
                .is_dir()
                && repo_root()
                    .join("interop/node_modules/playwright-core")
                    .is_dir(),
            "the npm packages of interop/ (`cd interop && npm ci`)",
        )
}

/// The Python `modules` (a comma-separated `import` list).
pub fn python_modules(modules: &str) -> bool {
    require(
        command_succeeds("python3", &["-c", &format!("import {modules}")]),
        &format!("the Python modules {modules} (`pip install -r interop/requirements.txt`)"),
    )
}

/// Chromium as Debian installs it (`apt install chromium`).
pub fn chromium() -> bool {
    require(
        Path::new("/usr/bin/chromium").is_file(),
        "/usr/bin/chromium (apt chromium)",
    )
}

/// What a peer saw: `{type, data, lastEventId}` per event.
pub fn seen(event_type: &str, data: &str, id: &str) -> Value {
    json!({ "type": event_type, "data": data, "lastEventId": id })
}
