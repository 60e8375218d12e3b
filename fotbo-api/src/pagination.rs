//! Walking paginated lists.
//!
//! Fotbo wraps every list in the same envelope (`count`, `next`, `previous`, `objects`,
//! `totalCount`, `pageNo`) and pages it with the query parameters `page` (from 1) and
//! `page_size`. The generator implements [`ListPage`] for every response type of that shape and
//! [`PagedRequest`] for the request builder of every operation that answers with one, so any
//! list — instances, load balancers, networks, images, tickets … — is walked the same way:
//!
//! ```no_run
//! # async fn run(client: fotbo_api::Client) -> Result<(), fotbo_api::Error> {
//! use fotbo_api::PagedRequest;
//! use futures::TryStreamExt;
//!
//! // Filters and ordering stay on every page's request.
//! let mut running = client.instances_list().filtering("status:active").ordering("name").stream(100);
//! while let Some(instance) = running.try_next().await? {
//!     println!("{:?}", instance.name);
//! }
//! let networks = client.networks_list().collect_all(500).await?;
//! # let _ = networks;
//! # Ok(()) }
//! ```
//!
//! [`paginate`] is the mechanism underneath, for a page request built by hand.

use std::future::Future;

use crate::decode::Response;
use futures::stream::{self, Stream, TryStreamExt};

use crate::error::Error;

/// A response type shaped as the Fleio list envelope.
pub trait ListPage {
    /// What the list holds.
    type Item;
    /// The items of this page.
    fn into_items(self) -> Vec<Self::Item>;
    /// Whether the server links a next page.
    fn has_next(&self) -> bool;
    /// The number of items in the whole list, when the server says.
    fn total(&self) -> Option<u64>;
}

/// Which page to fetch; hand its values to the operation's `page` and `page_size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The page number, from 1.
    pub number: u64,
    /// Items per page.
    pub size: u64,
}

impl PageRequest {
    /// `page`, as the API's string-typed query parameter.
    pub fn page(&self) -> String {
        self.number.to_string()
    }

    /// `page_size`, as the API's string-typed query parameter.
    pub fn page_size(&self) -> String {
        self.size.to_string()
    }
}

/// Fleio caps `page_size` at 10 000.
const MAX_PAGE_SIZE: u64 = 10_000;

/// A guard against a server that links `next` forever.
const MAX_PAGES: u64 = 1_000_000;

struct State<F, I> {
    fetch: F,
    next: Option<PageRequest>,
    seen: u64,
    /// (length, first item, last item) of the page before.
    last_page: Option<(usize, I, I)>,
}

/// A list operation's request builder, configured (filters, ordering …) and ready to be sent
/// for any page. Implemented by the generator for every operation that pages through a list.
pub trait PagedRequest: Clone + Send + Sized {
    /// The list envelope the operation answers with.
    type Page: ListPage<Item: PartialEq + Clone>;

    /// This request, for page `page` (from 1) of `page_size` items.
    fn for_page(self, page: u64, page_size: u64) -> Self;

    /// Sends this request.
    fn send_page(self) -> impl Future<Output = Result<Response<Self::Page>, Error>> + Send;

    /// Every item of the list, page by page (see [`paginate`] for when it ends).
    fn stream(
        self,
        page_size: u64,
    ) -> impl Stream<Item = Result<<Self::Page as ListPage>::Item, Error>> + Unpin {
        paginate(page_size, move |p: PageRequest| {
            self.clone().for_page(p.number, p.size).send_page()
        })
    }

    /// Every item of the list, collected — at most [`COLLECT_LIMIT`] of them: a longer list is
    /// an error ([`Error::Pagination`]), not a process out of memory. Use
    /// [`PagedRequest::collect_at_most`] to choose the bound, or [`PagedRequest::stream`].
    fn collect_all(
        self,
        page_size: u64,
    ) -> impl Future<Output = Result<Vec<<Self::Page as ListPage>::Item>, Error>> {
        self.collect_at_most(page_size, COLLECT_LIMIT)
    }

    /// Every item of the list, collected, failing once there are more than `limit`.
    fn collect_at_most(
        self,
        page_size: u64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<<Self::Page as ListPage>::Item>, Error>> {
        let mut items = self.stream(page_size);
        async move {
            let mut out = Vec::new();
            while let Some(item) = items.try_next().await? {
                if out.len() >= limit {
                    return Err(Error::Pagination(format!(
                        "the list has more than {limit} items; collect fewer, or stream them"
                    )));
                }
                out.push(item);
            }
            Ok(out)
        }
    }
}

/// How many items [`PagedRequest::collect_all`] collects at most.
pub const COLLECT_LIMIT: usize = 100_000;

/// Walks a list page by page, yielding its items: `fetch` sends one page's request.
///
/// The stream ends after the page without a `next` link, after an empty page, or once the
/// items reach the list's `count`; an error ends it after being yielded. A page that repeats
/// the one before (the same first and last item: a server that ignores `page` and links
/// `next` forever) ends it with [`Error::Pagination`]. `page_size` is kept within Fleio's
/// bounds (1 to 10 000).
pub fn paginate<P, F, Fut>(
    page_size: u64,
    fetch: F,
) -> impl Stream<Item = Result<P::Item, Error>> + Unpin
where
    P: ListPage,
    P::Item: PartialEq + Clone,
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Response<P>, Error>>,
{
    let size = page_size.clamp(1, MAX_PAGE_SIZE);
    let state = State {
        fetch,
        next: Some(PageRequest { number: 1, size }),
        seen: 0,
        last_page: None,
    };
    // Boxed so that callers can `.try_next().await` without pinning it themselves.
    Box::pin(
        stream::try_unfold(state, move |mut state| async move {
            let Some(request) = state.next.take() else {
                return Ok::<_, Error>(None);
            };
            let page = (state.fetch)(request).await?.into_inner();
            let has_next = page.has_next();
            let total = page.total();
            let items = page.into_items();
            // The same first and last item (and count) as the page before: the server is
            // serving one page over and over.
            let ends = items.first().cloned().zip(items.last().cloned());
            let this_page = ends.map(|(first, last)| (items.len(), first, last));
            if this_page.is_some() && this_page == state.last_page {
                return Err(Error::Pagination(format!(
                    "page {} repeats page {}: the server ignores `page` while it links a next page",
                    request.number,
                    request.number.saturating_sub(1)
                )));
            }
            state.last_page = this_page;
            state.seen += items.len() as u64;
            let more = has_next
                && !items.is_empty()
                && total.is_none_or(|t| state.seen < t)
                && request.number < MAX_PAGES;
            if more {
                state.next = Some(PageRequest {
                    number: request.number + 1,
                    size,
                });
            }
            Ok(Some((
                stream::iter(items.into_iter().map(Ok::<_, Error>)),
                state,
            )))
        })
        .try_flatten(),
    )
}
