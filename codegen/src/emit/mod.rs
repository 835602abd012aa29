//! Stage 3, emit: IR → token streams, one module per emitted file.
//!
//! Emitted code is hygienic: every path is fully qualified (`::std::option::Option`,
//! `::serde::Serialize`), so a schema type named `Option` or `Result` cannot break it.

pub(crate) mod operations;
pub(crate) mod schema;
pub(crate) mod types;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Bound, Constraints, Ty};

/// An identifier from a name lowering already sanitised.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "…"]` attributes, one per line, which prettyplease prints as `///` comments.
pub(crate) fn docs(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|line| {
        let line = link_urls(line.trim_end());
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Wraps bare URLs in `<…>` so that rustdoc renders them as links instead of warning.
fn link_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = ["https://", "http://"].iter().filter_map(|s| rest.find(s)).min() {
        let quoted = rest[..start].ends_with(['<', '`', '(', '"', '\'']);
        let len = rest[start..].find(char::is_whitespace).unwrap_or(rest.len() - start);
        let url = rest[start..start + len].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '"']);
        out.push_str(&rest[..start]);
        if quoted {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &rest[start + url.len()..];
    }
    out.push_str(rest);
    out
}

/// Docs followed by a second paragraph, when there is one.
pub(crate) fn docs_with(text: &str, extra: Option<String>) -> TokenStream {
    match extra {
        Some(extra) if text.trim().is_empty() => docs(&extra),
        Some(extra) => docs(&format!("{}\n\n{extra}", text.trim())),
        None => docs(text),
    }
}

/// The Rust type for `ty`; named types are written relative to `types_path`.
pub(crate) fn ty(ty: &Ty, types_path: &TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(bool),
        Ty::F64 => quote!(f64),
        Ty::I64 => quote!(i64),
        Ty::U64 => quote!(u64),
        Ty::NonZeroU64 => quote!(::std::num::NonZeroU64),
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
    let Constraints { minimum, maximum, min_length, max_length } = written;
    let bound = |name: &str, exclusive_name: &str, b: &Bound| {
        format!("{} `{}`", if b.exclusive { exclusive_name } else { name }, b.value)
    };
    let mut parts = Vec::new();
    if let Some(default) = default {
        parts.push(format!("default `{default}`"));
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
    if parts.is_empty() {
        return None;
    }
    let checked = if checked.is_empty() { "" } else { " Checked by `Validate::validate`, not when decoding." };
    Some(format!("Schema: {}.{checked}", parts.join("; ")))
}
