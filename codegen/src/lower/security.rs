//! Security schemes → the client's authentication schemes.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{AuthKind, AuthScheme};
use crate::names::{Taken, snake, unique};
use crate::parse::{KeyLocation, SchemeSpec, Spec};

/// The security schemes operations use, named `AUTH_<NAME>`, and the map from wire name to Rust
/// name.
pub(super) fn auth_schemes(spec: &Spec) -> (Vec<AuthScheme>, BTreeMap<String, String>) {
    let used: BTreeSet<&String> = spec.operations.iter().flat_map(|op| op.security.iter().flatten()).collect();
    let mut taken = Taken::default();
    let mut schemes = Vec::new();
    let mut names = BTreeMap::new();
    for (wire, scheme) in &spec.schemes {
        if !used.contains(wire) {
            continue;
        }
        let name = unique(format!("AUTH_{}", snake(wire).trim_end_matches('_').to_ascii_uppercase()), &mut taken);
        let kind = match scheme {
            SchemeSpec::Bearer => AuthKind::Bearer,
            SchemeSpec::Basic => AuthKind::Basic,
            SchemeSpec::ApiKey { location: KeyLocation::Header, name } => AuthKind::Header(name.clone()),
            SchemeSpec::ApiKey { location: KeyLocation::Query, name } => AuthKind::Query(name.clone()),
            SchemeSpec::ApiKey { location: KeyLocation::Cookie, name } => AuthKind::Cookie(name.clone()),
            SchemeSpec::MutualTls => AuthKind::MutualTls,
        };
        names.insert(wire.clone(), name.clone());
        schemes.push(AuthScheme { name, wire_name: wire.clone(), kind });
    }
    schemes.sort_by(|a, b| a.name.cmp(&b.name));
    (schemes, names)
}
