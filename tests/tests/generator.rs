//! Snapshot tests of the generator's output, determinism, and the staleness check.
//!
//! Each thing the generator emits is snapshotted once, in the unit a reviewer reads: one
//! snapshot per type (`revox_type__Call`), one per operation (`revox_op__campaigns_get_rows`:
//! its methods and params struct), one for the client section (`revox_client`), one for the
//! `component_schemas` registry (`revox_component_schemas`), one for the mock server
//! (`revox_mock`) and one per resource's mocks (`revox_mock__campaigns`), for every target; the units are
//! exactly the emitted items (`the_units_are_the_emitted_files`). The emitted files themselves are
//! compared with the committed crates by the staleness test, so no snapshot repeats them.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::collections::BTreeSet;

use tests::{read_fixture, reversed_keys, root};

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

fn document(schema: &str) -> codegen::Document {
    let text = std::fs::read_to_string(root().join(schema)).expect("schema is readable");
    codegen::Document::parse(schema, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn generate(target: &xtask::Target) -> Vec<codegen::GeneratedFile> {
    codegen::generate(&document(target.schema), &target.settings()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every unit of every target, `(snapshot name, source)`.
fn units() -> Vec<(String, String)> {
    let mut units = Vec::new();
    for target in xtask::TARGETS {
        let prefix = target.env_prefix.to_lowercase();
        let doc = document(target.schema);
        for (name, source) in codegen::type_sources(&doc, &target.settings()).unwrap_or_else(|e| panic!("{e}")) {
            let name = match name.as_str() {
                "component_schemas" => format!("{prefix}_component_schemas"),
                _ => format!("{prefix}_type__{name}"),
            };
            units.push((name, source));
        }
        let settings = target.settings();
        for (name, source) in codegen::operation_sources(&doc, &settings).unwrap_or_else(|e| panic!("{e}")) {
            let name = match name.as_str() {
                "client" => format!("{prefix}_client"),
                _ => format!("{prefix}_op__{}", name.replace('.', "_")),
            };
            units.push((name, source));
        }
        for (name, source) in codegen::mock_sources(&doc, &settings).unwrap_or_else(|e| panic!("{e}")) {
            let name = match name.as_str() {
                "server" => format!("{prefix}_mock"),
                _ => format!("{prefix}_mock__{name}"),
            };
            units.push((name, source));
        }
    }
    units
}

#[test]
fn every_type_and_operation_matches_its_snapshot() {
    let units = units();
    let names: BTreeSet<_> = units.iter().map(|(name, _)| name).collect();
    assert_eq!(names.len(), units.len(), "two units share a snapshot name");
    for (name, source) in units {
        settings().bind(|| insta::assert_snapshot!(name, source));
    }
}

/// The units are the files: every item emitted is in exactly one unit, and every item of a unit
/// is emitted, so nothing emitted escapes a snapshot and no snapshot shows what is not emitted.
/// Items are compared as tokens, without the comments and whitespace that formatting a unit
/// alone may change (doc comments are `#[doc]` tokens, and compared).
#[test]
fn the_units_are_the_emitted_files() {
    let items = |label: &str, source: &str| -> Vec<String> {
        let file: syn::File = syn::parse_str(source).unwrap_or_else(|e| panic!("{label}: {e}"));
        file.items.iter().map(|item| quote::ToTokens::to_token_stream(item).to_string()).collect()
    };
    for target in xtask::TARGETS {
        let prefix = format!("{}_", target.env_prefix.to_lowercase());
        let mut emitted: Vec<String> =
            generate(target).iter().flat_map(|file| items(&file.path, &file.contents)).collect();
        let mut units: Vec<String> = units()
            .into_iter()
            .filter(|(name, _)| name.starts_with(&prefix))
            .flat_map(|(name, source)| items(&name, &source))
            .collect();
        emitted.sort();
        units.sort();
        let only = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|item| !b.contains(item)).map(|item| item.chars().take(200).collect()).collect()
        };
        assert!(
            only(&emitted, &units).is_empty(),
            "{}: emitted in no unit: {:#?}",
            target.schema,
            only(&emitted, &units)
        );
        assert!(
            only(&units, &emitted).is_empty(),
            "{}: in a unit, not emitted: {:#?}",
            target.schema,
            only(&units, &emitted)
        );
        assert_eq!(emitted, units, "{}: an item is in two units, or emitted twice", target.schema);
    }
}

#[test]
fn bad_schema_messages_match_their_snapshots() {
    for (name, message) in bad_schema_messages() {
        settings().bind(|| insta::assert_snapshot!(format!("bad__{name}"), message));
    }
}

/// Every file in `tests/fixtures/bad/`, with what the generator says of it: the errors of a
/// document it refuses, or the warnings of one it reads in a weaker way. Each must say something:
/// a document with a problem is never read silently.
fn bad_schema_messages() -> Vec<(String, String)> {
    let dir = root().join("tests/fixtures/bad");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/bad exists")
        .map(|e| e.expect("readable entry").file_name().to_string_lossy().into_owned())
        .filter(|n| [".json", ".yaml", ".yml"].iter().any(|ext| n.ends_with(ext)))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = read_fixture(&format!("bad/{name}"));
            let label = format!("tests/fixtures/bad/{name}");
            let result = codegen::Document::parse(&label, &text)
                .and_then(|doc| codegen::generate_crate(&doc, &codegen::Settings::new(&label, "BAD")));
            let stem = name.strip_suffix(".json").map_or_else(|| name.replace('.', "_"), str::to_owned);
            match result {
                Ok(generated) if generated.warnings.is_empty() => {
                    panic!("{label} generated without a warning, but every file in tests/fixtures/bad has a problem")
                }
                Ok(generated) => (stem, codegen::Warnings { file: &label, warnings: &generated.warnings }.to_string()),
                Err(errors) => (stem, errors.to_string()),
            }
        })
        .collect()
}

