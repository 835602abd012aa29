//! Stage 4, format: tokens → `syn::File` → prettyplease → text with the `@generated` header.

use proc_macro2::TokenStream;

use crate::error::Error;

/// Formats emitted tokens as a Rust file. A parse failure is a generator bug, reported as an
/// error rather than a panic so that nothing is written.
pub(crate) fn format(header: &str, tokens: TokenStream) -> Result<String, Error> {
    let file = parse(tokens)?;
    Ok(format!("{header}\n\n{}", separate_items(&prettyplease::unparse(&file))))
}

/// How many top-level items are parsed and printed at once by [`format_items`].
const CHUNK: usize = 256;

/// As [`format()`] for a file of `head` (its inner docs) and `items`, produced and formatted a
/// chunk at a time: the tokens, syntax tree and text of one chunk are dropped before the next is
/// made, so memory stays flat however many items a big API has. The text is the same as
/// [`format()`] gives for the whole file, since chunks split between top-level items, which
/// [`separate_items`] separates with a blank line anyway.
pub(crate) fn format_items(
    header: &str,
    head: TokenStream,
    items: impl Iterator<Item = TokenStream>,
) -> Result<String, Error> {
    let mut out = format(header, head)?;
    let mut items = items.peekable();
    while items.peek().is_some() {
        let chunk: TokenStream = items.by_ref().take(CHUNK).collect();
        let file = parse(chunk)?;
        out.push('\n');
        out.push_str(&separate_items(&prettyplease::unparse(&file)));
    }
    Ok(out)
}

fn parse(tokens: TokenStream) -> Result<syn::File, Error> {
    syn::parse2::<syn::File>(tokens).map_err(|e| Error {
        location: "#".to_owned(),
        message: format!("internal error: the emitted code does not parse ({e}); please report it"),
    })
}

/// Puts a blank line between items, as hand-written code has: between top-level items, and
/// between the items of an `impl` or `trait` block. prettyplease indents by nesting, so a line that
/// starts an item (docs, an attribute, `fn`, `pub`, `impl`, `const`, `type`…) right after the end
/// of another item at the same indentation (`}` or a `;`-terminated item line, or the module's
/// `//!` docs) starts the next one. A doc comment line ending in `;` ends nothing: it is text.
fn separate_items(text: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "async fn ",
        "impl",
        "const ",
        "type ",
        "struct ",
        "enum ",
        "trait ",
        "mod ",
        "use ",
        // An item macro such as `crate::runtime::api_client!(…);`.
        "crate::",
    ];
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = previous {
            let body = line.trim_start();
            let starts = !body.is_empty() && ITEM_STARTS.iter().any(|s| body.starts_with(s));
            let prev_body = prev.trim_start();
            let same_level = indent(prev) == indent(line);
            let ended = prev_body.starts_with("//!")
                || (same_level
                    && (prev_body == "}"
                        || prev_body == "};"
                        || (prev_body.ends_with(';')
                            && !prev_body.starts_with("//")
                            && ITEM_STARTS.iter().any(|s| prev_body.starts_with(s)))));
            if ended && starts {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}
