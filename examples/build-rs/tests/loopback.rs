//! The included client makes real requests, over loopback, to a wiremock server.

use build_rs_example::zoo;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_included_client_gets_an_animal() {
    let server = MockServer::start().await;
    let animal = serde_json::json!({
        "id": 7,
        "name": "Mei",
        "species": "red-panda",
        "diet": {"kind": "herbivore", "plants": ["bamboo"]},
        "nickname": null
    });
    Mock::given(method("GET"))
        .and(path("/v2/animals/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&animal))
        .expect(1)
        .mount(&server)
        .await;
    let client =
        zoo::Client::builder().api_key("zoo_key").base_url(format!("{}/v2", server.uri())).build().expect("valid");
    let got: zoo::types::Animal = client.animals().get("7").await.expect("the animal");
    assert_eq!(got.name, "Mei");
    assert_eq!(serde_json::to_value(&got).expect("encodes"), animal);
}

#[tokio::test]
async fn an_api_error_is_the_runtime_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v2/animals/8")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let client =
        zoo::Client::builder().api_key("zoo_key").base_url(format!("{}/v2", server.uri())).build().expect("valid");
    let error: zoo::Error = client.animals().get("8").await.expect_err("not found");
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn the_second_included_client_is_independent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 1, "name": "lamp"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = build_rs_example::shop::Client::builder().base_url(server.uri()).build().expect("valid");
    let item: build_rs_example::shop::types::Item = client.items().get(1).await.expect("the item");
    assert_eq!((item.id, item.name.as_str()), (1, "lamp"));
}

/// With the `schemars` feature, the included models describe themselves with their schema.
#[cfg(feature = "schemars")]
#[test]
fn the_models_implement_json_schema() {
    let schema = schemars::schema_for!(zoo::types::Animal);
    let schema = serde_json::to_value(&schema).expect("encodes");
    assert!(schema.pointer("/properties/name").is_some(), "{schema}");
}
