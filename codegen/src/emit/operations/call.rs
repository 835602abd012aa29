//! An operation's call: the request (path template, styled parameters, body) and how its
//! response is read (one body type, or an enum by status).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::params::{has_params, params_ident};
use super::status::status_match;
use crate::emit::{ident, ty};
use crate::ir::{Api, BodyKind, Location, Operation, Param, ResponseBody, Returns, Style, Ty, TypeKind};

/// The decoded value's type, and the call that builds the request: the runtime's `request…`
/// with the path, query and security, then the parameter styles and the error bodies.
pub(crate) fn call_chain(api: &Api, op: &Operation, stream: Option<&crate::ir::Stream>) -> (TokenStream, TokenStream) {
    let Operation { http_method, path, path_params, params, response, errors, security, .. } = op;
    let params_name = params_ident(op);
    let query = if has_params(params) { quote!(&#params_name) } else { quote!(&()) };
    let fill = path_params.iter().map(|p| {
        let (arg, wire) = (ident(&p.name), &p.wire_name);
        let union = matches!(&p.ty, Ty::Named(name)
            if matches!(crate::ir::kind_of(&api.types, name), Some(TypeKind::Union(_))));
        if p.ty == Ty::String {
            quote!((#wire, #arg))
        } else if union {
            // A union of scalars has no `Display`: it is written as the scalar it holds.
            quote!((#wire, &crate::runtime::codec::scalar_text(&#arg)))
        } else {
            quote!((#wire, &::std::string::ToString::to_string(&#arg)))
        }
    });
    let template = path_template(path, path_params);
    let method_const = crate::emit::streaming::http_method(http_method);
    let alternatives = security.iter().map(|alternative| {
        let names = alternative.iter().map(|n| format_ident!("{n}"));
        quote!(&[#(#names),*])
    });
    let request = quote!(#method_const, #template, &[#(#fill),*], #query, &[#(#alternatives),*]);
    let (value_ty, call) = match response {
        Returns::One(ResponseBody::Unit) => (quote!(()), quote!(self.client.request_empty(#request))),
        // Integers outside a model (a `Vec<i32>` body) are read with JSON Schema's rule, as a
        // model reads its own (`codec::Integer`).
        Returns::One(ResponseBody::Json(json)) if crate::emit::types::Context::new(&api.types).holds_integer(json) => {
            let value_ty = ty(json, &quote!(crate::types::));
            (
                value_ty.clone(),
                quote!(self.client.request_as(#request, |__received| {
                    crate::runtime::decode_json::<crate::runtime::codec::Integers<#value_ty>>(__received).map(|__value| __value.0)
                })),
            )
        }
        Returns::One(ResponseBody::Json(json)) => {
            (ty(json, &quote!(crate::types::)), quote!(self.client.request(#request)))
        }
        Returns::One(ResponseBody::Text) => {
            (quote!(::std::string::String), quote!(self.client.request_as(#request, crate::runtime::decode_text)))
        }
        Returns::One(ResponseBody::Bytes) => {
            (quote!(crate::runtime::Bytes), quote!(self.client.request_as(#request, crate::runtime::decode_bytes)))
        }
        Returns::ByStatus { name, variants } => {
            let enum_name = ident(name);
            let value = status_match(&enum_name, variants, true, quote!(__received.status()));
            (
                quote!(#enum_name),
                quote!(self.client.request_as(#request, |__received| ::std::result::Result::Ok(#value))),
            )
        }
    };
    let (value_ty, call) = match stream {
        Some(stream) => crate::emit::streaming::call(stream, &request),
        None => (value_ty, call),
    };
    let styled: Vec<TokenStream> = params.required.iter().chain(&params.optional).filter_map(styled).collect();
    let styled = (!styled.is_empty()).then(|| quote!(.params(#query, &[#(#styled),*])));
    let errors = errors.as_ref().map(|e| {
        let decode = match &e.name {
            None => {
                let detail = e.variants.first().map(|v| body_ty(&v.body)).unwrap_or_else(|| quote!(()));
                quote!(|__error| __error.decode::<#detail>())
            }
            Some(name) => {
                let enum_name = ident(name);
                let value = status_match(&enum_name, &e.variants, false, quote!(__error.status.as_u16()));
                quote!(|__error| ::std::option::Option::Some(#value))
            }
        };
        quote!(.errors(#decode))
    });
    (value_ty, quote!(#call #styled #errors))
}

/// The body argument, if the method takes one, and the method's body: the call chain, with the
/// request body attached (only when given, for an optional one).
pub(crate) fn send_body(
    op: &Operation,
    body: Option<(&BodyKind, &str)>,
    chain: TokenStream,
) -> (Option<TokenStream>, TokenStream) {
    let (Some((kind, media)), Some(spec)) = (body, &op.body) else { return (None, chain) };
    let arg = ident(&spec.arg);
    let value = if spec.required { quote!(#arg) } else { quote!(__body) };
    let (arg_ty, send) = match kind {
        BodyKind::Json(json) => {
            let json = ty(json, &quote!(crate::types::));
            (quote!(&#json), quote!(json(#value)))
        }
        BodyKind::Form(form, fields) if fields.is_empty() => {
            let form = ty(form, &quote!(crate::types::));
            (quote!(&#form), quote!(form(#value)))
        }
        BodyKind::Form(form, fields) => {
            let form = ty(form, &quote!(crate::types::));
            let fields = fields.iter().map(|field| {
                let crate::ir::FormField { wire_name, style, explode } = field;
                let style = match style {
                    Style::SpaceDelimited => quote!(SpaceDelimited),
                    Style::PipeDelimited => quote!(PipeDelimited),
                    Style::DeepObject => quote!(DeepObject),
                    Style::Form | Style::Simple | Style::Label | Style::Matrix => quote!(Form),
                };
                quote! {
                    crate::runtime::FormField { name: #wire_name, style: crate::runtime::Style::#style, explode: #explode }
                }
            });
            (quote!(&#form), quote!(form_styled(#value, &[#(#fields),*])))
        }
        BodyKind::Multipart(multipart) => {
            let name = ident(&multipart.name);
            (quote!(&#name), quote!(multipart(#value)))
        }
        BodyKind::Text if spec.required => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(raw(#media, ::std::convert::Into::<::std::string::String>::into(#value))),
        ),
        BodyKind::Text => (quote!(::std::string::String), quote!(raw(#media, #value))),
        BodyKind::Bytes if spec.required => {
            (quote!(impl ::std::convert::Into<crate::runtime::Body>), quote!(raw(#media, #value)))
        }
        BodyKind::Bytes => (quote!(crate::runtime::Body), quote!(raw(#media, #value))),
    };
    if spec.required {
        (Some(quote!(#arg: #arg_ty)), quote!(#chain.#send))
    } else {
        let send = quote! {
            let __pending = #chain;
            match #arg {
                Some(__body) => __pending.#send,
                None => __pending,
            }
        };
        (Some(quote!(#arg: ::std::option::Option<#arg_ty>)), send)
    }
}

/// The path template as sent: a `label` parameter's placeholder is preceded by `.`, a
/// `matrix` one by `;name=` (the runtime encodes the value itself); an `allowReserved` one is
/// written `{+name}`, RFC 6570's reserved expansion, which the runtime fills keeping reserved
/// characters.
pub(crate) fn path_template(path: &str, path_params: &[Param]) -> String {
    let mut template = path.to_owned();
    for p in path_params {
        let placeholder = format!("{{{}}}", p.wire_name);
        let prefix = match p.style {
            Style::Label => ".".to_owned(),
            Style::Matrix => format!(";{}=", p.wire_name),
            _ => String::new(),
        };
        let sent = if p.allow_reserved { format!("{{+{}}}", p.wire_name) } else { placeholder.clone() };
        template = template.replace(&placeholder, &format!("{prefix}{sent}"));
    }
    template
}

/// The runtime's description of a parameter that is not an exploded `form` query parameter.
pub(crate) fn styled(p: &Param) -> Option<TokenStream> {
    let location = match p.location {
        Location::Query if p.style == Style::Form && p.explode && !p.allow_reserved => return None,
        Location::Path => return None,
        Location::Query => quote!(Query),
        Location::Header => quote!(Header),
        Location::Cookie => quote!(Cookie),
    };
    let style = match p.style {
        Style::Form => quote!(Form),
        Style::SpaceDelimited => quote!(SpaceDelimited),
        Style::PipeDelimited => quote!(PipeDelimited),
        Style::DeepObject => quote!(DeepObject),
        Style::Simple | Style::Label | Style::Matrix => quote!(Simple),
    };
    let (wire, explode) = (&p.wire_name, p.explode);
    // Only the query percent-encodes: a header or cookie sends its value as it is.
    let allow_reserved = p.allow_reserved && p.location == Location::Query;
    Some(quote! {
        crate::runtime::Styled {
            name: #wire,
            location: crate::runtime::In::#location,
            style: crate::runtime::Style::#style,
            explode: #explode,
            allow_reserved: #allow_reserved,
        }
    })
}

/// The Rust type of a response body.
pub(crate) fn body_ty(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Unit => quote!(()),
        ResponseBody::Json(json) => ty(json, &quote!(crate::types::)),
        ResponseBody::Text => quote!(::std::string::String),
        ResponseBody::Bytes => quote!(crate::runtime::Bytes),
    }
}
