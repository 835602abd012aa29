//! An enum: a string enum, a tagged union or an untagged union, told apart by its attributes.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{DataEnum, Error, Fields, LitStr, Type};

use crate::attrs::{Container, VariantAttrs};

struct Variant<'a> {
    name: &'a Ident,
    /// The payload of a newtype variant.
    ty: Option<&'a Type>,
    attrs: VariantAttrs,
}

/// The impls of an enum, and the types its variants hold (for `JsonSchema`).
pub(crate) fn expand<'a>(
    type_name: &Ident,
    container: &Container,
    data: &'a DataEnum,
) -> syn::Result<(TokenStream, Vec<&'a Type>)> {
    let mut variants = Vec::new();
    for v in &data.variants {
        let ty = match &v.fields {
            Fields::Unit => None,
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => fields.unnamed.first().map(|f| &f.ty),
            _ => return Err(Error::new_spanned(v, "a model variant is a unit or holds one value")),
        };
        variants.push(Variant { name: &v.ident, ty, attrs: VariantAttrs::parse(&v.attrs)? });
    }
    let (known, other): (Vec<_>, Vec<_>) = variants.iter().partition(|v| !v.attrs.other);
    let payloads = known.iter().filter_map(|v| v.ty).collect();
    if let Some(value) = &container.tag_value {
        return Err(Error::new_spanned(value, "`tag_value` is for a tagged-union variant's struct"));
    }
    let impls = match (&container.tag, container.untagged) {
        (None, false) => match other.as_slice() {
            [other] if known.iter().all(|v| v.ty.is_none()) => string_enum(type_name, &known, other.name),
            _ => return Err(Error::new_spanned(type_name, "a string enum has unit variants and one `other`")),
        },
        (Some(tag), false) => match other.as_slice() {
            [other] if known.iter().all(|v| v.ty.is_some()) => tagged(type_name, tag, &known, other.name),
            _ => return Err(Error::new_spanned(type_name, "a tagged union has newtype variants and one `other`")),
        },
        (None, true) if other.is_empty() && known.iter().all(|v| v.ty.is_some()) => untagged(type_name, &known)?,
        _ => return Err(Error::new_spanned(type_name, "an untagged union has newtype variants and no tag")),
    };
    Ok((impls, payloads))
}

/// The wire value of a variant: its `rename`, else its name.
fn wire(v: &Variant<'_>) -> LitStr {
    v.attrs.rename.clone().unwrap_or_else(|| LitStr::new(&v.name.to_string(), v.name.span()))
}

fn string_enum(type_name: &Ident, variants: &[&Variant<'_>], other: &Ident) -> TokenStream {
    let expecting = format!("a `{type_name}` string");
    let to_wire = variants.iter().map(|v| {
        let (variant, wire) = (v.name, wire(v));
        quote!(Self::#variant => #wire,)
    });
    let from_wire = variants.iter().map(|v| {
        let (variant, wire) = (v.name, wire(v));
        let bytes = syn::LitByteStr::new(wire.value().as_bytes(), wire.span());
        quote!(if super::runtime::codec::is(__value, #bytes) { ::std::option::Option::Some(Self::#variant) } else)
    });
    quote! {
        #[automatically_derived]
        impl #type_name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#other(__value) => __value,
                }
            }
        }

        #[automatically_derived]
        impl super::runtime::codec::StringEnum for #type_name {
            // Compared one after the other, as a `match` on text would: a `match` on bytes
            // compares them byte by byte, in twice the code.
            fn known(__value: &[u8]) -> ::std::option::Option<Self> {
                #(#from_wire)* { ::std::option::Option::None }
            }
        }

        #[automatically_derived]
        impl ::std::convert::From<&str> for #type_name {
            fn from(__value: &str) -> Self {
                super::runtime::codec::StringEnum::known(__value.as_bytes())
                    .unwrap_or_else(|| Self::#other(::std::borrow::ToOwned::to_owned(__value)))
            }
        }

        #[automatically_derived]
        impl ::std::fmt::Display for #type_name {
            fn fmt(&self, __f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                __f.write_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl ::serde::Serialize for #type_name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                __serializer.serialize_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                super::runtime::codec::deserialize_enum(__deserializer, #expecting)
            }
        }
    }
}

