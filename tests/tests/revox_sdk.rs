//! No property of `schema/revox.openapi.json` is stricter than the official Python SDK `revox`
//! 0.5.0 allows, checked offline against `tests/revox_sdk/sdk_models.json`.
//!
//! That file is what `tests/revox_sdk/check_strictness.py --write-summary` read from the SDK's
//! wheel with `ast`: for every class the SDK's operations reach, where it sits (operation, request
//! body, query or response, and the path to it) and, per field, whether the SDK requires it and
//! whether it allows `null`. The walk below is the script's, so that both report the same places.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use serde_json::Value;
use tests::root;

fn read(relative: &str) -> Value {
    let path = root().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `node` with every `$ref` followed.
fn deref<'a>(schema: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(target) = node.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap_or_default();
        node = &schema["components"]["schemas"][name];
    }
    node
}

/// The members of a union other than `null`, or the node itself.
fn non_null<'a>(schema: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    let node = deref(schema, node);
    match node.get("oneOf").or_else(|| node.get("anyOf")).and_then(Value::as_array) {
        Some(members) => members.iter().map(|m| deref(schema, m)).filter(|m| m["type"] != "null").collect(),
        None => vec![node],
    }
}

fn allows_null(schema: &Value, node: &Value) -> bool {
    let node = deref(schema, node);
    let union = ["oneOf", "anyOf"].iter().filter_map(|k| node.get(*k).and_then(Value::as_array)).flatten();
    node.as_object().is_some_and(serde_json::Map::is_empty)
        || node["type"] == "null"
        || node["type"].as_array().is_some_and(|types| types.iter().any(|t| t == "null"))
        || node["enum"].as_array().is_some_and(|values| values.contains(&Value::Null))
        || union.into_iter().any(|m| allows_null(schema, m))
}

fn operation<'a>(schema: &'a Value, id: &str) -> Option<&'a Value> {
    let paths = schema["paths"].as_object()?;
    paths.values().filter_map(Value::as_object).flat_map(|item| item.values()).find(|op| op["operationId"] == id)
}

/// The object schema at an entry's place (the query parameters read as one object).
fn locate(schema: &Value, entry: &Value) -> Result<Value, String> {
    let op = operation(schema, entry["operation"].as_str().unwrap_or_default()).ok_or("no operation")?;
    let mut node = match entry["place"].as_str() {
        Some("body") => &op["requestBody"]["content"]["application/json"]["schema"],
        Some("response") => &op["responses"]["200"]["content"]["application/json"]["schema"],
        _ => {
            let query: Vec<&Value> =
                op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "query").collect();
            let properties: serde_json::Map<String, Value> = query
                .iter()
                .map(|p| (p["name"].as_str().unwrap_or_default().to_owned(), p["schema"].clone()))
                .collect();
            let required: Vec<Value> =
                query.iter().filter(|p| p["required"] == true).map(|p| p["name"].clone()).collect();
            return Ok(serde_json::json!({"type": "object", "properties": properties, "required": required}));
        }
    };
    if node.is_null() {
        return Err(format!("no {}", entry["place"]));
    }
    for segment in entry["path"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        let candidates = non_null(schema, node);
        let next = match segment {
            "[]" => candidates.iter().find_map(|c| c.get("items")),
            "{}" => candidates.iter().find_map(|c| c.get("additionalProperties").filter(|a| a.is_object())),
            s if s.starts_with('|') => {
                let i: usize = s[1..].parse().map_err(|_| format!("bad segment {s:?}"))?;
                candidates.get(i).copied().filter(|_| candidates.len() > 1)
            }
            name => candidates.iter().find_map(|c| c["properties"].get(name)),
        };
        node = next.ok_or_else(|| format!("nothing at {segment:?}"))?;
    }
    let objects: Vec<&Value> = non_null(schema, node).into_iter().filter(|c| c.get("properties").is_some()).collect();
    match objects[..] {
        [object] => Ok(object.clone()),
        _ => Err("not one object".to_owned()),
    }
}

/// Every place where the schema is stricter than the SDK, and how many fields were compared.
fn stricter(schema: &Value, summary: &Value) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for entry in summary.as_array().into_iter().flatten() {
        let path: Vec<&str> = entry["path"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let place = if path.is_empty() { "(root)".to_owned() } else { path.join(".") };
        let at = format!("{} {} {place} ({})", entry["operation"], entry["place"], entry["sdk"]);
        let object = match locate(schema, entry) {
            Ok(object) => object,
            Err(error) => {
                problems.push(format!("{at}: {error}"));
                continue;
            }
        };
        let required: Vec<&str> =
            object["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        for (name, facts) in entry["fields"].as_object().into_iter().flatten() {
            checked += 1;
            let facts = facts.as_str().unwrap_or_default();
            let Some(property) = object["properties"].get(name) else {
                problems.push(format!("{at}: `{name}` is not in the schema"));
                continue;
            };
            if required.contains(&name.as_str()) && !facts.starts_with("required") {
                problems.push(format!("{at}: `{name}` is required in the schema, {facts} in the SDK"));
            }
            if facts.ends_with("nullable") && !allows_null(schema, property) {
                problems.push(format!("{at}: `{name}` is not nullable in the schema, {facts} in the SDK"));
            }
        }
    }
    (checked, problems)
}

#[test]
fn no_property_is_stricter_than_the_sdk() {
    let summary = read("tests/revox_sdk/sdk_models.json");
    let (checked, problems) = stricter(&read("schema/revox.openapi.json"), &summary);
    // Every class the SDK's 36 operations reach, every one of their fields.
    assert_eq!((summary.as_array().map(Vec::len), checked), (Some(774), 4112));
    assert!(problems.is_empty(), "{} stricter than the SDK:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_check_sees_a_required_or_non_nullable_property() {
    let summary = read("tests/revox_sdk/sdk_models.json");
    let mut schema = read("schema/revox.openapi.json");
    let call = &mut schema["components"]["schemas"]["Call"];
    call["required"].as_array_mut().expect("Call has required properties").push("assistant".into());
    call["properties"]["outcome_summary"] = serde_json::json!({"type": "string"});
    let (_, problems) = stricter(&schema, &summary);
    let at = "\"call.retrieve\" \"response\" call (\"call_retrieve_response.Call\")";
    assert!(
        problems.contains(&format!("{at}: `assistant` is required in the schema, optional, nullable in the SDK")),
        "{problems:#?}"
    );
    assert!(
        problems
            .contains(&format!("{at}: `outcome_summary` is not nullable in the schema, optional, nullable in the SDK")),
        "{problems:#?}"
    );
}

#[test]
fn every_sdk_operation_is_in_the_schema() {
    let summary = read("tests/revox_sdk/sdk_models.json");
    let schema = read("schema/revox.openapi.json");
    let mut ids: Vec<&str> = summary.as_array().into_iter().flatten().filter_map(|e| e["operation"].as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let missing: Vec<&&str> = ids.iter().filter(|id| operation(&schema, id).is_none()).collect();
    assert!(missing.is_empty(), "{missing:?}");
    let operations = schema["paths"]
        .as_object()
        .map_or(0, |paths| paths.values().filter_map(Value::as_object).map(|m| m.len()).sum());
    assert_eq!((ids.len(), operations), (36, 36));
}
