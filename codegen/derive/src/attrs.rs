//! The `#[model(…)]` attributes, read into plain structs; every unknown, misplaced or repeated
//! one is an error at its span.

use syn::{Attribute, Error, Expr, LitInt, LitStr, meta::ParseNestedMeta};

/// Reads every `#[model(…)]` among `attrs`, one nested meta at a time. An attribute given twice
/// on one item (in one `#[model(…)]` or two) is an error at the second, as serde's are, since
/// the second would silently replace the first; so are `minimum` and `exclusive_minimum`
/// together (and the two maxima), which set one bound.
fn each(attrs: &[Attribute], mut f: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>) -> syn::Result<()> {
    let mut seen: Vec<(String, &'static str)> = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        attr.parse_nested_meta(|meta| {
            f(&meta)?;
            let name = meta.path.get_ident().map_or_else(String::new, ToString::to_string);
            let slot = match name.as_str() {
                "minimum" | "exclusive_minimum" => "the minimum",
                "maximum" | "exclusive_maximum" => "the maximum",
                _ => "",
            };
            let earlier = seen.iter().find(|(n, s)| *n == name || (!slot.is_empty() && *s == slot));
            match earlier {
                Some((n, _)) if *n == name => Err(meta.error(format!("duplicate model attribute `{name}`"))),
                Some((n, _)) => Err(meta.error(format!("`{name}` and `{n}` both set {slot}"))),
                None => {
                    seen.push((name, slot));
                    Ok(())
                }
            }
        })?;
    }
    Ok(())
}

fn unknown(meta: &ParseNestedMeta<'_>, place: &str) -> Error {
    let name = meta.path.get_ident().map_or_else(String::new, ToString::to_string);
    meta.error(format!("unknown model attribute `{name}` on {place}"))
}

/// On the struct or enum.
#[derive(Default)]
pub(crate) struct Container {
    pub(crate) tag: Option<LitStr>,
    /// A tagged-union variant's one tag value, written when the struct is encoded on its own.
    pub(crate) tag_value: Option<LitStr>,
    pub(crate) untagged: bool,
    pub(crate) schema_name: Option<LitStr>,
    pub(crate) inline_schema: bool,
    /// `additionalProperties: false`: `Validate` reports every kept undeclared property.
    pub(crate) closed: bool,
}

impl Container {
    pub(crate) fn parse(attrs: &[Attribute]) -> syn::Result<Self> {
        let mut out = Self::default();
        each(attrs, |meta| {
            if meta.path.is_ident("tag") {
                out.tag = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("tag_value") {
                out.tag_value = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("untagged") {
                out.untagged = true;
            } else if meta.path.is_ident("schema_name") {
                out.schema_name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("inline_schema") {
                out.inline_schema = true;
            } else if meta.path.is_ident("closed") {
                out.closed = true;
            } else {
                return Err(unknown(meta, "a type"));
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// A numeric bound: the value as written and whether it is exclusive.
pub(crate) struct Bound {
    pub(crate) value: Expr,
    pub(crate) exclusive: bool,
}

/// On a struct field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) optional: bool,
    pub(crate) nullable: bool,
    pub(crate) extra: bool,
    pub(crate) validate: bool,
    /// The value holds integers (through lists, maps and aliases): read with JSON Schema's rule,
    /// a number with a zero fraction being an integer (`codec::Integer`).
    pub(crate) integer: bool,
    pub(crate) minimum: Option<Bound>,
    pub(crate) maximum: Option<Bound>,
    pub(crate) min_length: Option<LitInt>,
    pub(crate) max_length: Option<LitInt>,
    pub(crate) pattern: Option<LitStr>,
    pub(crate) multiple_of: Option<Expr>,
    /// `minItems`, and `minProperties` (counted the same way).
    pub(crate) min_items: Option<LitInt>,
    /// `maxItems`, and `maxProperties`.
    pub(crate) max_items: Option<LitInt>,
    pub(crate) unique_items: bool,
    /// `#[deprecated]`, so that the impls reading the field allow it.
    pub(crate) deprecated: bool,
}

impl FieldAttrs {
    pub(crate) fn parse(attrs: &[Attribute]) -> syn::Result<Self> {
        let mut out = Self { deprecated: attrs.iter().any(|a| a.path().is_ident("deprecated")), ..Self::default() };
        each(attrs, |meta| {
            let bound = |exclusive| -> syn::Result<Option<Bound>> {
                Ok(Some(Bound { value: meta.value()?.parse()?, exclusive }))
            };
            let path = &meta.path;
            if path.is_ident("rename") {
                out.rename = Some(meta.value()?.parse()?);
            } else if path.is_ident("optional") {
                out.optional = true;
            } else if path.is_ident("nullable") {
                out.nullable = true;
            } else if path.is_ident("extra") {
                out.extra = true;
            } else if path.is_ident("validate") {
                out.validate = true;
            } else if path.is_ident("integer") {
                out.integer = true;
            } else if path.is_ident("minimum") {
                out.minimum = bound(false)?;
            } else if path.is_ident("exclusive_minimum") {
                out.minimum = bound(true)?;
            } else if path.is_ident("maximum") {
                out.maximum = bound(false)?;
            } else if path.is_ident("exclusive_maximum") {
                out.maximum = bound(true)?;
            } else if path.is_ident("min_length") {
                out.min_length = Some(meta.value()?.parse()?);
            } else if path.is_ident("max_length") {
                out.max_length = Some(meta.value()?.parse()?);
            } else if path.is_ident("pattern") {
                out.pattern = Some(meta.value()?.parse()?);
            } else if path.is_ident("multiple_of") {
                out.multiple_of = Some(meta.value()?.parse()?);
            } else if path.is_ident("min_items") {
                out.min_items = Some(meta.value()?.parse()?);
            } else if path.is_ident("max_items") {
                out.max_items = Some(meta.value()?.parse()?);
            } else if path.is_ident("unique_items") {
                out.unique_items = true;
            } else {
                return Err(unknown(meta, "a field"));
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// On an enum variant.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) other: bool,
    pub(crate) validate: bool,
    pub(crate) kind: Option<LitStr>,
    /// A tagged union's variant whose struct declares the tag itself.
    pub(crate) keeps_tag: bool,
    /// An untagged variant holding integers (a list or map of them), read with JSON Schema's
    /// rule (`codec::Integer`); an `integer` variant always is.
    pub(crate) integer: bool,
}

impl VariantAttrs {
    pub(crate) fn parse(attrs: &[Attribute]) -> syn::Result<Self> {
        let mut out = Self::default();
        each(attrs, |meta| {
            if meta.path.is_ident("rename") {
                out.rename = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("other") {
                out.other = true;
            } else if meta.path.is_ident("validate") {
                out.validate = true;
            } else if meta.path.is_ident("kind") {
                out.kind = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("keeps_tag") {
                out.keeps_tag = true;
            } else if meta.path.is_ident("integer") {
                out.integer = true;
            } else {
                return Err(unknown(meta, "a variant"));
            }
            Ok(())
        })?;
        Ok(out)
    }
}
