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
    let mut declared = Vec::new();
    let mut extra = None;
    let mut extra_validates = false;
    let mut extra_ty = None;
    for field in &fields.named {
        let attrs = FieldAttrs::parse(&field.attrs)?;
        let Some(name) = &field.ident else { continue };
        if attrs.extra {
            extra_validates = attrs.validate;
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
        let wire = attrs.rename.clone().unwrap_or_else(|| LitStr::new(&name.to_string(), name.span()));
        declared.push(Field { name, ty: &field.ty, wire, presence, attrs });
    }
    let (Some(extra), Some(extra_ty)) = (extra, extra_ty) else {
        return Err(Error::new_spanned(type_name, "a model struct needs a `#[model(extra)]` map"));
    };
    let allow_deprecated = declared.iter().any(|f| f.attrs.deprecated).then(|| quote!(#[allow(deprecated)]));
    let serialize = serialize_fields(&declared, extra);
    let deserialize = from_fields(type_name, &declared, (extra, extra_ty), container.tag.as_ref());
    let validate = validate(&declared, Extra { name: extra, closed: container.closed, validates: extra_validates });
    let impls = quote! {
        #[automatically_derived]
        impl ::serde::Serialize for #type_name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                crate::runtime::codec::serialize_object(self, __serializer)
            }
        }

        #[automatically_derived]
        #allow_deprecated
        impl crate::runtime::codec::SerializeFields for #type_name {
            #serialize
        }

        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::codec::deserialize_object(__deserializer)
            }
        }

        #[automatically_derived]
        #allow_deprecated
        impl<'de> crate::runtime::codec::FromFields<'de> for #type_name {
            #deserialize
        }

        #[automatically_derived]
        #allow_deprecated
        impl crate::runtime::Validate for #type_name {
            #validate
        }
    };
    Ok((impls, declared.iter().map(|f| f.ty).collect()))
}

/// Writes every present field, then the extra properties, into an open map.
fn serialize_fields(fields: &[Field<'_>], extra: &Ident) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let (name, wire) = (f.name, &f.wire);
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
fn from_fields(
    type_name: &Ident,
    fields: &[Field<'_>],
    (extra, extra_ty): (&Ident, &Type),
    tag: Option<&LitStr>,
) -> TokenStream {
    let expecting = format!("a `{type_name}` object");
    let slots = fields.iter().map(|f| {
        let slot = slot(f.name);
        quote!(let mut #slot = None;)
    });
    // Every slot holds `Some(value)` once its key was read, so a second occurrence of the key is
    // caught (`field` refuses it, as serde's derive does) instead of silently replacing the first.
    let arms = fields.iter().map(|f| {
        let (slot, wire) = (slot(f.name), &f.wire);
        if is_list(f.ty) {
            quote!(#wire => crate::runtime::codec::list_field(&mut #slot, &mut __map, #wire)?,)
        } else {
            quote!(#wire => crate::runtime::codec::field(&mut #slot, &mut __map, #wire)?,)
        }
    });
    let skip_tag = tag.map(|tag| quote!(#tag => { __map.next_value::<::serde::de::IgnoredAny>()?; }));
    let inits = fields.iter().map(|f| {
        let (name, slot, wire) = (f.name, slot(f.name), &f.wire);
        match f.presence {
            Presence::Required => quote!(#name: crate::runtime::codec::required(#slot, #wire)?),
            // Lenient like serde's derive: an absent nullable decodes as `null`; and a `null` for an
            // optional property that is not nullable decodes as absent.
            Presence::RequiredNullable | Presence::Optional => quote!(#name: #slot.flatten()),
            Presence::OptionalNullable => quote!(#name: #slot),
        }
    });
    let keep = quote!(__extra.insert(__key.into_string(), __map.next_value()?););
    // An object without declared properties keeps every key: a `match` with only `_` would be
    // clippy's `match_single_binding` (found by fuzz/compile-batch.sh).
    let dispatch = if fields.is_empty() && skip_tag.is_none() {
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
            // A `serde_json::Map` of any values, or a typed map (`additionalProperties` with a schema).
            let mut __extra: #extra_ty = ::std::default::Default::default();
            while let Some(__key) = __map.next_key::<crate::runtime::codec::Key<'de>>()? {
                #dispatch
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
fn slot(name: &Ident) -> Ident {
    // `_3d_scan` (from `3d_scan`) gives `__field_3d_scan`; only digit-led names start with `_`,
    // so this stays one-to-one.
    format_ident!("__field_{}", name.to_string().trim_start_matches('_'))
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
        checks.push(quote!(crate::runtime::Validate::validate_into(&self.#extra, __validator);));
    }
    let validator = if checks.is_empty() { quote!(_validator) } else { quote!(__validator) };
    quote! {
        fn validate_into(&self, #validator: &mut crate::runtime::Validator) {
            #(#checks)*
        }
    }
}

/// Whether a field's type is a `Vec`, or one inside `Option`s, as the generator writes it
/// (`::std::vec::Vec<…>`, `::std::option::Option<…>`): such a field gives back its spare capacity
/// once decoded (`codec::list_field`).
fn is_list(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else { return false };
    match last.ident.to_string().as_str() {
        "Vec" => true,
        "Option" => match &last.arguments {
            syn::PathArguments::AngleBracketed(args) => match args.args.first() {
                Some(syn::GenericArgument::Type(inner)) => is_list(inner),
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}
