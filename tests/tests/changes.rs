//! The change report (`codegen::surface`): each case under `tests/fixtures/changes/` is a
//! document before and after one change of the API (`before.json`, `after.json`), generated both
//! times; the report between the two crates is snapshotted as `change__<case>` in the Markdown
//! `cargo xtask gen --report-markdown` writes. `hand_written_rules` holds Rust the generator no
//! longer emits (exhaustive structs and enums), read as a crate's `src/types.rs`.
//!
//! Whether a change is called breaking follows the README's "Semver: what a regeneration may
//! break"; `tests/semver/check.sh` checks the same pairs against cargo-semver-checks.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use codegen::surface::{Report, Surface, diff};
use tests::{read_fixture, root};

/// The emitted files of a case's document.
fn generate(case: &str, side: &str) -> Vec<codegen::GeneratedFile> {
    let label = format!("tests/fixtures/changes/{case}/{side}.json");
    let doc = codegen::Document::parse(&label, &read_fixture(&format!("changes/{case}/{side}.json")))
        .unwrap_or_else(|e| panic!("{e}"));
    codegen::generate(&doc, &codegen::Settings::new("openapi.json", "PETS")).unwrap_or_else(|e| panic!("{e}"))
}

fn surface(files: &[codegen::GeneratedFile]) -> Surface {
    Surface::read(files.iter().map(|f| (f.path.as_str(), f.contents.as_str()))).unwrap_or_else(|e| panic!("{e}"))
}

fn report(case: &str) -> Report {
    if case == "hand_written_rules" {
        let read = |side: &str| {
            let text = read_fixture(&format!("changes/{case}/{side}.rs"));
            Surface::read([("src/types.rs", text.as_str())]).unwrap_or_else(|e| panic!("{e}"))
        };
        return diff(&read("before"), &read("after"));
    }
    diff(&surface(&generate(case, "before")), &surface(&generate(case, "after")))
}

#[track_caller]
fn check(case: &str) -> Report {
    let report = report(case);
    let mut insta = insta::Settings::clone_current();
    insta.set_snapshot_path(root().join("tests/snapshots"));
    insta.set_prepend_module_to_snapshot(false);
    insta.set_omit_expression(true);
    insta.bind(|| insta::assert_snapshot!(format!("change__{case}"), report.to_markdown()));
    report
}

/// The breaking changes, as `group: change` lines.
fn breaking(report: &Report) -> Vec<String> {
    report.breaking().map(|(group, change)| format!("{group}: {}", change.what)).collect()
}

#[test]
fn every_case_has_a_test() {
    let source = std::fs::read_to_string(root().join("tests/tests/changes.rs")).expect("this file");
    for entry in std::fs::read_dir(root().join("tests/fixtures/changes")).expect("the cases") {
        let name = entry.expect("an entry").file_name().to_string_lossy().into_owned();
        assert!(source.contains(&format!("fn {name}()")), "tests/fixtures/changes/{name} has no test");
    }
}

#[test]
fn an_unchanged_crate_reports_nothing() {
    let files = generate("operation_removed", "before");
    let report = diff(&surface(&files), &surface(&files));
    assert!(report.is_empty(), "{report}");
    assert_eq!(report.to_string(), "API changes: none\n");
}

#[test]
fn the_committed_crates_read_back_whole() {
    // Every item the project's own crate exports is in its surface: the reader misses nothing it emits.
    let text = |p: &str| read_fixture(&format!("../../generated/src/{p}"));
    let (types, operations) = (text("types.rs"), text("operations.rs"));
    let surface = Surface::read([("src/types.rs", types.as_str()), ("src/operations.rs", operations.as_str())])
        .unwrap_or_else(|e| panic!("{e}"));
    let structs = types.matches("\npub struct ").count() + operations.matches("\npub struct ").count();
    let enums = types.matches("\npub enum ").count();
    let read = |noun: &str| surface.items.values().filter(|i| i.kind.noun() == noun).count();
    assert_eq!((read("struct"), read("enum")), (structs, enums));
    assert!(surface.items["Campaigns"].methods.contains_key("get_rows"));
}

#[test]
fn not_rust_is_an_error_naming_the_file() {
    let error = Surface::read([("src/types.rs", "pub struct {")]).expect_err("not Rust");
    assert!(error.to_string().starts_with("src/types.rs: "), "{error}");
}

