//! Errors are values: every problem is located by a JSON pointer and collected before failing.

use std::fmt;

/// One problem in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where: a JSON pointer such as `#/components/schemas/Call/properties/status`, or
    /// `line:column` for a syntax error.
    pub location: String,
    /// What was expected and what was found.
    pub message: String,
}

/// Every problem found in one document, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors {
    /// The document's name as given to [`crate::Document::parse`], usually its path.
    pub file: String,
    /// At least one problem.
    pub errors: Vec<Error>,
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        writeln!(f, "{}: {count} {noun} in the API description", self.file)?;
        for error in &self.errors {
            writeln!(f, "{}: {}: {}", self.file, error.location, error.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// Collects errors while a stage walks the document (serde_derive's `Ctxt` pattern).
#[derive(Debug, Default)]
pub(crate) struct Collector {
    errors: Vec<Error>,
}

impl Collector {
    /// Records a problem once: a component read from several places (a shared parameter or
    /// response) reports its problems only the first time.
    pub(crate) fn push(&mut self, location: impl Into<String>, message: impl Into<String>) {
        let error = Error { location: location.into(), message: message.into() };
        if !self.errors.contains(&error) {
            self.errors.push(error);
        }
    }

    /// Ends a stage: `Ok(value)` when nothing was reported.
    pub(crate) fn finish<T>(self, file: &str, value: T) -> Result<T, Errors> {
        if self.errors.is_empty() { Ok(value) } else { Err(Errors { file: file.to_owned(), errors: self.errors }) }
    }
}

/// A JSON pointer under construction, rendered as a URI fragment (`#/a/b`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pointer(String);

impl Pointer {
    pub(crate) fn root() -> Self {
        Self("#".to_owned())
    }

    /// The pointer one level down, escaping `~` and `/` as RFC 6901 requires.
    pub(crate) fn join(&self, token: impl fmt::Display) -> Self {
        /// Writes a token escaped, without an intermediate `String`: parsing joins one pointer
        /// per JSON value of the document.
        struct Escaped<'a>(&'a mut String);

        impl fmt::Write for Escaped<'_> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                for c in text.chars() {
                    match c {
                        '~' => self.0.push_str("~0"),
                        '/' => self.0.push_str("~1"),
                        c => self.0.push(c),
                    }
                }
                Ok(())
            }
        }

        let mut pointer = String::with_capacity(self.0.len() + 16);
        pointer.push_str(&self.0);
        pointer.push('/');
        // Writing into a `String` cannot fail.
        let _ = fmt::Write::write_fmt(&mut Escaped(&mut pointer), format_args!("{token}"));
        Self(pointer)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
