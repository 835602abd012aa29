//! Request encoding: path templates, the query, header and cookie parameters of a params
//! struct with their OpenAPI styles, and form bodies.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::ser::Serializer;
use serde_json::Value;

use crate::error::Error;

/// Everything but RFC 3986's unreserved characters is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// What a query parameter with `allowReserved: true` leaves as it is: RFC 3986's unreserved
/// and reserved characters (`:/?[]@!$&'()*+,;=`), as RFC 6570's reserved expansion (`{+var}`)
/// does. `#` is still encoded, since a fragment is never sent, and `%` too unless it starts an
/// escape (see [`encode_reserved`]). The URL parser then encodes `'` in a query, as the WHATWG
/// URL standard requires of http(s) URLs.
const RESERVED_QUERY: &AsciiSet = &SEGMENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// What a path parameter with `allowReserved: true` leaves as it is: as in the query, but `?`,
/// which would end the path, is encoded.
const RESERVED_PATH: &AsciiSet = &RESERVED_QUERY.add(b'?');

/// `value` encoded with `set`, keeping the escapes it already holds (`%2F` stays `%2F`, a `%`
/// that starts none becomes `%25`), as RFC 6570's reserved expansion does.
fn encode_reserved(value: &str, set: &'static AsciiSet) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('%') {
        out.extend(utf8_percent_encode(&rest[..at], set));
        let escape = rest.get(at..at + 3).filter(|e| e.bytes().skip(1).all(|b| b.is_ascii_hexdigit()));
        match escape {
            Some(escape) => {
                out.push_str(escape);
                rest = &rest[at + 3..];
            }
            None => {
                out.push_str("%25");
                rest = &rest[at + 1..];
            }
        }
    }
    out.extend(utf8_percent_encode(rest, set));
    out
}

/// Encodes a path parameter as exactly one path segment: `/`, `?`, `#`, `%`, spaces and
/// non-ASCII text are percent-encoded. `.`, `..` and the empty string are refused, because URL
/// normalisation would turn them into a different path.
fn encode_path_segment(name: &str, value: &str) -> Result<String, Error> {
    if matches!(value, "" | "." | "..") {
        return Err(Error::InvalidRequest(format!(
            "the path parameter `{name}` is {value:?}, which cannot be sent as a path segment"
        )));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// The text of a value that serialises as a scalar (a union of scalars, as a path parameter):
/// a string as it is, a number or boolean as JSON writes it.
pub fn scalar_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        Ok(Value::Null) | Err(_) => String::new(),
        Ok(other) => other.to_string(),
    }
}

/// Encodes a path parameter with `allowReserved: true`: RFC 3986's reserved characters but `?`
/// are kept, so the value may span several segments (`a/b`); a segment that is `.` or `..` once
/// its escapes are decoded (`%2e%2e`, `.%2E`) is refused, since URL normalisation would resolve
/// it. The client checks the final URL too (`Client::url`).
fn encode_reserved_path(name: &str, value: &str) -> Result<String, Error> {
    let encoded = encode_reserved(value, RESERVED_PATH);
    let dot_segment = |segment: &str| {
        let decoded = percent_encoding::percent_decode_str(segment).collect::<Vec<u8>>();
        matches!(decoded.as_slice(), b"." | b"..")
    };
    if value.is_empty() || encoded.split('/').any(dot_segment) {
        return Err(Error::InvalidRequest(format!(
            "the path parameter `{name}` is {value:?}, which cannot be sent in a path"
        )));
    }
    Ok(encoded)
}

/// Fills a path template such as `/campaigns/{id}/rows`: each `{name}` is replaced by the
/// encoded value given for `name` (see `encode_path_segment`), each `{+name}` (RFC 6570's
/// reserved expansion: a parameter with `allowReserved: true`) by the value with its reserved
/// characters kept.
pub fn fill_path(template: &str, params: &[(&str, &str)]) -> Result<String, Error> {
    let mut path = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        let placeholder = &rest[start + 1..start + len];
        let (name, reserved) = match placeholder.strip_prefix('+') {
            Some(name) => (name, true),
            None => (placeholder, false),
        };
        let Some((_, value)) = params.iter().find(|(n, _)| *n == name) else {
            return Err(Error::InvalidRequest(format!("no value for the path parameter `{name}`")));
        };
        path.push_str(&rest[..start]);
        path.push_str(&if reserved { encode_reserved_path(name, value)? } else { encode_path_segment(name, value)? });
        rest = &rest[start + len + 1..];
    }
    path.push_str(rest);
    Ok(path)
}

