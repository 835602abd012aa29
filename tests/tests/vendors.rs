//! The proof on real descriptions: crates generated from OpenAI's and Anthropic's official API
//! descriptions (`tests/fixtures/vendors/`, filtered to the streaming operation by `extract.py`)
//! stream typed events from a loopback server replaying each vendor's wire format: OpenAI's
//! `chat.completion.chunk` events ending with `data: [DONE]`, Anthropic's named events from
//! `message_start` to `message_stop` with `ping`s between them.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// The committed crates are what the generator writes today.
#[test]
fn the_vendor_crates_are_fresh() {
    let root = tests::root();
    for vendor in ["openai", "anthropic"] {
        let request = xtask::CrateRequest {
            schema: root.join(format!("tests/fixtures/vendors/{vendor}.openapi.json")),
            out: root.join(format!("tests/fixtures/vendors/{vendor}")),
            name: Some(format!("{vendor}_stream")),
            document_url: None,
            filter: codegen::Filter::default(),
            typed_formats: false,
            distinct_types: false,
            deny_warnings: false,
            stream_terminator: None,
            runtime_path: None,
            no_pagination_detection: false,
        };
        let plan = xtask::generate_crate(&request).unwrap_or_else(|e| panic!("{e}"));
        let outcome = xtask::apply(&root, &plan, xtask::Mode::Check).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            outcome.changed.is_empty() && outcome.removed.is_empty(),
            "stale: {:?} {:?}; regenerate with the command in tests/fixtures/vendors/{vendor}/Cargo.toml\n{}",
            outcome.changed,
            outcome.removed,
            outcome.diff
        );
    }
}

/// A server that reads one request, sends the response head, then writes each text `chunks`
/// delivers as one chunk of a chunked body, until the channel closes; `close` ends the body
/// properly, else the connection is dropped in the middle of it.
async fn replay(content_type: &'static str, mut chunks: mpsc::Receiver<String>, close: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        read_request(&mut socket).await;
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n");
        socket.write_all(head.as_bytes()).await.expect("written");
        while let Some(text) = chunks.recv().await {
            socket.write_all(format!("{:x}\r\n{text}\r\n", text.len()).as_bytes()).await.expect("written");
        }
        if close {
            socket.write_all(b"0\r\n\r\n").await.expect("written");
        }
    });
    url
}

async fn read_request(socket: &mut TcpStream) {
    let mut bytes = Vec::new();
    let mut buffer = [0; 65536];
    loop {
        let n = socket.read(&mut buffer).await.expect("readable");
        bytes.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&bytes);
        let Some(end) = text.find("\r\n\r\n") else { continue };
        let length = text[..end]
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        if bytes.len() >= end + 4 + length || n == 0 {
            return;
        }
    }
}

/// OpenAI's chat completion chunks, as the API streams them.
fn openai_chunk(delta: &str, finish: &str) -> String {
    format!(
        "data: {{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\
         \"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{{\"index\":0,\
         \"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish}}}]}}\n\n"
    )
}

fn openai_request() -> openai_stream::types::CreateChatCompletionRequest {
    serde_json::from_value(serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Hello!"}],
        "stream": true
    }))
    .expect("a request")
}

