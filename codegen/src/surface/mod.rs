//! The public API of a generated crate, read back from its emitted Rust source, and what changed
//! between two versions of it (`diff`), classified as breaking or not by Rust's semver rules.
//!
//! It reads the Rust text (with `syn`), not the API description: the files on disk may come from
//! another document, another version of the generator or another filter, and what a downstream
//! crate compiles against is this text. `cargo xtask gen` reads the emitted files on disk and the
//! ones it is about to write and prints [`Report`]; no I/O happens here.
//!
//! Only what the emitters write is modelled: public structs (fields with their types and
//! presence, `#[non_exhaustive]`, private fields), enums (variants and their payloads,
//! `#[non_exhaustive]`), type aliases, constants, free functions, the public methods of inherent
//! impls (resource operations, constructors, setters), the traits each type implements (derives
//! and `impl Trait for`), and the Cargo features that gate each item.

mod diff;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

pub use diff::{Change, Group, Report, diff};

/// The public API of one crate: every item by the path a user names it with (`types::Call`,
/// `GetRowsParams`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Items by path.
    pub items: BTreeMap<String, Item>,
}

/// One public item and what hangs off it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// The Cargo features that must be on for it to exist (`#[cfg(feature = "…")]`, `any(…)` of
    /// several); empty when it always exists.
    pub features: BTreeSet<String>,
    /// The public methods of its inherent impls, by name.
    pub methods: BTreeMap<String, Method>,
    /// The traits it implements, by last path segment (`Clone`, `Default`, `Model`, `Page`).
    pub traits: BTreeSet<String>,
}

/// The kinds of item the generator emits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    /// A struct.
    Struct(Struct),
    /// An enum.
    Enum(Enum),
    /// `pub type Name = Target;`
    Alias(Ty),
    /// `pub const NAME: Ty = value;` (the value's tokens).
    Const(Ty, String),
    /// A free function.
    Fn(Signature),
    /// A type the crate defines through a macro (`Client`): it exists; its shape is unknown.
    Opaque,
}

impl ItemKind {
    /// "struct", "enum"…, for messages.
    pub fn noun(&self) -> &'static str {
        match self {
            Self::Struct(_) => "struct",
            Self::Enum(_) => "enum",
            Self::Alias(_) => "type alias",
            Self::Const(..) => "constant",
            Self::Fn(_) => "function",
            Self::Opaque => "type",
        }
    }
}

/// A struct's public shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Struct {
    /// `#[non_exhaustive]`: no struct literal or exhaustive pattern outside the crate.
    pub non_exhaustive: bool,
    /// Whether some field is not public (which rules out struct literals too).
    pub private_fields: bool,
    /// The public fields, by name.
    pub fields: BTreeMap<String, Field>,
}

impl Struct {
    /// Whether code outside the crate can write a struct literal or an exhaustive pattern of it,
    /// which a new field breaks.
    pub fn exhaustive(&self) -> bool {
        !self.non_exhaustive && !self.private_fields
    }
}

/// A public field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its type.
    pub ty: Ty,
    /// Its `#[model(…)]` presence flags (`optional`, `nullable`), sorted: how it is read and
    /// written, which its type does not always tell (`Option<T>` is either).
    pub presence: Vec<String>,
}

/// An enum's public shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum {
    /// `#[non_exhaustive]`: every `match` outside the crate has a wildcard arm.
    pub non_exhaustive: bool,
    /// Variants by name, with their payload types (none for a unit variant).
    pub variants: BTreeMap<String, Vec<Ty>>,
}

/// A public method or function: its argument types and return type. Argument names are kept
/// for display only: Rust callers pass arguments by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `self`, `&self`, `mut self`…, when it is a method.
    pub receiver: Option<String>,
    /// Arguments after the receiver: name and type.
    pub args: Vec<(String, Ty)>,
    /// The return type (`()` when none is written).
    pub ret: Ty,
}

impl Signature {
    /// Whether a call written against `self` still compiles against `other`: the same receiver,
    /// argument types and return type.
    pub fn same_shape(&self, other: &Self) -> bool {
        self.receiver == other.receiver
            && self.ret == other.ret
            && self.args.len() == other.args.len()
            && self.args.iter().zip(&other.args).all(|(a, b)| a.1 == b.1)
    }

    /// `name(&self, id: &str) -> Pending<Row>` with short type names.
    pub fn display(&self, name: &str) -> String {
        let receiver = self.receiver.iter().cloned();
        let args = self.args.iter().map(|(n, t)| format!("{n}: {}", t.short));
        let all: Vec<String> = receiver.chain(args).collect();
        let ret = if self.ret.short == "()" { String::new() } else { format!(" -> {}", self.ret.short) };
        format!("{name}({}){ret}", all.join(", "))
    }
}

/// A public method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Its signature.
    pub sig: Signature,
    /// The features its impl block needs (besides its type's).
    pub features: BTreeSet<String>,
}

/// A type as written: compared by its exact tokens, shown by its short form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ty {
    /// The tokens, as `proc_macro2` prints them (`:: std :: option :: Option < Row >`).
    pub exact: String,
    /// Each path shortened to its last segment (`Option<Row>`), for people.
    pub short: String,
}

