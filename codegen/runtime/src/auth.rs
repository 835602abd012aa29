//! Authentication: the security schemes an API declares, the credentials a client holds, and
//! which of them each request sends.
//!
//! A generated operation passes its security requirements ([`Security`]): alternatives, each the
//! schemes sent together. The client sends the first alternative whose credentials it has, and
//! nothing when there is none (an operation with `security: []`, or credentials not given: the
//! server then answers 401). Credentials are marked sensitive and never appear in `Debug`,
//! errors or logs.

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

/// An operation's security requirements: alternatives, each the schemes sent together. Empty:
/// the operation sends no credentials.
pub type Security = &'static [&'static [Scheme]];

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
}

/// A secret; its `Debug` never shows it.
#[derive(Clone)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The credentials given to a builder.
#[derive(Debug, Default, Clone)]
pub(crate) struct Secrets {
    pub(crate) api_key: Option<Secret>,
    pub(crate) basic: Option<(Secret, Secret)>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Secrets {
    /// Reads what the API's schemes need from the environment.
    pub(crate) fn read_env(&mut self, info: &ApiInfo) -> Result<(), Error> {
        let auth = &info.auth;
        if auth.api_key
            && let Some(key) = env(info.api_key_env)
        {
            self.api_key = Some(Secret(key));
        }
        if auth.basic
            && let (Some(username), Some(password)) = (env(auth.username_env), env(auth.password_env))
        {
            self.basic = Some((Secret(username), Secret(password)));
        }
        if auth.required && self.api_key.is_none() && self.basic.is_none() {
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

/// The credentials of a built client, ready to send.
pub(crate) struct Credentials {
    /// `Bearer <key>` and the key alone, both marked sensitive.
    key: Option<(HeaderValue, HeaderValue, Secret)>,
    basic: Option<(Secret, Secret)>,
}

impl Credentials {
    pub(crate) fn new(secrets: Secrets, info: &ApiInfo) -> Result<Self, Error> {
        let Secrets { api_key, basic } = secrets;
        if info.auth.required && api_key.is_none() && basic.is_none() {
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
        let key = match api_key {
            None => None,
            Some(Secret(key)) => {
                let unsendable =
                    || Error::InvalidRequest("the API key contains characters that cannot be sent in a header".into());
                let mut bearer = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| unsendable())?;
                bearer.set_sensitive(true);
                let mut raw = HeaderValue::from_str(&key).map_err(|_| unsendable())?;
                raw.set_sensitive(true);
                Some((bearer, raw, Secret(key)))
            }
        };
        Ok(Self { key, basic })
    }

    /// The secret texts (the key, the password), which the client scrubs from what it reports.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let key = self.key.iter().map(|(_, _, Secret(key))| key.clone());
        key.chain(self.basic.iter().map(|(_, Secret(password))| password.clone())).collect()
    }

    fn has(&self, scheme: &Scheme) -> bool {
        match scheme {
            Scheme::Basic => self.basic.is_some(),
            Scheme::MutualTls => true,
            Scheme::Bearer | Scheme::Header(_) | Scheme::Query(_) | Scheme::Cookie(_) => self.key.is_some(),
        }
    }

    /// Adds the credentials of the first alternative of `security` this client has.
    /// `cookies` are the request's cookie parameters, sent in the same `Cookie` header.
    pub(crate) fn apply(&self, mut builder: RequestBuilder, security: Security, cookies: &[String]) -> RequestBuilder {
        let mut sensitive = false;
        let mut cookies = cookies.to_vec();
        let alternative = security.iter().find(|alternative| alternative.iter().all(|s| self.has(s)));
        for scheme in alternative.copied().unwrap_or_default() {
            match (scheme, &self.key, &self.basic) {
                (Scheme::Basic, _, Some((Secret(username), Secret(password)))) => {
                    builder = builder.basic_auth(username, Some(password));
                }
                (Scheme::Bearer, Some((bearer, _, _)), _) => {
                    builder = builder.header(header::AUTHORIZATION, bearer.clone());
                }
                (Scheme::Header(name), Some((_, raw, _)), _) => builder = builder.header(*name, raw.clone()),
                (Scheme::Query(name), Some((_, _, Secret(key))), _) => builder = builder.query(&[(*name, key)]),
                (Scheme::Cookie(name), Some((_, _, Secret(key))), _) => {
                    sensitive = true;
                    cookies.push(format!("{name}={key}"));
                }
                _ => {}
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
    security.iter().flat_map(|alternative| alternative.iter()).any(|s| matches!(s, Scheme::Query(_)))
}
