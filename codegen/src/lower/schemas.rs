//! Schemas → Rust types: shapes, structs, enums, unions, defaults and integer widths from bounds.
//!
//! The type mapping, decided here (with `allOf` merged while parsing, in `parse::merge`, `Box`
//! placed by `cycles` and shared types by `share`) and spelled out by `emit::types`; the
//! derive's attribute table (`codegen/derive/src/lib.rs`) gives what each `#[model(…)]` means on
//! the wire:
//!
//! | schema | Rust |
//! | --- | --- |
//! | object with `properties` | a `#[non_exhaustive] pub struct` deriving `Model`, with `new(required…)` and an `additional_properties` map (`#[model(extra)]`) that keeps the undeclared properties |
//! | a property required / required and nullable / optional / optional and nullable | `T` / `Option<T>` / `Option<T>` / `Option<Option<T>>` ([`Presence`]; the `#[model(…)]` presence attribute tells the two middle ones apart on the wire) |
//! | string `enum` or `const` | a `#[non_exhaustive]` enum, a variant per value plus `Other(String)` |
//! | `oneOf`/`anyOf` with a `discriminator` | a tagged enum (`#[model(tag = "…")]`), a newtype variant per object plus `Other(Map)` |
//! | any other `oneOf`/`anyOf` | an untagged enum (`#[model(untagged)]`), variants named after their type: decided by the value's JSON kind when each variant has its own, else each variant tried in order, exactly and then leniently (see `codegen/derive/src/lib.rs`) |
//! | `integer` | the narrowest type that holds every value the schema allows (`integer`): `i32`/`u32` for the 32-bit and smaller formats, else `NonZeroU64`, `u64` or `i64` from the bounds, and without a 64-bit format or bounds within 64 bits `i128`/`u128` (`Settings::wide_integers`, on by default) or `i64`/`u64` (off); a number with a zero fraction (`167.0`) is read as an integer, as JSON Schema says (`#[model(integer)]`) |
//! | `number`, `boolean`, `string` | `f64`, `bool`, `String` (`format: date-time`, `date`, `uuid` are typed only with `Settings::typed_formats`) |
//! | `array`; `additionalProperties: T` alone | `Vec<T>`; `BTreeMap<String, T>` |
//! | `{}`, and any schema read in a weaker way | `serde_json::Value` |
//! | a named schema of another shape | `pub type Name = T;` |
//! | a nullable object, enum or union component | its type, and `<Name>OrNull`, an `Option` of it, which accepts `null` on its own |
//! | an edge closing a cycle | `Box<T>` |
//! | bounds the type does not imply | `#[model(…)]` entries, checked by `Validate`, not by decoding |

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Number, Value};

use super::{Lowerer, Shape};
use crate::error::Pointer;
use crate::ir::{
    Bound, Constraints, Enum, EnumVariant, Field, Presence, Struct, StructTag, Ty, TypeDef, TypeKind, Union,
    UnionVariant,
};
use crate::names::{Taken, pascal, snake, unique};
use crate::parse::{Bounds, Kind, Schema};

