//! `cargo xtask gen [--check]`: regenerate the project's crates from their API descriptions, or
//! fail when the committed ones are stale. `cargo xtask gen --schema FILE --out DIR [--name CRATE]
//! [--check]` does the same for one crate from any API description, exactly as the
//! `openapi-typed-gen` CLI does (`openapi_typed_gen::cli`, which parses the arguments and prints
//! the diagnostics for both). Both print what the public API of each crate changes
//! (`codegen::surface`); `--deny-breaking` fails, writing nothing, when a change is breaking, and
//! `--report-markdown FILE` writes the report as Markdown. Exit codes: 0, 1 (errors, stale), 2
//! (usage).

use std::process::ExitCode;

/// mimalloc, not glibc's malloc: twice as fast on the biggest documents (README "Big documents").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use xtask::cli::{self, Invocation, Task};

fn main() -> ExitCode {
    let args = match cli::args(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let usage = format!(
        "usage: cargo xtask gen [--check] [--deny-breaking] [--report-markdown FILE]\n       cargo xtask gen {}",
        cli::OPTIONS
    );
    let (task, mode, report) = match cli::parse(&args) {
        Ok(Invocation::Gen { task, mode, report }) => (task, mode, report),
        Ok(Invocation::Help) => {
            println!("{usage}\n\n{}", cli::HELP);
            return ExitCode::from(cli::SUCCESS);
        }
        Err(why) => {
            eprintln!("error: {why}\n{usage}");
            return ExitCode::from(cli::USAGE);
        }
    };
    let root = xtask::project_root();
    match &task {
        Task::Project => cli::run(&root, xtask::generate(&root), mode, &report, "cargo xtask gen"),
        Task::Crate(request) => {
            let fix = cli::fix_command("cargo xtask", request);
            cli::run(&root, xtask::generate_crate(request), mode, &report, &fix)
        }
    }
}
