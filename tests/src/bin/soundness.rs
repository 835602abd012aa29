//! `soundness plan DOC CRATE_DIR`: writes the soundness harness's `targets.json` into the
//! document's generated crate, and its checker as `src/bin/sound-check.rs` (see
//! `tests/soundness/README.md`).

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [command, doc, dir] = args.as_slice() else {
        eprintln!("usage: soundness plan DOC CRATE_DIR");
        return ExitCode::from(2);
    };
    if command != "plan" {
        eprintln!("usage: soundness plan DOC CRATE_DIR");
        return ExitCode::from(2);
    }
    match plan(Path::new(doc), Path::new(dir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{doc}: {message}");
            ExitCode::FAILURE
        }
    }
}

fn plan(doc: &Path, dir: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(doc).map_err(|e| e.to_string())?;
    let name = doc.display().to_string();
    let document = codegen::Document::parse(&name, &text).map_err(|e| e.to_string())?;
    let api = codegen::lower(&document, &codegen::Settings::new(&name, "SOUNDNESS")).map_err(|e| e.to_string())?;
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let crate_name = manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = ").map(|n| n.trim_matches('"').to_owned()))
        .ok_or("no package name in the crate's Cargo.toml")?;
    let plan = tests::soundness::plan(&api, &crate_name);
    let targets = serde_json::to_string_pretty(&plan.targets).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("targets.json"), targets + "\n").map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir.join("src/bin")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/bin/sound-check.rs"), plan.checker).map_err(|e| e.to_string())?;
    Ok(())
}
