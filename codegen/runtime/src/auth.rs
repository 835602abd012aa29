//! Authentication: the security schemes an API declares, the credentials a client holds, and
//! which of them each request sends.
//!
//! A generated operation passes its security requirements ([`Security`]): alternatives, each the
//! schemes sent together. The client sends the first alternative that names schemes and whose
//! credentials it has (every scheme of it: an AND-combination), else nothing (an operation with
//! `security: []`, an optional `{}` alternative, or credentials not given: the server then
//! answers 401).
//!
//! Each scheme takes the credential given for it by name
//! ([`ClientBuilder::credential`](crate::ClientBuilder::credential) and
//! [`ClientBuilder::credential_basic`](crate::ClientBuilder::credential_basic), which the generated
//! builder's per-scheme methods call), else the client-wide one
//! ([`ClientBuilder::api_key`](crate::ClientBuilder::api_key) for the schemes that send a key or
//! token, [`ClientBuilder::basic_auth`](crate::ClientBuilder::basic_auth) for basic
//! authentication).
//! Credentials are marked sensitive and never appear in `Debug`, errors or logs.

use std::collections::BTreeMap;
use std::fmt;

use reqwest::RequestBuilder;
use reqwest::header::{self, HeaderValue};

use crate::client::ApiInfo;
use crate::error::Error;

/// How a security scheme sends the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `Authorization: Bearer <api key>`: HTTP bearer, and the access token of OAuth2 and
    /// OpenID Connect.
    Bearer,
    /// `Authorization: Basic …`, from a username and password.
    Basic,
    /// The API key in the header of this name.
    Header(&'static str),
    /// The API key as the query parameter of this name.
    Query(&'static str),
    /// The API key as the cookie of this name.
    Cookie(&'static str),
    /// Mutual TLS: nothing is added to the request. The TLS layer presents the client's
    /// certificate, which only the `reqwest::Client` given to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) can hold (built with
    /// `reqwest::ClientBuilder::identity`); the runtime cannot tell whether it does, so an
    /// alternative that needs only this scheme is always the one sent.
    MutualTls,
}

/// A security scheme of the API description: its name there, and how it sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The name under `components/securitySchemes`: what a credential given by name is for.
    pub name: &'static str,
    /// How it is sent.
    pub kind: Scheme,
}

/// An operation's security requirements: alternatives, each the schemes sent together. Empty:
/// the operation sends no credentials.
pub type Security = &'static [&'static [SecurityScheme]];

/// What the client needs to know of an API's authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthInfo {
    /// Whether some operation takes the API key (a bearer token or an API key).
    pub api_key: bool,
    /// Whether some operation takes a username and password.
    pub basic: bool,
    /// Whether every operation needs credentials, so that a client without any is refused.
    pub required: bool,
    /// The environment variable `from_env` reads the username from.
    pub username_env: &'static str,
    /// The environment variable `from_env` reads the password from.
    pub password_env: &'static str,
    /// The environment variables `from_env` reads each scheme's own credential from; empty when
    /// the API has one scheme that takes a credential, which the client-wide variables cover.
    pub schemes: &'static [SchemeEnv],
}

/// Where `from_env` finds one security scheme's own credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemeEnv {
    /// The scheme's name under `components/securitySchemes`.
    pub scheme: &'static str,
    /// The variable of its key or token; of its username for a basic scheme.
    pub var: &'static str,
    /// The variable of its password, for a basic scheme.
    pub password_var: Option<&'static str>,
}

/// A secret; its `Debug` never shows it.
#[derive(Clone)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A credential given for one scheme by name.
#[derive(Debug, Clone)]
pub(crate) enum Given {
    Key(Secret),
    Basic(Secret, Secret),
}