#[test]
fn operation_removed() {
    let report = check("operation_removed");
    assert_eq!(
        breaking(&report),
        [
            "resource Pets: operation `delete` removed (was `delete(&self, id: &str) -> Pending<()>`)",
            // Its typed mock (the `mock` feature) goes with it: a user's test that mocks it breaks.
            "struct PetsMocks: method `delete` removed (was `delete(&self, when: impl FnOnce(DeleteWhen)->DeleteWhen) -> \
             Mocked<'a, (), ()>`)",
        ]
    );
}

#[test]
fn operation_added() {
    assert_eq!(breaking(&check("operation_added")), Vec::<String>::new());
}

#[test]
fn optional_response_field_added() {
    let report = check("optional_response_field_added");
    assert_eq!(breaking(&report), Vec::<String>::new());
    assert!(report.to_string().contains("field owner: Option<String> added (optional)"), "{report}");
}

#[test]
fn required_request_field_added() {
    // `new` takes the required fields: one more is a different signature.
    assert_eq!(
        breaking(&check("required_request_field_added")),
        ["struct types::NewPet: method `new` changed from `new(name: impl Into<String>) -> Self` to \
             `new(name: impl Into<String>, owner: impl Into<String>) -> Self`"]
    );
}

#[test]
fn field_type_changed() {
    assert_eq!(
        breaking(&check("field_type_changed")),
        ["struct types::Pet: field `age` changed from `Option<i32>` to `Option<f64>`"]
    );
}

#[test]
fn field_made_optional() {
    assert_eq!(breaking(&check("field_made_optional")).len(), 2, "the field's type and `new`'s arguments");
}

#[test]
fn enum_value_added() {
    assert_eq!(breaking(&check("enum_value_added")), Vec::<String>::new());
}

#[test]
fn enum_value_removed() {
    assert_eq!(breaking(&check("enum_value_removed")), ["enum types::Kind: variant `Dog` removed"]);
}

#[test]
fn optional_parameter_added() {
    assert_eq!(breaking(&check("optional_parameter_added")), Vec::<String>::new());
}

#[test]
fn first_parameter_added() {
    // FIXME: an operation without parameters takes no params struct, so its first optional
    // parameter adds an argument, which is breaking (README, "Semver").
    assert_eq!(breaking(&check("first_parameter_added")).len(), 1);
}

#[test]
fn type_removed() {
    let report = check("type_removed");
    assert!(breaking(&report).contains(&"struct types::NewPet: struct removed".to_owned()), "{report}");
    assert!(
        breaking(&report).contains(
            &"resource Pets: operation `create` removed (was `create(&self, body: &NewPet) -> Pending<Pet>`)"
                .to_owned()
        ),
        "{report}"
    );
}

#[test]
fn hand_written_rules() {
    let report = check("hand_written_rules");
    let breaking = breaking(&report);
    let expected = [
        "struct types::Open: field `b: Option<String>` added: the struct is not `#[non_exhaustive]`, so its literals and patterns outside the crate break",
        "struct types::Open: no longer implements `Default`",
        "struct types::Becomes: now `#[non_exhaustive]`: struct literals and exhaustive patterns no longer compile",
        "enum types::Exhaustive: variant `B` added: the enum is not `#[non_exhaustive]`, so exhaustive `match`es break",
        "struct types::Gated: Cargo features changed from `pets` to `stores`",
        "type alias types::Alias: now an alias of `Closed` (was `Open`)",
    ];
    for line in expected {
        assert!(breaking.iter().any(|b| b == line), "missing {line:?} in {breaking:#?}");
    }
    assert_eq!(breaking.len(), expected.len(), "{breaking:#?}");
}

/// An untagged union once derived serde's `Deserialize` beside `Model`; `Model` now writes it:
/// the union still implements it, so the report sees no change.
#[test]
fn deserialize_moved_into_model_is_no_change() {
    let read = |derive: &str| {
        let text = format!(
            "#[derive(Debug, Clone, PartialEq, {derive}crate::runtime::Model)]\n#[model(untagged)]\n\
             #[non_exhaustive]\npub enum Sighting {{ Named(::std::string::String), Count(i64) }}\n"
        );
        Surface::read([("src/types.rs", text.as_str())]).unwrap_or_else(|e| panic!("{e}"))
    };
    let report = diff(&read("::serde::Deserialize, "), &read(""));
    assert_eq!(breaking(&report), Vec::<String>::new());
    assert_eq!(report.to_markdown(), diff(&read(""), &read("")).to_markdown());
}
