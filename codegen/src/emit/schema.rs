//! Emits `impl schemars::JsonSchema` for every type (behind the generated crate's `schemars`
//! feature), rebuilt from the IR: the types describe themselves with the schema they came from.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::gates::Gates;
use super::ident;
use crate::ir::{Bound, Constraints, Field, Struct, Ty, TypeDef, TypeKind, Union};

/// A JSON Schema under construction; references to other types are expressions.
enum Node {
    Literal(Value),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    /// `generator.subschema_for::<T>()` with extra keywords merged in.
    Reference(String, Vec<(String, Node)>),
}

impl Node {
    fn object(entries: impl IntoIterator<Item = (&'static str, Node)>) -> Self {
        Self::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    fn string(value: &str) -> Self {
        Self::Literal(Value::from(value))
    }

    /// Adds keywords beside the existing ones.
    fn with(self, extra: Vec<(String, Node)>) -> Self {
        match self {
            Self::Object(mut entries) => {
                entries.extend(extra);
                Self::Object(entries)
            }
            Self::Reference(name, mut entries) => {
                entries.extend(extra);
                Self::Reference(name, entries)
            }
            other if extra.is_empty() => other,
            other => {
                Self::Object(vec![("allOf".to_owned(), Self::Array(vec![other]))].into_iter().chain(extra).collect())
            }
        }
    }

    /// The same schema, also admitting `null`, in the forms the documents use: `type: [T, "null"]`
    /// beside a primitive type, `anyOf: [T, {type: null}]` around anything else; `{}` already
    /// admits null.
    fn nullable(self) -> Self {
        match self {
            Self::Object(mut entries) => {
                if entries.is_empty() {
                    return Self::Object(entries);
                }
                match entries.iter_mut().find(|(k, _)| k == "type") {
                    Some((_, node @ Self::Literal(Value::String(_)))) => {
                        if let Self::Literal(Value::String(t)) = node {
                            let t = std::mem::take(t);
                            *node = Self::Literal(Value::from(vec![t, "null".to_owned()]));
                        }
                        Self::Object(entries)
                    }
                    _ => Self::Object(entries).or_null(),
                }
            }
            other => other.or_null(),
        }
    }

    fn or_null(self) -> Self {
        Self::Object(vec![(
            "anyOf".to_owned(),
            Self::Array(vec![self, Self::object([("type", Self::string("null"))])]),
        )])
    }

    /// The template: the schema as JSON, each reference written `{"$ref": "TypeName", …}`.
    fn to_value(&self, references: &mut std::collections::BTreeSet<String>) -> Value {
        match self {
            Self::Literal(value) => value.clone(),
            Self::Object(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_value(references))).collect())
            }
            Self::Array(items) => Value::Array(items.iter().map(|v| v.to_value(references)).collect()),
            Self::Reference(name, extra) => {
                references.insert(name.clone());
                let mut object = serde_json::Map::new();
                object.insert("$ref".to_owned(), Value::from(name.as_str()));
                object.extend(extra.iter().map(|(k, v)| (k.clone(), v.to_value(references))));
                Value::Object(object)
            }
        }
    }
}

/// How wide a line of a template may get before a value is broken over several lines.
const WIDTH: usize = 100;

/// JSON as a reviewer reads it: a value stays on one line when that line fits in [`WIDTH`]
/// bytes, otherwise its entries go one per line, indented by two spaces.
fn json_text(value: &Value, indent: usize, out: &mut String) {
    let nonempty = match value {
        Value::Array(items) => !items.is_empty(),
        Value::Object(entries) => !entries.is_empty(),
        _ => false,
    };
    let start = out.len();
    let end = out.rfind('\n').map_or(0, |i| i + 1) + WIDTH;
    if one_line(value, out, end) || !nonempty {
        return;
    }
    out.truncate(start);
    let pad = " ".repeat(indent + 2);
    let (open, close) = if value.is_array() { ('[', ']') } else { ('{', '}') };
    out.push(open);
    let mut first = true;
    let mut entry = |key: Option<&String>, item: &Value, out: &mut String| {
        out.push_str(if first { "\n" } else { ",\n" });
        first = false;
        out.push_str(&pad);
        if let Some(key) = key {
            push_json(&Value::from(key.as_str()), out);
            out.push_str(": ");
        }
        json_text(item, indent + 2, out);
    };
    match value {
        Value::Array(items) => items.iter().for_each(|item| entry(None, item, out)),
        Value::Object(entries) => entries.iter().for_each(|(key, item)| entry(Some(key), item, out)),
        _ => {}
    }
    out.push('\n');
    out.push_str(&" ".repeat(indent));
    out.push(close);
}

