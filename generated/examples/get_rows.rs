//! Prints a short summary of a campaign's rows: each contact and where its call stands.
//!
//! ```sh
//! REVOX_API_KEY=... cargo run -p revox --example get_rows -- <campaign-id>
//! ```
//!
//! `REVOX_BASE_URL` points the client at another server (a staging API, a local mock).

use std::process::ExitCode;

use revox::{API_KEY_ENV, BASE_URL_ENV, Client};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(campaign) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run -p revox --example get_rows -- <campaign-id>");
        return ExitCode::from(2);
    };
    if std::env::var_os(API_KEY_ENV).is_none() {
        eprintln!(
            "No API key: set {API_KEY_ENV} to your Revox API key (and {BASE_URL_ENV} to use another server), \
             then run this example again."
        );
        return ExitCode::from(2);
    }
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match client.campaigns().get_rows(&campaign).await {
        Ok(response) => {
            println!("campaign {campaign}: {} rows", response.rows.len());
            for row in &response.rows {
                let status = row
                    .call
                    .as_ref()
                    .and_then(Option::as_deref)
                    .map_or_else(|| "no call yet".to_owned(), |call| call.status.to_string());
                println!("  #{:<4} {:<16} {status}", row.row_index, row.phone_number);
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            // The error, then each of its causes once.
            eprintln!("error: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}
