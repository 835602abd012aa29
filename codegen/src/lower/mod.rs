//! Stage 2, lower: the validated [`Spec`](crate::parse::Spec) → the [`Api`] the emitters read.
//!
//! Here every decision is made once: Rust names (and their collisions), integer widths from
//! bounds, which bounds remain for `Validate`, presence and nullability as `Option`, inline
//! schemas named after their parent, tagged-union variants, and `Box` on recursive edges.
//! Iteration is over `BTreeMap`s or explicit sorts, so output order never depends on input order.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Collector, Errors, Pointer};
use crate::ir::{Api, Constraints, Multipart, Struct, Ty, TypeDef, TypeKind, Union};
use crate::names::pascal;
use crate::parse::{Content, Document, Kind, OperationSpec, Schema, SchemeSpec};
use crate::settings::Settings;
use schemas::is_scalar;
use schemas::{enum_of, nullable_structured, tag_values_of};
use security::auth_schemes;

mod cycles;
mod multipart;
mod operations;
mod pagination;
mod schemas;
mod security;
mod share;
mod streams;

/// Methods of the generated `Client` (and the traits it implements) that a resource accessor
/// must not shadow: an accessor named like one gets a trailing `_`.
const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "clone",
    "clone_from",
    "fmt",
    "from",
    "from_env",
    "into",
    "max_retries",
    "new",
    "timeout",
    "with_max_retries",
    "with_timeout",
];

/// Names the generated crate's root already defines (in `operations.rs` or by re-export from
/// the runtime, in its hand-written `lib.rs`): a resource type named like one gets a trailing `_`.
const CRATE_ROOT_NAMES: &[&str] = &[
    "Api",
    "ApiError",
    "ApiInfo",
    "Client",
    "ClientBuilder",
    "DecodeError",
    "Error",
    "ErrorKind",
    "File",
    "HeaderMap",
    "Items",
    "Number",
    "Page",
    "Pages",
    "Pending",
    "Response",
    "Scheme",
    "StatusCode",
    "Text",
    "Validate",
    "ValidationError",
    "Validator",
    "Violation",
];

/// How many times lowering may start again with more types read as any JSON value (each pass
/// forces at least one more; real documents need one or two).
const MAX_PASSES: usize = 8;

/// Lowers a parsed document, collecting every problem. A relative server URL is resolved against
/// `document_url`, the URL the document was published at, or refused without one.
///
/// A type that cannot be lowered exactly is read as any JSON value; as other types may depend
/// on its shape (a tagged union on its variants being objects), lowering then starts again from
/// a document where that schema is any JSON value, keeping the warnings already given.
pub(crate) fn lower(doc: &Document, settings: &Settings) -> Result<Api, Errors> {
    let mut spec = std::borrow::Cow::Borrowed(&doc.spec);
    let mut warnings = Vec::new();
    let mut forced = BTreeSet::new();
    for _ in 0..MAX_PASSES {
        let (api, contained, pass_warnings) = lower_pass(doc, &spec, settings, &warnings)?;
        if contained.is_empty() || contained.is_subset(&forced) {
            return finish(doc, api, settings);
        }
        warnings = pass_warnings;
        forced.extend(contained);
        let mut next = doc.spec.clone();
        force_any(&mut next, &forced);
        spec = std::borrow::Cow::Owned(next);
    }
    let (api, _, _) = lower_pass(doc, &spec, settings, &warnings)?;
    finish(doc, api, settings)
}

/// The API with the parse warnings first, or every warning as an error when they are denied.
fn finish(doc: &Document, api: Api, settings: &Settings) -> Result<Api, Errors> {
    if settings.deny_warnings && !api.warnings.is_empty() {
        let errors = api
            .warnings
            .into_iter()
            .map(|w| crate::Error { message: format!("{} (warnings are denied)", w.message), ..w })
            .collect();
        return Err(Errors { file: doc.name.clone(), errors });
    }
    Ok(api)
}

