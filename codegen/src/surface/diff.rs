//! What changed between two [`Surface`]s, each change classified as breaking or not by the
//! Rust semver rules (the Cargo book's *SemVer Compatibility*, as cargo-semver-checks lints them):
//!
//! - an item, method, field or variant removed, or its type or signature changed: breaking;
//! - an item or method added: not breaking;
//! - a public field added: breaking when the struct is exhaustive (every field public, no
//!   `#[non_exhaustive]`), since struct literals and patterns outside the crate name every field;
//! - a variant added: breaking when the enum is not `#[non_exhaustive]` (exhaustive `match`es);
//! - `#[non_exhaustive]` added: breaking (literals, patterns, matches); removed: not;
//! - a trait no longer implemented: breaking; a new one: not;
//! - an item gated by a Cargo feature that does not include every feature that enabled it
//!   before: breaking;
//! - a field's presence (`#[model(optional)]`, `nullable`) with the same type, a constant's
//!   value: not breaking for the compiler, reported because what is sent or read changes.
//!
//! The generated crate is shaped so that ordinary API evolution lands in the second group (the
//! README's "Semver: what a regeneration may break").

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::{Enum, Item, ItemKind, Method, Struct, Surface};

/// Every change, grouped by the item it concerns, in item order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// One group per changed item.
    pub groups: Vec<Group>,
}

/// The changes of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `resource Campaigns`, `struct types::Call`…
    pub title: String,
    /// Its changes, breaking ones first.
    pub changes: Vec<Change>,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Whether code that compiled against the old crate may fail to compile against the new one.
    pub breaking: bool,
    /// What changed, and for a breaking change that looks harmless, why it breaks.
    pub what: String,
}

impl Report {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every breaking change, with its group's title.
    pub fn breaking(&self) -> impl Iterator<Item = (&str, &Change)> {
        self.groups.iter().flat_map(|g| g.changes.iter().filter(|c| c.breaking).map(move |c| (g.title.as_str(), c)))
    }

    fn counts(&self) -> (usize, usize) {
        let all: usize = self.groups.iter().map(|g| g.changes.len()).sum();
        let breaking = self.breaking().count();
        (breaking, all - breaking)
    }

    /// The report as Markdown, for a commit message or a changelog.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("## API changes\n\n");
        if self.is_empty() {
            out.push_str("No change to the public API.\n");
            return out;
        }
        let (breaking, other) = self.counts();
        out.push_str(&format!("{}, {other} not breaking.\n", plural(breaking, "breaking change")));
        for group in &self.groups {
            out.push_str(&format!("\n### {}\n\n", code_title(&group.title)));
            for change in &group.changes {
                let mark = if change.breaking { "**breaking**: " } else { "" };
                out.push_str(&format!("- {mark}{}\n", change.what));
            }
        }
        out
    }
}

/// `resource Campaigns` → ``resource `Campaigns` ``.
fn code_title(title: &str) -> String {
    match title.rsplit_once(' ') {
        Some((noun, name)) => format!("{noun} `{name}`"),
        None => format!("`{title}`"),
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "API changes: none");
        }
        let (breaking, other) = self.counts();
        writeln!(f, "API changes: {}, {other} not breaking", plural(breaking, "breaking change"))?;
        for group in &self.groups {
            writeln!(f, "  {}", group.title)?;
            for change in &group.changes {
                let mark = if change.breaking { "breaking" } else { "minor   " };
                writeln!(f, "    {mark}  {}", change.what.replace('`', ""))?;
            }
        }
        Ok(())
    }
}

