"""Drafts `schema/revox.openapi.json` from the official Python SDK `revox` 0.5.0 (read with `ast`).

    python3 tests/revox_sdk/derive_schema.py path/to/revox-0.5.0-py3-none-any.whl > schema/revox.openapi.json

The SDK writes every nested object again in each file that uses it (`RowCallAssistantCalendly`,
`CallAssistantCalendly`, `Calendly`…). Classes with the same fields, the same presence, the same
types and the same docs are one component here, named by `NAMES` (below) or else by the shortest
of their SDK names. The operations (`OPERATIONS`) are read from `revox/resources/*.py`; their
summaries and descriptions are the SDK methods' docstrings. Every judgment this script encodes is
listed in `schema/README.md`.
"""

import ast
import json
import re
import sys

import sdk_models

PRIMITIVES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
LIST_NAMES = ("List", "SequenceNotStr", "Iterable")


class Converter:
    def __init__(self, modules):
        self.modules = modules
        self.keys = {}  # (module, class or alias) -> canonical key
        self.defs = {}  # key -> schema with {"$class": key} placeholders
        self.members = {}  # key -> [(module, name)]
        self.in_progress = set()
        self.tagged = set()  # keys of the members of tagged unions

    def ref(self, module, name):
        mod = self.modules[module]
        ident = (module, name)
        if ident in self.keys:
            return {"$class": self.keys[ident]}
        if ident in self.in_progress:
            raise ValueError(f"cycle at {ident}")
        self.in_progress.add(ident)
        if name in mod.classes:
            schema = self.object_schema(mod.classes[name])
        else:
            schema = self.union_schema(module, mod.aliases[name])
        self.in_progress.discard(ident)
        # Docs are not part of a type's identity: the SDK documents a request's fields and not
        # the same fields of a response, and words differ between files for one shape.
        key = json.dumps(strip_docs(schema), sort_keys=True)
        self.keys[ident] = key
        self.defs[key] = merge_docs(self.defs.get(key), schema)
        self.members.setdefault(key, []).append(ident)
        return {"$class": key}

    def union_schema(self, module, node):
        _, args = sdk_models._subscript(node, "Union")
        members = [self.schema(module, a) for a in args]
        out = {"anyOf": members}
        tags = [self.tag_of(m) for m in members]
        if all(t is not None for t in tags) and len(set(tags)) == len(tags):
            # Each member's one `type` value tells it apart: a tagged union (the tags are
            # written as `const` once every shape is read, in `build`).
            self.tagged.update(m["$class"] for m in members)
            out = {"oneOf": members, "discriminator": {"propertyName": "type"}}
        return out

    def tag_of(self, member):
        schema = self.defs.get(member.get("$class"), {})
        prop = schema.get("properties", {}).get("type", {})
        if "type" in schema.get("required", []) and len(prop.get("enum", [])) == 1:
            return prop["enum"][0]
        return None

    def object_schema(self, cls):
        props, required = {}, []
        for f in cls.fields:
            s = self.schema(cls.module, f.annotation, f.info)
            if f.doc:
                s = dict(s, description=clean(f.doc))
                default = documented_default(f.doc)
                if default is not None:
                    s["default"] = default
                if f.doc.lstrip().startswith("DEPRECATED"):
                    s["deprecated"] = True
            props[f.name] = s
            if f.required:
                required.append(f.name)
        out = {"type": "object"}
        if cls.doc:
            out["description"] = clean(cls.doc)
        out["properties"] = props
        if required:
            out["required"] = required
        return out

    def schema(self, module, node, info=None):
        info = info or {}
        if isinstance(node, ast.Name):
            if node.id in PRIMITIVES:
                return {"type": PRIMITIVES[node.id]}
            if node.id == "object":
                return {}
            if node.id == "datetime":
                return {"type": "string", "format": "date-time"}
            return self.ref(module, node.id)
        if isinstance(node, ast.Constant) and node.value is None:
            return {"type": "null"}
        s = sdk_models._subscript(node, "Optional", "Union", "Literal", "Dict", *LIST_NAMES)
        if s is None:
            raise ValueError(f"{module}: cannot read {ast.unparse(node)}")
        name, args = s
        if name == "Optional":
            return nullable(self.schema(module, args[0], info))
        if name == "Literal":
            values = [a.value for a in args]
            return {"type": json_type(values[0]), "enum": values}
        if name in LIST_NAMES:
            return {"type": "array", "items": self.schema(module, args[0])}
        if name == "Dict":
            return {"type": "object", "additionalProperties": self.schema(module, args[1])}
        # Union
        texts = [ast.unparse(a) for a in args]
        if texts == ["str", "datetime"]:
            return {"type": "string", "format": "date-time"}
        if "object" in texts:
            # `Union[…, object]`: anything; the SDK's docs say "string or unknown".
            return {}
        if "None" in texts:
            rest = [a for a, t in zip(args, texts) if t != "None"]
            inner = self.schema(module, rest[0]) if len(rest) == 1 else {"anyOf": [self.schema(module, a) for a in rest]}
            return nullable(inner)
        return {"anyOf": [self.schema(module, a) for a in args]}


