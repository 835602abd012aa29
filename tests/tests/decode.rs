//! The generated models against real-shaped responses: what decodes, what round-trips, and what
//! fails with a path.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use revox::types::{
    Call, CallAttemptResult, CallStatus, CampaignGetRowsResponse, LlmModel,
    LlmModelDedicatedInstanceName as DedicatedInstanceModel, Row, TranscriptEntryRole as TranscriptRole,
    TranscriptEntryToolArguments as ToolArguments,
};
use serde_json::{Value, json};
use tests::{assert_json_eq, read_fixture};

fn decode(name: &str) -> (Value, CampaignGetRowsResponse) {
    let text = read_fixture(&format!("responses/{name}.json"));
    let value: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let decoded = revox::from_str::<CampaignGetRowsResponse>(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    (value, decoded)
}

/// A row's call (absent, `null` or a call: `Option<Option<Box<Call>>>`).
#[track_caller]
fn call_of(row: &Row) -> &Call {
    row.call.as_ref().and_then(Option::as_deref).unwrap_or_else(|| panic!("row {} has no call", row.id))
}

#[track_caller]
fn round_trip(name: &str) -> CampaignGetRowsResponse {
    let (value, decoded) = decode(name);
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_json_eq(&encoded, &value);
    let again: CampaignGetRowsResponse = serde_json::from_value(encoded).expect("decodes again");
    assert_eq!(again, decoded);
    decoded
}

#[test]
fn the_seed_example_round_trips() {
    let page = round_trip("seed");
    let call = call_of(&page.rows[0]);
    assert_eq!(call.status, CallStatus::Initializing);
    assert!(matches!(
        &call.llm_model,
        LlmModel::DedicatedInstance(m) if m.name == DedicatedInstanceModel::Gpt4_1
    ));
    assert_eq!(call.call_attempts[0].result, Some(Some(CallAttemptResult::Ivr)));
}

#[test]
fn a_realistic_page_round_trips() {
    let page = round_trip("realistic");
    assert_eq!(page.rows.len(), 3);
    assert!(page.rows[1].call.is_none(), "a row without a call");
    let call = call_of(&page.rows[0]);
    assert!(matches!(&call.llm_model, LlmModel::Openrouter(m) if m.openrouter_provider == "azure"));
    assert_eq!(call.scheduled_at, Value::Null);
    assert_eq!(call.call_retry_config, Some(None));
    let attempt = &call.call_attempts[0];
    let transcript = attempt.transcript.as_ref().and_then(Option::as_ref).expect("transcript");
    assert!(matches!(&transcript[2].tool_arguments, Some(Some(ToolArguments::Object(o))) if o.contains_key("nested")));
    assert!(matches!(&transcript[3].tool_arguments, Some(Some(ToolArguments::String(s))) if s.contains("raw")));
    assert_eq!(call.call_attempts[1].result, Some(None));
    assert_eq!(page.rows[0].input_data["note"], "日本語のメモ 📞");
    let queued = call_of(&page.rows[2]);
    assert_eq!(queued.last_call_attempt, Some(None));
    assert_eq!(queued.status, CallStatus::QueuedForCalling);
}

/// A voice transcript: spoken turns carry no tool fields, tool turns carry them (and may leave
/// some out). This is what every campaign that made a call returns.
#[test]
fn transcripts_mixing_spoken_and_tool_turns_round_trip() {
    let page = round_trip("transcript_mixed");
    let call = call_of(&page.rows[0]);
    let transcript = call.call_attempts[0].transcript.as_ref().and_then(Option::as_ref).expect("transcript");
    let spoken = &transcript[0];
    assert_eq!(spoken.role, TranscriptRole::Assistant);
    assert_eq!((&spoken.tool_arguments, &spoken.tool_is_error, &spoken.tool_name), (&None, &None, &None));
    let lookup = &transcript[1];
    assert_eq!(lookup.tool_name, Some(Some("lookup_contact".to_owned())));
    assert_eq!(lookup.tool_is_error, None, "a tool turn without `tool_is_error`");
    assert!(matches!(&lookup.tool_arguments, Some(Some(ToolArguments::Object(o))) if o["phone"] == "+33612345678"));
    assert_eq!(transcript.last().expect("turns").tool_name, None);
}

/// Every property the official SDK 0.5.0 types `Optional[...] = None` may be left out *or* be
/// `null` (see schema/README.md): `null` decodes as `Some(None)` and encodes back as `null`.
#[test]
fn properties_the_api_may_send_as_null_round_trip() {
    let page = round_trip("optional_null");
    let call = call_of(&page.rows[0]);
    assert_eq!((&call.campaign, &call.metadata), (&Some(None), &Some(None)));
    let assistant = call.assistant.as_ref().and_then(Option::as_ref).expect("assistant");
    assert_eq!((&assistant.voice, &assistant.structured_output_config), (&Some(None), &Some(None)));
    let entry = &call.call_attempts[0].transcript.as_ref().and_then(Option::as_ref).expect("transcript")[2];
    assert_eq!(
        (&entry.tool_arguments, &entry.tool_is_error, &entry.tool_name),
        (&Some(None), &Some(None), &Some(None))
    );
    let queued = call_of(&page.rows[2]);
    let assistant = queued.assistant.as_ref().and_then(Option::as_ref).expect("assistant");
    let voice = assistant.voice.as_ref().and_then(Option::as_ref).expect("voice");
    assert_eq!(voice.speed, Some(None), "`speed: null` is kept apart from an absent speed");
    let retry = queued.call_retry_config.as_ref().and_then(Option::as_ref).expect("retry config");
    assert_eq!(retry.timezone, Some(None));
    assert_eq!(call_of(&page.rows[3]).assistant, Some(None));
}

/// The same properties left out: they decode as `None` and round-trip exactly, since the SDK
/// requires none of them.
#[test]
fn properties_the_api_may_leave_out_round_trip() {
    let page = round_trip("optional_absent");
    let call = call_of(&page.rows[0]);
    assert_eq!((&call.campaign, &call.metadata), (&None, &None));
    let assistant = call.assistant.as_ref().and_then(Option::as_ref).expect("assistant");
    assert_eq!((&assistant.voice, &assistant.structured_output_config), (&None, &None));
    let entry = &call.call_attempts[0].transcript.as_ref().and_then(Option::as_ref).expect("transcript")[2];
    assert_eq!((&entry.tool_arguments, &entry.tool_is_error, &entry.tool_name), (&None, &None, &None));
    let queued = call_of(&page.rows[2]);
    let assistant = queued.assistant.as_ref().and_then(Option::as_ref).expect("assistant");
    assert_eq!(assistant.voice.as_ref().and_then(Option::as_ref).expect("voice").speed, None);
    let retry = queued.call_retry_config.as_ref().and_then(Option::as_ref).expect("retry config");
    assert_eq!(retry.timezone, None);
    assert_eq!(call_of(&page.rows[3]).assistant, None);
}

/// Values, shapes and properties added to the API later decode, and encode back unchanged.
#[test]
fn values_the_api_adds_later_decode_and_round_trip() {
    let page = round_trip("forward");
    assert_eq!(page.additional_properties["next_cursor"], "abc");
    assert_eq!(page.rows[0].additional_properties["segment"], "vip");
    let call = call_of(&page.rows[0]);
    assert_eq!(call.additional_properties["sentiment"], json!({"score": 0.9}));
    assert_eq!(call.status, CallStatus::Other("awaiting_operator".into()));
    assert_eq!(call.status.as_str(), "awaiting_operator");
    assert_eq!(call.call_attempts[0].result, Some(Some(CallAttemptResult::Other("fax-machine".into()))));
    let LlmModel::Other(object) = &call.llm_model else { panic!("unknown llm_model kept whole: {:?}", call.llm_model) };
    assert_eq!(object["model"], "claude-5");
}

/// An unknown property at every level of nesting survives a round trip.
#[test]
fn unknown_properties_at_every_level_round_trip() {
    let mut value: Value = serde_json::from_str(&read_fixture("responses/realistic.json")).expect("JSON");
    let mut added = 0;
    add_unknown_everywhere(&mut value, &mut added);
    assert!(added >= 30, "only {added} objects touched");
    let decoded: CampaignGetRowsResponse = revox::from_str(&value.to_string()).expect("decodes");
    assert_json_eq(&serde_json::to_value(&decoded).expect("encodes"), &value);
}

/// Adds `"x_future": {...}` to every object that is a generated struct (not free-form maps).
fn add_unknown_everywhere(value: &mut Value, added: &mut usize) {
    const FREE_FORM: [&str; 5] = ["input_data", "metadata", "structured_output", "tool_arguments", "x_future"];
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if !FREE_FORM.contains(&key.as_str()) {
                    add_unknown_everywhere(child, added);
                }
            }
            map.insert("x_future".into(), json!({"nested": [1, "two", null], "n": *added}));
            *added += 1;
        }
        Value::Array(items) => items.iter_mut().for_each(|item| add_unknown_everywhere(item, added)),
        _ => {}
    }
}

