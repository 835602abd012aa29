//! Stage 3, emit: IR → token streams, one module per emitted file.
//!
//! Emitted code is hygienic: every path is fully qualified (`::std::option::Option`,
//! `::serde::Serialize`), so a schema type named `Option` or `Result` cannot break it.

pub(crate) mod auth;
pub(crate) mod examples;
pub(crate) mod gates;
pub(crate) mod mock;
pub(crate) mod operations;
pub(crate) mod schema;
pub(crate) mod types;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Bound, Constraints, Ty};

/// An identifier from a name lowering already sanitised.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "…"]` attributes, one per line, which prettyplease prints as `///` comments.
///
/// `text` is Markdown written by the generator, with schema text spliced in through
/// [`doc_text`] and [`code`]. Whatever it contains, the result cannot stop the crate from compiling
/// or become a code block (and so a doctest): line breaks are normalised (a bare CR is a compile
/// error in a doc comment), control and bidi characters (denied by rustc's
/// `text_direction_codepoint_in_comment`) are written as visible `\u{…}` escapes, no run of
/// whitespace is wider than three spaces (four would start an indented code block, also after a
/// list marker or `>`; up to three keep list continuations), and runs of backticks that close
/// no code span and runs of three tildes (which could open a fence, also inside a list item or a
/// quote) are escaped.
pub(crate) fn docs(text: &str) -> TokenStream {
    let text = visible_controls(text);
    // The content column of the list item the previous lines belong to, if any.
    let mut item: Option<usize> = None;
    // Whether the previous line was part of a block quote.
    let mut quote = false;
    let lines = text.trim().lines().map(|line| {
        let mut line = neutralize(&narrow_whitespace(line.trim_end()));
        let indent = line.len() - line.trim_start().len();
        let quoted = line.trim_start().starts_with('>') && indent <= 3;
        // A list item or a heading ends the quote; other text continues its paragraph.
        let interrupts = list_marker(line.trim_start()).is_some() || line.trim_start().starts_with('#');
        if quote && !line.is_empty() && !quoted && !interrupts && item.is_none() {
            // A lazy continuation of the quote: the same paragraph once marked, which is how
            // rustdoc renders it anyway (clippy's `doc_lazy_continuation` asks for it).
            line = format!("> {}", line.trim_start());
        }
        quote = !line.is_empty() && !interrupts && (quote || quoted);
        if line.is_empty() {
            item = None;
        } else if let Some(width) = list_marker(line.trim_start()).filter(|_| indent <= 3) {
            item = Some(indent + width);
        } else if let Some(column) = item.filter(|c| indent != *c && !line.trim_start().starts_with(['#', '>'])) {
            // A continuation of the item, lazy or indented past its content: the same paragraph
            // at the item's content column, which is how rustdoc renders it anyway (clippy's
            // `doc_lazy_continuation` and `doc_overindented_list_items` ask for it).
            line = format!("{}{}", " ".repeat(column), line.trim_start());
        }
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    let lines: Vec<TokenStream> = lines.collect();
    quote!(#(#lines)*)
}

/// The width of the list-item marker that starts `line` (`- `, `* `, `+ `, `1. `, `2) `), if any.
fn list_marker(line: &str) -> Option<usize> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &line[digits..];
    let marker = match (digits, rest.chars().next()) {
        (0, Some('-' | '*' | '+')) => 1,
        (1..=9, Some('.' | ')')) => digits + 1,
        _ => return None,
    };
    // The content starts after the spaces that follow the marker (one to four; with five or
    // more, the content is an indented code block one space after the marker).
    let spaces = line[marker..].len() - line[marker..].trim_start_matches(' ').len();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Tabs become spaces and runs of more than three spaces become three.
fn narrow_whitespace(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut run = 0;
    for c in line.chars() {
        if c == ' ' || c == '\t' {
            run += 1;
            if run <= 3 {
                out.push(' ');
            }
        } else {
            run = 0;
            out.push(c);
        }
    }
    out
}

/// Normalises line breaks to `\n` and writes every other control character, and every character
/// that reorders text (the bidi controls of CVE-2021-42574), as a visible `\u{…}` escape.
pub(crate) fn visible_controls(text: &str) -> String {
    // Most text is printable ASCII with line breaks and tabs: nothing to show.
    if text.bytes().all(|b| matches!(b, b' '..=b'~' | b'\n' | b'\t')) {
        return text.to_owned();
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The characters rustc's `text_direction_codepoint_in_comment` and `…_in_literal` lints deny,
/// plus the implicit marks, which reorder text just as invisibly.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Schema text (a description, summary, tag description…) as Markdown that renders that text and
/// nothing more: inline code spans, emphasis, lists and autolinks (`<https://…>`) stay, while
/// every `\`, `[`, `]` (links, which rustdoc would try to resolve), `<` (HTML) and `&` starting
/// an entity is escaped, as is a backtick that closes no code span on its line (a fence, or a
/// span that would swallow the next line). Code spans are kept verbatim: nothing in them is
/// markup. [`docs`] then makes the lines themselves safe.
/// The "Limits of this crate" section of the models' module docs: every warning the generator
/// gave, so that a user sees what was read in a weaker way without the generator's output. Each
/// is a list item, its place as code and its message escaped, so that no text of the document
/// can become markup, a link or code.
pub(crate) fn limits(warnings: &[crate::Error]) -> TokenStream {
    if warnings.is_empty() {
        return TokenStream::new();
    }
    let count = warnings.len();
    let mut text = format!(
        "# Limits of this crate\n\nThe generator read {count} construct{s} of the API description in a weaker but \
         sound way: a value the API sends still decodes, and nothing is sent that the caller did not set. Each \
         entry is where it is written and what was done instead.\n",
        s = if count == 1 { "" } else { "s" },
    );
    for warning in warnings {
        text.push_str(&format!("\n- {}: {}", code(&warning.location), doc_text(&warning.message.replace('\n', " "))));
    }
    let lines = text.lines().map(|line| format!(" {line}"));
    quote! { #(#![doc = #lines])* }
}

pub(crate) fn doc_text(text: &str) -> String {
    let text = visible_controls(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        escape_line(line, &mut out);
    }
    out
}

fn escape_line(line: &str, out: &mut String) {
    let mut rest = line;
    loop {
        // Plain text is copied in one go, up to the next character that could start markup.
        let plain = rest.find(['`', '<', '\\', '[', ']', '&']).unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '`' => {
                let run = rest.len() - rest.trim_start_matches('`').len();
                match closing_run(&rest[run..], run) {
                    Some(end) => {
                        out.push_str(&rest[..run + end + run]);
                        rest = &rest[run + end + run..];
                    }
                    None => {
                        out.push_str(&"\\`".repeat(run));
                        rest = &rest[run..];
                    }
                }
            }
            '<' if let Some(len) = autolink_len(rest) => {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
            '\\' | '[' | ']' | '<' => {
                out.push('\\');
                out.push(c);
                rest = &rest[1..];
            }
            '&' if rest[1..].starts_with(|n: char| n == '#' || n.is_ascii_alphabetic()) => {
                out.push_str("\\&");
                rest = &rest[1..];
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
}

/// Where a run of exactly `run` backticks starts in `text`, if one does: the end of a code span.
fn closing_run(text: &str, run: usize) -> Option<usize> {
    let mut offset = 0;
    while let Some(start) = text[offset..].find('`') {
        let start = offset + start;
        let len = text[start..].len() - text[start..].trim_start_matches('`').len();
        if len == run {
            return Some(start);
        }
        offset = start + len;
    }
    None
}

/// The length of an autolink (`<https://…>`, `<http://…>`) at the start of `text`.
fn autolink_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('<')?;
    if !(inner.starts_with("https://") || inner.starts_with("http://")) {
        return None;
    }
    let end = inner.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    inner[end..].starts_with('>').then_some(end + 2)
}

/// `text` as one inline code span, whatever backticks it contains.
pub(crate) fn code(text: &str) -> String {
    let text = visible_controls(text).replace('\n', " ");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Makes one line of Markdown safe whatever it contains: escapes backtick runs that close no code
/// span on the line and runs of three or more tildes (either could open a fence), and wraps bare
/// URLs in `<…>` so that rustdoc renders them as links instead of warning. Code spans,
/// backslash escapes and autolinks are copied as they are.
fn neutralize(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        // Plain text is copied in one go, up to the next character that could start markup or a
        // URL.
        let plain = rest.find(['`', '~', '\\', '<', 'h']).unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else { break };
        let run = |ch: char| rest.len() - rest.trim_start_matches(ch).len();
        let len = if c == '`' {
            let n = run('`');
            match closing_run(&rest[n..], n) {
                Some(end) => n + end + n,
                None => {
                    out.push_str(&"\\`".repeat(n));
                    rest = &rest[n..];
                    continue;
                }
            }
        } else if c == '~' && run('~') >= 3 {
            let n = run('~');
            out.push_str(&"\\~".repeat(n));
            rest = &rest[n..];
            continue;
        } else if c == '\\' {
            1 + rest[1..].chars().next().map_or(0, char::len_utf8)
        } else if let Some(len) = autolink_len(rest) {
            len
        } else if rest.starts_with("https://") || rest.starts_with("http://") {
            let end = rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '`' | '\\'));
            let url =
                rest[..end.unwrap_or(rest.len())].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '"']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        } else {
            c.len_utf8()
        };
        out.push_str(&rest[..len]);
        rest = &rest[len..];
    }
    out
}

/// Docs followed by a second paragraph, when there is one.
pub(crate) fn docs_with(text: &str, extra: Option<String>) -> TokenStream {
    match extra {
        Some(extra) if text.trim().is_empty() => docs(&extra),
        Some(extra) => docs(&format!("{}\n\n{extra}", text.trim())),
        None => docs(text),
    }
}

/// The Rust type for `ty`; named types are written relative to `types_path`.
pub(crate) fn ty(ty: &Ty, types_path: &TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(bool),
        Ty::F64 => quote!(f64),
        Ty::I64 => quote!(i64),
        Ty::U64 => quote!(u64),
        Ty::I32 => quote!(i32),
        Ty::U32 => quote!(u32),
        Ty::I128 => quote!(i128),
        Ty::U128 => quote!(u128),
        Ty::NonZeroU64 => quote!(::std::num::NonZeroU64),
        Ty::DateTime => quote!(crate::runtime::DateTime),
        Ty::Date => quote!(crate::runtime::Date),
        Ty::Uuid => quote!(crate::runtime::Uuid),
        Ty::Any => quote!(::serde_json::Value),
        Ty::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Ty::Named(name) => {
            let name = format_ident!("{name}");
            quote!(#types_path #name)
        }
        Ty::Vec(inner) => {
            let inner = self::ty(inner, types_path);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = self::ty(inner, types_path);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = self::ty(inner, types_path);
            quote!(::std::option::Option<#inner>)
        }
        Ty::Box(inner) => {
            let inner = self::ty(inner, types_path);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// A float literal that always has a decimal point or exponent.
pub(crate) fn float(value: &serde_json::Number) -> Literal {
    Literal::f64_unsuffixed(value.as_f64().unwrap_or_default())
}

/// The documentation line listing a value's bounds and default, e.g.
/// "Schema: default `400`; minimum `-9007199254740991`; maximum `9007199254740991`."
pub(crate) fn schema_note(
    written: &Constraints,
    checked: &Constraints,
    default: Option<&serde_json::Value>,
) -> Option<String> {
    let Constraints {
        minimum,
        maximum,
        min_length,
        max_length,
        format,
        pattern,
        multiple_of,
        min_items,
        max_items,
        unique_items,
        min_properties,
        max_properties,
    } = written;
    let bound = |name: &str, exclusive_name: &str, b: &Bound| {
        format!("{} `{}`", if b.exclusive { exclusive_name } else { name }, b.value)
    };
    let mut parts = Vec::new();
    if let Some(default) = default {
        parts.push(format!("default {}", code(&default.to_string())));
    }
    if let Some(b) = minimum {
        parts.push(bound("minimum", "exclusive minimum", b));
    }
    if let Some(b) = maximum {
        parts.push(bound("maximum", "exclusive maximum", b));
    }
    if let Some(n) = min_length {
        parts.push(format!("minimum length `{n}`"));
    }
    if let Some(n) = max_length {
        parts.push(format!("maximum length `{n}`"));
    }
    if let Some(p) = pattern {
        parts.push(format!("pattern {}", code(p)));
    }
    if let Some(n) = multiple_of {
        parts.push(format!("multiple of `{n}`"));
    }
    if let Some(n) = min_items {
        parts.push(format!("at least `{n}` items"));
    }
    if let Some(n) = max_items {
        parts.push(format!("at most `{n}` items"));
    }
    if *unique_items {
        parts.push("unique items".to_owned());
    }
    if let Some(n) = min_properties {
        parts.push(format!("at least `{n}` entries"));
    }
    if let Some(n) = max_properties {
        parts.push(format!("at most `{n}` entries"));
    }
    if let Some(f) = format {
        // The integer formats choose the Rust type, which enforces them, and so do the typed
        // formats (`checked.format`, see `Settings::typed_formats`); the others document.
        let integer =
            matches!(f.as_str(), "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64");
        let typed = checked.format.is_some();
        parts.push(if integer || typed {
            format!("format {}", code(f))
        } else {
            format!("format {} (not checked)", code(f))
        });
    }
    if parts.is_empty() {
        return None;
    }
    // A typed format is checked when decoding, by the type: not a `Validate` check.
    let validated = !crate::ir::Constraints { format: None, ..checked.clone() }.is_empty();
    let checked = if validated { " Checked by `Validate::validate`, not when decoding." } else { "" };
    Some(format!("Schema: {}.{checked}", parts.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str) -> Vec<String> {
        let tokens = docs(&doc_text(text)).to_string();
        let file: syn::File = syn::parse_str(&format!("{tokens} struct X;")).unwrap_or_else(|e| panic!("{e}"));
        file.items
            .iter()
            .flat_map(|item| match item {
                syn::Item::Struct(s) => s.attrs.clone(),
                _ => Vec::new(),
            })
            .filter_map(|attr| match &attr.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    #[test]
    fn schema_text_cannot_become_code_or_markup() {
        let lines = rendered(
            "a\r```rust\n    indented\n>     quoted\n- ~~~\n<b>List<String></b> [x](Y) \u{202e}`<i>` &amp; \\[",
        );
        assert_eq!(
            lines,
            [
                " a",
                " \\`\\`\\`rust",
                "    indented",
                " >   quoted",
                " - \\~\\~\\~",
                // A lazy continuation of the list item, indented (same rendering).
                "   \\<b>List\\<String>\\</b> \\[x\\](Y) \\\\u{202e}`<i>` \\&amp; \\\\\\[",
            ]
        );
    }

    #[test]
    fn lazy_list_continuations_are_indented() {
        assert_eq!(
            rendered(
                "Values:\n- `a` means\nthe first\n10. ten\n  more\n\nnot in the list\n* x\n# heading\n*   wide\nmore"
            ),
            [
                " Values:",
                " - `a` means",
                "   the first",
                " 10. ten",
                "     more",
                "",
                " not in the list",
                " * x",
                " # heading",
                " *   wide",
                "     more"
            ]
        );
    }

    #[test]
    fn lazy_quote_continuations_are_marked() {
        assert_eq!(
            rendered("Intro.\n> [!NOTE]\n>   Both.\nStill quoted.\n\nAfter.\n> q\n- item"),
            [" Intro.", " > \\[!NOTE\\]", " >   Both.", " > Still quoted.", "", " After.", " > q", " - item"]
        );
    }

    #[test]
    fn urls_are_linked_outside_code_and_code_spans_hold_any_text() {
        assert_eq!(
            rendered("see https://a.example/x. or <https://b.example> `https://c`"),
            [" see <https://a.example/x>. or <https://b.example> `https://c`"]
        );
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`"), "`` ` ``");
        assert_eq!(code("x\u{2066}\ny"), "`x\\u{2066} y`");
    }
}
