//! Emits `operations.rs`: the client configuration constants, one accessor and struct per
//! resource, one method (plus its params type) per operation. This module holds the file's
//! order and the client, resources and methods; its parts are `call` (the request and how the
//! response is read), `status` (enums of responses by status), `params` (path arguments, the
//! params struct, doc examples of a call) and `multipart` (parts structs). Pagination,
//! streaming, credentials, mocks and example values are emit's own modules.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

mod call;
mod multipart;
mod params;
mod status;

use crate::emit::gates::Gates;
use crate::emit::{code, doc_text, docs, ident, ty};
use crate::ir::{Api, AuthKind, AuthScheme, BodyKind, Multipart, Operation, Resource, ResponseBody, Returns, Ty};
use crate::settings::Settings;
use call::{call_chain, send_body};
pub(super) use call::{path_template, styled};
use multipart::multipart_struct;
pub(super) use params::{example_call, example_docs, path_args};
pub(super) use params::{has_params, params_ident, path_arg_ty};
use params::{params_arg, params_struct};
use status::{error_type_doc, status_enums};

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
    let envs = super::auth::scheme_envs(api, &settings.env_prefix);
    let builder = super::auth::builder_methods(api, &envs, gates);
    let scheme_envs = envs.into_iter().map(|env| {
        let super::auth::SchemeEnv { scheme, var, password_var } = env;
        let password_var = match password_var {
            Some(var) => quote!(Some(#var)),
            None => quote!(None),
        };
        quote!(crate::runtime::SchemeEnv { scheme: #scheme, var: #var, password_var: #password_var })
    });
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
                schemes: &[#(#scheme_envs),*],
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
    let paging = op.pagination.as_ref().zip(op.response.json()).map(|(p, response)| {
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
        if matches!(body, Some((BodyKind::Bytes, _))) {
            text.push_str(
                "\nA [`Body`](crate::Body): bytes in memory, a file read as it is sent\n\
                 ([`Body::from_path`](crate::Body::from_path)) or a stream\n\
                 ([`Body::from_stream`](crate::Body::from_stream)), never whole in memory.",
            );
        }
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
