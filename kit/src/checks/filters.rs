//! Filters against the reference semantics (`simpul_schema::filter::apply`) on the adapter's
//! own records: each declared operator on each field it fits, with literals the adapter
//! serves (and some it does not); the constant trees any adapter may receive (`and`/`or`/`not`
//! without a comparison); random nested trees of declared operators.

use simpul_schema::{Collection, CompareOp, Filter, QueryRequest};

use super::{ask, bounded, brief, name_of, Failures, QueryOrOther, Suite};
use crate::for_each_collection;
use crate::generate::{fits, Literals, Trees, Values};
use crate::records::Record;
use crate::report::Check;

/// Random trees asked per collection.
const TREES: usize = 25;

pub(super) async fn check(suite: &mut Suite, collection: Collection) {
    for_each_collection!(await collection, check_collection(suite));
}

async fn check_collection<T: Record>(suite: &mut Suite) {
    let Some((records, complete)) = suite.records::<T>() else {
        suite.push(Check::skip(
            format!("{} capabilities", name_of(T::COLLECTION)),
            "the collection could not be listed, so nothing it declares was checked",
        ));
        return;
    };
    let records = records.to_vec();
    let values = Values::of(&records, T::FIELDS);
    constants::<T>(suite, &records, complete).await;
    let operators = suite.capabilities(T::COLLECTION).filter_operators;
    for op in &operators {
        operator::<T>(suite, &records, complete, &values, *op).await;
    }
    let name = format!("{} filter trees", name_of(T::COLLECTION));
    if operators.is_empty() {
        suite.push(Check::skip(name, "no filter operator is declared"));
        return;
    }
    let mut rng = suite.rng(&name);
    let mut failures = Failures::default();
    let (mut asked, mut matched) = (0, 0);
    for _ in 0..TREES {
        let filter = Trees {
            rng: &mut rng,
            fields: T::FIELDS,
            values: &values,
            ops: &operators,
        }
        .filter(3);
        let mut request = QueryRequest::all(T::COLLECTION);
        request.filter = Some(filter.clone());
        match ask(&suite.client, &request, &records, complete, true).await {
            Ok(Some(n)) => (asked, matched) = (asked + 1, matched + n),
            Ok(None) => {}
            Err(why) => failures.add(
                format!("{}: {why}", brief(&filter)),
                QueryOrOther::Query(request),
            ),
        }
    }
    let covered = format!(
        "{asked} nested and/or/not trees of declared operators ({matched} records matched)"
    );
    let covered = format!("{covered}{}", bounded(complete));
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}

/// The trees without a comparison, which any adapter may receive whatever it declares.
async fn constants<T: Record>(suite: &mut Suite, records: &[T], complete: bool) {
    let none = || Filter::Or(Vec::new());
    let all = || Filter::And(Vec::new());
    let trees = [
        all(),
        none(),
        Filter::Not(Box::new(none())),
        Filter::Not(Box::new(all())),
        Filter::And(vec![none(), all()]),
        Filter::Or(vec![Filter::Not(Box::new(none())), none()]),
        Filter::Not(Box::new(Filter::Not(Box::new(Filter::And(vec![
            all(),
            all(),
        ]))))),
    ];
    let name = format!("{} filter constants", name_of(T::COLLECTION));
    let mut failures = Failures::default();
    for filter in trees {
        let mut request = QueryRequest::all(T::COLLECTION);
        request.filter = Some(filter.clone());
        if let Err(why) = ask(&suite.client, &request, records, complete, true).await {
            failures.add(
                format!("{}: {why}", brief(&filter)),
                QueryOrOther::Query(request),
            );
        }
    }
    let covered =
        "and/or/not without a comparison (empty and: all, empty or: none, negations)".to_owned();
    let covered = format!("{covered}{}", bounded(complete));
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}

/// One declared operator on every field it fits.
async fn operator<T: Record>(
    suite: &mut Suite,
    records: &[T],
    complete: bool,
    values: &Values,
    op: CompareOp,
) {
    let op_name = serde_json::to_value(op)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let name = format!("{} filter _{op_name}", name_of(T::COLLECTION));
    let mut rng = suite.rng(&name);
    let mut failures = Failures::default();
    let (mut asked, mut fields, mut matched) = (0, 0, 0);
    for field in T::FIELDS {
        let kind = values.kind(field);
        if !fits(op, kind) {
            continue;
        }
        fields += 1;
        let literals = Literals {
            rng: &mut rng,
            values: values.get(field),
            kind,
        }
        .for_op(op);
        for literal in literals {
            let mut request = QueryRequest::all(T::COLLECTION);
            request.filter = Some(Filter::compare(field, op, literal.clone()));
            match ask(&suite.client, &request, records, complete, true).await {
                Ok(Some(n)) => (asked, matched) = (asked + 1, matched + n),
                Ok(None) => {}
                Err(why) => failures.add(
                    format!("{field} _{op_name} {}: {why}", brief(&literal)),
                    QueryOrOther::Query(request),
                ),
            }
        }
    }
    if fields == 0 {
        suite.push(Check::skip(
            name,
            "no field holds values this operator applies to",
        ));
        return;
    }
    let covered = format!("{asked} requests on {fields} fields ({matched} records matched)");
    let covered = format!("{covered}{}", bounded(complete));
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}
