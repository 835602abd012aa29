//! Emits `operations.rs`: the client configuration constants, one accessor and struct per
//! resource, one method (plus its params type) per operation, and pagination.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident, ty};
use crate::Settings;
use crate::ir::{Api, Operation, Pagination, Param, ParamsStruct, Resource, Ty};

/// Every item of `operations.rs`.
pub(crate) fn items(api: &Api, settings: &Settings) -> TokenStream {
    let base_url = api.base_url.as_deref().unwrap_or("http://localhost");
    let api_key_env = format!("{}_API_KEY", settings.env_prefix);
    let base_url_env = format!("{}_BASE_URL", settings.env_prefix);
    let base_url_doc =
        docs(&format!("The base URL used when none is configured: `{base_url}`, the document's first server."));
    let api_doc = docs(&format!("The API this crate was generated from: {} {}.", api.title, api.version));
    let (title, version) = (&api.title, &api.version);
    let resources = api.resources.iter().map(resource);
    let mut pages: BTreeMap<String, &Pagination> = BTreeMap::new();
    for op in api.resources.iter().flat_map(|r| &r.operations) {
        if let (Some(Ty::Named(response)), Some(p)) = (&op.response, &op.pagination) {
            pages.insert(response.clone(), p);
        }
    }
    let page_impls = pages.iter().map(|(response, p)| page_impl(response, p));
    quote! {
        #base_url_doc
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The environment variable `Client::from_env` reads the API key from.
        pub const API_KEY_ENV: &str = #api_key_env;

        /// The environment variable that overrides the base URL in `Client::from_env`.
        pub const BASE_URL_ENV: &str = #base_url_env;

        #api_doc
        pub const API: (&str, &str) = (#title, #version);

        #(#resources)*

        #(#page_impls)*
    }
}

fn resource(resource: &Resource) -> TokenStream {
    let Resource { accessor, name, docs: description, operations } = resource;
    let (accessor, name) = (ident(accessor), ident(name));
    let text = description.clone().unwrap_or_else(|| format!("The `{accessor}` operations."));
    let accessor_doc = docs(&text);
    let struct_doc = docs(&format!("{text}\n\nReturned by [`Client::{accessor}`](crate::Client::{accessor})."));
    let methods = operations.iter().map(|op| method(resource, op));
    let params = operations.iter().map(|op| params_struct(resource, op));
    quote! {
        impl crate::runtime::Client {
            #accessor_doc
            pub fn #accessor(&self) -> #name<'_> {
                #name { client: self }
            }
        }

        #struct_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a crate::runtime::Client,
        }

        impl #name<'_> {
            #(#methods)*
        }

        #(#params)*
    }
}

