//! Passes the flags rustc builds the comparison with (from `.cargo/config.toml`, or a
//! RUSTFLAGS that replaced them) to the report, which prints them beside the machine.
fn main() {
    // Cargo separates the flags with 0x1F.
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS")
        .unwrap_or_default()
        .replace('\x1f', " ");
    println!("cargo:rustc-env=COMPARE_RUSTFLAGS={}", flags.trim());
    println!("cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
}
