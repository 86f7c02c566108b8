//! Reading every declared collection, as the engine does (pages of [`PAGE`] when the
//! adapter pages, else one call), up to the run's bound; the records are the reference data
//! of every later check. Each list must be consistent on its own: unique, non-empty
//! `sourceId`s, a totalCount equal to the records, pages no longer than asked.

use std::collections::HashSet;

use simpul_plugin::CollectionCapabilities;
use simpul_schema::{AdapterRequest, Collection, QueryRequest};

use super::{name_of, Fetched, Suite};
use crate::client::{CallFailure, Client};
use crate::for_each_collection;
use crate::records::Record;
use crate::report::{Check, Outcome};

/// Records per page when the adapter pages (the engine's scan page).
pub(crate) const PAGE: u64 = 10_000;

/// A collection read in full (or up to the bound).
pub(crate) struct Read<T> {
    pub records: Vec<T>,
    pub total: u64,
    pub complete: bool,
    pub calls: usize,
    pub problems: Vec<String>,
}

/// Read every declared collection without personal data, then participants and outcomes
/// with it.
pub(super) async fn read_all(suite: &mut Suite) {
    for collection in suite.collections() {
        for_each_collection!(await collection, read(suite));
    }
}

async fn read<T: Record>(suite: &mut Suite) {
    let name = format!("{} list", name_of(T::COLLECTION));
    let capabilities = suite.capabilities(T::COLLECTION);
    let bound = suite.options.max_records;
    match fetch::<T>(&suite.client, &capabilities, false, bound).await {
        Ok(read) => {
            let mut problems = read.problems;
            let mut seen = HashSet::new();
            for record in &read.records {
                if record.source_id().trim().is_empty() {
                    problems.push("a record has an empty sourceId".into());
                } else if !seen.insert(record.source_id()) {
                    problems.push(format!(
                        "sourceId {} is served twice (it must be unique in its collection)",
                        record.source_id()
                    ));
                }
                if problems.len() > 5 {
                    break;
                }
            }
            let count = read.records.len();
            let mut reason = format!(
                "{count} records (totalCount {}) in {} calls",
                read.total, read.calls
            );
            if !read.complete {
                reason.push_str(&format!(
                    "; the bound ({bound} records, --max-records) cut the read short: checks that need every record only check what each answer holds"
                ));
            }
            let outcome = if problems.is_empty() {
                Outcome::Pass
            } else {
                reason = problems.join("; ");
                Outcome::Fail
            };
            suite.push(Check::new(name, outcome, reason, None));
            suite.data.insert(
                T::COLLECTION,
                Fetched {
                    records: T::to_records(read.records),
                    total: read.total,
                    complete: read.complete,
                },
            );
        }
        Err((failure, request)) => {
            let reproduce = suite.reproduce(&AdapterRequest::Query(request));
            suite.push(Check::new(
                name,
                Outcome::Fail,
                format!("cannot list the collection: {failure}"),
                Some(reproduce),
            ));
        }
    }
    if matches!(
        T::COLLECTION,
        Collection::Participants | Collection::Outcomes
    ) {
        read_personal::<T>(suite).await;
    }
}

/// Participants or outcomes with `includePii`: the same records, personal fields aside.
async fn read_personal<T: Record>(suite: &mut Suite) {
    let name = format!("{} with includePii", name_of(T::COLLECTION));
    let capabilities = suite.capabilities(T::COLLECTION);
    let bound = suite.options.max_records;
    let plain_total = suite.data.get(&T::COLLECTION).map_or(0, |f| f.total);
    let Some((plain, _)) = suite.records::<T>() else {
        suite.push(Check::skip(name, "the collection could not be listed"));
        return;
    };
    // Personal data sent unasked is the business of another check: compare without it.
    let plain: Vec<T> = plain.iter().map(Record::without_personal_data).collect();
    match fetch::<T>(&suite.client, &capabilities, true, bound).await {
        Ok(read) => {
            let personal = read
                .records
                .iter()
                .filter(|r| r.has_personal_data())
                .count();
            let stripped: Vec<T> = read
                .records
                .iter()
                .map(Record::without_personal_data)
                .collect();
            let check = match crate::compare::answers(
                &(stripped, read.total),
                &(plain.clone(), plain_total),
                true,
            ) {
                Ok(()) => Check::pass(
                    name,
                    format!(
                        "{personal} of {} records carry personal data; without it they equal the records read without includePii",
                        read.records.len()
                    ),
                ),
                Err(why) => {
                    let mut request = QueryRequest::all(T::COLLECTION);
                    request.include_pii = true;
                    Check::new(
                        name,
                        Outcome::Fail,
                        format!("with includePii the records are not the same records: {why}"),
                        Some(suite.reproduce(&AdapterRequest::Query(request))),
                    )
                }
            };
            suite.push(check);
            suite
                .personal
                .insert(T::COLLECTION, T::to_records(read.records));
        }
        Err((failure, request)) => {
            let reproduce = suite.reproduce(&AdapterRequest::Query(request));
            suite.push(Check::new(
                name,
                Outcome::Fail,
                format!("cannot list the collection with includePii: {failure}"),
                Some(reproduce),
            ));
        }
    }
}

/// Every record of `T` (up to `bound`), in the adapter's natural order: pages of [`PAGE`]
/// when it pages, else one call.
pub(crate) async fn fetch<T: Record>(
    client: &Client,
    capabilities: &CollectionCapabilities,
    include_pii: bool,
    bound: u64,
) -> Result<Read<T>, (CallFailure, QueryRequest)> {
    let mut request = QueryRequest::all(T::COLLECTION);
    request.include_pii = include_pii;
    let mut read = Read {
        records: Vec::new(),
        total: 0,
        complete: true,
        calls: 0,
        problems: Vec::new(),
    };
    if !capabilities.paging {
        let (mut records, total) = client
            .query::<T>(&request)
            .await
            .map_err(|e| (e, request.clone()))?;
        read.calls = 1;
        read.total = total;
        if records.len() as u64 > bound {
            records.truncate(usize::try_from(bound).unwrap_or(usize::MAX));
            read.complete = false;
        } else if total != records.len() as u64 {
            read.problems.push(format!(
                "all {} records were sent with totalCount {total}",
                records.len()
            ));
        }
        read.records = records;
        return Ok(read);
    }
    let page = PAGE.min(bound.max(1));
    loop {
        request.offset = read.records.len() as u64;
        request.limit = Some(page);
        let (records, total) = client
            .query::<T>(&request)
            .await
            .map_err(|e| (e, request.clone()))?;
        read.calls += 1;
        if read.calls > 1 && total != read.total {
            read.problems.push(format!(
                "totalCount changed between pages: {} then {total}",
                read.total
            ));
        }
        read.total = total;
        let got = records.len() as u64;
        if got > page {
            read.problems.push(format!(
                "a page asked with limit {page} holds {got} records"
            ));
        }
        read.records.extend(records);
        if read.records.len() as u64 >= bound {
            read.records
                .truncate(usize::try_from(bound).unwrap_or(usize::MAX));
            read.complete = read.total <= bound;
            break;
        }
        if got < page || got == 0 {
            break;
        }
    }
    if read.complete && read.total != read.records.len() as u64 {
        read.problems.push(format!(
            "{} records were read page by page, but totalCount is {}",
            read.records.len(),
            read.total
        ));
    }
    Ok(read)
}
