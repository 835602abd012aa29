//! typify's generation for the components of an OpenAPI document (shared by `build.rs`, which
//! writes the peer types, and the generation benchmark, which times it).

/// typify's output for the components of an OpenAPI document, formatted by prettyplease.
/// typify reads JSON Schema with `#/definitions/…` references, so the components are wrapped in a
/// draft-07 root schema. `format: date-time` is left out, as `revox` reads such strings as
/// `String` (without `--typed-formats`): typify would make them `chrono` types, a dependency the
/// bench does not have and a different decoder.
///
/// # Errors
/// When the document is not JSON or typify refuses it.
pub fn typify_source(openapi: &str) -> Result<String, Box<dyn std::error::Error>> {
    let text = openapi.replace("#/components/schemas/", "#/definitions/");
    let mut document: serde_json::Value = serde_json::from_str(&text)?;
    without_date_times(&mut document);
    let root = serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": document["components"]["schemas"],
    });
    let root: schemars08::schema::RootSchema = serde_json::from_value(root)?;
    let mut settings = typify::TypeSpaceSettings::default();
    settings.with_struct_builder(false);
    let mut space = typify::TypeSpace::new(&settings);
    space.add_root_schema(root)?;
    let file: syn::File = syn::parse2(space.to_stream())?;
    Ok(prettyplease::unparse(&file))
}

/// Removes every `"format": "date-time"` from `value`.
fn without_date_times(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("format").and_then(serde_json::Value::as_str) == Some("date-time") {
                map.remove("format");
            }
            map.values_mut().for_each(without_date_times);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_date_times),
        _ => {}
    }
}
