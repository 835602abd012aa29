//! The last step of parsing: every `allOf` becomes the one schema it means, so that no later
//! stage knows the keyword.
//!
//! Members are resolved (a `$ref`'d component is merged first, a nested `allOf` inside out) and:
//! - members that say nothing about the shape (`{}`, annotations, a bare `type: object`) drop out;
//! - one remaining member is the schema itself (`allOf: [{$ref: X}]` beside a `description` is a
//!   reference to `X`, not a copy);
//! - objects merge into one object: the union of their properties and of their `required` lists
//!   (with the `required` written beside the list). A property declared by two members must be
//!   declared alike, or one must refine the other (`{}` by anything, a string by a string enum or
//!   `const`, a value by its nullable form, which is kept: decoding accepts the larger set);
//!   anything else is refused with both pointers;
//! - any other mix (an object with a string, two different strings…) is refused.

use std::collections::{BTreeMap, BTreeSet};

use super::{ANY_FALLBACK, Bounds, Kind, OperationSpec, Schema, Spec};
use crate::error::{Collector, Pointer};

/// Replaces every `Kind::AllOf` of the document (components, parameters, request bodies,
/// responses).
pub(crate) fn merge_all_of(spec: &mut Spec, errors: &mut Collector) {
    let raw = std::mem::take(&mut spec.schemas);
    let mut merger = Merger { raw: &raw, done: BTreeMap::new(), active: BTreeSet::new(), errors };
    for name in raw.keys() {
        merger.component(name);
    }
    for schema in spec.operations.iter_mut().flat_map(OperationSpec::schemas_mut) {
        merger.normalize(schema);
    }
    spec.schemas = merger.done;
}

/// How many components may be merged through one another (`A = allOf[B, …]`, `B = allOf[C, …]`…).
const MAX_CHAIN: usize = 64;

struct Merger<'a> {
    raw: &'a BTreeMap<String, Schema>,
    /// Components already merged.
    done: BTreeMap<String, Schema>,
    /// Components being merged: meeting one again is an `allOf` cycle.
    active: BTreeSet<String>,
    errors: &'a mut Collector,
}

/// What a member of an `allOf` contributes.
enum Part {
    /// Nothing about the shape.
    Nothing,
    /// Nothing about the shape but `nullable: true` (3.0 documents write `allOf: [{$ref: X},
    /// {nullable: true}]` for a nullable `X`): the merged schema is nullable.
    Null,
    /// Properties, required names and the schema of undeclared properties' values.
    Object(BTreeMap<String, Schema>, BTreeSet<String>, Option<Box<Schema>>),
    /// Any other shape, `$ref`s followed: where it is written is its pointer.
    Other(Box<Schema>),
}

