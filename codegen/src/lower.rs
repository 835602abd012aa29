//! Stage 2, lower: the validated [`Spec`] → the [`ir::Api`] the emitters read.
//!
//! Here every decision is made once: Rust names (and their collisions), integer widths from
//! bounds, which bounds remain for `Validate`, presence and nullability as `Option`, inline
//! schemas named after their parent, tagged-union variants, and `Box` on recursive edges.
//! Iteration is over `BTreeMap`s or explicit sorts, so output order never depends on input order.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Number, Value};

use crate::emit::doc_text;
use crate::error::{Collector, Errors, Pointer};
use crate::ir::{
    AlternativeBody, Api, AuthKind, AuthScheme, Body, BodyKind, Bound, Constraints, Enum, EnumVariant, ErrorBodies,
    Field, Location, Operation, PageTotal, Pagination, Param, ParamsStruct, Presence, Resource, ResponseBody, Returns,
    Status, StatusVariant, Struct, StructTag, Style, Ty, TypeDef, TypeKind, Union, UnionVariant,
};
use crate::names::{Taken, pascal, snake, unique};
use crate::parse::{
    Bounds, Content, Document, KeyLocation, Kind, OperationSpec, ParamLocation, ParamStyle, ResponseSpec, Schema,
    SchemeSpec, Spec,
};

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

/// Lowers a parsed document, collecting every problem. A relative server URL is resolved against
/// `document_url`, the URL the document was published at, or refused without one.
pub(crate) fn lower(doc: &Document, document_url: Option<&str>) -> Result<Api, Errors> {
    let spec = &doc.spec;
    let mut cx = Lowerer {
        errors: Collector::default(),
        schemas: &spec.schemas,
        names: BTreeMap::new(),
        types: BTreeMap::new(),
        tag_variants: BTreeMap::new(),
        direct_refs: BTreeMap::new(),
        enum_components: spec
            .schemas
            .iter()
            .filter(|(_, s)| matches!(nullable_structured(s).unwrap_or(s).kind, Kind::Enum(_) | Kind::Const(_)))
            .map(|(n, _)| pascal(n))
            .collect(),
        inline: BTreeMap::new(),
    };
    cx.collect_tag_variants();
    for (name, schema) in &spec.schemas {
        let rust = pascal(name);
        if let Some(previous) = cx.names.insert(rust.clone(), schema.pointer.clone()) {
            cx.errors.push(
                schema.pointer.as_str(),
                format!("the Rust name `{rust}` is already taken by {previous}; rename one of the schemas"),
            );
        }
    }
    for (name, schema) in &spec.schemas {
        let tag = cx.tag_variants.get(name).map(|(_, tag, value)| (tag.clone(), value.clone()));
        cx.define(&pascal(name), schema, tag.as_ref().map(|(t, v)| (t.as_str(), v.as_str())), Some(name));
    }
    let (auth, scheme_names) = auth_schemes(spec);
    let resources = cx.resources(spec.operations.as_slice(), &spec.tags, &scheme_names);
    let auth_required = !spec.operations.is_empty()
        && spec.operations.iter().all(|op| !op.security.is_empty() && op.security.iter().all(|alt| !alt.is_empty()));
    let base_url = match &spec.base_url {
        None => None,
        Some((url, at)) => match resolve_url(url, document_url) {
            Ok(url) => Some(url),
            Err(message) => {
                cx.errors.push(at.as_str(), message);
                None
            }
        },
    };
    for (component, uses) in &cx.direct_refs {
        if let Some((union, tag, _)) = cx.tag_variants.get(component) {
            for at in uses {
                cx.errors.push(
                    at.as_str(),
                    format!(
                        "`{component}` is a variant of the tagged union {union} (its `{tag}` property is \
                         written by the union), so it cannot also be referenced directly"
                    ),
                );
            }
        }
    }
    cx.box_recursion();
    cx.check_nesting(&resources);
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
    };
    cx.errors.finish(&doc.name, api)
}

struct Lowerer<'a> {
    errors: Collector,
    schemas: &'a BTreeMap<String, Schema>,
    /// Rust type name → where it was declared; catches collisions.
    names: BTreeMap<String, Pointer>,
    types: BTreeMap<String, TypeDef>,
    /// Component name → (the union's pointer, the discriminator property it carries, its value).
    tag_variants: BTreeMap<String, (Pointer, String, String)>,
    /// Component name → places that reference it other than as a tagged-union variant.
    direct_refs: BTreeMap<String, Vec<Pointer>>,
    /// The Rust names of the components that are enums (or constants), known before they are
    /// lowered; looked up once each instead of scanning every component per question.
    enum_components: BTreeSet<String>,
    /// Inline schemas already defined: pointer → (the schema, its type's name).
    inline: BTreeMap<String, (Schema, String)>,
}

/// What a schema node means for a property: its type, nullability and remaining bounds.
struct Shape {
    ty: Ty,
    nullable: bool,
    constraints: Constraints,
    written: Constraints,
}

