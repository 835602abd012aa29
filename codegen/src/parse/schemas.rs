//! Schema objects: the keywords allowed, annotations, validation [`Bounds`] and the dispatch on
//! `type` to a [`Kind`].

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use super::{Bounds, Kind, Parser, Schema};
use crate::error::Pointer;

/// What a schema the generator cannot read exactly becomes, as its warnings say.
pub(crate) const ANY_FALLBACK: &str = "this schema is read as any JSON value (`serde_json::Value`)";

const SCHEMA_KEYWORDS: &[&str] = &[
    "$comment",
    "$ref",
    "additionalProperties",
    "allOf",
    "anyOf",
    "const",
    "contentEncoding",
    "contentMediaType",
    "default",
    "deprecated",
    "description",
    "discriminator",
    "enum",
    "example",
    "examples",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "externalDocs",
    "format",
    "items",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "nullable",
    "oneOf",
    "pattern",
    "prefixItems",
    "properties",
    "readOnly",
    "required",
    "title",
    "type",
    "uniqueItems",
    "writeOnly",
    "xml",
];

impl<'d> Parser<'d> {
    fn number(&mut self, map: &Map<String, Value>, key: &str, at: &Pointer) -> Option<Number> {
        match map.get(key)? {
            Value::Number(n) => Some(n.clone()),
            other => {
                self.expected(&at.join(key), "a number", other);
                None
            }
        }
    }

    fn length(&mut self, map: &Map<String, Value>, key: &str, at: &Pointer) -> Option<u64> {
        let value = map.get(key)?;
        match value.as_u64() {
            Some(n) => Some(n),
            None => {
                self.expected(&at.join(key), "a non-negative integer", value);
                None
            }
        }
    }

    /// `pattern`, an ECMA-262 regular expression, which `Validate` checks with an ECMAScript
    /// engine (`regress`, as the runtime does): one the engine does not accept is left unchecked,
    /// with a warning, rather than refused.
    fn pattern(&mut self, map: &Map<String, Value>, at: &Pointer) -> Option<String> {
        let pattern = self.opt_string(map, "pattern", at)?;
        // The runtime's reading (`validate::ecma_regex`): with the `u` flag, else without.
        match regress::Regex::with_flags(&pattern, "u").or_else(|_| regress::Regex::new(&pattern)) {
            Ok(_) => Some(pattern),
            Err(e) => {
                self.errors.warn(
                    at.join("pattern").as_str(),
                    format!(
                        "the `pattern` `{pattern}` is no ECMA-262 regular expression ({e}); values are not checked \
                         against it"
                    ),
                );
                None
            }
        }
    }

