//! Emits `mock.rs`, the typed mocks behind a generated crate's `mock` feature: a `MockServer`
//! (the runtime's loopback server) with one accessor per resource, and per operation a method
//! that matches its method and path and answers with its typed success body, plus a matcher type
//! with one method per path parameter, its params struct and its JSON body.
//!
//! The server machinery is the runtime's (`codegen_runtime::mock`); this file is only what is
//! specific to the API.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::gates::Gates;
use super::operations::{has_params, path_arg_ty, path_template, styled};
use super::{code, docs, ident, ty};
use crate::ir::{Api, BodyKind, Operation, Resource, ResponseBody, Returns, Ty, TypeKind};

/// The items of `mock.rs`: the server, then each resource's mock struct and matchers.
pub(crate) fn items<'a>(api: &'a Api, gates: &'a Gates) -> impl Iterator<Item = TokenStream> + 'a {
    sections(api, gates).map(|(_, tokens)| tokens)
}

/// As [`items`], in the reviewer's units: `("server", …)`, then `(accessor, …)` per resource.
pub(crate) fn sections<'a>(api: &'a Api, gates: &'a Gates) -> impl Iterator<Item = (String, TokenStream)> + 'a {
    std::iter::once_with(move || ("server".to_owned(), server(api, gates)))
        .chain(api.resources.iter().map(move |r| (r.accessor.clone(), resource(api, r, gates.resource(r)))))
}

fn server(api: &Api, gates: &Gates) -> TokenStream {
    let accessors = api.resources.iter().map(|r| {
        let cfg = gates.resource(r);
        let (accessor, name, mocks) = (ident(&server_accessor(api, r)), &r.name, mocks_ident(api, r));
        let doc = docs(&format!("Mocks of the [`{name}`](crate::{name}) operations."));
        quote! {
            #doc
            #cfg
            pub fn #accessor(&self) -> #mocks<'_> {
                #mocks(&self.0)
            }
        }
    });
    quote! {
        /// A real HTTP server on a loopback port, for tests: mock an operation with its method
        /// here (`server.resource().operation(|when| when…).respond(body).await`), call it with
        /// [`MockServer::client`], and read what it received with `.received()`.
        ///
        /// A request no mock matches is answered 404. When several mocks match, the first mounted
        /// answers. Expectations set with `expect(n)` are checked when the server is dropped.
        #[derive(Debug)]
        pub struct MockServer(crate::runtime::mock::Server);

        impl MockServer {
            /// Starts a server on a free loopback port.
            pub async fn start() -> Self {
                Self(crate::runtime::mock::Server::start().await)
            }

            /// The server's base URL.
            pub fn uri(&self) -> ::std::string::String {
                self.0.uri()
            }

            /// A client builder pointed at this server, with a credential for every security
            /// scheme and retries after milliseconds rather than seconds.
            pub fn client_builder(&self) -> crate::ClientBuilder {
                crate::ClientBuilder(self.0.configure(crate::Client::builder().0))
            }

            /// A client of this server, as [`MockServer::client_builder`] configures it.
            ///
            /// # Panics
            /// If the HTTP client cannot be built (no TLS backend can start).
            pub fn client(&self) -> crate::Client {
                self.client_builder().build().expect("a client of the mock server")
            }

            /// Every request the server received, in order, with its body as JSON.
            pub async fn received(&self) -> ::std::vec::Vec<crate::runtime::mock::Received<::serde_json::Value>> {
                self.0.received().await
            }

            /// The underlying wiremock server, for mocks the typed methods do not express.
            pub fn wiremock(&self) -> &crate::runtime::mock::wiremock::MockServer {
                self.0.wiremock()
            }

            #(#accessors)*
        }
    }
}

