//! The loopback server the client benchmarks and the pagination memory test share.

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server with `pages` pages of 100 distinct keepers (the zoo's paged operation), answering the
/// `page` query parameter (past the end: an empty page). The bodies are made up front, so that measurements see the client,
/// not the test server; it records no requests, so that its memory stays flat too.
pub async fn paged(pages: u64) -> MockServer {
    let server = MockServer::builder().disable_request_recording().start().await;
    let total = pages * 100;
    let bodies: Vec<String> = (0..=pages).map(|page| crate::synthetic::keeper_page(page, 100, total, 7)).collect();
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            let page: usize =
                request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
            let body = bodies.get(page).or(bodies.last()).cloned().unwrap_or_default();
            ResponseTemplate::new(200).set_body_raw(body, "application/json")
        })
        .mount(&server)
        .await;
    server
}

/// For the binaries that measure a client's memory in a child process each: serves every
/// connection with `serve` on a thread of its own, on a loopback port, and runs `program
/// --client <base URL + path> <case>` once per case, printing each child's output. Failure when
/// the server cannot start or a child fails.
pub fn children_against(
    program: &str,
    path: &str,
    serve: fn(std::net::TcpStream),
    cases: &[&str],
) -> std::process::ExitCode {
    use std::process::{Command, ExitCode};
    let listener = match std::net::TcpListener::bind("127.0.0.1:0") {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on loopback: {e}");
            return ExitCode::FAILURE;
        }
    };
    let url = match listener.local_addr() {
        Ok(address) => format!("http://{address}{path}"),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    let mut status = ExitCode::SUCCESS;
    for case in cases {
        match Command::new(program).args(["--client", &url, case]).output() {
            Ok(output) if output.status.success() => print!("{}", String::from_utf8_lossy(&output.stdout)),
            Ok(output) => {
                eprintln!("{case} failed: {}", String::from_utf8_lossy(&output.stderr));
                status = ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("cannot run {program}: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}

/// This process's peak resident set (`VmHWM` in `/proc/self/status`, e.g. `5392 kB`), or
/// `unknown` where there is none (Linux only), for the binaries that measure memory.
pub fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| line.strip_prefix("VmHWM:")).map(|value| value.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
