//! The intermediate representation: what the emitters read.
//!
//! Lowering produces it from a validated document. It is owned, sorted and already decided:
//! Rust names are sanitised and unique, integer widths chosen, recursion boxed. Emitters make no
//! decisions of their own, they only spell the IR out as tokens.

use serde_json::Value;

/// Everything the emitters need to write one crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The first `servers[].url` (variables substituted, resolved against the document's URL),
    /// the client's default base URL; `None` when the document gives no absolute one (no
    /// `servers`, or a relative URL and no document URL), and the client must be given one.
    pub base_url: Option<String>,
    /// The security schemes operations use, sorted by Rust name.
    pub auth: Vec<AuthScheme>,
    /// Whether every operation needs credentials, so that a client without any is refused.
    pub auth_required: bool,
    /// Every named type, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Operations grouped by resource, sorted by resource then method name.
    pub resources: Vec<Resource>,
    /// The header carrying an idempotency key (the document's `x-idempotency-header`): with it,
    /// `POST` and `PATCH` requests are retried too.
    pub idempotency_header: Option<String>,
    /// What the generator read in a weaker but sound way (parse's warnings, then lower's), in the
    /// order found: each is located and says what was done instead.
    pub warnings: Vec<crate::Error>,
    /// What the generator inferred that the document does not declare (a detected pagination
    /// scheme), each located, for a maintainer to check or veto.
    pub notes: Vec<crate::Error>,
}

/// A security scheme: how the client sends its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// The Rust constant naming it (SCREAMING_SNAKE_CASE, starting with `AUTH_`).
    pub name: String,
    /// The scheme's name under `components/securitySchemes`.
    pub wire_name: String,
    /// What is sent.
    pub kind: AuthKind,
}

/// What a security scheme sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// `Authorization: Bearer <api key>` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <username:password>`.
    Basic,
    /// The API key in a header.
    Header(String),
    /// The API key as a query parameter.
    Query(String),
    /// The API key as a cookie.
    Cookie(String),
    /// Mutual TLS: nothing in the request; the client's TLS identity, configured on its HTTP
    /// client, authenticates it.
    MutualTls,
}

impl AuthKind {
    /// Whether the scheme sends a credential the client holds (an API key, a token, a username
    /// and password); mutual TLS sends none.
    pub fn sends_credential(&self) -> bool {
        !matches!(self, Self::MutualTls)
    }
}

/// One named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust identifier.
    pub name: String,
    /// Where it was declared, as a JSON pointer into the document.
    pub pointer: String,
    /// The name under `components/schemas`, for named schemas; `None` for inline ones.
    pub component: Option<String>,
    /// The schema's `description`.
    pub docs: Option<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// For an inline schema identical to another type, and so an alias of it (see `kind`): the
    /// types its own definition referred to, sorted. Those keep the Cargo features of this type's
    /// resources, so that each of its names compiles with the same features as before. Empty
    /// for any other type.
    pub former_refs: Vec<String>,
}

impl TypeDef {
    /// For the `Option` alias of a nullable component's type (`<Name>OrNull`, or a component
    /// written `anyOf: [{$ref: X}, {type: null}]`): the type it makes nullable.
    pub fn nullable_of(&self) -> Option<&str> {
        match (&self.component, &self.kind) {
            (Some(_), TypeKind::Alias(Ty::Option(inner))) => match inner.as_ref() {
                Ty::Named(name) => Some(name),
                _ => None,
            },
            _ => None,
        }
    }
}

/// What the type named `name` is, looking through aliases of other named types (an inline schema
/// the same as another is an alias of its type): `types` is [`Api::types`], sorted by name.
pub fn kind_of<'a>(types: &'a [TypeDef], name: &str) -> Option<&'a TypeKind> {
    let mut name = name;
    // Lowering refuses cycles of aliases; the bound only keeps a bad IR from looping.
    for _ in 0..=types.len() {
        let def = &types[types.binary_search_by(|t| t.name.as_str().cmp(name)).ok()?];
        match &def.kind {
            TypeKind::Alias(Ty::Named(target)) => name = target,
            kind => return Some(kind),
        }
    }
    None
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum, with a catch-all for values added later.
    Enum(Enum),
    /// A `oneOf`, tagged by a discriminator property or told apart by shape.
    Union(Union),
    /// Any other named schema: a `type` alias.
    Alias(Ty),
}

