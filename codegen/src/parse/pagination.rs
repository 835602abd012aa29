//! An operation's pagination as the document declares it: the project's `x-pagination`
//! extension (every scheme, or `false` to opt out) and Speakeasy's `x-speakeasy-pagination`.
//! Lowering checks the names against the operation and, without a declaration, detects the
//! scheme (`lower/pagination.rs`).

use serde_json::{Map, Value};

use super::Parser;
use crate::error::Pointer;

/// What an operation's extensions say of its pages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PaginationSpec {
    /// `x-pagination: false`: no page stream, and none detected.
    Off,
    /// A declared scheme.
    On(PagingSpec),
}

/// A declared way to walk an operation's pages; names are wire names, paths are property names
/// from the response object down.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PagingSpec {
    pub pointer: Pointer,
    pub scheme: SchemeName,
    /// The query parameter the scheme sets: the page number, the offset or the cursor.
    pub param: Option<String>,
    /// Where that parameter is named, for messages.
    pub param_at: Pointer,
    /// The response property holding the items; `None`: the response is the array of items.
    pub items: Option<String>,
    /// The response property counting every item of the list.
    pub total: Option<String>,
    /// The boolean response property saying more items follow.
    pub has_more: Option<Vec<String>>,
    /// The response property holding the next cursor or the next page's URL.
    pub next: Option<Vec<String>>,
    /// The item property whose value on the last item is the next cursor.
    pub item_field: Option<String>,
}

/// The schemes `x-pagination` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemeName {
    Page,
    Offset,
    Cursor,
    LastItem,
    NextUrl,
    Link,
}

const SCHEMES: &[(&str, SchemeName)] = &[
    ("page", SchemeName::Page),
    ("offset", SchemeName::Offset),
    ("cursor", SchemeName::Cursor),
    ("last_item", SchemeName::LastItem),
    ("next_url", SchemeName::NextUrl),
    ("link", SchemeName::Link),
];

const KEYS: &str = "`scheme`, `param`, `page_param`, `items`, `total`, `has_more`, `next` or `item_field`";

fn path(text: &str) -> Vec<String> {
    text.split('.').map(str::to_owned).collect()
}

