//! Finds a non-finite number (NaN, ±infinity) in a value about to be sent as JSON. JSON has no
//! such numbers and `serde_json` writes them as `null`, which would send another value than the
//! caller gave without a word; the client refuses the request instead, naming the JSON path.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible, Serializer};

/// The path (`rows[2].price`, `$` for the whole value) and the value of the first non-finite
/// number in `value`, or `None`. A value that does not serialize is no business of this check:
/// the encoder reports it.
pub(crate) fn non_finite<T: Serialize + ?Sized>(value: &T) -> Option<(String, f64)> {
    let mut path = Vec::new();
    match value.serialize(Walk { path: &mut path }) {
        Err(Found::NonFinite(path, number)) => Some((path, number)),
        Ok(()) | Err(Found::Other) => None,
    }
}

/// An [`Error::InvalidRequest`](crate::Error::InvalidRequest) naming where `value` has a
/// non-finite number, in a body or part called `what`.
pub(crate) fn check<T: Serialize + ?Sized>(value: &T, what: &str) -> Result<(), crate::Error> {
    match non_finite(value) {
        None => Ok(()),
        Some((path, number)) => Err(crate::Error::InvalidRequest(format!(
            "{what} has {number} at `{path}`, which JSON cannot carry (it would be sent as null)"
        ))),
    }
}

enum Segment {
    Field(&'static str),
    Key(String),
    Index(usize),
}

fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Field(name) if out.is_empty() => out.push_str(name),
            Segment::Field(name) => {
                out.push('.');
                out.push_str(name);
            }
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    if out.is_empty() { "$".to_owned() } else { out }
}

#[derive(Debug)]
enum Found {
    NonFinite(String, f64),
    Other,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("found")
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Self::Other
    }
}

/// Serializes nothing: visits every number, keeping the path to it.
struct Walk<'a> {
    path: &'a mut Vec<Segment>,
}

impl Walk<'_> {
    fn number(self, number: f64) -> Result<(), Found> {
        if number.is_finite() { Ok(()) } else { Err(Found::NonFinite(render(self.path), number)) }
    }

    fn at<T: Serialize + ?Sized>(&mut self, segment: Segment, value: &T) -> Result<(), Found> {
        self.path.push(segment);
        let result = value.serialize(Walk { path: self.path });
        self.path.pop();
        result
    }
}

/// The compound serializers: each element at its place in the path.
struct Compound<'a> {
    walk: Walk<'a>,
    index: usize,
    key: Option<String>,
}

impl<'a> Compound<'a> {
    fn new(walk: Walk<'a>) -> Self {
        Self { walk, index: 0, key: None }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let index = self.index;
        self.index += 1;
        self.walk.at(Segment::Index(index), value)
    }
}

macro_rules! finite_scalars {
    ($($method:ident($ty:ty)),*) => {
        $(fn $method(self, _: $ty) -> Result<(), Found> { Ok(()) })*
    };
}

impl<'a> Serializer for Walk<'a> {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    finite_scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8])
    );

    fn serialize_f32(self, v: f32) -> Result<(), Found> {
        self.number(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Found> {
        self.number(v)
    }
    fn serialize_none(self) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        self.at(Segment::Field(variant), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Found> {
        self.path.push(Segment::Field(variant));
        Ok(Compound::new(self))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Found> {
        self.path.push(Segment::Field(variant));
        Ok(Compound::new(self))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        self.walk.path.pop();
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Found> {
        self.key = Some(key.serialize(KeyText).unwrap_or_default());
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let key = self.key.take().unwrap_or_default();
        self.walk.at(Segment::Key(key), value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Found> {
        self.walk.at(Segment::Field(name), value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Found> {
        self.walk.at(Segment::Field(name), value)
    }
    fn end(self) -> Result<(), Found> {
        self.walk.path.pop();
        Ok(())
    }
}

/// A map key as text, for the path (JSON keys are strings; numbers and booleans as written).
struct KeyText;

macro_rules! key_as_display {
    ($($method:ident($ty:ty)),*) => {
        $(fn $method(self, v: $ty) -> Result<String, Found> { Ok(v.to_string()) })*
    };
}

impl Serializer for KeyText {
    type Ok = String;
    type Error = Found;
    type SerializeSeq = Impossible<String, Found>;
    type SerializeTuple = Impossible<String, Found>;
    type SerializeTupleStruct = Impossible<String, Found>;
    type SerializeTupleVariant = Impossible<String, Found>;
    type SerializeMap = Impossible<String, Found>;
    type SerializeStruct = Impossible<String, Found>;
    type SerializeStructVariant = Impossible<String, Found>;

    key_as_display!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str)
    );

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Found> {
        Err(Found::Other)
    }
    fn serialize_none(self) -> Result<String, Found> {
        Err(Found::Other)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Found> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Found> {
        Err(Found::Other)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Found> {
        Err(Found::Other)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<String, Found> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<String, Found> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Found> {
        Err(Found::Other)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Found> {
        Err(Found::Other)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Found> {
        Err(Found::Other)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Found> {
        Err(Found::Other)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Found> {
        Err(Found::Other)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Found> {
        Err(Found::Other)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Found> {
        Err(Found::Other)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Found> {
        Err(Found::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Row {
        price: f64,
        tags: Vec<f32>,
        extra: BTreeMap<String, serde_json::Value>,
    }

    #[test]
    fn finds_the_path_of_a_non_finite_number() {
        let row = |price, tags: Vec<f32>| Row { price, tags, extra: BTreeMap::new() };
        assert_eq!(non_finite(&row(1.5, vec![0.0, -0.0])), None);
        let found = non_finite(&vec![row(1.0, vec![]), row(1.0, vec![2.0, f32::NEG_INFINITY])]);
        assert_eq!(found, Some(("[1].tags[1]".to_owned(), f64::NEG_INFINITY)));
        let found = non_finite(&row(f64::NAN, vec![])).expect("NaN");
        assert!(found.0 == "price" && found.1.is_nan());
        let map: BTreeMap<&str, BTreeMap<u8, f64>> = [("m", [(7, f64::INFINITY)].into())].into();
        assert_eq!(non_finite(&map), Some(("m.7".to_owned(), f64::INFINITY)));
        assert_eq!(non_finite(&f64::NAN).map(|f| f.0), Some("$".to_owned()));
    }
}
