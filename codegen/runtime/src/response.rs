//! What an operation returns before it is awaited ([`Pending`]), and a decoded value with the
//! response's status and headers ([`Response`]).

use std::fmt;
use std::future::{Future, IntoFuture};
use std::ops::Deref;
use std::pin::Pin;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::client::{Client, Received, Request};
use crate::error::{Error, REQUEST_ID_HEADER};

/// A request that has not been sent yet: `.await` it for the decoded value, or call
/// [`Pending::with_response`] for the status and headers as well.
///
/// Nothing is sent until it is awaited. [`Pending::timeout`] and [`Pending::max_retries`]
/// override the client's settings for this request only.
#[must_use = "a request is sent only when it is awaited"]
pub struct Pending<T> {
    client: Client,
    request: Result<Request, Error>,
    decode: fn(&Received) -> Result<T, Error>,
}

impl<T> fmt::Debug for Pending<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending").field("client", &self.client).field("request", &self.request).finish()
    }
}

impl<T> Pending<T> {
    pub(crate) fn new(
        client: Client,
        request: Result<Request, Error>,
        decode: fn(&Received) -> Result<T, Error>,
    ) -> Self {
        Self { client, request, decode }
    }

    /// Bounds each attempt of this request by `timeout` instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.client = self.client.with_timeout(timeout);
        self
    }

    /// Retries this request at most `max_retries` times instead of the client's setting.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.client = self.client.with_max_retries(max_retries);
        self
    }

    /// Sends the request and returns the decoded value together with the response's status and
    /// headers (and so its request id).
    ///
    /// # Errors
    /// As awaiting the request itself.
    pub async fn with_response(self) -> Result<Response<T>, Error> {
        let received = self.client.execute(self.request?).await?;
        let value = (self.decode)(&received)?;
        Ok(Response { status: received.status, headers: received.headers, value })
    }

    async fn value(self) -> Result<T, Error> {
        let received = self.client.execute(self.request?).await?;
        (self.decode)(&received)
    }
}

impl<T: Send + 'static> IntoFuture for Pending<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.value())
    }
}

/// A decoded success value with the status and headers it came with. It dereferences to the
/// value; [`Response::into_inner`] takes it out.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The HTTP status (a 2xx).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub value: T,
}

impl<T> Response<T> {
    /// The HTTP status; it compares with numbers (`response.status() == 200`).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request id (`x-request-id`), when it sent one: quote it to the API's support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok())
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
