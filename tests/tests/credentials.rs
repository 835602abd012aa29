//! Credentials per security scheme, on the wire: the zoo's builder has one method per scheme
//! (`token`, `oauth`, `keeper`, `header_key`, `query_key`, `cookie_key`), each operation sends
//! exactly what its requirement asks for (alternatives, AND-combinations, optional `{}`, the
//! document's global requirement or the operation's own), and a scheme given a credential of its
//! own never sends the client-wide one. The zoo's typed mock server records the requests.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use zoo::mock::MockServer;
use zoo::{Client, ClientBuilder};

/// A server that answers every operation of the zoo's `auth` resource, and `GET /animals`.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    let auth = server.auth();
    auth.get_auth_bearer(|when| when).respond_empty(204).await;
    auth.get_auth_basic(|when| when).respond_empty(204).await;
    auth.get_auth_header(|when| when).respond_empty(204).await;
    auth.get_auth_query(|when| when).respond_empty(204).await;
    auth.get_auth_cookie(|when| when).respond_empty(204).await;
    auth.get_auth_either(|when| when).respond_empty(204).await;
    auth.get_auth_both(|when| when).respond_empty(204).await;
    auth.get_auth_optional(|when| when).respond_empty(204).await;
    let page: zoo::types::AnimalPage = zoo::from_str(r#"{"items": [], "total": 0}"#).expect("a page");
    server.animals().list(|when| when).respond(page).await;
    server
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri()).max_retries(0)
}

/// What the last request carried: `Authorization`, `X-Zoo-Key`, the `zoo_key` query parameter,
/// the `zoo_session` cookie.
type Sent = (Option<String>, Option<String>, Option<String>, Option<String>);

