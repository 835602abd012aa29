//! Stage 4, format: tokens → `syn::File` → prettyplease → text with the `@generated` header.

use proc_macro2::TokenStream;

use crate::error::Error;

/// Formats emitted tokens as a Rust file. A parse failure is a generator bug, reported as an
/// error rather than a panic so that nothing is written.
pub(crate) fn format(header: &str, tokens: TokenStream) -> Result<String, Error> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| Error {
        location: "#".to_owned(),
        message: format!("internal error: the emitted code does not parse ({e}); please report it"),
    })?;
    Ok(format!("{header}\n\n{}", separate_items(&prettyplease::unparse(&file))))
}

/// Puts a blank line between top-level items, as hand-written code has. prettyplease indents
/// everything nested, so a line at column 0 that follows the end of an item (`}` or `;` at
/// column 0, or the module's `//!` docs) starts the next one.
fn separate_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = previous {
            let ended = prev == "}" || (prev.ends_with(';') && !prev.starts_with(' ')) || prev.starts_with("//!");
            let starts = !line.is_empty() && !line.starts_with(' ') && !line.starts_with("//!") && line != "}";
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
