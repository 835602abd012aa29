//! Generates the zoo fixture's client into `OUT_DIR/zoo.rs`, which `src/lib.rs` includes.

fn main() {
    let mut settings = openapi_typed_gen::build::Settings::new("zoo");
    settings.typed_formats = true;
    if let Err(report) = openapi_typed_gen::build::generate("../../tests/fixtures/zoo/openapi.json", &settings) {
        for line in report.lines() {
            println!("cargo::error={line}");
        }
    }
}
