//! The soundness harness's Rust side (see `tests/soundness/README.md`): from a document, the list
//! of schemas to generate instances for (each with the Rust type that decodes it), and the
//! checker binary written into the document's generated crate, which decodes every instance with
//! that type, encodes it back and compares the two as JSON values.
//!
//! The instances come from another generator than the project's own (Python's
//! `hypothesis-jsonschema`, validated with `jsonschema` for the document's dialect): what the
//! harness checks is the promise that a generated type never refuses a value its schema allows.

use std::fmt::Write as _;

use codegen::ir::{Api, Ty};
use serde_json::{Value, json};

/// The key of a component's instances in `targets.json` and `instances.jsonl`.
pub fn component_key(name: &str) -> String {
    format!("component:{name}")
}

/// The key of an operation's success-response instances.
pub fn response_key(method: &str, path: &str) -> String {
    format!("response:{method} {path}")
}

/// What the harness checks in one document: `targets.json` (an array of `{key, pointer, rust}`:
/// the JSON pointer of the schema, or of the operation whose success response it is, and the
/// Rust type, relative to the crate root) and
/// the checker's source (`src/bin/sound-check.rs` of the crate named `crate_name`).
pub struct Plan {
    /// `targets.json`.
    pub targets: Value,
    /// The checker binary's source.
    pub checker: String,
}

/// Plans the harness for a lowered document.
///
/// Every component is a target, decoded as its type (a nullable component as its `…OrNull`
/// alias, which is what `component_schemas` lists); every operation whose success responses
/// share one JSON body is a target too, unless that body is a bare `$ref` to a component
/// (already a target). Responses that differ by status decode through an enum by status, which
/// needs the status, and are left out.
pub fn plan(api: &Api, crate_name: &str) -> Plan {
    let mut targets = Vec::new();
    // A nullable component is decoded as its `Option` alias, which shares its component name.
    let nullable: std::collections::BTreeSet<(&str, &str)> =
        api.types.iter().filter_map(|t| Some((t.nullable_of()?, t.component.as_deref()?))).collect();
    for def in &api.types {
        let Some(component) = def.component.as_deref() else { continue };
        if nullable.contains(&(def.name.as_str(), component)) {
            continue;
        }
        let pointer = format!("#/components/schemas/{}", escape_pointer(component));
        targets.push((component_key(component), pointer, format!("types::{}", def.name)));
    }
    for resource in &api.resources {
        for op in &resource.operations {
            let Some(ty) = op.response.json() else { continue };
            // A bare reference to a component is checked as the component.
            let is_component =
                matches!(ty, Ty::Named(name) if api.types.iter().any(|t| t.name == *name && t.component.is_some()));
            if is_component {
                continue;
            }
            // Decoded as the operation decodes it: integers outside a model through the runtime.
            let rust = if holds_integer(api, ty) {
                format!("codegen_runtime::codec::Integers<{}>", rust_type(ty))
            } else {
                rust_type(ty)
            };
            targets.push((response_key(&op.http_method, &op.path), op.pointer.clone(), rust));
        }
    }
    targets.sort();
    targets.dedup_by(|a, b| a.0 == b.0);
    let json_targets =
        targets.iter().map(|(key, pointer, rust)| json!({"key": key, "pointer": pointer, "rust": rust})).collect();
    Plan { targets: Value::Array(json_targets), checker: checker(crate_name, &targets) }
}

/// Whether a value of `ty` holds integers outside a model (as the emitter decides).
fn holds_integer(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::I32 | Ty::U32 | Ty::I128 | Ty::U128 => true,
        Ty::Named(name) => match codegen::ir::kind_of(&api.types, name) {
            Some(codegen::ir::TypeKind::Alias(inner)) => holds_integer(api, inner),
            _ => false,
        },
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => holds_integer(api, inner),
        _ => false,
    }
}

