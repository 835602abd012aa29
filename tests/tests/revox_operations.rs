//! Every one of `revox`'s 36 operations over loopback HTTP (wiremock): the method, path, query and
//! JSON body on the wire, and a response decoded into the operation's type.
//!
//! The responses are the smallest the schema allows (every required property, nothing else),
//! made from `schema/revox.openapi.json` itself, so that each case also proves that a response
//! with only what the official SDK requires decodes.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::future::Future;
use std::pin::Pin;

use revox::types::VoicesRetrieveProvider;
use revox::{Client, Error, VoicesRetrieveParams};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tests::{numbers_as_f64, root};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type Call = for<'a> fn(&'a Client) -> Pin<Box<dyn Future<Output = Result<Value, Error>> + 'a>>;

/// One operation: how to call it, and what must be on the wire.
struct Case {
    operation: &'static str,
    method: &'static str,
    /// The path after the base URL, percent-encoded as sent.
    path: &'static str,
    query: Option<&'static str>,
    /// The JSON body sent, when there is one.
    body: Option<Value>,
    call: Call,
}

/// A body decoded from its JSON (checked against its type), for a case to send.
#[track_caller]
fn body<T: DeserializeOwned>(value: &Value) -> T {
    revox::from_str(&value.to_string()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a decoded response encodes")
}

fn call_body() -> Value {
    json!({"phone_number": "+33612345678", "assistant_id": "asst_1", "prompt_variables": {"first_name": "Zoë"}})
}
fn assistant_body() -> Value {
    json!({"name": "Léa", "prompt": "You are Léa.", "first_sentence_delay_ms": 400, "voice": {"id": "v1", "provider": "cartesia"}})
}
fn assistant_update() -> Value {
    json!({"prompt": "You are Léa, briefer.", "voicemail_message": null})
}
fn call_filters() -> Value {
    json!({
        "assignee_ids": [], "assistant_ids": ["asst_1"], "campaign_ids": [], "directions": ["outbound"],
        "from_phone_numbers": [], "outcomes": ["interested"], "page": 0, "page_size": 50, "results": ["human"],
        "statuses": ["completed"], "query": "Zoë & co"
    })
}
fn export_body() -> Value {
    json!({"filters": call_filters(), "include_metadata": true})
}
fn campaign_body() -> Value {
    json!({
        "assistant_id": "asst_1", "name": "Spring",
        "contacts": [{"to_phone_number": "+33612345678", "prompt_variables": {"first_name": "Zoë"}}]
    })
}
fn campaign_update() -> Value {
    json!({"name": "Spring (2)", "max_concurrent_calls": null})
}
fn launch_body() -> Value {
    json!({
        "mode": "ai_first",
        "selection": {
            "filters": {"assignee_ids": [], "directions": [], "outcomes": [], "results": [], "statuses": ["not_launched"]},
            "rows": {"call_ids": ["call_9"], "mode": "all_except"}
        },
        "scheduled_at": "2026-12-24T09:00:00Z"
    })
}
fn phone_number_update() -> Value {
    json!({"inbound_assistant_id": null, "label": "Paris office"})
}
fn voice_clone() -> Value {
    json!({"audio": "UklGRg==", "contentType": "audio/wav", "language": "fr", "name": "Léa"})
}
fn voice_preview() -> Value {
    json!({"provider": "cartesia", "voiceId": "v1", "text": "Bonjour !"})
}

macro_rules! call {
    (|$client:ident| $body:expr) => {{
        fn call<'a>($client: &'a Client) -> Pin<Box<dyn Future<Output = Result<Value, Error>> + 'a>> {
            Box::pin(async move { Ok(to_value(&$body.await?)) })
        }
        call as Call
    }};
}

