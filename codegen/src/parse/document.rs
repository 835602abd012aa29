//! The [`Document`]: reading JSON text (duplicate keys located, nesting depth bounded), and the
//! top-level spec: `openapi`, `info`, `tags`, `components` and the order everything is read in.

use std::collections::BTreeMap;

use serde::de::DeserializeSeed;

use serde_json::{Map, Number, Value};

use super::{Parser, Schema, Spec};
use crate::error::{Collector, Error, Errors, Pointer};

/// A parsed API description, ready for [`crate::generate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The name used in error messages, usually the file's path.
    pub(crate) name: String,
    pub(crate) spec: Spec,
    /// What parsing read in a weaker but sound way, each located and saying what was done.
    pub(crate) warnings: Vec<Error>,
}

/// OpenAPI 3.2's `$self`, the document's own URI: a `$ref` (or a discriminator's mapping value)
/// that names this document before its `#`, by that URI or relative to it by its last path
/// segment (`shop.json#/…`, `./shop.json#/…`), is a reference inside the document, rewritten as
/// one (`#/…`). Walked with a stack of its own: nesting is checked only later.
fn localize_self_references(value: &mut Value) {
    let Some(own) = value.get("$self").and_then(Value::as_str) else { return };
    let own = own.split('#').next().unwrap_or_default();
    let file = own.rsplit('/').next().unwrap_or_default();
    let names: Vec<String> = [own.to_owned(), file.to_owned(), format!("./{file}")]
        .into_iter()
        .filter(|n| !n.is_empty() && n != "./")
        .collect();
    if names.is_empty() {
        return;
    }
    let localize = |text: &mut String| {
        if let Some((before, after)) = text.split_once('#')
            && names.iter().any(|name| name == before)
        {
            *text = format!("#{after}");
        }
    };
    let mut stack: Vec<&mut Value> = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    match child {
                        Value::String(text) if key == "$ref" => localize(text),
                        Value::Object(mapping) if key == "mapping" => {
                            for target in mapping.values_mut() {
                                if let Value::String(text) = target {
                                    localize(text);
                                }
                            }
                            // A property named `mapping` is a schema to walk too.
                            stack.push(child);
                        }
                        Value::Object(_) | Value::Array(_) => stack.push(child),
                        _ => {}
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

impl Document {
    /// Parses and validates an OpenAPI 3.0 or 3.1 document, JSON or YAML (text that starts with
    /// `{` is read as JSON, anything else as YAML). `name` (usually the path the text came from)
    /// prefixes every error message; nothing is read from disk.
    ///
    /// # Errors
    /// Invalid JSON or YAML (with line and column), or every unsupported or malformed construct
    /// found, each located by its JSON pointer.
    pub fn parse(name: &str, text: &str) -> Result<Self, Errors> {
        Self::parse_filtered(name, text, &crate::Filter::default())
    }

    /// Like [`Document::parse`], keeping only the operations `filter` keeps and the components
    /// they reach (see [`crate::Filter`]).
    ///
    /// # Errors
    /// As [`Document::parse`], for what the filter keeps.
    pub fn parse_filtered(name: &str, text: &str, filter: &crate::Filter) -> Result<Self, Errors> {
        // A UTF-8 byte order mark is not JSON, but editors on Windows write one.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if !text.trim_start().starts_with('{') {
            let (value, duplicates) =
                super::yaml::read(text).map_err(|error| Errors { file: name.to_owned(), errors: vec![error] })?;
            return Self::filtered(name, value, filter, duplicates);
        }
        let mut duplicates = Vec::new();
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = Tracked { text, place: Place::Root, duplicates: &mut duplicates }
            .deserialize(&mut deserializer)
            .and_then(|value| deserializer.end().map(|()| value))
            .map_err(|e| Errors {
                file: name.to_owned(),
                errors: vec![Error {
                    location: format!("{}:{}", e.line(), e.column()),
                    message: format!("invalid JSON: {e}"),
                }],
            })?;
        Self::filtered(name, value, filter, duplicates)
    }

    /// The document `filter` keeps of `value`, whose `$ref`s are resolved in the whole `value`
    /// (a kept operation may reference a schema written in a dropped one).
    fn filtered(name: &str, mut value: Value, filter: &crate::Filter, duplicates: Vec<Error>) -> Result<Self, Errors> {
        localize_self_references(&mut value);
        if filter.is_empty() {
            return Self::with_duplicates(name, &value, &Value::Null, duplicates);
        }
        let original = value.clone();
        filter.apply(&mut value, &original);
        Self::with_duplicates(name, &value, &original, duplicates)
    }

    /// `original`: the document before filtering, or `null` when it was not filtered.
    fn with_duplicates(
        name: &str,
        value: &Value,
        original: &Value,
        mut duplicates: Vec<Error>,
    ) -> Result<Self, Errors> {
        let whole = if original.is_null() { value } else { original };
        match Self::from_value_in(name, value, whole) {
            // A repeated key is read as JSON parsers read it, the last one, with a warning.
            Ok(mut doc) => {
                duplicates.append(&mut doc.warnings);
                doc.warnings = duplicates;
                Ok(doc)
            }
            Err(mut errors) => {
                duplicates.append(&mut errors.errors);
                errors.errors = duplicates;
                Err(errors)
            }
        }
    }

    /// Like [`Document::parse`], from an already parsed JSON value.
    ///
    /// # Errors
    /// Every unsupported or malformed construct, each located by its JSON pointer; a value nested
    /// deeper than 128 levels (the limit serde_json puts on text) is refused before it is walked.
    pub fn from_value(name: &str, value: &Value) -> Result<Self, Errors> {
        if value.get("$self").is_some() {
            let mut owned = value.clone();
            localize_self_references(&mut owned);
            return Self::from_value_in(name, &owned, &owned);
        }
        Self::from_value_in(name, value, value)
    }

    /// [`Document::from_value`], `$ref`s to places other than components resolved in `whole`.
    fn from_value_in(name: &str, value: &Value, whole: &Value) -> Result<Self, Errors> {
        if let Some(path) = too_deep(value, 1) {
            let at = path.iter().rev().fold(Pointer::root(), |at, token| at.join(token));
            return Err(Errors {
                file: name.to_owned(),
                errors: vec![Error {
                    location: at.to_string(),
                    message: format!("the document nests arrays and objects more than {MAX_DEPTH} levels deep"),
                }],
            });
        }
        let components = value.get("components").and_then(Value::as_object);
        let mut cx = Parser {
            errors: Collector::default(),
            v30: false,
            components,
            document: whole,
            targets: super::refs::schema_targets(whole),
            referenced: BTreeMap::new(),
            untyped_objects_ok: std::collections::BTreeSet::new(),
        };
        let mut spec = cx.spec(value);
        if let Some(spec) = &mut spec {
            super::merge::merge_all_of(spec, &mut cx.errors);
        }
        let ((), warnings) = cx.errors.finish(name, ())?;
        // An empty collector means `spec` was produced.
        match spec {
            Some(spec) => Ok(Self { name: name.to_owned(), spec, warnings }),
            None => Err(Errors {
                file: name.to_owned(),
                errors: vec![Error { location: "#".into(), message: "not an OpenAPI document".into() }],
            }),
        }
    }

    /// The document's `info.title`.
    pub fn title(&self) -> &str {
        &self.spec.title
    }

    /// The document's `info.version`.
    pub fn version(&self) -> &str {
        &self.spec.version
    }

    /// The name given to [`Document::parse`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What parsing read in a weaker but sound way: each warning is located by its JSON pointer
    /// and says what the generator does instead. [`crate::generate_crate`] adds lowering's.
    pub fn warnings(&self) -> &[Error] {
        &self.warnings
    }
}

/// How deeply arrays and objects may nest: serde_json's own limit when it parses text. Every
/// stage walks the document recursively, so this bounds their stack.
const MAX_DEPTH: usize = 128;

/// The path (innermost token first) to the first array or object nested deeper than
/// [`MAX_DEPTH`], if any. The recursion stops there, so it is bounded too.
fn too_deep(value: &Value, depth: usize) -> Option<Vec<String>> {
    // Tokens are only written out on the way back from a value that is too deep: walking the
    // document allocates nothing.
    match value {
        Value::Array(_) | Value::Object(_) if depth > MAX_DEPTH => Some(Vec::new()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, child)| {
            let mut path = too_deep(child, depth + 1)?;
            path.push(i.to_string());
            Some(path)
        }),
        Value::Object(map) => map.iter().find_map(|(key, child)| {
            let mut path = too_deep(child, depth + 1)?;
            path.push(key.clone());
            Some(path)
        }),
        _ => None,
    }
}

