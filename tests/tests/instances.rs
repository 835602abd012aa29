//! Schema-driven instance testing: thousands of JSON documents generated from the OpenAPI
//! description itself (not from the generator's IR) must decode into the generated types and
//! encode back unchanged; every mutation of them must fail at the mutated path, or be accepted
//! where the crate deliberately accepts more than the schema, or be flagged by `Validate`.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::cell::Cell;

use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use serde_json::Value;
use tests::instances::{Expected, Mutation, Schemas};
use tests::{numbers_as_f64, root};

/// A generated crate's root type, seen through closures so that one driver serves both crates.
struct Target {
    schema: &'static str,
    component: &'static str,
    /// Decodes and re-encodes, or returns the error's path and message.
    round_trip: fn(&str) -> Result<Value, (String, String)>,
    /// The paths `Validate` reports for a document that decodes.
    violations: fn(&str) -> Vec<String>,
}

const REVOX: Target = Target {
    schema: "schema/revox.openapi.json",
    component: "CampaignGetRowsResponse",
    round_trip: |text| {
        let decoded: revox::types::CampaignGetRowsResponse =
            revox::from_str(text).map_err(|e| (e.path.clone(), e.message.clone()))?;
        // Through text: a `Value` cannot hold an integer beyond 64 bits (`u128`).
        Ok(serde_json::from_str(&serde_json::to_string(&decoded).expect("encodes")).expect("JSON"))
    },
    violations: |text| {
        use revox::Validate;
        let decoded: revox::types::CampaignGetRowsResponse = revox::from_str(text).expect("decodes");
        decoded.validate().err().map(|e| e.violations.into_iter().map(|v| v.path).collect()).unwrap_or_default()
    },
};

const ZOO: Target = Target {
    schema: "tests/fixtures/zoo/openapi.json",
    component: "AnimalPage",
    round_trip: |text| {
        let decoded: zoo::types::AnimalPage = zoo::from_str(text).map_err(|e| (e.path.clone(), e.message.clone()))?;
        // Through text: a `Value` cannot hold an integer beyond 64 bits (`u128`).
        Ok(serde_json::from_str(&serde_json::to_string(&decoded).expect("encodes")).expect("JSON"))
    },
    violations: |text| {
        use zoo::Validate;
        let decoded: zoo::types::AnimalPage = zoo::from_str(text).expect("decodes");
        decoded.validate().err().map(|e| e.violations.into_iter().map(|v| v.path).collect()).unwrap_or_default()
    },
};

fn schemas(target: &Target) -> Schemas {
    let text = std::fs::read_to_string(root().join(target.schema)).expect("readable schema");
    Schemas::new(&serde_json::from_str(&text).expect("JSON"))
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("fixtures/regressions/proptest-seeds.txt"))),
        ..Config::default()
    })
}

fn valid_instances_round_trip(target: &Target, cases: u32) {
    let schemas = schemas(target);
    let strategy = schemas.instances(&schemas.component(target.component));
    let result = runner(cases).run(&strategy, |value| {
        let text = value.to_string();
        let encoded = (target.round_trip)(&text)
            .map_err(|(path, message)| TestCaseError::fail(format!("refused at `{path}`: {message}\n{text}")))?;
        if numbers_as_f64(&encoded) != numbers_as_f64(&value) {
            return Err(TestCaseError::fail(format!("changed by a round trip:\n{text}\n{encoded}")));
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{}: {e}", target.component);
    }
    eprintln!("{}: {cases} valid instances decoded and round-tripped", target.component);
}

#[test]
fn valid_revox_instances_decode_and_round_trip() {
    valid_instances_round_trip(&REVOX, 2000);
}

#[test]
fn valid_zoo_instances_decode_and_round_trip() {
    valid_instances_round_trip(&ZOO, 1000);
}

/// Checks one mutation; `Err` describes the mismatch.
fn check(target: &Target, mutation: &Mutation) -> Result<(), String> {
    let text = mutation.instance.to_string();
    let outcome = (target.round_trip)(&text);
    match (&mutation.expected, outcome) {
        (Expected::Rejected { at }, Err((path, _))) if path == *at => Ok(()),
        (Expected::Accepted { .. }, Ok(_)) => Ok(()),
        (Expected::Invalid { at }, Ok(_)) => {
            let violations = (target.violations)(&text);
            if violations.contains(at) { Ok(()) } else { Err(format!("`Validate` reported {violations:?}")) }
        }
        (_, Err((path, message))) => Err(format!("refused at `{path}`: {message}")),
        (_, Ok(_)) => Err("accepted".to_owned()),
    }
}

fn mutations_fail_at_their_path(target: &Target, instances: u32) {
    let schemas = schemas(target);
    let root_schema = schemas.component(target.component);
    let strategy = schemas.instances(&root_schema);
    let (tried, accepted, invalid) = (Cell::new(0usize), Cell::new(0usize), Cell::new(0usize));
    let result = runner(instances).run(&strategy, |value| {
        for mutation in schemas.mutations(&root_schema, &value) {
            tried.set(tried.get() + 1);
            match mutation.expected {
                Expected::Accepted { .. } => accepted.set(accepted.get() + 1),
                Expected::Invalid { .. } => invalid.set(invalid.get() + 1),
                Expected::Rejected { .. } => {}
            }
            check(target, &mutation).map_err(|problem| {
                TestCaseError::fail(format!(
                    "{} (expected {:?}): {problem}\n{}",
                    mutation.description, mutation.expected, mutation.instance
                ))
            })?;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{}: {e}", target.component);
    }
    let (tried, accepted, invalid) = (tried.get(), accepted.get(), invalid.get());
    eprintln!(
        "{}: {tried} mutations of {instances} instances: {} rejected at their path, {invalid} flagged by Validate, \
         {accepted} accepted by design",
        target.component,
        tried - accepted - invalid
    );
    assert!(tried > 1000, "only {tried} mutations");
}

#[test]
fn revox_mutations_fail_at_their_path() {
    mutations_fail_at_their_path(&REVOX, 100);
}

#[test]
fn zoo_mutations_fail_at_their_path() {
    mutations_fail_at_their_path(&ZOO, 100);
}

/// Every document in `tests/fixtures/regressions/` (cases the property tests once found) decodes
/// and round-trips. Seeds of future failures are appended to `proptest-seeds.txt` there and
/// replayed first by the tests above.
#[test]
fn regression_fixtures_round_trip() {
    let dir = root().join("tests/fixtures/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("regressions dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("readable");
            let value: Value = serde_json::from_str(&text).expect("JSON");
            let encoded = (REVOX.round_trip)(&text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            assert_eq!(numbers_as_f64(&encoded), numbers_as_f64(&value), "{}", path.display());
            count += 1;
        }
    }
    assert!(count > 0, "no regression fixtures");
}
