#!/usr/bin/env bash
# The oldest Rust the crates claim (`rust-version` in Cargo.toml) builds them: every target
# of the workspace is checked and the core's tests run with that toolchain, on a lockfile
# resolved for it, as Cargo's MSRV-aware resolver resolves one for a user on that version
# (the repository's own Cargo.lock holds newer releases some dependencies need a newer Rust
# for). Works on a clone of HEAD, so the tree and its lockfile are left as they are.
# Skips, saying so, only when the toolchain cannot be installed (no rustup, no network).
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
companion=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' sse-proto-tokio/Cargo.toml | head -n 1)
if [ -z "$msrv" ] || [ "$msrv" != "$companion" ]; then
  echo "rust-version: core says '$msrv', sse-proto-tokio says '$companion'" >&2
  exit 1
fi
if ! rustup toolchain install "$msrv" --profile minimal >/dev/null 2>&1; then
  echo "MSRV $msrv: SKIPPED, the toolchain could not be installed on this machine"
  exit 0
fi
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git clone -q "$PWD" "$copy/repo"
cd "$copy/repo"
rm Cargo.lock
cargo +"$msrv" generate-lockfile
cargo +"$msrv" check --workspace --all-features --all-targets
cargo +"$msrv" test -p sse-proto --all-features
echo "MSRV $msrv: the workspace builds and the core's tests pass"
