//! Pagination: the scheme an operation declares (`x-pagination`, `x-speakeasy-pagination`),
//! checked against its parameters and response, or one detected from the document.
//!
//! Detection is conservative: it reads only a `GET` without a body whose response is an array,
//! or an object with one array of items, and takes a scheme only on names the common APIs use
//! for it, with the types they must have. In order:
//! 1. a documented `Link` response header: follow `rel="next"` (GitHub);
//! 2. a cursor the response carries, paired with the parameter it goes back in: `nextPageToken`
//!    → `pageToken` (Google), `next_cursor`/`nextCursor` (or Slack's
//!    `response_metadata.next_cursor`) → `cursor`, `nextToken` → `nextToken`, `metadata.continue`
//!    → `continue` (Kubernetes), `next_page` → a string `page` (Stripe's searches), `last_id` →
//!    `after` with `has_more` (OpenAI);
//! 3. `has_more` with a `starting_after` parameter and items with a string `id`: the last
//!    item's `id` (Stripe);
//! 4. a next-page URL: `next_page_uri`/`next_page_url` (Twilio, also under `meta`), `links.next`
//!    (JSON:API), or `next` beside `previous` (Django REST framework);
//! 5. integer `offset` and `limit` parameters: the offset moves past the items received;
//! 6. an integer `page` parameter with a total count (`total`, `total_count`, …) or `has_more`.
//!
//! Every scheme ends at an explicit end (no next cursor or URL, `has_more: false`, the total
//! seen) or, for the counting ones, an empty page, never a short one: a server that caps the
//! page size would otherwise lose items. Each detection is a note the generator reports.

use super::Lowerer;
use crate::error::Pointer;
use crate::ir::{
    Field, PageParam, PageScheme, PageStep, PageTotal, Pagination, Param, ParamsStruct, Presence, Returns, Ty, TypeKind,
};
use crate::parse::{OperationSpec, PaginationSpec, PagingSpec, SchemeName};

/// Integer (or number) types a page number or offset can have.
fn is_count(ty: &Ty) -> bool {
    matches!(ty, Ty::F64 | Ty::I64 | Ty::U64 | Ty::I32 | Ty::U32 | Ty::I128 | Ty::U128)
}

/// Response properties that count every item of the list.
const TOTALS: &[&str] =
    &["total", "total_count", "totalCount", "total_results", "totalResults", "total_items", "totalItems"];

/// Response cursors and the parameter each goes back in.
const CURSORS: &[(&str, &[&str])] = &[
    ("nextPageToken", &["pageToken"]),
    ("next_page_token", &["page_token"]),
    ("next_cursor", &["cursor"]),
    ("nextCursor", &["cursor"]),
    ("response_metadata.next_cursor", &["cursor"]),
    ("nextToken", &["nextToken"]),
    ("next_token", &["next_token"]),
    ("NextToken", &["NextToken"]),
    ("metadata.continue", &["continue"]),
    ("next_page", &["page"]),
    ("last_id", &["after"]),
];

/// Response properties holding the next page's URL.
const NEXT_URLS: &[&str] =
    &["next_page_uri", "next_page_url", "nextPageUrl", "nextPageUri", "meta.next_page_url", "links.next"];

fn split(path: &str) -> Vec<String> {
    path.split('.').map(str::to_owned).collect()
}

