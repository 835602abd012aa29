//! `cargo xtask gen [--check]`: regenerate the crates from their API descriptions, or fail when
//! the committed ones are stale. `cargo xtask gen --schema FILE --out DIR [--name CRATE] [--check]`
//! does the same for one crate from any API description, scaffolding its `Cargo.toml` and
//! `src/lib.rs` where they are missing. Both print what the public API of each crate changes
//! (`codegen::surface`); `--deny-breaking` fails, writing nothing, when a change is breaking, and
//! `--report-markdown FILE` writes the report as Markdown.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{CrateRequest, Mode, apply, change_reports, generate, generate_crate, project_root};

const USAGE: &str = "usage: cargo xtask gen [--check] [--deny-breaking] [--report-markdown FILE]\n       \
                     cargo xtask gen --schema FILE --out DIR [--name CRATE] [--document-url URL] [--check]\n         \
                     [--deny-breaking] [--report-markdown FILE]\n         \
                     [--typed-formats] [--distinct-types] [--deny-warnings] [--no-pagination-detection]\n         \
                     [--include-tags T,…] [--include-operations OP,…] [--exclude-tags T,…] [--exclude-operations OP,…]\n\
                     (an operation is its operationId, or `METHOD /path`)";

/// What to generate.
enum Task {
    /// The project's own crates (`xtask::TARGETS`).
    Project,
    /// One crate from any API description.
    Crate(CrateRequest),
}

/// What to do with the change report.
#[derive(Default)]
struct ReportOptions {
    /// Fail, writing nothing, when a change is breaking.
    deny_breaking: bool,
    /// Where to write the report as Markdown.
    markdown: Option<PathBuf>,
}

fn parse(args: &[String]) -> Option<(Task, Mode, ReportOptions)> {
    let mut args = args.iter().map(String::as_str);
    if args.next() != Some("gen") {
        return None;
    }
    let (mut mode, mut schema, mut out, mut name, mut document_url) = (Mode::Write, None, None, None, None);
    let mut filter = codegen::Filter::default();
    let mut report = ReportOptions::default();
    let (mut typed_formats, mut distinct_types, mut deny_warnings) = (false, false, false);
    let mut no_pagination_detection = false;
    let list = |value: &str| value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect();
    while let Some(arg) = args.next() {
        match arg {
            "--check" => mode = Mode::Check,
            "--deny-breaking" => report.deny_breaking = true,
            "--report-markdown" => report.markdown = Some(PathBuf::from(args.next()?)),
            "--schema" => schema = Some(PathBuf::from(args.next()?)),
            "--out" => out = Some(PathBuf::from(args.next()?)),
            "--name" => name = Some(args.next()?.to_owned()),
            "--document-url" => document_url = Some(args.next()?.to_owned()),
            "--typed-formats" => typed_formats = true,
            "--distinct-types" => distinct_types = true,
            "--deny-warnings" => deny_warnings = true,
            "--no-pagination-detection" => no_pagination_detection = true,
            "--include-tags" => filter.include_tags = list(args.next()?),
            "--include-operations" => filter.include_operations = list(args.next()?),
            "--exclude-tags" => filter.exclude_tags = list(args.next()?),
            "--exclude-operations" => filter.exclude_operations = list(args.next()?),
            _ => return None,
        }
    }
    let task = match (schema, out, name, document_url) {
        (None, None, None, None)
            if filter.is_empty() && !typed_formats && !distinct_types && !deny_warnings && !no_pagination_detection =>
        {
            Task::Project
        }
        (Some(schema), Some(out), name, document_url) => Task::Crate(CrateRequest {
            schema,
            out,
            name,
            document_url,
            filter,
            typed_formats,
            distinct_types,
            deny_warnings,
            no_pagination_detection,
        }),
        _ => return None,
    };
    Some((task, mode, report))
}

/// Prints the change report of every crate, writes the Markdown one if asked, and says whether
/// the run may go on (`--deny-breaking`).
fn report(root: &std::path::Path, plan: &xtask::Plan, options: &ReportOptions) -> Result<(), String> {
    let reports = change_reports(root, plan)?;
    for r in reports.iter().filter(|r| !r.report.is_empty()) {
        print!("{}: {}", r.krate, r.report);
    }
    if let Some(path) = &options.markdown {
        let mut text = String::new();
        for r in &reports {
            text.push_str(&r.report.to_markdown().replacen(
                "## API changes",
                &format!("## API changes: `{}`", r.krate),
                1,
            ));
        }
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let breaking: usize = reports.iter().map(|r| r.report.breaking().count()).sum();
    if options.deny_breaking && breaking > 0 {
        return Err(format!(
            "error: {breaking} breaking change(s) to the public API (listed above), denied by --deny-breaking\n"
        ));
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, mode, options)) = parse(&args) else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let root = project_root();
    let (plan, fix) = match &task {
        Task::Project => (generate(&root), "cargo xtask gen".to_owned()),
        Task::Crate(request) => (
            generate_crate(&root, request),
            format!(
                "cargo xtask gen --schema {} --out {}{}",
                request.schema.display(),
                request.out.display(),
                request.options()
            ),
        ),
    };
    let plan = plan.inspect(|plan| eprint!("{}", plan.warnings));
    let plan = plan.and_then(|plan| report(&root, &plan, &options).map(|()| plan));
    let plan = match plan {
        Ok(plan) => plan,
        Err(report) => {
            eprint!("{report}");
            eprintln!("error: nothing was written");
            return ExitCode::FAILURE;
        }
    };
    // `apply`'s report says itself what was written before a failure.
    match apply(&root, &plan, mode) {
        Err(report) => {
            eprint!("{report}");
            ExitCode::FAILURE
        }
        Ok(outcome) if mode == Mode::Check && !(outcome.changed.is_empty() && outcome.removed.is_empty()) => {
            eprint!("{}", outcome.diff);
            for file in outcome.changed.iter().chain(&outcome.removed) {
                eprintln!("stale: {file}");
            }
            eprintln!("error: the generated code is stale; run `{fix}` and commit the result");
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
