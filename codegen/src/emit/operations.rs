//! Emits `operations.rs`: the client configuration constants, one accessor and struct per
//! resource, one method (plus its params type) per operation, and pagination.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::gates::Gates;
use super::{code, doc_text, docs, ident, ty};
use crate::ir::{
    Api, AuthKind, AuthScheme, BodyKind, ErrorBodies, Location, Multipart, Operation, Param, ParamsStruct, Part,
    PartValue, Resource, ResponseBody, Returns, Status, StatusVariant, Style, Ty, TypeKind,
};
use crate::settings::Settings;

/// `operations.rs` in the reviewer's units, in file order: `("client", …)` (the constants, the
/// `Client`, one accessor and struct per resource), then `("resource.method", …)` for each
/// operation (its methods, its params struct, and the `Page` impl of its response if it is the
/// first paginated operation to return that type).
pub(crate) fn sections(api: &Api, settings: &Settings, gates: &Gates) -> Vec<(String, TokenStream)> {
    lazy_sections(api, settings, gates).collect()
}

/// As [`sections`], made a resource at a time as the formatter asks for them.
pub(crate) fn lazy_sections<'a>(
    api: &'a Api,
    settings: &'a Settings,
    gates: &'a Gates,
) -> impl Iterator<Item = (String, TokenStream)> + 'a {
    let mut paged = BTreeSet::new();
    // Each multipart struct is written once, in the section of the first operation that sends
    // it, and its docs name every operation that does.
    let mut senders: BTreeMap<&str, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
    for resource in &api.resources {
        for op in &resource.operations {
            for (method_name, multipart) in multiparts(op) {
                let (names, features) = senders.entry(&multipart.name).or_default();
                names.push(format!("{}::{method_name}", resource.name));
                features.insert(super::gates::feature_name(resource));
            }
        }
    }
    let mut written = BTreeSet::new();
    let client = std::iter::once_with(|| ("client".to_owned(), client(api, settings, gates)));
    client.chain(api.resources.iter().flat_map(move |resource| {
        let mut sections = Vec::new();
        // With features per resource, each item of the operation compiles with its resource.
        let cfg = gates.resource(resource);
        for op in &resource.operations {
            let name = format!("{}.{}", resource.accessor, op.method_name);
            let page = match (op.response.json(), &op.pagination) {
                (Some(Ty::Named(response)), Some(p)) if paged.insert(response.clone()) => {
                    super::pagination::page_impl(response, p, gates.page(response))
                }
                _ => None,
            };
            let method = method(api, settings, resource, op);
            let enums = status_enums(resource, op, cfg.as_ref());
            let params = params_struct(resource, op, cfg.as_ref());
            let bodies = multiparts(op).map(|(_, m)| m).filter(|m| written.insert(m.name.as_str())).map(|m| {
                let (senders, features) =
                    senders.get(m.name.as_str()).map_or((&[][..], None), |(s, f)| (s.as_slice(), Some(f)));
                // Shared by the operations of several resources: there when any of them is.
                let cfg = features.and_then(|f| gates.any(f));
                multipart_struct(m, senders, cfg)
            });
            let resource_name = ident(&resource.name);
            sections.push((
                name,
                quote! {
                    #cfg
                    impl #resource_name<'_> {
                        #method
                    }

                    #params
                    #(#bodies)*
                    #enums
                    #page
                },
            ));
        }
        sections
    }))
}

/// The multipart bodies an operation sends, with the method that sends each (the operation's, or
/// an alternative's).
fn multiparts(op: &Operation) -> impl Iterator<Item = (&str, &Multipart)> {
    let main = op.body.iter().map(|b| (op.method_name.as_str(), &b.kind));
    let alternatives = op.body.iter().flat_map(|b| &b.alternatives).map(|a| (a.method_name.as_str(), &a.kind));
    main.chain(alternatives).filter_map(|(method_name, kind)| match kind {
        BodyKind::Multipart(m) => Some((method_name, m)),
        _ => None,
    })
}

