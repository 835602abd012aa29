//! Stage 1, parse and validate: JSON or YAML text → [`Spec`], the supported subset of OpenAPI
//! 3.0 and 3.1.
//!
//! Every keyword is checked against what the generator supports. Anything it cannot read exactly
//! is a warning located by its JSON pointer (and named in words) with a sound fallback, contained
//! where it is written (a schema becomes any JSON value, an operation is left out; see
//! [`crate::error::Collector`]), never skipped silently: only text that is no JSON or YAML, or no
//! OpenAPI 3 document, is refused. Documentation, examples and tooling metadata (`x-…` extensions, `title`,
//! `example(s)`, `externalDocs`, `xml`, `links`, `callbacks`, `webhooks`) are accepted and
//! ignored; `format` and the validation keywords (`pattern`, `multipleOf`, `minItems`…) are read
//! into [`Bounds`] for the docs, the integer types and `Validate`. `allOf` is merged away by
//! [`merge`] once every schema is read.
//!
//! Both versions are normalised here into one model: 3.0's `nullable`, boolean
//! `exclusiveMinimum`/`exclusiveMaximum` and `$ref` siblings (ignored in 3.0) become what 3.1
//! says; `$ref`s to `components/parameters`, `responses`, `requestBodies` and `headers` are
//! resolved; path-level parameters are merged into each operation's; server variables are
//! substituted with their defaults. No later stage knows which version the document was.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Number, Value};

use crate::error::{Collector, Pointer};

mod document;
mod filter;
mod kinds;
mod merge;
mod operations;
mod pagination;
pub(crate) mod refs;
mod schemas;
mod security;
mod servers;
#[cfg(test)]
mod silence;
mod streams;
mod v32;
mod yaml;

pub use document::Document;
pub use filter::Filter;
pub(crate) use operations::{HTTP_METHODS, is_json_media_type};
pub(crate) use pagination::{PaginationSpec, PagingSpec, SchemeName};
pub(crate) use schemas::ANY_FALLBACK;
pub(crate) use streams::{Framing, StreamSpec};

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
    /// `components/schemas`, by name, and the schemas `$ref`s reach elsewhere in the document,
    /// by their pointer (`#/paths/…`; see `refs`).
    pub schemas: BTreeMap<String, Schema>,
    /// For each schema of [`Spec::schemas`] that is no component, keyed by its pointer: the
    /// words its place suggests for its type's name (`oneClicks_list Error401`).
    pub schema_names: BTreeMap<String, String>,
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
    /// `example`, else the first of `examples` (JSON Schema 2020-12's array): data for the doc
    /// examples, never code.
    pub example: Option<Value>,
    pub deprecated: bool,
    /// `readOnly: true`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly: true`: sent by the client only, never in a response.
    pub write_only: bool,
    pub bounds: Bounds,
    pub kind: Kind,
    /// The component an alternative of a union written beside `properties` was a `$ref` to,
    /// before those properties were merged into it: it still names the variant and, in a tagged
    /// union, gives its tag value as the `$ref` would.
    pub origin: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Bounds {
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// `format`: documentation, except that `int32`, `uint64`… pick the integer type, and
    /// `binary` makes a property of a multipart body a file.
    pub format: Option<String>,
    /// `contentMediaType` (JSON Schema 2020-12): the media type of a string's content. Without
    /// `contentEncoding`, OpenAPI 3.1's way of writing binary content: a file in a multipart
    /// body, sent with this type by default.
    pub content_media_type: Option<String>,
    /// `contentEncoding` (`base64`…): the string is encoded text, whatever it encodes.
    pub content_encoding: Option<String>,
    /// A `pattern` the ECMAScript engine `regress` accepts (checked when parsing).
    pub pattern: Option<String>,
    pub multiple_of: Option<Number>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// `additionalProperties: false` beside `properties`.
    pub closed: bool,
    /// The least and the greatest value of an integer `enum`/`const` (clamped to 128 bits): the
    /// integer type must hold every declared value.
    pub integer_values: Option<(i128, i128)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// `{}`: any JSON value.
    Any,
    /// `$ref` to `#/components/schemas/<name>` (the name), or to a schema elsewhere in the
    /// document (its pointer, `#/…`): a key of [`Spec::schemas`].
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
    /// An object with `properties`, sorted by name, and the schema of the other properties'
    /// values when `additionalProperties` gives one beside them.
    Object {
        properties: BTreeMap<String, Schema>,
        required: BTreeSet<String>,
        additional: Option<Box<Schema>>,
    },
    /// An object whose values all match one schema (`additionalProperties`).
    Map(Box<Schema>),
    /// `type: [T, "null"]` or `anyOf: [T, {type: null}]`.
    Nullable(Box<Schema>),
    /// `oneOf` (or an `anyOf` union), with the discriminator's property name when declared and
    /// its `mapping` as component → its tag values (several tag values may select one
    /// component), each with where its entry is written.
    OneOf {
        variants: Vec<Schema>,
        discriminator: Option<String>,
        mapping: BTreeMap<String, Vec<(String, Pointer)>>,
        /// Written `anyOf` (decoded alike: the first variant that decodes), for the JSON Schema
        /// the type gives of itself.
        any_of: bool,
    },
    /// `allOf`, before [`merge_all_of`](merge::merge_all_of) replaces it: its members (the siblings of the list as
    /// one more) and the `required` names written beside it. Never seen after parsing.
    AllOf {
        members: Vec<Schema>,
        /// Not written `allOf`: an alternative of this `anyOf`/`oneOf` and the object beside the
        /// list, which JSON Schema applies to every alternative (errors name them so).
        beside: Option<String>,
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

/// How one property of a form body is written: an `encoding` entry's `style` and `explode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormEncodingSpec {
    pub style: ParamStyle,
    pub explode: bool,
}

/// What a request or response body holds, by media type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    /// `application/json` or `…+json`.
    Json(Schema),
    /// `application/x-www-form-urlencoded`, with how its properties are written (its
    /// `encoding`), by property.
    Form(Schema, BTreeMap<String, FormEncodingSpec>),
    /// `multipart/form-data`, with the `encoding` of its properties.
    Multipart(Schema, BTreeMap<String, EncodingSpec>),
    /// `text/*`.
    Text,
    /// Any other media type: raw bytes.
    Bytes,
}

