//! Paging through a collection as a `Stream` of items. Pages are fetched lazily, one at a time
//! (memory stays flat however long the collection), and each item is decoded on its own, so one
//! odd item is one `Err` in the stream instead of a failed page.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::{ApiResponse, BoxFuture, Error};

/// One page as the server sent it: items not yet decoded.
pub(crate) type RawPage<E> = Result<ApiResponse<Vec<Box<RawValue>>>, Error<E>>;

/// Fetches the page at (`offset`, `limit`); `first` is true for the first page only (so that
/// `count=true`, which costs the server, is sent once).
type FetchPage<'a, E> = Box<dyn FnMut(i64, i64, bool) -> BoxFuture<'a, RawPage<E>> + Send + 'a>;

/// A stream of every item of a collection, fetched page by page. Made by the `stream()` method
/// of list operations. Read it with its own [`try_next`](Pages::try_next) and
/// [`collect_all`](Pages::collect_all) (no other crate needed), or as a
/// [`Stream`](crate::Stream) with the `futures` combinators you already use.
///
/// The crate's documentation pages through a list operation of its API.
///
/// It stops after a short page, at [`max_items`](Pages::max_items), or at the first error
/// (which it yields). A 4xx answer to a page after a full page is taken as the end: some
/// endpoints answer an offset past the end that way when the total is a multiple of the page size.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, T, E> {
    fetch: FetchPage<'a, E>,
    pending: Option<BoxFuture<'a, RawPage<E>>>,
    buffer: VecDeque<Box<RawValue>>,
    offset: i64,
    page_size: i64,
    remaining: Option<u64>,
    first: bool,
    done: bool,
    total_count: Option<u64>,
    decode: fn(&RawValue) -> Result<T, serde_json::Error>,
}

impl<'a, T: DeserializeOwned, E> Pages<'a, T, E> {
    pub(crate) fn new(
        offset: i64,
        page_size: i64,
        fetch: impl FnMut(i64, i64, bool) -> BoxFuture<'a, RawPage<E>> + Send + 'a,
    ) -> Self {
        Pages {
            fetch: Box::new(fetch),
            pending: None,
            buffer: VecDeque::new(),
            offset,
            page_size: page_size.max(1),
            remaining: None,
            first: true,
            done: false,
            total_count: None,
            decode: |raw| serde_json::from_str(raw.get()),
        }
    }

    /// Stops after `count` items, fetching no more than needed for them.
    pub fn max_items(mut self, count: u64) -> Self {
        self.remaining = Some(count);
        self
    }

    /// `X-Total-Count` of the first page, once it has been fetched, when the request asked for
    /// it with `count(true)`.
    pub fn total_count(&self) -> Option<u64> {
        self.total_count
    }
}

impl<'a, T, E> Pages<'a, T, E> {
    /// The next item: `Ok(None)` at the end, `Err` for a page that failed (the stream ends
    /// there) or an item that did not decode (the stream goes on).
    pub async fn try_next(&mut self) -> Result<Option<T>, Error<E>> {
        self.next().await.transpose()
    }

    /// The next item as the stream yields it: `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining item, in order; the first error ends it. Cap it with
    /// [`max_items`](Pages::max_items) when the collection may be large.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.try_next().await? {
            items.push(item);
        }
        Ok(items)
    }
}

impl<T, E> std::fmt::Debug for Pages<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("offset", &self.offset)
            .field("page_size", &self.page_size)
            .field("remaining", &self.remaining)
            .field("buffered", &self.buffer.len())
            .field("total_count", &self.total_count)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T, E> Unpin for Pages<'_, T, E> {}

impl<'a, T, E> Stream for Pages<'a, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.remaining == Some(0) {
                return Poll::Ready(None);
            }
            if let Some(raw) = this.buffer.pop_front() {
                if let Some(remaining) = this.remaining.as_mut() {
                    *remaining -= 1;
                }
                return Poll::Ready(Some((this.decode)(&raw).map_err(|source| Error::Item {
                    body: bytes::Bytes::copy_from_slice(raw.get().as_bytes()),
                    source,
                })));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let pending = match this.pending.as_mut() {
                Some(pending) => pending,
                None => {
                    let limit = match this.remaining {
                        Some(remaining) => this
                            .page_size
                            .min(i64::try_from(remaining).unwrap_or(i64::MAX)),
                        None => this.page_size,
                    };
                    let future = (this.fetch)(this.offset, limit, this.first);
                    this.pending.insert(future)
                }
            };
            let page = match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            this.pending = None;
            let was_first = std::mem::replace(&mut this.first, false);
            match page {
                Ok(page) => {
                    if was_first {
                        this.total_count = page.total_count();
                    }
                    let items = page.into_inner();
                    let requested = this.page_size.min(
                        this.remaining
                            .map_or(i64::MAX, |r| i64::try_from(r).unwrap_or(i64::MAX)),
                    );
                    if (items.len() as i64) < requested || items.is_empty() {
                        this.done = true;
                    }
                    this.offset += items.len() as i64;
                    this.buffer.extend(items);
                }
                // Past the end of a collection whose size is a multiple of the page size.
                Err(err) if !was_first && err.status().is_some_and(|s| s.is_client_error()) => {
                    this.done = true;
                }
                Err(err) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(err)));
                }
            }
        }
    }
}
