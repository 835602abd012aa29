//! Streamed responses of the `zoo` crate, from a loopback server that writes each chunk when the
//! test says: server-sent events typed by the document's union, JSON Lines and JSON text
//! sequences; true streaming (an event reaches the caller while the server still holds the
//! body open), broken streams ending with an error item, the idle timeout, the stream's own byte
//! limit, and retries only before anything was delivered.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use zoo::types::{Census, Feeding, ZooEvent};
use zoo::{Client, ErrorKind, SubscribeParams};

/// One connection as the server sees it: the request's head and body, and the socket to answer.
struct Exchange {
    request: String,
    socket: TcpStream,
}

impl Exchange {
    async fn write(&mut self, text: &str) {
        self.socket.write_all(text.as_bytes()).await.expect("the client is connected");
        self.socket.flush().await.expect("flushed");
    }

    /// A response head for a chunked body of this content type.
    async fn head(&mut self, content_type: &str) {
        self.write(&format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"))
            .await;
    }

    async fn chunk(&mut self, text: &str) {
        self.write(&format!("{:x}\r\n{text}\r\n", text.len())).await;
    }

    async fn end(&mut self) {
        self.write("0\r\n\r\n").await;
    }
}

/// A server answering each connection with `handler`, and how many connections it accepted.
async fn serve<F, Fut>(handler: F) -> (Client, Arc<AtomicUsize>)
where
    F: Fn(Exchange, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    let count = Arc::new(AtomicUsize::new(0));
    let accepted = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let n = accepted.fetch_add(1, Ordering::SeqCst);
            let request = read_request(&mut socket).await;
            tokio::spawn(handler(Exchange { request, socket }, n));
        }
    });
    let client = Client::builder()
        .base_url(url)
        .api_key("key")
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(1))
        .build()
        .expect("a client");
    (client, count)
}

async fn read_request(socket: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let n = socket.read(&mut buffer).await.expect("readable");
        bytes.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length || n == 0 {
                return text;
            }
        } else if n == 0 {
            return text;
        }
    }
}

const FEEDING: &str = r#"{"type":"feeding","animal":"Mei","grams":300}"#;

