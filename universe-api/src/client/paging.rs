//! Streams over all pages of `export_clients` and `export`.
//!
//! Rules (docs/protocol.md §2): start at offset 0 with the caller's `limit` or none; the page size
//! is the answer's `pagination.limit` when it has one (a CRM may pick or cap it), otherwise the
//! requested `limit`, otherwise the page's length; `offset` += page size while it stays below
//! the first answer's `total_count`. An empty page ends the stream early (a CRM whose data
//! shrank while paging), and so does the first error, which is yielded.

use crate::error::Result;
use crate::types::export::{ClientsPage, OrdersPage, PageRequest, Pagination};
use futures::{Stream, StreamExt, TryStreamExt, stream};
use std::future::Future;

/// A page of a paged answer.
pub(crate) trait Paged {
    fn pagination(&self) -> Pagination;
    fn item_count(&self) -> usize;
}

impl Paged for ClientsPage {
    fn pagination(&self) -> Pagination {
        self.pagination
    }
    fn item_count(&self) -> usize {
        self.clients.len()
    }
}

impl Paged for OrdersPage {
    fn pagination(&self) -> Pagination {
        self.pagination
    }
    fn item_count(&self) -> usize {
        self.orders.len()
    }
}

struct State<F> {
    fetch: F,
    next: Option<PageRequest>,
    total: Option<u64>,
}

/// The next request after `page` was answered to `req`, or `None` at the end.
pub(crate) fn next_request(
    req: PageRequest,
    pagination: Pagination,
    item_count: u64,
    total: u64,
) -> Option<PageRequest> {
    let size = if pagination.limit > 0 {
        pagination.limit
    } else {
        req.limit.unwrap_or(item_count)
    };
    let size = size.max(item_count);
    let offset = req.offset.checked_add(size)?;
    (item_count > 0 && size > 0 && offset < total).then_some(PageRequest {
        offset,
        limit: Some(size),
    })
}

/// Every page, lazily.
pub(crate) fn pages<P, F, Fut>(
    limit: Option<u64>,
    fetch: F,
) -> impl Stream<Item = Result<P>> + Send + 'static
where
    P: Paged + Send + 'static,
    F: FnMut(PageRequest) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P>> + Send + 'static,
{
    let state = State {
        fetch,
        next: Some(PageRequest { offset: 0, limit }),
        total: None,
    };
    stream::unfold(state, |mut st| async move {
        let req = st.next.take()?;
        match (st.fetch)(req).await {
            Err(e) => Some((Err(e), st)),
            Ok(page) => {
                let p = page.pagination();
                let total = *st.total.get_or_insert(p.total_count);
                let count = u64::try_from(page.item_count()).unwrap_or(u64::MAX);
                st.next = next_request(req, p, count, total);
                Some((Ok(page), st))
            }
        }
    })
}

/// Every item of every page, lazily.
pub(crate) fn items<P, T, S>(
    pages: S,
    take: fn(P) -> Vec<T>,
) -> impl Stream<Item = Result<T>> + Send + 'static
where
    S: Stream<Item = Result<P>> + Send + 'static,
    P: Send + 'static,
    T: Send + 'static,
{
    pages
        .map_ok(move |p| stream::iter(take(p).into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(total_count: u64, limit: u64) -> Pagination {
        Pagination { total_count, limit }
    }

    #[test]
    fn crm_limit_drives_paging_when_none_was_asked() {
        let first = PageRequest {
            offset: 0,
            limit: None,
        };
        assert_eq!(
            next_request(first, pg(5, 2), 2, 5),
            Some(PageRequest::new(2, 2))
        );
        assert_eq!(next_request(PageRequest::new(4, 2), pg(5, 2), 1, 5), None);
    }

    #[test]
    fn stops_on_empty_page_and_at_total() {
        assert_eq!(
            next_request(PageRequest::new(0, 10), pg(50, 10), 0, 50),
            None
        );
        assert_eq!(
            next_request(PageRequest::new(40, 10), pg(50, 10), 10, 50),
            None
        );
        assert_eq!(
            next_request(PageRequest::new(0, 10), pg(0, 0), 10, 50),
            Some(PageRequest::new(10, 10))
        );
    }
}
