//! The soundness harness's plan (`tests/src/soundness.rs`): which schemas it checks, and with
//! which Rust type. The harness itself runs from `tests/soundness/check.sh`.

use serde_json::Value;
use tests::{read_fixture, soundness};

fn plan(fixture: &str) -> soundness::Plan {
    let text = read_fixture(fixture);
    let doc = codegen::Document::parse(fixture, &text).expect("parses");
    let api = codegen::lower(&doc, &codegen::Settings::new(fixture, "ZOO")).expect("lowers");
    soundness::plan(&api, "zoo")
}

fn rust_of<'a>(plan: &'a soundness::Plan, key: &str) -> Option<&'a str> {
    plan.targets.as_array()?.iter().find(|t| t["key"] == key).and_then(|t| t["rust"].as_str())
}

#[test]
fn components_are_checked_as_their_types_and_a_nullable_one_as_its_option_alias() {
    let plan = plan("zoo/openapi.json");
    assert_eq!(rust_of(&plan, "component:Tank"), Some("types::Tank"));
    assert_eq!(rust_of(&plan, "component:Warden"), Some("types::WardenOrNull"));
    assert_eq!(rust_of(&plan, "component:Reading"), Some("types::ReadingOrNull"));
    assert!(plan.checker.contains(r#""component:Warden" => check::<types::WardenOrNull>(text),"#));
    assert!(plan.checker.starts_with("// Written by `soundness plan`"));
    let keys: Vec<&str> = plan.targets.as_array().into_iter().flatten().filter_map(|t| t["key"].as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(keys, sorted, "one target per key, in order");
}

#[test]
fn an_inline_success_response_is_a_target_and_a_component_reference_is_not() {
    let plan = plan("shop/openapi.json");
    let responses: Vec<&Value> = plan
        .targets
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["key"].as_str().is_some_and(|k| k.starts_with("response:")))
        .collect();
    assert!(!responses.is_empty(), "the shop has inline response bodies");
    for target in responses {
        let pointer = target["pointer"].as_str().unwrap_or_default();
        assert!(pointer.starts_with("#/paths/"), "{target}");
        assert!(!target["rust"].as_str().unwrap_or_default().is_empty(), "{target}");
    }
}

#[test]
fn a_response_of_integers_outside_a_model_is_decoded_as_the_operation_does() {
    let plan = plan("shop/openapi.json");
    assert_eq!(
        rust_of(&plan, "response:GET /stock"),
        Some("codegen_runtime::codec::Integers<std::collections::BTreeMap<String, i32>>")
    );
}
