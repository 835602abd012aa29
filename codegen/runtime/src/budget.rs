//! A bound on the memory that the JSON values a model keeps without a declared type (undeclared
//! properties, and the properties a tagged union reads before its tag) may take while one body
//! is decoded.
//!
//! Such a value is a `serde_json::Value`, which takes 32 bytes per number: a body of `[0,0,…]`
//! costs sixteen times its size. `codec::from_str` gives each decode a budget of the body's size
//! plus 8 MiB; a kept value that would exceed it fails the decode, naming its path, instead of
//! taking the process's memory. Decoding outside `codec` (a user's own `serde_json::from_str`)
//! has no budget and keeps every value, as `serde_json::Value` itself does.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// What a decode may spend on kept values beyond the body's own size.
const SLACK: usize = 8 << 20;

/// The estimated memory of one value: every `Value` is this large, wherever it lives.
const NODE: usize = size_of::<Value>();

/// A map entry's overhead beyond its key's text and its value: the key's `String`, and the
/// share of a `BTreeMap` node.
const ENTRY: usize = size_of::<String>() + 16;

thread_local! {
    /// The bytes left for kept values in the decode running on this thread, if it has a budget.
    static LEFT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Gives the decodes of this thread, until the guard drops, a budget for a body of `len` bytes.
pub(crate) fn limit(len: usize) -> Guard {
    Guard(LEFT.replace(Some(len.saturating_add(SLACK))))
}

/// Restores the budget of an enclosing decode (decodes do not nest today, but may).
pub(crate) struct Guard(Option<usize>);

impl Drop for Guard {
    fn drop(&mut self) {
        LEFT.set(self.0);
    }
}

fn charge<E: de::Error>(bytes: usize) -> Result<(), E> {
    match LEFT.get() {
        None => Ok(()),
        Some(left) if bytes <= left => {
            LEFT.set(Some(left - bytes));
            Ok(())
        }
        Some(_) => Err(E::custom(format_args!(
            "the values the model keeps without a declared type would take more memory than the body's \
             size plus {} MiB; refused",
            SLACK >> 20
        ))),
    }
}

/// Charges a kept map entry's key to the decode's budget.
pub(crate) fn entry<E: de::Error>(key: &str) -> Result<(), E> {
    charge(ENTRY + key.len())
}

/// Reads a value to keep, as `serde_json::Value` does, charging it to the decode's budget.
pub(crate) struct Kept;

impl<'de> DeserializeSeed<'de> for Kept {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Kept {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        charge(NODE)?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        charge(NODE)?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        charge(NODE)?;
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        charge(NODE)?;
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        charge(NODE + v.len())?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        charge(NODE + v.len())?;
        Ok(Value::String(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        charge(NODE)?;
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        charge(NODE)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Kept)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        charge(NODE)?;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            entry(&key)?;
            let value = map.next_value_seed(Kept)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(text: &str) -> Result<Value, serde_json::Error> {
        Kept.deserialize(&mut serde_json::Deserializer::from_str(text))
    }

    #[test]
    fn a_budget_bounds_kept_values_and_none_keeps_all() {
        let text = r#"{"a": [1, 2.5, "x", null, true, {"b": []}]}"#;
        assert_eq!(kept(text).expect("no budget"), serde_json::from_str::<Value>(text).expect("JSON"));
        let big = format!("[{}0]", "0,".repeat(2 * SLACK / NODE));
        assert!(kept(&big).is_ok(), "no budget: kept");
        let guard = limit(big.len());
        let error = kept(&big).expect_err("sixteen times the body");
        assert!(error.to_string().contains("take more memory than the body's size plus 8 MiB"), "{error}");
        drop(guard);
        assert!(kept(&big).is_ok(), "the budget ends with its guard");
    }
}