async fn last(server: &MockServer) -> Sent {
    let received = server.received().await;
    let request = received.last().expect("a request");
    let header = |name: &str| request.header(name).map(str::to_owned);
    (
        header("authorization"),
        header("x-zoo-key"),
        request.query("zoo_key").map(str::to_owned),
        request.cookie("zoo_session"),
    )
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[tokio::test]
async fn each_scheme_sends_its_own_credential() {
    let server = server().await;
    let client = builder(&server)
        .token("t_token")
        .oauth("t_oauth")
        .keeper("u", "p")
        .header_key("k_header")
        .query_key("k_query")
        .cookie_key("k_cookie")
        .build()
        .expect("valid");
    let auth = client.auth();
    auth.get_auth_bearer().await.expect("204");
    assert_eq!(last(&server).await, (some("Bearer t_oauth"), None, None, None), "the OAuth2 scheme's token");
    auth.get_auth_basic().await.expect("204");
    // `u:p` in base64, by hand.
    assert_eq!(last(&server).await, (some("Basic dTpw"), None, None, None));
    auth.get_auth_header().await.expect("204");
    assert_eq!(last(&server).await, (None, some("k_header"), None, None));
    auth.get_auth_query().await.expect("204");
    assert_eq!(last(&server).await, (None, None, some("k_query"), None));
    auth.get_auth_cookie().await.expect("204");
    assert_eq!(last(&server).await, (None, None, None, some("k_cookie")));
    auth.get_auth_both().await.expect("204");
    assert_eq!(last(&server).await, (None, some("k_header"), some("k_query"), None), "both schemes together");
    client.animals().list(zoo::ListParams::new(0)).await.expect("a page");
    assert_eq!(last(&server).await, (some("Bearer t_token"), None, None, None), "the document's global requirement");
}

#[tokio::test]
async fn alternatives_send_the_first_one_the_client_has_every_credential_of() {
    let server = server().await;
    // `[{keeper}, {token, headerKey}]`: no basic credentials, so the token and the key, each its own.
    let client = builder(&server).token("t_token").header_key("k_header").build().expect("valid");
    client.auth().get_auth_either().await.expect("204");
    assert_eq!(last(&server).await, (some("Bearer t_token"), some("k_header"), None, None));

    // Only half of the second alternative: nothing is sent, and the server decides.
    let half = builder(&server).header_key("k_header").build().expect("valid");
    half.auth().get_auth_either().await.expect("204");
    assert_eq!(last(&server).await, (None, None, None, None));
    half.auth().get_auth_both().await.expect("204");
    assert_eq!(last(&server).await, (None, None, None, None), "an AND-combination is sent whole or not at all");
}

#[tokio::test]
async fn optional_security_sends_a_credential_when_there_is_one_and_nothing_otherwise() {
    let server = server().await;
    let anonymous = builder(&server).build().expect("no operation requires credentials");
    anonymous.auth().get_auth_optional().await.expect("204");
    assert_eq!(last(&server).await, (None, None, None, None));
    anonymous.animals().list(zoo::ListParams::new(0)).await.expect("a page");
    assert_eq!(last(&server).await, (None, None, None, None), "the global requirement is optional too");

    let with_cookie = builder(&server).cookie_key("k_cookie").build().expect("valid");
    with_cookie.auth().get_auth_optional().await.expect("204");
    assert_eq!(last(&server).await, (None, None, None, some("k_cookie")), "`{{}}` first, yet the key is sent");
    with_cookie.animals().list(zoo::ListParams::new(0)).await.expect("a page");
    assert_eq!(last(&server).await, (None, None, None, None), "the cookie is not the global scheme");
}

#[tokio::test]
async fn the_client_wide_key_serves_the_schemes_given_none_of_their_own() {
    let server = server().await;
    let client = builder(&server).api_key("k_all").header_key("k_header").build().expect("valid");
    client.auth().get_auth_header().await.expect("204");
    assert_eq!(last(&server).await, (None, some("k_header"), None, None), "its own, not the client-wide one");
    client.auth().get_auth_query().await.expect("204");
    assert_eq!(last(&server).await, (None, None, some("k_all"), None));
    client.auth().get_auth_bearer().await.expect("204");
    assert_eq!(last(&server).await, (some("Bearer k_all"), None, None, None));
    // An operation whose own requirement overrides the global one sends only what it asks for.
    client.auth().get_auth_cookie().await.expect("204");
    assert_eq!(last(&server).await, (None, None, None, some("k_all")));
}

#[tokio::test]
async fn credentials_given_per_scheme_never_show_in_debug_output_or_errors() {
    let builder =
        Client::builder().header_key("k_secret_header").keeper("u", "p_secret").base_url("http://127.0.0.1:9");
    let debug = format!("{builder:?}");
    assert!(!debug.contains("k_secret_header") && !debug.contains("p_secret"), "{debug}");
    assert!(debug.contains("credentials: [\"headerKey\", \"keeper\"]"), "{debug}");
    let client = builder.max_retries(0).build().expect("valid");
    let error = client.auth().get_auth_header().await.expect_err("nothing listens on port 9");
    assert!(!format!("{error} {error:?}").contains("k_secret"), "{error:?}");
}

/// `from_env` gives each scheme the credential of its own variable (`ZOO_HEADER_KEY`,
/// `ZOO_KEEPER_USERNAME`/`ZOO_KEEPER_PASSWORD`…), and the client-wide `ZOO_API_KEY` to the schemes
/// without one; checked on the wire in a child process, since changing this process's
/// environment is unsafe.
#[test]
fn from_env_reads_each_schemes_own_variable() {
    if std::env::var_os("ZOO_TEST_SCHEME_ENV_CHILD").is_some() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async {
            let server = server().await;
            let client = builder(&server).from_env().expect("variables read").build().expect("valid");
            let auth = client.auth();
            auth.get_auth_header().await.expect("204");
            assert_eq!(last(&server).await, (None, some("k_env_header"), None, None));
            auth.get_auth_basic().await.expect("204");
            // `u:p` in base64, by hand.
            assert_eq!(last(&server).await, (some("Basic dTpw"), None, None, None));
            auth.get_auth_query().await.expect("204");
            assert_eq!(last(&server).await, (None, None, some("k_env_wide"), None), "the client-wide key");
            client.animals().list(zoo::ListParams::new(0)).await.expect("a page");
            assert_eq!(last(&server).await, (some("Bearer t_env_token"), None, None, None), "the token's own");
        });
        return;
    }
    tests::run_child_test("from_env_reads_each_schemes_own_variable", |child| {
        child
            .env("ZOO_TEST_SCHEME_ENV_CHILD", "1")
            .env("ZOO_HEADER_KEY", "k_env_header")
            .env("ZOO_KEEPER_USERNAME", "u")
            .env("ZOO_KEEPER_PASSWORD", "p")
            .env("ZOO_TOKEN", "t_env_token")
            .env("ZOO_API_KEY", "k_env_wide")
            .env_remove("ZOO_QUERY_KEY")
            .env_remove("ZOO_USERNAME")
            .env_remove("ZOO_PASSWORD");
    });
}
