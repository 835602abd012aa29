//! Operations → resources and methods: parameters, bodies, returns, status variants, error bodies
//! and pagination.

use std::collections::{BTreeMap, BTreeSet};

use super::schemas::is_scalar;
use super::{CLIENT_METHODS, CRATE_ROOT_NAMES, Lowerer};
use crate::ir::{
    AlternativeBody, Body, BodyKind, ErrorBodies, Location, Operation, Param, ParamsStruct, Resource, ResponseBody,
    Returns, Status, StatusVariant, Style, Ty, TypeKind,
};
use crate::names::{Taken, pascal, snake, unique};
use crate::parse::{BodySpec, Content, Kind, OperationSpec, ParamLocation, ParamSpec, ParamStyle, ResponseSpec};

/// What an operation the generator cannot read becomes, as its warnings say.
pub(crate) const OPERATION_LEFT_OUT: &str = "this operation is left out of the crate";

impl Lowerer<'_> {
    /// Groups operations into resources and names everything the operations define. A resource
    /// is an operation's first tag, else the prefix of an `operationId` of the form
    /// `resource.method`, else the first literal segment of its path after any version or `api`
    /// prefix (`/v1/customers` → `customers`; `root` for none); a method
    /// is the rest of the `operationId`, else the HTTP method and the path
    /// (`GET /pets/{id}` → `get_pets_by_id`). Names that collide are numbered in document order
    /// (operations are sorted by path, then method), never merged.
    pub(super) fn resources(
        &mut self,
        operations: &[OperationSpec],
        tags: &BTreeMap<String, Option<String>>,
        schemes: &BTreeMap<String, String>,
    ) -> Vec<Resource> {
        let grouped: Vec<(String, String)> = operations.iter().map(group_and_method).collect();
        // Resource names are given by group, sorted, so that they do not depend on which
        // operation comes first.
        let groups: BTreeSet<&String> = grouped.iter().map(|(group, _)| group).collect();
        let mut accessors = Taken::default();
        let mut root_names = Taken::with(CRATE_ROOT_NAMES);
        let mut by_group: BTreeMap<String, Resource> = BTreeMap::new();
        for group in groups {
            let mut accessor = snake(group);
            if CLIENT_METHODS.contains(&accessor.as_str()) {
                accessor.push('_');
            }
            let mut name = pascal(group);
            if CRATE_ROOT_NAMES.contains(&name.as_str()) {
                name.push('_');
            }
            let resource = Resource {
                accessor: unique(accessor, &mut accessors),
                name: unique(name, &mut root_names),
                docs: tags.get(group.as_str()).cloned().flatten(),
                operations: Vec::new(),
            };
            by_group.insert(group.clone(), resource);
        }
        let mut methods: BTreeMap<String, Taken> = BTreeMap::new();
        for (op, (group, method)) in operations.iter().zip(&grouped) {
            let Some(resource) = by_group.get(group) else { continue };
            let taken = methods.entry(group.clone()).or_default();
            let method_name = unique(snake(method), taken);
            // `…_pages` and `…_all` are a paginated operation's streams.
            taken.insert(format!("{method_name}_pages"));
            taken.insert(format!("{method_name}_all"));
            let resource_name = resource.name.clone();
            let security = op
                .security
                .iter()
                .map(|alternative| alternative.iter().filter_map(|wire| schemes.get(wire).cloned()).collect())
                .collect();
            let mark = self.errors.mark();
            let operation = self.operation(op, &method_name, &resource_name, security, &mut root_names, taken);
            // An operation that cannot be generated soundly is left out, not the document.
            if self.errors.contain(mark, OPERATION_LEFT_OUT) {
                continue;
            }
            let Some(operation) = operation else { continue };
            if let Some(resource) = by_group.get_mut(group) {
                resource.operations.push(operation);
            }
        }
        let mut resources: Vec<Resource> = by_group.into_values().filter(|r| !r.operations.is_empty()).collect();
        resources.sort_by(|a, b| a.accessor.cmp(&b.accessor));
        for resource in &mut resources {
            resource.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        }
        resources
    }

    fn operation(
        &mut self,
        op: &OperationSpec,
        method_name: &str,
        resource: &str,
        security: Vec<Vec<String>>,
        root_names: &mut Taken,
        methods: &mut Taken,
    ) -> Option<Operation> {
        // The params struct lives in the crate root: `GetRowsParams`, else prefixed with the
        // resource (`PetsGetParams`), else numbered. Its prefix also names the operation's
        // inline types (`GetRowsResponse`), which `fresh` numbers if they collide.
        let method = crate::names::joined_pascal(&format!("{}X", pascal(method_name)));
        // The prefix of the names below, which always follow it (`SelfParams`): not escaped.
        let method = method.strip_suffix('X').unwrap_or(&method).to_owned();
        let prefix = [method.clone(), format!("{}{method}", resource.trim_end_matches('_'))]
            .into_iter()
            .find(|p| !root_names.contains(&format!("{p}Params")))
            .unwrap_or_else(|| format!("{}{method}", resource.trim_end_matches('_')));
        let params_name = unique(format!("{prefix}Params"), root_names);
        let method = prefix;
        let method = method.as_str();
        let method_name = method_name.to_owned();
        let template: Vec<&str> = path_placeholders(&op.path);
        let (path_params, required, optional) = self.lower_params(op, method, &template);
        let response = self.returns(&op.success, method, root_names);
        let stream = self.stream(op, method, &method_name, &response, methods);
        let errors = self.error_bodies(&op.errors, method, root_names);
        let params = ParamsStruct { name: params_name, required, optional };
        let body =
            op.body.as_ref().and_then(|b| self.lower_body(b, method, &method_name, &path_params, methods, root_names));
        // A page stream sends no body: an operation that needs one has none (Stripe's `GET`s
        // declare an optional, empty form body).
        let pagination = self.paginate(op, &params, &response, body.as_ref().is_some_and(|b| b.required));
        Some(Operation {
            method_name,
            pointer: op.pointer.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            // A fixed field (`get`, `query`…) names its method in lower case; an
            // `additionalOperations` key is the method as it is sent (OpenAPI 3.2: "with the same
            // capitalization that is to be sent in the request").
            http_method: if crate::parse::HTTP_METHODS.contains(&op.method.as_str()) {
                op.method.to_ascii_uppercase()
            } else {
                op.method.clone()
            },
            path: op.path.clone(),
            path_params,
            params,
            body,
            response,
            errors,
            pagination,
            stream,
            deprecated: op.deprecated,
            security,
        })
    }

    /// An operation's parameters, lowered: the path parameters (in the template's order), the
    /// required and the optional others.
    fn lower_params(
        &mut self,
        op: &OperationSpec,
        method: &str,
        template: &[&str],
    ) -> (Vec<Param>, Vec<Param>, Vec<Param>) {
        let mut path_params = Vec::new();
        let mut required = Vec::new();
        let mut optional = Vec::new();
        let mut taken = Taken::default();
        // Names are given in document order: the first parameter of a name keeps it, so that
        // adding a parameter never renames one that was there.
        for param in &op.params {
            if let Some(why) = unsendable_name(param) {
                self.errors.warn(param.pointer.as_str(), format!("{why}; the parameter is left out"));
                continue;
            }
            if param.location == ParamLocation::Path && !template.contains(&param.name.as_str()) {
                self.errors.warn(
                    param.pointer.as_str(),
                    format!(
                        "path parameter `{}` does not appear in `{}`; it is left out (the path has no place for it)",
                        param.name, op.path
                    ),
                );
                continue;
            }
            let name = param_name(param, &mut taken);
            if name != snake(&param.name) {
                self.errors.warn(
                    param.pointer.as_str(),
                    format!(
                        "parameter `{}` would be named `{}`, as another parameter of this operation is; it is named \
                         `{name}` (the wire name stays `{}`)",
                        param.name,
                        snake(&param.name),
                        param.name
                    ),
                );
            }
            let Some(lowered) = self.lower_param(param, name, method) else {
                continue;
            };
            match param.location {
                ParamLocation::Path => path_params.push(lowered),
                _ if param.required => required.push(lowered),
                _ => optional.push(lowered),
            }
        }
        for placeholder in template {
            if !path_params.iter().any(|p| p.wire_name == *placeholder) {
                let mut name = snake(placeholder);
                if !taken.insert(name.clone()) {
                    name = unique(name, &mut taken);
                }
                self.errors.warn(
                    op.pointer.as_str(),
                    format!(
                        "`{{{placeholder}}}` in the path has no path parameter; it is a required string argument \
                         `{name}`"
                    ),
                );
                path_params.push(Param {
                    name,
                    wire_name: (*placeholder).to_owned(),
                    location: Location::Path,
                    style: Style::Simple,
                    explode: false,
                    allow_reserved: false,
                    json: false,
                    docs: None,
                    ty: Ty::String,
                    constraints: crate::ir::Constraints::default(),
                    example: None,
                });
            }
        }
        path_params.sort_by_key(|p| template.iter().position(|t| *t == p.wire_name));
        (path_params, required, optional)
    }

    /// One parameter, lowered, unless its type cannot be sent in its location and style.
    fn lower_param(&mut self, param: &ParamSpec, name: String, method: &str) -> Option<Param> {
        let shape = self.shape(&format!("{method}{}", pascal(&param.name)), &param.schema);
        // A nullable parameter is sent or left out: `null` has no spelling in a URL or a header.
        let mut ty = shape.ty;
        // A `$ref` to a named scalar (`AlertNumber = integer`) is sent as that scalar.
        ty = self.unalias(ty);
        if let Ty::Named(name) = &ty
            && let Some(crate::ir::TypeDef { kind: TypeKind::Alias(Ty::Option(inner)), .. }) = self.types.get(name)
        {
            ty = (**inner).clone();
        }
        if let Ty::Option(inner) = ty {
            ty = self.unalias(*inner);
        }
        if let Ty::Vec(item) = ty {
            ty = Ty::Vec(Box::new(self.unalias(*item)));
        }
        let location = match param.location {
            ParamLocation::Path => Location::Path,
            ParamLocation::Query => Location::Query,
            ParamLocation::Header => Location::Header,
            ParamLocation::Cookie => Location::Cookie,
        };
        let style = match param.style {
            ParamStyle::Form => Style::Form,
            ParamStyle::SpaceDelimited => Style::SpaceDelimited,
            ParamStyle::PipeDelimited => Style::PipeDelimited,
            ParamStyle::DeepObject => Style::DeepObject,
            ParamStyle::Simple => Style::Simple,
            ParamStyle::Label => Style::Label,
            ParamStyle::Matrix => Style::Matrix,
        };
        // A JSON text is one string, whatever the value's type.
        let checked = if param.json { Ok(()) } else { self.check_param_ty(&ty, location, style, param.explode) };
        let mut json = param.json;
        if let Err(problem) = checked {
            let at = param.pointer.join("schema");
            if location == Location::Path {
                // A path segment is text: the caller writes it.
                self.errors.warn(at.as_str(), format!("{problem}; the parameter is a string the caller writes"));
                ty = Ty::String;
            } else {
                // No style can write this shape: it is sent as its JSON text, which a server that
                // reads the parameter as JSON (the common reading of such documents) understands.
                self.errors.warn(at.as_str(), format!("{problem}; the parameter is sent as its JSON text"));
                json = true;
            }
        }
        Some(Param {
            name,
            wire_name: param.name.clone(),
            location,
            style,
            explode: param.explode,
            allow_reserved: param.allow_reserved && !json,
            json,
            docs: param.description.clone(),
            ty,
            constraints: shape.written,
            example: param.example.clone().or_else(|| param.schema.default.clone()),
        })
    }

    /// An operation's request body: its argument's name, its first media type and a method for
    /// each other one.
    fn lower_body(
        &mut self,
        b: &BodySpec,
        method: &str,
        method_name: &str,
        path_params: &[Param],
        methods: &mut Taken,
        root_names: &mut Taken,
    ) -> Option<Body> {
        // The body argument's name: `body`, unless a path parameter or the params argument
        // (`params`, or `params_`… after a path parameter named `params`) has it.
        let mut arg = "body".to_owned();
        let taken_args = |name: &str| {
            path_params.iter().any(|p| p.name == name)
                || (name.starts_with("params") && name.trim_end_matches('_') == "params")
        };
        while taken_args(&arg) {
            arg.push('_');
        }
        let mut kinds = Vec::new();
        for (media, content) in &b.content {
            let kind = match content {
                Content::Json(schema) => BodyKind::Json(self.ty(&format!("{method}Body"), schema)),
                Content::Form(schema, encoding) => {
                    let ty = self.ty(&format!("{method}Form"), schema);
                    if !self.is_object(&ty) {
                        self.errors.warn(
                            schema.pointer.as_str(),
                            "a form body that is not an object has no fields to send; the body is sent as the \
                             bytes the caller encodes",
                        );
                        BodyKind::Bytes
                    } else {
                        BodyKind::Form(ty, form_fields(encoding))
                    }
                }
                Content::Multipart(schema, encoding) => match self.multipart(schema, encoding, method, root_names) {
                    Some(multipart) => BodyKind::Multipart(multipart),
                    None => continue,
                },
                Content::Text => BodyKind::Text,
                Content::Bytes => BodyKind::Bytes,
            };
            kinds.push((media.clone(), kind));
        }
        let mut kinds = kinds.into_iter();
        let (media, kind) = kinds.next()?;
        let alternatives = kinds
            .map(|(media, kind)| {
                let suffix = match &kind {
                    BodyKind::Json(_) => "json",
                    BodyKind::Form(..) => "form",
                    BodyKind::Multipart(_) => "multipart",
                    BodyKind::Text => "text",
                    BodyKind::Bytes => "bytes",
                };
                let method_name = unique(format!("{method_name}_{suffix}"), methods);
                AlternativeBody { method_name, media, kind }
            })
            .collect();
        Some(Body { arg, required: b.required, docs: b.description.clone(), media, kind, alternatives })
    }

    /// Whether a parameter value is a scalar or a string enum.
    fn is_scalar_param(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(n) => self.is_enum(n),
            other => is_scalar(other),
        }
    }

    /// Whether `ty` is an untagged union whose variants are scalars (or, with `arrays`, arrays of
    /// scalars too).
    fn is_scalar_union(&self, ty: &Ty, arrays: bool) -> bool {
        let Ty::Named(name) = ty else { return false };
        let Some(crate::ir::TypeDef { kind: TypeKind::Union(union), .. }) = self.types.get(name) else { return false };
        union.tag.is_none()
            && union.variants.iter().all(|v| {
                let ty = self.unalias(v.ty.clone());
                self.is_scalar_param(&ty)
                    || (arrays && matches!(&ty, Ty::Vec(item) if self.is_scalar_param(&self.unalias((**item).clone()))))
            })
    }

    /// What a parameter of this location and style may hold: a scalar everywhere; an array of
    /// scalars in the query (not `deepObject`) and in headers; an object in the query, as `form`
    /// (exploded) or `deepObject`. Anything else is refused, naming the combination.
    fn check_param_ty(&self, ty: &Ty, location: Location, style: Style, explode: bool) -> Result<(), String> {
        // An untagged union of scalars (`oneOf: [integer, string]`) is sent as the scalar it
        // holds; one that may hold an array of scalars too, where an array can go.
        let scalar = self.is_scalar_param(ty) || self.is_scalar_union(ty, false);
        let array = matches!(ty, Ty::Vec(item) if self.is_scalar_param(item)) || self.is_scalar_union(ty, true);
        let object = self.is_object(ty);
        let ok = match (location, style) {
            (Location::Path, Style::Simple | Style::Label | Style::Matrix) => scalar,
            (Location::Query, Style::Form) => scalar || array || (object && explode),
            (Location::Query, Style::SpaceDelimited | Style::PipeDelimited) => array,
            // The runtime writes any shape in brackets (`a[k][0]=v`), as Stripe reads it.
            (Location::Query, Style::DeepObject) => true,
            (Location::Header, Style::Simple) => scalar || array,
            (Location::Cookie, Style::Form) => scalar,
            _ => false,
        };
        if ok {
            return Ok(());
        }
        let shape = if scalar {
            "a scalar"
        } else if array {
            "an array"
        } else if object {
            "an object"
        } else {
            "a nested array or object"
        };
        let location = match location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        };
        let style = match style {
            Style::Form => "form",
            Style::SpaceDelimited => "spaceDelimited",
            Style::PipeDelimited => "pipeDelimited",
            Style::DeepObject => "deepObject",
            Style::Simple => "simple",
            Style::Label => "label",
            Style::Matrix => "matrix",
        };
        Err(format!(
            "unsupported parameter type: {shape} as a {location} parameter of style `{style}`{}; expected a \
             string, number, integer, boolean or string enum (arrays of them in the query or a header, objects \
             in the query as exploded `form` or `deepObject`)",
            if explode { ", exploded" } else { "" }
        ))
    }

    /// The body of one response.
    fn response_body(&mut self, spec: &ResponseSpec, hint: &str) -> ResponseBody {
        match &spec.content {
            None => ResponseBody::Unit,
            Some(Content::Json(schema)) => ResponseBody::Json(self.ty(hint, schema)),
            Some(Content::Text) => ResponseBody::Text,
            Some(Content::Bytes | Content::Form(..) | Content::Multipart(..)) => ResponseBody::Bytes,
        }
    }

    /// What the success responses give: their one body when they agree (an absent `content`
    /// agrees with nothing but another), else an enum by status. Inline schemas are named
    /// `…Response` for a single body, `…Response<Status>` in an enum.
    fn returns(&mut self, success: &[ResponseSpec], method: &str, root_names: &mut Taken) -> Returns {
        let agree = success.windows(2).all(|w| same_content(&w[0], &w[1]));
        if agree {
            return match success.first() {
                Some(first) => Returns::One(self.response_body(first, &format!("{method}Response"))),
                None => Returns::One(ResponseBody::Unit),
            };
        }
        let name = unique(format!("{method}Response"), root_names);
        let variants = self.status_variants(success, &name);
        Returns::ByStatus { name, variants }
    }

    fn status_variants(&mut self, specs: &[ResponseSpec], prefix: &str) -> Vec<StatusVariant> {
        let mut variants: Vec<StatusVariant> = specs
            .iter()
            .map(|spec| {
                let status = status_of(&spec.status);
                let name = status_name(status);
                let body = self.response_body(spec, &format!("{prefix}{name}"));
                StatusVariant { name, status, body }
            })
            .collect();
        variants.sort_by_key(|v| v.status);
        variants
    }

    /// The typed error bodies: the JSON ones only (others stay raw text on the error).
    fn error_bodies(&mut self, errors: &[ResponseSpec], method: &str, root_names: &mut Taken) -> Option<ErrorBodies> {
        let json: Vec<ResponseSpec> =
            errors.iter().filter(|e| matches!(e.content, Some(Content::Json(_)))).cloned().collect();
        let first = json.first()?;
        if json.iter().all(|e| same_content(e, first)) {
            let variants = vec![StatusVariant {
                name: String::new(),
                status: Status::Default,
                body: self.response_body(first, &format!("{method}Error")),
            }];
            return Some(ErrorBodies { name: None, variants });
        }
        let name = unique(format!("{method}Error"), root_names);
        let variants = self.status_variants(&json, &name);
        Some(ErrorBodies { name: Some(name), variants })
    }
}

