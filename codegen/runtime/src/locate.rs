//! The JSON path of a decoding failure, from where `serde_json` stopped: no second decoding pass.
//!
//! Every decoder is instantiated once, for the parser the fast path uses. A failure is located
//! afterwards by scanning the text up to the error's position (`serde_json::Error::line` and
//! `column`) and naming the value there, as `rows[2].call.status`. Where the position says too
//! little (an error raised by a model after the parser moved on), the model leaves a [`Hint`].
//!
//! Where `serde_json` leaves its position:
//! - a wrong type or a bad token: at (or one byte into) the value;
//! - a value its visitor refused after reading it (an integer out of range, a bad date): just
//!   after the value;
//! - a missing property: just after its object's `}`;
//! - an error a model raised between two values (a property given twice; a tagged union's variant
//!   failing on a property buffered before the tag): after whatever the parser read last, so the
//!   model says the object is meant ([`Hint::Object`]);
//! - a value a model refused once it had it whole (an untagged union none of whose variants
//!   decodes, a zero for a nonzero integer): the position is after it, past its parent's closing
//!   bracket when it was the parent's last value, or at the next value of a list: the model leaves
//!   the value ([`Hint::Value`]), and the value with that JSON near the position is the one named.
//!
//! One case stays ambiguous: an array whose first item is an array, refused whole by a reader of
//! any JSON kind (a union told apart by its first token) is positioned where its first item is
//! refused by a reader of one kind; the item is named, the more common of the two.

use std::cell::RefCell;
use std::fmt::Write as _;

use serde_json::Value;

/// What a model knows about a failure that the parser's position does not tell.
pub(crate) enum Hint {
    /// The error is about the object being read, not the value the parser read last.
    Object,
    /// A model refused this value after reading it whole (an untagged union none of whose
    /// variants decodes, an integer out of its type's range): it is found again by its JSON.
    Value(Value),
}

std::thread_local! {
    static HINT: RefCell<Option<Hint>> = const { RefCell::new(None) };
}

/// Leaves a hint for the failure being raised.
#[cold]
pub(crate) fn hint(hint: Hint) {
    HINT.with(|slot| *slot.borrow_mut() = Some(hint));
}

/// Drops a hint left by a failure that was recovered from (an untagged union's variant that did
/// not decode, before another did).
#[inline]
pub(crate) fn clear() {
    HINT.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = None;
        }
    });
}

fn take() -> Option<Hint> {
    HINT.with(|slot| slot.try_borrow_mut().ok().and_then(|mut slot| slot.take()))
}

/// The path of the value `error` is about, in `text`: empty for the whole body.
#[cold]
pub(crate) fn path(text: &str, error: &serde_json::Error) -> String {
    let hint = take();
    if error.line() == 0 {
        // Raised outside any of the parser's frames: by the body's own type, about the whole body.
        return String::new();
    }
    let at = offset(text, error.line(), error.column());
    let scan = Scan::run(text.as_bytes(), at);
    let chosen = match hint {
        Some(Hint::Value(value)) => scan.value(text, &value).or(scan.containing),
        Some(Hint::Object) => scan.open.or(scan.containing),
        // A value of the wrong kind read with `deserialize_any` is refused once its `[` or `{`
        // is read, with the position just after it; others before it.
        None if refuses_kind(error) => scan.opened_at.or(scan.opened_before).or(scan.containing),
        None => scan.containing.or(scan.before).or(scan.open),
    };
    chosen.map(|path| display(&path)).unwrap_or_default()
}

/// Whether the error refuses an array or an object for its kind.
fn refuses_kind(error: &serde_json::Error) -> bool {
    let message = error.to_string();
    message.starts_with("invalid type: sequence,") || message.starts_with("invalid type: map,")
}

