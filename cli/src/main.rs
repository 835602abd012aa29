//! `openapi-typed-gen gen --schema FILE --out DIR [options]`: a typed async Rust client crate
//! from an OpenAPI description (`--help` for the options). Everything is in the library
//! (`openapi_typed_gen::cli`), which `cargo xtask gen` calls too.

use std::process::ExitCode;

/// mimalloc, not glibc's malloc: twice as fast on the biggest documents (README "Big documents").
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match openapi_typed_gen::cli::args(std::env::args_os().skip(1)) {
        Ok(args) => openapi_typed_gen::cli::main(&args),
        Err(code) => code,
    }
}
