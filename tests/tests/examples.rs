//! The operations' doc examples use values that would work (they are compiled as `no_run`
//! doctests of `revox`, `zoo` and `shop` by `cargo test`): documented examples, the first page,
//! page sizes that fetch something, structs built with `new`, and `todo!()` only for what cannot
//! be written.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use tests::root;

fn operations(krate: &str) -> String {
    let path = root().join(krate).join("src/operations.rs");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The example lines of an emitted `operations.rs`.
fn example_lines(source: &str) -> Vec<&str> {
    source.lines().map(str::trim).filter(|l| l.starts_with("/// let ") || l.starts_with("/// client.")).collect()
}

#[test]
fn no_example_of_the_committed_crates_is_left_to_write() {
    for krate in ["generated", "tests/fixtures/zoo", "tests/fixtures/shop"] {
        let source = operations(krate);
        let lines = example_lines(&source);
        assert!(lines.len() > 10, "{krate}: {lines:?}");
        let todo: Vec<&&str> = lines.iter().filter(|l| l.contains("todo!()")).collect();
        assert!(todo.is_empty(), "{krate}: {todo:?}");
    }
}

#[test]
fn examples_use_documented_examples_first_pages_and_real_page_sizes() {
    let zoo = operations("tests/fixtures/zoo");
    let lines = example_lines(&zoo);
    assert!(
        lines.contains(&r#"/// let response = client.animals().get("a-17").await?;"#),
        "the parameter's example: {lines:?}"
    );
    assert!(
        lines.contains(&"/// let mut items = client.animals().list_all(zoo::ListParams::new(0));"),
        "the first page (minimum 0)"
    );
    let revox = operations("generated");
    assert!(
        example_lines(&revox).iter().any(|l| l.contains("CallFilters::new(") && l.contains(", 1, 10, ")),
        "page 1, 10 per page"
    );
}

/// An example that is no plain text (a code fence, a line break) is not written into the docs: the
/// parameter's name is used instead.
#[test]
fn a_hostile_example_never_reaches_the_docs() {
    let text = r#"{
      "openapi": "3.1.0",
      "info": {"title": "Ex", "version": "1"},
      "paths": {"/things/{thing}": {"get": {
        "operationId": "get",
        "parameters": [
          {"name": "thing", "in": "path", "required": true, "schema": {"type": "string"}, "example": "```\ncompile_error!(\"x\");"},
          {"name": "per_page", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": 50}, "examples": {"big": {"value": 500}}},
          {"name": "color", "in": "query", "required": true, "schema": {"type": "string", "example": "dark-blue"}}
        ],
        "responses": {"204": {"description": "ok"}}}}}
    }"#;
    let doc = codegen::Document::parse("ex.json", text).expect("parses");
    let files = codegen::generate(&doc, &codegen::Settings::new("ex.json", "EX")).expect("generates");
    let source = &files.iter().find(|f| f.path == "src/operations.rs").expect("operations").contents;
    let call = example_lines(source).into_iter().find(|l| l.contains("client.things().get(")).expect("the example");
    // The hostile example is left out, 500 is out of bounds (10 per page instead), the schema's
    // example is taken.
    assert!(
        call.contains(r#".get("thing", "#)
            && call.contains(r#"GetParams::new(std::num::NonZeroU64::MIN.saturating_add(9), "dark-blue")"#),
        "{call}"
    );
}
