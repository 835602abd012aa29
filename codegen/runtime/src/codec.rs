//! The models' serde support: the crate's JSON entry points, with the failing path in every
//! error, and the small serde pieces the generated models use. Request encoding is in
//! `encode`; the three pieces of it that emitted code names are re-exported here.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

pub use crate::debug::debug_object;
// Emitted code names these `crate::runtime::codec::…`.
pub use crate::encode::{json_text, query_pair, scalar_text};
use crate::error::DecodeError;
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
    // One pass, without tracking the path: a failure is located afterwards from where the
    // parser stopped (`locate`), so each decoder is instantiated once.
    crate::locate::clear();
    let decoded = {
        let _budget = crate::budget::limit(text.len());
        serde_json::from_str(text)
    };
    decoded.map_err(|error| located(text, &error))
}

/// Decodes JSON text where a failure needs no explanation: one pass, no path tracking, with
/// the same bound on kept values as [`from_str`].
pub(crate) fn from_str_unlocated<T: DeserializeOwned>(text: &str) -> Option<T> {
    let _budget = crate::budget::limit(text.len());
    let decoded = serde_json::from_str(text).ok();
    if decoded.is_none() {
        crate::locate::clear();
    }
    decoded
}

/// The error of a failed decoding, with the path of the value it is about.
#[cold]
fn located(text: &str, error: &serde_json::Error) -> DecodeError {
    DecodeError::new(crate::locate::path(text, error), error.to_string(), text.to_owned())
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

/// As [`nullable_field`] for an optional property that is not nullable. A `null` decodes as absent
/// (lenient, as serde's derive is), except in an untagged union's exact pass (see [`untagged`]),
/// where it is refused: a value with a `null` there is not of this variant.
///
/// # Errors
/// As [`nullable_field`], and a `null` in the exact pass.
#[inline(always)]
pub fn optional_field<'de, T, A>(slot: &mut Nullable<T>, map: &mut A, name: &'static str) -> Result<(), A::Error>
where
    T: de::Deserialize<'de>,
    A: de::MapAccess<'de>,
{
    nullable_field(slot, map, name)?;
    not_null(slot)
}

/// As [`optional_field`] for a property holding integers (see [`integer_field`]).
///
/// # Errors
/// As [`optional_field`].
#[inline(always)]
pub fn optional_integer_field<'de, T, A>(
    slot: &mut Nullable<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    T: Integer<'de>,
    A: de::MapAccess<'de>,
{
    nullable_integer_field(slot, map, name)?;
    not_null(slot)
}

/// As [`optional_field`] for a list, whose spare capacity is given back (see [`list_field`]).
///
/// # Errors
/// As [`optional_field`].
#[inline(always)]
pub fn optional_list_field<'de, T, A>(slot: &mut Nullable<T>, map: &mut A, name: &'static str) -> Result<(), A::Error>
where
    T: de::Deserialize<'de> + Shrink,
    A: de::MapAccess<'de>,
{
    nullable_list_field(slot, map, name)?;
    not_null(slot)
}

/// Refuses the `null` just read into an optional slot in an untagged union's exact pass.
fn not_null<T, E: de::Error>(slot: &Nullable<T>) -> Result<(), E> {
    if slot.value.is_none() && exact() {
        inexact();
        return Err(E::invalid_type(de::Unexpected::Unit, &"a value (the property is not nullable)"));
    }
    Ok(())
}

/// Checks that a required nullable property was read. An absent one decodes as `null` (lenient,
/// as serde's derive is), except in an untagged union's exact pass (see [`untagged`]), where it
/// is `missing field`: a value without it is not of this variant.
///
/// # Errors
/// `missing field` in the exact pass.
#[inline]
pub fn present<T, E: de::Error>(slot: &Nullable<T>, name: &'static str) -> Result<(), E> {
    if !slot.seen && exact() {
        inexact();
        return Err(E::missing_field(name));
    }
    Ok(())
}