/// A `DeserializeSeed` that builds the same [`Value`] as serde_json, but records every key that
/// appears twice in one object: serde_json silently keeps the last one, which would drop a whole
/// schema or a `required` list without a word.
struct Tracked<'a, 'p> {
    text: &'a str,
    place: Place<'p>,
    duplicates: &'a mut Vec<Error>,
}

/// Where a value is: a chain of keys and indices up to the root, written out as a [`Pointer`]
/// only for an error, so that parsing builds no string per value.
#[derive(Clone, Copy)]
enum Place<'p> {
    Root,
    Key(&'p Place<'p>, &'p str),
    Index(&'p Place<'p>, usize),
}

impl Place<'_> {
    fn pointer(&self) -> Pointer {
        match self {
            Self::Root => Pointer::root(),
            Self::Key(parent, key) => parent.pointer().join(key),
            Self::Index(parent, index) => parent.pointer().join(index),
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Tracked<'_, '_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Tracked<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let place = Place::Index(&self.place, items.len());
            let seed = Tracked { text: self.text, place, duplicates: &mut *self.duplicates };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let mut seen: BTreeMap<String, Option<usize>> = BTreeMap::new();
        while let Some((key, offset)) = map.next_key_seed(KeySeed { text: self.text })? {
            if let Some(first) = seen.get(&key) {
                let places = match (first, offset) {
                    (Some(first), Some(again)) => {
                        format!(" (at {}, first at {})", line_column(self.text, again), line_column(self.text, *first))
                    }
                    _ => String::new(),
                };
                self.duplicates.push(Error {
                    location: Place::Key(&self.place, &key).pointer().to_string(),
                    message: format!(
                        "duplicate key `{key}`{places}, which JSON parsers read as the last one; the last one \
                         is read and the first ignored"
                    ),
                });
            } else {
                seen.insert(key.clone(), offset);
            }
            let place = Place::Key(&self.place, &key);
            let value = map.next_value_seed(Tracked { text: self.text, place, duplicates: &mut *self.duplicates })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// An object key, with its byte offset in the text when serde_json could lend it unescaped.
struct KeySeed<'a> {
    text: &'a str,
}

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed<'_> {
    type Value = (String, Option<usize>);

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeySeed<'_> {
    type Value = (String, Option<usize>);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        // A borrowed key is a slice of the text: its address gives its place (no `unsafe`, only
        // address arithmetic, checked against the text's bounds).
        let start = (v.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize);
        Ok((v.to_owned(), start.filter(|s| *s <= self.text.len())))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((v.to_owned(), None))
    }
}

