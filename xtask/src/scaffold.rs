//! `cargo xtask gen --schema FILE --out DIR`: a crate for any API description.
//!
//! The emitted files are planned as for the project's own targets; `Cargo.toml` and `src/lib.rs`
//! are planned too, but as the maintainer's: [`crate::apply`] writes them only where they do not
//! exist yet. The manifest depends on this repository's runtime by absolute path and declares its
//! own empty workspace, so the crate builds wherever it stands.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codegen::docs::{code, doc_text};

use crate::{Owner, Plan, Planned};

/// What `cargo xtask gen --schema FILE --out DIR [--name CRATE]` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateRequest {
    /// The API description, as given (relative to the current directory, or absolute).
    pub schema: PathBuf,
    /// The crate's directory, as given.
    pub out: PathBuf,
    /// The crate's name; derived from `info.title` when absent.
    pub name: Option<String>,
    /// The URL the document was published at, against which relative server URLs resolve.
    pub document_url: Option<String>,
    /// The operations to generate (all by default).
    pub filter: codegen::Filter,
    /// `date-time`, `date` and `uuid` strings as typed values (`Settings::typed_formats`); the
    /// scaffolded manifest then turns on the runtime's `time` and `uuid` features.
    pub typed_formats: bool,
    /// Every inline schema a type of its own, even when identical to another
    /// (`Settings::share_identical_types` off).
    pub distinct_types: bool,
    /// Every warning an error (`Settings::deny_warnings`): the document must be read exactly.
    pub deny_warnings: bool,
}

impl CrateRequest {
    /// The options beyond `--schema` and `--out` as command-line arguments, e.g.
    /// ` --include-tags pets,stores`, for the regenerate command.
    pub fn options(&self) -> String {
        let codegen::Filter { include_tags, include_operations, exclude_tags, exclude_operations } = &self.filter;
        let mut options = String::new();
        if let Some(name) = &self.name {
            options.push_str(&format!(" --name {name}"));
        }
        if let Some(url) = &self.document_url {
            options.push_str(&format!(" --document-url {url}"));
        }
        if self.typed_formats {
            options.push_str(" --typed-formats");
        }
        if self.distinct_types {
            options.push_str(" --distinct-types");
        }
        if self.deny_warnings {
            options.push_str(" --deny-warnings");
        }
        for (flag, list) in [
            ("--include-tags", include_tags),
            ("--include-operations", include_operations),
            ("--exclude-tags", exclude_tags),
            ("--exclude-operations", exclude_operations),
        ] {
            if !list.is_empty() {
                options.push_str(&format!(" {flag} {}", list.join(",")));
            }
        }
        options
    }
}

/// The dependencies the scaffolded manifest copies from the workspace's, so that their versions
/// and features cannot drift apart. `schemars` is made optional behind the `schemars` feature.
const COPIED_DEPENDENCIES: &[&str] = &["serde", "serde_json", "schemars"];

/// Refuses an argument with a control character: it would end up in the manifest's comments
/// (which TOML refuses), the emitted files' headers and the crate docs.
fn check_arguments(request: &CrateRequest) -> Result<(), String> {
    let codegen::Filter { include_tags, include_operations, exclude_tags, exclude_operations } = &request.filter;
    let mut arguments = vec![
        ("--schema", request.schema.to_string_lossy().into_owned()),
        ("--out", request.out.to_string_lossy().into_owned()),
    ];
    arguments.extend(request.name.iter().map(|name| ("--name", name.clone())));
    arguments.extend(request.document_url.iter().map(|url| ("--document-url", url.clone())));
    for (flag, list) in [
        ("--include-tags", include_tags),
        ("--include-operations", include_operations),
        ("--exclude-tags", exclude_tags),
        ("--exclude-operations", exclude_operations),
    ] {
        arguments.extend(list.iter().map(|entry| (flag, entry.clone())));
    }
    let bad: Vec<String> = arguments
        .iter()
        .filter(|(_, value)| value.chars().any(char::is_control))
        .map(|(flag, value)| format!("{flag} {:?}: a control character cannot be written into the crate\n", value))
        .collect();
    if bad.is_empty() { Ok(()) } else { Err(bad.concat()) }
}

