//! Schema → Rust → schema: the JSON Schema every generated type gives of itself (through
//! `schemars`) is the component it was generated from.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::collections::BTreeSet;

use serde_json::Value;
use tests::{assert_json_eq, root};

/// `$ref`s in the document's form, descriptions with whitespace collapsed, `required` as a set
/// (an empty one, which a type with no required property writes, as none).
fn normalize(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, v)| !(key.as_str() == "required" && v.as_array().is_some_and(Vec::is_empty)))
                .map(|(key, v)| {
                    let v = match (key.as_str(), v) {
                        ("$ref", Value::String(r)) => Value::from(r.replace("#/$defs/", "#/components/schemas/")),
                        ("description", Value::String(d)) => {
                            Value::from(d.split_whitespace().collect::<Vec<_>>().join(" "))
                        }
                        ("required", Value::Array(names)) => {
                            let mut names: Vec<&Value> = names.iter().collect();
                            names.sort_by_key(|n| n.as_str().unwrap_or_default().to_owned());
                            Value::from(names.into_iter().cloned().collect::<Vec<_>>())
                        }
                        _ => normalize(v),
                    };
                    (key.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_revox_component_describes_itself_as_the_document_does() {
    let text = std::fs::read_to_string(root().join("schema/revox.openapi.json")).expect("readable");
    let document: Value = serde_json::from_str(&text).expect("JSON");
    let components = document["components"]["schemas"].as_object().expect("components");

    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let produced = revox::types::component_schemas(&mut generator);

    let names: BTreeSet<&str> = produced.keys().copied().collect();
    let expected: BTreeSet<&str> = components.keys().map(String::as_str).collect();
    assert_eq!(names, expected, "every component has a type");
    for (name, schema) in &produced {
        eprintln!("comparing {name}");
        assert_json_eq(&normalize(schema.as_value()), &normalize(&components[*name]));
    }
    // Every reference lands on a definition that is, again, the document's component.
    let definitions = generator.definitions();
    assert!(!definitions.is_empty());
    for (name, definition) in definitions {
        assert_json_eq(&normalize(definition), &normalize(&components[name.as_str()]));
    }
}

#[test]
fn a_root_schema_is_self_contained() {
    let schema = schemars::schema_for!(revox::types::CampaignGetRowsResponse);
    let value = schema.as_value();
    assert_eq!(value["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let definitions = value["$defs"].as_object().expect("definitions");
    for name in ["Row", "Call", "Assistant", "LlmModel", "LlmModelOpenRouter", "RowsResult"] {
        if name == "RowsResult" {
            // A query-parameter enum: not reachable from the response.
            assert!(!definitions.contains_key(name));
        } else {
            assert!(definitions.contains_key(name), "{name} missing from $defs");
        }
    }
}

/// The zoo's `allOf` components are not compared with the document (which writes `allOf`): the
/// type is the merged object, and describes itself as such, which is the schema the document
/// means (every member's properties, the union of the `required` lists).
#[test]
fn an_all_of_component_describes_itself_as_its_merged_object() {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let produced = zoo::types::component_schemas(&mut generator);
    let exhibit = produced["Exhibit"].as_value();
    assert!(exhibit.get("allOf").is_none(), "{exhibit}");
    assert_eq!(exhibit["type"], "object");
    let properties: BTreeSet<&str> =
        exhibit["properties"].as_object().expect("properties").keys().map(String::as_str).collect();
    let expected = ["code", "enclosure", "heated", "keeper", "level", "name", "season"];
    assert_eq!(properties, expected.into_iter().collect(), "`Named`'s properties and the second member's");
    let required: BTreeSet<&str> =
        exhibit["required"].as_array().expect("required").iter().filter_map(Value::as_str).collect();
    // `opened`, required beside the list but declared nowhere, is not a property of the type.
    assert_eq!(required, ["enclosure", "name", "season"].into_iter().collect());
    // The refined `season` is the enum (inline, as inline types are), with both members' bounds.
    assert_eq!(exhibit["properties"]["season"]["enum"], serde_json::json!(["spring", "autumn"]));
    // `anyOf` stays `anyOf`.
    assert!(produced["Sighting"].as_value().get("anyOf").is_some());
}
