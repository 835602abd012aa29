//! Helpers for the generated `schemars::JsonSchema` impls (the `schemars` feature).

use schemars::{Schema, SchemaGenerator};
use serde_json::Value;

/// How a generated impl asks for another type's subschema (usually a `$ref` into the
/// generator's definitions).
pub type Subschema = fn(&mut SchemaGenerator) -> Schema;

/// A schema from a generated template: JSON in which `{"$ref": "TypeName", …}` stands for the
/// subschema of `TypeName`, with the other keywords beside the `$ref` kept.
pub fn from_template(generator: &mut SchemaGenerator, template: &str, references: &[(&str, Subschema)]) -> Schema {
    // The templates are written by the generator from a parsed document, so they are valid JSON.
    let mut value: Value = serde_json::from_str(template).unwrap_or(Value::Bool(true));
    resolve(&mut value, generator, references);
    Schema::try_from(value).unwrap_or_default()
}

fn resolve(value: &mut Value, generator: &mut SchemaGenerator, references: &[(&str, Subschema)]) {
    match value {
        Value::Object(object) => {
            let target = object.get("$ref").and_then(Value::as_str);
            if let Some((_, subschema)) = references.iter().find(|(name, _)| Some(*name) == target) {
                object.remove("$ref");
                let mut resolved = subschema(generator).to_value();
                if let Value::Object(resolved) = &mut resolved {
                    resolved.extend(std::mem::take(object));
                }
                *value = resolved;
                return;
            }
            object.values_mut().for_each(|v| resolve(v, generator, references));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| resolve(v, generator, references)),
        _ => {}
    }
}
