//! build.rs mode: the whole emitted crate as one file meant for `include!`, so that a build
//! script can generate into `OUT_DIR` and a module of the user's crate include it:
//!
//! ```text
//! mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! ```
//!
//! `include!` takes items only: no inner attribute or inner doc (`#![…]`, `//!`) may open the
//! file, and nothing may assume the module is the crate root. So the file is the two emitted
//! files as inline modules (`pub mod types { … }`, `mod operations { … }`), their inner
//! attributes and docs turned into outer ones on the module, followed by what a generated
//! crate's hand-written `lib.rs` holds (`use ::codegen_runtime as runtime;`, the re-exports). The
//! emitted code names the runtime and the models `crate::runtime` and `crate::types`, and its
//! docs link to `crate::Pending`…, which hold for a crate's `lib.rs` only; here every such path
//! becomes `super::…` (the modules' parent: the including module), in code, in attribute strings
//! (`serialize_with = "crate::runtime::…"`) and in doc links. The models' derive writes
//! `super::runtime` itself, for both layouts.
//!
//! Resource features are off (a build script's crate declares no features for them); the
//! `JsonSchema` impls stay behind `cfg(feature = "schemars")`, which the build script declares to
//! rustc (see the CLI's `build` module), so that a crate without that feature compiles them out
//! without a warning.

use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use quote::quote;

use crate::{Document, Error, Errors, Settings};

/// The file [`generate_module`] gives, and the generator's warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The whole file, formatted, starting with the `@generated` header, ending with a newline.
    pub contents: String,
    /// As [`crate::Generated::warnings`].
    pub warnings: Vec<Error>,
}

/// What the file re-exports from the runtime, as a generated crate's `lib.rs` does: what users
/// touch, and what the emitted docs link to.
const REEXPORTS: &[&str] = &[
    "ApiError",
    "Body",
    "ByteStream",
    "DecodeError",
    "Error",
    "ErrorKind",
    "Event",
    "EventStream",
    "File",
    "HeaderMap",
    "ItemStream",
    "Items",
    "Number",
    "Page",
    "Pages",
    "Pending",
    "Response",
    "StatusCode",
    "Text",
    "Validate",
    "ValidationError",
    "Validator",
    "Violation",
    "from_slice",
    "from_str",
];

/// Generates the API as one file for `include!` in any module (see the module docs).
/// `settings.resource_features` is ignored (off).
///
/// # Errors
/// As [`crate::generate`].
pub fn generate_module(doc: &Document, settings: &Settings) -> Result<Module, Errors> {
    let mut settings = settings.clone();
    settings.resource_features = false;
    let generated = crate::generate_crate(doc, &settings)?;
    let fail = |message: String| Errors {
        file: doc.name().to_owned(),
        errors: vec![Error { location: "#".to_owned(), message }],
    };
    let mut modules = TokenStream::new();
    for file in &generated.files {
        let (name, public) = match file.path.as_str() {
            "src/types.rs" => ("types", true),
            "src/operations.rs" => ("operations", false),
            // Typed mocks are a generated crate's `mock` feature; build.rs mode leaves them out
            // (the including crate declares no such feature).
            "src/mock.rs" => continue,
            other => return Err(fail(format!("internal error: unexpected emitted file {other}; please report it"))),
        };
        let parsed = syn::parse_file(&file.contents)
            .map_err(|e| fail(format!("internal error: {} does not parse ({e}); please report it", file.path)))?;
        let attrs = parsed.attrs.iter().map(|attr| {
            let mut attr = attr.clone();
            attr.style = syn::AttrStyle::Outer;
            attr
        });
        let items = &parsed.items;
        let ident = Ident::new(name, proc_macro2::Span::call_site());
        let vis = if public { quote!(pub) } else { TokenStream::new() };
        modules.extend(quote! {
            #(#attrs)*
            #vis mod #ident { #(#items)* }
        });
    }
    let reexports = REEXPORTS.iter().map(|name| Ident::new(name, proc_macro2::Span::call_site()));
    let tokens = quote! {
        #modules
        // The emitted code reaches the runtime crate as `super::runtime`.
        use ::codegen_runtime as runtime;
        pub use operations::*;
        pub use runtime::{ #(#reexports),* };
    };
    let file = syn::parse2::<syn::File>(relative_paths(tokens))
        .map_err(|e| fail(format!("internal error: the included file does not parse ({e}); please report it")))?;
    let header = settings.header(&settings.source);
    let contents = format!("{header}\n\n{}", prettyplease::unparse(&file));
    Ok(Module { contents, warnings: generated.warnings })
}

/// `tokens` with every `crate::runtime`, `crate::types` path, every such path in a string literal
/// (serde's `serialize_with = "…"`), and every `](crate::` doc link, relative to the parent
/// module: `super::…`.
fn relative_paths(tokens: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => {
                let mut relative = Group::new(group.delimiter(), relative_paths(group.stream()));
                relative.set_span(group.span());
                out.push(TokenTree::Group(relative));
            }
            TokenTree::Ident(ident) if ident == "crate" && names_module(&tokens[index + 1..]) => {
                out.push(TokenTree::Ident(Ident::new("super", ident.span())));
            }
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                let relative = text
                    .replace("\"crate::runtime::", "\"super::runtime::")
                    .replace("\"crate::types::", "\"super::types::")
                    .replace("](crate::", "](super::");
                match relative.parse::<TokenStream>() {
                    Ok(stream) if relative != text => out.extend(stream),
                    _ => out.push(token.clone()),
                }
            }
            other => out.push(other.clone()),
        }
    }
    out.into_iter().collect()
}

/// Whether the tokens after `crate` are `:: runtime` or `:: types`.
fn names_module(rest: &[TokenTree]) -> bool {
    match rest {
        [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Ident(name), ..] => {
            a.as_char() == ':' && b.as_char() == ':' && (name == "runtime" || name == "types")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_to_the_crate_root_become_relative() {
        let tokens = quote! {
            #[doc = " See [`Pending`](crate::Pending)."]
            #[serde(serialize_with = "crate::runtime::codec::json_text")]
            pub fn f(_: crate::types::Pet) -> crate::runtime::Error { crate::other::x() }
        };
        let text = relative_paths(tokens).to_string();
        assert!(text.contains("(super::Pending)"), "{text}");
        assert!(text.contains("\"super::runtime::codec::json_text\""), "{text}");
        assert!(text.contains("super :: types :: Pet"), "{text}");
        assert!(text.contains("super :: runtime :: Error"), "{text}");
        // Only the two modules the including module holds.
        assert!(text.contains("crate :: other :: x"), "{text}");
    }
}