/// An `encoding` entry of a multipart body: how one property's parts are sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EncodingSpec {
    pub pointer: Pointer,
    /// `contentType` as written: one media type, or a comma-separated list of them (wildcards
    /// allowed), each checked to be `type/subtype` header text.
    pub content_type: Option<String>,
}

/// One response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResponseSpec {
    /// `200`, `2XX` or `default`.
    pub status: String,
    pub pointer: Pointer,
    /// `None` for a response without content.
    pub content: Option<Content>,
    /// The streamed media type of a success response, read beside `content`.
    pub stream: Option<StreamSpec>,
    /// The names of the headers it documents, as written.
    pub headers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParamSpec {
    pub pointer: Pointer,
    pub name: String,
    pub location: ParamLocation,
    pub style: ParamStyle,
    /// `explode`, defaulted as OpenAPI says (true for `form` only).
    pub explode: bool,
    /// `allowReserved`: RFC 3986's reserved characters are sent without percent-encoding (in
    /// the query and, as OpenAPI 3.2 clarifies, the path; headers and cookies encode nothing).
    pub allow_reserved: bool,
    /// Described by `content` with a JSON media type instead of `schema`: the value is sent as
    /// its JSON text (`schema` is then the media type's).
    pub json: bool,
    pub required: bool,
    pub description: Option<String>,
    pub schema: Schema,
    /// The parameter's `example`, else the first of its `examples`, else its inline schema's
    /// `example` or first `examples`: data for the doc examples, never code.
    pub example: Option<Value>,
}

/// A security scheme, as the client applies it. OAuth2 and OpenID Connect send their access
/// token as a bearer token: obtaining it is left to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SchemeSpec {
    Bearer,
    Basic,
    ApiKey {
        location: KeyLocation,
        name: String,
    },
    /// `mutualTLS`: the client proves who it is with a TLS client certificate, configured on
    /// its HTTP client; no credential is sent in the request.
    MutualTls,
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

/// How many `$ref`s may lead from one to the next before the chain is refused (it may be a loop).
const MAX_REF_CHAIN: usize = 16;

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
    /// The whole document (before any [`Filter`]), for resolving `$ref`s to
    /// other places.
    document: &'d Value,
    /// The places (canonical pointers) `$ref`s name that are schemas but no component: each is
    /// a schema of its own, referenced from where it is written too (see `refs`).
    targets: BTreeSet<String>,
    /// Those of them met while parsing, by pointer, with their tokens: parsed at the end.
    referenced: BTreeMap<String, Vec<String>>,
    /// The `allOf` members (by pointer), whose object keywords are read as an object's without a
    /// warning when `type` is left out.
    untyped_objects_ok: BTreeSet<String>,
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

    /// Follows `$ref`s to `#/components/<section>/<name>`, or to an object of that kind elsewhere
    /// in the document (a parameter of another operation, its response, its request body), until
    /// a value that is not one; the pointer returned is where that value is written. Siblings
    /// of a `$ref` here are documentation (`summary`, `description`) and are ignored.
    fn resolve(&mut self, mut value: &'d Value, mut at: Pointer, section: &str) -> Option<(&'d Value, Pointer)> {
        for _ in 0..MAX_REF_CHAIN {
            let Some(reference) = value.get("$ref") else { return Some((value, at)) };
            let ref_at = at.join("$ref");
            let reference = self.string(reference, &ref_at)?;
            let target = match refs::local(&reference) {
                Ok(target) => target,
                Err(message) => {
                    self.errors.push(ref_at.as_str(), message);
                    return None;
                }
            };
            let in_components = matches!(target.tokens.as_slice(), [c, s, _] if c == "components" && s == section);
            if !in_components && !refs::is_section_object(&target.tokens, section) {
                self.errors.push(
                    ref_at.as_str(),
                    format!(
                        "unsupported reference `{reference}`: expected `#/components/{section}/<name>`, or the same \
                         kind of object elsewhere in the document"
                    ),
                );
                return None;
            }
            let found = match in_components {
                true => self.components.and_then(|c| c.get(section)).and_then(|list| list.get(&target.tokens[2])),
                false => refs::lookup(self.document, &target.tokens),
            };
            match found {
                Some(found) => {
                    value = found;
                    at = target.pointer;
                }
                None => {
                    self.errors.push(ref_at.as_str(), format!("`$ref` to nothing: there is no `{}`", target.pointer));
                    return None;
                }
            }
        }
        self.errors.push(at.as_str(), format!("more than {MAX_REF_CHAIN} `$ref`s in a chain (a loop?)"));
        None
    }
}

