#!/usr/bin/env bash
# Compiles the crates the generator writes for fuzz inputs: the fuzz target only checks that the
# output parses and declares no name twice; this checks that it builds and passes clippy.
#
#   fuzz/compile-batch.sh [N] [DIR...]
#
# Takes the files of DIR (default fuzz/corpus/generator and fuzz/regressions/generator), keeps
# those that generate, and builds the first N of them (default 40) with
# `cargo clippy --manifest-path <crate>/Cargo.toml -- -D warnings`, sharing one CARGO_TARGET_DIR
# (default $TMP/target). Prints one line per input and the totals; exits 1 when a generated crate
# fails. Too slow for CI; run it before resolving a generator change.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
limit=${1:-40}
shift || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(fuzz/corpus/generator fuzz/regressions/generator)

tmp=${BATCH_TMP:-$(mktemp -d)}
mkdir -p "$tmp"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$tmp/target}
export CARGO_TERM_COLOR=never
cargo build --quiet --package xtask || exit 1

seen=0 generated=0 built=0 failed=()
for dir in "${dirs[@]}"; do
  for input in "$dir"/*; do
    [ -f "$input" ] || continue
    [ $((built + ${#failed[@]})) -lt "$limit" ] || break
    seen=$((seen + 1))
    name="fuzz-$(basename "$input" | tr -c 'a-zA-Z0-9\n' '-' | cut -c1-40)"
    out=$tmp/$name
    rm -rf "$out"
    # Fuzz inputs have no usable title for a crate name: name them after the file.
    if ! cargo xtask gen --schema "$input" --out "$out" --name "$name" >"$out.gen.log" 2>&1; then
      continue
    fi
    generated=$((generated + 1))
    cp Cargo.lock "$out/Cargo.lock"
    if cargo clippy --quiet --manifest-path "$out/Cargo.toml" -- -D warnings >"$out.clippy.log" 2>&1; then
      built=$((built + 1))
      printf '%-60s ok\n' "$input"
    else
      failed+=("$input")
      printf '%-60s FAILED (%s)\n' "$input" "$out.clippy.log"
    fi
  done
done
echo
echo "$seen inputs read, $generated generate, $built compile clippy-clean, ${#failed[@]} fail (logs in $tmp)"
[ ${#failed[@]} -eq 0 ]
