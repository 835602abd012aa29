//! Documents that must generate: regressions for shapes real API descriptions use (OpenAPI 3.0,
//! YAML, references to every `components` kind, operations without `operationId` or tag,
//! security schemes, nullable components, server variables, `readOnly`/`writeOnly`…).
//!
//! Each file in `tests/fixtures/documents/` is generated, and a short summary of what it became
//! (base URL, security, resources and operations, types) is snapshotted; a reviewer reads a
//! change of the generator's reading of a document as a snapshot diff. Relative server URLs are
//! resolved against [`DOCUMENT_URL`], as if the document had been fetched from there.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::fmt::Write as _;

use codegen::ir::{
    Api, BodyKind, Bound, Constraints, PageParam, PageScheme, PageStep, Pagination, PartValue, Presence, ResponseBody,
    Returns, StreamKind, Ty, TypeKind,
};
use tests::{read_fixture, root};

/// Where the documents pretend to have been published.
const DOCUMENT_URL: &str = "https://docs.example.com/specs/openapi.yaml";

#[track_caller]
fn check(file: &str) {
    let text = read_fixture(&format!("documents/{file}"));
    let label = format!("tests/fixtures/documents/{file}");
    let doc = codegen::Document::parse(&label, &text).unwrap_or_else(|e| panic!("{e}"));
    let mut settings = codegen::Settings::new(&label, "DOC");
    settings.document_url = Some(DOCUMENT_URL.to_owned());
    codegen::generate(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    let api = codegen::lower(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    let mut insta = insta::Settings::clone_current();
    insta.set_snapshot_path(root().join("tests/snapshots"));
    insta.set_prepend_module_to_snapshot(false);
    insta.set_omit_expression(true);
    let name = format!("document__{}", file.replace(['.', '-'], "_"));
    insta.bind(|| insta::assert_snapshot!(name, summary(&api)));
}

fn ty(t: &Ty) -> String {
    match t {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::F64 => "f64".into(),
        Ty::I64 => "i64".into(),
        Ty::U64 => "u64".into(),
        Ty::NonZeroU64 => "NonZeroU64".into(),
        Ty::I32 => "i32".into(),
        Ty::U32 => "u32".into(),
        Ty::I128 => "i128".into(),
        Ty::U128 => "u128".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::Any => "Value".into(),
        Ty::JsonObject => "Map<String, Value>".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(inner) => format!("Vec<{}>", ty(inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", ty(inner)),
        Ty::Option(inner) => format!("Option<{}>", ty(inner)),
        Ty::Box(inner) => format!("Box<{}>", ty(inner)),
    }
}

/// A request body's kind; a multipart one as its struct, a field per part.
fn body_kind(kind: &BodyKind) -> String {
    let BodyKind::Multipart(m) = kind else { return format!("{kind:?}") };
    let parts: Vec<String> = m
        .parts
        .iter()
        .map(|p| {
            let value = match &p.value {
                PartValue::File { content_type, accepts, untyped } => {
                    format!("File [{content_type}; accepts {accepts:?}{}]", if *untyped { "; untyped" } else { "" })
                }
                PartValue::Text { ty: t, content_type } => format!("{} [text; {content_type:?}]", ty(t)),
                PartValue::Json { ty: t, content_type } => format!("{} [json; {content_type}]", ty(t)),
            };
            let shape = match (p.repeated, p.required) {
                (true, true) => format!("Vec<{value}> (required)"),
                (true, false) => format!("Vec<{value}>"),
                (false, true) => value,
                (false, false) => format!("Option<{value}>"),
            };
            format!("{} `{}`: {shape}", p.name, p.wire_name)
        })
        .collect();
    format!("Multipart {} {{ {} }}", m.name, parts.join(", "))
}

/// What a reader of the generated crate sees first, one line per item.
/// A page scheme in one line: the scheme with its parameter and response fields, the items, and
/// what ends the stream.
fn pagination(p: &Pagination) -> String {
    let steps = |steps: &[PageStep]| steps.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(".");
    let param = |p: &PageParam| {
        let start = p.start.map(|s| format!(" from {s}")).unwrap_or_default();
        format!("{}{}: {}{start}", p.name, if p.optional { "?" } else { "" }, ty(&p.ty))
    };
    let scheme = match &p.scheme {
        PageScheme::PageNumber(p) => format!("page number {}", param(p)),
        PageScheme::Offset(p) => format!("offset {}", param(p)),
        PageScheme::Cursor { param: p, next } => format!("cursor {} = {}", param(p), steps(next)),
        PageScheme::LastItem { param: p, field } => format!("cursor {} = last item's {}", param(p), field.name),
        PageScheme::NextUrl(next) => format!("next URL {}", steps(next)),
        PageScheme::Link => "Link header".to_owned(),
    };
    let items = p.items.as_ref().map_or("the response".to_owned(), |i| i.name.clone());
    let total = p.total.as_ref().map(|t| format!("; total {}", t.field)).unwrap_or_default();
    let more = p.has_more.as_deref().map(|m| format!("; has_more {}", steps(m))).unwrap_or_default();
    format!("{scheme}; items {items}: {}{total}{more}", ty(&p.item_ty))
}

fn summary(api: &Api) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "base_url: {:?}", api.base_url);
    let _ = writeln!(out, "auth (required: {}):", api.auth_required);
    for scheme in &api.auth {
        let _ = writeln!(out, "  {} ({}): {:?}", scheme.name, scheme.wire_name, scheme.kind);
    }
    for resource in &api.resources {
        let _ = writeln!(out, "client.{}() -> {}", resource.accessor, resource.name);
        for op in &resource.operations {
            let body = |b: &ResponseBody| match b {
                ResponseBody::Unit => "()".to_owned(),
                ResponseBody::Json(t) => ty(t),
                ResponseBody::Text => "String".to_owned(),
                ResponseBody::Bytes => "Bytes".to_owned(),
            };
            let response = match &op.response {
                Returns::One(b) => body(b),
                Returns::ByStatus { name, variants } => {
                    let variants: Vec<String> =
                        variants.iter().map(|v| format!("{}({})", v.name, body(&v.body))).collect();
                    format!("{name} {{{}}}", variants.join(", "))
                }
            };
            let response = match &op.body {
                Some(b) => {
                    let alternatives = b.alternatives.iter().map(|a| format!(" ({}: {})", a.media, body_kind(&a.kind)));
                    format!(
                        "body {}: {}{} -> {response}",
                        b.media,
                        body_kind(&b.kind),
                        alternatives.collect::<String>()
                    )
                }
                None => response,
            };
            let response = match &op.stream {
                Some(s) => {
                    let yields = match &s.kind {
                        StreamKind::Events { item, terminator } => format!(
                            "events of {}{}",
                            ty(item),
                            terminator.as_deref().map(|t| format!(" until {t}")).unwrap_or_default()
                        ),
                        StreamKind::Lines(item) => format!("lines of {}", ty(item)),
                        StreamKind::Seq(item) => format!("sequence of {}", ty(item)),
                        StreamKind::Bytes => "bytes".to_owned(),
                    };
                    format!("{response}; {} {}: {yields}", s.method_name, s.media)
                }
                None => response,
            };
            let path: Vec<String> = op.path_params.iter().map(|p| format!("{}: {}", p.name, ty(&p.ty))).collect();
            let query: Vec<String> = (op.params.required.iter().map(|p| format!("{}: {}", p.name, ty(&p.ty))))
                .chain(op.params.optional.iter().map(|p| format!("{}?: {}", p.name, ty(&p.ty))))
                .collect();
            let _ = writeln!(
                out,
                "  {}({}) {} {} -> {response}; {} {{{}}}; security {:?}",
                op.method_name,
                path.join(", "),
                op.http_method,
                op.path,
                op.params.name,
                query.join(", "),
                op.security,
            );
            if let Some(p) = &op.pagination {
                let _ = writeln!(out, "    pages: {}", pagination(p));
            }
        }
    }
    for def in &api.types {
        let shape = match &def.kind {
            TypeKind::Struct(s) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let presence = match f.presence {
                            Presence::Required => "",
                            Presence::RequiredNullable => " (required, nullable)",
                            Presence::Optional => " (optional)",
                            Presence::OptionalNullable => " (optional, nullable)",
                        };
                        let flags = match (f.read_only, f.write_only) {
                            (true, _) => " readOnly",
                            (_, true) => " writeOnly",
                            _ => "",
                        };
                        format!("{} `{}`: {}{presence}{flags}", f.name, f.wire_name, ty(&f.ty))
                    })
                    .collect();
                format!("struct {{ {} }}", fields.join(", "))
            }
            TypeKind::Enum(e) => {
                let variants: Vec<String> = e.variants.iter().map(|v| format!("{} = {:?}", v.name, v.wire)).collect();
                format!("enum {{ {} }}", variants.join(", "))
            }
            TypeKind::Union(u) => {
                let variants: Vec<String> = u.variants.iter().map(|v| format!("{}({})", v.name, ty(&v.ty))).collect();
                format!("union tag {:?} {{ {} }}", u.tag, variants.join(", "))
            }
            TypeKind::Alias(t) => format!("= {}", ty(t)),
        };
        let _ = writeln!(out, "type {} {shape}", def.name);
    }
    if !api.notes.is_empty() {
        let _ = writeln!(out, "notes:");
        for note in &api.notes {
            let _ = writeln!(out, "  {}: {}", note.location, note.message);
        }
    }
    if !api.warnings.is_empty() {
        let _ = writeln!(out, "warnings:");
        for warning in &api.warnings {
            let _ = writeln!(out, "  {}: {}", warning.location, warning.message);
        }
    }
    out
}

