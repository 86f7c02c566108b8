//! Deadlines and concurrency: a call under a deadline too short for it ends (with the answer,
//! a timeout or a cancellation) within the deadline and the host's grace, and leaves the
//! instance answering the next calls correctly; concurrent calls give the answers serial ones
//! gave; the plugin completes each call once.

use std::time::{Duration, Instant};

use rand::seq::IndexedRandom;
use rand::Rng;
use simpul_plugin::PluginErrorKind;
use simpul_schema::{AdapterRequest, Collection, QueryRequest};

use super::{brief, name_of, Suite};
use crate::for_each_collection;
use crate::generate::{self, Trees, Values};
use crate::records::Record;
use crate::report::{Check, Outcome};

/// The deadlines tried, in milliseconds.
const TINY: [u64; 5] = [1, 1, 2, 5, 20];

/// How late a call under a tiny deadline may end: the host's 100 ms grace and room for a busy
/// machine.
const SLACK: Duration = Duration::from_secs(2);

/// Calls made at once.
const CONCURRENT: usize = 16;

pub(super) async fn check(suite: &mut Suite) {
    let biggest = suite
        .data
        .iter()
        .max_by_key(|(_, f)| f.records.len())
        .map(|(c, _)| *c);
    match biggest {
        Some(collection) => for_each_collection!(await collection, deadlines(suite)),
        None => suite.push(Check::skip("deadlines", "no collection could be listed")),
    }
    concurrency(suite).await;
}

async fn deadlines<T: Record>(suite: &mut Suite) {
    let name = "deadlines";
    let Some((records, complete)) = suite.records::<T>() else {
        return;
    };
    let records = records.to_vec();
    let mut request = QueryRequest::all(T::COLLECTION);
    if !complete && suite.capabilities(T::COLLECTION).paging {
        request.limit = Some(records.len() as u64);
    }
    let wire = AdapterRequest::Query(request.clone());
    let reference = (records.clone(), records.len() as u64);
    let mut outcomes = Vec::new();
    for ms in TINY {
        let deadline = Duration::from_millis(ms);
        let started = Instant::now();
        let result = suite.client.query_within::<T>(&request, deadline).await;
        let took = started.elapsed();
        if took > deadline + SLACK {
            fail(
                suite,
                name,
                format!("a call under a {ms} ms deadline took {took:?}"),
                &wire,
            );
            return;
        }
        match result {
            Ok(answer) => {
                if complete {
                    if let Err(why) = crate::compare::answers(&answer, &reference, true) {
                        fail(
                            suite,
                            name,
                            format!("a call under a {ms} ms deadline answered wrongly: {why}"),
                            &wire,
                        );
                        return;
                    }
                }
                outcomes.push("answered");
            }
            Err(e) => match &e.kind {
                Some(PluginErrorKind::Timeout(_)) => outcomes.push("timed out"),
                Some(PluginErrorKind::Cancelled) => outcomes.push("cancelled"),
                Some(PluginErrorKind::Adapter(a)) if a.code == "SOURCE_TIMEOUT" => {
                    outcomes.push("SOURCE_TIMEOUT")
                }
                _ => {
                    fail(
                        suite,
                        name,
                        format!("a call under a {ms} ms deadline ended with {e} (expected the answer, a timeout, a cancellation or SOURCE_TIMEOUT)"),
                        &wire,
                    );
                    return;
                }
            },
        }
    }
    // The next calls are unharmed.
    match suite.client.query::<T>(&request).await {
        Ok(answer) if !complete => drop(answer),
        Ok(answer) => {
            if let Err(why) = crate::compare::answers(&answer, &reference, true) {
                fail(
                    suite,
                    name,
                    format!(
                        "after calls under tiny deadlines the next call answered wrongly: {why}"
                    ),
                    &wire,
                );
                return;
            }
        }
        Err(e) => {
            fail(
                suite,
                name,
                format!("after calls under tiny deadlines the next call failed: {e}"),
                &wire,
            );
            return;
        }
    }
    if let Err(e) = suite.client.status().await {
        fail(
            suite,
            name,
            format!("after calls under tiny deadlines the status request failed: {e}"),
            &AdapterRequest::Status,
        );
        return;
    }
    outcomes.dedup();
    suite.push(Check::pass(
        name,
        format!(
            "{} calls listing {} under deadlines of 1 to 20 ms ended in time ({}); the next calls answered correctly",
            TINY.len(),
            name_of(T::COLLECTION),
            outcomes.join(", ")
        ),
    ));
}

