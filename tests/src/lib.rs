//! Shared helpers for the workspace's tests: fixture paths and JSON comparison.

// Test helpers report a broken fixture or a failed comparison by panicking, as assertions do.
#![allow(clippy::panic)]

pub mod fuzzing;
pub mod instances;
pub mod soundness;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The project root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// A file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    root().join("tests/fixtures").join(relative)
}

/// The text of a file under `tests/fixtures/`.
///
/// # Panics
/// When the fixture cannot be read: a broken test setup.
#[track_caller]
pub fn read_fixture(relative: &str) -> String {
    let path = fixture(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

/// `value` with every number as `f64`, so that `0` and `0.0` compare equal.
pub fn numbers_as_f64(value: &Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), numbers_as_f64(v))).collect()),
        other => other.clone(),
    }
}

/// Asserts two JSON values are equal, numbers compared numerically, with a readable diff.
///
/// # Panics
/// When they differ.
#[track_caller]
pub fn assert_json_eq(actual: &Value, expected: &Value) {
    let (a, e) = (numbers_as_f64(actual), numbers_as_f64(expected));
    if a != e {
        let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
        let (expected, actual) = (pretty(&e), pretty(&a));
        let diff = similar::TextDiff::from_lines(&expected, &actual);
        panic!("JSON differs:\n{}", diff.unified_diff().context_radius(3).header("expected", "actual"));
    }
}

/// JSON text with every object's keys in reverse order: the same document, shuffled.
pub fn reversed_keys(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let entries: Vec<String> =
                map.iter().rev().map(|(k, v)| format!("{}:{}", Value::String(k.clone()), reversed_keys(v))).collect();
            format!("{{{}}}", entries.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(reversed_keys).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}
