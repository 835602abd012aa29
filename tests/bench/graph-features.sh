#!/usr/bin/env bash
# What `cargo check` of the Microsoft Graph crate costs as more of it is on: every 16th resource
# feature, every 4th, every resource (`full`), then the default features (`full` and `schemars`).
# Wall time, CPU time (user + system) and peak memory from `/usr/bin/time -v`, and the lines of
# operations the features enable, so that the cost per line can be read off and extrapolated.
#
#   bash tests/bench/graph.sh            # first: generates target/graph-bench/crate
#   bash tests/bench/graph-features.sh   # STEPS="16 4 1 default" by default
#
# Not part of CI (tens of minutes, and memory beyond a CI machine's). Uses graph.sh's target
# directory (target/graph-bench-target), without incremental compilation.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0
crate="$root/target/graph-bench/crate"
[ -f "$crate/Cargo.toml" ] || { echo "error: run tests/bench/graph.sh first ($crate)" >&2; exit 2; }
export CARGO_TARGET_DIR="$root/target/graph-bench-target"
manifest="$crate/Cargo.toml"

source "$root/tests/bench/measure.sh"

# The resource features, in the order `full` lists them.
mapfile -t features < <(python3 - "$manifest" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    print("\n".join(tomllib.load(f)["features"]["full"]))
EOF
)
echo "${#features[@]} resource features; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cp Cargo.lock "$crate/Cargo.lock"
# Dependencies first, so that each timed check is the generated crate alone.
cargo check -q --manifest-path "$manifest" --no-default-features --features "${features[0]}"

for step in ${STEPS:-16 4 1 default}; do
  if [ "$step" = default ]; then
    args=() label="default features (full, schemars)"
  else
    chosen=()
    for i in "${!features[@]}"; do
      [ $((i % step)) -eq 0 ] && chosen+=("${features[$i]}")
    done
    list=$(IFS=,; echo "${chosen[*]}")
    args=(--no-default-features --features "$list") label="every ${step}th resource (${#chosen[@]})"
    [ "$step" = 1 ] && label="every resource (${#chosen[@]}, no schemars)"
  fi
  touch "$crate/src/lib.rs"
  measure "cargo check, $label" cargo check --manifest-path "$manifest" "${args[@]}" || true
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
