#!/usr/bin/env bash
# Checks that the declared `rust-version` (MSRV, `[workspace.package]` in Cargo.toml) builds.
#
#   bash tests/msrv/check.sh
#
# With that toolchain installed (`rustup toolchain install 1.88`), the proof: `cargo +1.88 check`
# of the whole workspace, every target, with the committed Cargo.lock.
#
# Without it (this machine has one toolchain and no network beyond the registries: rustup cannot
# download another), what can be checked is, and what cannot is said:
#   1. the dependencies: every package the Cargo.lock resolves to declares a `rust-version` at or
#      below ours, or none (`cargo metadata`); Cargo's MSRV-aware resolver (`resolver = "3"`,
#      i.e. CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback) picks such versions when it
#      (re)locks, and this fails if the lock holds one that is not;
#   2. our code's use of the standard library: `cargo clippy -- -D warnings` with `msrv` in
#      clippy.toml, whose `incompatible_msrv` lint flags items stabilized after the MSRV.
# NOT verified without the toolchain: language features and compiler behaviour newer than the
# MSRV (syntax, lints, inference), a dependency that declares no `rust-version` (or declares it
# wrongly), and std items clippy has no stability data for. Those need `cargo +1.88 check`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_TERM_COLOR=never
msrv=$(sed -n '/^\[workspace.package\]/,/^\[/s/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
[ -n "$msrv" ] || { echo "error: no rust-version in [workspace.package]" >&2; exit 1; }
clippy_msrv=$(sed -n 's/^msrv = "\(.*\)"/\1/p' clippy.toml)
if [ "$clippy_msrv" != "$msrv" ]; then
  echo "error: clippy.toml's msrv ($clippy_msrv) is not Cargo.toml's rust-version ($msrv)" >&2
  exit 1
fi

if cargo "+$msrv" --version >/dev/null 2>&1; then
  echo "==> cargo +$msrv check --workspace --all-targets --locked"
  cargo "+$msrv" check --workspace --all-targets --locked
  echo "MSRV $msrv: the workspace builds with Rust $msrv"
  exit 0
fi

echo "==> Rust $msrv is not installed: checking what can be checked without it (see this script's header)"
echo "==> 1. every locked dependency declares rust-version <= $msrv (or none)"
cargo metadata --format-version 1 --locked | python3 -c '
import json, sys
def version(text):
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))
msrv = sys.argv[1]
packages = json.load(sys.stdin)["packages"]
newer = sorted("%s %s (rust-version %s)" % (p["name"], p["version"], p["rust_version"])
               for p in packages if p.get("rust_version") and version(p["rust_version"]) > version(msrv))
undeclared = sum(1 for p in packages if not p.get("rust_version"))
if newer:
    sys.exit("error: these locked packages need a newer Rust than %s:\n  %s" % (msrv, "\n  ".join(newer)))
print("%d packages: none declares a rust-version above %s (%d declare none)" % (len(packages), msrv, undeclared))
' "$msrv"
echo "==> 2. clippy's incompatible_msrv (msrv $msrv in clippy.toml, warn by default) on every target"
# The same arguments as CI's clippy step, so that this reuses its results.
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "MSRV $msrv: dependencies and std usage checked; language features not (install Rust $msrv for that)"