fn cases() -> Vec<Case> {
    let case = |operation, method, path, query, body, call| Case { operation, method, path, query, body, call };
    vec![
        case(
            "assistants.clone",
            "POST",
            "/assistants/asst%201/clone",
            None,
            None,
            call!(|c| c.assistants().clone("asst 1")),
        ),
        case(
            "assistants.create",
            "POST",
            "/assistants",
            None,
            Some(assistant_body()),
            call!(|c| c.assistants().create(&body(&assistant_body()))),
        ),
        case(
            "assistants.delete",
            "DELETE",
            "/assistants/asst_1",
            None,
            None,
            call!(|c| c.assistants().delete("asst_1")),
        ),
        case("assistants.list", "GET", "/assistants", None, None, call!(|c| c.assistants().list())),
        case(
            "assistants.retrieve",
            "GET",
            "/assistants/asst_1",
            None,
            None,
            call!(|c| c.assistants().retrieve("asst_1")),
        ),
        case(
            "assistants.update",
            "PATCH",
            "/assistants/asst_1",
            None,
            Some(assistant_update()),
            call!(|c| c.assistants().update("asst_1", &body(&assistant_update()))),
        ),
        case("auth_status.retrieve", "GET", "/auth-status", None, None, call!(|c| c.auth_status().retrieve())),
        case("call.cancel", "POST", "/call/call_1/cancel", None, None, call!(|c| c.call().cancel("call_1"))),
        case("call.create", "POST", "/call", None, Some(call_body()), call!(|c| c.call().create(&body(&call_body())))),
        case(
            "call.export",
            "POST",
            "/call/export",
            None,
            Some(export_body()),
            call!(|c| c.call().export(&body(&export_body()))),
        ),
        case("call.pause", "POST", "/call/call_1/pause", None, None, call!(|c| c.call().pause("call_1"))),
        case("call.phone_history", "GET", "/calls/phone-history", None, None, call!(|c| c.call().phone_history())),
        case("call.resume", "POST", "/call/call_1/resume", None, None, call!(|c| c.call().resume("call_1"))),
        case("call.retrieve", "GET", "/call/call%2F1", None, None, call!(|c| c.call().retrieve("call/1"))),
        case(
            "call.search",
            "POST",
            "/call/search",
            None,
            Some(call_filters()),
            call!(|c| c.call().search(&body(&call_filters()))),
        ),
        case(
            "campaigns.cancel",
            "POST",
            "/campaigns/cmp_1/cancel",
            None,
            None,
            call!(|c| c.campaigns().cancel("cmp_1")),
        ),
        case(
            "campaigns.create",
            "POST",
            "/campaigns",
            None,
            Some(campaign_body()),
            call!(|c| c.campaigns().create(&body(&campaign_body()))),
        ),
        case("campaigns.delete", "DELETE", "/campaigns/cmp_1", None, None, call!(|c| c.campaigns().delete("cmp_1"))),
        case(
            "campaigns.export_rows",
            "GET",
            "/campaigns/cmp_1/export",
            None,
            None,
            call!(|c| c.campaigns().export_rows("cmp_1")),
        ),
        case(
            "campaigns.get_rows",
            "GET",
            "/campaigns/cmp_1/rows",
            None,
            None,
            call!(|c| c.campaigns().get_rows("cmp_1")),
        ),
        case(
            "campaigns.launch",
            "POST",
            "/campaigns/cmp_1/launch-calls",
            None,
            Some(launch_body()),
            call!(|c| c.campaigns().launch("cmp_1", &body(&launch_body()))),
        ),
        case("campaigns.list", "GET", "/campaigns", None, None, call!(|c| c.campaigns().list())),
        case("campaigns.pause", "POST", "/campaigns/cmp_1/pause", None, None, call!(|c| c.campaigns().pause("cmp_1"))),
        case(
            "campaigns.resume",
            "POST",
            "/campaigns/cmp_1/resume",
            None,
            None,
            call!(|c| c.campaigns().resume("cmp_1")),
        ),
        case("campaigns.retrieve", "GET", "/campaigns/cmp_1", None, None, call!(|c| c.campaigns().retrieve("cmp_1"))),
        case(
            "campaigns.statistics",
            "GET",
            "/campaigns/cmp_1/statistics",
            None,
            None,
            call!(|c| c.campaigns().statistics("cmp_1")),
        ),
        case(
            "campaigns.update",
            "PATCH",
            "/campaigns/cmp_1",
            None,
            Some(campaign_update()),
            call!(|c| c.campaigns().update("cmp_1", &body(&campaign_update()))),
        ),
        case(
            "phone_numbers.delete",
            "DELETE",
            "/phone-numbers/pn_1",
            None,
            None,
            call!(|c| c.phone_numbers().delete("pn_1")),
        ),
        case("phone_numbers.list", "GET", "/phone-numbers", None, None, call!(|c| c.phone_numbers().list())),
        case(
            "phone_numbers.update",
            "PATCH",
            "/phone-numbers/pn_1",
            None,
            Some(phone_number_update()),
            call!(|c| c.phone_numbers().update("pn_1", &body(&phone_number_update()))),
        ),
        case("users.retrieve", "GET", "/users/me", None, None, call!(|c| c.users().retrieve())),
        case(
            "voices.clone",
            "POST",
            "/voices/clone",
            None,
            Some(voice_clone()),
            call!(|c| c.voices().clone(&body(&voice_clone()))),
        ),
        case("voices.delete", "DELETE", "/voices/v1", None, None, call!(|c| c.voices().delete("v1"))),
        case("voices.list", "GET", "/voices", None, None, call!(|c| c.voices().list())),
        case(
            "voices.preview",
            "POST",
            "/voices/preview",
            None,
            Some(voice_preview()),
            call!(|c| async { c.voices().preview(&body(&voice_preview())).await.map(|audio| audio.to_vec()) }),
        ),
        case(
            "voices.retrieve",
            "GET",
            "/voices/v1",
            Some("provider=elevenlabs"),
            None,
            call!(|c| c.voices().retrieve("v1", VoicesRetrieveParams::new(VoicesRetrieveProvider::Elevenlabs))),
        ),
    ]
}