#[test]
fn no_orphaned_snapshots() {
    let mut expected: BTreeSet<String> = units().into_iter().map(|(name, _)| name).collect();
    for (name, _) in bad_schema_messages() {
        expected.insert(format!("bad__{name}"));
    }
    // `tests/documents.rs` snapshots a summary of every document that must generate.
    for entry in std::fs::read_dir(root().join("tests/fixtures/documents")).expect("tests/fixtures/documents exists") {
        let name = entry.expect("readable entry").file_name().to_string_lossy().into_owned();
        expected.insert(format!("document__{}", name.replace(['.', '-'], "_")));
    }
    // `tests/changes.rs` snapshots the change report of every case.
    for entry in std::fs::read_dir(root().join("tests/fixtures/changes")).expect("tests/fixtures/changes exists") {
        let name = entry.expect("readable entry").file_name().to_string_lossy().into_owned();
        expected.insert(format!("change__{name}"));
    }
    // `tests/pagination_detection.rs` snapshots its counts on real documents.
    expected.insert("pagination_detection".to_owned());
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(root().join("tests/snapshots")).expect("tests/snapshots exists") {
        let name = entry.expect("readable entry").file_name().to_string_lossy().into_owned();
        match name.strip_suffix(".snap") {
            Some(stem) if expected.contains(stem) => {}
            _ => orphans.push(name),
        }
    }
    assert!(orphans.is_empty(), "snapshots that no test asserts (delete them): {orphans:?}");
}

/// Generating twice gives the same bytes, and so does the document with every object's keys in
/// reverse order (components, properties, paths, responses…) and every list whose order carries no
/// meaning reversed (`required`, the top-level `tags`). Lists whose order is meaning (`enum`,
/// `oneOf`, parameters, servers, security alternatives) are kept.
#[test]
fn generation_is_deterministic_and_ignores_meaningless_order() {
    for target in xtask::TARGETS {
        let first = generate(target);
        let second = generate(target);
        assert_eq!(first, second, "{}: two runs differ", target.schema);

        let text = std::fs::read_to_string(root().join(target.schema)).expect("readable");
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let mut permuted = value.clone();
        reverse_unordered_lists(&mut permuted, None);
        assert_ne!(permuted, value, "{}: the permutation must change what the generator reads", target.schema);
        let shuffled = reversed_keys(&permuted);
        assert_ne!(shuffled, text, "the shuffled document must differ textually");
        let doc = codegen::Document::parse(target.schema, &shuffled).unwrap_or_else(|e| panic!("{e}"));
        let files = codegen::generate(&doc, &target.settings()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, files, "{}: reordering changed the output", target.schema);
    }
}

/// Reverses every `required` list and the top-level `tags`, at any depth.
fn reverse_unordered_lists(value: &mut serde_json::Value, key: Option<&str>) {
    match value {
        serde_json::Value::Array(items) => {
            if matches!(key, Some("required")) || matches!(key, Some("tags")) && items.iter().all(|t| t.is_object()) {
                items.reverse();
            }
            items.iter_mut().for_each(|item| reverse_unordered_lists(item, None));
        }
        serde_json::Value::Object(object) => {
            for (k, v) in object.iter_mut() {
                reverse_unordered_lists(v, Some(k));
            }
        }
        _ => {}
    }
}