/// `line:column` (1-based, columns in characters) of the opening quote of the key at `offset`.
fn line_column(text: &str, offset: usize) -> String {
    let before = text.get(..offset.saturating_sub(1)).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    format!("{line}:{column}")
}

/// The `components` sections: those read, and those that are documentation only.
const COMPONENT_SECTIONS: &[&str] = &[
    "callbacks",
    "examples",
    "headers",
    "links",
    "parameters",
    "pathItems",
    "requestBodies",
    "responses",
    "schemas",
    "securitySchemes",
];

impl<'d> Parser<'d> {
    fn spec(&mut self, value: &'d Value) -> Option<Spec> {
        let root = Pointer::root();
        let doc = self.object(value, &root)?;
        self.check_top_level(doc, &root);
        let (title, version) = match doc.get("info") {
            Some(info) => {
                let at = root.join("info");
                let info = self.object(info, &at);
                let title = info.and_then(|i| self.opt_string(i, "title", &at));
                let version = info.and_then(|i| self.opt_string(i, "version", &at));
                (title.unwrap_or_default(), version.unwrap_or_default())
            }
            None => {
                self.errors.warn(
                    root.as_str(),
                    "expected an `info` object with `title` and `version`; the API is called `API`, version `0`",
                );
                ("API".to_owned(), "0".to_owned())
            }
        };
        let mark = self.errors.mark();
        let base_url = self.servers(doc, &root);
        let base_url = match self.errors.contain(
            mark,
            "the crate has no default base URL (the client is given one, by its builder or the environment)",
        ) {
            true => None,
            false => base_url,
        };
        let tags = self.tags(doc, &root);
        let schemes = self.security_schemes(doc, &root);
        let security = match doc.get("security") {
            Some(value) => self.requirements(value, &root.join("security"), &schemes),
            None => Vec::new(),
        };
        let mut schemas = self.components(doc, &root);
        let operations = self.paths(doc, &root, &schemes, &security);
        let mut schema_names = BTreeMap::new();
        self.referenced_schemas(&mut schemas, &mut schema_names);
        let idempotency_header = self.opt_string(doc, "x-idempotency-header", &root);
        if let Some(name) = &idempotency_header
            && (name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)))
        {
            self.errors.warn(
                root.join("x-idempotency-header").as_str(),
                format!(
                    "`{name}` is not a header name; no idempotency key is sent, and POST and PATCH are not retried"
                ),
            );
        }
        Some(Spec { title, version, base_url, tags, schemes, schemas, schema_names, operations, idempotency_header })
    }

    /// The top level's version (`openapi`, which sets the 3.0 dialect), its keys and its
    /// `jsonSchemaDialect`.
    fn check_top_level(&mut self, doc: &Map<String, Value>, root: &Pointer) {
        match doc.get("openapi") {
            // 3.2 keeps 3.1's schema dialect; what it adds is read where it is met.
            Some(Value::String(v)) if v.starts_with("3.1.") || v.starts_with("3.2.") => {}
            Some(Value::String(v)) if v.starts_with("3.0.") => self.v30 = true,
            Some(Value::String(v)) => self.errors.push(
                root.join("openapi").as_str(),
                format!("expected an OpenAPI 3.0.x or 3.1.x document, found version `{v}`"),
            ),
            Some(other) => self.expected(&root.join("openapi"), "a version string such as \"3.1.0\"", other),
            None if doc.contains_key("swagger") => self.errors.push(
                root.join("swagger").as_str(),
                "Swagger 2.0 is not supported: convert the document to OpenAPI 3 first",
            ),
            None => self.errors.push(root.as_str(), "expected an `openapi` key with a 3.0.x or 3.1.x version"),
        }
        for key in doc.keys() {
            let known = matches!(
                key.as_str(),
                "openapi"
                    | "info"
                    | "servers"
                    | "paths"
                    | "components"
                    | "security"
                    | "tags"
                    | "externalDocs"
                    | "webhooks"
                    // OpenAPI 3.2: the document's own URI, a base for references it does not hold.
                    | "$self"
                    | "jsonSchemaDialect"
                    // Reported as the version above.
                    | "swagger"
            );
            if !known && !key.starts_with("x-") {
                self.errors.warn(root.join(key).as_str(), format!("unknown top-level key `{key}`; it is ignored"));
            }
        }
        if let Some(dialect) = doc.get("jsonSchemaDialect") {
            let at = root.join("jsonSchemaDialect");
            if let Some(dialect) = self.string(dialect, &at)
                && !matches!(
                    dialect.as_str(),
                    "https://spec.openapis.org/oas/3.1/dialect/base" | "https://json-schema.org/draft/2020-12/schema"
                )
            {
                self.errors.warn(
                    at.as_str(),
                    format!(
                        "JSON Schema dialect `{dialect}`, which may give keywords another meaning; schemas are read as \
                         OpenAPI 3.1's default dialect"
                    ),
                );
            }
        }
    }

    fn tags(&mut self, doc: &Map<String, Value>, root: &Pointer) -> BTreeMap<String, Option<String>> {
        let mut tags = BTreeMap::new();
        let at = root.join("tags");
        match doc.get("tags") {
            None => {}
            Some(Value::Array(list)) => {
                for (i, tag) in list.iter().enumerate() {
                    let at = at.join(i);
                    if let Some(tag) = self.object(tag, &at)
                        && let Some(name) = self.opt_string(tag, "name", &at)
                    {
                        let description = self.opt_text(tag, "description", &at);
                        tags.insert(name, description);
                    }
                }
            }
            Some(other) => self.expected(&at, "an array of tags", other),
        }
        tags
    }

    fn components(&mut self, doc: &Map<String, Value>, root: &Pointer) -> BTreeMap<String, Schema> {
        let mut schemas = BTreeMap::new();
        let Some(components) = doc.get("components") else { return schemas };
        let at = root.join("components");
        let Some(components) = self.object(components, &at) else { return schemas };
        for key in components.keys() {
            if !COMPONENT_SECTIONS.contains(&key.as_str()) && !key.starts_with("x-") {
                self.errors.warn(at.join(key).as_str(), format!("unknown `components` section `{key}`; it is ignored"));
            }
        }
        let Some(list) = components.get("schemas") else { return schemas };
        let at = at.join("schemas");
        let Some(list) = self.object(list, &at) else { return schemas };
        for (name, schema) in list {
            if name.starts_with("#/") {
                // Such keys name the schemas referenced elsewhere in the document (see `refs`).
                self.errors.warn(
                    at.join(name).as_str(),
                    "a component name starting with `#/`, which no `$ref` can name apart from a place; it is ignored",
                );
                continue;
            }
            if let Some(schema) = self.schema(schema, &at.join(name)) {
                schemas.insert(name.clone(), schema);
            }
        }
        schemas
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}"#;

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let doc = Document::parse("bom.json", &format!("\u{feff}{MINIMAL}")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.spec.title, "T");
    }

    #[test]
    fn from_value_refuses_deep_nesting_without_overflowing() {
        let mut deep = Value::Null;
        for _ in 0..10_000 {
            deep = Value::Array(vec![deep]);
        }
        let mut doc: Value = serde_json::from_str(MINIMAL).unwrap_or_else(|e| panic!("{e}"));
        if let Some(map) = doc.as_object_mut() {
            map.insert("x-deep".into(), deep);
        }
        let errors = Document::from_value("deep.json", &doc).expect_err("too deep");
        assert_eq!(errors.errors.len(), 1);
        assert!(errors.errors[0].location.starts_with("#/x-deep/0/0/"), "{}", errors.errors[0].location);
        assert_eq!(errors.errors[0].location.matches('/').count(), MAX_DEPTH);
        // serde_json drops a `Value` recursively: take this one apart iteratively.
        let mut rest = doc.as_object_mut().and_then(|m| m.remove("x-deep"));
        while let Some(Value::Array(mut items)) = rest {
            rest = items.pop();
        }
    }

    /// A kept operation referencing a schema written in a dropped one: the schema is read from the
    /// whole document, and the component it reaches is kept.
    #[test]
    fn a_filter_keeps_what_references_to_dropped_operations_reach() {
        let text = r##"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {
            "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/paths/~1b/get/responses/200/content/application~1json/schema"}}}}}}},
            "/b": {"get": {"operationId": "b", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/C"}}}}}}}}},
            "components": {"schemas": {"C": {"type": "string"}, "D": {"type": "string"}}}}"##;
        let filter = crate::Filter { include_operations: vec!["a".into()], ..crate::Filter::default() };
        let doc = Document::parse_filtered("f.json", text, &filter).unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<&String> = doc.spec.schemas.keys().collect();
        assert_eq!(keys, ["#/paths/~1b/get/responses/200/content/application~1json/schema", "C"]);
        assert_eq!(doc.spec.operations.len(), 1);
    }

    #[test]
    fn duplicate_keys_are_located_even_when_escaped() {
        let text = "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"T\", \"version\": \"1\"},\n \"paths\": {}, \"p\\u0061ths\": {}}";
        let doc = Document::parse("dup.json", text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.warnings.len(), 1);
        assert_eq!(doc.warnings[0].location, "#/paths");
        assert!(doc.warnings[0].message.starts_with("duplicate key `paths`, "), "{}", doc.warnings[0].message);
        let doc = Document::parse("dup.json", &MINIMAL.replace("{}}", "{}, \"paths\": {}}")).expect("a warning");
        assert!(doc.warnings[0].message.contains("(at 1:75, first at 1:62)"), "{}", doc.warnings[0].message);
    }

    #[test]
    fn references_through_self_are_inside_the_document() {
        let text = r##"{"openapi": "3.2.0", "$self": "https://example.com/apis/shop.json",
            "info": {"title": "T", "version": "1"},
            "paths": {"/pets": {"get": {"operationId": "list", "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "https://example.com/apis/shop.json#/components/schemas/Pets"}}}}}}}},
            "components": {"schemas": {
                "Pets": {"type": "array", "items": {"$ref": "shop.json#/components/schemas/Pet"}},
                "Pet": {"oneOf": [{"$ref": "./shop.json#/components/schemas/Cat"}],
                        "discriminator": {"propertyName": "kind", "mapping": {"cat": "shop.json#/components/schemas/Cat"}}},
                "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}}}}"##;
        let doc = Document::parse("shop.json", text).unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        let other = text.replace("\"$self\": \"https://example.com/apis/shop.json\",", "");
        // Without `$self` they are external: read as any JSON value, with a warning each.
        let external = Document::parse("shop.json", &other).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(external.warnings.len(), 3, "{:?}", external.warnings);
        assert!(external.warnings.iter().all(|w| w.message.contains("unsupported reference")));
    }
}