/// A resource's mock struct, `<Resource>Mocks`, and the module of its operations' matchers,
/// `<accessor>_when`: no two resources' names, nor `MockServer`, can then collide (a tag `2.0` is
/// the resource `_2_0` with the accessor `_2_0`).
fn mocks_ident(api: &Api, resource: &Resource) -> proc_macro2::Ident {
    // `Items_` (a name kept apart from the crate root's `Items`) is `ItemsMocks`, in camel case,
    // unless another resource is `Items`.
    let trimmed = resource.name.trim_end_matches('_');
    let clash = api.resources.iter().any(|r| r.name != resource.name && r.name.trim_end_matches('_') == trimmed);
    let base = if clash || trimmed.is_empty() { resource.name.as_str() } else { trimmed };
    ident(&format!("{base}Mocks"))
}

fn module_ident(api: &Api, resource: &Resource) -> proc_macro2::Ident {
    // `self_` (a keyword kept apart) is `self_when`, unless another resource is `self…` too.
    let trimmed = resource.accessor.trim_end_matches('_');
    let clash =
        api.resources.iter().any(|r| r.accessor != resource.accessor && r.accessor.trim_end_matches('_') == trimmed);
    let base = if clash || trimmed.is_empty() { resource.accessor.as_str() } else { trimmed };
    ident(&format!("{base}_when"))
}

/// `MockServer`'s own methods: a resource accessor of one of these names gets `_` appended.
const SERVER_METHODS: &[&str] = &["client", "client_builder", "received", "start", "uri", "wiremock"];

/// The resource's accessor on `MockServer`: the client's, unless it is one of the server's own
/// methods.
fn server_accessor(api: &Api, resource: &Resource) -> String {
    let mut name = resource.accessor.clone();
    while SERVER_METHODS.contains(&name.as_str())
        || (name != resource.accessor && api.resources.iter().any(|r| r.accessor == name))
    {
        name.push('_');
    }
    name
}

/// A resource's mock struct, its methods, and the module of its operations' matchers.
fn resource(api: &Api, resource: &Resource, cfg: Option<TokenStream>) -> TokenStream {
    let (name, accessor, module) = (&resource.name, server_accessor(api, resource), module_ident(api, resource));
    let doc = docs(&format!("Mocks of the [`{name}`](crate::{name}) operations: [`MockServer::{accessor}`]."));
    let module_doc = docs(&format!("What requests to the [`{name}`](crate::{name}) operations must match."));
    let methods = resource.operations.iter().map(|op| mock_method(api, resource, op));
    let matchers = resource.operations.iter().map(|op| matcher(api, resource, op));
    let name = mocks_ident(api, resource);
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a>(&'a crate::runtime::mock::Server);

        #cfg
        impl<'a> #name<'a> {
            #(#methods)*
        }

        #module_doc
        #cfg
        pub mod #module {
            #(#matchers)*
        }
    }
}

/// The matcher type of an operation, in its resource's module: `GetRowsWhen` (the suffix keeps
/// it from being a keyword, `Self`, or a name of the prelude, `Clone`).
fn matcher_ident(op: &Operation) -> proc_macro2::Ident {
    let name = op.method_name.to_upper_camel_case();
    // A method named `_2fa` (a name starting with a digit, sanitised) is `2fa` in Pascal case.
    if name.starts_with(|c: char| c.is_alphabetic()) {
        ident(&format!("{name}When"))
    } else {
        ident(&format!("Op{name}When"))
    }
}

