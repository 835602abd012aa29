//! JSON instances generated from an OpenAPI document itself, and the mutation sites in them.
//!
//! The walk reads `components/schemas` directly, independently of the generator, so that the
//! generated crate is checked against what the schema says, for every type, including ones
//! added later. It understands the same subset the generator supports: `$ref`, `type` (with
//! `"null"`), `enum`, `const`, bounds, `properties`/`required`, `additionalProperties`, `items`,
//! `oneOf` (with `discriminator`) and `anyOf` with a null.

use std::borrow::Cow;

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use serde_json::{Map, Value, json};

/// How deep objects nest before optional properties are left out, nullables are null and
/// arrays are empty, so that recursive schemas stay finite.
const MAX_DEPTH: u32 = 6;
/// The largest integer JSON carries exactly, the documented bound of this API's integers.
const SAFE: i64 = 9_007_199_254_740_991;

/// The schemas of one OpenAPI document.
#[derive(Debug, Clone)]
pub struct Schemas {
    schemas: Map<String, Value>,
}

/// What a schema node is, as far as instances are concerned.
#[derive(Debug, Clone)]
enum Shape<'a> {
    Any,
    Nullable(Cow<'a, Value>),
    String {
        values: Option<Vec<&'a str>>,
        min_length: u64,
        format: Option<&'a str>,
    },
    /// `wide`: neither a `format` nor both bounds keep it within 64 bits, so the Rust type is
    /// `i128`/`u128` (the generator's default `Settings::wide_integers`).
    Integer {
        low: i64,
        high: i64,
        min: Option<i64>,
        max: Option<i64>,
        wide: bool,
    },
    Number {
        low: f64,
        high: f64,
        max: Option<f64>,
    },
    Boolean,
    Array(&'a Value),
    Object {
        properties: Vec<(&'a str, &'a Value)>,
        required: Vec<&'a str>,
    },
    Map(&'a Value),
    OneOf {
        variants: Vec<&'a Value>,
        tag: Option<&'a str>,
    },
}

/// A JSON type, for wrong-type mutations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonType {
    Null,
    Boolean,
    Integer,
    Fraction,
    String,
    Array,
    Object,
}

impl JsonType {
    const ALL: [JsonType; 7] =
        [Self::Null, Self::Boolean, Self::Integer, Self::Fraction, Self::String, Self::Array, Self::Object];

    fn example(self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Boolean => Value::Bool(true),
            Self::Integer => json!(7),
            Self::Fraction => json!(1.5),
            Self::String => json!("mutated"),
            Self::Array => json!([1]),
            Self::Object => json!({"mutated": 1}),
        }
    }
}

/// A change to a valid instance, and what the generated crate must do with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    /// The path of the changed value (`rows[0].call.status`), as serde_path_to_error writes it.
    pub path: String,
    /// What was done, for messages.
    pub description: String,
    /// The mutated document.
    pub instance: Value,
    /// What must happen.
    pub expected: Expected,
}

/// The outcome a mutation must have.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// Decoding fails with an error at this path.
    Rejected {
        /// The path the error names.
        at: String,
    },
    /// Decoding succeeds, by design (forward compatibility, lenient nullables).
    Accepted {
        /// Why the crate accepts more than the schema here.
        because: &'static str,
    },
    /// Decoding succeeds (bounds are not checked when decoding) and `Validate` reports this path.
    Invalid {
        /// The path `Validate` names.
        at: String,
    },
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

impl Schemas {
    /// The schemas of a parsed OpenAPI document.
    pub fn new(document: &Value) -> Self {
        let schemas = document["components"]["schemas"].as_object().cloned().unwrap_or_default();
        Self { schemas }
    }

