//! Sorting, paging and lookups against the reference: `orderBy` on every field in every
//! direction; offset/limit windows (with sorts and filters); stable paging (the same request
//! twice gives the same answer, consecutive pages concatenate to the unpaged list, with no
//! duplicate and no gap); lookups by id agreeing with the list.

use std::collections::HashSet;

use rand::seq::IndexedRandom;
use rand::Rng;
use simpul_schema::{AdapterRequest, Collection, OrderBy, QueryRequest};

use super::{ask, bounded, brief, name_of, Failures, QueryOrOther, Suite};
use crate::for_each_collection;
use crate::generate::{self, Trees, Values, ABSENT, DIRECTIONS};
use crate::records::Record;
use crate::report::Check;

/// Ids looked up at most, in batches of [`LOOKUP_BATCH`].
const LOOKUP_IDS: usize = 2_000;
const LOOKUP_BATCH: usize = 100;

pub(super) async fn check(suite: &mut Suite, collection: Collection) {
    for_each_collection!(await collection, check_collection(suite));
}

async fn check_collection<T: Record>(suite: &mut Suite) {
    let Some((records, complete)) = suite.records::<T>() else {
        return;
    };
    let records = records.to_vec();
    let values = Values::of(&records, T::FIELDS);
    order_by::<T>(suite, &records, complete, &values).await;
    windows::<T>(suite, &records, complete, &values).await;
    stable::<T>(suite, &records, complete, &values).await;
    lookups::<T>(suite, &records, complete, &values).await;
}

/// A random filter of declared operators, or none.
fn maybe_filter<T: Record>(
    suite: &Suite,
    rng: &mut rand::rngs::StdRng,
    values: &Values,
) -> Option<simpul_schema::Filter> {
    let ops = suite.capabilities(T::COLLECTION).filter_operators;
    (!ops.is_empty() && rng.random_bool(0.5)).then(|| {
        Trees {
            rng,
            fields: T::FIELDS,
            values,
            ops: &ops,
        }
        .filter(2)
    })
}

async fn order_by<T: Record>(suite: &mut Suite, records: &[T], complete: bool, values: &Values) {
    let name = format!("{} order_by", name_of(T::COLLECTION));
    if !suite.capabilities(T::COLLECTION).order_by {
        suite.push(Check::skip(name, "not declared (the engine sorts)"));
        return;
    }
    let mut rng = suite.rng(&name);
    let mut failures = Failures::default();
    let mut asked = 0;
    for field in T::FIELDS {
        for direction in DIRECTIONS {
            let mut request = QueryRequest::all(T::COLLECTION);
            request.order_by = vec![OrderBy {
                field: (*field).to_owned(),
                direction,
            }];
            match ask(&suite.client, &request, records, complete, true).await {
                Ok(_) => asked += 1,
                Err(why) => failures.add(
                    format!("{field} {direction:?}: {why}"),
                    QueryOrOther::Query(request),
                ),
            }
        }
    }
    for _ in 0..10 {
        let mut request = QueryRequest::all(T::COLLECTION);
        request.order_by = generate::order(&mut rng, T::FIELDS);
        request.filter = maybe_filter::<T>(suite, &mut rng, values);
        match ask(&suite.client, &request, records, complete, true).await {
            Ok(_) => asked += 1,
            Err(why) => failures.add(
                format!("orderBy {}: {why}", brief(&request.order_by)),
                QueryOrOther::Query(request),
            ),
        }
    }
    let covered = format!(
        "{asked} sorts: {} fields in all 6 directions (nulls first and last), then two-key sorts with filters",
        T::FIELDS.len()
    );
    let covered = format!("{covered}{}", bounded(complete));
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}

