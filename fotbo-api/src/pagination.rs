//! Walking paginated lists.
//!
//! Fotbo wraps every list in the same envelope (`count`, `next`, `previous`, `objects`,
//! `totalCount`, `pageNo`) and pages it with the query parameters `page` (from 1) and
//! `page_size`. The generator implements [`ListPage`] for every response type of that shape,
//! so one mechanism, [`Client::paginate`](crate::Client::paginate), walks any list: instances,
//! load balancers, networks, images, tickets …

use std::future::Future;

use futures::stream::{self, Stream, TryStreamExt};
use progenitor_client::ResponseValue;

use crate::config::Client;
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

struct State<F> {
    fetch: F,
    next: Option<PageRequest>,
    seen: u64,
}

impl Client {
    /// Walks a list page by page, yielding its items.
    ///
    /// `fetch` sends one page's request; the stream ends after the page without a `next`
    /// link, after an empty page, or once the items reach the list's `count`. An error ends
    /// the stream after yielding it.
    ///
    /// ```no_run
    /// # async fn run(client: fotbo_api::Client) -> Result<(), fotbo_api::Error> {
    /// use futures::TryStreamExt;
    /// let networks: Vec<_> = client
    ///     .paginate(200, |p| client.networks_list().page(p.page()).page_size(p.page_size()).send())
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn paginate<'a, P, E, F, Fut>(
        &'a self,
        page_size: u64,
        fetch: F,
    ) -> impl Stream<Item = Result<P::Item, Error>> + Unpin + 'a
    where
        P: ListPage + 'a,
        P::Item: 'a,
        E: 'a,
        F: FnMut(PageRequest) -> Fut + 'a,
        Fut: Future<Output = Result<ResponseValue<P>, progenitor_client::Error<E>>> + 'a,
    {
        let size = page_size.clamp(1, MAX_PAGE_SIZE);
        let state = State {
            fetch,
            next: Some(PageRequest { number: 1, size }),
            seen: 0,
        };
        // Boxed so that callers can `.try_next().await` without pinning it themselves.
        Box::pin(
            stream::try_unfold(state, move |mut state| async move {
                let Some(request) = state.next.take() else {
                    return Ok::<_, Error>(None);
                };
                let page = (state.fetch)(request)
                    .await
                    .map_err(Error::from)?
                    .into_inner();
                let has_next = page.has_next();
                let total = page.total();
                let items = page.into_items();
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

    /// Fetches every item of a list into a `Vec` (see [`Client::paginate`]).
    pub async fn collect_all<P, E, F, Fut>(
        &self,
        page_size: u64,
        fetch: F,
    ) -> Result<Vec<P::Item>, Error>
    where
        P: ListPage,
        F: FnMut(PageRequest) -> Fut,
        Fut: Future<Output = Result<ResponseValue<P>, progenitor_client::Error<E>>>,
    {
        self.paginate(page_size, fetch).try_collect().await
    }
}
