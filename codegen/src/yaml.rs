//! Stage 1's YAML reader: YAML text → the same [`Value`] the JSON reader builds.
//!
//! Built on `saphyr-parser`'s events, which carry spans, so that a syntax error and a key
//! repeated in one mapping are reported with their `line:column`, as for JSON. Scalars follow the
//! YAML 1.2 core schema (`null`/`~`, `true`/`false`, integers, floats; quoted scalars are always
//! strings). Aliases are expanded, within a budget of nodes, so that a "billion laughs" document
//! is refused instead of exhausting memory. Only the first document of a stream is read.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Pointer};

/// How deeply collections may nest, as for JSON (serde_json's limit).
const MAX_DEPTH: usize = 128;
/// How many nodes alias expansion may produce in total.
const MAX_NODES: usize = 1_000_000;

/// Reads the first YAML document. `Err` holds one syntax error, or every duplicate key.
pub(crate) fn read(text: &str) -> Result<(Value, Vec<Error>), Error> {
    let mut reader =
        Reader { parser: Parser::new_from_str(text), anchors: BTreeMap::new(), nodes: 0, duplicates: Vec::new() };
    loop {
        match reader.next()? {
            (Event::StreamStart | Event::DocumentStart(_) | Event::Nothing, _) => {}
            (Event::StreamEnd, span) => return Err(at(span, "the YAML text holds no document".into())),
            (event, span) => {
                let value = reader.node(event, span, &Pointer::root(), 1)?;
                return Ok((value, reader.duplicates));
            }
        }
    }
}

fn at(span: Span, message: String) -> Error {
    Error { location: format!("{}:{}", span.start.line(), span.start.col() + 1), message }
}

struct Reader<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: BTreeMap<usize, Value>,
    nodes: usize,
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

    fn node(&mut self, event: Event<'a>, span: Span, pointer: &Pointer, depth: usize) -> Result<Value, Error> {
        self.count(span, 1)?;
        let (anchor, value) = match event {
            Event::Scalar(text, style, anchor, tag) => (anchor, scalar(&text, style, tag.as_deref(), span)?),
            Event::Alias(id) => {
                let value =
                    self.anchors.get(&id).cloned().ok_or_else(|| at(span, "an alias to an unknown anchor".into()))?;
                self.count(span, size(&value))?;
                return Ok(value);
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
                loop {
                    let (key, key_span) = match self.next()? {
                        (Event::MappingEnd, _) => break,
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
                                "duplicate key `{key}` (at {}:{}, first at {}:{}): YAML keeps only one, so the other \
                                 would be silently dropped; remove or rename one",
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
                (anchor, Value::Object(object))
            }
            _ => return Err(at(span, "invalid YAML: unexpected event".into())),
        };
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
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
}
