#!/usr/bin/env python3
"""Totals of a `check.sh --generate` run: summarize.py $SOUNDNESS_TMP

Reads each document's generate log (counts, skipped targets by reason) and check log (refused
and changed instances), and prints the totals, the refusals and changes by class, and the reasons
nothing could be generated for a target. Standard library only.
"""

import collections
import glob
import json
import os
import re
import sys


def classify(kind, instance, detail):
    try:
        value = json.loads(instance)
    except ValueError:
        value = None
    if kind == "REFUSED":
        if re.search(r"invalid type: (?!map).*expected a `[^`]*` object", detail) or (
                "did not match any variant of untagged enum" in detail):
            return "untyped object schema given a non-object (class 3)"
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (
                "trailing characters" in detail or "floating point" in detail):
            return "integer component (a type alias) decoded on its own, integer written as a float"
        return "other refusal"
    if isinstance(value, dict):
        try:
            encoded = json.loads(detail)
        except ValueError:
            encoded = None
        if isinstance(encoded, dict):
            differ = {k for k in set(value) | set(encoded) if value.get(k, ...) != encoded.get(k, ...)}
            if len(differ) == 1:
                return "one top-level property changed (a tagged-union variant decoded on its own: its tag)"
    return "other change"


def main():
    tmp = sys.argv[1]
    totals = collections.Counter()
    classes = collections.Counter()
    examples = {}
    skipped = collections.Counter()
    for log in sorted(glob.glob(os.path.join(tmp, "*.generate.log"))):
        name = os.path.basename(log)[: -len(".generate.log")]
        lines = [line for line in open(log, encoding="utf-8") if line.startswith("{")]
        if not lines:
            continue
        stats = json.loads(lines[-1])
        totals["documents"] += 1
        for key in ("schemas", "instances", "integers as floats", "with integers beyond 64 bits",
                    "invalid by the validator (dropped)", "skipped"):
            totals[key] += stats.get(key, 0)
        for reason, count in stats.get("skipped_by_reason", {}).items():
            skipped[re.sub(r"'[^']*'|\"[^\"]*\"", "…", reason)[:100]] += count
        check = os.path.join(tmp, name + ".check.log")
        if not os.path.exists(check):
            totals["documents without a check"] += 1
            continue
        for line in open(check, encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if parts[0] in ("REFUSED", "CHANGED") and len(parts) >= 4:
                totals[parts[0].lower()] += 1
                cls = classify(parts[0], parts[2], parts[3])
                classes[(parts[0].lower(), cls)] += 1
                examples.setdefault((parts[0].lower(), cls), []).append(f"{name} {parts[1]}: {parts[2][:120]} -> {parts[3][:160]}")
    print(json.dumps(totals, indent=1))
    print("\nby class:")
    for (kind, cls), count in sorted(classes.items()):
        print(f"  {kind} {count:5}  {cls}")
        for example in examples[(kind, cls)][:3]:
            print(f"      e.g. {example}")
    print("\nnot generated for, by reason:")
    for reason, count in skipped.most_common():
        print(f"  {count:5}  {reason}")


if __name__ == "__main__":
    main()
