//! A struct: a JSON object with declared properties, plus a map keeping undeclared ones.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::{Error, FieldsNamed, LitStr, Type};

use crate::attrs::{Container, FieldAttrs};

/// How a property's presence and nullability map to the field.
#[derive(Clone, Copy)]
enum Presence {
    /// `T`: a missing key is an error.
    Required,
    /// `Option<T>`, `None` written as `null`; a missing key decodes as `None`.
    RequiredNullable,
    /// `Option<T>`, `None` left out; `null` decodes as `None`.
    Optional,
    /// `Option<Option<T>>` or `Option<Value>`, the outer `None` left out, `null` kept.
    OptionalNullable,
}

struct Field<'a> {
    name: &'a Ident,
    ty: &'a Type,
    wire: LitStr,
    presence: Presence,
    attrs: FieldAttrs,
}

/// The impls of a struct, and the types its fields mention (for `JsonSchema`).
pub(crate) fn expand<'a>(
    type_name: &Ident,
    container: &Container,
    fields: &'a FieldsNamed,
) -> syn::Result<(TokenStream, Vec<&'a Type>)> {
    if container.untagged {
        return Err(Error::new_spanned(type_name, "`untagged` is for enums"));
    }
    if let (None, Some(value)) = (&container.tag, &container.tag_value) {
        return Err(Error::new_spanned(value, "`tag_value` goes with `tag`"));
    }
    let mut declared = Vec::new();
    let mut extra = None;
    let mut extra_validates = false;
    let mut extra_integer = false;
    let mut extra_ty = None;
    for field in &fields.named {
        let attrs = FieldAttrs::parse(&field.attrs)?;
        let Some(name) = &field.ident else { continue };
        if attrs.extra {
            extra_validates = attrs.validate;
            extra_integer = attrs.integer;
            extra_ty = Some(&field.ty);
            if extra.replace(name).is_some() {
                return Err(Error::new_spanned(name, "only one field can keep the extra properties"));
            }
            continue;
        }
        let presence = match (attrs.optional, attrs.nullable) {
            (false, false) => Presence::Required,
            (false, true) => Presence::RequiredNullable,
            (true, false) => Presence::Optional,
            (true, true) => Presence::OptionalNullable,
        };
        if matches!(presence, Presence::RequiredNullable | Presence::Optional) && option_inner(&field.ty).is_none() {
            return Err(Error::new_spanned(&field.ty, "a `nullable` or `optional` field is an `Option<…>`"));
        }
        let wire = attrs.rename.clone().unwrap_or_else(|| LitStr::new(&name.to_string(), name.span()));
        declared.push(Field { name, ty: &field.ty, wire, presence, attrs });
    }
    let (Some(extra), Some(extra_ty)) = (extra, extra_ty) else {
        return Err(Error::new_spanned(type_name, "a model struct needs a `#[model(extra)]` map"));
    };
    let allow_deprecated = declared.iter().any(|f| f.attrs.deprecated).then(|| quote!(#[allow(deprecated)]));
    let serialize = serialize_fields(&declared, extra);
    let deserialize =
        from_fields(type_name, &declared, (extra, extra_ty, extra_integer), container.tag.as_ref(), container.closed);
    let validate = validate(&declared, Extra { name: extra, closed: container.closed, validates: extra_validates });
    let name = type_name.to_string();
    // A tagged-union variant of one tag value writes it when encoded on its own (the union writes
    // it through `serialize_fields` otherwise).
    let serialize_self = match (&container.tag, &container.tag_value) {
        (Some(tag), Some(value)) => quote!(super::runtime::codec::serialize_tagged(__serializer, #tag, #value, self)),
        _ => quote!(super::runtime::codec::serialize_object(self, __serializer)),
    };
    let impls = quote! {
        #[automatically_derived]
        impl ::std::fmt::Debug for #type_name {
            fn fmt(&self, __f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                super::runtime::codec::debug_object(self, #name, __f)
            }
        }

        #[automatically_derived]
        impl ::serde::Serialize for #type_name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                #serialize_self
            }
        }

        #[automatically_derived]
        #allow_deprecated
        impl super::runtime::codec::SerializeFields for #type_name {
            #serialize
        }

        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                super::runtime::codec::deserialize_object(__deserializer)
            }
        }

        #[automatically_derived]
        #allow_deprecated
        impl<'de> super::runtime::codec::FromFields<'de> for #type_name {
            #deserialize
        }

        #[automatically_derived]
        #allow_deprecated
        impl super::runtime::Validate for #type_name {
            #validate
        }
    };
    Ok((impls, declared.iter().map(|f| f.ty).collect()))
}

