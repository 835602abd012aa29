//! Bounds the Rust types cannot express (`minimum` 0.6, `minLength` 1, a `maximum` below the
//! integer type's own…), checked on demand.
//!
//! Decoding deliberately does not check them, so that a response the API really sends is never
//! refused; call [`Validate::validate`] on values you build or want to vouch for.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::num::NonZeroU64;
use std::sync::{Mutex, OnceLock};

/// Checks a value, and everything inside it, against the bounds of its schema.
pub trait Validate {
    /// Every bound this value breaks, each with its path (`rows[0].call.assistant.voice.speed`).
    ///
    /// # Errors
    /// [`ValidationError`] listing every violation, when there is at least one.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut validator = Validator::default();
        self.validate_into(&mut validator);
        if validator.violations.is_empty() { Ok(()) } else { Err(ValidationError { violations: validator.violations }) }
    }

    /// Records this value's violations in `validator`, below its current path.
    fn validate_into(&self, validator: &mut Validator);
}

/// Walks a value, keeping the path and the violations found.
#[derive(Debug, Default)]
pub struct Validator {
    path: Vec<String>,
    violations: Vec<Violation>,
}

impl Validator {
    fn path_to(&self, field: &str) -> String {
        let mut path = String::new();
        for segment in self.path.iter().map(String::as_str).chain([field]) {
            if !path.is_empty() && !segment.starts_with('[') {
                path.push('.');
            }
            path.push_str(segment);
        }
        path
    }

    fn report(&mut self, field: &str, message: String) {
        let path = self.path_to(field);
        self.violations.push(Violation { path, message });
    }

    /// Checks a value below `field`.
    pub fn nested<T: Validate + ?Sized>(&mut self, field: &str, value: &T) {
        self.path.push(field.to_owned());
        value.validate_into(self);
        self.path.pop();
    }

    /// Checks a lower bound, if the value is present.
    pub fn minimum<N: Number + ?Sized>(&mut self, field: &str, value: &N, bound: f64, exclusive: bool) {
        if let Some(v) = value.to_f64()
            && (v < bound || (exclusive && v == bound))
        {
            let relation = if exclusive { "at or below the exclusive minimum" } else { "below the minimum" };
            self.report(field, format!("{v} is {relation} {bound}"));
        }
    }

    /// Checks an upper bound, if the value is present.
    pub fn maximum<N: Number + ?Sized>(&mut self, field: &str, value: &N, bound: f64, exclusive: bool) {
        if let Some(v) = value.to_f64()
            && (v > bound || (exclusive && v == bound))
        {
            let relation = if exclusive { "at or above the exclusive maximum" } else { "above the maximum" };
            self.report(field, format!("{v} is {relation} {bound}"));
        }
    }

    /// Checks a minimum length in characters, if the value is present.
    pub fn min_length<S: Text + ?Sized>(&mut self, field: &str, value: &S, min: u64) {
        if let Some(len) = value.text().map(|t| t.chars().count() as u64)
            && len < min
        {
            self.report(field, format!("has {len} characters, fewer than the minimum {min}"));
        }
    }

    /// Checks a maximum length in characters, if the value is present.
    pub fn max_length<S: Text + ?Sized>(&mut self, field: &str, value: &S, max: u64) {
        if let Some(len) = value.text().map(|t| t.chars().count() as u64)
            && len > max
        {
            self.report(field, format!("has {len} characters, more than the maximum {max}"));
        }
    }

    /// Checks that a string matches `pattern` somewhere (JSON Schema's `pattern` is not
    /// anchored), if the value is present. Each pattern is compiled once per process.
    pub fn pattern<S: Text + ?Sized>(&mut self, field: &str, value: &S, pattern: &str) {
        let Some(text) = value.text() else { return };
        match matches(pattern, text) {
            Some(true) => {}
            Some(false) => self.report(field, format!("does not match the pattern `{pattern}`")),
            // The generator leaves out (with a warning) a pattern the engine does not accept, so
            // this is not reached from generated code.
            None => self.report(field, format!("cannot be checked: `{pattern}` is not a valid pattern")),
        }
    }

