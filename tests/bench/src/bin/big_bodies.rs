//! Peak memory of the client on 100 MB JSON bodies served over loopback: a 500 whose body is an
//! array of zeros, and a 200 whose unknown property holds it (`[0,0,…]` takes sixteen times its
//! size as `serde_json::Value`s).
//!
//! ```sh
//! cargo run --release -p bench --bin big_bodies
//! ```
//!
//! Each case runs in a child process (this program, `--client <url> <case>`), which reports its
//! own peak resident set (`VmHWM` in `/proc/self/status`, Linux only); the server streams its
//! body from this process without holding it.

use std::future::IntoFuture;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Instant;

use revox::Client;

/// The body's size: 50 Mi `0,` pairs.
const ZEROS: usize = 50 << 20;

/// A page of rows, as the API answers.
const SEED: &str = include_str!("../../../fixtures/responses/seed.json");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--client") if args.len() == 4 => client(&args[2], &args[3]),
        None => parent(&args[0]),
        _ => {
            eprintln!("usage: big_bodies");
            ExitCode::FAILURE
        }
    }
}

/// Serves every case, runs each client in a child, prints a table.
fn parent(program: &str) -> ExitCode {
    println!("body: {} MB of `[0,0,…]`", (2 * ZEROS + 1) / 1_000_000);
    bench::server::children_against(program, "/api", serve, &["error500", "unknown200", "small200"])
}

/// One response, chosen by the request's path: `/api/campaigns/<case>/rows`.
fn serve(mut stream: TcpStream) {
    let mut line = String::new();
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(stream) => stream,
        Err(_) => return,
    });
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 2 => {}
            _ => break,
        }
    }
    // A page of the seed example, with an unknown property `zz` first.
    let seed = SEED.trim_start().trim_start_matches('{');
    let (status, prefix, suffix, zeros) = if line.contains("/error500/") {
        ("500 Internal Server Error", "[".to_owned(), "]".to_owned(), ZEROS)
    } else if line.contains("/unknown200/") {
        ("200 OK", r#"{"zz":["#.to_owned(), format!("],{seed}"), ZEROS)
    } else {
        ("200 OK", format!(r#"{{"zz":[1,2,3],{seed}"#), String::new(), 0)
    };
    let length = prefix.len() + suffix.len() + if zeros > 0 { 2 * zeros - 1 } else { 0 };
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n{prefix}"
    );
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let chunk = "0,".repeat(1 << 16);
    let mut left = zeros;
    while left > 0 {
        let n = left.min(1 << 16);
        let piece = if n == left { &chunk[..2 * n - 1] } else { &chunk[..2 * n] };
        if stream.write_all(piece.as_bytes()).is_err() {
            return;
        }
        left -= n;
    }
    let _ = stream.write_all(suffix.as_bytes());
}

/// One request; prints the case, the outcome, the time and the peak resident set.
fn client(url: &str, case: &str) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let client = match Client::builder().api_key("k").base_url(url).max_retries(0).build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let outcome = runtime.block_on(client.campaigns().get_rows(case).into_future());
    let elapsed = started.elapsed();
    let outcome = match &outcome {
        Ok(page) => format!("ok, {} unknown properties", page.additional_properties.len()),
        Err(e) => format!("{:?}, body {} bytes", e.kind(), e.body().map_or(0, str::len)),
    };
    let peak = bench::server::peak_rss();
    println!("{case:>11}: {outcome:<48} {elapsed:>9.2?}  peak RSS (VmHWM) {peak}");
    ExitCode::SUCCESS
}