/// Collects one item's changes.
#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn breaking(&mut self, what: String) {
        self.0.push(Change { breaking: true, what });
    }

    fn minor(&mut self, what: String) {
        self.0.push(Change { breaking: false, what });
    }

    fn push(&mut self, breaking: bool, what: String) {
        self.0.push(Change { breaking, what });
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let resources = resources(old).into_iter().chain(resources(new)).collect::<BTreeSet<_>>();
    let keys: BTreeSet<&String> = old.items.keys().chain(new.items.keys()).collect();
    let mut groups = Vec::new();
    for key in keys {
        let resource = resources.contains(key.as_str());
        let mut changes = Changes::default();
        let noun = match (old.items.get(key), new.items.get(key)) {
            // A resource's operations are named one by one; another item's methods go with it.
            (Some(item), None) => {
                changes.breaking(format!("{} removed", if resource { "resource" } else { item.kind.noun() }));
                if resource {
                    removed_methods(&mut changes, item, resource);
                }
                item.kind.noun()
            }
            (None, Some(item)) => {
                changes.minor(format!("{} added", if resource { "resource" } else { item.kind.noun() }));
                if resource {
                    for (name, method) in &item.methods {
                        changes.minor(format!("operation `{}` added", method.sig.display(name)));
                    }
                }
                item.kind.noun()
            }
            (Some(old), Some(new)) => {
                item(&mut changes, old, new, resource);
                new.kind.noun()
            }
            (None, None) => continue,
        };
        if changes.0.is_empty() {
            continue;
        }
        let mut changes = changes.0;
        // Breaking first, each kind in the order found (fields, variants, methods: by name).
        changes.sort_by_key(|c| !c.breaking);
        let noun = if resource { "resource" } else { noun };
        groups.push(Group { title: format!("{noun} {key}"), changes });
    }
    Report { groups }
}

/// The types the client's accessors return: the resources, whose methods are operations.
fn resources(surface: &Surface) -> BTreeSet<String> {
    let Some(client) = surface.items.get("Client") else { return BTreeSet::new() };
    client
        .methods
        .values()
        .filter_map(|m| m.sig.ret.short.split('<').next().map(str::to_owned))
        .filter(|name| surface.items.contains_key(name))
        .collect()
}

fn method_noun(resource: bool) -> &'static str {
    if resource { "operation" } else { "method" }
}

fn removed_methods(changes: &mut Changes, item: &Item, resource: bool) {
    for (name, method) in &item.methods {
        changes.breaking(format!("{} `{name}` removed (was `{}`)", method_noun(resource), method.sig.display(name)));
    }
}

fn item(changes: &mut Changes, old: &Item, new: &Item, resource: bool) {
    let Item { kind, features, methods, traits } = new;
    match (&old.kind, kind) {
        (ItemKind::Struct(a), ItemKind::Struct(b)) => structs(changes, a, b),
        (ItemKind::Enum(a), ItemKind::Enum(b)) => enums(changes, a, b),
        (ItemKind::Alias(a), ItemKind::Alias(b)) if a != b => {
            changes.breaking(format!("now an alias of `{}` (was `{}`)", b.short, a.short));
        }
        (ItemKind::Const(a, x), ItemKind::Const(b, y)) => {
            if a != b {
                changes.breaking(format!("type changed from `{}` to `{}`", a.short, b.short));
            } else if x != y {
                changes.minor("value changed".to_owned());
            }
        }
        (ItemKind::Fn(a), ItemKind::Fn(b)) if !a.same_shape(b) => {
            changes.breaking(format!("signature changed from `{}` to `{}`", a.display("fn"), b.display("fn")));
        }
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            changes.breaking(format!("now a {} (was a {})", b.noun(), a.noun()));
        }
        _ => {}
    }
    gates(changes, "", &old.features, features);
    for_each(&old.methods, methods, |name, a, b| match (a, b) {
        (Some(a), None) => {
            changes.breaking(format!("{} `{name}` removed (was `{}`)", method_noun(resource), a.sig.display(name)));
        }
        (None, Some(b)) => changes.minor(format!("{} `{}` added", method_noun(resource), b.sig.display(name))),
        (Some(a), Some(b)) => method(changes, name, a, b, resource),
        (None, None) => {}
    });
    for name in old.traits.difference(traits) {
        changes.breaking(format!("no longer implements `{name}`"));
    }
    for name in traits.difference(&old.traits) {
        changes.minor(format!("now implements `{name}`"));
    }
}

fn method(changes: &mut Changes, name: &str, old: &Method, new: &Method, resource: bool) {
    let noun = method_noun(resource);
    if !old.sig.same_shape(&new.sig) {
        changes.breaking(format!(
            "{noun} `{name}` changed from `{}` to `{}`",
            old.sig.display(name),
            new.sig.display(name)
        ));
    }
    gates(changes, &format!("{noun} `{name}`: "), &old.features, &new.features);
}