impl TypeKind {
    /// Every type the definition holds: its fields' and its undeclared properties' (a struct),
    /// its variants' (a union), the aliased one; none for an enum.
    pub fn tys(&self) -> Vec<&Ty> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.extra_values).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Required fields first, then optional ones; each group sorted by wire name.
    pub fields: Vec<Field>,
    /// Whether every field is optional or has a usable default, so `Default` can be implemented.
    pub has_default: bool,
    /// The Rust name of the map that keeps properties the document does not declare
    /// (`additional_properties` unless a property already uses it).
    pub extra: String,
    /// The type of the undeclared properties' values when `additionalProperties` gives a schema
    /// beside `properties`; any JSON value otherwise.
    pub extra_values: Option<Ty>,
    /// When the struct is a tagged-union variant: its tag, written and read by the union.
    pub tag: Option<StructTag>,
    /// `additionalProperties: false`: undeclared properties are still decoded (into `extra`, so
    /// that a server adding one breaks nothing) and reported by `Validate`.
    pub closed: bool,
}

/// The discriminator property of a tagged-union variant.
#[derive(Debug, Clone, PartialEq)]
pub struct StructTag {
    /// The property name.
    pub property: String,
    /// Its values: one, its `const`, unless the discriminator maps several tag values to the
    /// variant (each is then a variant of the union holding this struct).
    pub values: Vec<String>,
    /// The property's `description`.
    pub docs: Option<String>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust identifier (snake case, never a keyword).
    pub name: String,
    /// The JSON property name.
    pub wire_name: String,
    /// The property's `description`.
    pub docs: Option<String>,
    /// The value type, without the `Option` that presence adds.
    pub ty: Ty,
    /// Whether the key must be present and whether it may be `null`.
    pub presence: Presence,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The documented `default`, already checked against the type.
    pub default: Option<Value>,
    /// The property's `example` (or first `examples`), unchecked: data for the doc examples,
    /// which use it only where it fits.
    pub example: Option<Value>,
    /// Bounds the Rust type does not express, checked by `Validate`.
    pub constraints: Constraints,
    /// Every bound as the document writes it, including those the type implies: for docs and
    /// the JSON Schema the type describes itself with.
    pub written: Constraints,
    /// `readOnly: true`: sent by the server only (a request must never require it).
    pub read_only: bool,
    /// `writeOnly: true`: never in a response, so never required when decoding.
    pub write_only: bool,
}

/// How a property's presence and nullability map to `Option`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required, never null: `T`.
    Required,
    /// Required, may be null: `Option<T>`, `None` encodes as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, `None` encodes as an absent key.
    Optional,
    /// May be absent or null: `Option<Option<T>>`, the outer `None` is an absent key.
    OptionalNullable,
}

// Lowering decides a property's presence once; these answer every question the emitters ask of
// it, so that no emitter decides nullability or the `Option`s again.
impl Presence {
    /// Whether the value may be `null` on the wire.
    pub fn nullable(self) -> bool {
        matches!(self, Self::RequiredNullable | Self::OptionalNullable)
    }

    /// Whether the property may be absent.
    pub fn optional(self) -> bool {
        matches!(self, Self::Optional | Self::OptionalNullable)
    }

    /// The Rust type of a property whose value is `value`: in one `Option` when it may be
    /// absent or null, in two when it may be both.
    pub fn wrap(self, value: &Ty) -> Ty {
        let once = || Ty::Option(Box::new(value.clone()));
        match self {
            Self::Required => value.clone(),
            Self::RequiredNullable | Self::Optional => once(),
            Self::OptionalNullable => Ty::Option(Box::new(once())),
        }
    }
}