pub(crate) fn plan(root: &Path, request: &CrateRequest) -> Result<Plan, String> {
    check_arguments(request)?;
    let given = request.schema.display().to_string();
    let text = std::fs::read_to_string(&request.schema)
        .map_err(|e| format!("{given}: cannot read the API description: {e}\n"))?;
    request.filter.check(&given, &text).map_err(|e| e.to_string())?;
    let doc = codegen::Document::parse_filtered(&given, &text, &request.filter).map_err(|e| e.to_string())?;
    let name = match &request.name {
        Some(name) => check_crate_name(name).map(|()| name.clone()).map_err(|why| format!("--name {name}: {why}\n"))?,
        None => crate_name_from_title(doc.title()),
    };
    let out = std::path::absolute(&request.out).map_err(|e| format!("{}: {e}\n", request.out.display()))?;
    let schema = std::path::absolute(&request.schema).map_err(|e| format!("{given}: {e}\n"))?;
    // Shown in headers and docs: relative to the project when inside it, so that the output does
    // not depend on where the repository is checked out.
    let shown = |absolute: &Path, as_given: &Path| {
        absolute.strip_prefix(root).unwrap_or(as_given).display().to_string().replace('\\', "/")
    };
    let source = shown(&schema, &request.schema);
    let command = format!("cargo xtask gen --schema {source} --out {}{}", shown(&out, &request.out), request.options());

    let mut settings = codegen::Settings::new(&source, &env_prefix(&name));
    settings.command.clone_from(&command);
    settings.crate_name = name.replace('-', "_");
    settings.document_url.clone_from(&request.document_url);
    settings.resource_features = true;
    settings.typed_formats = request.typed_formats;
    settings.share_identical_types = !request.distinct_types;
    settings.deny_warnings = request.deny_warnings;
    let generated = codegen::generate_crate(&doc, &settings).map_err(|e| e.to_string())?;
    let warnings = match generated.warnings.is_empty() {
        true => String::new(),
        false => codegen::Warnings { file: &given, warnings: &generated.warnings }.to_string(),
    };

    let workspace_manifest = root.join("Cargo.toml");
    let workspace_manifest = std::fs::read_to_string(&workspace_manifest)
        .map_err(|e| format!("{}: cannot read the workspace manifest: {e}\n", workspace_manifest.display()))?;
    let scaffold = Scaffold {
        name: &name,
        title: doc.title(),
        version: doc.version(),
        source: &source,
        command: &command,
        typed_formats: request.typed_formats,
    };
    let mut files = vec![
        Planned {
            path: out.join("Cargo.toml"),
            contents: scaffold.manifest(&workspace_manifest, &root.join("codegen/runtime"))?,
            owner: Owner::Maintainer,
        },
        Planned { path: out.join("src/lib.rs"), contents: scaffold.lib(), owner: Owner::Maintainer },
    ];
    files.extend(generated.files.into_iter().map(|f| Planned {
        path: out.join(&f.path),
        contents: f.contents,
        owner: Owner::Generator,
    }));
    files.push(Planned {
        path: out.join("Cargo.toml"),
        contents: crate::features_block(&generated.resource_features),
        owner: Owner::Block,
    });
    Ok(Plan { files, crates: vec![out], warnings })
}

/// A valid crate name from an API's title: ASCII letters and digits in lower case, every other run
/// of characters one `-` (apostrophes dropped: "GitHub's" → `githubs`), at most 64 characters;
/// `api` when nothing is left, prefixed with `api-` when it would start with a digit, suffixed
/// with `-api` when it is a Rust keyword or a name Cargo reserves.
pub fn crate_name_from_title(title: &str) -> String {
    let mut name = String::new();
    for c in title.chars().filter(|c| !matches!(c, '\'' | '\u{2019}')) {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "api-");
    }
    if name.len() > 64 {
        // ASCII only, so any index is a character boundary; cut after the last word that fits.
        let cut = name[..=64].rfind('-').unwrap_or(64);
        name.truncate(cut);
    }
    let mut name = name.trim_end_matches('-').to_owned();
    if name.is_empty() {
        name.push_str("api");
    }
    if check_crate_name(&name).is_err() {
        name.push_str("-api");
    }
    name
}