impl Schema {
    /// The schemas written directly inside this one (items, properties, the values of a map,
    /// the inside of a nullable, variants, `allOf` members).
    #[cfg(test)]
    pub(crate) fn children(&self) -> Vec<&Schema> {
        match &self.kind {
            Kind::Array(inner) | Kind::Map(inner) | Kind::Nullable(inner) => vec![&**inner],
            Kind::Object { properties, additional, .. } => properties.values().chain(additional.as_deref()).collect(),
            Kind::OneOf { variants, .. } => variants.iter().collect(),
            Kind::AllOf { members, .. } => members.iter().collect(),
            Kind::Any
            | Kind::Ref(_)
            | Kind::String
            | Kind::Enum(_)
            | Kind::Const(_)
            | Kind::Integer
            | Kind::Number
            | Kind::Boolean => Vec::new(),
        }
    }

    /// The schemas written directly inside this one (items, properties, the values of a map,
    /// the inside of a nullable, variants, `allOf` members), to change them.
    pub(crate) fn children_mut(&mut self) -> Vec<&mut Schema> {
        match &mut self.kind {
            Kind::Array(inner) | Kind::Map(inner) | Kind::Nullable(inner) => vec![&mut **inner],
            Kind::Object { properties, additional, .. } => {
                properties.values_mut().chain(additional.as_deref_mut()).collect()
            }
            Kind::OneOf { variants, .. } => variants.iter_mut().collect(),
            Kind::AllOf { members, .. } => members.iter_mut().collect(),
            Kind::Any
            | Kind::Ref(_)
            | Kind::String
            | Kind::Enum(_)
            | Kind::Const(_)
            | Kind::Integer
            | Kind::Number
            | Kind::Boolean => Vec::new(),
        }
    }
}

impl OperationSpec {
    /// The top schemas of the operation (see `schemas_mut`), to read them.
    #[cfg(test)]
    pub(crate) fn schemas(&self) -> impl Iterator<Item = &Schema> {
        let bodies = self.body.iter().flat_map(|body| body.content.iter().map(|(_, content)| content));
        let responses = self.success.iter().chain(&self.errors).filter_map(|r| r.content.as_ref());
        let contents = bodies.chain(responses).filter_map(|content| match content {
            Content::Json(schema) | Content::Form(schema, _) | Content::Multipart(schema, _) => Some(schema),
            Content::Text | Content::Bytes => None,
        });
        let streams = self.success.iter().filter_map(|r| r.stream.as_ref().map(|s| &s.item));
        self.params.iter().map(|p| &p.schema).chain(contents).chain(streams)
    }

    /// The top schemas of the operation: its parameters', and those of its JSON, form and
    /// multipart bodies and responses.
    pub(crate) fn schemas_mut(&mut self) -> impl Iterator<Item = &mut Schema> {
        let bodies = self.body.iter_mut().flat_map(|body| body.content.iter_mut().map(|(_, content)| content));
        let (responses, streams): (Vec<_>, Vec<_>) = self
            .success
            .iter_mut()
            .chain(self.errors.iter_mut())
            .map(|r| (r.content.as_mut(), r.stream.as_mut().map(|s| &mut s.item)))
            .unzip();
        let contents = bodies.chain(responses.into_iter().flatten()).filter_map(|content| match content {
            Content::Json(schema) | Content::Form(schema, _) | Content::Multipart(schema, _) => Some(schema),
            Content::Text | Content::Bytes => None,
        });
        self.params.iter_mut().map(|p| &mut p.schema).chain(contents).chain(streams.into_iter().flatten())
    }
}
