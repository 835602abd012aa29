//! Peak memory of the client while it uploads a large file read from disk: `shop`'s
//! `files().upload` with `Body::from_path` (a raw body) and `items().attach` with
//! `File::from_path` (a multipart part), each sending 100 MB and then 1 GB to a loopback server
//! that counts and discards what it receives, in a child process that reports its peak resident
//! set (`VmHWM` in `/proc/self/status`, Linux only). Flat means the same peak for both sizes.
//! The files are written (a chunk at a time) to the system's temporary directory and removed.
//!
//! ```sh
//! cargo run --release -p bench --bin upload_memory
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--client") if args.len() == 4 => client(&args[2], &args[3]),
        None => bench::server::children_against(
            &args[0],
            "",
            serve,
            &["raw:100", "raw:1000", "multipart:100", "multipart:1000"],
        ),
        _ => {
            eprintln!("usage: upload_memory");
            ExitCode::FAILURE
        }
    }
}

/// Reads each request's head and its `Content-Length` bytes (discarded), and answers 201 with
/// the number of bytes received in the `x-received` header.
fn serve(mut stream: TcpStream) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(stream) => stream,
        Err(_) => return,
    });
    loop {
        let mut length = 0u64;
        let mut any = false;
        loop {
            let mut header = String::new();
            match reader.read_line(&mut header) {
                Ok(n) if n > 2 => any = true,
                _ => break,
            }
            if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        if !any {
            return;
        }
        let mut chunk = vec![0u8; 1 << 16];
        let mut left = length;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            if reader.read_exact(&mut chunk[..n]).is_err() {
                return;
            }
            left -= n as u64;
        }
        let body = r#"{"id": 1, "name": "n"}"#;
        let head = format!(
            "HTTP/1.1 201 Created\r\nx-received: {length}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
    }
}

fn client(url: &str, case: &str) -> ExitCode {
    let Some((kind, megabytes)) = case.split_once(':') else {
        eprintln!("a case is <raw|multipart>:<megabytes>");
        return ExitCode::FAILURE;
    };
    let megabytes: u64 = megabytes.parse().unwrap_or(0);
    let path = std::env::temp_dir().join(format!("upload-memory-{}-{megabytes}.bin", std::process::id()));
    let written = (|| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let chunk = vec![0x55u8; 1_000_000];
        for _ in 0..megabytes {
            file.write_all(&chunk)?;
        }
        file.flush()
    })();
    if let Err(e) = written {
        eprintln!("cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    let outcome = run(url, kind, &path);
    let _ = std::fs::remove_file(&path);
    let (sent, seconds) = match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let peak = bench::server::peak_rss();
    println!("{kind:>9} {:>5} MB uploaded in {seconds:.2} s: peak RSS {peak}", sent / 1_000_000);
    ExitCode::SUCCESS
}

/// Uploads the file; the bytes the server received (its `x-received`) and the seconds it took.
fn run(url: &str, kind: &str, path: &std::path::Path) -> Result<(u64, f64), String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let client = shop::Client::builder().base_url(url).max_retries(0).build().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let received = runtime.block_on(async {
        let headers = match kind {
            "raw" => client
                .files()
                .upload("big.bin", Some(shop::Body::from_path(path)))
                .with_response()
                .await?
                .headers()
                .clone(),
            _ => {
                let body = shop::AttachMultipart::new("big", shop::File::from_path(path));
                client.items().attach(1, &body).with_response().await?.headers().clone()
            }
        };
        Ok::<_, shop::Error>(headers)
    });
    let headers = received.map_err(|e| e.to_string())?;
    let sent = headers.get("x-received").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
    Ok((sent, started.elapsed().as_secs_f64()))
}