impl Ty {
    fn new(ty: &syn::Type) -> Self {
        // A trailing comma in generics (prettyplease writes one when it wraps a long type) does
        // not change the type.
        let exact = ty.to_token_stream().to_string().replace(" , >", " >");
        Self { exact, short: short(&ty.to_token_stream()) }
    }

    fn unit() -> Self {
        Self { exact: "()".into(), short: "()".into() }
    }
}

/// The tokens with every path cut to its last segment: `::std::option::Option<crate::types::Row>`
/// → `Option<Row>`, `impl ::std::convert::Into<f64>` → `impl Into<f64>`.
fn short(tokens: &TokenStream) -> String {
    let mut out = String::new();
    let mut tokens = tokens.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            // A segment followed by `::` is a path prefix: dropped with the `::`.
            TokenTree::Ident(ident) => {
                let mut ahead = tokens.clone();
                // `impl ::std::…`: a keyword before a path's leading `::` is not a segment of it.
                let keyword = matches!(ident.to_string().as_str(), "impl" | "dyn" | "mut" | "const");
                let is_prefix = !keyword
                    && matches!(
                        (ahead.next(), ahead.next()),
                        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                            if a.as_char() == ':' && b.as_char() == ':'
                    );
                if is_prefix {
                    tokens.next();
                    tokens.next();
                    continue;
                }
                let word = ident.to_string();
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' ');
                }
                out.push_str(&word);
            }
            // A trailing comma (prettyplease writes one when it wraps generics) is not shown.
            TokenTree::Punct(p)
                if p.as_char() == ',' && matches!(tokens.peek(), Some(TokenTree::Punct(q)) if q.as_char() == '>') => {}
            TokenTree::Punct(p) => {
                // A leading `::` (`::std::…`) goes with the path it starts.
                if p.as_char() == ':' && matches!(tokens.peek(), Some(TokenTree::Punct(q)) if q.as_char() == ':') {
                    let mut ahead = tokens.clone();
                    ahead.next();
                    if matches!(ahead.next(), Some(TokenTree::Ident(_))) {
                        tokens.next();
                        continue;
                    }
                }
                out.push(p.as_char());
                if p.as_char() == ',' {
                    out.push(' ');
                }
            }
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::Brace => ("{", "}"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&short(&g.stream()));
                out.push_str(close);
            }
            TokenTree::Literal(l) => out.push_str(&l.to_string()),
        }
    }
    out
}

/// A problem reading a file: it is not Rust (`syn` says where).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file, as given.
    pub file: String,
    /// What `syn` said.
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: not Rust the change report can read: {}", self.file, self.message)
    }
}

impl std::error::Error for ReadError {}

/// The module a generated file's items are named under: `src/types.rs` is the public `types`
/// module; every other emitted file (`src/operations.rs`) is re-exported at the crate root by
/// the crate's `lib.rs` (see ARCHITECTURE.md, the generated crate's layout).
pub fn module_of(path: &str) -> &'static str {
    if path == "src/types.rs" || path.ends_with("/src/types.rs") { "types::" } else { "" }
}

impl Surface {
    /// Reads the emitted files of one crate, `(path, contents)` as [`crate::GeneratedFile`]
    /// holds them (`src/types.rs`, `src/operations.rs`).
    ///
    /// # Errors
    /// A file that does not parse as Rust.
    pub fn read<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, ReadError> {
        let mut surface = Self::default();
        let mut impls = Vec::new();
        for (path, text) in files {
            let file =
                syn::parse_file(text).map_err(|e| ReadError { file: path.to_owned(), message: e.to_string() })?;
            let module = module_of(path);
            for item in file.items {
                surface.item(module, item, &mut impls);
            }
        }
        // Impls come after every type is known: one in `operations.rs` may be for a model.
        for (module, imp) in impls {
            surface.impl_block(&module, &imp);
        }
        Ok(surface)
    }

