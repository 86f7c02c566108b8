//! The conformance suite, in the order it runs: load and create ([`setup`]; with
//! [`encodings`], the same answers in each encoding the plugin speaks), read every
//! declared collection ([`data`]), every declared capability against the reference semantics
//! ([`filters`], [`order`], [`projection`], [`aggregates`]), answers that a request id does
//! not change ([`request_id`]), the source's status
//! ([`status`]), deadlines and concurrency ([`timing`]), and personal data ([`privacy`]).
//! [`Suite`] holds what they share.

mod aggregates;
mod data;
mod encodings;
mod filters;
mod order;
mod privacy;
mod projection;
mod request_id;
mod setup;
mod status;
mod timing;

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use simpul_plugin::{CollectionCapabilities, Manifest};
use simpul_schema::{AdapterRequest, Collection, QueryRequest, Records, SourceStatus};

use crate::client::Client;
use crate::logs::Capture;
use crate::records::{collection_name, Record};
use crate::report::{Check, Outcome, Reproduce};
use crate::{generate, Options, Report};

/// One collection as the suite read it.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    /// The records, in the adapter's natural order.
    pub records: Records,
    /// The totalCount the adapter gave.
    pub total: u64,
    /// Whether every record was read (false: the bound cut the read short).
    pub complete: bool,
}

/// What the checks share.
pub(crate) struct Suite {
    pub options: Options,
    pub client: Client,
    pub manifest: Manifest,
    pub report: Report,
    pub capture: Capture,
    /// Every declared collection, without personal data.
    pub data: BTreeMap<Collection, Fetched>,
    /// Participants and outcomes read with `includePii`.
    pub personal: BTreeMap<Collection, Records>,
    /// The first status answer.
    pub status: Option<SourceStatus>,
}

/// Run the whole suite.
pub(crate) async fn run(options: Options) -> Report {
    let mut suite = match setup::start(options).await {
        Ok(suite) => suite,
        Err(report) => return report,
    };
    suite.check_all().await;
    let Suite { client, report, .. } = suite;
    client.shutdown().await;
    report
}

impl Suite {
    async fn check_all(&mut self) {
        status::answers(self).await;
        data::read_all(self).await;
        for collection in self.collections() {
            filters::check(self, collection).await;
            order::check(self, collection).await;
            projection::check(self, collection).await;
            request_id::check(self, collection).await;
        }
        aggregates::check(self).await;
        status::check(self);
        timing::check(self).await;
        privacy::check(self).await;
    }

    /// The declared collections, in order.
    pub fn collections(&self) -> Vec<Collection> {
        self.manifest.collections()
    }

    /// What the adapter declares for `collection`.
    pub fn capabilities(&self, collection: Collection) -> CollectionCapabilities {
        self.manifest
            .capabilities
            .collections
            .get(&collection)
            .cloned()
            .unwrap_or_default()
    }

    /// The records of `T` read without personal data, and whether they are all of them.
    pub fn records<T: Record>(&self) -> Option<(&[T], bool)> {
        let fetched = self.data.get(&T::COLLECTION)?;
        Some((T::slice(&fetched.records)?, fetched.complete))
    }

    /// The generator of the check called `label`.
    pub fn rng(&self, label: &str) -> StdRng {
        generate::rng(self.options.seed, label)
    }

    /// How to reproduce a failure of `request`.
    pub fn reproduce(&self, request: &AdapterRequest) -> Reproduce {
        Reproduce {
            seed: self.options.seed,
            request: serde_json::to_value(request).unwrap_or_default(),
        }
    }

    /// Add a check.
    pub fn push(&mut self, check: Check) {
        self.report.push(check);
    }
}

/// Failures of the requests of one check: how many, and the first with its request.
#[derive(Debug, Default)]
pub(crate) struct Failures {
    count: usize,
    first: Option<(String, QueryOrOther)>,
}

/// The request a failure came from.
#[derive(Debug, Clone)]
pub(crate) enum QueryOrOther {
    Query(QueryRequest),
    Other(AdapterRequest),
}

