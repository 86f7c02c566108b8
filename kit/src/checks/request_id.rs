//! The `requestId` check (ABI 1.3): the gateway marks every call of one GraphQL request with
//! the same id, and an adapter may share its reads between those calls, but the id must never
//! change an answer. Per collection, two different questions (the first records; then the
//! second record alone, by a lookup or a window where declared) are asked without an id, then one after the
//! other under one id (as a lookup and then a nested list are), then both at once under
//! another: every answer has the same records, in the same order, with the same total, as
//! without an id. An adapter that memoises by the id alone answers the second question with
//! the first's records and fails here.

use simpul_schema::{Collection, QueryRequest};

use super::{name_of, Failures, QueryOrOther, Suite};
use crate::for_each_collection;
use crate::records::Record;

/// A key no adapter should have.
const NO_SUCH_KEY: &str = "simpul-kit-no-such-key";

pub(super) async fn check(suite: &mut Suite, collection: Collection) {
    for_each_collection!(await collection, check_collection(suite));
}

async fn check_collection<T: Record>(suite: &mut Suite) {
    let name = format!("{} requestId", name_of(T::COLLECTION));
    let Some((records, complete)) = suite.records::<T>() else {
        return;
    };
    let capabilities = suite.capabilities(T::COLLECTION);
    let mut first = QueryRequest::all(T::COLLECTION);
    // Past the bound, the first records only, as the other checks ask.
    first.limit = (!complete).then_some(records.len() as u64);
    // A question whose answer is not the first's: the second record alone (none when there is
    // one), by key or by window.
    let mut second = QueryRequest::all(T::COLLECTION);
    if capabilities.lookup_by_id {
        let key = records.get(1).map_or(NO_SUCH_KEY, |r| r.source_id());
        second.ids = Some(vec![key.to_owned()]);
    } else if capabilities.paging {
        second.offset = 1;
        second.limit = Some(1);
    } else {
        // Neither declared: the second question can only be the first again.
        second = first.clone();
    }
    let (Ok(want_first), Ok(want_second)) = (
        suite.client.query::<T>(&first).await,
        suite.client.query::<T>(&second).await,
    ) else {
        // Not this check's failure: the other checks ask the same without an id.
        return;
    };
    let with_id = |request: &QueryRequest, id: &str| QueryRequest {
        request_id: Some(id.to_owned()),
        ..request.clone()
    };
    let mut failures = Failures::default();
    let mut note = |got: Result<(Vec<T>, u64), _>, want: &(Vec<T>, u64), asked: QueryRequest| {
        if let Err(why) = same(got, want) {
            failures.add(why, QueryOrOther::Query(asked));
        }
    };
    // One after the other under one id, then both at once under another.
    let (a, b) = (
        with_id(&first, "simpul-kit-1"),
        with_id(&second, "simpul-kit-1"),
    );
    note(suite.client.query::<T>(&a).await, &want_first, a.clone());
    note(suite.client.query::<T>(&b).await, &want_second, b.clone());
    let (a, b) = (
        with_id(&first, "simpul-kit-2"),
        with_id(&second, "simpul-kit-2"),
    );
    let (got_a, got_b) = tokio::join!(suite.client.query::<T>(&a), suite.client.query::<T>(&b));
    note(got_a, &want_first, a);
    note(got_b, &want_second, b);
    let covered = "two questions under one requestId, in turn and at once: the answers given without an id (records, order, total)".to_owned();
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}

/// The same `sourceId`s in the same order and the same total.
fn same<T: Record, E: std::fmt::Display>(
    got: Result<(Vec<T>, u64), E>,
    want: &(Vec<T>, u64),
) -> Result<(), String> {
    let (got, total) = got.map_err(|e| format!("the adapter failed with a requestId: {e}"))?;
    let ids = |records: &[T]| -> Vec<String> {
        records.iter().map(|r| r.source_id().to_owned()).collect()
    };
    if total != want.1 || ids(&got) != ids(&want.0) {
        return Err(format!(
            "with a requestId, {} records of {total} ({}); without, {} of {} ({})",
            got.len(),
            first_ids(&got),
            want.0.len(),
            want.1,
            first_ids(&want.0)
        ));
    }
    Ok(())
}

/// The first few `sourceId`s, for a reason.
fn first_ids<T: Record>(records: &[T]) -> String {
    let mut shown: Vec<&str> = records.iter().take(3).map(Record::source_id).collect();
    if records.len() > 3 {
        shown.push("…");
    }
    shown.join(", ")
}
