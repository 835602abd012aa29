//! The runtime that the generated operations and models call into: the HTTP client, its errors,
//! decoding, pagination and validation. It is hand-written in the generator's `runtime/` folder
//! and copied here unchanged; it knows nothing of any particular API.

mod client;
pub(crate) mod codec;
mod error;
mod pagination;
mod response;
#[cfg(feature = "schemars")]
pub(crate) mod schema;
mod validate;

pub use client::{Client, ClientBuilder};
pub use codec::{from_slice, from_str};
pub use error::{ApiError, DecodeError, Error, ErrorKind};
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;
pub use response::{Pending, Response};
pub use pagination::{Items, Page, Pages};
pub use validate::{Number, Text, Validate, ValidationError, Validator, Violation};
