//! Document filtering: keep only the operations a user needs, and the components they reach.
//!
//! It works on the document's JSON value, before parsing, so that everything the generator does
//! afterwards (validation, naming, types) sees a smaller document and nothing else changes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Which operations to generate. An operation is named by its `operationId` or, without one, by
/// `METHOD /path` (`GET /pets/{id}`); tags are the operation's `tags`.
///
/// With no `include_…` entry every operation is included; then an operation is dropped when it
/// matches an `exclude_…` entry. Components no kept operation reaches (through `$ref`s, at any
/// depth, and discriminator mappings) are dropped too; security schemes are always kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep operations with at least one of these tags.
    pub include_tags: Vec<String>,
    /// Keep these operations.
    pub include_operations: Vec<String>,
    /// Drop operations with one of these tags.
    pub exclude_tags: Vec<String>,
    /// Drop these operations.
    pub exclude_operations: Vec<String>,
}

impl Filter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        let Self { include_tags, include_operations, exclude_tags, exclude_operations } = self;
        include_tags.is_empty()
            && include_operations.is_empty()
            && exclude_tags.is_empty()
            && exclude_operations.is_empty()
    }

    /// Checks that every entry names a tag or an operation of the document `text` (JSON or
    /// YAML, named `name` in errors): a misspelt entry would otherwise keep nothing, or drop
    /// nothing, without a word. Each unknown entry is an error listing the known names. A text
    /// that does not read is left to [`Document::parse_filtered`](crate::Document::parse_filtered)
    /// to report.
    ///
    /// # Errors
    /// One error per list with unknown entries.
    pub fn check(&self, name: &str, text: &str) -> Result<(), crate::Errors> {
        if self.is_empty() {
            return Ok(());
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let document = if text.trim_start().starts_with('{') {
            serde_json::from_str::<Value>(text).ok()
        } else {
            super::yaml::read(text).ok().map(|(value, _)| value)
        };
        let Some(document) = document else { return Ok(()) };
        let (tags, operations) = known(&document);
        let Self { include_tags, include_operations, exclude_tags, exclude_operations } = self;
        let mut errors = Vec::new();
        for (flag, list, known, what) in [
            ("include-tags", include_tags, &tags, "tag"),
            ("exclude-tags", exclude_tags, &tags, "tag"),
            ("include-operations", include_operations, &operations, "operation"),
            ("exclude-operations", exclude_operations, &operations, "operation"),
        ] {
            let unknown: Vec<&str> = list.iter().filter(|e| !known.contains(*e)).map(String::as_str).collect();
            if !unknown.is_empty() {
                let list = |names: &mut dyn Iterator<Item = &str>| {
                    names.map(|n| format!("`{}`", n.escape_debug())).collect::<Vec<_>>().join(", ")
                };
                let known_list = if known.is_empty() {
                    format!("the document has no {what}s")
                } else {
                    format!("the document's {what}s: {}", list(&mut known.iter().map(String::as_str)))
                };
                errors.push(crate::Error {
                    location: format!("--{flag}"),
                    message: format!("no {what} named {} ({known_list})", list(&mut unknown.into_iter())),
                });
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(crate::Errors { file: name.to_owned(), errors }) }
    }

    fn keeps(&self, name: &str, tags: &[&str]) -> bool {
        let named = |list: &[String]| list.iter().any(|n| n == name);
        let tagged = |list: &[String]| tags.iter().any(|t| list.iter().any(|l| l == t));
        let included = (self.include_tags.is_empty() && self.include_operations.is_empty())
            || tagged(&self.include_tags)
            || named(&self.include_operations);
        included && !tagged(&self.exclude_tags) && !named(&self.exclude_operations)
    }

    /// Removes from `document` the operations the filter drops, path items left empty, and the
    /// components no kept operation reaches. `original` is the document before: a kept operation
    /// may reference a schema written in a dropped one, which the parser reads from there, and
    /// the components that schema reaches are kept too.
    pub(crate) fn apply(&self, document: &mut Value, original: &Value) {
        if self.is_empty() {
            return;
        }
        if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
            for (path, item) in paths.iter_mut() {
                let Some(item) = item.as_object_mut() else { continue };
                item.retain(|key, operation| {
                    if !METHODS.contains(&key.as_str()) {
                        return true;
                    }
                    let name = match operation.get("operationId").and_then(Value::as_str) {
                        Some(id) => id.to_owned(),
                        None => format!("{} {path}", key.to_uppercase()),
                    };
                    let tags: Vec<&str> = operation
                        .get("tags")
                        .and_then(Value::as_array)
                        .map(|tags| tags.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    self.keeps(&name, &tags)
                });
            }
            paths.retain(|_, item| {
                item.as_object().is_none_or(|item| item.keys().any(|k| METHODS.contains(&k.as_str())))
            });
        }
        prune_components(document, original);
    }
}

/// The document's tags (declared at the top level or used by an operation) and operation names
/// (`operationId`, else `METHOD /path`), as the filter matches them.
fn known(document: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut tags: BTreeSet<String> = document
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| tags.iter().filter_map(|t| t.get("name")?.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let mut operations = BTreeSet::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            operations.insert(match operation.get("operationId").and_then(Value::as_str) {
                Some(id) => id.to_owned(),
                None => format!("{} {path}", method.to_uppercase()),
            });
            let used = operation.get("tags").and_then(Value::as_array).into_iter().flatten();
            tags.extend(used.filter_map(Value::as_str).map(str::to_owned));
        }
    }
    (tags, operations)
}

/// A local reference found in the document.
enum Reference {
    /// `#/components/<kind>/<name>` (or a place inside one): the component `(kind, name)`.
    Component(String, String),
    /// Any other place of the document (`#/paths/…`), by its tokens.
    Place(Vec<String>),
}

