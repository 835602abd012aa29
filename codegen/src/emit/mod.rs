//! Stage 3, emit: IR → token streams, one module per emitted file.
//!
//! Emitted code is hygienic: every path is fully qualified (`::std::option::Option`,
//! `::serde::Serialize`), so a schema type named `Option` or `Result` cannot break it.

pub(crate) mod auth;
pub(crate) mod examples;
pub(crate) mod gates;
pub(crate) mod mock;
pub(crate) mod operations;
mod pagination;
pub(crate) mod schema;
mod streaming;
pub(crate) mod types;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

pub(crate) use crate::docs::{code, doc_text, docs, docs_with};
use crate::ir::{Bound, Constraints, Ty};

/// An identifier from a name lowering already sanitised.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The "Limits of this crate" section of the models' module docs: every warning the generator
/// gave, so that a user sees what was read in a weaker way without the generator's output. Each
/// is a list item, its place as code and its message escaped, so that no text of the document
/// can become markup, a link or code.
pub(crate) fn limits(warnings: &[crate::Error]) -> TokenStream {
    if warnings.is_empty() {
        return TokenStream::new();
    }
    let count = warnings.len();
    let mut text = format!(
        "# Limits of this crate\n\nThe generator read {count} construct{s} of the API description in a weaker but \
         sound way: a value the API sends still decodes, and nothing is sent that the caller did not set. Each \
         entry is where it is written and what was done instead.\n",
        s = if count == 1 { "" } else { "s" },
    );
    for warning in warnings {
        text.push_str(&format!("\n- {}: {}", code(&warning.location), doc_text(&warning.message.replace('\n', " "))));
    }
    let lines = text.lines().map(|line| format!(" {line}"));
    quote! { #(#![doc = #lines])* }
}

/// The Rust type for `ty`; named types are written relative to `types_path`.
pub(crate) fn ty(ty: &Ty, types_path: &TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(bool),
        Ty::F64 => quote!(f64),
        Ty::I64 => quote!(i64),
        Ty::U64 => quote!(u64),
        Ty::I32 => quote!(i32),
        Ty::U32 => quote!(u32),
        Ty::I128 => quote!(i128),
        Ty::U128 => quote!(u128),
        Ty::NonZeroU64 => quote!(::std::num::NonZeroU64),
        Ty::DateTime => quote!(crate::runtime::DateTime),
        Ty::Date => quote!(crate::runtime::Date),
        Ty::Uuid => quote!(crate::runtime::Uuid),
        Ty::Any => quote!(::serde_json::Value),
        Ty::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Ty::Named(name) => {
            let name = format_ident!("{name}");
            quote!(#types_path #name)
        }
        Ty::Vec(inner) => {
            let inner = self::ty(inner, types_path);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = self::ty(inner, types_path);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = self::ty(inner, types_path);
            quote!(::std::option::Option<#inner>)
        }
        Ty::Box(inner) => {
            let inner = self::ty(inner, types_path);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// A float literal that always has a decimal point or exponent.
pub(crate) fn float(value: &serde_json::Number) -> Literal {
    Literal::f64_unsuffixed(value.as_f64().unwrap_or_default())
}

/// The documentation line listing a value's bounds and default, e.g.
/// "Schema: default `400`; minimum `-9007199254740991`; maximum `9007199254740991`."
pub(crate) fn schema_note(
    written: &Constraints,
    checked: &Constraints,
    default: Option<&serde_json::Value>,
) -> Option<String> {
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
    let bound = |name: &str, exclusive_name: &str, b: &Bound| {
        format!("{} `{}`", if b.exclusive { exclusive_name } else { name }, b.value)
    };
    let mut parts = Vec::new();
    if let Some(default) = default {
        parts.push(format!("default {}", code(&default.to_string())));
    }
    if let Some(b) = minimum {
        parts.push(bound("minimum", "exclusive minimum", b));
    }
    if let Some(b) = maximum {
        parts.push(bound("maximum", "exclusive maximum", b));
    }
    if let Some(n) = min_length {
        parts.push(format!("minimum length `{n}`"));
    }
    if let Some(n) = max_length {
        parts.push(format!("maximum length `{n}`"));
    }
    if let Some(p) = pattern {
        parts.push(format!("pattern {}", code(p)));
    }
    if let Some(n) = multiple_of {
        parts.push(format!("multiple of `{n}`"));
    }
    if let Some(n) = min_items {
        parts.push(format!("at least `{n}` items"));
    }
    if let Some(n) = max_items {
        parts.push(format!("at most `{n}` items"));
    }
    if *unique_items {
        parts.push("unique items".to_owned());
    }
    if let Some(n) = min_properties {
        parts.push(format!("at least `{n}` entries"));
    }
    if let Some(n) = max_properties {
        parts.push(format!("at most `{n}` entries"));
    }
    if let Some(f) = format {
        // The integer formats choose the Rust type, which enforces them, and so do the typed
        // formats (`checked.format`, see `Settings::typed_formats`); the others document.
        let integer =
            matches!(f.as_str(), "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64");
        let typed = checked.format.is_some();
        parts.push(if integer || typed {
            format!("format {}", code(f))
        } else {
            format!("format {} (not checked)", code(f))
        });
    }
    if parts.is_empty() {
        return None;
    }
    // A typed format is checked when decoding, by the type: not a `Validate` check.
    let validated = !crate::ir::Constraints { format: None, ..checked.clone() }.is_empty();
    let checked = if validated { " Checked by `Validate::validate`, not when decoding." } else { "" };
    Some(format!("Schema: {}.{checked}", parts.join("; ")))
}
