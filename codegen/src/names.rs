//! Rust identifiers from wire names: case conversion, keywords, collisions.
//!
//! The rules, also listed in ARCHITECTURE.md:
//! - types and variants are UpperCamelCase, fields and methods snake_case (via `heck`);
//! - a wire name is split into words at every character that is not an ASCII letter or digit;
//!   two words that meet digit-to-digit are joined with `_` so `gpt-4.1` becomes `Gpt4_1`, never
//!   the ambiguous `Gpt41`;
//! - a name that would start with a digit gets a leading `_`; an empty one becomes `Empty`/`empty`;
//! - a snake_case name that is a Rust keyword gets a trailing `_` (`type` → `type_`), and so does
//!   `Self`, the one UpperCamelCase keyword (`self` → `Self_`);
//! - the generator's own locals and generic parameters start with `__`, which no name from here
//!   does (words are never empty, so `_` is never doubled).

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Splits a wire name into ASCII alphanumeric words.
fn words(wire: &str) -> Vec<&str> {
    wire.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

fn join_words(parts: Vec<String>, separator: &str) -> String {
    let mut out = String::new();
    for part in parts {
        let digit_boundary =
            out.ends_with(|c: char| c.is_ascii_digit()) && part.starts_with(|c: char| c.is_ascii_digit());
        if !out.is_empty() && (digit_boundary || !separator.is_empty()) {
            out.push_str(if digit_boundary && separator.is_empty() { "_" } else { separator });
        }
        out.push_str(&part);
    }
    out
}

/// `gpt-4.1` → `Gpt4_1`, `audio/office.ogg` → `AudioOfficeOgg`, `IVR` → `Ivr`.
pub(crate) fn pascal(wire: &str) -> String {
    let parts = words(wire).into_iter().map(ToUpperCamelCase::to_upper_camel_case).collect();
    let name = join_words(parts, "");
    if name.is_empty() {
        "Empty".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else if name == "Self" {
        // The one keyword in UpperCamelCase: a type or variant cannot be called `Self`.
        "Self_".to_owned()
    } else {
        name
    }
}

/// A type name made of several [`pascal`] names (`OneClicksListResponse` + `_1Clicks`,
/// `Self_` + `Params`), as rustc's `non_camel_case_types` accepts it: an `_` beside a letter
/// goes (`OneClicksListResponse1Clicks`, `SelfParams`), one between digits stays (`Gpt4_1`), and
/// so does a leading one (`_1Clicks`) and the trailing one of `Self_`.
pub(crate) fn joined_pascal(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    for (i, &c) in chars.iter().enumerate() {
        let beside_letter = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphabetic());
        if c == '_' && i > 0 && i + 1 < chars.len() && (beside_letter(Some(i - 1)) || beside_letter(Some(i + 1))) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `page_size` → `page_size`, `pageSize` → `page_size`, `type` → `type_`.
pub(crate) fn snake(wire: &str) -> String {
    let parts = words(wire).into_iter().map(ToSnakeCase::to_snake_case).collect();
    let name = join_words(parts, "_");
    let name = if name.is_empty() {
        "empty".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    if is_keyword(&name) { format!("{name}_") } else { name }
}

/// Whether `name` is a Rust keyword, strict or reserved, in any edition (`try`, `gen`, `yield`…):
/// not a name a generated identifier, or a crate (xtask's scaffold asks), can take.
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
    )
}

/// Names already given in one namespace (the fields of a struct, the variants of an enum…), with,
/// for each base name, the next number to try, so that a thousand colliding names cost a thousand
/// steps, not half a million.
#[derive(Debug, Default)]
pub(crate) struct Taken {
    names: BTreeSet<String>,
    next: BTreeMap<String, u64>,
}

impl Taken {
    /// A namespace in which `names` are already taken.
    pub(crate) fn with(names: &[&str]) -> Self {
        Self { names: names.iter().map(|n| (*n).to_owned()).collect(), next: BTreeMap::new() }
    }

    /// Whether `name` is taken.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Records `name`; `false` when it was already taken.
    pub(crate) fn insert(&mut self, name: String) -> bool {
        self.names.insert(name)
    }
}

/// Makes `name` unique among `taken` by appending the smallest free number (`Foo2`, `Foo3`…;
/// `Foo1_2` when the name already ends in a digit), and records it.
pub(crate) fn unique(name: String, taken: &mut Taken) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let separator = if name.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
    // `Self_` (the keyword escaped) numbers as `Self2`: an `_` before a letter or digit would
    // trip rustc's `non_camel_case_types`.
    let base = format!("{}{separator}", name.trim_end_matches('_'));
    let n = taken.next.entry(base.clone()).or_insert(2);
    loop {
        let candidate = format!("{base}{n}");
        *n += 1;
        if taken.names.insert(candidate.clone()) {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_pascal_names_are_camel_case() {
        assert_eq!(
            joined_pascal(&format!("OneClicksListResponse{}", pascal("1-clicks"))),
            "OneClicksListResponse1Clicks"
        );
        assert_eq!(joined_pascal(&format!("{}Body", pascal("self"))), "SelfBody");
        assert_eq!(joined_pascal("Gpt4_1"), "Gpt4_1");
        assert_eq!(joined_pascal("_1Clicks"), "_1Clicks");
        assert_eq!(joined_pascal("Self_"), "Self_");
    }

    #[test]
    fn pascal_names() {
        assert_eq!(pascal("gpt-4.1"), "Gpt4_1");
        assert_eq!(pascal("ministral-3-8b-instruct"), "Ministral3_8bInstruct");
        assert_eq!(pascal("IVR"), "Ivr");
        assert_eq!(pascal("ios-screening-filter"), "IosScreeningFilter");
        assert_eq!(pascal("audio/office.ogg"), "AudioOfficeOgg");
        assert_eq!(pascal("queued_for_calling"), "QueuedForCalling");
        assert_eq!(pascal("3d"), "_3d");
        assert_eq!(pascal("--"), "Empty");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal("__x__"), "X");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("pageSize"), "page_size");
        assert_eq!(snake("tool_is_error"), "tool_is_error");
        assert_eq!(snake("x-request-id"), "x_request_id");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("__map"), "map");
    }

    #[test]
    fn unique_names() {
        let mut taken = Taken::default();
        assert_eq!(unique("A".into(), &mut taken), "A");
        assert_eq!(unique("A".into(), &mut taken), "A2");
        assert_eq!(unique("A".into(), &mut taken), "A3");
        assert_eq!(unique("V1".into(), &mut taken), "V1");
        assert_eq!(unique("V1".into(), &mut taken), "V1_2");
        assert_eq!(unique("Self_".into(), &mut taken), "Self_");
        assert_eq!(unique("Self_".into(), &mut taken), "Self2");
        assert_eq!(unique("A".into(), &mut taken), "A4", "the count goes on from where it was");
    }

    /// 100,000 values that all sanitise to the same name: linear, not quadratic.
    #[test]
    fn many_collisions_stay_linear() {
        let mut taken = Taken::default();
        let names: Vec<String> = (0..100_000).map(|_| unique("Same".to_owned(), &mut taken)).collect();
        assert_eq!(names[0], "Same");
        assert_eq!(names[99_999], "Same100000");
    }
}