/// The schema of `#/components/schemas/…` or of an operation's 200 response.
struct Document(Value);

impl Document {
    fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        while let Some(target) = node.get("$ref").and_then(Value::as_str) {
            node = &self.0["components"]["schemas"][target.rsplit('/').next().unwrap_or_default()];
        }
        node
    }

    /// The operation with `operation_id`: its method and path as the document writes them.
    fn operation(&self, operation_id: &str) -> (String, String, &Value) {
        let paths = self.0["paths"].as_object().expect("paths");
        for (path, item) in paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                if operation["operationId"] == operation_id {
                    return (method.to_uppercase(), path.clone(), operation);
                }
            }
        }
        panic!("no operation {operation_id}")
    }

    /// The smallest instance of `schema`: every required property, the first member of a union,
    /// the first enum value, empty arrays and maps, numbers within their bounds.
    fn minimal(&self, schema: &Value) -> Value {
        let schema = self.resolve(schema);
        if let Some(value) = schema.get("const") {
            return value.clone();
        }
        if let Some(first) = schema["enum"].as_array().and_then(|values| values.first()) {
            return first.clone();
        }
        if let Some(members) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
            let member = members.iter().find(|m| self.resolve(m)["type"] != "null").expect("a non-null member");
            return self.minimal(member);
        }
        let ty = match &schema["type"] {
            Value::Array(types) => types.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        match ty.as_str() {
            Some("string") => json!("x"),
            Some("integer") => json!(1),
            Some("number") => json!(1.0),
            Some("boolean") => json!(false),
            Some("array") => json!([]),
            Some("object") => {
                let required = schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str);
                let object: Map<String, Value> =
                    required.map(|name| (name.to_owned(), self.minimal(&schema["properties"][name]))).collect();
                Value::Object(object)
            }
            _ => Value::Null,
        }
    }
}

