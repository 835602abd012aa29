//! Values for the operations' doc examples, written as Rust expressions that compile and would
//! work: the parameter's or property's `example` or documented default when it has one that fits, a number within its
//! bounds (a page size of 10, never 0), an enum's first variant, a struct built with `new` from
//! values for its required fields, a union's first variant. `todo!()` is left only for what
//! cannot be written (a date, a UUID, a value nested too deep).
//!
//! Schema text never becomes code: a string is the parameter's sanitised name, or a documented
//! default made only of characters that are inert in a doc comment's code block.

use serde_json::Value;

use crate::ir::{Api, Bound, Constraints, Field, Presence, Ty, TypeKind};

/// How deep structs are built inside structs before `todo!()`.
const MAX_DEPTH: usize = 3;

/// What is known of the place a value goes: its name, bounds and documented default.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hint<'a> {
    /// The parameter's or field's Rust name: the text of a string, and what tells a page size.
    pub(crate) name: &'a str,
    pub(crate) constraints: Option<&'a Constraints>,
    /// The documented `example`, else `default`: used only where it fits the type and bounds.
    pub(crate) default: Option<&'a Value>,
}

impl<'a> Hint<'a> {
    pub(crate) fn named(name: &'a str) -> Self {
        Self { name, constraints: None, default: None }
    }
}

/// A Rust expression of type `ty` for an example in the crate `krate`.
pub(crate) fn value(api: &Api, krate: &str, ty: &Ty, hint: Hint<'_>) -> String {
    value_at(api, krate, ty, hint, Place { depth: 0, owned: false })
}

/// Where a value is written: how deep in structs, and whether a string must be a `String`
/// (a union's payload, an alias taken by value) rather than what `impl Into<String>` takes.
#[derive(Debug, Clone, Copy)]
struct Place {
    depth: usize,
    owned: bool,
}

fn value_at(api: &Api, krate: &str, ty: &Ty, hint: Hint<'_>, place: Place) -> String {
    match ty {
        Ty::String if place.owned => format!("{}.to_owned()", string(hint)),
        Ty::String => string(hint),
        Ty::Bool => hint.default.and_then(Value::as_bool).unwrap_or(false).to_string(),
        Ty::F64 => format!("{}.0", integer(hint)),
        Ty::I64 | Ty::U64 | Ty::I32 | Ty::U32 | Ty::I128 | Ty::U128 => integer(hint).to_string(),
        Ty::NonZeroU64 => match integer(hint).max(1) {
            1 => "std::num::NonZeroU64::MIN".to_owned(),
            n => format!("std::num::NonZeroU64::MIN.saturating_add({})", n - 1),
        },
        Ty::Vec(_) => "Vec::new()".to_owned(),
        Ty::Map(_) => "Default::default()".to_owned(),
        Ty::Option(_) => "None".to_owned(),
        Ty::Any => "serde_json::json!({})".to_owned(),
        Ty::JsonObject => "serde_json::Map::new()".to_owned(),
        Ty::Box(inner) => format!("Box::new({})", value_at(api, krate, inner, hint, Place { owned: true, ..place })),
        Ty::Named(name) => named(api, krate, name, hint, place.depth),
        Ty::DateTime | Ty::Date | Ty::Uuid => "todo!()".to_owned(),
    }
}

fn named(api: &Api, krate: &str, name: &str, hint: Hint<'_>, depth: usize) -> String {
    let path = format!("{krate}::types::{name}");
    match crate::ir::kind_of(&api.types, name) {
        Some(TypeKind::Enum(e)) => {
            let default = hint.default.and_then(Value::as_str);
            let variant = e.variants.iter().find(|v| Some(v.wire.as_str()) == default).or(e.variants.first());
            match variant {
                Some(v) => format!("{path}::{}", v.name),
                None => "todo!()".to_owned(),
            }
        }
        // An alias that holds integers is `Integers<…>` (see `types::type_def`), built from the value.
        Some(TypeKind::Alias(target)) if crate::emit::types::Context::new(&api.types).holds_integer(target) => {
            format!("{path}::from({})", value_at(api, krate, target, hint, Place { depth, owned: true }))
        }
        Some(TypeKind::Alias(target)) => value_at(api, krate, target, hint, Place { depth, owned: true }),
        Some(TypeKind::Struct(s)) if depth < MAX_DEPTH => {
            let args: Vec<String> = s
                .fields
                .iter()
                .filter(|f| constructor_arg(f))
                .map(|f| {
                    let documented = f.example.as_ref().or(f.default.as_ref());
                    let hint = Hint { name: &f.name, constraints: Some(&f.written), default: documented };
                    value_at(api, krate, &f.ty, hint, Place { depth: depth + 1, owned: false })
                })
                .collect();
            format!("{path}::new({})", args.join(", "))
        }
        Some(TypeKind::Union(u)) if depth < MAX_DEPTH => match u.variants.first() {
            Some(v) => {
                let payload = value_at(api, krate, &v.ty, hint, Place { depth: depth + 1, owned: true });
                format!("{path}::{}({payload})", v.name)
            }
            None => "todo!()".to_owned(),
        },
        _ => "todo!()".to_owned(),
    }
}

/// As `emit::types` decides: a field that is an argument of its struct's `new`.
fn constructor_arg(field: &Field) -> bool {
    field.presence == Presence::Required && !matches!(field.ty, Ty::Option(_))
}

