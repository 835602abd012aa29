//! Decoding and encoding helpers: the crate's JSON entry points, with the failing path in every
//! error, and the small serde pieces the generated models use.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

pub use crate::debug::debug_object;
use crate::error::{DecodeError, Error};
pub use crate::integer::{Integer, Integers, Seed, integer};

/// Decodes a JSON body, as the client does with every response.
///
/// The bytes are checked for UTF-8 once, then parsed as `&str`, which is faster than
/// `serde_json::from_slice`. On failure the error names the JSON path that failed, such as
/// `rows[2].call.status`, and keeps the body.
///
/// # Errors
/// [`DecodeError`] when the bytes are not UTF-8, not JSON, or not of the shape of `T`.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    // SIMD validation for the valid body; the standard library's only to say where it fails.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return from_str(text);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => from_str(text),
        Err(e) => Err(DecodeError::new(
            String::new(),
            format!("the body is not UTF-8 (invalid byte at offset {})", e.valid_up_to()),
            String::from_utf8_lossy(bytes).into_owned(),
        )),
    }
}

/// Decodes JSON text; see [`from_slice`].
///
/// # Errors
/// [`DecodeError`] when the text is not JSON or not of the shape of `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    // The fast path decodes without tracking the path; only a failure pays for a second pass
    // through serde_path_to_error, which names the path.
    let fast = {
        let _budget = crate::budget::limit(text.len());
        serde_json::from_str(text)
    };
    match fast {
        Ok(value) => Ok(value),
        Err(fast) => Err(locate::<T>(text, fast)),
    }
}

/// Decodes JSON text where a failure needs no explanation: one pass, no path tracking, with
/// the same bound on kept values as [`from_str`].
pub(crate) fn from_str_unlocated<T: DeserializeOwned>(text: &str) -> Option<T> {
    let _budget = crate::budget::limit(text.len());
    serde_json::from_str(text).ok()
}

/// Decodes again, tracking the path, to explain a failure.
#[cold]
fn locate<T: DeserializeOwned>(text: &str, fast: serde_json::Error) -> DecodeError {
    let _budget = crate::budget::limit(text.len());
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => e,
        // Only trailing characters can fail after a value decodes.
        Ok(_) => return DecodeError::new(String::new(), fast.to_string(), text.to_owned()),
    };
    let path = error.path().to_string();
    let path = if path == "." { String::new() } else { path };
    DecodeError::new(path, error.into_inner().to_string(), text.to_owned())
}

/// `deserialize_with` for an optional property whose value may itself be `null`: a present
/// `null` is kept as `Some(null)` (or `Some(None)`), so that it is not confused with an absent key.
// Only APIs with such a property use it.
pub fn some<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A string enum, as the `Model` derive writes it: its known values, matched byte for byte.
pub trait StringEnum: for<'a> From<&'a str> {
    /// The variant whose wire value is `value`, if one is.
    fn known(value: &[u8]) -> Option<Self>;
}

/// Decodes a string enum from borrowed or owned text without an intermediate `String`; from
/// `serde_json::from_slice`, as raw bytes (see [`Keys`]), checked for UTF-8 only when the value is
/// not a known one.
// Only APIs with an enum use it.
pub fn deserialize_enum<'de, T, D>(deserializer: D, expecting: &'static str) -> Result<T, D::Error>
where
    T: StringEnum,
    D: Deserializer<'de>,
{
    struct EnumVisitor<T> {
        expecting: &'static str,
        marker: std::marker::PhantomData<T>,
    }

    impl<'de, T: StringEnum> Visitor<'de> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }

        // serde_json hands the input's own bytes when the value has no escape, and decoded bytes
        // otherwise.
        fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<T, E> {
            self.bytes(value, true)
        }

        fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<T, E> {
            self.bytes(value, false)
        }
    }

    impl<T: StringEnum> EnumVisitor<T> {
        fn bytes<E: de::Error>(self, value: &[u8], raw: bool) -> Result<T, E> {
            if let Some(known) = T::known(value) {
                return Ok(known);
            }
            match text_of(value, raw) {
                Some(text) => Ok(T::from(text)),
                None => Err(E::invalid_value(de::Unexpected::Bytes(value), &self)),
            }
        }
    }

    let visitor = EnumVisitor { expecting, marker: std::marker::PhantomData };
    if Keys::of::<D>().raw { deserializer.deserialize_bytes(visitor) } else { deserializer.deserialize_str(visitor) }
}

