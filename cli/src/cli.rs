//! The `gen` command line, shared by the `openapi-typed-gen` binary and `cargo xtask gen`:
//! argument parsing ([`parse`]), then [`run`] (print the warnings and the change report, apply the
//! plan, report stale files in check mode), each outcome an exit code: [`SUCCESS`], [`FAILURE`]
//! (the document has errors, `--check` found stale files, `--deny-breaking` refused a change) or
//! [`USAGE`] (the command line itself is wrong).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{CrateRequest, Mode, Plan, apply, change_reports};

/// Exit code: everything went well (and, with `--check`, nothing is stale).
pub const SUCCESS: u8 = 0;
/// Exit code: errors in the document, stale files found by `--check`, a breaking change refused
/// by `--deny-breaking`, or an I/O failure.
pub const FAILURE: u8 = 1;
/// Exit code: the command line is wrong (an unknown flag, a missing value or argument).
pub const USAGE: u8 = 2;

/// The options of `gen` for one crate, after `PROGRAM gen`; `cargo xtask gen` alone also
/// regenerates the project's own crates.
pub const OPTIONS: &str = "--schema FILE --out DIR [--name CRATE] [--document-url URL] [--check]
    [--deny-breaking] [--report-markdown FILE] [--runtime-path DIR]
    [--typed-formats] [--distinct-types] [--deny-warnings]
    [--stream-terminator DATA | --no-stream-terminator] [--no-pagination-detection]
    [--include-tags T,…] [--include-operations OP,…] [--exclude-tags T,…] [--exclude-operations OP,…]";

/// What each option means, for `--help`.
pub const HELP: &str =
    "Generates a typed async Rust client crate from an OpenAPI 3.0 or 3.1 description (JSON or YAML).
Cargo.toml and src/lib.rs are written only where missing (they are yours); src/types.rs and
src/operations.rs are rewritten whenever the document changes.

Options:
  --schema FILE            the API description
  --out DIR                the crate's directory (created if missing)
  --name CRATE             the crate's name (default: from info.title)
  --document-url URL       where the document is published: relative server URLs resolve against it
  --check                  write nothing; fail (exit 1) listing every stale file, with a diff
  --deny-breaking          fail, writing nothing, when the public API changes in a breaking way
  --report-markdown FILE   also write the API change report as Markdown
  --runtime-path DIR       a local checkout of the runtime (codegen/runtime): the new manifest names
                           it by a path relative to the crate, beside the version (until published)
  --typed-formats          date-time, date and uuid strings as typed values (runtime features time, uuid)
  --distinct-types         every inline schema a type of its own, even when identical to another
  --deny-warnings          every warning an error: the document must be read exactly
  --stream-terminator DATA the event data that ends a server-sent event stream (default: [DONE])
  --no-stream-terminator   no data ends a stream: it ends when the server closes it
  --no-pagination-detection  page streams only where the document declares them (x-pagination)
  --include-tags T,…       only the operations with one of these tags (and the types they reach)
  --include-operations OP,…  only these operations: an operationId, or `METHOD /path`
  --exclude-tags T,…       leave out the operations with one of these tags
  --exclude-operations OP,…  leave out these operations
  -h, --help               print this help

Exit codes: 0 success, 1 errors (in the document, a stale file with --check, a breaking change with
--deny-breaking), 2 a wrong command line.";

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// The project's own crates (`cargo xtask gen` without `--schema`).
    Project,
    /// One crate from any API description.
    Crate(Box<CrateRequest>),
}

/// What to do with the change report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Fail, writing nothing, when a change is breaking.
    pub deny_breaking: bool,
    /// Where to write the report as Markdown.
    pub markdown: Option<PathBuf>,
}

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// `--help` or `-h`.
    Help,
    /// `gen …`.
    Gen {
        /// What to generate.
        task: Task,
        /// Write, or only compare.
        mode: Mode,
        /// What to do with the change report.
        report: ReportOptions,
    },
}

