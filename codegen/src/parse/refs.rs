//! `$ref`s to places anywhere in the document, not only `#/components/<section>/<name>`: JSON
//! pointers (RFC 6901, in a percent-encoded URI fragment), what they may point at, and the name
//! the place of a referenced schema suggests.
//!
//! A schema referenced where it is written (`#/paths/~1pets/get/responses/200/content/…/schema`,
//! `#/components/schemas/Pet/properties/owner`) becomes a schema of its own, keyed by its
//! pointer in [`Spec::schemas`](super::Spec::schemas) beside the components (whose names never
//! start with `#/`, see `components`): every `$ref` to it, and the place itself, is then a
//! [`Kind::Ref`] to that key, so one target is one type, named once by `lower` from
//! [`Spec::schema_names`](super::Spec::schema_names).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Kind, Parser, Schema};
use crate::error::Pointer;

/// A local reference, decoded: its tokens, and the canonical pointer they write.
pub(crate) struct Target {
    pub tokens: Vec<String>,
    pub pointer: Pointer,
}

/// Decodes a `$ref` (or a discriminator mapping's value) into the tokens of a JSON pointer into
/// this document: the fragment is percent-decoded, then split at `/` and unescaped (`~1` is
/// `/`, `~0` is `~`). `Err` says why it is not one.
pub(crate) fn local(reference: &str) -> Result<Target, String> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(format!(
            "unsupported reference `{reference}`: only references inside the document (`#/…`) are read"
        ));
    };
    let fragment = percent_encoding::percent_decode_str(fragment)
        .decode_utf8()
        .map_err(|_| format!("the reference `{reference}` is not UTF-8 once percent-decoded"))?;
    if fragment.is_empty() {
        return Err(format!("`$ref` to `{reference}`, the whole document, which is not a schema"));
    }
    let Some(rest) = fragment.strip_prefix('/') else {
        return Err(format!("unsupported reference `{reference}`: expected a JSON pointer (`#/…`)"));
    };
    let tokens: Vec<String> = rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let pointer = tokens.iter().fold(Pointer::root(), |at, token| at.join(token));
    Ok(Target { tokens, pointer })
}