/// The fields of a generated struct, written into a map that is already open: what lets a
/// tagged union write its tag and the variant's fields as one object.
pub trait SerializeFields {
    /// Writes every present field and every extra property.
    fn serialize_fields<M: SerializeMap>(&self, out: &mut ObjectWriter<'_, M>);
}

/// Writes entries into an open map and keeps the first error, so that a generated
/// `serialize_fields` is one plain call per field: no `?` and no branch of its own, which is what
/// makes the derived code of a big API cheap for rustc to check (a `?` is a match, an early return
/// and a drop of everything live, per field).
pub struct ObjectWriter<'a, M: SerializeMap> {
    map: &'a mut M,
    error: Option<M::Error>,
}

impl<'a, M: SerializeMap> ObjectWriter<'a, M> {
    /// Starts writing into `map`.
    pub fn new(map: &'a mut M) -> Self {
        Self { map, error: None }
    }

    /// Writes one entry, unless an earlier one failed.
    pub fn entry<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) {
        if self.error.is_none()
            && let Err(error) = self.map.serialize_entry(key, value)
        {
            self.error = Some(error);
        }
    }

    /// Writes an optional property when it is present.
    pub fn optional<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.entry(key, value);
        }
    }

    /// Writes the properties kept from decoding, after the declared ones.
    pub fn extra<'m, V: Serialize + 'm>(&mut self, extra: impl IntoIterator<Item = (&'m String, &'m V)>) {
        for (key, value) in extra {
            self.entry(key, value);
        }
    }

    /// The first error, if any entry failed.
    ///
    /// # Errors
    /// The serializer's error for the first entry it refused.
    pub fn finish(self) -> Result<(), M::Error> {
        self.error.map_or(Ok(()), Err)
    }
}

/// Encodes a generated struct as a JSON object.
pub fn serialize_object<S: Serializer, T: SerializeFields>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let mut out = ObjectWriter::new(&mut map);
    value.serialize_fields(&mut out);
    out.finish()?;
    map.end()
}

/// Encodes a tagged-union variant: the tag first, then the variant's fields, in one object.
// Only APIs with a tagged union use it.
pub fn serialize_tagged<S, T>(serializer: S, tag: &str, value: &str, payload: &T) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: SerializeFields,
{
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry(tag, value)?;
    let mut out = ObjectWriter::new(&mut map);
    payload.serialize_fields(&mut out);
    out.finish()?;
    map.end()
}

/// A generated struct read from a JSON object, field by field: what its `Deserialize` calls.
pub trait FromFields<'de>: Sized {
    /// What the value should have been, for error messages (`a \`Voice\` object`).
    const EXPECTING: &'static str;

    /// Reads every entry of the map, each name as `keys` says.
    fn from_fields<A: de::MapAccess<'de>>(map: A, keys: Keys) -> Result<Self, A::Error>;
}

/// Decodes a generated struct from a map.
pub fn deserialize_object<'de, T: FromFields<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(Keys, std::marker::PhantomData<T>);

    impl<'de, T: FromFields<'de>> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_fields(map, self.0)
        }
    }

    deserializer.deserialize_map(ObjectVisitor(Keys::of::<D>(), std::marker::PhantomData))
}

/// Reads the value of a declared property into its slot. A property that appears twice is an
/// error (as with serde's derive), never a silent replacement of the first value.
///
/// # Errors
/// The value's own decoding error, or `duplicate field` on a second occurrence.
#[inline(always)]
pub fn field<'de, T, A>(slot: &mut Option<T>, map: &mut A, name: &'static str) -> Result<(), A::Error>
where
    T: de::Deserialize<'de>,
    A: de::MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(std::marker::PhantomData)?);
    Ok(())
}

/// As [`field`] for a property holding integers (`#[model(integer)]`): a number with a zero
/// fraction is an integer, as JSON Schema says (see [`Integer`]). A list gives back its spare
/// capacity, as in [`list_field`].
///
/// # Errors
/// As [`field`].
#[inline(always)]
pub fn integer_field<'de, T, A>(slot: &mut Option<T>, map: &mut A, name: &'static str) -> Result<(), A::Error>
where
    T: Integer<'de>,
    A: de::MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(Seed::<T>::NEW)?);
    Ok(())
}

