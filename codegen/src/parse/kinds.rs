//! The composite schema kinds: `$ref`s, `allOf`, `oneOf`/`anyOf` unions and their discriminator
//! mappings, tuples, strings (with `enum`s) and objects.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::schemas::bare;
use super::{Kind, Parser, Schema};
use crate::error::Pointer;

/// Where the alternatives of an `anyOf`/`oneOf` are, and the object beside the list that applies
/// to each of them.
#[derive(Clone, Copy)]
struct Alternatives<'a> {
    keyword: &'a str,
    list_at: &'a Pointer,
    at: &'a Pointer,
    beside: Option<&'a Schema>,
}

impl<'d> Parser<'d> {
    /// `allOf`: its members, and the keywords beside it as one more member; merged into one
    /// schema by [`merge_all_of`](super::merge::merge_all_of) once every component is parsed.
    pub(super) fn all_of(&mut self, map: &Map<String, Value>, list: &Value, at: &Pointer) -> Option<Kind> {
        let list_at = at.join("allOf");
        let Value::Array(items) = list else {
            self.expected(&list_at, "an array of schemas", list);
            return None;
        };
        if items.is_empty() {
            self.errors.push(list_at.as_str(), "expected at least one schema in `allOf`");
            return None;
        }
        let mut members = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let member_at = list_at.join(i);
            // A member's object keywords need no `type`: the members meet together (see
            // `untyped_objects_ok`).
            self.untyped_objects_ok.insert(member_at.as_str().to_owned());
            members.push(self.schema(item, &member_at));
        }
        let siblings = siblings(map, &["allOf", "discriminator"]);
        if !siblings.is_empty() {
            let only_required = siblings.keys().all(|k| k == "required" || k == "type")
                && siblings.get("type").is_none_or(|t| t == "object");
            if only_required {
                let required =
                    siblings.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
                let properties = BTreeMap::new();
                let kind =
                    Kind::Object { properties, required: required.map(str::to_owned).collect(), additional: None };
                members.push(Some(bare(kind, at)));
            } else {
                // The bounds beside the list are the schema's own (read by `schema`).
                members.push(self.kind_of(&siblings, false, at).map(|kind| bare(kind, at)));
            }
        }
        let members: Option<Vec<Schema>> = members.into_iter().collect();
        Some(Kind::AllOf { members: members?, beside: None })
    }

    /// `prefixItems` (a tuple): an array of the union of the position schemas and of `items`
    /// (any value when `items` is absent, nothing more when it is `false`). Positions are not
    /// typed (Rust has no tuple that decodes a shorter array or more items), but every valid
    /// array decodes; `items: false` bounds the length (see `schema`), checked by `Validate`.
    pub(super) fn tuple_kind(&mut self, map: &Map<String, Value>, at: &Pointer) -> Option<Kind> {
        let prefix_at = at.join("prefixItems");
        let Some(Value::Array(list)) = map.get("prefixItems") else {
            self.expected(&prefix_at, "an array of schemas", map.get("prefixItems").unwrap_or(&Value::Null));
            return None;
        };
        let mut schemas = Vec::new();
        for (i, item) in list.iter().enumerate() {
            schemas.push(self.schema(item, &prefix_at.join(i)));
        }
        match map.get("items") {
            Some(Value::Bool(false)) => {}
            None | Some(Value::Bool(true)) => schemas.push(Some(bare(Kind::Any, at))),
            Some(items) => schemas.push(self.schema(items, &at.join("items"))),
        }
        let schemas: Vec<Schema> = schemas.into_iter().collect::<Option<_>>()?;
        let mut distinct: Vec<Schema> = Vec::new();
        for schema in schemas {
            if !distinct.iter().any(|d| super::merge::same_shape(d, &schema)) {
                distinct.push(schema);
            }
        }
        let item = match distinct.as_slice() {
            [] => {
                self.errors.push(prefix_at.as_str(), "expected at least one schema in `prefixItems`");
                return None;
            }
            [one] => one.clone(),
            _ if distinct.iter().any(|d| d.kind == Kind::Any) => bare(Kind::Any, at),
            _ => {
                let kind =
                    Kind::OneOf { variants: distinct, discriminator: None, mapping: BTreeMap::new(), any_of: true };
                bare(kind, &prefix_at)
            }
        };
        Some(Kind::Array(Box::new(item)))
    }

    pub(super) fn reference(&mut self, map: &Map<String, Value>, reference: &Value, at: &Pointer) -> Option<Kind> {
        let mut applied = Vec::new();
        for key in map.keys() {
            let annotation = matches!(
                key.as_str(),
                "$ref"
                    | "description"
                    | "summary"
                    | "deprecated"
                    | "default"
                    | "title"
                    | "readOnly"
                    | "writeOnly"
                    | "example"
                    | "examples"
                    | "$comment"
                    | "externalDocs"
                    | "nullable"
            );
            if !annotation && !key.starts_with("x-") {
                applied.push(key.as_str());
            }
        }
        let reference = self.string(reference, &at.join("$ref"))?;
        let target = Kind::Ref(self.schema_key(&reference, &at.join("$ref"))?);
        if applied.is_empty() {
            return Some(target);
        }
        if self.v30 {
            // OpenAPI 3.0: "any sibling elements of a $ref are ignored".
            self.errors.warn(
                at.as_str(),
                format!(
                    "{} beside `$ref`, which OpenAPI 3.0 ignores; they are ignored",
                    applied.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ),
            );
            return Some(target);
        }
        // JSON Schema 2020-12 applies a `$ref` beside other keywords: the schema is both.
        let siblings = siblings(map, &["$ref"]);
        // Like an `allOf` member, the keywords beside need no `type` of their own.
        self.untyped_objects_ok.insert(at.as_str().to_owned());
        let beside = self.kind_of(&siblings, false, at)?;
        Some(Kind::AllOf { members: vec![bare(target, at), bare(beside, at)], beside: None })
    }

    /// `anyOf`/`oneOf`: `Some(kind)` (`None` inside on an error), or `None` when every
    /// alternative only lists `required` properties: the schema is then its object, with those
    /// properties optional (decoding accepts more than the document, never less).
    pub(super) fn alternatives(
        &mut self,
        map: &Map<String, Value>,
        keyword: &str,
        list: &Value,
        at: &Pointer,
    ) -> Option<Option<Kind>> {
        let list_at = at.join(keyword);
        let Value::Array(items) = list else {
            self.expected(&list_at, "an array of schemas", list);
            return Some(None);
        };
        let constraint_only = |v: &Value| {
            v.as_object().is_some_and(|m| {
                m.keys().all(|k| matches!(k.as_str(), "required" | "description" | "title" | "$comment"))
            })
        };
        if !items.is_empty() && items.iter().all(constraint_only) {
            return None;
        }
        let beside = match map.contains_key("properties") {
            true => Some(self.beside(map, keyword, at)?),
            false => None,
        };
        // A `type` beside the list (`type: object, anyOf: [$ref…]`) restates what the
        // alternatives say: it is not checked.
        let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
        let nulls = items.iter().filter(|v| is_null(v)).count();
        let rest: Vec<(usize, &Value)> = items.iter().enumerate().filter(|(_, v)| !is_null(v)).collect();
        let cx = Alternatives { keyword, list_at: &list_at, at, beside: beside.as_ref() };
        if nulls > 0 {
            if let [(i, only)] = rest.as_slice() {
                let inner = self.alternative(only, *i, &cx);
                return Some(inner.map(|inner| Kind::Nullable(Box::new(inner))));
            }
            if rest.is_empty() {
                self.errors.push(list_at.as_str(), format!("unsupported: a `{keyword}` of only `null`"));
                return Some(None);
            }
            // `[A, B, null]`: a nullable union of the others.
            let union = self.union_kind(map, &rest, &cx);
            return Some(union.map(|kind| Kind::Nullable(Box::new(bare(kind, at)))));
        }
        // A `discriminator` beside `anyOf` names the variant as beside `oneOf`.
        Some(self.union_kind(map, &rest, &cx))
    }

    /// The object the keywords beside `anyOf`/`oneOf` describe (`properties`, `required`,
    /// `additionalProperties`, `type: object`…), which applies to every alternative.
    fn beside(&mut self, map: &Map<String, Value>, keyword: &str, at: &Pointer) -> Option<Schema> {
        let siblings = siblings(map, &["anyOf", "oneOf", "discriminator"]);
        let kind = self.kind_of(&siblings, false, at)?;
        if !matches!(kind, Kind::Object { .. }) {
            self.errors.push(
                at.as_str(),
                format!(
                    "unsupported: the keywords beside `{keyword}` describe no object, so `properties` cannot apply"
                ),
            );
            return None;
        }
        Some(bare(kind, at))
    }

    /// One alternative of a union, at `list_at/i`. With properties beside the list, which JSON
    /// Schema applies to every alternative, it is the `allOf` of the alternative and that
    /// object, merged by [`merge_all_of`](super::merge::merge_all_of); a `$ref`'d alternative
    /// remembers its component, which names the variant and gives its tag value.
    fn alternative(&mut self, item: &Value, i: usize, cx: &Alternatives<'_>) -> Option<Schema> {
        let at = cx.list_at.join(i);
        let schema = self.schema(item, &at)?;
        let Some(beside) = cx.beside else { return Some(schema) };
        let origin = match &schema.kind {
            Kind::Ref(component) => Some(component.clone()),
            _ => None,
        };
        let kind = Kind::AllOf { members: vec![schema, beside.clone()], beside: Some(cx.keyword.to_owned()) };
        Some(Schema { origin, ..bare(kind, &at) })
    }

    /// The union of `items` (no `null` among them): tagged when a discriminator is declared.
    fn union_kind(
        &mut self,
        map: &Map<String, Value>,
        items: &[(usize, &Value)],
        cx: &Alternatives<'_>,
    ) -> Option<Kind> {
        let Alternatives { keyword, list_at, at, .. } = *cx;
        if items.is_empty() {
            self.errors.push(list_at.as_str(), format!("expected at least one schema in `{keyword}`"));
            return None;
        }
        if let [(i, only)] = items {
            // A union of one is that schema.
            return self.alternative(only, *i, cx).map(|s| s.kind);
        }
        let mut mapping = BTreeMap::new();
        let discriminator = match map.get("discriminator") {
            None => None,
            Some(d) => {
                let d_at = at.join("discriminator");
                let d = self.object(d, &d_at)?;
                for (key, value) in d {
                    match key.as_str() {
                        "propertyName" => {}
                        "mapping" => mapping = self.mapping(value, &d_at.join("mapping")),
                        _ if key.starts_with("x-") => {}
                        _ => self
                            .errors
                            .warn(d_at.join(key).as_str(), format!("unknown discriminator key `{key}`; it is ignored")),
                    }
                }
                match d.get("propertyName") {
                    Some(p) => self.string(p, &d_at.join("propertyName")),
                    None => {
                        self.errors.push(d_at.as_str(), "expected `propertyName`");
                        None
                    }
                }
            }
        };
        let mut variants = Vec::new();
        for (i, item) in items {
            if let Some(schema) = self.alternative(item, *i, cx) {
                variants.push(schema);
            }
        }
        let any_of = keyword == "anyOf";
        (variants.len() == items.len()).then_some(Kind::OneOf { variants, discriminator, mapping, any_of })
    }

    /// `discriminator.mapping`: tag value → the component it selects (written as a reference or
    /// as the component's name), turned into component → its tag values, each with where it is
    /// written (in the mapping's order, which is sorted).
    fn mapping(&mut self, value: &Value, at: &Pointer) -> BTreeMap<String, Vec<(String, Pointer)>> {
        let mut out: BTreeMap<String, Vec<(String, Pointer)>> = BTreeMap::new();
        let Some(entries) = self.object(value, at) else { return out };
        for (tag, target) in entries {
            let entry_at = at.join(tag);
            let Some(target) = self.string(target, &entry_at) else { continue };
            // A component's name, or a reference to a schema (of `components` or elsewhere).
            // An entry the generator cannot follow is left out: its tag value then decodes as
            // the variant whose implicit tag it is, or as an unknown variant, never as an error.
            let ignored = "the mapping entry is ignored";
            let name = if target.starts_with('#') {
                let mark = self.errors.mark();
                let key = self.schema_key(&target, &entry_at);
                if self.errors.contain(mark, ignored) {
                    continue;
                }
                match key {
                    Some(key) => key,
                    None => continue,
                }
            } else if target.contains('/') {
                self.errors.warn(
                    entry_at.as_str(),
                    format!(
                        "mapping target `{target}` is no reference inside the document (`#/components/schemas/<name>`) \
                         nor a component's name; {ignored}"
                    ),
                );
                continue;
            } else {
                target
            };
            out.entry(name).or_default().push((tag.clone(), entry_at));
        }
        out
    }

    pub(super) fn string_kind(&mut self, map: &Map<String, Value>, nullable: bool, at: &Pointer) -> Option<Kind> {
        if let Some(value) = map.get("const") {
            return match value {
                Value::String(s) => Some(Kind::Const(s.clone())),
                other => {
                    self.expected(&at.join("const"), "a string `const`", other);
                    None
                }
            };
        }
        let Some(values) = map.get("enum") else { return Some(Kind::String) };
        let enum_at = at.join("enum");
        let Value::Array(values) = values else {
            self.expected(&enum_at, "an array of strings", values);
            return None;
        };
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let mut null = false;
        for (i, value) in values.iter().enumerate() {
            match value {
                Value::String(s) if !seen.insert(s.clone()) => self
                    .errors
                    .warn(enum_at.join(i).as_str(), format!("duplicate enum value `{s}`; the repeat is ignored")),
                Value::String(s) => out.push(s.clone()),
                Value::Null if nullable => {}
                Value::Null => {
                    // `type: string` admits no `null`, but a `null` listed among the values says
                    // what the author meant: decoding accepts it.
                    self.errors.warn(
                        enum_at.join(i).as_str(),
                        "`null` among the values of a string enum that is not nullable; the enum is read as nullable",
                    );
                    null = true;
                }
                other => self.errors.warn(
                    enum_at.join(i).as_str(),
                    format!(
                        "the value `{other}` of a string enum is not a string, which the schema's type admits no other \
                         value than; it is ignored"
                    ),
                ),
            }
        }
        if out.is_empty() {
            self.errors.push(enum_at.as_str(), "expected at least one enum value");
            return None;
        }
        Some(match null {
            true => Kind::Nullable(Box::new(super::schemas::bare(Kind::Enum(out), at))),
            false => Kind::Enum(out),
        })
    }

    pub(super) fn object_kind(&mut self, map: &Map<String, Value>, at: &Pointer) -> Option<Kind> {
        // `additionalProperties` types only the properties `patternProperties` does not match,
        // which is not read: with it, undeclared properties are kept untyped.
        let additional = map.get("additionalProperties").filter(|_| !map.contains_key("patternProperties"));
        let properties = match map.get("properties") {
            None => None,
            Some(props) => {
                let props_at = at.join("properties");
                let props = self.object(props, &props_at)?;
                let mut out = BTreeMap::new();
                for (name, schema) in props {
                    if let Some(schema) = self.schema(schema, &props_at.join(name)) {
                        out.insert(name.clone(), schema);
                    }
                }
                Some(out)
            }
        };
        let mut required = BTreeSet::new();
        match map.get("required") {
            None => {}
            Some(Value::Array(names)) => {
                for (i, name) in names.iter().enumerate() {
                    // A name not declared in `properties` is accepted (real documents do this, and
                    // `allOf` may declare it in another member); the property is then kept with
                    // the undeclared ones.
                    let Some(name) = self.string(name, &at.join("required").join(i)) else { continue };
                    required.insert(name);
                }
            }
            Some(other) => self.expected(&at.join("required"), "an array of property names", other),
        }
        match (properties, additional) {
            (Some(properties), None | Some(Value::Bool(_))) => {
                Some(Kind::Object { properties, required, additional: None })
            }
            (Some(properties), Some(Value::Object(extra))) if extra.is_empty() => {
                Some(Kind::Object { properties, required, additional: None })
            }
            // Declared properties and a schema for the others' values: a struct whose map of
            // undeclared properties is typed.
            (Some(properties), Some(schema)) => {
                let inner = self.schema(schema, &at.join("additionalProperties"))?;
                let additional = (inner.kind != Kind::Any).then(|| Box::new(inner));
                Some(Kind::Object { properties, required, additional })
            }
            (None, None | Some(Value::Bool(true))) => Some(Kind::Map(Box::new(bare(Kind::Any, at)))),
            (None, Some(Value::Bool(false))) => {
                Some(Kind::Object { properties: BTreeMap::new(), required, additional: None })
            }
            (None, Some(schema)) => {
                let inner = self.schema(schema, &at.join("additionalProperties"))?;
                Some(Kind::Map(Box::new(inner)))
            }
        }
    }
}

/// Keywords that only annotate a schema: beside an applicator they describe nothing to merge.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "deprecated",
    "default",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "externalDocs",
    "$comment",
    "nullable",
    "xml",
];

/// The keywords of `map` beside the applicator: all but `applicator` (the list itself and what
/// belongs to it), the annotations and the `x-` extensions.
fn siblings(map: &Map<String, Value>, applicator: &[&str]) -> Map<String, Value> {
    map.iter()
        .filter(|(k, _)| {
            !k.starts_with("x-") && !applicator.contains(&k.as_str()) && !ANNOTATIONS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