    fn bounds(&mut self, map: &Map<String, Value>, at: &Pointer) -> Bounds {
        let mut bounds = Bounds {
            minimum: self.number(map, "minimum", at),
            maximum: self.number(map, "maximum", at),
            exclusive_minimum: None,
            exclusive_maximum: None,
            min_length: self.length(map, "minLength", at),
            max_length: self.length(map, "maxLength", at),
            format: self.opt_string(map, "format", at),
            content_media_type: self.opt_string(map, "contentMediaType", at),
            content_encoding: self.opt_string(map, "contentEncoding", at),
            pattern: self.pattern(map, at),
            multiple_of: self.number(map, "multipleOf", at),
            min_items: self.length(map, "minItems", at),
            max_items: self.length(map, "maxItems", at),
            unique_items: self.opt_bool(map, "uniqueItems", at),
            min_properties: self.length(map, "minProperties", at),
            max_properties: self.length(map, "maxProperties", at),
            // Properties `patternProperties` admits are not declared ones: the object stays open.
            closed: map.get("additionalProperties") == Some(&Value::Bool(false))
                && !map.contains_key("patternProperties"),
            integer_values: None,
        };
        if let Some(n) = &bounds.multiple_of
            && n.as_f64().is_none_or(|n| n <= 0.0)
        {
            self.errors.warn(
                at.join("multipleOf").as_str(),
                format!("`multipleOf` must be above 0, found {n}; it is ignored"),
            );
            bounds.multiple_of = None;
        }
        // Bounds no value can meet say nothing usable: they are ignored, so that what the API
        // sends still decodes.
        let ignored = "both bounds are ignored";
        if let (Some(low), Some(high)) = (bounds.min_items, bounds.max_items)
            && low > high
        {
            self.errors
                .warn(at.as_str(), format!("invalid bounds: `minItems` {low} is above `maxItems` {high}; {ignored}"));
            (bounds.min_items, bounds.max_items) = (None, None);
        }
        if let (Some(low), Some(high)) = (bounds.min_properties, bounds.max_properties)
            && low > high
        {
            self.errors.warn(
                at.as_str(),
                format!("invalid bounds: `minProperties` {low} is above `maxProperties` {high}; {ignored}"),
            );
            (bounds.min_properties, bounds.max_properties) = (None, None);
        }
        // OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 the bound itself.
        for (key, bound) in [("exclusiveMinimum", true), ("exclusiveMaximum", false)] {
            let value = match map.get(key) {
                Some(Value::Bool(exclusive)) => {
                    // 3.0's form, which 3.1 documents converted by hand still write: read as 3.0
                    // says.
                    if !self.v30 {
                        self.errors.warn(
                            at.join(key).as_str(),
                            format!(
                                "a boolean `{key}` (OpenAPI 3.0's form) in a 3.1 document; it is read as 3.0 reads it"
                            ),
                        );
                    }
                    let limit = if bound { &mut bounds.minimum } else { &mut bounds.maximum };
                    if !*exclusive {
                        continue;
                    }
                    match limit.take() {
                        Some(limit) => Some(limit),
                        None => {
                            let other = if bound { "minimum" } else { "maximum" };
                            self.errors
                                .warn(at.join(key).as_str(), format!("`{key}: true` without `{other}`; it is ignored"));
                            None
                        }
                    }
                }
                Some(_) => self.number(map, key, at),
                None => None,
            };
            if bound {
                bounds.exclusive_minimum = value;
            } else {
                bounds.exclusive_maximum = value;
            }
        }
        let low = bounds.minimum.iter().chain(&bounds.exclusive_minimum).filter_map(Number::as_f64).fold(None, max);
        let high = bounds.maximum.iter().chain(&bounds.exclusive_maximum).filter_map(Number::as_f64).fold(None, min);
        if let (Some(low), Some(high)) = (low, high)
            && low > high
        {
            self.errors
                .warn(at.as_str(), format!("invalid bounds: the minimum {low} is above the maximum {high}; {ignored}"));
            (bounds.minimum, bounds.exclusive_minimum, bounds.maximum, bounds.exclusive_maximum) =
                (None, None, None, None);
        }
        if let (Some(low), Some(high)) = (bounds.min_length, bounds.max_length)
            && low > high
        {
            self.errors
                .warn(at.as_str(), format!("invalid bounds: `minLength` {low} is above `maxLength` {high}; {ignored}"));
            (bounds.min_length, bounds.max_length) = (None, None);
        }
        bounds
    }

    /// The schema written at `at`: a reference to it when `$ref`s elsewhere name this place (it is
    /// then a schema of its own, see `refs`), else the schema itself.
    ///
    /// A schema that cannot be read exactly is contained where it is written: its problems become
    /// warnings and it reads as any JSON value, which decodes whatever the API sends and lets the
    /// caller send whatever it accepts; the schemas around it keep their types.
    pub(super) fn schema(&mut self, value: &Value, at: &Pointer) -> Option<Schema> {
        if self.targets.contains(at.as_str()) {
            return self.contained(value, at, |parser| parser.referenced_place(value, at));
        }
        self.contained(value, at, |parser| parser.schema_here(value, at))
    }