impl Merger<'_> {
    /// The merged component `name`; `None` when there is none or it is being merged (a cycle).
    fn component(&mut self, name: &str) -> Option<Schema> {
        if let Some(done) = self.done.get(name) {
            return Some(done.clone());
        }
        let raw = self.raw.get(name)?;
        if self.active.len() >= MAX_CHAIN {
            // Each link recurses: a longer chain of components merged through one another could
            // exhaust the stack.
            self.errors.push(
                raw.pointer.as_str(),
                format!("`allOf` merges more than {MAX_CHAIN} components through one another; shorten the chain"),
            );
            return None;
        }
        if !self.active.insert(name.to_owned()) {
            return None;
        }
        let mut schema = raw.clone();
        self.normalize_top(&mut schema, true);
        self.active.remove(name);
        self.done.insert(name.to_owned(), schema.clone());
        Some(schema)
    }

    fn normalize(&mut self, schema: &mut Schema) {
        self.normalize_top(schema, false);
    }

    /// `component`: `schema` is a component (or the inside of a nullable one), whose `allOf` of one
    /// object is a struct of its own (a subtype: it may be a tagged union's variant), where
    /// elsewhere it is a reference to that object.
    fn normalize_top(&mut self, schema: &mut Schema, component: bool) {
        match &mut schema.kind {
            Kind::Nullable(inner) => self.normalize_top(inner, component),
            Kind::Array(inner) | Kind::Map(inner) => self.normalize(inner),
            Kind::Object { properties, additional, .. } => {
                properties.values_mut().for_each(|p| self.normalize(p));
                additional.iter_mut().for_each(|a| self.normalize(a));
            }
            Kind::OneOf { variants, .. } => variants.iter_mut().for_each(|v| self.normalize(v)),
            Kind::AllOf { members, beside } => {
                let members = std::mem::take(members);
                let beside = beside.take();
                let mark = self.errors.mark();
                let merged = self.merge(members, &schema.pointer, component, beside.as_deref());
                // An `allOf` that cannot be merged is contained where it is written: any JSON
                // value, as its warnings say, and the schemas around it keep their types.
                let at = schema.pointer.to_string();
                match merged {
                    Some(merged) if !self.errors.contain_at(mark, Some(&at), ANY_FALLBACK) => {
                        schema.kind = merged.kind;
                        if schema.bounds == Bounds::default() {
                            schema.bounds = merged.bounds;
                        }
                    }
                    _ => {
                        self.errors.contain_at(mark, Some(&at), ANY_FALLBACK);
                        schema.kind = Kind::Any;
                        schema.bounds = Bounds::default();
                    }
                }
            }
            Kind::Any
            | Kind::Ref(_)
            | Kind::String
            | Kind::Enum(_)
            | Kind::Const(_)
            | Kind::Integer
            | Kind::Number
            | Kind::Boolean => {}
        }
    }

    fn part(&mut self, member: &Schema) -> Option<Part> {
        let mut resolved = member.clone();
        // A chain of components that are references (`A = allOf[B]` is a reference to `B`).
        for _ in 0..=self.raw.len() {
            let Kind::Ref(name) = &resolved.kind else { break };
            resolved = match self.component(name) {
                Some(target) => target,
                // The chain was too long: reported by `component`.
                None if self.raw.contains_key(name) && !self.active.contains(name) => return None,
                None if self.raw.contains_key(name) => {
                    self.errors.push(
                        member.pointer.as_str(),
                        format!("`allOf` leads back to `{name}` through its own members: it cannot be merged"),
                    );
                    return None;
                }
                None => {
                    self.errors.push(
                        member.pointer.join("$ref").as_str(),
                        format!("`$ref` to nothing: there is no `#/components/schemas/{name}`"),
                    );
                    return None;
                }
            };
        }
        Some(match resolved.kind {
            ref kind if is_nothing(kind) => Part::Nothing,
            Kind::Nullable(inner) if is_nothing(&inner.kind) => Part::Null,
            Kind::Object { properties, required, additional } => Part::Object(properties, required, additional),
            Kind::Nullable(inner) => match inner.kind {
                // `allOf` admits what every member admits: a nullable object merges as the object.
                Kind::Object { properties, required, additional } => Part::Object(properties, required, additional),
                kind => {
                    let inner = Box::new(Schema { kind, ..*inner });
                    Part::Other(Box::new(Schema { kind: Kind::Nullable(inner), ..resolved }))
                }
            },
            _ => Part::Other(Box::new(resolved)),
        })
    }

    /// `beside`: the members are an alternative of this `anyOf`/`oneOf` and the object beside
    /// it, not a written `allOf` (errors say so).
    fn merge(
        &mut self,
        mut members: Vec<Schema>,
        at: &Pointer,
        component: bool,
        beside: Option<&str>,
    ) -> Option<Schema> {
        members.iter_mut().for_each(|m| self.normalize(m));
        let mut parts = Vec::new();
        for member in &members {
            parts.push(self.part(member)?);
        }
        let nullable = parts.iter().any(|p| matches!(p, Part::Null));
        let shaped: Vec<usize> =
            (0..parts.len()).filter(|i| !matches!(parts[*i], Part::Nothing | Part::Null)).collect();
        let merged = self.merge_parts(members, parts, &shaped, at, component, beside)?;
        let mut merged = merged;
        if nullable && !matches!(merged.kind, Kind::Nullable(_) | Kind::Any) {
            let kind = std::mem::replace(&mut merged.kind, Kind::Any);
            merged.kind = Kind::Nullable(Box::new(Schema { kind, ..merged.clone() }));
        }
        Some(merged)
    }

    fn merge_parts(
        &mut self,
        members: Vec<Schema>,
        parts: Vec<Part>,
        shaped: &[usize],
        at: &Pointer,
        component: bool,
        beside: Option<&str>,
    ) -> Option<Schema> {
        let others: Vec<&Pointer> =
            parts.iter().filter_map(|p| if let Part::Other(other) = p { Some(&other.pointer) } else { None }).collect();
        match shaped {
            // Nothing but annotations or a bare `type: object`: the first such member.
            [] => {
                let first = members.iter().position(|m| m.kind != Kind::Any).unwrap_or(0);
                return members.into_iter().nth(first);
            }
            // One shape: that member, as written (a `$ref` stays a reference).
            [one] if !(component && matches!(parts[*one], Part::Object(..))) => {
                return members.into_iter().nth(*one);
            }
            _ => {}
        }
        // Scalars of one type (`allOf: [{type: string}, {minLength: 1}]`, `$ref`s followed): one
        // scalar, every bound; nullable when a member is (3.0 documents write `allOf: [{$ref: X},
        // {type: string, nullable: true}]` for a nullable `X`; decoding accepts the larger set).
        let scalar = |kind: &Kind| matches!(kind, Kind::String | Kind::Integer | Kind::Number | Kind::Boolean);
        let scalars: Vec<(&Schema, &Kind, bool)> = shaped
            .iter()
            .filter_map(|i| match &parts[*i] {
                Part::Other(s) => match &s.kind {
                    Kind::Nullable(inner) if scalar(&inner.kind) => Some((&**s, &inner.kind, true)),
                    kind if scalar(kind) => Some((&**s, kind, false)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        if scalars.len() == shaped.len() && scalars.windows(2).all(|w| w[0].1 == w[1].1) {
            let holders: Vec<&Schema> = scalars.iter().map(|(s, _, _)| *s).collect();
            let bounds = scalar_bounds(&holders);
            let kind = scalars[0].1.clone();
            let first = Schema { bounds, kind, ..members[shaped[0]].clone() };
            if scalars.iter().any(|(_, _, nullable)| *nullable) {
                let inner = Schema { description: None, default: None, example: None, ..first.clone() };
                return Some(Schema { kind: Kind::Nullable(Box::new(inner)), ..first });
            }
            return Some(first);
        }
        if let Some(first) = others.first() {
            let other = shaped.iter().map(|i| &members[*i].pointer).find(|p| p != first);
            let other = other.map_or_else(String::new, Pointer::to_string);
            match beside {
                None => self.errors.push(
                    at.join("allOf").as_str(),
                    format!(
                        "unsupported: `allOf` merges objects only, and the member at {first} is not one (merged \
                         with {other}); write the combined schema out"
                    ),
                ),
                Some(keyword) => self.errors.push(
                    at.as_str(),
                    format!(
                        "unsupported: the properties beside `{keyword}` (at {other}) apply to every alternative, \
                         and the schema at {first} is not an object; make each alternative an object"
                    ),
                ),
            }
            return None;
        }
        let MergedObject { properties, required, additional } = self.merge_objects(parts, beside)?;
        Some(Schema {
            pointer: at.clone(),
            description: None,
            default: None,
            example: None,
            deprecated: false,
            read_only: false,
            write_only: false,
            bounds: Bounds::default(),
            kind: Kind::Object { properties, required, additional },
            origin: None,
        })
    }

    /// The properties, `required` names and undeclared properties' schema of object members, a
    /// property (or the undeclared properties' schema) declared by several reconciled into one;
    /// `None` (with an error for each) when two declarations disagree.
    fn merge_objects(&mut self, parts: Vec<Part>, beside: Option<&str>) -> Option<MergedObject> {
        let mut properties: BTreeMap<String, Schema> = BTreeMap::new();
        let mut required = BTreeSet::new();
        let mut additional: Option<Box<Schema>> = None;
        let mut ok = true;
        for part in parts {
            let Part::Object(props, names, values) = part else { continue };
            required.extend(names);
            match (&additional, values) {
                (_, None) => {}
                (None, Some(values)) => additional = Some(values),
                (Some(previous), Some(values)) => match reconcile(previous, &values) {
                    Some(winner) => additional = Some(Box::new(winner)),
                    None => {
                        ok = false;
                        self.errors.push(
                            values.pointer.as_str(),
                            format!(
                                "`allOf` members give the undeclared properties different schemas, here and at \
                                 {}; make them agree",
                                previous.pointer
                            ),
                        );
                    }
                },
            }
            for (name, prop) in props {
                let Some(previous) = properties.get(&name) else {
                    properties.insert(name, prop);
                    continue;
                };
                match reconcile(previous, &prop) {
                    Some(winner) => {
                        properties.insert(name, winner);
                    }
                    None => {
                        ok = false;
                        let who = match beside {
                            None => "`allOf` members declare".to_owned(),
                            Some(keyword) => format!("a `{keyword}` alternative and the properties beside it declare"),
                        };
                        self.errors.push(
                            prop.pointer.as_str(),
                            format!(
                                "{who} the property `{name}` differently, here and at {}; make them agree",
                                previous.pointer
                            ),
                        );
                    }
                }
            }
        }
        ok.then_some(MergedObject { properties, required, additional })
    }
}

/// The object members of an `allOf`, merged: the fields of the [`Kind::Object`] they become.
struct MergedObject {
    properties: BTreeMap<String, Schema>,
    required: BTreeSet<String>,
    additional: Option<Box<Schema>>,
}

/// The bounds of scalar members of one type, merged: the first of each, the tightest lengths.
fn scalar_bounds(scalars: &[&Schema]) -> Bounds {
    let mut bounds = Bounds::default();
    for m in scalars {
        let b = &m.bounds;
        bounds.minimum = bounds.minimum.or_else(|| b.minimum.clone());
        bounds.maximum = bounds.maximum.or_else(|| b.maximum.clone());
        bounds.exclusive_minimum = bounds.exclusive_minimum.or_else(|| b.exclusive_minimum.clone());
        bounds.exclusive_maximum = bounds.exclusive_maximum.or_else(|| b.exclusive_maximum.clone());
        bounds.min_length = bounds.min_length.max(b.min_length);
        bounds.max_length = match (bounds.max_length, b.max_length) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        bounds.format = bounds.format.or_else(|| b.format.clone());
        bounds.content_media_type = bounds.content_media_type.or_else(|| b.content_media_type.clone());
        bounds.content_encoding = bounds.content_encoding.or_else(|| b.content_encoding.clone());
        bounds.pattern = bounds.pattern.or_else(|| b.pattern.clone());
        bounds.multiple_of = bounds.multiple_of.or_else(|| b.multiple_of.clone());
        bounds.integer_values = bounds.integer_values.or(b.integer_values);
    }
    bounds
}

fn is_nothing(kind: &Kind) -> bool {
    match kind {
        Kind::Any => true,
        Kind::Map(values) => values.kind == Kind::Any,
        _ => false,
    }
}

/// The one declaration of a property declared by two `allOf` members, when one refines the
/// other (what a value must satisfy is both): `{}` by anything, a string by a string enum, a
/// number by an integer, a union by one of its variants, an object by an object (their
/// properties merged the same way), an array by an array of refined items. Nullability is kept
/// if either side has it: decoding accepts the larger set.
fn reconcile(a: &Schema, b: &Schema) -> Option<Schema> {
    let keep = |winner: &Schema, other: &Schema| Schema {
        description: winner.description.clone().or_else(|| other.description.clone()),
        bounds: both(&winner.bounds, &other.bounds),
        ..winner.clone()
    };
    if same(a, b) {
        return Some(keep(a, b));
    }
    let with_kind = |base: &Schema, other: &Schema, kind: Kind| Schema { kind, ..keep(base, other) };
    match (&a.kind, &b.kind) {
        (Kind::Any, _) => Some(keep(b, a)),
        (_, Kind::Any) => Some(keep(a, b)),
        (Kind::Nullable(x), Kind::Nullable(y)) => {
            reconcile(x, y).map(|inner| with_kind(a, b, Kind::Nullable(Box::new(inner))))
        }
        (Kind::Nullable(x), _) => reconcile(x, b).map(|inner| with_kind(a, b, Kind::Nullable(Box::new(inner)))),
        (_, Kind::Nullable(y)) => reconcile(a, y).map(|inner| with_kind(b, a, Kind::Nullable(Box::new(inner)))),
        // Two enums: the values both admit.
        (Kind::Enum(x), Kind::Enum(y)) => {
            let common: Vec<String> = x.iter().filter(|v| y.contains(v)).cloned().collect();
            (!common.is_empty()).then(|| with_kind(a, b, Kind::Enum(common)))
        }
        (Kind::Enum(x), Kind::Const(v)) if x.contains(v) => Some(keep(b, a)),
        (Kind::Const(v), Kind::Enum(x)) if x.contains(v) => Some(keep(a, b)),
        // A bare `type: object` is refined by any object or map, and by a `$ref` (to an object: a
        // `$ref` to anything else meets no value of both, and either reading is then sound).
        (Kind::Map(values), Kind::Object { .. } | Kind::Map(_) | Kind::Ref(_)) if values.kind == Kind::Any => {
            Some(keep(b, a))
        }
        (Kind::Object { .. } | Kind::Map(_) | Kind::Ref(_), Kind::Map(values)) if values.kind == Kind::Any => {
            Some(keep(a, b))
        }
        (Kind::String, Kind::Enum(_) | Kind::Const(_)) | (Kind::Number, Kind::Integer) => Some(keep(b, a)),
        (Kind::Enum(_) | Kind::Const(_), Kind::String) | (Kind::Integer, Kind::Number) => Some(keep(a, b)),
        (Kind::OneOf { variants, discriminator: None, .. }, _) if variants.iter().any(|v| same(v, b)) => {
            Some(keep(b, a))
        }
        (_, Kind::OneOf { variants, discriminator: None, .. }) if variants.iter().any(|v| same(a, v)) => {
            Some(keep(a, b))
        }
        (Kind::Array(x), Kind::Array(y)) => reconcile(x, y).map(|items| with_kind(a, b, Kind::Array(Box::new(items)))),
        (
            Kind::Object { properties: p, required: r, additional: x },
            Kind::Object { properties: q, required: t, additional: y },
        ) => {
            let additional = match (x, y) {
                (Some(x), Some(y)) => Some(Box::new(reconcile(x, y)?)),
                (x, y) => x.clone().or_else(|| y.clone()),
            };
            let mut properties = p.clone();
            for (name, prop) in q {
                let merged = match properties.get(name) {
                    Some(previous) => reconcile(previous, prop)?,
                    None => prop.clone(),
                };
                properties.insert(name.clone(), merged);
            }
            let required = r.union(t).cloned().collect();
            Some(with_kind(a, b, Kind::Object { properties, required, additional }))
        }
        _ => None,
    }
}

/// Whether two schemas have one shape (annotations, bounds and places aside: bounds are
/// combined by [`both`]).
fn same(a: &Schema, b: &Schema) -> bool {
    same_kind(&a.kind, &b.kind)
}

/// Whether two schemas describe the same values, bounds included (places and annotations aside).
pub(crate) fn same_shape(a: &Schema, b: &Schema) -> bool {
    a.bounds == b.bounds && same(a, b)
}

/// The bounds of two declarations of one value, each taken from the first that has it.
fn both(a: &Bounds, b: &Bounds) -> Bounds {
    let Bounds {
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        min_length,
        max_length,
        format,
        content_media_type,
        content_encoding,
        pattern,
        multiple_of,
        min_items,
        max_items,
        unique_items,
        min_properties,
        max_properties,
        closed,
        integer_values,
    } = a.clone();
    Bounds {
        minimum: minimum.or_else(|| b.minimum.clone()),
        maximum: maximum.or_else(|| b.maximum.clone()),
        exclusive_minimum: exclusive_minimum.or_else(|| b.exclusive_minimum.clone()),
        exclusive_maximum: exclusive_maximum.or_else(|| b.exclusive_maximum.clone()),
        min_length: min_length.or(b.min_length),
        max_length: max_length.or(b.max_length),
        format: format.or_else(|| b.format.clone()),
        content_media_type: content_media_type.or_else(|| b.content_media_type.clone()),
        content_encoding: content_encoding.or_else(|| b.content_encoding.clone()),
        pattern: pattern.or_else(|| b.pattern.clone()),
        multiple_of: multiple_of.or_else(|| b.multiple_of.clone()),
        min_items: min_items.or(b.min_items),
        max_items: max_items.or(b.max_items),
        unique_items: unique_items || b.unique_items,
        min_properties: min_properties.or(b.min_properties),
        max_properties: max_properties.or(b.max_properties),
        closed: closed && b.closed,
        integer_values: integer_values.or(b.integer_values),
    }
}

fn same_kind(a: &Kind, b: &Kind) -> bool {
    match (a, b) {
        (Kind::Array(x), Kind::Array(y)) | (Kind::Map(x), Kind::Map(y)) | (Kind::Nullable(x), Kind::Nullable(y)) => {
            same(x, y)
        }
        (
            Kind::Object { properties: p, required: r, additional: x },
            Kind::Object { properties: q, required: s, additional: y },
        ) => {
            r == s
                && p.len() == q.len()
                && p.iter().zip(q).all(|((k, x), (l, y))| k == l && same(x, y))
                && match (x, y) {
                    (Some(x), Some(y)) => same(x, y),
                    (x, y) => x.is_none() && y.is_none(),
                }
        }
        (
            Kind::OneOf { variants: v, discriminator: d, mapping: m, .. },
            Kind::OneOf { variants: w, discriminator: e, mapping: n, .. },
        ) => {
            d == e
                && m.iter()
                    .map(|(k, tags)| (k, tags.iter().map(|(t, _)| t).collect::<Vec<_>>()))
                    .eq(n.iter().map(|(k, tags)| (k, tags.iter().map(|(t, _)| t).collect::<Vec<_>>())))
                && v.len() == w.len()
                && v.iter().zip(w).all(|(x, y)| same(x, y))
        }
        (Kind::AllOf { .. }, _) | (_, Kind::AllOf { .. }) => false,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Document;

    /// The document with `schemas` as its components, parsed (and so merged).
    fn parse(schemas: &str) -> Document {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "T", "version": "1"}}, "paths": {{}},
                "components": {{"schemas": {schemas}}}}}"#
        );
        Document::parse("t.json", &text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn object(schema: &Schema) -> (Vec<&str>, Vec<&str>) {
        let Kind::Object { properties, required, .. } = &schema.kind else { panic!("an object: {schema:?}") };
        (properties.keys().map(String::as_str).collect(), required.iter().map(String::as_str).collect())
    }

    #[test]
    fn objects_merge_into_one_with_every_property_and_required_name() {
        let doc = parse(
            r##"{"Base": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
                "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"},
                                  {"type": "object", "properties": {"name": {"type": "string"}}}],
                        "required": ["name"], "description": "A pet."}}"##,
        );
        let pet = &doc.spec.schemas["Pet"];
        assert_eq!(object(pet), (vec!["id", "name"], vec!["id", "name"]));
        assert_eq!(pet.description.as_deref(), Some("A pet."), "the annotations beside the list stay");
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }

    #[test]
    fn one_member_beside_annotations_is_a_reference_not_a_copy() {
        let doc = parse(
            r##"{"Id": {"type": "string"},
                "Holder": {"type": "object", "properties": {
                    "id": {"allOf": [{"$ref": "#/components/schemas/Id"}], "description": "Its id."}}}}"##,
        );
        let (properties, _) = object(&doc.spec.schemas["Holder"]);
        assert_eq!(properties, ["id"]);
        let Kind::Object { properties, .. } = &doc.spec.schemas["Holder"].kind else { unreachable!("checked") };
        assert_eq!(properties["id"].kind, Kind::Ref("Id".to_owned()));
        assert_eq!(properties["id"].description.as_deref(), Some("Its id."));
    }

    #[test]
    fn a_refined_property_is_kept_and_a_conflict_is_any_value_with_a_warning() {
        let doc = parse(
            r##"{"Refined": {"allOf": [
                    {"type": "object", "properties": {"kind": {"type": "string"}}},
                    {"type": "object", "properties": {"kind": {"enum": ["a", "b"]}}}]},
                "Conflict": {"allOf": [
                    {"type": "object", "properties": {"n": {"type": "string"}}},
                    {"type": "object", "properties": {"n": {"type": "integer"}}}]}}"##,
        );
        let Kind::Object { properties, .. } = &doc.spec.schemas["Refined"].kind else { panic!("an object") };
        assert_eq!(properties["kind"].kind, Kind::Enum(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(doc.spec.schemas["Conflict"].kind, Kind::Any, "what cannot be merged is any JSON value");
        let [warning] = &doc.warnings[..] else { panic!("one warning: {:?}", doc.warnings) };
        assert!(warning.location.starts_with("#/components/schemas/Conflict/allOf/1/properties/n"), "{warning:?}");
        assert!(warning.message.contains("`n` differently") && warning.message.contains("allOf/0/properties/n"));
        assert!(!format!("{:?}", doc.spec).contains("AllOf"), "no `allOf` is left after parsing");
    }

    #[test]
    fn an_object_merged_with_a_string_is_refused() {
        let doc = parse(r##"{"Odd": {"allOf": [{"type": "object", "properties": {}}, {"type": "string"}]}}"##);
        assert_eq!(doc.spec.schemas["Odd"].kind, Kind::Any);
        assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
        assert!(doc.warnings[0].location.starts_with("#/components/schemas/Odd"), "{:?}", doc.warnings);
    }
}
