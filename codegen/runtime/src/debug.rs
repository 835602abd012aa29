//! `Debug` for the generated structs, written from their JSON form.
//!
//! A derived `Debug` is one expression per field, and rustc checks it for every struct of the
//! API: for GitHub's 3,700 structs that was 0.2 GB of the 4.3 GB `cargo check` needed. The
//! structs' impl is instead one call to [`debug_object`], which walks what the struct serializes:
//! its properties in declared order, under their JSON names, then the properties it kept from
//! decoding. An absent optional property is left out, as on the wire; nested values print as JSON
//! does (`null`, numbers, `"text"`, `[…]`, `{"key": …}`), and `{:#?}` spreads all of it over lines.
//!
//! Values are serialized straight into the formatter ([`Show`]), with no JSON text or
//! `serde_json::Value` in between: each type's `Serialize` is compiled once more for `Debug`, not
//! once per intermediate form (a `Value`, and JSON text for the integers a `Value` cannot hold),
//! which is code every build of a big API pays for, and a downstream binary links.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, SerializeMap};
use serde_json::Value;

use crate::codec::{ObjectWriter, SerializeFields};

/// Formats a generated struct for `Debug`: `Name { property: value, … }`, each property under
/// its JSON name.
///
/// # Errors
/// The formatter's error.
pub fn debug_object<T: SerializeFields>(value: &T, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut map = Entries { builder: Builder::Struct(f.debug_struct(name)), key: None };
    let mut out = ObjectWriter::new(&mut map);
    value.serialize_fields(&mut out);
    let result = out.finish();
    map.finish(result)
}

/// Why a value could not be shown: the formatter failed, or the value refused to serialize.
#[derive(Debug)]
enum Unshown {
    /// The formatter's own error, passed on.
    Format,
    /// The value's serialization failed: shown in its place.
    Refused(String),
}

impl fmt::Display for Unshown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Format => f.write_str("the formatter failed"),
            Self::Refused(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Unshown {}

impl ser::Error for Unshown {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::Refused(msg.to_string())
    }
}

impl From<fmt::Error> for Unshown {
    fn from(_: fmt::Error) -> Self {
        Self::Format
    }
}

/// A value shown through its `Serialize`. A value that refuses to serialize shows the reason in
/// its place: only the formatter's own failure is an error (`format!` panics on any other).
struct Shown<'v, V: ?Sized>(&'v V);

impl<V: ?Sized + Serialize> fmt::Debug for Shown<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.serialize(Show { f }) {
            Ok(()) => Ok(()),
            Err(Unshown::Format) => Err(fmt::Error),
            Err(Unshown::Refused(message)) => write!(f, "<not shown: {message}>"),
        }
    }
}

/// A serializer writing a value's JSON form into a formatter, through its builders (so that
/// `{:#?}` indents).
struct Show<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
}

impl Show<'_, '_> {
    /// A number or other scalar as a `serde_json::Value` prints it.
    fn scalar(self, value: &Value) -> Result<(), Unshown> {
        Ok(fmt::Debug::fmt(&Json(value), self.f)?)
    }
}

/// Writes a JSON scalar as JSON text does, strings quoted and escaped as `Debug` does.
struct Json<'a>(&'a Value);

impl fmt::Debug for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Null => f.write_str("null"),
            Value::Bool(value) => fmt::Debug::fmt(value, f),
            Value::Number(value) => fmt::Display::fmt(value, f),
            Value::String(value) => fmt::Debug::fmt(value, f),
            Value::Array(items) => f.debug_list().entries(items.iter().map(Json)).finish(),
            Value::Object(map) => f.debug_map().entries(map.iter().map(|(key, value)| (key, Json(value)))).finish(),
        }
    }
}

impl<'a, 'b> ser::Serializer for Show<'a, 'b> {
    type Ok = ();
    type Error = Unshown;
    type SerializeSeq = Items<'a, 'b>;
    type SerializeTuple = Items<'a, 'b>;
    type SerializeTupleStruct = Items<'a, 'b>;
    type SerializeTupleVariant = Variant<'a, 'b>;
    type SerializeMap = Entries<'a, 'b>;
    type SerializeStruct = Entries<'a, 'b>;
    type SerializeStructVariant = Variant<'a, 'b>;

    fn serialize_bool(self, v: bool) -> Result<(), Unshown> {
        Ok(fmt::Debug::fmt(&v, self.f)?)
    }

    fn serialize_i64(self, v: i64) -> Result<(), Unshown> {
        Ok(fmt::Display::fmt(&v, self.f)?)
    }

    fn serialize_u64(self, v: u64) -> Result<(), Unshown> {
        Ok(fmt::Display::fmt(&v, self.f)?)
    }

    // Beyond 64 bits as JSON text writes it: every digit.
    fn serialize_i128(self, v: i128) -> Result<(), Unshown> {
        Ok(fmt::Display::fmt(&v, self.f)?)
    }

