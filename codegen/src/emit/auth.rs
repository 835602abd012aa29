//! Emits the builder's credential methods: one per security scheme, named after it, which gives
//! that scheme (and no other) its credential; and the client-wide `api_key`, for every scheme
//! that takes a key and is given none of its own, unless a scheme is itself named `api_key`.
//! When more than one scheme takes a credential, `from_env` reads each one's from a variable of
//! its own (`<PREFIX>_<SCHEME>`, `…_USERNAME`/`…_PASSWORD` for basic schemes) besides the
//! client-wide ones.

use proc_macro2::TokenStream;
use quote::quote;

use super::gates::Gates;
use super::{code, docs, ident};
use crate::ir::{Api, AuthKind, AuthScheme};

/// The `ClientBuilder` methods that exist whatever the API: a scheme's method that would have one
/// of these names gets `_auth` appended.
const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "basic_auth",
    "build",
    "default_header",
    "fmt",
    "from_env",
    "http_client",
    "max_response_bytes",
    "max_retries",
    "retry_backoff",
    "timeout",
];

/// The builder method of a scheme that takes a credential: its constant's name without `AUTH_`,
/// in lower case (unique, since the constants are).
pub(crate) fn method_name(scheme: &AuthScheme) -> Option<String> {
    if !scheme.kind.sends_credential() {
        return None;
    }
    let name = scheme.name.strip_prefix("AUTH_").unwrap_or(&scheme.name).to_lowercase();
    let taken = name.is_empty()
        || crate::names::is_keyword(&name)
        || BUILDER_METHODS.contains(&name.as_str())
        || (name == "api_key" && scheme.kind == AuthKind::Basic);
    Some(if taken { format!("{name}_auth") } else { name })
}

/// Where `from_env` reads one scheme's own credential.
pub(crate) struct SchemeEnv {
    /// The scheme's name in the document.
    pub(crate) scheme: String,
    /// The key's variable; the username's for a basic scheme.
    pub(crate) var: String,
    /// The password's variable, for a basic scheme.
    pub(crate) password_var: Option<String>,
}

/// The variables of each scheme's own credential, in the order of the schemes: none when at most
/// one scheme takes a credential (the client-wide variables are then that scheme's). Each is
/// named after the scheme's builder method, so they are as unique as the methods.
pub(crate) fn scheme_envs(api: &Api, prefix: &str) -> Vec<SchemeEnv> {
    let named: Vec<(&AuthScheme, String)> = api.auth.iter().filter_map(|s| Some((s, method_name(s)?))).collect();
    if named.len() < 2 {
        return Vec::new();
    }
    named
        .into_iter()
        .map(|(scheme, method)| {
            let var = format!("{prefix}_{}", method.to_uppercase());
            let (var, password_var) = match scheme.kind {
                AuthKind::Basic => (format!("{var}_USERNAME"), Some(format!("{var}_PASSWORD"))),
                _ => (var, None),
            };
            SchemeEnv { scheme: scheme.wire_name.clone(), var, password_var }
        })
        .collect()
}

/// The `impl ClientBuilder` block of the credential methods.
/// `envs`: the schemes' variables ([`scheme_envs`]), which each method's docs name.
pub(crate) fn builder_methods(api: &Api, envs: &[SchemeEnv], gates: &Gates) -> TokenStream {
    let per_scheme = api.auth.iter().filter_map(|scheme| {
        let method = ident(&method_name(scheme)?);
        let from_env = envs.iter().find(|e| e.scheme == scheme.wire_name).map(|e| match &e.password_var {
            Some(password_var) => format!("\n`from_env` reads them from {} and {}.", code(&e.var), code(password_var)),
            None => format!("\n`from_env` reads it from {}.", code(&e.var)),
        });
        let AuthScheme { name: _, wire_name, kind } = scheme;
        let cfg = gates.scheme(&scheme.name);
        let sent = match kind {
            AuthKind::Bearer => "as `Authorization: Bearer <token>`".to_owned(),
            AuthKind::Basic => "as HTTP basic authentication".to_owned(),
            AuthKind::Header(name) => format!("in the header {}", code(name)),
            AuthKind::Query(name) => format!("as the query parameter {}", code(name)),
            AuthKind::Cookie(name) => format!("as the cookie {}", code(name)),
            AuthKind::MutualTls => return None,
        };
        let doc = docs(&format!(
            "The credential of the security scheme {}, sent {sent}\n\
             by the operations that use it; no other scheme sends it.{}",
            code(wire_name),
            from_env.unwrap_or_default()
        ));
        Some(if *kind == AuthKind::Basic {
            quote! {
                #doc
                #cfg
                #[must_use]
                pub fn #method(
                    self,
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    Self(self.0.credential_basic(#wire_name, username, password))
                }
            }
        } else {
            quote! {
                #doc
                #cfg
                #[must_use]
                pub fn #method(self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    Self(self.0.credential(#wire_name, key))
                }
            }
        })
    });
    let named_api_key = api.auth.iter().any(|s| method_name(s).as_deref() == Some("api_key"));
    let api_key = (!named_api_key).then(|| {
        quote! {
            /// The API key, sent as the API's security schemes say (e.g. `Authorization: Bearer
            /// <key>`), for every scheme that sends a key or token and was given none of its own.
            #[must_use]
            pub fn api_key(self, api_key: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(self.0.api_key(api_key))
            }
        }
    });
    quote! {
        impl ClientBuilder {
            #api_key
            #(#per_scheme)*
        }
    }
}