/// A string: the documented default when it is short, plain text; else the name.
fn string(hint: Hint<'_>) -> String {
    let inert = |text: &str| {
        !text.is_empty()
            && text.len() <= 40
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | ':' | '/' | '@' | '+'))
    };
    match hint.default.and_then(Value::as_str) {
        Some(text) if inert(text) => format!("{text:?}"),
        _ => format!("{:?}", hint.name.trim_end_matches('_')),
    }
}

/// Whether a name is a page size or a count to fetch.
fn is_size(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["limit", "size", "per_page", "page_size", "count", "first", "last", "take", "max_results", "top"]
        .iter()
        .any(|word| name == *word || name.ends_with(&format!("_{word}")))
}

/// An integer for a number: the documented default when it is an integer within the bounds,
/// else the first page for a page number or offset, 10 for a page size and 1 otherwise (an id),
/// moved within the bounds.
fn integer(hint: Hint<'_>) -> i64 {
    let bound = |b: &Option<Bound>, up: bool| {
        b.as_ref().and_then(|b| {
            let value = b.value.as_f64()?;
            let value = if up { value.ceil() } else { value.floor() };
            // Within i64, or no bound worth keeping.
            let value = if value.abs() < 1e15 { value as i64 } else { return None };
            Some(match (b.exclusive, up) {
                (true, true) => value + 1,
                (true, false) => value - 1,
                (false, _) => value,
            })
        })
    };
    let (min, max) = match hint.constraints {
        Some(c) => (bound(&c.minimum, true), bound(&c.maximum, false)),
        None => (None, None),
    };
    let within = |n: i64| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
    if let Some(n) = hint.default.and_then(Value::as_i64).filter(|n| within(*n)) {
        return n;
    }
    let name = hint.name.to_ascii_lowercase();
    if matches!(name.as_str(), "page" | "page_number" | "offset" | "skip" | "start") {
        // The first page: the smallest value allowed, else 0 for an offset and 1 for a page.
        return min.unwrap_or(if name.starts_with("page") { 1 } else { 0 });
    }
    let wanted = if is_size(hint.name) { 10 } else { 1 };
    let wanted = min.map_or(wanted, |m| wanted.max(m));
    max.map_or(wanted, |m| wanted.min(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(min: i64, max: Option<i64>) -> Constraints {
        let bound = |v: i64| Bound { value: v.into(), exclusive: false };
        Constraints { minimum: Some(bound(min)), maximum: max.map(bound), ..Constraints::default() }
    }

    #[test]
    fn numbers_are_sensible_and_within_their_bounds() {
        let hint = |name, constraints| Hint { name, constraints, default: None };
        assert_eq!(integer(hint("page_size", None)), 10);
        let (one_to_five, from_zero) = (bounds(1, Some(5)), bounds(0, None));
        assert_eq!(integer(hint("limit", Some(&one_to_five))), 5);
        assert_eq!(integer(hint("page", Some(&from_zero))), 0, "the first page");
        assert_eq!(integer(hint("page", None)), 1);
        assert_eq!(integer(hint("id", Some(&bounds(100, None)))), 100);
        let default = Value::from(25);
        assert_eq!(integer(Hint { name: "limit", constraints: None, default: Some(&default) }), 25);
        assert_eq!(string(Hint::named("type_")), "\"type\"");
        let hostile = Value::from("```\n#![x]");
        assert_eq!(string(Hint { name: "q", constraints: None, default: Some(&hostile) }), "\"q\"");
    }

    #[test]
    fn an_integer_component_is_built_from_its_value() {
        // `Count` is `Integers<u128>`: a bare `1` would not be one.
        let text = r##"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {},
            "components": {"schemas": {"Count": {"type": "integer", "minimum": 1},
            "Obj": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/Count"}}, "required": ["c"]}}}}"##;
        let doc = crate::Document::parse("t.json", text).unwrap_or_else(|e| panic!("{e}"));
        let api = crate::lower::lower(&doc, &crate::Settings::new("t.json", "T")).unwrap_or_else(|e| panic!("{e}"));
        let obj = value(&api, "t", &Ty::Named("Obj".to_owned()), Hint::named("body"));
        assert_eq!(obj, "t::types::Obj::new(t::types::Count::from(1))");
    }

    #[test]
    fn a_propertys_example_is_used_where_it_fits() {
        // `example` (3.0) and the first of `examples` (3.1) give the values; an example that does
        // not fit (text that is not inert, a number out of bounds) gives way to the usual value.
        let text = r##"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {},
            "components": {"schemas": {"User": {"type": "object", "required": ["email", "age", "nick", "size", "role"],
            "properties": {"email": {"type": "string", "example": "ada@example.com"},
            "age": {"type": "integer", "format": "int32", "examples": [36, 40]},
            "nick": {"type": "string", "example": "`rm -rf`"},
            "size": {"type": "integer", "format": "int32", "maximum": 50, "example": 500},
            "role": {"type": "string", "enum": ["guest", "admin"], "example": "admin"}}}}}}"##;
        let doc = crate::Document::parse("t.json", text).unwrap_or_else(|e| panic!("{e}"));
        let api = crate::lower::lower(&doc, &crate::Settings::new("t.json", "T")).unwrap_or_else(|e| panic!("{e}"));
        let user = value(&api, "t", &Ty::Named("User".to_owned()), Hint::named("body"));
        assert_eq!(user, "t::types::User::new(36, \"ada@example.com\", \"nick\", t::types::UserRole::Admin, 10)");
    }
}
