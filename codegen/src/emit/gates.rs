//! Cargo features per resource (`Settings::resource_features`): which feature gates each item.
//!
//! A resource's operations compile with its feature. A named type compiles when any resource
//! whose operations reach it (through other types, transitively) is on; a type no operation
//! reaches (a component only the document lists, such as GitHub's webhook payloads) compiles with
//! `full`; a type shared by more than [`MAX_GATES`] resources is always there (the attribute
//! would be longer than what it saves), and so is everything it reaches. A security scheme
//! compiles with the resources that use it.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, BodyKind, Operation, PartValue, Resource, ResponseBody, Returns, StreamKind, Ty, TypeDef};

/// A type reached by more resources than this is always compiled.
const MAX_GATES: usize = 8;

/// The feature that turns every resource on, and the types no operation reaches.
const FULL: &str = "full";

/// Feature names the crate's manifest already uses for something else.
const RESERVED: &[&str] = &["default", "full", "schemars"];

/// The feature that turns a resource on: its accessor (`repos`), or `repos-resource` when that
/// name is taken by the manifest's own features.
pub(crate) fn feature_name(resource: &Resource) -> String {
    if RESERVED.contains(&resource.accessor.as_str()) {
        format!("{}-resource", resource.accessor)
    } else {
        resource.accessor.clone()
    }
}

/// When an item compiles: always, or when one of these features is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gate {
    Always,
    Any(BTreeSet<String>),
}

