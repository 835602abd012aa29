#!/usr/bin/env bash
# Our Stripe crate against async-stripe, built side by side in one run (issue "The biggest
# documents"): for each, a clean `cargo build` and `cargo build --release` of the API crates
# alone (their dependencies, the HTTP client and runtime included, built first), then a
# downstream binary's incremental rebuild after its `main.rs` changes (then, with both sides,
# those rebuilds again in interleaved rounds, ours also with only the `customers` resource on,
# the one the binary uses). Wall time, CPU time
# (user + system) and peak memory from `/usr/bin/time`.
#
#   bash tests/bench/stripe.sh              # SIDES="ours theirs" by default
#   PROFILES=dev ROUNDS=5 bash tests/bench/stripe.sh   # no release builds; 5 rounds of rebuilds
#
# Ours: Stripe's description (tests/fixtures/corpus/named/stripe-apisguru.json.gz, stripe/openapi
# of 2025-10-15, 452 operations) generated with `cargo xtask gen`, every resource (`full`),
# without `schemars` (async-stripe has no JSON Schema) or `mock`. Theirs: async-stripe
# 1.0.0-rc.10 from the crates registry with rustls, and each of its API crates
# (async-stripe-billing, -checkout, -connect, -core, -fraud, -issuing, -misc, -payment, -product,
# -terminal, -treasury) with `full`, `serialize` and `deserialize`: both directions, as ours. The
# API crates timed are those and async-stripe-shared and async-stripe-types (theirs), the
# generated crate (ours). Each side has its own target directory under target/stripe-bench.
# Not part of CI (minutes of compilation); needs the crates registry.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0
out="$root/target/stripe-bench"
version="1.0.0-rc.10"
groups=(billing checkout connect core fraud issuing misc payment product terminal treasury)
mkdir -p "$out"

