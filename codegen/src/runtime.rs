//! The runtime the generated code calls into: hand-written Rust in `codegen/runtime/`, emitted
//! verbatim (with the `@generated` header) under the generated crate's `src/runtime/`.
//!
//! It is compiled and linted as part of every generated crate, which is how it is tested.

/// `(file name, contents)`, in the order they are listed in `mod.rs`.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("codec.rs", include_str!("../runtime/codec.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("pagination.rs", include_str!("../runtime/pagination.rs")),
    ("response.rs", include_str!("../runtime/response.rs")),
    ("schema.rs", include_str!("../runtime/schema.rs")),
    ("validate.rs", include_str!("../runtime/validate.rs")),
];
