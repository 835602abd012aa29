//! Stage 1, parse and validate: JSON or YAML text → [`Spec`], the supported subset of OpenAPI
//! 3.0 and 3.1.
//!
//! Every keyword is checked against what the generator supports. Anything that would change what
//! goes over the wire is refused with an error located by its JSON pointer (and named in words),
//! never skipped: a construct the generator does not understand must not be silently
//! mis-generated. Documentation, examples and tooling metadata (`x-…` extensions, `title`,
//! `example(s)`, `externalDocs`, `xml`, `links`, `callbacks`, `webhooks`) are accepted and
//! ignored; `format` and the validation keywords (`pattern`, `multipleOf`, `minItems`…) are read
//! into [`Bounds`] for the docs, the integer types and `Validate`. `allOf` is merged away by
//! [`crate::merge`] once every schema is read.
//!
//! Both versions are normalised here into one model: 3.0's `nullable`, boolean
//! `exclusiveMinimum`/`exclusiveMaximum` and `$ref` siblings (ignored in 3.0) become what 3.1
//! says; `$ref`s to `components/parameters`, `responses`, `requestBodies` and `headers` are
//! resolved; path-level parameters are merged into each operation's; server variables are
//! substituted with their defaults. No later stage knows which version the document was.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeSeed;
use serde_json::{Map, Number, Value};

use crate::error::{Collector, Error, Errors, Pointer};