/// RFC 6901: `~` and `/` in a pointer's segment.
fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A type as the checker names it, relative to the crate root.
fn rust_type(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::F64 => "f64".into(),
        Ty::I64 => "i64".into(),
        Ty::U64 => "u64".into(),
        Ty::NonZeroU64 => "std::num::NonZeroU64".into(),
        Ty::I32 => "i32".into(),
        Ty::U32 => "u32".into(),
        Ty::I128 => "i128".into(),
        Ty::U128 => "u128".into(),
        Ty::DateTime => "codegen_runtime::DateTime".into(),
        Ty::Date => "codegen_runtime::Date".into(),
        Ty::Uuid => "codegen_runtime::Uuid".into(),
        Ty::Any => "serde_json::Value".into(),
        Ty::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        Ty::Named(name) => format!("types::{name}"),
        Ty::Vec(inner) => format!("Vec<{}>", rust_type(inner)),
        Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", rust_type(inner)),
        Ty::Option(inner) => format!("Option<{}>", rust_type(inner)),
        Ty::Box(inner) => format!("Box<{}>", rust_type(inner)),
    }
}

/// The checker: `sound-check <instances.jsonl>` reads lines `{"key": …, "text": <the instance's
/// JSON text>}`, decodes each text with the target's type through the crate's `from_str` and
/// through `serde_json::from_slice`, encodes it back, and prints one line per instance that is
/// refused or changed, then a summary line.
fn checker(crate_name: &str, targets: &[(String, String, String)]) -> String {
    let krate = crate_name.replace('-', "_");
    let mut arms = String::new();
    for (key, _, rust) in targets {
        let _ = writeln!(arms, "        {key:?} => check::<{rust}>(text),");
    }
    format!(
        r#"// Written by `soundness plan` (tests/src/soundness.rs) for the soundness harness. Do not edit.
#![allow(clippy::all, unused_imports, deprecated)]

use {krate}::types;

enum Outcome {{
    Equal,
    Refused(String),
    Changed(String),
    Unknown,
}}

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Outcome {{
    let decoded: T = match {krate}::from_str(text) {{
        Ok(value) => value,
        Err(error) => return Outcome::Refused(format!("at `{{}}`: {{}}", error.path, error.message)),
    }};
    // `serde_json::from_slice` reads names as bytes: it must agree.
    if let Err(error) = serde_json::from_slice::<T>(text.as_bytes()) {{
        return Outcome::Refused(format!("by serde_json::from_slice only: {{error}}"));
    }}
    let encoded = match serde_json::to_string(&decoded) {{
        Ok(encoded) => encoded,
        Err(error) => return Outcome::Changed(format!("does not encode: {{error}}")),
    }};
    let (Ok(before), Ok(after)) = (serde_json::from_str(text), serde_json::from_str(&encoded)) else {{
        return Outcome::Changed(format!("encodes as text that is not JSON: {{encoded}}"));
    }};
    if same(&before, &after) {{ Outcome::Equal }} else {{ Outcome::Changed(encoded) }}
}}

/// JSON values equal, numbers by value (`1` and `1.0` alike).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {{
    use serde_json::Value;
    match (a, b) {{
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {{
            (Some(x), Some(y), _, _) => x == y,
            (_, _, Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        }},
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => {{
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }}
        _ => a == b,
    }}
}}

fn run(key: &str, text: &str) -> Outcome {{
    match key {{
{arms}        _ => Outcome::Unknown,
    }}
}}

fn main() {{
    let path = std::env::args().nth(1).expect("usage: sound-check <instances.jsonl>");
    let lines = std::fs::read_to_string(&path).expect("readable instances");
    let (mut total, mut refused, mut changed, mut unknown) = (0usize, 0usize, 0usize, 0usize);
    let mut keys = std::collections::BTreeSet::new();
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {{
        let entry: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let key = entry["key"].as_str().unwrap_or_default();
        let text = entry["text"].as_str().unwrap_or_default();
        total += 1;
        keys.insert(key.to_owned());
        match run(key, text) {{
            Outcome::Equal => {{}}
            Outcome::Refused(why) => {{
                refused += 1;
                println!("REFUSED\t{{key}}\t{{text}}\t{{why}}");
            }}
            Outcome::Changed(encoded) => {{
                changed += 1;
                println!("CHANGED\t{{key}}\t{{text}}\t{{encoded}}");
            }}
            Outcome::Unknown => {{
                unknown += 1;
                println!("UNKNOWN\t{{key}}");
            }}
        }}
    }}
    println!("SUMMARY\tschemas={{}}\tinstances={{total}}\trefused={{refused}}\tchanged={{changed}}\tunknown={{unknown}}", keys.len());
    if refused + changed + unknown > 0 {{
        std::process::exit(1);
    }}
}}
"#
    )
}
