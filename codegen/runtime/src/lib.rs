//! The runtime of the crates that `codegen` generates: the HTTP client (authentication, retries
//! with backoff, per-attempt timeouts, tracing), its one [`Error`] type, lossless JSON decoding
//! that names the path of a failure, `multipart/form-data` bodies (with [`File`] parts),
//! pagination (page numbers, offsets, cursors, next-page URLs and `Link` headers), and
//! validation of the bounds the types cannot express.
//!
//! It knows nothing of any particular API: a generated crate passes what is specific to its API
//! (an [`ApiInfo`], its operations' paths and parameters) and re-exports what its users touch
//! (`Client`, `Error`, `Pending`, `File`, …), so its users never name this crate. The items marked
//! `#[doc(hidden)]` are the generated code's interface, not a public API.

mod auth;
mod body;
mod budget;
mod client;
#[doc(hidden)]
pub mod codec;
mod debug;
mod encode;
mod error;
mod finite;
#[cfg(feature = "time")]
mod formats;
mod integer;
mod locate;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod pagination;
mod response;
#[cfg(feature = "schemars")]
#[doc(hidden)]
pub mod schema;
mod stream;
mod validate;

pub use auth::{AuthInfo, Scheme, SchemeEnv, Security, SecurityScheme};
pub use body::Body;
pub use bytes::Bytes;
pub use client::{
    ApiInfo, Client, ClientBuilder, Received, decode_bytes, decode_json, decode_text, decode_unit, unexpected_status,
};
pub use codec::{from_slice, from_str};
/// `#[derive(Model)]`: the serde, [`Validate`] and `JsonSchema` impls of the generated models.
#[doc(hidden)]
pub use codegen_derive::Model;
pub use encode::{FormField, In, Style, Styled};
pub use error::{ApiError, DecodeError, Error, ErrorKind};
#[cfg(feature = "time")]
pub use formats::{Date, DateTime};
pub use multipart::File;
#[doc(hidden)]
pub use multipart::{Multipart, Parts};
pub use pagination::{Items, Page, Pages, Paging};
/// The HTTP client a generated builder's `http_client` takes.
#[doc(hidden)]
pub use reqwest::Client as HttpClient;
pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode};
pub use response::{Pending, Response};
#[doc(hidden)]
pub use stream::Lines;
pub use stream::{ByteStream, Event, EventStream, ItemStream};
#[cfg(feature = "time")]
pub use time;
#[cfg(feature = "uuid")]
pub use uuid::{self, Uuid};
pub use validate::{Collection, Number, Text, Validate, ValidationError, Validator, Violation};

/// The method an operation is sent with, for the methods `Method` has no constant for (OpenAPI
/// 3.2's `QUERY`, and those of `additionalOperations`); the generator emits only HTTP tokens,
/// which every method name is, so the fallback is never taken.
#[doc(hidden)]
pub fn method(name: &'static str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET)
}