/// As [`nullable_field`] for a property holding integers (see [`integer_field`]).
///
/// # Errors
/// As [`nullable_field`].
#[inline(always)]
pub fn nullable_integer_field<'de, T, A>(
    slot: &mut Nullable<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    T: Integer<'de>,
    A: de::MapAccess<'de>,
{
    if slot.seen {
        return Err(de::Error::duplicate_field(name));
    }
    slot.seen = true;
    slot.value = map.next_value_seed(Seed::<Option<T>>::NEW)?;
    Ok(())
}

/// The slot of a property that may be `null` (or absent): the field's value, and whether the
/// key was read (a `null` counts), so that a second occurrence is refused as in [`field`]. The
/// struct is made by a pattern that moves `value` out: no step per field.
pub struct Nullable<T> {
    /// The field: `None` when absent or `null`.
    pub value: Option<T>,
    /// The key was read.
    pub seen: bool,
}

impl<T> Nullable<T> {
    /// Not read yet.
    pub const ABSENT: Self = Self { value: None, seen: false };
}

/// Reads a property that may be `null` into its slot.
///
/// # Errors
/// The value's own decoding error, or `duplicate field` on a second occurrence.
#[inline(always)]
pub fn nullable_field<'de, T, A>(slot: &mut Nullable<T>, map: &mut A, name: &'static str) -> Result<(), A::Error>
where
    T: de::Deserialize<'de>,
    A: de::MapAccess<'de>,
{
    if slot.seen {
        return Err(de::Error::duplicate_field(name));
    }
    slot.seen = true;
    slot.value = map.next_value_seed(std::marker::PhantomData)?;
    Ok(())
}

/// As [`field`] for a list (or an optional one), whose spare capacity is given back once it is
/// read: a decoder cannot know a JSON array's length in advance, so the vector grew by doubling
/// and may hold up to twice its items' room, for as long as the model lives.
///
/// # Errors
/// As [`field`].
#[inline(always)]
pub fn list_field<'de, T, A>(slot: &mut Option<T>, map: &mut A, name: &'static str) -> Result<(), A::Error>
where
    T: de::Deserialize<'de> + Shrink,
    A: de::MapAccess<'de>,
{
    field(slot, map, name)?;
    slot.shrink();
    Ok(())
}

/// As [`nullable_field`] for a list, whose spare capacity is given back (see [`list_field`]).
///
/// # Errors
/// As [`nullable_field`].
#[inline(always)]
pub fn nullable_list_field<'de, T, A>(slot: &mut Nullable<T>, map: &mut A, name: &'static str) -> Result<(), A::Error>
where
    T: de::Deserialize<'de> + Shrink,
    A: de::MapAccess<'de>,
{
    nullable_field(slot, map, name)?;
    slot.value.shrink();
    Ok(())
}

/// A decoded list that gives back its spare capacity (see [`list_field`]).
pub trait Shrink {
    /// Drops the spare capacity.
    fn shrink(&mut self);
}

impl<T> Shrink for Vec<T> {
    fn shrink(&mut self) {
        // Shrinking is a `realloc` to a smaller size, which allocators do in place.
        if self.capacity() > self.len() {
            self.shrink_to_fit();
        }
    }
}

impl<T: Shrink> Shrink for Option<T> {
    fn shrink(&mut self) {
        if let Some(value) = self {
            value.shrink();
        }
    }
}

/// A struct's property name, as its `FromFields` reads it: borrowed from the input when it has no
/// escapes. Bytes, which may not have been checked yet (see [`Keys`]): a declared property's
/// name it equals is text, and any other is checked when kept.
pub struct Key<'de> {
    name: Cow<'de, [u8]>,
    /// Read as bytes straight from the input: a raw control character in it was not refused.
    raw: bool,
}

