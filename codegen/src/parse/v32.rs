//! What OpenAPI 3.2 adds to a path item beyond 3.1: `additionalOperations`, operations for
//! methods without a field of their own (`COPY`, `PURGE`…). (The `query` field is one of
//! `operations::HTTP_METHODS`; `itemSchema` is read by `streams`.)

use serde_json::{Map, Value};

use super::Parser;
use super::operations::HTTP_METHODS;
use crate::error::Pointer;

impl<'d> Parser<'d> {
    /// A path item's `additionalOperations`: each method (an HTTP token, sent exactly as
    /// written: its case is the method's) with its operation and where it is written, flagged as additional. A method
    /// that has a field of its own, or is no token, is left out with a warning.
    pub(super) fn additional_operations(
        &mut self,
        item: &'d Map<String, Value>,
        at: &Pointer,
    ) -> Vec<(&'d String, &'d Value, Pointer, bool)> {
        let Some(value) = item.get("additionalOperations") else { return Vec::new() };
        let at = at.join("additionalOperations");
        let Some(map) = self.object(value, &at) else { return Vec::new() };
        let token =
            |m: &str| !m.is_empty() && m.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        let mut operations = Vec::new();
        for (method, operation) in map {
            let op_at = at.join(method);
            if HTTP_METHODS.iter().any(|fixed| fixed.eq_ignore_ascii_case(method)) {
                self.errors.warn(
                    op_at.as_str(),
                    format!(
                        "`{method}` has a path item field of its own, which `additionalOperations` must not \
                         repeat; this operation is left out of the crate"
                    ),
                );
            } else if !token(method) {
                self.errors.warn(
                    op_at.as_str(),
                    format!("`{method}` is not an HTTP method name; this operation is left out of the crate"),
                );
            } else {
                operations.push((method, operation, op_at, true));
            }
        }
        operations
    }
}
