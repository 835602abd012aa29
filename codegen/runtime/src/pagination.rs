//! Pagination: `Stream`s of pages and of items, however the API links one page to the next
//! (page numbers, offsets, cursors, next-page URLs in the body or in a `Link` header).

use std::collections::HashMap;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::Url;
use reqwest::header::{HeaderMap, LINK};

use crate::client::Client;
use crate::error::Error;
use crate::response::{Pending, Response};

/// A response that is one page of a list.
pub trait Page: Sized {
    /// The type of the listed items.
    type Item;

    /// The JSON property of the response that holds the items; `None` when the response is
    /// the list itself. A page stream tells a repeated page by the text of this property as the
    /// server sent it (with `None`, by the whole body).
    const ITEMS: Option<&'static str> = None;

    /// The items of this page.
    fn items(&self) -> &[Self::Item];

    /// The items of this page, by value.
    fn into_items(self) -> Vec<Self::Item>;

    /// How many items the whole list holds, when the API says.
    fn total(&self) -> Option<f64>;
}

/// A response that is a bare JSON array is a page of its elements (the next page's address is
/// then in a header, as RFC 8288's `Link`).
impl<T> Page for Vec<T> {
    type Item = T;

    fn items(&self) -> &[T] {
        self
    }

    fn into_items(self) -> Vec<T> {
        self
    }

    fn total(&self) -> Option<f64> {
        None
    }
}

/// How a stream asks for the page after the one it received: the generated operations'
/// interface to [`Pages`], one variant per scheme. `Q` is the operation's parameters, `P` its
/// page.
#[doc(hidden)]
pub enum Paging<Q, P: Page> {
    /// Page numbers: `advance` sets the next page's number. An empty page ends the stream.
    PageNumber {
        /// Adds one to the page number.
        advance: fn(&mut Q),
    },
    /// An offset and a limit: `advance` moves the offset past the items received (not by the
    /// requested limit, which a server may cap). An empty page ends the stream.
    Offset {
        /// Adds the number of items received to the offset.
        advance: fn(&mut Q, u64),
    },
    /// A cursor (a token) the page carries: `read` takes it (none or empty: the last page),
    /// `write` puts it in the next request's parameters.
    Cursor {
        /// The page's cursor for the next page.
        read: fn(&P) -> Option<String>,
        /// Sets the cursor parameter.
        write: fn(&mut Q, String),
    },
    /// A cursor taken from the page's last item (Stripe's `starting_after` = the last `id`).
    /// An empty page ends the stream.
    LastItem {
        /// The item's field that continues the list.
        read: fn(&P::Item) -> Option<String>,
        /// Sets the cursor parameter.
        write: fn(&mut Q, String),
    },
    /// The next page's URL, in a field of the page (none or empty: the last page).
    NextUrl {
        /// The page's next-page URL, absolute or relative to the base URL.
        read: fn(&P) -> Option<String>,
    },
    /// The next page's URL in the response's RFC 8288 `Link` header, `rel="next"` (none: the
    /// last page).
    Link,
}

/// What a page says of the next one.
enum Step {
    /// The next request's parameters were advanced (page number, offset).
    Next,
    /// The next page is found by this cursor or URL: finding it twice is a loop.
    Key(String),
    /// This was the last page.
    End,
}

/// A page's response, and the fingerprint of its items ([`fingerprint`]).
type PageFuture<P> = Pin<Box<dyn Future<Output = Result<(Response<P>, u64), Error>> + Send>>;

/// One scheme's walk over an operation's pages: the request for the next page, and how a page
/// moves it on.
trait Walk<P: Page>: Send {
    fn request(&mut self) -> PageFuture<P>;
    fn advance(&mut self, page: &P, headers: &HeaderMap) -> Result<Step, Error>;
    /// Whether an empty page is the end (for the schemes that carry no explicit next link).
    fn empty_ends(&self) -> bool;
}

