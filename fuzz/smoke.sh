#!/usr/bin/env bash
# Builds the fuzz crate and runs every target briefly on nightly; any crash fails.
# Usage: bash fuzz/smoke.sh [SECONDS_PER_TARGET]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
python3 fuzz/make_corpus.py
cargo +nightly fuzz build
for target in $(cargo +nightly fuzz list); do
  echo "--- fuzz $target for ${secs}s"
  mkdir -p "fuzz/corpus/$target"
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$secs" -rss_limit_mb=2048 2>&1 | tail -n 3
done