    /// A `$ref` to a component.
    pub fn component(&self, name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        while let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let name = target.trim_start_matches("#/components/schemas/");
            match self.schemas.get(name) {
                Some(next) => schema = next,
                None => break,
            }
        }
        schema
    }

    fn shape<'a>(&'a self, schema: &'a Value) -> Shape<'a> {
        let schema = self.resolve(schema);
        for keyword in ["anyOf", "oneOf"] {
            if let Some(Value::Array(list)) = schema.get(keyword) {
                let is_null = |v: &&Value| v.get("type").and_then(Value::as_str) == Some("null");
                if let (Some(_), Some(other)) = (list.iter().find(is_null), list.iter().find(|v| !is_null(v))) {
                    return Shape::Nullable(Cow::Borrowed(other));
                }
                let tag = schema.pointer("/discriminator/propertyName").and_then(Value::as_str);
                return Shape::OneOf { variants: list.iter().collect(), tag };
            }
        }
        let (ty, nullable) = match schema.get("type") {
            Some(Value::Array(types)) => {
                let first = types.iter().filter_map(Value::as_str).find(|t| *t != "null");
                (first, types.iter().any(|t| t == "null"))
            }
            Some(Value::String(t)) => (Some(t.as_str()), false),
            _ => (None, false),
        };
        if let (true, Some(ty)) = (nullable, ty) {
            let mut inner = schema.clone();
            inner["type"] = Value::from(ty);
            return Shape::Nullable(Cow::Owned(inner));
        }
        let number = |key: &str| schema.get(key).and_then(Value::as_f64);
        match ty.or_else(|| (schema.get("const").is_some() || schema.get("enum").is_some()).then_some("string")) {
            Some("string") => {
                let values = schema.get("const").and_then(Value::as_str).map(|c| vec![c]).or_else(|| {
                    schema.get("enum").and_then(Value::as_array).map(|e| e.iter().filter_map(Value::as_str).collect())
                });
                Shape::String {
                    values,
                    min_length: schema.get("minLength").and_then(Value::as_u64).unwrap_or(0),
                    format: schema.get("format").and_then(Value::as_str),
                }
            }
            Some("integer") => {
                let min = number("minimum")
                    .map(|m| m.ceil() as i64)
                    .or(number("exclusiveMinimum").map(|m| m.floor() as i64 + 1));
                let max = number("maximum")
                    .map(|m| m.floor() as i64)
                    .or(number("exclusiveMaximum").map(|m| m.ceil() as i64 - 1));
                let (low, high) = (min.unwrap_or(-1000).max(-SAFE), max.unwrap_or(1_000_000).min(SAFE));
                let sized = matches!(
                    schema.get("format").and_then(Value::as_str),
                    Some("int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "uint")
                );
                let wide = !sized && (min.is_none() || max.is_none()) && schema.get("enum").is_none();
                Shape::Integer { low, high, min, max, wide }
            }
            Some("number") => {
                let max = number("maximum").or(number("exclusiveMaximum").map(|m| m - 1e-6));
                Shape::Number {
                    low: number("minimum").or(number("exclusiveMinimum").map(|m| m + 1e-6)).unwrap_or(-1e6),
                    high: max.unwrap_or(1e6),
                    max,
                }
            }
            Some("boolean") => Shape::Boolean,
            Some("array") => Shape::Array(schema.get("items").unwrap_or(&Value::Null)),
            Some("object") => match schema.get("properties").and_then(Value::as_object) {
                Some(properties) => Shape::Object {
                    properties: properties.iter().map(|(k, v)| (k.as_str(), v)).collect(),
                    required: schema
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default(),
                },
                None => Shape::Map(schema.get("additionalProperties").unwrap_or(&Value::Null)),
            },
            _ => Shape::Any,
        }
    }

    /// Valid instances of `schema`.
    pub fn instances(&self, schema: &Value) -> BoxedStrategy<Value> {
        self.strategy(schema, 0)
    }

    fn strategy(&self, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
        let deep = depth >= MAX_DEPTH;
        match self.shape(schema) {
            Shape::Any => any_json().boxed(),
            Shape::Nullable(_) if deep => Just(Value::Null).boxed(),
            Shape::Nullable(inner) => prop_oneof![1 => Just(Value::Null), 3 => self.strategy(&inner, depth)].boxed(),
            Shape::String { values: Some(values), .. } => {
                let values: Vec<Value> = values.into_iter().map(Value::from).collect();
                prop::sample::select(values).boxed()
            }
            Shape::String { values: None, min_length, format } => {
                // Values of the formats a crate may type (`Settings::typed_formats`) are written
                // in their format: any string would do for a `String`, not for a `Date`.
                const DAY: &str = "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])";
                let pattern = match format {
                    Some("date") => DAY.to_owned(),
                    Some("date-time") => format!("{DAY}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-]0[1-9]:[03]0)"),
                    Some("uuid") => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}".to_owned(),
                    _ => format!("[a-zA-Z0-9 _.:/+@éüßñ日本語📞-]{{{min_length},12}}"),
                };
                proptest::string::string_regex(&pattern).expect("valid pattern").prop_map(Value::from).boxed()
            }
            // JSON Schema's integers include numbers with a zero fraction (`167.0`).
            Shape::Integer { low, high, .. } => {
                prop_oneof![(low..=high).prop_map(Value::from), (low..=high).prop_map(|n| Value::from(n as f64))]
                    .boxed()
            }
            Shape::Number { low, high, .. } => {
                prop_oneof![(low..=high).prop_map(Value::from), Just(Value::from(low)), Just(Value::from(high))].boxed()
            }
            Shape::Boolean => any::<bool>().prop_map(Value::from).boxed(),
            Shape::Array(_) if deep => Just(json!([])).boxed(),
            Shape::Array(items) => {
                prop::collection::vec(self.strategy(items, depth + 1), 0..=3).prop_map(Value::from).boxed()
            }
            Shape::Object { properties, required } => {
                let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
                    .into_iter()
                    .filter(|(name, _)| !deep || required.contains(name))
                    .map(|(name, schema)| {
                        let key = name.to_owned();
                        let value = self.strategy(schema, depth + 1);
                        if required.contains(&name) {
                            value.prop_map(move |v| Some((key.clone(), v))).boxed()
                        } else {
                            prop::option::of(value.prop_map(move |v| (key.clone(), v))).boxed()
                        }
                    })
                    .collect();
                fields.prop_map(|fields| Value::Object(fields.into_iter().flatten().collect())).boxed()
            }
            Shape::Map(values) => {
                let values = if values.is_null() { any_json().boxed() } else { self.strategy(values, depth + 1) };
                prop::collection::btree_map("[a-z][a-z0-9_]{0,7}", values, 0..=3)
                    .prop_map(|m| Value::Object(m.into_iter().collect()))
                    .boxed()
            }
            Shape::OneOf { variants, .. } => Union::new(variants.into_iter().map(|v| self.strategy(v, depth))).boxed(),
        }
    }

    /// The JSON types a schema admits.
    fn admits(&self, schema: &Value, ty: JsonType) -> bool {
        match self.shape(schema) {
            Shape::Any => true,
            Shape::Nullable(inner) => ty == JsonType::Null || self.admits(&inner, ty),
            Shape::String { .. } => ty == JsonType::String,
            Shape::Integer { .. } => ty == JsonType::Integer,
            Shape::Number { .. } => matches!(ty, JsonType::Integer | JsonType::Fraction),
            Shape::Boolean => ty == JsonType::Boolean,
            Shape::Array(_) => ty == JsonType::Array,
            Shape::Object { .. } | Shape::Map(_) => ty == JsonType::Object,
            Shape::OneOf { variants, .. } => variants.iter().any(|v| self.admits(v, ty)),
        }
    }

    /// Every mutation of `instance` (valid for `schema`) the walk knows, with its expected outcome.
    pub fn mutations(&self, schema: &Value, instance: &Value) -> Vec<Mutation> {
        let mut out = Vec::new();
        let mut edit = |path: &[Step], description: String, replacement: Option<Value>, expected: Expected| {
            let mut mutated = instance.clone();
            apply(&mut mutated, path, replacement);
            out.push(Mutation { path: render(path), description, instance: mutated, expected });
        };
        self.walk(schema, instance, &mut Vec::new(), None, None, Null::Refused, &mut edit);
        out
    }

    /// Visits every node of `value` that the schema types (not the inside of `{}` values).
    /// `union` is where its errors are reported when it is inside a property that a tagged union
    /// read before its tag (as JSON, decoded once the tag was known: the path in the input stops
    /// at the union, and the message names the rest); `None` elsewhere, where errors are reported
    /// at their own path. `variant_tag` is set when `value` is a tagged union's object, walked as
    /// its variant: its properties whose keys sort before the tag (the instances are written with
    /// sorted keys) come before it in the input.
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        schema: &Value,
        value: &Value,
        path: &mut Vec<Step>,
        union: Option<&str>,
        variant_tag: Option<&str>,
        null: Null,
        edit: &mut Edit<'_>,
    ) {
        let shape = self.shape(schema);
        if matches!(shape, Shape::Any) {
            return;
        }
        let here = render(path);
        let reported_at = union.map_or_else(|| here.clone(), str::to_owned);
        for ty in JsonType::ALL {
            if !self.admits(schema, ty) {
                let expected = match (ty, null) {
                    (JsonType::Null, Null::Admitted) => continue,
                    (JsonType::Null, Null::MeansAbsent) => {
                        Expected::Accepted { because: "an optional property sent as null decodes as absent" }
                    }
                    _ => Expected::Rejected { at: reported_at.clone() },
                };
                edit(path, format!("{ty:?} at `{here}`"), Some(ty.example()), expected);
            }
        }
        match shape {
            Shape::Nullable(inner) if !value.is_null() => {
                self.walk(&inner, value, path, union, None, Null::Admitted, edit);
            }
            Shape::Integer { min, max, wide, .. } => {
                let rejected = Expected::Rejected { at: reported_at.clone() };
                let invalid = Expected::Invalid { at: here.clone() };
                // Outside the Rust type (`NonZeroU64`, `u64`, `i64`, `u128`…): refused when decoding.
                match min {
                    // `u128`: the minimum is left to `Validate`.
                    Some(min) if min >= 1 && wide => {
                        edit(path, "below the minimum".into(), Some(json!(min - 1)), invalid.clone());
                    }
                    Some(min) if min >= 1 => {
                        edit(path, "0 for a positive integer".into(), Some(json!(0)), rejected.clone());
                        if min > 1 {
                            edit(path, "below the minimum".into(), Some(json!(min - 1)), invalid.clone());
                        }
                    }
                    Some(0) => edit(path, "-1 for an unsigned integer".into(), Some(json!(-1)), rejected.clone()),
                    Some(min) => edit(path, "below the minimum".into(), Some(json!(min - 1)), invalid.clone()),
                    None => {}
                }
                if wide {
                    edit(
                        path,
                        "2^64".into(),
                        Some(json!(18_446_744_073_709_551_616.0_f64)),
                        Expected::Accepted {
                            because: "an integer the schema does not bound to 64 bits is a 128-bit one",
                        },
                    );
                    edit(path, "2^129".into(), Some(json!(2f64.powi(129))), rejected);
                } else {
                    edit(path, "2^64".into(), Some(json!(18_446_744_073_709_551_616.0_f64)), rejected);
                }
                edit(path, "a fraction".into(), Some(json!(0.5)), Expected::Rejected { at: reported_at.clone() });
                // Inside the Rust type, outside the schema's bounds: checked by `Validate`.
                if let Some(max) = max {
                    edit(path, "above the maximum".into(), Some(json!(max + 1)), invalid);
                }
            }
            Shape::Number { max: Some(max), .. } => {
                edit(path, "above the maximum".into(), Some(json!(max + 1.0)), Expected::Invalid { at: here.clone() });
            }
            Shape::String { values: None, min_length, .. } if min_length > 0 => {
                edit(path, "shorter than minLength".into(), Some(json!("")), Expected::Invalid { at: here.clone() });
            }
            Shape::Array(items) => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    path.push(Step::Index(i));
                    self.walk(items, item, path, union, None, Null::Refused, edit);
                    path.pop();
                }
            }
            Shape::Map(values) if !values.is_null() => {
                for (key, item) in value.as_object().into_iter().flatten() {
                    path.push(Step::Key(key.clone()));
                    self.walk(values, item, path, union, None, Null::Refused, edit);
                    path.pop();
                }
            }
            Shape::Object { properties, required } => {
                for (name, property) in properties {
                    let Some(item) = value.get(name) else { continue };
                    path.push(Step::Key(name.to_owned()));
                    if required.contains(&name) {
                        let nullable = matches!(self.shape(property), Shape::Nullable(_));
                        let expected = if nullable {
                            Expected::Accepted {
                                because: "an absent required nullable decodes as null (lenient, like serde's derive)",
                            }
                        } else {
                            Expected::Rejected { at: reported_at.clone() }
                        };
                        edit(path, format!("`{name}` removed"), None, expected);
                    }
                    let null = if required.contains(&name) { Null::Refused } else { Null::MeansAbsent };
                    let union = match variant_tag {
                        Some(tag) if name < tag => union.or(Some(here.as_str())),
                        _ => union,
                    };
                    self.walk(property, item, path, union, None, null, edit);
                    path.pop();
                }
            }
            Shape::OneOf { variants, tag: Some(tag) } => {
                let tag_value = value.get(tag).and_then(Value::as_str);
                let variant = variants.into_iter().find(|v| {
                    let v = self.resolve(v);
                    v.pointer(&format!("/properties/{tag}/const")).and_then(Value::as_str) == tag_value
                });
                if let Some(variant) = variant {
                    path.push(Step::Key(tag.to_owned()));
                    let because = "an object whose tag is unknown or missing is kept whole as `Other`";
                    edit(
                        path,
                        format!("tag `{tag}` changed"),
                        Some(json!("not-a-known-tag")),
                        Expected::Accepted { because },
                    );
                    edit(path, format!("tag `{tag}` removed"), None, Expected::Accepted { because });
                    path.pop();
                    let inner = self.resolve(variant);
                    // The tag itself is the union's business: walk the variant without it.
                    let mut without_tag = inner.clone();
                    if let Some(props) = without_tag.get_mut("properties").and_then(Value::as_object_mut) {
                        props.remove(tag);
                    }
                    if let Some(req) = without_tag.get_mut("required").and_then(Value::as_array_mut) {
                        req.retain(|r| r != tag);
                    }
                    self.walk(&without_tag, value, path, union, Some(tag), null, edit);
                }
            }
            _ => {}
        }
    }
}