#[track_caller]
fn decode_error(text: &str) -> revox::DecodeError {
    revox::from_str::<CampaignGetRowsResponse>(text).expect_err("must not decode")
}

fn seed_with(edit: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(&read_fixture("responses/realistic.json")).expect("JSON");
    edit(&mut value);
    value.to_string()
}

#[test]
fn a_wrong_type_names_its_path() {
    let text = seed_with(|v| v["rows"][2]["call"]["status"] = Value::from(3));
    let error = decode_error(&text);
    assert_eq!(error.path, "rows[2].call.status");
    assert!(error.message.contains("expected a `CallStatus` string"), "{}", error.message);
    assert_eq!(error.body, text, "the body is kept");
    assert!(error.to_string().starts_with("the response body could not be decoded at `rows[2].call.status`"));
}

#[test]
fn a_missing_required_key_names_its_parent() {
    let text = seed_with(|v| {
        v["rows"][0]["call"]["assistant"]["voice"].as_object_mut().expect("object").remove("provider");
    });
    let error = decode_error(&text);
    assert_eq!(error.path, "rows[0].call.assistant.voice");
    assert!(error.message.contains("missing field `provider`"), "{}", error.message);
}

#[test]
fn a_bad_tagged_variant_names_the_union_and_the_inner_path() {
    let text = seed_with(|v| v["rows"][2]["call"]["llm_model"]["name"] = Value::from(false));
    let error = decode_error(&text);
    assert_eq!(error.path, "rows[2].call.llm_model");
    assert!(error.message.starts_with("name: invalid type: boolean"), "{}", error.message);
}

