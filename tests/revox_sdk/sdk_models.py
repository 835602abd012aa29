"""Reads the models of the official Python SDK `revox` (a wheel from PyPI) with `ast`.

The SDK is never imported or run: each `revox/types/*.py` file is parsed, and every class in it
(a pydantic `BaseModel` for responses, a `TypedDict` for request parameters) is read as a list of
fields with their wire name, whether the SDK requires them, whether it allows `None`, their
annotation and their docstring. Union aliases (`X: TypeAlias = Union[...]`) are read too.

Used by `check_strictness.py` (the schema against the SDK) and `derive_schema.py` (the draft of
`schema/revox.openapi.json`).
"""

import ast
import zipfile
from dataclasses import dataclass, field


@dataclass
class Field:
    name: str  # the wire name (the alias when the SDK renames it)
    py_name: str
    annotation: ast.expr  # with `Required[...]`/`Annotated[...]` wrappers removed
    required: bool
    nullable: bool
    doc: str | None
    info: dict = field(default_factory=dict)  # PropertyInfo keywords: format, discriminator


@dataclass
class Class:
    module: str  # e.g. "campaign_get_rows_response"
    name: str
    kind: str  # "model" (BaseModel) or "params" (TypedDict)
    fields: list
    doc: str | None


@dataclass
class Module:
    name: str
    classes: dict  # name -> Class
    aliases: dict  # name -> ast.expr


def _is(node, *names):
    return isinstance(node, ast.Name) and node.id in names


def _subscript(node, *names):
    """(name, args) when `node` is `Name[args]` with one of `names`, else None."""
    if isinstance(node, ast.Subscript) and _is(node.value, *names):
        sl = node.slice
        args = list(sl.elts) if isinstance(sl, ast.Tuple) else [sl]
        return node.value.id, args
    return None


def unwrap(annotation):
    """Removes `Required`/`NotRequired`/`Annotated`; returns (annotation, required flag or None, info)."""
    required = None
    info = {}
    while True:
        s = _subscript(annotation, "Required", "NotRequired", "Annotated")
        if s is None:
            return annotation, required, info
        name, args = s
        if name == "Required":
            required = True
        elif name == "NotRequired":
            required = False
        else:
            for extra in args[1:]:
                if isinstance(extra, ast.Call) and _is(extra.func, "PropertyInfo"):
                    for kw in extra.keywords:
                        info[kw.arg] = ast.literal_eval(kw.value)
        annotation = args[0]


def allows_none(annotation):
    s = _subscript(annotation, "Optional")
    if s:
        return True
    s = _subscript(annotation, "Union")
    if s:
        return any(isinstance(a, ast.Constant) and a.value is None or allows_none(a) for a in s[1])
    return isinstance(annotation, ast.Constant) and annotation.value is None


def _docstring_after(body, i):
    if i + 1 < len(body):
        nxt = body[i + 1]
        if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
            return nxt.value.value
    return None


def read_module(name, text):
    tree = ast.parse(text)
    classes, aliases = {}, {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
            kind = "model" if "BaseModel" in bases else "params" if "TypedDict" in bases else None
            if kind is None:
                continue
            total = True
            for kw in node.keywords:
                if kw.arg == "total":
                    total = ast.literal_eval(kw.value)
            fields = []
            for i, item in enumerate(node.body):
                if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
                    continue
                annotation, req_flag, info = unwrap(item.annotation)
                wire = info.pop("alias", None) or item.target.id
                if kind == "model":
                    required = item.value is None
                    if isinstance(item.value, ast.Call) and _is(item.value.func, "FieldInfo"):
                        kws = {kw.arg: kw.value for kw in item.value.keywords}
                        if "alias" in kws:
                            wire = ast.literal_eval(kws["alias"])
                        required = "default" not in kws and not item.value.args
                else:
                    required = req_flag if req_flag is not None else total
                fields.append(
                    Field(wire, item.target.id, annotation, required, allows_none(annotation), _docstring_after(node.body, i), info)
                )
            classes[node.name] = Class(name, node.name, kind, fields, ast.get_docstring(node))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and _is(node.annotation, "TypeAlias"):
            aliases[node.target.id] = node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Subscript):
                aliases[node.targets[0].id] = node.value
    return Module(name, classes, aliases)


def read_wheel(path):
    """Every module of `revox/types/` in the wheel at `path`, by module name."""
    modules = {}
    with zipfile.ZipFile(path) as wheel:
        for entry in sorted(wheel.namelist()):
            if entry.startswith("revox/types/") and entry.endswith(".py") and not entry.endswith("__init__.py"):
                name = entry[len("revox/types/") : -3]
                modules[name] = read_module(name, wheel.read(entry).decode("utf-8"))
    return modules


def read_resources(path):
    """The wheel's `revox/resources/*.py` sources, by module name (for the operations)."""
    out = {}
    with zipfile.ZipFile(path) as wheel:
        for entry in sorted(wheel.namelist()):
            if entry.startswith("revox/resources/") and entry.endswith(".py") and not entry.endswith("__init__.py"):
                out[entry[len("revox/resources/") : -3]] = wheel.read(entry).decode("utf-8")
    return out
