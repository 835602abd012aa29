//! Page-number pagination as `Stream`s of pages and of items.

use std::collections::HashMap;
use std::future::Future;
use std::hash::{DefaultHasher, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Error;

/// A response that is one page of a list.
pub trait Page: Sized {
    /// The type of the listed items.
    type Item;

    /// The items of this page.
    fn items(&self) -> &[Self::Item];

    /// The items of this page, by value.
    fn into_items(self) -> Vec<Self::Item>;

    /// How many items the whole list holds, when the API says.
    fn total(&self) -> Option<f64>;
}

type PageFuture<P> = Pin<Box<dyn Future<Output = Result<P, Error>> + Send>>;
type Fetch<P> = Box<dyn FnMut() -> PageFuture<P> + Send>;

/// How many pages a stream fetches at most, by default.
const DEFAULT_MAX_PAGES: u64 = 10_000;

/// A stream of pages, fetched one at a time as it is polled.
///
/// It ends normally after an empty page, or once the reported total has been seen. Anything
/// else that would stop it is an error, yielded once, after which the stream ends: a failed
/// request; a page with the same items as an earlier one (a server that does not advance, or
/// cycles between pages, would otherwise never end); more pages than the cap (10,000 by
/// default, see [`Pages::max_pages`]).
pub struct Pages<P: Page> {
    fetch: Fetch<P>,
    pending: Option<PageFuture<P>>,
    seen: u64,
    pages: u64,
    max_pages: u64,
    done: bool,
    /// The fingerprint of every page's items, with the page's number.
    fingerprints: HashMap<u64, u64>,
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
    P: Page,
    P::Item: serde::Serialize,
{
    /// Pages produced by calling `fetch` once per page; each call requests the next page.
    #[doc(hidden)]
    pub fn new(fetch: impl FnMut() -> PageFuture<P> + Send + 'static) -> Self {
        Self {
            fetch: Box::new(fetch),
            pending: None,
            seen: 0,
            pages: 0,
            max_pages: DEFAULT_MAX_PAGES,
            done: false,
            fingerprints: HashMap::new(),
        }
    }

    /// Fetches at most `max_pages` pages (default 10,000); one more is an error
    /// ([`ErrorKind::Pagination`](crate::ErrorKind::Pagination)), not a quiet end.
    #[must_use]
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// Checks a non-empty page against the earlier ones: an error when it repeats one of them.
    fn check_new(&mut self, page: &P) -> Result<(), Error> {
        let mut hasher = DefaultHasher::new();
        for item in page.items() {
            // Items are the generated models, whose encoding cannot fail; a failure would only
            // weaken the fingerprint.
            let bytes = serde_json::to_vec(item).unwrap_or_default();
            hasher.write(&bytes);
            hasher.write_u8(0);
        }
        let number = self.pages;
        if let Some(earlier) = self.fingerprints.insert(hasher.finish(), number) {
            return Err(Error::Pagination(format!(
                "page {number} of the stream has the same items as page {earlier}: the server is not advancing"
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
}

impl<P> Stream for Pages<P>
where
    P: Page,
    P::Item: serde::Serialize,
{
    type Item = Result<P, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        if this.pending.is_none() && this.pages >= this.max_pages {
            this.done = true;
            return Poll::Ready(Some(Err(Error::Pagination(format!(
                "the stream fetched {} pages ({} items) and did not end: stopped at the limit of {} pages",
                this.pages, this.seen, this.max_pages
            )))));
        }
        let pending = this.pending.get_or_insert_with(|| (this.fetch)());
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.pending = None;
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                this.done = true;
                return Poll::Ready(Some(Err(error)));
            }
        };
        if page.items().is_empty() {
            this.done = true;
            return Poll::Ready(None);
        }
        if let Err(error) = this.check_new(&page) {
            this.done = true;
            return Poll::Ready(Some(Err(error)));
        }
        this.pages += 1;
        this.seen += page.items().len() as u64;
        if page.total().is_some_and(|total| this.seen as f64 >= total) {
            this.done = true;
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
    P::Item: serde::Serialize,
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
    P::Item: serde::Serialize,
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
