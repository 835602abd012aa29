//! `Debug` for the generated structs, written from their JSON form.
//!
//! A derived `Debug` is one expression per field, and rustc checks it for every struct of the
//! API: for GitHub's 3,700 structs that was 0.2 GB of the 4.3 GB `cargo check` needed. The
//! structs' impl
//! is instead one call to [`debug_object`], which walks what the struct serializes: its
//! properties in declared order, under their JSON names, then the properties it kept from
//! decoding. An absent optional property is left out, as on the wire; nested values print as JSON
//! does (`null`, numbers, `"text"`, `[…]`, `{"key": …}`), and `{:#?}` spreads all of it over lines.

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
    let mut fields = f.debug_struct(name);
    let mut sink = Sink { fields: &mut fields, key: None };
    let mut out = ObjectWriter::new(&mut sink);
    value.serialize_fields(&mut out);
    if let Err(error) = out.finish() {
        fields.field("<not shown>", &format_args!("{error}"));
    }
    fields.finish()
}

/// The entries of a struct, each written as a field of a `DebugStruct`.
struct Sink<'s, 'a, 'b> {
    fields: &'s mut fmt::DebugStruct<'a, 'b>,
    /// The key of the entry being written (`serialize_key` then `serialize_value`).
    key: Option<String>,
}

/// Why an entry could not be shown: its key is not a string, or its value does not serialize.
#[derive(Debug)]
struct Unshown(String);

impl fmt::Display for Unshown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unshown {}

impl ser::Error for Unshown {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

impl SerializeMap for Sink<'_, '_, '_> {
    type Ok = ();
    type Error = Unshown;

    fn serialize_key<K: ?Sized + Serialize>(&mut self, key: &K) -> Result<(), Unshown> {
        match serde_json::to_value(key) {
            Ok(Value::String(key)) => {
                self.key = Some(key);
                Ok(())
            }
            Ok(other) => Err(Unshown(format!("a key that is not a string: {other}"))),
            Err(error) => Err(Unshown(error.to_string())),
        }
    }

    fn serialize_value<V: ?Sized + Serialize>(&mut self, value: &V) -> Result<(), Unshown> {
        let key = self.key.take().unwrap_or_default();
        match serde_json::to_value(value) {
            Ok(value) => self.fields.field(&key, &Json(&value)),
            // A `Value` cannot hold an integer beyond 64 bits (an `i128` field): its JSON text.
            Err(error) => match serde_json::to_string(value) {
                Ok(text) => self.fields.field(&key, &format_args!("{text}")),
                Err(_) => return Err(Unshown(error.to_string())),
            },
        };
        Ok(())
    }

    fn end(self) -> Result<(), Unshown> {
        Ok(())
    }
}

/// A JSON value as `Debug` shows it: strings quoted and escaped, objects and arrays through the
/// formatter's builders (so that `{:#?}` indents them).
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
