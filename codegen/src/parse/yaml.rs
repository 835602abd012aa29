//! Stage 1's YAML reader: YAML text → the same [`Value`] the JSON reader builds.
//!
//! Built on `saphyr-parser`'s events, which carry spans, so that a syntax error and a key
//! repeated in one mapping are reported with their `line:column`, as for JSON. Scalars follow the
//! YAML 1.2 core schema (`null`/`~`, `true`/`false`, integers, floats; quoted scalars are always
//! strings). Aliases are expanded within a budget of nodes and of bytes (relative to the text's
//! size), so that a "billion laughs" document, or one long scalar aliased many times, is refused
//! instead of exhausting memory. Merge keys (`<<: *base`, `<<: [*a, *b]`) merge as YAML 1.1
//! says: the mapping's own keys win, then the merged mappings in order. A stream of more than one
//! document is refused: an OpenAPI description is one document.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Pointer};

/// How deeply collections may nest, as for JSON (serde_json's limit).
const MAX_DEPTH: usize = 128;
/// How many nodes alias expansion may produce in total.
const MAX_NODES: usize = 1_000_000;
/// How many bytes (text, keys, and a share per node) aliases may add, beyond this many times the
/// text's own size: a description that reuses its parts is far below it.
const ALIAS_BYTES_PER_BYTE: usize = 16;
/// … and beyond this, so that a small document may still use aliases freely.
const ALIAS_BYTES_FLOOR: usize = 16_000_000;
/// What one node counts for in the byte budget, beside its text.
const NODE_BYTES: usize = 32;

/// Reads the one YAML document of `text`. `Err` holds one syntax error, or every duplicate key.
pub(crate) fn read(text: &str) -> Result<(Value, Vec<Error>), Error> {
    let mut reader = Reader {
        parser: Parser::new_from_str(text),
        anchors: BTreeMap::new(),
        nodes: 0,
        alias_bytes: 0,
        max_alias_bytes: text.len().saturating_mul(ALIAS_BYTES_PER_BYTE).max(ALIAS_BYTES_FLOOR),
        duplicates: Vec::new(),
    };
    let value = loop {
        match reader.next()? {
            (Event::StreamStart | Event::DocumentStart(_) | Event::Nothing, _) => {}
            (Event::StreamEnd, span) => return Err(at(span, "the YAML text holds no document".into())),
            (event, span) => break reader.node(event, span, &Pointer::root(), 1)?,
        }
    };
    // The rest of the stream must be empty: a second document would be ignored otherwise.
    loop {
        match reader.next()? {
            (Event::DocumentEnd | Event::Nothing, _) => {}
            (Event::StreamEnd, _) => return Ok((value, reader.duplicates)),
            (_, span) => {
                return Err(at(
                    span,
                    "a second YAML document (after `---`): an OpenAPI description is one document; remove \
                     or split the rest"
                        .into(),
                ));
            }
        }
    }
}

fn at(span: Span, message: String) -> Error {
    Error { location: format!("{}:{}", span.start.line(), span.start.col() + 1), message }
}