impl Parser<'_> {
    /// `x-pagination`, else `x-speakeasy-pagination`, of an operation object.
    pub(super) fn pagination(&mut self, op: &Map<String, Value>, at: &Pointer) -> Option<PaginationSpec> {
        if let Some(value) = op.get("x-pagination") {
            return self.x_pagination(value, &at.join("x-pagination"));
        }
        let value = op.get("x-speakeasy-pagination")?;
        self.speakeasy(value, &at.join("x-speakeasy-pagination")).map(PaginationSpec::On)
    }

    fn x_pagination(&mut self, value: &Value, at: &Pointer) -> Option<PaginationSpec> {
        if *value == Value::Bool(false) {
            return Some(PaginationSpec::Off);
        }
        let map = match value {
            Value::Object(map) => map,
            other => {
                self.expected(at, "an object or `false`", other);
                return None;
            }
        };
        for key in map.keys() {
            if !matches!(
                key.as_str(),
                "scheme" | "param" | "page_param" | "items" | "total" | "has_more" | "next" | "item_field"
            ) {
                self.errors.push(at.join(key).as_str(), format!("unknown `x-pagination` key `{key}`: expected {KEYS}"));
            }
        }
        let scheme = match self.opt_string(map, "scheme", at) {
            None => SchemeName::Page,
            Some(name) => match SCHEMES.iter().find(|(n, _)| *n == name) {
                Some((_, scheme)) => *scheme,
                None => {
                    let names: Vec<String> = SCHEMES.iter().map(|(n, _)| format!("`{n}`")).collect();
                    self.errors.push(
                        at.join("scheme").as_str(),
                        format!("unknown pagination scheme `{name}`: expected one of {}", names.join(", ")),
                    );
                    return None;
                }
            },
        };
        let (param, param_at) = match (self.opt_string(map, "param", at), self.opt_string(map, "page_param", at)) {
            (Some(_), Some(_)) => {
                self.errors.push(at.as_str(), "`x-pagination` has both `param` and `page_param`, its old name");
                return None;
            }
            (Some(param), None) => (Some(param), at.join("param")),
            (None, page_param) => (page_param, at.join("page_param")),
        };
        let spec = PagingSpec {
            pointer: at.clone(),
            scheme,
            param,
            param_at,
            items: self.opt_string(map, "items", at),
            total: self.opt_string(map, "total", at),
            has_more: self.opt_string(map, "has_more", at).as_deref().map(path),
            next: self.opt_string(map, "next", at).as_deref().map(path),
            item_field: self.opt_string(map, "item_field", at),
        };
        let needs = match scheme {
            SchemeName::Page => &["param", "items"][..],
            SchemeName::Offset => &["param"][..],
            SchemeName::Cursor => &["param", "next"][..],
            SchemeName::LastItem => &["param", "item_field"][..],
            SchemeName::NextUrl => &["next"][..],
            SchemeName::Link => &[][..],
        };
        let given = |key: &str| match key {
            "param" => spec.param.is_some(),
            "items" => spec.items.is_some(),
            "next" => spec.next.is_some(),
            _ => spec.item_field.is_some(),
        };
        let missing: Vec<String> = needs.iter().filter(|k| !given(k)).map(|k| format!("`{k}`")).collect();
        if !missing.is_empty() {
            let name = SCHEMES.iter().find(|(_, s)| *s == scheme).map_or("page", |(n, _)| n);
            self.errors.push(at.as_str(), format!("`x-pagination` of scheme `{name}` needs {}", missing.join(" and ")));
            return None;
        }
        Some(PaginationSpec::On(spec))
    }

    /// Speakeasy's extension, as far as it maps onto a scheme here; anything else is a warning,
    /// and the operation's pagination is then detected as if it were absent.
    fn speakeasy(&mut self, value: &Value, at: &Pointer) -> Option<PagingSpec> {
        let Value::Object(map) = value else {
            self.errors.warn(at.as_str(), "`x-speakeasy-pagination` is not an object; it is not read");
            return None;
        };
        let unread = |this: &mut Self, why: String| {
            this.errors.warn(at.as_str(), format!("{why}; `x-speakeasy-pagination` is not read"));
            None
        };
        let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
        let mut inputs = Vec::new();
        for input in map.get("inputs").and_then(Value::as_array).into_iter().flatten() {
            let text = |key: &str| input.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            if text("in") != "parameters" {
                return unread(self, format!("the input `{}` is not a parameter", text("name")));
            }
            inputs.push((text("type"), text("name")));
        }
        let input = |wanted: &str| inputs.iter().find(|(t, _)| t == wanted).map(|(_, name)| name.clone());
        let outputs = map.get("outputs").and_then(Value::as_object);
        let output = |key: &str| outputs.and_then(|o| o.get(key)).and_then(Value::as_str).map(str::to_owned);
        let mut spec = PagingSpec {
            pointer: at.clone(),
            scheme: SchemeName::Page,
            param: None,
            param_at: at.join("inputs"),
            items: None,
            total: None,
            has_more: None,
            next: None,
            item_field: None,
        };
        if let Some(results) = output("results") {
            match json_path(&results) {
                Some(JsonPath::Field(steps)) if steps.len() <= 1 => spec.items = steps.into_iter().next(),
                _ => return unread(self, format!("the results path `{results}` is not `$` or `$.<property>`")),
            }
        }
        match kind {
            "offsetLimit" => match (input("offset"), input("page")) {
                (Some(offset), None) => (spec.scheme, spec.param) = (SchemeName::Offset, Some(offset)),
                (None, Some(page)) => (spec.scheme, spec.param) = (SchemeName::Page, Some(page)),
                _ => return unread(self, "an `offsetLimit` pagination needs one `offset` or `page` input".to_owned()),
            },
            "cursor" => {
                let (Some(param), Some(next)) = (input("cursor"), output("nextCursor")) else {
                    return unread(self, "a `cursor` pagination needs a `cursor` input and a `nextCursor`".to_owned());
                };
                spec.param = Some(param);
                match json_path(&next) {
                    Some(JsonPath::Field(steps)) if !steps.is_empty() => {
                        (spec.scheme, spec.next) = (SchemeName::Cursor, Some(steps));
                    }
                    Some(JsonPath::LastItem { items, field })
                        if spec.items.is_none() || spec.items.as_ref() == items.as_ref() =>
                    {
                        (spec.scheme, spec.items, spec.item_field) = (SchemeName::LastItem, items, Some(field));
                    }
                    _ => return unread(self, format!("the cursor path `{next}` is not read")),
                }
            }
            "url" => match output("nextUrl").as_deref().map(json_path) {
                Some(Some(JsonPath::Field(steps))) if !steps.is_empty() => {
                    (spec.scheme, spec.next) = (SchemeName::NextUrl, Some(steps));
                }
                _ => return unread(self, "a `url` pagination needs a `nextUrl` path `$.<property>…`".to_owned()),
            },
            other => {
                return unread(
                    self,
                    format!("the pagination type `{other}` is not one of `offsetLimit`, `cursor`, `url`"),
                );
            }
        }
        Some(spec)
    }
}

/// The JSONPath expressions Speakeasy's outputs use.
enum JsonPath {
    /// `$.a.b`: properties from the response down (`$`: none).
    Field(Vec<String>),
    /// `$.data[-1].id`: a property of the last item (of `$` itself when `items` is `None`).
    LastItem { items: Option<String>, field: String },
}

fn json_path(text: &str) -> Option<JsonPath> {
    let rest = text.strip_prefix('$')?;
    if let Some((before, field)) = rest.split_once("[-1].") {
        let items = before.strip_prefix('.').map(str::to_owned);
        let plain = |s: &str| !s.is_empty() && !s.contains(['.', '[', ']', '*', '@']);
        return (items.as_deref().is_none_or(plain) && plain(field))
            .then(|| JsonPath::LastItem { items, field: field.to_owned() });
    }
    if rest.is_empty() {
        return Some(JsonPath::Field(Vec::new()));
    }
    let steps = path(rest.strip_prefix('.')?);
    steps.iter().all(|s| !s.is_empty() && !s.contains(['[', ']', '*', '@'])).then_some(JsonPath::Field(steps))
}