struct Walker<Q, P: Page, F> {
    /// The parameters of the next request: the caller's, with the page advanced.
    params: Q,
    send: F,
    paging: Paging<Q, P>,
    base_url: String,
    /// The next page's URL, for the next-URL schemes.
    next_url: Option<Url>,
}

impl<Q, P, F> Walker<Q, P, F>
where
    P: Page,
{
    /// The next page's URL, resolved against the base URL, and refused when it is on another
    /// origin: the request carries the client's credentials, which must never go elsewhere.
    fn follow(&mut self, next: &str) -> Result<Step, Error> {
        let base = Url::parse(&self.base_url)
            .map_err(|e| Error::Pagination(format!("the base URL cannot resolve the next page's URL: {e}")))?;
        let url = base.join(next).map_err(|e| Error::Pagination(format!("the next page's URL is not a URL: {e}")))?;
        if url.origin() != base.origin() {
            return Err(Error::Pagination(format!(
                "the next page's URL is on {}, another origin than the base URL's ({}): it is not followed, \
                 so that no credential is sent there",
                url.origin().ascii_serialization(),
                base.origin().ascii_serialization()
            )));
        }
        self.next_url = Some(url);
        Ok(Step::Key(next.to_owned()))
    }
}

impl<Q, P, F> Walk<P> for Walker<Q, P, F>
where
    Q: Clone + Send + 'static,
    P: Page + Send + 'static,
    F: FnMut(Q) -> Pending<P> + Send + 'static,
{
    fn request(&mut self) -> PageFuture<P> {
        let mut pending = (self.send)(self.params.clone());
        if let Some(url) = &self.next_url {
            pending = pending.follow(url.clone());
        }
        Box::pin(pending.page(P::ITEMS))
    }

    fn advance(&mut self, page: &P, headers: &HeaderMap) -> Result<Step, Error> {
        let nonempty = |text: Option<String>| text.filter(|t| !t.is_empty());
        match &self.paging {
            Paging::PageNumber { advance } => {
                advance(&mut self.params);
                Ok(Step::Next)
            }
            Paging::Offset { advance } => {
                advance(&mut self.params, page.items().len() as u64);
                Ok(Step::Next)
            }
            Paging::Cursor { read, write } => match nonempty(read(page)) {
                None => Ok(Step::End),
                Some(cursor) => {
                    write(&mut self.params, cursor.clone());
                    Ok(Step::Key(cursor))
                }
            },
            Paging::LastItem { read, write } => match page.items().last() {
                None => Ok(Step::End),
                Some(item) => match nonempty(read(item)) {
                    None => {
                        Err(Error::Pagination("the page's last item has no value to continue the list from".to_owned()))
                    }
                    Some(cursor) => {
                        write(&mut self.params, cursor.clone());
                        Ok(Step::Key(cursor))
                    }
                },
            },
            Paging::NextUrl { read } => match nonempty(read(page)) {
                None => Ok(Step::End),
                Some(next) => self.follow(&next),
            },
            Paging::Link => match next_link(headers) {
                None => Ok(Step::End),
                Some(next) => self.follow(&next),
            },
        }
    }

    fn empty_ends(&self) -> bool {
        matches!(self.paging, Paging::PageNumber { .. } | Paging::Offset { .. } | Paging::LastItem { .. })
    }
}

/// The target of the first `rel="next"` link of RFC 8288 `Link` headers.
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers.get_all(LINK).iter().filter_map(|value| value.to_str().ok()).find_map(|text| {
        let mut rest = text;
        loop {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            let (target, after) = rest.strip_prefix('<')?.split_once('>')?;
            // A link's parameters run to the next comma outside a quoted string.
            let mut quoted = false;
            let end = after
                .char_indices()
                .find(|&(_, c)| {
                    if c == '"' {
                        quoted = !quoted;
                    }
                    c == ',' && !quoted
                })
                .map_or(after.len(), |(i, _)| i);
            let (params, next) = after.split_at(end);
            let is_next = params.split(';').filter_map(|p| p.split_once('=')).any(|(name, value)| {
                name.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_matches('"').split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.trim().to_owned());
            }
            rest = next;
        }
    })
}

