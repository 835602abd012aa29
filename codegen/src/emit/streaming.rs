//! The methods of streamed responses: what `.await` on them returns (the runtime's
//! `EventStream`, `ItemStream`, `ByteStream`), the runtime call that sends them, and their docs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{code, ty};
use crate::ir::{Stream, StreamKind};

/// The stream's type and the runtime call that sends the request, `request` being the
/// arguments every `request…` call starts with (method, path template, path values, query,
/// security).
pub(super) fn call(stream: &Stream, request: &TokenStream) -> (TokenStream, TokenStream) {
    let Stream { method_name: _, media, kind } = stream;
    let types = quote!(crate::types::);
    match kind {
        StreamKind::Events { item, terminator } => {
            let item = ty(item, &types);
            let terminator = match terminator {
                Some(data) => quote!(::std::option::Option::Some(#data)),
                None => quote!(::std::option::Option::None),
            };
            (quote!(crate::runtime::EventStream<#item>), quote!(self.client.request_events(#request, #terminator)))
        }
        StreamKind::Lines(item) | StreamKind::Seq(item) => {
            let item = ty(item, &types);
            let lines = match kind {
                StreamKind::Seq(_) => quote!(crate::runtime::Lines::Seq),
                _ => quote!(crate::runtime::Lines::Json),
            };
            (quote!(crate::runtime::ItemStream<#item>), quote!(self.client.request_items(#request, #media, #lines)))
        }
        StreamKind::Bytes => (quote!(crate::runtime::ByteStream), quote!(self.client.request_bytes(#request, #media))),
    }
}

/// What a stream method's docs add: what the stream yields, and when it ends.
pub(super) fn docs_of(stream: &Stream) -> String {
    let Stream { method_name: _, media, kind } = stream;
    match kind {
        StreamKind::Events { item: _, terminator } => {
            let end = match terminator {
                Some(data) => format!(", or at an event whose data is {}", code(data)),
                None => String::new(),
            };
            format!(
                "\n\nThe response is streamed ({}): `.await` gives an [`EventStream`](crate::EventStream)\n\
                 of the events as the server sends them, each event's data decoded. It ends when the\n\
                 server closes it{end}.",
                code(media)
            )
        }
        StreamKind::Lines(_) | StreamKind::Seq(_) => format!(
            "\n\nThe response is streamed ({}): `.await` gives an [`ItemStream`](crate::ItemStream)\n\
             of the items as the server sends them.",
            code(media)
        ),
        StreamKind::Bytes => {
            "\n\nThe body is streamed: `.await` gives a [`ByteStream`](crate::ByteStream) of its bytes\n\
             as they arrive, never all in memory at once."
                .to_owned()
        }
    }
}

/// The runtime's `Method` for an operation's HTTP method: its constant, or, for a method without
/// one (OpenAPI 3.2's `query` and `additionalOperations`), one made from its name, which the
/// parser checked is an HTTP token. (Here since streaming brought OpenAPI 3.2 documents.)
pub(super) fn http_method(name: &str) -> TokenStream {
    match name {
        "GET" | "POST" | "PUT" | "DELETE" | "HEAD" | "OPTIONS" | "PATCH" | "TRACE" | "CONNECT" => {
            let constant = format_ident!("{name}");
            quote!(crate::runtime::Method::#constant)
        }
        other => quote!(crate::runtime::method(#other)),
    }
}
