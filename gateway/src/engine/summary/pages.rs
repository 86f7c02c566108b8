//! How the engine reads a provider's records to summarise them: [`Scanner`], one collection
//! page by page, and [`EnrollmentPages`], the enrolments of the runs in scope, a scan per list.

use simpul_schema::{CompareOp, Direction, Enrollment, Filter, OrderBy, QueryRequest};

use super::scope::RunLists;
use super::SCAN_PAGE;
use crate::engine::{covers, CallLog, CallRecord, Engine, Entity, ProviderFailure};
use crate::host::Provider;

/// The enrolments an enrolment-view aggregate reads, page by page: every one by one
/// [`Scanner`], or those of the runs in scope ([`RunLists`]), a scan per list.
pub(super) struct EnrollmentPages<'p> {
    provider: &'p Provider,
    fields: Option<Vec<&'static str>>,
    /// `None`: every enrolment.
    lists: Option<RunLists>,
    scanner: Option<Scanner<'p>>,
    /// Enrolments the current list's scan has read.
    read: usize,
}

impl<'p> EnrollmentPages<'p> {
    pub(super) fn new(
        provider: &'p Provider,
        fields: Option<Vec<&'static str>>,
        lists: Option<RunLists>,
    ) -> Self {
        let scanner = lists
            .is_none()
            .then(|| Scanner::new(provider, None, fields.clone()));
        Self {
            provider,
            fields,
            lists,
            scanner,
            read: 0,
        }
    }

    /// The next page with enrolments (`None` after the last).
    pub(super) async fn next(
        &mut self,
        engine: &Engine,
        log: &CallLog,
    ) -> Result<Option<Vec<Enrollment>>, ProviderFailure> {
        loop {
            if let Some(scanner) = &mut self.scanner {
                match scanner.next::<Enrollment>(engine, log).await? {
                    Some(mut page) => {
                        if let Some(lists) = &self.lists {
                            page.retain(|e| lists.listed(&e.course_run_id));
                        }
                        if page.is_empty() {
                            continue;
                        }
                        self.read += page.len();
                        return Ok(Some(page));
                    }
                    None => self.scanner = None,
                }
                if let Some(lists) = &mut self.lists {
                    lists.read(std::mem::take(&mut self.read));
                }
            }
            let Some(list) = self.lists.as_mut().and_then(|l| l.next(SCAN_PAGE as usize)) else {
                return Ok(None);
            };
            let fields = self.fields.clone();
            self.scanner = Some(Scanner::new(self.provider, Some(list), fields));
        }
    }
}

/// One provider's records of a collection, a page at a time when the adapter pages, else all
/// at once. Pages follow, in order of preference:
/// - the adapter's cursor (`after` the previous page's `next`, in its natural order) where
///   it declares one: each page is an index seek;
/// - keyset on `sourceId` (`sourceId > last`, in `sourceId` order) where it filters with `_gt`;
/// - else `offset`, in `sourceId` order, so pages neither overlap nor skip.
pub(super) struct Scanner<'p> {
    provider: &'p Provider,
    filter: Option<Filter>,
    offset: u64,
    last: Option<String>,
    cursor: Option<String>,
    done: bool,
    /// Sent as the request's `fields` where the collection declares `projection`.
    fields: Option<Vec<String>>,
}

impl<'p> Scanner<'p> {
    pub(super) fn new(
        provider: &'p Provider,
        filter: Option<Filter>,
        fields: Option<Vec<&str>>,
    ) -> Self {
        Self {
            provider,
            filter,
            offset: 0,
            last: None,
            cursor: None,
            done: false,
            fields: fields.map(|names| names.into_iter().map(str::to_owned).collect()),
        }
    }

    /// The next page (`None` after the last).
    ///
    /// # Errors
    /// The adapter's failure, or `PROVIDER_ERROR` for a cursor that does not move (an adapter
    /// that would otherwise be asked for the same page for ever).
    pub(super) async fn next<T: Entity>(
        &mut self,
        engine: &Engine,
        log: &CallLog,
    ) -> Result<Option<Vec<T>>, ProviderFailure> {
        if self.done {
            return Ok(None);
        }
        let capabilities = self.provider.capabilities(T::COLLECTION);
        let push_filter = self
            .filter
            .as_ref()
            .is_none_or(|f| covers(&capabilities, f));
        let cursor = capabilities.paging && capabilities.cursor;
        let pages = cursor || (capabilities.paging && capabilities.order_by);
        let keyset = pages && capabilities.filter_operators.contains(&CompareOp::Gt);
        let mut request = QueryRequest::all(T::COLLECTION);
        request.filter = self.filter.as_ref().filter(|_| push_filter).cloned();
        request.skip_total = true;
        if capabilities.projection {
            request.fields = self.fields.clone();
        }
        if pages {
            request.limit = Some(SCAN_PAGE);
        }
        if cursor {
            request.after = self.cursor.clone();
        } else if pages {
            request.order_by = vec![OrderBy {
                field: "sourceId".into(),
                direction: Direction::Asc,
            }];
            match (&self.last, keyset) {
                (Some(after), true) => {
                    let after = Filter::compare("sourceId", CompareOp::Gt, after.as_str());
                    request.filter = Some(match request.filter.take() {
                        Some(f) => Filter::And(vec![f, after]),
                        None => after,
                    });
                }
                _ => request.offset = self.offset,
            }
        }
        let call = CallRecord::new(
            "scan",
            &request,
            push_filter && self.filter.is_some(),
            pages,
        );
        let answer = engine
            .query_logged::<T>(self.provider, request, call, log)
            .await?;
        let count = answer.records.len() as u64;
        self.last = answer.records.last().map(|r| r.source_id().to_owned());
        self.offset += count;
        self.done = !pages || count < SCAN_PAGE;
        if cursor && !self.done {
            match answer.next {
                Some(next) if self.cursor.as_ref() != Some(&next) => self.cursor = Some(next),
                stuck => {
                    return Err(ProviderFailure {
                        provider: self.provider.key.clone(),
                        code: "PROVIDER_ERROR",
                        message: match stuck {
                            Some(_) => {
                                "the adapter's cursor did not move: the same `next` for two pages"
                            }
                            None => {
                                "the adapter declares a cursor but sent a full page without `next`"
                            }
                        }
                        .into(),
                    })
                }
            }
        }
        Ok(Some(answer.records))
    }
}