/// A page's fingerprint: a hash of its items' text as the server sent it, the response's
/// `items` property (or the whole body, when the response is the list, when `items` is `None`,
/// or when the body has no such property). Nothing is decoded or encoded again for it: a
/// fingerprint from the decoded items would compile an encoder of every item type, for
/// a check that the text does as well. Items sent the same but written differently (keys in
/// another order, other spacing) count as new; the cursor, URL and page-count checks still
/// end such a stream.
pub(crate) fn fingerprint(body: &[u8], items: Option<&str>) -> u64 {
    let text = items.and_then(|name| property_text(body, name)).unwrap_or(body);
    let mut hasher = DefaultHasher::new();
    hasher.write(text.trim_ascii());
    hasher.finish()
}

/// The raw text of a top-level property of a JSON object, if the body is one and has it.
fn property_text<'b>(body: &'b [u8], name: &str) -> Option<&'b [u8]> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
    use serde_json::value::RawValue;

    struct Property<'n>(&'n str);

    impl<'de> DeserializeSeed<'de> for Property<'_> {
        type Value = Option<&'de RawValue>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Property<'_> {
        type Value = Option<&'de RawValue>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 {
                    found = Some(map.next_value::<&'de RawValue>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }

    let mut deserializer = serde_json::Deserializer::from_slice(body);
    Property(name).deserialize(&mut deserializer).ok().flatten().map(|raw| raw.get().as_bytes())
}

/// How many pages a stream fetches at most, by default.
const DEFAULT_MAX_PAGES: u64 = 10_000;

/// A stream of pages, fetched one at a time as it is polled.
///
/// The stream ends normally where the API says the list ends: no next cursor or next-page
/// URL (in the body or in the `Link` header), `has_more: false`, the reported total seen, or,
/// for page numbers, offsets and last-item cursors, an empty page. Anything else that would
/// stop it is an error ([`ErrorKind::Pagination`](crate::ErrorKind::Pagination) but for a
/// failed request), yielded once, after which the stream ends: a failed request; a page with
/// the same items as an earlier one, or the same next cursor or URL (a server that does not
/// advance, or cycles between pages, would otherwise never end); more pages than the cap
/// (10,000 by default, see [`Pages::max_pages`]); a next-page URL on another origin than the
/// client's base URL, which is never followed, so that no credential is sent elsewhere.
///
/// Every request has the caller's parameters (its page size, its filters), with only the
/// page's position changed; a next-page URL is requested as the API gives it. Only the current
/// page is held, and a fingerprint of each earlier one: memory stays flat.
pub struct Pages<P: Page> {
    walk: Box<dyn Walk<P>>,
    pending: Option<PageFuture<P>>,
    has_more: Option<fn(&P) -> Option<bool>>,
    /// An error found while reading a page that was still yielded: the stream's next item.
    failed: Option<Error>,
    seen: u64,
    pages: u64,
    max_pages: u64,
    done: bool,
    /// The fingerprint of every page's items, with the page's number.
    fingerprints: HashMap<u64, u64>,
    /// The fingerprint of every next cursor or URL, with the number of the page that gave it.
    keys: HashMap<u64, u64>,
}

// `Pages` is never structurally pinned: its future is boxed.
impl<P: Page> Unpin for Pages<P> {}

impl<P: Page> std::fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.pages)
            .field("seen", &self.seen)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<P> Pages<P>
where
    P: Page + Send + 'static,
{
    /// The pages of an operation: `send` makes its request from `params`, which `paging`
    /// advances after each page. Next-page URLs resolve against `client`'s base URL.
    #[doc(hidden)]
    pub fn walk<Q, F>(client: &Client, params: Q, send: F, paging: Paging<Q, P>) -> Self
    where
        Q: Clone + Send + 'static,
        F: FnMut(Q) -> Pending<P> + Send + 'static,
    {
        let walker = Walker { params, send, paging, base_url: client.base_url().to_owned(), next_url: None };
        Self {
            walk: Box::new(walker),
            pending: None,
            has_more: None,
            failed: None,
            seen: 0,
            pages: 0,
            max_pages: DEFAULT_MAX_PAGES,
            done: false,
            fingerprints: HashMap::new(),
            keys: HashMap::new(),
        }
    }

    /// Ends the stream after a page for which `has_more` says `Some(false)` (Stripe's
    /// `has_more`).
    #[doc(hidden)]
    #[must_use]
    pub fn has_more(mut self, has_more: fn(&P) -> Option<bool>) -> Self {
        self.has_more = Some(has_more);
        self
    }
}