/// A server that writes the tag first (as most do) has the variant decoded in place, so the
/// error names the property's own path.
#[test]
fn a_bad_tagged_variant_after_its_tag_names_its_own_path() {
    let text = seed_with(|v| v["rows"][2]["call"]["llm_model"] = Value::from("LLM"));
    let text = text.replacen("\"LLM\"", r#"{"type": "dedicated-instance", "name": false}"#, 1);
    let error = decode_error(&text);
    assert_eq!(error.path, "rows[2].call.llm_model.name");
    assert!(error.message.starts_with("invalid type: boolean"), "{}", error.message);
    let text = seed_with(|v| v["rows"][2]["call"]["llm_model"] = Value::from("LLM"));
    let text = text.replacen("\"LLM\"", r#"{"type": "dedicated-instance", "name": "gpt-4.1"}"#, 1);
    let page: CampaignGetRowsResponse = revox::from_str(&text).expect("decodes");
    let call = call_of(&page.rows[2]);
    assert!(matches!(&call.llm_model, LlmModel::DedicatedInstance(m) if m.name == DedicatedInstanceModel::Gpt4_1));
}

#[test]
fn a_zero_where_the_schema_says_exclusive_minimum_0_is_refused() {
    let text = seed_with(|v| v["rows"][2]["call"]["call_retry_config"]["max_retry_attempts"] = Value::from(0));
    let error = decode_error(&text);
    assert_eq!(error.path, "rows[2].call.call_retry_config.max_retry_attempts");
}

#[test]
fn an_untagged_union_refuses_other_shapes() {
    let text =
        seed_with(|v| v["rows"][0]["call"]["call_attempts"][0]["transcript"][1]["tool_arguments"] = Value::from(7));
    let error = decode_error(&text);
    assert_eq!(error.path, "rows[0].call.call_attempts[0].transcript[1].tool_arguments");
}

#[test]
fn truncated_json_is_an_error_not_a_panic() {
    let text = read_fixture("responses/realistic.json");
    for cut in [0, 1, text.len() / 3, text.len() / 2, text.len() - 3] {
        let error = decode_error(&text[..cut]);
        assert!(error.message.contains("EOF"), "cut at {cut}: {}", error.message);
    }
    let error = decode_error(&format!("{text} trailing"));
    assert!(error.message.contains("trailing characters"), "{}", error.message);
}

/// `serde_json::from_slice` (the standard path, which users call themselves) has the models read
/// property names and enum values as bytes, without its UTF-8 check per string: it decodes the
/// same values as every other way in, escapes included.
#[test]
fn serde_json_from_slice_decodes_what_every_other_path_decodes() {
    let mut texts = vec![read_fixture("responses/seed.json"), read_fixture("responses/realistic.json")];
    let mut unknown: Value = serde_json::from_str(&texts[1]).expect("JSON");
    let mut added = 0;
    add_unknown_everywhere(&mut unknown, &mut added);
    texts.push(unknown.to_string());
    // Escapes in declared names, in a known and an unknown enum value, and in undeclared names.
    let escaped = seed_with(|v| {
        v["rows"][0]["call"]["status"] = Value::from("ringing-later");
        v["rows"][1]["x-été"] = json!({"a\tb": 1});
        v["rows"][1]["x-\r"] = json!("\u{1}");
        v["rows"][0]["call"]["call_attempts"][0]["status"] = Value::from("re\ntry");
    })
    .replace(r#""status":"#, r#""st\u0061tus":"#)
    .replace(r#""queued_for_calling""#, r#""queued_for_c\u0061lling""#)
    .replace(r#""ringing-later""#, r#""ringing-l\u0061ter""#)
    .replace("x-été", r"x-\u00e9t\u00e9");
    texts.push(escaped);
    for text in &texts {
        let ours = revox::from_slice::<CampaignGetRowsResponse>(text.as_bytes()).expect("from_slice");
        let slice: CampaignGetRowsResponse = serde_json::from_slice(text.as_bytes()).expect("serde_json::from_slice");
        let from_text: CampaignGetRowsResponse = serde_json::from_str(text).expect("serde_json::from_str");
        let value: Value = serde_json::from_str(text).expect("JSON");
        let from_value: CampaignGetRowsResponse = serde_json::from_value(value).expect("serde_json::from_value");
        assert_eq!(slice, ours);
        assert_eq!(from_text, ours);
        assert_eq!(from_value, ours);
    }
    let page: CampaignGetRowsResponse = serde_json::from_slice(texts[3].as_bytes()).expect("decodes");
    let status = |row: usize| Some(call_of(&page.rows[row]).status.clone());
    assert_eq!(status(0), Some(CallStatus::Other("ringing-later".to_owned())));
    assert_eq!(status(2), Some(CallStatus::QueuedForCalling));
    assert_eq!(page.rows[1].additional_properties["x-été"], json!({"a\tb": 1}));
    assert_eq!(page.rows[1].additional_properties["x-\r"], json!("\u{1}"));
    let attempt = &call_of(&page.rows[0]).call_attempts[0];
    assert_eq!(attempt.status.as_str(), "re\ntry");
}

/// What `serde_json` refuses in a string it reads as text, the models refuse in the names and
/// enum values they read as bytes: text that is not UTF-8 (raw, or a lone surrogate escape) and
/// raw control characters.
#[test]
fn serde_json_from_slice_refuses_bad_text_where_it_reads_bytes() {
    let seed = seed_with(|v| v["rows"][0]["call"]["status"] = Value::from("STATUS"));
    let cases: [(&str, &[u8]); 6] = [
        ("an undeclared name that is not UTF-8", b"\"x-\xff\":1,\"id\""),
        ("an undeclared name with a lone surrogate", br#""x-\udc00":1,"id""#),
        ("an undeclared name with a control character", b"\"x-\x01\":1,\"id\""),
        ("an enum value that is not UTF-8", b"\"st\xffatus\""),
        ("an enum value with a lone surrogate", br#""st\udc00atus""#),
        ("an enum value with a control character", b"\"st\x01atus\""),
    ];
    for (what, bad) in cases {
        let pattern: &[u8] = if what.contains("enum") { br#""STATUS""# } else { br#""id""# };
        let at = seed.as_bytes().windows(pattern.len()).position(|w| w == pattern).expect("pattern");
        let body = [&seed.as_bytes()[..at], bad, &seed.as_bytes()[at + pattern.len()..]].concat();
        assert!(serde_json::from_slice::<CampaignGetRowsResponse>(&body).is_err(), "{what}: serde_json::from_slice");
        assert!(revox::from_slice::<CampaignGetRowsResponse>(&body).is_err(), "{what}: revox::from_slice");
        assert!(serde_json::from_slice::<Value>(&body).is_err(), "{what}: not JSON text at all");
    }
}

/// A user's own path tracking over `serde_json::from_slice` still names each property: the
/// models read names as bytes only from serde_json's own deserializer, never through a wrapper.
#[test]
fn a_users_own_path_tracking_over_serde_json_names_properties() {
    let text = seed_with(|v| v["rows"][2]["call"]["status"] = Value::from(3));
    let mut deserializer = serde_json::Deserializer::from_slice(text.as_bytes());
    let error = serde_path_to_error::deserialize::<_, CampaignGetRowsResponse>(&mut deserializer).expect_err("bad");
    assert_eq!(error.path().to_string(), "rows[2].call.status");
}

#[test]
fn bytes_that_are_not_utf8_are_an_error() {
    let error = revox::from_slice::<CampaignGetRowsResponse>(b"{\"page\": \xff}").expect_err("not UTF-8");
    assert!(error.message.contains("not UTF-8"), "{}", error.message);
}

#[test]
fn validate_reports_bounds_the_types_cannot_express() {
    use revox::Validate;
    let (_, mut page) = decode("realistic");
    assert_eq!(page.validate(), Ok(()));
    let call = page.rows[0].call.as_mut().and_then(Option::as_mut).expect("call");
    let assistant = call.assistant.as_mut().and_then(Option::as_mut).expect("assistant");
    let voice = assistant.voice.as_mut().and_then(Option::as_mut).expect("voice");
    voice.speed = Some(Some(1.7));
    voice.id = String::new();
    assistant.structured_output_config.as_mut().and_then(Option::as_mut).expect("config")[1].name = String::new();
    let error = page.validate().expect_err("out of bounds");
    let paths: Vec<&str> = error.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "rows[0].call.assistant.structured_output_config[1].name",
            "rows[0].call.assistant.voice.id",
            "rows[0].call.assistant.voice.speed",
        ]
    );
    assert!(error.to_string().contains("1.7 is above the maximum 1.5"), "{error}");
}

#[test]
fn enums_display_parse_and_keep_unknown_values() {
    use revox::types::{AssistantBackgroundSound, CallFiltersResultsItem as Results};
    assert_eq!(Results::IosScreeningFilter.to_string(), "ios-screening-filter");
    assert_eq!(Results::from("IVR"), Results::Ivr);
    assert_eq!(Results::from("none"), Results::None);
    assert_eq!(Results::from("later"), Results::Other("later".into()));
    assert_eq!(AssistantBackgroundSound::AudioOfficeOgg.as_str(), "audio/office.ogg");
    assert_eq!(serde_json::to_string(&Results::Other("x-y".into())).expect("encodes"), "\"x-y\"");
}

#[test]
fn structs_whose_fields_all_have_defaults_implement_default() {
    let window = revox::types::CallingWindow::default();
    assert_eq!(window.calling_window_start_time, "10:00");
    assert_eq!(window.calling_window_end_time, "18:00");
    assert_eq!(window.retry_delay_seconds.get(), 7200);
}

#[test]
#[allow(deprecated)]
fn deprecated_fields_are_still_readable() {
    let (_, page) = decode("seed");
    assert!(call_of(&page.rows[0]).is_cancelled);
}

/// A declared property that appears twice is refused: the last one winning would silently lose
/// data (a duplicated `rows` drops a page of rows).
#[test]
fn a_declared_property_twice_is_an_error_not_a_silent_overwrite() {
    let text = read_fixture("responses/realistic.json").replacen("\"rows\": [", "\"rows\": [], \"rows\": [", 1);
    let error = decode_error(&text);
    assert!(error.message.contains("duplicate field `rows`"), "{}", error.message);

    let text = seed_with(|_| ()).replacen("\"call\":{", "\"call\":null,\"call\":{", 1);
    let error = decode_error(&text);
    assert_eq!(error.path, "rows[0]");
    assert!(error.message.contains("duplicate field `call`"), "a `null` first counts too: {}", error.message);

    // An undeclared property too: the struct keeps undeclared ones, and would keep only the last.
    let seed = seed_with(|_| ());
    let text = format!(r#"{{"zz":1,"zz":2,{}"#, &seed[1..]);
    let error = decode_error(&text);
    assert_eq!(error.path, "");
    assert!(error.message.contains("duplicate field `zz`"), "{}", error.message);
    let text = format!(r#"{{"zz":1,"zy":2,{}"#, &seed[1..]);
    let page: CampaignGetRowsResponse = revox::from_str(&text).expect("distinct names decode");
    assert_eq!(page.additional_properties.len(), 2);
}

/// `Debug` shows a model as its JSON form: properties in declared order under their JSON names,
/// an absent optional one left out, then the undeclared ones kept from decoding; `{:#?}` spreads
/// it over lines.
#[test]
fn debug_shows_the_json_form() {
    let voice: revox::types::Voice =
        revox::from_str(r#"{"x-tier": {"b": [1, null], "a": "é\n"}, "provider": "cartesia", "id": "v1"}"#)
            .expect("decodes");
    assert_eq!(
        format!("{voice:?}"),
        r#"Voice { id: "v1", provider: "cartesia", x-tier: {"a": "é\n", "b": [1, null]} }"#
    );
    let mut voice = voice;
    voice.speed = Some(None);
    assert!(format!("{voice:?}").contains(r#"provider: "cartesia", speed: null, x-tier"#), "{voice:?}");
    assert_eq!(
        format!("{:#?}", revox::types::CampaignRef::new("c", "n")),
        "CampaignRef {\n    id: \"c\",\n    name: \"n\",\n}"
    );
}