/// Numeric and length bounds that the chosen Rust type does not already guarantee.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Lower bound on a number.
    pub minimum: Option<Bound>,
    /// Upper bound on a number.
    pub maximum: Option<Bound>,
    /// Minimum length of a string, in characters.
    pub min_length: Option<u64>,
    /// Maximum length of a string, in characters.
    pub max_length: Option<u64>,
    /// `format` (`date-time`, `uuid`…): documentation only, never checked; only in
    /// [`Field::written`].
    pub format: Option<String>,
    /// A regular expression a string must match somewhere (JSON Schema's `pattern` is not
    /// anchored), an ECMA-262 regular expression that the `regress` engine accepts (parsing
    /// left out any other, with a warning).
    pub pattern: Option<String>,
    /// A number must be a multiple of it (above 0).
    pub multiple_of: Option<serde_json::Number>,
    /// Minimum number of items of an array.
    pub min_items: Option<u64>,
    /// Maximum number of items of an array.
    pub max_items: Option<u64>,
    /// The items of an array are pairwise different.
    pub unique_items: bool,
    /// Minimum number of entries of a map.
    pub min_properties: Option<u64>,
    /// Maximum number of entries of a map.
    pub max_properties: Option<u64>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A numeric bound as written in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The bound, kept as the document's JSON number so it prints exactly.
    pub value: serde_json::Number,
    /// `exclusiveMinimum` / `exclusiveMaximum`.
    pub exclusive: bool,
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The known values, in document order.
    pub variants: Vec<EnumVariant>,
    /// The name of the catch-all variant that keeps unknown values.
    pub other: String,
}

/// One known enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The Rust identifier.
    pub name: String,
    /// The string on the wire.
    pub wire: String,
}

/// A `oneOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `Some(property)` for a tagged union, `None` for one told apart by shape.
    pub tag: Option<String>,
    /// The alternatives, in document order.
    pub variants: Vec<UnionVariant>,
    /// Written `anyOf`: decoded as an untagged `oneOf` (the first variant that decodes), and
    /// described as `anyOf` in its JSON Schema.
    pub any_of: bool,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust identifier.
    pub name: String,
    /// The payload.
    pub ty: Ty,
    /// The discriminator value that selects it, for tagged unions.
    pub tag_value: Option<String>,
    /// The variant's struct declares and reads its tag property itself, because the struct is
    /// also used on its own (or in a union the generator did not see first): the union neither
    /// strips the tag when decoding nor writes it when encoding.
    pub keeps_tag: bool,
}

/// A Rust type, as a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `f64`.
    F64,
    /// `i64`.
    I64,
    /// `u64`.
    U64,
    /// `NonZeroU64`.
    NonZeroU64,
    /// `i32` (`format: int32`, `int16`, `int8`).
    I32,
    /// `u32` (`format: uint32`, `uint16`, `uint8`, or `int32` with a lower bound of at least 0).
    U32,
    /// `i128`: an integer whose `format` and bounds do not keep it within 64 bits, with
    /// [`Settings::wide_integers`](crate::Settings::wide_integers).
    I128,
    /// `u128`: as [`Ty::I128`], when it cannot be negative.
    U128,
    /// `format: date-time` with [`Settings::typed_formats`](crate::Settings::typed_formats): the
    /// runtime's `DateTime` (RFC 3339).
    DateTime,
    /// `format: date`, typed: the runtime's `Date` (`YYYY-MM-DD`).
    Date,
    /// `format: uuid`, typed: `Uuid`.
    Uuid,
    /// Any JSON value: `serde_json::Value`.
    Any,
    /// An object of any values: `serde_json::Map<String, Value>`.
    JsonObject,
    /// A named type from `types`.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>`, for a nullable value that is not itself a property.
    Option(Box<Ty>),
    /// `Box<T>`, breaking a recursive type.
    Box(Box<Ty>),
}

impl Ty {
    /// Calls `f` with every named type's name in this type, to change it: the names
    /// [`Ty::visit_named`] visits (which lists every variant; the others hold no type).
    pub fn visit_named_mut(&mut self, f: &mut impl FnMut(&mut String)) {
        match self {
            Ty::Named(name) => f(name),
            Ty::Option(inner) | Ty::Vec(inner) | Ty::Map(inner) | Ty::Box(inner) => inner.visit_named_mut(f),
            _ => {}
        }
    }

    /// Calls `f` with every named type this type mentions, by value or inside a `Vec`, a map,
    /// an `Option` or a `Box`.
    pub fn visit_named<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            Ty::Named(name) => f(name),
            Ty::Option(inner) | Ty::Vec(inner) | Ty::Map(inner) | Ty::Box(inner) => inner.visit_named(f),
            Ty::String
            | Ty::Bool
            | Ty::F64
            | Ty::I64
            | Ty::U64
            | Ty::NonZeroU64
            | Ty::I32
            | Ty::U32
            | Ty::I128
            | Ty::U128
            | Ty::DateTime
            | Ty::Date
            | Ty::Uuid
            | Ty::Any
            | Ty::JsonObject => {}
        }
    }
}