impl<P> Pages<P>
where
    P: Page,
{
    /// Fetches at most `max_pages` pages (default 10,000); one more is an error
    /// ([`ErrorKind::Pagination`](crate::ErrorKind::Pagination)), not a quiet end.
    #[must_use]
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// Checks a non-empty page, by the fingerprint of its items, against the earlier ones: an
    /// error when it repeats one of them.
    fn check_new(&mut self, fingerprint: u64) -> Result<(), Error> {
        let number = self.pages;
        if let Some(earlier) = self.fingerprints.insert(fingerprint, number) {
            return Err(Error::Pagination(format!(
                "page {number} of the stream has the same items as page {earlier}: the server is not advancing"
            )));
        }
        Ok(())
    }

    /// Checks the next page's cursor or URL against the earlier ones: following one twice is a
    /// loop.
    fn check_key(&mut self, key: &str) -> Result<(), Error> {
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let number = self.pages;
        if let Some(earlier) = self.keys.insert(hasher.finish(), number) {
            return Err(Error::Pagination(format!(
                "page {number} of the stream points to the same next page as page {earlier}: the server is not \
                 advancing"
            )));
        }
        Ok(())
    }

    /// The items of every page, one at a time.
    pub fn items(self) -> Items<P> {
        Items { pages: self, current: Vec::new().into_iter() }
    }

    /// The next page, or `None` at the end. The same as `StreamExt::next`, without needing
    /// a futures crate.
    ///
    /// # Errors
    /// The error of the request for this page; the stream ends after it.
    pub async fn try_next(&mut self) -> Result<Option<P>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await.transpose()
    }

    /// Ends the stream with `error`.
    fn fail(&mut self, error: Error) -> Poll<Option<Result<P, Error>>> {
        self.done = true;
        Poll::Ready(Some(Err(error)))
    }
}

impl<P> Stream for Pages<P>
where
    P: Page,
{
    type Item = Result<P, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(error) = this.failed.take() {
            return this.fail(error);
        }
        if this.done {
            return Poll::Ready(None);
        }
        if this.pending.is_none() && this.pages >= this.max_pages {
            let message = format!(
                "the stream fetched {} pages ({} items) and did not end: stopped at the limit of {} pages",
                this.pages, this.seen, this.max_pages
            );
            return this.fail(Error::Pagination(message));
        }
        let walk = &mut this.walk;
        let pending = this.pending.get_or_insert_with(|| walk.request());
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.pending = None;
        let (page, headers, fingerprint) = match result {
            Ok((response, fingerprint)) => (response.value, response.headers, fingerprint),
            Err(error) => return this.fail(error),
        };
        let more = this.has_more.and_then(|has_more| has_more(&page));
        let empty = page.items().is_empty();
        if empty && this.walk.empty_ends() {
            if more == Some(true) {
                let message = "a page is empty but says more items follow: there is nothing to continue from";
                return this.fail(Error::Pagination(message.to_owned()));
            }
            this.done = true;
            return Poll::Ready(None);
        }
        if !empty && let Err(error) = this.check_new(fingerprint) {
            return this.fail(error);
        }
        this.pages += 1;
        this.seen += page.items().len() as u64;
        let total_seen = page.total().is_some_and(|total| this.seen as f64 >= total);
        if more == Some(false) || total_seen {
            this.done = true;
        } else {
            match this.walk.advance(&page, &headers) {
                Ok(Step::Next) => {}
                Ok(Step::End) => this.done = true,
                Ok(Step::Key(key)) => this.failed = this.check_key(&key).err(),
                Err(error) => this.failed = Some(error),
            }
        }
        Poll::Ready(Some(Ok(page)))
    }
}

