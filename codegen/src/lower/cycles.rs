//! Type-graph checks and boxing: nesting depth, `Box` on the edges of cycles found as strongly
//! connected components, and on optional fields of large types (so absent ones cost a pointer).

use std::collections::{BTreeMap, BTreeSet};

use super::Lowerer;
use crate::ir::{BodyKind, PartValue, Presence, Resource, Ty, TypeDef, TypeKind};

impl Lowerer<'_> {
    /// Refuses a type written with more than [`MAX_TYPE_NESTING`] arrays, maps and nullables
    /// inside one another: the Rust parser and printer recurse once per level, and such a type
    /// would exhaust their stack. Naming an inner schema (a component) breaks it up.
    pub(super) fn check_nesting(&mut self, resources: &[Resource]) {
        let mut too_deep = Vec::new();
        for def in self.types.values() {
            if def.kind.tys().into_iter().any(|ty| nesting(ty) > MAX_TYPE_NESTING) {
                too_deep.push(def.pointer.clone());
            }
        }
        for op in resources.iter().flat_map(|r| &r.operations) {
            let body =
                op.body.iter().flat_map(|b| std::iter::once(&b.kind).chain(b.alternatives.iter().map(|a| &a.kind)));
            let parts = body
                .filter_map(|kind| match kind {
                    BodyKind::Multipart(m) => Some(&m.parts),
                    _ => None,
                })
                .flatten()
                .filter_map(|p| match &p.value {
                    PartValue::Text { ty, .. } | PartValue::Json { ty, .. } => Some(ty),
                    PartValue::File { .. } => None,
                });
            if op.response.json().into_iter().chain(parts).any(|ty| nesting(ty) > MAX_TYPE_NESTING) {
                too_deep.push(op.pointer.clone());
            }
        }
        for at in too_deep {
            self.errors.push(
                at,
                format!(
                    "a type nests more than {MAX_TYPE_NESTING} arrays, maps or nullables inside one another; \
                     make an inner schema a component to break it up"
                ),
            );
        }
    }

    /// Puts `Box` on every by-value edge that closes a cycle, and refuses the cycles no Rust type
    /// can express: one made only of aliases (Rust cannot expand a recursive alias, even through
    /// `Vec`; a newtype could, but the generator does not emit one), and one that a decoder could
    /// follow forever without reading a byte (untagged unions, aliases and nullables held by
    /// value: `A = oneOf[A, string]` would overflow the stack on `"x"`).
    pub(super) fn box_recursion(&mut self) {
        let edges = |by_value_only: bool| -> BTreeMap<String, BTreeSet<String>> {
            self.types
                .iter()
                .map(|(name, def)| {
                    let mut out = BTreeSet::new();
                    let mut add = |ty: &Ty| if by_value_only { by_value(ty, &mut out) } else { mentions(ty, &mut out) };
                    match &def.kind {
                        TypeKind::Struct(s) => {
                            s.fields.iter().for_each(|f| add(&f.ty));
                            // Held in a map, never by value.
                            s.extra_values.iter().for_each(|ty| mentions(ty, &mut out));
                        }
                        TypeKind::Union(u) => u.variants.iter().for_each(|v| add(&v.ty)),
                        TypeKind::Alias(ty) => add(ty),
                        TypeKind::Enum(_) => {}
                    }
                    (name.clone(), out)
                })
                .collect()
        };
        let graph = edges(true);
        let anywhere = edges(false);
        let aliases: BTreeSet<String> =
            self.types.iter().filter(|(_, d)| matches!(d.kind, TypeKind::Alias(_))).map(|(n, _)| n.clone()).collect();
        let transparent: BTreeSet<String> = self
            .types
            .iter()
            .filter(|(_, d)| match &d.kind {
                TypeKind::Alias(_) => true,
                TypeKind::Union(u) => u.tag.is_none(),
                TypeKind::Struct(_) | TypeKind::Enum(_) => false,
            })
            .map(|(n, _)| n.clone())
            .collect();
        // Strongly connected components, computed once: a type is on a cycle of a subgraph when its
        // component there has another member or a self-edge, and an edge closes a cycle when both
        // ends share a component. (A reachability search per type and per field was quadratic.)
        let alias_cycles = on_cycles(&anywhere, Some(&aliases));
        let transparent_cycles = on_cycles(&graph, Some(&transparent));
        let component = strongly_connected(&graph, None);
        for (name, def) in &self.types {
            let message = if alias_cycles.contains(name) {
                format!(
                    "`{name}` is defined in terms of itself through aliases only (arrays, maps and nullables \
                     included): Rust cannot name such a type, and this generator does not emit a newtype for \
                     it; put the recursion inside an object's property"
                )
            } else if transparent_cycles.contains(name) {
                format!(
                    "`{name}` leads back to itself through `oneOf` variants, aliases or nullables only: a \
                     decoder would try it forever without reading any input; put an object or an array in \
                     the cycle"
                )
            } else {
                continue;
            };
            self.errors.push(def.pointer.clone(), message);
        }
        for (name, def) in &mut self.types {
            let here = component.get(name);
            let closes = |target: &str| here.is_some() && component.get(target) == here;
            match &mut def.kind {
                TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_edges(&mut f.ty, &closes)),
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| box_edges(&mut v.ty, &closes)),
                TypeKind::Alias(_) | TypeKind::Enum(_) => {}
            }
        }
    }
}