impl Lowerer<'_> {
    pub(super) fn shape(&mut self, hint: &str, schema: &Schema) -> Shape {
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
                    Ty::Named(self.type_name(target))
                } else {
                    self.errors.push(
                        node.pointer.join("$ref").as_str(),
                        format!("`$ref` to nothing: there is no `#/components/schemas/{target}`"),
                    );
                    Ty::Any
                }
            }
            Kind::String => match bounds.format.as_deref().filter(|_| self.typed_formats) {
                // Typed: the type checks the format when decoding; lengths and patterns of a
                // date or an id are documentation.
                Some(format @ ("date-time" | "date" | "uuid")) => {
                    // Enforced by the type when decoding (see `schema_note`).
                    constraints.format = Some(format.to_owned());
                    match format {
                        "date-time" => Ty::DateTime,
                        "date" => Ty::Date,
                        _ => Ty::Uuid,
                    }
                }
                _ => {
                    constraints.min_length = bounds.min_length.filter(|n| *n > 0);
                    constraints.max_length = bounds.max_length;
                    constraints.pattern.clone_from(&bounds.pattern);
                    Ty::String
                }
            },
            Kind::Integer => {
                let (ty, minimum) = integer(bounds, self.wide_integers);
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
                self.define_inline(hint.to_owned(), node, None)
            }
        };
        let written = written_constraints(bounds);
        Shape { ty, nullable, constraints, written }
    }

    pub(super) fn object(
        &mut self,
        name: &str,
        properties: &BTreeMap<String, Schema>,
        required: &BTreeSet<String>,
        tag: Option<(&str, &[String])>,
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
        if let Some((property, values)) = tag {
            struct_tag = Some(StructTag {
                property: property.to_owned(),
                values: values.to_vec(),
                docs: properties.get(property).and_then(|p| p.description.clone()),
            });
        }
        for (wire, prop) in ordered {
            if let Some((property, values)) = tag
                && property == wire
            {
                // The tag is written by the union: the property must admit its values.
                for value in values {
                    if !admits_tag_value(&prop.kind, value) {
                        self.errors.push(
                            prop.pointer.as_str(),
                            format!("a tagged union's variant must declare its tag as a string admitting `{value}`"),
                        );
                    }
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
                example: prop.example.clone(),
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
        Struct { fields, has_default, extra, extra_values: None, tag: struct_tag, closed: false }
    }

    /// Checks that a documented default fits the type; reports and drops it when it does not.
    fn check_default(&mut self, default: &Value, ty: &Ty, nullable: bool, at: &Pointer) -> bool {
        let fits = match (ty, default) {
            (_, Value::Null) => nullable || *ty == Ty::Any,
            (Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid, Value::String(_))
            | (Ty::Bool, Value::Bool(_))
            | (Ty::F64, Value::Number(_)) => true,
            (Ty::I64, Value::Number(n)) => n.as_i64().is_some(),
            (Ty::U64, Value::Number(n)) => n.as_u64().is_some(),
            (Ty::I32, Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            (Ty::U32, Value::Number(n)) => n.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            (Ty::NonZeroU64, Value::Number(n)) => n.as_u64().is_some_and(|n| n > 0),
            // A default is written as a 64-bit literal.
            (Ty::I128, Value::Number(n)) => n.as_i64().is_some() || n.as_u64().is_some(),
            (Ty::U128, Value::Number(n)) => n.as_u64().is_some(),
            (Ty::Named(name), value) => !self.is_enum(name) || value.is_string(),
            (Ty::Any, _) => true,
            (Ty::JsonObject | Ty::Map(_), Value::Object(_)) | (Ty::Vec(_), Value::Array(_)) => true,
            _ => false,
        };
        if !fits {
            self.errors.warn(
                at.join("default").as_str(),
                format!("the default `{default}` does not fit the property's type; the default is ignored"),
            );
        }
        fits
    }

    /// Whether a default can be written as a Rust expression for `impl Default`.
    fn default_is_usable(&self, default: &Value, ty: &Ty) -> bool {
        match ty {
            Ty::String
            | Ty::Bool
            | Ty::F64
            | Ty::I64
            | Ty::U64
            | Ty::NonZeroU64
            | Ty::I32
            | Ty::U32
            | Ty::I128
            | Ty::U128 => !default.is_null(),
            Ty::Named(name) => default.is_string() && self.is_enum(name),
            _ => false,
        }
    }

    /// A union's type: `tag` is the discriminator's property and mapping (component → its tag
    /// values) when it is tagged.
    pub(super) fn union(&mut self, name: &str, variants: &[Schema], tag: Option<(&str, &Mapping)>) -> Union {
        let mut taken = Taken::with(&["Other"]);
        let mut out = Vec::new();
        let mut tag_values = BTreeSet::new();
        // A discriminator can only tell objects apart: beside another variant, the union is
        // untagged (the discriminator stays documentation).
        let tag = tag.filter(|_| variants.iter().all(|v| super::is_object(v, self.schemas)));
        for (i, variant) in variants.iter().enumerate() {
            if let Some((tag, mapping)) = tag {
                if let (Some(origin), Kind::Object { .. }) = (&variant.origin, &variant.kind) {
                    // A `$ref`'d alternative the properties beside the union were merged into: a
                    // struct of its own, tagged as the `$ref` would have been.
                    let values = tag_values_of(variant, tag, mapping.get(origin), self.implicit_tag(origin));
                    let struct_name = format!("{name}{}", self.type_name(origin));
                    let ty = self.define_inline(struct_name, variant, Some((tag, &values)));
                    let at = &variant.pointer;
                    self.push_tagged_variants(ty, (values, false), at, (&mut taken, &mut tag_values), &mut out);
                    continue;
                }
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
                // This union's tag values for the component (another union may give it others).
                let values = tag_values_of(target, tag, mapping.get(component), self.implicit_tag(component));
                // A variant of unions tagged by one property keeps its tag apart (the union writes
                // it); one that is not (also used on its own) keeps it as a field of its own.
                let keeps_tag = self.tag_variants.get(component).is_none_or(|(_, property, _)| property != tag);
                let ty = Ty::Named(self.type_name(component));
                let at = &variant.pointer;
                self.push_tagged_variants(ty, (values, keeps_tag), at, (&mut taken, &mut tag_values), &mut out);
            } else {
                let label = match (&variant.origin, &variant.kind) {
                    (Some(origin), _) | (None, Kind::Ref(origin)) => self.type_name(origin),
                    (None, Kind::String | Kind::Enum(_) | Kind::Const(_)) => "String".to_owned(),
                    (None, Kind::Integer) => "Integer".to_owned(),
                    (None, Kind::Number) => "Number".to_owned(),
                    (None, Kind::Boolean) => "Boolean".to_owned(),
                    (None, Kind::Array(_)) => "Array".to_owned(),
                    (None, Kind::Object { .. } | Kind::Map(_)) => "Object".to_owned(),
                    (None, Kind::Any) => "Value".to_owned(),
                    (None, Kind::Nullable(_) | Kind::OneOf { .. } | Kind::AllOf { .. }) => format!("Variant{i}"),
                };
                let variant_name = unique(label, &mut taken);
                let ty = self.ty(&format!("{name}{variant_name}"), variant);
                out.push(UnionVariant { name: variant_name, ty, tag_value: None, keeps_tag: false });
            }
        }
        Union { tag: tag.map(|(tag, _)| tag.to_owned()), variants: out, any_of: false }
    }

    /// The variants of a tagged union for one struct `ty`: one per tag value (a discriminator may
    /// map several to one schema), each named after its value.
    fn push_tagged_variants(
        &mut self,
        ty: Ty,
        (values, keeps_tag): (Vec<String>, bool),
        at: &Pointer,
        (taken, seen): (&mut Taken, &mut BTreeSet<String>),
        out: &mut Vec<UnionVariant>,
    ) {
        for value in values {
            if !seen.insert(value.clone()) {
                self.errors.push(at.as_str(), format!("two variants share the tag value `{value}`"));
            }
            out.push(UnionVariant {
                name: unique(pascal(&value), taken),
                ty: ty.clone(),
                tag_value: Some(value),
                keeps_tag,
            });
        }
    }

    /// A named scalar alias as the scalar it names.
    pub(super) fn unalias(&self, ty: Ty) -> Ty {
        if let Ty::Named(n) = &ty
            && let Some(TypeDef { kind: TypeKind::Alias(inner), .. }) = self.types.get(n)
            && is_scalar(inner)
        {
            return inner.clone();
        }
        ty
    }

    /// Whether `ty` is an object type (a struct, or a map of values).
    pub(super) fn is_object(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(n) => matches!(self.types.get(n).map(|t| &t.kind), Some(TypeKind::Struct(_))),
            Ty::Map(_) | Ty::JsonObject => true,
            _ => false,
        }
    }

    pub(super) fn is_enum(&self, name: &str) -> bool {
        match self.types.get(name) {
            Some(def) => matches!(def.kind, TypeKind::Enum(_)),
            None => self.enum_components.contains(name),
        }
    }
}

/// A discriminator's `mapping`: component → its tag values, with where each entry is written.
pub(super) type Mapping = BTreeMap<String, Vec<(String, Pointer)>>;

/// The tag values of a union's variant made from a component: its `mapping` entries
/// (`mapped`), else the `const` (or one-value `enum`) of its tag property, else `implicit` (the
/// component's name, OpenAPI's implicit mapping).
pub(super) fn tag_values_of(
    variant: &Schema,
    tag: &str,
    mapped: Option<&Vec<(String, Pointer)>>,
    implicit: String,
) -> Vec<String> {
    if let Some(mapped) = mapped.filter(|m| !m.is_empty()) {
        return mapped.iter().map(|(value, _)| value.clone()).collect();
    }
    let declared = match &variant.kind {
        Kind::Object { properties, .. } => match properties.get(tag).map(|p| &p.kind) {
            Some(Kind::Const(value)) => Some(value.clone()),
            Some(Kind::Enum(values)) if values.len() == 1 => values.first().cloned(),
            _ => None,
        },
        _ => None,
    };
    vec![declared.unwrap_or(implicit)]
}

/// Whether a tag property of this kind can hold the tag value `value`.
pub(super) fn admits_tag_value(kind: &Kind, value: &str) -> bool {
    match kind {
        Kind::Const(v) => v == value,
        Kind::Enum(allowed) => allowed.iter().any(|v| v == value),
        Kind::String => true,
        _ => false,
    }
}

/// The inside of a nullable object, enum or union: a component such a schema defines is named
/// for the inside, and references to it are nullable.
pub(super) fn nullable_structured(schema: &Schema) -> Option<&Schema> {
    match &schema.kind {
        Kind::Nullable(inner)
            if matches!(inner.kind, Kind::Object { .. } | Kind::Enum(_) | Kind::Const(_) | Kind::OneOf { .. }) =>
        {
            Some(inner)
        }
        _ => None,
    }
}

pub(super) fn is_scalar(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::String | Ty::Bool | Ty::F64 | Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::I32 | Ty::U32 | Ty::I128 | Ty::U128
    )
}

pub(super) fn enum_of(values: &[String]) -> Enum {
    let mut taken = Taken::with(&["Other"]);
    let variants =
        values.iter().map(|wire| EnumVariant { name: unique(pascal(wire), &mut taken), wire: wire.clone() }).collect();
    Enum { variants, other: "Other".to_owned() }
}

fn as_f64(n: &Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

/// The integer type for the `format` and the bounds, and the lower bound it leaves unchecked.
///
/// The type holds every value the schema allows: 32 bits for `int32`/`uint32` (and their 8- and
/// 16-bit forms) and 64 for `int64`/`uint64`, as the format says, unsigned when the lower bound is
/// at least 0 (or the format says so); else the narrowest of `NonZeroU64`, `u64` and `i64` for the
/// bounds, and, beyond them or without an upper bound, `u128`/`i128` with `wide`, `u64`/`i64`
/// without. An integer `enum`'s values decide the range, whatever the format: a type always holds
/// every declared value.
pub(super) fn integer(bounds: &Bounds, wide: bool) -> (Ty, Option<Bound>) {
    let low = lower_bound(bounds);
    let written = (low.as_ref().map(|b| limit(b, true)), upper_bound(bounds).map(|b| limit(&b, false)));
    let Some((least, greatest)) = bounds.integer_values else {
        return integer_for(bounds.format.as_deref(), written, low, wide);
    };
    // An `enum` bounds its values: the type the rest of the schema gives within 64 bits, unless
    // it cannot hold a declared value, then the narrowest that holds them all.
    let chosen = integer_for(bounds.format.as_deref(), written, low.clone(), false);
    if holds(&chosen.0, least, greatest) {
        chosen
    } else {
        integer_for(bounds.format.as_deref(), (Some(least), Some(greatest)), low, wide)
    }
}

/// Whether every integer in `least..=greatest` is a value of the integer type `ty`.
fn holds(ty: &Ty, least: i128, greatest: i128) -> bool {
    let (min, max): (i128, i128) = match ty {
        Ty::I32 => (i32::MIN.into(), i32::MAX.into()),
        Ty::U32 => (0, u32::MAX.into()),
        Ty::I64 => (i64::MIN.into(), i64::MAX.into()),
        Ty::U64 => (0, u64::MAX.into()),
        Ty::NonZeroU64 => (1, u64::MAX.into()),
        Ty::U128 => (0, i128::MAX),
        _ => (i128::MIN, i128::MAX),
    };
    least >= min && greatest <= max
}

/// [`integer`] for the least and greatest values allowed (`None`: unbounded).
fn integer_for(
    format: Option<&str>,
    (least, greatest): (Option<i128>, Option<i128>),
    low: Option<Bound>,
    wide: bool,
) -> (Ty, Option<Bound>) {
    // The lower bound is left to `Validate` when the type does not imply it.
    let keep_low = |implied: i128| low.clone().filter(|_| least.is_some_and(|l| l > implied));
    // Whether every value the schema allows is in `min..=max` (an absent bound allows any).
    let within = |min: i128, max: i128| least.is_none_or(|l| l >= min) && greatest.is_none_or(|g| g <= max);
    let non_negative = least.is_some_and(|l| l >= 0);
    match format {
        Some("int32" | "int16" | "int8") if non_negative && within(0, u32::MAX.into()) => {
            return (Ty::U32, keep_low(0));
        }
        Some("int32" | "int16" | "int8") if within(i32::MIN.into(), i32::MAX.into()) => return (Ty::I32, low),
        Some("uint32" | "uint16" | "uint8") if within(i128::MIN, u32::MAX.into()) => return (Ty::U32, keep_low(0)),
        Some("uint64" | "uint") if least.is_none_or(|l| l < 1) && within(i128::MIN, u64::MAX.into()) => {
            return (Ty::U64, keep_low(0));
        }
        _ => {}
    }
    // `int64` and `uint64` say the values fit 64 bits, and so does `wide` being off: an absent
    // bound is the end of the 64-bit type.
    let sixty_four = !wide || matches!(format, Some("int64" | "uint64" | "uint"));
    let greatest = match greatest {
        None if sixty_four => Some(if non_negative { u64::MAX.into() } else { i64::MAX.into() }),
        greatest => greatest,
    };
    let least = match least {
        None if sixty_four => Some(i64::MIN.into()),
        least => least,
    };
    let fits = |min: i128, max: i128| least.is_some_and(|l| l >= min) && greatest.is_some_and(|g| g <= max);
    if fits(1, u64::MAX.into()) {
        (Ty::NonZeroU64, keep_low(1))
    } else if fits(0, u64::MAX.into()) {
        (Ty::U64, keep_low(0))
    } else if fits(i64::MIN.into(), i64::MAX.into()) {
        (Ty::I64, low)
    } else if non_negative {
        (Ty::U128, keep_low(0))
    } else {
        (Ty::I128, low)
    }
}

/// A bound as the least (`lower`) or greatest integer it allows, clamped to 128 bits.
fn limit(bound: &Bound, lower: bool) -> i128 {
    let exact = bound.value.as_i64().map(i128::from).or_else(|| bound.value.as_u64().map(i128::from));
    let n = match exact {
        Some(n) => n,
        // Saturating: a bound beyond 128 bits is the nearest end.
        None if lower => as_f64(&bound.value).ceil() as i128,
        None => as_f64(&bound.value).floor() as i128,
    };
    match (bound.exclusive, exact.is_some() || as_f64(&bound.value).fract() == 0.0) {
        (true, true) if lower => n.saturating_add(1),
        (true, true) => n.saturating_sub(1),
        _ => n,
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

/// Every bound of a schema node, as the document writes it.
fn written_constraints(bounds: &Bounds) -> Constraints {
    Constraints {
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
    }
}
