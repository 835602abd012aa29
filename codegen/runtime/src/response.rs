//! What an operation returns before it is awaited ([`Pending`]), and a decoded value with the
//! response's status and headers ([`Response`]).

use std::any::Any;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::body::Body;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::client::{Client, Received, Request};
use crate::encode::{FormField, Split, Styled, split_params, to_form, to_form_styled};
use crate::error::{ApiError, DetailFn, Error, REQUEST_ID_HEADER};
use crate::multipart::Multipart;

/// Header parameters OpenAPI says are ignored (`Accept`, `Content-Type`, `Authorization`): the
/// client writes these itself, from the operation's responses, body and security.
static IGNORED_HEADERS: [HeaderName; 3] = [header::ACCEPT, header::CONTENT_TYPE, header::AUTHORIZATION];

/// Headers that decide how the request is framed, routed or authenticated by the connection
/// (a `Content-Length` on a bodiless request stalls it, a `Host` sends it to another virtual
/// host): a parameter with one of these names is refused rather than sent.
static FORBIDDEN_HEADERS: [HeaderName; 11] = [
    header::HOST,
    header::CONTENT_LENGTH,
    header::TRANSFER_ENCODING,
    header::CONNECTION,
    header::TE,
    header::TRAILER,
    header::UPGRADE,
    header::EXPECT,
    header::COOKIE,
    header::PROXY_AUTHORIZATION,
    HeaderName::from_static("keep-alive"),
];