    /// `read`'s schema for `value`, or any JSON value when it reported a problem (see
    /// [`Parser::schema`]).
    pub(super) fn contained(
        &mut self,
        value: &Value,
        at: &Pointer,
        read: impl FnOnce(&mut Self) -> Option<Schema>,
    ) -> Option<Schema> {
        let mark = self.errors.mark();
        let schema = read(self);
        if self.errors.contain_at(mark, Some(at.as_str()), ANY_FALLBACK) {
            let mut any = bare(Kind::Any, at);
            any.description = value.get("description").and_then(Value::as_str).map(str::to_owned);
            return Some(any);
        }
        schema
    }

    /// The schema written at `at`, itself.
    pub(super) fn schema_here(&mut self, value: &Value, at: &Pointer) -> Option<Schema> {
        let map = match value {
            Value::Bool(true) => return Some(bare(Kind::Any, at)),
            other => self.object(other, at)?,
        };
        if self.v30 && map.contains_key("$ref") {
            // OpenAPI 3.0: "any sibling elements of a $ref are ignored", except `nullable: true`,
            // which documents write there for a nullable reference, and which is kept.
            let kind = self.reference(map, &map["$ref"], at)?;
            let nullable = self.opt_bool(map, "nullable", at);
            let kind = if nullable { Kind::Nullable(Box::new(bare(kind, at))) } else { kind };
            return Some(bare(kind, at));
        }
        for key in map.keys() {
            // OpenAPI 3.0's `nullable` is accepted in 3.1 documents too (leniently: real documents
            // mix the dialects), with the same meaning as `type: [T, "null"]`.
            let known = SCHEMA_KEYWORDS.contains(&key.as_str())
                || key.starts_with("x-")
                || (key == "summary" && map.contains_key("$ref"));
            if !known {
                // These only narrow which values are valid (`patternProperties` only types
                // properties an object keeps anyway, as it is then never closed): without them
                // the type accepts more, never less, which decoding a response may.
                let narrows = matches!(
                    key.as_str(),
                    "not"
                        | "if"
                        | "then"
                        | "else"
                        | "dependentSchemas"
                        | "dependentRequired"
                        | "patternProperties"
                        | "unevaluatedProperties"
                        | "unevaluatedItems"
                        | "contains"
                        | "propertyNames"
                );
                // Anything else is no keyword of JSON Schema 2020-12 or of OpenAPI, and JSON
                // Schema ignores unknown keywords: real documents carry misplaced properties
                // and tooling annotations there. Ignored, like an extension.
                if narrows {
                    self.errors.warn(
                        at.join(key).as_str(),
                        format!(
                            "the schema keyword `{key}` is not read; it is ignored, and the type may accept values \
                             it excludes"
                        ),
                    );
                }
            }
        }
        let mut description = self.opt_text(map, "description", at);
        let deprecated = self.opt_bool(map, "deprecated", at);
        let read_only = self.opt_bool(map, "readOnly", at);
        let write_only = self.opt_bool(map, "writeOnly", at);
        let default = map.get("default").cloned();
        let example = map.get("example").or_else(|| map.get("examples")?.get(0)).cloned();
        let mut bounds = self.bounds(map, at);
        let kind = self.kind(map, at)?;
        ignore_inapplicable(&mut bounds, &kind);
        bounds.integer_values = integer_values(map, &kind);
        if let (Some(Value::Array(prefix)), Some(Value::Bool(false)), None) =
            (map.get("prefixItems"), map.get("items"), bounds.max_items)
        {
            // A closed tuple: no more items than positions.
            bounds.max_items = Some(prefix.len() as u64);
        }
        if let Some(values) = scalar_values(map, &kind) {
            // A non-string `enum`/`const` is the scalar type; its values are documented.
            let note = format!("Allowed values: {values}.");
            description = Some(match description {
                Some(text) if !text.trim().is_empty() => format!("{}\n\n{note}", text.trim_end()),
                _ => note,
            });
        }
        Some(Schema {
            pointer: at.clone(),
            description,
            default,
            example,
            deprecated,
            read_only,
            write_only,
            bounds,
            kind,
            origin: None,
        })
    }

