//! The project's automation, as a library so that tests run exactly what `cargo xtask` runs.
//!
//! [`generate`] reads each of the project's API descriptions ([`TARGETS`]), runs the generator and
//! returns every file it must write, or every problem, before anything touches the disk. The rest
//! (the `gen` command line, scaffolding a crate for any document, the one write/check helper
//! `apply`) is the `openapi-typed-gen` CLI's library, re-exported here: xtask is a thin caller of
//! it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use openapi_typed_gen::*;

/// One generated crate: where its API description is and where its emitted files go.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The API description, relative to the project root.
    pub schema: &'static str,
    /// The crate directory, relative to the project root.
    pub krate: &'static str,
    /// Prefix of the environment variables its `Client::from_env` reads.
    pub env_prefix: &'static str,
    /// One Cargo feature per resource (`Settings::resource_features`); the crate's `Cargo.toml`
    /// then has the generated features block.
    pub resource_features: bool,
    /// Typed `date-time`, `date` and `uuid` strings (`Settings::typed_formats`); the crate's
    /// manifest turns on the runtime's `time` and `uuid` features.
    pub typed_formats: bool,
}

impl Target {
    /// The generator settings for this target.
    pub fn settings(&self) -> codegen::Settings {
        let mut settings = codegen::Settings::new(self.schema, self.env_prefix);
        settings.resource_features = self.resource_features;
        settings.typed_formats = self.typed_formats;
        // The project's own descriptions are read exactly: a fallback would be a bug in them.
        settings.deny_warnings = true;
        settings
    }
}

/// Everything `cargo xtask gen` generates. `revox` has one resource: it needs no features; its
/// timestamps stay strings (what a server sends is never refused for its spelling). The zoo
/// exercises typed formats, the shop features per resource, `pages` detected pagination.
pub const TARGETS: &[Target] = &[
    Target {
        schema: "schema/revox.openapi.json",
        krate: "generated",
        env_prefix: "REVOX",
        resource_features: false,
        typed_formats: false,
    },
    Target {
        schema: "tests/fixtures/zoo/openapi.json",
        krate: "tests/fixtures/zoo",
        env_prefix: "ZOO",
        resource_features: false,
        typed_formats: true,
    },
    Target {
        schema: "tests/fixtures/shop/openapi.json",
        krate: "tests/fixtures/shop",
        env_prefix: "SHOP",
        resource_features: true,
        typed_formats: false,
    },
    Target {
        schema: "tests/fixtures/pages/openapi.json",
        krate: "tests/fixtures/pages",
        env_prefix: "PAGES",
        resource_features: false,
        typed_formats: false,
    },
];
/// The project root: the parent of this crate's directory.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Generates every target in memory. Nothing is written, so a bad schema leaves every crate
/// untouched.
///
/// # Errors
/// A readable report: an unreadable file, or every problem of every schema, each line naming
/// the file and the JSON pointer (or line and column).
pub fn generate(root: &Path) -> Result<Plan, String> {
    let mut planned = Vec::new();
    let mut report = String::new();
    let mut notes = String::new();
    for target in TARGETS {
        let path = root.join(target.schema);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                let _ = writeln!(report, "{}: cannot read the API description: {e}", target.schema);
                continue;
            }
        };
        let settings = target.settings();
        let generated =
            codegen::Document::parse(target.schema, &text).and_then(|doc| codegen::generate_crate(&doc, &settings));
        match generated {
            Ok(generated) => {
                for note in &generated.notes {
                    let _ = writeln!(notes, "{}: note: {}: {}", target.schema, note.location, note.message);
                }
                planned.extend(generated.files.into_iter().map(|f| Planned {
                    path: root.join(target.krate).join(&f.path),
                    contents: f.contents,
                    owner: Owner::Generator,
                }));
                if target.resource_features {
                    planned.push(Planned {
                        path: root.join(target.krate).join("Cargo.toml"),
                        contents: features_block(&generated.resource_features),
                        owner: Owner::Block,
                    });
                }
            }
            Err(errors) => report.push_str(&errors.to_string()),
        }
    }
    let crates = TARGETS.iter().map(|target| root.join(target.krate)).collect();
    if report.is_empty() { Ok(Plan { files: planned, crates, warnings: notes }) } else { Err(report) }
}