std::thread_local! {
    /// How many untagged unions' exact passes are under way on this thread (see [`untagged`]).
    static EXACT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// How many times an exact pass refused what a lenient one would take, on this thread.
    static INEXACT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Whether decoding is in an untagged union's exact pass.
fn exact() -> bool {
    EXACT.with(|depth| depth.get() > 0)
}

/// Counts a refusal of the exact pass that the lenient one would not make.
#[cold]
fn inexact() {
    INEXACT.with(|count| count.set(count.get().wrapping_add(1)));
}

fn inexact_count() -> u64 {
    INEXACT.with(std::cell::Cell::get)
}

/// An exact pass under way: ends when dropped, on unwinding too.
struct ExactPass;

impl ExactPass {
    fn enter() -> Self {
        EXACT.with(|depth| depth.set(depth.get().saturating_add(1)));
        Self
    }
}

impl Drop for ExactPass {
    fn drop(&mut self) {
        EXACT.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// Decodes an untagged union (one told apart by shape, not by a tag or its values' JSON kinds):
/// its value is read whole as text first, and `variants` tries each variant on it in the
/// document's order ([`variant`], [`integer_variant`]) and gives the first that decodes.
///
/// It tries them twice. First exactly: a required nullable property must be present, and an
/// optional property that is not nullable must not be `null` (objects inside the value too), so
/// that a value valid for a later variant does not decode as an earlier one that would read an
/// absent property as `null`, or a `null` as absent, and encode a different value. Then, if no
/// variant matched and the exact pass refused something only it refuses, leniently, as every
/// struct reads on its own: a response that leaves out a required nullable property still
/// decodes. (Without that condition, unions nested in unions would be tried twice per level,
/// exponentially in the depth.)
///
/// The variants decode from the text with the parser [`from_str`] uses (not from a
/// `serde_json::Value`): each decoder is compiled once. Unions inside unions are refused beyond
/// 128 levels, as serde_json refuses deeper input, since each level starts a parser of its own.
///
/// # Errors
/// The input's error; `data did not match any variant of untagged enum NAME` when no variant
/// decodes either way.
pub fn untagged<'de, T, D, F>(deserializer: D, name: &'static str, variants: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: Fn(&str) -> Option<T>,
{
    let raw = <Box<serde_json::value::RawValue> as de::Deserialize>::deserialize(deserializer)?;
    let Some(_level) = UnionLevel::enter() else {
        return Err(de::Error::custom("recursion limit exceeded"));
    };
    let text = raw.get();
    let before = inexact_count();
    let exact = {
        let _pass = ExactPass::enter();
        variants(text)
    };
    // The lenient pass only when the exact one refused something it would take: otherwise it
    // would fail the same way, and unions inside unions would be tried twice per level.
    match exact.or_else(|| (inexact_count() != before).then(|| variants(text)).flatten()) {
        Some(decoded) => {
            // A variant that did not decode may have left a hint.
            crate::locate::clear();
            Ok(decoded)
        }
        None => {
            // The parser has moved past the value: it is found again by its JSON.
            if let Ok(value) = serde_json::from_str::<Value>(text) {
                crate::locate::hint(crate::locate::Hint::Value(value));
            }
            Err(de::Error::custom(format_args!("data did not match any variant of untagged enum {name}")))
        }
    }
}

/// One variant of an untagged union tried on its value's text (see [`untagged`]).
#[inline]
pub fn variant<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

/// As [`variant`] for a variant holding integers, read with JSON Schema's rule (see [`Integer`]).
#[inline]
pub fn integer_variant<T: for<'de> Integer<'de>>(text: &str) -> Option<T> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = integer::<T, _>(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

std::thread_local! {
    /// How many untagged unions are being decoded inside one another on this thread.
    static UNION_LEVELS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// An untagged union being decoded: ends when dropped.
struct UnionLevel;

impl UnionLevel {
    /// `None` beyond 128 levels.
    fn enter() -> Option<Self> {
        UNION_LEVELS.with(|levels| {
            let level = levels.get();
            (level < 128).then(|| {
                levels.set(level + 1);
                Self
            })
        })
    }
}

impl Drop for UnionLevel {
    fn drop(&mut self) {
        UNION_LEVELS.with(|levels| levels.set(levels.get().saturating_sub(1)));
    }
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

/// As [`keep`] for a struct whose schema has `additionalProperties: false` (`#[model(closed)]`):
/// an undeclared property is kept (and reported by `Validate`), except in an untagged union's
/// exact pass (see [`untagged`]), where it is `unknown field`: the value is not of this variant.
///
/// # Errors
/// The value's own decoding error, and an undeclared property in the exact pass.
pub fn keep_closed<'de, M: ExtraMap, A: de::MapAccess<'de>>(
    extra: &mut M,
    key: Key<'de>,
    map: &mut A,
) -> Result<(), A::Error> {
    if exact() {
        inexact();
        let key: String = key.into_string()?;
        return Err(de::Error::unknown_field(&key, &[]));
    }
    keep(extra, key, map)
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
    match extra.entry(key.into_string()?) {
        std::collections::btree_map::Entry::Vacant(entry) => {
            entry.insert(map.next_value_seed(Seed::<T>::NEW)?);
            Ok(())
        }
        std::collections::btree_map::Entry::Occupied(entry) => Err(duplicate(entry.key())),
    }
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

/// An undeclared property given twice is refused, as a declared one is ([`field`]): keeping the
/// last would silently lose the first, and an untagged union would tell its variants apart by
/// whether a property is declared.
fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate field `{key}`"))
}

impl ExtraMap for Map<String, Value> {
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        // Within the decode's budget (`budget`): an undeclared value may be large.
        crate::budget::entry(&key)?;
        match self.entry(key) {
            serde_json::map::Entry::Vacant(entry) => {
                entry.insert(map.next_value_seed(crate::budget::Kept)?);
                Ok(())
            }
            serde_json::map::Entry::Occupied(entry) => Err(duplicate(entry.key())),
        }
    }
}

impl<T: DeserializeOwned> ExtraMap for std::collections::BTreeMap<String, T> {
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        match self.entry(key) {
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(map.next_value()?);
                Ok(())
            }
            std::collections::btree_map::Entry::Occupied(entry) => Err(duplicate(entry.key())),
        }
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
        // Read before the tag, it is no longer in the input: its path is told in the message,
        // and the error is located at the object.
        let mut track = serde_path_to_error::Track::new();
        seed.deserialize(serde_path_to_error::Deserializer::new(value, &mut track)).map_err(|e| {
            crate::locate::hint(crate::locate::Hint::Object);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_tries_exactly_then_leniently() {
        // Each variant answers whether it is tried in the exact pass; the first pass wins.
        fn read(text: &str) -> serde_json::Deserializer<serde_json::de::StrRead<'_>> {
            serde_json::Deserializer::from_str(text)
        }
        let exactly = untagged(&mut read("null"), "U", |_| exact().then_some(true));
        assert!(exactly.expect("decodes"));
        // The lenient pass runs only when the exact one refused something it would take.
        let refuses = |_: &str| {
            if exact() {
                inexact();
                return None;
            }
            Some(false)
        };
        assert!(!untagged(&mut read("null"), "U", refuses).expect("decodes"));
        let tries = std::cell::Cell::new(0);
        let fails = |_: &str| {
            tries.set(tries.get() + 1);
            None::<bool>
        };
        assert!(untagged(&mut read("null"), "U", fails).is_err());
        assert_eq!(tries.get(), 1, "a failure the exact pass did not cause is not tried again");
        assert!(!exact(), "the exact pass ends with the call");
        let text = untagged(&mut read(r#" {"a": [1, 2.5]} "#), "U", |text| Some(text.to_owned()));
        assert_eq!(text.expect("decodes"), r#"{"a": [1, 2.5]}"#, "the value's own text");
        let none = untagged(&mut read("null"), "U", |_| None::<bool>);
        assert_eq!(none.expect_err("no variant").to_string(), "data did not match any variant of untagged enum U");
        assert_eq!(variant::<u8>("7"), Some(7));
        assert_eq!(integer_variant::<u32>("7.0"), Some(7));
        assert_eq!(integer_variant::<u32>("7.0 1"), None);
        // Unions inside unions: refused past 128 levels, not a stack overflow.
        fn nested(text: &str) -> Option<u32> {
            untagged(&mut serde_json::Deserializer::from_str(text), "N", |inner| match inner.strip_prefix('[') {
                Some(rest) => nested(&rest[..rest.len() - 1]).map(|n| n + 1),
                None => Some(0),
            })
            .ok()
        }
        let deep = |n: usize| format!("{}0{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(nested(&deep(100)), Some(100));
        assert_eq!(nested(&deep(200)), None);
        // A required nullable property left out: `null` on its own, missing in the exact pass.
        let absent = Nullable::<u8>::ABSENT;
        assert!(present::<u8, serde_json::Error>(&absent, "p").is_ok());
        let pass = ExactPass::enter();
        let missing = present::<u8, serde_json::Error>(&absent, "p").expect_err("missing");
        assert_eq!(missing.to_string(), "missing field `p`");
        let null = Nullable::<u8> { value: None, seen: true };
        assert!(present::<u8, serde_json::Error>(&null, "p").is_ok());
        assert!(not_null::<u8, serde_json::Error>(&null).is_err());
        drop(pass);
        assert!(not_null::<u8, serde_json::Error>(&null).is_ok());
    }

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