    /// The kind, made nullable by OpenAPI 3.0's `nullable: true` (a no-op on `{}`, which already
    /// admits `null`), also accepted in a 3.1 document.
    fn kind(&mut self, map: &Map<String, Value>, at: &Pointer) -> Option<Kind> {
        let nullable = self.opt_bool(map, "nullable", at);
        let kind = self.kind_of(map, nullable, at)?;
        Some(match kind {
            Kind::Nullable(_) | Kind::Any => kind,
            kind if nullable => Kind::Nullable(Box::new(bare(kind, at))),
            kind => kind,
        })
    }

    pub(super) fn kind_of(&mut self, map: &Map<String, Value>, nullable30: bool, at: &Pointer) -> Option<Kind> {
        if let Some(reference) = map.get("$ref") {
            return self.reference(map, reference, at);
        }
        if let Some(list) = map.get("allOf") {
            return self.all_of(map, list, at);
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(list) = map.get(keyword) {
                if let Some(kind) = self.alternatives(map, keyword, list, at) {
                    return kind;
                }
                // Alternatives that only say which properties are required: the object itself.
                break;
            }
        }
        let (ty, nullable) = match self.declared_type(map, nullable30, at)? {
            Declared::One(ty, nullable) => (ty, nullable),
            Declared::Several(types, nullable) => {
                let kind = self.type_union(map, &types, at)?;
                // A 3.0 `nullable` is applied by `kind`.
                return Some(if nullable && !nullable30 { Kind::Nullable(Box::new(bare(kind, at))) } else { kind });
            }
        };
        let inferred = ty.or_else(|| {
            if let Some(values) = map.get("enum").or_else(|| map.get("const")) {
                values_type(values)
            } else if map.contains_key("properties") || map.contains_key("additionalProperties") {
                // Object keywords apply to objects only, and without `type` any other value is
                // valid too; real documents mean an object, which is how this is read. An `allOf`
                // member is exempt: the `allOf` is an object when a member says so, and if none
                // does, the merged schema is read as the object its members describe.
                if !self.untyped_objects_ok.contains(at.as_str()) {
                    self.errors.warn(
                    at.as_str(),
                    "object keywords without `type`, which JSON Schema lets any non-object value meet too; it is read \
                     as an object",
                    );
                }
                Some("object")
            } else if map.contains_key("items") || map.contains_key("prefixItems") {
                if !self.untyped_objects_ok.contains(at.as_str()) {
                    self.errors.warn(
                        at.as_str(),
                        "array keywords without `type`, which JSON Schema lets any non-array value meet too; it is read \
                         as an array",
                    );
                }
                Some("array")
            } else {
                None
            }
        });
        let kind = self.typed_kind(map, inferred, nullable, at)?;
        // On an object, a `discriminator` documents that other schemas extend it through `allOf`:
        // the object decodes as itself, keeping the extensions' properties as undeclared ones.
        if map.contains_key("discriminator") && !matches!(kind, Kind::Object { .. } | Kind::Map(_)) {
            self.errors.push(
                at.join("discriminator").as_str(),
                "`discriminator` is only supported beside `oneOf` or on an object",
            );
        }
        if !matches!(kind, Kind::Enum(_) | Kind::Const(_)) {
            self.check_scalar_values(map, &kind, at);
        }
        // A 3.0 `nullable` is applied by `kind`.
        Some(if nullable && !nullable30 { Kind::Nullable(Box::new(bare(kind, at))) } else { kind })
    }