fn client(api: &Api, settings: &Settings, gates: &Gates) -> TokenStream {
    let base_url = api.base_url.as_deref().unwrap_or_default();
    let api_key_env = format!("{}_API_KEY", settings.env_prefix);
    let base_url_env = format!("{}_BASE_URL", settings.env_prefix);
    let base_url_doc = match &api.base_url {
        Some(url) => {
            docs(&format!("The base URL used when none is configured: {}, the document's first server.", code(url)))
        }
        None => docs(
            "Empty: the API description gives no absolute server URL, so the client needs one,\n\
             from `ClientBuilder::base_url` or the variable [`BASE_URL_ENV`] names.",
        ),
    };
    let api_doc =
        docs(&format!("The API this crate was generated from: {} {}.", doc_text(&api.title), doc_text(&api.version)));
    let (title, version) = (&api.title, &api.version);
    let resources = api.resources.iter().map(|r| resource(r, gates.resource(r)));
    let uses_key = api.auth.iter().any(|a| a.kind != AuthKind::Basic && a.kind.sends_credential());
    let uses_basic = api.auth.iter().any(|a| a.kind == AuthKind::Basic);
    let auth_required = api.auth_required;
    let username_env = format!("{}_USERNAME", settings.env_prefix);
    let password_env = format!("{}_PASSWORD", settings.env_prefix);
    let schemes = api.auth.iter().map(|s| scheme_const(s, gates.scheme(&s.name)));
    let builder = super::auth::builder_methods(api, gates);
    let idempotency = match &api.idempotency_header {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    quote! {
        #base_url_doc
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The environment variable `Client::from_env` reads the API key from.
        pub const API_KEY_ENV: &str = #api_key_env;

        /// The environment variable that overrides the base URL in `Client::from_env`.
        pub const BASE_URL_ENV: &str = #base_url_env;

        #api_doc
        pub const API: (&str, &str) = (#title, #version);

        /// What the runtime's client needs to know of this API.
        const API_INFO: crate::runtime::ApiInfo = crate::runtime::ApiInfo {
            default_base_url: DEFAULT_BASE_URL,
            api_key_env: API_KEY_ENV,
            base_url_env: BASE_URL_ENV,
            user_agent: ::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION")),
            idempotency_header: #idempotency,
            auth: crate::runtime::AuthInfo {
                api_key: #uses_key,
                basic: #uses_basic,
                required: #auth_required,
                username_env: #username_env,
                password_env: #password_env,
            },
        };

        #(#schemes)*

        crate::runtime::api_client!(API_INFO);

        #builder

        #(#resources)*
    }
}

/// A private constant per security scheme, named in each operation's requirements.
fn scheme_const(scheme: &AuthScheme, cfg: Option<TokenStream>) -> TokenStream {
    let AuthScheme { name, wire_name, kind } = scheme;
    let name = format_ident!("{name}");
    let doc = match kind {
        AuthKind::MutualTls => docs(&format!(
            "The security scheme {}: mutual TLS. No credential is sent in the request: the client\n\
             proves who it is with the TLS client identity its HTTP client is built with (see\n\
             `ClientBuilder::http_client`).",
            code(wire_name)
        )),
        _ => docs(&format!("The security scheme {}.", code(wire_name))),
    };
    let value = match kind {
        AuthKind::Bearer => quote!(crate::runtime::Scheme::Bearer),
        AuthKind::Basic => quote!(crate::runtime::Scheme::Basic),
        AuthKind::Header(header) => quote!(crate::runtime::Scheme::Header(#header)),
        AuthKind::Query(param) => quote!(crate::runtime::Scheme::Query(#param)),
        AuthKind::Cookie(cookie) => quote!(crate::runtime::Scheme::Cookie(#cookie)),
        AuthKind::MutualTls => quote!(crate::runtime::Scheme::MutualTls),
    };
    quote! {
        #doc
        #cfg
        const #name: crate::runtime::SecurityScheme = crate::runtime::SecurityScheme { name: #wire_name, kind: #value };
    }
}

/// A resource's accessor on `Client` and the struct it returns.
fn resource(resource: &Resource, cfg: Option<TokenStream>) -> TokenStream {
    let Resource { accessor, name, docs: description, operations: _ } = resource;
    let (accessor, name) = (ident(accessor), ident(name));
    let text = description.as_deref().map_or_else(|| format!("The `{accessor}` operations."), doc_text);
    let accessor_doc = docs(&text);
    let struct_doc = docs(&format!("{text}\n\nReturned by [`Client::{accessor}`](crate::Client::{accessor})."));
    quote! {
        #cfg
        impl Client {
            #accessor_doc
            pub fn #accessor(&self) -> #name<'_> {
                #name { client: &self.0 }
            }
        }

        #struct_doc
        #cfg
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a crate::runtime::Client,
        }
    }
}

fn method(api: &Api, settings: &Settings, resource: &Resource, op: &Operation) -> TokenStream {
    let body = op.body.as_ref().map(|b| (&b.kind, b.media.as_str()));
    // A stream that is the only success body takes the operation's method.
    let streamed_only = op.stream.as_ref().is_some_and(|s| s.method_name == op.method_name);
    let main = (!streamed_only).then(|| body_method(api, settings, resource, op, &op.method_name, body, None));
    let stream = op.stream.as_ref().map(|s| body_method(api, settings, resource, op, &s.method_name, body, Some(s)));
    let alternatives = op.body.iter().flat_map(|b| &b.alternatives).map(|alt| {
        body_method(api, settings, resource, op, &alt.method_name, Some((&alt.kind, alt.media.as_str())), None)
    });
    let paging =
        op.pagination.as_ref().zip(op.response.json()).map(|(p, response)| {
            super::pagination::paging_methods(api, settings, resource, op, p, &ty(response, &quote!(crate::types::)))
        });
    quote! {
        #main
        #stream
        #(#alternatives)*
        #paging
    }
}

/// One method of an operation, sending its body (if any) as `body`'s media type.
fn body_method(
    api: &Api,
    settings: &Settings,
    resource: &Resource,
    op: &Operation,
    method_name: &str,
    body: Option<(&BodyKind, &str)>,
    stream: Option<&crate::ir::Stream>,
) -> TokenStream {
    // Every field is named here, so that a new one fails to compile until it is handled; the
    // helpers below read the ones they need.
    let Operation {
        method_name: _,
        pointer: _,
        summary: _,
        description: _,
        http_method: _,
        path: _,
        path_params,
        params: _,
        body: _,
        response: _,
        errors: _,
        pagination: _,
        stream: _,
        deprecated,
        security: _,
    } = op;
    let doc = method_docs(api, settings, resource, op, method_name, body, stream);
    let deprecated = deprecated.then(|| quote!(#[deprecated]));
    let name = ident(method_name);
    let (value_ty, chain) = call_chain(api, op, stream);
    let (body_arg, send) = send_body(op, body, chain);
    let args = path_args(path_params).into_iter().chain(params_arg(op)).chain(body_arg);
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> crate::runtime::Pending<#value_ty> {
            #send
        }
    }
}

/// A method's docs: summary, description, method and path, the body's media type, what it
/// returns and its errors, and a compiled example.
fn method_docs(
    api: &Api,
    settings: &Settings,
    resource: &Resource,
    op: &Operation,
    method_name: &str,
    body: Option<(&BodyKind, &str)>,
    stream: Option<&crate::ir::Stream>,
) -> TokenStream {
    let Operation {
        summary,
        description,
        http_method,
        path,
        path_params,
        body: body_spec,
        response,
        errors,
        security,
        ..
    } = op;
    let mut text = [
        summary.as_deref().map(doc_text),
        description.as_deref().map(doc_text),
        Some(code(&format!("{http_method} {path}"))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n\n");
    for p in path_params.iter().filter(|p| p.allow_reserved) {
        text.push_str(&format!(
            "\n\n{} is sent with RFC 3986's reserved characters but `?` and `#` (and its escapes) as they\n\
             are, so it may hold several segments (`a/b`).",
            code(&p.name)
        ));
    }
    let mutual_tls: BTreeSet<&str> = security
        .iter()
        .flatten()
        .filter_map(|name| api.auth.iter().find(|a| a.name == *name && a.kind == AuthKind::MutualTls))
        .map(|a| a.wire_name.as_str())
        .collect();
    if !mutual_tls.is_empty() {
        let names: Vec<String> = mutual_tls.iter().map(|n| code(n)).collect();
        text.push_str(&format!(
            "\n\nAuthenticated by mutual TLS ({}): the client sends no credential for it, so build it\n\
             with a TLS client identity (a `reqwest::Client` made with `identity`, given to\n\
             `ClientBuilder::http_client`).",
            names.join(", ")
        ));
    }
    if let (Some((_, media)), Some(spec)) = (body, body_spec) {
        let what = spec.docs.as_deref().map(|d| format!(": {}", doc_text(d))).unwrap_or_else(|| ".".to_owned());
        let optional = if spec.required { "" } else { " (optional)" };
        text.push_str(&format!("\n\nThe body{optional} is sent as {}{what}", code(media)));
    }
    let call = example_call(api, settings, resource, op, method_name, body.map(|(kind, _)| kind));
    if let Some(stream) = stream {
        text.push_str(&super::streaming::docs_of(stream));
    }
    let unit = stream.is_none() && *response == Returns::One(ResponseBody::Unit);
    let example = if unit {
        format!("{call}.await?;")
    } else {
        format!("let response = {call}.await?;\nprintln!(\"{{response:?}}\");")
    };
    let error_doc = match errors {
        None => String::new(),
        Some(e) => format!(
            " An error status the API declares a JSON body for keeps it decoded as {} in\n[`Error::detail`](crate::Error::detail).",
            error_type_doc(e)
        ),
    };
    let text = docs(&format!(
        "{text}\n\nReturns a [`Pending`](crate::Pending) request: `.await` it for the {}, or call\n\
         [`with_response`](crate::Pending::with_response) on it for the status and headers too.\n\n\
         # Errors\n\n\
         Any [`Error`](crate::Error): the request failed, the API answered with an error status, or the body did not decode.{error_doc}",
        if unit { "outcome" } else { "decoded body" },
    ));
    let example = example_docs(settings, &example);
    quote!(#text #example)
}

/// The decoded value's type, and the call that builds the request: the runtime's `request…`
/// with the path, query and security, then the parameter styles and the error bodies.
fn call_chain(api: &Api, op: &Operation, stream: Option<&crate::ir::Stream>) -> (TokenStream, TokenStream) {
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
    let method_const = super::streaming::http_method(http_method);
    let alternatives = security.iter().map(|alternative| {
        let names = alternative.iter().map(|n| format_ident!("{n}"));
        quote!(&[#(#names),*])
    });
    let request = quote!(#method_const, #template, &[#(#fill),*], #query, &[#(#alternatives),*]);
    let (value_ty, call) = match response {
        Returns::One(ResponseBody::Unit) => (quote!(()), quote!(self.client.request_empty(#request))),
        // Integers outside a model (a `Vec<i32>` body) are read with JSON Schema's rule, as a
        // model reads its own (`codec::Integer`).
        Returns::One(ResponseBody::Json(json)) if super::types::Context::new(&api.types).holds_integer(json) => {
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
        Some(stream) => super::streaming::call(stream, &request),
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
fn send_body(
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
            (quote!(impl ::std::convert::Into<crate::runtime::Bytes>), quote!(raw(#media, #value)))
        }
        BodyKind::Bytes => (quote!(crate::runtime::Bytes), quote!(raw(#media, #value))),
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
pub(super) fn path_template(path: &str, path_params: &[Param]) -> String {
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
pub(super) fn styled(p: &Param) -> Option<TokenStream> {
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
fn body_ty(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Unit => quote!(()),
        ResponseBody::Json(json) => ty(json, &quote!(crate::types::)),
        ResponseBody::Text => quote!(::std::string::String),
        ResponseBody::Bytes => quote!(crate::runtime::Bytes),
    }
}

/// The match arms that decode a status enum: specific statuses, then ranges, then `default`
/// (or, without one, an unexpected-status error for successes and no detail for errors).
/// The value of a status enum for the status `scrutinee` gives: a `match` on it, or, when the only
/// variant is `default`, that variant (a `match` of one `_` arm is no match).
fn status_match(
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
fn status_value(enum_name: &proc_macro2::Ident, v: &StatusVariant, success: bool) -> TokenStream {
    let variant = ident(&v.name);
    match (&v.body, success) {
        (ResponseBody::Unit, _) => quote!(#enum_name::#variant),
        (ResponseBody::Json(_), true) => quote!(#enum_name::#variant(crate::runtime::decode_json(__received)?)),
        (ResponseBody::Text, true) => quote!(#enum_name::#variant(crate::runtime::decode_text(__received)?)),
        (ResponseBody::Bytes, true) => quote!(#enum_name::#variant(crate::runtime::decode_bytes(__received)?)),
        (_, false) => quote!(#enum_name::#variant(__error.decode()?)),
    }
}

fn status_arms(enum_name: &proc_macro2::Ident, variants: &[StatusVariant], success: bool) -> Vec<TokenStream> {
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
fn error_type_doc(errors: &ErrorBodies) -> String {
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
fn status_enums(resource: &Resource, op: &Operation, cfg: Option<&TokenStream>) -> TokenStream {
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

fn status_enum(name: &str, doc: &str, variants: &[StatusVariant], cfg: Option<&TokenStream>) -> TokenStream {
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

pub(super) fn path_args(path_params: &[Param]) -> Vec<TokenStream> {
    path_params
        .iter()
        .map(|p| {
            let (arg, arg_ty) = (ident(&p.name), path_arg_ty(&p.ty));
            quote!(#arg: #arg_ty)
        })
        .collect()
}

/// Whether an operation has query parameters, and so a params struct and argument.
pub(super) fn has_params(params: &ParamsStruct) -> bool {
    !(params.required.is_empty() && params.optional.is_empty())
}

/// The name of the params struct argument: `params`, or, when a path parameter already has that
/// name, the first of `params_`, `params__`… that none has.
pub(super) fn params_ident(op: &Operation) -> proc_macro2::Ident {
    let mut name = "params".to_owned();
    while op.path_params.iter().any(|p| p.name == name) {
        name.push('_');
    }
    ident(&name)
}

fn params_arg(op: &Operation) -> Option<TokenStream> {
    has_params(&op.params).then(|| {
        let (name, params_ty) = (params_ident(op), ident(&op.params.name));
        quote!(#name: #params_ty)
    })
}

pub(super) fn path_arg_ty(param_ty: &Ty) -> TokenStream {
    if *param_ty == Ty::String { quote!(&str) } else { ty(param_ty, &quote!(crate::types::)) }
}

/// An `# Example` section: a `no_run` block (compiled by `cargo test`, never run) in a function
/// that has a client. Its code is the generator's own, made of sanitised identifiers and
/// literals only, so it is the one doc text that is not passed through [`docs`]'s escaping.
pub(super) fn example_docs(settings: &Settings, body: &str) -> TokenStream {
    let krate = settings.crate_name.replace('-', "_");
    let lines = ["".to_owned(), " # Example".to_owned(), "".to_owned(), " ```no_run".to_owned()]
        .into_iter()
        .chain([format!(" # async fn example(client: {krate}::Client) -> Result<(), {krate}::Error> {{")])
        .chain(body.lines().map(|line| format!(" {line}")))
        .chain([" # Ok(())", " # }", " ```"].map(str::to_owned));
    quote!(#(#[doc = #lines])*)
}

/// `client.resource().method("id", Params::new(0))`, with a placeholder for every required value.
pub(super) fn example_call(
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
        let hint =
            super::examples::Hint { name: &p.name, constraints: Some(&p.constraints), default: p.example.as_ref() };
        super::examples::value(api, krate, &p.ty, hint)
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
                format!("&{}", super::examples::value(api, krate, body, super::examples::Hint::named(&spec.arg)))
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

/// A value of `ty` for an example (see [`super::examples`]).
fn placeholder(api: &Api, krate: &str, param_ty: &Ty, name: &str) -> String {
    super::examples::value(api, krate, param_ty, super::examples::Hint::named(name))
}

fn params_struct(resource: &Resource, op: &Operation, cfg: Option<&TokenStream>) -> Option<TokenStream> {
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
fn into_arg(param_ty: &Ty) -> bool {
    matches!(param_ty, Ty::String | Ty::F64)
}

fn setter_ty(param_ty: &Ty) -> TokenStream {
    let inner = ty(param_ty, &quote!(crate::types::));
    if into_arg(param_ty) { quote!(impl ::std::convert::Into<#inner>) } else { inner }
}

fn param_field(p: &Param, optional: bool) -> TokenStream {
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
    if let Some(bounds) = super::schema_note(constraints, &crate::ir::Constraints::default(), None) {
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

/// A value of a required part for an example: an empty file, a list, or a parameter's
/// placeholder.
fn part_placeholder(api: &Api, krate: &str, part: &Part) -> String {
    match &part.value {
        _ if part.repeated => "Vec::new()".to_owned(),
        PartValue::File { .. } => format!("{krate}::File::new(Vec::<u8>::new())"),
        PartValue::Text { ty: value, .. } | PartValue::Json { ty: value, .. } => {
            placeholder(api, krate, value, &part.name)
        }
    }
}

/// The struct of a multipart body: one field per part, `new` with the required ones, a setter
/// for each other one, and the `Multipart` impl that writes the parts in field order.
fn multipart_struct(multipart: &Multipart, senders: &[String], cfg: Option<TokenStream>) -> TokenStream {
    let Multipart { name, docs: description, parts } = multipart;
    let type_name = ident(name);
    let senders: Vec<String> = senders.iter().map(|s| format!("[`{s}`]")).collect();
    let intro = description.as_deref().map(|d| format!("{}\n\n", doc_text(d))).unwrap_or_default();
    let doc = docs(&format!(
        "{intro}The `multipart/form-data` body of {}: each field is sent as a part (a list as one\n\
         part per item, an unset optional field as none). The required parts are arguments of\n\
         [`{name}::new`], the optional ones chainable setters.",
        senders.join(", ")
    ));
    let (required, optional): (Vec<&Part>, Vec<&Part>) = parts.iter().partition(|p| p.required);
    let fields = parts.iter().map(|p| {
        let (field, field_ty, doc) = (ident(&p.name), part_field_ty(p), docs(&part_docs(p)));
        quote!(#doc pub #field: #field_ty,)
    });
    let new_args = required.iter().map(|p| {
        let (arg, arg_ty) = (ident(&p.name), part_arg_ty(p));
        quote!(#arg: #arg_ty)
    });
    let inits = parts.iter().map(|p| {
        let field = ident(&p.name);
        match p {
            _ if p.repeated && !p.required => quote!(#field: ::std::vec::Vec::new()),
            _ if !p.required => quote!(#field: None),
            _ if part_into(p) => quote!(#field: #field.into()),
            _ => quote!(#field),
        }
    });
    let setters = optional.iter().map(|p| {
        let field = ident(&p.name);
        // `new` is the constructor; a part of that name gets a setter that cannot clash.
        let setter = if p.name == "new" { format_ident!("new_") } else { field.clone() };
        let doc = docs(&format!("Sets the {} part{}", code(&p.wire_name), if p.repeated { "s." } else { "." }));
        let arg_ty = part_arg_ty(p);
        let value = match p {
            _ if p.repeated => quote!(#field),
            _ if part_into(p) => quote!(Some(#field.into())),
            _ => quote!(Some(#field)),
        };
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, #field: #arg_ty) -> Self {
                self.#field = #value;
                self
            }
        }
    });
    let writes = parts.iter().map(|p| {
        let (wire, field) = (&p.wire_name, ident(&p.name));
        let values = if p.required && !p.repeated { quote!([&self.#field]) } else { quote!(&self.#field) };
        match &p.value {
            PartValue::File { content_type, untyped: false, .. } => {
                quote!(__parts.file(#wire, #content_type, #values);)
            }
            PartValue::File { content_type, untyped: true, .. } => {
                quote!(__parts.bytes(#wire, #content_type, #values);)
            }
            PartValue::Text { content_type: None, .. } => quote!(__parts.text(#wire, #values);),
            PartValue::Text { content_type: Some(content_type), .. } => {
                quote!(__parts.text_as(#wire, #content_type, #values);)
            }
            PartValue::Json { content_type, .. } => quote!(__parts.json(#wire, #content_type, #values);),
        }
    });
    let derive_default = required.is_empty().then(|| quote!(Default,));
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #type_name {
            #(#fields)*
        }

        #cfg
        impl #type_name {
            /// A body with the required parts given and every optional one unset.
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#inits,)* }
            }

            #(#setters)*
        }

        #cfg
        impl crate::runtime::Multipart for #type_name {
            fn parts(&self, __parts: &mut crate::runtime::Parts) {
                #(#writes)*
            }
        }
    }
}

/// The Rust type of one value of a part.
fn part_value_ty(part: &Part) -> TokenStream {
    match &part.value {
        PartValue::File { .. } => quote!(crate::runtime::File),
        PartValue::Text { ty: value, .. } | PartValue::Json { ty: value, .. } => ty(value, &quote!(crate::types::)),
    }
}

/// A part's field type: a list, the value, or an optional value.
fn part_field_ty(part: &Part) -> TokenStream {
    let value = part_value_ty(part);
    match part {
        _ if part.repeated => quote!(::std::vec::Vec<#value>),
        _ if part.required => value,
        _ => quote!(::std::option::Option<#value>),
    }
}

/// Whether a part is taken as `impl Into<…>`, as parameters are (strings and numbers).
fn part_into(part: &Part) -> bool {
    !part.repeated
        && matches!(&part.value, PartValue::Text { ty: value, .. } | PartValue::Json { ty: value, .. } if into_arg(value))
}

/// The type `new` and the setters take for a part.
fn part_arg_ty(part: &Part) -> TokenStream {
    match &part.value {
        _ if part.repeated => part_field_ty(part),
        PartValue::Text { ty: value, .. } | PartValue::Json { ty: value, .. } => setter_ty(value),
        PartValue::File { .. } => part_value_ty(part),
    }
}

/// A part's docs: its description, how it is sent, its bounds.
fn part_docs(part: &Part) -> String {
    let Part {
        name: _,
        wire_name: _,
        docs: description,
        required: _,
        repeated,
        value,
        deprecated,
        default,
        constraints,
    } = part;
    // Without a description the field has no text of its own, only how it is sent.
    let mut text = description.as_deref().map(doc_text).unwrap_or_default();
    let each = if *repeated { "Each item is sent as a part of its own: " } else { "Sent " };
    let how = match value {
        PartValue::File { content_type, accepts, untyped } => {
            let accepts = accepts.as_deref().map(|a| format!(" The API accepts {}.", code(a))).unwrap_or_default();
            let what = if *untyped {
                "as a file when it has a file name, else as a field of these bytes (the API description gives no \
                 type)"
            } else {
                "as a file, named after the part unless it has a file name"
            };
            format!("{each}{what},\nwith its own content type or else {}.{accepts}", code(content_type))
        }
        PartValue::Text { content_type: None, .. } => format!("{each}as text."),
        PartValue::Text { content_type: Some(content_type), .. } => {
            format!("{each}as text, with the content type {}.", code(content_type))
        }
        PartValue::Json { content_type, .. } => format!("{each}as JSON ({}).", code(content_type)),
    };
    text.push_str(&format!("\n\n{how}"));
    if *deprecated {
        text.push_str("\n\nDeprecated.");
    }
    if let Some(note) = super::schema_note(constraints, &crate::ir::Constraints::default(), default.as_ref()) {
        text.push_str(&format!("\n\n{note}"));
    }
    text
}
