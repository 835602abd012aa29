//! Every operation of the shop fixture (`tests/fixtures/shop/openapi.json`) called over
//! loopback (wiremock): the request is checked byte for byte (method, path, query, headers,
//! cookies, body, content type) and the response decoded as the document declares.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use shop::types::{Color, NewItem, PlaceBody, PlaceBodyLinesItem, Range, RenameBody};
use shop::{Client, CreateError, PlaceResponse, ReplaceResponse, SearchParams};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn serve(response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(response).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).max_retries(0).build().expect("valid configuration");
    (server, client)
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// What the server received, as one comparable value.
#[derive(Debug, PartialEq)]
struct Sent {
    method: String,
    path_and_query: String,
    content_type: Option<String>,
    body: String,
}

async fn sent(server: &MockServer) -> (Sent, Request) {
    let requests: Vec<Request> = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "one request");
    let request = requests.into_iter().next().expect("one");
    let url = &request.url;
    let path_and_query = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let sent = Sent {
        method: request.method.to_string(),
        path_and_query,
        content_type: header(&request, "content-type"),
        body: String::from_utf8(request.body.clone()).expect("text"),
    };
    (sent, request)
}

fn header(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn sent_as(method: &str, path_and_query: &str, content_type: Option<&str>, body: &str) -> Sent {
    Sent {
        method: method.to_owned(),
        path_and_query: path_and_query.to_owned(),
        content_type: content_type.map(str::to_owned),
        body: body.to_owned(),
    }
}

fn new_item() -> NewItem {
    NewItem {
        name: "lamp & shade".to_owned(),
        tags: Some(vec!["a b".to_owned(), "c".to_owned()]),
        additional_properties: Default::default(),
    }
}

#[tokio::test]
async fn a_json_body_is_sent_and_the_refd_201_decoded() {
    let (server, client) = serve(json(201, r#"{"id": 7, "name": "lamp"}"#)).await;
    let item = client.items().create(&new_item()).await.expect("201");
    assert_eq!((item.id, item.name.as_str()), (7, "lamp"));
    let (sent, request) = sent(&server).await;
    assert_eq!(
        sent,
        sent_as("POST", "/items", Some("application/json"), r#"{"name":"lamp & shade","tags":["a b","c"]}"#)
    );
    assert!(header(&request, "idempotency-key").is_some_and(|k| k.len() == 32), "the document declares one");
}

#[tokio::test]
async fn typed_error_bodies_are_kept_beside_the_raw_body() {
    let (_server, client) = serve(json(422, r#"{"fields": ["name"]}"#)).await;
    let error = client.items().create(&new_item()).await.expect_err("422");
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.body(), Some(r#"{"fields": ["name"]}"#));
    match error.detail::<CreateError>() {
        Some(CreateError::UnprocessableEntity(invalid)) => assert_eq!(invalid.fields, ["name"]),
        other => panic!("{other:?}"),
    }
    let (_server, client) = serve(json(500, r#"{"message": "down"}"#)).await;
    let error = client.items().create(&new_item()).await.expect_err("500");
    assert!(matches!(error.detail::<CreateError>(), Some(CreateError::Default(p)) if p.message == "down"));
    // A body that does not match the declared type keeps no detail, only the raw body.
    let (_server, client) = serve(json(404, r#"{"nope": 1}"#)).await;
    let error = client.items().get(1).await.expect_err("404");
    assert!(error.detail::<shop::types::Problem>().is_none());
    assert_eq!(error.body(), Some(r#"{"nope": 1}"#));
    let (_server, client) = serve(json(404, r#"{"message": "gone"}"#)).await;
    let error = client.items().get(1).await.expect_err("404");
    assert_eq!(error.detail::<shop::types::Problem>().map(|p| p.message.as_str()), Some("gone"));
}

#[tokio::test]
async fn query_styles_headers_and_cookies_are_sent_as_declared() {
    let (server, client) = serve(json(200, "[]")).await;
    let params = SearchParams::new()
        .ids(vec![1, 2])
        .colors(vec![Color::Red, Color::Green])
        .words(vec!["a".to_owned(), "b".to_owned()])
        .codes(vec!["x".to_owned(), "y".to_owned()])
        .range(Range { min: Some(1), max: Some(9), additional_properties: Default::default() })
        .limit(std::num::NonZeroU64::new(5).expect("non-zero"))
        .x_trace("t-1")
        .x_flags(vec!["f1".to_owned(), "f2".to_owned()])
        .session("s1");
    let items = client.items().search(params).await.expect("200");
    assert!(items.is_empty());
    let (sent, request) = sent(&server).await;
    assert_eq!(
        sent,
        sent_as(
            "GET",
            "/items?ids=1&ids=2&colors=red%2Cgreen&words=a+b&codes=x%7Cy&range%5Bmax%5D=9&range%5Bmin%5D=1&limit=5",
            None,
            ""
        )
    );
    assert_eq!(header(&request, "x-trace").as_deref(), Some("t-1"));
    assert_eq!(header(&request, "x-flags").as_deref(), Some("f1,f2"));
    assert_eq!(header(&request, "cookie").as_deref(), Some("session=s1"));
    assert_eq!(header(&request, "idempotency-key"), None, "GET needs no key");
}

/// `allowReserved`: the path parameter and `select` keep RFC 3986's reserved characters and
/// the escapes they hold, `plain` is encoded as usual; `?` and `#` never pass unencoded where
/// they would end the path or the query.
#[tokio::test]
async fn allow_reserved_sends_reserved_characters_as_they_are() {
    let (server, client) = serve(ResponseTemplate::new(204)).await;
    let params = shop::ReadParams::new().select("a/b:c,d[0]=e&f=g h%2F#").plain("a/b:c,d[0]=e&f=g h%2F#");
    client.documents().read("opa/examples/public_servers;v=1?#", params).await.expect("204");
    assert_eq!(
        sent(&server).await.0.path_and_query,
        "/documents/opa/examples/public_servers;v=1%3F%23\
         ?select=a/b:c,d[0]=e&f=g%20h%2F%23&plain=a%2Fb%3Ac%2Cd%5B0%5D%3De%26f%3Dg+h%252F%23"
    );
    let (_server, client) = serve(ResponseTemplate::new(204)).await;
    let error = client.documents().read("a/../b", shop::ReadParams::new()).await.expect_err("a dot segment");
    assert!(error.to_string().contains("cannot be sent in a path"), "{error}");
}

/// Parameters described by a JSON `content` are sent as their JSON text: percent-encoded in the
/// query, as they are in a header or a cookie.
#[tokio::test]
async fn content_parameters_are_sent_as_json_text() {
    let (server, client) = serve(ResponseTemplate::new(204)).await;
    let filter = Range { min: Some(1), max: None, additional_properties: Default::default() };
    let context = shop::types::ListXContext { user: Some("ann".to_owned()), additional_properties: Default::default() };
    let params = shop::ListParams::new(filter).tags(vec!["a b".to_owned(), "c".to_owned()]).x_context(context).prefs(7);
    client.reports().list(params).await.expect("204");
    let (received, request) = sent(&server).await;
    assert_eq!(received.path_and_query, "/reports?filter=%7B%22min%22%3A1%7D&tags=%5B%22a+b%22%2C%22c%22%5D");
    assert_eq!(header(&request, "x-context").as_deref(), Some(r#"{"user":"ann"}"#));
    assert_eq!(header(&request, "cookie").as_deref(), Some("prefs=7"));

    let (server, client) = serve(ResponseTemplate::new(204)).await;
    let empty = Range { min: None, max: None, additional_properties: Default::default() };
    client.reports().list(shop::ListParams::new(empty)).await.expect("204");
    assert_eq!(sent(&server).await.0.path_and_query, "/reports?filter=%7B%7D", "unset optional ones are left out");
}

#[tokio::test]
async fn an_alternative_media_type_has_its_own_method() {
    let (server, client) = serve(json(200, r#"{"id": 3, "name": "n"}"#)).await;
    let got = client.items().replace(3, shop::ReplaceParams::new().body(true), &new_item()).await.expect("200");
    assert!(matches!(got, ReplaceResponse::Ok(item) if item.id == 3));
    let (request, _) = sent(&server).await;
    assert_eq!(
        request,
        sent_as("PUT", "/items/3?body=true", Some("application/json"), r#"{"name":"lamp & shade","tags":["a b","c"]}"#)
    );

    let (server, client) = serve(ResponseTemplate::new(202)).await;
    let got = client.items().replace_form(3, shop::ReplaceParams::new(), &new_item()).await.expect("202");
    assert_eq!(got, ReplaceResponse::Accepted);
    let (request, _) = sent(&server).await;
    assert_eq!(
        request,
        sent_as("PUT", "/items/3", Some("application/x-www-form-urlencoded"), "name=lamp+%26+shade&tags=a+b&tags=c")
    );
}

#[tokio::test]
async fn an_optional_inline_body_may_be_left_out() {
    let (server, client) = serve(json(200, r#"{"name": "new"}"#)).await;
    let body = RenameBody { name: Some("new".to_owned()), additional_properties: Default::default() };
    assert_eq!(client.items().rename(1, Some(&body)).await.expect("200").name, "new");
    assert_eq!(sent(&server).await.0, sent_as("PATCH", "/items/1", Some("application/json"), r#"{"name":"new"}"#));
    let (server, client) = serve(json(200, r#"{"name": "old"}"#)).await;
    client.items().rename(1, None).await.expect("200");
    assert_eq!(sent(&server).await.0, sent_as("PATCH", "/items/1", None, ""));
}

#[tokio::test]
async fn every_method_is_sent() {
    let (server, client) = serve(ResponseTemplate::new(204)).await;
    client.items().delete(4).await.expect("204");
    assert_eq!(sent(&server).await.0, sent_as("DELETE", "/items/4", None, ""));
    let (server, client) = serve(ResponseTemplate::new(200)).await;
    client.items().exists(4).await.expect("200");
    assert_eq!(sent(&server).await.0, sent_as("HEAD", "/items/4", None, ""));
    let (server, client) = serve(ResponseTemplate::new(204).insert_header("allow", "GET")).await;
    let response = client.items().options(4).with_response().await.expect("204");
    assert_eq!(response.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET"));
    assert_eq!(sent(&server).await.0, sent_as("OPTIONS", "/items/4", None, ""));
}

#[tokio::test]
async fn text_and_bytes_bodies_and_path_styles() {
    let (server, client) = serve(ResponseTemplate::new(200).set_body_raw("noted ✓", "text/plain")).await;
    assert_eq!(client.items().note("a/b", "hello ✓").await.expect("200"), "noted ✓");
    assert_eq!(sent(&server).await.0, sent_as("POST", "/items/.a%2Fb/notes", Some("text/plain"), "hello ✓"));
    let (server, client) = serve(ResponseTemplate::new(201)).await;
    client.files().upload("r.bin", Some(shop::Bytes::from_static(b"\x00\x01"))).await.expect("201");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests[0].url.path(), "/files/;name=r.bin");
    assert_eq!(requests[0].body, b"\x00\x01");
    assert_eq!(header(&requests[0], "content-type").as_deref(), Some("application/octet-stream"));
    let (_server, client) =
        serve(ResponseTemplate::new(200).set_body_raw(vec![0xff, 0x00], "application/octet-stream")).await;
    assert_eq!(client.files().download("r.bin").await.expect("200").as_ref(), [0xff, 0x00]);
}

#[tokio::test]
async fn success_bodies_that_differ_by_status_are_an_enum() {
    let body = PlaceBody {
        lines: vec![PlaceBodyLinesItem {
            item: 1,
            quantity: std::num::NonZeroU64::new(2).expect("non-zero"),
            additional_properties: Default::default(),
        }],
        additional_properties: Default::default(),
    };
    let (server, client) = serve(json(202, r#"{"ticket": "t9"}"#)).await;
    match client.orders().place(&body).await.expect("202") {
        PlaceResponse::Accepted(queued) => assert_eq!(queued.ticket, "t9"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        sent(&server).await.0,
        sent_as("POST", "/orders", Some("application/json"), r#"{"lines":[{"item":1,"quantity":2}]}"#)
    );
    let (_server, client) = serve(ResponseTemplate::new(204)).await;
    assert_eq!(client.orders().place(&body).await.expect("204"), PlaceResponse::NoContent);
    let (_server, client) = serve(json(200, r#"{"id": 1, "name": "n"}"#)).await;
    assert!(matches!(client.orders().place(&body).await.expect("200"), PlaceResponse::Ok(item) if item.id == 1));
    let (_server, client) = serve(json(203, "{}")).await;
    let error = client.orders().place(&body).await.expect_err("203 is not declared");
    assert!(error.to_string().contains("203"), "{error}");
}

#[tokio::test]
async fn posts_are_retried_with_the_same_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any()).respond_with(json(201, r#"{"id": 1, "name": "n"}"#)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("valid configuration");
    client.items().create(&new_item()).max_retries(1).await.expect("retried");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2);
    let keys: Vec<_> = requests.iter().map(|r| header(r, "idempotency-key")).collect();
    assert!(keys[0].is_some() && keys[0] == keys[1], "{keys:?}");
    assert_eq!(requests[0].body, requests[1].body);
}