measure() { # $1: label; rest: command. Prints wall time, CPU time and peak RSS.
  local label=$1; shift
  local log
  log=$(mktemp)
  if ! /usr/bin/time -f '%e %U %S %M' -o "$log" "$@" >"$log.out" 2>&1; then
    tail -30 "$log.out" >&2
    echo "$label: failed" >&2
    exit 1
  fi
  read -r wall user sys peak <"$log"
  printf '%-58s wall %7.1f s  cpu %7.1f s  %6d MB\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$((peak / 1024))"
  rm -f "$log" "$log.out"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Ours: the generated crate and a binary that lists customers.
gzip -dc tests/fixtures/corpus/named/stripe-apisguru.json.gz >"$out/stripe.json"
rm -rf "$out/ours"
cargo build -q -p xtask
target/debug/xtask gen --schema "$out/stripe.json" --out "$out/ours/stripe" --name stripe-generated \
  --runtime-path "$root/codegen/runtime" >/dev/null 2>&1
mkdir -p "$out/ours/app/src"
cat >"$out/ours/app/Cargo.toml" <<EOF
[package]
name = "app"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
stripe-generated = { path = "../stripe", default-features = false, features = ["full"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
EOF
cat >"$out/ours/app/src/main.rs" <<'EOF'
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = stripe_generated::Client::from_env()?;
    let customers = client.customers().get_customers(stripe_generated::GetCustomersParams::new().limit(3), None).await?;
    println!("{}", customers.data.len());
    Ok(())
}
EOF
cp Cargo.lock "$out/ours/app/Cargo.lock"
# The same binary with only the resource it uses on (`customers`), as a user who needs one
# resource would depend on the crate; it shares ours' target directory.
mkdir -p "$out/ours/app-customers"
cp -r "$out/ours/app/src" "$out/ours/app/Cargo.lock" "$out/ours/app-customers/"
sed 's/features = \["full"\]/features = ["customers"]/' "$out/ours/app/Cargo.toml" >"$out/ours/app-customers/Cargo.toml"

# Theirs: async-stripe and its API crates, and the same binary.
rm -rf "$out/theirs"
mkdir -p "$out/theirs/app/src"
{
  cat <<EOF
[package]
name = "app"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
stripe = { package = "async-stripe", version = "=$version", default-features = false, features = ["rustls-tls-webpki-roots", "rustls-ring"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
EOF
  for group in "${groups[@]}"; do
    echo "stripe_$group = { package = \"async-stripe-$group\", version = \"=$version\", features = [\"full\", \"serialize\", \"deserialize\"] }"
  done
} >"$out/theirs/app/Cargo.toml"
cat >"$out/theirs/app/src/main.rs" <<'EOF'
use stripe_core::customer::ListCustomer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = stripe::Client::new(std::env::var("STRIPE_API_KEY")?);
    let customers = ListCustomer::new().limit(3).send(&client).await?;
    println!("{}", customers.data.len());
    Ok(())
}
EOF

ours_crates=(-p stripe-generated)
theirs_crates=(-p async-stripe-shared -p async-stripe-types)
for group in "${groups[@]}"; do theirs_crates+=(-p "async-stripe-$group"); done

for side in ${SIDES:-ours theirs}; do
  manifest="$out/$side/app/Cargo.toml"
  export CARGO_TARGET_DIR="$out/$side-target"
  if [ "$side" = ours ]; then crates=("${ours_crates[@]}"); else crates=("${theirs_crates[@]}"); fi
  for profile in ${PROFILES-dev release}; do
    flag=(); [ "$profile" = release ] && flag=(--release)
    cargo build -q --manifest-path "$manifest" "${flag[@]}" >/dev/null 2>&1 || cargo build --manifest-path "$manifest" "${flag[@]}"
    cargo clean -q --manifest-path "$manifest" "${flag[@]}" "${crates[@]}"
    measure "$side: clean build of the API crates ($profile)" cargo build --manifest-path "$manifest" "${flag[@]}"
  done
  # Incremental compilation is the dev profile's default: build once with it (every crate's
  # fingerprint changes with it), then time the rebuild after the binary's source changes. An
  # earlier run's incremental state is dropped first: rustc 1.95 was seen to crash reusing it
  # after the runtime changed (`exported_generic_symbols` in `try_mark_green`).
  rm -rf "$CARGO_TARGET_DIR/debug/incremental"
  CARGO_INCREMENTAL=1 cargo build -q --manifest-path "$manifest"
  touch "$out/$side/app/src/main.rs"
  measure "$side: downstream binary, incremental rebuild (dev)" env CARGO_INCREMENTAL=1 cargo build --manifest-path "$manifest"
done

# The downstream rebuilds again, interleaved (ours with every resource, ours with `customers`
# only, theirs) and repeated, so that each sees the same load; needs both sides built above.
if [ "${SIDES:-ours theirs}" = "ours theirs" ]; then
  CARGO_TARGET_DIR="$out/ours-target" CARGO_INCREMENTAL=1 cargo build -q --manifest-path "$out/ours/app-customers/Cargo.toml"
  for round in $(seq "${ROUNDS:-3}"); do
    for app in ours/app ours/app-customers theirs/app; do
      side=${app%%/*}
      touch "$out/$app/src/main.rs"
      measure "round $round, $app: incremental rebuild (dev)" env CARGO_TARGET_DIR="$out/$side-target" \
        CARGO_INCREMENTAL=1 cargo build --manifest-path "$out/$app/Cargo.toml"
    done
  done
fi

# What each covers: operations (ours: the document's; theirs: request types implementing
# `StripeRequest` in the API crates' sources) and lines of Rust.
ops_ours=$(grep -c 'crate::runtime::Pending<' "$out/ours/stripe/src/operations.rs" || true)
lines_ours=$(cat "$out/ours/stripe/src/"*.rs | wc -l)
src=$(dirname "$(cargo metadata --format-version 1 --manifest-path "$out/theirs/app/Cargo.toml" | python3 -c '
import json, sys
print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "async-stripe-core"))')")
registry=$(dirname "$src")
ops_theirs=$(grep -rh 'impl StripeRequest for' "$registry"/async-stripe-*-"$version"/src | wc -l)
lines_theirs=$(find "$registry"/async-stripe-{shared,types,billing,checkout,connect,core,fraud,issuing,misc,payment,product,terminal,treasury}-"$version"/src -name '*.rs' -print0 | xargs -0 cat | wc -l)
echo "ours: methods returning Pending (operations and their alternatives): $ops_ours, lines of Rust: $lines_ours"
echo "theirs: request types (impl StripeRequest): $ops_theirs, lines of Rust: $lines_theirs"
# Operation by operation: ours are the description's (method, path); theirs, each request's
# `RequestBuilder::new(StripeMethod::…, "/path")` (path parameters compared by position).
python3 - "$out/stripe.json" "$registry" "$version" <<'PY'
import glob, json, re, sys
spec, registry, version = sys.argv[1:]
norm = lambda path: re.sub(r"\{[^}]*\}", "{}", path)
methods = ("get", "put", "post", "delete", "patch", "head", "options")
ours = {(m.upper(), norm(p)) for p, item in json.load(open(spec))["paths"].items() for m in item if m in methods}
request = re.compile(r'RequestBuilder::new\(\s*StripeMethod::(\w+),\s*(?:format!\(\s*)?"([^"]+)"')
theirs = set()
for path in glob.glob(f"{registry}/async-stripe-*-{version}/src/**/*.rs", recursive=True):
    for method, p in request.findall(open(path).read()):
        theirs.add((method.upper(), norm("/v1" + p)))
print(f"operations: ours {len(ours)}, theirs {len(theirs)}, both {len(ours & theirs)}, "
      f"ours only {len(ours - theirs)}, theirs only {len(theirs - ours)}")
for side, only in (("ours only", ours - theirs), ("theirs only", theirs - ours)):
    print(f"{side}: " + ", ".join(f"{m} {p}" for m, p in sorted(only)))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