impl Key<'_> {
    /// The name's bytes, which the derived `from_fields` compares with each declared name through
    /// [`is`].
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.name
    }

    /// The name as text, for a map of undeclared properties.
    ///
    /// # Errors
    /// `invalid value` when the name read as bytes is not UTF-8, or held a raw control character.
    pub fn into_string<E: de::Error>(self) -> Result<String, E> {
        text_of(&self.name, self.raw)
            .map(str::to_owned)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Bytes(&self.name), &"a property name of JSON text"))
    }
}

/// What `serde_json` checks in a string it reads as text, for one read as bytes: UTF-8 and, when
/// the bytes are the input's own (`raw`: no escape was decoded), no control character, which JSON
/// text must escape. Once escapes are decoded, the control characters they wrote cannot be told
/// from raw ones: those are let through.
fn text_of(bytes: &[u8], raw: bool) -> Option<&str> {
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    (!raw || !text.bytes().any(|b| b < 0x20)).then_some(text)
}

/// Whether a name or enum value read is `declared`: what the derive writes rather than `==`, for
/// which rustc would resolve `[u8]: PartialEq<[u8; N]>` once per length (measured on GitHub's
/// description: `cargo check` takes 2 % more memory with `==`).
#[inline(always)]
pub fn is(read: &[u8], declared: &[u8]) -> bool {
    read == declared
}

/// How a struct reads its property names, and a string enum its value.
///
/// `serde_json::from_slice` checks each string it reads as text for UTF-8 on its own: on a page of
/// rows, a fifth of the decoding, most of it for property names and enum values. A string read as
/// bytes skips that check. So from that deserializer names and enum values are read as bytes and
/// compared with the declared ones; only one that is kept (an undeclared property, an unknown
/// value) is checked, as `serde_json` would have. From any other deserializer they are read as
/// text: `codec::from_slice` checked the whole body at once, `serde_path_to_error` records a
/// name only when it is read as text, and some formats (YAML) have no bytes.
#[derive(Clone, Copy, Debug)]
pub struct Keys {
    raw: bool,
}

impl Keys {
    /// How to read from the deserializer `D`: a comparison of type ids, which the compiler folds
    /// into a constant.
    #[inline]
    pub fn of<'de, D: Deserializer<'de>>() -> Self {
        let slice_reader = typeid::of::<&mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>>();
        Self { raw: typeid::of::<D>() == slice_reader }
    }

    /// The next property name of `map`.
    ///
    /// # Errors
    /// The input's error.
    #[inline(always)]
    pub fn next<'de, A: de::MapAccess<'de>>(self, map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
        if self.raw { next_raw(map) } else { map.next_key() }
    }
}

/// The next property name of `map`, read as bytes.
fn next_raw<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    struct Raw;

    impl<'de> de::DeserializeSeed<'de> for Raw {
        type Value = Key<'de>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
            deserializer.deserialize_bytes(KeyVisitor)
        }
    }

    map.next_key_seed(Raw)
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A property name, whichever way it was read.
struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key { name: Cow::Borrowed(value.as_bytes()), raw: false })
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key { name: Cow::Owned(value.as_bytes().to_owned()), raw: false })
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key { name: Cow::Owned(value.into_bytes()), raw: false })
    }

    // serde_json hands the input's own bytes when the name has no escape, and decoded bytes
    // otherwise.
    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<Key<'de>, E> {
        Ok(Key { name: Cow::Borrowed(value), raw: true })
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Key<'de>, E> {
        Ok(Key { name: Cow::Owned(value.to_owned()), raw: false })
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<Key<'de>, E> {
        Ok(Key { name: Cow::Owned(value), raw: false })
    }
}

/// A tagged union's property name, or its tag's text: borrowed from the input when it has no
/// escapes.
struct Name<'de>(Cow<'de, str>);

impl Name<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }

    fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> de::Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(value)))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(value)))
            }
        }

        deserializer.deserialize_str(NameVisitor)
    }
}

/// Keeps an undeclared property in a struct's map of extra properties.
///
/// # Errors
/// The value's own decoding error.
pub fn keep<'de, M: ExtraMap, A: de::MapAccess<'de>>(
    extra: &mut M,
    key: Key<'de>,
    map: &mut A,
) -> Result<(), A::Error> {
    extra.keep(key.into_string()?, map)
}

