//! Emits `types.rs`: one item per [`TypeDef`], with the `#[model(…)]` attributes from which
//! `codegen-derive`'s `Model` writes its serde, `Validate` and `JsonSchema` impls.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::gates::Gates;
use super::{code, doc_text, docs, docs_with, float, ident, schema_note, ty};
use crate::ir::{Enum, Field, Presence, Struct, Ty, TypeDef, TypeKind, Union};

/// What emitters need to know about other types while writing one.
pub(crate) struct Context<'a> {
    types: &'a [TypeDef],
}

impl<'a> Context<'a> {
    pub(crate) fn new(types: &'a [TypeDef]) -> Self {
        Self { types }
    }

    /// What the named type is, through aliases of other named types.
    fn kind(&self, name: &str) -> Option<&'a TypeKind> {
        crate::ir::kind_of(self.types, name)
    }

    /// Whether values of `ty` contain a struct or union, which implement `Validate`.
    fn validates(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => match self.kind(name) {
                Some(TypeKind::Struct(_) | TypeKind::Union(_)) => true,
                Some(TypeKind::Alias(inner)) => self.validates(inner),
                Some(TypeKind::Enum(_)) | None => false,
            },
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => self.validates(inner),
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
            | Ty::JsonObject => false,
        }
    }

    /// Whether `ty` has a value for `null`: `{}`, an `Option`, or a named alias of one (the
    /// `…OrNull` type of a nullable component).
    fn holds_null(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Any | Ty::Option(_) => true,
            Ty::Named(name) => match self.kind(name) {
                Some(TypeKind::Alias(inner)) => self.holds_null(inner),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether values of `ty` hold integers that the model reads itself (`#[model(integer)]`):
    /// an integer type, or lists, maps, options or boxes of them. Named types read their own:
    /// structs and unions, and an alias that holds integers, which is `Integers<…>` (see
    /// `type_def`).
    pub(crate) fn holds_integer(&self, ty: &Ty) -> bool {
        match ty {
            Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::I32 | Ty::U32 | Ty::I128 | Ty::U128 => true,
            Ty::Named(_) => false,
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => self.holds_integer(inner),
            Ty::String | Ty::Bool | Ty::F64 | Ty::DateTime | Ty::Date | Ty::Uuid | Ty::Any | Ty::JsonObject => false,
        }
    }

    fn enum_def(&self, ty: &Ty) -> Option<&'a Enum> {
        match ty {
            Ty::Named(name) => match self.kind(name) {
                Some(TypeKind::Enum(e)) => Some(e),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Every item of `types.rs`, one token stream per type, in IR order.
pub(crate) fn items(types: &[TypeDef], gates: &Gates) -> Vec<(String, TokenStream)> {
    types.iter().map(|def| def.name.clone()).zip(lazy_items(types, gates)).collect()
}

/// Every item of `types.rs`, made one at a time as the formatter asks for them.
pub(crate) fn lazy_items<'a>(types: &'a [TypeDef], gates: &'a Gates) -> impl Iterator<Item = TokenStream> + 'a {
    let cx = Context::new(types);
    types.iter().map(move |def| type_def(&cx, def, gates.ty(&def.name)))
}

/// One type, with `cfg` (its resources' features) on each of its items.
fn type_def(cx: &Context<'_>, def: &TypeDef, cfg: Option<TokenStream>) -> TokenStream {
    let TypeDef { name, pointer, component: _, docs: description, kind, former_refs: _ } = def;
    let doc = match description {
        Some(text) => docs(&doc_text(text)),
        None => docs(&format!("Generated from {}.", code(pointer))),
    };
    // The gate heads the item, where a reader looks first for whether it exists.
    let doc = quote!(#cfg #doc);
    // An alias has no impls (Rust cannot implement a trait for one). One that holds integers
    // is `Integers<…>`, which reads them with JSON Schema's rule (`167.0` is an integer) also
    // when the value is decoded on its own, where serde's impl for the integer would refuse it.
    if let TypeKind::Alias(target) = kind {
        let name = ident(name);
        let holds_integer = cx.holds_integer(target);
        let target = ty(target, &quote!());
        let target = if holds_integer { quote!(crate::runtime::codec::Integers<#target>) } else { target };
        return quote!(#doc pub type #name = #target;);
    }
    let schema = super::schema::json_schema(def);
    let item = match kind {
        TypeKind::Struct(s) => struct_def(cx, name, (&doc, cfg.as_ref()), schema.attrs, s),
        TypeKind::Enum(e) => enum_def(name, &doc, schema.attrs, e),
        TypeKind::Union(u) => union_def(cx, name, &doc, schema.attrs, u),
        TypeKind::Alias(_) => TokenStream::new(),
    };
    let constant = schema.constant;
    // The `JSON_SCHEMA` impl block is gated with its type.
    let constant = (!constant.is_empty()).then(|| quote!(#cfg #constant));
    quote!(#item #constant)
}

/// `#[model(…)]` with the given entries, or nothing when there are none.
fn model_attrs(entries: impl IntoIterator<Item = TokenStream>) -> Option<TokenStream> {
    let entries: Vec<TokenStream> = entries.into_iter().collect();
    (!entries.is_empty()).then(|| quote!(#[model(#(#entries),*)]))
}

/// A struct with its fields, the attributes the `Model` derive reads, and `impl Default` when
/// every field has a default; the derive writes the serde, `Validate` and `JsonSchema` impls.
/// `cfg` gates the `impl Default` as it does the struct (whose `doc` already carries it).
fn struct_def(
    cx: &Context<'_>,
    name: &str,
    (doc, cfg): (&TokenStream, Option<&TokenStream>),
    schema: Vec<TokenStream>,
    s: &Struct,
) -> TokenStream {
    let Struct { fields, has_default, extra, extra_values, tag, closed } = s;
    let type_name = ident(name);
    let extra = ident(extra);
    // The map of undeclared properties: typed when the document gives their schema.
    let (extra_ty, extra_doc, extra_attrs) = match extra_values {
        Some(values) => {
            let doc = docs(
                "Properties beyond the declared ones (`additionalProperties`), each a value of the type \
                 the API description gives them.",
            );
            let validate = cx.validates(values).then(|| quote!(, validate));
            let integer = cx.holds_integer(values).then(|| quote!(, integer));
            (ty(&Ty::Map(Box::new(values.clone())), &quote!()), doc, quote!(#[model(extra #validate #integer)]))
        }
        None => (
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
            quote! {
                /// Properties the API description does not declare, kept so that they encode back
                /// unchanged.
            },
            quote!(#[model(extra)]),
        ),
    };
    let defs = fields.iter().map(|f| field_def(cx, f));
    let deprecated = fields.iter().any(|f| f.deprecated);
    let allow_deprecated = deprecated.then(|| quote!(#[allow(deprecated)]));
    // `Default` sends nothing the caller did not set: an optional field starts absent whatever
    // its documented default (the server applies it), and only a required field with a default
    // starts with it (it must be sent, and the default is the value the API names). Without
    // such a field every field starts empty, and `Default` is derived.
    let derived_default = *has_default && !fields.iter().any(starts_with_default);
    // `Debug` comes with `Model`, written from the JSON form (one call instead of one expression
    // per field: see `codegen_runtime::codec::debug_object`).
    let derive = if derived_default {
        quote!(#[derive(Clone, Default, PartialEq, crate::runtime::Model)])
    } else {
        quote!(#[derive(Clone, PartialEq, crate::runtime::Model)])
    };
    let default_impl = (*has_default && !derived_default).then(|| {
        let inits = fields.iter().map(|f| {
            let name = ident(&f.name);
            let value = default_value(cx, f);
            quote!(#name: #value)
        });
        quote! {
            #cfg
            #allow_deprecated
            #[allow(clippy::derivable_impls)]
            impl ::std::default::Default for #type_name {
                fn default() -> Self {
                    Self { #(#inits,)* #extra: ::std::default::Default::default() }
                }
            }
        }
    });
    // A tagged-union variant: the union writes and reads the tag, the struct skips it. Encoded on
    // its own, a variant of one tag value writes it, so that it round-trips as its component.
    let tag = tag.as_ref().map(|t| {
        let property = &t.property;
        match t.values.as_slice() {
            [value] => quote!(tag = #property, tag_value = #value),
            _ => quote!(tag = #property),
        }
    });
    // `additionalProperties: false`: kept undeclared properties are reported by `Validate`.
    let closed = closed.then(|| quote!(closed));
    let attrs = model_attrs(tag.into_iter().chain(closed).chain(schema));
    let constructor = constructor(&type_name, (cfg, allow_deprecated.as_ref()), fields, &extra);
    // `#[non_exhaustive]`: a property the API adds is a field more, which must not break the
    // callers' code (README, "Semver"), so they build values with `new`, never a struct literal.
    quote! {
        #doc
        #derive
        #attrs
        #[non_exhaustive]
        pub struct #type_name {
            #(#defs)*
            #extra_doc
            #extra_attrs
            pub #extra: #extra_ty,
        }

        #constructor

        #default_impl
    }
}

/// Whether a field is an argument of the struct's `new`: its value cannot be left unset
/// (`None`), since the key must be present and may not be `null`.
fn constructor_arg(field: &Field) -> bool {
    field.presence == Presence::Required && !matches!(field.ty, Ty::Option(_))
}

/// `new(required…)`: the one way to build a `#[non_exhaustive]` model outside the crate. The
/// fields that may be unset start as `None` (absent, or `null` where the key is required but
/// nullable) and are set by assignment, so a property the API adds changes no call.
fn constructor(
    type_name: &proc_macro2::Ident,
    (cfg, allow_deprecated): (Option<&TokenStream>, Option<&TokenStream>),
    fields: &[Field],
    extra: &proc_macro2::Ident,
) -> TokenStream {
    let args = fields.iter().filter(|f| constructor_arg(f)).map(|f| {
        let name = ident(&f.name);
        let arg_ty = ty(&f.ty, &quote!());
        if into_arg(&f.ty) { quote!(#name: impl ::std::convert::Into<#arg_ty>) } else { quote!(#name: #arg_ty) }
    });
    let inits = fields.iter().map(|f| {
        let name = ident(&f.name);
        match (constructor_arg(f), into_arg(&f.ty)) {
            (true, true) => quote!(#name: #name.into()),
            (true, false) => quote!(#name),
            (false, _) => quote!(#name: None),
        }
    });
    quote! {
        #cfg
        #allow_deprecated
        impl #type_name {
            /// A value with the required fields given and every other one unset.
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #extra: ::std::default::Default::default() }
            }
        }
    }
}

/// Whether a constructor argument is taken as `impl Into<…>`, as parameters are: strings, and
/// numbers (so that `0` is accepted where the schema says `number`).
fn into_arg(field_ty: &Ty) -> bool {
    matches!(field_ty, Ty::String | Ty::F64)
}

fn field_def(cx: &Context<'_>, field: &Field) -> TokenStream {
    let Field {
        name,
        wire_name,
        docs: description,
        ty: field_ty,
        presence,
        deprecated,
        default,
        example: _,
        constraints,
        written,
        read_only,
        write_only,
    } = field;
    // A property the document does not describe has no text of its own (the emitted files allow
    // `missing_docs`): documentation is what the API's authors wrote.
    let mut text = description.as_deref().map(doc_text).unwrap_or_default();
    if *read_only {
        text.push_str("\n\nRead-only: set by the server, never sent in a request.");
    }
    if *write_only {
        text.push_str("\n\nWrite-only: sent in requests, never in a response, so never required here.");
    }
    let note = schema_note(written, constraints, default.as_ref());
    let doc = docs_with(&text, note);
    let deprecated = deprecated.then(|| quote!(#[deprecated]));
    let full = ty(&presence.wrap(field_ty), &quote!());
    let mut entries = Vec::new();
    if name != wire_name {
        entries.push(quote!(rename = #wire_name));
    }
    // `{}` admits `null`, and a nullable value type holds it: such an optional field keeps a
    // `null` apart from an absent key, as an optional nullable one does.
    let holds_null = cx.holds_null(field_ty);
    match presence {
        Presence::Required => {}
        Presence::RequiredNullable => entries.push(quote!(nullable)),
        Presence::Optional if !holds_null => entries.push(quote!(optional)),
        Presence::Optional | Presence::OptionalNullable => entries.push(quote!(optional, nullable)),
    }
    if cx.holds_integer(field_ty) {
        entries.push(quote!(integer));
    }
    entries.extend(field_checks(cx, field));
    let attrs = model_attrs(entries);
    let name = ident(name);
    quote! {
        #doc
        #deprecated
        #attrs
        pub #name: #full,
    }
}

/// Whether `Default` gives a field its documented default: a required one only.
fn starts_with_default(field: &Field) -> bool {
    field.default.is_some() && matches!(field.presence, Presence::Required | Presence::RequiredNullable)
}

fn default_value(cx: &Context<'_>, field: &Field) -> TokenStream {
    let value = field.default.as_ref().filter(|_| starts_with_default(field)).map(|d| literal(cx, &field.ty, d));
    match (field.presence, value) {
        (Presence::Required, Some(value)) => value,
        (Presence::RequiredNullable, Some(value)) => quote!(Some(#value)),
        (_, _) => quote!(None),
    }
}

/// A Rust expression for a default that lowering checked against the type.
fn literal(cx: &Context<'_>, field_ty: &Ty, value: &Value) -> TokenStream {
    match (field_ty, value) {
        (Ty::String, Value::String(s)) => quote!(::std::string::String::from(#s)),
        (Ty::Bool, Value::Bool(b)) => quote!(#b),
        (Ty::F64, Value::Number(n)) => {
            let lit = float(n);
            quote!(#lit)
        }
        (Ty::I64, Value::Number(n)) => {
            let lit = Literal::i64_unsuffixed(n.as_i64().unwrap_or_default());
            quote!(#lit)
        }
        (Ty::I32, Value::Number(n)) => {
            let lit = Literal::i64_unsuffixed(n.as_i64().unwrap_or_default());
            quote!(#lit)
        }
        (Ty::U32, Value::Number(n)) => {
            let lit = Literal::u64_unsuffixed(n.as_u64().unwrap_or_default());
            quote!(#lit)
        }
        (Ty::U64, Value::Number(n)) => {
            let lit = Literal::u64_unsuffixed(n.as_u64().unwrap_or_default());
            quote!(#lit)
        }
        // Lowering checked that the default is a 64-bit integer.
        (Ty::I128, Value::Number(n)) => {
            let lit = n
                .as_u64()
                .map_or_else(|| Literal::i64_unsuffixed(n.as_i64().unwrap_or_default()), Literal::u64_unsuffixed);
            quote!(#lit)
        }
        (Ty::U128, Value::Number(n)) => {
            let lit = Literal::u64_unsuffixed(n.as_u64().unwrap_or_default());
            quote!(#lit)
        }
        (Ty::NonZeroU64, Value::Number(n)) => {
            // Lowering checked that the default is positive, so `MIN` is never used.
            let lit = Literal::u64_unsuffixed(n.as_u64().unwrap_or(1));
            quote!(::std::num::NonZeroU64::new(#lit).unwrap_or(::std::num::NonZeroU64::MIN))
        }
        (Ty::Named(name), Value::String(s)) => {
            let type_name = ident(name);
            match cx.enum_def(field_ty).and_then(|e| e.variants.iter().find(|v| v.wire == *s)) {
                Some(variant) => {
                    let variant = ident(&variant.name);
                    quote!(#type_name::#variant)
                }
                None => quote!(#type_name::from(#s)),
            }
        }
        // Lowering only marks a struct `Default` when every default is one of the above.
        _ => quote!(::std::default::Default::default()),
    }
}

/// The `Validate` entries of a field's `#[model(…)]`: the bounds its type does not imply, and
/// `validate` when its values have bounds of their own.
fn field_checks(cx: &Context<'_>, field: &Field) -> Vec<TokenStream> {
    let crate::ir::Constraints {
        minimum,
        maximum,
        min_length,
        max_length,
        format: _,
        pattern,
        multiple_of,
        min_items,
        max_items,
        unique_items,
        min_properties,
        max_properties,
    } = &field.constraints;
    let mut checks = Vec::new();
    if let Some(b) = minimum {
        let value = float(&b.value);
        checks.push(if b.exclusive { quote!(exclusive_minimum = #value) } else { quote!(minimum = #value) });
    }
    if let Some(b) = maximum {
        let value = float(&b.value);
        checks.push(if b.exclusive { quote!(exclusive_maximum = #value) } else { quote!(maximum = #value) });
    }
    if let Some(n) = min_length {
        let n = Literal::u64_unsuffixed(*n);
        checks.push(quote!(min_length = #n));
    }
    if let Some(n) = max_length {
        let n = Literal::u64_unsuffixed(*n);
        checks.push(quote!(max_length = #n));
    }
    if let Some(p) = pattern {
        checks.push(quote!(pattern = #p));
    }
    if let Some(n) = multiple_of {
        let n = float(n);
        checks.push(quote!(multiple_of = #n));
    }
    // Properties are counted as items are: the runtime's `Collection` counts a map's entries.
    for (key, n) in [
        ("min_items", min_items),
        ("min_items", min_properties),
        ("max_items", max_items),
        ("max_items", max_properties),
    ] {
        if let Some(n) = n {
            let (key, n) = (quote::format_ident!("{key}"), Literal::u64_unsuffixed(*n));
            checks.push(quote!(#key = #n));
        }
    }
    if *unique_items {
        checks.push(quote!(unique_items));
    }
    if cx.validates(&field.ty) {
        checks.push(quote!(validate));
    }
    checks
}

fn enum_def(name: &str, doc: &TokenStream, schema: Vec<TokenStream>, e: &Enum) -> TokenStream {
    let Enum { variants, other } = e;
    let type_name = ident(name);
    let other = ident(other);
    let defs = variants.iter().map(|v| {
        let doc = docs(&code(&v.wire));
        let (variant, wire) = (ident(&v.name), &v.wire);
        let rename = (v.name != *wire).then(|| quote!(#[model(rename = #wire)]));
        quote!(#doc #rename #variant,)
    });
    let attrs = model_attrs(schema);
    quote! {
        #doc
        ///
        /// Values added to the API after this crate was generated decode as `Other` and encode back
        /// unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, crate::runtime::Model)]
        #attrs
        #[non_exhaustive]
        pub enum #type_name {
            #(#defs)*
            /// A value not known when this crate was generated, kept as received.
            #[model(other)]
            #other(::std::string::String),
        }
    }
}

fn union_def(cx: &Context<'_>, name: &str, doc: &TokenStream, schema: Vec<TokenStream>, u: &Union) -> TokenStream {
    let Union { tag, variants, any_of: _ } = u;
    let type_name = ident(name);
    // Untagged unions are decided by the first token when every variant has its own JSON kind;
    // otherwise serde's derive tries each variant in turn.
    let kinds = match tag {
        Some(_) => None,
        None => distinct_kinds(cx, variants),
    };
    let defs = variants.iter().enumerate().map(|(i, v)| {
        let doc = match &v.tag_value {
            Some(value) => docs(&format!("{}.", code(&format!("{}: \"{value}\"", tag.as_deref().unwrap_or_default())))),
            None => {
                let article = if v.name.starts_with(['A', 'E', 'I', 'O', 'U']) { "An" } else { "A" };
                docs(&format!("{article} {} value.", code(&v.name)))
            }
        };
        let mut entries = Vec::new();
        if let Some(value) = v.tag_value.as_deref().filter(|value| *value != v.name) {
            entries.push(quote!(rename = #value));
        }
        if let Some(kind) = kinds.as_ref().and_then(|k| k.get(i)) {
            let kind = format!("{kind:?}").to_lowercase();
            entries.push(quote!(kind = #kind));
        }
        if cx.validates(&v.ty) {
            entries.push(quote!(validate));
        }
        if v.keeps_tag {
            entries.push(quote!(keeps_tag));
        }
        // An untagged variant reads its integers through the runtime, by JSON Schema's rule
        // (`Model` does it for an `integer` variant on its own).
        let kind_is_integer = kinds.as_ref().and_then(|k| k.get(i)) == Some(&JsonKind::Integer);
        if tag.is_none() && !kind_is_integer && cx.holds_integer(&v.ty) {
            entries.push(quote!(integer));
        }
        let attrs = model_attrs(entries);
        let (variant, payload) = (ident(&v.name), ty(&v.ty, &quote!()));
        quote!(#doc #attrs #variant(#payload),)
    });
    // Unions carry `#[allow(clippy::large_enum_variant)]`: their variants are the API's shapes,
    // and boxing the large ones would cost an allocation per decoded value and change the types
    // users match on, for a size the document decides (see ARCHITECTURE.md, type mapping).
    let Some(tag) = tag else {
        let attrs = model_attrs([quote!(untagged)].into_iter().chain(schema));
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, crate::runtime::Model)]
            #attrs
            #[allow(clippy::large_enum_variant)]
            #[non_exhaustive]
            pub enum #type_name {
                #(#defs)*
            }
        };
    };
    let tag_doc = docs(&format!(
        "\nTold apart by its {} property. A variant added to the API after this crate was\n\
         generated decodes as `Other`, keeping the whole object.",
        code(tag)
    ));
    let attrs = model_attrs([quote!(tag = #tag)].into_iter().chain(schema));
    quote! {
        #doc
        #[doc = ""]
        #tag_doc
        #[derive(Debug, Clone, PartialEq, crate::runtime::Model)]
        #attrs
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #type_name {
            #(#defs)*
            /// A variant not known when this crate was generated, kept as received.
            #[model(other)]
            Other(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        }
    }
}

/// The JSON kind a value of a type always has, when it has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum JsonKind {
    String,
    Boolean,
    Integer,
    Number,
    Array,
    Object,
}

fn json_kind(cx: &Context<'_>, ty: &Ty) -> Option<JsonKind> {
    match ty {
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid => Some(JsonKind::String),
        Ty::Bool => Some(JsonKind::Boolean),
        Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::I32 | Ty::U32 | Ty::I128 | Ty::U128 => Some(JsonKind::Integer),
        Ty::F64 => Some(JsonKind::Number),
        Ty::Vec(_) => Some(JsonKind::Array),
        Ty::JsonObject | Ty::Map(_) => Some(JsonKind::Object),
        Ty::Box(inner) => json_kind(cx, inner),
        Ty::Named(name) => match cx.kind(name) {
            Some(TypeKind::Struct(_)) => Some(JsonKind::Object),
            Some(TypeKind::Enum(_)) => Some(JsonKind::String),
            Some(TypeKind::Alias(inner)) => json_kind(cx, inner),
            Some(TypeKind::Union(_)) | None => None,
        },
        Ty::Any | Ty::Option(_) => None,
    }
}

/// Each variant's JSON kind, in order, when every variant has one of its own.
fn distinct_kinds(cx: &Context<'_>, variants: &[crate::ir::UnionVariant]) -> Option<Vec<JsonKind>> {
    let kinds = variants.iter().map(|v| json_kind(cx, &v.ty)).collect::<Option<Vec<_>>>()?;
    let distinct: std::collections::BTreeSet<_> = kinds.iter().collect();
    (distinct.len() == kinds.len()).then_some(kinds)
}
