#!/usr/bin/env bash
# Does the change report agree with cargo-semver-checks on the generated crates?
#
#   tests/semver/check.sh              every case in tests/fixtures/changes/ with a document pair
#   tests/semver/check.sh CASE...      the given cases
#
# For each case, `before.json` is generated into $TMP/<case>/before and copied to
# $TMP/<case>/after; `after.json` is then generated over the copy, which prints the change report
# (`cargo xtask gen` compares the files on disk with the ones it writes). cargo-semver-checks
# (`cargo install cargo-semver-checks --locked`) then compares the two crates:
# `cargo semver-checks --manifest-path after/Cargo.toml --baseline-root before --release-type minor`
# fails exactly when it finds a change a minor release may not make. The case agrees when the
# report has a breaking change exactly when cargo-semver-checks fails; the report may see more
# (a changed field or argument type, which cargo-semver-checks does not lint), which is shown.
#
# The crates share one CARGO_TARGET_DIR (default $TMP/target) and get a copy of the workspace's
# Cargo.lock. $TMP is SEMVER_TMP when set, else a new temporary directory; logs are kept there.
# Exits 1 when cargo-semver-checks finds a breaking change the report calls compatible, or cannot
# run. With cargo-semver-checks 0.51.0 every pair agrees; `field_type_changed` is breaking in the
# report only (cargo-semver-checks has no lint for a field's type).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

if ! cargo semver-checks --version >/dev/null 2>&1; then
  echo "cargo-semver-checks is not installed: cargo install cargo-semver-checks --locked" >&2
  exit 2
fi

cases=()
if [ $# -eq 0 ]; then
  for dir in tests/fixtures/changes/*/; do
    [ -f "$dir/before.json" ] && cases+=("$(basename "$dir")")
  done
else
  cases=("$@")
fi

tmp=${SEMVER_TMP:-$(mktemp -d)}
mkdir -p "$tmp"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$tmp/target}
export CARGO_TERM_COLOR=never
cargo build --quiet --package xtask || exit 1
xtask=$CARGO_TARGET_DIR/debug/xtask

failed=0
printf '%-32s %-10s %-16s %s\n' case report semver-checks verdict
for case in "${cases[@]}"; do
  fixture=$root/tests/fixtures/changes/$case
  dir=$tmp/$case
  rm -rf "$dir" && mkdir -p "$dir"
  # The runtime from this checkout: it is not published yet.
  "$xtask" gen --schema "$fixture/before.json" --out "$dir/before" --name pets --runtime-path "$root/codegen/runtime" >"$dir/gen-before.log" 2>&1 || {
    echo "$case: before.json does not generate (see $dir/gen-before.log)"; failed=1; continue; }
  cp "$root/Cargo.lock" "$dir/before/Cargo.lock"
  cp -r "$dir/before" "$dir/after"
  "$xtask" gen --schema "$fixture/after.json" --out "$dir/after" --name pets \
    --report-markdown "$dir/report.md" >"$dir/report.txt" 2>&1 || {
    echo "$case: after.json does not generate (see $dir/report.txt)"; failed=1; continue; }
  ours=compatible
  grep -q '\*\*breaking\*\*' "$dir/report.md" && ours=breaking
  if cargo semver-checks --manifest-path "$dir/after/Cargo.toml" --baseline-root "$dir/before" \
      --release-type minor >"$dir/semver-checks.log" 2>&1; then
    theirs=compatible
  else
    theirs=breaking
    # A failure that is no verdict (a build error) is reported as such.
    grep -qE 'FAIL|--- failure' "$dir/semver-checks.log" || theirs=error
  fi
  verdict=agree
  if [ "$theirs" = error ]; then
    verdict="cargo-semver-checks failed to run (see $dir/semver-checks.log)"; failed=1
  elif [ "$theirs" = breaking ] && [ "$ours" = compatible ]; then
    verdict="DISAGREE: cargo-semver-checks finds a breaking change the report misses"; failed=1
  elif [ "$theirs" = compatible ] && [ "$ours" = breaking ]; then
    verdict="report stricter (cargo-semver-checks has no lint for it)"
  fi
  printf '%-32s %-10s %-16s %s\n' "$case" "$ours" "$theirs" "$verdict"
  if [ "$theirs" = breaking ]; then
    grep -E '^--- failure' "$dir/semver-checks.log" | sed 's/^/    semver-checks: /'
  fi
  grep -E '^\s+breaking' "$dir/report.txt" | sed 's/^ */    report: /'
done
echo "logs: $tmp"
exit $failed
