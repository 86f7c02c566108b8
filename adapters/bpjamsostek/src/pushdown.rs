//! Which parts of a unified filter the API can apply itself (openapi.yaml query parameters).
//!
//! A pushed parameter only ever narrows the fetch to a *superset* of the matching records: the
//! unified filter is still evaluated in full afterwards ([`simpul_schema::filter::apply`]), so
//! pushing down is an optimisation, never a change of meaning. Only equality in the top-level
//! conjunction is considered (the programmes of enrolments and awards, `_eq`/`_in`, also
//! through `_or` and the gateway's resolved relations), and only where the mapping from API
//! value to unified value is exact:
//!
//! | collection | unified filter | API parameter |
//! |---|---|---|
//! | trainingCenters | `institutionType _eq LPK/LKP/LSP` | `jenis_lembaga` (same) |
//! | trainingCenters | `institutionType _eq BLKK` | `jenis_lembaga=BLK` (BLKK only comes from BLK) |
//! | trainingCenters | `active _eq true` | `status=AKTIF` |
//! | courses, courseRuns | `trainingCenterId _eq LM-…` | `lembaga_id` |
//! | courseRuns | `fiscalYear _eq 2019…2100` | `tahun` |
//! | courseRuns | `deliveryMode _eq IN_PERSON/ONLINE/BLENDED` | `metode` |
//! | enrollments | `courseRunId _eq/_in PV-…` | only those programmes' `program_id` |
//! | credentialAwards | `credentialId _eq/_in PV-…/sertifikat` | only those programmes' `program_id` |
//!
//! With the cache off, what an answer can return also narrows what is decoded and mapped
//! (the API has one list endpoint per collection, and these lists are fetched whole):
//!
//! | collection | lookup or filter | decoded |
//! |---|---|---|
//! | trainingCenters, partnerships | `ids`, `sourceId _eq/_in` | those partners |
//! | courses, courseRuns | `ids`, `sourceId _eq/_in`, runs' `code _eq/_in` | those programmes and their partners |
//! | enrollments, credentialAwards | the programmes above | those programmes and their partners |
//!
//! Pushing down only narrows what is fetched: every answer, pushed down or not, is filtered
//! and stripped of personal data (participants' `pii`, award numbers) by the same in-memory
//! query ([`crate::BpjamsostekData::query`]), so nothing personal leaves without
//! `include_pii`.

use std::collections::BTreeSet;

use simpul_schema::{Collection, CompareOp, Filter, Literal, QueryRequest};

use crate::mapping::credentials::CREDENTIAL_SUFFIX;

/// What a partner's id gets for its PKS's key (`LM-0001/pks`).
const PARTNERSHIP_SUFFIX: &str = "/pks";

