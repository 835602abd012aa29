//! `openapi-typed-gen gen --schema FILE --out DIR` (and `cargo xtask gen --schema …`): a crate for
//! any API description.
//!
//! The emitted files are planned as for the project's own targets; `Cargo.toml` and `src/lib.rs`
//! are planned too, but as the maintainer's: [`crate::apply`] writes them only where they do not
//! exist yet. The manifest depends on the runtime by version (`openapi-typed-runtime`, the version
//! of this generator: they are released together), plus a relative `path` with
//! `--runtime-path DIR`, and declares its own empty workspace, so the crate builds, and packages,
//! wherever it stands. The regeneration command written into the emitted files names the
//! document relative to the crate's directory and `--out .`, so it is valid run from there.

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
    /// A local checkout of the runtime (`codegen/runtime` of this repository), for local
    /// development before it is published: the scaffolded manifest then names it by a path
    /// relative to the crate, beside the version.
    pub runtime_path: Option<PathBuf>,
    /// The event data that ends a stream (`Settings::stream_terminator`): `Some(None)` for none,
    /// `None` for the default (`[DONE]`).
    pub stream_terminator: Option<Option<String>>,
    /// Only declared pagination (`Settings::detect_pagination` off).
    pub no_pagination_detection: bool,
}

impl CrateRequest {
    /// The options beyond `--schema` and `--out` as command-line arguments, e.g.
    /// ` --include-tags pets,stores`, for the regenerate command. `--runtime-path` is not among
    /// them: it only shapes a manifest that is scaffolded once.
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
        match &self.stream_terminator {
            Some(Some(data)) => options.push_str(&format!(" --stream-terminator {data}")),
            Some(None) => options.push_str(" --no-stream-terminator"),
            None => {}
        }
        if self.no_pagination_detection {
            options.push_str(" --no-pagination-detection");
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

/// The runtime's package name: the scaffolded manifest depends on it under the key
/// `codegen-runtime`, the name the emitted code and `lib.rs` write (`codegen_runtime`).
pub const RUNTIME_PACKAGE: &str = "openapi-typed-runtime";

/// The runtime version a generated crate requires (as a caret requirement: any later `0.1.x`):
/// this generator's own, since the two are released together (see the README's "Versioning").
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The program the regeneration command in headers names.
pub const PROGRAM: &str = "openapi-typed-gen";

/// The dependencies besides the runtime, as in the workspace's `[workspace.dependencies]`, and
/// `edition` and `rust-version` as in its `[workspace.package]`: an installed generator has no
/// workspace to read them from; a test (`tests/tests/cli.rs`) keeps them equal to the workspace's.
/// `schemars` is made optional behind the `schemars` feature.
pub const COPIED_DEPENDENCIES: &[(&str, &str)] = &[
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#"{ version = "1", features = ["float_roundtrip", "raw_value"] }"#),
    ("schemars", r#"{ version = "1", default-features = false, features = ["std"] }"#),
];
/// See [`COPIED_DEPENDENCIES`].
pub const EDITION: &str = "\"2024\"";
/// See [`COPIED_DEPENDENCIES`].
pub const RUST_VERSION: &str = "\"1.88\"";

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
    arguments.extend(request.runtime_path.iter().map(|path| ("--runtime-path", path.to_string_lossy().into_owned())));
    arguments.extend(request.stream_terminator.iter().flatten().map(|data| ("--stream-terminator", data.clone())));
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

pub(crate) fn plan(request: &CrateRequest) -> Result<Plan, String> {
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
    // Shown in headers and docs, and valid from the crate's directory: the document relative to
    // it, so that the output does not depend on where either is checked out.
    let source = relative_to(&schema, &out).display().to_string().replace('\\', "/");
    let command = format!("{PROGRAM} gen --schema {source} --out .{}", request.options());
    let runtime = match &request.runtime_path {
        None => None,
        Some(path) => {
            let absolute =
                std::path::absolute(path).map_err(|e| format!("--runtime-path {}: {e}\n", path.display()))?;
            if !absolute.join("Cargo.toml").is_file() {
                return Err(format!("--runtime-path {}: no Cargo.toml there\n", path.display()));
            }
            Some(relative_to(&absolute, &out).display().to_string().replace('\\', "/"))
        }
    };

    let mut settings = codegen::Settings::new(&source, &env_prefix(&name));
    settings.command.clone_from(&command);
    settings.crate_name = name.replace('-', "_");
    settings.document_url.clone_from(&request.document_url);
    settings.resource_features = true;
    settings.typed_formats = request.typed_formats;
    settings.share_identical_types = !request.distinct_types;
    settings.deny_warnings = request.deny_warnings;
    if let Some(terminator) = &request.stream_terminator {
        settings.stream_terminator.clone_from(terminator);
    }
    settings.detect_pagination = !request.no_pagination_detection;
    let generated = codegen::generate_crate(&doc, &settings).map_err(|e| e.to_string())?;
    let mut warnings = match generated.warnings.is_empty() {
        true => String::new(),
        false => codegen::Warnings { file: &given, warnings: &generated.warnings }.to_string(),
    };
    for note in &generated.notes {
        warnings.push_str(&format!("{given}: note: {}: {}\n", note.location, note.message));
    }

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
            contents: scaffold.manifest(runtime.as_deref()),
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
    fn manifest(&self, runtime_path: Option<&str>) -> String {
        let mut dependencies = String::new();
        for (name, value) in COPIED_DEPENDENCIES {
            match *name {
                "schemars" => {
                    let inner = value.trim_start_matches('{').trim_end_matches('}').trim();
                    let _ = writeln!(dependencies, "{name} = {{ {inner}, optional = true }}");
                }
                _ => {
                    let _ = writeln!(dependencies, "{name} = {value}");
                }
            }
        }
        let path = runtime_path.map(|path| format!(", path = {}", toml_string(path))).unwrap_or_default();
        format!(
            r#"[package]
name = "{name}"
version = "0.1.0"
description = {description}
edition = {EDITION}
rust-version = {RUST_VERSION}
# Before publishing, add `license` (and `repository`, `readme`…).

# Regenerate the emitted files from this directory with `{command}`.
# This file and src/lib.rs are yours: the generator writes them once, when they are missing.

# A workspace of its own: the crate builds where it stands, even inside another workspace.
[workspace]

[dependencies]
# The runtime: client, errors, decoding, pagination, validation. Everything else the emitted code
# names directly: serde (the models' impls, the params' derive), serde_json (untyped values), schemars.
codegen-runtime = {{ package = "{RUNTIME_PACKAGE}", version = "{RUNTIME_VERSION}"{path}{runtime_features} }}
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
            command = self.command.replace(['\n', '\r'], " "),
            runtime_features = if self.typed_formats { r#", features = ["time", "uuid"]"# } else { "" },
        )
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
    ByteStream, Event, EventStream, ItemStream,
    ApiError, Body, DecodeError, Error, ErrorKind, File, HeaderMap, Items, Number, Page, Pages, Pending,
    Response, StatusCode, Text, Validate, ValidationError, Validator, Violation, from_slice,
    from_str,
}};
"#,
            docs = docs.join("\n"),
        )
    }
}

/// `path` relative to the directory `base` (both absolute, neither resolved through links), or
/// `path` itself when they share no root (another drive).
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    use std::path::Component;
    let (path_parts, base_parts): (Vec<Component<'_>>, Vec<Component<'_>>) =
        (path.components().collect(), base.components().collect());
    let common = path_parts.iter().zip(&base_parts).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut relative = PathBuf::new();
    for _ in &base_parts[common..] {
        relative.push("..");
    }
    relative.extend(&path_parts[common..]);
    if relative.as_os_str().is_empty() { PathBuf::from(".") } else { relative }
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
    fn paths_are_made_relative_to_the_crate() {
        let rel = |p: &str, b: &str| relative_to(Path::new(p), Path::new(b)).display().to_string();
        assert_eq!(rel("/a/b/api.json", "/a/b/client"), "../api.json");
        assert_eq!(rel("/a/b/client/api.json", "/a/b/client"), "api.json");
        assert_eq!(rel("/x/runtime", "/a/b"), "../../x/runtime");
        assert_eq!(rel("/a/b", "/a/b"), ".");
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