    /// Reports every property of an object that admits no undeclared ones
    /// (`additionalProperties: false`): decoding kept them, so that a server adding a property
    /// breaks nothing.
    pub fn no_undeclared(&mut self, extra: &serde_json::Map<String, serde_json::Value>) {
        for key in extra.keys() {
            self.report(key, "is not a declared property, and the object admits no others".to_owned());
        }
    }

    /// Checks that a number is a multiple of `factor` (above 0), if the value is present; within
    /// a relative 1e-9, since `f64` cannot represent most decimal factors exactly.
    pub fn multiple_of<N: Number + ?Sized>(&mut self, field: &str, value: &N, factor: f64) {
        if let Some(v) = value.to_f64() {
            let quotient = v / factor;
            if (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
                self.report(field, format!("{v} is not a multiple of {factor}"));
            }
        }
    }

    /// Checks a minimum number of items (or entries), if the value is present.
    pub fn min_items<C: Collection + ?Sized>(&mut self, field: &str, value: &C, min: u64) {
        if let Some(len) = value.count()
            && (len as u64) < min
        {
            self.report(field, format!("has {len} {}, fewer than the minimum {min}", value.noun()));
        }
    }

    /// Checks a maximum number of items (or entries), if the value is present.
    pub fn max_items<C: Collection + ?Sized>(&mut self, field: &str, value: &C, max: u64) {
        if let Some(len) = value.count()
            && len as u64 > max
        {
            self.report(field, format!("has {len} {}, more than the maximum {max}", value.noun()));
        }
    }

    /// Checks that the items of an array are pairwise different, if the value is present.
    pub fn unique_items<C: Collection + ?Sized>(&mut self, field: &str, value: &C) {
        if let Some((first, again)) = value.duplicate() {
            self.report(field, format!("items {first} and {again} are equal, but the items must be unique"));
        }
    }
}

/// `pattern` compiled as the ECMA-262 regular expression JSON Schema says it is: with the `u`
/// flag (code points, not UTF-16 units), else, for the patterns only the legacy syntax accepts
/// (`\_`, `\-` outside a class, which real documents write), without it.
///
/// # Errors
/// The engine's reason, when neither reading accepts it.
pub fn ecma_regex(pattern: &str) -> Result<regress::Regex, regress::Error> {
    regress::Regex::with_flags(pattern, "u").or_else(|_| regress::Regex::new(pattern))
}

/// Whether `pattern` matches `text`; `None` when `pattern` is not a valid pattern.
fn matches(pattern: &str, text: &str) -> Option<bool> {
    static CACHE: OnceLock<Mutex<HashMap<String, regress::Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    // A panic elsewhere while the lock was held leaves a usable map.
    let mut cache = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(regex) = cache.get(pattern) {
        return Some(regex.find(text).is_some());
    }
    let regex = ecma_regex(pattern).ok()?;
    let found = regex.find(text).is_some();
    cache.insert(pattern.to_owned(), regex);
    Some(found)
}

/// Every bound a value breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// At least one.
    pub violations: Vec<Violation>,
}

/// One broken bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where, such as `rows[0].call.assistant.voice.speed`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", v.path, v.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A number a bound can be checked on; `None` when absent.
pub trait Number {
    /// The value as `f64`.
    fn to_f64(&self) -> Option<f64>;
}

impl Number for f64 {
    fn to_f64(&self) -> Option<f64> {
        Some(*self)
    }
}

impl Number for i64 {
    fn to_f64(&self) -> Option<f64> {
        Some(*self as f64)
    }
}

impl Number for u64 {
    fn to_f64(&self) -> Option<f64> {
        Some(*self as f64)
    }
}