#[tokio::test]
async fn openai_chat_completion_chunks_stream_typed_until_done() {
    let (tx, rx) = mpsc::channel(8);
    let url = replay("text/event-stream", rx, true).await;
    let client = openai_stream::Client::builder().base_url(url).api_key("sk-test").build().expect("a client");
    tx.send(openai_chunk(r#"{"role":"assistant","content":""}"#, "null")).await.expect("sent");
    let mut stream = client.chat().create_chat_completion_stream(&openai_request()).await.expect("opens");
    // The first chunk arrives while the server still holds the body open.
    let first = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the first chunk arrives before the body ends")
        .expect("an item")
        .expect("a chunk");
    assert_eq!(first.data.id, "chatcmpl-123");
    assert_eq!(first.data.choices[0].delta.content.as_ref().and_then(|c| c.as_deref()), Some(""));
    for word in ["Hello", "!"] {
        tx.send(openai_chunk(&format!(r#"{{"content":"{word}"}}"#), "null")).await.expect("sent");
    }
    tx.send(openai_chunk("{}", "\"stop\"")).await.expect("sent");
    tx.send("data: [DONE]\n\n".to_owned()).await.expect("sent");
    drop(tx);
    let mut text = String::new();
    let mut finish = None;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("a chunk").data;
        let choice = &chunk.choices[0];
        text.push_str(choice.delta.content.as_ref().and_then(|c| c.as_deref()).unwrap_or_default());
        finish = choice.finish_reason.clone().or(finish);
    }
    assert_eq!(text, "Hello!");
    assert_eq!(serde_json::to_value(finish).expect("encodes"), "stop");
}

#[tokio::test]
async fn an_openai_stream_cut_off_ends_with_an_error() {
    let (tx, rx) = mpsc::channel(8);
    let url = replay("text/event-stream", rx, false).await;
    let client = openai_stream::Client::builder().base_url(url).api_key("sk-test").build().expect("a client");
    tx.send(openai_chunk(r#"{"role":"assistant","content":"Hel"}"#, "null")).await.expect("sent");
    tx.send("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.compl".to_owned()).await.expect("sent");
    drop(tx);
    let stream = client.chat().create_chat_completion_stream(&openai_request()).await.expect("opens");
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    assert!(items[1].is_err(), "the cut is an error item, not a silent end");
}

#[tokio::test]
async fn anthropic_message_events_stream_typed_with_pings() {
    use anthropic_stream::types::{ContentBlockDeltaEvent, MessageStreamEvent};
    let transcript = [
        (
            "message_start",
            r#"{"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}"#,
        ),
        (
            "content_block_start",
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
        ),
        ("ping", r#"{"type": "ping"}"#),
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#,
        ),
        ("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}"#),
        ("content_block_stop", r#"{"type":"content_block_stop","index":0}"#),
        (
            "message_delta",
            r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"#,
        ),
        ("message_stop", r#"{"type":"message_stop"}"#),
    ];
    let (tx, rx) = mpsc::channel(16);
    let url = replay("text/event-stream", rx, true).await;
    let client = anthropic_stream::Client::builder().base_url(url).api_key("key").build().expect("a client");
    let request = serde_json::from_value(serde_json::json!({
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "Hello"}],
        "stream": true
    }))
    .expect("a request");
    let (first_name, first_data) = transcript[0];
    tx.send(format!("event: {first_name}\ndata: {first_data}\n\n")).await.expect("sent");
    let mut stream = client
        .messages()
        .messages_post_stream(anthropic_stream::MessagesPostParams::new().anthropic_version("2023-06-01"), &request)
        .await
        .expect("opens");
    let first = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the first event arrives before the body ends")
        .expect("an item")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.event, "message_start");
    let MessageStreamEvent::MessageStart(start) = &first.data else { panic!("{:?}", first.data) };
    assert_eq!(start.message.id, "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY");
    for (name, data) in &transcript[1..] {
        tx.send(format!("event: {name}\ndata: {data}\n\n")).await.expect("sent");
    }
    drop(tx);
    let mut names = vec![first.event.clone()];
    let mut text = String::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap_or_else(|e| panic!("{e}"));
        names.push(event.event.clone());
        match &event.data {
            MessageStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent { delta, .. }) => {
                let delta = serde_json::to_value(delta).expect("encodes");
                text.push_str(delta["text"].as_str().unwrap_or_default());
            }
            // `ping` is no variant of the description's union: kept, not an error.
            MessageStreamEvent::Other(fields) => assert_eq!(fields["type"], "ping"),
            _ => {}
        }
    }
    assert_eq!(text, "Hello!");
    let expected: Vec<&str> = transcript.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected);
}
