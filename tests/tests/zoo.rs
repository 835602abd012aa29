//! The crate generated from `tests/fixtures/zoo/openapi.json`, an API unrelated to Revox: the
//! generator's general features, exercised through the code it wrote.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use serde_json::{Value, json};
use tests::{assert_json_eq, read_fixture};
use zoo::types::{A, Animal, AnimalStatus, Contact, D, Diet, E, Keeper, Mood, S, Self_, Species, Visitor};

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

fn zoo_client(server: &wiremock::MockServer) -> zoo::Client {
    zoo::Client::builder().api_key("zoo_key").base_url(format!("{}/v2", server.uri())).build().expect("valid")
}

/// Every operation of the zoo, called over loopback: the request on the wire, and the response.
#[tokio::test]
async fn every_operation_is_called_over_loopback() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let page = json!({"items": [animal()], "total": 1});
    Mock::given(method("GET"))
        .and(path("/v2/animals"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/animals/a%2Fb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(animal()))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v2/animals/7"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = zoo_client(&server);

    let params = zoo::ListParams::new(0).species(Species::RedPanda).hungry(true);
    let listed = client.animals().list(params).await.expect("list");
    assert_eq!(listed.items[0].name, "Mei");
    let got = client.animals().get("a/b").await.expect("get");
    assert_eq!(got, listed.items[0]);
    #[allow(deprecated)]
    let released: () = client.animals().release("7").await.expect("an empty 204");
    assert_eq!(released, ());

    let sent = server.received_requests().await.expect("recorded");
    let lines: Vec<String> = sent
        .iter()
        .map(|r| match r.url.query() {
            Some(query) => format!("{} {}?{query}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect();
    assert_eq!(
        lines,
        ["GET /v2/animals?page=0&species=red-panda&hungry=true", "GET /v2/animals/a%2Fb", "DELETE /v2/animals/7"]
    );
    // These operations declare no security requirement of their own: the document's global one
    // applies (a bearer token, or none), and this client has a key.
    for request in &sent {
        assert_eq!(request.headers.get("authorization").and_then(|v| v.to_str().ok()), Some("Bearer zoo_key"));
    }
}

/// A paginated operation whose path parameters are named `client`, `params` and `request`,
/// like the locals a generated method could use: it compiles, and walks its pages.
#[tokio::test]
async fn a_paginated_operation_with_hostile_path_parameter_names_walks_its_pages() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let page: u64 =
                request.url.query_pairs().find(|(k, _)| k == "page").map_or(0, |(_, v)| v.parse().unwrap_or(0));
            let keepers: Vec<Value> =
                (page * 2..(page * 2 + 2).min(3)).map(|i| json!({"name": format!("k{i}")})).collect();
            ResponseTemplate::new(200).set_body_json(json!({"keepers": keepers, "count": 3}))
        })
        .mount(&server)
        .await;
    let client = zoo_client(&server);
    let mut keepers = client.keepers().list_by_enclosure_all("north side", "p", 42, zoo::ListByEnclosureParams::new(0));
    let mut names = Vec::new();
    while let Some(keeper) = keepers.try_next().await.expect("a page") {
        names.push(keeper.name);
    }
    assert_eq!(names, ["k0", "k1", "k2"]);
    let paths: Vec<String> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or_default()))
        .collect();
    assert_eq!(
        paths,
        ["/v2/enclosures/north%20side/keepers/p/42?page=0", "/v2/enclosures/north%20side/keepers/p/42?page=1"]
    );
}

#[track_caller]
fn decode<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_json_eq(&serde_json::to_value(&decoded).expect("encodes"), value);
    decoded
}

/// Decodes through each entry point (the crate's `from_str`, `serde_json::from_slice`, whose
/// names are read as bytes, and `from_value`), which must agree, without comparing the encoding.
#[track_caller]
fn decode_only<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> T {
    let text = value.to_string();
    let decoded: T = zoo::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let from_slice: T = serde_json::from_slice(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let from_value: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}"));
    let encoded = serde_json::to_string(&decoded).expect("encodes");
    assert_eq!(serde_json::to_string(&from_slice).expect("encodes"), encoded);
    assert_eq!(serde_json::to_string(&from_value).expect("encodes"), encoded);
    decoded
}