/// Drops every component (but security schemes) that the paths do not reach, directly or
/// through places of `original` they reference.
fn prune_components(document: &mut Value, original: &Value) {
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut places: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut pending = Vec::new();
    if let Some(paths) = document.get("paths") {
        references(paths, &mut pending);
    }
    let components: BTreeMap<String, Value> = match document.get("components").and_then(Value::as_object) {
        Some(components) => components.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        None => return,
    };
    while let Some(reference) = pending.pop() {
        match reference {
            Reference::Component(kind, name) => {
                if reached.insert((kind.clone(), name.clone()))
                    && let Some(component) = components.get(&kind).and_then(|c| c.get(&name))
                {
                    references(component, &mut pending);
                }
            }
            Reference::Place(tokens) => {
                if let Some(place) = super::refs::lookup(original, &tokens)
                    && places.insert(tokens)
                {
                    references(place, &mut pending);
                }
            }
        }
    }
    if let Some(components) = document.get_mut("components").and_then(Value::as_object_mut) {
        for (kind, entries) in components.iter_mut() {
            if kind == "securitySchemes" {
                continue;
            }
            if let Some(entries) = entries.as_object_mut() {
                entries.retain(|name, _| reached.contains(&(kind.clone(), name.clone())));
            }
        }
    }
}

/// Every local reference in `value`: `$ref`s and discriminator mappings (`#/components/schemas/Pet`
/// is `("schemas", "Pet")`).
fn references(value: &Value, out: &mut Vec<Reference>) {
    match value {
        Value::String(text) => {
            if let Ok(target) = super::refs::local(text) {
                let mut tokens = target.tokens;
                if tokens.len() >= 3 && tokens[0] == "components" {
                    tokens.truncate(3);
                    let name = tokens.pop().unwrap_or_default();
                    let kind = tokens.pop().unwrap_or_default();
                    out.push(Reference::Component(kind, name));
                } else {
                    out.push(Reference::Place(tokens));
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        Value::Object(object) => object.values().for_each(|item| references(item, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document() -> Value {
        json!({
            "paths": {
                "/pets": {
                    "get": {"operationId": "pets.list", "tags": ["pets"], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PetPage"}}}}}},
                    "parameters": [{"$ref": "#/components/parameters/Limit"}]
                },
                "/stores": {"get": {"tags": ["stores"], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Store"}}}}}}}
            },
            "components": {
                "schemas": {
                    "PetPage": {"properties": {"items": {"items": {"$ref": "#/components/schemas/Pet"}}}},
                    "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"mapping": {"dog": "#/components/schemas/Dog"}}},
                    "Cat": {}, "Dog": {}, "Store": {}, "Unused": {}
                },
                "parameters": {"Limit": {"name": "limit"}, "Other": {"name": "other"}},
                "securitySchemes": {"key": {"type": "apiKey"}}
            }
        })
    }

    fn names(document: &Value, kind: &str) -> Vec<String> {
        document["components"][kind].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
    }

    #[test]
    fn unknown_entries_are_errors_that_list_the_known_names() {
        let text = document().to_string();
        let filter = |include_tags: &[&str], exclude_operations: &[&str]| Filter {
            include_tags: include_tags.iter().map(|t| (*t).to_owned()).collect(),
            exclude_operations: exclude_operations.iter().map(|t| (*t).to_owned()).collect(),
            ..Filter::default()
        };
        assert!(filter(&["pets", "stores"], &["pets.list", "GET /stores"]).check("d.json", &text).is_ok());
        let errors = filter(&["nosuchtag", "pets"], &["GET /nope"]).check("d.json", &text).expect_err("unknown");
        let messages: Vec<String> = errors.errors.iter().map(|e| format!("{}: {}", e.location, e.message)).collect();
        assert_eq!(
            messages,
            [
                "--include-tags: no tag named `nosuchtag` (the document's tags: `pets`, `stores`)",
                "--exclude-operations: no operation named `GET /nope` (the document's operations: `GET /stores`, \
                 `pets.list`)",
            ]
        );
        let yaml = "openapi: 3.1.0\npaths: {}\n";
        let error = filter(&["\u{1b}[31m"], &[]).check("d.yaml", yaml).expect_err("none");
        assert_eq!(error.errors[0].message, "no tag named `\\u{1b}[31m` (the document has no tags)");
    }

    #[test]
    fn a_tag_keeps_its_operations_and_what_they_reach() {
        let mut doc = document();
        Filter { include_tags: vec!["pets".into()], ..Filter::default() }.apply(&mut doc, &document());
        assert!(doc["paths"].get("/stores").is_none(), "a path item left without operations goes");
        assert_eq!(names(&doc, "schemas"), ["Cat", "Dog", "Pet", "PetPage"]);
        assert_eq!(names(&doc, "parameters"), ["Limit"], "path-level parameters count");
        assert_eq!(names(&doc, "securitySchemes"), ["key"]);
    }

    #[test]
    fn operations_are_named_by_id_or_method_and_path() {
        let mut doc = document();
        Filter { include_operations: vec!["GET /stores".into()], ..Filter::default() }.apply(&mut doc, &document());
        assert!(doc["paths"].get("/pets").is_none());
        assert_eq!(names(&doc, "schemas"), ["Store"]);
        let mut doc = document();
        Filter { exclude_operations: vec!["pets.list".into()], ..Filter::default() }.apply(&mut doc, &document());
        assert_eq!(names(&doc, "schemas"), ["Store"]);
    }

    #[test]
    fn an_empty_filter_changes_nothing() {
        let mut doc = document();
        Filter::default().apply(&mut doc, &document());
        assert_eq!(doc, document());
    }
}