/// Replaces every schema of `spec` written at one of `pointers` by any JSON value.
fn force_any(spec: &mut crate::parse::Spec, pointers: &BTreeSet<String>) {
    fn walk(schema: &mut Schema, pointers: &BTreeSet<String>) {
        if pointers.contains(schema.pointer.as_str()) {
            schema.kind = Kind::Any;
            schema.bounds = crate::parse::Bounds::default();
            return;
        }
        schema.children_mut().into_iter().for_each(|child| walk(child, pointers));
    }
    spec.schemas.values_mut().for_each(|s| walk(s, pointers));
    spec.operations.iter_mut().flat_map(OperationSpec::schemas_mut).for_each(|s| walk(s, pointers));
}

/// One lowering of `spec`: the API, the pointers of the types it read as any JSON value, and its
/// warnings (after `earlier`'s, which a pass that starts again keeps).
fn lower_pass(
    doc: &Document,
    spec: &crate::parse::Spec,
    settings: &Settings,
    earlier: &[crate::Error],
) -> Result<(Api, BTreeSet<String>, Vec<crate::Error>), Errors> {
    let document_url = settings.document_url.as_deref();
    let mut errors = Collector::default();
    for warning in earlier {
        errors.warn(warning.location.clone(), warning.message.clone());
    }
    let mut cx = Lowerer {
        stream_terminator: settings.stream_terminator.clone(),
        typed_formats: settings.typed_formats,
        wide_integers: settings.wide_integers,
        detect_pagination: settings.detect_pagination,
        notes: Vec::new(),
        errors,
        contained: BTreeSet::new(),
        schemas: &spec.schemas,
        names: BTreeMap::new(),
        types: BTreeMap::new(),
        tag_variants: BTreeMap::new(),
        direct_refs: BTreeMap::new(),
        enum_components: BTreeSet::new(),
        inline: BTreeMap::new(),
        multiparts: BTreeMap::new(),
        referenced: BTreeMap::new(),
        renamed: BTreeMap::new(),
    };
    for (name, schema) in &spec.schemas {
        if spec.schema_names.contains_key(name) {
            continue;
        }
        let rust = pascal(name);
        if let Some(previous) = cx.names.get(&rust).cloned() {
            // Components are read in name order, so the first of two names keeps it: a new
            // component renames none that was there unless it sorts first with the same name.
            let renamed = cx.fresh(rust.clone(), &schema.pointer);
            cx.errors.warn(
                schema.pointer.as_str(),
                format!(
                    "the Rust name `{rust}` is already taken by {previous}; this schema's type is named `{renamed}`"
                ),
            );
            cx.renamed.insert(name.clone(), renamed);
        } else {
            cx.names.insert(rust, schema.pointer.clone());
        }
    }
    // A schema referenced where it is written is named after its place, after the components
    // (numbered when one has the name), in pointer order: deterministic.
    for (key, words) in &spec.schema_names {
        if let Some(schema) = spec.schemas.get(key) {
            let rust = cx.fresh(pascal(words), &schema.pointer);
            cx.referenced.insert(key.clone(), rust);
        }
    }
    cx.enum_components = spec
        .schemas
        .iter()
        .filter(|(_, s)| matches!(nullable_structured(s).unwrap_or(s).kind, Kind::Enum(_) | Kind::Const(_)))
        .map(|(key, _)| cx.type_name(key))
        .collect();
    cx.collect_tag_variants(&spec.operations);
    for (key, schema) in &spec.schemas {
        let tag = cx.tag_variants.get(key).map(|(_, tag, values)| (tag.clone(), values.clone()));
        let component = (!spec.schema_names.contains_key(key)).then_some(key.as_str());
        cx.define(&cx.type_name(key), schema, tag.as_ref().map(|(t, v)| (t.as_str(), v.as_slice())), component);
    }
    let (auth, scheme_names) = auth_schemes(spec);
    let resources = cx.resources(spec.operations.as_slice(), &spec.tags, &scheme_names);
    // A client without credentials is refused only when every operation needs one: an
    // alternative made of mutual TLS alone (or of nothing) needs none the client holds.
    let needs_credential = |wire: &String| spec.schemes.get(wire).is_some_and(|s| *s != SchemeSpec::MutualTls);
    let auth_required = !spec.operations.is_empty()
        && spec
            .operations
            .iter()
            .all(|op| !op.security.is_empty() && op.security.iter().all(|alt| alt.iter().any(needs_credential)));
    // A relative server URL without the document's own URL to resolve it against leaves the API
    // without a default base URL: the client then asks for one (`ClientBuilder::base_url` or
    // the environment) instead of guessing a host. A document URL that cannot resolve it is
    // refused.
    let base_url = match &spec.base_url {
        None => None,
        Some((url, _)) if !url.contains("://") && document_url.is_none() => None,
        Some((url, at)) => match resolve_url(url, document_url) {
            Ok(url) => Some(url),
            Err(message) => {
                cx.errors.push(at.as_str(), message);
                None
            }
        },
    };
    cx.keep_tags_of_variants_used_directly();
    cx.box_recursion();
    cx.box_large_optional_fields();
    cx.check_nesting(&resources);
    if settings.share_identical_types {
        // A paginated response gets its own `Page` impl: it stays a type of its own, as two
        // impls on one type would conflict.
        let paged = resources
            .iter()
            .flat_map(|r| &r.operations)
            .filter_map(|op| op.paged_response().map(str::to_owned))
            .collect();
        cx.share_identical_inline_types(&paged);
    }
    let types = std::mem::take(&mut cx.types).into_values().collect();
    let api = Api {
        title: spec.title.clone(),
        version: spec.version.clone(),
        base_url,
        auth,
        auth_required,
        types,
        resources,
        idempotency_header: spec.idempotency_header.clone(),
        warnings: doc.warnings.clone(),
        notes: std::mem::take(&mut cx.notes),
    };
    let contained = std::mem::take(&mut cx.contained);
    let (mut api, warnings) = cx.errors.finish(&doc.name, api)?;
    api.warnings.extend(warnings.iter().cloned());
    Ok((api, contained, warnings))
}

