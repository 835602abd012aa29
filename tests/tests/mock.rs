//! The generated crates' typed mocks (their `mock` feature), used as a user's tests use them: a
//! loopback server, one typed method per operation, typed answers, and what was received.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use futures_util::TryStreamExt;
use serde_json::json;
use tests::read_fixture;

fn seed_page() -> revox::types::CampaignGetRowsResponse {
    revox::from_str(&read_fixture("responses/seed.json")).expect("the seed decodes")
}

#[tokio::test]
async fn revox_operations_answer_typed_bodies_on_their_method_and_path_only() {
    let server = revox::mock::MockServer::start().await;
    let page = seed_page();
    server.campaigns().get_rows(|when| when.id("cmp_1")).respond(page.clone()).await;
    let client = server.client();

    let rows = client.campaigns().get_rows("cmp_1").await.expect("the mock answers");
    assert_eq!(rows, page);
    let other = client.campaigns().get_rows("cmp_2").await.expect_err("no mock for another id");
    assert!(other.is_not_found(), "{other}");
    let wrong_method = client.campaigns().retrieve("cmp_1").await.expect_err("no mock for GET /campaigns/{id}");
    assert_eq!(wrong_method.status(), Some(404));

    let received = server.campaigns().get_rows(|when| when.id("cmp_1")).received().await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "/campaigns/cmp_1/rows");
    assert_eq!(received[0].header("authorization"), Some("Bearer mock-api-key"));
    assert_eq!(server.campaigns().get_rows(|when| when).received().await.len(), 2, "any id");
    assert_eq!(server.received().await.len(), 3, "every request");
}