/// The operations of one resource (the first tag), reached as `client.resource()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The accessor method name (snake case).
    pub accessor: String,
    /// The accessor's return type name (Pascal case).
    pub name: String,
    /// The tag's description, as written (escaped when emitted, as all schema text is).
    pub docs: Option<String>,
    /// Sorted by method name.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The method name (snake case).
    pub method_name: String,
    /// Where it was declared.
    pub pointer: String,
    /// `summary`, as written.
    pub summary: Option<String>,
    /// `description`, as written.
    pub description: Option<String>,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template as written, e.g. `/campaigns/{id}/rows`.
    pub path: String,
    /// Path parameters, in template order.
    pub path_params: Vec<Param>,
    /// The params struct for query, header and cookie parameters.
    pub params: ParamsStruct,
    /// The request body, when the operation takes one.
    pub body: Option<Body>,
    /// What a success response gives.
    pub response: Returns,
    /// The typed bodies of error responses, when some are declared with JSON.
    pub errors: Option<ErrorBodies>,
    /// How to walk the pages, when the operation is paginated.
    pub pagination: Option<Pagination>,
    /// The streamed success response, when one is declared (`text/event-stream`, JSON Lines…).
    pub stream: Option<Stream>,
    /// The security alternatives, each the [`AuthScheme::name`]s sent together; the client uses
    /// the first whose credentials it has. Empty: no credentials are sent.
    pub security: Vec<Vec<String>>,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// The struct holding an operation's query parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamsStruct {
    /// The Rust type name.
    pub name: String,
    /// Required parameters, in document order: constructor arguments.
    pub required: Vec<Param>,
    /// Optional parameters, in document order: chainable setters.
    pub optional: Vec<Param>,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust identifier.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it is sent.
    pub location: Location,
    /// How it is written (the location's default unless the document says otherwise).
    pub style: Style,
    /// `explode`.
    pub explode: bool,
    /// `allowReserved`: RFC 3986's reserved characters are sent as they are (the path's template
    /// writes the placeholder `{+name}`, RFC 6570's reserved expansion).
    pub allow_reserved: bool,
    /// Described by a JSON `content`: the value is sent as its JSON text (in the query, a header
    /// or a cookie), so it may have any type.
    pub json: bool,
    /// The parameter's `description`, as written.
    pub docs: Option<String>,
    /// The value type: a scalar or enum, or in the query and headers an array of them, or in
    /// the query a struct of them.
    pub ty: Ty,
    /// Every bound as the document writes it, for the field's docs.
    pub constraints: Constraints,
    /// The documented example (or else the schema's `default`), for the doc examples.
    pub example: Option<Value>,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// A parameter's `style` (OpenAPI's serialization rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`: `a=1&a=2` exploded, `a=1,2` not.
    Form,
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `a[k]=v`.
    DeepObject,
    /// `simple`: `1,2`.
    Simple,
    /// `label`: `.1`.
    Label,
    /// `matrix`: `;a=1`.
    Matrix,
}

/// An operation's request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The argument name (`body`, or `body_`… when a parameter already has that name).
    pub arg: String,
    /// `required: true`; an optional body is an `Option` argument.
    pub required: bool,
    /// The body's `description`, as written.
    pub docs: Option<String>,
    /// The media type the operation's method sends.
    pub media: String,
    /// How it is sent.
    pub kind: BodyKind,
    /// The other media types, each sent by a method of its own.
    pub alternatives: Vec<AlternativeBody>,
}

/// A media type of a body besides the default one, sent by its own method.
#[derive(Debug, Clone, PartialEq)]
pub struct AlternativeBody {
    /// The method name (the operation's, with a suffix naming the media type).
    pub method_name: String,
    /// The media type.
    pub media: String,
    /// How it is sent.
    pub kind: BodyKind,
}

/// How one property of a form body is written, when not as an exploded `form` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// The property's name on the wire.
    pub wire_name: String,
    /// `form` (not exploded), `spaceDelimited`, `pipeDelimited` or `deepObject` (nested objects
    /// and arrays in brackets, `a[b][0]=v`, as Stripe's SDKs send them).
    pub style: Style,
    /// `explode`.
    pub explode: bool,
}

