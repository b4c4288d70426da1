//! Where `cargo test` puts the example binaries it builds alongside the tests.

use std::path::PathBuf;

/// `target/<profile>/examples/NAME`: the test binary is `target/<profile>/deps/…`.
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}
