"""No property of `schema/revox.openapi.json` is stricter than the official Python SDK allows.

    pip download --no-deps revox==0.5.0 -d /tmp/revox-sdk
    python3 tests/revox_sdk/check_strictness.py /tmp/revox-sdk/revox-0.5.0-py3-none-any.whl [--write-summary]

Reads the SDK's models with `ast` (it is never imported or run) and, for every operation of the
SDK, walks its request body, query parameters and response in the SDK and in the schema side by
side. Every field of every SDK class is then checked against the schema property at the same
place, and reported when:
- the schema requires it and the SDK does not (a default, `Optional[...] = None`, or a
  `TypedDict` field without `Required[...]`);
- the schema does not allow `null` for it and the SDK does (`Optional[...]`, `Union[..., None]`);
- the schema has no property there at all.
Exits 1 when anything is reported, and prints the count either way.

`--write-summary` also writes `tests/revox_sdk/sdk_models.json`, the same facts without the SDK:
for each SDK class, where it sits (the operation and the path from its body or response) and
each field's presence and nullability. `cargo test -p tests --test revox_sdk` checks the schema
against that file offline, so CI needs no wheel.
"""

import ast
import json
import pathlib
import sys

import sdk_models
from derive_schema import LIST_NAMES, read_operations, snake

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema" / "revox.openapi.json"
SUMMARY = ROOT / "tests" / "revox_sdk" / "sdk_models.json"


def class_refs(modules, module, node, suffix=()):
    """(path suffix, class name) for every SDK class an annotation reaches."""
    mod = modules[module]
    if isinstance(node, ast.Name):
        if node.id in mod.classes:
            yield list(suffix), node.id
        elif node.id in mod.aliases:
            yield from class_refs(modules, module, mod.aliases[node.id], suffix)
        return
    s = sdk_models._subscript(node, "Optional", "Union", "Dict", *LIST_NAMES)
    if s is None:
        return
    name, args = s
    if name == "Optional":
        yield from class_refs(modules, module, args[0], suffix)
    elif name in LIST_NAMES:
        yield from class_refs(modules, module, args[0], (*suffix, "[]"))
    elif name == "Dict":
        yield from class_refs(modules, module, args[1], (*suffix, "{}"))
    else:
        members = [a for a in args if not (isinstance(a, ast.Constant) and a.value is None)]
        if len(members) == 1:
            yield from class_refs(modules, module, members[0], suffix)
        else:
            for i, member in enumerate(members):
                yield from class_refs(modules, module, member, (*suffix, f"|{i}"))


def sdk_classes(modules, wheel):
    """Every (operation, place, module, class) the SDK's operations reach, depth first."""
    out = []
    for op in read_operations(sdk_models.read_resources(wheel)):
        op_id = f"{op['resource']}.{op['name']}"
        roots = []
        if op["body"]:
            roots.append(("body", op["body"]))
        if op["query"]:
            roots.append(("query", op["query"]))
        if op["response"] != "NoneType":
            roots.append(("response", (snake(op["response"]), op["response"])))
        for place, (module, cls) in roots:
            stack = [([], cls)]
            while stack:
                path, name = stack.pop(0)
                out.append({"operation": op_id, "place": place, "path": path, "sdk": f"{module}.{name}"})
                for f in modules[module].classes[name].fields:
                    for suffix, target in class_refs(modules, module, f.annotation):
                        stack.append(([*path, f.name, *suffix], target))
    return out


def summary(wheel):
    modules = sdk_models.read_wheel(wheel)
    entries = sdk_classes(modules, wheel)
    for e in entries:
        module, name = e["sdk"].split(".")
        e["fields"] = {
            f.name: ("required" if f.required else "optional") + (", nullable" if f.nullable else "")
            for f in modules[module].classes[name].fields
        }
    return entries


# --- the schema side (the same walk as tests/tests/revox_sdk.rs) ---


def deref(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def non_null(schema, node):
    node = deref(schema, node)
    members = node.get("oneOf") or node.get("anyOf")
    if members is None:
        return [node]
    return [deref(schema, m) for m in members if deref(schema, m).get("type") != "null"]


def allows_null(schema, node):
    node = deref(schema, node)
    if node == {} or node.get("const", 0) is None:
        return True
    types = node.get("type")
    if types == "null" or (isinstance(types, list) and "null" in types):
        return True
    if None in node.get("enum", [0]):
        return True
    return any(allows_null(schema, m) for m in node.get("oneOf", []) + node.get("anyOf", []))


def operation(schema, op_id):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == op_id:
                return op
    return None


def locate(schema, entry):
    """The schema object at an entry's place, or an error string."""
    op = operation(schema, entry["operation"])
    if op is None:
        return None, "no operation"
    if entry["place"] == "body":
        node = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    elif entry["place"] == "response":
        node = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema")
    else:
        params = {p["name"]: p for p in op.get("parameters", []) if p.get("in") == "query"}
        return {"type": "object", "properties": {n: p["schema"] for n, p in params.items()}, "required": [n for n, p in params.items() if p.get("required")]}, None
    if node is None:
        return None, f"no {entry['place']}"
    for segment in entry["path"]:
        candidates = non_null(schema, node)
        if segment == "[]":
            node = next((c["items"] for c in candidates if "items" in c), None)
        elif segment == "{}":
            node = next((c["additionalProperties"] for c in candidates if isinstance(c.get("additionalProperties"), dict)), None)
        elif segment.startswith("|"):
            i = int(segment[1:])
            node = candidates[i] if len(candidates) > 1 and i < len(candidates) else None
        else:
            node = next((c["properties"][segment] for c in candidates if segment in c.get("properties", {})), None)
        if node is None:
            return None, f"nothing at {segment!r}"
    objects = [c for c in non_null(schema, node) if "properties" in c]
    if len(objects) != 1:
        return None, "not one object"
    return objects[0], None


def check(schema, entries):
    problems = []
    checked = 0
    for e in entries:
        where = f"{e['operation']} {e['place']} {'.'.join(e['path']) or '(root)'} ({e['sdk']})"
        obj, error = locate(schema, e)
        if obj is None:
            problems.append(f"{where}: {error}")
            continue
        required = set(obj.get("required", []))
        for name, facts in e["fields"].items():
            checked += 1
            prop = obj.get("properties", {}).get(name)
            if prop is None:
                problems.append(f"{where}: `{name}` is not in the schema")
                continue
            if name in required and not facts.startswith("required"):
                problems.append(f"{where}: `{name}` is required in the schema, {facts} in the SDK")
            if facts.endswith("nullable") and not allows_null(schema, prop):
                problems.append(f"{where}: `{name}` is not nullable in the schema, {facts} in the SDK")
    return checked, problems


def main(argv):
    wheel = argv[1]
    entries = summary(wheel)
    if "--write-summary" in argv:
        with open(SUMMARY, "w") as out:
            out.write("[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n]\n")
    schema = json.loads(SCHEMA.read_text())
    checked, problems = check(schema, entries)
    for p in problems:
        print(p)
    print(f"{len(entries)} SDK classes, {checked} fields checked: {len(problems)} stricter in the schema than in the SDK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
