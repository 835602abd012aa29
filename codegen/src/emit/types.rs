//! Emits `types.rs`: one item (and its impls) per [`TypeDef`].

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::{code, doc_text, docs, docs_with, float, ident, schema_note, ty};
use crate::ir::{Enum, Field, Presence, Struct, Ty, TypeDef, TypeKind, Union};

/// What emitters need to know about other types while writing one.
pub(crate) struct Context<'a> {
    kinds: BTreeMap<&'a str, &'a TypeKind>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(types: &'a [TypeDef]) -> Self {
        Self { kinds: types.iter().map(|t| (t.name.as_str(), &t.kind)).collect() }
    }

    /// Whether values of `ty` contain a struct or union, which implement `Validate`.
    fn validates(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => match self.kinds.get(name.as_str()) {
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
            | Ty::Any
            | Ty::JsonObject => false,
        }
    }

    fn enum_def(&self, ty: &Ty) -> Option<&'a Enum> {
        match ty {
            Ty::Named(name) => match self.kinds.get(name.as_str()) {
                Some(TypeKind::Enum(e)) => Some(e),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Every item of `types.rs`, one token stream per type, in IR order.
pub(crate) fn items(types: &[TypeDef]) -> Vec<(String, TokenStream)> {
    let cx = Context::new(types);
    types
        .iter()
        .map(|def| {
            let item = type_def(&cx, def);
            let schema = super::schema::json_schema_impl(def);
            (def.name.clone(), quote!(#item #schema))
        })
        .collect()
}

fn type_def(cx: &Context<'_>, def: &TypeDef) -> TokenStream {
    let TypeDef { name, pointer, component: _, docs: description, kind } = def;
    let doc = match description {
        Some(text) => docs(&doc_text(text)),
        None => docs(&format!("Generated from {}.", code(pointer))),
    };
    match kind {
        TypeKind::Struct(s) => struct_def(cx, name, &doc, s),
        TypeKind::Enum(e) => enum_def(name, &doc, e),
        TypeKind::Union(u) => union_def(cx, name, &doc, u),
        TypeKind::Alias(target) => {
            let name = ident(name);
            let target = ty(target, &quote!());
            quote!(#doc pub type #name = #target;)
        }
    }
}

fn struct_def(cx: &Context<'_>, name: &str, doc: &TokenStream, s: &Struct) -> TokenStream {
    let Struct { fields, has_default, extra, tag, closed } = s;
    let type_name = ident(name);
    let extra = ident(extra);
    let defs = fields.iter().map(field_def);
    let deprecated = fields.iter().any(|f| f.deprecated);
    let allow_deprecated = deprecated.then(|| quote!(#[allow(deprecated)]));
    let default_impl = has_default.then(|| {
        let inits = fields.iter().map(|f| {
            let name = ident(&f.name);
            let value = default_value(cx, f);
            quote!(#name: #value)
        });
        quote! {
            #allow_deprecated
            impl ::std::default::Default for #type_name {
                fn default() -> Self {
                    Self { #(#inits,)* #extra: ::serde_json::Map::new() }
                }
            }
        }
    });
    let mut checks: Vec<TokenStream> = fields.iter().filter_map(|f| field_check(cx, f)).collect();
    if *closed {
        checks.push(quote!(__validator.no_undeclared(&self.#extra);));
    }
    let validator = if checks.is_empty() { quote!(_validator) } else { quote!(__validator) };
    let serialize = serialize_fields(fields, &extra);
    let deserialize = deserialize_struct(name, fields, &extra, tag.as_ref().map(|t| t.property.as_str()));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #type_name {
            #(#defs)*
            /// Properties the API description does not declare, kept so that they encode back
            /// unchanged.
            pub #extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        #default_impl

        impl ::serde::Serialize for #type_name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                crate::runtime::codec::serialize_object(self, __serializer)
            }
        }

        #allow_deprecated
        impl crate::runtime::codec::SerializeFields for #type_name {
            #serialize
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::codec::deserialize_object(__deserializer)
            }
        }

        #allow_deprecated
        impl<'de> crate::runtime::codec::FromFields<'de> for #type_name {
            #deserialize
        }

        #allow_deprecated
        impl crate::runtime::Validate for #type_name {
            fn validate_into(&self, #validator: &mut crate::runtime::Validator) {
                #(#checks)*
            }
        }
    }
}

/// Writes every present field, then the extra properties, into an open map.
fn serialize_fields(fields: &[Field], extra: &proc_macro2::Ident) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let (name, wire) = (ident(&f.name), &f.wire_name);
        match f.presence {
            Presence::Required | Presence::RequiredNullable => quote!(__map.serialize_entry(#wire, &self.#name)?;),
            Presence::Optional | Presence::OptionalNullable => quote! {
                if let Some(__value) = &self.#name {
                    __map.serialize_entry(#wire, __value)?;
                }
            },
        }
    });
    quote! {
        fn serialize_fields<__M: ::serde::ser::SerializeMap>(&self, __map: &mut __M) -> ::std::result::Result<(), __M::Error> {
            #(#entries)*
            for (__key, __value) in &self.#extra {
                __map.serialize_entry(__key, __value)?;
            }
            Ok(())
        }
    }
}

/// Reads the fields from a map, matching known keys without buffering and keeping unknown ones.
fn deserialize_struct(name: &str, fields: &[Field], extra: &proc_macro2::Ident, tag: Option<&str>) -> TokenStream {
    let expecting = format!("a `{name}` object");
    let slots = fields.iter().map(|f| {
        let slot = slot(&f.name);
        quote!(let mut #slot = None;)
    });
    // Every slot holds `Some(value)` once its key was read, so a second occurrence of the key is
    // caught (`field` refuses it, as serde's derive does) instead of silently replacing the first.
    let arms = fields.iter().map(|f| {
        let (slot, wire) = (slot(&f.name), &f.wire_name);
        quote!(#wire => crate::runtime::codec::field(&mut #slot, &mut __map, #wire)?,)
    });
    let skip_tag = tag.map(|tag| quote!(#tag => { __map.next_value::<::serde::de::IgnoredAny>()?; }));
    let inits = fields.iter().map(|f| {
        let (name, slot, wire) = (ident(&f.name), slot(&f.name), &f.wire_name);
        match f.presence {
            Presence::Required => quote!(#name: crate::runtime::codec::required(#slot, #wire)?),
            // Lenient like serde's derive: an absent nullable decodes as `null`.
            Presence::RequiredNullable => quote!(#name: #slot.flatten()),
            // A `null` for an optional property that is not nullable decodes as absent.
            Presence::Optional if !matches!(f.ty, Ty::Any | Ty::Option(_)) => quote!(#name: #slot.flatten()),
            Presence::Optional | Presence::OptionalNullable => quote!(#name: #slot),
        }
    });
    let keep = quote!(__extra.insert(__key.into_string(), __map.next_value()?););
    // No declared property (`properties: {}`): every key is kept, without a `match` of one arm.
    let body = if fields.is_empty() && skip_tag.is_none() {
        keep
    } else {
        quote! {
            match __key.as_str() {
                #(#arms)*
                #skip_tag
                _ => {
                    #keep
                }
            }
        }
    };
    quote! {
        const EXPECTING: &'static str = #expecting;

        fn from_fields<__A: ::serde::de::MapAccess<'de>>(mut __map: __A) -> ::std::result::Result<Self, __A::Error> {
            #(#slots)*
            let mut __extra = ::serde_json::Map::new();
            while let Some(__key) = __map.next_key::<crate::runtime::codec::Key<'de>>()? {
                #body
            }
            Ok(Self {
                #(#inits,)*
                #extra: __extra,
            })
        }
    }
}

/// The local variable holding a field while decoding: `__field_…` never meets a field name or
/// the other locals (`__map`, `__key`, `__extra`), as in serde_derive's `__field0`.
fn slot(name: &str) -> proc_macro2::Ident {
    // `_3d_scan` (from `3d_scan`) gives `__field_3d_scan`; only digit-led names start with `_`,
    // so this stays one-to-one.
    quote::format_ident!("__field_{}", name.trim_start_matches('_'))
}

fn field_def(field: &Field) -> TokenStream {
    let Field {
        name,
        wire_name,
        docs: description,
        ty: field_ty,
        presence,
        deprecated,
        default,
        constraints,
        written,
        read_only,
        write_only,
    } = field;
    let mut text = match description {
        Some(text) => doc_text(text),
        None => format!("The {} property.", code(wire_name)),
    };
    if *read_only {
        text.push_str("\n\nRead-only: set by the server, never sent in a request.");
    }
    if *write_only {
        text.push_str("\n\nWrite-only: sent in requests, never in a response, so never required here.");
    }
    let note = schema_note(written, constraints, default.as_ref());
    let doc = docs_with(&text, note);
    let deprecated = deprecated.then(|| quote!(#[deprecated]));
    let inner = ty(field_ty, &quote!());
    let full = match presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(::std::option::Option<#inner>),
        Presence::OptionalNullable => quote!(::std::option::Option<::std::option::Option<#inner>>),
    };
    let name = ident(name);
    quote! {
        #doc
        #deprecated
        pub #name: #full,
    }
}

fn default_value(cx: &Context<'_>, field: &Field) -> TokenStream {
    let value = field.default.as_ref().map(|d| literal(cx, &field.ty, d));
    match (field.presence, value) {
        (Presence::Required, Some(value)) => value,
        (Presence::RequiredNullable, Some(value)) => quote!(Some(#value)),
        (Presence::OptionalNullable, Some(value)) => {
            quote!(Some(Some(#value)))
        }
        (Presence::Optional, Some(value)) => quote!(Some(#value)),
        (_, None) => quote!(None),
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

fn field_check(cx: &Context<'_>, field: &Field) -> Option<TokenStream> {
    let name = ident(&field.name);
    let wire = &field.wire_name;
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
        let (value, exclusive) = (float(&b.value), b.exclusive);
        checks.push(quote!(__validator.minimum(#wire, &self.#name, #value, #exclusive);));
    }
    if let Some(b) = maximum {
        let (value, exclusive) = (float(&b.value), b.exclusive);
        checks.push(quote!(__validator.maximum(#wire, &self.#name, #value, #exclusive);));
    }
    if let Some(n) = min_length {
        let n = Literal::u64_unsuffixed(*n);
        checks.push(quote!(__validator.min_length(#wire, &self.#name, #n);));
    }
    if let Some(n) = max_length {
        let n = Literal::u64_unsuffixed(*n);
        checks.push(quote!(__validator.max_length(#wire, &self.#name, #n);));
    }
    if let Some(p) = pattern {
        checks.push(quote!(__validator.pattern(#wire, &self.#name, #p);));
    }
    if let Some(n) = multiple_of {
        let n = float(n);
        checks.push(quote!(__validator.multiple_of(#wire, &self.#name, #n);));
    }
    for (n, method) in [(min_items, "min_items"), (min_properties, "min_items")] {
        if let Some(n) = n {
            let (n, method) = (Literal::u64_unsuffixed(*n), quote::format_ident!("{method}"));
            checks.push(quote!(__validator.#method(#wire, &self.#name, #n);));
        }
    }
    for (n, method) in [(max_items, "max_items"), (max_properties, "max_items")] {
        if let Some(n) = n {
            let (n, method) = (Literal::u64_unsuffixed(*n), quote::format_ident!("{method}"));
            checks.push(quote!(__validator.#method(#wire, &self.#name, #n);));
        }
    }
    if *unique_items {
        checks.push(quote!(__validator.unique_items(#wire, &self.#name);));
    }
    if cx.validates(&field.ty) {
        checks.push(quote!(__validator.nested(#wire, &self.#name);));
    }
    (!checks.is_empty()).then(|| quote!(#(#checks)*))
}

fn enum_def(name: &str, doc: &TokenStream, e: &Enum) -> TokenStream {
    let Enum { variants, other } = e;
    let type_name = ident(name);
    let other = ident(other);
    let expecting = format!("a `{name}` string");
    let defs = variants.iter().map(|v| {
        let doc = docs(&code(&v.wire));
        let variant = ident(&v.name);
        quote!(#doc #variant,)
    });
    let to_wire = variants.iter().map(|v| {
        let (variant, wire) = (ident(&v.name), &v.wire);
        quote!(Self::#variant => #wire,)
    });
    let from_wire = variants.iter().map(|v| {
        let (variant, wire) = (ident(&v.name), &v.wire);
        quote!(#wire => Self::#variant,)
    });
    quote! {
        #doc
        ///
        /// Values added to the API after this crate was generated decode as `Other` and encode back
        /// unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #type_name {
            #(#defs)*
            /// A value not known when this crate was generated, kept as received.
            #other(::std::string::String),
        }

        impl #type_name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#other(__value) => __value,
                }
            }
        }

        impl ::std::convert::From<&str> for #type_name {
            fn from(__value: &str) -> Self {
                match __value {
                    #(#from_wire)*
                    _ => Self::#other(::std::borrow::ToOwned::to_owned(__value)),
                }
            }
        }

        impl ::std::fmt::Display for #type_name {
            fn fmt(&self, __f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                __f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                __serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::codec::deserialize_enum(__deserializer, #expecting)
            }
        }
    }
}

fn union_def(cx: &Context<'_>, name: &str, doc: &TokenStream, u: &Union) -> TokenStream {
    let Union { tag, variants, any_of: _ } = u;
    let type_name = ident(name);
    let defs = variants.iter().map(|v| {
        let doc = match &v.tag_value {
            Some(value) => docs(&format!("{}.", code(&format!("{}: \"{value}\"", tag.as_deref().unwrap_or_default())))),
            None => docs(&format!("A {} value.", code(&v.name))),
        };
        let (variant, payload) = (ident(&v.name), ty(&v.ty, &quote!()));
        quote!(#doc #variant(#payload),)
    });
    let checks = variants.iter().filter(|v| cx.validates(&v.ty)).map(|v| {
        let variant = ident(&v.name);
        quote!(Self::#variant(__value) => crate::runtime::Validate::validate_into(__value, __validator),)
    });
    let checks: Vec<TokenStream> = checks.collect();
    let exhaustive = checks.len() == variants.len() && tag.is_none();
    let rest = (!exhaustive).then(|| quote!(_ => {}));
    let validate = if checks.is_empty() {
        quote!(
            fn validate_into(&self, _validator: &mut crate::runtime::Validator) {}
        )
    } else {
        quote! {
            fn validate_into(&self, __validator: &mut crate::runtime::Validator) {
                match self {
                    #(#checks)*
                    #rest
                }
            }
        }
    };
    let Some(tag) = tag else {
        let (derive, deserialize) = match untagged_deserialize(cx, name, variants) {
            Some(deserialize) => (quote!(#[derive(Debug, Clone, PartialEq, ::serde::Serialize)]), Some(deserialize)),
            None => (quote!(#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]), None),
        };
        return quote! {
            #doc
            #derive
            #[serde(untagged)]
            pub enum #type_name {
                #(#defs)*
            }

            #deserialize

            impl crate::runtime::Validate for #type_name {
                #validate
            }
        };
    };
    let tag_doc = docs(&format!(
        "\nTold apart by its {} property. A variant added to the API after this crate was\n\
         generated decodes as `Other`, keeping the whole object.",
        code(tag)
    ));
    let encode = variants.iter().map(|v| {
        let (variant, value) = (ident(&v.name), v.tag_value.as_deref().unwrap_or_default());
        quote!(Self::#variant(__value) => crate::runtime::codec::serialize_tagged(__serializer, #tag, #value, __value),)
    });
    let decode = variants.iter().map(|v| {
        let (variant, value) = (ident(&v.name), v.tag_value.as_deref().unwrap_or_default());
        quote!(Some(#value) => __object.decode().map(Self::#variant),)
    });
    quote! {
        #doc
        #[doc = ""]
        #tag_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #type_name {
            #(#defs)*
            /// A variant not known when this crate was generated, kept as received.
            Other(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    #(#encode)*
                    Self::Other(__object) => ::serde::Serialize::serialize(__object, __serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let __object = crate::runtime::codec::Buffered::read(__deserializer, #tag)?;
                match __object.tag() {
                    #(#decode)*
                    _ => Ok(Self::Other(__object.into_object())),
                }
            }
        }

        impl crate::runtime::Validate for #type_name {
            #validate
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
        Ty::String => Some(JsonKind::String),
        Ty::Bool => Some(JsonKind::Boolean),
        Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::I32 | Ty::U32 => Some(JsonKind::Integer),
        Ty::F64 => Some(JsonKind::Number),
        Ty::Vec(_) => Some(JsonKind::Array),
        Ty::JsonObject | Ty::Map(_) => Some(JsonKind::Object),
        Ty::Box(inner) => json_kind(cx, inner),
        Ty::Named(name) => match cx.kinds.get(name.as_str()) {
            Some(TypeKind::Struct(_)) => Some(JsonKind::Object),
            Some(TypeKind::Enum(_)) => Some(JsonKind::String),
            Some(TypeKind::Alias(inner)) => json_kind(cx, inner),
            Some(TypeKind::Union(_)) | None => None,
        },
        Ty::Any | Ty::Option(_) => None,
    }
}

/// A `Deserialize` that picks the variant from the first token, without serde's buffering of
/// untagged enums; `None` when two variants share a JSON kind (then serde's derive decides).
fn untagged_deserialize(cx: &Context<'_>, name: &str, variants: &[crate::ir::UnionVariant]) -> Option<TokenStream> {
    let mut by_kind = std::collections::BTreeMap::new();
    for v in variants {
        if by_kind.insert(json_kind(cx, &v.ty)?, ident(&v.name)).is_some() {
            return None;
        }
    }
    let type_name = ident(name);
    let expecting = format!(
        "a `{name}` ({})",
        by_kind.keys().map(|k| format!("{k:?}").to_lowercase()).collect::<Vec<_>>().join(" or ")
    );
    let scalar = |variant: &proc_macro2::Ident, method: TokenStream, arg: TokenStream| {
        quote! {
            fn #method<__E: ::serde::de::Error>(self, __value: #arg) -> ::std::result::Result<Self::Value, __E> {
                ::serde::Deserialize::deserialize(::serde::de::IntoDeserializer::<__E>::into_deserializer(__value)).map(#type_name::#variant)
            }
        }
    };
    let mut methods = Vec::new();
    if let Some(v) = by_kind.get(&JsonKind::String) {
        methods.push(scalar(v, quote!(visit_str), quote!(&str)));
        methods.push(scalar(v, quote!(visit_string), quote!(::std::string::String)));
    }
    if let Some(v) = by_kind.get(&JsonKind::Boolean) {
        methods.push(scalar(v, quote!(visit_bool), quote!(bool)));
    }
    if let Some(v) = by_kind.get(&JsonKind::Integer).or_else(|| by_kind.get(&JsonKind::Number)) {
        methods.push(scalar(v, quote!(visit_i64), quote!(i64)));
        methods.push(scalar(v, quote!(visit_u64), quote!(u64)));
    }
    if let Some(v) = by_kind.get(&JsonKind::Number) {
        methods.push(scalar(v, quote!(visit_f64), quote!(f64)));
    }
    if let Some(v) = by_kind.get(&JsonKind::Array) {
        methods.push(quote! {
            fn visit_seq<__A: ::serde::de::SeqAccess<'de>>(self, __seq: __A) -> ::std::result::Result<Self::Value, __A::Error> {
                ::serde::Deserialize::deserialize(::serde::de::value::SeqAccessDeserializer::new(__seq)).map(#type_name::#v)
            }
        });
    }
    if let Some(v) = by_kind.get(&JsonKind::Object) {
        methods.push(quote! {
            fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, __map: __A) -> ::std::result::Result<Self::Value, __A::Error> {
                ::serde::Deserialize::deserialize(::serde::de::value::MapAccessDeserializer::new(__map)).map(#type_name::#v)
            }
        });
    }
    Some(quote! {
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __Visitor;

                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #type_name;

                    fn expecting(&self, __f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        __f.write_str(#expecting)
                    }

                    #(#methods)*
                }

                __deserializer.deserialize_any(__Visitor)
            }
        }
    })
}
