//! Doc text: the one place where text becomes documentation of generated code.
//!
//! Text of the API description (descriptions, summaries, titles, enum values, URLs) is data: the
//! IR keeps it raw, and it reaches a doc comment only through [`doc_text`] (as prose) or [`code`]
//! (as a code span), so that it renders as written and nothing more. The generator's own Markdown,
//! with such text spliced in, becomes doc lines through [`lines`] (and `docs`, the `#[doc]`
//! attributes the emitters write), which make each line safe whatever it holds: it cannot stop
//! the crate from compiling, open a code block (and so a doctest), or hold half of a link.
//! `xtask`'s scaffolded `lib.rs` is written with the same functions.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line of [`lines`], which prettyplease prints as `///`
/// comments.
pub(crate) fn docs(text: &str) -> TokenStream {
    let lines = lines(text).into_iter().map(|line| if line.is_empty() { line } else { format!(" {line}") });
    quote!(#(#[doc = #lines])*)
}

/// The lines of a doc comment (without `///` and the space after it) for `text`, Markdown written
/// by the generator, with schema text spliced in through [`doc_text`] and [`code`].
///
/// Whatever `text` contains, the result cannot stop the crate from compiling or become a code
/// block (and so a doctest): line breaks are normalised (a bare CR is a compile error in a doc
/// comment), control and bidi characters (denied by rustc's `text_direction_codepoint_in_comment`)
/// are written as visible `\u{…}` escapes, no run of whitespace is wider than three spaces (four
/// would start an indented code block, also after a list marker or `>`; up to three keep list
/// continuations), and runs of backticks that close no code span and runs of three tildes (which
/// could open a fence, also inside a list item or a quote) are escaped. A bracket that does not
/// belong to a whole link (`[label](path)`, `` [`path`] ``) is escaped too, so no broken link is written.
pub fn lines(text: &str) -> Vec<String> {
    let text = visible_controls(text);
    // The content column of the list item the previous lines belong to, if any.
    let mut item: Option<usize> = None;
    // Whether the previous line was part of a block quote.
    let mut quote = false;
    let lines = text.trim().lines().map(|line| {
        let mut line = whole_links(&neutralize(&narrow_whitespace(line.trim_end())));
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
        line
    });
    lines.collect()
}

/// Escapes every bracket of a line (outside code spans, autolinks and escapes) that is not part of
/// a whole link: `[label](target)`, the target a URL or a Rust path (`crate::types::Pet`,
/// `Self::list`), or `` [`path`] ``, an intra-doc link by its code span alone. Each bracket of
/// a whole link is copied; a stray one (half of a link spliced into a template) becomes text,
/// which renders as written and which rustdoc does not try to resolve.
fn whole_links(line: &str) -> String {
    let bytes = line.as_bytes();
    // The byte ranges of the brackets and parentheses that belong to a whole link.
    let mut keep = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => i = skip_code_span(line, i),
            b'<' => i += autolink_len(&line[i..]).unwrap_or(1),
            b'[' => match link_len(line, i) {
                Some((len, close)) => {
                    keep.push(i);
                    keep.push(close);
                    i += len;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\\' {
            // An escape is copied whole, escaped character included.
            let len = 1 + line[i + 1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&line[i..i + len]);
            i += len;
            continue;
        }
        if c == b'`' {
            let end = skip_code_span(line, i);
            out.push_str(&line[i..end]);
            i = end;
            continue;
        }
        if c == b'<'
            && let Some(len) = autolink_len(&line[i..])
        {
            out.push_str(&line[i..i + len]);
            i += len;
            continue;
        }
        if (c == b'[' || c == b']') && !keep.contains(&i) {
            out.push('\\');
        }
        let len = line[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&line[i..i + len]);
        i += len;
    }
    out
}

/// Where the code span (or unmatched backtick run) starting at `at` ends.
fn skip_code_span(line: &str, at: usize) -> usize {
    let run = line[at..].len() - line[at..].trim_start_matches('`').len();
    match closing_run(&line[at + run..], run) {
        Some(end) => at + run + end + run,
        None => at + run,
    }
}

/// The length of the whole link starting with the `[` at `at`, and where its `]` is.
fn link_len(line: &str, at: usize) -> Option<(usize, usize)> {
    // The label: text and code spans, no other bracket.
    let mut i = at + 1;
    let close = loop {
        match line.as_bytes().get(i)? {
            b'`' => i = skip_code_span(line, i),
            b'\\' => i += 2,
            b'[' => return None,
            b']' => break i,
            _ => i += 1,
        }
    };
    let label = &line[at + 1..close];
    if label.trim().is_empty() {
        return None;
    }
    let rest = &line[close + 1..];
    if let Some(target) = rest.strip_prefix('(') {
        let end = target.find(')')?;
        // `neutralize` has written a URL target as `<…>`, which CommonMark reads the same.
        let target = target[..end].strip_prefix('<').and_then(|t| t.strip_suffix('>')).unwrap_or(&target[..end]);
        let url = target.starts_with("https://") || target.starts_with("http://");
        ((url && !target.contains(char::is_whitespace)) || is_path(target)).then_some((close + 2 + end + 1 - at, close))
    } else {
        // A shortcut link: rustdoc resolves its label, a path in one code span.
        let path = label.strip_prefix('`')?.strip_suffix('`')?;
        is_path(path).then_some((close + 1 - at, close))
    }
}

/// Whether `text` is a Rust path as intra-doc links name items: `crate::Client::pets`,
/// `Self::new`, `Pet`, optionally with `()` or `!` after it.
fn is_path(text: &str) -> bool {
    let text = text.strip_suffix("()").or_else(|| text.strip_suffix('!')).unwrap_or(text);
    !text.is_empty()
        && text.split("::").all(|segment| {
            segment.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
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
/// markup. [`lines`] then makes the lines themselves safe.
pub fn doc_text(text: &str) -> String {
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
pub fn code(text: &str) -> String {
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
    fn only_whole_links_keep_their_brackets() {
        let lines = |text: &str| lines(text).join("\n");
        // What error docs once spliced: half a link inside a code span, a shortcut link to no path.
        assert_eq!(
            lines("decoded as [`CreateError](crate::CreateError`] in"),
            r"decoded as \[`CreateError](crate::CreateError`\] in"
        );
        // Whole links: a path or URL target, or a code span naming a path.
        for whole in [
            "see [`Client::pets`](crate::Client::pets).",
            "see [`Self::list`] and [`Pages`](crate::runtime::Pages)",
            "[`Error::detail`](crate::Error::detail) or [`Self::new()`]",
        ] {
            assert_eq!(lines(whole), whole);
        }
        assert_eq!(lines("[the spec](https://x.example/a)"), "[the spec](<https://x.example/a>)");
        // Anything else is text: a stray bracket, a target that is no path, a label that is none.
        assert_eq!(lines("a [b] c]"), r"a \[b\] c\]");
        assert_eq!(lines("[x](not a path) [`a b`] []()"), r"\[x\](not a path) \[`a b`\] \[\]()");
        assert_eq!(lines("[[`A`](crate::A)"), r"\[[`A`](crate::A)");
        // Brackets in code spans, escapes and autolinks are not markup and stay as they are.
        assert_eq!(lines(r"`[a` \[ <https://x.example/[y]>"), r"`[a` \[ <https://x.example/[y]>");
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
