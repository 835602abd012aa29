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
    Api, Bound, Constraints, Enum, EnumVariant, Field, Operation, Pagination, Param, ParamsStruct, Presence, Resource,
    Struct, StructTag, Ty, TypeDef, TypeKind, Union, UnionVariant,
};
use crate::names::{pascal, snake, unique};
use crate::parse::{Bounds, Document, Kind, OperationSpec, ParamLocation, Schema};

/// Methods of the runtime `Client` that a resource accessor must not shadow.
const CLIENT_METHODS: &[&str] =
    &["builder", "clone", "fmt", "from_env", "max_retries", "new", "timeout", "with_max_retries", "with_timeout"];

/// Lowers a parsed document, collecting every problem.
pub(crate) fn lower(doc: &Document) -> Result<Api, Errors> {
    let spec = &doc.spec;
    let mut cx = Lowerer {
        errors: Collector::default(),
        schemas: &spec.schemas,
        names: BTreeMap::new(),
        types: BTreeMap::new(),
        tag_variants: BTreeMap::new(),
        direct_refs: BTreeMap::new(),
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
        let tag = cx.tag_variants.get(name).map(|(_, tag)| tag.clone());
        cx.define(&pascal(name), schema, tag.as_deref(), Some(name));
    }
    let resources = cx.resources(spec.operations.as_slice(), &spec.tags);
    for (component, uses) in &cx.direct_refs {
        if let Some((union, tag)) = cx.tag_variants.get(component) {
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
    let types = std::mem::take(&mut cx.types).into_values().collect();
    let api = Api {
        title: spec.title.clone(),
        version: spec.version.clone(),
        base_url: spec.base_url.clone(),
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
    /// Component name → (the union's pointer, the discriminator property it carries).
    tag_variants: BTreeMap<String, (Pointer, String)>,
    /// Component name → places that reference it other than as a tagged-union variant.
    direct_refs: BTreeMap<String, Vec<Pointer>>,
}

/// What a schema node means for a property: its type, nullability and remaining bounds.
struct Shape {
    ty: Ty,
    nullable: bool,
    constraints: Constraints,
    written: Constraints,
}

impl Lowerer<'_> {
    /// Finds the components used as tagged-union variants, so their tag property is left to the union.
    fn collect_tag_variants(&mut self) {
        fn walk(schema: &Schema, out: &mut Vec<(String, Pointer, String)>) {
            match &schema.kind {
                Kind::OneOf { variants, discriminator } => {
                    if let Some(tag) = discriminator {
                        for v in variants {
                            if let Kind::Ref(name) = &v.kind {
                                out.push((name.clone(), schema.pointer.clone(), tag.clone()));
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
        for (component, union, tag) in found {
            match self.tag_variants.get(&component) {
                Some((_, other)) if *other != tag => self.errors.push(
                    union.as_str(),
                    format!("`{component}` is a variant of unions tagged by `{other}` and by `{tag}`"),
                ),
                _ => {
                    self.tag_variants.insert(component, (union, tag));
                }
            }
        }
    }

    fn declare(&mut self, name: &str, at: &Pointer) -> bool {
        match self.names.get(name) {
            Some(previous) if previous != at => {
                self.errors.push(
                    at.as_str(),
                    format!("the Rust name `{name}` derived for this schema is already taken by {previous}"),
                );
                false
            }
            _ => {
                self.names.insert(name.to_owned(), at.clone());
                true
            }
        }
    }

    /// Defines the named type `name` for `schema`.
    /// `tag` is the discriminator property when the schema is a tagged-union variant.
    fn define(&mut self, name: &str, schema: &Schema, tag: Option<&str>, component: Option<&str>) {
        let kind = match &schema.kind {
            Kind::Object { properties, required } => TypeKind::Struct(self.object(name, properties, required, tag)),
            Kind::Enum(values) => TypeKind::Enum(enum_of(values)),
            Kind::Const(value) => TypeKind::Enum(enum_of(std::slice::from_ref(value))),
            Kind::OneOf { variants, discriminator } => {
                TypeKind::Union(self.union(name, variants, discriminator.as_deref()))
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
    fn define_inline(&mut self, name: String, schema: &Schema) -> Ty {
        if self.declare(&name, &schema.pointer) {
            self.define(&name, schema, None, None);
        }
        Ty::Named(name)
    }

    fn no_constraints(&mut self, shape: &Shape, at: &Pointer) {
        if !shape.constraints.is_empty() {
            self.errors.push(
                at.as_str(),
                "unsupported: bounds that the Rust type cannot express are only checked on object \
                 properties; move them to the property",
            );
        }
    }

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
                if self.schemas.contains_key(target) {
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
                Ty::String
            }
            Kind::Integer => {
                let (ty, minimum) = integer(bounds);
                constraints.minimum = minimum;
                constraints.maximum = upper_bound(bounds);
                ty
            }
            Kind::Number => {
                constraints.minimum = lower_bound(bounds);
                constraints.maximum = upper_bound(bounds);
                Ty::F64
            }
            Kind::Boolean => Ty::Bool,
            Kind::Array(items) => Ty::Vec(Box::new(self.ty(&format!("{hint}Item"), items))),
            Kind::Map(values) if values.kind == Kind::Any => Ty::JsonObject,
            Kind::Map(values) => Ty::Map(Box::new(self.ty(&format!("{hint}Value"), values))),
            Kind::Nullable(inner) => {
                self.errors.push(inner.pointer.as_str(), "unsupported: a nullable inside a nullable");
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
        };
        Shape { ty, nullable, constraints, written }
    }

    fn object(
        &mut self,
        name: &str,
        properties: &BTreeMap<String, Schema>,
        required: &BTreeSet<String>,
        tag: Option<&str>,
    ) -> Struct {
        let mut taken = BTreeSet::new();
        let mut fields = Vec::new();
        let mut struct_tag = None;
        // Required properties first, then optional ones, each sorted by wire name.
        let ordered = properties
            .iter()
            .filter(|(wire, _)| required.contains(*wire))
            .chain(properties.iter().filter(|(wire, _)| !required.contains(*wire)));
        for (wire, prop) in ordered {
            if tag == Some(wire.as_str()) {
                match &prop.kind {
                    Kind::Const(value) if required.contains(wire) => {
                        struct_tag = Some(StructTag {
                            property: wire.clone(),
                            value: value.clone(),
                            docs: prop.description.clone(),
                        });
                    }
                    _ => self.errors.push(
                        prop.pointer.as_str(),
                        "a tagged union's variant must declare its tag as a required string `const`",
                    ),
                }
                continue;
            }
            let field_name = snake(wire);
            if !taken.insert(field_name.clone()) {
                self.errors.push(
                    prop.pointer.as_str(),
                    format!(
                        "property `{wire}` maps to the Rust field `{field_name}`, already used by another property"
                    ),
                );
                continue;
            }
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
            });
        }
        let has_default = fields.iter().all(|f| {
            matches!(f.presence, Presence::Optional | Presence::OptionalNullable)
                || f.default.as_ref().is_some_and(|d| self.default_is_usable(d, &f.ty))
        });
        let extra = unique("additional_properties".to_owned(), &mut taken);
        Struct { fields, has_default, extra, tag: struct_tag }
    }

    /// Checks that a documented default fits the type; reports and drops it when it does not.
    fn check_default(&mut self, default: &Value, ty: &Ty, nullable: bool, at: &Pointer) -> bool {
        let fits = match (ty, default) {
            (_, Value::Null) => nullable || *ty == Ty::Any,
            (Ty::String, Value::String(_)) | (Ty::Bool, Value::Bool(_)) | (Ty::F64, Value::Number(_)) => true,
            (Ty::I64, Value::Number(n)) => n.as_i64().is_some(),
            (Ty::U64, Value::Number(n)) => n.as_u64().is_some(),
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
            Ty::String | Ty::Bool | Ty::F64 | Ty::I64 | Ty::U64 | Ty::NonZeroU64 => !default.is_null(),
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
                let value = match &target.kind {
                    Kind::Object { properties, .. } => match properties.get(tag).map(|p| &p.kind) {
                        Some(Kind::Const(value)) => Some(value.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(value) = value else {
                    self.errors.push(
                        target.pointer.as_str(),
                        format!("a variant of a union tagged by `{tag}` must be an object with a required string `const` property `{tag}`"),
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
                    Kind::Nullable(_) | Kind::OneOf { .. } => format!("Variant{i}"),
                };
                let variant_name = unique(label, &mut taken);
                let ty = self.ty(&format!("{name}{variant_name}"), variant);
                out.push(UnionVariant { name: variant_name, ty, tag_value: None });
            }
        }
        Union { tag: tag.map(str::to_owned), variants: out }
    }

    fn resources(&mut self, operations: &[OperationSpec], tags: &BTreeMap<String, Option<String>>) -> Vec<Resource> {
        let mut resources: BTreeMap<String, Resource> = BTreeMap::new();
        let mut params_names = BTreeSet::new();
        for op in operations {
            let (prefix, method) = match op.operation_id.rsplit_once('.') {
                Some((prefix, method)) => (Some(prefix), method),
                None => (None, op.operation_id.as_str()),
            };
            let Some(group) = op.tag.as_deref().or(prefix) else {
                self.errors.push(
                    op.pointer.as_str(),
                    "expected a tag or an `operationId` of the form `resource.method`: it names the accessor",
                );
                continue;
            };
            let accessor = snake(group);
            if CLIENT_METHODS.contains(&accessor.as_str()) {
                self.errors.push(
                    op.pointer.as_str(),
                    format!("the resource name `{accessor}` would shadow a `Client` method"),
                );
                continue;
            }
            let Some(operation) = self.operation(op, method, &mut params_names) else { continue };
            let resource = resources.entry(accessor.clone()).or_insert_with(|| Resource {
                name: pascal(group),
                accessor,
                docs: tags.get(group).cloned().flatten().as_deref().map(doc_text),
                operations: Vec::new(),
            });
            if resource.operations.iter().any(|o| o.method_name == operation.method_name) {
                self.errors.push(
                    op.pointer.as_str(),
                    format!("a second operation named `{}` on `{}`", operation.method_name, resource.accessor),
                );
                continue;
            }
            resource.operations.push(operation);
        }
        let mut resources: Vec<Resource> = resources.into_values().collect();
        for resource in &mut resources {
            resource.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
            // Reports a resource type name that collides with a schema's.
            self.declare(&resource.name, &Pointer::root().join("tags").join(&resource.accessor));
        }
        resources
    }

    fn operation(
        &mut self,
        op: &OperationSpec,
        method: &str,
        params_names: &mut BTreeSet<String>,
    ) -> Option<Operation> {
        let method_name = snake(method);
        let params_name = format!("{}Params", pascal(method));
        if !params_names.insert(params_name.clone()) || !self.declare(&params_name, &op.pointer) {
            self.errors.push(
                op.pointer.join("operationId").as_str(),
                format!("the params type `{params_name}` is already taken; give the operation a distinct name"),
            );
            return None;
        }
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
            let ty = self.ty(&format!("{}{}", pascal(method), pascal(&param.name)), &param.schema);
            let scalar = match &ty {
                Ty::String | Ty::Bool | Ty::F64 | Ty::I64 | Ty::U64 | Ty::NonZeroU64 => true,
                Ty::Named(n) => self.is_enum(n),
                _ => false,
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
        let response = op.response.as_ref().map(|schema| self.ty(&format!("{}Response", pascal(method)), schema));
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
        })
    }

    fn is_enum(&self, name: &str) -> bool {
        if let Some(def) = self.types.get(name) {
            return matches!(def.kind, TypeKind::Enum(_));
        }
        self.schemas.iter().any(|(n, s)| pascal(n) == name && matches!(s.kind, Kind::Enum(_) | Kind::Const(_)))
    }

    fn pagination(
        &mut self,
        spec: &crate::parse::PaginationSpec,
        params: &ParamsStruct,
        response: Option<&Ty>,
    ) -> Option<Pagination> {
        let at = &spec.pointer;
        let page = params.required.iter().chain(&params.optional).find(|p| p.wire_name == spec.page_param);
        let Some(page) = page.filter(|p| matches!(p.ty, Ty::F64 | Ty::I64 | Ty::U64)) else {
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
                    Some(f) if matches!(f.ty, Ty::F64 | Ty::I64 | Ty::U64) => Some(f.clone()),
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

/// The narrowest 64-bit integer type for the bounds, and the lower bound it leaves unchecked.
fn integer(bounds: &Bounds) -> (Ty, Option<Bound>) {
    let low = lower_bound(bounds);
    let effective =
        low.as_ref().map(|b| if b.exclusive { as_f64(&b.value).floor() + 1.0 } else { as_f64(&b.value).ceil() });
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
        Ty::String | Ty::Bool | Ty::F64 | Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::Any | Ty::JsonObject => {}
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