async fn windows<T: Record>(suite: &mut Suite, records: &[T], complete: bool, values: &Values) {
    let name = format!("{} paging windows", name_of(T::COLLECTION));
    let capabilities = suite.capabilities(T::COLLECTION);
    if !capabilities.paging {
        suite.push(Check::skip(name, "not declared (the engine pages)"));
        return;
    }
    let mut rng = suite.rng(&name);
    let n = records.len() as u64;
    let mut windows = vec![
        (0, Some(1)),
        (0, Some(n / 2)),
        (n / 3, Some(n / 3 + 1)),
        (n.saturating_sub(1), Some(5)),
        (n, Some(5)),
        (n + 10, Some(5)),
        (0, Some(0)),
        (2, None),
    ];
    for _ in 0..8 {
        windows.push((
            rng.random_range(0..=n),
            Some(rng.random_range(0..=n.max(1))),
        ));
    }
    let mut failures = Failures::default();
    for (offset, limit) in &windows {
        let mut request = QueryRequest::all(T::COLLECTION);
        (request.offset, request.limit) = (*offset, *limit);
        if capabilities.order_by && rng.random_bool(0.5) {
            request.order_by = generate::order(&mut rng, T::FIELDS);
        }
        request.filter = maybe_filter::<T>(suite, &mut rng, values);
        if let Err(why) = ask(&suite.client, &request, records, complete, true).await {
            failures.add(
                format!("offset {offset} limit {limit:?}: {why}"),
                QueryOrOther::Query(request),
            );
        }
    }
    let covered = format!(
        "{} offset/limit windows (first, middle, last, past the end, limit 0, no limit), some sorted and filtered",
        windows.len()
    );
    let covered = format!("{covered}{}", bounded(complete));
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}

