//! Aggregates across providers: each provider's groups, summarised by its adapter when it
//! declares the view (`Capabilities.aggregates`, e.g. BBPLK's SQL) or by the engine from its
//! records otherwise, then merged into one answer.
//!
//! `provider` is a group key the engine handles itself: adapters group by everything else, and
//! their groups are tagged with the provider key before merging. When the engine summarises,
//! it reads the records page by page ([`SCAN_PAGE`]) and keeps only the groups, plus, for the
//! enrollment view, the records an enrollment is joined with (runs, courses and centres always;
//! participants and outcomes only when the request names one of their fields).

use std::collections::HashMap;

use async_graphql::futures_util::future::join_all;
use simpul_schema::analytics::{
    Accumulator, AggregateRequest, AggregateResponse, AggregateView, EnrollmentFact, Group, Related,
};
use simpul_schema::filter::{self, Filterable};
use simpul_schema::{
    AdapterRequest, AdapterResponse, CompareOp, Course, CourseRun, Direction, Enrollment, Filter,
    Literal, OrderBy, Outcome, Participant, QueryRequest, TrainingCenter,
};

use super::{bind_provider, covers, is_always_false, CallLog, CallRecord, Engine};
use super::{Entity, ProviderFailure, RequestError};
use crate::host::Provider;

/// The group key that names the provider.
pub const PROVIDER: &str = "provider";

/// Records per page when the engine reads a collection to summarise it.
pub const SCAN_PAGE: u64 = 10_000;

/// Fields of the enrollment view that come from the participant.
const PARTICIPANT_FIELDS: &[&str] = &[
    "sex",
    "birthYear",
    "domicileRegencyCode",
    "employmentStatusAtRegistration",
];

/// How long the size of a population ([`Engine::population`]) is reused.
const POPULATION_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// Sizes of the populations aggregates were asked over, by view and caller's scope, with when
/// they were counted.
#[derive(Debug, Default)]
pub(crate) struct Populations(std::sync::Mutex<HashMap<String, (std::time::Instant, u64)>>);

/// Groups merged across the providers that answered, and the failures of those that did not.
#[derive(Debug)]
pub struct Aggregation {
    /// Exact groups in key order (no small-cell suppression yet: see
    /// [`super::disclosure`]).
    pub groups: Vec<Group>,
    /// Providers that failed.
    pub failures: Vec<ProviderFailure>,
}

impl Engine {
    /// Summarise `request` across providers. `provider` may be a group key and a filter field.
    /// Fails only when the request itself is invalid.
    pub async fn aggregate(
        &self,
        request: &AggregateRequest,
        log: &CallLog,
    ) -> Result<Aggregation, RequestError> {
        let mut failures = Vec::new();
        let mut request = request.clone();
        if let Some(filter) = request.filter.take() {
            request.filter = Some(
                self.resolve_relations(request.view.collection(), filter, log, &mut failures)
                    .await?,
            );
        }
        let request = &request;
        let mut fields = request.view.fields().to_vec();
        fields.push(PROVIDER);
        if let Some(filter) = &request.filter {
            filter::validate_filter(filter, &fields)?;
        }
        let mut own = request.clone();
        own.filter = None;
        own.group_by.retain(|k| k.field != PROVIDER);
        own.validate()?;
        let provider_at = request.group_by.iter().position(|k| k.field == PROVIDER);

        let collection = request.view.collection();
        let calls = self
            .host
            .providers()
            .iter()
            .filter(|p| p.serves(collection))
            .map(|provider| {
                let mut part = own.clone();
                part.filter = request
                    .filter
                    .as_ref()
                    .map(|f| bind_provider(f, &provider.key));
                async move {
                    if part.filter.as_ref().is_some_and(is_always_false) {
                        return (provider, Ok(AggregateResponse::default()));
                    }
                    (provider, self.aggregate_one(provider, &part, log).await)
                }
            });
        let mut merged = Accumulator::new(request);
        for (provider, result) in join_all(calls).await {
            match result {
                Ok(answer) => {
                    for mut group in answer.groups {
                        if let Some(at) = provider_at {
                            group
                                .key
                                .insert(at, Some(Literal::Text(provider.key.clone())));
                        }
                        merged.merge(group);
                    }
                }
                Err(failure) => failures.push(failure),
            }
        }
        Ok(Aggregation {
            groups: merged.finish().groups,
            failures,
        })
    }