struct Reader<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    /// Each anchored value, with its size in nodes and bytes (what an alias to it costs).
    anchors: BTreeMap<usize, (Value, usize, usize)>,
    nodes: usize,
    alias_bytes: usize,
    max_alias_bytes: usize,
    duplicates: Vec<Error>,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), Error> {
        match self.parser.next_event() {
            Some(Ok(event)) => Ok(event),
            Some(Err(e)) => {
                let mark = e.marker();
                Err(Error {
                    location: format!("{}:{}", mark.line(), mark.col() + 1),
                    message: format!("invalid YAML: {}", e.info()),
                })
            }
            None => Err(Error { location: "end".into(), message: "invalid YAML: the text ends early".into() }),
        }
    }

    fn count(&mut self, span: Span, n: usize) -> Result<(), Error> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(at(
                span,
                format!("the YAML document expands to more than {MAX_NODES} values (through aliases)"),
            ));
        }
        Ok(())
    }

    /// Counts an alias's expansion against the byte budget, before it is made.
    fn count_bytes(&mut self, span: Span, bytes: usize) -> Result<(), Error> {
        self.alias_bytes = self.alias_bytes.saturating_add(bytes);
        if self.alias_bytes > self.max_alias_bytes {
            return Err(at(
                span,
                format!(
                    "the YAML document's aliases expand to more than {} MB ({ALIAS_BYTES_PER_BYTE} times the text's \
                     size, at least {} MB)",
                    self.max_alias_bytes / 1_000_000,
                    ALIAS_BYTES_FLOOR / 1_000_000
                ),
            ));
        }
        Ok(())
    }

    fn node(&mut self, event: Event<'a>, span: Span, pointer: &Pointer, depth: usize) -> Result<Value, Error> {
        self.count(span, 1)?;
        let (anchor, value) = match event {
            Event::Scalar(text, style, anchor, tag) => (anchor, scalar(&text, style, tag.as_deref(), span)?),
            Event::Alias(id) => {
                let (nodes, bytes) = match self.anchors.get(&id) {
                    Some((_, nodes, bytes)) => (*nodes, *bytes),
                    None => return Err(at(span, "an alias to an unknown anchor".into())),
                };
                // Counted before the copy is made, so that a refused copy is never made.
                self.count(span, nodes)?;
                self.count_bytes(span, bytes)?;
                return Ok(self.anchors.get(&id).map(|(value, ..)| value.clone()).unwrap_or(Value::Null));
            }
            Event::SequenceStart(anchor, _) => {
                self.deep(span, depth)?;
                let mut items = Vec::new();
                loop {
                    match self.next()? {
                        (Event::SequenceEnd, _) => break,
                        (event, span) => {
                            let item = self.node(event, span, &pointer.join(items.len()), depth + 1)?;
                            items.push(item);
                        }
                    }
                }
                (anchor, Value::Array(items))
            }
            Event::MappingStart(anchor, _) => {
                self.deep(span, depth)?;
                let mut object = Map::new();
                let mut seen: BTreeMap<String, Span> = BTreeMap::new();
                let mut merged = Vec::new();
                loop {
                    let (key, key_span) = match self.next()? {
                        (Event::MappingEnd, _) => break,
                        (Event::Scalar(text, ScalarStyle::Plain, _, tag), span)
                            if text == "<<" && tag.as_deref().is_none_or(is_merge_tag) =>
                        {
                            if let Some(first) = seen.insert("<<".to_owned(), span) {
                                return Err(at(
                                    span,
                                    format!(
                                        "a second merge key `<<` in one mapping (the first at {}:{}); merge a \
                                         sequence of mappings instead: `<<: [*a, *b]`",
                                        first.start.line(),
                                        first.start.col() + 1
                                    ),
                                ));
                            }
                            let (event, span) = self.next()?;
                            let value = self.node(event, span, &pointer.join("<<"), depth + 1)?;
                            merged.extend(merge_sources(value, span)?);
                            continue;
                        }
                        (Event::Scalar(text, ..), span) => (text.into_owned(), span),
                        (_, span) => {
                            return Err(at(span, "unsupported: a mapping key that is not a plain string".into()));
                        }
                    };
                    let child = pointer.join(&key);
                    if let Some(first) = seen.get(&key) {
                        self.duplicates.push(Error {
                            location: child.to_string(),
                            message: format!(
                                "duplicate key `{key}` (at {}:{}, first at {}:{}), which a mapping cannot hold twice; \
                                 the last one is read and the first ignored",
                                key_span.start.line(),
                                key_span.start.col() + 1,
                                first.start.line(),
                                first.start.col() + 1,
                            ),
                        });
                    } else {
                        seen.insert(key.clone(), key_span);
                    }
                    let (event, span) = self.next()?;
                    let value = self.node(event, span, &child, depth + 1)?;
                    object.insert(key, value);
                }
                // YAML 1.1's merge: the mapping's own keys win, then earlier merged mappings.
                for source in merged {
                    for (key, value) in source {
                        object.entry(key).or_insert(value);
                    }
                }
                (anchor, Value::Object(object))
            }
            _ => return Err(at(span, "invalid YAML: unexpected event".into())),
        };
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), size(&value), bytes(&value)));
        }
        Ok(value)
    }

    fn deep(&self, span: Span, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(at(span, format!("the document nests arrays and objects more than {MAX_DEPTH} levels deep")));
        }
        Ok(())
    }
}

/// Whether a tag on `<<` makes it a merge key (`!!merge`), as YAML 1.1 types it.
fn is_merge_tag(tag: &Tag) -> bool {
    tag.is_yaml_core_schema() && tag.suffix == "merge"
}

/// The mappings a merge key's value names: one mapping, or a sequence of mappings.
fn merge_sources(value: Value, span: Span) -> Result<Vec<Map<String, Value>>, Error> {
    let refuse = || at(span, "a merge key `<<` takes a mapping or a sequence of mappings".into());
    match value {
        Value::Object(map) => Ok(vec![map]),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => Ok(map),
                _ => Err(refuse()),
            })
            .collect(),
        _ => Err(refuse()),
    }
}

/// What a value costs in the alias budget: its text and keys, and `NODE_BYTES` a node.
fn bytes(value: &Value) -> usize {
    NODE_BYTES
        + match value {
            Value::String(text) => text.len(),
            Value::Array(items) => items.iter().map(bytes).sum(),
            Value::Object(map) => map.iter().map(|(key, value)| key.len() + bytes(value)).sum(),
            _ => 0,
        }
}

fn size(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// A scalar by the YAML 1.2 core schema; a quoted or block scalar, or one tagged `!!str`, is a
/// string.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> Result<Value, Error> {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() && tag.suffix == "str" {
            return Ok(Value::String(text.to_owned()));
        }
        if !tag.is_yaml_core_schema() {
            return Err(at(span, format!("unsupported YAML tag `{tag}`")));
        }
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_owned()));
    }
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => number(text).unwrap_or_else(|| Value::String(text.to_owned())),
    })
}

