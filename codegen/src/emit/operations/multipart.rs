//! Multipart bodies: the parts struct of an operation and its fields.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::params::{into_arg, placeholder, setter_ty};
use crate::emit::{code, doc_text, docs, ident, ty};
use crate::ir::{Api, Multipart, Part, PartValue};

/// A value of a required part for an example: an empty file, a list, or a parameter's
/// placeholder.
pub(crate) fn part_placeholder(api: &Api, krate: &str, part: &Part) -> String {
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
pub(crate) fn multipart_struct(multipart: &Multipart, senders: &[String], cfg: Option<TokenStream>) -> TokenStream {
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
pub(crate) fn part_value_ty(part: &Part) -> TokenStream {
    match &part.value {
        PartValue::File { .. } => quote!(crate::runtime::File),
        PartValue::Text { ty: value, .. } | PartValue::Json { ty: value, .. } => ty(value, &quote!(crate::types::)),
    }
}

/// A part's field type: a list, the value, or an optional value.
pub(crate) fn part_field_ty(part: &Part) -> TokenStream {
    let value = part_value_ty(part);
    match part {
        _ if part.repeated => quote!(::std::vec::Vec<#value>),
        _ if part.required => value,
        _ => quote!(::std::option::Option<#value>),
    }
}

/// Whether a part is taken as `impl Into<…>`, as parameters are (strings and numbers).
pub(crate) fn part_into(part: &Part) -> bool {
    !part.repeated
        && matches!(&part.value, PartValue::Text { ty: value, .. } | PartValue::Json { ty: value, .. } if into_arg(value))
}

/// The type `new` and the setters take for a part.
pub(crate) fn part_arg_ty(part: &Part) -> TokenStream {
    match &part.value {
        _ if part.repeated => part_field_ty(part),
        PartValue::Text { ty: value, .. } | PartValue::Json { ty: value, .. } => setter_ty(value),
        PartValue::File { .. } => part_value_ty(part),
    }
}

/// A part's docs: its description, how it is sent, its bounds.
pub(crate) fn part_docs(part: &Part) -> String {
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
    if let Some(note) = crate::emit::schema_note(constraints, &crate::ir::Constraints::default(), default.as_ref()) {
        text.push_str(&format!("\n\n{note}"));
    }
    text
}