fn method(resource: &Resource, op: &Operation) -> TokenStream {
    let Operation {
        method_name,
        pointer: _,
        summary,
        description,
        http_method,
        path,
        path_params,
        params,
        response,
        pagination,
        deprecated,
    } = op;
    let text = [summary.as_deref(), description.as_deref(), Some(&format!("`{http_method} {path}`"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
    let doc = docs(&format!(
        "{text}\n\n# Errors\n\nAny [`Error`](crate::Error): the request failed, the API answered with an error status, or the body did not decode."
    ));
    let deprecated = deprecated.then(|| quote!(#[deprecated]));
    let name = ident(method_name);
    let args = path_params.iter().map(|p| {
        let (arg, arg_ty) = (ident(&p.name), path_arg_ty(&p.ty));
        quote!(#arg: #arg_ty)
    });
    let arg_names: Vec<_> = path_params.iter().map(|p| ident(&p.name)).collect();
    let params_ty = ident(&params.name);
    let encoded = path_params.iter().map(|p| {
        let (arg, wire) = (ident(&p.name), &p.wire_name);
        if p.ty == Ty::String {
            quote!(let #arg = crate::runtime::codec::encode_path_segment(#wire, #arg)?;)
        } else {
            quote!(let #arg = crate::runtime::codec::encode_path_segment(#wire, &::std::string::ToString::to_string(&#arg))?;)
        }
    });
    let method_const = format_ident!("{http_method}");
    let path = if path_params.is_empty() {
        quote!(let path = ::std::string::String::from(#path);)
    } else {
        let format = path_format(path, path_params);
        quote! {
            #(#encoded)*
            let path = ::std::format!(#format);
        }
    };
    let request = quote! {
        #path
        let request = crate::runtime::Request::new(::reqwest::Method::#method_const, path, params.query_pairs());
    };
    let body = match response {
        Some(response) => {
            let response = ty(response, &quote!(crate::types::));
            quote! {
                pub async fn #name(&self, #(#args,)* params: &#params_ty) -> ::std::result::Result<#response, crate::Error> {
                    #request
                    self.client.send(request).await
                }
            }
        }
        None => quote! {
            pub async fn #name(&self, #(#args,)* params: &#params_ty) -> ::std::result::Result<(), crate::Error> {
                #request
                self.client.send_empty(request).await
            }
        },
    };
    let paging = pagination.as_ref().zip(response.as_ref()).map(|(p, response)| {
        let Pagination { page_param, page_ty, .. } = p;
        let page = ident(page_param);
        let step = if *page_ty == Ty::F64 { quote!(1.0) } else { quote!(1) };
        let response = ty(response, &quote!(crate::types::));
        let pages = format_ident!("{method_name}_pages");
        let all = format_ident!("{method_name}_all");
        let accessor = ident(&resource.accessor);
        let owned = path_params.iter().map(|p| {
            let arg = ident(&p.name);
            quote!(let #arg = ::std::borrow::ToOwned::to_owned(#arg);)
        });
        let cloned = arg_names.iter().map(|arg| quote!(let #arg = #arg.clone();));
        let pass = arg_names.iter().map(|arg| quote!(&#arg));
        let args = path_params.iter().map(|p| {
            let (arg, arg_ty) = (ident(&p.name), path_arg_ty(&p.ty));
            quote!(#arg: #arg_ty)
        });
        let args: Vec<_> = args.collect();
        let pages_doc = docs(&format!(
            "Every page of [`Self::{method_name}`], fetched one at a time, starting at `params.{page_param}`.\n\n\
             The stream ends after a page comes back empty, once the reported total has been seen, or\n\
             when the server sends the same page again (which would otherwise never end). An error\n\
             ends the stream after it is yielded."
        ));
        let all_doc = docs(&format!("Every item of every page of [`Self::{method_name}`]; see [`Self::{pages}`]."));
        quote! {
            #pages_doc
            pub fn #pages(&self, #(#args,)* params: #params_ty) -> crate::runtime::Pages<#response> {
                let client = self.client.clone();
                #(#owned)*
                let mut params = params;
                crate::runtime::Pages::new(move || {
                    let request = params.clone();
                    params.#page += #step;
                    let client = client.clone();
                    #(#cloned)*
                    ::std::boxed::Box::pin(async move { client.#accessor().#name(#(#pass,)* &request).await })
                })
            }

            #all_doc
            pub fn #all(&self, #(#args,)* params: #params_ty) -> crate::runtime::Items<#response> {
                self.#pages(#(#arg_names,)* params).items()
            }
        }
    });
    quote! {
        #doc
        #deprecated
        #body

        #paging
    }
}

fn path_arg_ty(param_ty: &Ty) -> TokenStream {
    if *param_ty == Ty::String { quote!(&str) } else { ty(param_ty, &quote!(crate::types::)) }
}

/// `/campaigns/{id}/rows` → `"/campaigns/{id}/rows"` with each placeholder renamed to its Rust
/// argument and literal braces escaped, for `format!`'s inline arguments.
fn path_format(path: &str, params: &[Param]) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start].replace('}', "}}"));
        let Some(end) = rest[start..].find('}') else { break };
        let wire = &rest[start + 1..start + end];
        match params.iter().find(|p| p.wire_name == wire) {
            Some(param) => out.push_str(&format!("{{{}}}", param.name)),
            None => out.push_str(&format!("{{{{{wire}}}}}")),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    out
}

fn params_struct(resource: &Resource, op: &Operation) -> TokenStream {
    let ParamsStruct { name, required, optional } = &op.params;
    let type_name = ident(name);
    let doc = docs(&format!(
        "Query parameters of [`{}::{}`]: the required ones are arguments of [`{name}::new`], the\noptional ones chainable setters.",
        resource.name, op.method_name
    ));
    let field_defs =
        required.iter().map(|p| param_field(p, false)).chain(optional.iter().map(|p| param_field(p, true)));
    let new_args = required.iter().map(|p| {
        let (arg, arg_ty) = (ident(&p.name), ty(&p.ty, &quote!(crate::types::)));
        quote!(#arg: #arg_ty)
    });
    let inits = required.iter().map(|p| {
        let arg = ident(&p.name);
        quote!(#arg)
    });
    let unset = optional.iter().map(|p| {
        let arg = ident(&p.name);
        quote!(#arg: None)
    });
    let setters = optional.iter().map(|p| {
        let arg = ident(&p.name);
        let doc = docs(&format!(
            "Sets `{}`{}",
            p.wire_name,
            p.docs.as_deref().map(|d| format!(": {d}")).unwrap_or_else(|| ".".into())
        ));
        if p.ty == Ty::String {
            quote! {
                #doc
                #[must_use]
                pub fn #arg(mut self, #arg: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.#arg = Some(#arg.into());
                    self
                }
            }
        } else {
            let arg_ty = ty(&p.ty, &quote!(crate::types::));
            quote! {
                #doc
                #[must_use]
                pub fn #arg(mut self, #arg: #arg_ty) -> Self {
                    self.#arg = Some(#arg);
                    self
                }
            }
        }
    });
    let pushes_required = required.iter().map(|p| {
        let (arg, wire) = (ident(&p.name), &p.wire_name);
        quote!(pairs.push((#wire, ::std::string::ToString::to_string(&self.#arg)));)
    });
    let pushes_optional = optional.iter().map(|p| {
        let (arg, wire) = (ident(&p.name), &p.wire_name);
        quote! {
            if let Some(value) = &self.#arg {
                pairs.push((#wire, ::std::string::ToString::to_string(value)));
            }
        }
    });
    let count = required.len() + optional.len();
    let capacity = proc_macro2::Literal::usize_unsuffixed(count);
    let pairs = if count == 0 {
        quote!(::std::vec::Vec::new())
    } else {
        quote! {
            let mut pairs = ::std::vec::Vec::with_capacity(#capacity);
            #(#pushes_required)*
            #(#pushes_optional)*
            pairs
        }
    };
    let derive_default = required.is_empty().then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #type_name {
            #(#field_defs)*
        }

        impl #type_name {
            /// Parameters with the required values given and every optional one unset.
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#inits,)* #(#unset,)* }
            }

            #(#setters)*

            /// The query string pairs: required parameters always, optional ones when set.
            fn query_pairs(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                #pairs
            }
        }
    }
}

fn param_field(p: &Param, optional: bool) -> TokenStream {
    let Param { name, wire_name, docs: description, ty: param_ty } = p;
    let doc = docs(description.as_deref().unwrap_or(&format!("The `{wire_name}` parameter.")));
    let (name, inner) = (ident(name), ty(param_ty, &quote!(crate::types::)));
    if optional { quote!(#doc pub #name: ::std::option::Option<#inner>,) } else { quote!(#doc pub #name: #inner,) }
}

fn page_impl(response: &str, p: &Pagination) -> TokenStream {
    let Pagination { page_param: _, page_ty: _, items_field, item_ty, total_field, total_ty } = p;
    let response = ident(response);
    let items = ident(items_field);
    let item = ty(item_ty, &quote!(crate::types::));
    let total = match (total_field, total_ty) {
        (Some(field), Some(total_ty)) => {
            let field = ident(field);
            let convert = if *total_ty == Ty::F64 { quote!(self.#field) } else { quote!(self.#field as f64) };
            quote!(Some(#convert))
        }
        _ => quote!(None),
    };
    quote! {
        impl crate::runtime::Page for crate::types::#response {
            type Item = #item;

            fn items(&self) -> &[Self::Item] {
                &self.#items
            }

            fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                self.#items
            }

            fn total(&self) -> ::std::option::Option<f64> {
                #total
            }
        }
    }
}
