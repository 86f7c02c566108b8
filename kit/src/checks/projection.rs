//! The `projection` check, for a collection that declares it (ABI 1.2, `fields`): asked for
//! one filter field at a time, and for none, the adapter sends the same records in the same
//! order with the same total as without `fields`, each with that field and `sourceId` as they
//! were; the same under a random filter, sort and window, which still see every field. A name
//! that is not a filter field is refused with `BAD_REQUEST` or answered, never a fault.

use rand::Rng;
use simpul_plugin::PluginErrorKind;
use simpul_schema::filter::FieldValue;
use simpul_schema::{Collection, QueryRequest};

use super::{name_of, Failures, QueryOrOther, Suite};
use crate::for_each_collection;
use crate::generate::{self, Trees, Values};
use crate::records::Record;
use crate::report::Check;

pub(super) async fn check(suite: &mut Suite, collection: Collection) {
    for_each_collection!(await collection, check_collection(suite));
}

async fn check_collection<T: Record>(suite: &mut Suite) {
    let name = format!("{} projection", name_of(T::COLLECTION));
    let capabilities = suite.capabilities(T::COLLECTION);
    if !capabilities.projection {
        suite.push(Check::skip(
            name,
            "not declared (every field is always sent)",
        ));
        return;
    }
    let Some((records, complete)) = suite.records::<T>() else {
        return;
    };
    let values = Values::of(records, T::FIELDS);
    // Past the bound, the first records only: the same ones with and without `fields`.
    let bound = (!complete).then_some(records.len() as u64);
    let mut rng = suite.rng(&name);
    let mut failures = Failures::default();
    let mut asked = 0;
    let mut projections: Vec<Vec<String>> =
        T::FIELDS.iter().map(|f| vec![(*f).to_owned()]).collect();
    projections.push(Vec::new());
    for fields in projections {
        let mut plain = QueryRequest::all(T::COLLECTION);
        plain.limit = bound;
        let mut shaped = plain.clone();
        if !capabilities.filter_operators.is_empty() {
            shaped.filter = Some(
                Trees {
                    rng: &mut rng,
                    fields: T::FIELDS,
                    values: &values,
                    ops: &capabilities.filter_operators,
                }
                .filter(2),
            );
        }
        if capabilities.order_by {
            shaped.order_by = generate::order(&mut rng, T::FIELDS);
        }
        if capabilities.paging {
            let n = records.len() as u64;
            shaped.offset = rng.random_range(0..=n / 2);
            shaped.limit = Some(rng.random_range(1..=n.max(1)));
        }
        for request in [plain, shaped] {
            asked += 1;
            if let Err(why) = same_on::<T>(suite, &request, &fields).await {
                let mut projected = request;
                projected.fields = Some(fields.clone());
                failures.add(why, QueryOrOther::Query(projected));
            }
        }
    }
    let mut unknown = QueryRequest::all(T::COLLECTION);
    unknown.limit = Some(1);
    unknown.fields = Some(vec!["noSuchField".to_owned()]);
    match suite.client.query::<T>(&unknown).await {
        Ok(_) => {}
        Err(e)
            if matches!(&e.kind, Some(PluginErrorKind::Adapter(a)) if a.code == "BAD_REQUEST")
                || matches!(e.kind, Some(PluginErrorKind::BadRequest(_))) => {}
        Err(e) => failures.add(
            format!(
                "a field that does not exist is neither answered nor refused as BAD_REQUEST: {e}"
            ),
            QueryOrOther::Query(unknown),
        ),
    }
    let covered = format!(
        "each filter field alone and none, {asked} requests (plain, and under a filter, sort and window): the same records, order and total as without `fields`, with the field as sent without; an unknown field refused or answered"
    );
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}

/// Ask `request` without and with `fields`: the same `sourceId`s in the same order, the same
/// total, and each of `fields` as without.
async fn same_on<T: Record>(
    suite: &Suite,
    request: &QueryRequest,
    fields: &[String],
) -> Result<(), String> {
    let mut projected = request.clone();
    projected.fields = Some(fields.to_vec());
    let (full, full_total) = match suite.client.query::<T>(request).await {
        Ok(answer) => answer,
        // Not this check's failure: the other checks ask the same without `fields`.
        Err(_) => return Ok(()),
    };
    let (got, got_total) = suite
        .client
        .query::<T>(&projected)
        .await
        .map_err(|e| format!("the adapter failed with `fields`: {e}"))?;
    if got_total != full_total {
        return Err(format!(
            "totalCount {got_total} with `fields`, {full_total} without"
        ));
    }
    let ids = |records: &[T]| -> Vec<String> {
        records.iter().map(|r| r.source_id().to_owned()).collect()
    };
    if ids(&got) != ids(&full) {
        return Err(format!(
            "{} records with `fields`, {} without, or not the same sourceIds in the same order",
            got.len(),
            full.len()
        ));
    }
    for (a, b) in got.iter().zip(&full) {
        for field in fields {
            if a.field(field) != b.field(field) {
                return Err(format!(
                    "sourceId {}: {field} is {} with `fields`, {} without",
                    a.source_id(),
                    shown(a.field(field)),
                    shown(b.field(field))
                ));
            }
        }
    }
    Ok(())
}

/// A field's value in a reason: `null`, `true`, `12`, `"text"`, `[…]`.
fn shown(value: Option<FieldValue>) -> String {
    match value {
        None => "not a field".to_owned(),
        Some(FieldValue::Null) => "null".to_owned(),
        Some(FieldValue::Bool(b)) => b.to_string(),
        Some(FieldValue::Int(i)) => i.to_string(),
        Some(FieldValue::Float(f)) => f.to_string(),
        Some(FieldValue::Text(t)) => format!("{t:?}"),
        Some(FieldValue::List(items)) => format!(
            "[{}]",
            items
                .into_iter()
                .map(|i| shown(Some(i)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
