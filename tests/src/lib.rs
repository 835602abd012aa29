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

/// Runs the test `name` of the current test binary in a child process (set up by `command`, e.g.
/// with its environment) and checks that it ran exactly that one test and that it passed: a child
/// filtered to a name that no longer exists runs nothing and would pass.
///
/// # Panics
/// When the child cannot run, fails, or did not run exactly one test.
#[track_caller]
pub fn run_child_test(name: &str, command: impl FnOnce(&mut std::process::Command)) {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("no test binary: {e}"));
    let mut child = std::process::Command::new(exe);
    child.args(["--exact", name, "--test-threads", "1"]);
    command(&mut child);
    let output = child.output().unwrap_or_else(|e| panic!("the child does not run: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the child failed:\n{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(ran_one_test(&stdout, name), "the child did not run exactly `{name}`:\n{stdout}");
}

/// Whether libtest's output says it ran one test, `name`, and it passed.
fn ran_one_test(stdout: &str, name: &str) -> bool {
    let lines: Vec<&str> = stdout.lines().collect();
    lines.contains(&"running 1 test")
        && lines.contains(&format!("test {name} ... ok").as_str())
        && lines.iter().any(|line| line.starts_with("test result: ok. 1 passed; 0 failed;"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_child_that_ran_no_test_is_caught() {
        let renamed =
            "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 9 filtered out\n";
        assert!(!super::ran_one_test(renamed, "t"));
        let ran = "\nrunning 1 test\ntest t ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 9 filtered out; finished in 0.01s\n";
        assert!(super::ran_one_test(ran, "t"));
        assert!(!super::ran_one_test(ran, "u"));
    }
}