/// How a request body is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// A value encoded as JSON.
    Json(Ty),
    /// A value's properties as `application/x-www-form-urlencoded` pairs, with the properties its
    /// `encoding` writes in another way than as exploded `form` fields.
    Form(Ty, Vec<FormField>),
    /// A struct of the crate root whose fields are the parts of a `multipart/form-data` body.
    Multipart(Multipart),
    /// A string.
    Text,
    /// Bytes.
    Bytes,
}

/// The struct that holds a `multipart/form-data` body, defined in the crate root beside the
/// params structs. Operations that send one schema (a shared `requestBodies` component, one
/// `$ref`'d component) share one struct, named after the first of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Multipart {
    /// The Rust type name (`…Multipart`).
    pub name: String,
    /// The schema's `description`, as written.
    pub docs: Option<String>,
    /// The fields in the order their parts are sent: every part that is not a file, then the
    /// files (a server that streams the body reads every other field before a file's content;
    /// S3's POST form requires it); in each group required fields first, then the others, each
    /// sorted by wire name.
    pub parts: Vec<Part>,
}

/// One property of a multipart body: a field of its struct, sent as one part per value.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The Rust identifier.
    pub name: String,
    /// The part's name on the wire (the property's).
    pub wire_name: String,
    /// The property's `description`, as written.
    pub docs: Option<String>,
    /// Required and never `null`: a `new` argument. Multipart cannot write `null`, so a nullable
    /// property is sent as an absent one.
    pub required: bool,
    /// An array: a `Vec` whose items are each one part of the property's name (an empty list
    /// sends none, as an absent property does). Otherwise one value, in an `Option` unless
    /// required.
    pub repeated: bool,
    /// What one value is and how it is written.
    pub value: PartValue,
    /// `deprecated: true` (documented: a `#[deprecated]` field would warn in the crate's own code).
    pub deprecated: bool,
    /// The documented `default`, for the field's docs.
    pub default: Option<Value>,
    /// Every bound as the document writes it, for the field's docs (a file's `format: binary`
    /// left out: its type says it).
    pub constraints: Constraints,
}

/// One value of a multipart part and how it is written.
#[derive(Debug, Clone, PartialEq)]
pub enum PartValue {
    /// A file (`format: binary`, a 3.1 `contentMediaType` without `contentEncoding`, or a
    /// property without a type, whose default content type OpenAPI 3.1.1 makes
    /// `application/octet-stream`): the runtime's `File`.
    File {
        /// The content type sent when the file has none of its own: the `encoding`'s
        /// `contentType` or the schema's `contentMediaType` when it names one media type, else
        /// `application/octet-stream`.
        content_type: String,
        /// The `encoding`'s `contentType` when it lists several types or a range
        /// (`image/png, image/jpeg`, `image/*`), for the field's docs.
        accepts: Option<String>,
        /// A property without a type: its value is sent as a file only when the `File` has a
        /// name, else as a field of these bytes (servers take only named parts as files). A
        /// declared file without a name is sent under the part's name.
        untyped: bool,
    },
    /// A scalar or string enum, written as text (`Display`).
    Text {
        /// The value's type.
        ty: Ty,
        /// The `encoding`'s `contentType`, when it declares one; else none is sent (RFC 7578's
        /// default, `text/plain`).
        content_type: Option<String>,
    },
    /// Any other value (an object, a map, a union, a nested array), or a scalar whose
    /// `encoding` is a JSON media type: encoded as JSON.
    Json {
        /// The value's type.
        ty: Ty,
        /// `application/json`, or the `encoding`'s JSON media type.
        content_type: String,
    },
}

/// A streamed success response, read as the server sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    /// The method that returns it: the operation's own when the success response has no other
    /// body, else the operation's with `_stream`.
    pub method_name: String,
    /// The media type, sent as `Accept`.
    pub media: String,
    /// What the stream yields.
    pub kind: StreamKind,
}

/// What a streamed response yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamKind {
    /// Server-sent events, each event's `data` decoded as `item`; an event whose data is
    /// `terminator` ends the stream.
    Events {
        /// The type of one event's `data`.
        item: Ty,
        /// The data that ends the stream.
        terminator: Option<String>,
    },
    /// JSON Lines, NDJSON: one JSON text of this type per line.
    Lines(Ty),
    /// A JSON text sequence (RFC 7464) of this type.
    Seq(Ty),
    /// The body's bytes, as they arrive (a download, beside the method that buffers it).
    Bytes,
}