#[test]
fn every_document_has_a_test() {
    let source = std::fs::read_to_string(root().join("tests/tests/documents.rs")).expect("readable");
    for entry in std::fs::read_dir(root().join("tests/fixtures/documents")).expect("the directory exists") {
        let name = entry.expect("readable").file_name().to_string_lossy().into_owned();
        assert!(source.contains(&format!("check(\"{name}\")")), "no test generates {name}");
    }
}

#[test]
fn pagination_declared() {
    check("pagination-declared.json");
}

// The reproducers of bugs found on real documents.
#[test]
fn default_response_only() {
    check("default-response-only.json");
}
#[test]
fn first_2xx_without_body() {
    check("first-2xx-only.json");
}
#[test]
fn hostile_property_names() {
    check("hostile-property-names.json");
}
#[test]
fn inline_name_vs_component() {
    check("inline-name-vs-component.json");
}
#[test]
fn nullable_anyof_inline_component() {
    check("nullable-anyof-inline-component.json");
}
#[test]
fn nullable_enum_component() {
    check("nullable-enum-component.json");
}
#[test]
fn nullable_object_component() {
    check("nullable-object-component.json");
}
#[test]
fn empty_descriptions() {
    check("empty-descriptions.json");
}
#[test]
fn multipart_shapes() {
    check("multipart-shapes-3.0.yaml");
}
#[test]
fn operation_names() {
    check("operation-names.json");
}
#[test]
fn param_ref_to_scalar_component() {
    check("param-ref-to-scalar-component.json");
}
#[test]
fn plus1_minus1_properties() {
    check("plus1-minus1-properties.json");
}
#[test]
fn relative_server_resolved_against_the_document_url() {
    check("relative-server-without-document-url.json");
}
#[test]
fn relative_server() {
    check("relative-server.json");
}
#[test]
fn scalar_component_with_bounds() {
    check("scalar-component-with-bounds.json");
}
#[test]
fn server_variables() {
    check("server-variables.json");
}
#[test]
fn tag_schema_collision() {
    check("tag-schema-collision.json");
}
#[test]
fn writeonly_required() {
    check("writeonly-required.json");
}
#[test]
fn deep_object() {
    check("deep-object-40.json");
}