/// The field with the fewest distinct values (more than one), so a sort by it has ties.
fn tied_field(values: &Values, fields: &[&'static str]) -> Option<&'static str> {
    fields
        .iter()
        .copied()
        .filter(|f| values.get(f).len() > 1)
        .min_by_key(|f| values.get(f).len())
}

async fn stable<T: Record>(suite: &mut Suite, records: &[T], complete: bool, values: &Values) {
    let name = format!("{} stable paging", name_of(T::COLLECTION));
    let capabilities = suite.capabilities(T::COLLECTION);
    let mut rng = suite.rng(&name);
    let mut failures = Failures::default();
    let mut notes = Vec::new();

    // The same request twice gives the same answer.
    for _ in 0..3 {
        let mut request = QueryRequest::all(T::COLLECTION);
        request.filter = maybe_filter::<T>(suite, &mut rng, values);
        if capabilities.order_by {
            if let Some(field) = tied_field(values, T::FIELDS) {
                request.order_by = vec![OrderBy {
                    field: field.to_owned(),
                    direction: *DIRECTIONS.choose(&mut rng).expect("directions"),
                }];
            }
        }
        if capabilities.paging {
            let n = records.len() as u64;
            request.offset = rng.random_range(0..=n / 2);
            request.limit = Some(rng.random_range(1..=n.max(1)));
        }
        let wire = AdapterRequest::Query(request.clone());
        let first = suite.client.call(&wire).await;
        let second = suite.client.call(&wire).await;
        match (first, second) {
            (Ok(a), Ok(b)) if a == b => {}
            (Ok(_), Ok(_)) => failures.add(
                "the same request asked twice was answered differently".into(),
                QueryOrOther::Query(request),
            ),
            (Err(e), _) | (_, Err(e)) => failures.add(
                format!("the adapter failed: {e}"),
                QueryOrOther::Query(request),
            ),
        }
    }
    notes.push("the same request twice gives the same answer".to_owned());

    if capabilities.paging {
        // Natural order, then a sort with ties: pages concatenate to the unpaged list.
        let mut orders = vec![Vec::new()];
        if capabilities.order_by {
            if let Some(field) = tied_field(values, T::FIELDS) {
                orders.push(vec![OrderBy {
                    field: field.to_owned(),
                    direction: *DIRECTIONS.choose(&mut rng).expect("directions"),
                }]);
            }
        }
        let sorted = orders.len() > 1;
        for order in orders {
            if let Err((why, request)) = walk::<T>(suite, records, complete, order).await {
                failures.add(why, QueryOrOther::Query(request));
            }
        }
        notes.push(format!(
            "consecutive pages concatenate to the unpaged list, without duplicates or gaps ({})",
            if sorted {
                "natural order, and a sort with ties"
            } else {
                "natural order"
            }
        ));
    }
    if capabilities.cursor {
        let filter = maybe_filter::<T>(suite, &mut rng, values);
        if let Err((why, request)) = cursor_walk::<T>(suite, complete, filter).await {
            failures.add(why, QueryOrOther::Query(request));
        }
        notes.push(
            "pages resumed by cursor concatenate to the unpaged list; a cursor the adapter did not make, or one with an orderBy, is refused".to_owned(),
        );
    }
    let check = failures.into_check(suite, name, notes.join("; "));
    suite.push(check);
}

/// Read the list page by page under `order` and compare with the unpaged answer.
async fn walk<T: Record>(
    suite: &Suite,
    records: &[T],
    complete: bool,
    order: Vec<OrderBy>,
) -> Result<(), (String, QueryRequest)> {
    let mut unpaged_request = QueryRequest::all(T::COLLECTION);
    unpaged_request.order_by = order.clone();
    let unpaged: Vec<String> = if order.is_empty() {
        records.iter().map(|r| r.source_id().to_owned()).collect()
    } else {
        let limit = (!complete).then_some(records.len() as u64);
        unpaged_request.limit = limit;
        let (answer, _) = suite
            .client
            .query::<T>(&unpaged_request)
            .await
            .map_err(|e| (format!("the adapter failed: {e}"), unpaged_request.clone()))?;
        answer.iter().map(|r| r.source_id().to_owned()).collect()
    };
    let n = unpaged.len() as u64;
    let size = if complete {
        n.div_ceil(6).max(1)
    } else {
        1_000
    };
    let mut paged: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut request = unpaged_request.clone();
    request.limit = Some(size);
    while (paged.len() as u64) < n {
        request.offset = paged.len() as u64;
        let (page, _) = suite
            .client
            .query::<T>(&request)
            .await
            .map_err(|e| (format!("the adapter failed: {e}"), request.clone()))?;
        if page.is_empty() {
            return Err((
                format!(
                    "page at offset {} is empty, {} records short of the unpaged list (a gap)",
                    request.offset,
                    n - paged.len() as u64
                ),
                request,
            ));
        }
        for record in page {
            let id = record.source_id().to_owned();
            if !seen.insert(id.clone()) {
                return Err((
                    format!(
                        "sourceId {id} comes again on the page at offset {} (a duplicate)",
                        request.offset
                    ),
                    request,
                ));
            }
            paged.push(id);
        }
    }
    paged.truncate(unpaged.len());
    if let Some(i) = (0..unpaged.len()).find(|&i| paged[i] != unpaged[i]) {
        request.offset = (i as u64 / size) * size;
        return Err((
            format!(
                "pages of {size} under orderBy {} differ from the unpaged list at position {i}: sourceId {} where the unpaged list has {}",
                brief(&order),
                paged[i],
                unpaged[i]
            ),
            request,
        ));
    }
    Ok(())
}

async fn lookups<T: Record>(suite: &mut Suite, records: &[T], complete: bool, values: &Values) {
    let name = format!("{} lookup by id", name_of(T::COLLECTION));
    if !suite.capabilities(T::COLLECTION).lookup_by_id {
        suite.push(Check::skip(
            name,
            "not declared (the engine picks records from the list)",
        ));
        return;
    }
    let mut rng = suite.rng(&name);
    let ids: Vec<String> = records.iter().map(|r| r.source_id().to_owned()).collect();
    let absent = |n: u32| format!("{ABSENT}-{n}");
    let mut sets: Vec<Vec<String>> = vec![
        ids.choose_multiple(&mut rng, 1).cloned().collect(),
        ids.choose_multiple(&mut rng, 3)
            .cloned()
            .chain([absent(1)])
            .collect(),
        vec![absent(1), absent(2)],
        Vec::new(),
        ids.iter().rev().take(10).cloned().collect(),
    ];
    // Every record (up to a bound), in batches: each must come back as the list has it.
    sets.extend(
        ids.iter()
            .take(LOOKUP_IDS)
            .cloned()
            .collect::<Vec<_>>()
            .chunks(LOOKUP_BATCH)
            .map(<[String]>::to_vec),
    );
    let mut failures = Failures::default();
    let mut asked = 0;
    for (i, set) in sets.into_iter().enumerate() {
        let mut request = QueryRequest::all(T::COLLECTION);
        request.ids = Some(set);
        if i == 1 {
            request.filter = maybe_filter::<T>(suite, &mut rng, values);
        }
        match ask(&suite.client, &request, records, complete, false).await {
            Ok(_) => asked += 1,
            Err(why) => failures.add(
                format!("ids {}: {why}", brief(&request.ids)),
                QueryOrOther::Query(request),
            ),
        }
    }
    let covered = format!(
        "{asked} lookups: served ids, unknown ids, an empty list, and {} listed records in batches of {LOOKUP_BATCH}, each equal to the list's",
        ids.len().min(LOOKUP_IDS)
    );
    let covered = format!("{covered}{}", bounded(complete));
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}

/// Read the list (under a random filter) page by page by cursor (`after` the previous page's
/// `next`) and compare with the unpaged answer; then send cursors the adapter did not make.
async fn cursor_walk<T: Record>(
    suite: &Suite,
    complete: bool,
    filter: Option<simpul_schema::Filter>,
) -> Result<(), (String, QueryRequest)> {
    let mut unpaged_request = QueryRequest::all(T::COLLECTION);
    unpaged_request.filter = filter;
    let (unpaged, _) = suite
        .client
        .query::<T>(&unpaged_request)
        .await
        .map_err(|e| (format!("the adapter failed: {e}"), unpaged_request.clone()))?;
    let unpaged: Vec<String> = unpaged.iter().map(|r| r.source_id().to_owned()).collect();
    let n = unpaged.len();
    let size = if complete {
        n.div_ceil(5).max(1)
    } else {
        1_000
    };
    let mut request = unpaged_request.clone();
    request.limit = Some(size as u64);
    let mut paged: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    loop {
        let (page, next) = suite
            .client
            .page::<T>(&request)
            .await
            .map_err(|e| (format!("the adapter failed: {e}"), request.clone()))?;
        let full = page.len() == size;
        for record in page {
            let id = record.source_id().to_owned();
            if !seen.insert(id.clone()) {
                return Err((
                    format!(
                        "sourceId {id} comes again after cursor {:?} (a duplicate)",
                        request.after
                    ),
                    request,
                ));
            }
            paged.push(id);
        }
        if !full || paged.len() >= n {
            break;
        }
        match next {
            Some(next) if request.after.as_ref() != Some(&next) => request.after = Some(next),
            Some(_) => {
                return Err((
                    "a full page's `next` is the cursor it was asked with: the scan would not move"
                        .into(),
                    request,
                ))
            }
            None => {
                return Err((
                    "a full page in the natural order came without `next`".into(),
                    request,
                ))
            }
        }
    }
    let shorter = paged.len().min(n);
    if let Some(i) = (0..shorter).find(|&i| paged[i] != unpaged[i]) {
        return Err((
            format!(
                "pages of {size} by cursor differ from the unpaged list at position {i}: sourceId {} where the unpaged list has {}",
                paged[i], unpaged[i]
            ),
            request,
        ));
    }
    if complete && paged.len() != n {
        return Err((
            format!(
                "pages by cursor hold {} records where the unpaged list has {n} (a gap)",
                paged.len()
            ),
            request,
        ));
    }
    // Cursors the adapter did not make: an error, not records and not a crash.
    for forged in [
        "",
        "not a cursor",
        "\u{0}",
        "99999999999999999999999",
        "1,2,3,4,5",
    ] {
        let mut bad = QueryRequest::all(T::COLLECTION);
        bad.limit = Some(10);
        bad.after = Some(forged.to_owned());
        if suite.client.page::<T>(&bad).await.is_ok() {
            return Err((format!("the cursor {forged:?}, which the adapter did not make, was answered with records"), bad));
        }
    }
    Ok(())
}
