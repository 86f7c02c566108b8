//! [`RequestReads`]: the API's list answers shared by the calls of one gateway request.
//!
//! With the cache off every call reads the API afresh, and one GraphQL request often makes
//! several calls that list the same endpoint: `node(id:)` on a run and then that run's
//! `enrollments` each list the partners and the programmes (a run is served only with its
//! programme and its partner). The gateway marks each call with its request's id
//! ([`QueryRequest::request_id`](simpul_schema::QueryRequest), ABI 1.3). Calls with the same
//! id share one read of each list (path and query): the first reads it, later and concurrent
//! calls wait for that read and use it. So a request lists each endpoint once, and its answers
//! agree with one another. Reads are never shared between ids, and a call without one reads
//! alone.
//!
//! Bounded: the reads of the last [`REQUESTS`] requests, each request's for at most [`KEPT`]
//! after its first call. A later call of a request that has been dropped reads the API again,
//! which is correct, only slower. A failed read is not kept: the next call tries again.
//!
//! ```
//! # async fn demo() -> Result<(), simpul_adapter_bpjamsostek::Error> {
//! use simpul_adapter_bpjamsostek::client::Listing;
//! use simpul_adapter_bpjamsostek::shared_reads::RequestReads;
//!
//! let reads = RequestReads::default();
//! let read = || async { Ok(Listing::default()) };
//! let first = reads.list(Some("17"), "/v1/program-vokasi", &[], read).await?;
//! // The same request's next call gets the same read; its closure is not called.
//! let again = reads.list(Some("17"), "/v1/program-vokasi", &[], || async { unreachable!() }).await?;
//! assert!(std::sync::Arc::ptr_eq(&first, &again));
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use crate::client::Listing;
use crate::Error;

/// How many requests' reads are kept (the oldest request's are dropped first).
pub const REQUESTS: usize = 64;

/// How long after its first call a request's reads are kept.
pub const KEPT: Duration = Duration::from_secs(10);

/// One list read: its path and query parameters.
type ListKey = (&'static str, Vec<(&'static str, String)>);

/// One read, filled once by whichever call of the request gets there first.
type Read = Arc<OnceCell<Arc<Listing>>>;

/// The list reads of recent requests, by request id. See the module docs.
#[derive(Debug, Default)]
pub struct RequestReads {
    /// Oldest first.
    requests: Mutex<VecDeque<RequestEntry>>,
}

#[derive(Debug)]
struct RequestEntry {
    id: String,
    since: Instant,
    reads: HashMap<ListKey, Read>,
}

impl RequestReads {
    /// The list at `path` with `query`, as `read` fetches it: once per `request` id (shared
    /// by every call that passes the same id), or afresh when `request` is `None`.
    ///
    /// # Errors
    /// Whatever `read` returns; the error is not kept.
    pub async fn list<F, Fut>(
        &self,
        request: Option<&str>,
        path: &'static str,
        query: &[(&'static str, String)],
        read: F,
    ) -> Result<Arc<Listing>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Listing, Error>>,
    {
        let Some(id) = request else {
            return read().await.map(Arc::new);
        };
        let cell = self.read_of(id, path, query);
        cell.get_or_try_init(|| async { read().await.map(Arc::new) })
            .await
            .cloned()
    }

    /// The slot of one read of request `id`, made if new (and old requests dropped).
    fn read_of(&self, id: &str, path: &'static str, query: &[(&'static str, String)]) -> Read {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        while requests
            .front()
            .is_some_and(|r| now.duration_since(r.since) > KEPT)
        {
            requests.pop_front();
        }
        // The latest requests are the likeliest: searched from the back.
        let at = match requests.iter().rposition(|r| r.id == id) {
            Some(at) => at,
            None => {
                if requests.len() >= REQUESTS {
                    requests.pop_front();
                }
                requests.push_back(RequestEntry {
                    id: id.to_owned(),
                    since: now,
                    reads: HashMap::new(),
                });
                requests.len() - 1
            }
        };
        Arc::clone(
            requests[at]
                .reads
                .entry((path, query.to_vec()))
                .or_default(),
        )
    }

    /// How many requests' reads are kept now.
    pub fn requests(&self) -> usize {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn listing(n: usize) -> Listing {
        Listing {
            total: n as u64,
            ..Listing::default()
        }
    }

    /// Reads through `reads`, counting the fetches in `count`; the listing's total says which
    /// fetch it came from.
    async fn read(
        reads: &RequestReads,
        request: Option<&str>,
        query: &[(&'static str, String)],
        count: &AtomicUsize,
    ) -> u64 {
        reads
            .list(request, "/v1/program-vokasi", query, || async {
                Ok(listing(count.fetch_add(1, Ordering::SeqCst) + 1))
            })
            .await
            .map(|l| l.total)
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn calls_of_one_request_share_a_read_and_other_requests_do_not() {
        let (reads, count) = (RequestReads::default(), AtomicUsize::new(0));
        assert_eq!(read(&reads, Some("1"), &[], &count).await, 1);
        assert_eq!(read(&reads, Some("1"), &[], &count).await, 1);
        // Another request, another query, or no request: read again.
        assert_eq!(read(&reads, Some("2"), &[], &count).await, 2);
        let tahun = [("tahun", "2024".to_owned())];
        assert_eq!(read(&reads, Some("1"), &tahun, &count).await, 3);
        assert_eq!(read(&reads, None, &[], &count).await, 4);
        assert_eq!(read(&reads, None, &[], &count).await, 5);
        assert_eq!(read(&reads, Some("1"), &[], &count).await, 1);
    }

    #[tokio::test]
    async fn concurrent_calls_of_one_request_wait_for_one_read() {
        let (reads, count) = (RequestReads::default(), AtomicUsize::new(0));
        let slow = || async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(listing(count.fetch_add(1, Ordering::SeqCst) + 1))
        };
        let (a, b) = tokio::join!(
            reads.list(Some("7"), "/v1/lembaga-mitra", &[], slow),
            reads.list(Some("7"), "/v1/lembaga-mitra", &[], slow),
        );
        assert_eq!(count.load(Ordering::SeqCst), 1);
        assert!(Arc::ptr_eq(&a.unwrap(), &b.unwrap()));
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept() {
        let reads = RequestReads::default();
        let failed = reads
            .list(Some("3"), "/v1/lembaga-mitra", &[], || async {
                Err(Error::InvalidKpj)
            })
            .await;
        assert!(failed.is_err());
        let count = AtomicUsize::new(0);
        assert_eq!(read(&reads, Some("3"), &[], &count).await, 1);
    }

    #[tokio::test]
    async fn only_the_latest_requests_are_kept() {
        let (reads, count) = (RequestReads::default(), AtomicUsize::new(0));
        for id in 0..REQUESTS + 10 {
            read(&reads, Some(&id.to_string()), &[], &count).await;
        }
        assert_eq!(reads.requests(), REQUESTS);
        // The first requests were dropped: read again; the latest still shared.
        let before = count.load(Ordering::SeqCst);
        read(&reads, Some("0"), &[], &count).await;
        assert_eq!(count.load(Ordering::SeqCst), before + 1);
        let latest = (REQUESTS + 9).to_string();
        read(&reads, Some(&latest), &[], &count).await;
        assert_eq!(count.load(Ordering::SeqCst), before + 1);
    }
}