    /// How many records of `view` the caller can see at all: the population a filtered
    /// aggregate is measured against ([`super::disclosure`]). `scope` is what restricts the
    /// caller (a partner's provider), `None` for callers who see every provider. Counted
    /// across providers, then reused for a minute while every provider answered.
    pub async fn population(
        &self,
        view: AggregateView,
        scope: Option<Filter>,
        log: &CallLog,
    ) -> Result<u64, RequestError> {
        let key = serde_json::to_string(&(view, &scope)).unwrap_or_default();
        {
            let cached = self.populations.0.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, count)) = cached.get(&key) {
                if at.elapsed() < POPULATION_TTL {
                    return Ok(*count);
                }
            }
        }
        let request = AggregateRequest {
            view,
            filter: scope,
            measures: Vec::new(),
            group_by: Vec::new(),
        };
        let answer = self.aggregate(&request, log).await?;
        let count = answer.groups.iter().map(|g| g.count).sum();
        if answer.failures.is_empty() {
            self.populations
                .0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(key, (std::time::Instant::now(), count));
        }
        Ok(count)
    }

    async fn aggregate_one(
        &self,
        provider: &Provider,
        request: &AggregateRequest,
        log: &CallLog,
    ) -> Result<AggregateResponse, ProviderFailure> {
        let declared = provider.pushdown
            && provider
                .current()
                .manifest
                .as_ref()
                .is_some_and(|m| m.capabilities.aggregates.contains(&request.view));
        if !declared {
            return self.summarise(provider, request, log).await;
        }
        let mut call = CallRecord {
            collection: request.view.collection(),
            kind: "aggregate",
            filter_pushed: true,
            order_pushed: true,
            limit: None,
            personal_data: false,
            records: 0,
            micros: 0,
            error: None,
        };
        let started = std::time::Instant::now();
        let answer = self
            .call_cached(provider, AdapterRequest::Aggregate(request.clone()))
            .await
            .and_then(|response| match response {
                AdapterResponse::Aggregate(answer) => Ok(answer),
                _ => Err(ProviderFailure {
                    provider: provider.key.clone(),
                    code: "PROVIDER_ERROR",
                    message: "the adapter answered an aggregate with another kind of response"
                        .into(),
                }),
            });
        call.micros = started.elapsed().as_micros() as u64;
        call.records = answer.as_ref().map_or(0, |a| a.groups.len());
        call.error = answer.as_ref().err().map(|f| f.code);
        log.record(&provider.key, call);
        answer
    }

    /// Summarise one provider's records here, reading them page by page.
    async fn summarise(
        &self,
        provider: &Provider,
        request: &AggregateRequest,
        log: &CallLog,
    ) -> Result<AggregateResponse, ProviderFailure> {
        let mut totals = Accumulator::new(request);
        let filter = request.filter.as_ref();
        let key = &provider.key;
        match request.view {
            AggregateView::Participants => {
                self.scan::<Participant>(provider, filter, log, |r| add(&mut totals, &r, key))
                    .await?
            }
            AggregateView::CourseRuns => {
                self.scan::<CourseRun>(provider, filter, log, |r| add(&mut totals, &r, key))
                    .await?
            }
            AggregateView::Courses => {
                self.scan::<Course>(provider, filter, log, |r| add(&mut totals, &r, key))
                    .await?
            }
            AggregateView::TrainingCenters => {
                self.scan::<TrainingCenter>(provider, filter, log, |r| add(&mut totals, &r, key))
                    .await?
            }
            AggregateView::Enrollments => {
                let needs = |names: &[&str]| mentions(request, names);
                let runs = self.keyed::<CourseRun>(provider, true, log).await?;
                let courses = self.keyed::<Course>(provider, true, log).await?;
                let centers = self.keyed::<TrainingCenter>(provider, true, log).await?;
                let mut people = self
                    .keyed::<Participant>(provider, needs(PARTICIPANT_FIELDS), log)
                    .await?;
                // Only the coarse attributes the view reads are kept.
                for p in people.values_mut() {
                    (p.warnings, p.person_key, p.nik_masked, p.kpj_masked) =
                        (Vec::new(), None, None, None);
                    p.union_membership = None;
                }
                let mut outcomes = HashMap::new();
                if needs(&["outcomeStatus", "monthsToOutcome"]) {
                    self.scan::<Outcome>(provider, None, log, |mut o| {
                        (o.warnings, o.raw_status) = (Vec::new(), String::new());
                        (o.employer_name, o.job_title, o.business_type, o.source) =
                            (None, None, None, None);
                        outcomes.insert(o.enrollment_id.clone(), o);
                        Ok(())
                    })
                    .await?;
                }
                self.scan::<Enrollment>(provider, None, log, |e| {
                    let run = runs.get(&e.course_run_id);
                    let fact = EnrollmentFact::join(
                        &e,
                        Related {
                            run,
                            course: run.and_then(|r| courses.get(&r.course_id)),
                            center: run.and_then(|r| centers.get(&r.training_center_id)),
                            participant: people.get(&e.participant_id),
                            outcome: outcomes.get(&e.source_id),
                        },
                    );
                    add(&mut totals, &fact, key)
                })
                .await?;
            }
        }
        Ok(totals.finish())
    }

    /// Every record of `T` at one provider by key (none when `wanted` is false).
    async fn keyed<T: Entity>(
        &self,
        provider: &Provider,
        wanted: bool,
        log: &CallLog,
    ) -> Result<HashMap<String, T>, ProviderFailure> {
        let mut map = HashMap::new();
        if wanted {
            self.scan::<T>(provider, None, log, |r| {
                map.insert(r.source_id().to_owned(), r);
                Ok(())
            })
            .await?;
        }
        Ok(map)
    }

    /// Feed one provider's records of `T` to `each`, a page at a time when the adapter pages
    /// (in `sourceId` order, so pages neither overlap nor skip), else all at once. The filter is
    /// pushed when the adapter evaluates it; `each` must not rely on it having been.
    async fn scan<T: Entity>(
        &self,
        provider: &Provider,
        filter: Option<&Filter>,
        log: &CallLog,
        mut each: impl FnMut(T) -> Result<(), ProviderFailure>,
    ) -> Result<(), ProviderFailure> {
        let capabilities = provider.capabilities(T::COLLECTION);
        let push_filter = filter.is_none_or(|f| covers(&capabilities, f));
        let pages = capabilities.paging && capabilities.order_by;
        // Keyset paging (`sourceId > last`) when the adapter filters on it: each page then
        // costs the same, where an offset makes a database skip every earlier row again.
        let keyset = pages && capabilities.filter_operators.contains(&CompareOp::Gt);
        let mut offset = 0;
        let mut last: Option<String> = None;
        loop {
            let mut request = QueryRequest::all(T::COLLECTION);
            request.filter = filter.filter(|_| push_filter).cloned();
            if pages {
                request.order_by = vec![OrderBy {
                    field: "sourceId".into(),
                    direction: Direction::Asc,
                }];
                request.limit = Some(SCAN_PAGE);
                match (&last, keyset) {
                    (Some(after), true) => {
                        let after = Filter::compare("sourceId", CompareOp::Gt, after.as_str());
                        request.filter = Some(match request.filter.take() {
                            Some(f) => Filter::And(vec![f, after]),
                            None => after,
                        });
                    }
                    _ => request.offset = offset,
                }
            }
            let mut call = CallRecord {
                collection: T::COLLECTION,
                kind: "scan",
                filter_pushed: push_filter && filter.is_some(),
                order_pushed: pages,
                limit: request.limit,
                personal_data: request.include_pii,
                records: 0,
                micros: 0,
                error: None,
            };
            let started = std::time::Instant::now();
            let result = self.query::<T>(provider, request).await;
            call.micros = started.elapsed().as_micros() as u64;
            call.records = result.as_ref().map_or(0, |r| r.0.len());
            call.error = result.as_ref().err().map(|f| f.code);
            log.record(&provider.key, call);
            let (records, _) = result?;
            let count = records.len() as u64;
            last = records.last().map(|r| r.source_id().to_owned());
            for record in records {
                each(record)?;
            }
            if !pages || count < SCAN_PAGE {
                return Ok(());
            }
            offset += count;
        }
    }
}

/// Count a record, mapping an (already validated, so unexpected) filter error to a failure.
fn add<T: Filterable>(
    totals: &mut Accumulator,
    record: &T,
    provider: &str,
) -> Result<(), ProviderFailure> {
    totals.add(record).map(|_| ()).map_err(|e| ProviderFailure {
        provider: provider.to_owned(),
        code: "PROVIDER_ERROR",
        message: format!("cannot evaluate the filter on the adapter's records: {e}"),
    })
}

/// Whether the request's filter, group keys or measures name one of `names`.
fn mentions(request: &AggregateRequest, names: &[&str]) -> bool {
    fn in_filter(filter: &Filter, names: &[&str]) -> bool {
        match filter {
            Filter::And(parts) | Filter::Or(parts) => parts.iter().any(|p| in_filter(p, names)),
            Filter::Not(inner) => in_filter(inner, names),
            Filter::Compare { field, .. } => names.contains(&field.as_str()),
            Filter::Related { .. } => false,
        }
    }
    request.filter.as_ref().is_some_and(|f| in_filter(f, names))
        || request
            .group_by
            .iter()
            .any(|k| names.contains(&k.field.as_str()))
        || request.measures.iter().any(|m| names.contains(&m.as_str()))
}
