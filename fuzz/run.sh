#!/usr/bin/env bash
# Fuzz every target (or the ones named) for SECONDS each (default 60) with cargo-fuzz.
#   bash fuzz/run.sh [SECONDS] [TARGET...]       targets: codec backup csv_import
# cargo fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets the stable toolchain use them.
# -malloc_limit_mb=64: any single allocation over 64 MiB (four times the codec's byte limit) is
# reported as a crash. Findings land in fuzz/artifacts/TARGET/; the corpus grows in
# fuzz/corpus/TARGET/, seeded from fuzz/seeds/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(codec backup csv_import)
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$secs" -malloc_limit_mb=64
done