    /// The `type` keyword: the one non-null type named (if any) or the several ones a list names
    /// (with their places in it), and whether `null` is allowed too (or a 3.0 `nullable` says so).
    fn declared_type<'m>(
        &mut self,
        map: &'m Map<String, Value>,
        nullable30: bool,
        at: &Pointer,
    ) -> Option<Declared<'m>> {
        let declared = match map.get("type") {
            None => Declared::One(None, nullable30),
            Some(Value::String(t)) => Declared::One(Some(t.as_str()), nullable30),
            Some(Value::Array(types)) => {
                let names: Option<Vec<&str>> = types.iter().map(Value::as_str).collect();
                let Some(names) = names else {
                    self.errors.push(at.join("type").as_str(), "expected an array of type names");
                    return None;
                };
                let nullable = names.contains(&"null") || nullable30;
                let mut non_null: Vec<(usize, &str)> =
                    names.iter().copied().enumerate().filter(|(_, t)| *t != "null").collect();
                // Every integer is a number: `[integer, number]` is `number`.
                if non_null.iter().any(|(_, t)| *t == "number") {
                    non_null.retain(|(_, t)| *t != "integer");
                }
                non_null.dedup_by_key(|(_, t)| *t);
                match non_null.as_slice() {
                    [] if names.is_empty() => {
                        self.errors.push(at.join("type").as_str(), "expected at least one type name");
                        return None;
                    }
                    [] => Declared::One(Some("null"), false),
                    [(_, one)] => Declared::One(Some(*one), nullable),
                    _ => Declared::Several(non_null, nullable),
                }
            }
            Some(other) => {
                self.expected(&at.join("type"), "a type name or an array of type names", other);
                return None;
            }
        };
        Some(declared)
    }

    /// `type: [A, B, …]`: the `anyOf` of one schema per type (`{type: A, …}`, `{type: B, …}`), as
    /// JSON Schema means it. Each alternative has every keyword beside the list, which applies to
    /// the instances of its own type only (the others are ignored, see [`ignore_inapplicable`]);
    /// an `enum`/`const` keeps the values of that type, and a type none of its values has
    /// admits nothing, so it is left out. Each alternative is placed at its entry of the list.
    fn type_union(&mut self, map: &Map<String, Value>, types: &[(usize, &str)], at: &Pointer) -> Option<Kind> {
        let mut variants = Vec::new();
        for (i, ty) in types {
            let mut alternative: Map<String, Value> = map
                .iter()
                .filter(|(key, _)| !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-"))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            alternative.insert("type".to_owned(), Value::from(*ty));
            if let Some(Value::Array(values)) = map.get("enum") {
                let values: Vec<Value> = values.iter().filter(|v| has_type(v, ty)).cloned().collect();
                if values.is_empty() {
                    continue;
                }
                alternative.insert("enum".to_owned(), Value::Array(values));
            }
            if map.get("const").is_some_and(|value| !has_type(value, ty)) {
                continue;
            }
            let mut schema = self.schema(&Value::Object(alternative), at)?;
            schema.pointer = at.join("type").join(i);
            variants.push(schema);
        }
        match variants.len() {
            0 => {
                self.errors.push(at.as_str(), "no value of `enum` (or `const`) has one of the listed types");
                None
            }
            1 => variants.pop().map(|schema| schema.kind),
            _ => Some(Kind::OneOf { variants, discriminator: None, mapping: BTreeMap::new(), any_of: true }),
        }
    }

    /// The kind for the (declared or inferred) type name `inferred`.
    fn typed_kind(
        &mut self,
        map: &Map<String, Value>,
        inferred: Option<&str>,
        nullable: bool,
        at: &Pointer,
    ) -> Option<Kind> {
        let kind = match inferred {
            None => Kind::Any,
            Some("string") => self.string_kind(map, nullable, at)?,
            Some("integer") => Kind::Integer,
            Some("number") => Kind::Number,
            Some("boolean") => Kind::Boolean,
            Some("array") if map.contains_key("prefixItems") => self.tuple_kind(map, at)?,
            // Without `items`, JSON Schema admits any items: an array of untyped values.
            Some("array") => {
                let any = Value::Object(Map::new());
                let items = map.get("items").unwrap_or(&any);
                Kind::Array(Box::new(self.schema(items, &at.join("items"))?))
            }
            Some("object") => self.object_kind(map, at)?,
            Some("null") => {
                self.errors.push(
                    at.join("type").as_str(),
                    "unsupported: a schema that is only `null`; use `type: [T, \"null\"]` or `anyOf` with a null",
                );
                return None;
            }
            Some(other) => {
                self.errors.push(
                    at.join("type").as_str(),
                    format!("unknown type `{other}`: expected string, integer, number, boolean, array, object or null"),
                );
                return None;
            }
        };
        Some(kind)
    }

    /// A non-string `enum` or `const` beside a scalar type: every value must have that type.
    fn check_scalar_values(&mut self, map: &Map<String, Value>, kind: &Kind, at: &Pointer) {
        let kind = match kind {
            Kind::Nullable(inner) => &inner.kind,
            other => other,
        };
        for keyword in ["enum", "const"] {
            let Some(values) = map.get(keyword) else { continue };
            let list = match (keyword, values) {
                ("enum", Value::Array(list)) => list.iter().collect::<Vec<_>>(),
                ("enum", other) => {
                    self.expected(&at.join(keyword), "an array of values", other);
                    continue;
                }
                _ => vec![values],
            };
            if keyword == "enum" && list.is_empty() {
                self.errors.push(at.join(keyword).as_str(), "expected at least one enum value");
            }
            for (i, value) in list.into_iter().enumerate() {
                let fits = match (kind, value) {
                    (_, Value::Null) | (Kind::Any, _) => true,
                    (Kind::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
                    (Kind::Number, Value::Number(_)) | (Kind::Boolean, Value::Bool(_)) => true,
                    _ => false,
                };
                if !fits {
                    let value_at = if keyword == "enum" { at.join(keyword).join(i) } else { at.join(keyword) };
                    self.errors.push(
                        value_at.as_str(),
                        format!("unsupported: the {keyword} value `{value}` does not have the schema's type"),
                    );
                }
            }
        }
    }
}

/// What `type` declares.
enum Declared<'m> {
    /// One type (or none: inferred from the other keywords), and whether `null` is allowed too.
    One(Option<&'m str>, bool),
    /// Several types, each with its index in the list, and whether `null` is allowed too.
    Several(Vec<(usize, &'m str)>, bool),
}

/// The keywords that document a schema rather than constrain it: the alternatives of a type
/// list leave them to the union.
const ANNOTATIONS: &[&str] = &[
    "$comment",
    "default",
    "deprecated",
    "description",
    "discriminator",
    "example",
    "examples",
    "externalDocs",
    "nullable",
    "readOnly",
    "title",
    "writeOnly",
    "xml",
];

/// Whether a JSON value is an instance of the JSON Schema type `ty`.
fn has_type(value: &Value, ty: &str) -> bool {
    match (ty, value) {
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
        ("number", Value::Number(_))
        | ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_))
        | ("null", Value::Null) => true,
        _ => false,
    }
}

/// The JSON type every value of an `enum` (or a `const`) has, ignoring `null`; `None` when they
/// mix types (the schema is then any value, its values documented).
fn values_type(values: &Value) -> Option<&'static str> {
    let list = match values {
        Value::Array(list) => list.iter().collect::<Vec<_>>(),
        other => vec![other],
    };
    let mut found: Option<&'static str> = None;
    for value in list {
        let ty = match value {
            Value::Null => continue,
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            // Objects and arrays in an enum: kept as strings so that the string enum refuses them.
            Value::Array(_) | Value::Object(_) => "string",
        };
        found = match (found, ty) {
            (None, ty) => Some(ty),
            (Some(a), b) if a == b => Some(a),
            (Some("integer" | "number"), "integer" | "number") => Some("number"),
            _ => return None,
        };
    }
    // Only `null`s: the string enum reports it.
    Some(found.unwrap_or("string"))
}