/// Writes every present field, then the extra properties, into an open map: one call per field
/// (`codec::ObjectWriter` keeps the first error), so the body has no branch per field.
fn serialize_fields(fields: &[Field<'_>], extra: &Ident) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let (name, wire) = (f.name, &f.wire);
        match f.presence {
            Presence::Required | Presence::RequiredNullable => quote!(__out.entry(#wire, &self.#name);),
            Presence::Optional | Presence::OptionalNullable => quote!(__out.optional(#wire, &self.#name);),
        }
    });
    quote! {
        fn serialize_fields<__M: ::serde::ser::SerializeMap>(&self, __out: &mut super::runtime::codec::ObjectWriter<'_, __M>) {
            #(#entries)*
            __out.extra(&self.#extra);
        }
    }
}

/// Reads the fields from a map, matching known keys without buffering and keeping unknown ones.
///
/// The body is shaped for rustc as much as for the reader, because the code of every struct of a
/// big API (GitHub's has 3,700) is checked on each build:
/// - every slot lives in one tuple, so that an early return drops one local instead of a chain
///   of drop flags, one per field;
/// - each key's arm is one call, and the `?` comes once, after the `match`;
/// - the struct is made by one pattern over the tuple, and moves alone: no call per field, so no
///   unwinding edge and no cleanup per field. A field that may be absent or `null` is read into a
///   `codec::Nullable`, whose `value` is the field itself.
///
/// With a `?` in every arm instead of one after the `match`, GitHub's crate needed 0.5 GB more
/// to check (5.30 against 5.82 GB); the tuple and the pattern made no measurable difference of
/// their own, and are kept for the simpler body.
fn from_fields(
    type_name: &Ident,
    fields: &[Field<'_>],
    (extra, extra_ty, extra_integer): (&Ident, &Type, bool),
    tag: Option<&LitStr>,
    closed: bool,
) -> TokenStream {
    let expecting = format!("a `{type_name}` object");
    // The slot of a field that may be absent or `null` (`Option<T>`) is a `codec::Nullable<T>`;
    // the others' is an `Option` of the field (an optional nullable field, `Option<Option<T>>`, is
    // its own slot, `Some(None)` being a `null`).
    let slot_types = fields.iter().map(|f| {
        let ty = f.ty;
        match f.presence {
            Presence::Required => quote!(::std::option::Option<#ty>),
            Presence::OptionalNullable => quote!(#ty),
            // `expand` made sure the field is an `Option`.
            Presence::RequiredNullable | Presence::Optional => {
                let inner = option_inner(ty).unwrap_or(ty);
                quote!(super::runtime::codec::Nullable<#inner>)
            }
        }
    });
    let nones = fields.iter().map(|f| match f.presence {
        Presence::RequiredNullable | Presence::Optional => quote!(super::runtime::codec::Nullable::ABSENT),
        _ => quote!(::std::option::Option::None),
    });
    let slots = (!fields.is_empty()).then(|| quote!(let mut __slots: (#(#slot_types,)*) = (#(#nones,)*);));
    // A required slot holds `Some` once its key was read, so a second occurrence of the key is
    // refused (as serde's derive does) instead of silently replacing the first. An optional
    // nullable field (`Option<Option<T>>`) is read the same way: its `Some(None)` is a `null`.
    let arms = fields.iter().enumerate().map(|(i, f)| {
        let (index, wire) = (syn::Index::from(i), &f.wire);
        // A value holding integers reads them with JSON Schema's rule (its lists give back their
        // spare capacity too).
        let read = match (f.presence, f.attrs.integer, is_list(f.ty)) {
            (Presence::Required | Presence::OptionalNullable, true, _) => quote!(integer_field),
            (Presence::RequiredNullable, true, _) => quote!(nullable_integer_field),
            (Presence::Optional, true, _) => quote!(optional_integer_field),
            (Presence::Required | Presence::OptionalNullable, false, false) => quote!(field),
            (Presence::Required | Presence::OptionalNullable, false, true) => quote!(list_field),
            (Presence::RequiredNullable, false, false) => quote!(nullable_field),
            (Presence::RequiredNullable, false, true) => quote!(nullable_list_field),
            (Presence::Optional, false, false) => quote!(optional_field),
            (Presence::Optional, false, true) => quote!(optional_list_field),
        };
        let name = bytes(wire);
        quote!(if super::runtime::codec::is(__name, #name) { super::runtime::codec::#read(&mut __slots.#index, &mut __map, #wire) } else)
    });
    let skip_tag = tag.map(|tag| {
        let name = bytes(tag);
        quote!(if super::runtime::codec::is(__name, #name) { super::runtime::codec::skip(&mut __map) } else)
    });
    // A closed struct refuses an undeclared property in an untagged union's exact pass (typed
    // extra properties are an open map).
    let keep = if extra_integer {
        quote!(super::runtime::codec::keep_integer(&mut __extra, __key, &mut __map))
    } else if closed {
        quote!(super::runtime::codec::keep_closed(&mut __extra, __key, &mut __map))
    } else {
        quote!(super::runtime::codec::keep(&mut __extra, __key, &mut __map))
    };
    // Names compared one after the other, as a `match` on text would: a `match` on bytes
    // compares them byte by byte, in twice the code. An object without declared properties keeps
    // every key.
    let dispatch = if fields.is_empty() && skip_tag.is_none() {
        quote!(#keep?;)
    } else {
        quote! {
            let __name = __key.as_bytes();
            #(#arms)* #skip_tag { #keep }?;
        }
    };
    // The values are bound as `__value0`, … (a field's own name could be a constant in scope, or
    // one of the locals).
    let values: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("__value{i}")).collect();
    // A required field's slot must hold a value; the others hold their fields as they are.
    // Lenient like serde's derive: an absent nullable decodes as `null`, and a `null` for an
    // optional property that is not nullable decodes as absent.
    let patterns = fields.iter().zip(&values).map(|(f, value)| match f.presence {
        Presence::Required => quote!(::std::option::Option::Some(#value)),
        Presence::RequiredNullable | Presence::Optional => {
            quote!(super::runtime::codec::Nullable { value: #value, .. })
        }
        Presence::OptionalNullable => quote!(#value),
    });
    // Lenient on its own, a struct is exact in an untagged union's first pass: a required
    // nullable property must then be there (`codec::present`; `codec::optional_field` refuses a
    // `null` for an optional property that is not nullable).
    let present =
        fields.iter().enumerate().filter(|(_, f)| matches!(f.presence, Presence::RequiredNullable)).map(|(i, f)| {
            let (index, wire) = (syn::Index::from(i), &f.wire);
            quote!(super::runtime::codec::present::<_, __A::Error>(&__slots.#index, #wire)?;)
        });
    let names = fields.iter().map(|f| f.name);
    let build = quote!(Self { #(#names: #values,)* #extra: __extra });
    let required: Vec<_> =
        fields.iter().enumerate().filter(|(_, f)| matches!(f.presence, Presence::Required)).collect();
    let finish = match required.split_last() {
        None if fields.is_empty() => quote!(::std::result::Result::Ok(#build)),
        None => quote! {
            let (#(#patterns,)*) = __slots;
            ::std::result::Result::Ok(#build)
        },
        // The first required property missing is named in the error; that arm is only reached
        // when one is.
        Some(((_, last), rest)) => {
            let checks = rest.iter().map(|(i, f)| {
                let (index, wire) = (syn::Index::from(*i), &f.wire);
                quote!(if __slots.#index.is_none() { #wire } else)
            });
            let last = &last.wire;
            // `{ "name" }` alone would be rustc's `unused_braces`.
            let missing = if rest.is_empty() { quote!(#last) } else { quote!(#(#checks)* { #last }) };
            quote! {
                match __slots {
                    (#(#patterns,)*) => ::std::result::Result::Ok(#build),
                    __slots => ::std::result::Result::Err(::serde::de::Error::missing_field(#missing)),
                }
            }
        }
    };
    quote! {
        const EXPECTING: &'static str = #expecting;

        fn from_fields<__A: ::serde::de::MapAccess<'de>>(
            mut __map: __A,
            __keys: super::runtime::codec::Keys,
        ) -> ::std::result::Result<Self, __A::Error> {
            #slots
            // A `serde_json::Map` of any values, or a typed map (`additionalProperties` with a schema).
            let mut __extra: #extra_ty = ::std::default::Default::default();
            while let ::std::option::Option::Some(__key) = __keys.next(&mut __map)? {
                #dispatch
            }
            #(#present)*
            #finish
        }
    }
}

/// A property name as the byte string a `Key` is matched against.
fn bytes(name: &LitStr) -> syn::LitByteStr {
    syn::LitByteStr::new(name.value().as_bytes(), name.span())
}

/// The field keeping undeclared properties, as `Validate` checks it.
struct Extra<'a> {
    name: &'a Ident,
    /// `additionalProperties: false`: every kept property is reported.
    closed: bool,
    /// Typed values with bounds of their own: each is checked.
    validates: bool,
}

fn validate(fields: &[Field<'_>], extra: Extra<'_>) -> TokenStream {
    let mut checks = Vec::new();
    for f in fields {
        let (name, wire, attrs) = (f.name, &f.wire, &f.attrs);
        if let Some(b) = &attrs.minimum {
            let (value, exclusive) = (&b.value, b.exclusive);
            checks.push(quote!(__validator.minimum(#wire, &self.#name, #value, #exclusive);));
        }
        if let Some(b) = &attrs.maximum {
            let (value, exclusive) = (&b.value, b.exclusive);
            checks.push(quote!(__validator.maximum(#wire, &self.#name, #value, #exclusive);));
        }
        if let Some(n) = &attrs.min_length {
            checks.push(quote!(__validator.min_length(#wire, &self.#name, #n);));
        }
        if let Some(n) = &attrs.max_length {
            checks.push(quote!(__validator.max_length(#wire, &self.#name, #n);));
        }
        if let Some(pattern) = &attrs.pattern {
            checks.push(quote!(__validator.pattern(#wire, &self.#name, #pattern);));
        }
        if let Some(factor) = &attrs.multiple_of {
            checks.push(quote!(__validator.multiple_of(#wire, &self.#name, #factor);));
        }
        if let Some(n) = &attrs.min_items {
            checks.push(quote!(__validator.min_items(#wire, &self.#name, #n);));
        }
        if let Some(n) = &attrs.max_items {
            checks.push(quote!(__validator.max_items(#wire, &self.#name, #n);));
        }
        if attrs.unique_items {
            checks.push(quote!(__validator.unique_items(#wire, &self.#name);));
        }
        if attrs.validate {
            checks.push(quote!(__validator.nested(#wire, &self.#name);));
        }
    }
    let Extra { name: extra, closed, validates } = extra;
    if closed {
        checks.push(quote!(__validator.no_undeclared(&self.#extra);));
    }
    if validates {
        checks.push(quote!(super::runtime::Validate::validate_into(&self.#extra, __validator);));
    }
    let validator = if checks.is_empty() { quote!(_validator) } else { quote!(__validator) };
    quote! {
        fn validate_into(&self, #validator: &mut super::runtime::Validator) {
            #(#checks)*
        }
    }
}

/// `T` of a type written `…Option<T>`, as the generator writes a nullable or optional field
/// (`::std::option::Option<T>`).
fn option_inner(ty: &Type) -> Option<&Type> {
    if let Type::Path(path) = ty
        && let Some(last) = path.path.segments.last()
        && last.ident == "Option"
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        return Some(inner);
    }
    None
}

/// Whether a field's type is a `Vec`, or one inside `Option`s, as the generator writes it
/// (`::std::vec::Vec<…>`, `::std::option::Option<…>`): such a field gives back its spare capacity
/// once decoded (`codec::list_field`).
fn is_list(ty: &Type) -> bool {
    if let Some(inner) = option_inner(ty) {
        return is_list(inner);
    }
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "Vec"))
}