/// As [`keep`] for a map of undeclared properties whose values hold integers
/// (`#[model(extra, integer)]`; see [`Integer`]).
///
/// # Errors
/// The value's own decoding error.
pub fn keep_integer<'de, T: Integer<'de>, A: de::MapAccess<'de>>(
    extra: &mut std::collections::BTreeMap<String, T>,
    key: Key<'de>,
    map: &mut A,
) -> Result<(), A::Error> {
    let key = key.into_string()?;
    extra.insert(key, map.next_value_seed(Seed::<T>::NEW)?);
    Ok(())
}

/// Skips a property's value (a tagged-union variant's tag, which belongs to the union).
///
/// # Errors
/// The input's error, if the value is not well-formed.
pub fn skip<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// A struct's map of undeclared properties: untyped JSON, or typed values when the document gives
/// `additionalProperties` a schema.
pub trait ExtraMap {
    /// Reads the value of `key` and keeps it.
    ///
    /// # Errors
    /// The value's own decoding error.
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error>;
}

impl ExtraMap for Map<String, Value> {
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        // Within the decode's budget (`budget`): an undeclared value may be large.
        crate::budget::entry(&key)?;
        self.insert(key, map.next_value_seed(crate::budget::Kept)?);
        Ok(())
    }
}

impl<T: DeserializeOwned> ExtraMap for std::collections::BTreeMap<String, T> {
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        self.insert(key, map.next_value()?);
        Ok(())
    }
}

/// A tagged union, as the `Model` derive writes it: its tag property, how each variant is
/// decoded once the tag is known, and the catch-all for an unknown tag.
pub trait TaggedUnion<'de>: Sized {
    /// The tag property's name.
    const TAG: &'static str;

    /// The variant whose tag value is `tag`, decoded from the rest of the object; `None`, with
    /// nothing read, when `tag` names no variant.
    ///
    /// # Errors
    /// The variant's decoding error.
    fn from_rest<A: de::MapAccess<'de>>(tag: &str, rest: &mut Rest<'_, 'de, A>) -> Option<Result<Self, A::Error>>;

    /// The catch-all variant: the whole object, tag included, when the tag is unknown, missing
    /// or not a string.
    fn other(object: Map<String, Value>) -> Self;
}

/// Decodes a tagged union without buffering it: the properties before the tag (none when a
/// server writes the tag first) are read as JSON values; once the tag is known, the variant
/// decodes them and then the rest of the object in place, so that an error there names its
/// path in the input. Only an unknown tag reads the whole object, for the catch-all.
///
/// # Errors
/// The input's or the variant's decoding error.
pub fn deserialize_tagged<'de, T: TaggedUnion<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct TaggedVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: TaggedUnion<'de>> Visitor<'de> for TaggedVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut before = Vec::new();
            while let Some(key) = map.next_key::<Name<'de>>()? {
                if key.as_str() != T::TAG {
                    before.push((key, map.next_value_seed(crate::budget::Kept)?));
                    continue;
                }
                let tag = map.next_value::<Tag<'de>>()?;
                if let Tag::Text(text) = &tag {
                    let mut rest = Rest { before, next: 0, pending: None, map: &mut map };
                    if let Some(variant) = T::from_rest(text.as_str(), &mut rest) {
                        return variant;
                    }
                    before = rest.before;
                }
                let mut object: Map<String, Value> = before.into_iter().map(|(k, v)| (k.into_string(), v)).collect();
                object.insert(T::TAG.to_owned(), tag.into_value());
                while let Some(key) = map.next_key::<Name<'de>>()? {
                    let value = map.next_value()?;
                    object.insert(key.into_string(), value);
                }
                return Ok(T::other(object));
            }
            Ok(T::other(before.into_iter().map(|(k, v)| (k.into_string(), v)).collect()))
        }
    }

    deserializer.deserialize_map(TaggedVisitor(std::marker::PhantomData))
}