fn fail(suite: &mut Suite, name: &str, why: String, request: &AdapterRequest) {
    let reproduce = suite.reproduce(request);
    suite.push(Check::new(name, Outcome::Fail, why, Some(reproduce)));
}

/// A random request of `T` using what the adapter declares.
fn random_request<T: Record>(suite: &Suite, rng: &mut rand::rngs::StdRng) -> Option<QueryRequest> {
    let (records, _) = suite.records::<T>()?;
    let capabilities = suite.capabilities(T::COLLECTION);
    let values = Values::of(records, T::FIELDS);
    let mut request = QueryRequest::all(T::COLLECTION);
    if !capabilities.filter_operators.is_empty() && rng.random_bool(0.7) {
        request.filter = Some(
            Trees {
                rng,
                fields: T::FIELDS,
                values: &values,
                ops: &capabilities.filter_operators,
            }
            .filter(2),
        );
    }
    if capabilities.order_by && rng.random_bool(0.6) {
        request.order_by = generate::order(rng, T::FIELDS);
    }
    if capabilities.paging && rng.random_bool(0.6) {
        let n = records.len() as u64;
        request.offset = rng.random_range(0..=n / 2);
        request.limit = Some(rng.random_range(1..=n.max(1)));
    }
    if capabilities.lookup_by_id && rng.random_bool(0.2) {
        let ids: Vec<String> = records
            .choose_multiple(rng, 3)
            .map(|r| r.source_id().to_owned())
            .collect();
        request.ids = Some(ids);
    }
    Some(request)
}

fn describe(result: &Result<simpul_schema::AdapterResponse, crate::client::CallFailure>) -> String {
    match result {
        Ok(_) => "an answer".to_owned(),
        Err(e) => e.to_string(),
    }
}

async fn concurrency(suite: &mut Suite) {
    let name = "concurrency";
    let collections: Vec<Collection> = suite.data.keys().copied().collect();
    if collections.is_empty() {
        suite.push(Check::skip(name, "no collection could be listed"));
        return;
    }
    let mut rng = suite.rng(name);
    let mut requests = Vec::new();
    for _ in 0..CONCURRENT {
        let collection = *collections.choose(&mut rng).expect("collections");
        let request = for_each_collection!(collection, random_request(suite, &mut rng));
        if let Some(request) = request {
            requests.push(AdapterRequest::Query(request));
        }
    }
    let mut serial = Vec::new();
    for request in &requests {
        serial.push(suite.client.call(request).await);
    }
    let tasks: Vec<_> = requests
        .iter()
        .cloned()
        .map(|request| {
            let client = suite.client.clone();
            tokio::spawn(async move { client.call(&request).await })
        })
        .collect();
    let mut problems = None;
    for ((request, task), alone) in requests.iter().zip(tasks).zip(&serial) {
        let together = task.await.map_err(|e| e.to_string());
        let same = match (&together, alone) {
            (Ok(Ok(a)), Ok(b)) => a == b,
            (Ok(Err(a)), Err(b)) => a.message == b.message,
            _ => false,
        };
        if !same && problems.is_none() {
            let together = match &together {
                Ok(r) => describe(r),
                Err(e) => format!("a task failure: {e}"),
            };
            problems = Some((
                format!(
                    "{} concurrent calls: {} was answered differently than when asked alone ({together} vs {})",
                    requests.len(),
                    brief(request),
                    describe(alone)
                ),
                request.clone(),
            ));
        }
    }
    let (strays, _) = suite.client.stray_and_late();
    let check = match problems {
        Some((why, request)) => Check::new(name, Outcome::Fail, why, Some(suite.reproduce(&request))),
        None if strays > 0 => Check::fail(
            name,
            format!("the plugin completed {strays} calls more than once, or calls the host never made (stray completions)"),
        ),
        None => Check::pass(
            name,
            format!(
                "{} calls at once gave the answers they gave one at a time; every call completed once",
                requests.len()
            ),
        ),
    };
    suite.push(check);
}