/// The credentials given to a builder: the client-wide ones, and those given per scheme.
#[derive(Debug, Default, Clone)]
pub(crate) struct Secrets {
    pub(crate) api_key: Option<Secret>,
    pub(crate) basic: Option<(Secret, Secret)>,
    pub(crate) schemes: BTreeMap<&'static str, Given>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Secrets {
    /// Reads what the API's schemes need from the environment.
    pub(crate) fn read_env(&mut self, info: &ApiInfo) -> Result<(), Error> {
        let auth = &info.auth;
        for scheme in auth.schemes {
            let given = match scheme.password_var {
                None => env(scheme.var).map(|key| Given::Key(Secret(key))),
                Some(password_var) => match (env(scheme.var), env(password_var)) {
                    (Some(username), Some(password)) => Some(Given::Basic(Secret(username), Secret(password))),
                    _ => None,
                },
            };
            if let Some(given) = given {
                self.schemes.insert(scheme.scheme, given);
            }
        }
        // A client-wide variable that is also a scheme's own (a scheme named `api_key`) is that
        // scheme's alone: it does not feed the others.
        let own = |var: &str| auth.schemes.iter().any(|s| s.var == var || s.password_var == Some(var));
        if auth.api_key
            && !own(info.api_key_env)
            && let Some(key) = env(info.api_key_env)
        {
            self.api_key = Some(Secret(key));
        }
        if auth.basic
            && !own(auth.username_env)
            && !own(auth.password_env)
            && let (Some(username), Some(password)) = (env(auth.username_env), env(auth.password_env))
        {
            self.basic = Some((Secret(username), Secret(password)));
        }
        if auth.required && self.api_key.is_none() && self.basic.is_none() && self.schemes.is_empty() {
            if !auth.schemes.is_empty() {
                let mut vars: Vec<String> = auth
                    .schemes
                    .iter()
                    .map(|scheme| match scheme.password_var {
                        None => scheme.var.to_owned(),
                        Some(password_var) => format!("{} and {password_var}", scheme.var),
                    })
                    .collect();
                if auth.api_key && !own(info.api_key_env) {
                    vars.push(format!("{} for every scheme that takes a key", info.api_key_env));
                }
                if auth.basic && !own(auth.username_env) && !own(auth.password_env) {
                    vars.push(format!("{} and {} for every basic scheme", auth.username_env, auth.password_env));
                }
                return Err(Error::InvalidRequest(format!(
                    "no credential is set in the environment: set the variables of one of the security schemes ({})",
                    vars.join("; ")
                )));
            }
            return Err(Error::InvalidRequest(match (auth.api_key, auth.basic) {
                (false, true) => format!(
                    "the environment variables {} and {} are not set: set them to your username and password",
                    auth.username_env, auth.password_env
                ),
                (true, true) => format!(
                    "the environment variable {} is not set: set it to your API key (or set {} and {})",
                    info.api_key_env, auth.username_env, auth.password_env
                ),
                _ => format!("the environment variable {} is not set: set it to your API key", info.api_key_env),
            }));
        }
        Ok(())
    }
}

/// A key ready to send: `Bearer <key>` and the key alone, both marked sensitive, and the text.
struct Key {
    bearer: HeaderValue,
    raw: HeaderValue,
    text: Secret,
}

impl Key {
    fn new(Secret(key): Secret) -> Result<Self, Error> {
        let unsendable =
            || Error::InvalidRequest("the API key contains characters that cannot be sent in a header".into());
        let mut bearer = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| unsendable())?;
        bearer.set_sensitive(true);
        let mut raw = HeaderValue::from_str(&key).map_err(|_| unsendable())?;
        raw.set_sensitive(true);
        Ok(Self { bearer, raw, text: Secret(key) })
    }
}

/// The credentials of a built client, ready to send.
pub(crate) struct Credentials {
    /// The client-wide key, for every key scheme given none of its own.
    key: Option<Key>,
    /// The client-wide username and password, for every basic scheme given none of its own.
    basic: Option<(Secret, Secret)>,
    /// Keys given per scheme, by scheme name.
    keys: BTreeMap<&'static str, Key>,
    /// Usernames and passwords given per scheme, by scheme name.
    basics: BTreeMap<&'static str, (Secret, Secret)>,
}

impl Credentials {
    pub(crate) fn new(secrets: Secrets, info: &ApiInfo) -> Result<Self, Error> {
        let Secrets { api_key, basic, schemes } = secrets;
        if info.auth.required && api_key.is_none() && basic.is_none() && schemes.is_empty() {
            return Err(Error::InvalidRequest(if info.auth.api_key || !info.auth.basic {
                format!(
                    "no API key: pass one to `Client::new` or `ClientBuilder::api_key`, or set {}",
                    info.api_key_env
                )
            } else {
                format!(
                    "no username and password: pass them to `ClientBuilder::basic_auth`, or set {} and {}",
                    info.auth.username_env, info.auth.password_env
                )
            }));
        }
        let key = api_key.map(Key::new).transpose()?;
        let (mut keys, mut basics) = (BTreeMap::new(), BTreeMap::new());
        for (name, given) in schemes {
            match given {
                Given::Key(key) => {
                    keys.insert(name, Key::new(key)?);
                }
                Given::Basic(username, password) => {
                    basics.insert(name, (username, password));
                }
            }
        }
        Ok(Self { key, basic, keys, basics })
    }

