//! `cargo xtask gen [--check]`: regenerate the crates from their API descriptions, or fail when
//! the committed ones are stale.

use std::process::ExitCode;

use xtask::{Mode, apply, generate, project_root};

const USAGE: &str = "usage: cargo xtask gen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["gen"] => Mode::Write,
        ["gen", "--check"] => Mode::Check,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let root = project_root();
    let result = generate(&root).and_then(|planned| apply(&root, &planned, mode));
    match result {
        Err(report) => {
            eprint!("{report}");
            eprintln!("error: nothing was written");
            ExitCode::FAILURE
        }
        Ok(outcome) if mode == Mode::Check && !(outcome.changed.is_empty() && outcome.removed.is_empty()) => {
            eprint!("{}", outcome.diff);
            for file in outcome.changed.iter().chain(&outcome.removed) {
                eprintln!("stale: {file}");
            }
            eprintln!("error: the generated code is stale; run `cargo xtask gen` and commit the result");
            ExitCode::FAILURE
        }
        Ok(outcome) => {
            for file in &outcome.changed {
                println!("wrote {file}");
            }
            for file in &outcome.removed {
                println!("removed {file}");
            }
            if mode == Mode::Check {
                println!("generated code is up to date");
            }
            ExitCode::SUCCESS
        }
    }
}
