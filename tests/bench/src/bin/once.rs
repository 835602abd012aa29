//! Decodes one file once into one target, for instruction counts that a noisy machine cannot
//! disturb:
//!
//! ```sh
//! cargo build --release -p bench --features peer-bench --bin once
//! cargo run --release -p bench --bin once -- --write-page page.json 1000
//! valgrind --tool=callgrind target/release/once --once revox page.json
//! ```
//!
//! `--once --keep <target> <file>` decodes without dropping the value: the decoding alone.
//!
//! Also `--encode <revox|typify> <file>` (decode, then encode) and `--generate <ours|typify>`.
//!
//! Targets: `revox` (`revox::from_slice`), `revox-serde` (`serde_json::from_slice` into the revox
//! type), `typify` (with `peer-bench`), `value`, `ignored`, and `none` (read the file only: the
//! baseline to subtract).

use std::process::ExitCode;

use revox::types::CampaignGetRowsResponse;

/// Decodes, then drops the value, or with `keep` leaves it to the end of the process (for the
/// decoding alone: freeing is a pass over the allocator of its own, whose cost depends on the
/// allocator's state, e.g. glibc's consolidation of its free lists when a large block is freed).
fn decode(target: &str, bytes: &[u8], keep: bool) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| e.to_string();
    fn done<T>(value: T, keep: bool) {
        if keep {
            std::mem::forget(value);
        }
    }
    match target {
        "none" => Ok(()),
        "revox" => revox::from_slice::<CampaignGetRowsResponse>(bytes).map(|v| done(v, keep)).map_err(|e| fail(&e)),
        "revox-serde" => {
            serde_json::from_slice::<CampaignGetRowsResponse>(bytes).map(|v| done(v, keep)).map_err(|e| fail(&e))
        }
        #[cfg(feature = "peer-bench")]
        "typify" => serde_json::from_slice::<bench::peer::CampaignGetRowsResponse>(bytes)
            .map(|v| done(v, keep))
            .map_err(|e| fail(&e)),
        "value" => serde_json::from_slice::<serde_json::Value>(bytes).map(|v| done(v, keep)).map_err(|e| fail(&e)),
        "ignored" => serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map(drop).map_err(|e| fail(&e)),
        other => Err(format!("unknown target `{other}`")),
    }
}

/// Decodes then encodes: subtract `--once` of the same target for the encoding alone.
fn encode(target: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| e.to_string();
    match target {
        "revox" => {
            let value = revox::from_slice::<CampaignGetRowsResponse>(bytes).map_err(|e| fail(&e))?;
            serde_json::to_vec(&value).map(drop).map_err(|e| fail(&e))
        }
        #[cfg(feature = "peer-bench")]
        "typify" => {
            let value = serde_json::from_slice::<bench::peer::CampaignGetRowsResponse>(bytes).map_err(|e| fail(&e))?;
            serde_json::to_vec(&value).map(drop).map_err(|e| fail(&e))
        }
        other => Err(format!("unknown target `{other}`")),
    }
}

/// Generates once: `ours` (models and client) or `typify` (models).
fn generate(target: &str) -> Result<(), String> {
    match target {
        "ours" => {
            let document =
                codegen::Document::parse("schema/revox.openapi.json", bench::SCHEMA).map_err(|e| e.to_string())?;
            codegen::generate(&document, &codegen::Settings::new("schema/revox.openapi.json", "REVOX"))
                .map(drop)
                .map_err(|e| e.to_string())
        }
        #[cfg(feature = "peer-bench")]
        "typify" => bench::peer_gen::typify_source(bench::SCHEMA).map(drop).map_err(|e| e.to_string()),
        other => Err(format!("unknown target `{other}`")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["--once", target, file] => {
            std::fs::read(file).map_err(|e| format!("{file}: {e}")).and_then(|bytes| decode(target, &bytes, false))
        }
        ["--once", "--keep", target, file] => {
            std::fs::read(file).map_err(|e| format!("{file}: {e}")).and_then(|bytes| decode(target, &bytes, true))
        }
        ["--encode", target, file] => {
            std::fs::read(file).map_err(|e| format!("{file}: {e}")).and_then(|bytes| encode(target, &bytes))
        }
        ["--generate", target] => generate(target),
        ["--write-page", file, rows] => rows
            .parse()
            .map_err(|e| format!("{rows}: {e}"))
            .and_then(|rows| std::fs::write(file, bench::synthetic::single_page(rows)).map_err(|e| e.to_string())),
        _ => Err("usage: once --once [--keep] <revox|revox-serde|typify|value|ignored|none> <file> | once --encode <revox|typify> <file> \
                  | once --generate <ours|typify> | once --write-page <file> <rows>"
            .into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
