//! build.rs mode: generate a client into a build script's `OUT_DIR` and `include!` it in any
//! module, with no workaround.
//!
//! ```no_run
//! // build.rs (with `openapi-typed-gen` as a build-dependency)
//! fn main() {
//!     let settings = openapi_typed_gen::build::Settings::new("petstore");
//!     if let Err(report) = openapi_typed_gen::build::generate("openapi.json", &settings) {
//!         println!("cargo::error={}", report.replace('\n', " "));
//!     }
//! }
//! ```
//!
//! ```text
//! // src/lib.rs (with `openapi-typed-runtime`, `serde` and `serde_json` as dependencies)
//! pub mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! ```
//!
//! The file is `codegen::generate_module`'s: the models as `types`, the operations re-exported,
//! every path relative to the including module. [`generate`] tells Cargo to rerun the script when
//! the document changes (`cargo::rerun-if-changed`), declares the `schemars` feature cfg the
//! `JsonSchema` impls sit behind (`cargo::rustc-check-cfg`: a crate without that feature compiles
//! them out, warning-free; one with `schemars = ["dep:schemars", "codegen-runtime/schemars"]` gets
//! them), prints the generator's warnings as `cargo::warning`s, and rewrites the file only when
//! its contents change, so that an unchanged document recompiles nothing.

// The example above is a build script, whose `main` is the point.
#![allow(clippy::needless_doctest_main)]

use std::path::{Path, PathBuf};

/// What [`generate`] generates. Built with [`Settings::new`], then adjusted field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// The file's name in `OUT_DIR`, without `.rs`, and the name the docs' examples use.
    pub name: String,
    /// Prefix of the environment variables `Client::from_env` reads (`PETSTORE` →
    /// `PETSTORE_API_KEY`); by default the name in upper case.
    pub env_prefix: String,
    /// The directory to write into; by default `OUT_DIR`.
    pub out_dir: Option<PathBuf>,
    /// The URL the document was published at, against which relative server URLs resolve.
    pub document_url: Option<String>,
    /// The operations to generate (all by default).
    pub filter: codegen::Filter,
    /// `date-time`, `date` and `uuid` strings as typed values; the crate then needs the runtime's
    /// `time` and `uuid` features.
    pub typed_formats: bool,
    /// Every warning an error: the document must be read exactly.
    pub deny_warnings: bool,
    /// The path of the including module as the docs' examples (doctests) write it; by default
    /// `<package>::<name>` (the package's name with `_` for `-`, from `CARGO_PKG_NAME`): the file
    /// included by `pub mod <name>` at the library's root.
    pub module_path: Option<String>,
}

impl Settings {
    /// Settings for a file `OUT_DIR/<name>.rs`.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            env_prefix: crate::env_prefix(name),
            out_dir: None,
            document_url: None,
            filter: codegen::Filter::default(),
            typed_formats: false,
            deny_warnings: false,
            module_path: None,
        }
    }
}

/// Generates `schema` (relative to the crate's directory, as build scripts run) into
/// `OUT_DIR/<name>.rs` and returns that path; prints the `cargo::` directives (see the module
/// docs).
///
/// # Errors
/// A readable report: an unreadable document, no `OUT_DIR`, an invalid name, every problem of
/// the document (located), or an I/O failure.
pub fn generate(schema: impl AsRef<Path>, settings: &Settings) -> Result<PathBuf, String> {
    let schema = schema.as_ref();
    println!("cargo::rerun-if-changed={}", schema.display());
    println!("cargo::rustc-check-cfg=cfg(feature, values(\"schemars\"))");
    let (path, warnings) = write(schema, settings)?;
    for line in warnings.lines() {
        println!("cargo::warning={line}");
    }
    Ok(path)
}

/// [`generate`] without the `cargo::` directives: the file's path and the warnings, ready to
/// print.
///
/// # Errors
/// As [`generate`].
pub fn write(schema: &Path, settings: &Settings) -> Result<(PathBuf, String), String> {
    let Settings { name, env_prefix, out_dir, document_url, filter, typed_formats, deny_warnings, module_path } =
        settings;
    let ident = name.replace('-', "_");
    if ident.is_empty() || !ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("{name:?}: a file name has only ASCII letters, digits, `-` and `_`\n"));
    }
    let out_dir = match out_dir {
        Some(dir) => dir.clone(),
        None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set: call this from a build script")?),
    };
    let given = schema.display().to_string().replace('\\', "/");
    let text =
        std::fs::read_to_string(schema).map_err(|e| format!("{given}: cannot read the API description: {e}\n"))?;
    filter.check(&given, &text).map_err(|e| e.to_string())?;
    let doc = codegen::Document::parse_filtered(&given, &text, filter).map_err(|e| e.to_string())?;
    let mut codegen_settings = codegen::Settings::new(&given, env_prefix);
    codegen_settings.command = "build.rs: openapi_typed_gen::build::generate".to_owned();
    codegen_settings.crate_name = match module_path {
        Some(path) => path.clone(),
        None => match std::env::var("CARGO_PKG_NAME") {
            Ok(package) => format!("{}::{ident}", package.replace('-', "_")),
            Err(_) => ident.clone(),
        },
    };
    codegen_settings.document_url.clone_from(document_url);
    codegen_settings.typed_formats = *typed_formats;
    codegen_settings.deny_warnings = *deny_warnings;
    let module = codegen::generate_module(&doc, &codegen_settings).map_err(|e| e.to_string())?;
    let warnings = match module.warnings.is_empty() {
        true => String::new(),
        false => codegen::Warnings { file: &given, warnings: &module.warnings }.to_string(),
    };
    let path = out_dir.join(format!("{ident}.rs"));
    // Unchanged contents are not rewritten: the file's modification time is what makes rustc
    // recompile.
    if std::fs::read_to_string(&path).ok().as_deref() != Some(module.contents.as_str()) {
        std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}\n", out_dir.display()))?;
        std::fs::write(&path, &module.contents).map_err(|e| format!("{}: {e}\n", path.display()))?;
    }
    Ok((path, warnings))
}
