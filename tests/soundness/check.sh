#!/usr/bin/env bash
# Soundness harness: does each generated type decode every value its schema allows, and encode it
# back unchanged? (See tests/soundness/README.md.)
#
#   tests/soundness/check.sh --ci            the committed instances (tests/soundness/instances/), no Python
#   tests/soundness/check.sh --generate      every document of the corpus, tests/fixtures/documents, tests/soundness/documents
#                                            and the project's own (revox, zoo, shop),
#                                            instances generated now (needs `pip install -r tests/soundness/requirements.txt`)
#   tests/soundness/check.sh --generate DOC...   the given documents
#
# For each document: `cargo xtask gen --schema DOC --out $TMP/<name> --name sound-target`, then
# `soundness plan` (the `tests` crate's binary) writes the crate's targets.json and its checker,
# src/bin/sound-check.rs; with --generate, generate.py writes instances.jsonl (PER_SCHEMA instances
# per schema, default 10; SEED, default 28), else the committed one is used; then the checker runs
# and prints every instance refused (REFUSED key instance error) or changed by a round trip
# (CHANGED key instance encoded), and a SUMMARY line. The crates share one CARGO_TARGET_DIR
# (default $TMP/target) and get a copy of the workspace's Cargo.lock. $TMP is SOUNDNESS_TMP when
# set, else a new temporary directory; everything is kept there.
#
# Exits 1 when an instance was refused or changed. A document that does not generate is skipped
# (tests/tests/corpus.rs pins which generate).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

# Committed instances: the documents of issue 28's classes (tests/soundness/documents/) and small
# real ones, 3.0 and 3.1, JSON and YAML.
CI_DOCS=(tests/soundness/documents/*.json tests/fixtures/corpus/petstore-3.1.json
  tests/fixtures/corpus/petstore-3.0.yaml tests/fixtures/corpus/scalar-galaxy-3.1.yaml
  tests/fixtures/documents/type-lists.json tests/fixtures/documents/schema-quirks-3.0.yaml)

mode=ci docs=()
case "${1:-}" in
  --ci) docs=("${CI_DOCS[@]}") ;;
  --generate) mode=generate; shift
    if [ "$#" -gt 0 ]; then docs=("$@"); else
      for doc in tests/fixtures/corpus/*.json tests/fixtures/corpus/*.yaml tests/fixtures/corpus/*.yml \
                 tests/fixtures/documents/*.json tests/fixtures/documents/*.yaml tests/soundness/documents/*.json \
                 schema/revox.openapi.json tests/fixtures/zoo/openapi.json tests/fixtures/shop/openapi.json; do
        [ -f "$doc" ] && docs+=("$doc")
      done
    fi ;;
  *) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 2 ;;
esac

tmp=${SOUNDNESS_TMP:-$(mktemp -d)}
mkdir -p "$tmp"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$tmp/target}
export CARGO_TERM_COLOR=never
python=${PYTHON:-python3}
cargo build --quiet --package xtask --package tests --bin xtask --bin soundness || exit 1

failed=() totals=(0 0 0 0 0)
for doc in "${docs[@]}"; do
  name=$(basename "$doc"); name=${name%.*}
  # A fixture crate's document is `<crate>/openapi.json`: named after its crate.
  [ "$name" = openapi ] && name=$(basename "$(dirname "$doc")")
  out=$tmp/$name
  rm -rf "$out"
  # The runtime from this checkout: it is not published yet.
  if ! cargo xtask gen --schema "$doc" --out "$out" --name sound-target --runtime-path "$root/codegen/runtime" >"$tmp/$name.gen.log" 2>&1; then
    printf '%-40s does not generate\n' "$name"; continue
  fi
  cp Cargo.lock "$out/Cargo.lock"
  "$CARGO_TARGET_DIR/debug/soundness" plan "$doc" "$out" || { failed+=("$doc"); continue; }
  instances=$out/instances.jsonl
  if [ "$mode" = generate ]; then
    "$python" tests/soundness/generate.py "$doc" "$out/targets.json" "$instances" \
      --per-schema "${PER_SCHEMA:-10}" --seed "${SEED:-28}" 2>"$tmp/$name.generate.log" \
      || { printf '%-40s generation failed (%s)\n' "$name" "$tmp/$name.generate.log"; failed+=("$doc"); continue; }
  else
    cp "tests/soundness/instances/$name.jsonl" "$instances" || { failed+=("$doc"); continue; }
  fi
  if ! cargo build --quiet --manifest-path "$out/Cargo.toml" --bin sound-check >"$tmp/$name.build.log" 2>&1; then
    printf '%-40s checker does not build (%s)\n' "$name" "$tmp/$name.build.log"; failed+=("$doc"); continue
  fi
  "$CARGO_TARGET_DIR/debug/sound-check" "$instances" >"$tmp/$name.check.log" 2>&1
  status=$?
  summary=$(grep '^SUMMARY' "$tmp/$name.check.log" | cut -f2-)
  printf '%-40s %s\n' "$name" "${summary:-no summary ($tmp/$name.check.log)}"
  [ "$status" -ne 0 ] && failed+=("$doc")
done
echo
echo "logs and crates in $tmp"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "error: refused or changed instances (see each document's .check.log): ${failed[*]}" >&2
  exit 1
fi