/// A stream of the items of every page; see [`Pages`].
pub struct Items<P: Page> {
    pages: Pages<P>,
    current: std::vec::IntoIter<P::Item>,
}

impl<P: Page> Unpin for Items<P> {}

impl<P: Page> std::fmt::Debug for Items<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.current.len()).finish()
    }
}

impl<P> Items<P>
where
    P: Page,
{
    /// The next item, or `None` at the end. The same as `StreamExt::next`, without needing a
    /// futures crate.
    ///
    /// # Errors
    /// The error of the request for a page; the stream ends after it.
    pub async fn try_next(&mut self) -> Result<Option<P::Item>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await.transpose()
    }
}

impl<P> Stream for Items<P>
where
    P: Page,
{
    type Item = Result<P::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.current = page.into_items().into_iter(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{fingerprint, next_link, property_text};
    use reqwest::header::{HeaderMap, HeaderValue, LINK};

    fn link(values: &[&str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(LINK, HeaderValue::from_str(value).expect("header text"));
        }
        next_link(&headers)
    }

    #[test]
    fn the_next_link_is_found_among_others() {
        let github = "<https://api.github.com/repositories/1/issues?page=2>; rel=\"next\", \
                      <https://api.github.com/repositories/1/issues?page=5>; rel=\"last\"";
        assert_eq!(link(&[github]).as_deref(), Some("https://api.github.com/repositories/1/issues?page=2"));
        let first_prev = "<https://x.test/a?page=1>; rel=\"prev first\", <https://x.test/a?page=3>; rel=next";
        assert_eq!(link(&[first_prev]).as_deref(), Some("https://x.test/a?page=3"));
        let quoted_comma = "<https://x.test/a>; title=\"a, b\"; rel=\"last\", <https://x.test/b>; REL=\"Next\"";
        assert_eq!(link(&[quoted_comma]).as_deref(), Some("https://x.test/b"));
        assert_eq!(
            link(&["<https://x.test/a>; rel=\"last\"", "</b?page=2>; rel=\"next\""]).as_deref(),
            Some("/b?page=2")
        );
    }

    #[test]
    fn no_next_link_is_the_last_page() {
        assert_eq!(link(&[]), None);
        assert_eq!(link(&["<https://x.test/a?page=1>; rel=\"prev\", <https://x.test/a?page=1>; rel=\"first\""]), None);
        assert_eq!(link(&["garbage"]), None);
        assert_eq!(link(&["<unterminated; rel=next"]), None);
        assert_eq!(link(&["<https://x.test/a>; rel=\"nextish\""]), None);
    }

    #[test]
    fn a_fingerprint_is_the_items_text_as_sent() {
        let body = br#"{"page": 2, "data": [{"id": 1}, {"id": "a\"b"}], "has_more": true}"#;
        assert_eq!(property_text(body, "data"), Some(&br#"[{"id": 1}, {"id": "a\"b"}]"#[..]));
        // The rest of the body (a page number echoed, a request id) does not count.
        let again = br#"{"data": [{"id": 1}, {"id": "a\"b"}], "page": 3}"#;
        assert_eq!(fingerprint(body, Some("data")), fingerprint(again, Some("data")));
        let other = br#"{"page": 2, "data": [{"id": 2}], "has_more": true}"#;
        assert_ne!(fingerprint(body, Some("data")), fingerprint(other, Some("data")));
        // A key written with an escape is still the property.
        assert_eq!(property_text(br#"{"d\u0061ta": [1]}"#, "data"), Some(&b"[1]"[..]));
        // No such property, or not an object: the whole body.
        assert_eq!(property_text(body, "items"), None);
        assert_eq!(fingerprint(b" [1, 2]\n", None), fingerprint(b"[1, 2]", Some("data")));
        assert_eq!(property_text(b"not json", "data"), None);
    }
}
