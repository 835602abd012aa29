//! Deterministic synthetic API descriptions of any size, for showing that generation time,
//! memory and output grow linearly with the document.
//!
//! `synthetic(scale)` has `20 × scale` object components and `5 × scale` operations over
//! `scale` tags. Each object has eight properties of the kinds real documents use: strings with
//! lengths, bounded integers, an inline enum, a nullable reference to the previous object, an
//! array of another object, a map, a number and a boolean; every fifth component is a string
//! enum. Operations are paginated lists and gets with path and query parameters.

use serde_json::{Value, json};

/// A document with `20 × scale` components and `5 × scale` operations.
pub fn synthetic(scale: usize) -> String {
    let objects = 20 * scale;
    let mut schemas = serde_json::Map::new();
    for i in 0..objects {
        let name = format!("Object{i}");
        if i % 5 == 4 {
            let values: Vec<String> = (0..6).map(|v| format!("value-{i}-{v}")).collect();
            schemas.insert(name, json!({"type": "string", "enum": values, "description": format!("Enum number {i}.")}));
            continue;
        }
        let previous = format!("#/components/schemas/Object{}", i.saturating_sub(1));
        let other = format!("#/components/schemas/Object{}", (i * 7 + 3) % objects);
        schemas.insert(
            name,
            json!({
                "type": "object",
                "description": format!("Object number {i}, with the kinds of properties real documents have."),
                "properties": {
                    "id": {"type": "string", "minLength": 1, "maxLength": 64},
                    "count": {"type": "integer", "minimum": 0, "maximum": 1000},
                    "state": {"type": "string", "enum": ["new", "active", "archived", format!("state-{i}")]},
                    "previous": {"anyOf": [{"$ref": previous}, {"type": "null"}]},
                    "others": {"type": "array", "items": {"$ref": other}},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "score": {"type": "number"},
                    "enabled": {"type": "boolean"}
                },
                "required": ["id", "count", "state"]
            }),
        );
    }
    let mut paths = serde_json::Map::new();
    for op in 0..5 * scale {
        let tag = format!("resource{}", op % scale.max(1));
        let item = format!("#/components/schemas/Object{}", (op * 4) % objects);
        let page = json!({
            "type": "object",
            "properties": {"items": {"type": "array", "items": {"$ref": item}}, "total": {"type": "integer", "minimum": 0}},
            "required": ["items", "total"]
        });
        paths.insert(
            format!("/{tag}/{op}/{{id}}/items"),
            json!({"get": {
                "operationId": format!("{tag}.list_{op}"),
                "tags": [tag],
                "summary": format!("List number {op}."),
                "x-pagination": {"page_param": "page", "items": "items", "total": "total"},
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 0}},
                    {"name": "filter", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "A page.", "content": {"application/json": {"schema": page}}}}
            }}),
        );
    }
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": format!("Synthetic {scale}"), "version": "1"},
        "servers": [{"url": "https://synthetic.example.com"}],
        "paths": Value::Object(paths),
        "components": {"schemas": Value::Object(schemas)}
    });
    document.to_string()
}

/// Parses and generates `text` with default settings: what the benchmarks measure.
///
/// # Errors
/// The generator's report, when it refuses the document.
pub fn generate(text: &str) -> Result<Vec<codegen::GeneratedFile>, String> {
    let document = codegen::Document::parse("synthetic.json", text).map_err(|e| e.to_string())?;
    codegen::generate(&document, &codegen::Settings::new("synthetic.json", "SYNTHETIC")).map_err(|e| e.to_string())
}
