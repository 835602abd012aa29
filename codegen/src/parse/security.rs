//! `components/securitySchemes` and the `security` requirements of the document and operations.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{KeyLocation, Parser, SchemeSpec};
use crate::error::Pointer;

impl<'d> Parser<'d> {
    /// `components/securitySchemes`: every scheme the runtime can apply.
    pub(super) fn security_schemes(
        &mut self,
        doc: &'d Map<String, Value>,
        root: &Pointer,
    ) -> BTreeMap<String, SchemeSpec> {
        let mut out = BTreeMap::new();
        let Some(components) = doc.get("components").and_then(Value::as_object) else { return out };
        let at = root.join("components").join("securitySchemes");
        let Some(schemes) = components.get("securitySchemes") else { return out };
        let Some(schemes) = self.object(schemes, &at) else { return out };
        for (name, scheme) in schemes {
            let at = at.join(name);
            // A scheme the client cannot apply is left out: the operations that need it are sent
            // without it, and the caller adds its credentials (`ClientBuilder::default_header`).
            let mark = self.errors.mark();
            let parsed = self.scheme(scheme, at);
            if self.errors.contain(
                mark,
                "the client does not send this scheme's credentials (add them with `ClientBuilder::default_header`)",
            ) {
                continue;
            }
            if let Some(parsed) = parsed {
                out.insert(name.clone(), parsed);
            }
        }
        out
    }

    /// One security scheme.
    fn scheme(&mut self, scheme: &'d Value, at: Pointer) -> Option<SchemeSpec> {
        let (scheme, at) = self.resolve(scheme, at, "securitySchemes")?;
        let scheme = self.object(scheme, &at)?;
        let kind = scheme.get("type").and_then(Value::as_str);
        match kind {
            Some("http") => match scheme.get("scheme").and_then(Value::as_str).map(str::to_ascii_lowercase) {
                Some(s) if s == "bearer" => Some(SchemeSpec::Bearer),
                Some(s) if s == "basic" => Some(SchemeSpec::Basic),
                other => {
                    self.errors.push(
                        at.join("scheme").as_str(),
                        format!(
                            "unsupported HTTP authentication scheme {}: expected `bearer` or `basic`",
                            other.map_or_else(|| "(none)".to_owned(), |s| format!("`{s}`"))
                        ),
                    );
                    None
                }
            },
            Some("apiKey") => {
                let location = match scheme.get("in").and_then(Value::as_str) {
                    Some("header") => Some(KeyLocation::Header),
                    Some("query") => Some(KeyLocation::Query),
                    Some("cookie") => Some(KeyLocation::Cookie),
                    _ => {
                        self.errors.push(
                            at.join("in").as_str(),
                            "an API key scheme needs `in`: `header`, `query` or `cookie`",
                        );
                        None
                    }
                };
                let key_name = match scheme.get("name") {
                    Some(n) => self.string(n, &at.join("name")),
                    None => {
                        self.errors.push(
                            at.as_str(),
                            "an API key scheme needs the `name` of its header, query parameter or cookie",
                        );
                        None
                    }
                };
                location.zip(key_name).map(|(location, name)| SchemeSpec::ApiKey { location, name })
            }
            Some("oauth2" | "openIdConnect") => Some(SchemeSpec::Bearer),
            Some("mutualTLS") => Some(SchemeSpec::MutualTls),
            Some(other) => {
                self.errors.push(
                    at.join("type").as_str(),
                    format!(
                        "unsupported security scheme type `{other}`: expected `http` (bearer or basic), \
                             `apiKey`, `oauth2`, `openIdConnect` or `mutualTLS`"
                    ),
                );
                None
            }
            None => {
                self.errors.push(at.as_str(), "a security scheme needs a `type`");
                None
            }
        }
    }

    /// A `security` list: alternatives, each the names of the schemes it needs together.
    pub(super) fn requirements(
        &mut self,
        value: &Value,
        at: &Pointer,
        schemes: &BTreeMap<String, SchemeSpec>,
    ) -> Vec<Vec<String>> {
        let Value::Array(list) = value else {
            self.expected(at, "an array of security requirements", value);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, requirement) in list.iter().enumerate() {
            let Some(requirement) = self.object(requirement, &at.join(i)) else { continue };
            let mut names = Vec::new();
            for name in requirement.keys() {
                if schemes.contains_key(name) {
                    names.push(name.clone());
                } else {
                    self.errors.warn(
                        at.join(i).join(name).as_str(),
                        format!(
                            "the security requirement names `{name}`, which is no scheme the client can apply (none \
                             under `components/securitySchemes`, or one left out); the requirement is read without it"
                        ),
                    );
                }
            }
            out.push(names);
        }
        out
    }
}
