//! Streamed request bodies over loopback (wiremock records what arrived): a raw body and a
//! multipart file read from disk as they are sent ([`Body::from_path`], [`File::from_path`]) or
//! from a stream ([`Body::from_stream`]), with their `Content-Length` when it is known; a file
//! is read again by each attempt of a retried request, and a request with a stream is sent once.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::path::PathBuf;

use futures_util::stream;
use shop::{AttachMultipart, Body, Client, File};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn serve(failures: u64, success: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    if failures > 0 {
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(failures)
            .mount(&server)
            .await;
    }
    Mock::given(wiremock::matchers::any()).respond_with(success).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(2))
        .build()
        .expect("valid configuration");
    (server, client)
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// A file of `len` bytes that are not all alike, in a directory of its own, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, len: usize) -> (Self, Vec<u8>) {
        let dir = std::env::temp_dir().join(format!("uploads-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let content: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let path = dir.join(name);
        std::fs::write(&path, &content).unwrap_or_else(|e| panic!("{e}"));
        (Self(path), content)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[tokio::test]
async fn a_raw_body_from_a_file_is_sent_with_its_length_and_read_again_on_a_retry() {
    let (file, content) = TempFile::new("recording.bin", 300_000);
    let (server, client) = serve(1, ResponseTemplate::new(201)).await;
    client.files().upload("r.bin", Some(Body::from_path(&file.0))).await.expect("201 after a 503");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "retried: a file can be read again");
    for request in &requests {
        assert_eq!(request.url.path(), "/files/;name=r.bin");
        assert_eq!(request.body, content);
        assert_eq!(header(request, "content-length"), Some(content.len().to_string()));
        assert_eq!(header(request, "content-type").as_deref(), Some("application/octet-stream"));
    }
}

#[tokio::test]
async fn a_raw_body_from_a_stream_is_sent_chunked_and_never_retried() {
    let chunks = (0..50).map(|i| Ok::<_, std::io::Error>(vec![i as u8; 1000]));
    let expected: Vec<u8> = (0..50).flat_map(|i| vec![i as u8; 1000]).collect();
    let (server, client) = serve(1, ResponseTemplate::new(201)).await;
    let error = client.files().upload("s.bin", Some(Body::from_stream(stream::iter(chunks)))).await;
    assert_eq!(error.expect_err("the 503 is not retried").status(), Some(503));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "a stream is sent once");
    assert_eq!(requests[0].body, expected);
    assert_eq!(header(&requests[0], "content-length"), None);
    assert_eq!(header(&requests[0], "transfer-encoding").as_deref(), Some("chunked"));

    // With its length declared, it is sent with a `Content-Length`.
    let (server, client) = serve(0, ResponseTemplate::new(201)).await;
    let chunks = stream::iter([Ok::<_, std::io::Error>(b"ab".to_vec()), Ok(b"cde".to_vec())]);
    client.files().upload("s.bin", Some(Body::from_stream(chunks).with_length(5))).await.expect("201");
    let requests = received(&server).await;
    assert_eq!(
        (requests[0].body.as_slice(), header(&requests[0], "content-length")),
        (&b"abcde"[..], Some("5".into()))
    );
}

#[tokio::test]
async fn a_stream_that_fails_fails_the_request() {
    let chunks = stream::iter([Ok(b"ab".to_vec()), Err(std::io::Error::other("the disk went away"))]);
    let (_server, client) = serve(0, ResponseTemplate::new(201)).await;
    let error = client.files().upload("s.bin", Some(Body::from_stream(chunks))).await.expect_err("failed");
    assert_eq!(error.kind(), shop::ErrorKind::Connection, "{error}");
}

#[tokio::test]
async fn a_missing_file_fails_before_anything_is_sent() {
    let (server, client) = serve(0, ResponseTemplate::new(201)).await;
    let error = client.files().upload("m.bin", Some(Body::from_path("/nonexistent/m.bin"))).await.expect_err("none");
    assert_eq!(error.kind(), shop::ErrorKind::InvalidRequest);
    assert!(error.to_string().contains("/nonexistent/m.bin"), "{error}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_multipart_file_from_disk_is_streamed_between_the_parts_in_memory() {
    let (file, content) = TempFile::new("lamp.png", 200_000);
    let created = ResponseTemplate::new(201).set_body_raw(r#"{"id": 7, "name": "lamp"}"#, "application/json");
    let (server, client) = serve(1, created).await;
    let body = AttachMultipart::new("a lamp", File::from_path(&file.0).content_type("image/png"));
    client.items().attach(7, &body).await.expect("201 after a 503");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "retried: the file is read again");
    let content_type = header(&requests[0], "content-type").expect("a content type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a boundary");
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\na lamp\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"lamp.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&content);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    for request in &requests {
        assert_eq!(request.body.len(), expected.len());
        assert!(request.body == expected, "the body differs");
        assert_eq!(header(request, "content-length"), Some(expected.len().to_string()));
    }
}

#[tokio::test]
async fn a_multipart_file_from_a_stream_is_sent_once() {
    let created = ResponseTemplate::new(201).set_body_raw(r#"{"id": 1, "name": "n"}"#, "application/json");
    let (server, client) = serve(0, created).await;
    let chunks = stream::iter([Ok::<_, std::io::Error>(b"PNG".to_vec()), Ok(b"DATA".to_vec())]);
    let body = AttachMultipart::new("c", File::from_stream(chunks).file_name("s.png"));
    client.items().attach(1, &body).await.expect("201");
    let requests = received(&server).await;
    let text = String::from_utf8_lossy(&requests[0].body);
    assert!(text.contains("filename=\"s.png\"\r\nContent-Type: application/octet-stream\r\n\r\nPNGDATA\r\n"), "{text}");
    assert_eq!(header(&requests[0], "content-length"), None, "a stream's length is not known");
    // The same body again: its stream was sent.
    let error = client.items().attach(1, &body).await.expect_err("sent already");
    assert_eq!(error.kind(), shop::ErrorKind::InvalidRequest);
    assert!(error.to_string().contains("sent once"), "{error}");
}