/// The environment-variable prefix for a crate: `swagger-petstore` → `SWAGGER_PETSTORE`.
pub fn env_prefix(crate_name: &str) -> String {
    crate_name.to_ascii_uppercase().replace('-', "_")
}

/// Names Cargo refuses or reserves for a package, besides Rust keywords.
const RESERVED: &[&str] =
    &["alloc", "build", "core", "deps", "examples", "incremental", "proc_macro", "std", "test", "codegen_runtime"];

/// Whether Cargo accepts `name` for a library package this generator writes.
fn check_crate_name(name: &str) -> Result<(), &'static str> {
    let ident = name.replace('-', "_");
    if name.is_empty() || name.len() > 64 {
        Err("a crate name has 1 to 64 characters")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Err("a crate name has only ASCII letters, digits, `-` and `_`")
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Err("a crate name starts with a letter")
    } else if codegen::names::is_keyword(&ident) || RESERVED.contains(&ident.as_str()) {
        Err("that name is a Rust keyword or reserved")
    } else {
        Ok(())
    }
}

/// What the scaffolded files say about the crate. `lib.rs` is written as rustfmt's defaults
/// format it, since a standalone crate has no `rustfmt.toml`.
struct Scaffold<'a> {
    name: &'a str,
    title: &'a str,
    version: &'a str,
    source: &'a str,
    command: &'a str,
    typed_formats: bool,
}

impl Scaffold<'_> {
    fn manifest(&self, workspace_manifest: &str, runtime: &Path) -> Result<String, String> {
        let package = |key| {
            table_value(workspace_manifest, "workspace.package", key)
                .ok_or_else(|| format!("Cargo.toml: no `{key}` in [workspace.package]\n"))
        };
        let mut dependencies = String::new();
        for name in COPIED_DEPENDENCIES {
            let value = table_value(workspace_manifest, "workspace.dependencies", name)
                .ok_or_else(|| format!("Cargo.toml: no `{name}` in [workspace.dependencies]\n"))?;
            let value = match *name {
                "schemars" => {
                    optional(value).ok_or_else(|| format!("Cargo.toml: `{name}` is not an inline table\n"))?
                }
                _ => value.to_owned(),
            };
            let _ = writeln!(dependencies, "{name} = {value}");
        }
        Ok(format!(
            r#"[package]
name = "{name}"
version = "0.1.0"
description = {description}
edition = {edition}
rust-version = {rust_version}
publish = false

# Regenerate the emitted files with `{command}`.
# This file and src/lib.rs are yours: the generator writes them once, when they are missing.

# A workspace of its own: the crate builds where it stands, even inside another workspace.
[workspace]

[dependencies]
# The runtime: client, errors, decoding, pagination, validation. Everything else the emitted code
# names directly: serde (the models' impls, the params' derive), serde_json (untyped values), schemars.
codegen-runtime = {{ path = {runtime}{runtime_features} }}
{dependencies}
[features]
# Every resource's operations (`full`); a user who needs a few depends with
# `default-features = false, features = ["<resource>", …]`.
default = ["full", "schemars"]
# `schemars::JsonSchema` for every type.
schemars = ["dep:schemars", "codegen-runtime/schemars"]
# `mock::MockServer`: typed mocks of the operations on a loopback server, for tests
# (`[dev-dependencies]` of a crate that uses this one: `features = ["mock"]`).
mock = ["codegen-runtime/mock"]
{begin}
{end}
"#,
            begin = crate::FEATURES_BEGIN,
            end = crate::FEATURES_END,
            name = self.name,
            description = toml_string(&format!(
                "Typed async client for the {} API, generated from its OpenAPI description.",
                self.title.split_whitespace().collect::<Vec<_>>().join(" ")
            )),
            edition = package("edition")?,
            rust_version = package("rust-version")?,
            command = self.command.replace(['\n', '\r'], " "),
            runtime = toml_string(&runtime.display().to_string()),
            runtime_features = if self.typed_formats { r#", features = ["time", "uuid"]"# } else { "" },
        ))
    }

    fn lib(&self) -> String {
        let intro = format!(
            "Typed async client for the {title} API (version {version}).\n\n\
             Everything but this file is generated from {source}: the models in [`types`] and the\n\
             operations, reached through [`Client`]. This file is yours: the generator writes it once, when\n\
             it is missing, and never again. Regenerate the rest with\n",
            title = doc_text(self.title),
            version = doc_text(self.version),
            source = code(self.source),
        );
        let mut docs: Vec<String> = codegen::docs::lines(&intro);
        docs.push(String::new());
        docs.extend(command_block(self.command));
        let docs: Vec<String> =
            docs.iter().map(|line| if line.is_empty() { "//!".to_owned() } else { format!("//! {line}") }).collect();
        format!(
            r#"{docs}

#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "mock")]
#[rustfmt::skip]
pub mod mock;
#[rustfmt::skip]
mod operations;
// The emitted code reaches the runtime crate as `crate::runtime`.
use codegen_runtime as runtime;
#[rustfmt::skip]
pub mod types;

pub use operations::*;
pub use runtime::{{
    ApiError, DecodeError, Error, ErrorKind, File, HeaderMap, Items, Number, Page, Pages, Pending,
    Response, StatusCode, Text, Validate, ValidationError, Validator, Violation, from_slice,
    from_str,
}};
"#,
            docs = docs.join("\n"),
        )
    }
}