/// Where a parameter goes, for [`Styled`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a parameter is written: OpenAPI's `style` (path styles are written into the template).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`: `a=1&a=2` exploded, `a=1,2` not; an exploded object is one pair per property.
    Form,
    /// `spaceDelimited`: `a=1 2`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `a[k]=v`.
    DeepObject,
    /// `simple` (headers): `1,2`.
    Simple,
}

/// A parameter that is not an exploded `form` query parameter: where and how it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Styled {
    /// The wire name (the params struct's serialized field name).
    pub name: &'static str,
    /// Where it goes.
    pub location: In,
    /// How it is written.
    pub style: Style,
    /// `explode`.
    pub explode: bool,
    /// `allowReserved`: in the query, RFC 3986's reserved characters are sent as they are.
    pub allow_reserved: bool,
}

/// A params struct, split by where each parameter is sent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Split {
    /// Query pairs, in field order, each name and value percent-encoded (see [`query_pair`]).
    pub query: Vec<(String, String)>,
    /// Header names and values.
    pub headers: Vec<(&'static str, String)>,
    /// Cookie names and values.
    pub cookies: Vec<(&'static str, String)>,
}

/// The query string pairs of an operation's parameters struct, in field order: `None` fields
/// are left out, numbers written as `Display` writes them (`2`, not `2.0`), enums by their wire
/// value, arrays as repeated pairs (`form`, exploded); names and values encoded as
/// [`query_pair`] says.
pub fn to_query<Q: serde::Serialize + ?Sized>(params: &Q) -> Result<Vec<(String, String)>, Error> {
    Ok(split_params(params, &[])?.query)
}

/// Splits a params struct into query pairs, headers and cookies: each field as `styles` says,
/// or as an exploded `form` query parameter when it is not listed.
pub fn split_params<Q: serde::Serialize + ?Sized>(params: &Q, styles: &[Styled]) -> Result<Split, Error> {
    let mut fields = Vec::new();
    params.serialize(query::Params { fields: &mut fields }).map_err(|e| Error::InvalidRequest(e.message))?;
    split_fields(fields, styles)
}

/// [`split_params`] once the params are serialized: not generic, so compiled once rather than
/// for every operation's params.
fn split_fields(fields: Vec<(&'static str, query::Piece)>, styles: &[Styled]) -> Result<Split, Error> {
    let mut split = Split::default();
    for (name, piece) in fields {
        let styled = styles.iter().find(|s| s.name == name).copied().unwrap_or(Styled {
            name,
            location: In::Query,
            style: Style::Form,
            explode: true,
            allow_reserved: false,
        });
        let pair = |key: &str, value: &str| query_pair(key, value, styled.allow_reserved);
        let invalid = |what: &str| {
            Error::InvalidRequest(format!(
                "the parameter `{name}` is {what}, which {:?} style cannot send",
                styled.style
            ))
        };
        let join = |items: &[String]| {
            let separator = match styled.style {
                Style::SpaceDelimited => " ",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            items.join(separator)
        };
        match styled.location {
            In::Query => match (piece, styled.style) {
                // `deepObject` beyond what OpenAPI defines (one level of an object), as Stripe's
                // API reads it and its SDKs write it: a scalar as itself, a list's items by
                // index, nested lists and objects in brackets to any depth.
                (query::Piece::Scalar(v), _) => split.query.push(pair(name, &v)),
                (query::Piece::List(items), Style::DeepObject) => {
                    split.query.extend(items.iter().enumerate().map(|(i, v)| pair(&format!("{name}[{i}]"), v)));
                }
                (query::Piece::Nested(value), Style::DeepObject) => {
                    deep_pairs(name, &value, &mut |key, value| split.query.push(pair(key, value)));
                }
                (query::Piece::Nested(_), _) => return Err(invalid("a nested list or object")),
                (query::Piece::List(items), Style::Form | Style::SpaceDelimited | Style::PipeDelimited)
                    if styled.explode =>
                {
                    split.query.extend(items.iter().map(|v| pair(name, v)));
                }
                (query::Piece::List(items), _) => split.query.push(pair(name, &join(&items))),
                (query::Piece::Object(entries), Style::DeepObject) => {
                    split.query.extend(entries.iter().map(|(k, v)| pair(&format!("{name}[{k}]"), v)));
                }
                (query::Piece::Object(entries), _) if styled.explode => {
                    split.query.extend(entries.iter().map(|(k, v)| pair(k, v)));
                }
                (query::Piece::Object(entries), _) => {
                    let flat: Vec<String> = entries.into_iter().flat_map(|(k, v)| [k, v]).collect();
                    split.query.push(pair(name, &flat.join(",")));
                }
            },
            In::Header => match piece {
                query::Piece::Scalar(v) => split.headers.push((name, v)),
                query::Piece::List(items) => split.headers.push((name, items.join(","))),
                query::Piece::Object(entries) => {
                    let sep = if styled.explode { "=" } else { "," };
                    let flat: Vec<String> = entries.into_iter().map(|(k, v)| format!("{k}{sep}{v}")).collect();
                    split.headers.push((name, flat.join(",")));
                }
                query::Piece::Nested(_) => return Err(invalid("a nested list or object")),
            },
            In::Cookie => match piece {
                query::Piece::Scalar(v) => split.cookies.push((name, v)),
                _ => return Err(invalid("not a scalar")),
            },
        }
    }
    Ok(split)
}

/// Serializes a parameter described by a JSON `content` as its JSON text (one string, which the
/// params' serializer then sends as any other): `#[serde(serialize_with = …)]` on its field. An
/// optional field's `Some(value)` is the value's text (`None` is skipped before).
pub fn json_text<T: serde::Serialize + ?Sized, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

/// One pair of the query string, encoded: the name, and the value unless `allow_reserved`, as
/// `application/x-www-form-urlencoded` (what `Url::query_pairs_mut` writes: a space is `+`);
/// with `allow_reserved` the value keeps RFC 3986's reserved characters and its escapes, a space
/// is `%20`.
pub fn query_pair(name: &str, value: &str, allow_reserved: bool) -> (String, String) {
    let form = |text: &str| utf8_percent_encode(text, FORM).to_string().replace(' ', "+");
    let value = if allow_reserved { encode_reserved(value, RESERVED_QUERY) } else { form(value) };
    (form(name), value)
}

/// The characters `application/x-www-form-urlencoded` leaves as they are (`*-._` and
/// alphanumerics); a space becomes `+`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_').remove(b' ');

/// How one property of a form body is written, when its `encoding` says otherwise than the
/// default (an exploded `form` field: a scalar as its text, a list as repeated pairs, an object
/// as JSON text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The property's name on the wire.
    pub name: &'static str,
    /// `Form` (not exploded: a list as `a=1,2`, an object as `a=k,v,k2,v2`), `SpaceDelimited`
    /// and `PipeDelimited` (a list joined with ` ` or `|`), `DeepObject` (nested objects and
    /// lists in brackets, `a[k][0]=v`, as Stripe's SDKs write them).
    pub style: Style,
    /// `explode`.
    pub explode: bool,
}

/// An `application/x-www-form-urlencoded` body from a value's properties: scalars as they are,
/// arrays as repeated pairs, nested objects as JSON text.
pub fn to_form<B: serde::Serialize + ?Sized>(body: &B) -> Result<Vec<u8>, Error> {
    to_form_styled(body, &[])
}

/// [`to_form`], the properties named in `fields` written as their [`FormField`] says.
pub fn to_form_styled<B: serde::Serialize + ?Sized>(body: &B, fields: &[FormField]) -> Result<Vec<u8>, Error> {
    crate::finite::check(body, "the form body")?;
    let value =
        serde_json::to_value(body).map_err(|e| Error::InvalidRequest(format!("cannot encode the form: {e}")))?;
    form_from_value(value, fields)
}

/// [`to_form_styled`] once the body is a JSON value: not generic, so compiled once rather than
/// for every operation's body.
fn form_from_value(value: Value, fields: &[FormField]) -> Result<Vec<u8>, Error> {
    let Value::Object(map) = value else {
        return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
    };
    let mut out = String::new();
    let mut pair = |key: &str, value: &str| {
        if !out.is_empty() {
            out.push('&');
        }
        let (key, value) = query_pair(key, value, false);
        out.push_str(&key);
        out.push('=');
        out.push_str(&value);
    };
    for (key, value) in &map {
        let field = fields.iter().find(|field| field.name == key);
        match (field.map(|f| (f.style, f.explode)), value) {
            (_, Value::Null) => {}
            (Some((Style::DeepObject, _)), value) => deep_pairs(key, value, &mut pair),
            (Some((Style::SpaceDelimited, _)), Value::Array(items)) => pair(key, &joined(items, " ")),
            (Some((Style::PipeDelimited, _)), Value::Array(items)) => pair(key, &joined(items, "|")),
            (Some((_, false)), Value::Array(items)) => pair(key, &joined(items, ",")),
            (Some((_, false)), Value::Object(props)) => {
                let flat: Vec<Value> = props.iter().flat_map(|(k, v)| [Value::String(k.clone()), v.clone()]).collect();
                pair(key, &joined(&flat, ","));
            }
            (Some((_, true)), Value::Object(props)) => {
                for (name, value) in props {
                    if !value.is_null() {
                        pair(name, &form_text(value));
                    }
                }
            }
            (_, Value::Array(items)) => {
                for item in items {
                    pair(key, &form_text(item));
                }
            }
            (_, other) => pair(key, &form_text(other)),
        }
    }
    Ok(out.into_bytes())
}

/// `deepObject` to any depth: `prefix[key]` for an object's properties, `prefix[i]` for a
/// list's items (the indexed form Stripe's SDKs send), the scalar's text at the leaves; `null`
/// sends nothing.
fn deep_pairs(prefix: &str, value: &Value, pair: &mut impl FnMut(&str, &str)) {
    match value {
        Value::Null => {}
        Value::Object(props) => {
            for (name, value) in props {
                deep_pairs(&format!("{prefix}[{name}]"), value, pair);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                deep_pairs(&format!("{prefix}[{i}]"), item, pair);
            }
        }
        scalar => pair(prefix, &form_text(scalar)),
    }
}

/// Items' texts joined by `separator`.
fn joined(items: &[Value], separator: &str) -> String {
    items.iter().map(form_text).collect::<Vec<_>>().join(separator)
}

fn form_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => number_text(n),
        other => other.to_string(),
    }
}