/// How deeply a type may nest `Vec`, `BTreeMap`, `Option` and `Box`; see `check_nesting`.
const MAX_TYPE_NESTING: usize = 32;

fn nesting(ty: &Ty) -> usize {
    match ty {
        Ty::Option(inner) | Ty::Vec(inner) | Ty::Map(inner) | Ty::Box(inner) => 1 + nesting(inner),
        _ => 0,
    }
}

/// Named types held by value (not behind a `Vec` or map) in `ty`.
fn by_value(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(name) => {
            out.insert(name.clone());
        }
        Ty::Option(inner) => by_value(inner, out),
        _ => {}
    }
}

/// Every named type `ty` refers to, by value or not.
fn mentions(ty: &Ty, out: &mut BTreeSet<String>) {
    ty.visit_named(&mut |name| {
        out.insert(name.to_owned());
    });
}

/// The strongly connected component of every node of `graph` restricted to the nodes in `only`
/// (all when `None`), as a component number. Tarjan's algorithm, iterative so that a cycle of any
/// length cannot exhaust the stack; linear in nodes and edges.
pub(super) fn strongly_connected(
    graph: &BTreeMap<String, BTreeSet<String>>,
    only: Option<&BTreeSet<String>>,
) -> BTreeMap<String, usize> {
    let inside = |node: &str| graph.contains_key(node) && only.is_none_or(|set| set.contains(node));
    let mut index: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // node → (index, lowlink)
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut component: BTreeMap<String, usize> = BTreeMap::new();
    let mut next_index = 0;
    for root in graph.keys().filter(|n| inside(n)) {
        if index.contains_key(root.as_str()) {
            continue;
        }
        // Each frame: the node and an iterator over its successors.
        let mut frames: Vec<(&str, std::collections::btree_set::Iter<'_, String>)> = Vec::new();
        index.insert(root, (next_index, next_index));
        next_index += 1;
        stack.push(root);
        on_stack.insert(root);
        frames.push((root, graph[root].iter()));
        while let Some((node, successors)) = frames.last_mut() {
            let node = *node;
            if let Some(next) = successors.find(|n| inside(n)) {
                let next = next.as_str();
                match index.get(next) {
                    None => {
                        index.insert(next, (next_index, next_index));
                        next_index += 1;
                        stack.push(next);
                        on_stack.insert(next);
                        frames.push((next, graph[next].iter()));
                    }
                    Some(&(next_idx, _)) if on_stack.contains(next) => {
                        let entry = index.get_mut(node).map(|e| &mut e.1);
                        if let Some(low) = entry {
                            *low = (*low).min(next_idx);
                        }
                    }
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            let (node_idx, node_low) = index[node];
            if let Some((parent, _)) = frames.last() {
                let parent = *parent;
                if let Some(entry) = index.get_mut(parent) {
                    entry.1 = entry.1.min(node_low);
                }
            }
            if node_idx == node_low {
                let id = component.len();
                while let Some(member) = stack.pop() {
                    on_stack.remove(member);
                    component.insert(member.to_owned(), id);
                    if member == node {
                        break;
                    }
                }
            }
        }
    }
    component
}

/// The nodes of `graph` (restricted to `only`) that lie on a cycle of that subgraph: in a
/// strongly connected component of two or more, or with an edge to themselves.
fn on_cycles(graph: &BTreeMap<String, BTreeSet<String>>, only: Option<&BTreeSet<String>>) -> BTreeSet<String> {
    let component = strongly_connected(graph, only);
    let mut size: BTreeMap<usize, usize> = BTreeMap::new();
    for id in component.values() {
        *size.entry(*id).or_default() += 1;
    }
    component
        .iter()
        .filter(|(node, id)| size[*id] > 1 || graph.get(*node).is_some_and(|out| out.contains(*node)))
        .map(|(node, _)| node.clone())
        .collect()
}

fn box_edges(ty: &mut Ty, closes: &dyn Fn(&str) -> bool) {
    match ty {
        Ty::Named(name) if closes(name) => *ty = Ty::Box(Box::new(ty.clone())),
        Ty::Option(inner) => box_edges(inner, closes),
        _ => {}
    }
}

/// An optional or nullable field whose struct or union is estimated larger than this many bytes
/// is held in a `Box`: absent, it then costs a pointer instead of the whole value, in every
/// decoded object (a page of rows without their call, say).
const LARGE: usize = 256;

impl Lowerer<'_> {
    /// Boxes the optional and nullable fields whose type is a large struct or union (see
    /// [`LARGE`]), after `box_recursion` (a field boxed for a cycle stays as it is).
    pub(super) fn box_large_optional_fields(&mut self) {
        let mut sizes = BTreeMap::new();
        let names: Vec<String> = self.types.keys().cloned().collect();
        for name in &names {
            size_of_named(&self.types, name, &mut sizes);
        }
        for def in self.types.values_mut() {
            let TypeKind::Struct(s) = &mut def.kind else { continue };
            for field in &mut s.fields {
                if !matches!(
                    field.presence,
                    Presence::Optional | Presence::OptionalNullable | Presence::RequiredNullable
                ) {
                    continue;
                }
                let Ty::Named(name) = &field.ty else { continue };
                if sizes.get(name).is_some_and(|size| *size > LARGE) {
                    field.ty = Ty::Box(Box::new(field.ty.clone()));
                }
            }
        }
    }
}

/// An estimate of a named type's inline size in bytes, as rustc lays out the emitted code on a
/// 64-bit target (close enough to pick what to box): memoised in `sizes`; a type met again while
/// its size is being computed counts as a pointer (it is behind a `Box` or a `Vec` there).
fn size_of_named(types: &BTreeMap<String, TypeDef>, name: &str, sizes: &mut BTreeMap<String, usize>) -> usize {
    if let Some(size) = sizes.get(name) {
        return *size;
    }
    sizes.insert(name.to_owned(), 8);
    let size = match types.get(name).map(|def| &def.kind) {
        Some(TypeKind::Struct(s)) => {
            let fields: usize = s
                .fields
                .iter()
                .map(|f| {
                    let ty = size_of_ty(types, &f.ty, sizes);
                    match f.presence {
                        Presence::Required => ty,
                        Presence::Optional | Presence::RequiredNullable => ty + 8,
                        Presence::OptionalNullable => ty + 16,
                    }
                })
                .sum();
            // The map of undeclared properties.
            fields + 24
        }
        Some(TypeKind::Union(u)) => 8 + u.variants.iter().map(|v| size_of_ty(types, &v.ty, sizes)).max().unwrap_or(0),
        Some(TypeKind::Enum(_)) => 24,
        Some(TypeKind::Alias(ty)) => size_of_ty(types, ty, sizes),
        None => 8,
    };
    sizes.insert(name.to_owned(), size);
    size
}

fn size_of_ty(types: &BTreeMap<String, TypeDef>, ty: &Ty, sizes: &mut BTreeMap<String, usize>) -> usize {
    match ty {
        Ty::Bool => 1,
        Ty::I32 | Ty::U32 => 4,
        Ty::F64 | Ty::I64 | Ty::U64 | Ty::NonZeroU64 | Ty::Box(_) => 8,
        Ty::Uuid | Ty::I128 | Ty::U128 => 16,
        Ty::String | Ty::Vec(_) | Ty::Map(_) | Ty::JsonObject | Ty::Date => 24,
        Ty::Any | Ty::DateTime => 32,
        Ty::Option(inner) => 8 + size_of_ty(types, inner, sizes),
        Ty::Named(name) => size_of_named(types, name, sizes),
    }
}

#[cfg(test)]
mod graph_tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::{on_cycles, strongly_connected};

    fn graph(edges: &[(&str, &str)], nodes: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
        let mut graph: BTreeMap<String, BTreeSet<String>> =
            nodes.iter().map(|n| ((*n).to_owned(), BTreeSet::new())).collect();
        for (from, to) in edges {
            graph.entry((*from).to_owned()).or_default().insert((*to).to_owned());
        }
        graph
    }

    #[test]
    fn components_and_cycles() {
        let g = graph(&[("a", "b"), ("b", "a"), ("b", "c"), ("d", "d")], &["a", "b", "c", "d", "e"]);
        let c = strongly_connected(&g, None);
        assert_eq!(c["a"], c["b"]);
        assert_ne!(c["a"], c["c"]);
        assert_eq!(on_cycles(&g, None), ["a", "b", "d"].iter().map(|s| (*s).to_owned()).collect());
        let only: BTreeSet<String> = ["a", "c", "d"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(on_cycles(&g, Some(&only)), ["d"].iter().map(|s| (*s).to_owned()).collect(), "b is outside");
    }

    /// A cycle through 100,000 types: one pass, no recursion (the stack stays flat).
    #[test]
    fn a_long_cycle_is_linear_and_iterative() {
        let n = 100_000;
        let names: Vec<String> = (0..n).map(|i| format!("T{i}")).collect();
        let g: BTreeMap<String, BTreeSet<String>> =
            (0..n).map(|i| (names[i].clone(), [names[(i + 1) % n].clone()].into_iter().collect())).collect();
        assert_eq!(on_cycles(&g, None).len(), n);
    }
}