/// The right-hand side of `key = …` in `[table]` of a manifest, as written: the workspace's own
/// manifest is one line per key, which this relies on rather than pulling in a TOML parser.
fn table_value<'a>(manifest: &'a str, table: &str, key: &str) -> Option<&'a str> {
    let header = format!("[{table}]");
    manifest
        .lines()
        .skip_while(|line| line.trim() != header)
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .find_map(|line| {
            let (k, v) = line.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
}

/// An inline table with `optional = true` added: `{ version = "1" }` → `{ version = "1", optional = true }`.
fn optional(value: &str) -> Option<String> {
    let inner = value.strip_prefix('{')?.strip_suffix('}')?.trim();
    Some(format!("{{ {inner}, optional = true }}"))
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A command as a `sh` block in crate docs, or escaped text when it could close the block.
fn command_block(command: &str) -> Vec<String> {
    if command.contains(['`', '\n', '\r']) {
        codegen::docs::lines(&doc_text(command))
    } else {
        vec!["```sh".to_owned(), command.to_owned(), "```".to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_value_is_found_in_its_table_only() {
        let manifest = "[a]\nserde = 1\n[b]\nserde = { version = \"1\" }\nserde_json = 2\n";
        assert_eq!(table_value(manifest, "b", "serde"), Some("{ version = \"1\" }"));
        assert_eq!(table_value(manifest, "a", "serde"), Some("1"));
        assert_eq!(table_value(manifest, "a", "serde_json"), None);
        assert_eq!(optional("{ version = \"1\" }").as_deref(), Some("{ version = \"1\", optional = true }"));
    }

    #[test]
    fn text_is_escaped_for_toml_and_markdown() {
        assert_eq!(toml_string("a \"b\" \\ c\n"), r#""a \"b\" \\ c\u000A""#);
        let lib = Scaffold {
            name: "x",
            title: "A  [link](x)\n```\n`code` <b>",
            version: "1\r2",
            source: "a`b",
            command: "gen `x`",
            typed_formats: false,
        }
        .lib();
        let docs: Vec<&str> = lib.lines().take_while(|line| line.starts_with("//!")).collect();
        assert_eq!(
            docs[..3],
            [r"//! Typed async client for the A  \[link\](x)", r"//! \`\`\`", r"//! `code` \<b> API (version 1"]
        );
        assert_eq!(docs[3], "//! 2).");
        assert!(
            docs.contains(&"//! Everything but this file is generated from ``a`b``: the models in [`types`] and the")
        );
        // A command that would close the `sh` block is text, its code span kept.
        assert_eq!(docs.last(), Some(&"//! gen `x`"));
    }
}
