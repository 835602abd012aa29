//! The crate generated from `tests/fixtures/zoo/openapi.json`, an API unrelated to Revox: the
//! generator's general features, exercised through the code it wrote.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use serde_json::{Value, json};
use tests::assert_json_eq;
use zoo::types::{Animal, AnimalStatus, Contact, Diet, Keeper, Species};

fn animal() -> Value {
    json!({
        "id": 7,
        "name": "Mei",
        "species": "red-panda",
        "diet": {"kind": "herbivore", "plants": ["bamboo"]},
        "nickname": null,
        "type": "mammal",
        "3d_scan": true,
        "extra": null,
        "mother": {
            "id": 3, "name": "Lan", "species": "red-panda", "nickname": "Big Lan", "mother": null,
            "diet": {"kind": "herbivore", "plants": []}
        },
        "keeper": {
            "name": "Ana", "contact": 4021,
            "mentor": {"name": "Bo", "contact": "bo@zoo.example.com", "team": [{"name": "Cy"}]}
        },
        "tags": {"zone": "asia"},
        "status": "in_quarantine"
    })
}

#[track_caller]
fn round_trip(value: &Value) -> Animal {
    let decoded: Animal = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_json_eq(&serde_json::to_value(&decoded).expect("encodes"), value);
    decoded
}

#[test]
fn recursion_through_ref_is_boxed_and_round_trips() {
    let animal = round_trip(&animal());
    let Some(Some(mother)) = &animal.mother else { panic!("a present mother") };
    assert_eq!(mother.name, "Lan");
    assert_eq!(mother.mother, Some(None), "a present null stays distinct from an absent key");
    let mentor: &Keeper = animal.keeper.as_ref().and_then(|k| k.mentor.as_deref()).expect("mentor");
    assert_eq!(mentor.team.as_ref().map(Vec::len), Some(1));
}

#[test]
fn absent_and_null_stay_distinct() {
    let mut value = animal();
    value.as_object_mut().expect("object").remove("mother");
    let animal = round_trip(&value);
    assert_eq!(animal.mother, None);
    assert_eq!(animal.extra, Some(Value::Null), "an optional any-value keeps a present null");
    assert_eq!(animal.nickname, None, "required and nullable");
}

#[test]
fn keywords_digits_and_colliding_enum_values_get_distinct_names() {
    let animal = round_trip(&animal());
    assert_eq!(animal.type_.as_deref(), Some("mammal"));
    assert_eq!(animal._3d_scan, Some(true));
    assert_eq!(animal.status, Some(AnimalStatus::InQuarantine2));
    assert_eq!(AnimalStatus::InQuarantine.as_str(), "in-quarantine");
    assert_eq!(Species::from("other"), Species::Other2, "a value named `other` is not the catch-all");
    assert_eq!(Species::from("okapi"), Species::Other("okapi".into()));
    assert_eq!(Species::_3ToedSloth.to_string(), "3-toed-sloth");
}

#[test]
fn tagged_and_untagged_unions() {
    let animal = round_trip(&animal());
    assert!(matches!(&animal.diet, Diet::Herbivore(h) if h.plants == ["bamboo"]));
    let keeper = animal.keeper.expect("keeper");
    assert_eq!(keeper.contact, Some(Contact::Integer(4021)));
    let carnivore: Diet =
        serde_json::from_value(json!({"kind": "carnivore", "meat_kg_per_day": 4.5})).expect("decodes");
    assert!(matches!(carnivore, Diet::Carnivore(ref c) if c.meat_kg_per_day == 4.5));
    assert_json_eq(
        &serde_json::to_value(&carnivore).expect("encodes"),
        &json!({"kind": "carnivore", "meat_kg_per_day": 4.5}),
    );
    for odd_tag in [json!(5), json!(null), json!({"nested": [true]}), json!(["a"])] {
        let object = json!({"kind": odd_tag, "plants": ["fern"]});
        let decoded: Diet = serde_json::from_value(object.clone()).expect("a non-string tag decodes");
        assert!(matches!(decoded, Diet::Other(_)), "{object}");
        assert_json_eq(&serde_json::to_value(&decoded).expect("encodes"), &object);
    }
    let missing: Diet = serde_json::from_value(json!({"plants": []})).expect("a missing tag decodes");
    assert!(matches!(missing, Diet::Other(_)));
    let unknown = json!({"kind": "photosynthesis", "lux": 300});
    let decoded: Diet = serde_json::from_value(unknown.clone()).expect("an unknown variant decodes");
    assert!(matches!(decoded, Diet::Other(_)));
    assert_json_eq(&serde_json::to_value(&decoded).expect("encodes"), &unknown);
}

#[test]
fn defaults_and_validation() {
    use zoo::Validate;
    let mut animal = round_trip(&animal());
    assert_eq!(animal.validate(), Ok(()));
    animal.name = "x".repeat(41);
    animal.legs = Some(1001);
    animal.weight_kg = Some(0.0);
    let error = animal.validate().expect_err("out of bounds");
    let paths: Vec<&str> = error.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["name", "legs", "weight_kg"]);
    assert!(error.to_string().contains("0 is at or below the exclusive minimum 0"), "{error}");
}

#[test]
fn operations_cover_paths_queries_and_empty_bodies() {
    let params = zoo::ListParams::new(0).species(Species::Lion).hungry(true);
    assert_eq!(params.page, 0);
    let _: zoo::types::AnimalId = std::num::NonZeroU64::MIN;
}
