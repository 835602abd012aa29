//! `#[derive(Model)]`: the impls of the models that `codegen` emits, so that the emitted file holds
//! the types themselves (docs, fields, variants) and a few attributes, and this crate writes the
//! serde, `Validate` and `schemars::JsonSchema` impls, as serde_derive does for `#[serde]`.
//!
//! It is re-exported by the runtime (`openapi-typed-runtime`, library `codegen_runtime`) and
//! written `#[derive(crate::runtime::Model)]` by the generated code; the impls it writes name the
//! runtime as `super::runtime`: the models live in a `types` module beside the runtime's `use`,
//! at a crate's root or in whatever module includes a file generated for `include!` (build.rs
//! mode), so they assume no crate root. Every path in them is fully qualified and every local starts with
//! `__`, so no name from a schema can collide with them.
//!
//! What it derives depends on the item:
//!
//! - a struct with named fields (a JSON object): `Serialize` and `Deserialize` through
//!   `codec::SerializeFields` / `codec::FromFields` (known keys matched byte for byte without
//!   buffering, a repeated key refused, declared or not; undeclared keys kept in the `#[model(extra)]`
//!   map),
//!   `Validate`, and `Debug` written from the JSON form (`codec::debug_object`: one call rather
//!   than an expression per field, which rustc would check for every struct of a big API);
//! - an enum of unit variants plus one `#[model(other)]` variant holding a `String` (a string
//!   enum): `as_str`, `codec::StringEnum` (the known values, by their bytes), `From<&str>`,
//!   `Display`, `Serialize` and `Deserialize` (an unknown value becomes the `other` variant);
//! - an enum of newtype variants with `#[model(tag = "…")]` (a tagged union, each variant named
//!   by its tag value, plus an `other` variant holding the whole object) or `#[model(untagged)]`
//!   (a union told apart by shape): `Serialize`, `Deserialize` and `Validate`. An untagged union
//!   whose variants all declare their JSON `kind` is decided by the first token; any other is
//!   read whole and each variant tried in order, first exactly (a required nullable property
//!   present, no `null` for an optional one that is not, no undeclared property in a `closed`
//!   struct), then as leniently as a struct reads on its own (`codec::untagged`);
//! - for every one of them, behind the deriving crate's `schemars` feature, `JsonSchema` from the
//!   JSON template in the type's `JSON_SCHEMA` constant (see `codegen_runtime::schema`).
//!
//! Attributes, all inside `#[model(…)]` (one or several per item); an unknown or misplaced
//! attribute, one given twice, or `minimum` with `exclusive_minimum` (`maximum` with
//! `exclusive_maximum`) is a compile error at its span:
//!
//! | on | attribute | meaning |
//! | --- | --- | --- |
//! | type | `schema_name = "…"` | the `JsonSchema` name, when it is not the Rust name |
//! | type | `inline_schema` | the type is an inline schema, not a component |
//! | struct | `closed` | `additionalProperties: false`: undeclared properties are still kept when decoding, and `Validate` reports each one |
//! | struct | `tag = "…"` | a tagged-union variant: the tag property belongs to the union and is skipped |
//! | struct | `tag_value = "…"` | beside `tag`: the variant's one tag value, which the struct writes first when it is encoded on its own |
//! | enum | `tag = "…"` / `untagged` | a tagged / untagged union |
//! | field | `rename = "…"` | the property name, when it is not the field name |
//! | field | (none) | required, never `null`: `T` |
//! | field | `nullable` | required, may be `null`: `Option<T>`; absent decodes as `null` |
//! | field | `optional` | may be absent: `Option<T>`, `None` is left out; `null` decodes as absent |
//! | field | `optional, nullable` | may be absent or `null`: `Option<Option<T>>` (or `Option<Value>`) |
//! | field | `extra` | the map keeping undeclared properties (exactly one, last): a `serde_json::Map`, or a `BTreeMap<String, T>` when the document types them; with `validate`, each value is checked |
//! | field (also `extra`) | `integer` | the value holds integers (an integer type, or lists, maps, `Option`s or `Box`es of them): read with JSON Schema's rule, where `167.0` is the integer 167 (`codec::Integer`), instead of serde's, which refuses a float |
//! | field, variant | `validate` | the value implements `Validate`: check it, below this name |
//! | field | `minimum`, `exclusive_minimum`, `maximum`, `exclusive_maximum` `= number` | bounds checked by `Validate` (one minimum and one maximum at most) |
//! | field | `multiple_of = number` | the value is a multiple of it, checked by `Validate` |
//! | field | `min_length`, `max_length` `= integer` | lengths in characters, checked by `Validate` |
//! | field | `pattern = "…"` | an ECMA-262 regular expression the string matches (unanchored, as JSON Schema says), checked by `Validate` |
//! | field | `min_items`, `max_items` `= integer` | the number of items of a list, or of entries of a map (`minProperties`, `maxProperties`), checked by `Validate` |
//! | field | `unique_items` | no two items of the list are equal, checked by `Validate` |
//! | variant | `rename = "…"` | the wire value (string enum) or tag value (tagged union) |
//! | variant | `other` | the catch-all variant |
//! | variant | `keeps_tag` | a tagged-union variant whose struct declares the tag property itself: the tag is written and read as one of its fields |
//! | variant | `integer` | an untagged variant whose value holds integers (a list or map of them, or for a union without `kind`s any integer type): read with JSON Schema's rule |
//! | variant | `kind = "…"` | an untagged variant's JSON kind: `string`, `boolean`, `integer`, `number`, `array` or `object`; an `integer` variant is read with JSON Schema's rule, and a float with a zero fraction goes to it when no variant is a `number` |