/// `Validate` of a union: each variant that validates, checked in place.
fn validate(type_name: &Ident, variants: &[&Variant<'_>], exhaustive_if_all: bool) -> TokenStream {
    let checks: Vec<TokenStream> = variants
        .iter()
        .filter(|v| v.attrs.validate)
        .map(|v| {
            let variant = v.name;
            quote!(Self::#variant(__value) => super::runtime::Validate::validate_into(__value, __validator),)
        })
        .collect();
    let body = if checks.is_empty() {
        quote!(
            fn validate_into(&self, _validator: &mut super::runtime::Validator) {}
        )
    } else {
        let rest = (!(exhaustive_if_all && checks.len() == variants.len())).then(|| quote!(_ => {}));
        quote! {
            fn validate_into(&self, __validator: &mut super::runtime::Validator) {
                match self {
                    #(#checks)*
                    #rest
                }
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl super::runtime::Validate for #type_name {
            #body
        }
    }
}

fn tagged(type_name: &Ident, tag: &LitStr, variants: &[&Variant<'_>], other: &Ident) -> TokenStream {
    // A variant that keeps its tag writes and reads it as one of its own fields.
    let encode = variants.iter().map(|v| {
        let (variant, value) = (v.name, wire(v));
        if v.attrs.keeps_tag {
            quote!(Self::#variant(__value) => ::serde::Serialize::serialize(__value, __serializer),)
        } else {
            quote!(Self::#variant(__value) => super::runtime::codec::serialize_tagged(__serializer, #tag, #value, __value),)
        }
    });
    // Decoded in place once the tag is known; a variant that declares its tag gets it too.
    let in_place = variants.iter().map(|v| {
        let (variant, value) = (v.name, wire(v));
        let rest = if v.attrs.keeps_tag { quote!(__rest.keep_tag(#tag, __tag)) } else { quote!(__rest) };
        quote! {
            #value => ::std::option::Option::Some(
                ::serde::Deserialize::deserialize(::serde::de::value::MapAccessDeserializer::new(#rest))
                    .map(Self::#variant),
            ),
        }
    });
    let validate = validate(type_name, variants, false);
    quote! {
        #[automatically_derived]
        impl ::serde::Serialize for #type_name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    #(#encode)*
                    Self::#other(__object) => ::serde::Serialize::serialize(__object, __serializer),
                }
            }
        }

        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                super::runtime::codec::deserialize_tagged(__deserializer)
            }
        }

        #[automatically_derived]
        impl<'de> super::runtime::codec::TaggedUnion<'de> for #type_name {
            const TAG: &'static str = #tag;

            fn from_rest<__A: ::serde::de::MapAccess<'de>>(
                __tag: &str,
                __rest: &mut super::runtime::codec::Rest<'_, 'de, __A>,
            ) -> ::std::option::Option<::std::result::Result<Self, __A::Error>> {
                match __tag {
                    #(#in_place)*
                    _ => ::std::option::Option::None,
                }
            }

            fn other(__object: ::serde_json::Map<::std::string::String, ::serde_json::Value>) -> Self {
                Self::#other(__object)
            }
        }

        #validate
    }
}

/// The JSON kind a variant's values always have, in the order the expectation names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum JsonKind {
    String,
    Boolean,
    Integer,
    Number,
    Array,
    Object,
}

impl JsonKind {
    fn parse(text: &LitStr) -> syn::Result<Self> {
        Ok(match text.value().as_str() {
            "string" => Self::String,
            "boolean" => Self::Boolean,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "array" => Self::Array,
            "object" => Self::Object,
            _ => return Err(Error::new_spanned(text, "not a JSON kind")),
        })
    }
}

/// An untagged union: `Serialize` writes the payload; `Deserialize`, when every variant declares
/// its own JSON kind, picks the variant from the first token, without buffering; otherwise it
/// reads the value whole, as text, and tries each variant (`by_shape`).
fn untagged(type_name: &Ident, variants: &[&Variant<'_>]) -> syn::Result<TokenStream> {
    let encode = variants.iter().map(|v| {
        let variant = v.name;
        quote!(Self::#variant(__value) => ::serde::Serialize::serialize(__value, __serializer),)
    });
    let mut by_kind = BTreeMap::new();
    for v in variants {
        let Some(kind) = &v.attrs.kind else { continue };
        if by_kind.insert(JsonKind::parse(kind)?, v.name).is_some() {
            return Err(Error::new_spanned(kind, "two variants of the same JSON kind"));
        }
    }
    let integers: Vec<&Ident> = variants.iter().filter(|v| v.attrs.integer).map(|v| v.name).collect();
    let deserialize = if by_kind.len() == variants.len() {
        first_token(type_name, &by_kind, &integers)
    } else {
        by_shape(type_name, variants)
    };
    let validate = validate(type_name, variants, true);
    Ok(quote! {
        #[automatically_derived]
        impl ::serde::Serialize for #type_name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    #(#encode)*
                }
            }
        }

        #deserialize

        #validate
    })
}

/// A union told apart by shape: the value is read whole (as text) and each variant tried in
/// order, first exactly, then leniently (`codec::untagged`). A variant marked `integer` reads its
/// integers with JSON Schema's rule.
fn by_shape(type_name: &Ident, variants: &[&Variant<'_>]) -> TokenStream {
    let name = type_name.to_string();
    let attempts = variants.iter().map(|v| {
        let (variant, ty) = (v.name, v.ty);
        let read = if v.attrs.integer {
            quote!(super::runtime::codec::integer_variant::<#ty>)
        } else {
            quote!(super::runtime::codec::variant::<#ty>)
        };
        quote! {
            if let ::std::option::Option::Some(__decoded) = #read(__text) {
                return ::std::option::Option::Some(#type_name::#variant(__decoded));
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                super::runtime::codec::untagged(__deserializer, #name, |__text: &str| {
                    #(#attempts)*
                    ::std::option::Option::None
                })
            }
        }
    }
}

/// `integers`: the variants marked `integer`, whose lists or maps hold integers.
fn first_token(type_name: &Ident, by_kind: &BTreeMap<JsonKind, &Ident>, integers: &[&Ident]) -> TokenStream {
    let read = |variant: &Ident| {
        if integers.contains(&variant) {
            quote!(super::runtime::codec::integer)
        } else {
            quote!(::serde::Deserialize::deserialize)
        }
    };
    let expecting = format!(
        "a `{type_name}` ({})",
        by_kind.keys().map(|k| format!("{k:?}").to_lowercase()).collect::<Vec<_>>().join(" or ")
    );
    let scalar = |variant: &Ident, method: TokenStream, arg: TokenStream| {
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
    // An integer variant reads with JSON Schema's rule (`codec::Integer`): a number with a zero
    // fraction is an integer, so a float goes to it when no variant is a number.
    let integer = |variant: &Ident, method: TokenStream, arg: TokenStream| {
        quote! {
            fn #method<__E: ::serde::de::Error>(self, __value: #arg) -> ::std::result::Result<Self::Value, __E> {
                super::runtime::codec::integer(::serde::de::IntoDeserializer::<__E>::into_deserializer(__value)).map(#type_name::#variant)
            }
        }
    };
    match (by_kind.get(&JsonKind::Integer), by_kind.get(&JsonKind::Number)) {
        (Some(i), number) => {
            methods.push(integer(i, quote!(visit_i64), quote!(i64)));
            methods.push(integer(i, quote!(visit_u64), quote!(u64)));
            match number {
                Some(n) => methods.push(scalar(n, quote!(visit_f64), quote!(f64))),
                None => methods.push(integer(i, quote!(visit_f64), quote!(f64))),
            }
        }
        (None, Some(n)) => {
            methods.push(scalar(n, quote!(visit_i64), quote!(i64)));
            methods.push(scalar(n, quote!(visit_u64), quote!(u64)));
            methods.push(scalar(n, quote!(visit_f64), quote!(f64)));
        }
        (None, None) => {}
    }
    if let Some(v) = by_kind.get(&JsonKind::Array) {
        let read = read(v);
        methods.push(quote! {
            fn visit_seq<__A: ::serde::de::SeqAccess<'de>>(self, __seq: __A) -> ::std::result::Result<Self::Value, __A::Error> {
                #read(::serde::de::value::SeqAccessDeserializer::new(__seq)).map(#type_name::#v)
            }
        });
    }
    if let Some(v) = by_kind.get(&JsonKind::Object) {
        let read = read(v);
        methods.push(quote! {
            fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, __map: __A) -> ::std::result::Result<Self::Value, __A::Error> {
                #read(::serde::de::value::MapAccessDeserializer::new(__map)).map(#type_name::#v)
            }
        });
    }
    quote! {
        #[automatically_derived]
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
    }
}