/// Whether two responses have the same body: both none, both text, both bytes, or JSON of the
/// same kind (a `$ref` to the same component, the same scalar; inline objects never agree, since
/// each is named after its own place).
fn same_content(a: &ResponseSpec, b: &ResponseSpec) -> bool {
    match (&a.content, &b.content) {
        (Some(Content::Json(a)), Some(Content::Json(b))) => {
            a.kind == b.kind && a.bounds == b.bounds && !matches!(a.kind, Kind::Object { .. } | Kind::OneOf { .. })
        }
        (Some(Content::Json(_)), _) | (_, Some(Content::Json(_))) => false,
        (a, b) => a == b,
    }
}

/// A response key as a [`Status`]; the parser only lets `NNN`, `NXX` and `default` through.
fn status_of(key: &str) -> Status {
    match key.parse::<u16>() {
        Ok(code) => Status::Code(code),
        Err(_) if key == "default" => Status::Default,
        Err(_) => Status::Range(key[..1].parse().unwrap_or(0)),
    }
}

/// A status variant's name: the reason phrase of common statuses, else the number.
fn status_name(status: Status) -> String {
    let name = match status {
        Status::Code(200) => "Ok",
        Status::Code(201) => "Created",
        Status::Code(202) => "Accepted",
        Status::Code(203) => "NonAuthoritative",
        Status::Code(204) => "NoContent",
        Status::Code(206) => "PartialContent",
        Status::Code(400) => "BadRequest",
        Status::Code(401) => "Unauthorized",
        Status::Code(403) => "Forbidden",
        Status::Code(404) => "NotFound",
        Status::Code(409) => "Conflict",
        Status::Code(422) => "UnprocessableEntity",
        Status::Code(429) => "TooManyRequests",
        Status::Code(500) => "InternalServerError",
        Status::Code(code) => return format!("Status{code}"),
        Status::Range(digit) => return format!("Status{digit}xx"),
        Status::Default => "Default",
    };
    name.to_owned()
}

