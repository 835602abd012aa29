//! Bounds the Rust types cannot express (`minimum` 0.6, `minLength` 1, a `maximum` below the
//! integer type's own…), checked on demand.
//!
//! Decoding deliberately does not check them, so that a response the API really sends is never
//! refused; call [`Validate::validate`] on values you build or want to vouch for.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU64;

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
