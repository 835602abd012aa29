//! `multipart/form-data` bodies → the structs that hold them: which properties are files, text
//! or JSON, and the content type of each part.
//!
//! Each property is one part, as OpenAPI's defaults say: a file (`format: binary`, a 3.1
//! `contentMediaType` without `contentEncoding`, or no type at all, whose default content type
//! OpenAPI 3.1.1 makes `application/octet-stream`) as the runtime's `File`; a scalar or string
//! enum as text; anything else (objects, maps, unions, nested arrays) as JSON. An array is one
//! part per item, each item encoded as above. Only here does `format: binary` mean a file:
//! everywhere else nothing changes.

use std::collections::BTreeMap;

use super::Lowerer;
use super::schemas::is_scalar;
use crate::ir::{Multipart, Part, PartValue, Ty, TypeDef, TypeKind};
use crate::names::{Taken, pascal, snake, unique};
use crate::parse::{EncodingSpec, Kind, Schema, is_json_media_type};

/// How many `$ref`s and aliases are followed from a property to what it is; real documents need
/// a handful, and a longer chain is a loop that lowering refuses elsewhere.
const MAX_FOLLOW: usize = 64;

/// The content type of a file part that neither the file nor the document names.
const OCTET_STREAM: &str = "application/octet-stream";

/// A property's schema once `$ref`s and nullability are looked through, with the keywords that
/// make it a file, taken from the outermost node that has them.
struct Followed<'s> {
    node: &'s Schema,
    nullable: bool,
    binary: bool,
    media_type: Option<&'s str>,
    /// `contentEncoding`, or 3.0's `format: byte`: the value is encoded text.
    encoded: bool,
}

impl Followed<'_> {
    fn is_file(&self) -> bool {
        match self.node.kind {
            Kind::String => self.binary || (self.media_type.is_some() && !self.encoded),
            Kind::Any => !self.encoded,
            _ => false,
        }
    }
}

fn follow<'s>(schemas: &'s BTreeMap<String, Schema>, mut schema: &'s Schema) -> Followed<'s> {
    let mut followed = Followed { node: schema, nullable: false, binary: false, media_type: None, encoded: false };
    for _ in 0..MAX_FOLLOW {
        let bounds = &schema.bounds;
        followed.binary |= bounds.format.as_deref() == Some("binary");
        followed.encoded |= bounds.content_encoding.is_some() || bounds.format.as_deref() == Some("byte");
        followed.media_type = followed.media_type.or(bounds.content_media_type.as_deref());
        followed.node = schema;
        schema = match &schema.kind {
            Kind::Nullable(inner) => {
                followed.nullable = true;
                inner
            }
            Kind::Ref(name) => match schemas.get(name) {
                Some(target) => target,
                // Reported when its type is lowered.
                None => break,
            },
            _ => break,
        };
    }
    followed
}

/// Whether a `contentType` names one media type (not a list, not a range like `image/*`).
fn single(media: &str) -> bool {
    !media.contains([',', '*'])
}

