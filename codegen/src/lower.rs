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
    Api, AuthKind, AuthScheme, Bound, Constraints, Enum, EnumVariant, Field, Operation, Pagination, Param,
    ParamsStruct, Presence, Resource, Struct, StructTag, Ty, TypeDef, TypeKind, Union, UnionVariant,
};
use crate::names::{pascal, snake, unique};
use crate::parse::{Bounds, Document, KeyLocation, Kind, OperationSpec, ParamLocation, Schema, SchemeSpec, Spec};

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
        let mut taken = BTreeSet::new();
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
        let mut taken = BTreeSet::from(["Other".to_owned()]);
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
        let mut accessors = BTreeSet::new();
        let mut root_names: BTreeSet<String> = CRATE_ROOT_NAMES.iter().map(|n| (*n).to_owned()).collect();
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
        let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
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
            let Some(operation) = self.operation(op, &method_name, &resource_name, security, &mut root_names) else {
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
        root_names: &mut BTreeSet<String>,
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
        let mut taken = BTreeSet::new();
        for param in &op.params {
            let name = snake(&param.name);
            if !taken.insert(name.clone()) {
                self.errors
                    .push(param.pointer.as_str(), format!("parameter `{}` maps to `{name}`, already used", param.name));
                continue;
            }
            let mut ty = self.ty(&format!("{method}{}", pascal(&param.name)), &param.schema);
            // A `$ref` to a named scalar (`AlertNumber = integer`) is sent as that scalar.
            if let Ty::Named(n) = &ty
                && let Some(TypeDef { kind: TypeKind::Alias(inner), .. }) = self.types.get(n)
                && is_scalar(inner)
            {
                ty = inner.clone();
            }
            let scalar = match &ty {
                Ty::Named(n) => self.is_enum(n),
                other => is_scalar(other),
            };
            if !scalar {
                self.errors.push(
                    param.pointer.join("schema").as_str(),
                    "unsupported parameter type: expected a string, number, integer, boolean or string enum",
                );
                continue;
            }
            let lowered =
                Param { name, wire_name: param.name.clone(), docs: param.description.as_deref().map(doc_text), ty };
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
                ParamLocation::Query if param.required => required.push(lowered),
                ParamLocation::Query => optional.push(lowered),
            }
        }
        for placeholder in &template {
            if !path_params.iter().any(|p| p.wire_name == *placeholder) {
                self.errors.push(op.pointer.as_str(), format!("`{{{placeholder}}}` in the path has no path parameter"));
            }
        }
        path_params.sort_by_key(|p| template.iter().position(|t| *t == p.wire_name));
        let response = op.response.as_ref().map(|schema| self.ty(&format!("{method}Response"), schema));
        let params = ParamsStruct { name: params_name, required, optional };
        let pagination = op.pagination.as_ref().and_then(|p| self.pagination(p, &params, response.as_ref()));
        Some(Operation {
            method_name,
            pointer: op.pointer.to_string(),
            summary: op.summary.as_deref().map(doc_text),
            description: op.description.as_deref().map(doc_text),
            http_method: op.method.to_ascii_uppercase(),
            path: op.path.clone(),
            path_params,
            params,
            response,
            pagination,
            deprecated: op.deprecated,
            security,
        })
    }

    fn is_enum(&self, name: &str) -> bool {
        if let Some(def) = self.types.get(name) {
            return matches!(def.kind, TypeKind::Enum(_));
        }
        self.schemas.iter().any(|(n, s)| {
            pascal(n) == name && matches!(nullable_structured(s).unwrap_or(s).kind, Kind::Enum(_) | Kind::Const(_))
        })
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
                    Some(f) if matches!(f.ty, Ty::F64 | Ty::I64 | Ty::U64 | Ty::I32 | Ty::U32) => Some(f.clone()),
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
            total_field: total.as_ref().map(|f| f.name.clone()),
            total_ty: total.map(|f| f.ty),
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
            if op.response.as_ref().is_some_and(|ty| nesting(ty) > MAX_TYPE_NESTING) {
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
        for (name, def) in &self.types {
            let message = if aliases.contains(name) && reaches(&anywhere, name, name, Some(&aliases)) {
                format!(
                    "`{name}` is defined in terms of itself through aliases only (arrays, maps and nullables \
                     included): Rust cannot name such a type, and this generator does not emit a newtype for \
                     it; put the recursion inside an object's property"
                )
            } else if transparent.contains(name) && reaches(&graph, name, name, Some(&transparent)) {
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
            let closes = |target: &str| reaches(&graph, target, name, None);
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
    let mut taken = BTreeSet::new();
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
    let mut taken = BTreeSet::from(["Other".to_owned()]);
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

fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str, only: Option<&BTreeSet<String>>) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if !seen.insert(node.clone()) {
            continue;
        }
        for next in graph.get(&node).into_iter().flatten() {
            if next == to {
                return true;
            }
            if only.is_none_or(|set| set.contains(next)) {
                stack.push(next.clone());
            }
        }
    }
    false
}

fn box_edges(ty: &mut Ty, closes: &dyn Fn(&str) -> bool) {
    match ty {
        Ty::Named(name) if closes(name) => *ty = Ty::Box(Box::new(ty.clone())),
        Ty::Option(inner) => box_edges(inner, closes),
        _ => {}
    }
}