impl Gate {
    /// The `#[cfg(…)]` attribute, or nothing.
    pub(crate) fn attr(&self) -> Option<TokenStream> {
        match self {
            Gate::Always => None,
            Gate::Any(features) if features.len() == 1 => {
                let feature = features.iter().next();
                Some(quote!(#[cfg(feature = #feature)]))
            }
            Gate::Any(features) => {
                let features = features.iter();
                Some(quote!(#[cfg(any(#(feature = #features),*))]))
            }
        }
    }
}

/// The gate of every item of a crate generated with features per resource.
#[derive(Debug, Default)]
pub(crate) struct Gates {
    types: BTreeMap<String, Gate>,
    schemes: BTreeMap<String, Gate>,
    /// Paginated response type → the features of the resources that page through it.
    pages: BTreeMap<String, BTreeSet<String>>,
    enabled: bool,
}

impl Gates {
    /// No gates: every item always compiles.
    pub(crate) fn none() -> Self {
        Self::default()
    }

    pub(crate) fn new(api: &Api) -> Self {
        let edges: BTreeMap<&str, Vec<&str>> = api.types.iter().map(|t| (t.name.as_str(), named_in_type(t))).collect();
        let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut schemes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut pages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for resource in &api.resources {
            let feature = feature_name(resource);
            let mut seen = BTreeSet::new();
            let mut stack = Vec::new();
            for op in &resource.operations {
                op_types(op, &mut stack);
                for scheme in op.security.iter().flatten() {
                    schemes.entry(scheme.clone()).or_default().insert(feature.clone());
                }
                if let Some(response) = op.paged_response() {
                    pages.entry(response.to_owned()).or_default().insert(feature.clone());
                }
            }
            while let Some(name) = stack.pop() {
                if seen.insert(name) {
                    stack.extend(edges.get(name).into_iter().flatten().copied());
                }
            }
            for name in seen {
                reached.entry(name.to_owned()).or_default().insert(feature.clone());
            }
        }
        // A nullable component's `Option` alias that no operation names compiles with the type
        // it makes nullable.
        for def in &api.types {
            if let Some(target) = def.nullable_of()
                && !reached.contains_key(&def.name)
                && let Some(features) = reached.get(target).cloned()
            {
                reached.insert(def.name.clone(), features);
            }
        }
        // A type no operation reaches (GitHub's webhook payloads, say) is there with `full`, and
        // so is what only such types reach.
        let mut unreached: Vec<&str> =
            api.types.iter().map(|t| t.name.as_str()).filter(|name| !reached.contains_key(*name)).collect();
        let mut seen = BTreeSet::new();
        while let Some(name) = unreached.pop() {
            if seen.insert(name) {
                reached.entry(name.to_owned()).or_default().insert(FULL.to_owned());
                unreached.extend(edges.get(name).into_iter().flatten().copied());
            }
        }
        // The widely shared types are always there, and so is what they reach.
        let mut always: Vec<&str> = api
            .types
            .iter()
            .map(|t| t.name.as_str())
            .filter(|name| reached.get(*name).is_some_and(|features| features.len() > MAX_GATES))
            .collect();
        let mut always_set = BTreeSet::new();
        while let Some(name) = always.pop() {
            if always_set.insert(name) {
                always.extend(edges.get(name).into_iter().flatten().copied());
            }
        }
        let types = api
            .types
            .iter()
            .map(|t| {
                let gate = match reached.remove(&t.name) {
                    Some(features) if !always_set.contains(t.name.as_str()) => Gate::Any(features),
                    _ => Gate::Always,
                };
                (t.name.clone(), gate)
            })
            .collect();
        let schemes = schemes.into_iter().map(|(name, features)| (name, Gate::Any(features))).collect();
        Self { types, schemes, pages, enabled: true }
    }

    pub(crate) fn ty(&self, name: &str) -> Option<TokenStream> {
        self.types.get(name).and_then(Gate::attr)
    }

    pub(crate) fn scheme(&self, name: &str) -> Option<TokenStream> {
        self.schemes.get(name).and_then(Gate::attr)
    }

    pub(crate) fn resource(&self, resource: &Resource) -> Option<TokenStream> {
        self.enabled.then(|| Gate::Any(BTreeSet::from([feature_name(resource)]))).and_then(|g| g.attr())
    }

    /// The gate of an item several resources share: there when any of `features` is on.
    pub(crate) fn any(&self, features: &BTreeSet<String>) -> Option<TokenStream> {
        if self.enabled { Gate::Any(features.clone()).attr() } else { None }
    }

    /// The gate of a paginated response type's `Page` impl.
    pub(crate) fn page(&self, response: &str) -> Option<TokenStream> {
        self.pages.get(response).and_then(|features| Gate::Any(features.clone()).attr())
    }
}

/// The named types a type definition mentions, and those it mentioned before it became an alias
/// of an identical type.
fn named_in_type(def: &TypeDef) -> Vec<&str> {
    let mut out: Vec<&str> = def.former_refs.iter().map(String::as_str).collect();
    def.kind.tys().into_iter().for_each(|ty| named(ty, &mut out));
    out
}

fn named<'a>(ty: &'a Ty, out: &mut Vec<&'a str>) {
    ty.visit_named(&mut |name| out.push(name));
}

/// Every named type an operation's signature, body, responses and pages mention.
fn op_types<'a>(op: &'a Operation, out: &mut Vec<&'a str>) {
    for p in op.path_params.iter().chain(&op.params.required).chain(&op.params.optional) {
        named(&p.ty, out);
    }
    if let Some(body) = &op.body {
        for kind in std::iter::once(&body.kind).chain(body.alternatives.iter().map(|a| &a.kind)) {
            match kind {
                BodyKind::Json(ty) | BodyKind::Form(ty, _) => named(ty, out),
                BodyKind::Multipart(multipart) => {
                    for part in &multipart.parts {
                        match &part.value {
                            PartValue::Text { ty, .. } | PartValue::Json { ty, .. } => named(ty, out),
                            PartValue::File { .. } => {}
                        }
                    }
                }
                BodyKind::Text | BodyKind::Bytes => {}
            }
        }
    }
    let mut response = |body: &'a ResponseBody| match body {
        ResponseBody::Json(ty) => named(ty, out),
        ResponseBody::Unit | ResponseBody::Text | ResponseBody::Bytes => {}
    };
    match &op.response {
        Returns::One(body) => response(body),
        Returns::ByStatus { variants, .. } => variants.iter().for_each(|v| response(&v.body)),
    }
    if let Some(errors) = &op.errors {
        errors.variants.iter().for_each(|v| response(&v.body));
    }
    if let Some(p) = &op.pagination {
        named(&p.item_ty, out);
    }
    if let Some(stream) = &op.stream {
        match &stream.kind {
            StreamKind::Events { item, .. } | StreamKind::Lines(item) | StreamKind::Seq(item) => named(item, out),
            StreamKind::Bytes => {}
        }
    }
}