#[tokio::test]
async fn events_arrive_typed_as_the_server_sends_them() {
    // The server holds the body open after the first event until the test has received it.
    let (received_tx, received_rx) = mpsc::channel::<()>(1);
    let received_rx = Arc::new(tokio::sync::Mutex::new(received_rx));
    let (requests_tx, mut requests) = mpsc::unbounded_channel::<String>();
    let (client, count) = serve(move |mut exchange, _| {
        let received_rx = received_rx.clone();
        let requests_tx = requests_tx.clone();
        async move {
            requests_tx.send(exchange.request.clone()).expect("the test listens");
            exchange.head("text/event-stream").await;
            exchange.chunk(": keep-alive\n\n").await;
            exchange.chunk(&format!("event: feeding\nid: 1\ndata: {FEEDING}\n\n")).await;
            received_rx.lock().await.recv().await.expect("the client got the first event");
            // An event split across chunks, with CRLF line ends and a retry field.
            exchange.chunk("retry: 1500\r\ndata: {\"type\":\"birth\",").await;
            exchange.chunk("\"mother\":\"Lan\",\"name\":\"Bao\"}\r\n\r\n").await;
            // A type this crate does not know, an event name it does not know, and a keep-alive.
            exchange.chunk("event: vaccination\ndata: {\"type\":\"vaccination\",\"vet\":\"Ada\"}\n\n:\n\n").await;
            // Data that does not decode: an error item naming the path, and the stream goes on.
            exchange.chunk("data: {\"type\":\"feeding\",\"animal\":\"Mei\",\"grams\":\"lots\"}\n\n").await;
            exchange.chunk("event: ping\ndata:\n\n").await;
            exchange.chunk(&format!("data: {FEEDING}\n\ndata: [DONE]\n\n")).await;
            // The terminator ends the stream: whatever the server sends after it is not read.
            exchange.chunk(&format!("data: {FEEDING}\n\n")).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await;
    let mut events = client.events().subscribe(SubscribeParams::new("asia")).await.expect("the stream opens");
    let first = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the first event arrives while the body is still open")
        .expect("an item")
        .expect("an event");
    assert!(matches!(&first.data, ZooEvent::Feeding(Feeding { animal, grams: 300, .. }) if animal == "Mei"));
    assert_eq!((first.event.as_str(), first.id.as_str(), first.retry), ("feeding", "1", None));
    received_tx.send(()).await.expect("the server waits");
    let request = requests.recv().await.expect("a request");
    assert!(request.starts_with("GET /events?enclosure=asia HTTP/1.1\r\n"), "{request}");
    assert!(request.to_ascii_lowercase().contains("\r\naccept: text/event-stream\r\n"), "{request}");

    let second = events.next().await.expect("an item").expect("an event");
    assert!(matches!(&second.data, ZooEvent::Birth(birth) if birth.mother == "Lan"));
    assert_eq!((second.event.as_str(), second.id.as_str()), ("message", "1"), "the last id stays");
    assert_eq!(second.retry, Some(Duration::from_millis(1500)));

    let unknown = events.next().await.expect("an item").expect("an unknown type is kept");
    assert_eq!(unknown.event, "vaccination");
    let ZooEvent::Other(fields) = &unknown.data else { panic!("expected `Other`, got {:?}", unknown.data) };
    assert_eq!(fields["vet"], "Ada");

    let bad = events.next().await.expect("an item").expect_err("the data does not decode");
    assert_eq!(bad.kind(), ErrorKind::Decode);
    assert!(bad.to_string().contains("grams"), "{bad}");

    let last = events.next().await.expect("the stream goes on").expect("an event");
    assert!(matches!(last.data, ZooEvent::Feeding(_)));
    assert!(events.next().await.is_none(), "`[DONE]` ends the stream");
    assert!(events.next().await.is_none());
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_broken_connection_ends_the_stream_with_an_error_item_and_is_not_retried() {
    let (client, count) = serve(|mut exchange, _| async move {
        exchange.head("text/event-stream").await;
        exchange.chunk(&format!("data: {FEEDING}\n\ndata: {{\"type\":")).await;
        // Closed without the last chunk: the body is cut short.
    })
    .await;
    let events = client.events().subscribe(SubscribeParams::new("asia")).await.expect("the stream opens");
    let items: Vec<_> = events.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    let error = items[1].as_ref().expect_err("the break is an error item");
    assert_eq!(error.kind(), ErrorKind::Connection, "{error}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "nothing is retried once an event was delivered");
}

#[tokio::test]
async fn a_server_closing_in_the_middle_of_an_event_is_an_error_item() {
    // A body delimited by the connection's close: the close itself is clean.
    let (client, _) = serve(|mut exchange, _| async move {
        exchange.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n").await;
        exchange.write(&format!("data: {FEEDING}\n\nevent: feeding\ndata: {FEEDING}\n")).await;
    })
    .await;
    let events = client.events().subscribe(SubscribeParams::new("asia")).await.expect("the stream opens");
    let items: Vec<_> = events.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    let error = items[1].as_ref().expect_err("an event cut short is an error");
    assert_eq!(error.kind(), ErrorKind::Stream);
    assert!(error.to_string().contains("in the middle of an event"), "{error}");

    // The same stream closed after a whole event (and a comment) ends without error.
    let (client, _) = serve(|mut exchange, _| async move {
        exchange.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n").await;
        exchange.write(&format!("data: {FEEDING}\n\n: bye\n")).await;
    })
    .await;
    let events = client.events().subscribe(SubscribeParams::new("asia")).await.expect("the stream opens");
    let items: Vec<_> = events.collect().await;
    assert!(items.len() == 1 && items[0].is_ok(), "{items:?}");
}

#[tokio::test]
async fn an_error_status_is_retried_before_the_stream_starts() {
    let (client, count) = serve(|mut exchange, n| async move {
        if n == 0 {
            exchange.write("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\n\r\nbusy").await;
            return;
        }
        exchange.head("text/event-stream").await;
        exchange.chunk(&format!("data: {FEEDING}\n\n")).await;
        exchange.end().await;
    })
    .await;
    let events = client.events().subscribe(SubscribeParams::new("asia")).await.expect("the retry opens it");
    let items: Vec<_> = events.collect().await;
    assert!(items.len() == 1 && items[0].is_ok(), "{items:?}");
    assert_eq!(count.load(Ordering::SeqCst), 2);

    // Without retries, the status is the error of `.await`, with its body.
    let (client, _) = serve(|mut exchange, _| async move {
        exchange.write("HTTP/1.1 404 Not Found\r\ncontent-length: 7\r\n\r\nunknown").await;
    })
    .await;
    let error = client.events().subscribe(SubscribeParams::new("asia")).await.expect_err("404");
    assert_eq!((error.kind(), error.body()), (ErrorKind::NotFound, Some("unknown")));
}

#[tokio::test]
async fn the_idle_timeout_bounds_each_wait_not_the_whole_stream() {
    let slow = |mut exchange: Exchange, _| async move {
        exchange.head("text/event-stream").await;
        for _ in 0..6 {
            exchange.chunk(&format!("data: {FEEDING}\n\n")).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        exchange.end().await;
    };
    // The client's timeout (250 ms) is shorter than the stream (600 ms): it bounds the wait for
    // the head, each chunk then has the idle timeout.
    let (client, _) = serve(slow).await;
    let client = client.with_timeout(Duration::from_millis(250));
    let pending = client.events().subscribe(SubscribeParams::new("asia")).idle_timeout(Duration::from_secs(2));
    let items: Vec<_> = pending.await.expect("opens").collect().await;
    assert!(items.len() == 6 && items.iter().all(Result::is_ok), "{items:?}");

    let (client, _) = serve(|mut exchange, _| async move {
        exchange.head("text/event-stream").await;
        exchange.chunk(&format!("data: {FEEDING}\n\n")).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let pending = client.events().subscribe(SubscribeParams::new("asia")).idle_timeout(Duration::from_millis(200));
    let items: Vec<_> = pending.await.expect("opens").collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    let error = items[1].as_ref().expect_err("the silence ends the stream");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
}

#[tokio::test]
async fn a_stream_has_its_own_byte_limit() {
    let long = |mut exchange: Exchange, _| async move {
        exchange.head("text/event-stream").await;
        for _ in 0..20 {
            exchange.chunk(&format!("data: {FEEDING}\n\n")).await;
        }
        exchange.end().await;
    };
    // `max_response_bytes` does not cut a stream…
    let (client, _) = serve(long).await;
    let client = zoo::Client::builder()
        .base_url(client.base_url())
        .api_key("key")
        .max_response_bytes(100)
        .build()
        .expect("a client");
    let items: Vec<_> = client.events().subscribe(SubscribeParams::new("asia")).await.expect("opens").collect().await;
    assert!(items.len() == 20 && items.iter().all(Result::is_ok), "{items:?}");
    // … `max_stream_bytes` does.
    let (client, _) = serve(long).await;
    let pending = client.events().subscribe(SubscribeParams::new("asia")).max_stream_bytes(200);
    let items: Vec<_> = pending.await.expect("opens").collect().await;
    let error = items.last().expect("items").as_ref().expect_err("over the limit");
    assert_eq!(error.kind(), ErrorKind::Stream, "{error}");
    assert!(items.len() < 20, "{items:?}");
}

#[tokio::test]
async fn an_operation_with_json_and_events_has_a_stream_method_beside_it() {
    let (client, _) = serve(|mut exchange, _| async move {
        if exchange.request.to_ascii_lowercase().contains("\r\naccept: text/event-stream\r\n") {
            exchange.head("text/event-stream").await;
            // The document names `END` as this stream's terminator.
            exchange.chunk(&format!("data: {FEEDING}\n\ndata: END\n\ndata: {FEEDING}\n\n")).await;
            exchange.end().await;
        } else {
            let body = FEEDING;
            exchange
                .write(&format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                ))
                .await;
        }
    })
    .await;
    let feeding = Feeding::new("Mei".to_owned(), 300, "feeding".to_owned());
    let logged = client.events().log_feeding(&feeding).await.expect("JSON");
    assert_eq!(logged.grams, 300);
    let events = client.events().log_feeding_stream(&feeding).await.expect("opens");
    let items: Vec<_> = events.collect().await;
    assert!(items.len() == 1 && items[0].is_ok(), "`END` ends it: {items:?}");
}

#[tokio::test]
async fn json_lines_and_json_text_sequences_stream_typed_items() {
    let (client, _) = serve(|mut exchange, _| async move {
        if exchange.request.starts_with("GET /census/seq ") {
            exchange.head("application/json-seq").await;
            exchange.chunk("\u{1e}{\"species\":\"panda\",\"count\":2}\n\u{1e}{\"species\":").await;
            exchange.chunk("\"otter\",\"count\":5}\n\u{1e}{\"species\":\"owl\"").await;
        } else {
            exchange.head("application/x-ndjson").await;
            exchange.chunk("{\"species\":\"panda\",\"count\":2}\n\n{\"species\":\"otter\",").await;
            exchange.chunk("\"count\":\"five\"}\n{\"species\":\"owl\",\"count\":1}").await;
        }
        exchange.end().await;
    })
    .await;
    let lines: Vec<_> = client.census().lines().await.expect("opens").collect().await;
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(matches!(&lines[0], Ok(Census { species, count: 2, .. }) if species == "panda"));
    let bad = lines[1].as_ref().expect_err("a line that does not decode");
    assert!(bad.kind() == ErrorKind::Decode && bad.to_string().contains("count"), "{bad}");
    assert!(matches!(&lines[2], Ok(Census { count: 1, .. })), "a last line may end without a newline");

    let seq: Vec<_> = client.census().sequence().await.expect("opens").collect().await;
    assert_eq!(seq.len(), 3, "{seq:?}");
    assert!(matches!(&seq[1], Ok(Census { species, count: 5, .. }) if species == "otter"));
    let cut = seq[2].as_ref().expect_err("a last text without its line feed is cut short");
    assert_eq!(cut.kind(), ErrorKind::Stream, "{cut}");
}

#[tokio::test]
async fn a_download_streams_its_bytes_as_they_arrive() {
    let (received_tx, received_rx) = mpsc::channel::<()>(1);
    let received_rx = Arc::new(tokio::sync::Mutex::new(received_rx));
    let (client, _) = serve(move |mut exchange, _| {
        let received_rx = received_rx.clone();
        async move {
            let request = exchange.request.clone();
            exchange.head("application/octet-stream").await;
            exchange.chunk("first ").await;
            if request.contains("/files/slow") {
                received_rx.lock().await.recv().await.expect("the client got the first bytes");
            }
            exchange.chunk("second").await;
            exchange.end().await;
        }
    })
    .await;
    let shop = shop::Client::builder().base_url(client.base_url()).build().expect("a client");
    let mut bytes = shop.files().download_stream("slow").await.expect("opens");
    let first = tokio::time::timeout(Duration::from_secs(5), bytes.next())
        .await
        .expect("the first bytes arrive before the body ends")
        .expect("an item")
        .expect("bytes");
    assert_eq!(&first[..], b"first ");
    received_tx.send(()).await.expect("the server waits");
    assert_eq!(&bytes.collect().await.expect("the rest")[..], b"second");
    // The buffered method reads the same body whole.
    assert_eq!(&shop.files().download("fast").await.expect("the body")[..], b"first second");
}
