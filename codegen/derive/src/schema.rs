//! `schemars::JsonSchema`, behind the deriving crate's `schemars` feature: the type's
//! `JSON_SCHEMA` template, in which `{"$ref": "TypeName", …}` stands for another model's
//! subschema (resolved by `codegen_runtime::schema::from_template`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{GenericArgument, PathArguments, Type};

use crate::attrs::Container;

pub(crate) fn json_schema(type_name: &Ident, container: &Container, mentioned: &[&Type]) -> TokenStream {
    let schema_name = match &container.schema_name {
        Some(name) => name.value(),
        None => type_name.to_string(),
    };
    let inline = container.inline_schema.then(|| {
        quote!(
            fn inline_schema() -> bool {
                true
            }
        )
    });
    let mut references = Vec::new();
    for ty in mentioned {
        models(ty, &mut references);
    }
    references.sort();
    references.dedup();
    let references = references.iter().map(|name| {
        let text = name.to_string();
        quote!((#text, ::schemars::SchemaGenerator::subschema_for::<#name>))
    });
    quote! {
        #[cfg(feature = "schemars")]
        #[automatically_derived]
        impl ::schemars::JsonSchema for #type_name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#schema_name)
            }

            #inline

            fn json_schema(__generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                super::runtime::schema::from_template(__generator, Self::JSON_SCHEMA, &[#(#references),*])
            }
        }
    }
}

/// The models a type mentions: the generated code writes them, and only them, as one bare
/// identifier (everything else is a full path, `::std::vec::Vec<…>`, or a primitive), so each
/// is a `$ref` the template may hold.
fn models<'a>(ty: &'a Type, out: &mut Vec<&'a Ident>) {
    let Type::Path(path) = ty else { return };
    if path.qself.is_none()
        && path.path.leading_colon.is_none()
        && let [segment] = path.path.segments.iter().collect::<Vec<_>>().as_slice()
        && segment.arguments.is_none()
        && !PRIMITIVES.contains(&segment.ident.to_string().as_str())
    {
        out.push(&segment.ident);
        return;
    }
    for segment in &path.path.segments {
        if let PathArguments::AngleBracketed(args) = &segment.arguments {
            for arg in &args.args {
                if let GenericArgument::Type(inner) = arg {
                    models(inner, out);
                }
            }
        }
    }
}

const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
    "usize",
];
