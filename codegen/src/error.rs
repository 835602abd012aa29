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

/// The warnings of one document, for printing: each on its line with the file and JSON pointer,
/// then a count by what the generator did instead (the text after the message's last `; `).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warnings<'a> {
    /// The document's name, as in [`Errors::file`].
    pub file: &'a str,
    /// The warnings, in the order found.
    pub warnings: &'a [Error],
}

impl fmt::Display for Warnings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for warning in self.warnings {
            writeln!(f, "{}: warning: {}: {}", self.file, warning.location, warning.message)?;
        }
        let mut by_fallback = std::collections::BTreeMap::<String, usize>::new();
        for warning in self.warnings {
            let fallback = warning.message.rsplit_once("; ").map_or("other", |(_, fallback)| fallback);
            *by_fallback.entry(without_code(fallback)).or_default() += 1;
        }
        let count = self.warnings.len();
        let noun = if count == 1 { "warning" } else { "warnings" };
        writeln!(f, "{}: {count} {noun}", self.file)?;
        let mut groups: Vec<_> = by_fallback.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (fallback, n) in groups {
            writeln!(f, "  {n:>5} × {fallback}")?;
        }
        Ok(())
    }
}

/// `text` with each code span (`` `name` ``) written `…`, so that warnings group by what was
/// done, whatever the names.
fn without_code(text: &str) -> String {
    text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 { "…" } else { part }).collect::<Vec<_>>().join("`")
}

/// Collects problems while a stage walks the document (serde_derive's `Ctxt` pattern): errors,
/// which stop generation, and warnings, each saying what the generator did instead.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    errors: Vec<Error>,
    warnings: Vec<Error>,
    /// Every error reported, counted even when it repeats one already recorded: a stage that
    /// contains a failure (see [`Collector::contain`]) must see a shared component's problem
    /// each time it is read, though it is recorded once.
    reported: usize,
}

/// Where a containment began: see [`Collector::mark`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    reported: usize,
    errors: usize,
}

impl Collector {
    /// Records an error once: a component read from several places (a shared parameter or
    /// response) reports its problems only the first time.
    pub(crate) fn push(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.reported += 1;
        let error = Error { location: location.into(), message: message.into() };
        if !self.errors.contains(&error) && !self.warnings.contains(&error) {
            self.errors.push(error);
        }
    }

    /// Records a warning once: the generator read a construct in a weaker but sound way, which
    /// `message` says.
    pub(crate) fn warn(&mut self, location: impl Into<String>, message: impl Into<String>) {
        let warning = Error { location: location.into(), message: message.into() };
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// The place a containment starts from: errors reported after it can be turned into warnings
    /// once the caller has a sound fallback for what failed.
    pub(crate) fn mark(&self) -> Mark {
        Mark { reported: self.reported, errors: self.errors.len() }
    }

    /// Whether an error was reported since `mark` (recorded, or a repeat of one already recorded).
    pub(crate) fn failed_since(&self, mark: Mark) -> bool {
        self.reported > mark.reported
    }

    /// Turns the errors recorded since `mark` into warnings, each followed by `fallback` (what the
    /// generator does instead). Returns whether any error was reported since `mark`.
    pub(crate) fn contain(&mut self, mark: Mark, fallback: &str) -> bool {
        self.contain_at(mark, None, fallback)
    }

    /// [`Collector::contain`] for a fallback taken at `at`: when no problem is located there or
    /// below (a conflict reported at another member's property), a warning there says where.
    pub(crate) fn contain_at(&mut self, mark: Mark, at: Option<&str>, fallback: &str) -> bool {
        if !self.failed_since(mark) {
            return false;
        }
        let drained: Vec<Error> = self.errors.drain(mark.errors..).collect();
        if let Some(at) = at {
            let below = |location: &str| location == at || location.starts_with(&format!("{at}/"));
            if !drained.iter().any(|e| below(&e.location)) {
                let places: Vec<&str> = drained.iter().map(|e| e.location.as_str()).collect();
                let because = match places.is_empty() {
                    true => "a problem reported before".to_owned(),
                    false => format!("the problem at {}", places.join(", ")),
                };
                let warning = Error { location: at.to_owned(), message: format!("{because}; {fallback}") };
                if !self.warnings.contains(&warning) {
                    self.warnings.push(warning);
                }
            }
        }
        for mut error in drained {
            error.message = format!("{}; {fallback}", error.message);
            if !self.warnings.contains(&error) {
                self.warnings.push(error);
            }
        }
        // What was contained no longer counts against an enclosing containment.
        self.reported = mark.reported;
        true
    }

    /// Ends a stage: `Ok((value, warnings))` when no error was reported.
    pub(crate) fn finish<T>(self, file: &str, value: T) -> Result<(T, Vec<Error>), Errors> {
        if self.errors.is_empty() {
            Ok((value, self.warnings))
        } else {
            Err(Errors { file: file.to_owned(), errors: self.errors })
        }
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
