#!/usr/bin/env bash
# Does every corpus document that generates give a crate that compiles clippy-clean?
#
#   tests/corpus/check.sh            every document in tests/fixtures/corpus/ and its named/ (gzipped
#                                    ones are read through a decompressed copy)
#   tests/corpus/check.sh --ci       the representative subset CI compiles (CI_SUBSET below)
#   tests/corpus/check.sh DOC...     the given documents
#
# Each document is generated with `cargo xtask gen --schema DOC --out $TMP/<name>`, then checked
# with `cargo clippy --manifest-path $TMP/<name>/Cargo.toml -- -D warnings`, and again with
# `--features mock` (the typed mocks). The crates share one
# CARGO_TARGET_DIR (default $TMP/target; set it to reuse a warm one) and get a copy of the
# workspace's Cargo.lock, so they build with the workspace's versions of every dependency.
# $TMP is CORPUS_TMP when set, else a new temporary directory; logs are kept there.
#
# Exits 1 when a generated crate does not compile clippy-clean: that is a generator bug. A document
# that does not generate is reported but is no failure here: tests/tests/corpus.rs pins which
# documents generate (tests/fixtures/corpus/expected.txt).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

# Small, real, covering 3.0 and 3.1, JSON and YAML, from 1 to 33 operations: what CI compiles.
CI_SUBSET=(link-example-3.0.yaml nasa-apod.json petstore-3.1.json petstore-simple-3.1.yaml tcgdex.json
  named/azure-openai-2024-10-21.json)

docs=()
case "${1:-}" in
  --ci) for doc in "${CI_SUBSET[@]}"; do docs+=("tests/fixtures/corpus/$doc"); done ;;
  -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
  "") for doc in tests/fixtures/corpus/*.json tests/fixtures/corpus/*.yaml tests/fixtures/corpus/*.yml \
                 tests/fixtures/corpus/named/*; do
        [ -f "$doc" ] && docs+=("$doc")
      done ;;
  *) docs=("$@") ;;
esac

tmp=${CORPUS_TMP:-$(mktemp -d)}
mkdir -p "$tmp"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$tmp/target}
export CARGO_TERM_COLOR=never
cargo build --quiet --package xtask || exit 1

total=0 generated=0 clean=0 broken=()
printf '%-32s %-10s %s\n' document generates clippy-clean
for doc in "${docs[@]}"; do
  name=$(basename "$doc"); name=${name%.gz}; name=${name%.*}
  out=$tmp/$name
  rm -rf "$out"
  total=$((total + 1))
  schema=$doc
  # A gzipped document is generated from a decompressed copy beside the logs.
  case "$doc" in
    *.gz) schema=$tmp/$(basename "${doc%.gz}"); gzip -dc "$doc" >"$schema" ;;
  esac
  # The runtime from this checkout: it is not published yet.
  if cargo xtask gen --schema "$schema" --out "$out" --runtime-path "$root/codegen/runtime" >"$tmp/$name.gen.log" 2>&1; then
    generated=$((generated + 1))
    cp Cargo.lock "$out/Cargo.lock"
    # Then with the typed mocks (`mock`), which must compile for every document too.
    if cargo clippy --quiet --manifest-path "$out/Cargo.toml" -- -D warnings >"$tmp/$name.clippy.log" 2>&1 &&
      cargo clippy --quiet --manifest-path "$out/Cargo.toml" --features mock -- -D warnings >>"$tmp/$name.clippy.log" 2>&1; then
      clean=$((clean + 1)); result=yes
    else
      result="no ($tmp/$name.clippy.log)"; broken+=("$doc")
    fi
    printf '%-32s %-10s %s\n' "$(basename "$doc")" yes "$result"
  else
    printf '%-32s %-10s %s\n' "$(basename "$doc")" no -
  fi
done
echo
echo "$total documents, $generated generate, $clean compile clippy-clean (logs in $tmp)"
if [ "${#broken[@]}" -gt 0 ]; then
  echo "error: generated crates that are not clippy-clean: ${broken[*]}" >&2
  exit 1
fi