    fn item(&mut self, module: &str, item: syn::Item, impls: &mut Vec<(String, syn::ItemImpl)>) {
        let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
        let (name, attrs, kind) = match item {
            syn::Item::Struct(s) if public(&s.vis) => {
                let mut fields = BTreeMap::new();
                let mut private_fields = false;
                for (i, field) in s.fields.iter().enumerate() {
                    if !public(&field.vis) {
                        private_fields = true;
                        continue;
                    }
                    let name = field.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
                    fields.insert(name, Field { ty: Ty::new(&field.ty), presence: presence(&field.attrs) });
                }
                let kind = ItemKind::Struct(Struct {
                    non_exhaustive: has_attr(&s.attrs, "non_exhaustive"),
                    private_fields,
                    fields,
                });
                (s.ident.to_string(), s.attrs, kind)
            }
            syn::Item::Enum(e) if public(&e.vis) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| (v.ident.to_string(), v.fields.iter().map(|f| Ty::new(&f.ty)).collect()))
                    .collect();
                let kind = ItemKind::Enum(Enum { non_exhaustive: has_attr(&e.attrs, "non_exhaustive"), variants });
                (e.ident.to_string(), e.attrs, kind)
            }
            syn::Item::Type(t) if public(&t.vis) => (t.ident.to_string(), t.attrs, ItemKind::Alias(Ty::new(&t.ty))),
            syn::Item::Const(c) if public(&c.vis) => {
                let kind = ItemKind::Const(Ty::new(&c.ty), c.expr.to_token_stream().to_string());
                (c.ident.to_string(), c.attrs, kind)
            }
            syn::Item::Fn(f) if public(&f.vis) => (f.sig.ident.to_string(), f.attrs, ItemKind::Fn(signature(&f.sig))),
            // `api_client!` defines the crate's `Client` and `ClientBuilder`.
            syn::Item::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "api_client") => {
                for name in ["Client", "ClientBuilder"] {
                    self.insert(module, name, &[], ItemKind::Opaque);
                }
                return;
            }
            syn::Item::Impl(imp) => {
                impls.push((module.to_owned(), imp));
                return;
            }
            _ => return,
        };
        self.insert(module, &name, &attrs, kind);
    }

    fn insert(&mut self, module: &str, name: &str, attrs: &[syn::Attribute], kind: ItemKind) {
        let traits = derives(attrs);
        let item = Item { kind, features: features(attrs), methods: BTreeMap::new(), traits };
        self.items.insert(format!("{module}{name}"), item);
    }

    fn impl_block(&mut self, module: &str, imp: &syn::ItemImpl) {
        let Some(key) = self.self_key(module, &imp.self_ty) else { return };
        let block_features = features(&imp.attrs);
        let Some(item) = self.items.get_mut(&key) else { return };
        if let Some((path, _)) = &imp.trait_ {
            if let Some(last) = path.segments.last() {
                item.traits.insert(last.ident.to_string());
            }
            return;
        }
        for member in &imp.items {
            if let syn::ImplItem::Fn(f) = member
                && matches!(f.vis, syn::Visibility::Public(_))
            {
                let features = block_features.difference(&item.features).cloned().collect();
                item.methods.insert(f.sig.ident.to_string(), Method { sig: signature(&f.sig), features });
            }
        }
    }

    /// The key of an impl's self type: `crate::types::Row` and, in `types.rs`, `Row` are
    /// `types::Row`; `Campaigns<'_>` in `operations.rs` is `Campaigns`.
    fn self_key(&self, module: &str, ty: &syn::Type) -> Option<String> {
        let syn::Type::Path(path) = ty else { return None };
        let segments: Vec<String> = path.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let name = segments.last()?;
        let key = match segments.as_slice() {
            [krate, module, _] if krate == "crate" => format!("{module}::{name}"),
            [krate, _] if krate == "crate" => name.clone(),
            [_] => format!("{module}{name}"),
            _ => return None,
        };
        Some(key)
    }
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

/// The last segment of every derived trait (`Model` for `crate::runtime::Model`), and the serde
/// traits `Model` writes (`Serialize`, `Deserialize`), so that moving one of them from a derive
/// of its own into `Model` changes nothing a user sees.
fn derives(attrs: &[syn::Attribute]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let parsed = attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
        for path in parsed.into_iter().flatten() {
            if let Some(last) = path.segments.last() {
                out.insert(last.ident.to_string());
            }
        }
    }
    if out.contains("Model") {
        out.extend(["Serialize".to_owned(), "Deserialize".to_owned()]);
    }
    out
}

/// Every `feature = "…"` named by the `#[cfg(…)]` attributes (the generator writes one
/// feature, or `any(…)` of several).
fn features(attrs: &[syn::Attribute]) -> BTreeSet<String> {
    fn walk(tokens: TokenStream, out: &mut BTreeSet<String>) {
        let mut feature = false;
        for token in tokens {
            match token {
                TokenTree::Ident(i) => feature = i == "feature",
                TokenTree::Literal(l) if feature => {
                    if let Ok(syn::Lit::Str(s)) = syn::parse2::<syn::Lit>(TokenTree::Literal(l).into()) {
                        out.insert(s.value());
                    }
                    feature = false;
                }
                TokenTree::Group(g) => walk(g.stream(), out),
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        walk(attr.to_token_stream(), &mut out);
    }
    out
}

/// The presence flags among a field's `#[model(…)]` keys.
fn presence(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        let Ok(list) = attr.meta.require_list() else { continue };
        for token in list.tokens.clone() {
            if let TokenTree::Ident(i) = token
                && (i == "optional" || i == "nullable")
            {
                out.push(i.to_string());
            }
        }
    }
    out.sort();
    out
}

fn signature(sig: &syn::Signature) -> Signature {
    let mut receiver = None;
    let mut args = Vec::new();
    for input in &sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => receiver = Some(short(&r.to_token_stream())),
            syn::FnArg::Typed(t) => args.push((short(&t.pat.to_token_stream()), Ty::new(&t.ty))),
        }
    }
    let ret = match &sig.output {
        syn::ReturnType::Default => Ty::unit(),
        syn::ReturnType::Type(_, ty) => Ty::new(ty),
    };
    Signature { receiver, args, ret }
}
