#!/usr/bin/env bash
# GitHub's REST API description (tests/fixtures/corpus/github-api.json, 1,223 operations) end to
# end: generation time and peak memory, the size of what is emitted, then `cargo check` of the
# generated crate alone (its dependencies built first) with every feature on and with one
# resource (`repos`) on, each with its wall time and peak memory (`/usr/bin/time -v`).
#
#   bash tests/bench/github.sh [DOC]      # DOC defaults to the corpus copy
#
# Not part of CI's test run (minutes of compilation); CI compiles the benches only. Writes the
# crate to target/github-bench (its own target directory, target/github-bench-target).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
doc="${1:-tests/fixtures/corpus/github-api.json}"
out="$root/target/github-bench"
export CARGO_TERM_COLOR=never

measure() { # $1: label; rest: command. Prints wall time and peak RSS.
  local label=$1; shift
  local log
  log=$(mktemp)
  if ! /usr/bin/time -v "$@" >"$log.out" 2>"$log"; then
    cat "$log.out" "$log" >&2
    echo "$label: failed" >&2
    exit 1
  fi
  local wall peak
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  peak=$(grep 'Maximum resident set size' "$log" | awk '{printf "%.0f", $NF / 1024}')
  printf '%-44s %10s  %6s MB\n' "$label" "$wall" "$peak"
  rm -f "$log" "$log.out"
}

cargo build --release -p xtask >/dev/null 2>&1
# The generated crate builds in a target directory of its own, without incremental compilation:
# each timed check starts from nothing but the dependencies (an incremental one would reuse the
# previous check's work, or pay for loading it when the features change).
export CARGO_TARGET_DIR="$root/target/github-bench-target"
export CARGO_INCREMENTAL=0
rm -rf "$out"
measure "generate (xtask gen --schema, release)" target/release/xtask gen --schema "$doc" --out "$out" --runtime-path "$root/codegen/runtime"
lines=$(cat "$out"/src/*.rs | wc -l)
bytes=$(cat "$out"/src/*.rs | wc -c)
echo "emitted: $lines lines, $((bytes / 1024 / 1024)) MB ($(grep -c '= \[\]' "$out/Cargo.toml") resource features)"

# Dependencies first, so that the timed checks measure the generated crate alone.
cp Cargo.lock "$out/Cargo.lock"
cargo check --manifest-path "$out/Cargo.toml" >/dev/null 2>&1
cargo check --manifest-path "$out/Cargo.toml" --no-default-features --features repos >/dev/null 2>&1
cargo check --manifest-path "$out/Cargo.toml" --no-default-features --features full >/dev/null 2>&1
touch "$out/src/lib.rs"
measure "cargo check, every feature (default)" cargo check --manifest-path "$out/Cargo.toml"
touch "$out/src/lib.rs"
measure "cargo check, every resource, no schemars" cargo check --manifest-path "$out/Cargo.toml" --no-default-features --features full
touch "$out/src/lib.rs"
measure "cargo check, one resource (repos)" cargo check --manifest-path "$out/Cargo.toml" --no-default-features --features repos
