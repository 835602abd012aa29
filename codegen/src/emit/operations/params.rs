//! An operation's parameters: path arguments, the params struct and its setters, and the
//! doc examples of a call.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::multipart::part_placeholder;
use crate::emit::{code, doc_text, docs, ident, ty};
use crate::ir::{Api, BodyKind, Location, Operation, Param, ParamsStruct, Resource, Ty};
use crate::settings::Settings;

pub(crate) fn path_args(path_params: &[Param]) -> Vec<TokenStream> {
    path_params
        .iter()
        .map(|p| {
            let (arg, arg_ty) = (ident(&p.name), path_arg_ty(&p.ty));
            quote!(#arg: #arg_ty)
        })
        .collect()
}

/// Whether an operation has query parameters, and so a params struct and argument.
pub(crate) fn has_params(params: &ParamsStruct) -> bool {
    !(params.required.is_empty() && params.optional.is_empty())
}

/// The name of the params struct argument: `params`, or, when a path parameter already has that
/// name, the first of `params_`, `params__`… that none has.
pub(crate) fn params_ident(op: &Operation) -> proc_macro2::Ident {
    let mut name = "params".to_owned();
    while op.path_params.iter().any(|p| p.name == name) {
        name.push('_');
    }
    ident(&name)
}

pub(crate) fn params_arg(op: &Operation) -> Option<TokenStream> {
    has_params(&op.params).then(|| {
        let (name, params_ty) = (params_ident(op), ident(&op.params.name));
        quote!(#name: #params_ty)
    })
}

pub(crate) fn path_arg_ty(param_ty: &Ty) -> TokenStream {
    if *param_ty == Ty::String { quote!(&str) } else { ty(param_ty, &quote!(crate::types::)) }
}

/// An `# Example` section: a `no_run` block (compiled by `cargo test`, never run) in a function
/// that has a client. Its code is the generator's own, made of sanitised identifiers and
/// literals only, so it is the one doc text that is not passed through [`docs`]'s escaping.
pub(crate) fn example_docs(settings: &Settings, body: &str) -> TokenStream {
    let krate = settings.crate_name.replace('-', "_");
    let lines = ["".to_owned(), " # Example".to_owned(), "".to_owned(), " ```no_run".to_owned()]
        .into_iter()
        .chain([format!(" # async fn example(client: {krate}::Client) -> Result<(), {krate}::Error> {{")])
        .chain(body.lines().map(|line| format!(" {line}")))
        .chain([" # Ok(())", " # }", " ```"].map(str::to_owned));
    quote!(#(#[doc = #lines])*)
}

/// `client.resource().method("id", Params::new(0))`, with a placeholder for every required value.
pub(crate) fn example_call(
    api: &Api,
    settings: &Settings,
    resource: &Resource,
    op: &Operation,
    method: &str,
    body: Option<&BodyKind>,
) -> String {
    let krate = settings.crate_name.replace('-', "_");
    let krate = krate.as_str();
    let param = |p: &Param| {
        let hint = crate::emit::examples::Hint {
            name: &p.name,
            constraints: Some(&p.constraints),
            default: p.example.as_ref(),
        };
        crate::emit::examples::value(api, krate, &p.ty, hint)
    };
    let mut args: Vec<String> = op.path_params.iter().map(param).collect();
    if has_params(&op.params) {
        let required: Vec<_> = op.params.required.iter().map(param).collect();
        args.push(format!("{krate}::{}::new({})", op.params.name, required.join(", ")));
    }
    if let (Some(kind), Some(spec)) = (body, &op.body) {
        args.push(match kind {
            _ if !spec.required => "None".to_owned(),
            BodyKind::Json(body) | BodyKind::Form(body, _) => {
                format!(
                    "&{}",
                    crate::emit::examples::value(api, krate, body, crate::emit::examples::Hint::named(&spec.arg))
                )
            }
            BodyKind::Multipart(m) => {
                let required = m.parts.iter().filter(|p| p.required).map(|p| part_placeholder(api, krate, p));
                format!("&{krate}::{}::new({})", m.name, required.collect::<Vec<_>>().join(", "))
            }
            BodyKind::Text => "\"text\"".to_owned(),
            BodyKind::Bytes => "Vec::<u8>::new()".to_owned(),
        });
    }
    format!("client.{}().{method}({})", resource.accessor, args.join(", "))
}

/// A value of `ty` for an example (see [`crate::emit::examples`]).
pub(crate) fn placeholder(api: &Api, krate: &str, param_ty: &Ty, name: &str) -> String {
    crate::emit::examples::value(api, krate, param_ty, crate::emit::examples::Hint::named(name))
}

pub(crate) fn params_struct(resource: &Resource, op: &Operation, cfg: Option<&TokenStream>) -> Option<TokenStream> {
    let ParamsStruct { name, required, optional } = &op.params;
    if !has_params(&op.params) {
        return None;
    }
    let type_name = ident(name);
    let doc = docs(&format!(
        "Query parameters of [`{}::{}`]: the required ones are arguments of [`{name}::new`], the\n\
         optional ones chainable setters. `Serialize` writes them as they are sent.",
        resource.name, op.method_name
    ));
    let field_defs =
        required.iter().map(|p| param_field(p, false)).chain(optional.iter().map(|p| param_field(p, true)));
    let new_args = required.iter().map(|p| {
        let arg = ident(&p.name);
        let arg_ty = setter_ty(&p.ty);
        quote!(#arg: #arg_ty)
    });
    let inits = required.iter().map(|p| {
        let arg = ident(&p.name);
        if into_arg(&p.ty) { quote!(#arg: #arg.into()) } else { quote!(#arg) }
    });
    let unset = optional.iter().map(|p| {
        let arg = ident(&p.name);
        quote!(#arg: None)
    });
    let setters = optional.iter().map(|p| {
        let arg = ident(&p.name);
        // `new` is the constructor; a parameter of that name gets a setter that cannot clash.
        let setter = if p.name == "new" { format_ident!("new_") } else { arg.clone() };
        let doc = docs(&format!(
            "Sets `{}`{}",
            p.wire_name,
            p.docs.as_deref().map(|d| format!(": {}", doc_text(d))).unwrap_or_else(|| ".".into())
        ));
        let arg_ty = setter_ty(&p.ty);
        let value = if into_arg(&p.ty) { quote!(#arg.into()) } else { quote!(#arg) };
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, #arg: #arg_ty) -> Self {
                self.#arg = Some(#value);
                self
            }
        }
    });
    let derive_default = required.is_empty().then(|| quote!(Default,));
    Some(quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq, #derive_default ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #type_name {
            #(#field_defs)*
        }

        #cfg
        impl #type_name {
            /// Parameters with the required values given and every optional one unset.
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#inits,)* #(#unset,)* }
            }

            #(#setters)*
        }
    })
}

/// Whether a parameter of this type is taken as `impl Into<…>`: strings (any string type) and
/// numbers (so that `0` is accepted where the schema says `number`).
pub(crate) fn into_arg(param_ty: &Ty) -> bool {
    matches!(param_ty, Ty::String | Ty::F64)
}

pub(crate) fn setter_ty(param_ty: &Ty) -> TokenStream {
    let inner = ty(param_ty, &quote!(crate::types::));
    if into_arg(param_ty) { quote!(impl ::std::convert::Into<#inner>) } else { inner }
}

pub(crate) fn param_field(p: &Param, optional: bool) -> TokenStream {
    let Param {
        name,
        wire_name,
        location,
        style: _,
        explode: _,
        allow_reserved,
        json,
        docs: description,
        ty: param_ty,
        constraints,
        example: _,
    } = p;
    let sent_as = match location {
        Location::Path | Location::Query => None,
        Location::Header => Some("header"),
        Location::Cookie => Some("cookie"),
    };
    // Without a description the field has no text of its own, only how it is sent.
    let mut text = description.as_deref().map(doc_text).unwrap_or_default();
    if let Some(sent_as) = sent_as {
        text.push_str(&format!("\n\nSent as the {} {sent_as}.", code(wire_name)));
    }
    if *json {
        text.push_str("\n\nSent as its JSON text.");
    }
    if *allow_reserved && *location == Location::Query {
        text.push_str("\n\nSent with RFC 3986's reserved characters (`:/?[]@!$&'()*+,;=`) and escapes as they are.");
    }
    if let Some(bounds) = crate::emit::schema_note(constraints, &crate::ir::Constraints::default(), None) {
        text.push_str(&format!("\n\n{bounds}"));
    }
    let doc = docs(&text);
    let (field, inner) = (ident(name), ty(param_ty, &quote!(crate::types::)));
    let rename = (name != wire_name).then(|| quote!(#[serde(rename = #wire_name)]));
    let json = json.then(|| quote!(#[serde(serialize_with = "crate::runtime::codec::json_text")]));
    if optional {
        quote! {
            #doc
            #rename
            #json
            #[serde(skip_serializing_if = "::std::option::Option::is_none")]
            pub #field: ::std::option::Option<#inner>,
        }
    } else {
        quote!(#doc #rename #json pub #field: #inner,)
    }
}
