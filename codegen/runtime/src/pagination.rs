//! Page-number pagination as `Stream`s of pages and of items.

use std::future::Future;
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

/// A stream of pages, fetched one at a time as it is polled.
///
/// It ends after an empty page, once the reported total has been seen, or when the server
/// answers with the same page again (its first item equal to the previous page's first item),
/// which would otherwise never end. An error is yielded once and ends the stream.
pub struct Pages<P: Page> {
    fetch: Fetch<P>,
    pending: Option<PageFuture<P>>,
    seen: u64,
    done: bool,
    previous_first: Option<P::Item>,
}

// `Pages` is never structurally pinned: its future is boxed.
impl<P: Page> Unpin for Pages<P> {}

impl<P: Page> std::fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("seen", &self.seen).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<P> Pages<P>
where
    P: Page,
    P::Item: Clone + PartialEq,
{
    /// Pages produced by calling `fetch` once per page; each call requests the next page.
    #[doc(hidden)]
    pub fn new(fetch: impl FnMut() -> PageFuture<P> + Send + 'static) -> Self {
        Self { fetch: Box::new(fetch), pending: None, seen: 0, done: false, previous_first: None }
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
    P::Item: Clone + PartialEq,
{
    type Item = Result<P, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
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
        let Some(first) = page.items().first() else {
            this.done = true;
            return Poll::Ready(None);
        };
        if this.previous_first.as_ref() == Some(first) {
            tracing::warn!(seen = this.seen, "the server sent the same page twice; ending pagination");
            this.done = true;
            return Poll::Ready(None);
        }
        this.previous_first = Some(first.clone());
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
    P::Item: Clone + PartialEq,
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
    P::Item: Clone + PartialEq,
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