impl Number for i32 {
    fn to_f64(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}

impl Number for u32 {
    fn to_f64(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}

// Beyond 2^53 the comparison is as close as an `f64` gets, as it is for a `u64`.
impl Number for i128 {
    fn to_f64(&self) -> Option<f64> {
        Some(*self as f64)
    }
}

impl Number for u128 {
    fn to_f64(&self) -> Option<f64> {
        Some(*self as f64)
    }
}

impl Number for NonZeroU64 {
    fn to_f64(&self) -> Option<f64> {
        Some(self.get() as f64)
    }
}

impl<N: Number> Number for Option<N> {
    fn to_f64(&self) -> Option<f64> {
        self.as_ref().and_then(Number::to_f64)
    }
}

/// Text a length bound can be checked on; `None` when absent.
pub trait Text {
    /// The text.
    fn text(&self) -> Option<&str>;
}

impl Text for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<S: Text> Text for Option<S> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(Text::text)
    }
}

/// An array or a map whose size a bound can be checked on; `None` when absent.
pub trait Collection {
    /// The number of items or entries.
    fn count(&self) -> Option<usize>;

    /// The positions of the first two equal items, for `uniqueItems`.
    fn duplicate(&self) -> Option<(usize, usize)> {
        None
    }

    /// What is counted, for messages.
    fn noun(&self) -> &'static str {
        "items"
    }
}

impl<T: PartialEq> Collection for Vec<T> {
    fn count(&self) -> Option<usize> {
        Some(self.len())
    }

    fn duplicate(&self) -> Option<(usize, usize)> {
        // Quadratic, but only `PartialEq` is available (`f64`, `serde_json::Value`), and only on
        // demand.
        self.iter().enumerate().find_map(|(i, a)| self[i + 1..].iter().position(|b| a == b).map(|j| (i, i + 1 + j)))
    }
}

impl<T> Collection for BTreeMap<String, T> {
    fn count(&self) -> Option<usize> {
        Some(self.len())
    }

    fn noun(&self) -> &'static str {
        "entries"
    }
}

impl Collection for serde_json::Map<String, serde_json::Value> {
    fn count(&self) -> Option<usize> {
        Some(self.len())
    }

    fn noun(&self) -> &'static str {
        "entries"
    }
}

impl<C: Collection> Collection for Option<C> {
    fn count(&self) -> Option<usize> {
        self.as_ref().and_then(Collection::count)
    }

    fn duplicate(&self) -> Option<(usize, usize)> {
        self.as_ref().and_then(Collection::duplicate)
    }

    fn noun(&self) -> &'static str {
        self.as_ref().map_or("items", Collection::noun)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, validator: &mut Validator) {
        if let Some(value) = self {
            value.validate_into(validator);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_into(&self, validator: &mut Validator) {
        (**self).validate_into(validator);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, validator: &mut Validator) {
        for (i, value) in self.iter().enumerate() {
            validator.path.push(format!("[{i}]"));
            value.validate_into(validator);
            validator.path.pop();
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_into(&self, validator: &mut Validator) {
        for (key, value) in self {
            validator.nested(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns_are_ecma_262_regular_expressions() {
        // Look-ahead, which the `regex` crate refuses and real documents write.
        assert_eq!(matches("^(?!tmp-)[a-z-]+$", "keep-me"), Some(true));
        assert_eq!(matches("^(?!tmp-)[a-z-]+$", "tmp-file"), Some(false));
        // A back-reference.
        assert_eq!(matches(r"^(a+)-\1$", "aa-aa"), Some(true));
        assert_eq!(matches(r"^(a+)-\1$", "aa-a"), Some(false));
        // ECMAScript's `\d` is ASCII only, where `regex`'s is every Unicode digit.
        assert_eq!(matches(r"^\d+$", "१२३"), Some(false));
        // Legacy identity escapes outside a class, which only the reading without `u` accepts.
        assert_eq!(matches(r"^[a-z]+\_\-[0-9]+$", "ab_-12"), Some(true));
        // Not anchored: a match anywhere counts.
        assert_eq!(matches("b", "abc"), Some(true));
        assert_eq!(matches("(", "x"), None);
    }
}