/// `cargo test` alone catches a forgotten `cargo xtask gen`.
#[test]
fn committed_generated_code_is_fresh() {
    let root = root();
    let planned = xtask::generate(&root).unwrap_or_else(|report| panic!("{report}"));
    let outcome = xtask::apply(&root, &planned, xtask::Mode::Check).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        outcome.changed.is_empty() && outcome.removed.is_empty(),
        "generated code is stale; run `cargo xtask gen`:\n{}",
        outcome.diff
    );
}

/// A bad schema is reported with its file and pointer, and nothing is written.
#[test]
fn a_bad_schema_leaves_every_crate_untouched() {
    let scratch = std::env::temp_dir().join(format!("revox-xtask-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for target in xtask::TARGETS {
        let schema = scratch.join(target.schema);
        std::fs::create_dir_all(schema.parent().expect("has a parent")).expect("scratch dir");
        std::fs::copy(root().join(target.schema), &schema).expect("copy schema");
        std::fs::create_dir_all(scratch.join(target.krate).join("src")).expect("crate dir");
    }
    let stale = scratch.join("generated/src/types.rs");
    std::fs::write(&stale, "// @generated by `cargo xtask gen` from schema/revox.openapi.json. Do not edit.\n// old\n")
        .expect("write");
    let broken = std::fs::read_to_string(root().join("schema/revox.openapi.json"))
        .expect("readable")
        .replace("\"#/components/schemas/Voice\"", "\"#/components/schemas/Voyce\"");
    std::fs::write(scratch.join("schema/revox.openapi.json"), broken).expect("write");

    let report = xtask::generate(&scratch).expect_err("a dangling $ref is refused");
    assert!(
        report.contains(
            "schema/revox.openapi.json: #/components/schemas/Assistant/properties/voice/anyOf/0/$ref: `$ref` to nothing"
        ),
        "{report}"
    );
    let untouched = std::fs::read_to_string(&stale).expect("still there");
    assert!(untouched.ends_with("// old\n"), "the stale file was rewritten");
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn an_unreadable_schema_is_named() {
    let scratch = std::env::temp_dir().join(format!("revox-xtask-missing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let report = xtask::generate(&scratch).expect_err("nothing to read");
    for target in xtask::TARGETS {
        assert!(report.contains(&format!("{}: cannot read the API description", target.schema)), "{report}");
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn invalid_json_names_line_and_column() {
    let error = codegen::Document::parse("api.json", "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\n}")
        .expect_err("truncated JSON is refused");
    assert_eq!(error.errors[0].location, "4:1");
    assert!(error.to_string().starts_with("api.json: 1 problem"), "{error}");
}

/// The emitted docs of every target and of every generated document fixture are inert (no code
/// block but the generator's examples, no control character) and their links whole: a broken
/// intra-doc link renders as text without a rustdoc warning, so it is caught here.
#[test]
fn emitted_docs_are_inert_and_links_whole() {
    // What an earlier emitter wrote, and what it means to write.
    assert!(tests::fuzzing::inert_docs("/// decoded as [`CreateError](crate::CreateError`] in").is_err());
    assert!(tests::fuzzing::inert_docs("/// decoded as [`CreateError`](crate::CreateError) in").is_ok());
    for stray in ["/// as [`CreateError]", "/// a ] b", "/// [x](not a path)", "/// [`a b`]", "/// [[`A`](crate::A)"] {
        assert!(tests::fuzzing::inert_docs(stray).is_err(), "{stray}");
    }
    assert!(tests::fuzzing::inert_docs(r"/// [`Self::new`], \[x\], `[y`, [`P`](crate::P), <https://a/[b]>").is_ok());
    for target in xtask::TARGETS {
        for file in generate(target) {
            tests::fuzzing::inert_docs(&file.contents)
                .unwrap_or_else(|e| panic!("{}: {}: {e}", target.schema, file.path));
        }
    }
    for entry in std::fs::read_dir(root().join("tests/fixtures/documents")).expect("the directory exists") {
        let path = entry.expect("readable").path();
        let label = path.display().to_string();
        let text = std::fs::read_to_string(&path).expect("readable");
        let doc = codegen::Document::parse(&label, &text).unwrap_or_else(|e| panic!("{e}"));
        let files = codegen::generate(&doc, &codegen::Settings::new(&label, "DOC")).unwrap_or_else(|e| panic!("{e}"));
        for file in files {
            tests::fuzzing::inert_docs(&file.contents).unwrap_or_else(|e| panic!("{label}: {}: {e}", file.path));
        }
    }
}
