#!/usr/bin/env bash
# Builds the fuzz crate and runs every target briefly on nightly, starting from the inputs
# that once failed (fuzz/regressions/); any crash fails.
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
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=()
for target in $(cargo +nightly fuzz list); do
  echo "--- fuzz $target for ${secs}s"
  mkdir -p "fuzz/corpus/$target"
  # Inputs that once failed (fuzz/regressions/TARGET/) run first, as part of the corpus.
  if [ -d "fuzz/regressions/$target" ]; then
    cp fuzz/regressions/"$target"/* "fuzz/corpus/$target/"
  fi
  if cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$secs" -rss_limit_mb=2048 >"$log" 2>&1; then
    tail -n 1 "$log"
  else
    # What failed and where the input was saved; the stack traces stay in the artifact's
    # reproduction (`cargo +nightly fuzz run TARGET ARTIFACT`). The other targets still run.
    grep -m 1 -A 1 "panicked at" "$log" || tail -n 20 "$log"
    grep -E "^(SUMMARY|artifact_prefix|Test unit written)" "$log" || true
    failed+=("$target")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz targets that failed: ${failed[*]}"
  exit 1
fi
