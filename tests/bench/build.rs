//! With the `peer-bench` feature, writes typify's types for the Revox components to
//! `$OUT_DIR/typify.rs`, for side-by-side benchmarks. typify reads JSON Schema with
//! `#/definitions/…` references, so the components are wrapped in a draft-07 root schema.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../../schema/revox.openapi.json");
    #[cfg(feature = "peer-bench")]
    if let Err(e) = peer::write() {
        println!("cargo::error=typify could not generate the peer types: {e}");
    }
}

#[cfg(feature = "peer-bench")]
#[path = "src/peer_gen.rs"]
mod peer_gen;

#[cfg(feature = "peer-bench")]
mod peer {
    use std::path::PathBuf;

    pub fn write() -> Result<(), Box<dyn std::error::Error>> {
        let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
        let text = std::fs::read_to_string(manifest.join("../../schema/revox.openapi.json"))?;
        let source = super::peer_gen::typify_source(&text)?;
        let out = PathBuf::from(std::env::var("OUT_DIR")?).join("typify.rs");
        std::fs::write(out, source)?;
        Ok(())
    }
}