/// An operation's group (resource) and method, as wire text to be turned into names.
fn group_and_method(op: &OperationSpec) -> (String, String) {
    let from_id = op.operation_id.as_deref().map(|id| match id.rsplit_once('.') {
        Some((prefix, method)) => (Some(prefix), method),
        None => (None, id),
    });
    let first_segment = || {
        let literal: Vec<&str> = op.path.split('/').filter(|s| !s.is_empty() && !s.contains('{')).collect();
        // A version or `api` prefix (`/v1/customers`, `/api/v2beta1/jobs`) names no resource:
        // the first segment after it does, when there is one.
        literal.iter().find(|s| !is_prefix_segment(s)).or(literal.first()).copied().unwrap_or("root").to_owned()
    };
    let group = op
        .tag
        .clone()
        .or_else(|| from_id.and_then(|(prefix, _)| prefix).map(str::to_owned))
        .unwrap_or_else(first_segment);
    let method = match from_id {
        Some((_, method)) => method.to_owned(),
        None => {
            let mut words = vec![op.method.clone()];
            for segment in op.path.split('/').filter(|s| !s.is_empty()) {
                match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => words.push(format!("by {name}")),
                    None => words.push(segment.to_owned()),
                }
            }
            words.join(" ")
        }
    };
    (group, method)
}