def strip_docs(s, names=False):
    """`s` without its `description`s (`names`: `s` maps property names, any of which may be
    `description`, to schemas)."""
    if isinstance(s, dict):
        return {k: strip_docs(v, k == "properties" and not names) for k, v in s.items() if names or k != "description"}
    if isinstance(s, list):
        return [strip_docs(v) for v in s]
    return s


def merge_docs(a, b):
    """`a` and `b` differ at most in docs: the longer description wins at each place."""
    if a is None:
        return b
    if isinstance(a, dict):
        out = {}
        for k in a.keys() | b.keys():
            if k == "description" and isinstance(a.get(k, ""), str):
                da, db = a.get(k, ""), b.get(k, "")
                out[k] = da if len(da) >= len(db) else db
            else:
                out[k] = merge_docs(a[k], b[k])
        return {k: out[k] for k in list(a) + [k for k in b if k not in a]}
    if isinstance(a, list):
        return [merge_docs(x, y) for x, y in zip(a, b)]
    return a


def documented_default(doc):
    """The value of a "Default: 400." / "Default: '18:00'." / "Default is 1.0." sentence, if any."""
    m = re.search(r"Default(?::| is) ('[^']*'|-?\d+(?:\.\d+)?|true|false)(?=[\s.(]|$)", " ".join(doc.split()))
    if m is None:
        return None
    text = m.group(1)
    if text.startswith("'"):
        return text[1:-1]
    return json.loads(text)


def json_type(value):
    return {bool: "boolean", int: "integer", float: "number", str: "string"}[type(value)]


def nullable(s):
    if s == {}:
        return s  # any JSON value, `null` included
    if isinstance(s.get("type"), str) and "enum" not in s and "const" not in s:
        return dict(s, type=[s["type"], "null"])
    return {"anyOf": [s, {"type": "null"}]}


def clean(doc):
    """A docstring as one paragraph per blank-line-separated block, lines joined."""
    paragraphs = [" ".join(line.strip() for line in block.strip().splitlines()) for block in re.split(r"\n\s*\n", doc.strip())]
    return "\n\n".join(p for p in paragraphs if p)


