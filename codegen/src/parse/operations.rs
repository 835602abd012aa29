//! `paths`: path templates, operations, parameters, request bodies, responses and pagination.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::schemas::bare;
use super::{
    BodySpec, Content, EncodingSpec, FormEncodingSpec, Kind, OperationSpec, ParamLocation, ParamSpec, ParamStyle,
    Parser, ResponseSpec, Schema, SchemeSpec,
};
use crate::error::Pointer;

/// The methods a path item names with a field of its own (`query` since OpenAPI 3.2).
pub(crate) const HTTP_METHODS: &[&str] =
    &["delete", "get", "head", "options", "patch", "post", "put", "query", "trace"];

impl<'d> Parser<'d> {
    pub(super) fn paths(
        &mut self,
        doc: &'d Map<String, Value>,
        root: &Pointer,
        schemes: &BTreeMap<String, SchemeSpec>,
        security: &[Vec<String>],
    ) -> Vec<OperationSpec> {
        let mut operations = Vec::new();
        let at = root.join("paths");
        // OpenAPI 3.1 makes `paths` optional (a document of webhooks or components only).
        let Some(paths) = doc.get("paths") else { return operations };
        let Some(paths) = self.object(paths, &at) else { return operations };
        for (path, item) in paths {
            // The Paths Object admits extensions beside the paths.
            if path.starts_with("x-") {
                continue;
            }
            let at = at.join(path);
            // A path the generator cannot read leaves its operations out, not the document.
            let mark = self.errors.mark();
            let path = match path.starts_with('/') {
                true => path.clone(),
                false => {
                    self.errors
                        .warn(at.as_str(), format!("expected a path starting with `/`; it is read as `/{path}`"));
                    format!("/{path}")
                }
            };
            if let Err(problem) = check_template(&path) {
                self.errors.push(at.as_str(), problem);
            }
            let (item, item_at) = match item.get("$ref") {
                Some(reference) => match self.path_item_ref(reference, &at.join("$ref")) {
                    Some(found) => found,
                    None => (item, at.clone()),
                },
                None => (item, at.clone()),
            };
            let item = self.object(item, &item_at);
            if self.errors.contain(mark, "the operations of this path are left out of the crate") {
                continue;
            }
            let Some(item) = item else { continue };
            let at = item_at;
            let shared = match item.get("parameters") {
                Some(list) => self.params(list, &at.join("parameters")),
                None => Vec::new(),
            };
            let additional = self.additional_operations(item, &at);
            let fixed = item.iter().filter(|(key, _)| key.as_str() != "additionalOperations");
            let fixed = fixed.map(|(key, op)| (key, op, at.join(key), false));
            for (key, operation, op_at, is_additional) in fixed.chain(additional) {
                if key.starts_with("x-")
                    || matches!(key.as_str(), "summary" | "description" | "servers" | "parameters" | "$ref")
                {
                    continue;
                }
                if !HTTP_METHODS.contains(&key.as_str()) && !is_additional {
                    self.errors.warn(
                        at.join(key).as_str(),
                        format!(
                            "unknown path item key `{key}` (not an HTTP method of OpenAPI 3.0 or 3.1); it is ignored"
                        ),
                    );
                    continue;
                }
                let mark = self.errors.mark();
                let context = OperationContext { path: &path, method: key, shared: &shared, schemes, security };
                let op = self.operation(&context, operation, &op_at);
                if self.errors.contain(mark, "this operation is left out of the crate") {
                    continue;
                }
                operations.extend(op);
            }
        }
        operations
    }