#[tokio::test]
async fn revox_bodies_are_matched_and_decoded_as_their_types() {
    let server = revox::mock::MockServer::start().await;
    let contact = revox::types::CampaignContact::new(json!({"first_name": "Zoë"}), "+33612345678");
    let body = revox::types::CampaignCreateParams::new("asst_1", vec![contact], "Spring");
    server.campaigns().create(|when| when.body(&body)).fail(422, &json!({"error": "no credits"})).await;
    let error = server.client().campaigns().create(&body).await.expect_err("the mock fails it");
    assert_eq!((error.status(), error.body()), (Some(422), Some(r#"{"error":"no credits"}"#)));

    let mut other = body.clone();
    other.name = "Autumn".to_owned();
    let unmatched = server.client().campaigns().create(&other).await.expect_err("another body");
    assert_eq!(unmatched.status(), Some(404));

    let received = server.campaigns().create(|when| when).received().await;
    assert_eq!(received.len(), 2);
    let sent: Vec<revox::types::CampaignCreateParams> =
        received.iter().map(|r| r.json().expect("a typed body")).collect();
    assert_eq!(sent, [body, other]);
}

#[tokio::test]
async fn shop_parameters_headers_and_reserved_paths_are_matched_as_the_client_sends_them() {
    use shop::SearchParams;
    use shop::types::{Item, NewItem};
    use std::num::NonZeroU64;
    let server = shop::mock::MockServer::start().await;
    let lamp = Item::new(7, "lamp");
    server.items().get(|when| when.id(7)).respond(lamp.clone()).await;
    let five = NonZeroU64::new(5).expect("not zero");
    let wanted = SearchParams::new().limit(five).x_trace("t1");
    server.items().search(|when| when.params(&wanted)).respond(vec![lamp.clone()]).await;
    server.documents().read(|when| when.path("a/b.txt")).respond_empty(200).await;
    server.items().note(|when| when).respond_text(200, "noted").await;
    server.items().create(|when| when.body(&NewItem::new("desk"))).times(1).expect(1).respond(lamp.clone()).await;
    let client = server.client();

    assert_eq!(client.items().get(7).await.expect("mocked"), lamp);
    assert_eq!(client.items().get(8).await.expect_err("another id").status(), Some(404));
    let searched = client.items().search(wanted.clone().words(vec!["x".into()])).await.expect("a superset matches");
    assert_eq!(searched, std::slice::from_ref(&lamp));
    let other_limit = SearchParams::new().limit(NonZeroU64::MIN).x_trace("t1");
    assert_eq!(client.items().search(other_limit).await.expect_err("limit 1").status(), Some(404));
    let no_header = SearchParams::new().limit(five);
    assert_eq!(client.items().search(no_header).await.expect_err("no X-Trace").status(), Some(404));
    client.documents().read("a/b.txt", shop::ReadParams::new()).await.expect("a reserved path spans segments");
    assert_eq!(client.items().note("n1", "hello").await.expect("text"), "noted");
    assert_eq!(client.items().create(&NewItem::new("desk")).await.expect("the first"), lamp);
    let second = client.items().create(&NewItem::new("desk")).await.expect_err("answered once");
    assert_eq!(second.status(), Some(404));

    let searches = server.items().search(|when| when).received().await;
    assert_eq!(searches.len(), 3);
    assert_eq!((searches[0].query("limit"), searches[0].header("x-trace")), (Some("5"), Some("t1")));
    let created = server.items().create(|when| when).received().await;
    assert_eq!(
        created.iter().map(|r| r.json().expect("a NewItem")).collect::<Vec<NewItem>>(),
        [NewItem::new("desk"), NewItem::new("desk")]
    );
}

#[tokio::test]
async fn zoo_pages_are_mocked_one_by_one_and_walked_by_the_client() {
    use zoo::ListParams;
    let server = zoo::mock::MockServer::start().await;
    let animal =
        |id: u32| json!({"id": id, "name": "Mei", "species": "red-panda", "diet": {"kind": "herbivore", "plants": []}});
    let page = |items: Vec<serde_json::Value>| -> zoo::types::AnimalPage {
        zoo::from_str(&json!({"items": items, "total": 2}).to_string()).expect("a page")
    };
    server.animals().list(|when| when.params(&ListParams::new(0))).respond(page(vec![animal(1)])).await;
    server.animals().list(|when| when.params(&ListParams::new(1))).respond(page(vec![animal(2)])).await;
    let animals: Vec<zoo::types::Animal> =
        server.client().animals().list_all(ListParams::new(0)).try_collect().await.expect("two pages");
    assert_eq!(animals.iter().map(|a| a.id).collect::<Vec<_>>(), [1, 2]);
    let pages = server.animals().list(|when| when).received().await;
    assert_eq!(pages.iter().map(|r| r.query("page")).collect::<Vec<_>>(), [Some("0"), Some("1")]);
}

/// The README's example ("Testing against typed mocks"), as written there.
#[tokio::test]
#[allow(clippy::unwrap_used)]
async fn the_readme_example_runs() {
    use revox::mock::MockServer;
    use revox::types::{CampaignContact, CampaignCreateParams, CampaignGetRowsResponse};

    let server = MockServer::start().await;
    let page: CampaignGetRowsResponse = revox::from_str(r#"{"rows": []}"#).unwrap();
    server.campaigns().get_rows(|when| when.id("cmp_1")).respond(page.clone()).await;
    let contact = CampaignContact::new(serde_json::json!({}), "+33612345678");
    let body = CampaignCreateParams::new("asst_1", vec![contact], "Spring");
    server.campaigns().create(|when| when.body(&body)).fail(422, &serde_json::json!({"error": "no credits"})).await;

    let client = server.client();
    assert_eq!(client.campaigns().get_rows("cmp_1").await.unwrap(), page);
    assert!(client.campaigns().get_rows("cmp_2").await.unwrap_err().is_not_found(), "no mock: 404");
    assert_eq!(client.campaigns().create(&body).await.unwrap_err().status(), Some(422));

    let sent = server.campaigns().create(|when| when).received().await;
    assert_eq!(sent[0].json().unwrap(), body);
    assert_eq!(sent[0].header("authorization"), Some("Bearer mock-api-key"));
}