/// Parses the arguments after the program name: `gen [options]`, or `--help`.
///
/// # Errors
/// What is wrong with the command line, one line (print it with the usage; exit with [`USAGE`]).
pub fn parse(args: &[String]) -> Result<Invocation, String> {
    let mut args = args.iter().map(String::as_str);
    match args.next() {
        Some("gen") => {}
        Some("-h" | "--help" | "help") => return Ok(Invocation::Help),
        Some(other) => return Err(format!("unknown command `{other}`: the command is `gen`")),
        None => return Err("a command is required: `gen`".to_owned()),
    }
    let (mut mode, mut schema, mut out, mut name, mut document_url) = (Mode::Write, None, None, None, None);
    let mut runtime_path = None;
    let mut filter = codegen::Filter::default();
    let mut report = ReportOptions::default();
    let (mut typed_formats, mut distinct_types, mut deny_warnings) = (false, false, false);
    let mut stream_terminator = None;
    let mut no_pagination_detection = false;
    let list = |value: &str| value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
        match arg {
            "-h" | "--help" => return Ok(Invocation::Help),
            "--check" => mode = Mode::Check,
            "--deny-breaking" => report.deny_breaking = true,
            "--report-markdown" => report.markdown = Some(PathBuf::from(value()?)),
            "--schema" => schema = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--name" => name = Some(value()?.to_owned()),
            "--document-url" => document_url = Some(value()?.to_owned()),
            "--runtime-path" => runtime_path = Some(PathBuf::from(value()?)),
            "--typed-formats" => typed_formats = true,
            "--distinct-types" => distinct_types = true,
            "--deny-warnings" => deny_warnings = true,
            "--stream-terminator" => stream_terminator = Some(Some(value()?.to_owned())),
            "--no-stream-terminator" => stream_terminator = Some(None),
            "--no-pagination-detection" => no_pagination_detection = true,
            "--include-tags" => filter.include_tags = list(value()?),
            "--include-operations" => filter.include_operations = list(value()?),
            "--exclude-tags" => filter.exclude_tags = list(value()?),
            "--exclude-operations" => filter.exclude_operations = list(value()?),
            _ => return Err(format!("unknown option `{arg}`")),
        }
    }
    let project = filter.is_empty()
        && !typed_formats
        && !distinct_types
        && !deny_warnings
        && stream_terminator.is_none()
        && !no_pagination_detection
        && name.is_none()
        && document_url.is_none()
        && runtime_path.is_none();
    let task = match (schema, out) {
        (None, None) if project => Task::Project,
        (Some(schema), Some(out)) => Task::Crate(Box::new(CrateRequest {
            schema,
            out,
            name,
            document_url,
            filter,
            typed_formats,
            distinct_types,
            deny_warnings,
            runtime_path,
            stream_terminator,
            no_pagination_detection,
        })),
        (None, _) => return Err("`--schema FILE` is required".to_owned()),
        (Some(_), None) => return Err("`--out DIR` is required".to_owned()),
    };
    Ok(Invocation::Gen { task, mode, report })
}

/// Prints the change report of every crate, writes the Markdown one if asked, and says whether
/// the run may go on (`--deny-breaking`).
fn report(root: &Path, plan: &Plan, options: &ReportOptions) -> Result<(), String> {
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

/// The command that regenerates `request`'s crate from the current directory, for messages.
pub fn fix_command(program: &str, request: &CrateRequest) -> String {
    format!("{program} gen --schema {} --out {}{}", request.schema.display(), request.out.display(), request.options())
}

/// Runs a plan: prints its warnings and the change report, then applies it (or checks) relative
/// to `root` (where messages' paths are relative to), printing what was written or what is
/// stale. `fix` is the command a stale check tells to run.
pub fn run(root: &Path, plan: Result<Plan, String>, mode: Mode, options: &ReportOptions, fix: &str) -> ExitCode {
    let plan = plan.inspect(|plan| eprint!("{}", plan.warnings));
    let plan = plan.and_then(|plan| report(root, &plan, options).map(|()| plan));
    let plan = match plan {
        Ok(plan) => plan,
        Err(report) => {
            eprint!("{report}");
            eprintln!("error: nothing was written");
            return ExitCode::from(FAILURE);
        }
    };
    // `apply`'s report says itself what was written before a failure.
    match apply(root, &plan, mode) {
        Err(report) => {
            eprint!("{report}");
            ExitCode::from(FAILURE)
        }
        Ok(outcome) if mode == Mode::Check && !(outcome.changed.is_empty() && outcome.removed.is_empty()) => {
            eprint!("{}", outcome.diff);
            for file in outcome.changed.iter().chain(&outcome.removed) {
                eprintln!("stale: {file}");
            }
            eprintln!("error: the generated code is stale; run `{fix}` and commit the result");
            ExitCode::from(FAILURE)
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
            ExitCode::from(SUCCESS)
        }
    }
}

/// The `openapi-typed-gen` binary: `gen --schema FILE --out DIR …` for one crate, paths relative
/// to the current directory.
pub fn main(args: &[String]) -> ExitCode {
    let usage = |why: &str| {
        eprintln!("error: {why}\nusage: {} gen {OPTIONS}\n(see `{} --help`)", crate::PROGRAM, crate::PROGRAM);
        ExitCode::from(USAGE)
    };
    match parse(args) {
        Err(why) => usage(&why),
        Ok(Invocation::Help) => {
            println!("usage: {} gen {OPTIONS}\n\n{HELP}", crate::PROGRAM);
            ExitCode::from(SUCCESS)
        }
        Ok(Invocation::Gen { task: Task::Project, .. }) => usage("`--schema FILE` and `--out DIR` are required"),
        Ok(Invocation::Gen { task: Task::Crate(request), mode, report }) => {
            let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let fix = fix_command(crate::PROGRAM, &request);
            run(&root, crate::generate_crate(&request), mode, &report, &fix)
        }
    }
}

/// The arguments as strings, or the [`USAGE`] exit code (after saying so) when one is not
/// Unicode: a path is never guessed at.
pub fn args(args: impl Iterator<Item = std::ffi::OsString>) -> Result<Vec<String>, ExitCode> {
    args.map(|arg| {
        arg.into_string().map_err(|arg| {
            eprintln!("error: the argument {arg:?} is not valid Unicode");
            ExitCode::from(USAGE)
        })
    })
    .collect()
}