    /// The path item a path item's `$ref` names (in `components/pathItems` or under another
    /// path), with where it is written.
    fn path_item_ref(&mut self, reference: &'d Value, at: &Pointer) -> Option<(&'d Value, Pointer)> {
        let reference = self.string(reference, at)?;
        let target = match super::refs::local(&reference) {
            Ok(target) => target,
            Err(message) => {
                self.errors.push(at.as_str(), message);
                return None;
            }
        };
        match super::refs::lookup(self.document, &target.tokens) {
            Some(found) if found.get("$ref").is_none() => Some((found, target.pointer)),
            Some(_) => {
                self.errors
                    .push(at.as_str(), format!("`$ref` to `{reference}`, itself a `$ref` (a chain of path items)"));
                None
            }
            None => {
                self.errors.push(at.as_str(), format!("`$ref` to nothing: there is no `{}`", target.pointer));
                None
            }
        }
    }

    fn params(&mut self, list: &'d Value, at: &Pointer) -> Vec<ParamSpec> {
        let mut params: Vec<ParamSpec> = Vec::new();
        let Value::Array(list) = list else {
            self.expected(at, "an array of parameters", list);
            return params;
        };
        for (i, param) in list.iter().enumerate() {
            if let Some(p) = self.param(param, &at.join(i)) {
                if let Some(first) = params.iter().find(|q| q.name == p.name && q.location == p.location) {
                    self.errors.push(
                        p.pointer.as_str(),
                        format!("the parameter `{}` is declared twice (first at {})", p.name, first.pointer),
                    );
                    continue;
                }
                params.push(p);
            }
        }
        params
    }

    fn operation(&mut self, cx: &OperationContext<'_>, value: &'d Value, at: &Pointer) -> Option<OperationSpec> {
        let op = self.object(value, at)?;
        for key in op.keys() {
            let known = matches!(
                key.as_str(),
                "operationId"
                    | "tags"
                    | "summary"
                    | "description"
                    | "parameters"
                    | "responses"
                    | "deprecated"
                    | "security"
                    | "externalDocs"
                    | "callbacks"
                    | "servers"
                    | "requestBody"
            );
            if !known && !key.starts_with("x-") {
                self.errors.warn(
                    at.join(key).as_str(),
                    format!("`{key}` is no keyword of an OpenAPI operation; it is ignored"),
                );
            }
        }
        let operation_id = op.get("operationId").and_then(|v| self.string(v, &at.join("operationId")));
        let tag = match op.get("tags") {
            Some(Value::Array(tags)) => tags.first().and_then(|t| self.string(t, &at.join("tags").join(0))),
            Some(other) => {
                self.expected(&at.join("tags"), "an array of tag names", other);
                None
            }
            None => None,
        };
        let summary = self.opt_text(op, "summary", at);
        let description = self.opt_text(op, "description", at);
        let deprecated = self.opt_bool(op, "deprecated", at);
        // Path-level parameters first; an operation's parameter of the same name and location
        // replaces it.
        let own = match op.get("parameters") {
            Some(list) => self.params(list, &at.join("parameters")),
            None => Vec::new(),
        };
        let mut params: Vec<ParamSpec> = cx
            .shared
            .iter()
            .filter(|p| !own.iter().any(|o| o.name == p.name && o.location == p.location))
            .cloned()
            .collect();
        params.extend(own);
        let security = match op.get("security") {
            Some(value) => self.requirements(value, &at.join("security"), cx.schemes),
            None => cx.security.to_vec(),
        };
        // OpenAPI 3.1 makes `responses` optional: without it, no body is promised.
        let (success, errors) = match op.get("responses") {
            Some(responses) => self.responses(responses, &at.join("responses")),
            None => (Vec::new(), Vec::new()),
        };
        let body = op.get("requestBody").and_then(|b| self.body(b, &at.join("requestBody")));
        let pagination = self.pagination(op, at);
        Some(OperationSpec {
            pointer: at.clone(),
            path: cx.path.to_owned(),
            method: cx.method.to_owned(),
            operation_id,
            tag,
            security,
            summary,
            description,
            deprecated,
            params,
            body,
            success,
            errors,
            pagination,
        })
    }