/// The value at `tokens` in `document`, if there is one.
pub(crate) fn lookup<'d>(document: &'d Value, tokens: &[String]) -> Option<&'d Value> {
    tokens.iter().try_fold(document, |value, token| match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Whether `tokens` lead to a schema: a component schema, the `schema` of a parameter, a
/// header or a media type, or a schema keyword's subschema below one of them.
pub(super) fn is_schema(tokens: &[String]) -> bool {
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let start = match tokens.as_slice() {
        ["components", "schemas", _, ..] => 3,
        _ => match (2..tokens.len())
            .find(|i| tokens[*i] == "schema" && matches!(tokens[*i - 2], "parameters" | "content" | "headers"))
        {
            Some(i) => i + 1,
            None => return false,
        },
    };
    let mut rest = &tokens[start..];
    loop {
        rest = match rest {
            [] => return true,
            ["properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas", _, rest @ ..] => rest,
            ["allOf" | "anyOf" | "oneOf" | "prefixItems", index, rest @ ..] if index.parse::<usize>().is_ok() => rest,
            [
                "items"
                | "additionalProperties"
                | "not"
                | "contains"
                | "if"
                | "then"
                | "else"
                | "propertyNames"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema",
                rest @ ..,
            ] => rest,
            _ => return false,
        };
    }
}

/// Whether `tokens` lead to an object of a `components` `section` elsewhere than under
/// `components`: a parameter in a `parameters` list, a response in a `responses` map, an
/// operation's `requestBody`. Security schemes live under `components` only.
pub(super) fn is_section_object(tokens: &[String], section: &str) -> bool {
    let len = tokens.len();
    let parent = len.checked_sub(2).and_then(|i| tokens.get(i)).map(String::as_str);
    match section {
        "parameters" | "responses" => parent == Some(section),
        "requestBodies" => tokens.last().is_some_and(|t| t == "requestBody"),
        _ => false,
    }
}

/// Every local reference to a schema outside `components/schemas/<name>` in `document`, by
/// canonical pointer: the places that become schemas of their own. Found before parsing, so
/// that a place parsed before a `$ref` to it is read is already one.
pub(super) fn schema_targets(document: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref")
                    && let Ok(target) = local(reference)
                    && !is_component(&target.tokens)
                    && is_schema(&target.tokens)
                {
                    out.insert(target.pointer.to_string());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(document, &mut out);
    out
}

/// Whether `tokens` name a component schema itself: `components/schemas/<name>`.
pub(super) fn is_component(tokens: &[String]) -> bool {
    matches!(tokens, [c, s, _] if c == "components" && s == "schemas")
}

impl<'d> Parser<'d> {
    /// The key of the schema a `$ref` (or mapping value) `reference` names: a component's name,
    /// or for any other schema of the document its canonical pointer, which is then parsed as a
    /// schema of its own (see [`Parser::referenced_schemas`]). Errors are reported at `at`.
    pub(super) fn schema_key(&mut self, reference: &str, at: &Pointer) -> Option<String> {
        let target = match local(reference) {
            Ok(target) => target,
            Err(message) => {
                self.errors.push(at.as_str(), message);
                return None;
            }
        };
        if is_component(&target.tokens) {
            return target.tokens.into_iter().nth(2);
        }
        if lookup(self.document, &target.tokens).is_none() {
            self.errors.push(at.as_str(), format!("`$ref` to nothing: there is no `{}`", target.pointer));
            return None;
        }
        if !is_schema(&target.tokens) {
            self.errors.push(
                at.as_str(),
                format!(
                    "`$ref` to `{reference}`, which is not a schema (one under `components/schemas`, a \
                     parameter's, header's or media type's `schema`, or a subschema of one)"
                ),
            );
            return None;
        }
        let key = target.pointer.to_string();
        self.targets.insert(key.clone());
        self.referenced.entry(key.clone()).or_insert(target.tokens);
        Some(key)
    }

    /// A place other schemas reference: a [`Kind::Ref`] to it, with the place's annotations (as
    /// a `$ref` with a `description` beside it has), so that the field or parameter it is keeps
    /// its docs and flags.
    pub(super) fn referenced_place(&mut self, value: &Value, at: &Pointer) -> Option<Schema> {
        let key = at.to_string();
        // The pointer's own tokens: it is canonical, not a URI fragment to percent-decode.
        let tokens = key.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
        self.referenced.entry(key.clone()).or_insert(tokens);
        let mut schema = super::schemas::bare(Kind::Ref(key), at);
        if let Value::Object(map) = value {
            schema.description = self.opt_text(map, "description", at);
            schema.deprecated = self.opt_bool(map, "deprecated", at);
            schema.read_only = self.opt_bool(map, "readOnly", at);
            schema.write_only = self.opt_bool(map, "writeOnly", at);
            schema.default = map.get("default").cloned();
        }
        Some(schema)
    }

    /// Parses every schema referenced outside `components/schemas` (parsing one may reference
    /// more), and the name each place suggests.
    pub(super) fn referenced_schemas(
        &mut self,
        schemas: &mut BTreeMap<String, Schema>,
        names: &mut BTreeMap<String, String>,
    ) {
        let mut done = BTreeSet::new();
        while let Some((key, tokens)) =
            self.referenced.iter().find(|(key, _)| !done.contains(*key)).map(|(k, t)| (k.clone(), t.clone()))
        {
            done.insert(key.clone());
            let Some(value) = lookup(self.document, &tokens) else { continue };
            let at = tokens.iter().fold(Pointer::root(), |at, token| at.join(token));
            names.insert(key.clone(), place_name(self.document, &tokens));
            if let Some(schema) = self.contained(value, &at, |parser| parser.schema_here(value, &at)) {
                schemas.insert(key, schema);
            }
        }
    }
}

/// The words that name the schema at `tokens` after its place: the component or operation it
/// is in (an operation by its `operationId`, else its method and path), then what each step
/// down says (`Response`, `Error401`, `Body`, a parameter's or property's name, `Item`,
/// `Value`, `Variant1`…). `lower` turns them into one UpperCamelCase name and numbers it if it
/// is taken.
pub(super) fn place_name(document: &Value, tokens: &[String]) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut rest: &[String] = tokens;
    match tokens {
        [components, _, name, tail @ ..] if components == "components" => {
            words.push(name.clone());
            rest = tail;
        }
        [paths, path, method, tail @ ..]
            if (paths == "paths" || paths == "webhooks")
                && super::operations::HTTP_METHODS.contains(&method.as_str()) =>
        {
            let operation = lookup(document, &tokens[..3]);
            match operation.and_then(|op| op.get("operationId")).and_then(Value::as_str) {
                Some(id) => words.push(id.to_owned()),
                None => {
                    words.push(method.clone());
                    for segment in path.split('/').filter(|s| !s.is_empty()) {
                        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                            Some(name) => words.push(format!("by {name}")),
                            None => words.push(segment.to_owned()),
                        }
                    }
                }
            }
            rest = tail;
        }
        [paths, path, tail @ ..] if paths == "paths" => {
            words.extend(path.split(['/', '{', '}']).filter(|s| !s.is_empty()).map(str::to_owned));
            rest = tail;
        }
        _ => {}
    }
    let mut i = 0;
    while i < rest.len() {
        let token = rest[i].as_str();
        let next = rest.get(i + 1).map(String::as_str);
        let step = match (token, next) {
            ("responses", Some(status)) => {
                i += 1;
                match status {
                    "200" | "2XX" | "2xx" | "default" => "Response".to_owned(),
                    s if s.starts_with('2') => format!("Response{s}"),
                    s => format!("Error{s}"),
                }
            }
            ("parameters", Some(index)) => {
                i += 1;
                let parameter = lookup(document, &tokens[..tokens.len() - rest.len() + i + 1]);
                match parameter.and_then(|p| p.get("name")).and_then(Value::as_str) {
                    Some(name) => name.to_owned(),
                    None => format!("Parameter{index}"),
                }
            }
            ("content" | "headers" | "properties" | "$defs" | "definitions" | "patternProperties", Some(name)) => {
                i += 1;
                if token == "content" { String::new() } else { name.to_owned() }
            }
            ("allOf", Some(_)) => {
                // The members of an `allOf` are merged into the schema that has it.
                i += 1;
                String::new()
            }
            ("anyOf" | "oneOf", Some(index)) => {
                i += 1;
                format!("Variant{index}")
            }
            ("prefixItems", Some(_)) => {
                i += 1;
                "Item".to_owned()
            }
            ("requestBody", _) => "Body".to_owned(),
            ("items", _) => "Item".to_owned(),
            ("additionalProperties", _) => "Value".to_owned(),
            ("schema", _) => String::new(),
            (other, _) => other.to_owned(),
        };
        if !step.is_empty() {
            words.push(step);
        }
        i += 1;
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn tokens(pointer: &str) -> Vec<String> {
        local(pointer).map(|t| t.tokens).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn references_are_percent_decoded_and_unescaped() {
        let target = local("#/paths/~1api~1monsters~1%7Bindex%7D/get/x~0y").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(target.tokens, ["paths", "/api/monsters/{index}", "get", "x~y"]);
        assert_eq!(target.pointer.as_str(), "#/paths/~1api~1monsters~1{index}/get/x~0y");
        assert!(local("other.json#/A").is_err());
        assert!(local("#").is_err());
        assert!(local("#anchor").is_err());
    }

    #[test]
    fn schema_places() {
        for place in [
            "#/components/schemas/A",
            "#/components/schemas/A/allOf/3/properties/actions/items",
            "#/paths/~1a/get/responses/401/content/application~1json/schema",
            "#/paths/~1a/get/parameters/0/schema/items",
            "#/components/parameters/P/schema",
            "#/components/responses/R/headers/X-Rate/schema/oneOf/1",
        ] {
            assert!(is_schema(&tokens(place)), "{place}");
        }
        for place in [
            "#/components/schemas",
            "#/paths/~1a/get/responses/401",
            "#/components/schemas/A/properties",
            "#/components/schemas/A/allOf/x",
            "#/paths/~1a/get/responses/401/content/application~1json/example",
        ] {
            assert!(!is_schema(&tokens(place)), "{place}");
        }
    }

    #[test]
    fn places_name_their_schemas() {
        let document = json!({"paths": {
            "/v2/1-clicks": {"get": {"operationId": "oneClicks_list", "parameters": [{"name": "per_page"}]}},
            "/pets/{id}": {"post": {}}
        }});
        let name = |pointer: &str| place_name(&document, &tokens(pointer));
        assert_eq!(
            name("#/paths/~1v2~11-clicks/get/responses/401/content/application~1json/schema"),
            "oneClicks_list Error401"
        );
        assert_eq!(name("#/paths/~1v2~11-clicks/get/parameters/0/schema"), "oneClicks_list per_page");
        assert_eq!(
            name("#/paths/~1pets~1{id}/post/requestBody/content/application~1json/schema/items"),
            "post pets by id Body Item"
        );
        assert_eq!(name("#/components/schemas/Monster/allOf/3/properties/actions/items"), "Monster actions Item");
        assert_eq!(
            name("#/components/responses/NotFound/content/application~1json/schema/oneOf/1"),
            "NotFound Variant1"
        );
    }
}