/// Writes a value on one line, with a space after each `,` and `:`; `false` as soon as the line
/// passes byte `end` of `out` (what was written is then the caller's to truncate).
fn one_line(value: &Value, out: &mut String, end: usize) -> bool {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !one_line(item, out, end) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(entries) if !entries.is_empty() => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_json(&Value::from(key.as_str()), out);
                out.push_str(": ");
                if !one_line(item, out, end) {
                    return false;
                }
            }
            out.push('}');
        }
        scalar => push_json(scalar, out),
    }
    out.len() <= end
}

/// A scalar (or empty) JSON value, as serde_json writes it.
fn push_json(value: &Value, out: &mut String) {
    use std::fmt::Write as _;
    // Writing into a `String` cannot fail.
    let _ = write!(out, "{value}");
}

/// A raw string literal holding the JSON `text`, with as many `#` as it needs. Bidi controls,
/// which rustc denies in literals (`text_direction_codepoint_in_literal`), and invisible
/// characters, which clippy denies (`invisible_characters`: a zero-width space, a soft hyphen, a
/// word joiner), can only stand inside JSON strings, so they are written as JSON escapes
/// (`\u202e`): the JSON value is unchanged.
fn raw_string(text: &str) -> Literal {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::docs::is_bidi_control(c) || matches!(c, '\u{200b}' | '\u{00ad}' | '\u{2060}' | '\u{feff}') {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    let text = &escaped;
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let source = format!("r{hashes}\"{text}\"{hashes}");
    source.parse().unwrap_or_else(|_| Literal::string(text))
}

fn value_schema(value_ty: &Ty) -> Node {
    let typed = |name: &str| Node::object([("type", Node::string(name))]);
    match value_ty {
        Ty::String => typed("string"),
        Ty::Bool => typed("boolean"),
        Ty::F64 => typed("number"),
        Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::I32 | Ty::U32 | Ty::I128 | Ty::U128 => typed("integer"),
        Ty::DateTime | Ty::Date | Ty::Uuid => {
            let format = match value_ty {
                Ty::DateTime => "date-time",
                Ty::Date => "date",
                _ => "uuid",
            };
            Node::object([("type", Node::string("string")), ("format", Node::string(format))])
        }
        Ty::Any => Node::Object(Vec::new()),
        Ty::JsonObject => {
            Node::object([("type", Node::string("object")), ("additionalProperties", Node::Object(Vec::new()))])
        }
        Ty::Map(inner) => {
            Node::object([("type", Node::string("object")), ("additionalProperties", value_schema(inner))])
        }
        Ty::Vec(inner) => Node::object([("type", Node::string("array")), ("items", value_schema(inner))]),
        Ty::Named(name) => Node::Reference(name.clone(), Vec::new()),
        Ty::Option(inner) => value_schema(inner).nullable(),
        Ty::Box(inner) => value_schema(inner),
    }
}

fn bounds(written: &Constraints) -> Vec<(String, Node)> {
    let Constraints {
        minimum,
        maximum,
        min_length,
        max_length,
        format,
        pattern,
        multiple_of,
        min_items,
        max_items,
        unique_items,
        min_properties,
        max_properties,
    } = written;
    let mut out = Vec::new();
    let bound = |b: &Bound, plain: &str, exclusive: &str| {
        let key = if b.exclusive { exclusive } else { plain };
        (key.to_owned(), Node::Literal(Value::Number(b.value.clone())))
    };
    out.extend(minimum.as_ref().map(|b| bound(b, "minimum", "exclusiveMinimum")));
    out.extend(maximum.as_ref().map(|b| bound(b, "maximum", "exclusiveMaximum")));
    out.extend(min_length.map(|n| ("minLength".to_owned(), Node::Literal(Value::from(n)))));
    out.extend(max_length.map(|n| ("maxLength".to_owned(), Node::Literal(Value::from(n)))));
    out.extend(format.as_ref().map(|f| ("format".to_owned(), Node::string(f))));
    out.extend(pattern.as_ref().map(|p| ("pattern".to_owned(), Node::string(p))));
    out.extend(multiple_of.as_ref().map(|n| ("multipleOf".to_owned(), Node::Literal(Value::Number(n.clone())))));
    for (key, n) in [
        ("minItems", min_items),
        ("maxItems", max_items),
        ("minProperties", min_properties),
        ("maxProperties", max_properties),
    ] {
        out.extend(n.map(|n| (key.to_owned(), Node::Literal(Value::from(n)))));
    }
    if *unique_items {
        out.push(("uniqueItems".to_owned(), Node::Literal(Value::Bool(true))));
    }
    out
}

fn description(docs: Option<&String>) -> Vec<(String, Node)> {
    docs.map(|d| ("description".to_owned(), Node::string(d))).into_iter().collect()
}

fn field_schema(field: &Field) -> Node {
    let Field {
        name: _,
        wire_name: _,
        docs,
        ty: field_ty,
        presence,
        deprecated,
        default,
        example: _,
        constraints: _,
        written,
        read_only,
        write_only,
    } = field;
    let base = value_schema(field_ty);
    let base = if presence.nullable() { base.nullable() } else { base };
    let mut extra = bounds(written);
    extra.extend(description(docs.as_ref()));
    extra.extend(default.as_ref().map(|d| ("default".to_owned(), Node::Literal(d.clone()))));
    if *deprecated {
        extra.push(("deprecated".to_owned(), Node::Literal(Value::Bool(true))));
    }
    for (flag, keyword) in [(read_only, "readOnly"), (write_only, "writeOnly")] {
        if *flag {
            extra.push((keyword.to_owned(), Node::Literal(Value::Bool(true))));
        }
    }
    // Bounds belong to the value, not to the `anyOf` around a nullable reference; the
    // documents put them beside `type`, which `nullable` keeps.
    base.with(extra)
}

fn struct_schema(s: &Struct) -> Node {
    let Struct { fields, has_default: _, extra: _, extra_values, tag, closed } = s;
    let mut properties: Vec<(String, Node)> = fields.iter().map(|f| (f.wire_name.clone(), field_schema(f))).collect();
    let mut required: Vec<String> =
        fields.iter().filter(|f| !f.presence.optional()).map(|f| f.wire_name.clone()).collect();
    if let Some(tag) = tag {
        let mut node = match tag.values.as_slice() {
            [one] => vec![("type".to_owned(), Node::string("string")), ("const".to_owned(), Node::string(one))],
            several => vec![
                ("type".to_owned(), Node::string("string")),
                ("enum".to_owned(), Node::Array(several.iter().map(|v| Node::string(v)).collect())),
            ],
        };
        node.extend(description(tag.docs.as_ref()));
        properties.push((tag.property.clone(), Node::Object(node)));
        required.push(tag.property.clone());
    }
    required.sort();
    let node = Node::object([
        ("type", Node::string("object")),
        ("properties", Node::Object(properties)),
        ("required", Node::Literal(Value::from(required))),
    ]);
    let closed = closed.then(|| ("additionalProperties".to_owned(), Node::Literal(Value::Bool(false))));
    let typed = extra_values.as_ref().map(|values| ("additionalProperties".to_owned(), value_schema(values)));
    node.with(closed.into_iter().chain(typed).collect())
}

fn union_schema(u: &Union) -> Node {
    let Union { tag, variants, any_of } = u;
    // Several tag values may select one type: it is one alternative (twice, a value of it would
    // match two of a `oneOf`'s).
    let mut types: Vec<&Ty> = Vec::new();
    for v in variants {
        if !types.contains(&&v.ty) {
            types.push(&v.ty);
        }
    }
    let variants = Node::Array(types.into_iter().map(value_schema).collect());
    match tag {
        Some(tag) => {
            Node::object([("oneOf", variants), ("discriminator", Node::object([("propertyName", Node::string(tag))]))])
        }
        None if *any_of => Node::object([("anyOf", variants)]),
        None => Node::object([("oneOf", variants)]),
    }
}

/// The schema of a type: the template text and, per referenced type, the function that gives
/// its subschema.
fn template(def: &TypeDef) -> (Literal, TokenStream) {
    let TypeDef { name: _, pointer: _, component: _, docs, kind, former_refs: _ } = def;
    let schema = match kind {
        TypeKind::Struct(s) => struct_schema(s),
        TypeKind::Enum(e) => {
            let values: Vec<Value> = e.variants.iter().map(|v| Value::from(v.wire.as_str())).collect();
            Node::object([("type", Node::string("string")), ("enum", Node::Literal(Value::from(values)))])
        }
        TypeKind::Union(u) => union_schema(u),
        TypeKind::Alias(alias) => value_schema(alias),
    };
    let schema = schema.with(description(docs.as_ref()));
    let mut references = std::collections::BTreeSet::new();
    let value = schema.to_value(&mut references);
    let mut text = String::new();
    json_text(&value, 0, &mut text);
    let references = references.iter().map(|name| {
        let type_name = ident(name);
        quote!((#name, ::schemars::SchemaGenerator::subschema_for::<#type_name>))
    });
    (raw_string(&text), quote!(&[#(#references),*]))
}

/// What the `Model` derive needs to implement `JsonSchema` for a struct, enum or union.
pub(crate) struct SchemaParts {
    /// The type's `#[model(…)]` entries: `schema_name` when the component's name is not the
    /// Rust name, `inline_schema` for an inline schema.
    pub(crate) attrs: Vec<TokenStream>,
    /// `impl T { const JSON_SCHEMA: &str = …; }`, behind the `schemars` feature.
    pub(crate) constant: TokenStream,
}

/// The `JsonSchema` parts of one type. A type alias has none (Rust cannot implement a trait for
/// it); its schema is in [`registry`] and references to it describe the aliased type.
pub(crate) fn json_schema(def: &TypeDef) -> SchemaParts {
    let TypeDef { name, pointer: _, component, docs: _, kind: _, former_refs: _ } = def;
    let (text, _) = template(def);
    let type_name = ident(name);
    let mut attrs = Vec::new();
    match component {
        Some(component) if component != name => attrs.push(quote!(schema_name = #component)),
        Some(_) => {}
        None => attrs.push(quote!(inline_schema)),
    }
    let constant = quote! {
        #[cfg(feature = "schemars")]
        impl #type_name {
            const JSON_SCHEMA: &str = #text;
        }
    };
    SchemaParts { attrs, constant }
}

/// `component_schemas`: every named schema's JSON Schema, by its name in the document.
pub(crate) fn registry(types: &[TypeDef], gates: &Gates) -> TokenStream {
    let mut gated = false;
    // A nullable component is listed as its `Option` alias (`null` included), not as the type of
    // its non-null shape, which carries the component's name too.
    let nullable: std::collections::BTreeSet<(&str, Option<&str>)> =
        types.iter().filter_map(|def| Some((def.nullable_of()?, def.component.as_deref()))).collect();
    let inserts = types.iter().filter_map(|def| {
        let component = def.component.as_deref()?;
        if nullable.contains(&(def.name.as_str(), Some(component))) {
            return None;
        }
        // A type behind its resources' features is listed when they are on.
        let cfg = gates.ty(&def.name);
        gated |= cfg.is_some();
        if matches!(def.kind, TypeKind::Alias(_)) {
            let (text, references) = template(def);
            return Some(quote!(#cfg schemas.insert(#component, crate::runtime::schema::from_template(generator, #text, #references));));
        }
        let type_name = ident(&def.name);
        Some(quote!(#cfg schemas.insert(#component, <#type_name as ::schemars::JsonSchema>::json_schema(generator));))
    });
    let inserts: Vec<_> = inserts.collect();
    // With every gated schema's features off, nothing may be inserted.
    let allow = gated.then(|| quote!(#[allow(unused_mut, unused_variables)]));
    // A document without component schemas has an empty registry: no `mut`, no unused argument.
    let body = if inserts.is_empty() {
        quote! {
            let _ = generator;
            ::std::collections::BTreeMap::new()
        }
    } else {
        quote! {
            let mut schemas = ::std::collections::BTreeMap::new();
            #(#inserts)*
            schemas
        }
    };
    quote! {
        /// The JSON Schema of every named schema of the API description, by its name there, as
        /// the types describe themselves. References point into `generator`'s definitions.
        #[cfg(feature = "schemars")]
        #allow
        pub fn component_schemas(
            generator: &mut ::schemars::SchemaGenerator,
        ) -> ::std::collections::BTreeMap<&'static str, ::schemars::Schema> {
            #body
        }
    }
}