/// The values of a non-string `enum`/`const` (the schema's kind is not an enum), for its docs.
fn scalar_values(map: &Map<String, Value>, kind: &Kind) -> Option<String> {
    let kind = match kind {
        Kind::Nullable(inner) => &inner.kind,
        other => other,
    };
    if !matches!(kind, Kind::Integer | Kind::Number | Kind::Boolean | Kind::Any) {
        return None;
    }
    let values = match (map.get("enum"), map.get("const")) {
        (Some(Value::Array(list)), _) => list.clone(),
        (_, Some(value)) => vec![value.clone()],
        _ => return None,
    };
    Some(values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))
}

/// The least and the greatest value of an integer `enum`/`const`, each clamped to 128 bits.
fn integer_values(map: &Map<String, Value>, kind: &Kind) -> Option<(i128, i128)> {
    let kind = match kind {
        Kind::Nullable(inner) => &inner.kind,
        other => other,
    };
    if *kind != Kind::Integer {
        return None;
    }
    let values = match (map.get("enum"), map.get("const")) {
        (Some(Value::Array(list)), _) => list.iter().collect::<Vec<_>>(),
        (_, Some(value)) => vec![value],
        _ => return None,
    };
    let integers = values.into_iter().filter_map(|v| match v {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            // Saturating: a float beyond 128 bits is the nearest end.
            .or_else(|| n.as_f64().map(|f| f as i128)),
        _ => None,
    });
    integers.fold(None, |range, n| match range {
        None => Some((n, n)),
        Some((lo, hi)) => Some((n.min(lo), n.max(hi))),
    })
}