#[test]
fn properties_named_like_the_decoders_locals_round_trip() {
    let value = json!({
        "key": "k", "map": 3, "value": null, "serializer": true, "deserializer": false, "self": "me",
        "crate": "c", "validator": "v", "f": "eff", "object": "o", "additional_properties": "declared",
        "mood": "Self", "undeclared": [1]
    });
    let s: S = decode(&value);
    assert_eq!((s.key.as_str(), s.map, s.value.as_deref()), ("k", 3, None));
    assert_eq!((s.serializer, s.deserializer), (Some(true), Some(false)));
    assert_eq!((s.self_.as_deref(), s.crate_.as_deref()), (Some("me"), Some("c")));
    assert_eq!((s.f.as_deref(), s.object.as_deref(), s.validator.as_deref()), (Some("eff"), Some("o"), Some("v")));
    assert_eq!(s.additional_properties.as_deref(), Some("declared"), "a declared property keeps its name");
    assert_eq!(s.additional_properties2.get("undeclared"), Some(&json!([1])), "the extras moved aside");
    assert_eq!(s.mood, Some(Mood::Self2));

    let missing = serde_json::from_value::<S>(json!({"map": 1, "value": "v"})).expect_err("`key` is required");
    assert!(missing.to_string().contains("key"), "{missing}");
    use zoo::Validate;
    let mut short = s;
    short.validator = Some(String::new());
    let error = short.validate().expect_err("`validator` has a minimum length");
    assert_eq!(error.violations.iter().map(|v| v.path.as_str()).collect::<Vec<_>>(), ["validator"]);
}

#[test]
fn types_named_like_generics_locals_and_keywords_decode() {
    assert_eq!(decode::<A>(&json!("x")), A::String("x".into()));
    assert_eq!(decode::<A>(&json!([1, 2])), A::Array(vec![1, 2]));
    assert!(matches!(decode::<A>(&json!({"k": "v"})), A::Object(m) if m["k"] == "v"));
    assert_eq!(decode::<D>(&json!(true)), D::Boolean(true));
    assert_eq!(decode::<D>(&json!(1.5)), D::Number(1.5));
    assert_eq!(decode::<E>(&json!("x")), E::String("x".into()));
    assert_eq!(decode::<E>(&json!(4)), E::Integer(4));
    assert_eq!(decode::<Visitor>(&json!("x")), Visitor::String("x".into()));
    assert!(matches!(decode::<Visitor>(&json!({"a": 1})), Visitor::Object(m) if m.get("a") == Some(&1)));
    let nested: Self_ = decode(&json!({"Self": "outer", "inner": {"Self": "inner"}}));
    assert_eq!(nested.inner.map(|i| i.self_), Some("inner".to_owned()));
    assert_eq!(Mood::from("self"), Mood::Self_);
    assert_eq!(Mood::from("a`b"), Mood::AB);
    assert_eq!(Mood::XY.as_str(), "x\u{202e}y", "a bidi control in a value stays data");
    assert_eq!(Mood::from("```rust"), Mood::Rust);
}