/// A parsed API description, ready for [`crate::generate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The name used in error messages, usually the file's path.
    pub(crate) name: String,
    pub(crate) spec: Spec,
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
            let (mut value, duplicates) =
                crate::yaml::read(text).map_err(|error| Errors { file: name.to_owned(), errors: vec![error] })?;
            filter.apply(&mut value);
            return Self::with_duplicates(name, &value, duplicates);
        }
        let mut duplicates = Vec::new();
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let mut value = Tracked { text, place: Place::Root, duplicates: &mut duplicates }
            .deserialize(&mut deserializer)
            .and_then(|value| deserializer.end().map(|()| value))
            .map_err(|e| Errors {
                file: name.to_owned(),
                errors: vec![Error {
                    location: format!("{}:{}", e.line(), e.column()),
                    message: format!("invalid JSON: {e}"),
                }],
            })?;
        filter.apply(&mut value);
        Self::with_duplicates(name, &value, duplicates)
    }

    fn with_duplicates(name: &str, value: &Value, mut duplicates: Vec<Error>) -> Result<Self, Errors> {
        match Self::from_value(name, value) {
            Ok(doc) if duplicates.is_empty() => Ok(doc),
            Ok(_) => Err(Errors { file: name.to_owned(), errors: duplicates }),
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
        let mut cx = Parser { errors: Collector::default(), v30: false, components };
        let mut spec = cx.spec(value);
        if let Some(spec) = &mut spec {
            crate::merge::merge_all_of(spec, &mut cx.errors);
        }
        cx.errors.finish(name, ())?;
        // An empty collector means `spec` was produced.
        match spec {
            Some(spec) => Ok(Self { name: name.to_owned(), spec }),
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
                        "duplicate key `{key}`{places}: JSON keeps only the last one, so the first would be \
                         silently dropped; remove or rename one"
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

/// The validated document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub title: String,
    pub version: String,
    /// The first server's URL with its variables substituted, and where it is written.
    pub base_url: Option<(String, Pointer)>,
    pub tags: BTreeMap<String, Option<String>>,
    /// `components/securitySchemes`, by name.
    pub schemes: BTreeMap<String, SchemeSpec>,
    /// `components/schemas`, by name.
    pub schemas: BTreeMap<String, Schema>,
    /// Sorted by path, then method.
    pub operations: Vec<OperationSpec>,
    /// The root's `x-idempotency-header`: the header that carries an idempotency key.
    pub idempotency_header: Option<String>,
}

/// One schema node with its annotations.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Schema {
    pub pointer: Pointer,
    pub description: Option<String>,
    pub default: Option<Value>,
    pub deprecated: bool,
    /// `readOnly: true`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly: true`: sent by the client only, never in a response.
    pub write_only: bool,
    pub bounds: Bounds,
    pub kind: Kind,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Bounds {
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// `format`: documentation, except that `int32`, `uint64`… pick the integer type.
    pub format: Option<String>,
    /// A `pattern` that the `regex` crate accepts (checked when parsing).
    pub pattern: Option<String>,
    pub multiple_of: Option<Number>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// `additionalProperties: false` beside `properties`.
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// `{}`: any JSON value.
    Any,
    /// `$ref` to `#/components/schemas/<name>`.
    Ref(String),
    String,
    /// A string `enum`, values in document order.
    Enum(Vec<String>),
    /// A string `const`.
    Const(String),
    Integer,
    Number,
    Boolean,
    Array(Box<Schema>),
    /// An object with `properties`, sorted by name.
    Object {
        properties: BTreeMap<String, Schema>,
        required: BTreeSet<String>,
    },
    /// An object whose values all match one schema (`additionalProperties`).
    Map(Box<Schema>),
    /// `type: [T, "null"]` or `anyOf: [T, {type: null}]`.
    Nullable(Box<Schema>),
    /// `oneOf` (or an `anyOf` union), with the discriminator's property name when declared and
    /// its `mapping` as component → (tag value, where the entry is written).
    OneOf {
        variants: Vec<Schema>,
        discriminator: Option<String>,
        mapping: BTreeMap<String, (String, Pointer)>,
        /// Written `anyOf` (decoded alike: the first variant that decodes), for the JSON Schema
        /// the type gives of itself.
        any_of: bool,
    },
    /// `allOf`, before [`merge_all_of`] replaces it: its members (the siblings of the list as
    /// one more) and the `required` names written beside it. Never seen after parsing.
    AllOf {
        members: Vec<Schema>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OperationSpec {
    pub pointer: Pointer,
    pub path: String,
    pub method: String,
    pub operation_id: Option<String>,
    pub tag: Option<String>,
    /// The security requirements that apply (the operation's, else the document's): a list of
    /// alternatives, each naming the schemes it needs together. Empty: no credentials.
    pub security: Vec<Vec<String>>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<ParamSpec>,
    pub body: Option<BodySpec>,
    /// The success responses: every 2xx by status, else `default`.
    pub success: Vec<ResponseSpec>,
    /// The error responses with a JSON body: every 4xx/5xx, and `default` beside a 2xx.
    pub errors: Vec<ResponseSpec>,
    pub pagination: Option<PaginationSpec>,
}

/// An operation's `requestBody`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BodySpec {
    pub pointer: Pointer,
    pub required: bool,
    pub description: Option<String>,
    /// One entry per media type, the default one (JSON when there is one) first.
    pub content: Vec<(String, Content)>,
}

/// What a request or response body holds, by media type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    /// `application/json` or `…+json`.
    Json(Schema),
    /// `application/x-www-form-urlencoded`.
    Form(Schema),
    /// `multipart/form-data`.
    Multipart(Schema),
    /// `text/*`.
    Text,
    /// Any other media type: raw bytes.
    Bytes,
}

/// One response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResponseSpec {
    /// `200`, `2XX` or `default`.
    pub status: String,
    pub pointer: Pointer,
    /// `None` for a response without content.
    pub content: Option<Content>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParamSpec {
    pub pointer: Pointer,
    pub name: String,
    pub location: ParamLocation,
    pub style: ParamStyle,
    /// `explode`, defaulted as OpenAPI says (true for `form` only).
    pub explode: bool,
    pub required: bool,
    pub description: Option<String>,
    pub schema: Schema,
}

/// A security scheme, as the client applies it. OAuth2 and OpenID Connect send their access
/// token as a bearer token: obtaining it is left to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SchemeSpec {
    Bearer,
    Basic,
    ApiKey { location: KeyLocation, name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyLocation {
    Header,
    Query,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// A parameter's `style`, defaulted by its location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PaginationSpec {
    pub pointer: Pointer,
    pub page_param: String,
    pub items: String,
    pub total: Option<String>,
}

const SCHEMA_KEYWORDS: &[&str] = &[
    "$comment",
    "$ref",
    "additionalProperties",
    "allOf",
    "anyOf",
    "const",
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

/// How many `$ref`s may lead from one to the next before the chain is refused (it may be a loop).
const MAX_REF_CHAIN: usize = 16;

const HTTP_METHODS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put", "trace"];

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

struct Parser<'d> {
    errors: Collector,
    /// An OpenAPI 3.0 document: its schema dialect is normalised to 3.1's while parsing.
    v30: bool,
    /// The document's `components`, for resolving `$ref`s.
    components: Option<&'d Map<String, Value>>,
}

impl<'d> Parser<'d> {
    fn expected(&mut self, at: &Pointer, what: &str, found: &Value) {
        self.errors.push(at.as_str(), format!("expected {what}, found {}", json_type(found)));
    }

    fn object<'v>(&mut self, value: &'v Value, at: &Pointer) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.expected(at, "an object", other);
                None
            }
        }
    }

    fn string(&mut self, value: &Value, at: &Pointer) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            other => {
                self.expected(at, "a string", other);
                None
            }
        }
    }

    fn opt_string(&mut self, map: &Map<String, Value>, key: &str, at: &Pointer) -> Option<String> {
        map.get(key).and_then(|v| self.string(v, &at.join(key)))
    }

    /// A `description` or `summary`: absent when it is empty or blank, as documents write
    /// `description: ""`, so that the generator's own fallback text documents the item.
    fn opt_text(&mut self, map: &Map<String, Value>, key: &str, at: &Pointer) -> Option<String> {
        self.opt_string(map, key, at).filter(|text| !text.trim().is_empty())
    }

    fn opt_bool(&mut self, map: &Map<String, Value>, key: &str, at: &Pointer) -> bool {
        match map.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.expected(&at.join(key), "a boolean", other);
                false
            }
        }
    }

    fn spec(&mut self, value: &'d Value) -> Option<Spec> {
        let root = Pointer::root();
        let doc = self.object(value, &root)?;
        match doc.get("openapi") {
            Some(Value::String(v)) if v.starts_with("3.1.") => {}
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
                    | "jsonSchemaDialect"
                    // Reported as the version above.
                    | "swagger"
            );
            if !known && !key.starts_with("x-") {
                self.errors.push(root.join(key).as_str(), format!("unknown top-level key `{key}`"));
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
                self.errors.push(
                    at.as_str(),
                    format!(
                        "unsupported JSON Schema dialect `{dialect}`: schemas are read as OpenAPI 3.1's default \
                         dialect, and another one may give their keywords another meaning"
                    ),
                );
            }
        }
        let (title, version) = match doc.get("info") {
            Some(info) => {
                let at = root.join("info");
                let info = self.object(info, &at);
                let title = info.and_then(|i| self.opt_string(i, "title", &at));
                let version = info.and_then(|i| self.opt_string(i, "version", &at));
                (title.unwrap_or_default(), version.unwrap_or_default())
            }
            None => {
                self.errors.push(root.as_str(), "expected an `info` object with `title` and `version`");
                (String::new(), String::new())
            }
        };
        let base_url = self.servers(doc, &root);
        let tags = self.tags(doc, &root);
        let schemes = self.security_schemes(doc, &root);
        let security = match doc.get("security") {
            Some(value) => self.requirements(value, &root.join("security"), &schemes),
            None => Vec::new(),
        };
        let schemas = self.components(doc, &root);
        let operations = self.paths(doc, &root, &schemes, &security);
        let idempotency_header = self.opt_string(doc, "x-idempotency-header", &root);
        if let Some(name) = &idempotency_header
            && (name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)))
        {
            self.errors.push(root.join("x-idempotency-header").as_str(), format!("`{name}` is not a header name"));
        }
        Some(Spec { title, version, base_url, tags, schemes, schemas, operations, idempotency_header })
    }

    fn servers(&mut self, doc: &Map<String, Value>, root: &Pointer) -> Option<(String, Pointer)> {
        let at = root.join("servers");
        match doc.get("servers")? {
            Value::Array(servers) => {
                let first = servers.first()?;
                let server = self.object(first, &at.join(0))?;
                match server.get("url") {
                    Some(url) => {
                        let url_at = at.join(0).join("url");
                        let url = self.string(url, &url_at)?;
                        let url = self.substitute(&url, server.get("variables"), &at.join(0))?;
                        if let Some(c) =
                            url.chars().find(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`".contains(*c))
                        {
                            self.errors.push(
                                url_at.as_str(),
                                format!("a server URL cannot contain {c:?}: it is not a URL character"),
                            );
                        }
                        Some((url, url_at))
                    }
                    None => {
                        self.errors.push(at.join(0).as_str(), "expected a `url`");
                        None
                    }
                }
            }
            other => {
                self.expected(&at, "an array of servers", other);
                None
            }
        }
    }

    /// A server URL with each `{variable}` replaced by its `default`.
    fn substitute(&mut self, url: &str, variables: Option<&Value>, at: &Pointer) -> Option<String> {
        let empty = Map::new();
        let variables = match variables {
            None => &empty,
            Some(v) => self.object(v, &at.join("variables"))?,
        };
        let mut out = String::new();
        let mut rest = url;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(len) = rest[start..].find('}') else {
                self.errors.push(at.join("url").as_str(), "an unclosed `{` in the server URL");
                return None;
            };
            let name = &rest[start + 1..start + len];
            let var_at = at.join("variables").join(name);
            match variables.get(name).and_then(Value::as_object).and_then(|v| v.get("default")) {
                Some(Value::String(default)) => out.push_str(default),
                Some(other) => {
                    self.expected(&var_at.join("default"), "a string", other);
                    return None;
                }
                None => {
                    self.errors.push(
                        at.join("url").as_str(),
                        format!("the server variable `{name}` has no `default` under `variables`"),
                    );
                    return None;
                }
            }
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        Some(out)
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

    /// `components/securitySchemes`: every scheme the runtime can apply.
    fn security_schemes(&mut self, doc: &'d Map<String, Value>, root: &Pointer) -> BTreeMap<String, SchemeSpec> {
        let mut out = BTreeMap::new();
        let Some(components) = doc.get("components").and_then(Value::as_object) else { return out };
        let at = root.join("components").join("securitySchemes");
        let Some(schemes) = components.get("securitySchemes") else { return out };
        let Some(schemes) = self.object(schemes, &at) else { return out };
        for (name, scheme) in schemes {
            let at = at.join(name);
            let Some((scheme, at)) = self.resolve(scheme, at, "securitySchemes") else { continue };
            let Some(scheme) = self.object(scheme, &at) else { continue };
            let kind = scheme.get("type").and_then(Value::as_str);
            let parsed = match kind {
                Some("http") => match scheme.get("scheme").and_then(Value::as_str).map(str::to_ascii_lowercase) {
                    Some(s) if s == "bearer" => Some(SchemeSpec::Bearer),
                    Some(s) if s == "basic" => Some(SchemeSpec::Basic),
                    other => {
                        self.errors.push(
                            at.join("scheme").as_str(),
                            format!(
                                "unsupported HTTP authentication scheme {}: expected `bearer` or `basic`",
                                other.map_or_else(|| "(none)".to_owned(), |s| format!("`{s}`"))
                            ),
                        );
                        None
                    }
                },
                Some("apiKey") => {
                    let location = match scheme.get("in").and_then(Value::as_str) {
                        Some("header") => Some(KeyLocation::Header),
                        Some("query") => Some(KeyLocation::Query),
                        Some("cookie") => Some(KeyLocation::Cookie),
                        _ => {
                            self.errors.push(
                                at.join("in").as_str(),
                                "an API key scheme needs `in`: `header`, `query` or `cookie`",
                            );
                            None
                        }
                    };
                    let key_name = match scheme.get("name") {
                        Some(n) => self.string(n, &at.join("name")),
                        None => {
                            self.errors.push(
                                at.as_str(),
                                "an API key scheme needs the `name` of its header, query parameter or cookie",
                            );
                            None
                        }
                    };
                    location.zip(key_name).map(|(location, name)| SchemeSpec::ApiKey { location, name })
                }
                Some("oauth2" | "openIdConnect") => Some(SchemeSpec::Bearer),
                Some(other) => {
                    self.errors.push(
                        at.join("type").as_str(),
                        format!(
                            "unsupported security scheme type `{other}`: expected `http` (bearer or basic), \
                             `apiKey`, `oauth2` or `openIdConnect`"
                        ),
                    );
                    None
                }
                None => {
                    self.errors.push(at.as_str(), "a security scheme needs a `type`");
                    None
                }
            };
            if let Some(parsed) = parsed {
                out.insert(name.clone(), parsed);
            }
        }
        out
    }

    /// A `security` list: alternatives, each the names of the schemes it needs together.
    fn requirements(
        &mut self,
        value: &Value,
        at: &Pointer,
        schemes: &BTreeMap<String, SchemeSpec>,
    ) -> Vec<Vec<String>> {
        let Value::Array(list) = value else {
            self.expected(at, "an array of security requirements", value);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, requirement) in list.iter().enumerate() {
            let Some(requirement) = self.object(requirement, &at.join(i)) else { continue };
            let mut names = Vec::new();
            for name in requirement.keys() {
                if schemes.contains_key(name) {
                    names.push(name.clone());
                } else {
                    self.errors.push(
                        at.join(i).join(name).as_str(),
                        format!(
                            "the security requirement names `{name}`, which is not a scheme under \
                             `components/securitySchemes`: the client would not know what to send"
                        ),
                    );
                }
            }
            out.push(names);
        }
        out
    }

    /// Follows `$ref`s to `#/components/<section>/<name>` until a value that is not one; the
    /// pointer returned is where that value is written. Siblings of a `$ref` here are
    /// documentation (`summary`, `description`) and are ignored.
    fn resolve(&mut self, mut value: &'d Value, mut at: Pointer, section: &str) -> Option<(&'d Value, Pointer)> {
        for _ in 0..MAX_REF_CHAIN {
            let Some(reference) = value.get("$ref") else { return Some((value, at)) };
            let reference = self.string(reference, &at.join("$ref"))?;
            let prefix = format!("#/components/{section}/");
            let name = match reference.strip_prefix(&prefix) {
                Some(name) if !name.is_empty() && !name.contains('/') => name.replace("~1", "/").replace("~0", "~"),
                _ => {
                    self.errors.push(
                        at.join("$ref").as_str(),
                        format!(
                            "unsupported reference `{reference}`: expected `#/components/{section}/<name>` (only \
                             references inside the document are read)"
                        ),
                    );
                    return None;
                }
            };
            match self.components.and_then(|c| c.get(section)).and_then(|list| list.get(&name)) {
                Some(target) => {
                    value = target;
                    at = Pointer::root().join("components").join(section).join(&name);
                }
                None => {
                    self.errors.push(
                        at.join("$ref").as_str(),
                        format!("`$ref` to nothing: there is no `#/components/{section}/{name}`"),
                    );
                    return None;
                }
            }
        }
        self.errors.push(at.as_str(), format!("more than {MAX_REF_CHAIN} `$ref`s in a chain (a loop?)"));
        None
    }

    fn components(&mut self, doc: &Map<String, Value>, root: &Pointer) -> BTreeMap<String, Schema> {
        let mut schemas = BTreeMap::new();
        let Some(components) = doc.get("components") else { return schemas };
        let at = root.join("components");
        let Some(components) = self.object(components, &at) else { return schemas };
        for key in components.keys() {
            if !COMPONENT_SECTIONS.contains(&key.as_str()) && !key.starts_with("x-") {
                self.errors.push(at.join(key).as_str(), format!("unknown `components` section `{key}`"));
            }
        }
        let Some(list) = components.get("schemas") else { return schemas };
        let at = at.join("schemas");
        let Some(list) = self.object(list, &at) else { return schemas };
        for (name, schema) in list {
            if let Some(schema) = self.schema(schema, &at.join(name)) {
                schemas.insert(name.clone(), schema);
            }
        }
        schemas
    }

    fn paths(
        &mut self,
        doc: &'d Map<String, Value>,
        root: &Pointer,
        schemes: &BTreeMap<String, SchemeSpec>,
        security: &[Vec<String>],
    ) -> Vec<OperationSpec> {
        let mut operations = Vec::new();
        let at = root.join("paths");
        // OpenAPI 3.1 makes `paths` optional (a document of webhooks or components only).
        let Some(paths) = doc.get("paths") else { return operations };
        let Some(paths) = self.object(paths, &at) else { return operations };
        for (path, item) in paths {
            // The Paths Object admits extensions beside the paths.
            if path.starts_with("x-") {
                continue;
            }
            let at = at.join(path);
            if !path.starts_with('/') {
                self.errors.push(at.as_str(), "expected a path starting with `/`");
            }
            if let Err(problem) = check_template(path) {
                self.errors.push(at.as_str(), problem);
            }
            let Some(item) = self.object(item, &at) else { continue };
            let shared = match item.get("parameters") {
                Some(list) => self.params(list, &at.join("parameters")),
                None => Vec::new(),
            };
            for (key, operation) in item {
                if key.starts_with("x-") || matches!(key.as_str(), "summary" | "description" | "servers" | "parameters")
                {
                    continue;
                }
                if key == "$ref" {
                    self.errors.push(
                        at.join(key).as_str(),
                        "unsupported: a path item `$ref` is not supported yet; write the operations inline",
                    );
                    continue;
                }
                if !HTTP_METHODS.contains(&key.as_str()) {
                    self.errors.push(
                        at.join(key).as_str(),
                        format!("unsupported path item key `{key}`: expected an HTTP method"),
                    );
                    continue;
                }
                let context = OperationContext { path, method: key, shared: &shared, schemes, security };
                if let Some(op) = self.operation(&context, operation, &at.join(key)) {
                    operations.push(op);
                }
            }
        }
        operations
    }

    fn params(&mut self, list: &'d Value, at: &Pointer) -> Vec<ParamSpec> {
        let mut params: Vec<ParamSpec> = Vec::new();
        let Value::Array(list) = list else {
            self.expected(at, "an array of parameters", list);
            return params;
        };
        for (i, param) in list.iter().enumerate() {
            if let Some(p) = self.param(param, &at.join(i)) {
                if let Some(first) = params.iter().find(|q| q.name == p.name && q.location == p.location) {
                    self.errors.push(
                        p.pointer.as_str(),
                        format!("the parameter `{}` is declared twice (first at {})", p.name, first.pointer),
                    );
                    continue;
                }
                params.push(p);
            }
        }
        params
    }

    fn operation(&mut self, cx: &OperationContext<'_>, value: &'d Value, at: &Pointer) -> Option<OperationSpec> {
        let op = self.object(value, at)?;
        for key in op.keys() {
            let known = matches!(
                key.as_str(),
                "operationId"
                    | "tags"
                    | "summary"
                    | "description"
                    | "parameters"
                    | "responses"
                    | "deprecated"
                    | "security"
                    | "externalDocs"
                    | "callbacks"
                    | "servers"
                    | "requestBody"
            );
            if !known && !key.starts_with("x-") {
                self.errors.push(at.join(key).as_str(), "unsupported: this keyword is not supported yet");
            }
        }
        let operation_id = op.get("operationId").and_then(|v| self.string(v, &at.join("operationId")));
        let tag = match op.get("tags") {
            Some(Value::Array(tags)) => tags.first().and_then(|t| self.string(t, &at.join("tags").join(0))),
            Some(other) => {
                self.expected(&at.join("tags"), "an array of tag names", other);
                None
            }
            None => None,
        };
        let summary = self.opt_text(op, "summary", at);
        let description = self.opt_text(op, "description", at);
        let deprecated = self.opt_bool(op, "deprecated", at);
        // Path-level parameters first; an operation's parameter of the same name and location
        // replaces it.
        let own = match op.get("parameters") {
            Some(list) => self.params(list, &at.join("parameters")),
            None => Vec::new(),
        };
        let mut params: Vec<ParamSpec> = cx
            .shared
            .iter()
            .filter(|p| !own.iter().any(|o| o.name == p.name && o.location == p.location))
            .cloned()
            .collect();
        params.extend(own);
        let security = match op.get("security") {
            Some(value) => self.requirements(value, &at.join("security"), cx.schemes),
            None => cx.security.to_vec(),
        };
        // OpenAPI 3.1 makes `responses` optional: without it, no body is promised.
        let (success, errors) = match op.get("responses") {
            Some(responses) => self.responses(responses, &at.join("responses")),
            None => (Vec::new(), Vec::new()),
        };
        let body = op.get("requestBody").and_then(|b| self.body(b, &at.join("requestBody")));
        let pagination = op.get("x-pagination").and_then(|p| self.pagination(p, &at.join("x-pagination")));
        Some(OperationSpec {
            pointer: at.clone(),
            path: cx.path.to_owned(),
            method: cx.method.to_owned(),
            operation_id,
            tag,
            security,
            summary,
            description,
            deprecated,
            params,
            body,
            success,
            errors,
            pagination,
        })
    }

    fn param(&mut self, value: &'d Value, at: &Pointer) -> Option<ParamSpec> {
        let (value, at) = self.resolve(value, at.clone(), "parameters")?;
        let at = &at;
        let param = self.object(value, at)?;
        for key in param.keys() {
            let known = matches!(
                key.as_str(),
                "name"
                    | "in"
                    | "required"
                    | "schema"
                    | "description"
                    | "deprecated"
                    | "example"
                    | "examples"
                    | "allowEmptyValue"
                    | "explode"
                    | "style"
            );
            if !known && !key.starts_with("x-") {
                let what = if key == "content" {
                    "unsupported parameter keyword `content`: a parameter serialized as a media type is not \
                     supported; use `schema`"
                        .to_owned()
                } else {
                    format!("unsupported parameter keyword `{key}`: it changes how the parameter is sent")
                };
                self.errors.push(at.join(key).as_str(), what);
            }
        }
        let name = match param.get("name") {
            Some(v) => self.string(v, &at.join("name")),
            None => {
                self.errors.push(at.as_str(), "expected a parameter `name`");
                None
            }
        };
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => Some(ParamLocation::Path),
            Some("query") => Some(ParamLocation::Query),
            Some("header") => Some(ParamLocation::Header),
            Some("cookie") => Some(ParamLocation::Cookie),
            Some(other) => {
                self.errors.push(
                    at.join("in").as_str(),
                    format!("unknown parameter location `{other}`: expected `path`, `query`, `header` or `cookie`"),
                );
                None
            }
            None => {
                self.errors.push(at.as_str(), "expected `in`: `path`, `query`, `header` or `cookie`");
                None
            }
        };
        let style = match (location, param.get("style")) {
            (_, Some(style)) => {
                let style_at = at.join("style");
                let style = self.string(style, &style_at);
                match (location, style.as_deref()) {
                    (Some(ParamLocation::Query), Some("form")) | (Some(ParamLocation::Cookie), Some("form")) => {
                        Some(ParamStyle::Form)
                    }
                    (Some(ParamLocation::Query), Some("spaceDelimited")) => Some(ParamStyle::SpaceDelimited),
                    (Some(ParamLocation::Query), Some("pipeDelimited")) => Some(ParamStyle::PipeDelimited),
                    (Some(ParamLocation::Query), Some("deepObject")) => Some(ParamStyle::DeepObject),
                    (Some(ParamLocation::Path | ParamLocation::Header), Some("simple")) => Some(ParamStyle::Simple),
                    (Some(ParamLocation::Path), Some("label")) => Some(ParamStyle::Label),
                    (Some(ParamLocation::Path), Some("matrix")) => Some(ParamStyle::Matrix),
                    (_, Some(other)) => {
                        self.errors.push(
                            style_at.as_str(),
                            format!("unsupported parameter style `{other}` for this location"),
                        );
                        None
                    }
                    (_, None) => None,
                }
            }
            (Some(ParamLocation::Query | ParamLocation::Cookie), None) => Some(ParamStyle::Form),
            (_, None) => Some(ParamStyle::Simple),
        };
        let explode = match param.get("explode") {
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.expected(&at.join("explode"), "a boolean", other);
                false
            }
            None => style == Some(ParamStyle::Form),
        };
        let required = self.opt_bool(param, "required", at);
        if location == Some(ParamLocation::Path) && !required {
            self.errors.push(at.as_str(), "a path parameter must have `required: true`");
        }
        let description = self.opt_text(param, "description", at);
        let schema = match param.get("schema") {
            Some(s) => self.schema(s, &at.join("schema")),
            None => {
                if !param.contains_key("content") {
                    self.errors.push(at.as_str(), "expected a parameter `schema`");
                }
                None
            }
        };
        Some(ParamSpec {
            pointer: at.clone(),
            name: name?,
            location: location?,
            style: style?,
            explode,
            required,
            description,
            schema: schema?,
        })
    }

    /// An operation's `requestBody` (followed through `components/requestBodies`): every media
    /// type it declares, the JSON one first.
    fn body(&mut self, value: &'d Value, at: &Pointer) -> Option<BodySpec> {
        let (value, at) = self.resolve(value, at.clone(), "requestBodies")?;
        let body = self.object(value, &at)?;
        for key in body.keys() {
            if !matches!(key.as_str(), "description" | "content" | "required") && !key.starts_with("x-") {
                self.errors.push(at.join(key).as_str(), format!("unknown request body key `{key}`"));
            }
        }
        let required = self.opt_bool(body, "required", &at);
        let description = self.opt_text(body, "description", &at);
        let Some(content) = body.get("content") else {
            self.errors.push(at.as_str(), "expected the request body's `content`");
            return None;
        };
        let content_at = at.join("content");
        let content = self.object(content, &content_at)?;
        let mut parsed = Vec::new();
        for (media, item) in content {
            if let Some(c) = self.content(media, item, &content_at.join(media), true) {
                parsed.push((media.clone(), c));
            }
        }
        if parsed.is_empty() {
            self.errors.push(content_at.as_str(), "expected at least one media type for the request body");
            return None;
        }
        // JSON first (stable otherwise: media types are sorted), since it is the default.
        parsed.sort_by_key(|(_, c)| !matches!(c, Content::Json(_)));
        Some(BodySpec { pointer: at, required, description, content: parsed })
    }

    /// One media type of a body. A `schema` is read for JSON, form and multipart bodies; text and
    /// byte bodies are sent and received as they are, whatever their schema says.
    fn content(&mut self, media: &str, value: &Value, at: &Pointer, request: bool) -> Option<Content> {
        let item = self.object(value, at)?;
        for key in item.keys() {
            let known = matches!(key.as_str(), "schema" | "example" | "examples")
                || (key == "encoding" && request && is_media(media, "multipart/form-data"));
            if !known && !key.starts_with("x-") {
                let message = if key == "encoding" {
                    "unsupported: an `encoding` changes how form fields are sent".to_owned()
                } else {
                    format!("unknown media type key `{key}`")
                };
                self.errors.push(at.join(key).as_str(), message);
            }
        }
        if item.contains_key("encoding") && request && is_media(media, "multipart/form-data") {
            self.errors.push(
                at.join("encoding").as_str(),
                "unsupported: an `encoding` changes how multipart parts are sent; leave it out",
            );
        }
        let structured = is_json_media_type(media)
            || (request
                && (is_media(media, "application/x-www-form-urlencoded") || is_media(media, "multipart/form-data")));
        if !structured {
            let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            return Some(if essence.starts_with("text/") { Content::Text } else { Content::Bytes });
        }
        let schema = match item.get("schema") {
            Some(schema) => self.schema(schema, &at.join("schema"))?,
            None if is_json_media_type(media) => bare(Kind::Any, &at.join("schema")),
            None => {
                self.errors.push(at.as_str(), "expected a `schema` for the form fields");
                return None;
            }
        };
        Some(if is_json_media_type(media) {
            Content::Json(schema)
        } else if is_media(media, "multipart/form-data") {
            Content::Multipart(schema)
        } else {
            Content::Form(schema)
        })
    }

    /// The operation's responses: the success ones (every 2xx, or `default` when none is
    /// declared) and the error ones with a JSON body. Every response's `$ref` is resolved, so a
    /// dangling one is reported even where it is not read. A response with several media types
    /// is read by its JSON one.
    fn responses(&mut self, value: &'d Value, at: &Pointer) -> (Vec<ResponseSpec>, Vec<ResponseSpec>) {
        let (mut success, mut errors) = (Vec::new(), Vec::new());
        let Some(responses) = self.object(value, at) else { return (success, errors) };
        let any_success = responses.keys().any(|status| is_success(status));
        for (status, response) in responses {
            if status.starts_with("x-") {
                continue;
            }
            let status_ok = status == "default"
                || (status.len() == 3
                    && (status.bytes().all(|b| b.is_ascii_digit())
                        || status[1..].eq_ignore_ascii_case("XX")
                            && matches!(&status[..1], "1" | "2" | "3" | "4" | "5")));
            if !status_ok {
                self.errors.push(at.join(status).as_str(), format!("`{status}` is not a response status"));
                continue;
            }
            let Some((response, response_at)) = self.resolve(response, at.join(status), "responses") else {
                continue;
            };
            let Some(response) = self.object(response, &response_at) else { continue };
            for key in response.keys() {
                if !matches!(key.as_str(), "description" | "headers" | "content" | "links") && !key.starts_with("x-") {
                    self.errors.push(response_at.join(key).as_str(), format!("unknown response key `{key}`"));
                }
            }
            let content = match response.get("content") {
                None => None,
                Some(content) => {
                    let content_at = response_at.join("content");
                    let Some(map) = self.object(content, &content_at) else { continue };
                    let chosen = map
                        .iter()
                        .find(|(media, _)| is_json_media_type(media))
                        .or_else(|| map.iter().find(|(media, _)| !is_media(media, "*/*")))
                        .or_else(|| map.iter().next());
                    match chosen {
                        None => None,
                        Some((media, item)) => self.content(media, item, &content_at.join(media), false),
                    }
                }
            };
            let spec = ResponseSpec { status: status.clone(), pointer: response_at, content };
            if is_success(status) || (status == "default" && !any_success) {
                success.push(spec);
            } else if status.starts_with(['4', '5']) || status == "default" {
                errors.push(spec);
            }
        }
        (success, errors)
    }

    fn pagination(&mut self, value: &Value, at: &Pointer) -> Option<PaginationSpec> {
        let map = self.object(value, at)?;
        for key in map.keys() {
            if !matches!(key.as_str(), "page_param" | "items" | "total") {
                self.errors.push(
                    at.join(key).as_str(),
                    format!("unknown `x-pagination` key `{key}`: expected `page_param`, `items` or `total`"),
                );
            }
        }
        let page_param = self.opt_string(map, "page_param", at);
        let items = self.opt_string(map, "items", at);
        if page_param.is_none() || items.is_none() {
            self.errors.push(at.as_str(), "`x-pagination` needs `page_param` and `items`");
        }
        let total = self.opt_string(map, "total", at);
        Some(PaginationSpec { pointer: at.clone(), page_param: page_param?, items: items?, total })
    }

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

    /// `pattern`, which `Validate` checks with the `regex` crate: refused when that crate does not
    /// accept it (JSON Schema's patterns are ECMA-262 regular expressions; `regex` has no
    /// look-around nor back-references), rather than left unchecked without a word.
    fn pattern(&mut self, map: &Map<String, Value>, at: &Pointer) -> Option<String> {
        let pattern = self.opt_string(map, "pattern", at)?;
        match regex::Regex::new(&pattern) {
            Ok(_) => Some(pattern),
            Err(e) => {
                let reason = e.to_string();
                let reason = reason.lines().last().unwrap_or_default().trim().trim_start_matches("error: ");
                self.errors.push(
                    at.join("pattern").as_str(),
                    format!(
                        "unsupported `pattern` `{pattern}`: the `regex` crate, which checks it, does not accept it \
                         ({reason}); rewrite it without look-around or back-references"
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
            pattern: self.pattern(map, at),
            multiple_of: self.number(map, "multipleOf", at),
            min_items: self.length(map, "minItems", at),
            max_items: self.length(map, "maxItems", at),
            unique_items: self.opt_bool(map, "uniqueItems", at),
            min_properties: self.length(map, "minProperties", at),
            max_properties: self.length(map, "maxProperties", at),
            closed: map.get("additionalProperties") == Some(&Value::Bool(false)),
        };
        if let Some(n) = &bounds.multiple_of
            && n.as_f64().is_none_or(|n| n <= 0.0)
        {
            self.errors.push(at.join("multipleOf").as_str(), format!("`multipleOf` must be above 0, found {n}"));
            bounds.multiple_of = None;
        }
        for (low, high, low_key, high_key) in [
            (bounds.min_items, bounds.max_items, "minItems", "maxItems"),
            (bounds.min_properties, bounds.max_properties, "minProperties", "maxProperties"),
        ] {
            if let (Some(low), Some(high)) = (low, high)
                && low > high
            {
                self.errors
                    .push(at.as_str(), format!("invalid bounds: `{low_key}` {low} is above `{high_key}` {high}"));
            }
        }
        // OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 the bound itself.
        for (key, bound) in [("exclusiveMinimum", true), ("exclusiveMaximum", false)] {
            let value = match map.get(key) {
                Some(Value::Bool(exclusive)) if self.v30 => {
                    let limit = if bound { &mut bounds.minimum } else { &mut bounds.maximum };
                    if !*exclusive {
                        continue;
                    }
                    match limit.take() {
                        Some(limit) => Some(limit),
                        None => {
                            let other = if bound { "minimum" } else { "maximum" };
                            self.errors.push(at.join(key).as_str(), format!("`{key}: true` without `{other}`"));
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
            self.errors.push(at.as_str(), format!("invalid bounds: the minimum {low} is above the maximum {high}"));
        }
        if let (Some(low), Some(high)) = (bounds.min_length, bounds.max_length)
            && low > high
        {
            self.errors.push(at.as_str(), format!("invalid bounds: `minLength` {low} is above `maxLength` {high}"));
        }
        bounds
    }

    fn schema(&mut self, value: &Value, at: &Pointer) -> Option<Schema> {
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
                let hint = match key.as_str() {
                    "not" => ": `not` (a negated schema) is not supported",
                    "if"
                    | "then"
                    | "else"
                    | "dependentSchemas"
                    | "patternProperties"
                    | "unevaluatedProperties"
                    | "contains" => ": this applicator changes which shapes are valid",
                    // Anything else is no keyword of JSON Schema 2020-12 or of OpenAPI, and JSON
                    // Schema ignores unknown keywords: real documents carry misplaced properties
                    // and tooling annotations there. Ignored, like an extension.
                    _ => continue,
                };
                self.errors.push(at.join(key).as_str(), format!("unsupported schema keyword `{key}`{hint}"));
            }
        }
        let mut description = self.opt_text(map, "description", at);
        let deprecated = self.opt_bool(map, "deprecated", at);
        let read_only = self.opt_bool(map, "readOnly", at);
        let write_only = self.opt_bool(map, "writeOnly", at);
        let default = map.get("default").cloned();
        let mut bounds = self.bounds(map, at);
        let kind = self.kind(map, at)?;
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
        Some(Schema { pointer: at.clone(), description, default, deprecated, read_only, write_only, bounds, kind })
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

    fn kind_of(&mut self, map: &Map<String, Value>, nullable30: bool, at: &Pointer) -> Option<Kind> {
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
        let (ty, nullable) = match map.get("type") {
            None => (None, nullable30),
            Some(Value::String(t)) => (Some(t.as_str()), nullable30),
            Some(Value::Array(types)) => {
                let names: Option<Vec<&str>> = types.iter().map(Value::as_str).collect();
                let Some(names) = names else {
                    self.errors.push(at.join("type").as_str(), "expected an array of type names");
                    return None;
                };
                let non_null: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
                match non_null.as_slice() {
                    [one] => (Some(*one), names.len() == 2 || nullable30),
                    _ => {
                        self.errors.push(
                            at.join("type").as_str(),
                            "unsupported: a type list must be one type, optionally with \"null\"",
                        );
                        return None;
                    }
                }
            }
            Some(other) => {
                self.expected(&at.join("type"), "a type name or an array of type names", other);
                return None;
            }
        };
        let inferred = ty.or_else(|| {
            if let Some(values) = map.get("enum").or_else(|| map.get("const")) {
                values_type(values)
            } else if map.contains_key("properties") || map.contains_key("additionalProperties") {
                Some("object")
            } else if map.contains_key("items") || map.contains_key("prefixItems") {
                Some("array")
            } else {
                None
            }
        });
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
        self.check_bounds_apply(map, &kind, at);
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

    /// `allOf`: its members, and the keywords beside it as one more member; merged into one
    /// schema by [`merge_all_of`] once every component is parsed.
    fn all_of(&mut self, map: &Map<String, Value>, list: &Value, at: &Pointer) -> Option<Kind> {
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
            members.push(self.schema(item, &list_at.join(i)));
        }
        let siblings: Map<String, Value> = map
            .iter()
            .filter(|(k, _)| {
                !k.starts_with("x-")
                    && !matches!(
                        k.as_str(),
                        "allOf"
                            | "description"
                            | "title"
                            | "deprecated"
                            | "default"
                            | "readOnly"
                            | "writeOnly"
                            | "example"
                            | "examples"
                            | "externalDocs"
                            | "$comment"
                            | "nullable"
                            | "xml"
                            | "discriminator"
                    )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !siblings.is_empty() {
            let only_required = siblings.keys().all(|k| k == "required" || k == "type")
                && siblings.get("type").is_none_or(|t| t == "object");
            if only_required {
                let required =
                    siblings.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
                let properties = BTreeMap::new();
                let kind = Kind::Object { properties, required: required.map(str::to_owned).collect() };
                members.push(Some(bare(kind, at)));
            } else {
                // The bounds beside the list are the schema's own (read by `schema`).
                members.push(self.kind_of(&siblings, false, at).map(|kind| bare(kind, at)));
            }
        }
        let members: Option<Vec<Schema>> = members.into_iter().collect();
        Some(Kind::AllOf { members: members? })
    }

    /// `prefixItems` (a tuple): an array of the union of the position schemas and of `items`
    /// (any value when `items` is absent, nothing more when it is `false`). Positions are not
    /// typed (Rust has no tuple that decodes a shorter array or more items), but every valid
    /// array decodes; `items: false` bounds the length (see `schema`), checked by `Validate`.
    fn tuple_kind(&mut self, map: &Map<String, Value>, at: &Pointer) -> Option<Kind> {
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
            if !distinct.iter().any(|d| crate::merge::same_shape(d, &schema)) {
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

    // JSON Schema ignores a bound on an instance of another type (`minLength` on an array), but a
    // bound that cannot apply is usually a mistake in the document, which its maintainer should
    // hear of: it is refused, naming the bound.
    fn check_bounds_apply(&mut self, map: &Map<String, Value>, kind: &Kind, at: &Pointer) {
        let numeric = matches!(kind, Kind::Integer | Kind::Number);
        // On an enum, length bounds only restate what its values are: documentation.
        let textual = matches!(kind, Kind::String | Kind::Enum(_) | Kind::Const(_));
        for keyword in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
            if map.contains_key(keyword) && !numeric {
                self.errors.push(at.join(keyword).as_str(), format!("`{keyword}` applies to numbers only"));
            }
        }
        for keyword in ["minLength", "maxLength"] {
            if map.contains_key(keyword) && !textual {
                self.errors.push(at.join(keyword).as_str(), format!("`{keyword}` applies to plain strings only"));
            }
        }
    }

    fn reference(&mut self, map: &Map<String, Value>, reference: &Value, at: &Pointer) -> Option<Kind> {
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
            if !annotation && !key.starts_with("x-") && !self.v30 {
                self.errors.push(
                    at.join(key).as_str(),
                    format!("unsupported: `{key}` beside `$ref` (only annotations may sit beside it)"),
                );
            }
        }
        let reference = self.string(reference, &at.join("$ref"))?;
        match reference.strip_prefix("#/components/schemas/") {
            Some(name) if !name.is_empty() && !name.contains('/') => {
                Some(Kind::Ref(name.replace("~1", "/").replace("~0", "~")))
            }
            _ => {
                self.errors.push(
                    at.join("$ref").as_str(),
                    format!("unsupported reference `{reference}`: expected `#/components/schemas/<name>`"),
                );
                None
            }
        }
    }

    /// `anyOf`/`oneOf`: `Some(kind)` (`None` inside on an error), or `None` when every
    /// alternative only lists `required` properties: the schema is then its object, with those
    /// properties optional (decoding accepts more than the document, never less).
    fn alternatives(
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
        if map.contains_key("properties") {
            self.errors.push(
                at.as_str(),
                format!("unsupported: `{keyword}` beside `properties`; put the properties in each alternative"),
            );
            return Some(None);
        }
        // A `type` beside the list (`type: object, anyOf: [$ref…]`) restates what the
        // alternatives say: it is not checked.
        let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
        let nulls = items.iter().filter(|v| is_null(v)).count();
        let rest: Vec<(usize, &Value)> = items.iter().enumerate().filter(|(_, v)| !is_null(v)).collect();
        if nulls > 0 {
            if let [(i, only)] = rest.as_slice() {
                let inner = self.schema(only, &list_at.join(i));
                return Some(inner.map(|inner| Kind::Nullable(Box::new(inner))));
            }
            if rest.is_empty() {
                self.errors.push(list_at.as_str(), format!("unsupported: a `{keyword}` of only `null`"));
                return Some(None);
            }
            // `[A, B, null]`: a nullable union of the others.
            let union = self.union_kind(map, keyword, &rest, &list_at, at);
            return Some(union.map(|kind| Kind::Nullable(Box::new(bare(kind, at)))));
        }
        // A `discriminator` beside `anyOf` names the variant as beside `oneOf`.
        Some(self.union_kind(map, keyword, &rest, &list_at, at))
    }

    /// The union of `items` (no `null` among them): tagged when a discriminator is declared.
    fn union_kind(
        &mut self,
        map: &Map<String, Value>,
        keyword: &str,
        items: &[(usize, &Value)],
        list_at: &Pointer,
        at: &Pointer,
    ) -> Option<Kind> {
        if items.is_empty() {
            self.errors.push(list_at.as_str(), format!("expected at least one schema in `{keyword}`"));
            return None;
        }
        if let [(i, only)] = items {
            // A union of one is that schema.
            return self.schema(only, &list_at.join(i)).map(|s| s.kind);
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
                        _ => self.errors.push(d_at.join(key).as_str(), format!("unknown discriminator key `{key}`")),
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
            if let Some(schema) = self.schema(item, &list_at.join(i)) {
                variants.push(schema);
            }
        }
        let any_of = keyword == "anyOf";
        (variants.len() == items.len()).then_some(Kind::OneOf { variants, discriminator, mapping, any_of })
    }

    /// `discriminator.mapping`: tag value → the component it selects (written as a reference or
    /// as the component's name), turned into component → (tag value, where it is written).
    fn mapping(&mut self, value: &Value, at: &Pointer) -> BTreeMap<String, (String, Pointer)> {
        let mut out: BTreeMap<String, (String, Pointer)> = BTreeMap::new();
        let Some(entries) = self.object(value, at) else { return out };
        for (tag, target) in entries {
            let entry_at = at.join(tag);
            let Some(target) = self.string(target, &entry_at) else { continue };
            let name = match target.strip_prefix("#/components/schemas/") {
                Some(name) if !name.is_empty() && !name.contains('/') => name.replace("~1", "/").replace("~0", "~"),
                Some(_) => {
                    self.errors.push(entry_at.as_str(), format!("unsupported mapping target `{target}`"));
                    continue;
                }
                None if target.contains('/') || target.contains('#') => {
                    self.errors.push(
                        entry_at.as_str(),
                        format!(
                            "unsupported mapping target `{target}`: expected `#/components/schemas/<name>` or a \
                             component's name"
                        ),
                    );
                    continue;
                }
                None => target,
            };
            if let Some((first, first_at)) = out.get(&name) {
                self.errors.push(
                    entry_at.as_str(),
                    format!(
                        "`{name}` is mapped from two tag values, `{first}` (at {first_at}) and `{tag}`: one variant \
                         has one tag value"
                    ),
                );
                continue;
            }
            out.insert(name, (tag.clone(), entry_at));
        }
        out
    }

    fn string_kind(&mut self, map: &Map<String, Value>, nullable: bool, at: &Pointer) -> Option<Kind> {
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
        for (i, value) in values.iter().enumerate() {
            match value {
                Value::String(s) => {
                    if !seen.insert(s.clone()) {
                        self.errors.push(enum_at.join(i).as_str(), format!("duplicate enum value `{s}`"));
                    }
                    out.push(s.clone());
                }
                Value::Null if nullable => {}
                other => self.expected(&enum_at.join(i), "a string enum value", other),
            }
        }
        if out.is_empty() {
            self.errors.push(enum_at.as_str(), "expected at least one enum value");
            return None;
        }
        Some(Kind::Enum(out))
    }

    fn object_kind(&mut self, map: &Map<String, Value>, at: &Pointer) -> Option<Kind> {
        let additional = map.get("additionalProperties");
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
            (Some(properties), None | Some(Value::Bool(_))) => Some(Kind::Object { properties, required }),
            (Some(properties), Some(Value::Object(extra))) if extra.is_empty() => {
                Some(Kind::Object { properties, required })
            }
            (Some(_), Some(_)) => {
                self.errors.push(
                    at.join("additionalProperties").as_str(),
                    "unsupported: `properties` together with a typed `additionalProperties`",
                );
                None
            }
            (None, None | Some(Value::Bool(true))) => Some(Kind::Map(Box::new(bare(Kind::Any, at)))),
            (None, Some(Value::Bool(false))) => Some(Kind::Object { properties: BTreeMap::new(), required }),
            (None, Some(schema)) => {
                let inner = self.schema(schema, &at.join("additionalProperties"))?;
                Some(Kind::Map(Box::new(inner)))
            }
        }
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

/// A schema node without annotations: the inside of a nullable, whose annotations stay outside.
fn bare(kind: Kind, at: &Pointer) -> Schema {
    Schema {
        pointer: at.clone(),
        description: None,
        default: None,
        deprecated: false,
        read_only: false,
        write_only: false,
        bounds: Bounds::default(),
        kind,
    }
}

/// Checks that every `{` of a path template is closed by a `}` before the next brace, around a
/// non-empty name: anything else would build a wrong URL.
fn check_template(path: &str) -> Result<(), String> {
    let mut open = None;
    for (i, c) in path.char_indices() {
        match (c, open) {
            ('{', None) => open = Some(i),
            ('{', Some(_)) => {
                return Err(format!("unbalanced braces in the path: a `{{` inside a placeholder at byte {i}"));
            }
            ('}', None) => return Err(format!("unbalanced braces in the path: a `}}` without a `{{` at byte {i}")),
            ('}', Some(start)) if start + 1 == i => {
                return Err(format!("an empty placeholder `{{}}` in the path at byte {start}"));
            }
            ('}', Some(_)) => open = None,
            _ => {}
        }
    }
    match open {
        Some(start) => Err(format!("unbalanced braces in the path: the `{{` at byte {start} is never closed")),
        None => Ok(()),
    }
}

/// Context an operation inherits from its path item and the document.
struct OperationContext<'a> {
    path: &'a str,
    method: &'a str,
    shared: &'a [ParamSpec],
    schemes: &'a BTreeMap<String, SchemeSpec>,
    security: &'a [Vec<String>],
}

fn is_success(status: &str) -> bool {
    status.len() == 3 && status.starts_with('2') || status.eq_ignore_ascii_case("2XX")
}

/// Whether `media`'s essence (without parameters) is `essence`.
fn is_media(media: &str, essence: &str) -> bool {
    media.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case(essence)
}

fn is_json_media_type(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
}

fn max(acc: Option<f64>, x: f64) -> Option<f64> {
    Some(acc.map_or(x, |a| a.max(x)))
}

fn min(acc: Option<f64>, x: f64) -> Option<f64> {
    Some(acc.map_or(x, |a| a.min(x)))
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

    #[test]
    fn duplicate_keys_are_located_even_when_escaped() {
        let text = "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"T\", \"version\": \"1\"},\n \"paths\": {}, \"p\\u0061ths\": {}}";
        let errors = Document::parse("dup.json", text).expect_err("duplicate");
        assert_eq!(errors.errors.len(), 1);
        assert_eq!(errors.errors[0].location, "#/paths");
        assert!(errors.errors[0].message.starts_with("duplicate key `paths`: "), "{}", errors.errors[0].message);
        let errors = Document::parse("dup.json", &MINIMAL.replace("{}}", "{}, \"paths\": {}}")).expect_err("dup");
        assert!(errors.errors[0].message.contains("(at 1:75, first at 1:62)"), "{}", errors.errors[0].message);
    }
}
