//! `servers`: the base URL, its variables substituted with their defaults.

use serde_json::{Map, Value};

use super::Parser;
use crate::error::Pointer;

impl<'d> Parser<'d> {
    pub(super) fn servers(&mut self, doc: &Map<String, Value>, root: &Pointer) -> Option<(String, Pointer)> {
        let at = root.join("servers");
        match doc.get("servers")? {
            Value::Array(servers) => {
                let first = servers.first()?;
                let server = self.object(first, &at.join(0))?;
                match server.get("url") {
                    Some(url) => {
                        let url_at = at.join(0).join("url");
                        let url = self.string(url, &url_at)?;
                        let url = self.substitute(&url, server.get("variables"), &at.join(0))?;
                        if let Some(c) =
                            url.chars().find(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`".contains(*c))
                        {
                            self.errors.push(
                                url_at.as_str(),
                                format!("a server URL cannot contain {c:?}: it is not a URL character"),
                            );
                        }
                        Some((url, url_at))
                    }
                    None => {
                        self.errors.push(at.join(0).as_str(), "expected a `url`");
                        None
                    }
                }
            }
            other => {
                self.expected(&at, "an array of servers", other);
                None
            }
        }
    }

    /// A server URL with each `{variable}` replaced by its `default`.
    fn substitute(&mut self, url: &str, variables: Option<&Value>, at: &Pointer) -> Option<String> {
        let empty = Map::new();
        let variables = match variables {
            None => &empty,
            Some(v) => self.object(v, &at.join("variables"))?,
        };
        let mut out = String::new();
        let mut rest = url;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(len) = rest[start..].find('}') else {
                self.errors.push(at.join("url").as_str(), "an unclosed `{` in the server URL");
                return None;
            };
            let name = &rest[start + 1..start + len];
            let var_at = at.join("variables").join(name);
            match variables.get(name).and_then(Value::as_object).and_then(|v| v.get("default")) {
                Some(Value::String(default)) => out.push_str(default),
                Some(other) => {
                    self.expected(&var_at.join("default"), "a string", other);
                    return None;
                }
                None => {
                    self.errors.push(
                        at.join("url").as_str(),
                        format!("the server variable `{name}` has no `default` under `variables`"),
                    );
                    return None;
                }
            }
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        Some(out)
    }
}
