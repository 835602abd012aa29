//! Every operation of the shop fixture (`tests/fixtures/shop/openapi.json`) called over
//! loopback (wiremock): the request is checked byte for byte (method, path, query, headers,
//! cookies, body, content type) and the response decoded as the document declares.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use shop::types::{
    Color, NewItem, PlaceBody, PlaceBodyLinesItem, PlaceBodySchedule, Range, RenameBody, RenameBodyLevel,
    RenameBodySchedule, RenameBodyScheduleLevel, RunsGetLevel,
};
use shop::{
    AttachMultipart, Client, CreateError, File, PlaceResponse, ReplaceMultipart, ReplaceResponse, SearchParams,
};
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
    let mut item = NewItem::new("lamp & shade");
    item.tags = Some(vec!["a b".to_owned(), "c".to_owned()]);
    item
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
        .range(range(Some(1), Some(9)))
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
    let filter = range(Some(1), None);
    let mut context = shop::types::ListXContext::new();
    context.user = Some("ann".to_owned());
    let params = shop::ListParams::new(filter).tags(vec!["a b".to_owned(), "c".to_owned()]).x_context(context).prefs(7);
    client.reports().list(params).await.expect("204");
    let (received, request) = sent(&server).await;
    assert_eq!(received.path_and_query, "/reports?filter=%7B%22min%22%3A1%7D&tags=%5B%22a+b%22%2C%22c%22%5D");
    assert_eq!(header(&request, "x-context").as_deref(), Some(r#"{"user":"ann"}"#));
    assert_eq!(header(&request, "cookie").as_deref(), Some("prefs=7"));

    let (server, client) = serve(ResponseTemplate::new(204)).await;
    let empty = Range::new();
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

/// A form body's `encoding`: `deepObject` writes nested objects and lists in brackets to any
/// depth (`line_items[0][price]`, lists indexed as Stripe's SDKs send them), `pipeDelimited` and
/// a `form` field that is not exploded join a list into one pair; the rest is written as usual.
#[tokio::test]
async fn a_form_body_is_written_as_its_encoding_says() {
    use shop::types::{ChargeForm, ChargeFormLineItemsItem};
    let (server, client) = serve(json(200, r#"{"id": 3, "name": "n"}"#)).await;
    let line = |price: &str, quantity| {
        let mut line = ChargeFormLineItemsItem::new();
        line.price = Some(price.to_owned());
        line.quantity = Some(quantity);
        line
    };
    let mut body = ChargeForm::new(100);
    body.codes = Some(vec!["x".into(), "y z".into()]);
    body.expand = Some(vec!["customer".into(), "invoice.lines".into()]);
    body.line_items = Some(vec![line("p_1", 2), line("p&2", 1)]);
    body.metadata = Some([("order".to_owned(), "6735".to_owned()), ("note".to_owned(), "a=b".to_owned())].into());
    body.tags = Some(vec!["a".into(), "b".into()]);
    client.items().charge(3, &body).await.expect("200");
    let (request, _) = sent(&server).await;
    let expected = "amount=100&codes=x%2Cy+z&expand%5B0%5D=customer&expand%5B1%5D=invoice.lines\
                    &line_items%5B0%5D%5Bprice%5D=p_1&line_items%5B0%5D%5Bquantity%5D=2\
                    &line_items%5B1%5D%5Bprice%5D=p%262&line_items%5B1%5D%5Bquantity%5D=1\
                    &metadata%5Bnote%5D=a%3Db&metadata%5Border%5D=6735&tags=a%7Cb";
    assert_eq!(request, sent_as("POST", "/items/3/charges", Some("application/x-www-form-urlencoded"), expected));

    // Unset optional fields send nothing.
    let (server, client) = serve(json(200, r#"{"id": 3, "name": "n"}"#)).await;
    let body = ChargeForm::new(1);
    client.items().charge(3, &body).await.expect("200");
    let (request, _) = sent(&server).await;
    assert_eq!(request, sent_as("POST", "/items/3/charges", Some("application/x-www-form-urlencoded"), "amount=1"));
}

#[tokio::test]
async fn an_optional_inline_body_may_be_left_out() {
    let (server, client) = serve(json(200, r#"{"name": "new"}"#)).await;
    let mut body = RenameBody::new();
    body.name = Some("new".to_owned());
    assert_eq!(client.items().rename(1, Some(&body)).await.expect("200").name, "new");
    assert_eq!(sent(&server).await.0, sent_as("PATCH", "/items/1", Some("application/json"), r#"{"name":"new"}"#));
    let (server, client) = serve(json(200, r#"{"name": "old"}"#)).await;
    client.items().rename(1, None).await.expect("200");
    assert_eq!(sent(&server).await.0, sent_as("PATCH", "/items/1", None, ""));
}

/// `items.rename`, `orders.place` and `runs.get` write the same inline schemas (a `level` enum, a
/// `schedule` object holding one): each is one type, and every name it had is an alias of it, so a
/// value made under one name is passed under another, and is encoded the same.
#[tokio::test]
async fn identical_inline_schemas_are_one_type_under_each_name() {
    fn as_place_schedule(schedule: RenameBodySchedule) -> PlaceBodySchedule {
        schedule
    }
    let level: RunsGetLevel = RenameBodyLevel::Low;
    let mut schedule = RenameBodySchedule::new();
    schedule.at = Some("noon".to_owned());
    schedule.level = Some(RenameBodyScheduleLevel::High);
    let schedule = as_place_schedule(schedule);
    let mut body = RenameBody::new();
    body.level = Some(level);
    body.schedule = Some(schedule.clone());
    let (server, client) = serve(json(200, r#"{"name": "n"}"#)).await;
    client.items().rename(1, Some(&body)).await.expect("200");
    let expected = r#"{"level":"low","schedule":{"at":"noon","level":"high"}}"#;
    assert_eq!(sent(&server).await.0, sent_as("PATCH", "/items/1", Some("application/json"), expected));
    let mut body = PlaceBody::new(Vec::new());
    body.schedule = Some(schedule);
    let (server, client) = serve(ResponseTemplate::new(204)).await;
    client.orders().place(&body).await.expect("204");
    let expected = r#"{"lines":[],"schedule":{"at":"noon","level":"high"}}"#;
    assert_eq!(sent(&server).await.0, sent_as("POST", "/orders", Some("application/json"), expected));
    let decoded: RenameBodySchedule = serde_json::from_str(r#"{"level": "urgent"}"#).expect("an unknown level is kept");
    assert_eq!(decoded.level, Some(RunsGetLevel::Other("urgent".to_owned())));
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
    client.files().upload("r.bin", Some(shop::Body::from(shop::Bytes::from_static(b"\x00\x01")))).await.expect("201");
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
    let body = PlaceBody::new(vec![PlaceBodyLinesItem::new(1, 2)]);
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

/// Parameters whose schema is a union of scalars are sent as the scalar (or the array) they
/// hold; a nullable one is sent or left out.
#[tokio::test]
async fn union_and_nullable_parameters_are_sent_as_what_they_hold() {
    use shop::RunsGetParams;
    use shop::types::{RunsGetIds, RunsGetRun};
    let (server, client) = serve(ResponseTemplate::new(204)).await;
    let params = RunsGetParams::new().ids(RunsGetIds::Array(vec!["a".into(), "b c".into()])).tool("x");
    client.runs().get(RunsGetRun::Integer(7), params).await.expect("204");
    assert_eq!(sent(&server).await.0, sent_as("GET", "/runs/7?ids=a&ids=b+c&tool=x", None, ""));

    let (server, client) = serve(ResponseTemplate::new(204)).await;
    let params = RunsGetParams::new().ids(RunsGetIds::String("x,y".into())).since("2024");
    client.runs().get(RunsGetRun::String("a/b".into()), params).await.expect("204");
    assert_eq!(sent(&server).await.0, sent_as("GET", "/runs/a%2Fb?ids=x%2Cy&since=2024", None, ""));
}

/// The boundary of a multipart request, read from its content type.
fn boundary(request: &Request) -> String {
    let content_type = header(request, "content-type").expect("a content type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart with a boundary");
    assert!(
        !boundary.is_empty()
            && boundary.len() <= 70
            && boundary.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "a boundary that needs no quotes: {boundary}"
    );
    boundary.to_owned()
}

/// `template` with every `BOUNDARY` replaced by `boundary`.
fn with_boundary(template: &[u8], boundary: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(template.len());
    let mut rest = template;
    while !rest.is_empty() {
        if rest.starts_with(b"BOUNDARY") {
            out.extend_from_slice(boundary.as_bytes());
            rest = &rest[b"BOUNDARY".len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

fn range(min: Option<i128>, max: Option<i128>) -> Range {
    let mut range = Range::new();
    (range.min, range.max) = (min, max);
    range
}

#[tokio::test]
async fn a_multipart_body_is_sent_part_by_part() {
    let (server, client) = serve(json(201, r#"{"id": 7, "name": "lamp"}"#)).await;
    let image = File::new(&b"\x89PNG\r\n\x00\xff"[..]).file_name("lamp \"big\".png").content_type("image/png");
    let body = AttachMultipart::new("A \"lamp\"\r\non two lines ✓", image)
        .tags(vec!["a".to_owned(), "b c".to_owned()])
        .position(-3)
        .public(false)
        .color(Color::Green)
        .crop(range(Some(1), None))
        .layers(vec![range(None, Some(2)), range(Some(3), Some(4))])
        .notes("*bold*")
        .thumbnails(vec![File::new("t1").file_name("t1.png"), File::new("t2")])
        .original(File::new(vec![0xfe, 0xff]));
    let item = client.items().attach(7, &body).await.expect("201");
    assert_eq!((item.id, item.name.as_str()), (7, "lamp"));
    let requests = server.received_requests().await.expect("recording is on");
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.url.path()), ("POST", "/items/7/images"));
    let boundary = boundary(request);
    // Text parts first (required, then optional, by name), then the files; a list is one part
    // per item; nothing for the unset `id` (read-only) and the absent optional parts. A declared
    // file without a name is named after its part; the untyped `original` is sent without one.
    let expected = with_boundary(
        b"--BOUNDARY\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nA \"lamp\"\r\non two lines \xe2\x9c\x93\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"color\"\r\n\r\ngreen\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"crop\"\r\nContent-Type: application/vnd.shop.range+json\r\n\r\n{\"min\":1}\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"layers\"\r\nContent-Type: application/json\r\n\r\n{\"max\":2}\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"layers\"\r\nContent-Type: application/json\r\n\r\n{\"max\":4,\"min\":3}\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"notes\"\r\nContent-Type: text/markdown\r\n\r\n*bold*\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"position\"\r\n\r\n-3\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"public\"\r\n\r\nfalse\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb c\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"image\"; filename=\"lamp %22big%22.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x00\xff\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"original\"\r\nContent-Type: application/octet-stream\r\n\r\n\xfe\xff\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"thumbnails\"; filename=\"t1.png\"\r\nContent-Type: image/png\r\n\r\nt1\r\n\
          --BOUNDARY\r\nContent-Disposition: form-data; name=\"thumbnails\"; filename=\"thumbnails\"\r\nContent-Type: image/png\r\n\r\nt2\r\n\
          --BOUNDARY--\r\n",
        &boundary,
    );
    assert_eq!(String::from_utf8_lossy(&request.body), String::from_utf8_lossy(&expected));
    assert_eq!(request.body, expected);
    assert_eq!(header(request, "content-length"), Some(expected.len().to_string()), "not chunked");
}

#[tokio::test]
async fn a_multipart_alternative_has_its_own_method_and_leaves_out_what_is_unset() {
    let (server, client) = serve(ResponseTemplate::new(202)).await;
    let got = client.items().replace_multipart(3, shop::ReplaceParams::new(), &ReplaceMultipart::new("lamp")).await;
    assert_eq!(got.expect("202"), ReplaceResponse::Accepted);
    let requests = server.received_requests().await.expect("recording is on");
    let boundary = boundary(&requests[0]);
    assert_eq!((requests[0].method.as_str(), requests[0].url.path()), ("PUT", "/items/3"));
    assert_eq!(
        requests[0].body,
        with_boundary(
            b"--BOUNDARY\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nlamp\r\n--BOUNDARY--\r\n",
            &boundary
        )
    );
}

#[tokio::test]
async fn a_retried_multipart_request_sends_the_same_bytes() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any()).respond_with(json(201, r#"{"id": 1, "name": "n"}"#)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("valid configuration");
    let body = AttachMultipart::new("c", File::new(vec![1, 2, 3]).file_name("f.bin"));
    client.items().attach(1, &body).max_retries(1).await.expect("retried");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2);
    assert_eq!(header(&requests[0], "content-type"), header(&requests[1], "content-type"));
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn a_file_content_type_that_is_not_header_text_is_refused_before_sending() {
    let (server, client) = serve(json(201, r#"{"id": 1, "name": "n"}"#)).await;
    let image = File::new("x").content_type("image/png\r\nX-Injected: 1");
    let error = client.items().attach(1, &AttachMultipart::new("c", image)).await.expect_err("refused");
    assert_eq!(error.kind(), shop::ErrorKind::InvalidRequest, "{error}");
    assert!(error.to_string().contains("`image`"), "{error}");
    assert!(server.received_requests().await.expect("recording is on").is_empty());
}

/// `Default` sends nothing the caller did not set: an optional property with a documented
/// default stays absent (the server applies its default), a required one starts with its
/// default, which must be sent.
#[test]
fn default_leaves_optional_properties_absent() {
    let page = shop::types::ReportPage::default();
    assert_eq!(serde_json::to_value(&page).expect("encodes"), serde_json::json!({"size": 10}));
}

#[tokio::test]
async fn integers_outside_a_model_read_a_zero_fraction_as_an_integer() {
    let (_server, client) = serve(json(200, r#"{"bolt": 12.0, "nut": 3}"#)).await;
    let stock = client.items().stock().await.expect("integral numbers are integers");
    assert_eq!(stock, [("bolt".to_owned(), 12), ("nut".to_owned(), 3)].into());

    let (_server, client) = serve(json(200, r#"{"bolt": 12.5}"#)).await;
    let error = client.items().stock().await.expect_err("a fraction is no integer");
    assert!(error.to_string().contains("floating point `12.5`, expected i32"), "{error}");
}