/// The hostile descriptions in the fixture (fences, `List<String>`, HTML, links, a bare CR, bidi
/// controls, indented code) are written as inert doc text. `cargo doc` with `-D warnings` and
/// `cargo test -p zoo --doc` (whose only doctests are the generator's own `no_run` examples)
/// check the rendering; this checks the source. The one fence allowed is the generator's
/// ```` ```no_run ```` example, built from sanitised identifiers only.
#[test]
fn schema_text_becomes_inert_doc_comments() {
    for file in ["zoo/src/types.rs", "zoo/src/operations.rs"] {
        let source = read_fixture(file);
        assert!(!source.contains('\r'), "{file}: a bare CR would not compile in a doc comment");
        let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!source.contains(bidi), "{file}: a bidi control would not compile");
        for tests::fuzzing::DocLine { line, text: doc, in_example, .. } in tests::fuzzing::doc_lines(&source) {
            if in_example {
                assert!(doc.is_ascii(), "{file}: an example holds only generated code: {line}");
                continue;
            }
            assert!(!doc.contains("    "), "{file}: four spaces could start an indented code block: {line}");
            assert!(!opens_fence(doc), "{file}: a doc line opens a fence: {line}");
            for tag in ["<script", "<b>", "</script"] {
                let raw = doc.match_indices(tag).any(|(i, _)| !doc[..i].ends_with('\\'));
                assert!(!raw, "{file}: raw HTML: {line}");
            }
        }
    }
    let types = read_fixture("zoo/src/types.rs");
    assert!(types.contains(r#"/// \`\`\`rust"#), "the fence is kept as visible text");
    assert!(types.contains(r"List\<String>") && types.contains("a `List<String>`"), "outside and inside code");
    assert!(types.contains(r"bidi override here: \\u{202e}evil"), "the bidi control is shown escaped");
    assert!(types.contains(r"\[a link\](Nowhere) or \[Nowhere\]"), "no intra-doc link to resolve");
}

/// Whether a Markdown line opens a fenced code block, also inside list items and quotes: three
/// backticks with no backtick after them (else it is a code span), or three tildes.
fn opens_fence(line: &str) -> bool {
    let mut line = line;
    while let Some(rest) = ["- ", "* ", "+ ", "> "].iter().find_map(|p| line.strip_prefix(p)) {
        line = rest.trim_start();
    }
    let fence = line.trim_start_matches('`');
    (line.len() - fence.len() >= 3 && !fence.contains('`')) || line.starts_with("~~~")
}

/// An object without declared properties keeps every key (found by `fuzz/compile-batch.sh`: its
/// decoder was a `match` with only `_`, which clippy refuses).
#[test]
fn an_object_without_properties_keeps_every_key() {
    let value = json!({"a": 1, "b": [2, {"c": null}]});
    let note: zoo::types::Note = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(note.additional_properties.len(), 2);
    assert_json_eq(&serde_json::to_value(&note).expect("encodes"), &value);
}

fn exhibit_json() -> Value {
    json!({
        "name": "Bamboo grove",
        "season": "spring",
        "enclosure": 4,
        "level": 2,
        "heated": true,
        "code": "A",
        "keeper": null,
        "opened": "2020"
    })
}

#[test]
fn all_of_merges_members_into_one_struct() {
    use zoo::types::{Exhibit, ExhibitAlias, ExhibitSeason, NightExhibit};
    let exhibit: Exhibit = decode(&exhibit_json());
    // `Named`'s properties and the second member's, `season` refined to an enum and required
    // by the list beside `allOf`; `opened`, required but never declared, is kept as undeclared.
    assert_eq!(exhibit.name, "Bamboo grove");
    assert_eq!(exhibit.season, ExhibitSeason::Spring);
    assert_eq!(exhibit.enclosure, 4);
    assert_eq!(exhibit.additional_properties.get("opened"), Some(&json!("2020")));
    // 3.0's `nullable` beside `allOf: [$ref]` in a 3.1 document: absent, null and a value.
    assert_eq!(exhibit.keeper, Some(None));
    let mut missing = exhibit_json();
    missing.as_object_mut().expect("object").remove("season");
    let error = serde_json::from_value::<Exhibit>(missing).expect_err("`season` is required beside `allOf`");
    assert!(error.to_string().contains("season"), "{error}");
    // Nested `allOf`, and a component that is `allOf` of one object: structs of their own, sharing
    // the inline enum declared once.
    let mut night = exhibit_json();
    night["lamp"] = json!(true);
    let night: NightExhibit = decode(&night);
    assert!(night.lamp);
    assert_eq!(night.season, ExhibitSeason::Spring);
    let alias: ExhibitAlias = decode(&exhibit_json());
    assert_eq!(alias.season, ExhibitSeason::Spring);
    // Bounds keep their place through the merge.
    let mut unnamed = exhibit.clone();
    unnamed.name = String::new();
    let error = zoo::Validate::validate(&unnamed).expect_err("`name` has a minimum length");
    assert_eq!(error.violations[0].path, "name");
}

#[test]
fn non_string_enums_are_their_scalar_type_with_documented_values() {
    use zoo::types::Exhibit;
    let exhibit: Exhibit = decode(&exhibit_json());
    assert_eq!(exhibit.level, Some(2));
    assert_eq!(exhibit.heated, Some(true));
    assert_eq!(exhibit.code, Some(json!("A")));
    let mut other = exhibit_json();
    other["code"] = json!(1);
    let decoded: Exhibit = decode(&other);
    assert_eq!(decoded.code, Some(json!(1)));
    let types = std::fs::read_to_string(tests::root().join("tests/fixtures/zoo/src/types.rs")).expect("readable");
    assert!(types.contains("Allowed values: `1`, `2`, `3`."), "the values are documented");
    assert!(types.contains("Allowed values: `1`, `\"A\"`, `null`."));
}

#[test]
fn any_of_is_an_untagged_union_and_any_of_with_null_a_nullable_one() {
    use zoo::types::{Label, Reading, Sighting, Species};
    assert_eq!(decode::<Reading>(&json!(3)), Reading::Integer(3));
    assert_eq!(decode::<Reading>(&json!("high")), Reading::String("high".into()));
    assert_eq!(decode::<Option<Reading>>(&json!(null)), None);
    // Overlapping objects: the first variant that decodes wins.
    assert!(matches!(decode::<Sighting>(&exhibit_json()), Sighting::Exhibit(_)));
    assert!(matches!(decode::<Sighting>(&json!({"name": "Lan"})), Sighting::Named(n) if n.name == "Lan"));
    // Tried exactly first: `null` is not a value of `Exhibit`'s optional `enclosure`, so `Named`
    // takes the object and keeps the `null` among its undeclared properties. Read leniently,
    // `Exhibit` would have taken it and dropped the `null`, a different value.
    let named: Sighting = decode(&json!({"name": "Lan", "enclosure": null}));
    assert!(matches!(&named, Sighting::Named(n) if n.additional_properties["enclosure"].is_null()), "{named:?}");
    // No variant takes a `null` for `season` exactly (`Exhibit` requires one of its values,
    // `Named` may leave it out): then leniently, the first that decodes.
    let lenient: Sighting = decode_only(&json!({"name": "Lan", "season": null}));
    assert!(matches!(&lenient, Sighting::Named(n) if n.season.is_none()), "{lenient:?}");
    // Overlapping strings (`oneOf` without a discriminator): the first variant, an open enum, takes all.
    assert_eq!(decode::<Label>(&json!("lion")), Label::Species(Species::Lion));
    assert_eq!(decode::<Label>(&json!("yak")), Label::Species(Species::Other("yak".into())));
}

#[test]
fn discriminator_mapping_names_the_tag_values() {
    use zoo::types::Feed;
    let hay: Feed = decode(&json!({"type": "hay", "bales": 3, "kg": 20.5}));
    assert!(matches!(&hay, Feed::Hay(h) if h.bales == Some(3) && h.kg == Some(20.5)));
    let fish: Feed = decode(&json!({"type": "fish-v2", "species": "herring"}));
    assert!(matches!(&fish, Feed::FishV2(f) if f.species.as_deref() == Some("herring")));
    // No mapping entry and no `const`: the component's name, as OpenAPI says.
    let pellets: Feed = decode(&json!({"type": "Pellets", "kg": 1.0}));
    assert!(matches!(&pellets, Feed::Pellets(p) if p.kg == Some(1.0)));
    let unknown: Feed = decode(&json!({"type": "fish", "species": "herring"}));
    assert!(matches!(unknown, Feed::Other(_)), "the component name is not a tag value when mapped");
    // Two tag values mapped to one schema: a variant each, holding the same struct, and the
    // variant writes its own tag back.
    let salmon = json!({"type": "salmon", "species": "atlantic"});
    let decoded: Feed = decode(&salmon);
    assert!(matches!(&decoded, Feed::Salmon(f) if f.species.as_deref() == Some("atlantic")));
    assert_eq!(serde_json::to_value(&decoded).expect("encodes"), salmon);
}

#[test]
fn integer_formats_pick_the_type_and_validation_keywords_are_checked_with_their_path() {
    use zoo::types::Tank;
    let value = json!({
        "code": "AQ-12",
        "fish": -3,
        "depth_cm": 120,
        "litres": 18_000_000_000u64,
        "salinity": 3.5,
        "pumps": 4,
        "species": ["cod", "eel"],
        "sensors": {"temperature": 11.5},
        "cleaned": "2024-05-01T10:00:00Z",
        "serial": "6f1c1d5e-6c1a-4b55-9f43-1f5b8f0f7e0a"
    });
    let tank: Tank = decode(&value);
    let (fish, depth, litres): (i32, Option<u32>, Option<u64>) = (tank.fish, tank.depth_cm, tank.litres);
    assert_eq!((fish, depth, litres), (-3, Some(120), Some(18_000_000_000)));
    assert_eq!(zoo::Validate::validate(&tank), Ok(()));

    // JSON Schema's integers (2020-12): a number with a zero fraction is one, whatever the type.
    let mut spelled = value.clone();
    for (key, number) in [("fish", json!(-3.0)), ("depth_cm", json!(1.2e2)), ("litres", json!(18_000_000_000.0))] {
        spelled[key] = number;
    }
    let same: Tank = decode_only(&spelled);
    assert_eq!((same.fish, same.depth_cm, same.litres), (-3, Some(120), Some(18_000_000_000)));
    // A fraction is not an integer: refused with its path.
    let mut fraction = value.clone();
    fraction["fish"] = json!(167.5);
    let error = zoo::from_str::<Tank>(&fraction.to_string()).expect_err("a fraction");
    assert_eq!(error.path, "fish");
    assert!(error.message.starts_with("invalid type: floating point `167.5`, expected i32"), "{}", error.message);

    // An integer without `format` or bounds is 128 bits: 2^63 and 2^64 are valid values; an
    // integer enum's type holds every declared value.
    let mut wide = value.clone();
    wide["volume"] = json!(9_223_372_036_854_775_808u64);
    wide["valve"] = json!(18_446_744_073_709_551_615u64);
    wide["filter"] = json!(18_446_744_073_709_551_615u64);
    let tank: Tank = decode(&wide);
    let (volume, valve, filter): (Option<i128>, Option<i128>, Option<::std::num::NonZeroU64>) =
        (tank.volume, tank.valve, tank.filter);
    assert_eq!((volume, valve, filter.map(|f| f.get())), (Some(1 << 63), Some(u64::MAX.into()), Some(u64::MAX)));
    let two_64: Tank = zoo::from_str(r#"{"code": "AQ-1", "fish": 1, "volume": 18446744073709551616, "valve": -1}"#)
        .expect("2^64 is an integer");
    assert_eq!((two_64.volume, two_64.valve), (Some(1 << 64), Some(-1)));
    assert_eq!(
        serde_json::to_string(&two_64).expect("encodes"),
        r#"{"code":"AQ-1","fish":1,"valve":-1,"volume":18446744073709551616}"#
    );

    // `int32` is enforced by the type when decoding, with the path.
    let mut too_big = value.clone();
    too_big["fish"] = json!(3_000_000_000u64);
    let error = zoo::from_str::<Tank>(&too_big.to_string()).expect_err("outside i32");
    assert!(error.to_string().contains("fish"), "{error}");

    // Every other keyword is reported by `Validate`, each with its path, never when decoding.
    let broken = json!({
        "code": "aq-12",
        "fish": 1,
        "depth_cm": 5,
        "salinity": 3.2,
        "pumps": 3,
        "species": ["cod", "eel", "cod", "ray"],
        "sensors": {},
        "colour": "blue"
    });
    let tank: Tank = decode(&broken);
    let error = zoo::Validate::validate(&tank).expect_err("every keyword is broken");
    let mut paths: Vec<&str> = error.violations.iter().map(|v| v.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["code", "colour", "depth_cm", "pumps", "salinity", "sensors", "species", "species"], "{error}");
    let text = error.to_string();
    for message in [
        "code: does not match the pattern `^[A-Z]{2}-[0-9]+$`",
        "colour: is not a declared property, and the object admits no others",
        "salinity: 3.2 is not a multiple of 0.5",
        "pumps: 3 is not a multiple of 2",
        "sensors: has 0 entries, fewer than the minimum 1",
        "species: has 4 items, more than the maximum 3",
        "species: items 0 and 2 are equal, but the items must be unique",
    ] {
        assert!(text.contains(message), "{message} in {text}");
    }
}

#[test]
fn prefix_items_are_an_array_of_their_union_bounded_when_closed() {
    use zoo::types::{Tank, TankLogItem};
    let value = json!({"code": "AQ-1", "fish": 0, "position": [1.5, -2.0], "log": ["filled", 3]});
    let tank: Tank = decode(&value);
    assert_eq!(tank.position, Some(vec![1.5, -2.0]));
    assert_eq!(tank.log, Some(vec![TankLogItem::String("filled".into()), TankLogItem::Integer(3)]));
    assert_eq!(zoo::Validate::validate(&tank), Ok(()));
    let long: Tank = decode(&json!({"code": "AQ-1", "fish": 0, "log": ["filled", 3, "drained"]}));
    let error = zoo::Validate::validate(&long).expect_err("`items: false` closes the tuple");
    assert_eq!(error.to_string(), "log: has 3 items, more than the maximum 2");
}

/// `additionalProperties` with a schema beside `properties`: the undeclared properties decode
/// into a typed map (inline value schemas get a type of their own), are checked by `Validate`,
/// survive `allOf`, and a value of the wrong type is a decode error naming its key.
#[test]
fn typed_additional_properties_beside_properties_decode_into_a_typed_map() {
    use zoo::types::{Permissions, PermissionsAdditionalProperty, Rooms, RoomsAdditionalProperty, Wing};
    let value = json!({"admin": false, "reptiles": "write", "birds": "read"});
    let permissions: Permissions = decode(&value);
    assert!(!permissions.admin);
    assert_eq!(permissions.additional_properties.get("reptiles"), Some(&PermissionsAdditionalProperty::Write));
    assert_eq!(permissions.additional_properties.len(), 2, "the declared property is not in the map");
    assert_json_eq(&serde_json::to_value(&permissions).expect("encodes"), &value);

    let error = zoo::from_str::<Permissions>(r#"{"admin": true, "fish": 3}"#).expect_err("a number is no access level");
    assert!(error.to_string().contains("fish"), "the path names the key: {error}");

    let rooms: Rooms = decode(&json!({"count": 1, "lobby": {"size": 40.5}}));
    assert_eq!(rooms.additional_properties.get("lobby"), Some(&RoomsAdditionalProperty::new(40.5)));
    let bad_size: Rooms = decode(&json!({"lobby": {"size": -1}}));
    let error = zoo::Validate::validate(&bad_size).expect_err("a negative size");
    assert_eq!(error.violations[0].path, "lobby.size", "{error}");

    let wing: Wing = decode(&json!({"wing": "east", "hall": {"size": 2}}));
    assert_eq!(wing.wing, "east");
    assert_eq!(wing.additional_properties["hall"].size, 2.0);
    let wing = Wing::new("west");
    assert_json_eq(&serde_json::to_value(&wing).expect("encodes"), &json!({"wing": "west"}));
}

/// A tagged-union variant also used on its own keeps its tag as a field: the union reads the tag
/// into it and lets it write the tag, once; the other variants keep theirs apart.
#[test]
fn a_tagged_variant_used_on_its_own_keeps_its_tag() {
    use zoo::types::{Feed, Stock};
    let value = json!({"type": "hay", "bales": 3});
    let feed: Feed = decode(&value);
    let Feed::Hay(hay) = &feed else { panic!("not hay: {feed:?}") };
    assert_eq!(hay.type_, "hay");
    assert_json_eq(&serde_json::to_value(&feed).expect("encodes"), &value);
    let text = serde_json::to_string(&feed).expect("encodes");
    assert_eq!(text.matches("\"type\"").count(), 1, "the tag is written once: {text}");

    let stock = json!({"hay": {"type": "hay", "kg": 2.0}, "feeds": [{"type": "fish-v2", "species": "cod"}, value]});
    let decoded: Stock = decode(&stock);
    assert_eq!(decoded.hay.as_ref().map(|h| h.type_.as_str()), Some("hay"));
    assert!(
        matches!(&decoded.feeds.as_deref(), Some([Feed::FishV2(f), Feed::Hay(_)]) if f.species.as_deref() == Some("cod"))
    );
    assert_json_eq(&serde_json::to_value(&decoded).expect("encodes"), &stock);
}

/// A tagged union decodes its variant in place once the tag is read, wherever the tag comes in
/// the object (first, as servers usually write it, in the middle or last), to the same value; a
/// variant that keeps its tag gets it, and an unknown tag keeps the whole object. An error after
/// the tag names its own path; one in a property read before the tag names the union, and the
/// property in the message.
#[test]
fn a_tagged_union_decodes_the_same_wherever_its_tag_comes() {
    use zoo::types::Feed;
    let orders = [
        [
            r#"{"type": "hay", "bales": 3, "kg": 2.5}"#,
            r#"{"bales": 3, "type": "hay", "kg": 2.5}"#,
            r#"{"bales": 3, "kg": 2.5, "type": "hay"}"#,
        ],
        [
            r#"{"type": "fish-v2", "species": "cod"}"#,
            r#"{"species": "cod", "type": "fish-v2"}"#,
            r#"{"species": "cod", "type": "fish-v2"}"#,
        ],
        [
            r#"{"type": "krill", "tons": 1}"#,
            r#"{"tons": 1, "type": "krill", "x": []}"#,
            r#"{"tons": 1, "x": [], "type": "krill"}"#,
        ],
    ];
    for texts in orders {
        let decoded: Vec<Feed> =
            texts.iter().map(|text| zoo::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))).collect();
        let expected: Feed = serde_json::from_str(texts[2]).expect("decodes");
        if !texts[0].contains("krill") {
            assert!(decoded.iter().all(|d| *d == expected), "{decoded:?}");
        }
        for (text, feed) in texts.iter().zip(&decoded) {
            let again: Value = serde_json::to_value(feed).expect("encodes");
            assert_json_eq(&again, &serde_json::from_str(text).expect("JSON"));
        }
    }
    let Ok(Feed::Hay(hay)) = zoo::from_str::<Feed>(r#"{"type": "hay", "bales": 3}"#) else { panic!("hay") };
    assert_eq!((hay.type_.as_str(), hay.bales), ("hay", Some(3)));

    let error = zoo::from_str::<Feed>(r#"{"type": "fish-v2", "species": 3}"#).expect_err("not a string");
    assert_eq!(error.path, "species");
    assert!(error.message.starts_with("invalid type: integer `3`"), "{}", error.message);
    let error = zoo::from_str::<Feed>(r#"{"species": 3, "type": "fish-v2"}"#).expect_err("not a string");
    assert_eq!(error.path, "");
    assert!(error.message.starts_with("species: invalid type: integer `3`"), "{}", error.message);
    let error = zoo::from_str::<Feed>(r#"{"kg": [1, "x"], "type": "hay"}"#).expect_err("not a number");
    assert!(error.message.starts_with("kg: invalid type: sequence"), "{}", error.message);
}

/// The zoo is generated with typed formats: `date-time`, `date` and `uuid` strings decode into
/// the runtime's `DateTime`, `Date` and `Uuid`, encode back as the same text, and a value not in
/// its format fails decoding with its path.
#[test]
fn typed_formats_decode_encode_and_refuse_bad_text_with_the_path() {
    use zoo::types::{AnimalVaccinationsItem, Tank};
    let tank: Tank = decode(&json!({
        "code": "AQ-1", "fish": 1, "cleaned": "2024-05-01T10:00:00Z", "serial": "6f1c1d5e-6c1a-4b55-9f43-1f5b8f0f7e0a"
    }));
    let cleaned = tank.cleaned.expect("present");
    assert_eq!((cleaned.0.year(), u8::from(cleaned.0.month()), cleaned.0.hour()), (2024, 5, 10));
    assert_eq!(tank.serial.expect("present").to_string(), "6f1c1d5e-6c1a-4b55-9f43-1f5b8f0f7e0a");
    let encoded = serde_json::to_value(&tank).expect("encodes");
    assert_eq!(encoded["cleaned"], "2024-05-01T10:00:00Z");

    let item: AnimalVaccinationsItem = decode(&json!({"vaccine": "rabies", "on": "2023-11-30"}));
    assert_eq!(item.on.to_string(), "2023-11-30");
    let error = zoo::from_str::<AnimalVaccinationsItem>(r#"{"vaccine": "rabies", "on": "30/11/2023"}"#)
        .expect_err("not a date");
    assert!(error.to_string().contains("on"), "the path names the field: {error}");
    let error = zoo::from_str::<Tank>(r#"{"code": "AQ-1", "fish": 1, "serial": "not-a-uuid"}"#).expect_err("no uuid");
    assert!(error.to_string().contains("serial"), "{error}");
}

#[test]
fn untagged_unions_read_integers_with_a_zero_fraction() {
    use zoo::types::{A, Contact, Visitor};
    let contact: Contact = decode_only(&json!(42.0));
    assert_eq!(contact, Contact::Integer(42));
    let list: A = decode_only(&json!([1.0, 2, 3e0]));
    assert_eq!(list, A::Array(vec![1, 2, 3]));
    let visitor: Visitor = decode_only(&json!({"adults": 2.0}));
    assert_eq!(visitor, Visitor::Object([("adults".to_owned(), 2)].into()));
    let error = zoo::from_str::<Contact>("42.5").expect_err("a fraction is no integer");
    assert!(error.message.contains("floating point `42.5`"), "{}", error.message);
}

#[test]
fn a_nullable_component_decodes_null_as_its_option_alias() {
    use zoo::types::{Reading, ReadingOrNull, Warden, WardenOrNull};
    // The component on its own, `null` included (a stored value, a webhook's body).
    let none: WardenOrNull = zoo::from_str("null").expect("null is a valid `Warden`");
    assert_eq!(none, None);
    let some: WardenOrNull = decode_only(&json!({"name": "Ada", "since": 2019.0}));
    assert_eq!(some.as_ref().map(|w| (w.name.as_str(), w.since)), Some(("Ada", Some(2019))));
    // The type of the non-null shape keeps the component's fields, and refuses `null`.
    let error = zoo::from_str::<Warden>("null").expect_err("the struct is the non-null shape");
    assert!(error.message.contains("invalid type: null"), "{}", error.message);
    // A nullable union alike.
    let reading: ReadingOrNull = zoo::from_str("null").expect("null is a valid `Reading`");
    assert_eq!(reading, None);
    assert_eq!(zoo::from_str::<ReadingOrNull>("7").expect("a reading"), Some(Reading::Integer(7)));
}

#[test]
fn a_tagged_variant_encoded_on_its_own_writes_its_one_tag_value() {
    use zoo::types::{Carnivore, Diet};
    // Decoded on its own (a stored value), the variant skips its tag and writes it back.
    let value = json!({"kind": "carnivore", "meat_kg_per_day": 4.5});
    let carnivore: Carnivore = decode_only(&value);
    assert_eq!(serde_json::to_value(&carnivore).expect("encodes"), value);
    // Inside its union, the tag is written once, by the union.
    let diet = Diet::Carnivore(carnivore);
    assert_eq!(serde_json::to_string(&diet).expect("encodes"), r#"{"kind":"carnivore","meat_kg_per_day":4.5}"#);
}
