//! Peak memory of the client while it streams a large download: `revox`'s
//! `voices().preview_stream` (a `ByteStream`) reading 100 MB and then 1 GB from a loopback
//! server, each in a child process that reports its peak resident set (`VmHWM` in
//! `/proc/self/status`, Linux only). Flat means the same peak for both sizes.
//!
//! ```sh
//! cargo run --release -p bench --bin stream_memory
//! ```

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Instant;

use futures_core::Stream;
use revox::Client;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--client") if args.len() == 4 => client(&args[2], &args[3]),
        None => parent(&args[0]),
        _ => {
            eprintln!("usage: stream_memory");
            ExitCode::FAILURE
        }
    }
}

fn parent(program: &str) -> ExitCode {
    bench::server::children_against(program, "", serve, &["100", "1000"])
}

/// The body's size in megabytes is the request's `X-Megabytes` header.
fn serve(mut stream: TcpStream) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(stream) => stream,
        Err(_) => return,
    });
    let mut megabytes = 0u64;
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 2 => {}
            _ => break,
        }
        let lower = header.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("x-megabytes:") {
            megabytes = value.trim().parse().unwrap_or(0);
        }
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    if std::io::Read::read_exact(&mut reader, &mut body).is_err() {
        return;
    }
    let total = megabytes * 1_000_000;
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ncontent-length: {total}\r\n\r\n");
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let chunk = vec![0x55u8; 1 << 16];
    let mut left = total as usize;
    while left > 0 {
        let n = left.min(chunk.len());
        if stream.write_all(&chunk[..n]).is_err() {
            return;
        }
        left -= n;
    }
}

fn client(url: &str, megabytes: &str) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let client = match Client::builder().api_key("bench").base_url(url).default_header("x-megabytes", megabytes).build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let body: revox::types::VoicePreviewParams =
        match serde_json::from_value(serde_json::json!({"provider": "cartesia", "voiceId": "v"})) {
            Ok(body) => body,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
    let started = Instant::now();
    let read = runtime.block_on(async {
        let mut bytes = client.voices().preview_stream(&body).await?;
        let mut read = 0u64;
        while let Some(chunk) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut bytes).poll_next(cx)).await {
            read += chunk?.len() as u64;
        }
        Ok::<u64, revox::Error>(read)
    });
    let read = match read {
        Ok(read) => read,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let peak = bench::server::peak_rss();
    println!("{:>5} MB streamed in {:.2} s: peak RSS {peak}", read / 1_000_000, started.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}
