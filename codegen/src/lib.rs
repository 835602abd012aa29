//! Turns an OpenAPI 3.0 or 3.1 document (JSON or YAML) into the Rust source of a typed async client.
//!
//! The pipeline, one module per stage:
//! [`parse`](Document::parse) (JSON → validated spec, every problem located by a JSON pointer) →
//! `lower` (spec → the named IR in `ir`) → `emit` (IR → tokens with `quote!`) → `format`
//! (`syn::File` → prettyplease → header). The library does no I/O: text in, files out.
//!
//! ```
//! let text = r#"{
//!   "openapi": "3.1.0",
//!   "info": {"title": "Pets", "version": "1"},
//!   "paths": {},
//!   "components": {"schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}}
//! }"#;
//! let doc = codegen::Document::parse("pets.json", text).unwrap();
//! let files = codegen::generate(&doc, &codegen::Settings::new("pets.json", "PETS")).unwrap();
//! assert!(files.iter().any(|f| f.path == "src/types.rs" && f.contents.contains("pub struct Pet")));
//! ```

pub mod docs;
mod emit;
mod error;
mod format;
mod include;
pub mod ir;
mod lower;
pub mod names;
mod parse;
mod settings;
pub mod surface;

use proc_macro2::TokenStream;
use quote::quote;

pub use error::{Error, Errors, Warnings};
pub use include::{Module, generate_module};
pub use parse::{Document, Filter};
pub use settings::Settings;

/// One file to write, relative to the generated crate's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// A relative path with `/` separators, e.g. `src/types.rs`.
    pub path: String,
    /// The whole file, formatted, ending with a newline.
    pub contents: String,
}

/// The IR for a document: what the emitters will write.
///
/// # Errors
/// Every problem lowering finds (dangling `$ref`s, name collisions, unsupported shapes…).
pub fn lower(doc: &Document, settings: &Settings) -> Result<ir::Api, Errors> {
    lower::lower(doc, settings)
}

/// Generates every file of the crate's emitted part: `src/types.rs` and `src/operations.rs`. The
/// crate's `src/lib.rs` is hand-written, and the runtime is the `codegen-runtime` crate it
/// depends on (see ARCHITECTURE.md).
///
/// # Errors
/// Every problem found in the document; nothing is generated unless there are none.
pub fn generate(doc: &Document, settings: &Settings) -> Result<Vec<GeneratedFile>, Errors> {
    generate_crate(doc, settings).map(|generated| generated.files)
}

/// What [`generate_crate`] gives: the emitted files, and the crate's features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// `src/mock.rs`, `src/operations.rs` and `src/types.rs`, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// With [`Settings::resource_features`], one Cargo feature per resource (its accessor name,
    /// `<name>-resource` when that is `default`, `full` or `schemars`), in resource order; the
    /// crate's manifest must declare them (and `full`, turning them all on). Empty otherwise.
    pub resource_features: Vec<String>,
    /// What the generator read in a weaker but sound way, each located and saying what it did
    /// instead (print them with [`Warnings`]). Empty with [`Settings::deny_warnings`], which
    /// makes them errors.
    pub warnings: Vec<Error>,
    /// What the generator inferred that the document does not declare, each located: every
    /// pagination scheme detected (see [`Settings::detect_pagination`]), for a maintainer to
    /// check, or to veto with `x-pagination: false`.
    pub notes: Vec<Error>,
}