/// Whether a path segment is a version (`v1`, `v2beta1`, `1.0`) or `api`/`rest`: a prefix of
/// every path rather than a resource.
fn is_prefix_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    if matches!(lower.as_str(), "api" | "apis" | "rest") {
        return true;
    }
    let numbered = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    match lower.strip_prefix('v') {
        Some(rest) => {
            // `v1`, `v1.2`, `v2beta1`, `v1alpha`.
            let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
            let (number, tail) = rest.split_at(digits);
            numbered(number)
                && (tail.is_empty()
                    || ["alpha", "beta", "preview"]
                        .iter()
                        .any(|w| tail.strip_prefix(w).is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))))
        }
        None => numbered(&lower),
    }
}

fn path_placeholders(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

/// A parameter's Rust name, unique among the operation's: its snake-case name, else that name
/// with a word its wire name or place gives (`StartTime<` → `start_time_before`, a `path` query
/// parameter beside a `path` path parameter → `path_query`), else numbered.
fn param_name(param: &ParamSpec, taken: &mut Taken) -> String {
    let name = snake(&param.name);
    if taken.insert(name.clone()) {
        return name;
    }
    let trimmed = param.name.trim_end_matches(|c: char| c.is_ascii_whitespace());
    let word = [("<=", "at_or_before"), (">=", "at_or_after"), ("<", "before"), (">", "after")]
        .into_iter()
        .find(|(suffix, _)| trimmed.ends_with(suffix))
        .map(|(_, word)| word);
    let place = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    // `self_` (a keyword escaped) + `path` is `self_path`.
    let stem = name.trim_end_matches('_');
    for word in word.into_iter().chain([place]) {
        let candidate = format!("{stem}_{word}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
    }
    unique(name, taken)
}

/// A form body's `encoding` as the runtime writes it: the properties not written as exploded
/// `form` fields (the default), sorted by wire name.
fn form_fields(encoding: &BTreeMap<String, crate::parse::FormEncodingSpec>) -> Vec<crate::ir::FormField> {
    encoding
        .iter()
        .filter(|(_, spec)| !(spec.style == ParamStyle::Form && spec.explode))
        .map(|(wire, spec)| crate::ir::FormField {
            wire_name: wire.clone(),
            style: match spec.style {
                ParamStyle::SpaceDelimited => Style::SpaceDelimited,
                ParamStyle::PipeDelimited => Style::PipeDelimited,
                ParamStyle::DeepObject => Style::DeepObject,
                _ => Style::Form,
            },
            explode: spec.explode,
        })
        .collect()
}

/// Why a header or cookie parameter cannot be sent under its name, if it cannot: OpenAPI says a
/// header parameter named `Accept`, `Content-Type` or `Authorization` "SHALL be ignored" (the
/// client sets them); a header that frames or routes the request is the client's alone; a name
/// that is no token is no header or cookie name (the runtime refuses all three alike).
fn unsendable_name(param: &ParamSpec) -> Option<String> {
    let name = param.name.as_str();
    let token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    match param.location {
        ParamLocation::Header | ParamLocation::Cookie if !token => Some(format!(
            "`{}` is no {} name",
            name.escape_debug(),
            if param.location == ParamLocation::Header { "header" } else { "cookie" }
        )),
        ParamLocation::Header => {
            let lower = name.to_ascii_lowercase();
            if matches!(lower.as_str(), "accept" | "content-type" | "authorization") {
                Some(format!("a header parameter named `{name}`, which OpenAPI says is ignored (the client sets it)"))
            } else if matches!(
                lower.as_str(),
                "host"
                    | "content-length"
                    | "transfer-encoding"
                    | "connection"
                    | "te"
                    | "trailer"
                    | "upgrade"
                    | "expect"
                    | "cookie"
                    | "proxy-authorization"
                    | "keep-alive"
            ) {
                Some(format!("a header parameter named `{name}`, a header that frames or routes the request"))
            } else {
                None
            }
        }
        ParamLocation::Path | ParamLocation::Query | ParamLocation::Cookie => None,
    }
}