/// The byte offset of `serde_json`'s 1-based line and its column, the bytes since the line's start.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.bytes().enumerate().filter(|&(_, b)| b == b'\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
    };
    start.saturating_add(column).min(text.len())
}

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `rows[2].call.status`, as serde_path_to_error writes a path.
fn display(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

/// An open array or object, and where its current value is.
struct Frame {
    start: usize,
    array: bool,
    /// The current value's segment: the key read last, or the next index.
    segment: Option<Segment>,
    /// For an object: a key was read and its value is next.
    after_key: bool,
}

/// What the scan found about the position `at`.
#[derive(Default)]
struct Scan {
    /// The innermost value that holds `at`, from its first byte to just after its last (so a
    /// value ending at `at` holds it); else the innermost array or object open there.
    containing: Option<Vec<Segment>>,
    /// The value that ends last before `at` with only whitespace between.
    before: Option<Vec<Segment>>,
    /// The array or object ending at `at`, else the innermost open there.
    open: Option<Vec<Segment>>,
    /// Values ending before `at` with only whitespace and one `,`, `]` or `}` between: where an
    /// untagged union the parser has moved past may be. Their first byte, just after their last,
    /// and their path.
    near: Vec<(usize, usize, Vec<Segment>)>,
    /// The array or object starting at `at`.
    opened_at: Option<Vec<Segment>>,
    /// The array or object starting just before `at`.
    opened_before: Option<Vec<Segment>>,
}

impl Scan {
    fn run(bytes: &[u8], at: usize) -> Self {
        let mut scan = Scan::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut i = 0;
        loop {
            i = skip_whitespace(bytes, i);
            if i > at || i >= bytes.len() {
                // Whatever is still open holds `at`.
                let open = stack.len().checked_sub(1).map(|parent| path_of(&stack[..parent]));
                if scan.open.is_none() {
                    scan.open = open.clone();
                }
                if scan.containing.is_none() {
                    scan.containing = open;
                }
                break;
            }
            let byte = bytes[i];
            if let Some(frame) = stack.last_mut() {
                match byte {
                    b',' => {
                        match &mut frame.segment {
                            Some(Segment::Index(index)) if frame.array => *index += 1,
                            _ => frame.after_key = false,
                        }
                        i += 1;
                        continue;
                    }
                    b']' | b'}' => {
                        let start = frame.start;
                        stack.pop();
                        let end = i + 1;
                        let path = path_of(&stack);
                        if end == at {
                            scan.open = Some(path.clone());
                        }
                        scan.completed(bytes, start, end, path, at);
                        i = end;
                        continue;
                    }
                    b':' if !frame.array => {
                        frame.after_key = true;
                        i += 1;
                        continue;
                    }
                    _ if !frame.array && !frame.after_key => {
                        // A key.
                        let end = string_end(bytes, i);
                        let key = std::str::from_utf8(&bytes[i..end])
                            .ok()
                            .and_then(|text| serde_json::from_str::<String>(text).ok())
                            .unwrap_or_else(|| "?".to_owned());
                        frame.segment = Some(Segment::Key(key));
                        i = end;
                        continue;
                    }
                    _ => {}
                }
            }
            // A value.
            let start = i;
            match byte {
                b'{' | b'[' => {
                    if start == at {
                        scan.containing = Some(path_of(&stack));
                        scan.opened_at = Some(path_of(&stack));
                    } else if start + 1 == at {
                        scan.opened_before = Some(path_of(&stack));
                    }
                    let array = byte == b'[';
                    stack.push(Frame { start, array, segment: array.then_some(Segment::Index(0)), after_key: false });
                    i += 1;
                }
                b'"' => {
                    let end = string_end(bytes, i);
                    scan.completed(bytes, start, end, path_of(&stack), at);
                    i = end;
                }
                _ => {
                    let mut end = i + 1;
                    while end < bytes.len() && !matches!(bytes[end], b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
                    {
                        end += 1;
                    }
                    scan.completed(bytes, start, end, path_of(&stack), at);
                    i = end;
                }
            }
        }
        scan
    }

    /// A value from `start` to just before `end` was read, at `path`.
    fn completed(&mut self, bytes: &[u8], start: usize, end: usize, path: Vec<Segment>, at: usize) {
        if start <= at && at <= end && self.containing.is_none() {
            self.containing = Some(path.clone());
        }
        if end > at {
            return;
        }
        // What lies between the value and `at`: whitespace, and how many other bytes; a `,`, `]`
        // or `}` may be one of them. Stops at the second.
        let (mut others, mut closer) = (0, true);
        for &b in &bytes[end..at.min(bytes.len())] {
            if b.is_ascii_whitespace() {
                continue;
            }
            others += 1;
            closer &= matches!(b, b',' | b']' | b'}');
            if others > 1 {
                break;
            }
        }
        if others == 0 {
            self.before = Some(path.clone());
        }
        if others <= 1 && closer {
            self.near.push((start, end, path));
        }
    }

    /// The value near the position whose JSON is the given one.
    fn value(&self, text: &str, value: &Value) -> Option<Vec<Segment>> {
        self.near
            .iter()
            .rev()
            .find(|(start, end, _)| {
                text.get(*start..*end).and_then(|json| serde_json::from_str::<Value>(json).ok()).as_ref() == Some(value)
            })
            .map(|(_, _, path)| path.clone())
    }
}

fn skip_whitespace(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\n' | b'\r' | b'\t') {
        i += 1;
    }
    i
}

/// Just after the string starting at `i` (a `"`), or the end of the text.
fn string_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    bytes.len()
}

