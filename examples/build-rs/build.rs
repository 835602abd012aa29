//! Generates the zoo and shop fixtures' clients into `OUT_DIR/zoo.rs` and `OUT_DIR/shop.rs`,
//! which `src/lib.rs` includes.

fn main() {
    let mut zoo = openapi_typed_gen::build::Settings::new("zoo");
    zoo.typed_formats = true;
    let shop = openapi_typed_gen::build::Settings::new("shop");
    for (schema, settings) in
        [("../../tests/fixtures/zoo/openapi.json", zoo), ("../../tests/fixtures/shop/openapi.json", shop)]
    {
        if let Err(report) = openapi_typed_gen::build::generate(schema, &settings) {
            for line in report.lines() {
                println!("cargo::error={line}");
            }
        }
    }
}
