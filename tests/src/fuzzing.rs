//! The fuzz targets' entry points, shared with the stable test that replays the committed
//! corpus (`tests/tests/fuzz_corpus.rs`), so CI checks every finding without nightly.

use std::collections::{BTreeMap, BTreeSet};

/// The generator on arbitrary bytes: it never panics (nor hangs: the fuzzer runs it with a
/// timeout), and every file of an `Ok` output parses as Rust, declares no name twice (items,
/// fields, variants, the methods of a type), and has inert doc text.
///
/// # Panics
/// When an emitted file breaks one of those rules: that is the finding.
pub fn generator(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(document) = codegen::Document::parse("fuzz.json", text) else { return };
    let settings = codegen::Settings::new("fuzz.json", "FUZZ");
    if let Ok(files) = codegen::generate(&document, &settings) {
        for file in files {
            let parsed = match syn::parse_file(&file.contents) {
                Ok(parsed) => parsed,
                Err(e) => panic!("{} does not parse: {e}\n{}", file.path, file.contents),
            };
            if let Err(e) = unique_names(&parsed) {
                panic!("{}: {e}\n{}", file.path, file.contents);
            }
            if let Err(e) = inert_docs(&file.contents) {
                panic!("{}: {e}\n{}", file.path, file.contents);
            }
        }
    }
    let _ = codegen::type_sources(&document, &settings);
}

/// YAML documents: reading one never panics nor aborts, whatever its aliases, merge keys or
/// documents (the fuzzer's memory limit catches an expansion the budgets miss), and a text with
/// a second document is never read as one.
///
/// # Panics
/// When a text with a second document parses: that is the finding.
pub fn yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.trim_start().starts_with('{') {
        return;
    }
    let parsed = codegen::Document::parse("fuzz.yaml", text);
    // A line that is exactly `---` after some content starts a second document (unless it is
    // inside a block scalar or a quoted string, which the fuzzer rarely makes; those parse).
    let body = text.trim_start_matches(|c: char| c.is_whitespace());
    let body = body.strip_prefix("---").unwrap_or(body);
    let second = body.lines().skip(1).any(|line| line == "---")
        && !body.contains(['|', '>', '"', '\''])
        && !body.lines().any(|line| line.starts_with(' ') || line.starts_with('#'));
    if second && parsed.is_ok() {
        panic!("a second document was ignored:\n{text}");
    }
}

/// The URL builder: no path value makes a request leave the operation's path under the base
/// URL. The first byte picks a template, the rest is the value.
///
/// # Panics
/// When a URL the client accepts is not under `/base/api/docs/` (or `/base/api/seg/`), has a
/// dot segment, a query or a fragment: that is the finding.
pub fn url(data: &[u8]) {
    static INFO: codegen_runtime::ApiInfo = codegen_runtime::ApiInfo {
        default_base_url: "http://127.0.0.1:9/base/api/",
        api_key_env: "FUZZ_API_KEY",
        base_url_env: "FUZZ_BASE_URL",
        user_agent: "fuzz",
        idempotency_header: None,
        auth: codegen_runtime::AuthInfo {
            api_key: false,
            basic: false,
            required: false,
            username_env: "FUZZ_USERNAME",
            password_env: "FUZZ_PASSWORD",
            schemes: &[],
        },
    };
    let Some((&pick, value)) = data.split_first() else { return };
    let value = String::from_utf8_lossy(value);
    let (template, prefix) = match pick % 4 {
        0 => ("/docs/{+p}", "/base/api/docs/"),
        1 => ("/docs/{+p}/end", "/base/api/docs/"),
        2 => ("/seg/{p}", "/base/api/seg/"),
        _ => ("/seg/.{p}/x", "/base/api/seg/"),
    };
    let Ok(client) = codegen_runtime::ClientBuilder::<codegen_runtime::Client>::new(&INFO).build() else { return };
    let Ok(url) = client.url_for(template, &[("p", &value)]) else { return };
    let parsed = match reqwest_url(&url) {
        Some(parsed) => parsed,
        None => panic!("{value:?}: the client built {url:?}, which does not parse"),
    };
    assert!(parsed.0.starts_with(prefix), "{value:?} left the operation's path: {url}");
    assert!(!parsed.1, "{value:?} added a query or fragment: {url}");
    for segment in parsed.0.split('/') {
        let decoded = segment.replace("%2e", ".").replace("%2E", ".");
        assert!(decoded != "." && decoded != "..", "{value:?}: a dot segment in {url}");
    }
}

/// The path of an absolute URL, and whether it has a query or fragment, read by hand so that the
/// oracle does not share the client's URL parser.
fn reqwest_url(url: &str) -> Option<(String, bool)> {
    let rest = url.strip_prefix("http://127.0.0.1:9")?;
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    Some((rest[..end].to_owned(), end < rest.len()))
}