impl Failures {
    /// Note that `request` failed because of `why`.
    pub fn add(&mut self, why: String, request: QueryOrOther) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((why, request));
        }
    }

    /// The check: a pass with `covered` as its reason, or a failure naming the first
    /// failing request (and how many more failed).
    pub fn into_check(self, suite: &Suite, name: String, covered: String) -> Check {
        match self.first {
            None => Check::pass(name, covered),
            Some((why, request)) => {
                let request = match request {
                    QueryOrOther::Query(q) => AdapterRequest::Query(q),
                    QueryOrOther::Other(r) => r,
                };
                let more = match self.count {
                    1 => String::new(),
                    n => format!(" (and {} more failing requests)", n - 1),
                };
                Check::new(
                    name,
                    Outcome::Fail,
                    format!("{why}{more}"),
                    Some(suite.reproduce(&request)),
                )
            }
        }
    }
}

/// What a check's reason adds when the bound cut the list short.
pub(crate) fn bounded(complete: bool) -> &'static str {
    if complete {
        ""
    } else {
        "; the bound cut the list short, so each answer was checked only for what it holds"
    }
}

/// `courseRuns`.
pub(crate) fn name_of(collection: Collection) -> String {
    collection_name(collection)
}

/// A filter or request in a reason: its JSON, cut to 160 characters.
pub(crate) fn brief(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if text.chars().count() > 160 {
        format!("{}…", text.chars().take(160).collect::<String>())
    } else {
        text
    }
}

/// Ask `request` of the adapter and compare its answer with the reference's over `records`
/// (in order when `ordered`). `Ok(Some(n))`: they agree, on `n` records; `Ok(None)`: the
/// reference refuses the request (a literal that does not fit), so it was not asked; `Err`:
/// what differs. When `complete` is false (the bound cut the read short) the answer is only
/// checked for what it holds: records that satisfy the request, in its order, as listed.
pub(crate) async fn ask<T: Record>(
    client: &Client,
    request: &QueryRequest,
    records: &[T],
    complete: bool,
    ordered: bool,
) -> Result<Option<usize>, String> {
    let Ok(reference) = simpul_schema::filter::apply(records, request) else {
        return Ok(None);
    };
    let got = client
        .query::<T>(request)
        .await
        .map_err(|e| format!("the adapter failed: {e}"))?;
    if complete {
        crate::compare::answers(&got, &reference, ordered)?;
    } else {
        sound(&got, request, records)?;
    }
    Ok(Some(got.0.len()))
}

/// What an answer must hold whatever the records beyond the bound: each record satisfies
/// the ids and the filter and equals the listed record, the order holds, the page is no
/// longer than the limit and the total no smaller than the page.
fn sound<T: Record>(
    got: &crate::compare::Answer<T>,
    request: &QueryRequest,
    records: &[T],
) -> Result<(), String> {
    use simpul_schema::filter;
    let listed: std::collections::HashMap<&str, &T> =
        records.iter().map(|r| (r.source_id(), r)).collect();
    for record in &got.0 {
        let id = record.source_id();
        if let Some(ids) = &request.ids {
            if !ids.iter().any(|i| i == id) {
                return Err(format!("sourceId {id} was not asked for"));
            }
        }
        if let Some(f) = &request.filter {
            if !filter::matches(record, f).unwrap_or(false) {
                return Err(format!("sourceId {id} does not satisfy the filter"));
            }
        }
        if listed.get(id).is_some_and(|known| *known != record) {
            return Err(format!("sourceId {id} differs from the record in the list"));
        }
    }
    for pair in got.0.windows(2) {
        let order = filter::compare_by(
            &|f| pair[0].field(f),
            &|f| pair[1].field(f),
            &request.order_by,
        );
        if order.is_gt() {
            return Err(format!(
                "sourceId {} comes before {} against the order",
                pair[0].source_id(),
                pair[1].source_id()
            ));
        }
    }
    if request.limit.is_some_and(|l| got.0.len() as u64 > l) {
        return Err(format!(
            "{} records for a limit of {:?}",
            got.0.len(),
            request.limit
        ));
    }
    if got.1 < got.0.len() as u64 {
        return Err(format!(
            "totalCount {} is below the {} records sent",
            got.1,
            got.0.len()
        ));
    }
    Ok(())
}