fn mock_method(api: &Api, resource: &Resource, op: &Operation) -> TokenStream {
    let Operation { method_name, http_method, path, path_params, .. } = op;
    let (resource_name, module, method, matcher) =
        (&resource.name, module_ident(api, resource), ident(method_name), matcher_ident(op));
    let doc = docs(&format!(
        "Mocks [`{resource_name}::{method_name}`](crate::{resource_name}::{method_name}), {}: `when` narrows\n\
         the requests it answers (`|when| when` for all).",
        code(&format!("{http_method} {path}"))
    ));
    let (success, body) = (success_ty(op), body_ty(op));
    // A method of `additionalOperations` (`PURGE`) has no constant: the one helper writes both.
    let method_value = super::streaming::http_method(http_method);
    let template = path_template(path, path_params);
    quote! {
        #doc
        pub fn #method(
            &self,
            when: impl ::std::ops::FnOnce(#module::#matcher) -> #module::#matcher,
        ) -> crate::runtime::mock::Mocked<'a, #success, #body> {
            let __when = crate::runtime::mock::When::new(#method_value, #template);
            self.0.mock(when(#module::#matcher(__when)).0)
        }
    }
}

/// The type a mock answers with: the operation's success body; any JSON when its successes
/// differ by status.
fn success_ty(op: &Operation) -> TokenStream {
    match &op.response {
        Returns::One(ResponseBody::Unit) => quote!(()),
        Returns::One(ResponseBody::Json(json)) => ty(json, &quote!(crate::types::)),
        Returns::One(ResponseBody::Text) => quote!(::std::string::String),
        Returns::One(ResponseBody::Bytes) => quote!(crate::runtime::Bytes),
        Returns::ByStatus { .. } => quote!(::serde_json::Value),
    }
}

/// The type a received request's body decodes as: the JSON body's, else `()`.
fn body_ty(op: &Operation) -> TokenStream {
    match op.body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Json(json)) => ty(json, &quote!(crate::types::)),
        _ => quote!(()),
    }
}

/// The matcher of one operation: a method per path parameter, `params` and `body`.
fn matcher(api: &Api, resource: &Resource, op: &Operation) -> TokenStream {
    let name = matcher_ident(op);
    let (resource_name, method_name) = (&resource.name, &op.method_name);
    let doc = docs(&format!(
        "What a request to [`{resource_name}::{method_name}`](crate::{resource_name}::{method_name}) must match besides its\n\
         method and path: each method adds a condition."
    ));
    // `params` and `body` are this type's own methods: a path parameter of either name gets a
    // method with `_` appended.
    let path = op.path_params.iter().map(|p| {
        let mut method = p.name.clone();
        while method == "params" || method == "body" || op.path_params.iter().any(|o| o.name == method && o != p) {
            method.push('_');
        }
        let (method, arg, wire) = (ident(&method), ident(&p.name), &p.wire_name);
        let arg_ty = path_arg_ty(&p.ty);
        let union =
            matches!(&p.ty, Ty::Named(n) if matches!(crate::ir::kind_of(&api.types, n), Some(TypeKind::Union(_))));
        let value = if p.ty == Ty::String {
            quote!(#arg)
        } else if union {
            quote!(crate::runtime::codec::scalar_text(&#arg))
        } else {
            quote!(::std::string::ToString::to_string(&#arg))
        };
        let doc = docs(&format!("The path parameter {} is this value.", code(wire)));
        quote! {
            #doc
            #[must_use]
            pub fn #method(self, #arg: #arg_ty) -> Self {
                Self(self.0.path(#wire, #value))
            }
        }
    });
    let params = has_params(&op.params).then(|| {
        let params_ty = ident(&op.params.name);
        let styles = op.params.required.iter().chain(&op.params.optional).filter_map(styled);
        quote! {
            /// The request carries every parameter `params` sets, as the client writes it; those
            /// it leaves unset may have any value.
            #[must_use]
            pub fn params(self, params: &crate::#params_ty) -> Self {
                Self(self.0.params(params, &[#(#styles),*]))
            }
        }
    });
    let body = match op.body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Json(json)) => {
            let json = ty(json, &quote!(crate::types::));
            Some(quote! {
                /// The JSON body is this value (compared as JSON, whatever the key order).
                #[must_use]
                pub fn body(self, body: &#json) -> Self {
                    Self(self.0.json_body(body))
                }
            })
        }
        _ => None,
    };
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name(pub(crate) crate::runtime::mock::When);

        impl #name {
            #(#path)*
            #params
            #body
        }
    }
}