impl Lowerer<'_> {
    /// The operation's pagination: the declared one, else a detected one (reported as a note),
    /// else none.
    pub(super) fn paginate(
        &mut self,
        op: &OperationSpec,
        params: &ParamsStruct,
        response: &Returns,
        needs_body: bool,
    ) -> Option<Pagination> {
        match &op.pagination {
            Some(PaginationSpec::Off) => None,
            Some(PaginationSpec::On(spec)) if needs_body => {
                self.errors.warn(
                    spec.pointer.as_str(),
                    "`x-pagination` on an operation with a required request body; the operation has no page stream",
                );
                None
            }
            Some(PaginationSpec::On(spec)) => {
                let declared = self.declared(spec, op, params, response.json()?);
                declared
                    .map_err(|(at, message)| {
                        self.errors.warn(at.as_str(), message + "; the operation has no page stream")
                    })
                    .ok()
            }
            None if !self.detect_pagination || needs_body || op.method != "get" => None,
            None => {
                let (pagination, how) = self.detect(op, params, response.json()?)?;
                let name = op.operation_id.as_deref().map(|id| format!(" ({id})")).unwrap_or_default();
                let message = format!("pagination: {} {}{name}: {how}", op.method.to_ascii_uppercase(), op.path);
                self.notes.push(crate::Error { location: op.pointer.to_string(), message });
                Some(pagination)
            }
        }
    }

    /// The fields of a struct type.
    fn struct_fields(&self, ty: &Ty) -> Option<&[Field]> {
        match ty {
            Ty::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => Some(&s.fields),
                _ => None,
            },
            _ => None,
        }
    }

    /// The items property of a response object that does not name it: its one array property,
    /// else its one array of objects (or of other non-scalars).
    fn only_array(&self, response: &Ty) -> Option<&Field> {
        let fields = self.struct_fields(response)?;
        let arrays: Vec<&Field> = fields.iter().filter(|f| matches!(f.ty, Ty::Vec(_))).collect();
        let structured: Vec<&Field> =
            arrays.iter().copied().filter(|f| matches!(&f.ty, Ty::Vec(t) if !super::is_scalar(t))).collect();
        match (arrays.as_slice(), structured.as_slice()) {
            ([one], _) | (_, [one]) => Some(*one),
            _ => None,
        }
    }

    /// The fields from `ty` down `path` (wire names) to a value of type `leaf`.
    fn path_to(&self, ty: &Ty, path: &[String], leaf: &Ty) -> Option<Vec<PageStep>> {
        let mut steps = Vec::new();
        let mut current = ty.clone();
        for wire in path {
            let field = self.struct_fields(&current)?.iter().find(|f| &f.wire_name == wire)?;
            steps.push(PageStep { name: field.name.clone(), wire: field.wire_name.clone(), presence: field.presence });
            current = field.ty.clone();
        }
        (!steps.is_empty() && current == *leaf).then_some(steps)
    }

    /// The items: the response's array property `wire`, or the response itself when it is an
    /// array and `wire` is `None`.
    fn items(&self, response: &Ty, wire: Option<&str>) -> Option<(Option<PageStep>, Ty)> {
        match (response, wire) {
            (Ty::Vec(item), None) => Some((None, (**item).clone())),
            (_, Some(wire)) => {
                let field = self.struct_fields(response)?.iter().find(|f| f.wire_name == wire)?;
                match (&field.ty, field.presence) {
                    (_, Presence::OptionalNullable) => None,
                    (Ty::Vec(item), presence) => Some((
                        Some(PageStep { name: field.name.clone(), wire: field.wire_name.clone(), presence }),
                        (**item).clone(),
                    )),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn declared(
        &mut self,
        spec: &PagingSpec,
        op: &OperationSpec,
        params: &ParamsStruct,
        response: &Ty,
    ) -> Result<Pagination, (Pointer, String)> {
        let at = &spec.pointer;
        let param_at = &spec.param_at;
        let param = |want: fn(&Ty) -> bool, what: &str| -> Result<PageParam, (Pointer, String)> {
            let wire = spec.param.as_deref().unwrap_or_default();
            query_param(params, wire, want)
                .ok_or_else(|| (param_at.clone(), format!("`{wire}` is not {what} query parameter of this operation")))
        };
        // The parameter is checked first: it is what a maintainer names most often.
        let param = match spec.scheme {
            SchemeName::Page => {
                let mut page = param(is_count, "a numeric")?;
                if page.optional {
                    page.start = start_of(op, spec.param.as_deref().unwrap_or_default());
                    if page.start.is_none() || page.ty == Ty::F64 {
                        return Err((
                            param_at.clone(),
                            format!(
                                "`{}` is an optional parameter without an integer `default`: the page parameter of \
                                 `x-pagination` must be required or say which page it defaults to, so that every \
                                 page's number is known",
                                spec.param.as_deref().unwrap_or_default()
                            ),
                        ));
                    }
                }
                Some(page)
            }
            SchemeName::Offset => Some(param(is_count, "a numeric")?),
            SchemeName::Cursor | SchemeName::LastItem => Some(param(|t| *t == Ty::String, "a string")?),
            SchemeName::NextUrl | SchemeName::Link => None,
        };
        let named = spec.items.clone().or_else(|| self.only_array(response).map(|f| f.wire_name.clone()));
        let (items, item_ty) = self.items(response, named.as_deref()).ok_or_else(|| match &spec.items {
            Some(items) => (
                at.join("items"),
                format!("`{items}` is not a required or optional array property of the response object"),
            ),
            None => (
                at.clone(),
                "the response is neither an array nor an object with one array property, and no `items` property is named"
                    .to_owned(),
            ),
        })?;
        let scheme = match (spec.scheme, param) {
            (SchemeName::Page, Some(page)) => PageScheme::PageNumber(page),
            (SchemeName::Offset, Some(param)) => PageScheme::Offset(param),
            (SchemeName::Cursor, Some(param)) => {
                let path = spec.next.clone().unwrap_or_default();
                let next = self.path_to(response, &path, &Ty::String).ok_or_else(|| {
                    (at.join("next"), format!("`{}` is not a string property of the response", path.join(".")))
                })?;
                PageScheme::Cursor { param, next }
            }
            (SchemeName::LastItem, Some(param)) => {
                let wire = spec.item_field.clone().unwrap_or_default();
                let field = self
                    .path_to(&item_ty, std::slice::from_ref(&wire), &Ty::String)
                    .and_then(|mut steps| steps.pop())
                    .ok_or_else(|| {
                        (at.join("item_field"), format!("`{wire}` is not a string property of the items"))
                    })?;
                PageScheme::LastItem { param, field }
            }
            (SchemeName::NextUrl, _) => {
                let path = spec.next.clone().unwrap_or_default();
                let next = self.path_to(response, &path, &Ty::String).ok_or_else(|| {
                    (at.join("next"), format!("`{}` is not a string property of the response", path.join(".")))
                })?;
                PageScheme::NextUrl(next)
            }
            (SchemeName::Link, _) => PageScheme::Link,
            // Each scheme with a parameter has it from the check above.
            (SchemeName::Page | SchemeName::Offset | SchemeName::Cursor | SchemeName::LastItem, None) => {
                return Err((param_at.clone(), "no parameter is named".to_owned()));
            }
        };
        let total = match &spec.total {
            None => None,
            Some(wire) => Some(self.total(response, wire).ok_or_else(|| {
                (at.join("total"), format!("`{wire}` is not a numeric property of the response object"))
            })?),
        };
        let has_more = match &spec.has_more {
            None => None,
            Some(path) => Some(self.path_to(response, path, &Ty::Bool).ok_or_else(|| {
                (at.join("has_more"), format!("`{}` is not a boolean property of the response", path.join(".")))
            })?),
        };
        Ok(Pagination { scheme, items, item_ty, total, has_more })
    }

    fn total(&self, response: &Ty, wire: &str) -> Option<PageTotal> {
        let field = self.struct_fields(response)?.iter().find(|f| f.wire_name == wire)?;
        let optional = match field.presence {
            Presence::Required => false,
            Presence::RequiredNullable | Presence::Optional => true,
            Presence::OptionalNullable => return None,
        };
        is_count(&field.ty).then(|| PageTotal { field: field.name.clone(), ty: field.ty.clone(), optional })
    }

    /// A scheme detected from names and types, with the words of its note.
    fn detect(&self, op: &OperationSpec, params: &ParamsStruct, response: &Ty) -> Option<(Pagination, String)> {
        let link = op.success.iter().any(|r| r.headers.iter().any(|h| h.eq_ignore_ascii_case("link")));
        let (items, item_ty) = match response {
            Ty::Vec(_) if link => self.items(response, None)?,
            Ty::Vec(_) => return None,
            _ => {
                let field = self.only_array(response)?;
                self.items(response, Some(&field.wire_name))?
            }
        };
        let items_text = match &items {
            None => "the response array".to_owned(),
            Some(_) => {
                let wire = self
                    .struct_fields(response)
                    .into_iter()
                    .flatten()
                    .find(|f| items.as_ref().is_some_and(|i| i.name == f.name));
                format!("items `{}`", wire.map_or("", |f| f.wire_name.as_str()))
            }
        };
        let has_more_wire = ["has_more", "hasMore"]
            .into_iter()
            .find(|w| self.path_to(response, &[(*w).to_owned()], &Ty::Bool).is_some());
        let has_more = has_more_wire.and_then(|w| self.path_to(response, &[w.to_owned()], &Ty::Bool));
        let until_more = has_more_wire.map(|w| format!(", until `{w}` is false")).unwrap_or_default();
        let pagination = |scheme, has_more, total| Pagination {
            scheme,
            items: items.clone(),
            item_ty: item_ty.clone(),
            total,
            has_more,
        };
        if link {
            let how = format!("next URL from the `Link` header (rel=\"next\"), {items_text}");
            return Some((pagination(PageScheme::Link, None, None), how));
        }
        let cursors: Vec<(String, PageParam, Vec<PageStep>)> = CURSORS
            .iter()
            .filter_map(|(next, names)| {
                // OpenAI's `last_id` is there on the last page too: only `has_more` ends its list.
                if *next == "last_id" && has_more.is_none() {
                    return None;
                }
                let steps = self.path_to(response, &split(next), &Ty::String)?;
                let (wire, param) = names
                    .iter()
                    .find_map(|name| query_param(params, name, |t| *t == Ty::String).map(|p| (*name, p)))?;
                Some((format!("cursor `{wire}` = `{next}`"), param, steps))
            })
            .collect();
        if let [(how, param, next)] = cursors.as_slice() {
            let scheme = PageScheme::Cursor { param: param.clone(), next: next.clone() };
            return Some((pagination(scheme, has_more, None), format!("{how}, {items_text}{until_more}")));
        }
        if !cursors.is_empty() {
            return None;
        }
        if has_more_wire.is_some()
            && let Some(param) = query_param(params, "starting_after", |t| *t == Ty::String)
            && let Some(field) =
                self.path_to(&item_ty, &["id".to_owned()], &Ty::String).and_then(|mut steps| steps.pop())
        {
            let scheme = PageScheme::LastItem { param, field };
            let how = format!("cursor `starting_after` = the last item's `id`, {items_text}{until_more}");
            return Some((pagination(scheme, has_more, None), how));
        }
        let fields = self.struct_fields(response).unwrap_or_default();
        let string = |wire: &str| fields.iter().any(|f| f.wire_name == wire && f.ty == Ty::String);
        let mut urls: Vec<&str> = NEXT_URLS
            .iter()
            .copied()
            .filter(|next| self.path_to(response, &split(next), &Ty::String).is_some())
            .collect();
        if string("next") && string("previous") {
            urls.push("next");
        }
        if let [next] = urls.as_slice() {
            let steps = self.path_to(response, &split(next), &Ty::String)?;
            let how = format!("next URL `{next}`, {items_text}{until_more}");
            return Some((pagination(PageScheme::NextUrl(steps), has_more, None), how));
        }
        if !urls.is_empty() {
            return None;
        }
        let totals: Vec<PageTotal> = TOTALS.iter().filter_map(|wire| self.total(response, wire)).collect();
        let total = match totals.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        let total_wire =
            total.as_ref().and_then(|t| fields.iter().find(|f| f.name == t.field)).map(|f| f.wire_name.clone());
        let until_total = total_wire.as_ref().map(|w| format!(", until `{w}` items are seen")).unwrap_or_default();
        if let Some(offset) = query_param(params, "offset", is_count)
            && query_param(params, "limit", is_count).is_some()
        {
            let how = format!("offset `offset` moved past each page's items, {items_text}{until_more}{until_total}");
            return Some((pagination(PageScheme::Offset(offset), has_more, total), how));
        }
        if let Some(mut page) = query_param(params, "page", is_count)
            && (total.is_some() || has_more.is_some())
            && page.ty != Ty::F64
        {
            if page.optional {
                page.start = Some(start_of(op, "page")?);
            }
            let how = format!("page number `page`, {items_text}{until_more}{until_total}");
            return Some((pagination(PageScheme::PageNumber(page), has_more, total), how));
        }
        None
    }
}

/// The query parameter `wire` of the operation, when its type passes `want`.
fn query_param(params: &ParamsStruct, wire: &str, want: fn(&Ty) -> bool) -> Option<PageParam> {
    let found = |list: &[Param], optional: bool| {
        list.iter()
            .find(|p| p.wire_name == wire && p.location == crate::ir::Location::Query && want(&p.ty))
            .map(|p| PageParam { name: p.name.clone(), ty: p.ty.clone(), optional, start: None })
    };
    found(&params.required, false).or_else(|| found(&params.optional, true))
}

/// The integer `default` of the operation's parameter `wire`, when not negative: the page a
/// server answers without it.
fn start_of(op: &OperationSpec, wire: &str) -> Option<i64> {
    let param = op.params.iter().find(|p| p.name == wire && p.location == crate::parse::ParamLocation::Query)?;
    param.schema.default.as_ref()?.as_i64().filter(|start| *start >= 0)
}
