//! One type for inline schemas that are the same.
//!
//! Big descriptions repeat themselves: GitHub's writes the same `read`/`write` enum inline 923
//! times and the same user object 257 times, so two thirds of its 7,281 types had a twin. Every
//! type costs rustc its impls, so the crate compiled each shape hundreds of times. An inline
//! schema whose type is identical to another's (same kind, fields, wire names, presence, bounds,
//! defaults and docs, and fields of the same types in turn) becomes a `type` alias of it: its
//! name still works everywhere it did (variants and struct literals go through an alias), and
//! rustc compiles the shape once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Lowerer;
use super::cycles::strongly_connected;
use crate::ir::{Ty, TypeDef, TypeKind};

impl Lowerer<'_> {
    /// Turns every inline struct, enum or union identical to another type into an alias of the
    /// one type kept for the group: a component when the group has one, else the member with the
    /// shortest name (then the first by name). Components stay types of their own, each a
    /// distinct type as the document names it, and so do the types in `own` (paginated
    /// responses, which get impls of their own); aliases are left as they are.
    ///
    /// Types are compared bottom up, in the order of the strongly connected components of the
    /// type graph (each after every type it refers to), with every referenced type replaced by
    /// its group: one pass, linear in the types. A type on a cycle is kept as it is.
    pub(super) fn share_identical_inline_types(&mut self, own: &BTreeSet<String>) {
        // A type whose outline no other type has cannot have a twin: its full key (the costly
        // part) is not worth writing, and without any outline in common there is nothing to do.
        let outlines: Vec<(&String, String)> = self.types.iter().map(|(name, def)| (name, outline(def))).collect();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (_, outline) in &outlines {
            *counts.entry(outline).or_default() += 1;
        }
        let twinned: BTreeSet<String> = outlines
            .iter()
            .filter(|(_, outline)| counts[outline.as_str()] > 1)
            .map(|(name, _)| (*name).clone())
            .collect();
        if twinned.is_empty() {
            return;
        }
        let graph: BTreeMap<String, BTreeSet<String>> =
            self.types.iter().map(|(name, def)| (name.clone(), mentioned(def))).collect();
        let component = strongly_connected(&graph, None);
        let mut size: BTreeMap<usize, usize> = BTreeMap::new();
        for id in component.values() {
            *size.entry(*id).or_default() += 1;
        }
        // Tarjan numbers a component after every component it reaches: bottom up.
        let mut order: Vec<(usize, &String)> = component.iter().map(|(name, id)| (*id, name)).collect();
        order.sort();
        // Type name → its group (the name of the group's first member).
        let mut group: BTreeMap<String, String> = BTreeMap::new();
        // Groups that hold a type that keeps its own (a component, a paginated response); another
        // such type never joins one.
        let mut with_own: BTreeSet<String> = BTreeSet::new();
        let keeps_own = |name: &str, def: &TypeDef| def.component.is_some() || own.contains(name);
        let mut by_key: HashMap<String, String> = HashMap::new();
        for (id, name) in order {
            let Some(def) = self.types.get(name) else { continue };
            let on_cycle = size[&id] > 1 || graph[name].contains(name);
            let comparable = !on_cycle && !matches!(def.kind, TypeKind::Alias(_)) && twinned.contains(name);
            let key = comparable.then(|| key(def, &group));
            let joined = key
                .as_ref()
                .and_then(|key| by_key.get(key))
                .filter(|existing| !keeps_own(name, def) || !with_own.contains(*existing));
            let id = match joined {
                Some(existing) => existing.clone(),
                None => {
                    if let Some(key) = key {
                        by_key.entry(key).or_insert_with(|| name.clone());
                    }
                    name.clone()
                }
            };
            if keeps_own(name, def) {
                with_own.insert(id.clone());
            }
            group.insert(name.clone(), id);
        }
        drop(by_key);
        let mut members: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, id) in &group {
            members.entry(id).or_default().push(name);
        }
        let mut aliases: Vec<(String, String)> = Vec::new();
        for names in members.values().filter(|names| names.len() > 1) {
            let is_own = |name: &&str| self.types.get(*name).is_some_and(|def| keeps_own(name, def));
            // A group holds at most one type that keeps its own: that one is kept.
            let kept = names
                .iter()
                .copied()
                .find(is_own)
                .or_else(|| names.iter().copied().min_by_key(|name| (name.len(), *name)));
            let Some(kept) = kept else { continue };
            for name in names.iter().filter(|name| **name != kept && !is_own(name)) {
                aliases.push(((*name).to_owned(), kept.to_owned()));
            }
        }
        for (name, kept) in aliases {
            if let Some(def) = self.types.get_mut(&name) {
                def.former_refs = graph.get(&name).map(|refs| refs.iter().cloned().collect()).unwrap_or_default();
                def.kind = TypeKind::Alias(Ty::Named(kept));
            }
        }
    }
}

/// Every type `def` refers to.
fn mentioned(def: &TypeDef) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for ty in def.kind.tys() {
        ty.visit_named(&mut |name| {
            out.insert(name.to_owned());
        });
    }
    out
}

/// What two identical types have in common, cheaply: their kind, docs and wire names (none of
/// which depends on the groups).
fn outline(def: &TypeDef) -> String {
    let words = |head: &str, words: &mut dyn Iterator<Item = &str>| {
        words.fold(head.to_owned(), |mut out, word| {
            out.push(' ');
            out.push_str(word);
            out
        })
    };
    let mut out = match &def.kind {
        TypeKind::Struct(s) => words("struct", &mut s.fields.iter().map(|f| f.wire_name.as_str())),
        TypeKind::Enum(e) => words("enum", &mut e.variants.iter().map(|v| v.wire.as_str())),
        TypeKind::Union(u) => format!("union {}", u.variants.len()),
        TypeKind::Alias(_) => String::from("alias"),
    };
    if let Some(docs) = &def.docs {
        out.push('\n');
        out.push_str(docs);
    }
    out
}

/// What makes two types the same: the type with each referenced type replaced by its group,
/// without its name and place, as text.
fn key(def: &TypeDef, group: &BTreeMap<String, String>) -> String {
    let TypeDef { name: _, pointer: _, component: _, docs, kind, former_refs: _ } = def;
    let mut kind = kind.clone();
    for ty in tys_mut(&mut kind) {
        ty.visit_named_mut(&mut |name| {
            if let Some(id) = group.get(name.as_str()) {
                name.clone_from(id);
            }
        });
    }
    format!("{docs:?}{kind:?}")
}

/// Every type a type's definition holds: its fields' (and undeclared properties'), its
/// variants', or the aliased one.
fn tys_mut(kind: &mut TypeKind) -> Vec<&mut Ty> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).chain(s.extra_values.as_mut()).collect(),
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}