// Once refused, now read.
/// JSON Schema ignores a validation keyword on an instance of another type: accepted, neither
/// checked nor documented, while the keywords of the field's own type still are.
#[test]
fn bounds_on_other_types() {
    check("bounds-on-other-types.json");
    let text = read_fixture("documents/bounds-on-other-types.json");
    let doc = codegen::Document::parse("bounds-on-other-types.json", &text).unwrap_or_else(|e| panic!("{e}"));
    let api = codegen::lower(&doc, &codegen::Settings::new("x", "DOC")).unwrap_or_else(|e| panic!("{e}"));
    let Some(TypeKind::Struct(project)) = api.types.iter().find(|t| t.name == "Project").map(|t| &t.kind) else {
        panic!("Project is a struct");
    };
    let field =
        |wire: &str| project.fields.iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("no field {wire}"));
    let only = |wire: &str, expected: Constraints| {
        let f = field(wire);
        assert_eq!(f.constraints, expected, "{wire}: checked");
        assert_eq!(Constraints { format: None, ..f.written.clone() }, expected, "{wire}: documented");
    };
    only("environments", Constraints { min_items: Some(1), ..Constraints::default() });
    let ten = Bound { value: 10.into(), exclusive: false };
    only("count", Constraints { maximum: Some(ten), ..Constraints::default() });
    only("name", Constraints { max_length: Some(20), ..Constraints::default() });
    only("flags", Constraints::default());
}
#[test]
fn api_key_security() {
    check("api-key-security.json");
}
/// `mutualTLS` sends nothing in the request; an operation that needs only it needs no API key,
/// so the client builds without one.
#[test]
fn mutual_tls() {
    check("mutual-tls.json");
}
/// `type: [A, B]` is the `anyOf` of one schema per type, each with the keywords of its type.
#[test]
fn type_lists() {
    check("type-lists.json");
}
/// `oneOf`/`anyOf` beside `properties`: the properties are merged into every alternative, a
/// `$ref`'d one keeping its name and its tag value.
#[test]
fn one_of_beside_properties() {
    check("one-of-beside-properties.json");
}
/// `$ref`s to schemas, responses and parameters written in other operations or inside other
/// schemas (DigitalOcean's, the D&D 5e API's): one type per place, named after it.
#[test]
fn refs_anywhere() {
    check("refs-anywhere.json");
}
/// Tagged unions written in operations, a discriminator mapping two tag values to one schema,
/// and one component tagged differently by two unions.
#[test]
fn tagged_unions_in_operations() {
    check("tagged-unions-in-operations.json");
}
/// Inline schemas identical to another type (nested ones level by level, one to a component) are
/// aliases of one type; different docs, two components and recursive schemas keep types of their
/// own, and so does what holds two distinct components.
#[test]
fn identical_inline_schemas() {
    check("identical-inline-schemas.json");
    // With sharing off, every inline schema is a type of its own.
    let text = read_fixture("documents/identical-inline-schemas.json");
    let doc = codegen::Document::parse("identical-inline-schemas.json", &text).unwrap_or_else(|e| panic!("{e}"));
    let mut settings = codegen::Settings::new("x", "DOC");
    let shared = codegen::lower(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    settings.share_identical_types = false;
    let distinct = codegen::lower(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    let kind = |api: &Api, name: &str| {
        api.types.iter().find(|t| t.name == name).map(|t| t.kind.clone()).unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(kind(&shared, "GetBResponseBox"), TypeKind::Alias(Ty::Named("GetAResponseBox".to_owned())));
    assert!(matches!(kind(&distinct, "GetBResponseBox"), TypeKind::Struct(_)));
    assert_eq!(shared.types.len(), distinct.types.len(), "every name is still there");
    let aliases = |api: &Api| api.types.iter().filter(|t| matches!(t.kind, TypeKind::Alias(_))).count();
    assert_eq!((aliases(&shared), aliases(&distinct)), (5, 0));
}
#[test]
fn duplicate_field_name() {
    check("duplicate-field-name.json");
}
#[test]
fn missing_operation_id() {
    check("missing-operation-id.json");
}
#[test]
fn bounds_in_items() {
    check("nested-nullable-bounds-in-items.json");
}
#[test]
fn pattern() {
    check("pattern.json");
}
#[test]
fn schema_quirks_openapi_30_yaml() {
    check("schema-quirks-3.0.yaml");
}

/// OpenAPI 3.2 and streamed responses: server-sent events typed by `itemSchema`'s
/// `data.contentSchema` (no terminator, `x-stream-terminator: false`) or by `schema` beside a
/// JSON body (a `…_stream` method, the default `[DONE]`), JSON Lines, a JSON text sequence, a
/// download's byte stream; the `QUERY` method, `additionalOperations`, `$self`.
#[test]
fn streams_and_openapi_32() {
    check("streams-3.2.yaml");
}

/// The terminator a document does not name is the setting's: `[DONE]` by default, none when
/// the setting says so, never over the document's own (`x-stream-terminator: false` stays none).
#[test]
fn the_stream_terminator_setting_applies_where_the_document_is_silent() {
    use codegen::ir::Operation;
    let file = "streams-3.2.yaml";
    let text = read_fixture(&format!("documents/{file}"));
    let doc = codegen::Document::parse(file, &text).unwrap_or_else(|e| panic!("{e}"));
    let terminators = |setting: Option<&str>| {
        let mut settings = codegen::Settings::new(file, "DOC");
        settings.stream_terminator = setting.map(str::to_owned);
        let api = codegen::lower(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
        let operations = api.resources.iter().flat_map(|r| &r.operations);
        let events = |op: &Operation| match op.stream.as_ref().map(|s| &s.kind) {
            Some(StreamKind::Events { terminator, .. }) => Some((op.method_name.clone(), terminator.clone())),
            _ => None,
        };
        operations.filter_map(events).collect::<Vec<_>>()
    };
    let pair = |name: &str, terminator: Option<&str>| (name.to_owned(), terminator.map(str::to_owned));
    assert_eq!(terminators(Some("[DONE]")), [pair("chat", Some("[DONE]")), pair("subscribe", None)]);
    assert_eq!(terminators(Some("END")), [pair("chat", Some("END")), pair("subscribe", None)]);
    assert_eq!(terminators(None), [pair("chat", None), pair("subscribe", None)]);
}

// Whole documents.
#[test]
fn petstore_openapi_30_yaml() {
    check("petstore-3.0.yaml");
}
#[test]
fn names_and_references_openapi_31_yaml() {
    check("names-3.1.yaml");
}

/// A relative server URL and no document URL to resolve it against: the crate generates with no
/// default base URL (the client asks for one) instead of being refused or guessing a host.
#[test]
fn relative_server_without_document_url_leaves_the_base_url_to_the_user() {
    let file = "relative-server-without-document-url.json";
    let text = read_fixture(&format!("documents/{file}"));
    let doc = codegen::Document::parse(file, &text).unwrap_or_else(|e| panic!("{e}"));
    let settings = codegen::Settings::new(file, "DOC");
    let api = codegen::lower(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.base_url, None);
    let files = codegen::generate(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    let operations = files.iter().find(|f| f.path == "src/operations.rs").expect("operations.rs");
    assert!(operations.contents.contains("pub const DEFAULT_BASE_URL: &str = \"\";"), "{}", operations.contents);
    let mut with_url = settings.clone();
    with_url.document_url = Some(DOCUMENT_URL.to_owned());
    let api = codegen::lower(&doc, &with_url).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.base_url.as_deref(), Some("https://docs.example.com/api/v3"));
}

#[test]
fn tagged_union_with_an_inline_variant_is_untagged() {
    check("tagged-union-inline-variant.json");
}

#[test]
fn tagged_variant_used_directly_keeps_its_tag() {
    check("tagged-variant-used-directly.json");
}

/// Parameters whose Rust names collide (keywords, `self`/`Self`, `body`/`__body`, `a-b`/`a_b`,
/// `Id`/`id`) get distinct names from their place or wire name, each with a warning; an
/// `operationId` of `self` names its types `Self…` without an `_` (rustc's
/// `non_camel_case_types`). The crates compile clippy-clean (`tests/corpus/check.sh`).
#[test]
fn colliding_names_are_told_apart() {
    check("colliding-ab.json");
    check("colliding-body--body.json");
    check("colliding-id-id.json");
    check("colliding-keyword-params.json");
    check("colliding-self-self.json");
}

/// Keywords beside a `$ref`: applied in 3.1 (JSON Schema 2020-12 reads the schema as both), and
/// ignored in 3.0 as OpenAPI 3.0 says, with a warning (`nullable` is kept).
#[test]
fn keywords_beside_a_ref() {
    check("ref-siblings.json");
    check("ref-siblings-3.0.yaml");
}

/// Description text with invisible characters (clippy's `invisible_characters` in the JSON
/// Schema literal) and list items continued past their content column (clippy's
/// `doc_overindented_list_items`): the crate is still clippy-clean (`tests/corpus/check.sh`).
#[test]
fn invisible_characters_and_overindented_list_items() {
    check("invisible-and-list-docs.json");
}

/// Header and cookie parameters that cannot be sent under their names (no token, a header the
/// client sets or that frames the request) are left out with a warning, so that no call fails
/// for a parameter the caller cannot avoid (the runtime refuses them too).
#[test]
fn reserved_and_invalid_header_names_are_left_out() {
    check("reserved-header-params.json");
}

/// An `allOf` member narrowing a property (`data`: objects → stations, train-travel's
/// `Wrapper-Collection`) keeps the narrower type; a path item `$ref` (to `components/pathItems`)
/// is followed.
#[test]
fn all_of_refinement_and_path_item_refs() {
    check("all-of-refinement.json");
}