/// Records one mutation: the path, a description, the replacement (`None` removes the value) and
/// the expected outcome.
type Edit<'a> = dyn FnMut(&[Step], String, Option<Value>, Expected) + 'a;

/// What a `null` in place of a value means there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Null {
    /// The schema refuses it.
    Refused,
    /// An optional property: decoded as absent, by design.
    MeansAbsent,
    /// A nullable's inner value: `null` is valid.
    Admitted,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => out = join(&out, key),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Replaces (or, with `None`, removes) the value at `path`.
fn apply(value: &mut Value, path: &[Step], replacement: Option<Value>) {
    let Some((last, parents)) = path.split_last() else {
        if let Some(replacement) = replacement {
            *value = replacement;
        }
        return;
    };
    let mut node = value;
    for step in parents {
        node = match step {
            Step::Key(key) => &mut node[key.as_str()],
            Step::Index(i) => &mut node[*i],
        };
    }
    match (last, replacement) {
        (Step::Key(key), Some(v)) => node[key.as_str()] = v,
        (Step::Key(key), None) => {
            if let Some(map) = node.as_object_mut() {
                map.remove(key);
            }
        }
        (Step::Index(i), Some(v)) => node[*i] = v,
        (Step::Index(i), None) => {
            if let Some(items) = node.as_array_mut() {
                items.remove(*i);
            }
        }
    }
}

/// Small arbitrary JSON, for `{}` schemas.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        (-1e3f64..1e3).prop_map(Value::from),
        "[a-z日本 ]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,5}", inner, 0..3).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