    fn param(&mut self, value: &'d Value, at: &Pointer) -> Option<ParamSpec> {
        let (value, at) = self.resolve(value, at.clone(), "parameters")?;
        let at = &at;
        let param = self.object(value, at)?;
        self.check_param_keys(param, at);
        let name = match param.get("name") {
            Some(v) => self.string(v, &at.join("name")),
            None => {
                self.errors.push(at.as_str(), "expected a parameter `name`");
                None
            }
        };
        let location = self.param_location(param, at);
        let style = self.param_style(param, location, at);
        let explode = match param.get("explode") {
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.expected(&at.join("explode"), "a boolean", other);
                false
            }
            None => style == Some(ParamStyle::Form),
        };
        let allow_reserved = self.opt_bool(param, "allowReserved", at);
        let required = self.opt_bool(param, "required", at);
        if location == Some(ParamLocation::Path) && !required {
            self.errors.push(at.as_str(), "a path parameter must have `required: true`");
        }
        let description = self.opt_text(param, "description", at);
        let example = param
            .get("example")
            .or_else(|| param.get("examples").and_then(Value::as_object).and_then(|m| m.values().next()?.get("value")))
            .or_else(|| {
                let schema = param.get("schema")?;
                schema.get("example").or_else(|| schema.get("examples")?.get(0))
            })
            .cloned();
        let (schema, json) = match (param.get("schema"), param.get("content")) {
            (Some(s), None) => (self.schema(s, &at.join("schema")), false),
            (None, Some(content)) => (self.param_content(content, location, &at.join("content")), true),
            (Some(_), Some(_)) => {
                self.errors.push(at.as_str(), "a parameter has a `schema` or a `content`, not both");
                (None, false)
            }
            (None, None) => {
                self.errors.push(at.as_str(), "expected a parameter `schema` (or `content`)");
                (None, false)
            }
        };
        Some(ParamSpec {
            pointer: at.clone(),
            name: name?,
            location: location?,
            style: style?,
            explode,
            // Defined for `schema` only: a JSON text is encoded as any other value.
            allow_reserved: allow_reserved && !json,
            json,
            required,
            description,
            schema: schema?,
            example,
        })
    }

    /// Refuses a parameter's keywords that change how it is sent and that the generator does not
    /// support.
    fn check_param_keys(&mut self, param: &Map<String, Value>, at: &Pointer) {
        for key in param.keys() {
            let known = matches!(
                key.as_str(),
                "name"
                    | "in"
                    | "required"
                    | "schema"
                    | "description"
                    | "deprecated"
                    | "example"
                    | "examples"
                    | "allowEmptyValue"
                    | "explode"
                    | "style"
                    | "allowReserved"
                    | "content"
            );
            if !known && !key.starts_with("x-") {
                self.errors.push(
                    at.join(key).as_str(),
                    format!("unsupported parameter keyword `{key}`: it changes how the parameter is sent"),
                );
            }
        }
    }

    /// A parameter's `content`, used instead of `schema`: one media type, whose `schema` types the
    /// value, sent as that media type's text. JSON is read (the value as its JSON text, in the
    /// query, a header or a cookie); `style`, `explode` and `allowReserved`, which OpenAPI defines
    /// for `schema` only, do not apply.
    fn param_content(&mut self, value: &Value, location: Option<ParamLocation>, at: &Pointer) -> Option<Schema> {
        let content = self.object(value, at)?;
        let mut entries = content.iter();
        let (Some((media, item)), None) = (entries.next(), entries.next()) else {
            self.errors.push(at.as_str(), "expected exactly one media type in a parameter's `content`");
            return None;
        };
        let item_at = at.join(media);
        if !is_json_media_type(media) {
            self.errors.push(
                item_at.as_str(),
                format!("unsupported: a parameter sent as `{media}`; only JSON media types are supported"),
            );
            return None;
        }
        if location == Some(ParamLocation::Path) {
            self.errors
                .push(at.as_str(), "unsupported: a path parameter sent as JSON text; describe it with a `schema`");
            return None;
        }
        let item = self.object(item, &item_at)?;
        for key in item.keys() {
            if !matches!(key.as_str(), "schema" | "example" | "examples") && !key.starts_with("x-") {
                self.errors.push(item_at.join(key).as_str(), format!("unknown media type key `{key}`"));
            }
        }
        match item.get("schema") {
            Some(schema) => self.schema(schema, &item_at.join("schema")),
            None => Some(bare(Kind::Any, &item_at.join("schema"))),
        }
    }

    /// A parameter's `in`.
    fn param_location(&mut self, param: &Map<String, Value>, at: &Pointer) -> Option<ParamLocation> {
        match param.get("in").and_then(Value::as_str) {
            Some("path") => Some(ParamLocation::Path),
            Some("query") => Some(ParamLocation::Query),
            Some("header") => Some(ParamLocation::Header),
            Some("cookie") => Some(ParamLocation::Cookie),
            Some(other) => {
                self.errors.push(
                    at.join("in").as_str(),
                    format!("unknown parameter location `{other}`: expected `path`, `query`, `header` or `cookie`"),
                );
                None
            }
            None => {
                self.errors.push(at.as_str(), "expected `in`: `path`, `query`, `header` or `cookie`");
                None
            }
        }
    }

    /// A parameter's `style`, defaulted by its location, and checked against it.
    fn param_style(
        &mut self,
        param: &Map<String, Value>,
        location: Option<ParamLocation>,
        at: &Pointer,
    ) -> Option<ParamStyle> {
        match (location, param.get("style")) {
            (_, Some(style)) => {
                let style_at = at.join("style");
                let style = self.string(style, &style_at);
                match (location, style.as_deref()) {
                    (Some(ParamLocation::Query), Some("form")) | (Some(ParamLocation::Cookie), Some("form")) => {
                        Some(ParamStyle::Form)
                    }
                    (Some(ParamLocation::Query), Some("spaceDelimited")) => Some(ParamStyle::SpaceDelimited),
                    (Some(ParamLocation::Query), Some("pipeDelimited")) => Some(ParamStyle::PipeDelimited),
                    (Some(ParamLocation::Query), Some("deepObject")) => Some(ParamStyle::DeepObject),
                    (Some(ParamLocation::Path | ParamLocation::Header), Some("simple")) => Some(ParamStyle::Simple),
                    (Some(ParamLocation::Path), Some("label")) => Some(ParamStyle::Label),
                    (Some(ParamLocation::Path), Some("matrix")) => Some(ParamStyle::Matrix),
                    (_, Some(other)) => {
                        self.errors.push(
                            style_at.as_str(),
                            format!("unsupported parameter style `{other}` for this location"),
                        );
                        None
                    }
                    (_, None) => None,
                }
            }
            (Some(ParamLocation::Query | ParamLocation::Cookie), None) => Some(ParamStyle::Form),
            (_, None) => Some(ParamStyle::Simple),
        }
    }

    /// An operation's `requestBody` (followed through `components/requestBodies`): every media
    /// type it declares, the JSON one first.
    fn body(&mut self, value: &'d Value, at: &Pointer) -> Option<BodySpec> {
        let (value, at) = self.resolve(value, at.clone(), "requestBodies")?;
        let body = self.object(value, &at)?;
        for key in body.keys() {
            if !matches!(key.as_str(), "description" | "content" | "required") && !key.starts_with("x-") {
                self.errors.push(at.join(key).as_str(), format!("unknown request body key `{key}`"));
            }
        }
        let required = self.opt_bool(body, "required", &at);
        let description = self.opt_text(body, "description", &at);
        let Some(content) = body.get("content") else {
            self.errors.push(at.as_str(), "expected the request body's `content`");
            return None;
        };
        let content_at = at.join("content");
        let content = self.object(content, &content_at)?;
        let mut parsed = Vec::new();
        for (media, item) in content {
            if let Some(c) = self.content(media, item, &content_at.join(media), true) {
                parsed.push((media.clone(), c));
            }
        }
        if parsed.is_empty() {
            self.errors.push(content_at.as_str(), "expected at least one media type for the request body");
            return None;
        }
        // JSON first (stable otherwise: media types are sorted), since it is the default.
        parsed.sort_by_key(|(_, c)| !matches!(c, Content::Json(_)));
        Some(BodySpec { pointer: at, required, description, content: parsed })
    }

    /// One media type of a body. A `schema` is read for JSON, form and multipart bodies; text and
    /// byte bodies are sent and received as they are, whatever their schema says. A multipart
    /// request body's `encoding` is read too.
    fn content(&mut self, media: &str, value: &Value, at: &Pointer, request: bool) -> Option<Content> {
        let item = self.object(value, at)?;
        let multipart = request && is_media(media, "multipart/form-data");
        for key in item.keys() {
            let form = request && is_media(media, "application/x-www-form-urlencoded");
            let known =
                matches!(key.as_str(), "schema" | "example" | "examples") || (key == "encoding" && (multipart || form));
            if !known && !key.starts_with("x-") {
                let message = if key == "encoding" {
                    "unsupported: an `encoding` changes how form fields are sent".to_owned()
                } else {
                    format!("unknown media type key `{key}`")
                };
                self.errors.push(at.join(key).as_str(), message);
            }
        }
        let structured =
            is_json_media_type(media) || multipart || (request && is_media(media, "application/x-www-form-urlencoded"));
        if !structured {
            let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            return Some(if essence.starts_with("text/") { Content::Text } else { Content::Bytes });
        }
        let schema = match item.get("schema") {
            Some(schema) => self.schema(schema, &at.join("schema"))?,
            None if is_json_media_type(media) => bare(Kind::Any, &at.join("schema")),
            None => {
                self.errors.push(at.as_str(), "expected a `schema` for the form fields");
                return None;
            }
        };
        Some(if is_json_media_type(media) {
            Content::Json(schema)
        } else if multipart {
            let encoding = match item.get("encoding") {
                Some(encoding) => self.encoding(encoding, &at.join("encoding")),
                None => BTreeMap::new(),
            };
            Content::Multipart(schema, encoding)
        } else {
            let encoding = match item.get("encoding") {
                Some(encoding) => self.form_encoding(encoding, &at.join("encoding")),
                None => BTreeMap::new(),
            };
            Content::Form(schema, encoding)
        })
    }

    /// A form body's `encoding`: per property, its `style` (`form`, `spaceDelimited`,
    /// `pipeDelimited`, `deepObject`) and `explode` (true by default for `form`, as for query
    /// parameters). `contentType` needs nothing more: a structured value is written as JSON text
    /// unless a style says otherwise, and a scalar as its text. `allowReserved` changes nothing a
    /// server reads (percent-encoded reserved characters decode alike) and `headers` are for
    /// multipart parts only, as OpenAPI says.
    fn form_encoding(&mut self, value: &Value, at: &Pointer) -> BTreeMap<String, FormEncodingSpec> {
        let mut encoding = BTreeMap::new();
        let Some(map) = self.object(value, at) else { return encoding };
        for (property, entry) in map {
            let at = at.join(property);
            let Some(entry) = self.object(entry, &at) else { continue };
            for key in entry.keys() {
                if !matches!(key.as_str(), "contentType" | "headers" | "style" | "explode" | "allowReserved")
                    && !key.starts_with("x-")
                {
                    self.errors.warn(at.join(key).as_str(), format!("unknown encoding key `{key}`; it is ignored"));
                }
            }
            let style = match entry.get("style") {
                None => ParamStyle::Form,
                Some(Value::String(style)) => match style.as_str() {
                    "form" => ParamStyle::Form,
                    "spaceDelimited" => ParamStyle::SpaceDelimited,
                    "pipeDelimited" => ParamStyle::PipeDelimited,
                    "deepObject" => ParamStyle::DeepObject,
                    other => {
                        self.errors.warn(
                            at.join("style").as_str(),
                            format!("`{other}` is no style of a form field; the field is written as `form`"),
                        );
                        ParamStyle::Form
                    }
                },
                Some(other) => {
                    self.expected(&at.join("style"), "a style name", other);
                    continue;
                }
            };
            let explode = match entry.get("explode") {
                None => style == ParamStyle::Form,
                Some(Value::Bool(explode)) => *explode,
                Some(other) => {
                    self.expected(&at.join("explode"), "a boolean", other);
                    continue;
                }
            };
            encoding.insert(property.clone(), FormEncodingSpec { style, explode });
        }
        encoding
    }

    /// A multipart body's `encoding`: per property, the `contentType` of its parts. What else an
    /// entry can say changes the parts in ways the generator does not write (extra part headers;
    /// `style`, `explode` and `allowReserved`, which OpenAPI 3.1.1 applies to multipart bodies
    /// and earlier versions do not), and is refused.
    fn encoding(&mut self, value: &Value, at: &Pointer) -> BTreeMap<String, EncodingSpec> {
        let mut encoding = BTreeMap::new();
        let Some(map) = self.object(value, at) else { return encoding };
        for (property, entry) in map {
            let at = at.join(property);
            let Some(entry) = self.object(entry, &at) else { continue };
            for (key, value) in entry {
                let problem = match key.as_str() {
                    "contentType" => continue,
                    _ if key.starts_with("x-") => continue,
                    // A `Content-Type` among the headers is ignored, as OpenAPI says: `contentType` gives it.
                    "headers"
                        if value.as_object().is_some_and(|headers| {
                            headers.keys().all(|name| name.eq_ignore_ascii_case("content-type"))
                        }) =>
                    {
                        continue;
                    }
                    "headers" => {
                        "unsupported: part `headers` other than `Content-Type` are not sent; leave them out".to_owned()
                    }
                    "style" | "explode" | "allowReserved" => format!(
                        "unsupported: `{key}` in a multipart `encoding`; each property is sent as one part (a list \
                         as one part per item), values as text, objects as JSON"
                    ),
                    _ => format!("unknown encoding key `{key}`"),
                };
                self.errors.push(at.join(key).as_str(), problem);
            }
            let content_type = self.opt_string(entry, "contentType", &at);
            if let Some(media) = &content_type
                && !media.split(',').all(is_media_range)
            {
                self.errors.push(
                    at.join("contentType").as_str(),
                    format!(
                        "`{media}` is not a media type (`type/subtype`, optionally with parameters) or a \
                         comma-separated list of them"
                    ),
                );
                continue;
            }
            encoding.insert(property.clone(), EncodingSpec { pointer: at, content_type });
        }
        encoding
    }

    /// The operation's responses: the success ones (every 2xx, or `default` when none is
    /// declared) and the error ones with a JSON body. Every response's `$ref` is resolved, so a
    /// dangling one is reported even where it is not read. A response with several media types
    /// is read by its JSON one.
    fn responses(&mut self, value: &'d Value, at: &Pointer) -> (Vec<ResponseSpec>, Vec<ResponseSpec>) {
        let (mut success, mut errors) = (Vec::new(), Vec::new());
        let Some(responses) = self.object(value, at) else { return (success, errors) };
        let any_success = responses.keys().any(|status| is_success(status));
        for (status, response) in responses {
            if status.starts_with("x-") {
                continue;
            }
            let status_ok = status == "default"
                || (status.len() == 3
                    && (status.bytes().all(|b| b.is_ascii_digit())
                        || status[1..].eq_ignore_ascii_case("XX")
                            && matches!(&status[..1], "1" | "2" | "3" | "4" | "5")));
            if !status_ok {
                self.errors.push(at.join(status).as_str(), format!("`{status}` is not a response status"));
                continue;
            }
            let Some((response, response_at)) = self.resolve(response, at.join(status), "responses") else {
                continue;
            };
            let Some(response) = self.object(response, &response_at) else { continue };
            for key in response.keys() {
                if !matches!(key.as_str(), "description" | "headers" | "content" | "links") && !key.starts_with("x-") {
                    self.errors.push(response_at.join(key).as_str(), format!("unknown response key `{key}`"));
                }
            }
            let mut stream = None;
            let content = match response.get("content") {
                None => None,
                Some(content) => {
                    let content_at = response_at.join("content");
                    let Some(map) = self.object(content, &content_at) else { continue };
                    // A streamed media type is read by `stream`, and never as the whole body.
                    if is_success(status) || (status == "default" && !any_success) {
                        stream = self.stream(map, &content_at);
                    }
                    let chosen = map
                        .iter()
                        .filter(|(media, _)| super::streams::framing(media).is_none())
                        .find(|(media, _)| is_json_media_type(media))
                        .or_else(|| {
                            map.iter()
                                .filter(|(media, _)| super::streams::framing(media).is_none())
                                .find(|(media, _)| !is_media(media, "*/*"))
                        })
                        .or_else(|| map.iter().find(|(media, _)| super::streams::framing(media).is_none()));
                    match chosen {
                        None => None,
                        Some((media, item)) => self.content(media, item, &content_at.join(media), false),
                    }
                }
            };
            let headers = response.get("headers").and_then(Value::as_object);
            let headers = headers.map(|h| h.keys().cloned().collect()).unwrap_or_default();
            let spec = ResponseSpec { status: status.clone(), pointer: response_at, content, stream, headers };
            if is_success(status) || (status == "default" && !any_success) {
                success.push(spec);
            } else if status.starts_with(['4', '5']) || status == "default" {
                errors.push(spec);
            }
        }
        (success, errors)
    }
}