/// Every name a Rust module or item declares is declared once: items per namespace, the fields
/// of a struct, the variants of an enum, the inherent methods and constants of a type.
///
/// # Errors
/// The first name declared twice.
pub fn unique_names(file: &syn::File) -> Result<(), String> {
    fn once(seen: &mut BTreeSet<String>, name: String, what: &str) -> Result<(), String> {
        if seen.insert(name.clone()) { Ok(()) } else { Err(format!("{what} `{name}` is declared twice")) }
    }
    let (mut types, mut values) = (BTreeSet::new(), BTreeSet::new());
    let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                once(&mut types, s.ident.to_string(), "type")?;
                if !matches!(s.fields, syn::Fields::Named(_)) {
                    once(&mut values, s.ident.to_string(), "value")?;
                }
                let mut fields = BTreeSet::new();
                for field in s.fields.iter().filter_map(|f| f.ident.as_ref()) {
                    once(&mut fields, format!("{}.{field}", s.ident), "field")?;
                }
            }
            syn::Item::Enum(e) => {
                once(&mut types, e.ident.to_string(), "type")?;
                let mut variants = BTreeSet::new();
                for variant in &e.variants {
                    once(&mut variants, format!("{}::{}", e.ident, variant.ident), "variant")?;
                }
            }
            syn::Item::Type(t) => once(&mut types, t.ident.to_string(), "type")?,
            syn::Item::Trait(t) => once(&mut types, t.ident.to_string(), "type")?,
            syn::Item::Const(c) => once(&mut values, c.ident.to_string(), "value")?,
            syn::Item::Static(s) => once(&mut values, s.ident.to_string(), "value")?,
            syn::Item::Fn(f) => once(&mut values, f.sig.ident.to_string(), "value")?,
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                let seen = methods.entry(self_ty.clone()).or_default();
                for member in &i.items {
                    let name = match member {
                        syn::ImplItem::Fn(f) => f.sig.ident.to_string(),
                        syn::ImplItem::Const(c) => c.ident.to_string(),
                        _ => continue,
                    };
                    once(seen, format!("{self_ty}::{name}"), "associated item")?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Doc comments hold no bare CR, no control or bidi character, and open no code block but the
/// generator's own `no_run` examples.
///
/// # Errors
/// The first offending line.
pub fn inert_docs(source: &str) -> Result<(), String> {
    let mut unclosed = false;
    for line in doc_lines(source) {
        let DocLine { line, text, in_example, unclosed_example } = line;
        if let Some(c) = text.chars().find(|&c| (c.is_control() && c != '\t') || is_bidi(c)) {
            return Err(format!("a doc line holds {c:?}: {line}"));
        }
        // The generator's intra-doc links are whole: `` [`Name`](crate::Name) ``.
        for (at, _) in text.match_indices("](crate::") {
            let whole =
                text[..at].ends_with('`') && text[at..].find(')').is_some_and(|end| !text[at..at + end].contains('`'));
            if !whole {
                return Err(format!("a doc line holds a broken link: {line}"));
            }
        }
        if !in_example && let Some(at) = stray_bracket(text) {
            return Err(format!("a doc line holds a bracket of no whole link at byte {at}: {line}"));
        }
        if !in_example {
            let body = text.trim_start_matches([' ', '>', '-', '*', '+']);
            // CommonMark: a run of three or more backticks opens a fence unless a backtick
            // follows on the line (then it is a code span).
            let backtick_fence = body.starts_with("```") && !body.trim_start_matches('`').contains('`');
            if backtick_fence || body.starts_with("~~~") || text.starts_with("    ") {
                return Err(format!("a doc line opens a code block: {line}"));
            }
        }
        unclosed = unclosed_example;
    }
    if unclosed { Err("an example is not closed".to_owned()) } else { Ok(()) }
}

/// Where a line's first `[` or `]` is that is not part of a whole link (`[label](target)` or
/// `` [`path`] ``), outside code spans, escapes and autolinks: rustdoc would read it as (half of)
/// a link. Written apart from the generator's own check, to test it.
fn stray_bracket(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let span_end = |at: usize| {
        let run = text[at..].len() - text[at..].trim_start_matches('`').len();
        let fence = "`".repeat(run);
        let mut from = at + run;
        while let Some(found) = text[from..].find(&fence) {
            let start = from + found;
            let len = text[start..].len() - text[start..].trim_start_matches('`').len();
            if len == run {
                return start + run;
            }
            from = start + len;
        }
        at + run
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => i = span_end(i),
            b'<' if text[i..].starts_with("<http") => i += text[i..].find('>').map_or(1, |end| end + 1),
            b']' => return Some(i),
            b'[' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b']' && b[j] != b'[' {
                    j = if b[j] == b'`' { span_end(j) } else { j + 1 };
                }
                if j >= b.len() || b[j] != b']' {
                    return Some(i);
                }
                let label = &text[i + 1..j];
                let path = |t: &str| {
                    !t.is_empty()
                        && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '(' | ')' | '!'))
                };
                i = match text[j + 1..].strip_prefix('(') {
                    Some(rest) => {
                        let end = rest.find(')')?;
                        let target = rest[..end].trim_start_matches('<').trim_end_matches('>');
                        if !(path(target) || target.starts_with("http")) {
                            return Some(i);
                        }
                        j + 2 + end + 1
                    }
                    None if label.starts_with('`') && label.ends_with('`') && path(label.trim_matches('`')) => j + 1,
                    None => return Some(i),
                };
            }
            _ => i += 1,
        }
    }
    None
}

