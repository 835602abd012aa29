//! Integers read as JSON Schema reads them: `type: integer` matches any number whose fraction is
//! zero (2020-12, OpenAPI 3.1), so `167.0` and `1.67e2` are the integer 167. serde's own impls
//! refuse a float for an integer type; the models read the fields that hold integers (the
//! generator marks them `#[model(integer)]`, through aliases, lists and maps) with
//! [`Integer::decode`] instead.
//!
//! The number is asked for with `deserialize_i64`, which is serde_json's one number path: an
//! integer that fits 64 bits arrives as one, exactly; anything else as an `f64`. So a value beyond
//! the 64-bit range (held by `i128`/`u128` fields) is exact up to 2^53 and otherwise as close as
//! an `f64` gets, as it is in a `serde_json::Value`; `deserialize_i128` would keep its digits
//! but refuse `1.0e20` and `167.0`, which are as valid.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::num::NonZeroU64;

use serde::de::{self, DeserializeSeed, Deserializer, Unexpected, Visitor};

/// A type read with JSON Schema's rule for integers: a number with a zero fraction, which the
/// type must hold; a fraction fails as serde's impls do (`invalid type: floating point`).
pub trait Integer<'de>: Sized {
    /// Reads the value.
    ///
    /// # Errors
    /// A number with a fraction, one the type cannot hold, or another JSON type.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// `deserialize_with` for a value holding integers (an untagged union's variant).
///
/// # Errors
/// As [`Integer::decode`].
pub fn integer<'de, T: Integer<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::decode(deserializer)
}

/// A value holding integers, as serde sees it: decoded with [`Integer::decode`] (so `167.0` is
/// the integer 167), encoded as the value. It is what a named integer schema of a document is
/// (`pub type Count = Integers<i64>;`: a type alias of a Rust integer would be decoded on its own
/// by serde's impl, which refuses `167.0`), and how an operation's `Vec<i32>` or map-of-integers
/// body is read. It dereferences to the value and converts from and into it.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Integers<T>(pub T);

impl<T> Integers<T> {
    /// The value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Integers<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Integers<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Integers<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

/// As the value's own `Debug`: the wrapper is an implementation detail of decoding.
impl<T: fmt::Debug> fmt::Debug for Integers<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Integers<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de, T: Integer<'de>> serde::Deserialize<'de> for Integers<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer).map(Integers)
    }
}

impl<T: serde::Serialize> serde::Serialize for Integers<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Held by a model's field, list or map, it reads itself as it does alone.
impl<'de, T: Integer<'de>> Integer<'de> for Integers<T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer).map(Integers)
    }
}

/// The value's schema: the wrapper is not in the JSON.
#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Integers<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// [`Integer::decode`] as a seed, for `next_value_seed` and `next_element_seed`.
pub struct Seed<T>(PhantomData<T>);

impl<T> Seed<T> {
    /// The seed of `T`.
    pub const NEW: Self = Self(PhantomData);
}

impl<'de, T: Integer<'de>> DeserializeSeed<'de> for Seed<T> {
    type Value = T;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer)
    }
}

/// Reads one primitive integer type from any number the deserializer gives.
struct Primitive<T>(PhantomData<T>);

/// 2^64 and 2^127 as `f64`, both exact: the ends of the ranges an integral `f64` converts from.
const TWO_64: f64 = 18_446_744_073_709_551_616.0;
const TWO_127: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;

macro_rules! primitive {
    ($($ty:ty),*) => {$(
        impl<'de> Visitor<'de> for Primitive<$ty> {
            type Value = $ty;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // serde's own wording, so that messages do not change with the path taken.
                f.write_str(stringify!($ty))
            }

            #[inline]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                <$ty>::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
            }

            #[inline]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                <$ty>::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
            }

            fn visit_i128<E: de::Error>(self, v: i128) -> Result<$ty, E> {
                <$ty>::try_from(v).map_err(|_| E::invalid_value(Unexpected::Other("a 128-bit integer"), &self))
            }

            fn visit_u128<E: de::Error>(self, v: u128) -> Result<$ty, E> {
                <$ty>::try_from(v).map_err(|_| E::invalid_value(Unexpected::Other("a 128-bit integer"), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                // A fraction (or not a number) is another type, as serde says it; an integral
                // value is this type when it holds it.
                if v.fract() != 0.0 || !v.is_finite() {
                    return Err(E::invalid_type(Unexpected::Float(v), &self));
                }
                // In range, `as` is exact: the value is integral and below the bound.
                if (0.0..TWO_64 * TWO_64).contains(&v) {
                    return <$ty>::try_from(v as u128).map_err(|_| E::invalid_value(Unexpected::Float(v), &self));
                }
                if (-TWO_127..0.0).contains(&v) {
                    return <$ty>::try_from(v as i128).map_err(|_| E::invalid_value(Unexpected::Float(v), &self));
                }
                Err(E::invalid_value(Unexpected::Float(v), &self))
            }
        }

        impl<'de> Integer<'de> for $ty {
            #[inline]
            fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_i64(Primitive::<$ty>(PhantomData))
            }
        }
    )*};
}