/// As [`generate`], with the resource features the manifest must declare.
///
/// # Errors
/// As [`generate`].
pub fn generate_crate(doc: &Document, settings: &Settings) -> Result<Generated, Errors> {
    let api = lower::lower(doc, settings)?;
    let fail = |error: Error| Errors { file: doc.name().to_owned(), errors: vec![error] };
    let header = settings.header(&settings.source);
    let gates = gates(&api, settings);
    let types = emit::types::lazy_items(&api.types, &gates);
    let registry = std::iter::once_with(|| emit::schema::registry(&api.types, &gates));
    let limits = emit::limits(&api.warnings);
    // Lints whose verdict depends on the document's text (a property named `foo` or `+1`, arrays
    // nested five deep, an operation named `new` or `into_x`), which the crate's user cannot fix:
    // allowed, so that every document gives a crate that is clippy-clean. `missing_docs` too: a
    // property or parameter the document does not describe has no docs rather than invented ones.
    let types_head = quote! {
        //! The models: one type per schema of the API description.
        #limits
        #![allow(
            missing_docs,
            clippy::disallowed_names,
            clippy::type_complexity,
            clippy::too_many_arguments,
            clippy::new_without_default,
            clippy::just_underscores_and_digits
        )]
    };
    let operations = emit::operations::lazy_sections(&api, settings, &gates).map(|(_, tokens)| tokens);
    let operations_head = quote! {
        //! The operations: one method per operation of the API description, grouped by resource.
        #![allow(
            missing_docs,
            clippy::disallowed_names,
            clippy::type_complexity,
            clippy::too_many_arguments,
            clippy::should_implement_trait,
            clippy::new_ret_no_self,
            clippy::wrong_self_convention,
            clippy::just_underscores_and_digits
        )]
    };
    let mock_head = quote! {
        //! Typed mocks for tests (the `mock` feature): a loopback server that answers each
        //! operation with its typed bodies and records what it received.
        #![allow(
            non_camel_case_types,
            non_snake_case,
            clippy::disallowed_names,
            clippy::type_complexity,
            clippy::should_implement_trait,
            clippy::new_ret_no_self,
            clippy::wrong_self_convention,
            clippy::just_underscores_and_digits
        )]
    };
    let mut files = vec![
        GeneratedFile {
            path: "src/mock.rs".into(),
            contents: format::format_items(&header, mock_head, emit::mock::items(&api, &gates)).map_err(fail)?,
        },
        GeneratedFile {
            path: "src/types.rs".into(),
            contents: format::format_items(&header, types_head, types.chain(registry)).map_err(fail)?,
        },
        GeneratedFile {
            path: "src/operations.rs".into(),
            contents: format::format_items(&header, operations_head, operations).map_err(fail)?,
        },
    ];
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let resource_features = if settings.resource_features {
        api.resources.iter().map(emit::gates::feature_name).collect()
    } else {
        Vec::new()
    };
    Ok(Generated { files, resource_features, warnings: api.warnings, notes: api.notes })
}

fn gates(api: &ir::Api, settings: &Settings) -> emit::gates::Gates {
    if settings.resource_features { emit::gates::Gates::new(api) } else { emit::gates::Gates::none() }
}

/// `operations.rs` in the reviewer's units, each formatted on its own, in file order: `client`
/// (constants, the `Client`, the resource accessors), then `resource.method` for every operation
/// (its methods and params struct). One snapshot each shows an operation's change in isolation.
///
/// # Errors
/// As [`generate`].
pub fn operation_sources(doc: &Document, settings: &Settings) -> Result<Vec<(String, String)>, Errors> {
    let api = lower::lower(doc, settings)?;
    emit::operations::sections(&api, settings, &gates(&api, settings))
        .into_iter()
        .map(|(name, tokens)| {
            let text =
                format::format("", tokens).map_err(|e| Errors { file: doc.name().to_owned(), errors: vec![e] })?;
            Ok((name, text.trim_start().to_owned()))
        })
        .collect()
}

/// `mock.rs` in the reviewer's units, each formatted on its own, in file order: `server` (the
/// `MockServer` and its accessors), then one per resource (its mock struct, methods and
/// matchers, named by its accessor).
///
/// # Errors
/// As [`generate`].
pub fn mock_sources(doc: &Document, settings: &Settings) -> Result<Vec<(String, String)>, Errors> {
    let api = lower::lower(doc, settings)?;
    let gates = gates(&api, settings);
    emit::mock::sections(&api, &gates)
        .map(|(name, tokens)| {
            let text =
                format::format("", tokens).map_err(|e| Errors { file: doc.name().to_owned(), errors: vec![e] })?;
            Ok((name, text.trim_start().to_owned()))
        })
        .collect()
}

/// Each named type formatted on its own, `(name, source)` sorted by name, then the
/// `component_schemas` registry (a snake_case name, which no type has): what a reviewer reads
/// to see one type's change in isolation. Together they are every item of `src/types.rs`.
///
/// # Errors
/// As [`generate`].
pub fn type_sources(doc: &Document, settings: &Settings) -> Result<Vec<(String, String)>, Errors> {
    let api = lower::lower(doc, settings)?;
    let gates = gates(&api, settings);
    let registry = ("component_schemas".to_owned(), emit::schema::registry(&api.types, &gates));
    emit::types::items(&api.types, &gates)
        .into_iter()
        .chain(std::iter::once(registry))
        .map(|(name, tokens): (String, TokenStream)| {
            let text =
                format::format("", tokens).map_err(|e| Errors { file: doc.name().to_owned(), errors: vec![e] })?;
            Ok((name, text.trim_start().to_owned()))
        })
        .collect()
}