/// One line of a doc comment (`///` or `//!`).
#[derive(Debug, Clone, Copy)]
pub struct DocLine<'a> {
    /// The whole source line.
    pub line: &'a str,
    /// The doc text, without the comment marker and the one space after it.
    pub text: &'a str,
    /// Whether the line belongs to a generator's `no_run` example, fences included.
    pub in_example: bool,
    /// Whether an example is open after this line.
    pub unclosed_example: bool,
}

/// The doc comment lines of `source`, each marked as inside or outside the generator's own
/// ```` ```no_run ```` examples (the one code block emitted docs may hold).
pub fn doc_lines(source: &str) -> impl Iterator<Item = DocLine<'_>> {
    let mut open = false;
    source.split('\n').filter_map(move |line| {
        let trimmed = line.trim_start();
        let doc = trimmed.strip_prefix("///").or_else(|| trimmed.strip_prefix("//!"))?;
        let text = doc.strip_prefix(' ').unwrap_or(doc);
        let was_open = open;
        match (open, text) {
            (false, "```no_run") => open = true,
            (true, "```") => open = false,
            _ => {}
        }
        Some(DocLine { line, text, in_example: was_open || open, unclosed_example: open })
    })
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Decoding arbitrary bytes never panics; whatever decodes encodes, and decodes again to the
/// same value.
///
/// # Panics
/// When a decoded value does not survive a round trip: that is the finding.
pub fn decode(data: &[u8]) {
    round_trips::<revox::types::CampaignGetRowsResponse>(data);
}

/// Decoding arbitrary bytes as a recursive type (the zoo's `Animal`, whose `mother` is an
/// `Animal`) never panics or overflows the stack: deep input hits the recursion limit as an
/// error. Whatever decodes round-trips.
///
/// # Panics
/// When a decoded value does not survive a round trip: that is the finding.
pub fn decode_recursive(data: &[u8]) {
    round_trips::<zoo::types::Animal>(data);
}

/// Decoding arbitrary bytes as a list of the zoo's `Sighting`, an untagged union of two objects
/// told apart by shape (tried exactly, then leniently: `codec::untagged`) never panics, and
/// whatever decodes round-trips.
///
/// # Panics
/// When a decoded value does not survive a round trip: that is the finding.
pub fn decode_union(data: &[u8]) {
    round_trips::<Vec<zoo::types::Sighting>>(data);
}

/// Whatever decodes as `T` (with the runtime's `from_slice`, which every generated crate
/// re-exports) shows with `Debug` (written from its JSON form), encodes, and decodes again to the
/// same value. `serde_json::from_slice`, where the models read names and enum values as bytes,
/// decodes the same value, or fails where `from_slice` fails; except that it may decode input
/// that is not JSON text, where an undeclared name or an unknown enum value holds both an escape
/// and a raw control character (see `codec::Key`).
fn round_trips<T>(data: &[u8])
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let slice = serde_json::from_slice::<T>(data);
    let value = match (revox::from_slice::<T>(data), slice) {
        (Ok(value), Ok(slice)) if slice == value => value,
        (Ok(value), Ok(slice)) => panic!("serde_json::from_slice decoded another value:\n{value:?}\n{slice:?}"),
        (Ok(value), Err(e)) => panic!("serde_json::from_slice refused what from_slice decoded ({e}):\n{value:?}"),
        (Err(_), Ok(_)) if serde_json::from_slice::<serde::de::IgnoredAny>(data).is_err() => return,
        (Err(e), Ok(slice)) => panic!("serde_json::from_slice decoded what from_slice refused ({e}):\n{slice:?}"),
        (Err(_), Err(_)) => return,
    };
    std::hint::black_box(format!("{value:?}"));
    let encoded = match serde_json::to_vec(&value) {
        Ok(encoded) => encoded,
        Err(e) => panic!("a decoded value does not encode: {e}"),
    };
    match revox::from_slice::<T>(&encoded) {
        Ok(again) if again == value => {}
        Ok(again) => panic!("a round trip changed the value:\n{value:?}\n{again:?}"),
        Err(e) => panic!("an encoded value does not decode: {e}"),
    }
}