#[track_caller]
fn check(document: &Document, case: &Case, sent: &Request, got: &Value) {
    let (method, template, operation) = document.operation(case.operation);
    assert_eq!((sent.method.as_str(), method.as_str()), (case.method, case.method), "{}: method", case.operation);
    // The client's base URL is the server's with `/api`, as the real one has.
    let expected_path = format!("/api{}", case.path);
    assert_eq!(sent.url.path(), expected_path, "{}: path (the document's is {template})", case.operation);
    assert_eq!(sent.url.query(), case.query, "{}: query", case.operation);
    let header = |name: &str| sent.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(header("authorization").as_deref(), Some("Bearer sk_test"), "{}", case.operation);
    match &case.body {
        Some(expected) => {
            let body: Value = serde_json::from_slice(&sent.body).unwrap_or_else(|e| panic!("{}: {e}", case.operation));
            assert_eq!(numbers_as_f64(&body), numbers_as_f64(expected), "{}: body", case.operation);
            assert_eq!(header("content-type").as_deref(), Some("application/json"), "{}", case.operation);
            assert!(operation.get("requestBody").is_some(), "{}: the document declares no body", case.operation);
        }
        None => {
            assert!(sent.body.is_empty(), "{}: a body was sent", case.operation);
            assert!(operation.get("requestBody").is_none(), "{}: the document declares a body", case.operation);
        }
    }
    let content = &operation["responses"]["200"]["content"];
    match content.get("application/json") {
        Some(json) => {
            let expected = document.minimal(&json["schema"]);
            assert_eq!(numbers_as_f64(got), numbers_as_f64(&expected), "{}: the response round-trips", case.operation);
        }
        None => assert_eq!(got, &json!(b"ID3audio".to_vec()), "{}: the audio bytes", case.operation),
    }
}

#[tokio::test]
async fn every_operation_sends_its_request_and_decodes_its_response() {
    let text = std::fs::read_to_string(root().join("schema/revox.openapi.json")).expect("schema");
    let document = Document(serde_json::from_str(&text).expect("JSON"));
    let cases = cases();
    let mut operations: Vec<&str> = cases.iter().map(|c| c.operation).collect();
    operations.sort_unstable();
    operations.dedup();
    assert_eq!(operations.len(), 36, "one case per operation");

    for case in &cases {
        let server = MockServer::start().await;
        let (_, _, operation) = document.operation(case.operation);
        let response = match operation["responses"]["200"]["content"].get("application/json") {
            Some(json) => ResponseTemplate::new(200)
                .set_body_raw(document.minimal(&json["schema"]).to_string(), "application/json"),
            None => ResponseTemplate::new(200).set_body_raw(b"ID3audio".to_vec(), "audio/mpeg"),
        };
        Mock::given(method(case.method)).respond_with(response).expect(1).mount(&server).await;
        let client =
            Client::builder().api_key("sk_test").base_url(format!("{}/api", server.uri())).build().expect("client");
        let got = (case.call)(&client).await.unwrap_or_else(|e| panic!("{}: {e}", case.operation));
        let sent = server.received_requests().await.expect("recorded");
        assert_eq!(sent.len(), 1, "{}: one request", case.operation);
        check(&document, case, &sent[0], &got);
    }
}

/// Every operation of the document has a case above, under the method the document gives it.
#[test]
fn the_cases_cover_the_document() {
    let text = std::fs::read_to_string(root().join("schema/revox.openapi.json")).expect("schema");
    let document = Document(serde_json::from_str(&text).expect("JSON"));
    let mut in_document: Vec<String> = Vec::new();
    for item in document.0["paths"].as_object().into_iter().flatten().map(|(_, item)| item) {
        for operation in item.as_object().into_iter().flatten().map(|(_, op)| op) {
            in_document.push(operation["operationId"].as_str().unwrap_or_default().to_owned());
        }
    }
    in_document.sort();
    let mut covered: Vec<String> = cases().iter().map(|c| c.operation.to_owned()).collect();
    covered.sort();
    assert_eq!(covered, in_document);
    for case in cases() {
        let (method, _, _) = document.operation(case.operation);
        assert_eq!(method, case.method, "{}", case.operation);
    }
}