/// The rest of a tagged union's object once its tag is read, as the variant decodes it: the
/// properties read before the tag, then those still in the input.
pub struct Rest<'a, 'de, A> {
    before: Vec<(Name<'de>, Value)>,
    /// How many of `before` were handed out.
    next: usize,
    /// The value of the key handed out last, when it came from `before`.
    pending: Option<(Name<'de>, Value)>,
    map: &'a mut A,
}

impl<'de, A> Rest<'_, 'de, A> {
    /// Hands the tag to the variant too, for a variant that declares the tag property itself.
    pub fn keep_tag(&mut self, tag_name: &'static str, tag: &str) -> &mut Self {
        self.before.push((Name(Cow::Borrowed(tag_name)), Value::String(tag.to_owned())));
        self
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Rest<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let Some((key, value)) = self.before.get_mut(self.next) else {
            return self.map.next_key_seed(seed);
        };
        self.next += 1;
        let (key, value) = (std::mem::replace(key, Name(Cow::Borrowed(""))), std::mem::take(value));
        let read = match &key.0 {
            Cow::Borrowed(text) => seed.deserialize(de::value::BorrowedStrDeserializer::<A::Error>::new(text)),
            Cow::Owned(text) => seed.deserialize(de::value::StrDeserializer::<A::Error>::new(text)),
        };
        self.pending = Some((key, value));
        read.map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let Some((key, value)) = self.pending.take() else {
            return self.map.next_value_seed(seed);
        };
        // Read before the tag, it is no longer in the input: its path is told in the message.
        let mut track = serde_path_to_error::Track::new();
        seed.deserialize(serde_path_to_error::Deserializer::new(value, &mut track)).map_err(|e| {
            let (key, inner) = (key.as_str(), track.path().to_string());
            match inner.as_str() {
                "." => de::Error::custom(format_args!("{key}: {e}")),
                _ if inner.starts_with('[') => de::Error::custom(format_args!("{key}{inner}: {e}")),
                _ => de::Error::custom(format_args!("{key}.{inner}: {e}")),
            }
        })
    }
}

/// The tag's value: text when it is a string (the usual case), else whatever JSON it was.
enum Tag<'de> {
    Text(Name<'de>),
    Json(Value),
}

impl Tag<'_> {
    fn into_value(self) -> Value {
        match self {
            Tag::Text(text) => Value::String(text.into_string()),
            Tag::Json(value) => value,
        }
    }
}

impl<'de> de::Deserialize<'de> for Tag<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor;

        impl<'de> Visitor<'de> for TagVisitor {
            type Value = Tag<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Tag<'de>, E> {
                Ok(Tag::Text(Name(Cow::Borrowed(value))))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Tag<'de>, E> {
                Ok(Tag::Text(Name(Cow::Owned(value.to_owned()))))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Tag<'de>, E> {
                Ok(Tag::Text(Name(Cow::Owned(value))))
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Tag<'de>, E> {
                Ok(Tag::Json(Value::Bool(value)))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Tag<'de>, E> {
                Ok(Tag::Json(Value::from(value)))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Tag<'de>, E> {
                Ok(Tag::Json(Value::from(value)))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Tag<'de>, E> {
                Ok(Tag::Json(Value::from(value)))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Tag<'de>, E> {
                Ok(Tag::Json(Value::Null))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Tag<'de>, A::Error> {
                de::Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Tag::Json)
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Tag<'de>, A::Error> {
                de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map)).map(Tag::Json)
            }
        }

        deserializer.deserialize_any(TagVisitor)
    }
}

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
            Err(e) => Err(e),
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
    fn names_are_read_raw_from_serde_json_slices_only() {
        type Slice<'a> = &'a mut serde_json::Deserializer<serde_json::de::SliceRead<'a>>;
        type Text<'a> = &'a mut serde_json::Deserializer<serde_json::de::StrRead<'a>>;
        assert!(Keys::of::<Slice<'_>>().raw);
        assert!(!Keys::of::<Text<'_>>().raw);
        assert!(!Keys::of::<Value>().raw);
        assert!(!Keys::of::<serde_path_to_error::Deserializer<'_, '_, Slice<'_>>>().raw);
    }

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

    #[test]
    fn decode_errors_name_the_path_and_keep_the_body() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            rows: Vec<Row>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Row {
            n: u8,
        }
        let text = r#"{"rows": [{"n": 1}, {"n": "two"}]}"#;
        let error = from_str::<Page>(text).expect_err("a string is not a u8");
        assert_eq!(error.path, "rows[1].n");
        assert_eq!(error.body, text);
        assert!(from_slice::<Page>(b"{\"rows\": \xff}").expect_err("not UTF-8").message.contains("UTF-8"));
    }
}