struct Lowerer<'a> {
    /// `Settings::stream_terminator`: the event data that ends a stream the document says
    /// nothing of.
    stream_terminator: Option<String>,
    /// `Settings::typed_formats`: `date-time`, `date` and `uuid` strings get their own types.
    typed_formats: bool,
    /// `Settings::wide_integers`: an integer not bounded to 64 bits is `i128`/`u128`.
    wide_integers: bool,
    /// `Settings::detect_pagination`: operations without `x-pagination` get a detected scheme.
    detect_pagination: bool,
    /// What was inferred (detected pagination), for [`Api::notes`].
    notes: Vec<crate::Error>,
    errors: Collector,
    /// The pointers of the types read as any JSON value because they could not be lowered.
    contained: BTreeSet<String>,
    schemas: &'a BTreeMap<String, Schema>,
    /// Rust type name → where it was declared; catches collisions.
    names: BTreeMap<String, Pointer>,
    types: BTreeMap<String, TypeDef>,
    /// Component name → (the union's pointer, the discriminator property it carries, its values).
    tag_variants: BTreeMap<String, (Pointer, String, Vec<String>)>,
    /// Component name → places that reference it other than as a tagged-union variant.
    direct_refs: BTreeMap<String, Vec<Pointer>>,
    /// The Rust names of the components that are enums (or constants), known before they are
    /// lowered; looked up once each instead of scanning every component per question.
    enum_components: BTreeSet<String>,
    /// Inline schemas already defined: pointer → (the schema, its type's name).
    inline: BTreeMap<String, (Schema, String)>,
    /// The schemas referenced where they are written (no component): pointer → type name.
    referenced: BTreeMap<String, String>,
    /// Components whose Rust name another component has: name → the type's numbered name.
    renamed: BTreeMap<String, String>,
    /// Multipart bodies already lowered, by the object's pointer and the `encoding`'s content
    /// types: operations that send one schema alike share one struct.
    multiparts: BTreeMap<(String, BTreeMap<String, Option<String>>), Multipart>,
}

/// What a schema node means for a property: its type, nullability and remaining bounds.
struct Shape {
    ty: Ty,
    nullable: bool,
    constraints: Constraints,
    written: Constraints,
}