primitive!(i32, u32, i64, u64, i128, u128);

impl<'de> Integer<'de> for NonZeroU64 {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u64::decode(deserializer)?;
        NonZeroU64::new(n).ok_or_else(|| {
            // Refused once read: the parser has moved on (see `locate`).
            crate::locate::hint(crate::locate::Hint::Value(serde_json::Value::from(n)));
            de::Error::invalid_value(Unexpected::Unsigned(n), &"a nonzero u64")
        })
    }
}

impl<'de, T: Integer<'de>> Integer<'de> for Option<T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OptionVisitor<T>(PhantomData<T>);

        impl<'de, T: Integer<'de>> Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or null")
            }

            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
                T::decode(deserializer).map(Some)
            }
        }

        deserializer.deserialize_option(OptionVisitor(PhantomData))
    }
}

impl<'de, T: Integer<'de>> Integer<'de> for Box<T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer).map(Box::new)
    }
}

impl<'de, T: Integer<'de>> Integer<'de> for Vec<T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);

        impl<'de, T: Integer<'de>> Visitor<'de> for SeqVisitor<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                // As serde's own `Vec`: a size hint is trusted up to a bound.
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element_seed(Seed::<T>::NEW)? {
                    out.push(item);
                }
                // The spare capacity is given back, as `codec::list_field` does for other lists.
                out.shrink_to_fit();
                Ok(out)
            }
        }

        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}

impl<'de, T: Integer<'de>> Integer<'de> for BTreeMap<String, T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<T>(PhantomData<T>);

        impl<'de, T: Integer<'de>> Visitor<'de> for MapVisitor<T> {
            type Value = BTreeMap<String, T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<BTreeMap<String, T>, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(Seed::<T>::NEW)?;
                    out.insert(key, value);
                }
                Ok(out)
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: for<'de> Integer<'de>>(json: &str) -> Result<T, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        let value = T::decode(&mut de).map_err(|e| e.to_string())?;
        de.end().map_err(|e| e.to_string())?;
        // The same through a `Value`, as a tagged union's buffered properties are read.
        let through_value: Result<T, String> = serde_json::from_str::<serde_json::Value>(json)
            .map_err(|e| e.to_string())
            .and_then(|v| T::decode(v).map_err(|e| e.to_string()));
        assert!(through_value.is_ok(), "{json} through a Value: {:?}", through_value.err());
        Ok(value)
    }

    #[test]
    fn integral_numbers_decode_whatever_their_spelling() {
        assert_eq!(decode::<i32>("167"), Ok(167));
        assert_eq!(decode::<i32>("167.0"), Ok(167));
        assert_eq!(decode::<i32>("1.67e2"), Ok(167));
        assert_eq!(decode::<i64>("-0.0"), Ok(0));
        assert_eq!(decode::<u64>("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(decode::<i128>("9223372036854775808"), Ok(1 << 63));
        // Beyond 64 bits, as close as an `f64` gets (see the module's docs).
        assert_eq!(decode::<i128>("-9223372036854775809"), Ok(-(1 << 63)));
        assert_eq!(decode::<i128>("-1e20"), Ok(-100_000_000_000_000_000_000));
        assert_eq!(decode::<u128>("18446744073709551616"), Ok(1 << 64));
        assert_eq!(decode::<NonZeroU64>("2.0").map(NonZeroU64::get), Ok(2));
        assert_eq!(decode::<Vec<Option<i64>>>("[1.0, null, 2]"), Ok(vec![Some(1), None, Some(2)]));
        assert_eq!(decode::<BTreeMap<String, u32>>(r#"{"a": 3.0}"#), Ok(BTreeMap::from([("a".to_owned(), 3)])));
    }

    #[test]
    fn fractions_and_values_out_of_range_fail() {
        fn fails<T: for<'de> Integer<'de> + fmt::Debug>(json: &str, message: &str) {
            let mut de = serde_json::Deserializer::from_str(json);
            let error = T::decode(&mut de).expect_err(json).to_string();
            assert!(error.starts_with(message), "{json}: {error}");
        }
        fails::<i32>("167.5", "invalid type: floating point `167.5`, expected i32");
        fails::<i32>("2147483648", "invalid value: integer `2147483648`, expected i32");
        fails::<i32>("2147483648.0", "invalid value: floating point `2147483648.0`, expected i32");
        fails::<u64>("-1", "invalid value: integer `-1`, expected u64");
        fails::<u64>("1e30", "invalid value: floating point `1e+30`, expected u64");
        fails::<NonZeroU64>("0", "invalid value: integer `0`, expected a nonzero u64");
        fails::<i64>("\"1\"", "invalid type: string \"1\", expected i64");
        fails::<Vec<i64>>("[1, 0.5]", "invalid type: floating point `0.5`, expected i64");
    }
}