/// Checks that every `{` of a path template is closed by a `}` before the next brace, around a
/// non-empty name: anything else would build a wrong URL.
fn check_template(path: &str) -> Result<(), String> {
    let mut open = None;
    for (i, c) in path.char_indices() {
        match (c, open) {
            ('{', None) => open = Some(i),
            ('{', Some(_)) => {
                return Err(format!("unbalanced braces in the path: a `{{` inside a placeholder at byte {i}"));
            }
            ('}', None) => return Err(format!("unbalanced braces in the path: a `}}` without a `{{` at byte {i}")),
            ('}', Some(start)) if start + 1 == i => {
                return Err(format!("an empty placeholder `{{}}` in the path at byte {start}"));
            }
            ('}', Some(_)) => open = None,
            _ => {}
        }
    }
    match open {
        Some(start) => Err(format!("unbalanced braces in the path: the `{{` at byte {start} is never closed")),
        None => Ok(()),
    }
}

/// Context an operation inherits from its path item and the document.
struct OperationContext<'a> {
    path: &'a str,
    method: &'a str,
    shared: &'a [ParamSpec],
    schemes: &'a BTreeMap<String, SchemeSpec>,
    security: &'a [Vec<String>],
}

fn is_success(status: &str) -> bool {
    status.len() == 3 && status.starts_with('2') || status.eq_ignore_ascii_case("2XX")
}

/// Whether `media`'s essence (without parameters) is `essence`.
fn is_media(media: &str, essence: &str) -> bool {
    media.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case(essence)
}

/// Whether `media` is a media type or range (`image/png`, `text/plain; charset=utf-8`, `image/*`)
/// that can be written in a header: a type and a subtype of token characters, then parameters
/// of visible ASCII.
fn is_media_range(media: &str) -> bool {
    let media = media.trim();
    let (essence, _) = media.split_once(';').unwrap_or((media, ""));
    let token =
        |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    let header_text = media.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
    header_text && essence.trim().split_once('/').is_some_and(|(kind, sub)| token(kind) && token(sub))
}

pub(crate) fn is_json_media_type(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
}