    fn serialize_u128(self, v: u128) -> Result<(), Unshown> {
        Ok(fmt::Display::fmt(&v, self.f)?)
    }

    fn serialize_i8(self, v: i8) -> Result<(), Unshown> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Unshown> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Unshown> {
        self.serialize_i64(v.into())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Unshown> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Unshown> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Unshown> {
        self.serialize_u64(v.into())
    }

    // As JSON writes them (`1.0`, `1e20`), a non-finite number as `null`.
    fn serialize_f32(self, v: f32) -> Result<(), Unshown> {
        self.scalar(&Value::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Unshown> {
        self.scalar(&Value::from(v))
    }

    fn serialize_char(self, v: char) -> Result<(), Unshown> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Unshown> {
        Ok(fmt::Debug::fmt(v, self.f)?)
    }

    // A list of numbers, as `serde_json` writes bytes.
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unshown> {
        Ok(self.f.debug_list().entries(v).finish()?)
    }

    fn serialize_none(self) -> Result<(), Unshown> {
        Ok(self.f.write_str("null")?)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Unshown> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unshown> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unshown> {
        self.serialize_none()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Unshown> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result<(), Unshown> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unshown> {
        Ok(self.f.debug_map().entry(&variant, &Shown(value)).finish()?)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Items<'a, 'b>, Unshown> {
        Ok(Items { list: self.f.debug_list() })
    }

    fn serialize_tuple(self, len: usize) -> Result<Items<'a, 'b>, Unshown> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Items<'a, 'b>, Unshown> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Variant<'a, 'b>, Unshown> {
        Ok(Variant { f: self.f, variant, fields: Vec::new() })
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Entries<'a, 'b>, Unshown> {
        Ok(Entries { builder: Builder::Map(self.f.debug_map()), key: None })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Entries<'a, 'b>, Unshown> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<'a, 'b>, Unshown> {
        self.serialize_tuple_variant(name, index, variant, len)
    }
}

/// A list's items, each shown as it serializes (an item that refuses shows why in its place).
struct Items<'a, 'b> {
    list: fmt::DebugList<'a, 'b>,
}

impl Items<'_, '_> {
    fn item<T: ?Sized + Serialize>(&mut self, value: &T) {
        self.list.entry(&Shown(value));
    }

    fn finish(mut self) -> Result<(), Unshown> {
        Ok(self.list.finish()?)
    }
}

impl ser::SerializeSeq for Items<'_, '_> {
    type Ok = ();
    type Error = Unshown;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unshown> {
        self.item(value);
        Ok(())
    }

    fn end(self) -> Result<(), Unshown> {
        self.finish()
    }
}

impl ser::SerializeTuple for Items<'_, '_> {
    type Ok = ();
    type Error = Unshown;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unshown> {
        self.item(value);
        Ok(())
    }

    fn end(self) -> Result<(), Unshown> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Items<'_, '_> {
    type Ok = ();
    type Error = Unshown;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unshown> {
        self.item(value);
        Ok(())
    }

    fn end(self) -> Result<(), Unshown> {
        self.finish()
    }
}

/// The builder an object is written through: a generated struct at the top (`Name { key: … }`),
/// any other object as a map (`{"key": …}`).
enum Builder<'a, 'b> {
    Struct(fmt::DebugStruct<'a, 'b>),
    Map(fmt::DebugMap<'a, 'b>),
}

/// An object's entries. One type for both builders, so that a struct's `serialize_fields` is
/// compiled once for `Debug`, at the top or nested.
struct Entries<'a, 'b> {
    builder: Builder<'a, 'b>,
    /// A struct's key, written with its value (`serialize_key` then `serialize_value`).
    key: Option<String>,
}

impl Entries<'_, '_> {
    /// Ends the object; an entry that could not be written is shown in its place, at the top,
    /// and passed on when nested.
    fn finish(self, result: Result<(), Unshown>) -> fmt::Result {
        match (self.builder, result) {
            (Builder::Struct(mut fields), Err(Unshown::Refused(message))) => {
                fields.field("<not shown>", &format_args!("{message}"));
                fields.finish()
            }
            (Builder::Struct(mut fields), Ok(())) => fields.finish(),
            (Builder::Map(mut map), Ok(())) => map.finish(),
            (_, Err(_)) => Err(fmt::Error),
        }
    }
}

impl SerializeMap for Entries<'_, '_> {
    type Ok = ();
    type Error = Unshown;

    fn serialize_key<K: ?Sized + Serialize>(&mut self, key: &K) -> Result<(), Unshown> {
        match &mut self.builder {
            Builder::Map(map) => {
                map.key(&Shown(key));
            }
            // A struct's field names are its properties' JSON names: text.
            Builder::Struct(_) => match serde_json::to_value(key) {
                Ok(Value::String(key)) => self.key = Some(key),
                Ok(other) => return Err(Unshown::Refused(format!("a key that is not a string: {other}"))),
                Err(error) => return Err(Unshown::Refused(error.to_string())),
            },
        }
        Ok(())
    }

    fn serialize_value<V: ?Sized + Serialize>(&mut self, value: &V) -> Result<(), Unshown> {
        match &mut self.builder {
            Builder::Map(map) => {
                map.value(&Shown(value));
            }
            Builder::Struct(fields) => {
                fields.field(self.key.as_deref().unwrap_or_default(), &Shown(value));
            }
        }
        Ok(())
    }

    fn end(self) -> Result<(), Unshown> {
        self.finish(Ok(())).map_err(Unshown::from)
    }
}

impl ser::SerializeStruct for Entries<'_, '_> {
    type Ok = ();
    type Error = Unshown;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Unshown> {
        self.serialize_entry(key, value)
    }

    fn end(self) -> Result<(), Unshown> {
        SerializeMap::end(self)
    }
}

/// An enum's tuple or struct variant, `{"Variant": …}` (no generated type has one): its fields
/// are kept as JSON values, then shown.
struct Variant<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    variant: &'static str,
    fields: Vec<(Option<&'static str>, Value)>,
}

impl Variant<'_, '_> {
    fn field<T: ?Sized + Serialize>(&mut self, key: Option<&'static str>, value: &T) -> Result<(), Unshown> {
        let value = serde_json::to_value(value).map_err(|error| Unshown::Refused(error.to_string()))?;
        self.fields.push((key, value));
        Ok(())
    }

    fn finish(self) -> Result<(), Unshown> {
        let value = if self.fields.iter().all(|(key, _)| key.is_some()) && !self.fields.is_empty() {
            Value::Object(
                self.fields.into_iter().map(|(key, value)| (key.unwrap_or_default().to_owned(), value)).collect(),
            )
        } else {
            Value::Array(self.fields.into_iter().map(|(_, value)| value).collect())
        };
        Ok(self.f.debug_map().entry(&self.variant, &Json(&value)).finish()?)
    }
}

impl ser::SerializeTupleVariant for Variant<'_, '_> {
    type Ok = ();
    type Error = Unshown;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unshown> {
        self.field(None, value)
    }

    fn end(self) -> Result<(), Unshown> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Variant<'_, '_> {
    type Ok = ();
    type Error = Unshown;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Unshown> {
        self.field(Some(key), value)
    }

    fn end(self) -> Result<(), Unshown> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::Shown;

    fn show<T: Serialize>(value: &T) -> String {
        format!("{:?}", Shown(value))
    }

    #[test]
    fn values_show_as_json() {
        let value = serde_json::json!({"b": [1, -2, 2.5, 1e20, null, true], "a": "é\n\"", "c": {}});
        assert_eq!(show(&value), r#"{"a": "é\n\"", "b": [1, -2, 2.5, 1e+20, null, true], "c": {}}"#);
        // Numbers as a `serde_json::Value` shows them.
        assert_eq!(show(&1e20_f64), serde_json::Value::from(1e20_f64).to_string());
        assert_eq!(show(&(i128::from(u64::MAX) + 1)), "18446744073709551616");
        assert_eq!(show(&u128::MAX), u128::MAX.to_string());
        assert_eq!(show(&f64::NAN), "null");
        assert_eq!(show(&1.0_f64), "1.0");
        assert_eq!(show(&Some('x')), r#""x""#);
        assert_eq!(show(&Option::<u8>::None), "null");
        assert_eq!(show(&serde_bytes_like()), "[1, 2]");
        let map: BTreeMap<u8, &str> = [(1, "one")].into();
        assert_eq!(show(&map), r#"{1: "one"}"#);
        assert_eq!(format!("{:#?}", Shown(&serde_json::json!([1]))), "[\n    1,\n]");
    }

    fn serde_bytes_like() -> impl Serialize {
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(&[1, 2])
            }
        }
        Bytes
    }

    #[test]
    fn variants_show_as_serde_json_writes_them() {
        #[derive(Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, &'static str),
            Struct { a: u8 },
        }
        assert_eq!(show(&E::Unit), r#""Unit""#);
        assert_eq!(show(&E::New(1)), r#"{"New": 1}"#);
        assert_eq!(show(&E::Tuple(1, "x")), r#"{"Tuple": [1, "x"]}"#);
        assert_eq!(show(&E::Struct { a: 1 }), r#"{"Struct": {"a": 1}}"#);
    }

    /// A value that refuses to serialize shows why in its place; `format!` does not panic.
    #[test]
    fn a_refusal_is_shown_in_place() {
        struct Refuses;
        impl Serialize for Refuses {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        assert_eq!(show(&vec![Refuses]), "[<not shown: no>]");
        assert_eq!(show(&Refuses), "<not shown: no>");
    }
}
