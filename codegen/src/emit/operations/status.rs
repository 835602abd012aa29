//! The enums of responses that differ by status, and the doc text of an operation's error type.

use proc_macro2::TokenStream;
use quote::quote;

use super::call::body_ty;
use crate::emit::{docs, ident};
use crate::ir::{ErrorBodies, Operation, Resource, ResponseBody, Returns, Status, StatusVariant, Ty};

/// The match arms that decode a status enum: specific statuses, then ranges, then `default`
/// (or, without one, an unexpected-status error for successes and no detail for errors).
/// The value of a status enum for the status `scrutinee` gives: a `match` on it, or, when the only
/// variant is `default`, that variant (a `match` of one `_` arm is no match).
pub(crate) fn status_match(
    enum_name: &proc_macro2::Ident,
    variants: &[StatusVariant],
    success: bool,
    scrutinee: TokenStream,
) -> TokenStream {
    if let [only] = variants
        && only.status == Status::Default
    {
        return status_value(enum_name, only, success);
    }
    let arms = status_arms(enum_name, variants, success);
    quote!(match #scrutinee { #(#arms)* })
}

/// A status enum's variant, its body decoded.
pub(crate) fn status_value(enum_name: &proc_macro2::Ident, v: &StatusVariant, success: bool) -> TokenStream {
    let variant = ident(&v.name);
    match (&v.body, success) {
        (ResponseBody::Unit, _) => quote!(#enum_name::#variant),
        (ResponseBody::Json(_), true) => quote!(#enum_name::#variant(crate::runtime::decode_json(__received)?)),
        (ResponseBody::Text, true) => quote!(#enum_name::#variant(crate::runtime::decode_text(__received)?)),
        (ResponseBody::Bytes, true) => quote!(#enum_name::#variant(crate::runtime::decode_bytes(__received)?)),
        (_, false) => quote!(#enum_name::#variant(__error.decode()?)),
    }
}

pub(crate) fn status_arms(
    enum_name: &proc_macro2::Ident,
    variants: &[StatusVariant],
    success: bool,
) -> Vec<TokenStream> {
    let mut arms: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let pattern = match v.status {
                Status::Code(code) => quote!(#code),
                Status::Range(digit) => {
                    let (low, high) = (digit * 100, digit * 100 + 99);
                    quote!(#low..=#high)
                }
                Status::Default => quote!(_),
            };
            let value = status_value(enum_name, v, success);
            quote!(#pattern => #value,)
        })
        .collect();
    if !variants.iter().any(|v| v.status == Status::Default) {
        arms.push(if success {
            quote!(_ => return ::std::result::Result::Err(crate::runtime::unexpected_status(__received)),)
        } else {
            quote!(_ => return ::std::option::Option::None,)
        });
    }
    arms
}

/// How an operation's typed error is named in docs.
/// A whole link (or code span), so that no caller splices half of one into its text.
pub(crate) fn error_type_doc(errors: &ErrorBodies) -> String {
    match (&errors.name, errors.variants.first()) {
        (Some(name), _) => format!("[`{name}`](crate::{name})"),
        (None, Some(v)) => match &v.body {
            ResponseBody::Json(Ty::Named(name)) => format!("[`{name}`](crate::types::{name})"),
            ResponseBody::Json(other) => {
                format!("`{}`", body_ty(&ResponseBody::Json(other.clone())).to_string().replace(' ', ""))
            }
            _ => "`()`".to_owned(),
        },
        (None, None) => "`()`".to_owned(),
    }
}

/// The enums of an operation whose success responses differ by status, and of its typed errors
/// when they differ.
pub(crate) fn status_enums(resource: &Resource, op: &Operation, cfg: Option<&TokenStream>) -> TokenStream {
    let success = match &op.response {
        Returns::ByStatus { name, variants } => Some(status_enum(
            name,
            &format!("The success responses of [`{}::{}`], by status.", resource.name, op.method_name),
            variants,
            cfg,
        )),
        Returns::One(_) => None,
    };
    let errors = op.errors.as_ref().and_then(|e| {
        let name = e.name.as_ref()?;
        Some(status_enum(
            name,
            &format!(
                "The typed error bodies of [`{}::{}`], by status: read with [`Error::detail`](crate::Error::detail).",
                resource.name, op.method_name
            ),
            &e.variants,
            cfg,
        ))
    });
    quote!(#success #errors)
}

pub(crate) fn status_enum(name: &str, doc: &str, variants: &[StatusVariant], cfg: Option<&TokenStream>) -> TokenStream {
    let doc = docs(doc);
    let name = ident(name);
    let variants = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let status = match v.status {
            Status::Code(code) => format!("`{code}`"),
            Status::Range(digit) => format!("`{digit}XX`"),
            Status::Default => "Any other status (`default`)".to_owned(),
        };
        match &v.body {
            ResponseBody::Unit => {
                let doc = docs(&format!("{status}, without content."));
                quote!(#doc #variant,)
            }
            body => {
                let doc = docs(&format!("{status}."));
                let body = body_ty(body);
                quote!(#doc #variant(#body),)
            }
        }
    });
    // As unions do (see `emit::types`): the variants are the API's responses, and boxing the
    // large ones would cost an allocation per response and change the types users match on.
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}
