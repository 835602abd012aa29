//! A check that no fallback is silent: on every document of the corpus and the fixtures, each
//! schema read as any JSON value that the document gives a shape, and each operation the
//! document declares but the parsed spec lacks, has a warning at or below its place.

use serde_json::Value;

use super::{Document, Kind, Schema, refs};

/// Whether the JSON written at a schema's place constrains values: read as any JSON value, it
/// must then have a warning.
fn has_shape(value: &Value) -> bool {
    let Value::Object(map) = value else { return false };
    let open = |v: &Value| v == &Value::Bool(true) || v.as_object().is_some_and(|m| m.is_empty());
    ["type", "properties", "items", "prefixItems", "enum", "const", "$ref", "allOf", "anyOf", "oneOf"]
        .iter()
        .any(|key| map.contains_key(*key))
        || map.get("additionalProperties").is_some_and(|v| !open(v))
}

/// Every schema in `schema`, but the ones the parser made at its parent's place (the values of
/// a bare `type: object`, the inside of a nullable), which say nothing of their own.
fn schemas<'s>(schema: &'s Schema, out: &mut Vec<&'s Schema>) {
    if out.last().is_none_or(|last: &&Schema| last.pointer != schema.pointer) {
        out.push(schema);
    }
    schema.children().into_iter().for_each(|child| schemas(child, out));
}

/// The places where `doc` read something in a weaker way without saying so.
fn silent_fallbacks(doc: &Document, value: &Value) -> Vec<String> {
    let warned = |pointer: &str| {
        doc.warnings.iter().any(|w| w.location == pointer || w.location.starts_with(&format!("{pointer}/")))
    };
    let lookup = |pointer: &str| refs::local(pointer).ok().and_then(|target| refs::lookup(value, &target.tokens));
    let mut all = Vec::new();
    doc.spec.schemas.values().for_each(|s| schemas(s, &mut all));
    doc.spec.operations.iter().flat_map(super::OperationSpec::schemas).for_each(|s| schemas(s, &mut all));
    // A schema that is only references (`$ref`, `allOf` of them) to a place read as any JSON value
    // is that value, said where it is written.
    let refers_to_warned = |json: &Value| {
        let direct = json.get("$ref").into_iter();
        let members = json.get("allOf").and_then(Value::as_array).into_iter().flatten().filter_map(|m| m.get("$ref"));
        direct.chain(members).filter_map(Value::as_str).any(|target| {
            refs::local(target).is_ok_and(|t| warned(t.pointer.as_str()) || lookup(t.pointer.as_str()).is_none())
        })
    };
    let mut silent: Vec<String> = all
        .into_iter()
        .filter(|s| s.kind == Kind::Any)
        .filter(|s| lookup(s.pointer.as_str()).is_some_and(|json| has_shape(json) && !refers_to_warned(json)))
        .map(|s| s.pointer.to_string())
        .filter(|pointer| !warned(pointer))
        .collect();
    if let Some(Value::Object(paths)) = value.get("paths") {
        for (path, item) in paths.iter().filter(|(path, _)| path.starts_with('/')) {
            let Value::Object(item) = item else { continue };
            let path_at = crate::error::Pointer::root().join("paths").join(path);
            for method in item.keys().filter(|m| super::operations::HTTP_METHODS.contains(&m.as_str())) {
                let at = path_at.join(method);
                let read = doc.spec.operations.iter().any(|op| op.pointer == at);
                if !read && !warned(at.as_str()) && !warned(path_at.as_str()) {
                    silent.push(at.to_string());
                }
            }
        }
    }
    silent
}

#[test]
fn no_fallback_is_silent() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut checked = 0;
    let mut problems = Vec::new();
    for dir in ["corpus", "bad", "documents"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.display().to_string();
            if ![".json", ".yaml", ".yml"].iter().any(|ext| name.ends_with(ext)) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            // A refused document is loud; one that does not read as JSON or YAML too.
            let Ok(doc) = Document::parse(&name, &text) else { continue };
            let value = match text.trim_start().starts_with('{') {
                true => serde_json::from_str(&text).ok(),
                false => super::yaml::read(&text).ok().map(|(value, _)| value),
            };
            let Some(value) = value else { continue };
            checked += 1;
            problems.extend(silent_fallbacks(&doc, &value).into_iter().map(|at| format!("{name}: {at}")));
        }
    }
    assert!(checked > 60, "only {checked} documents checked");
    assert!(problems.is_empty(), "fallbacks taken without a warning:\n{}", problems.join("\n"));
}
