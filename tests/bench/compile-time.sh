#!/usr/bin/env bash
# Incremental release build time of the generated `revox` crate after touching an emitted file,
# beside a crate that holds only typify's types for the same components. Prints the median of
# three rebuilds for each. Run from anywhere: `bash tests/bench/compile-time.sh`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export CARGO_TERM_COLOR=never

# typify's types, as the peer benchmark builds them.
cargo build --release -p bench --features peer-bench --bin once >/dev/null 2>&1
typify_rs=$(ls -t target/release/build/bench-*/out/typify.rs | head -n 1)
peer="$root/target/typify-types"
mkdir -p "$peer/src"
cat > "$peer/Cargo.toml" <<TOML
[package]
name = "typify-types"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["float_roundtrip"] }

[workspace]
TOML
{ echo '#![allow(clippy::all, dead_code, missing_docs)]'; cat "$typify_rs"; } > "$peer/src/lib.rs"
cp Cargo.lock "$peer/Cargo.lock"

median() { sort -n | sed -n '2p'; }
rebuild() { # $1: file to touch; rest: cargo command
  local file=$1; shift
  "$@" >/dev/null 2>&1
  for _ in 1 2 3; do
    touch "$file"
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
  done | median
}

ours=$(rebuild generated/src/types.rs cargo build --release -p revox)
theirs=$(rebuild "$peer/src/lib.rs" cargo build --release --offline --manifest-path "$peer/Cargo.toml" --target-dir "$root/target")
echo "incremental release build after touching an emitted file (median of 3):"
echo "  revox (models, client, runtime, schemars): ${ours} s"
echo "  typify's types only:                        ${theirs} s"
echo "  ratio revox / typify:                       $(echo "scale=2; $ours / $theirs" | bc)"