/// A change of the Cargo features an item needs: breaking unless every feature that enabled it
/// still does (or it needs none now).
fn gates(changes: &mut Changes, prefix: &str, old: &BTreeSet<String>, new: &BTreeSet<String>) {
    if old == new {
        return;
    }
    let list = |set: &BTreeSet<String>| {
        if set.is_empty() {
            "always compiled".to_owned()
        } else {
            set.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" or ")
        }
    };
    let breaking = !new.is_empty() && (old.is_empty() || !old.is_subset(new));
    changes.push(breaking, format!("{prefix}Cargo features changed from {} to {}", list(old), list(new)));
}

fn structs(changes: &mut Changes, old: &Struct, new: &Struct) {
    if new.non_exhaustive && !old.non_exhaustive {
        changes.breaking("now `#[non_exhaustive]`: struct literals and exhaustive patterns no longer compile".into());
    }
    if old.non_exhaustive && !new.non_exhaustive {
        changes.minor("no longer `#[non_exhaustive]`".into());
    }
    for_each(&old.fields, &new.fields, |name, a, b| match (a, b) {
        (Some(a), None) => changes.breaking(format!("field `{name}` removed (was `{}`)", a.ty.short)),
        (None, Some(b)) => {
            let presence = presence(&b.presence);
            if old.exhaustive() {
                changes.breaking(format!(
                    "field `{name}: {}` added{presence}: the struct is not `#[non_exhaustive]`, so its literals \
                     and patterns outside the crate break",
                    b.ty.short
                ));
            } else {
                changes.minor(format!("field `{name}: {}` added{presence}", b.ty.short));
            }
        }
        (Some(a), Some(b)) => {
            if a.ty != b.ty {
                changes.breaking(format!("field `{name}` changed from `{}` to `{}`", a.ty.short, b.ty.short));
            } else if a.presence != b.presence {
                changes.minor(format!(
                    "field `{name}` presence changed from {} to {}",
                    presence_word(&a.presence),
                    presence_word(&b.presence)
                ));
            }
        }
        (None, None) => {}
    });
}

fn presence(flags: &[String]) -> String {
    if flags.is_empty() { String::new() } else { format!(" ({})", presence_word(flags)) }
}

fn presence_word(flags: &[String]) -> String {
    if flags.is_empty() { "required".to_owned() } else { flags.join(", ") }
}

fn enums(changes: &mut Changes, old: &Enum, new: &Enum) {
    if new.non_exhaustive && !old.non_exhaustive {
        changes.breaking("now `#[non_exhaustive]`: `match`es need a wildcard arm".into());
    }
    if old.non_exhaustive && !new.non_exhaustive {
        changes.minor("no longer `#[non_exhaustive]`".into());
    }
    let payload = |tys: &[super::Ty]| {
        if tys.is_empty() {
            String::new()
        } else {
            format!("({})", tys.iter().map(|t| t.short.as_str()).collect::<Vec<_>>().join(", "))
        }
    };
    for_each(&old.variants, &new.variants, |name, a, b| match (a, b) {
        (Some(a), None) => changes.breaking(format!("variant `{name}{}` removed", payload(a))),
        (None, Some(b)) if old.non_exhaustive => changes.minor(format!("variant `{name}{}` added", payload(b))),
        (None, Some(b)) => changes.breaking(format!(
            "variant `{name}{}` added: the enum is not `#[non_exhaustive]`, so exhaustive `match`es break",
            payload(b)
        )),
        (Some(a), Some(b)) if a != b => {
            changes.breaking(format!("variant `{name}` changed from `{name}{}` to `{name}{}`", payload(a), payload(b)));
        }
        _ => {}
    });
}

/// Calls `f` for every key of either map, in order.
fn for_each<V>(old: &BTreeMap<String, V>, new: &BTreeMap<String, V>, mut f: impl FnMut(&str, Option<&V>, Option<&V>)) {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        f(key, old.get(key), new.get(key));
    }
}