/// What a response body decodes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// No content: `()`.
    Unit,
    /// JSON decoded as this type.
    Json(Ty),
    /// Text: `String`.
    Text,
    /// Anything else: `Bytes`.
    Bytes,
}

/// What an operation's success responses give.
#[derive(Debug, Clone, PartialEq)]
pub enum Returns {
    /// Every success response has the same body.
    One(ResponseBody),
    /// The success responses differ: an enum with one variant per status.
    ByStatus {
        /// The enum's Rust name.
        name: String,
        /// The variants, specific statuses first, then ranges, then `default`.
        variants: Vec<StatusVariant>,
    },
}

impl Operation {
    /// The type of the page a paginated operation returns (it gets a `Page` impl).
    pub fn paged_response(&self) -> Option<&str> {
        match (self.response.json(), &self.pagination) {
            (Some(Ty::Named(response)), Some(_)) => Some(response),
            _ => None,
        }
    }
}

impl Returns {
    /// The JSON type of a single-bodied operation (what pagination reads).
    pub fn json(&self) -> Option<&Ty> {
        match self {
            Returns::One(ResponseBody::Json(ty)) => Some(ty),
            _ => None,
        }
    }
}

/// Which responses a variant stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// `2XX`, `4XX`…: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

/// One variant of a status enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusVariant {
    /// The Rust identifier (`Ok`, `Created`, `Status299`…).
    pub name: String,
    /// The statuses it decodes.
    pub status: Status,
    /// Its payload.
    pub body: ResponseBody,
}

/// The typed error bodies of an operation, kept on `Error::Api` (`ApiError::detail`).
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBodies {
    /// The Rust type of the detail: the one JSON type when every error response has it, else an
    /// enum of this name with one variant per status.
    pub name: Option<String>,
    /// The declared error responses with JSON bodies (specific statuses, ranges, `default`).
    pub variants: Vec<StatusVariant>,
}

/// How to walk an operation's pages: declared with `x-pagination` (or `x-speakeasy-pagination`),
/// or detected from the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// How the next page is requested.
    pub scheme: PageScheme,
    /// The response field holding the page's items (`None`: the response is the array).
    pub items: Option<PageStep>,
    /// The item type.
    pub item_ty: Ty,
    /// The response field holding the total number of items, if the response has one.
    pub total: Option<PageTotal>,
    /// The boolean response field that is `false` on the last page (`has_more`).
    pub has_more: Option<Vec<PageStep>>,
}

/// The ways from one page to the next (the runtime's `Paging`).
#[derive(Debug, Clone, PartialEq)]
pub enum PageScheme {
    /// The parameter numbers pages: one more for each page.
    PageNumber(PageParam),
    /// The parameter is an offset, moved past the items received.
    Offset(PageParam),
    /// The parameter is a cursor, the string at `next` in the response.
    Cursor {
        /// The cursor parameter (a string).
        param: PageParam,
        /// The response fields down to the next cursor (a string).
        next: Vec<PageStep>,
    },
    /// The parameter is a cursor, the string field `field` of the page's last item.
    LastItem {
        /// The cursor parameter (a string).
        param: PageParam,
        /// The item's field (a string).
        field: PageStep,
    },
    /// The next page's URL is the string at `next` in the response.
    NextUrl(Vec<PageStep>),
    /// The next page's URL is in the response's `Link` header, `rel="next"`.
    Link,
}

/// The query parameter a page scheme sets.
#[derive(Debug, Clone, PartialEq)]
pub struct PageParam {
    /// The params struct's field.
    pub name: String,
    /// Its type, without the `Option` of an optional parameter.
    pub ty: Ty,
    /// Whether it is optional (an `Option` field).
    pub optional: bool,
    /// For an optional page number: the page the server answers without it.
    pub start: Option<i64>,
}

/// One field on the way from a response (or an item) to a value.
#[derive(Debug, Clone, PartialEq)]
pub struct PageStep {
    /// The field's Rust name.
    pub name: String,
    /// Its JSON property name.
    pub wire: String,
    /// How it is wrapped: the field's presence.
    pub presence: Presence,
}

/// The response field that counts every item of a paginated list.
#[derive(Debug, Clone, PartialEq)]
pub struct PageTotal {
    /// The field's Rust name.
    pub field: String,
    /// Its type: a number.
    pub ty: Ty,
    /// Whether it may be absent (or null): an `Option` field.
    pub optional: bool,
}