# Components named otherwise than the shortest of their SDK names. The key is that default name,
# with, where one default name is several shapes, the SDK modules the shape comes from.
NAMES = {
    "CallCampaign": "CampaignRef",
    "Voice@voice_list_response": "VoiceListItem",
    "Voice@voice_retrieve_response": "VoiceDetails",
    "Voice@assistant_create_params": "VoiceInput",
    "FaqItem@assistant_create_params": "FaqItemInput",
    "Assistant@call_create_params": "AssistantInput",
    "CustomTool@assistant_create_params": "CustomToolInput",
    "CustomToolInputSchema@assistant_clone_response": "StructuredOutputField",
    "CustomToolInputSchema@assistant_create_params": "StructuredOutputFieldInput",
    "LlmModel@assistant_create_params": "LlmModelInput",
    "LlmModelUnionMember3@assistant_create_params": "LlmModelRealtimeInput",
    "LlmModelUnionMember0": "LlmModelDedicatedInstance",
    "LlmModelUnionMember1": "LlmModelOpenRouter",
    "LlmModelUnionMember2": "LlmModelCustom",
    "LlmModelUnionMember3": "LlmModelRealtime",
    "Filters": "CallFilters",
    "Contact": "CampaignContact",
    "Skipped": "LaunchSkipped",
    "Session": "LaunchSession",
    "Selection": "LaunchSelection",
    "SelectionRows": "LaunchSelectionRows",
    "SelectionFilters": "LaunchSelectionFilters",
    "CreatedBy": "UserRef",
    "Statistics": "CampaignStatistics",
    "StatisticsFunnelHotLeads": "StatisticsFunnelStep",
    "StatisticsLeadsInterested": "StatisticsLead",
    "CustomToolHeader": "KeyValue",
    "CallCallAttempt": "CallAttempt",
    "CallCallAttemptSMSLog": "SmsLog",
    "CallCallAttemptEmailLog": "EmailLog",
    "CallCallAttemptSpeechEvent": "SpeechEvent",
    "CallCallAttemptTranscript": "TranscriptEntry",
    "CallRetryConfigCallingWindow": "CallingWindow",
    "CallPauseResponse": "SuccessResponse",
    "CallCreateResponse": "CallResponse",
    "CallExportResponse": "CsvExport",
    "AssistantCloneResponse": "AssistantResponse",
    "CampaignCreateResponse": "CampaignResponse",
}

# Bounds the SDK cannot carry (its models have none), from the seed's reference page
# (`shared/seed/`), for the same property of the same object; the request bodies that write that
# object get them too.
SEED_BOUNDS = {
    ("Assistant", "first_sentence_delay_ms"): {"minimum": -9007199254740991, "maximum": 9007199254740991},
    ("Call", "first_sentence_delay_ms"): {"minimum": -9007199254740991, "maximum": 9007199254740991},
    ("CallRetryConfig", "max_retry_attempts"): {"exclusiveMinimum": 0, "maximum": 9007199254740991},
    ("CallingWindow", "retry_delay_seconds"): {"exclusiveMinimum": 0, "maximum": 9007199254740991},
    ("StructuredOutputField", "name"): {"minLength": 1},
    ("Voice", "id"): {"minLength": 1},
    ("Voice", "speed"): {"minimum": 0.6, "maximum": 1.5},
}
BOUNDS_ALSO = {
    "Assistant": ["AssistantInput", "AssistantCreateParams", "AssistantUpdateParams"],
    "StructuredOutputField": ["StructuredOutputFieldInput"],
    "Voice": ["VoiceInput"],
}

TAG_DESCRIPTIONS = {
    "assistants": "AI assistants: the prompt, voice, model and integrations that hold a call.",
    "auth_status": "Whether the API key is valid.",
    "call": "Calls: placing, scheduling, searching and exporting them.",
    "campaigns": "Campaigns: many calls to a list of contacts, and their rows.",
    "phone_numbers": "The organization's phone numbers.",
    "users": "The user the API key belongs to.",
    "voices": "Voices: listing, cloning and previewing them.",
}


def component_names(conv):
    """key -> component name."""
    by_default = {}
    for key, members in conv.members.items():
        default = sorted({n for _, n in members}, key=lambda s: (len(s), s))[0]
        by_default.setdefault(default, []).append(key)
    out = {}
    for default, keys in by_default.items():
        for key in keys:
            name = NAMES.get(default, default)
            if len(keys) > 1:
                # A module that only this shape of the name comes from tells it apart.
                others = {m for k in keys if k != key for m, _ in conv.members[k]}
                modules = sorted({m for m, _ in conv.members[key]} - others)
                for module in modules:
                    if f"{default}@{module}" in NAMES:
                        name = NAMES[f"{default}@{module}"]
                        break
            out[key] = name
    names = list(out.values())
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ValueError(f"two shapes for one component name: {clashes}")
    return out


def resolve(s, names):
    if isinstance(s, dict):
        if "$class" in s:
            return {"$ref": "#/components/schemas/" + names[s["$class"]]}
        return {k: resolve(v, names) for k, v in s.items()}
    if isinstance(s, list):
        return [resolve(v, names) for v in s]
    return s