impl Lowerer<'_> {
    /// Finds the components used as tagged-union variants, so their tag property is left to the
    /// union, and the tag value of each: its `discriminator.mapping` entry, else the `const` (or
    /// one-value `enum`) of its tag property, else its component name (OpenAPI's implicit
    /// mapping).
    fn collect_tag_variants(&mut self) {
        type Found = (String, Pointer, String, Option<String>);
        fn walk(schema: &Schema, out: &mut Vec<Found>) {
            match &schema.kind {
                Kind::OneOf { variants, discriminator, mapping, .. } => {
                    if let Some(tag) = discriminator {
                        for v in variants {
                            if let Kind::Ref(name) = &v.kind {
                                let mapped = mapping.get(name).map(|(value, _)| value.clone());
                                out.push((name.clone(), schema.pointer.clone(), tag.clone(), mapped));
                            }
                        }
                        for (component, (_, at)) in mapping {
                            if !variants.iter().any(|v| v.kind == Kind::Ref(component.clone())) {
                                out.push((component.clone(), at.clone(), String::new(), None));
                            }
                        }
                    }
                    variants.iter().for_each(|v| walk(v, out));
                }
                Kind::Array(inner) | Kind::Map(inner) | Kind::Nullable(inner) => walk(inner, out),
                Kind::Object { properties, .. } => properties.values().for_each(|p| walk(p, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        for schema in self.schemas.values() {
            walk(schema, &mut found);
        }
        for (component, union, tag, mapped) in found {
            if tag.is_empty() {
                self.errors.push(
                    union.as_str(),
                    format!("the mapping names `{component}`, which is not one of the union's variants"),
                );
                continue;
            }
            let declared = self.schemas.get(&component).and_then(|s| match &s.kind {
                Kind::Object { properties, .. } => match properties.get(&tag).map(|p| &p.kind) {
                    Some(Kind::Const(value)) => Some(value.clone()),
                    Some(Kind::Enum(values)) if values.len() == 1 => values.first().cloned(),
                    _ => None,
                },
                _ => None,
            });
            let value = mapped.or(declared).unwrap_or_else(|| component.clone());
            match self.tag_variants.get(&component) {
                Some((_, other, _)) if *other != tag => self.errors.push(
                    union.as_str(),
                    format!("`{component}` is a variant of unions tagged by `{other}` and by `{tag}`"),
                ),
                Some((_, _, other)) if *other != value => self.errors.push(
                    union.as_str(),
                    format!("`{component}` is a variant of unions that give it the tag values `{other}` and `{value}`"),
                ),
                _ => {
                    self.tag_variants.insert(component, (union, tag, value));
                }
            }
        }
    }

    /// Defines the named type `name` for `schema`.
    /// `tag` is the discriminator property and its value when the schema is a tagged-union variant.
    fn define(&mut self, name: &str, schema: &Schema, tag: Option<(&str, &str)>, component: Option<&str>) {
        if let Some(inner) = nullable_structured(schema) {
            // A nullable object, enum or union: the type is the non-null shape, and every
            // reference to it is nullable (see `shape`), so it never refers to itself.
            let inner = Schema { description: schema.description.clone(), ..inner.clone() };
            return self.define(name, &inner, tag, component);
        }
        let kind = match &schema.kind {
            Kind::Object { properties, required } => {
                let closed = schema.bounds.closed;
                TypeKind::Struct(Struct { closed, ..self.object(name, properties, required, tag) })
            }
            Kind::Enum(values) => TypeKind::Enum(enum_of(values)),
            Kind::Const(value) => TypeKind::Enum(enum_of(std::slice::from_ref(value))),
            Kind::OneOf { variants, discriminator, any_of, .. } => {
                TypeKind::Union(Union { any_of: *any_of, ..self.union(name, variants, discriminator.as_deref()) })
            }
            Kind::AllOf { .. } => {
                self.errors.push(schema.pointer.as_str(), "internal: an `allOf` left unmerged");
                TypeKind::Alias(Ty::Any)
            }
            _ => {
                let shape = self.shape(name, schema);
                self.no_constraints(&shape, &schema.pointer);
                let ty = if shape.nullable { Ty::Option(Box::new(shape.ty)) } else { shape.ty };
                TypeKind::Alias(ty)
            }
        };
        let def = TypeDef {
            name: name.to_owned(),
            pointer: schema.pointer.to_string(),
            component: component.map(str::to_owned),
            docs: schema.description.clone(),
            kind,
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
    fn define_inline(&mut self, name: String, schema: &Schema) -> Ty {
        let key = schema.pointer.to_string();
        if let Some((defined, name)) = self.inline.get(&key)
            && defined == schema
        {
            return Ty::Named(name.clone());
        }
        let name = self.fresh(name, &schema.pointer);
        self.inline.insert(key, (schema.clone(), name.clone()));
        self.define(&name, schema, None, None);
        Ty::Named(name)
    }

    /// `name`, or the first of `name2`, `name3`… that no other schema has taken; reserved for `at`.
    fn fresh(&mut self, name: String, at: &Pointer) -> String {
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

    /// Bounds the Rust type cannot express are checked by `Validate` on object properties only;
    /// elsewhere (a named scalar, array items, parameters) they are documentation. They never
    /// change what is sent or received, so they are not refused.
    fn no_constraints(&mut self, _shape: &Shape, _at: &Pointer) {}

    /// The type of a schema in any position; `hint` names inline types.
    fn ty(&mut self, hint: &str, schema: &Schema) -> Ty {
        let shape = self.shape(hint, schema);
        self.no_constraints(&shape, &schema.pointer);
        if shape.nullable { Ty::Option(Box::new(shape.ty)) } else { shape.ty }
    }

    fn shape(&mut self, hint: &str, schema: &Schema) -> Shape {
        let mut nullable = false;
        let mut node = schema;
        if let Kind::Nullable(inner) = &schema.kind {
            nullable = true;
            node = inner;
        }
        let bounds = if schema.bounds == Bounds::default() { &node.bounds } else { &schema.bounds };
        let mut constraints = Constraints::default();
        let ty = match &node.kind {
            Kind::Any => Ty::Any,
            Kind::Ref(target) => {
                if let Some(component) = self.schemas.get(target) {
                    nullable |= nullable_structured(component).is_some();
                    self.direct_refs.entry(target.clone()).or_default().push(node.pointer.clone());
                    Ty::Named(pascal(target))
                } else {
                    self.errors.push(
                        node.pointer.join("$ref").as_str(),
                        format!("`$ref` to nothing: there is no `#/components/schemas/{target}`"),
                    );
                    Ty::Any
                }
            }
            Kind::String => {
                constraints.min_length = bounds.min_length.filter(|n| *n > 0);
                constraints.max_length = bounds.max_length;
                constraints.pattern.clone_from(&bounds.pattern);
                Ty::String
            }
            Kind::Integer => {
                let (ty, minimum) = integer(bounds);
                constraints.minimum = minimum;
                constraints.maximum = upper_bound(bounds);
                constraints.multiple_of.clone_from(&bounds.multiple_of);
                ty
            }
            Kind::Number => {
                constraints.minimum = lower_bound(bounds);
                constraints.maximum = upper_bound(bounds);
                constraints.multiple_of.clone_from(&bounds.multiple_of);
                Ty::F64
            }
            Kind::Boolean => Ty::Bool,
            Kind::Array(items) => {
                constraints.min_items = bounds.min_items.filter(|n| *n > 0);
                constraints.max_items = bounds.max_items;
                constraints.unique_items = bounds.unique_items;
                Ty::Vec(Box::new(self.ty(&format!("{hint}Item"), items)))
            }
            Kind::Map(values) => {
                constraints.min_properties = bounds.min_properties.filter(|n| *n > 0);
                constraints.max_properties = bounds.max_properties;
                if values.kind == Kind::Any {
                    Ty::JsonObject
                } else {
                    Ty::Map(Box::new(self.ty(&format!("{hint}Value"), values)))
                }
            }
            Kind::Nullable(inner) => {
                self.errors.push(inner.pointer.as_str(), "unsupported: a nullable inside a nullable");
                Ty::Any
            }
            Kind::AllOf { .. } => {
                self.errors.push(node.pointer.as_str(), "internal: an `allOf` left unmerged");
                Ty::Any
            }
            Kind::Enum(_) | Kind::Const(_) | Kind::Object { .. } | Kind::OneOf { .. } => {
                self.define_inline(hint.to_owned(), node)
            }
        };
        let written = Constraints {
            minimum: lower_bound(bounds),
            maximum: upper_bound(bounds),
            min_length: bounds.min_length,
            max_length: bounds.max_length,
            format: bounds.format.clone(),
            pattern: bounds.pattern.clone(),
            multiple_of: bounds.multiple_of.clone(),
            min_items: bounds.min_items,
            max_items: bounds.max_items,
            unique_items: bounds.unique_items,
            min_properties: bounds.min_properties,
            max_properties: bounds.max_properties,
        };
        Shape { ty, nullable, constraints, written }
    }

    fn object(
        &mut self,
        name: &str,
        properties: &BTreeMap<String, Schema>,
        required: &BTreeSet<String>,
        tag: Option<(&str, &str)>,
    ) -> Struct {
        let mut taken = Taken::default();
        let mut fields = Vec::new();
        let mut struct_tag = None;
        // A `writeOnly` property is never in a response, which is what models decode: it is
        // never required.
        let required: BTreeSet<String> =
            required.iter().filter(|wire| properties.get(*wire).is_none_or(|p| !p.write_only)).cloned().collect();
        let required = &required;
        // Required properties first, then optional ones, each sorted by wire name.
        let ordered = properties
            .iter()
            .filter(|(wire, _)| required.contains(*wire))
            .chain(properties.iter().filter(|(wire, _)| !required.contains(*wire)));
        if let Some((property, value)) = tag {
            struct_tag = Some(StructTag {
                property: property.to_owned(),
                value: value.to_owned(),
                docs: properties.get(property).and_then(|p| p.description.clone()),
            });
        }
        for (wire, prop) in ordered {
            if let Some((property, value)) = tag
                && property == wire
            {
                // The tag is written by the union: the property must admit its value.
                let admits = match &prop.kind {
                    Kind::Const(v) => v == value,
                    Kind::Enum(values) => values.iter().any(|v| v == value),
                    Kind::String => true,
                    _ => false,
                };
                if !admits {
                    self.errors.push(
                        prop.pointer.as_str(),
                        format!("a tagged union's variant must declare its tag as a string admitting `{value}`"),
                    );
                }
                continue;
            }
            // Two wire names with one Rust name (`+1`, `-1`) are numbered in field order.
            let field_name = unique(snake(wire), &mut taken);
            let shape = self.shape(&format!("{name}{}", pascal(wire)), prop);
            let presence = match (required.contains(wire), shape.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let default =
                prop.default.clone().filter(|d| self.check_default(d, &shape.ty, shape.nullable, &prop.pointer));
            fields.push(Field {
                name: field_name,
                wire_name: wire.clone(),
                docs: prop.description.clone(),
                ty: shape.ty,
                presence,
                deprecated: prop.deprecated,
                default,
                constraints: shape.constraints,
                written: shape.written,
                read_only: prop.read_only,
                write_only: prop.write_only,
            });
        }
        let has_default = fields.iter().all(|f| {
            matches!(f.presence, Presence::Optional | Presence::OptionalNullable)
                || f.default.as_ref().is_some_and(|d| self.default_is_usable(d, &f.ty))
        });
        let extra = unique("additional_properties".to_owned(), &mut taken);
        Struct { fields, has_default, extra, tag: struct_tag, closed: false }
    }

    /// Checks that a documented default fits the type; reports and drops it when it does not.
    fn check_default(&mut self, default: &Value, ty: &Ty, nullable: bool, at: &Pointer) -> bool {
        let fits = match (ty, default) {
            (_, Value::Null) => nullable || *ty == Ty::Any,
            (Ty::String, Value::String(_)) | (Ty::Bool, Value::Bool(_)) | (Ty::F64, Value::Number(_)) => true,
            (Ty::I64, Value::Number(n)) => n.as_i64().is_some(),
            (Ty::U64, Value::Number(n)) => n.as_u64().is_some(),
            (Ty::I32, Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            (Ty::U32, Value::Number(n)) => n.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            (Ty::NonZeroU64, Value::Number(n)) => n.as_u64().is_some_and(|n| n > 0),
            (Ty::Named(name), value) => !self.is_enum(name) || value.is_string(),
            (Ty::Any, _) => true,
            (Ty::JsonObject | Ty::Map(_), Value::Object(_)) | (Ty::Vec(_), Value::Array(_)) => true,
            _ => false,
        };
        if !fits {
            self.errors
                .push(at.join("default").as_str(), format!("the default `{default}` does not fit the property's type"));
        }
        fits
    }

    /// Whether a default can be written as a Rust expression for `impl Default`.
    fn default_is_usable(&self, default: &Value, ty: &Ty) -> bool {
        match ty {
            Ty::String | Ty::Bool | Ty::F64 | Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::I32 | Ty::U32 => {
                !default.is_null()
            }
            Ty::Named(name) => default.is_string() && self.is_enum(name),
            _ => false,
        }
    }

    fn union(&mut self, name: &str, variants: &[Schema], tag: Option<&str>) -> Union {
        let mut taken = Taken::with(&["Other"]);
        let mut out = Vec::new();
        let mut tag_values = BTreeSet::new();
        for (i, variant) in variants.iter().enumerate() {
            if let Some(tag) = tag {
                let Kind::Ref(component) = &variant.kind else {
                    self.errors
                        .push(variant.pointer.as_str(), "a tagged union's variants must be `$ref`s to object schemas");
                    continue;
                };
                let Some(target) = self.schemas.get(component) else {
                    self.errors.push(
                        variant.pointer.join("$ref").as_str(),
                        format!("`$ref` to nothing: there is no `#/components/schemas/{component}`"),
                    );
                    continue;
                };
                let value = match (&target.kind, self.tag_variants.get(component)) {
                    (Kind::Object { .. }, Some((_, _, value))) => Some(value.clone()),
                    _ => None,
                };
                let Some(value) = value else {
                    self.errors.push(
                        target.pointer.as_str(),
                        format!("a variant of a union tagged by `{tag}` must be an object schema"),
                    );
                    continue;
                };
                if !tag_values.insert(value.clone()) {
                    self.errors.push(variant.pointer.as_str(), format!("two variants share the tag value `{value}`"));
                }
                out.push(UnionVariant {
                    name: unique(pascal(&value), &mut taken),
                    ty: Ty::Named(pascal(component)),
                    tag_value: Some(value),
                });
            } else {
                let label = match &variant.kind {
                    Kind::Ref(component) => pascal(component),
                    Kind::String | Kind::Enum(_) | Kind::Const(_) => "String".to_owned(),
                    Kind::Integer => "Integer".to_owned(),
                    Kind::Number => "Number".to_owned(),
                    Kind::Boolean => "Boolean".to_owned(),
                    Kind::Array(_) => "Array".to_owned(),
                    Kind::Object { .. } | Kind::Map(_) => "Object".to_owned(),
                    Kind::Any => "Value".to_owned(),
                    Kind::Nullable(_) | Kind::OneOf { .. } | Kind::AllOf { .. } => format!("Variant{i}"),
                };
                let variant_name = unique(label, &mut taken);
                let ty = self.ty(&format!("{name}{variant_name}"), variant);
                out.push(UnionVariant { name: variant_name, ty, tag_value: None });
            }
        }
        Union { tag: tag.map(str::to_owned), variants: out, any_of: false }
    }

    /// Groups operations into resources and names everything the operations define. A resource
    /// is an operation's first tag, else the prefix of an `operationId` of the form
    /// `resource.method`, else the first literal segment of its path (`root` for none); a method
    /// is the rest of the `operationId`, else the HTTP method and the path
    /// (`GET /pets/{id}` → `get_pets_by_id`). Names that collide are numbered in document order
    /// (operations are sorted by path, then method), never merged.
    fn resources(
        &mut self,
        operations: &[OperationSpec],
        tags: &BTreeMap<String, Option<String>>,
        schemes: &BTreeMap<String, String>,
    ) -> Vec<Resource> {
        let grouped: Vec<(String, String)> = operations.iter().map(group_and_method).collect();
        // Resource names are given by group, sorted, so that they do not depend on which
        // operation comes first.
        let groups: BTreeSet<&String> = grouped.iter().map(|(group, _)| group).collect();
        let mut accessors = Taken::default();
        let mut root_names = Taken::with(CRATE_ROOT_NAMES);
        let mut by_group: BTreeMap<String, Resource> = BTreeMap::new();
        for group in groups {
            let mut accessor = snake(group);
            if CLIENT_METHODS.contains(&accessor.as_str()) {
                accessor.push('_');
            }
            let mut name = pascal(group);
            if CRATE_ROOT_NAMES.contains(&name.as_str()) {
                name.push('_');
            }
            let resource = Resource {
                accessor: unique(accessor, &mut accessors),
                name: unique(name, &mut root_names),
                docs: tags.get(group.as_str()).cloned().flatten().as_deref().map(doc_text),
                operations: Vec::new(),
            };
            by_group.insert(group.clone(), resource);
        }
        let mut methods: BTreeMap<String, Taken> = BTreeMap::new();
        for (op, (group, method)) in operations.iter().zip(&grouped) {
            let Some(resource) = by_group.get(group) else { continue };
            let taken = methods.entry(group.clone()).or_default();
            let method_name = unique(snake(method), taken);
            // `…_pages` and `…_all` are a paginated operation's streams.
            taken.insert(format!("{method_name}_pages"));
            taken.insert(format!("{method_name}_all"));
            let resource_name = resource.name.clone();
            let security = op
                .security
                .iter()
                .map(|alternative| alternative.iter().filter_map(|wire| schemes.get(wire).cloned()).collect())
                .collect();
            let Some(operation) = self.operation(op, &method_name, &resource_name, security, &mut root_names, taken)
            else {
                continue;
            };
            if let Some(resource) = by_group.get_mut(group) {
                resource.operations.push(operation);
            }
        }
        let mut resources: Vec<Resource> = by_group.into_values().filter(|r| !r.operations.is_empty()).collect();
        resources.sort_by(|a, b| a.accessor.cmp(&b.accessor));
        for resource in &mut resources {
            resource.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        }
        resources
    }

    fn operation(
        &mut self,
        op: &OperationSpec,
        method_name: &str,
        resource: &str,
        security: Vec<Vec<String>>,
        root_names: &mut Taken,
        methods: &mut Taken,
    ) -> Option<Operation> {
        // The params struct lives in the crate root: `GetRowsParams`, else prefixed with the
        // resource (`PetsGetParams`), else numbered. Its prefix also names the operation's
        // inline types (`GetRowsResponse`), which `fresh` numbers if they collide.
        let method = pascal(method_name);
        let prefix = [method.clone(), format!("{}{method}", resource.trim_end_matches('_'))]
            .into_iter()
            .find(|p| !root_names.contains(&format!("{p}Params")))
            .unwrap_or_else(|| format!("{}{method}", resource.trim_end_matches('_')));
        let params_name = unique(format!("{prefix}Params"), root_names);
        let method = prefix;
        let method = method.as_str();
        let method_name = method_name.to_owned();
        let template: Vec<&str> = path_placeholders(&op.path);
        let mut path_params = Vec::new();
        let mut required = Vec::new();
        let mut optional = Vec::new();
        let mut taken = Taken::default();
        for param in &op.params {
            let name = snake(&param.name);
            if !taken.insert(name.clone()) {
                self.errors
                    .push(param.pointer.as_str(), format!("parameter `{}` maps to `{name}`, already used", param.name));
                continue;
            }
            let shape = self.shape(&format!("{method}{}", pascal(&param.name)), &param.schema);
            let mut ty = if shape.nullable { Ty::Option(Box::new(shape.ty)) } else { shape.ty };
            // A `$ref` to a named scalar (`AlertNumber = integer`) is sent as that scalar.
            ty = self.unalias(ty);
            if let Ty::Vec(item) = ty {
                ty = Ty::Vec(Box::new(self.unalias(*item)));
            }
            let location = match param.location {
                ParamLocation::Path => Location::Path,
                ParamLocation::Query => Location::Query,
                ParamLocation::Header => Location::Header,
                ParamLocation::Cookie => Location::Cookie,
            };
            let style = match param.style {
                ParamStyle::Form => Style::Form,
                ParamStyle::SpaceDelimited => Style::SpaceDelimited,
                ParamStyle::PipeDelimited => Style::PipeDelimited,
                ParamStyle::DeepObject => Style::DeepObject,
                ParamStyle::Simple => Style::Simple,
                ParamStyle::Label => Style::Label,
                ParamStyle::Matrix => Style::Matrix,
            };
            if let Err(problem) = self.check_param_ty(&ty, location, style, param.explode) {
                self.errors.push(param.pointer.join("schema").as_str(), problem);
                continue;
            }
            let lowered = Param {
                name,
                wire_name: param.name.clone(),
                location,
                style,
                explode: param.explode,
                docs: param.description.as_deref().map(doc_text),
                ty,
                constraints: shape.written,
            };
            match param.location {
                ParamLocation::Path => {
                    if !template.contains(&param.name.as_str()) {
                        self.errors.push(
                            param.pointer.as_str(),
                            format!("path parameter `{}` does not appear in `{}`", param.name, op.path),
                        );
                    }
                    path_params.push(lowered);
                }
                _ if param.required => required.push(lowered),
                _ => optional.push(lowered),
            }
        }
        for placeholder in &template {
            if !path_params.iter().any(|p| p.wire_name == *placeholder) {
                self.errors.push(op.pointer.as_str(), format!("`{{{placeholder}}}` in the path has no path parameter"));
            }
        }
        path_params.sort_by_key(|p| template.iter().position(|t| *t == p.wire_name));
        let response = self.returns(&op.success, method, root_names);
        let errors = self.error_bodies(&op.errors, method, root_names);
        let params = ParamsStruct { name: params_name, required, optional };
        let body = op.body.as_ref().and_then(|b| {
            // The body argument's name: `body`, unless a path parameter or the params argument
            // (`params`, or `params_`… after a path parameter named `params`) has it.
            let mut arg = "body".to_owned();
            let taken_args = |name: &str| {
                path_params.iter().any(|p| p.name == name)
                    || (name.starts_with("params") && name.trim_end_matches('_') == "params")
            };
            while taken_args(&arg) {
                arg.push('_');
            }
            let mut kinds = Vec::new();
            for (media, content) in &b.content {
                let kind = match content {
                    Content::Json(schema) => BodyKind::Json(self.ty(&format!("{method}Body"), schema)),
                    Content::Form(schema) => {
                        let ty = self.ty(&format!("{method}Form"), schema);
                        if !self.is_object(&ty) {
                            self.errors.push(
                                schema.pointer.as_str(),
                                "unsupported: a form body must be an object (its properties are the fields)",
                            );
                            continue;
                        }
                        BodyKind::Form(ty)
                    }
                    Content::Multipart(schema) => {
                        self.errors.push(
                            schema.pointer.as_str(),
                            "unsupported: `multipart/form-data` bodies are not supported yet",
                        );
                        continue;
                    }
                    Content::Text => BodyKind::Text,
                    Content::Bytes => BodyKind::Bytes,
                };
                kinds.push((media.clone(), kind));
            }
            let mut kinds = kinds.into_iter();
            let (media, kind) = kinds.next()?;
            let alternatives = kinds
                .map(|(media, kind)| {
                    let suffix = match &kind {
                        BodyKind::Json(_) => "json",
                        BodyKind::Form(_) => "form",
                        BodyKind::Text => "text",
                        BodyKind::Bytes => "bytes",
                    };
                    let method_name = unique(format!("{method_name}_{suffix}"), methods);
                    AlternativeBody { method_name, media, kind }
                })
                .collect();
            Some(Body {
                arg,
                required: b.required,
                docs: b.description.as_deref().map(doc_text),
                media,
                kind,
                alternatives,
            })
        });
        if let (Some(p), Some(_)) = (&op.pagination, &body) {
            self.errors.push(p.pointer.as_str(), "unsupported: `x-pagination` on an operation with a request body");
        }
        let pagination = op.pagination.as_ref().and_then(|p| self.pagination(p, &params, response.json()));
        Some(Operation {
            method_name,
            pointer: op.pointer.to_string(),
            summary: op.summary.as_deref().map(doc_text),
            description: op.description.as_deref().map(doc_text),
            http_method: op.method.to_ascii_uppercase(),
            path: op.path.clone(),
            path_params,
            params,
            body,
            response,
            errors,
            pagination,
            deprecated: op.deprecated,
            security,
        })
    }

    /// A named scalar alias as the scalar it names.
    fn unalias(&self, ty: Ty) -> Ty {
        if let Ty::Named(n) = &ty
            && let Some(TypeDef { kind: TypeKind::Alias(inner), .. }) = self.types.get(n)
            && is_scalar(inner)
        {
            return inner.clone();
        }
        ty
    }

    /// Whether a parameter value is a scalar or a string enum.
    fn is_scalar_param(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(n) => self.is_enum(n),
            other => is_scalar(other),
        }
    }

    /// Whether `ty` is an object type (a struct, or a map of values).
    fn is_object(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(n) => matches!(self.types.get(n).map(|t| &t.kind), Some(TypeKind::Struct(_))),
            Ty::Map(_) | Ty::JsonObject => true,
            _ => false,
        }
    }

    /// What a parameter of this location and style may hold: a scalar everywhere; an array of
    /// scalars in the query (not `deepObject`) and in headers; an object in the query, as `form`
    /// (exploded) or `deepObject`. Anything else is refused, naming the combination.
    fn check_param_ty(&self, ty: &Ty, location: Location, style: Style, explode: bool) -> Result<(), String> {
        let scalar = self.is_scalar_param(ty);
        let array = matches!(ty, Ty::Vec(item) if self.is_scalar_param(item));
        let object = self.is_object(ty);
        let ok = match (location, style) {
            (Location::Path, Style::Simple | Style::Label | Style::Matrix) => scalar,
            (Location::Query, Style::Form) => scalar || array || (object && explode),
            (Location::Query, Style::SpaceDelimited | Style::PipeDelimited) => array,
            (Location::Query, Style::DeepObject) => object,
            (Location::Header, Style::Simple) => scalar || array,
            (Location::Cookie, Style::Form) => scalar,
            _ => false,
        };
        if ok {
            return Ok(());
        }
        let shape = if scalar {
            "a scalar"
        } else if array {
            "an array"
        } else if object {
            "an object"
        } else {
            "a nested array or object"
        };
        let location = match location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        };
        let style = match style {
            Style::Form => "form",
            Style::SpaceDelimited => "spaceDelimited",
            Style::PipeDelimited => "pipeDelimited",
            Style::DeepObject => "deepObject",
            Style::Simple => "simple",
            Style::Label => "label",
            Style::Matrix => "matrix",
        };
        Err(format!(
            "unsupported parameter type: {shape} as a {location} parameter of style `{style}`{}; expected a \
             string, number, integer, boolean or string enum (arrays of them in the query or a header, objects \
             in the query as exploded `form` or `deepObject`)",
            if explode { ", exploded" } else { "" }
        ))
    }

    /// The body of one response.
    fn response_body(&mut self, spec: &ResponseSpec, hint: &str) -> ResponseBody {
        match &spec.content {
            None => ResponseBody::Unit,
            Some(Content::Json(schema)) => ResponseBody::Json(self.ty(hint, schema)),
            Some(Content::Text) => ResponseBody::Text,
            Some(Content::Bytes | Content::Form(_) | Content::Multipart(_)) => ResponseBody::Bytes,
        }
    }

    /// What the success responses give: their one body when they agree (an absent `content`
    /// agrees with nothing but another), else an enum by status. Inline schemas are named
    /// `…Response` for a single body, `…Response<Status>` in an enum.
    fn returns(&mut self, success: &[ResponseSpec], method: &str, root_names: &mut Taken) -> Returns {
        let agree = success.windows(2).all(|w| same_content(&w[0], &w[1]));
        if agree {
            return match success.first() {
                Some(first) => Returns::One(self.response_body(first, &format!("{method}Response"))),
                None => Returns::One(ResponseBody::Unit),
            };
        }
        let name = unique(format!("{method}Response"), root_names);
        let variants = self.status_variants(success, &name);
        Returns::ByStatus { name, variants }
    }

    fn status_variants(&mut self, specs: &[ResponseSpec], prefix: &str) -> Vec<StatusVariant> {
        let mut variants: Vec<StatusVariant> = specs
            .iter()
            .map(|spec| {
                let status = status_of(&spec.status);
                let name = status_name(status);
                let body = self.response_body(spec, &format!("{prefix}{name}"));
                StatusVariant { name, status, body }
            })
            .collect();
        variants.sort_by_key(|v| v.status);
        variants
    }

    /// The typed error bodies: the JSON ones only (others stay raw text on the error).
    fn error_bodies(&mut self, errors: &[ResponseSpec], method: &str, root_names: &mut Taken) -> Option<ErrorBodies> {
        let json: Vec<ResponseSpec> =
            errors.iter().filter(|e| matches!(e.content, Some(Content::Json(_)))).cloned().collect();
        let first = json.first()?;
        if json.iter().all(|e| same_content(e, first)) {
            let variants = vec![StatusVariant {
                name: String::new(),
                status: Status::Default,
                body: self.response_body(first, &format!("{method}Error")),
            }];
            return Some(ErrorBodies { name: None, variants });
        }
        let name = unique(format!("{method}Error"), root_names);
        let variants = self.status_variants(&json, &name);
        Some(ErrorBodies { name: Some(name), variants })
    }

    fn is_enum(&self, name: &str) -> bool {
        match self.types.get(name) {
            Some(def) => matches!(def.kind, TypeKind::Enum(_)),
            None => self.enum_components.contains(name),
        }
    }

    fn pagination(
        &mut self,
        spec: &crate::parse::PaginationSpec,
        params: &ParamsStruct,
        response: Option<&Ty>,
    ) -> Option<Pagination> {
        let at = &spec.pointer;
        let page = params.required.iter().chain(&params.optional).find(|p| p.wire_name == spec.page_param);
        let Some(page) = page.filter(|p| matches!(p.ty, Ty::F64 | Ty::I64 | Ty::U64 | Ty::I32 | Ty::U32)) else {
            self.errors.push(
                at.join("page_param").as_str(),
                format!("`{}` is not a numeric query parameter of this operation", spec.page_param),
            );
            return None;
        };
        let fields = match response {
            Some(Ty::Named(name)) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => s.fields.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let items = fields.iter().find(|f| f.wire_name == spec.items && f.presence == Presence::Required);
        let Some((items, Ty::Vec(item_ty))) = items.map(|f| (f, &f.ty)) else {
            self.errors.push(
                at.join("items").as_str(),
                format!("`{}` is not a required array property of the response object", spec.items),
            );
            return None;
        };
        let total = match &spec.total {
            None => None,
            Some(wire) => {
                let field = fields.iter().find(|f| &f.wire_name == wire && f.presence == Presence::Required);
                match field {
                    Some(f) if matches!(f.ty, Ty::F64 | Ty::I64 | Ty::U64 | Ty::I32 | Ty::U32) => {
                        Some(PageTotal { field: f.name.clone(), ty: f.ty.clone() })
                    }
                    _ => {
                        self.errors.push(
                            at.join("total").as_str(),
                            format!("`{wire}` is not a required numeric property of the response object"),
                        );
                        return None;
                    }
                }
            }
        };
        Some(Pagination {
            page_param: page.name.clone(),
            page_ty: page.ty.clone(),
            items_field: items.name.clone(),
            item_ty: (**item_ty).clone(),
            total,
        })
    }

    /// Refuses a type written with more than [`MAX_TYPE_NESTING`] arrays, maps and nullables
    /// inside one another: the Rust parser and printer recurse once per level, and such a type
    /// would exhaust their stack. Naming an inner schema (a component) breaks it up.
    fn check_nesting(&mut self, resources: &[Resource]) {
        let mut too_deep = Vec::new();
        for def in self.types.values() {
            let tys: Vec<&Ty> = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Alias(ty) => vec![ty],
                TypeKind::Enum(_) => Vec::new(),
            };
            if tys.into_iter().any(|ty| nesting(ty) > MAX_TYPE_NESTING) {
                too_deep.push(def.pointer.clone());
            }
        }
        for op in resources.iter().flat_map(|r| &r.operations) {
            if op.response.json().is_some_and(|ty| nesting(ty) > MAX_TYPE_NESTING) {
                too_deep.push(op.pointer.clone());
            }
        }
        for at in too_deep {
            self.errors.push(
                at,
                format!(
                    "a type nests more than {MAX_TYPE_NESTING} arrays, maps or nullables inside one another; \
                     make an inner schema a component to break it up"
                ),
            );
        }
    }

    /// Puts `Box` on every by-value edge that closes a cycle, and refuses the cycles no Rust type
    /// can express: one made only of aliases (Rust cannot expand a recursive alias, even through
    /// `Vec`; a newtype could, but the generator does not emit one), and one that a decoder could
    /// follow forever without reading a byte (untagged unions, aliases and nullables held by
    /// value: `A = oneOf[A, string]` would overflow the stack on `"x"`).
    fn box_recursion(&mut self) {
        let edges = |by_value_only: bool| -> BTreeMap<String, BTreeSet<String>> {
            self.types
                .iter()
                .map(|(name, def)| {
                    let mut out = BTreeSet::new();
                    let mut add = |ty: &Ty| if by_value_only { by_value(ty, &mut out) } else { mentions(ty, &mut out) };
                    match &def.kind {
                        TypeKind::Struct(s) => s.fields.iter().for_each(|f| add(&f.ty)),
                        TypeKind::Union(u) => u.variants.iter().for_each(|v| add(&v.ty)),
                        TypeKind::Alias(ty) => add(ty),
                        TypeKind::Enum(_) => {}
                    }
                    (name.clone(), out)
                })
                .collect()
        };
        let graph = edges(true);
        let anywhere = edges(false);
        let aliases: BTreeSet<String> =
            self.types.iter().filter(|(_, d)| matches!(d.kind, TypeKind::Alias(_))).map(|(n, _)| n.clone()).collect();
        let transparent: BTreeSet<String> = self
            .types
            .iter()
            .filter(|(_, d)| match &d.kind {
                TypeKind::Alias(_) => true,
                TypeKind::Union(u) => u.tag.is_none(),
                TypeKind::Struct(_) | TypeKind::Enum(_) => false,
            })
            .map(|(n, _)| n.clone())
            .collect();
        // Strongly connected components, computed once: a type is on a cycle of a subgraph when its
        // component there has another member or a self-edge, and an edge closes a cycle when both
        // ends share a component. (A reachability search per type and per field was quadratic.)
        let alias_cycles = on_cycles(&anywhere, Some(&aliases));
        let transparent_cycles = on_cycles(&graph, Some(&transparent));
        let component = strongly_connected(&graph, None);
        for (name, def) in &self.types {
            let message = if alias_cycles.contains(name) {
                format!(
                    "`{name}` is defined in terms of itself through aliases only (arrays, maps and nullables \
                     included): Rust cannot name such a type, and this generator does not emit a newtype for \
                     it; put the recursion inside an object's property"
                )
            } else if transparent_cycles.contains(name) {
                format!(
                    "`{name}` leads back to itself through `oneOf` variants, aliases or nullables only: a \
                     decoder would try it forever without reading any input; put an object or an array in \
                     the cycle"
                )
            } else {
                continue;
            };
            self.errors.push(def.pointer.clone(), message);
        }
        for (name, def) in &mut self.types {
            let here = component.get(name);
            let closes = |target: &str| here.is_some() && component.get(target) == here;
            match &mut def.kind {
                TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_edges(&mut f.ty, &closes)),
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| box_edges(&mut v.ty, &closes)),
                TypeKind::Alias(_) | TypeKind::Enum(_) => {}
            }
        }
    }
}

/// The inside of a nullable object, enum or union: a component such a schema defines is named
/// for the inside, and references to it are nullable.
fn nullable_structured(schema: &Schema) -> Option<&Schema> {
    match &schema.kind {
        Kind::Nullable(inner)
            if matches!(inner.kind, Kind::Object { .. } | Kind::Enum(_) | Kind::Const(_) | Kind::OneOf { .. }) =>
        {
            Some(inner)
        }
        _ => None,
    }
}

/// Whether two responses have the same body: both none, both text, both bytes, or JSON of the
/// same kind (a `$ref` to the same component, the same scalar; inline objects never agree, since
/// each is named after its own place).
fn same_content(a: &ResponseSpec, b: &ResponseSpec) -> bool {
    match (&a.content, &b.content) {
        (Some(Content::Json(a)), Some(Content::Json(b))) => {
            a.kind == b.kind && a.bounds == b.bounds && !matches!(a.kind, Kind::Object { .. } | Kind::OneOf { .. })
        }
        (Some(Content::Json(_)), _) | (_, Some(Content::Json(_))) => false,
        (a, b) => a == b,
    }
}

/// A response key as a [`Status`]; the parser only lets `NNN`, `NXX` and `default` through.
fn status_of(key: &str) -> Status {
    match key.parse::<u16>() {
        Ok(code) => Status::Code(code),
        Err(_) if key == "default" => Status::Default,
        Err(_) => Status::Range(key[..1].parse().unwrap_or(0)),
    }
}

/// A status variant's name: the reason phrase of common statuses, else the number.
fn status_name(status: Status) -> String {
    let name = match status {
        Status::Code(200) => "Ok",
        Status::Code(201) => "Created",
        Status::Code(202) => "Accepted",
        Status::Code(203) => "NonAuthoritative",
        Status::Code(204) => "NoContent",
        Status::Code(206) => "PartialContent",
        Status::Code(400) => "BadRequest",
        Status::Code(401) => "Unauthorized",
        Status::Code(403) => "Forbidden",
        Status::Code(404) => "NotFound",
        Status::Code(409) => "Conflict",
        Status::Code(422) => "UnprocessableEntity",
        Status::Code(429) => "TooManyRequests",
        Status::Code(500) => "InternalServerError",
        Status::Code(code) => return format!("Status{code}"),
        Status::Range(digit) => return format!("Status{digit}xx"),
        Status::Default => "Default",
    };
    name.to_owned()
}

fn is_scalar(ty: &Ty) -> bool {
    matches!(ty, Ty::String | Ty::Bool | Ty::F64 | Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::I32 | Ty::U32)
}

/// An operation's group (resource) and method, as wire text to be turned into names.
fn group_and_method(op: &OperationSpec) -> (String, String) {
    let from_id = op.operation_id.as_deref().map(|id| match id.rsplit_once('.') {
        Some((prefix, method)) => (Some(prefix), method),
        None => (None, id),
    });
    let first_segment = || op.path.split('/').find(|s| !s.is_empty() && !s.contains('{')).unwrap_or("root").to_owned();
    let group = op
        .tag
        .clone()
        .or_else(|| from_id.and_then(|(prefix, _)| prefix).map(str::to_owned))
        .unwrap_or_else(first_segment);
    let method = match from_id {
        Some((_, method)) => method.to_owned(),
        None => {
            let mut words = vec![op.method.clone()];
            for segment in op.path.split('/').filter(|s| !s.is_empty()) {
                match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => words.push(format!("by {name}")),
                    None => words.push(segment.to_owned()),
                }
            }
            words.join(" ")
        }
    };
    (group, method)
}

/// The security schemes operations use, named `AUTH_<NAME>`, and the map from wire name to Rust
/// name.
fn auth_schemes(spec: &Spec) -> (Vec<AuthScheme>, BTreeMap<String, String>) {
    let used: BTreeSet<&String> = spec.operations.iter().flat_map(|op| op.security.iter().flatten()).collect();
    let mut taken = Taken::default();
    let mut schemes = Vec::new();
    let mut names = BTreeMap::new();
    for (wire, scheme) in &spec.schemes {
        if !used.contains(wire) {
            continue;
        }
        let name = unique(format!("AUTH_{}", snake(wire).trim_end_matches('_').to_ascii_uppercase()), &mut taken);
        let kind = match scheme {
            SchemeSpec::Bearer => AuthKind::Bearer,
            SchemeSpec::Basic => AuthKind::Basic,
            SchemeSpec::ApiKey { location: KeyLocation::Header, name } => AuthKind::Header(name.clone()),
            SchemeSpec::ApiKey { location: KeyLocation::Query, name } => AuthKind::Query(name.clone()),
            SchemeSpec::ApiKey { location: KeyLocation::Cookie, name } => AuthKind::Cookie(name.clone()),
        };
        names.insert(wire.clone(), name.clone());
        schemes.push(AuthScheme { name, wire_name: wire.clone(), kind });
    }
    schemes.sort_by(|a, b| a.name.cmp(&b.name));
    (schemes, names)
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

fn enum_of(values: &[String]) -> Enum {
    let mut taken = Taken::with(&["Other"]);
    let variants =
        values.iter().map(|wire| EnumVariant { name: unique(pascal(wire), &mut taken), wire: wire.clone() }).collect();
    Enum { variants, other: "Other".to_owned() }
}

fn path_placeholders(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

fn as_f64(n: &Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

/// The integer type for the `format` and the bounds, and the lower bound it leaves unchecked:
/// 32 bits for `int32`/`uint32` (and their 8- and 16-bit forms), unsigned when the lower bound
/// is at least 0 (or the format says so), else the narrowest 64-bit type for the bounds.
fn integer(bounds: &Bounds) -> (Ty, Option<Bound>) {
    let low = lower_bound(bounds);
    let effective =
        low.as_ref().map(|b| if b.exclusive { as_f64(&b.value).floor() + 1.0 } else { as_f64(&b.value).ceil() });
    let unsigned = |ty: Ty| (ty, low.clone().filter(|_| effective.is_some_and(|l| l > 0.0)));
    match bounds.format.as_deref() {
        Some("int32" | "int16" | "int8") if effective.is_some_and(|l| l >= 0.0) => return unsigned(Ty::U32),
        Some("int32" | "int16" | "int8") => return (Ty::I32, low),
        Some("uint32" | "uint16" | "uint8") => return unsigned(Ty::U32),
        Some("uint64" | "uint") if effective.is_none_or(|l| l < 1.0) => return unsigned(Ty::U64),
        _ => {}
    }
    match effective {
        Some(l) if l >= 1.0 => (Ty::NonZeroU64, low.filter(|_| l > 1.0)),
        Some(l) if l >= 0.0 => (Ty::U64, low.filter(|_| l > 0.0)),
        _ => (Ty::I64, low),
    }
}

fn lower_bound(bounds: &Bounds) -> Option<Bound> {
    match (&bounds.minimum, &bounds.exclusive_minimum) {
        (Some(m), Some(e)) if as_f64(e) >= as_f64(m) => Some(Bound { value: e.clone(), exclusive: true }),
        (Some(m), _) => Some(Bound { value: m.clone(), exclusive: false }),
        (None, Some(e)) => Some(Bound { value: e.clone(), exclusive: true }),
        (None, None) => None,
    }
}

fn upper_bound(bounds: &Bounds) -> Option<Bound> {
    match (&bounds.maximum, &bounds.exclusive_maximum) {
        (Some(m), Some(e)) if as_f64(e) <= as_f64(m) => Some(Bound { value: e.clone(), exclusive: true }),
        (Some(m), _) => Some(Bound { value: m.clone(), exclusive: false }),
        (None, Some(e)) => Some(Bound { value: e.clone(), exclusive: true }),
        (None, None) => None,
    }
}

/// How deeply a type may nest `Vec`, `BTreeMap`, `Option` and `Box`; see `check_nesting`.
const MAX_TYPE_NESTING: usize = 32;

fn nesting(ty: &Ty) -> usize {
    match ty {
        Ty::Option(inner) | Ty::Vec(inner) | Ty::Map(inner) | Ty::Box(inner) => 1 + nesting(inner),
        _ => 0,
    }
}

/// Named types held by value (not behind a `Vec` or map) in `ty`.
fn by_value(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(name) => {
            out.insert(name.clone());
        }
        Ty::Option(inner) => by_value(inner, out),
        _ => {}
    }
}

/// Every named type `ty` refers to, by value or not.
fn mentions(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(name) => {
            out.insert(name.clone());
        }
        Ty::Option(inner) | Ty::Vec(inner) | Ty::Map(inner) | Ty::Box(inner) => mentions(inner, out),
        Ty::String
        | Ty::Bool
        | Ty::F64
        | Ty::I64
        | Ty::U64
        | Ty::NonZeroU64
        | Ty::I32
        | Ty::U32
        | Ty::Any
        | Ty::JsonObject => {}
    }
}

/// The strongly connected component of every node of `graph` restricted to the nodes in `only`
/// (all when `None`), as a component number. Tarjan's algorithm, iterative so that a cycle of any
/// length cannot exhaust the stack; linear in nodes and edges.
fn strongly_connected(
    graph: &BTreeMap<String, BTreeSet<String>>,
    only: Option<&BTreeSet<String>>,
) -> BTreeMap<String, usize> {
    let inside = |node: &str| graph.contains_key(node) && only.is_none_or(|set| set.contains(node));
    let mut index: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // node → (index, lowlink)
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut component: BTreeMap<String, usize> = BTreeMap::new();
    let mut next_index = 0;
    for root in graph.keys().filter(|n| inside(n)) {
        if index.contains_key(root.as_str()) {
            continue;
        }
        // Each frame: the node and an iterator over its successors.
        let mut frames: Vec<(&str, std::collections::btree_set::Iter<'_, String>)> = Vec::new();
        index.insert(root, (next_index, next_index));
        next_index += 1;
        stack.push(root);
        on_stack.insert(root);
        frames.push((root, graph[root].iter()));
        while let Some((node, successors)) = frames.last_mut() {
            let node = *node;
            if let Some(next) = successors.find(|n| inside(n)) {
                let next = next.as_str();
                match index.get(next) {
                    None => {
                        index.insert(next, (next_index, next_index));
                        next_index += 1;
                        stack.push(next);
                        on_stack.insert(next);
                        frames.push((next, graph[next].iter()));
                    }
                    Some(&(next_idx, _)) if on_stack.contains(next) => {
                        let entry = index.get_mut(node).map(|e| &mut e.1);
                        if let Some(low) = entry {
                            *low = (*low).min(next_idx);
                        }
                    }
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            let (node_idx, node_low) = index[node];
            if let Some((parent, _)) = frames.last() {
                let parent = *parent;
                if let Some(entry) = index.get_mut(parent) {
                    entry.1 = entry.1.min(node_low);
                }
            }
            if node_idx == node_low {
                let id = component.len();
                while let Some(member) = stack.pop() {
                    on_stack.remove(member);
                    component.insert(member.to_owned(), id);
                    if member == node {
                        break;
                    }
                }
            }
        }
    }
    component
}

/// The nodes of `graph` (restricted to `only`) that lie on a cycle of that subgraph: in a
/// strongly connected component of two or more, or with an edge to themselves.
fn on_cycles(graph: &BTreeMap<String, BTreeSet<String>>, only: Option<&BTreeSet<String>>) -> BTreeSet<String> {
    let component = strongly_connected(graph, only);
    let mut size: BTreeMap<usize, usize> = BTreeMap::new();
    for id in component.values() {
        *size.entry(*id).or_default() += 1;
    }
    component
        .iter()
        .filter(|(node, id)| size[*id] > 1 || graph.get(*node).is_some_and(|out| out.contains(*node)))
        .map(|(node, _)| node.clone())
        .collect()
}

fn box_edges(ty: &mut Ty, closes: &dyn Fn(&str) -> bool) {
    match ty {
        Ty::Named(name) if closes(name) => *ty = Ty::Box(Box::new(ty.clone())),
        Ty::Option(inner) => box_edges(inner, closes),
        _ => {}
    }
}

#[cfg(test)]
mod graph_tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::{on_cycles, strongly_connected};

    fn graph(edges: &[(&str, &str)], nodes: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
        let mut graph: BTreeMap<String, BTreeSet<String>> =
            nodes.iter().map(|n| ((*n).to_owned(), BTreeSet::new())).collect();
        for (from, to) in edges {
            graph.entry((*from).to_owned()).or_default().insert((*to).to_owned());
        }
        graph
    }

    #[test]
    fn components_and_cycles() {
        let g = graph(&[("a", "b"), ("b", "a"), ("b", "c"), ("d", "d")], &["a", "b", "c", "d", "e"]);
        let c = strongly_connected(&g, None);
        assert_eq!(c["a"], c["b"]);
        assert_ne!(c["a"], c["c"]);
        assert_eq!(on_cycles(&g, None), ["a", "b", "d"].iter().map(|s| (*s).to_owned()).collect());
        let only: BTreeSet<String> = ["a", "c", "d"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(on_cycles(&g, Some(&only)), ["d"].iter().map(|s| (*s).to_owned()).collect(), "b is outside");
    }

    /// A cycle through 100,000 types: one pass, no recursion (the stack stays flat).
    #[test]
    fn a_long_cycle_is_linear_and_iterative() {
        let n = 100_000;
        let names: Vec<String> = (0..n).map(|i| format!("T{i}")).collect();
        let g: BTreeMap<String, BTreeSet<String>> =
            (0..n).map(|i| (names[i].clone(), [names[(i + 1) % n].clone()].into_iter().collect())).collect();
        assert_eq!(on_cycles(&g, None).len(), n);
    }
}