/// API parameters for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pushdown {
    /// For `GET /v1/lembaga-mitra`.
    pub lembaga: Vec<(&'static str, String)>,
    /// For `GET /v1/program-vokasi`.
    pub programmes: Vec<(&'static str, String)>,
    /// Only these programmes' enrolments (`GET /v1/peserta?program_id=`).
    pub course_runs: Option<BTreeSet<String>>,
    /// Only these partners (`lembagaId`) can be in the answer: the others need not be decoded
    /// nor mapped. From a lookup by key or a `sourceId` equality on centres and partnerships.
    pub partners: Option<BTreeSet<String>>,
    /// Only these programmes (`programId`) can be in the answer (courses and runs: a lookup by
    /// key, a `sourceId` or run `code` equality; enrolments and awards: [`Pushdown::course_runs`]).
    pub programmes_only: Option<BTreeSet<String>>,
    /// The answer is records only (a query), so what decoding ignores and the census of fields
    /// (for the status' notices) need not be recorded.
    pub records_only: bool,
}

/// The API parameters equivalent to (a superset of) `request`'s filter.
pub fn pushdown(request: &QueryRequest) -> Pushdown {
    let mut out = Pushdown {
        records_only: true,
        ..Pushdown::default()
    };
    let keyed = keys_named(request);
    match request.collection {
        Collection::TrainingCenters => out.partners = keyed,
        Collection::Partnerships => {
            out.partners = keyed.map(|keys| {
                keys.iter()
                    .filter_map(|k| k.strip_suffix(PARTNERSHIP_SUFFIX).map(str::to_owned))
                    .collect()
            });
        }
        Collection::Courses | Collection::CourseRuns => out.programmes_only = keyed,
        _ => {}
    }
    let Some(filter) = &request.filter else {
        return out;
    };
    out.course_runs = programmes_named(request.collection, filter);
    if matches!(
        request.collection,
        Collection::Enrollments | Collection::CredentialAwards
    ) {
        out.programmes_only = out.course_runs.clone();
    }
    let mut parts = Vec::new();
    conjuncts(filter, &mut parts);
    for (field, op, value) in parts {
        let text = match value {
            Literal::Text(s) => Some(s.as_str()),
            _ => None,
        };
        match (request.collection, field, op) {
            (Collection::TrainingCenters, "institutionType", CompareOp::Eq) => {
                let param = match text {
                    Some(t @ ("LPK" | "LKP" | "LSP")) => Some(t),
                    Some("BLKK") => Some("BLK"),
                    _ => None,
                };
                if let Some(p) = param {
                    set(&mut out.lembaga, "jenis_lembaga", p.to_owned());
                }
            }
            (Collection::TrainingCenters, "active", CompareOp::Eq) => {
                if matches!(value, Literal::Bool(true)) {
                    set(&mut out.lembaga, "status", "AKTIF".to_owned());
                }
            }
            (Collection::Courses | Collection::CourseRuns, "trainingCenterId", CompareOp::Eq) => {
                if let Some(id) = text.filter(|t| is_lembaga_id(t)) {
                    set(&mut out.programmes, "lembaga_id", id.to_owned());
                }
            }
            (Collection::CourseRuns, "fiscalYear", CompareOp::Eq) => {
                if let Literal::Int(year @ 2019..=2100) = value {
                    set(&mut out.programmes, "tahun", year.to_string());
                }
            }
            (Collection::CourseRuns, "deliveryMode", CompareOp::Eq) => {
                let method = match text {
                    Some("IN_PERSON") => Some("LURING"),
                    Some("ONLINE") => Some("DARING"),
                    Some("BLENDED") => Some("CAMPURAN"),
                    _ => None,
                };
                if let Some(m) = method {
                    set(&mut out.programmes, "metode", m.to_owned());
                }
            }
            _ => {}
        }
    }
    out
}

/// The local keys (`sourceId`) a request can return, when it names them: its `ids`, and the
/// `sourceId` (runs: also `code`, the same `programId`) `_eq`/`_in` of its filter, through
/// `_and` and `_or` as [`programmes_named`]; `None` when neither narrows them.
fn keys_named(request: &QueryRequest) -> Option<BTreeSet<String>> {
    let by_filter = request
        .filter
        .as_ref()
        .and_then(|f| keys_in(request.collection, f));
    let by_ids = request
        .ids
        .as_ref()
        .map(|ids| ids.iter().cloned().collect::<BTreeSet<_>>());
    match (by_ids, by_filter) {
        (Some(a), Some(b)) => Some(a.intersection(&b).cloned().collect()),
        (a, b) => a.or(b),
    }
}

fn keys_in(collection: Collection, filter: &Filter) -> Option<BTreeSet<String>> {
    match filter {
        Filter::And(parts) => parts
            .iter()
            .filter_map(|p| keys_in(collection, p))
            .reduce(|a, b| a.intersection(&b).cloned().collect()),
        Filter::Or(parts) => parts.iter().map(|p| keys_in(collection, p)).try_fold(
            BTreeSet::new(),
            |mut all, part| {
                all.extend(part?);
                Some(all)
            },
        ),
        Filter::Compare { field, op, value } => match (collection, field.as_str(), op) {
            (_, "sourceId", CompareOp::Eq | CompareOp::In)
            | (Collection::CourseRuns, "code", CompareOp::Eq | CompareOp::In) => {
                Some(texts(value)?.into_iter().map(str::to_owned).collect())
            }
            _ => None,
        },
        Filter::Not(_) | Filter::Related { .. } => None,
    }
}

/// The programmes whose enrolments (or awards) can match `filter`, when it names them: a
/// superset of the programmes of the matching records, or `None` when the filter does not
/// narrow them. Followed through `_and` (what every part allows), `_or` (what some branch
/// allows, when every branch names programmes) and the constants the gateway leaves for a
/// provider comparison (`_and: []` holds, `_or: []` never does), so that a relation the
/// gateway resolved into `_or: [{provider, courseRunId _in}]` is pushed down as well.
fn programmes_named(collection: Collection, filter: &Filter) -> Option<BTreeSet<String>> {
    match filter {
        Filter::And(parts) => parts
            .iter()
            .filter_map(|p| programmes_named(collection, p))
            .reduce(|a, b| a.intersection(&b).cloned().collect()),
        Filter::Or(parts) => parts
            .iter()
            .map(|p| programmes_named(collection, p))
            .try_fold(BTreeSet::new(), |mut all, part| {
                all.extend(part?);
                Some(all)
            }),
        Filter::Compare { field, op, value } => {
            let ids = match (collection, field.as_str(), op) {
                (Collection::Enrollments, "courseRunId", CompareOp::Eq | CompareOp::In)
                | (Collection::CredentialAwards, "credentialId", CompareOp::Eq | CompareOp::In) => {
                    texts(value)?
                }
                _ => return None,
            };
            // A credential id is its programme's id + `/sertifikat`; an id without the
            // suffix matches no award, so it is left out of the programmes to fetch.
            Some(match collection {
                Collection::CredentialAwards => ids
                    .into_iter()
                    .filter_map(|s| s.strip_suffix(CREDENTIAL_SUFFIX).map(str::to_owned))
                    .collect(),
                _ => ids.into_iter().map(str::to_owned).collect(),
            })
        }
        Filter::Not(_) | Filter::Related { .. } => None,
    }
}

/// The text values of an `_eq` or `_in` literal (`None` when one is not text).
fn texts(value: &Literal) -> Option<Vec<&str>> {
    match value {
        Literal::Text(s) => Some(vec![s.as_str()]),
        Literal::List(items) => items
            .iter()
            .map(|i| match i {
                Literal::Text(s) => Some(s.as_str()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The comparisons of the top-level conjunction (nested `_and`s flattened).
fn conjuncts<'a>(filter: &'a Filter, out: &mut Vec<(&'a str, CompareOp, &'a Literal)>) {
    match filter {
        Filter::And(parts) => parts.iter().for_each(|p| conjuncts(p, out)),
        Filter::Compare { field, op, value } => out.push((field.as_str(), *op, value)),
        Filter::Or(_) | Filter::Not(_) | Filter::Related { .. } => {}
    }
}

/// Set a parameter once; a second, different value for it means no record matches both, but
/// the API takes one value, so the parameter is dropped (the filter still runs afterwards).
fn set(params: &mut Vec<(&'static str, String)>, name: &'static str, value: String) {
    match params.iter().position(|(n, _)| *n == name) {
        None => params.push((name, value)),
        Some(i) if params[i].1 != value => {
            params.remove(i);
        }
        Some(_) => {}
    }
}

fn is_lembaga_id(s: &str) -> bool {
    s.strip_prefix("LM-")
        .is_some_and(|d| d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a query that narrows nothing gets.
    fn nothing() -> Pushdown {
        Pushdown {
            records_only: true,
            ..Pushdown::default()
        }
    }

    fn request(collection: Collection, filter: Filter) -> QueryRequest {
        let mut r = QueryRequest::all(collection);
        r.filter = Some(filter);
        r
    }

    #[test]
    fn pushes_exact_equalities_only() {
        let f = Filter::And(vec![
            Filter::compare("trainingCenterId", CompareOp::Eq, "LM-0003"),
            Filter::And(vec![Filter::compare("fiscalYear", CompareOp::Eq, 2020_i64)]),
            Filter::compare("deliveryMode", CompareOp::Eq, "ONLINE"),
            Filter::compare("status", CompareOp::Eq, "COMPLETED"),
        ]);
        let p = pushdown(&request(Collection::CourseRuns, f));
        assert_eq!(
            p.programmes,
            [
                ("lembaga_id", "LM-0003".to_owned()),
                ("tahun", "2020".to_owned()),
                ("metode", "DARING".to_owned())
            ]
        );
        // Under _or or _not nothing is pushed.
        let f = Filter::Or(vec![Filter::compare("fiscalYear", CompareOp::Eq, 2020_i64)]);
        assert_eq!(pushdown(&request(Collection::CourseRuns, f)), nothing());
        let f = Filter::compare("fiscalYear", CompareOp::Gte, 2020_i64);
        assert_eq!(pushdown(&request(Collection::CourseRuns, f)), nothing());
        let f = Filter::compare("institutionType", CompareOp::Eq, "OTHER");
        assert_eq!(
            pushdown(&request(Collection::TrainingCenters, f)),
            nothing()
        );
        let f = Filter::compare("institutionType", CompareOp::Eq, "BLKK");
        assert_eq!(
            pushdown(&request(Collection::TrainingCenters, f)).lembaga,
            [("jenis_lembaga", "BLK".to_owned())]
        );
    }

    #[test]
    fn enrolments_by_course_run() {
        let f = Filter::And(vec![
            Filter::compare(
                "courseRunId",
                CompareOp::In,
                Literal::List(vec!["PV-2020-0001".into(), "PV-2020-0002".into()]),
            ),
            Filter::compare("courseRunId", CompareOp::Eq, "PV-2020-0002"),
        ]);
        let p = pushdown(&request(Collection::Enrollments, f));
        assert_eq!(
            p.course_runs,
            Some(BTreeSet::from(["PV-2020-0002".to_owned()]))
        );
        let f = Filter::compare("fiscalYear", CompareOp::Eq, 2019_i64);
        let p = pushdown(&request(Collection::Courses, f));
        assert_eq!(p, nothing());
        // Awards by credential: the programmes behind the ids; an id of another shape is none.
        let f = Filter::compare(
            "credentialId",
            CompareOp::In,
            Literal::List(vec![
                "PV-2020-0002/sertifikat".into(),
                "PV-2020-0002".into(),
            ]),
        );
        let p = pushdown(&request(Collection::CredentialAwards, f));
        assert_eq!(
            p.course_runs,
            Some(BTreeSet::from(["PV-2020-0002".to_owned()]))
        );
        let f = Filter::compare("credentialId", CompareOp::Eq, "PV-2020-0002");
        let p = pushdown(&request(Collection::CredentialAwards, f));
        assert_eq!(p.course_runs, Some(BTreeSet::new()));
        // A relation the gateway resolved (`courseRun: {code: {_eq}}`), its provider
        // comparison bound: `_or: [{_and: [{_and: []}, {courseRunId: {_in}}]}]`.
        let resolved = |ids: &[&str]| {
            Filter::And(vec![
                Filter::And(Vec::new()),
                Filter::compare(
                    "courseRunId",
                    CompareOp::In,
                    Literal::List(ids.iter().map(|s| (*s).into()).collect()),
                ),
            ])
        };
        let f = Filter::Or(vec![resolved(&["PV-2020-0003"])]);
        let p = pushdown(&request(Collection::Enrollments, f));
        assert_eq!(
            p.course_runs,
            Some(BTreeSet::from(["PV-2020-0003".to_owned()]))
        );
        // Every branch names programmes: all of them; one does not: none pushed.
        let f = Filter::Or(vec![
            resolved(&["PV-2020-0003"]),
            resolved(&["PV-2019-0001"]),
        ]);
        let p = pushdown(&request(Collection::Enrollments, f));
        assert_eq!(p.course_runs.map(|s| s.len()), Some(2));
        let f = Filter::Or(vec![
            resolved(&["PV-2020-0003"]),
            Filter::compare("status", CompareOp::Eq, "COMPLETED"),
        ]);
        assert_eq!(
            pushdown(&request(Collection::Enrollments, f)).course_runs,
            None
        );
        // Another provider's branch bound to false: nothing to fetch for it.
        let f = Filter::And(vec![
            Filter::Or(Vec::new()),
            Filter::compare("status", CompareOp::Eq, "COMPLETED"),
        ]);
        assert_eq!(
            pushdown(&request(Collection::Enrollments, f)).course_runs,
            Some(BTreeSet::new())
        );
        let f = Filter::Not(Box::new(resolved(&["PV-2020-0003"])));
        assert_eq!(
            pushdown(&request(Collection::Enrollments, f)).course_runs,
            None
        );
        let mut conflicting = Vec::new();
        set(&mut conflicting, "tahun", "2019".into());
        set(&mut conflicting, "tahun", "2020".into());
        assert!(conflicting.is_empty());
    }
}