    /// The secret texts (the keys, the passwords), which the client scrubs from what it reports.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let keys = self.key.iter().chain(self.keys.values()).map(|key| key.text.0.clone());
        let passwords = self.basic.iter().chain(self.basics.values()).map(|(_, Secret(password))| password.clone());
        keys.chain(passwords).collect()
    }

    /// The key a scheme sends: its own, else the client-wide one.
    fn key(&self, scheme: &SecurityScheme) -> Option<&Key> {
        self.keys.get(scheme.name).or(self.key.as_ref())
    }

    /// The username and password a scheme sends: its own, else the client-wide ones.
    fn basic(&self, scheme: &SecurityScheme) -> Option<&(Secret, Secret)> {
        self.basics.get(scheme.name).or(self.basic.as_ref())
    }

    fn has(&self, scheme: &SecurityScheme) -> bool {
        match scheme.kind {
            Scheme::Basic => self.basic(scheme).is_some(),
            Scheme::MutualTls => true,
            Scheme::Bearer | Scheme::Header(_) | Scheme::Query(_) | Scheme::Cookie(_) => self.key(scheme).is_some(),
        }
    }

    /// Adds the credentials of the first alternative of `security` that names schemes and whose
    /// every scheme this client has credentials for; an alternative that names none (`{}`, optional
    /// security) or none satisfiable sends nothing. `cookies` are the request's cookie
    /// parameters, sent in the same `Cookie` header.
    pub(crate) fn apply(&self, mut builder: RequestBuilder, security: Security, cookies: &[String]) -> RequestBuilder {
        let mut sensitive = false;
        let mut cookies = cookies.to_vec();
        let alternative =
            security.iter().find(|alternative| !alternative.is_empty() && alternative.iter().all(|s| self.has(s)));
        for scheme in alternative.copied().unwrap_or_default() {
            match scheme.kind {
                Scheme::Basic => {
                    if let Some((Secret(username), Secret(password))) = self.basic(scheme) {
                        builder = builder.basic_auth(username, Some(password));
                    }
                }
                Scheme::Bearer => {
                    if let Some(key) = self.key(scheme) {
                        builder = builder.header(header::AUTHORIZATION, key.bearer.clone());
                    }
                }
                Scheme::Header(name) => {
                    if let Some(key) = self.key(scheme) {
                        builder = builder.header(name, key.raw.clone());
                    }
                }
                Scheme::Query(name) => {
                    if let Some(key) = self.key(scheme) {
                        builder = builder.query(&[(name, &key.text.0)]);
                    }
                }
                Scheme::Cookie(name) => {
                    if let Some(key) = self.key(scheme) {
                        sensitive = true;
                        cookies.push(format!("{name}={}", key.text.0));
                    }
                }
                Scheme::MutualTls => {}
            }
        }
        if !cookies.is_empty()
            && let Ok(mut cookie) = HeaderValue::from_str(&cookies.join("; "))
        {
            cookie.set_sensitive(sensitive);
            builder = builder.header(header::COOKIE, cookie);
        }
        builder
    }
}

/// Whether a request may carry a credential in its URL, which must then never be shown.
pub(crate) fn in_url(security: Security) -> bool {
    security.iter().flat_map(|alternative| alternative.iter()).any(|s| matches!(s.kind, Scheme::Query(_)))
}

impl<C> crate::client::ClientBuilder<C> {
    /// The key or token of the scheme named `scheme` in the API description, sent for it alone
    /// (the generated builder's per-scheme methods call this).
    #[doc(hidden)]
    #[must_use]
    pub fn credential(mut self, scheme: &'static str, key: impl Into<String>) -> Self {
        self.secrets.schemes.insert(scheme, Given::Key(Secret(key.into())));
        self
    }

    /// The username and password of the basic scheme named `scheme`, sent for it alone.
    #[doc(hidden)]
    #[must_use]
    pub fn credential_basic(
        mut self,
        scheme: &'static str,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.secrets.schemes.insert(scheme, Given::Basic(Secret(username.into()), Secret(password.into())));
        self
    }
}