impl Lowerer<'_> {
    /// A tagged-union variant that is also used on its own must keep its tag property as a field
    /// (encoded alone, it has to write it): its struct is defined again with the tag, and every
    /// union that holds it reads and writes the tag through it.
    fn keep_tags_of_variants_used_directly(&mut self) {
        let used: Vec<String> =
            self.direct_refs.keys().filter(|c| self.tag_variants.contains_key(*c)).cloned().collect();
        let mut kept = BTreeSet::new();
        for key in used {
            self.tag_variants.remove(&key);
            let name = self.type_name(&key);
            if let Some(schema) = self.schemas.get(&key) {
                let component = (!self.referenced.contains_key(&key)).then_some(key.as_str());
                self.define(&name, schema, None, component);
            }
            kept.insert(name);
        }
        for def in self.types.values_mut() {
            if let TypeKind::Union(Union { tag: Some(_), variants, .. }) = &mut def.kind {
                for v in variants {
                    v.keeps_tag |= matches!(&v.ty, Ty::Named(n) if kept.contains(n));
                }
            }
        }
    }

    /// The Rust type of the schema `key` of `Spec::schemas` names: a component's name in
    /// UpperCamelCase, or the name given to a schema referenced where it is written.
    fn type_name(&self, key: &str) -> String {
        self.referenced.get(key).or_else(|| self.renamed.get(key)).cloned().unwrap_or_else(|| pascal(key))
    }

    /// The tag value OpenAPI's implicit mapping gives the variant `key`: a component's name; a
    /// schema referenced where it is written has none, so its type's name stands for it.
    fn implicit_tag(&self, key: &str) -> String {
        self.referenced.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    /// Finds the components used as tagged-union variants (by the unions of components and of
    /// operations), so their tag property is left to the union, and the tag values each union
    /// gives them: its `discriminator.mapping` entries, else the `const` (or one-value `enum`) of
    /// its tag property, else its component name (OpenAPI's implicit mapping). A component may
    /// be a variant of several unions, tagged by one property.
    fn collect_tag_variants(&mut self, operations: &[OperationSpec]) {
        type Found = (String, Pointer, String, Option<Vec<(String, Pointer)>>);
        fn walk(schema: &Schema, schemas: &BTreeMap<String, Schema>, out: &mut Vec<Found>) {
            match &schema.kind {
                Kind::OneOf { variants, discriminator, mapping, .. } => {
                    // Only objects can carry a tag: a union with another variant is untagged.
                    if let Some(tag) = discriminator.as_ref().filter(|_| variants.iter().all(|v| is_object(v, schemas)))
                    {
                        for v in variants {
                            if let Kind::Ref(name) = &v.kind {
                                let mapped = mapping.get(name).cloned();
                                out.push((name.clone(), schema.pointer.clone(), tag.clone(), mapped));
                            }
                        }
                        for (component, entries) in mapping {
                            let names = |v: &Schema| {
                                v.kind == Kind::Ref(component.clone()) || v.origin.as_ref() == Some(component)
                            };
                            if let (false, Some((_, at))) = (variants.iter().any(names), entries.first()) {
                                out.push((component.clone(), at.clone(), String::new(), None));
                            }
                        }
                    }
                    variants.iter().for_each(|v| walk(v, schemas, out));
                }
                Kind::Array(inner) | Kind::Map(inner) | Kind::Nullable(inner) => walk(inner, schemas, out),
                Kind::Object { properties, additional, .. } => {
                    properties.values().chain(additional.as_deref()).for_each(|p| walk(p, schemas, out));
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        for schema in self.schemas.values() {
            walk(schema, self.schemas, &mut found);
        }
        for op in operations {
            let bodies = op.body.iter().flat_map(|body| body.content.iter().map(|(_, content)| content));
            let responses = op.success.iter().chain(&op.errors).filter_map(|r| r.content.as_ref());
            let contents = bodies.chain(responses).filter_map(|content| match content {
                Content::Json(schema) | Content::Form(schema, _) | Content::Multipart(schema, _) => Some(schema),
                Content::Text | Content::Bytes => None,
            });
            for schema in op.params.iter().map(|p| &p.schema).chain(contents) {
                walk(schema, self.schemas, &mut found);
            }
        }
        for (component, union, tag, mapped) in found {
            if tag.is_empty() {
                self.errors.warn(
                    union.as_str(),
                    format!(
                        "the mapping names `{component}`, which is not one of the union's variants; the mapping entry \
                         is ignored"
                    ),
                );
                continue;
            }
            let implicit = self.implicit_tag(&component);
            let values = match self.schemas.get(&component) {
                Some(schema) => tag_values_of(schema, &tag, mapped.as_ref(), implicit),
                None => vec![implicit],
            };
            match self.tag_variants.get_mut(&component) {
                // The first union's tag stays apart from the struct (that union writes it); to
                // the others the variant is a struct whose own field carries their tag, as a
                // variant also used on its own is (see `union`).
                Some((_, other, _)) if *other != tag => self.errors.warn(
                    union.as_str(),
                    format!(
                        "`{component}` is a variant of unions tagged by `{other}` and by `{tag}`; its struct keeps \
                         `{tag}` as a field of its own, and `{other}` is written by its first union"
                    ),
                ),
                Some((_, _, known)) => {
                    // Every union's values, for the struct's docs and JSON Schema.
                    for value in values {
                        if !known.contains(&value) {
                            known.push(value);
                        }
                    }
                }
                None => {
                    self.tag_variants.insert(component, (union, tag, values));
                }
            }
        }
        // The union writes the tag of a variant whose own schema pins it: required, and one
        // value, the union's. Any other variant may hold another value or none when decoded on
        // its own, so its struct keeps the tag as a field, which encodes back what it read. (A
        // variant whose tag property cannot hold the union's values stays, for `define` to say so.)
        let schemas = self.schemas;
        self.tag_variants.retain(|component, (_, tag, values)| {
            schemas
                .get(component)
                .is_some_and(|schema| pins_tag(schema, tag, values) || !admits_tag(schema, tag, values))
        });
    }

    /// Defines the named type `name` for `schema`.
    /// `tag` is the discriminator property and its values when the schema is a tagged-union variant.
    fn define(&mut self, name: &str, schema: &Schema, tag: Option<(&str, &[String])>, component: Option<&str>) {
        if let Some(inner) = nullable_structured(schema) {
            // A nullable object, enum or union: the type is the non-null shape, and every
            // reference to it is nullable (see `shape`), so it never refers to itself. A
            // component also gets `<Name>OrNull`, an `Option` of it: the component as declared,
            // `null` included, for a value decoded on its own (a stored one, a webhook's); it is
            // what `component_schemas` lists under the component's name.
            if let Some(component) = component {
                let alias = self.fresh(format!("{name}OrNull"), &schema.pointer);
                let docs = format!(
                    "`{component}` as the API description declares it: `null`, or a `{name}`. A value that \
                     may be `null` decodes as this type; a property that refers to the component is an \
                     `Option<{name}>` already."
                );
                let def = TypeDef {
                    name: alias.clone(),
                    pointer: schema.pointer.to_string(),
                    component: Some(component.to_owned()),
                    docs: Some(docs),
                    kind: TypeKind::Alias(Ty::Option(Box::new(Ty::Named(name.to_owned())))),
                    former_refs: Vec::new(),
                };
                self.types.insert(alias, def);
            }
            let inner = Schema { description: schema.description.clone(), ..inner.clone() };
            return self.define(name, &inner, tag, component);
        }
        // A type that cannot be lowered exactly is any JSON value, as its warnings say; the types
        // around it keep theirs.
        let mark = self.errors.mark();
        let kind = match &schema.kind {
            Kind::Object { properties, required, additional } => {
                let closed = schema.bounds.closed;
                let object = self.object(name, properties, required, tag);
                // Named after the map's field, as a property's inline type is after its field.
                let extra_values =
                    additional.as_ref().map(|values| self.ty(&format!("{name}AdditionalProperty"), values));
                TypeKind::Struct(Struct { closed, extra_values, ..object })
            }
            Kind::Enum(values) => TypeKind::Enum(enum_of(values)),
            Kind::Const(value) => TypeKind::Enum(enum_of(std::slice::from_ref(value))),
            Kind::OneOf { variants, discriminator, mapping, any_of } => {
                let tag = discriminator.as_deref().map(|tag| (tag, mapping));
                TypeKind::Union(Union { any_of: *any_of, ..self.union(name, variants, tag) })
            }
            Kind::AllOf { .. } => {
                self.errors.push(schema.pointer.as_str(), "internal: an `allOf` left unmerged");
                TypeKind::Alias(Ty::Any)
            }
            _ => {
                let shape = self.shape(name, schema);
                let ty = if shape.nullable { Ty::Option(Box::new(shape.ty)) } else { shape.ty };
                TypeKind::Alias(ty)
            }
        };
        let kind = match self.errors.contain_at(mark, Some(schema.pointer.as_str()), crate::parse::ANY_FALLBACK) {
            true => {
                self.contained.insert(schema.pointer.to_string());
                TypeKind::Alias(Ty::Any)
            }
            false => kind,
        };
        let def = TypeDef {
            name: name.to_owned(),
            pointer: schema.pointer.to_string(),
            component: component.map(str::to_owned),
            docs: schema.description.clone(),
            kind,
            former_refs: Vec::new(),
        };
        self.types.insert(name.to_owned(), def);
    }

    /// An inline object, enum or union gets a named type of its own, called after its place.
    /// Its name is numbered (`…2`, `…3`) when a component or an earlier inline schema already
    /// has it: components are named first, and inline schemas in document order, so the
    /// numbering is deterministic.
    ///
    /// A schema that `allOf` copied into several objects is defined once, named after the first
    /// place that defines it (components are lowered in name order).
    ///
    /// `tag` is the discriminator property and its values when the schema is a tagged union's
    /// variant.
    fn define_inline(&mut self, name: String, schema: &Schema, tag: Option<(&str, &[String])>) -> Ty {
        let key = schema.pointer.to_string();
        if let Some((defined, name)) = self.inline.get(&key)
            && defined == schema
        {
            return Ty::Named(name.clone());
        }
        let name = self.fresh(name, &schema.pointer);
        self.inline.insert(key, (schema.clone(), name.clone()));
        self.define(&name, schema, tag, None);
        Ty::Named(name)
    }

    /// `name`, or the first of `name2`, `name3`… that no other schema has taken; reserved for `at`.
    fn fresh(&mut self, name: String, at: &Pointer) -> String {
        let name = crate::names::joined_pascal(&name);
        let separator = if name.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut candidate = name.clone();
        let mut n = 2u64;
        while self.names.get(&candidate).is_some_and(|taken| taken != at) {
            candidate = format!("{name}{separator}{n}");
            n += 1;
        }
        self.names.insert(candidate.clone(), at.clone());
        candidate
    }

    /// The type of a schema in any position; `hint` names inline types.
    fn ty(&mut self, hint: &str, schema: &Schema) -> Ty {
        let shape = self.shape(hint, schema);
        if shape.nullable { Ty::Option(Box::new(shape.ty)) } else { shape.ty }
    }
}

/// A server URL as the client needs it: absolute. A relative one (`/api/v3`, `v3`, `//host/x`)
/// is resolved against the URL the document was published at (RFC 3986, without dot segments
/// beyond a leading `./` or `../`).
fn resolve_url(url: &str, document_url: Option<&str>) -> Result<String, String> {
    if url.contains("://") {
        return Ok(url.to_owned());
    }
    let Some(base) = document_url else {
        return Err(format!(
            "the server URL `{url}` is relative, and the document's own URL, which it is relative to, \
             was not given (`Settings::document_url`); give it, or write an absolute URL"
        ));
    };
    let Some((scheme, rest)) = base.split_once("://") else {
        return Err(format!("the document URL `{base}` is not absolute, so the server URL `{url}` cannot be resolved"));
    };
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    if let Some(network) = url.strip_prefix("//") {
        return Ok(format!("{scheme}://{network}"));
    }
    if url.starts_with('/') {
        return Ok(format!("{scheme}://{host}{url}"));
    }
    let mut segments: Vec<&str> = path.split('/').collect();
    segments.pop();
    let mut rest = url;
    loop {
        if let Some(r) = rest.strip_prefix("./") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix("../") {
            segments.pop();
            rest = r;
        } else {
            break;
        }
    }
    let rest = if rest == "." { "" } else { rest };
    segments.push(rest);
    Ok(format!("{scheme}://{host}/{}", segments.join("/")))
}

/// Whether a union variant is an object a discriminator can tag: a `$ref` to an object schema,
/// or an alternative the properties beside the union were merged into.
pub(super) fn is_object(variant: &Schema, schemas: &BTreeMap<String, Schema>) -> bool {
    match (&variant.kind, &variant.origin) {
        (Kind::Ref(name), _) => matches!(schemas.get(name).map(|s| &s.kind), Some(Kind::Object { .. })),
        (Kind::Object { .. }, Some(_)) => true,
        _ => false,
    }
}

/// Whether `schema` requires its property `tag` and allows only `values`' one value there.
fn pins_tag(schema: &Schema, tag: &str, values: &[String]) -> bool {
    let [value] = values else { return false };
    let Kind::Object { properties, required, .. } = &schema.kind else { return false };
    let pinned = match properties.get(tag).map(|p| &p.kind) {
        Some(Kind::Const(v)) => v == value,
        Some(Kind::Enum(vs)) => matches!(vs.as_slice(), [v] if v == value),
        _ => false,
    };
    pinned && required.contains(tag)
}

/// Whether the property `tag` of `schema`, where declared, admits every one of `values`.
fn admits_tag(schema: &Schema, tag: &str, values: &[String]) -> bool {
    let Kind::Object { properties, .. } = &schema.kind else { return true };
    properties.get(tag).is_none_or(|p| values.iter().all(|value| schemas::admits_tag_value(&p.kind, value)))
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, Field, Presence, Ty, TypeDef, TypeKind};
    use crate::{Document, Settings};

    /// The IR of a document whose components are `schemas`, lowered with `settings`.
    fn lower_with(schemas: &str, settings: &Settings) -> Api {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "T", "version": "1"}}, "paths": {{}},
                "components": {{"schemas": {schemas}}}}}"#
        );
        let doc = Document::parse("t.json", &text).unwrap_or_else(|e| panic!("{e}"));
        super::lower(&doc, settings).unwrap_or_else(|e| panic!("{e}"))
    }

    fn lower(schemas: &str) -> Api {
        lower_with(schemas, &Settings::new("t.json", "T"))
    }

    fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name} among {names:?}"))
    }

    fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
        match &def(api, name).kind {
            TypeKind::Struct(s) => &s.fields,
            other => panic!("{name} is no struct: {other:?}"),
        }
    }

    #[test]
    fn fields_are_required_first_then_optional_each_by_wire_name_with_their_presence() {
        let api = lower(
            r#"{"Pet": {"type": "object", "required": ["b", "a"], "properties": {
                "d": {"type": "string"}, "c": {"type": ["string", "null"]},
                "b": {"type": "string"}, "a": {"type": ["string", "null"]}}}}"#,
        );
        let got: Vec<(&str, Presence, &Ty)> =
            fields(&api, "Pet").iter().map(|f| (f.wire_name.as_str(), f.presence, &f.ty)).collect();
        assert_eq!(
            got,
            [
                ("a", Presence::RequiredNullable, &Ty::String),
                ("b", Presence::Required, &Ty::String),
                ("c", Presence::OptionalNullable, &Ty::String),
                ("d", Presence::Optional, &Ty::String),
            ]
        );
    }

    #[test]
    fn inline_types_are_named_after_their_place_and_names_are_rust() {
        let api = lower(
            r#"{"Pet": {"type": "object", "properties": {
                "owner": {"type": "object", "properties": {"first-name": {"type": "string"}}},
                "tags": {"type": "array", "items": {"type": "object", "properties": {}}},
                "type": {"type": "string", "enum": ["cat", "dog"]}}}}"#,
        );
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names[0], "Pet", "components first");
        for inline in ["PetOwner", "PetTagsItem", "PetType"] {
            assert!(names.contains(&inline), "{inline} in {names:?}");
        }
        assert_eq!(fields(&api, "PetOwner")[0].name, "first_name");
        let ty = fields(&api, "Pet").iter().find(|f| f.wire_name == "type").expect("a field");
        assert_eq!((ty.name.as_str(), &ty.ty), ("type_", &Ty::Named("PetType".to_owned())));
    }

    #[test]
    fn an_integer_type_holds_every_value_its_schema_allows() {
        let schemas = r#"{"N": {"type": "object", "required": ["i32", "u32", "positive", "any", "huge"], "properties": {
            "i32": {"type": "integer", "format": "int32"},
            "u32": {"type": "integer", "format": "int32", "minimum": 0},
            "positive": {"type": "integer", "format": "int64", "minimum": 1},
            "any": {"type": "integer"},
            "huge": {"type": "integer", "minimum": 0, "maximum": 100000000000000000000}}}}"#;
        let types = |api: &Api| -> Vec<Ty> { fields(api, "N").iter().map(|f| f.ty.clone()).collect() };
        // Fields by wire name: any, huge, i32, positive, u32.
        assert_eq!(types(&lower(schemas)), [Ty::I128, Ty::U128, Ty::I32, Ty::NonZeroU64, Ty::U32]);
        let narrow = Settings { wide_integers: false, ..Settings::new("t.json", "T") };
        assert_eq!(
            types(&lower_with(schemas, &narrow)),
            [Ty::I64, Ty::U128, Ty::I32, Ty::NonZeroU64, Ty::U32],
            "a written bound beyond 64 bits is held whatever the setting"
        );
    }

    #[test]
    fn an_edge_closing_a_cycle_is_boxed() {
        let api =
            lower(r##"{"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}"##);
        assert_eq!(fields(&api, "Node")[0].ty, Ty::Box(Box::new(Ty::Named("Node".to_owned()))));
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    }

    #[test]
    fn an_additional_operation_is_sent_with_its_methods_own_case() {
        let text = r#"{"openapi": "3.2.0", "info": {"title": "T", "version": "1"}, "paths": {"/c": {
            "get": {"operationId": "read", "responses": {"204": {"description": "ok"}}},
            "additionalOperations": {"Purge": {"operationId": "purge", "responses": {"204": {"description": "ok"}}}}}}}"#;
        let doc = Document::parse("t.json", text).unwrap_or_else(|e| panic!("{e}"));
        let api = super::lower(&doc, &Settings::new("t.json", "T")).unwrap_or_else(|e| panic!("{e}"));
        let mut methods: Vec<(&str, &str)> = api
            .resources
            .iter()
            .flat_map(|r| &r.operations)
            .map(|op| (op.method_name.as_str(), op.http_method.as_str()))
            .collect();
        methods.sort_unstable();
        assert_eq!(methods, [("purge", "Purge"), ("read", "GET")]);
    }

    #[test]
    fn without_tags_a_resource_is_the_first_path_segment_after_a_version_prefix() {
        let op = |path: &str| format!(r#""{path}": {{"get": {{"responses": {{"204": {{"description": "ok"}}}}}}}}"#);
        let paths = [
            "/v1/customers",
            "/v1/customers/{id}",
            "/api/v2beta1/jobs",
            "/v1",
            "/1.0/items",
            "/vault/keys",
            "/{tenant}/users",
        ];
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "T", "version": "1"}}, "paths": {{{}}}}}"#,
            paths.map(op).join(", ")
        );
        let doc = Document::parse("t.json", &text).unwrap_or_else(|e| panic!("{e}"));
        let api = super::lower(&doc, &Settings::new("t.json", "T")).unwrap_or_else(|e| panic!("{e}"));
        let mut resources: Vec<(String, usize)> =
            api.resources.iter().map(|r| (r.accessor.clone(), r.operations.len())).collect();
        resources.sort();
        let expected = [("customers", 2), ("items", 1), ("jobs", 1), ("users", 1), ("v1", 1), ("vault", 1)];
        assert_eq!(resources, expected.map(|(name, n)| (name.to_owned(), n)));
    }
}