/// Clears the validation keywords that cannot apply to the schema's type (`minLength` on an
/// array, `minimum` on a string…). JSON Schema ignores a keyword on an instance of a type it does
/// not apply to, so the schema means the same without it: it is accepted, neither checked nor
/// documented. A schema without a type (`{}` with bounds) keeps them all, documented, since each
/// applies to the values of its type. `format` is documentation and stays.
fn ignore_inapplicable(bounds: &mut Bounds, kind: &Kind) {
    let kind = match kind {
        Kind::Nullable(inner) => &inner.kind,
        other => other,
    };
    let (numeric, textual, array, object) = match kind {
        Kind::Integer | Kind::Number => (true, false, false, false),
        // On an enum, length bounds only restate what its values are: documentation.
        Kind::String | Kind::Enum(_) | Kind::Const(_) => (false, true, false, false),
        Kind::Boolean => (false, false, false, false),
        Kind::Array(_) => (false, false, true, false),
        Kind::Object { .. } | Kind::Map(_) => (false, false, false, true),
        Kind::Any | Kind::Ref(_) | Kind::Nullable(_) | Kind::OneOf { .. } | Kind::AllOf { .. } => return,
    };
    let Bounds {
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        min_length,
        max_length,
        format: _,
        content_media_type: _,
        content_encoding: _,
        pattern,
        multiple_of,
        min_items,
        max_items,
        unique_items,
        min_properties,
        max_properties,
        closed,
        integer_values: _,
    } = bounds;
    if !numeric {
        (*minimum, *maximum, *exclusive_minimum, *exclusive_maximum, *multiple_of) = (None, None, None, None, None);
    }
    if !textual {
        (*min_length, *max_length, *pattern) = (None, None, None);
    }
    if !array {
        (*min_items, *max_items, *unique_items) = (None, None, false);
    }
    if !object {
        (*min_properties, *max_properties, *closed) = (None, None, false);
    }
}

/// A schema node without annotations: the inside of a nullable, whose annotations stay outside.
pub(super) fn bare(kind: Kind, at: &Pointer) -> Schema {
    Schema {
        pointer: at.clone(),
        description: None,
        default: None,
        example: None,
        deprecated: false,
        read_only: false,
        write_only: false,
        bounds: Bounds::default(),
        kind,
        origin: None,
    }
}

fn max(acc: Option<f64>, x: f64) -> Option<f64> {
    Some(acc.map_or(x, |a| a.max(x)))
}

fn min(acc: Option<f64>, x: f64) -> Option<f64> {
    Some(acc.map_or(x, |a| a.min(x)))
}