mod attrs;
mod enums;
mod schema;
mod structs;

use proc_macro2::TokenStream;
use syn::{Data, DeriveInput, Error, Fields};

/// Derives the serde, `Validate` and `JsonSchema` impls of a generated model; see the crate docs.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    expand(&input).unwrap_or_else(Error::into_compile_error).into()
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    if !input.generics.params.is_empty() {
        return Err(Error::new_spanned(&input.generics, "a model has no generic parameters"));
    }
    let container = attrs::Container::parse(&input.attrs)?;
    let (impls, referenced) = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => structs::expand(&input.ident, &container, fields)?,
            _ => return Err(Error::new_spanned(&input.ident, "a model struct has named fields")),
        },
        Data::Enum(data) => enums::expand(&input.ident, &container, data)?,
        Data::Union(_) => return Err(Error::new_spanned(&input.ident, "a model is a struct or an enum")),
    };
    let schema = schema::json_schema(&input.ident, &container, &referenced);
    Ok(quote::quote!(#impls #schema))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn error(input: DeriveInput) -> String {
        match expand(&input) {
            Ok(tokens) => panic!("expected an error, got {tokens}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn misuse_is_a_compile_error_at_its_span() {
        let unknown = error(syn::parse_quote! {
            struct A { #[model(requird)] a: u8, #[model(extra)] extra: Map }
        });
        assert_eq!(unknown, "unknown model attribute `requird` on a field");
        let not_option = error(syn::parse_quote! {
            struct A { #[model(optional)] a: u8, #[model(extra)] extra: Map }
        });
        assert_eq!(not_option, "a `nullable` or `optional` field is an `Option<…>`");
        let no_extra = error(syn::parse_quote! { struct A { a: u8 } });
        assert_eq!(no_extra, "a model struct needs a `#[model(extra)]` map");
        let no_other = error(syn::parse_quote! { enum E { A, B } });
        assert_eq!(no_other, "a string enum has unit variants and one `other`");
        let same_kind = error(syn::parse_quote! {
            #[model(untagged)]
            enum U { #[model(kind = "string")] A(String), #[model(kind = "string")] B(Name) }
        });
        assert_eq!(same_kind, "two variants of the same JSON kind");
    }

    #[test]
    fn a_repeated_attribute_is_an_error_at_the_second() {
        // Parsed from text, so that each token has its own place (`span-locations`).
        let text = r#"struct A { #[model(optional)] #[model(rename = "a", optional)] a: Option<u8>, #[model(extra)] extra: Map }"#;
        let twice: DeriveInput = syn::parse_str(text).expect("parses");
        let Err(e) = expand(&twice) else { panic!("a repeated attribute is refused") };
        assert_eq!(e.to_string(), "duplicate model attribute `optional`");
        // The span is the second `optional`'s, not the first's or the item's.
        let second = text.rfind("optional)]").expect("in the text");
        assert_eq!((e.span().start().column, e.span().end().column), (second, second + "optional".len()));
        let bounds = error(syn::parse_quote! {
            struct A { #[model(minimum = 1, exclusive_minimum = 0)] a: u8, #[model(extra)] extra: Map }
        });
        assert_eq!(bounds, "`exclusive_minimum` and `minimum` both set the minimum");
        let renamed = error(syn::parse_quote! {
            #[model(tag = "kind")]
            enum U { #[model(rename = "a", rename = "b")] A(A), #[model(other)] Other(Map) }
        });
        assert_eq!(renamed, "duplicate model attribute `rename`");
        let closed = error(syn::parse_quote! {
            #[model(closed)] #[model(closed)] struct A { #[model(extra)] extra: Map }
        });
        assert_eq!(closed, "duplicate model attribute `closed`");
        // Different attributes, and one of each bound, are fine.
        let fine: DeriveInput = syn::parse_quote! {
            struct A { #[model(exclusive_minimum = 0, maximum = 9, multiple_of = 3)] a: u8, #[model(extra)] extra: Map }
        };
        assert!(expand(&fine).is_ok());
    }

    #[test]
    fn json_schema_references_every_model_a_field_names() {
        let input: DeriveInput = syn::parse_quote! {
            struct A {
                a: ::std::option::Option<::std::vec::Vec<Voice>>,
                b: ::std::collections::BTreeMap<::std::string::String, ::std::boxed::Box<_3dScan>>,
                c: u64,
                #[model(extra)]
                extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            }
        };
        let tokens = expand(&input).map(|t| t.to_string()).unwrap_or_else(|e| e.to_string());
        assert!(
            tokens.contains(r#"("Voice" , :: schemars :: SchemaGenerator :: subschema_for :: < Voice >)"#),
            "{tokens}"
        );
        assert!(tokens.contains(r#"("_3dScan" ,"#), "{tokens}");
        assert!(!tokens.contains(r#"("u64""#) && !tokens.contains(r#"("Value""#), "{tokens}");
    }
}