/// RFC 9110's `tchar`: what a cookie name (a `token`, RFC 6265) is made of.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

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
    detail: Option<DetailFn>,
    /// For a streamed response: how its body becomes `T`, and its limits (`stream.rs`).
    pub(crate) stream: Option<(crate::stream::Open<T>, crate::stream::Settings)>,
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
        Self { client, request, decode, detail: None, stream: None }
    }

    /// Applies `edit` to the request, unless building it failed already; an edit's error
    /// becomes the request's. The builder methods encode what they add before calling it, and
    /// their edits call functions that do not depend on `T`: what is compiled for each
    /// operation's `T` stays small.
    fn edit(mut self, edit: impl FnOnce(&mut Request) -> Result<(), Error>) -> Self {
        if let Ok(request) = &mut self.request
            && let Err(error) = edit(request)
        {
            self.request = Err(error);
        }
        self
    }

    /// Sends `params` as `styles` say: query parameters in other styles, headers and cookies
    /// (replacing the exploded `form` query the request was built with).
    #[doc(hidden)]
    pub fn params<Q: serde::Serialize + ?Sized>(self, params: &Q, styles: &[Styled]) -> Self {
        let split = split_params(params, styles);
        self.edit(|request| apply_params(request, split?))
    }

    /// Sends `body` as JSON.
    #[doc(hidden)]
    pub fn json<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        let bytes = crate::finite::check(body, "the JSON body").and_then(|()| {
            serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(format!("cannot encode the body as JSON: {e}")))
        });
        self.edit(|request| set_body(request, "application/json", bytes))
    }

    /// Sends `body`'s properties as `application/x-www-form-urlencoded`.
    #[doc(hidden)]
    pub fn form<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        let bytes = to_form(body);
        self.edit(|request| set_body(request, "application/x-www-form-urlencoded", bytes))
    }

    /// Sends `body`'s properties as `application/x-www-form-urlencoded` pairs, those in `fields`
    /// written as the body's `encoding` says (see [`FormField`]).
    #[doc(hidden)]
    pub fn form_styled<B: serde::Serialize + ?Sized>(self, body: &B, fields: &[FormField]) -> Self {
        let bytes = to_form_styled(body, fields);
        self.edit(|request| set_body(request, "application/x-www-form-urlencoded", bytes))
    }

    /// Sends `body`'s parts as `multipart/form-data`. The body is encoded here, once, so that
    /// every attempt sends the same bytes.
    #[doc(hidden)]
    pub fn multipart<B: Multipart + ?Sized>(self, body: &B) -> Self {
        self.edit(|request| {
            let (content_type, bytes) = crate::multipart::encode(body)?;
            let content_type = HeaderValue::from_str(&content_type)
                .map_err(|_| Error::InvalidRequest(format!("`{content_type}` is not a valid content type")))?;
            request.body = Some((content_type, bytes));
            Ok(())
        })
    }

    /// Sends `body` as it is, with this content type.
    #[doc(hidden)]
    pub fn raw(self, content_type: &'static str, body: impl Into<Body>) -> Self {
        let body = body.into();
        self.edit(|request| {
            request.body = Some((HeaderValue::from_static(content_type), body));
            Ok(())
        })
    }

    /// Sends the request to `url` instead, a page stream's next page (already checked to be on the
    /// base URL's origin): the URL carries its own query, so the parameters' query is not sent;
    /// headers, cookies and credentials are.
    pub(crate) fn follow(self, url: reqwest::Url) -> Self {
        self.edit(|request| {
            request.url = Some(url);
            Ok(())
        })
    }

    /// Decodes error bodies with `detail`, kept on [`Error::Api`] for [`ApiError::detail`].
    #[doc(hidden)]
    pub fn errors<E: Any + Send + Sync>(mut self, detail: fn(&ApiError) -> Option<E>) -> Self {
        self.detail = Some(Arc::new(move |error| detail(error).map(|d| Arc::new(d) as Arc<dyn Any + Send + Sync>)));
        self
    }

    async fn send(self) -> Result<(Received, fn(&Received) -> Result<T, Error>), Error> {
        let received = match self.client.execute(self.request?).await {
            Ok(received) => received,
            Err(Error::Api(mut api)) => {
                // Decoded when `detail` is first called, not here: most errors are never looked at.
                if let Some(detail) = self.detail {
                    api.set_detail(detail);
                }
                return Err(Error::Api(api));
            }
            Err(other) => return Err(other),
        };
        Ok((received, self.decode))
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
        let (status, headers) = (StatusCode::OK, HeaderMap::new());
        let mut response = Response { status, headers, value: () };
        let value = self.finish(Some(&mut response)).await?;
        Ok(Response { status: response.status, headers: response.headers, value })
    }

    /// A page of a page stream: the page with its status and headers, and the fingerprint of
    /// its `items` property as the server sent it (`pagination::fingerprint`).
    pub(crate) async fn page(self, items: Option<&'static str>) -> Result<(Response<T>, u64), Error> {
        let (received, decode) = self.send().await?;
        let fingerprint = crate::pagination::fingerprint(&received.body, items);
        let value = decode(&received)?;
        Ok((Response { status: received.status, headers: received.headers, value }, fingerprint))
    }

    async fn value(self) -> Result<T, Error> {
        self.finish(None).await
    }

    /// Sends the request and decodes the body, or opens the stream, keeping the status and
    /// headers in `head` when asked.
    async fn finish(mut self, head: Option<&mut Response<()>>) -> Result<T, Error> {
        let (stream, idle) = (self.stream.take(), self.client.timeout());
        let (received, decode) = self.send().await?;
        match stream {
            Some((open, limits)) => {
                if let Some(head) = head {
                    (head.status, head.headers) = (received.status, received.headers.clone());
                }
                Ok(open(received, limits.or_idle(idle)))
            }
            None => {
                let value = decode(&received)?;
                if let Some(head) = head {
                    (head.status, head.headers) = (received.status, received.headers);
                }
                Ok(value)
            }
        }
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

/// Puts an encoded body on a request.
fn set_body(request: &mut Request, content_type: &'static str, bytes: Result<Vec<u8>, Error>) -> Result<(), Error> {
    request.body = Some((HeaderValue::from_static(content_type), Body::from(bytes?)));
    Ok(())
}

/// Puts split params on a request: query pairs, headers and cookies, each checked. Not generic,
/// so compiled once rather than for every operation.
fn apply_params(request: &mut Request, Split { query, headers, cookies }: Split) -> Result<(), Error> {
    request.query = query;
    for (name, value) in headers {
        let invalid = |what: &str| Error::InvalidRequest(format!("the header parameter `{name}` {what}"));
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("is not a header name"))?;
        if IGNORED_HEADERS.contains(&name) {
            // OpenAPI: such a parameter definition "SHALL be ignored"; the client sets them.
            continue;
        }
        if FORBIDDEN_HEADERS.contains(&name) {
            return Err(invalid("names a header that frames or routes the request, which no parameter may set"));
        }
        let value = HeaderValue::from_str(&value).map_err(|_| invalid("is not valid header text"))?;
        request.headers.push((name, value));
    }
    for (name, value) in cookies {
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(Error::InvalidRequest(format!(
                "the cookie parameter `{}` is not a cookie name",
                name.escape_debug()
            )));
        }
        if value.contains([';', ',', '"', '\\']) || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::InvalidRequest(format!(
                "the cookie parameter `{name}` has characters a cookie cannot carry"
            )));
        }
        request.cookies.push(format!("{name}={value}"));
    }
    Ok(())
}