fn number(text: &str) -> Option<Value> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        let text = text.strip_prefix('+').unwrap_or(text);
        if let Ok(n) = text.parse::<i64>() {
            return Some(Value::from(n));
        }
        if let Ok(n) = text.parse::<u64>() {
            return Some(Value::from(n));
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return u64::from_str_radix(hex, 16).ok().map(Value::from);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return u64::from_str_radix(oct, 8).ok().map(Value::from);
    }
    let float_chars = digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    let starts_well = digits.starts_with(|c: char| c.is_ascii_digit()) || digits.starts_with('.');
    if float_chars && starts_well && digits.bytes().any(|b| b.is_ascii_digit()) {
        return text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_follow_the_core_schema() {
        let (value, dups) = read("a: 1\nb: -2.5\nc: 'x'\nd: ~\ne: true\nf: 3.0.1\ng: \"2\"\nh: [1, x]\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(dups.is_empty());
        assert_eq!(
            value,
            serde_json::json!({"a": 1, "b": -2.5, "c": "x", "d": null, "e": true, "f": "3.0.1", "g": "2", "h": [1, "x"]})
        );
    }

    #[test]
    fn duplicate_keys_and_errors_are_located() {
        let (_, dups) = read("a:\n  b: 1\n  b: 2\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].location, "#/a/b");
        assert!(dups[0].message.contains("(at 3:3, first at 2:3)"), "{}", dups[0].message);
        let error = read("a: [1, 2\nb: 3\n").expect_err("unclosed");
        assert!(error.message.starts_with("invalid YAML"), "{}", error.message);
    }

    #[test]
    fn aliases_expand_within_a_budget() {
        let (value, _) = read("a: &x {k: 1}\nb: *x\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(value, serde_json::json!({"a": {"k": 1}, "b": {"k": 1}}));
        let mut text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_owned();
        for i in 1..8 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let error = read(&text).expect_err("too big");
        assert!(error.message.contains("more than"), "{}", error.message);
    }

    #[test]
    fn long_aliased_scalars_are_bounded_in_bytes() {
        // One 1 MB scalar aliased 2,000 times: 2 GB from 1 MB of text, in few nodes.
        let text = format!("big: &big \"{}\"\nlist: [{}]\n", "x".repeat(1_000_000), vec!["*big"; 2000].join(", "));
        let error = read(&text).expect_err("too many bytes");
        assert!(error.message.contains("aliases expand to more than 16 MB"), "{}", error.message);
        assert!(error.location.starts_with("2:"), "located at an alias: {}", error.location);
        // Within the budget: a few copies of a long text.
        let text = format!("big: &big \"{}\"\nlist: [{}]\n", "x".repeat(100_000), vec!["*big"; 20].join(", "));
        let (value, _) = read(&text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(value["list"].as_array().map(Vec::len), Some(20));
    }

    #[test]
    fn merge_keys_merge_as_yaml_1_1_says() {
        let text = "base: &base {a: 1, b: 1}\nmore: &more {b: 2, c: 2}\n\
                    one: {<<: *base, b: 3}\n\
                    many:\n  c: 4\n  <<: [*base, *more]\n\
                    inline: {<<: {x: 1}}\n\
                    quoted: {'<<': 1}\n";
        let (value, dups) = read(text).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(dups.is_empty());
        assert_eq!(value["one"], serde_json::json!({"a": 1, "b": 3}), "the mapping's own key wins");
        assert_eq!(value["many"], serde_json::json!({"a": 1, "b": 1, "c": 4}), "earlier sources win");
        assert_eq!(value["inline"], serde_json::json!({"x": 1}));
        assert_eq!(value["quoted"], serde_json::json!({"<<": 1}), "a quoted `<<` is a plain key");
        for bad in ["a: {<<: 1}\n", "a: {<<: [1]}\n", "b: &b {x: 1}\na: {<<: *b, <<: *b}\n"] {
            let error = read(bad).expect_err(bad);
            assert!(error.message.contains("merge key"), "{bad:?}: {}", error.message);
        }
    }

    #[test]
    fn a_second_document_is_refused() {
        for text in ["a: 1\n---\nb: 2\n", "a: 1\n---\nthis: is [ broken\n", "a: 1\n...\n---\n"] {
            let error = read(text).expect_err(text);
            assert!(
                error.message.contains("second YAML document") || error.message.starts_with("invalid YAML"),
                "{text:?}: {}",
                error.message
            );
        }
        let error = read("a: 1\n---\nb: 2\n").expect_err("two");
        assert_eq!(error.location, "2:1", "at its `---`");
        assert!(read("---\na: 1\n...\n").is_ok(), "one document, with its markers");
    }
}