impl Lowerer<'_> {
    /// The struct of a multipart body, named `{method}Multipart` in the crate root, unless an
    /// earlier operation sends the same schema with the same `encoding`: then its struct.
    pub(super) fn multipart(
        &mut self,
        schema: &Schema,
        encoding: &BTreeMap<String, EncodingSpec>,
        method: &str,
        root_names: &mut Taken,
    ) -> Option<Multipart> {
        let schemas = self.schemas;
        // Through `$ref`s and nullability: a body is never `null`.
        let object = follow(schemas, schema).node;
        let Kind::Object { properties, required, .. } = &object.kind else {
            let problem = if matches!(object.kind, Kind::Map(_)) {
                "unsupported: a multipart body of free-form fields (`additionalProperties` without \
                 `properties`): declare its parts as `properties`"
            } else {
                "unsupported: a multipart body must be an object (its properties are the parts)"
            };
            self.errors.push(schema.pointer.as_str(), problem);
            return None;
        };
        for (property, spec) in encoding {
            if !properties.contains_key(property) {
                self.errors.push(
                    spec.pointer.as_str(),
                    format!("the `encoding` names `{property}`, which is not a property of the body"),
                );
            }
        }
        let content_types: BTreeMap<String, Option<String>> =
            encoding.iter().map(|(property, spec)| (property.clone(), spec.content_type.clone())).collect();
        let key = (object.pointer.to_string(), content_types);
        if let Some(done) = self.multiparts.get(&key) {
            return Some(done.clone());
        }
        let name = unique(format!("{method}Multipart"), root_names);
        let mut taken = Taken::default();
        let mut parts = Vec::new();
        for (wire, property) in properties {
            // Sent by the server only: a request leaves it out.
            if property.read_only {
                continue;
            }
            let field = unique(snake(wire), &mut taken);
            let hint = format!("{name}{}", pascal(wire));
            let Some(part) = self.part(field, wire, property, required.contains(wire), &hint, encoding.get(wire))
            else {
                continue;
            };
            parts.push(part);
        }
        // Files last; in each group required fields first; each sorted by wire name (the
        // properties' order).
        parts.sort_by_key(|p| (matches!(p.value, PartValue::File { .. }), !p.required));
        let multipart =
            Multipart { name, docs: object.description.clone().or_else(|| schema.description.clone()), parts };
        self.multiparts.insert(key, multipart.clone());
        Some(multipart)
    }

    /// One property of a multipart body as a field: a file, text or JSON, one or a list.
    fn part(
        &mut self,
        name: String,
        wire: &str,
        property: &Schema,
        required: bool,
        hint: &str,
        encoding: Option<&EncodingSpec>,
    ) -> Option<Part> {
        let schemas = self.schemas;
        let followed = follow(schemas, property);
        let shape = self.shape(hint, property);
        let nullable = followed.nullable || shape.nullable;
        // An array's items are each one part; the item schema decides how.
        let (repeated, item, item_ty) = match &followed.node.kind {
            Kind::Array(items) => {
                let Some(item_ty) = self.item_ty(shape.ty) else {
                    self.errors.push(property.pointer.as_str(), "internal: an array that did not lower to a list");
                    return None;
                };
                (true, follow(schemas, items), item_ty)
            }
            _ => (false, followed, shape.ty),
        };
        let declared = encoding.and_then(|e| e.content_type.as_deref());
        let at = encoding.map(|e| e.pointer.join("contentType")).unwrap_or_else(|| property.pointer.clone());
        let value = if item.is_file() {
            let media_type = item.media_type.filter(|m| single(m) && is_media(m));
            PartValue::File {
                content_type: declared.filter(|d| single(d)).or(media_type).unwrap_or(OCTET_STREAM).to_owned(),
                accepts: declared.filter(|d| !single(d)).map(str::to_owned),
                untyped: matches!(item.node.kind, Kind::Any),
            }
        } else if matches!(item.node.kind, Kind::Any) {
            // Encoded text (`contentEncoding` without a type): the caller's string, as it is.
            PartValue::Text { ty: Ty::String, content_type: declared.map(str::to_owned) }
        } else {
            let ty = self.unalias(item_ty);
            let text = match self.resolve_alias(&ty) {
                Ty::Named(n) => self.is_enum(&n),
                other => is_scalar(&other),
            };
            match declared {
                Some(d) if !single(d) => {
                    self.errors.push(
                        at.as_str(),
                        format!(
                            "unsupported: `contentType` `{d}` lists several media types or a range for a part that \
                             is not a file; name one media type"
                        ),
                    );
                    return None;
                }
                Some(d) if is_json_media_type(d) => PartValue::Json { ty, content_type: d.to_owned() },
                Some(d) if !text => {
                    self.errors.push(
                        at.as_str(),
                        format!(
                            "unsupported: `contentType` `{d}` for a part holding an object, a union or a list: it \
                             can only be sent as JSON"
                        ),
                    );
                    return None;
                }
                content_type if text => PartValue::Text { ty, content_type: content_type.map(str::to_owned) },
                _ => PartValue::Json { ty, content_type: "application/json".to_owned() },
            }
        };
        let mut constraints = shape.written;
        if matches!(value, PartValue::File { .. }) && constraints.format.as_deref() == Some("binary") {
            constraints.format = None;
        }
        Some(Part {
            name,
            wire_name: wire.to_owned(),
            docs: property.description.clone(),
            required: required && !nullable,
            repeated,
            value,
            deprecated: property.deprecated,
            default: property.default.clone(),
            constraints,
        })
    }

    /// The item type of an array type (through aliases and a nullable array's `Option`), without
    /// the `Option` of nullable items: `null` cannot be sent as a part, so a list holds values.
    fn item_ty(&self, mut ty: Ty) -> Option<Ty> {
        for _ in 0..MAX_FOLLOW {
            ty = match self.resolve_alias(&ty) {
                Ty::Option(inner) => *inner,
                Ty::Vec(item) => {
                    return Some(match *item {
                        Ty::Option(inner) => *inner,
                        item => item,
                    });
                }
                _ => return None,
            };
        }
        None
    }

    /// What a type is once named aliases are looked through.
    fn resolve_alias(&self, ty: &Ty) -> Ty {
        let mut ty = ty.clone();
        for _ in 0..MAX_FOLLOW {
            match &ty {
                Ty::Named(n) => match self.types.get(n) {
                    Some(TypeDef { kind: TypeKind::Alias(inner), .. }) => ty = inner.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }
}

/// Whether a `contentMediaType` is a media type the part's header can carry.
fn is_media(media: &str) -> bool {
    media.split_once('/').is_some_and(|(kind, sub)| !kind.trim().is_empty() && !sub.trim().is_empty())
        && media.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}
