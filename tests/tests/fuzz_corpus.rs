//! Replays the committed fuzz corpus and every past finding through the fuzz targets' entry
//! points, on stable: CI keeps them fixed without nightly (see `fuzz/README.md`).

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::path::Path;

use tests::root;

/// Every file under `fuzz/<dir>/<target>/`, sorted.
fn inputs(dir: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    let path = root().join("fuzz").join(dir).join(target);
    let mut files: Vec<_> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|entry| entry.expect("entry").path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    files.sort();
    files.into_iter().map(|p| (name(&p), std::fs::read(&p).expect("readable"))).collect()
}

fn name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Every committed input of `target` (at least `min` in its corpus) and every past finding,
/// through the target's entry point.
#[track_caller]
fn replay(target: &str, min: usize, entry: fn(&[u8])) {
    let corpus = inputs("corpus", target);
    assert!(corpus.len() >= min, "the {target} corpus has only {} files", corpus.len());
    for (_, data) in corpus.iter().chain(&inputs("regressions", target)) {
        entry(data);
    }
}

#[test]
fn the_generator_corpus_replays_without_a_finding() {
    replay("generator", 30, tests::fuzzing::generator);
}

#[test]
fn the_decode_corpus_replays_without_a_finding() {
    replay("decode", 4, tests::fuzzing::decode);
}

#[test]
fn the_recursive_decode_corpus_replays_without_a_finding() {
    replay("decode_recursive", 4, tests::fuzzing::decode_recursive);
}

#[test]
fn the_union_decode_corpus_replays_without_a_finding() {
    replay("decode_union", 4, tests::fuzzing::decode_union);
}

/// The deep inputs decode or fail at serde_json's recursion limit: never a stack overflow.
#[test]
fn deep_recursive_input_is_an_error_not_a_crash() {
    let corpus = inputs("corpus", "decode_recursive");
    let deep = corpus.iter().find(|(name, _)| name == "mothers_300.json").expect("the deep seed");
    let error = zoo::from_slice::<zoo::types::Animal>(&deep.1).expect_err("too deep");
    assert!(error.message.contains("recursion limit"), "{}", error.message);
    let shallow = corpus.iter().find(|(name, _)| name == "mothers_20.json").expect("the shallow seed");
    zoo::from_slice::<zoo::types::Animal>(&shallow.1).expect("20 levels decode");
}

#[test]
fn the_yaml_corpus_replays_without_a_finding() {
    replay("yaml", 10, tests::fuzzing::yaml);
}

#[test]
fn the_url_corpus_replays_without_a_finding() {
    replay("url", 4, tests::fuzzing::url);
}