/// The path of the current value of the innermost frame.
fn path_of(stack: &[Frame]) -> Vec<Segment> {
    stack.iter().filter_map(|frame| frame.segment.clone()).collect()
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// The path `locate` names for a failure to decode `text` as `T`, beside serde_path_to_error's
    /// (the second pass it replaces), which must agree.
    #[track_caller]
    fn agree<T: DeserializeOwned + std::fmt::Debug>(text: &str, expected: &str) {
        let error = crate::codec::from_str::<T>(text).map(|v| format!("{v:?}")).expect_err(text);
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let tracked = serde_path_to_error::deserialize::<_, T>(&mut deserializer).expect_err("must not decode");
        let tracked = tracked.path().to_string();
        let tracked = if tracked == "." { String::new() } else { tracked };
        assert_eq!(error.path, tracked, "{text}: {}", error.message);
        assert_eq!(error.path, expected, "{text}: {}", error.message);
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        b: u32,
        #[serde(default)]
        small: Option<u8>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        a: Inner,
        #[serde(default)]
        list: Vec<u8>,
        #[serde(default)]
        nested: Vec<Vec<Inner>>,
    }

    /// An integer read with `deserialize_any`, as a union told apart by its first token is.
    #[derive(Debug)]
    struct Scalar;

    impl<'de> Deserialize<'de> for Scalar {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl serde::de::Visitor<'_> for Visitor {
                type Value = Scalar;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an integer")
                }
                fn visit_u64<E>(self, _: u64) -> Result<Scalar, E> {
                    Ok(Scalar)
                }
            }
            deserializer.deserialize_any(Visitor)
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Picky {
        s: Scalar,
        #[serde(default)]
        l: Vec<Scalar>,
    }

    /// A union none of whose variants takes anything: it reads its value whole first, as an
    /// untagged union of the generated code does.
    #[derive(Debug)]
    struct Nothing;

    impl<'de> Deserialize<'de> for Nothing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            crate::codec::untagged(deserializer, "Nothing", |_| None)
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Holder {
        u: Option<Nothing>,
        #[serde(default)]
        after: Option<u32>,
        #[serde(default)]
        many: Vec<Nothing>,
    }

    #[test]
    fn a_value_of_the_wrong_type_or_out_of_range() {
        agree::<Outer>(r#"{"a":{"b":"x"}}"#, "a.b");
        agree::<Outer>(r#"{"a":{"b":1,"small":300}}"#, "a.small");
        agree::<Outer>(r#"{"a":{"b":1},"list":[1,300,2]}"#, "list[1]");
        agree::<Outer>(r#"{"a":{"b":1},"list":[1,2,-1]}"#, "list[2]");
        agree::<Outer>(r#"{"a":{"b":1},"nested":[[],[{"b":1},{"b":true}]]}"#, "nested[1][1].b");
        // Read with `deserialize_any`: refused once the `[` or `{` is read.
        agree::<Picky>(r#"{"s":[1]}"#, "s");
        agree::<Picky>(r#"{"s":{"k":1}}"#, "s");
        agree::<Picky>(r#"{"s":1,"l":[2,[3]]}"#, "l[1]");
        agree::<Outer>(r#"{"a":{"b":1},"list":{"x":1}}"#, "list");
        agree::<Outer>("{\n  \"a\": {\n    \"b\": 1\n  },\n  \"list\": [\n    1,\n    \"two\"\n  ]\n}", "list[1]");
        agree::<Outer>(r#"{"a\"\u00e9":1, "a":{"b":1.5}}"#, "a.b");
        agree::<Outer>(r#""text""#, "");
    }

    #[test]
    fn a_missing_property_names_its_object() {
        agree::<Outer>(r#"{"a":{}}"#, "a");
        agree::<Outer>(r#"{"a":{"small":1}, "list":[]}"#, "a");
        agree::<Outer>(r#"{"a":{"b":1},"nested":[[{"b":1},{}]]}"#, "nested[0][1]");
        agree::<Outer>(r#"{"list":[]}"#, "");
    }

    #[test]
    fn an_untagged_union_is_found_again_by_its_value() {
        // Last in its object, followed by another property, and in a list, first or last.
        agree::<Holder>(r#"{"u":{"k":1}}"#, "u");
        agree::<Holder>(r#"{"u":{"k":[1,{"k":1}]},"after":1}"#, "u");
        agree::<Holder>(r#"{"u":null,"many":[{"k":1},{"k":2}]}"#, "many[0]");
        agree::<Holder>(r#"{"u":null,"many":[ 7 ]}"#, "many[0]");
        agree::<Holder>(r#"{"u":null,"many":[{"k":1} , {"k":1}]}"#, "many[0]");
        agree::<Vec<Vec<Nothing>>>(r#"[[],[{"k":[]}]]"#, "[1][0]");
        agree::<Nothing>(r#"{"k":1}"#, "");
    }

    #[test]
    fn a_hint_left_by_a_recovered_failure_is_not_used() {
        super::hint(super::Hint::Object);
        agree::<Outer>(r#"{"a":{"b":"x"}}"#, "a.b");
        super::hint(super::Hint::Value(Value::from(1)));
        agree::<Outer>(r#"{"a":{"b":1},"list":[1,300,2]}"#, "list[1]");
    }

    #[test]
    fn broken_text_is_located_where_it_breaks() {
        for text in
            [r#"{"a":{"b":1"#, r#"{"a":{"b":1},"list":[1,"#, r#"{"a":{"b":1}} x"#, r#"{"a" 1}"#, "", "[", "{\"a\":\"\\"]
        {
            let error = crate::codec::from_str::<Outer>(text).expect_err("broken");
            assert!(!error.message.is_empty(), "{text}");
        }
    }
}
