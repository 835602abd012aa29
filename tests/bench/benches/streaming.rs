//! Server-sent events through a generated stream (`zoo`'s `events().subscribe`, typed as the
//! document's union) against a raw `reqwest` loop feeding the same SSE parser
//! (`eventsource-stream`) and decoding each event's data with `serde_json`, over the same loopback
//! transcript of 10 000 events in the same run.
//!
//! `cargo bench -p bench --bench streaming`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use zoo::types::ZooEvent;

const EVENTS: usize = 10_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime")
}

/// The transcript: feeding and birth events as a server sends them, keep-alives between, ended
/// by OpenAI's `[DONE]`.
fn transcript() -> String {
    let mut body = String::new();
    for i in 0..EVENTS {
        if i % 2 == 0 {
            body.push_str(&format!(
                "event: feeding\nid: {i}\ndata: {{\"type\":\"feeding\",\"animal\":\"Mei the red panda\",\"grams\":{i}}}\n\n"
            ));
        } else {
            body.push_str(&format!("data: {{\"type\":\"birth\",\"mother\":\"Lan\",\"name\":\"cub {i}\"}}\n\n"));
        }
        if i % 100 == 0 {
            body.push_str(": keep-alive\n\n");
        }
    }
    body.push_str("data: [DONE]\n\n");
    body
}

/// A loopback server answering every request on a connection with the transcript, in 16 KiB
/// chunks of a chunked body.
async fn server(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let body = body.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0; 16 << 10];
                loop {
                    // One request per read: the benchmark's requests have no body.
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let head =
                        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
                    let mut out = Vec::with_capacity(body.len() + 4096);
                    out.extend_from_slice(head.as_bytes());
                    for chunk in body.as_bytes().chunks(16 << 10) {
                        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                        out.extend_from_slice(chunk);
                        out.extend_from_slice(b"\r\n");
                    }
                    out.extend_from_slice(b"0\r\n\r\n");
                    if socket.write_all(&out).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn events(c: &mut Criterion) {
    let rt = runtime();
    let url = rt.block_on(server(transcript()));
    let client = zoo::Client::builder().api_key("bench").base_url(&url).build().expect("client");
    let raw = reqwest::Client::new();
    let raw_url = format!("{url}/events?enclosure=asia");

    let mut group = c.benchmark_group("streaming");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("zoo subscribe: EventStream<ZooEvent>", |b| {
        b.to_async(&rt).iter(|| async {
            let mut events = client.events().subscribe(zoo::SubscribeParams::new("asia")).await.expect("opens");
            let mut n = 0usize;
            while let Some(event) = events.next().await {
                black_box(event.expect("an event"));
                n += 1;
            }
            assert_eq!(n, EVENTS);
        })
    });
    group.bench_function("reqwest chunks + eventsource-stream + serde_json", |b| {
        b.to_async(&rt).iter(|| async {
            let response = raw
                .get(black_box(&raw_url))
                .bearer_auth("bench")
                .header("accept", "text/event-stream")
                .send()
                .await
                .expect("sent");
            let chunks = futures_util::stream::unfold(response, |mut response| async move {
                match response.chunk().await {
                    Ok(Some(chunk)) => Some((Ok::<_, reqwest::Error>(chunk), response)),
                    Ok(None) => None,
                    Err(e) => Some((Err(e), response)),
                }
            });
            let mut events = std::pin::pin!(eventsource_stream::EventStream::new(chunks));
            let mut n = 0usize;
            while let Some(event) = events.next().await {
                let event = event.expect("an event");
                if event.data == "[DONE]" {
                    break;
                }
                black_box(serde_json::from_str::<ZooEvent>(&event.data).expect("decodes"));
                n += 1;
            }
            assert_eq!(n, EVENTS);
        })
    });
    group.finish();
}

criterion_group!(benches, events);
criterion_main!(benches);