/// A JSON number as `Display` writes it: integers as they are, `2.0` as `2`.
fn number_text(n: &serde_json::Number) -> String {
    match (n.as_u64(), n.as_i64(), n.as_f64()) {
        (Some(u), _, _) => u.to_string(),
        (_, Some(i), _) => i.to_string(),
        (_, _, Some(f)) => f.to_string(),
        _ => n.to_string(),
    }
}

/// A serializer for a flat struct whose fields are scalars, lists of scalars or objects of
/// scalars, which is what the generated parameters structs are: `Params` takes the struct,
/// `Scalar` each scalar.
mod query {
    use std::fmt::Display;

    use serde::ser::{self, Impossible, Serialize};
    use serde_json::Value;

    #[derive(Debug)]
    pub(super) struct QueryError {
        pub(super) message: String,
        /// A list or an object where a scalar was expected: the field is read as a compound.
        compound: bool,
    }

    impl std::fmt::Display for QueryError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.message)
        }
    }

    impl std::error::Error for QueryError {}

    impl ser::Error for QueryError {
        fn custom<T: Display>(message: T) -> Self {
            Self { message: message.to_string(), compound: false }
        }
    }

    fn unsupported<T>(what: &str) -> Result<T, QueryError> {
        Err(QueryError { message: format!("{what} cannot be sent in a query string"), compound: false })
    }

    fn compound<T>(what: &str) -> Result<T, QueryError> {
        Err(QueryError { message: format!("{what} cannot be sent in a query string"), compound: true })
    }

    /// One field's value.
    pub(super) enum Piece {
        Scalar(String),
        List(Vec<String>),
        Object(Vec<(String, String)>),
        /// A list or an object holding lists or objects: only `deepObject` writes it.
        Nested(Value),
    }

    /// A scalar inside a list or an object, from its JSON value.
    fn inner(value: &Value, name: &str) -> Result<Option<String>, QueryError> {
        match value {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Number(n) => Ok(Some(super::number_text(n))),
            Value::String(s) => Ok(Some(s.clone())),
            _ => unsupported(&format!("a nested value in `{name}`")),
        }
    }

    fn piece<T: Serialize + ?Sized>(value: &T, name: &str) -> Result<Option<Piece>, QueryError> {
        match value.serialize(Scalar) {
            Ok(scalar) => Ok(scalar.map(Piece::Scalar)),
            Err(e) if e.compound => {
                let value =
                    serde_json::to_value(value).map_err(|e| QueryError { message: e.to_string(), compound: false })?;
                compound_piece(value, name)
            }
            Err(e) => Err(e),
        }
    }

    /// A list or an object, from its JSON value: not generic, so compiled once rather than for
    /// every type of field.
    fn compound_piece(value: Value, name: &str) -> Result<Option<Piece>, QueryError> {
        let nested = |v: &Value| matches!(v, Value::Array(_) | Value::Object(_));
        match value {
            Value::Array(items) if items.iter().any(nested) => Ok(Some(Piece::Nested(Value::Array(items)))),
            Value::Object(map) if map.values().any(nested) => Ok(Some(Piece::Nested(Value::Object(map)))),
            Value::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for item in &items {
                    match inner(item, name)? {
                        Some(text) => list.push(text),
                        None => return unsupported(&format!("a null or a non-finite number in `{name}`")),
                    }
                }
                Ok(Some(Piece::List(list)))
            }
            Value::Object(map) => {
                let mut entries = Vec::with_capacity(map.len());
                for (key, item) in &map {
                    if let Some(text) = inner(item, name)? {
                        entries.push((key.clone(), text));
                    }
                }
                Ok(Some(Piece::Object(entries)))
            }
            other => Ok(inner(&other, name)?.map(Piece::Scalar)),
        }
    }

    pub(super) struct Params<'a> {
        pub(super) fields: &'a mut Vec<(&'static str, Piece)>,
    }

    impl ser::SerializeStruct for Params<'_> {
        type Ok = ();
        type Error = QueryError;

        fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), QueryError> {
            if let Some(value) = piece(value, key)? {
                self.fields.push((key, value));
            }
            Ok(())
        }

        fn end(self) -> Result<(), QueryError> {
            Ok(())
        }
    }

    macro_rules! unsupported_compound {
        ($($method:ident($($arg:ty),*) -> $ty:ty;)*) => {
            $(fn $method(self, $(_: $arg),*) -> Result<$ty, QueryError> { unsupported("a nested value") })*
        };
    }

    impl ser::Serializer for Params<'_> {
        type Ok = ();
        type Error = QueryError;
        type SerializeSeq = Impossible<(), QueryError>;
        type SerializeTuple = Impossible<(), QueryError>;
        type SerializeTupleStruct = Impossible<(), QueryError>;
        type SerializeTupleVariant = Impossible<(), QueryError>;
        type SerializeMap = Impossible<(), QueryError>;
        type SerializeStruct = Self;
        type SerializeStructVariant = Impossible<(), QueryError>;

        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, QueryError> {
            Ok(self)
        }

        fn serialize_unit(self) -> Result<(), QueryError> {
            Ok(())
        }

        fn serialize_unit_struct(self, _: &'static str) -> Result<(), QueryError> {
            Ok(())
        }

        unsupported_compound! {
            serialize_bool(bool) -> ();
            serialize_i8(i8) -> ();
            serialize_i16(i16) -> ();
            serialize_i32(i32) -> ();
            serialize_i64(i64) -> ();
            serialize_u8(u8) -> ();
            serialize_u16(u16) -> ();
            serialize_u32(u32) -> ();
            serialize_u64(u64) -> ();
            serialize_f32(f32) -> ();
            serialize_f64(f64) -> ();
            serialize_char(char) -> ();
            serialize_str(&str) -> ();
            serialize_bytes(&[u8]) -> ();
            serialize_none() -> ();
            serialize_unit_variant(&'static str, u32, &'static str) -> ();
            serialize_seq(Option<usize>) -> Self::SerializeSeq;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_map(Option<usize>) -> Self::SerializeMap;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }

        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), QueryError> {
            value.serialize(self)
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), QueryError> {
            value.serialize(self)
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), QueryError> {
            unsupported("a nested value")
        }
    }

    /// One field's value as text; `None` for an absent optional value.
    struct Scalar;

    fn text<T: Display>(value: T) -> Result<Option<String>, QueryError> {
        Ok(Some(value.to_string()))
    }

    impl ser::Serializer for Scalar {
        type Ok = Option<String>;
        type Error = QueryError;
        type SerializeSeq = Impossible<Option<String>, QueryError>;
        type SerializeTuple = Impossible<Option<String>, QueryError>;
        type SerializeTupleStruct = Impossible<Option<String>, QueryError>;
        type SerializeTupleVariant = Impossible<Option<String>, QueryError>;
        type SerializeMap = Impossible<Option<String>, QueryError>;
        type SerializeStruct = Impossible<Option<String>, QueryError>;
        type SerializeStructVariant = Impossible<Option<String>, QueryError>;

        fn serialize_bool(self, v: bool) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_i8(self, v: i8) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_i16(self, v: i16) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_i32(self, v: i32) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_i64(self, v: i64) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_u8(self, v: u8) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_u16(self, v: u16) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_u32(self, v: u32) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_u64(self, v: u64) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_i128(self, v: i128) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_u128(self, v: u128) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_f32(self, v: f32) -> Result<Option<String>, QueryError> {
            if v.is_finite() { text(v) } else { unsupported("a number that is not finite") }
        }
        fn serialize_f64(self, v: f64) -> Result<Option<String>, QueryError> {
            if v.is_finite() { text(v) } else { unsupported("a number that is not finite") }
        }
        fn serialize_char(self, v: char) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_str(self, v: &str) -> Result<Option<String>, QueryError> {
            text(v)
        }
        fn serialize_bytes(self, _: &[u8]) -> Result<Option<String>, QueryError> {
            unsupported("bytes")
        }
        fn serialize_none(self) -> Result<Option<String>, QueryError> {
            Ok(None)
        }
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Option<String>, QueryError> {
            value.serialize(self)
        }
        fn serialize_unit(self) -> Result<Option<String>, QueryError> {
            Ok(None)
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, QueryError> {
            Ok(None)
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
        ) -> Result<Option<String>, QueryError> {
            text(variant)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Option<String>, QueryError> {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Option<String>, QueryError> {
            unsupported("a nested value")
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, QueryError> {
            compound("a list")
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, QueryError> {
            compound("a list")
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, QueryError> {
            compound("a list")
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, QueryError> {
            compound("a list")
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, QueryError> {
            compound("an object")
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, QueryError> {
            compound("an object")
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, QueryError> {
            compound("an object")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_filled_with_one_encoded_segment_per_parameter() {
        let path = fill_path("/a/{id}/b/{name}", &[("name", "x y/z"), ("id", "Zoë")]).expect("fills");
        assert_eq!(path, "/a/Zo%C3%AB/b/x%20y%2Fz");
        assert_eq!(fill_path("/plain", &[]).expect("fills"), "/plain");
        for bad in ["", ".", ".."] {
            let error = fill_path("/a/{id}", &[("id", bad)]).expect_err("refused");
            assert!(error.to_string().contains("`id`"), "{error}");
        }
        assert!(fill_path("/a/{id}", &[]).is_err(), "a missing value is an error, not a literal `{{id}}`");
    }

    #[derive(serde::Serialize)]
    struct Params {
        page: f64,
        size: u32,
        #[serde(rename = "q", skip_serializing_if = "Option::is_none")]
        query: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        flag: Option<bool>,
        mode: Mode,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Mode {
        FastLane,
    }

    #[test]
    fn params_become_query_pairs_in_field_order() {
        let params = Params { page: 2.0, size: 50, query: Some("a&b".into()), flag: None, mode: Mode::FastLane };
        let pairs = to_query(&params).expect("flat");
        let expected: Vec<(String, String)> = vec![
            ("page".into(), "2".into()),
            ("size".into(), "50".into()),
            ("q".into(), "a%26b".into()),
            ("mode".into(), "fast-lane".into()),
        ];
        assert_eq!(pairs, expected);
        assert_eq!(to_query(&()).expect("no parameters"), Vec::new());
        let not_finite = Params { page: f64::NAN, size: 0, query: None, flag: Some(true), mode: Mode::FastLane };
        assert!(to_query(&not_finite).is_err(), "NaN cannot be sent");
    }

    #[test]
    fn lists_and_objects_follow_their_style_and_nesting_is_refused() {
        #[derive(serde::Serialize)]
        struct Lists {
            a: Vec<u8>,
            b: Vec<&'static str>,
            c: Vec<u8>,
            d: Vec<u8>,
            o: std::collections::BTreeMap<&'static str, u8>,
            h: Vec<u8>,
            k: &'static str,
        }
        let lists = Lists {
            a: vec![1, 2],
            b: vec!["x", "y"],
            c: vec![3, 4],
            d: vec![5, 6],
            o: [("k", 1), ("l", 2)].into(),
            h: vec![7, 8],
            k: "v",
        };
        let styled = |name, location, style, explode| Styled { name, location, style, explode, allow_reserved: false };
        let split = split_params(
            &lists,
            &[
                styled("b", In::Query, Style::Form, false),
                styled("c", In::Query, Style::SpaceDelimited, false),
                styled("d", In::Query, Style::PipeDelimited, false),
                styled("o", In::Query, Style::DeepObject, true),
                styled("h", In::Header, Style::Simple, false),
                styled("k", In::Cookie, Style::Form, true),
            ],
        )
        .expect("flat");
        let pairs: Vec<String> = split.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(pairs, ["a=1", "a=2", "b=x%2Cy", "c=3+4", "d=5%7C6", "o%5Bk%5D=1", "o%5Bl%5D=2"]);
        assert_eq!(split.headers, [("h", "7,8".to_owned())]);
        assert_eq!(split.cookies, [("k", "v".to_owned())]);

        #[derive(serde::Serialize)]
        struct Nested {
            list: Vec<Vec<u8>>,
        }
        let error = to_query(&Nested { list: vec![vec![1]] }).expect_err("refused");
        assert!(error.to_string().contains("`list` is a nested list or object"), "{error}");
    }

    #[test]
    fn deep_object_writes_any_shape_in_brackets() {
        #[derive(serde::Serialize)]
        struct Deep {
            created: std::collections::BTreeMap<&'static str, u32>,
            expand: Vec<&'static str>,
            items: Vec<std::collections::BTreeMap<&'static str, serde_json::Value>>,
            limit: u8,
        }
        let deep = Deep {
            created: [("gte", 1), ("lt", 2)].into(),
            expand: vec!["data.customer", "x"],
            items: vec![[("price", serde_json::json!("p_1")), ("tiers", serde_json::json!([{"up_to": 5}]))].into()],
            limit: 3,
        };
        let styled =
            |name| Styled { name, location: In::Query, style: Style::DeepObject, explode: true, allow_reserved: false };
        let split = split_params(&deep, &[styled("created"), styled("expand"), styled("items"), styled("limit")])
            .expect("any shape");
        let pairs: Vec<String> = split.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            pairs,
            [
                "created%5Bgte%5D=1",
                "created%5Blt%5D=2",
                "expand%5B0%5D=data.customer",
                "expand%5B1%5D=x",
                "items%5B0%5D%5Bprice%5D=p_1",
                "items%5B0%5D%5Btiers%5D%5B0%5D%5Bup_to%5D=5",
                "limit=3",
            ]
        );
    }

    #[test]
    fn allow_reserved_keeps_reserved_characters_and_escapes() {
        let value = "a/b?c=d&e:[f]@g!$'()*+,;h #i %2F%zz ü~";
        let (_, encoded) = query_pair("q", value, true);
        assert_eq!(encoded, "a/b?c=d&e:[f]@g!$'()*+,;h%20%23i%20%2F%25zz%20%C3%BC~");
        let (_, form) = query_pair("q", value, false);
        assert!(form.starts_with("a%2Fb%3Fc%3Dd%26e%3A"), "{form}");
        let path = fill_path("/data/{+path}/x", &[("path", "opa/examples?#")]).expect("sendable");
        assert_eq!(path, "/data/opa/examples%3F%23/x", "`?` and `#` would end the path");
        for value in ["", "a/../b", "./a", "a/.", "%2e%2e/x", "a/.%2E/b", "%2E", "%2e."] {
            assert!(fill_path("/data/{+path}", &[("path", value)]).is_err(), "{value:?}");
        }
        assert_eq!(fill_path("/data/{path}", &[("path", "a/b")]).expect("one segment"), "/data/a%2Fb");
    }
}