def read_operations(resources):
    """Every operation of the SDK's synchronous resources, in file order."""
    ops = []
    for module, text in resources.items():
        tree = ast.parse(text)
        for cls in tree.body:
            if not (isinstance(cls, ast.ClassDef) and cls.name.endswith("Resource") and not cls.name.startswith("Async")):
                continue
            for fn in cls.body:
                if not isinstance(fn, ast.FunctionDef):
                    continue
                call = next(
                    (n for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("_get", "_post", "_patch", "_put", "_delete")),
                    None,
                )
                if call is None:
                    continue
                path_node = call.args[0]
                path = ast.literal_eval(path_node.args[0] if isinstance(path_node, ast.Call) else path_node)
                kws = {k.arg: k.value for k in call.keywords}
                body = query = None
                if "body" in kws:
                    body = params_class(kws["body"])
                for n in ast.walk(kws.get("options", ast.Constant(None))):
                    if isinstance(n, ast.keyword) and n.arg == "query":
                        query = params_class(n.value)
                cast = ast.unparse(kws["cast_to"])
                doc = ast.get_docstring(fn) or ""
                doc = doc.split("\nArgs:")[0].strip()
                ops.append(dict(resource=module, name=fn.name, method=call.func.attr[1:], path=path, body=body, query=query, response=cast, doc=doc))
    return ops


def params_class(node):
    """(module, class) of `maybe_transform({...}, module.Class)`."""
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id.endswith("_params"):
            return n.value.id, n.attr
    raise ValueError(ast.unparse(node))


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def build(wheel):
    modules = sdk_models.read_wheel(wheel)
    ops = read_operations(sdk_models.read_resources(wheel))
    conv = Converter(modules)
    for op in ops:
        if op["body"]:
            conv.ref(*op["body"])
        if op["response"] != "NoneType":
            conv.ref(snake(op["response"]), op["response"])
    names = component_names(conv)
    schemas = {names[k]: resolve(conv.defs[k], names) for k in conv.defs}
    for key in conv.tagged:
        tag = schemas[names[key]]["properties"]["type"]
        tag["const"] = tag.pop("enum")[0]
    for (component, prop), bounds in SEED_BOUNDS.items():
        for name in [component, *BOUNDS_ALSO.get(component, [])]:
            schemas[name]["properties"][prop].update(bounds)
    paths = {}
    for op in ops:
        operation = {"operationId": f"{op['resource']}.{op['name']}", "tags": [op["resource"]]}
        # The SDK's docstrings are descriptions; it has no separate summary to copy.
        if op["doc"]:
            operation["description"] = clean(op["doc"])
        params = []
        for segment in re.findall(r"\{(\w+)\}", op["path"]):
            params.append({"name": segment, "in": "path", "required": True, "schema": {"type": "string"}})
        if op["query"]:
            cls = modules[op["query"][0]].classes[op["query"][1]]
            for f in cls.fields:
                p = {"name": f.name, "in": "query", "required": f.required, "schema": resolve(conv.schema(cls.module, f.annotation), names)}
                if f.doc:
                    p["description"] = clean(f.doc)
                params.append(p)
        if params:
            operation["parameters"] = params
        if op["body"]:
            key = conv.keys[op["body"]]
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + names[key]}}},
            }
        if op["response"] == "NoneType":
            response = {
                "description": "The audio of the preview.",
                "content": {"audio/mpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        else:
            key = conv.keys[(snake(op["response"]), op["response"])]
            response = {
                "description": "Success.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + names[key]}}},
            }
        operation["responses"] = {"200": response}
        paths.setdefault(op["path"], {})[op["method"]] = operation
    tags = sorted({op["resource"] for op in ops})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Revox API", "version": "0.5.0", "description": "Revox voice-AI calling API."},
        "servers": [{"url": "https://www.getrevox.com/api"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": t, "description": TAG_DESCRIPTIONS[t]} for t in tags],
        "paths": {p: paths[p] for p in sorted(paths)},
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "API key sent as `Authorization: Bearer <key>`."}
            },
            "schemas": {n: schemas[n] for n in sorted(schemas)},
        },
    }


if __name__ == "__main__":
    json.dump(build(sys.argv[1]), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
