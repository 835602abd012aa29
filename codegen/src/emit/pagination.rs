//! The page streams of a paginated operation (`…_pages`, `…_all`) and the `Page` impl of its
//! response: what the runtime's `Pages::walk` needs of the scheme, as non-capturing closures
//! over the params struct and the response. Locals start with `__`, which no sanitised
//! parameter name does, so no path parameter can shadow them.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::operations::{example_call, example_docs, has_params, params_ident, path_args};
use super::{code, docs, ident, ty};
use crate::ir::{Api, Operation, PageParam, PageScheme, PageStep, PageTotal, Pagination, Presence, Resource, Ty};
use crate::settings::Settings;

/// How many `Option`s a field's presence wraps its value in.
fn options(presence: Presence) -> u8 {
    match presence {
        Presence::Required => 0,
        Presence::RequiredNullable | Presence::Optional => 1,
        Presence::OptionalNullable => 2,
    }
}

/// `Option<T>` of the value at the end of `steps` from `root`: cloned (a `String`) or copied.
fn read(root: TokenStream, steps: &[PageStep], copy: bool) -> TokenStream {
    if let [step] = steps {
        let field = ident(&step.name);
        let clone = (!copy).then(|| quote!(.clone()));
        match options(step.presence) {
            1 => return quote!(#root.#field #clone),
            2 => return quote!(#root.#field #clone.flatten()),
            _ => {}
        }
    }
    let mut expr = root;
    let mut in_option = false;
    for step in steps {
        let field = ident(&step.name);
        expr = match (in_option, options(step.presence)) {
            (false, 0) => quote!(#expr.#field),
            (false, 1) => quote!(#expr.#field.as_ref()),
            (false, _) => quote!(#expr.#field.as_ref().and_then(::std::option::Option::as_ref)),
            (true, 0) => quote!(#expr.map(|__value| &__value.#field)),
            (true, 1) => quote!(#expr.and_then(|__value| __value.#field.as_ref())),
            (true, _) => {
                quote!(#expr.and_then(|__value| __value.#field.as_ref()).and_then(::std::option::Option::as_ref))
            }
        };
        in_option |= options(step.presence) > 0;
    }
    match (in_option, copy) {
        (true, true) => quote!(#expr.copied()),
        (true, false) => quote!(#expr.cloned()),
        (false, true) => quote!(::std::option::Option::Some(#expr)),
        (false, false) => quote!(::std::option::Option::Some(::std::clone::Clone::clone(&#expr))),
    }
}

/// The wire path of fields, for docs.
fn path_text(steps: &[PageStep]) -> String {
    steps.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(".")
}

/// `__params.<param>` advanced by one page.
fn next_page(param: &PageParam) -> TokenStream {
    let field = ident(&param.name);
    match (&param.ty, param.optional) {
        (Ty::F64, false) => quote!(__params.#field += 1.0),
        (Ty::NonZeroU64, false) => quote!(__params.#field = __params.#field.saturating_add(1)),
        (_, false) => quote!(__params.#field += 1),
        (_, true) => {
            let start = Literal::i64_unsuffixed(param.start.unwrap_or_default());
            quote!(__params.#field = ::std::option::Option::Some(__params.#field.unwrap_or(#start) + 1))
        }
    }
}

/// `__params.<param>` moved past `__count` items.
fn next_offset(param: &PageParam) -> TokenStream {
    let field = ident(&param.name);
    let count = match &param.ty {
        Ty::U64 => quote!(__count),
        other => {
            let other = ty(other, &quote!(crate::types::));
            quote!(__count as #other)
        }
    };
    if param.optional {
        quote!(__params.#field = ::std::option::Option::Some(__params.#field.unwrap_or_default() + #count))
    } else {
        quote!(__params.#field += #count)
    }
}

/// `__params.<param> = __cursor`.
fn set_cursor(param: &PageParam) -> TokenStream {
    let field = ident(&param.name);
    if param.optional {
        quote!(__params.#field = ::std::option::Option::Some(__cursor))
    } else {
        quote!(__params.#field = __cursor)
    }
}

/// What the `…_pages` docs say of the scheme.
fn scheme_doc(p: &Pagination) -> String {
    let how = match &p.scheme {
        PageScheme::PageNumber(param) => format!(
            "Each request has the caller's parameters, with the page number {} one more than the\nlast.",
            code(&param.name)
        ),
        PageScheme::Offset(param) => format!(
            "Each request has the caller's parameters, with the offset {} moved past the items\nreceived.",
            code(&param.name)
        ),
        PageScheme::Cursor { param, next } => format!(
            "Each request has the caller's parameters, with the cursor {} set to the last page's {}; the\n\
             stream ends at a page without one.",
            code(&param.name),
            code(&path_text(next))
        ),
        PageScheme::LastItem { param, field } => format!(
            "Each request has the caller's parameters, with the cursor {} set to the last item's\n{}.",
            code(&param.name),
            code(&field.name)
        ),
        PageScheme::NextUrl(next) => format!(
            "After the first request, each one goes to the URL in the last page's {}, which carries its\n\
             own query; the stream ends at a page without one. A URL on another origin than the\n\
             client's base URL is an error, never followed, so that no credential is sent there.",
            code(&path_text(next))
        ),
        PageScheme::Link => "After the first request, each one goes to the URL of the response's `Link` header\n\
             `rel=\"next\"`, which carries its own query; the stream ends at a response without one.\n\
             A URL on another origin than the client's base URL is an error, never followed, so that\n\
             no credential is sent there."
            .to_owned(),
    };
    let mut ends = Vec::new();
    if let Some(steps) = &p.has_more {
        ends.push(format!("after a page whose {} is false", code(&path_text(steps))));
    }
    if p.total.is_some() {
        ends.push("once the reported total has been seen".to_owned());
    }
    if matches!(p.scheme, PageScheme::PageNumber(_) | PageScheme::Offset(_) | PageScheme::LastItem { .. }) {
        ends.push("after a page comes back empty".to_owned());
    }
    if ends.is_empty() { how } else { format!("{how}\n\nThe stream ends {}.", ends.join(",\nor ")) }
}

/// `…_pages` and `…_all`, the streams of a paginated operation.
pub(super) fn paging_methods(
    api: &Api,
    settings: &Settings,
    resource: &Resource,
    op: &Operation,
    p: &Pagination,
    response: &TokenStream,
) -> TokenStream {
    let method_name = &op.method_name;
    let name = ident(method_name);
    let pages = format_ident!("{method_name}_pages");
    let all = format_ident!("{method_name}_all");
    let resource_name = ident(&resource.name);
    let args = path_args(&op.path_params);
    let arg_names: Vec<_> = op.path_params.iter().map(|p| ident(&p.name)).collect();
    let with_params = has_params(&op.params);
    let params_ty = if with_params {
        let name = ident(&op.params.name);
        quote!(#name)
    } else {
        quote!(())
    };
    let params_name = params_ident(op);
    let (params_arg, params_pass, params_value) = if with_params {
        (Some(quote!(#params_name: #params_ty)), Some(quote!(#params_name)), quote!(#params_name))
    } else {
        (None, None, quote!(()))
    };
    let (request_pattern, request) =
        if with_params { (quote!(__request: #params_ty), Some(quote!(__request))) } else { (quote!((): ()), None) };
    // An optional body is not sent: pages are read with the parameters alone.
    let body = op.body.as_ref().map(|_| quote!(::std::option::Option::None));
    // `&str` arguments are owned by the stream; other types are values, cloned for each page.
    let owned = op.path_params.iter().filter(|p| p.ty == Ty::String).map(|p| {
        let arg = ident(&p.name);
        quote!(let #arg = ::std::borrow::ToOwned::to_owned(#arg);)
    });
    let pass = op.path_params.iter().map(|p| {
        let arg = ident(&p.name);
        if p.ty == Ty::String { quote!(&#arg) } else { quote!(::std::clone::Clone::clone(&#arg)) }
    });
    let call_args: Vec<TokenStream> = pass.chain(request).chain(body).collect();
    let item = ty(&p.item_ty, &quote!(crate::types::));
    let paging = match &p.scheme {
        PageScheme::PageNumber(param) => {
            let advance = next_page(param);
            quote!(crate::runtime::Paging::PageNumber { advance: |__params: &mut #params_ty| #advance })
        }
        PageScheme::Offset(param) => {
            let advance = next_offset(param);
            quote!(crate::runtime::Paging::Offset { advance: |__params: &mut #params_ty, __count: u64| #advance })
        }
        PageScheme::Cursor { param, next } => {
            let (read, write) = (read(quote!(__page), next, false), set_cursor(param));
            quote!(crate::runtime::Paging::Cursor {
                read: |__page: &#response| #read,
                write: |__params: &mut #params_ty, __cursor: ::std::string::String| #write,
            })
        }
        PageScheme::LastItem { param, field } => {
            let (read, write) = (read(quote!(__item), std::slice::from_ref(field), false), set_cursor(param));
            quote!(crate::runtime::Paging::LastItem {
                read: |__item: &#item| #read,
                write: |__params: &mut #params_ty, __cursor: ::std::string::String| #write,
            })
        }
        PageScheme::NextUrl(next) => {
            let read = read(quote!(__page), next, false);
            quote!(crate::runtime::Paging::NextUrl { read: |__page: &#response| #read })
        }
        PageScheme::Link => quote!(crate::runtime::Paging::Link),
    };
    let has_more = p.has_more.as_ref().map(|steps| {
        let read = read(quote!(__page), steps, true);
        quote!(.has_more(|__page: &#response| #read))
    });
    let call = example_call(api, settings, resource, op, &all.to_string(), None);
    let start = if with_params { format!(", starting from `{params_name}`") } else { String::new() };
    let pages_doc = docs(&format!(
        "Every page of [`Self::{method_name}`], fetched one at a time{start}.\n\n{}\n\n\
         A failed request, a page that repeats an earlier one (a server that does not advance)\n\
         and the page cap ([`Pages::max_pages`](crate::Pages::max_pages)) end it with an error,\n\
         yielded once. [`Pages`](crate::Pages) is a `futures` `Stream`, so `TryStreamExt` works\n\
         on it too.",
        scheme_doc(p)
    ));
    let all_text = docs(&format!("Every item of every page of [`Self::{method_name}`]; see [`Self::{pages}`]."));
    let all_example = example_docs(
        settings,
        &format!(
            "let mut items = {call};\nwhile let Some(item) = items.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}"
        ),
    );
    let all_doc = quote!(#all_text #all_example);
    // The streams of a deprecated operation are deprecated too, and call it without a warning.
    let deprecated = op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    quote! {
        #pages_doc
        #deprecated
        pub fn #pages(&self, #(#args,)* #params_arg) -> crate::runtime::Pages<#response> {
            let __client = self.client.clone();
            #(#owned)*
            crate::runtime::Pages::walk(
                self.client,
                #params_value,
                move |#request_pattern| #resource_name { client: &__client }.#name(#(#call_args),*),
                #paging,
            )
            #has_more
        }

        #all_doc
        #deprecated
        pub fn #all(&self, #(#args,)* #params_arg) -> crate::runtime::Items<#response> {
            self.#pages(#(#arg_names,)* #params_pass).items()
        }
    }
}

/// The `Page` impl of a paginated operation's response object.
pub(super) fn page_impl(response: &str, p: &Pagination, cfg: Option<TokenStream>) -> Option<TokenStream> {
    let Pagination { scheme: _, items, item_ty, total, has_more: _ } = p;
    let items = items.as_ref()?;
    let response = ident(response);
    let field = ident(&items.name);
    let wire = &items.wire;
    let item = ty(item_ty, &quote!(crate::types::));
    let (borrow, take) = match options(items.presence) {
        0 => (quote!(&self.#field), quote!(self.#field)),
        _ => (quote!(self.#field.as_deref().unwrap_or_default()), quote!(self.#field.unwrap_or_default())),
    };
    let total = match total {
        Some(PageTotal { field, ty: total_ty, optional }) => {
            let field = ident(field);
            match (optional, *total_ty == Ty::F64) {
                (false, true) => quote!(::std::option::Option::Some(self.#field)),
                (false, false) => quote!(::std::option::Option::Some(self.#field as f64)),
                (true, true) => quote!(self.#field),
                (true, false) => quote!(self.#field.map(|__total| __total as f64)),
            }
        }
        None => quote!(None),
    };
    Some(quote! {
        #cfg
        impl crate::runtime::Page for crate::types::#response {
            type Item = #item;

            const ITEMS: ::std::option::Option<&'static str> = ::std::option::Option::Some(#wire);

            fn items(&self) -> &[Self::Item] {
                #borrow
            }

            fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                #take
            }

            fn total(&self) -> ::std::option::Option<f64> {
                #total
            }
        }
    })
}
