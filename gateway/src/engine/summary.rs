//! Aggregates the engine computes itself, for providers whose adapter does not declare the
//! view: it reads the records page by page ([`SCAN_PAGE`], by the adapter's cursor or keyset on
//! `sourceId` where the adapter can, no total asked for) and keeps only the groups. For the enrolment view it
//! also holds the runs, courses and centres an enrolment is joined with, and looks up the
//! participants and outcomes of each page (held whole only from an adapter that cannot find
//! them by key). It reads only the enrolments of the runs the filter can still match
//! ([`RunScope`]), and the outcomes only of those whose participant can still match it.

mod pages;
mod scope;

use std::collections::HashMap;

use simpul_schema::analytics::{
    Accumulator, AggregateRequest, AggregateResponse, AggregateView, EnrollmentFact, Group, Related,
};
use simpul_schema::filter::Filterable;
use simpul_schema::{
    Collection, CompareOp, Course, CourseRun, Enrollment, Filter, Literal, Outcome, Participant,
    QueryRequest, TrainingCenter,
};

use super::{CallLog, CallRecord, Engine, Entity, ProviderFailure};
use crate::host::Provider;
use pages::{EnrollmentPages, Scanner};
use scope::RunScope;

/// Records per page when the engine reads a collection to summarise it.
pub const SCAN_PAGE: u64 = 10_000;

/// Fields of the enrollment view that come from the enrolment record itself (besides its
/// keys, `participantId` and `courseRunId`, which the joins read).
const ENROLLMENT_FIELDS: &[&str] = &[
    "status",
    "route",
    "registeredOn",
    "finalScore",
    "attendancePercent",
];

/// What the enrolment view reads of an outcome (`coarse_outcome` keeps no more).
const OUTCOME_FIELDS: &[&str] = &["enrollmentId", "status", "observedAt"];

/// Fields of the enrollment view that come from the participant.
const PARTICIPANT_FIELDS: &[&str] = &[
    "sex",
    "birthYear",
    "domicileRegencyCode",
    "employmentStatusAtRegistration",
];

impl Engine {
    /// Summarise one provider's records here, reading them page by page.
    pub(super) async fn summarise(
        &self,
        provider: &Provider,
        request: &AggregateRequest,
        log: &CallLog,
    ) -> Result<AggregateResponse, ProviderFailure> {
        let mut totals = Accumulator::new(request);
        if let Some(count) = self.bare_count(provider, request, log).await? {
            if count > 0 {
                totals.merge(Group {
                    key: Vec::new(),
                    count,
                    measures: Vec::new(),
                });
            }
            return Ok(totals.finish());
        }
        let filter = request.filter.as_ref();
        let key = &provider.key;
        match request.view {
            AggregateView::Participants => {
                self.scan::<Participant>(provider, filter, read::<Participant>(request), log, |r| {
                    add(&mut totals, &r, key)
                })
                .await?
            }
            AggregateView::CourseRuns => {
                self.scan::<CourseRun>(provider, filter, read::<CourseRun>(request), log, |r| {
                    add(&mut totals, &r, key)
                })
                .await?
            }
            AggregateView::Courses => {
                self.scan::<Course>(provider, filter, read::<Course>(request), log, |r| {
                    add(&mut totals, &r, key)
                })
                .await?
            }
            AggregateView::TrainingCenters => {
                self.scan::<TrainingCenter>(
                    provider,
                    filter,
                    read::<TrainingCenter>(request),
                    log,
                    |r| add(&mut totals, &r, key),
                )
                .await?
            }
            AggregateView::Enrollments => {
                self.summarise_enrollments(provider, request, &mut totals, log)
                    .await?
            }
        }
        Ok(totals.finish())
    }

    /// A count alone (no filter, group or measure: what [`Engine::population`] asks) is the
    /// total of the view's collection, one call asking for no record, where the adapter pages
    /// (each view counts its collection's records one for one); `None` otherwise, and the
    /// records are read.
    async fn bare_count(
        &self,
        provider: &Provider,
        request: &AggregateRequest,
        log: &CallLog,
    ) -> Result<Option<u64>, ProviderFailure> {
        let unfiltered = match &request.filter {
            None => true,
            Some(Filter::And(parts)) => parts.is_empty(),
            Some(_) => false,
        };
        if !unfiltered || !request.group_by.is_empty() || !request.measures.is_empty() {
            return Ok(None);
        }
        Ok(match request.view {
            AggregateView::Participants => self.total::<Participant>(provider, log).await?,
            AggregateView::CourseRuns => self.total::<CourseRun>(provider, log).await?,
            AggregateView::Courses => self.total::<Course>(provider, log).await?,
            AggregateView::TrainingCenters => self.total::<TrainingCenter>(provider, log).await?,
            AggregateView::Enrollments => self.total::<Enrollment>(provider, log).await?,
        })
    }

    /// How many records of `T` the provider serves, from the total of a query for none of
    /// them; `None` when the adapter does not page (it would send them all).
    async fn total<T: Entity>(
        &self,
        provider: &Provider,
        log: &CallLog,
    ) -> Result<Option<u64>, ProviderFailure> {
        if !provider.capabilities(T::COLLECTION).paging {
            return Ok(None);
        }
        let mut request = QueryRequest::all(T::COLLECTION);
        request.limit = Some(0);
        let call = CallRecord::new("count", &request, false, false);
        let answer = self.query_logged::<T>(provider, request, call, log).await?;
        Ok(Some(answer.total as u64))
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
            self.scan::<T>(provider, None, None, log, |r| {
                map.insert(r.source_id().to_owned(), r);
                Ok(())
            })
            .await?;
        }
        Ok(map)
    }

    /// Feed one provider's records of `T` to `each` (see [`Scanner`]). The filter is pushed
    /// when the adapter evaluates it; `each` must not rely on it having been. `fields` (see
    /// [`read`]) are all `each` reads of a record besides `sourceId`; `None`: anything.
    async fn scan<T: Entity>(
        &self,
        provider: &Provider,
        filter: Option<&Filter>,
        fields: Option<Vec<&str>>,
        log: &CallLog,
        mut each: impl FnMut(T) -> Result<(), ProviderFailure>,
    ) -> Result<(), ProviderFailure> {
        let mut pages = Scanner::new(provider, filter.cloned(), fields);
        while let Some(page) = pages.next::<T>(self, log).await? {
            for record in page {
                each(record)?;
            }
        }
        Ok(())
    }

    /// The enrolment view at one provider, joined here. Runs, courses and centres (few) are
    /// held whole. Participants and outcomes (as many as the enrolments) are looked up for each
    /// page of enrolments when the adapter finds them by key (participants by id, outcomes by
    /// `enrollmentId` `in`), so that memory holds two pages' worth (the next page is read while
    /// a page's participants and outcomes are looked up, all three at once); otherwise they are
    /// held whole. Either way only when the request names one of their fields. Only the
    /// enrolments of the runs in the filter's [`RunScope`] are read, where the adapter filters
    /// them.
    async fn summarise_enrollments(
        &self,
        provider: &Provider,
        request: &AggregateRequest,
        totals: &mut Accumulator,
        log: &CallLog,
    ) -> Result<(), ProviderFailure> {
        let key = &provider.key;
        let needs = |names: &[&str]| mentions(request, names);
        let runs = self.keyed::<CourseRun>(provider, true, log).await?;
        let courses = self.keyed::<Course>(provider, true, log).await?;
        let centers = self.keyed::<TrainingCenter>(provider, true, log).await?;
        let want_people = needs(PARTICIPANT_FIELDS);
        let want_outcomes = needs(&["outcomeStatus", "monthsToOutcome"]);
        let people_by_page = provider.capabilities(Collection::Participants).lookup_by_id;
        let outcomes_by_page = provider
            .capabilities(Collection::Outcomes)
            .filter_operators
            .contains(&CompareOp::In);
        let mut all_people = HashMap::new();
        if want_people && !people_by_page {
            self.scan::<Participant>(provider, None, None, log, |p| {
                all_people.insert(p.source_id.clone(), coarse(p));
                Ok(())
            })
            .await?;
        }
        let mut all_outcomes = HashMap::new();
        if want_outcomes && !outcomes_by_page {
            self.scan::<Outcome>(provider, None, None, log, |o| {
                all_outcomes.insert(o.enrollment_id.clone(), coarse_outcome(o));
                Ok(())
            })
            .await?;
        }
        // What the request names of the participant and of the enrolment: the projections
        // sent where the adapter declares them (none when the filter looks at related records).
        let (named, related) = named(request);
        let of = |fields: &[&'static str]| -> Vec<&'static str> {
            fields
                .iter()
                .copied()
                .filter(|f| named.contains(f))
                .collect()
        };
        let people_fields =
            (!related && provider.capabilities(Collection::Participants).projection).then(|| {
                of(PARTICIPANT_FIELDS)
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            });
        let enrollment_fields = (!related).then(|| {
            let mut fields = vec!["participantId", "courseRunId"];
            fields.extend(of(ENROLLMENT_FIELDS));
            fields
        });
        let batch = self.settings.max_relation_keys.max(1);
        let in_scope = match RunScope::of(request.filter.as_ref(), &runs, &courses, &centers, batch)
        {
            RunScope::Nothing => return Ok(()),
            RunScope::Runs(lists)
                if provider
                    .capabilities(Collection::Enrollments)
                    .filter_operators
                    .contains(&CompareOp::In) =>
            {
                Some(lists)
            }
            RunScope::Runs(_) | RunScope::Every => None,
        };
        let lookups = PageLookups {
            people: (want_people && people_by_page).then_some(people_fields),
            outcomes: want_outcomes && outcomes_by_page,
            of_people: scope::parts_naming(request.filter.as_ref(), PARTICIPANT_FIELDS),
            batch,
        };
        let mut pages = EnrollmentPages::new(provider, enrollment_fields, in_scope);
        let mut page = pages.next(self, log).await?;
        while let Some(current) = page {
            // The next page is read while this one's participants and outcomes are looked up.
            let (next, looked_up) = tokio::join!(
                pages.next(self, log),
                self.related_of(provider, &current, &lookups, &all_people, log),
            );
            let (people, outcomes) = looked_up?;
            let people = people.as_ref().unwrap_or(&all_people);
            let outcomes = outcomes.as_ref().unwrap_or(&all_outcomes);
            for e in current {
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
                add(totals, &fact, key)?;
            }
            page = next?;
        }
        Ok(())
    }

    /// The participants and outcomes of a page of enrolments, where they are looked up per
    /// page ([`PageLookups`]; `None` otherwise). Outcomes are looked up only for the enrolments
    /// whose participant (from `all_people` when not looked up) passes the filter's parts on
    /// the participant alone: the others fail the filter whatever their outcome. Without such
    /// parts both are looked up at once.
    async fn related_of(
        &self,
        provider: &Provider,
        page: &[Enrollment],
        lookups: &PageLookups,
        all_people: &HashMap<String, Participant>,
        log: &CallLog,
    ) -> Result<PageRelated, ProviderFailure> {
        let batch = lookups.batch;
        let people = async {
            match &lookups.people {
                Some(fields) => {
                    let fields = fields.as_deref();
                    let found = self.people_of(provider, page, fields, batch, log).await;
                    found.map(Some)
                }
                None => Ok(None),
            }
        };
        if !lookups.outcomes {
            return Ok((people.await?, None));
        }
        let Some(of_people) = &lookups.of_people else {
            let all: Vec<&str> = page.iter().map(|e| e.source_id.as_str()).collect();
            let outcomes = self.outcomes_of(provider, &all, batch, log);
            let (people, outcomes) = tokio::join!(people, outcomes);
            return Ok((people?, Some(outcomes?)));
        };
        let people = people.await?;
        let known = people.as_ref().unwrap_or(all_people);
        let may_pass = |e: &&Enrollment| {
            let related = Related {
                participant: known.get(&e.participant_id),
                ..Related::default()
            };
            // An error is left to the accumulator, which reports it.
            simpul_schema::filter::matches(&EnrollmentFact::of_related(related), of_people)
                .unwrap_or(true)
        };
        let wanted: Vec<&str> = page
            .iter()
            .filter(may_pass)
            .map(|e| e.source_id.as_str())
            .collect();
        let outcomes = self.outcomes_of(provider, &wanted, batch, log).await?;
        Ok((people, Some(outcomes)))
    }

    /// The participants of a page of enrolments by id, looked up `batch` keys at a time, with
    /// only `fields` filled where the adapter projects participants.
    async fn people_of(
        &self,
        provider: &Provider,
        page: &[Enrollment],
        fields: Option<&[String]>,
        batch: usize,
        log: &CallLog,
    ) -> Result<HashMap<String, Participant>, ProviderFailure> {
        let mut ids: Vec<String> = page.iter().map(|e| e.participant_id.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut people = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(batch) {
            let mut lookup = QueryRequest::all(Collection::Participants);
            lookup.ids = Some(chunk.to_vec());
            lookup.fields = fields.map(<[String]>::to_vec);
            let call = CallRecord::new("lookup", &lookup, true, true);
            let found = self
                .query_logged::<Participant>(provider, lookup, call, log)
                .await?;
            for p in found.records {
                people.insert(p.source_id.clone(), coarse(p));
            }
        }
        Ok(people)
    }

    /// The outcomes of enrolments by enrolment id (`enrollmentId _in`, `batch` at a time).
    async fn outcomes_of(
        &self,
        provider: &Provider,
        enrollments: &[&str],
        batch: usize,
        log: &CallLog,
    ) -> Result<HashMap<String, Outcome>, ProviderFailure> {
        let mut outcomes = HashMap::new();
        for chunk in enrollments.chunks(batch) {
            let ids = chunk.iter().map(|id| Literal::Text((*id).to_owned()));
            let of_page =
                Filter::compare("enrollmentId", CompareOp::In, Literal::List(ids.collect()));
            let fields = Some(OUTCOME_FIELDS.to_vec());
            self.scan::<Outcome>(provider, Some(&of_page), fields, log, |o| {
                outcomes.insert(o.enrollment_id.clone(), coarse_outcome(o));
                Ok(())
            })
            .await?;
        }
        Ok(outcomes)
    }
}

/// What the enrolment view looks up for each page of enrolments.
struct PageLookups {
    /// Participants, with the fields to ask for (`None`: all); `None`: not per page.
    people: Option<Option<Vec<String>>>,
    /// Outcomes, by `enrollmentId _in`.
    outcomes: bool,
    /// The filter's parts on the participant alone ([`scope::parts_naming`]).
    of_people: Option<Filter>,
    /// Most keys in one lookup.
    batch: usize,
}

/// A page's participants and outcomes, each `None` when not looked up per page.
type PageRelated = (
    Option<HashMap<String, Participant>>,
    Option<HashMap<String, Outcome>>,
);

/// A participant with only the coarse attributes the enrolment view reads.
fn coarse(mut p: Participant) -> Participant {
    (p.warnings, p.person_key, p.nik_masked, p.kpj_masked) = (Vec::new(), None, None, None);
    p.union_membership = None;
    p
}

/// An outcome with only what the enrolment view reads.
fn coarse_outcome(mut o: Outcome) -> Outcome {
    (o.warnings, o.raw_status) = (Vec::new(), String::new());
    (o.employer_name, o.job_title, o.business_type, o.source) = (None, None, None, None);
    o
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

/// The fields of `T` an aggregate's [`Accumulator`] reads, for a scan's `fields`; `None`
/// (every field) when the filter reaches into a related collection.
fn read<T: Entity>(request: &AggregateRequest) -> Option<Vec<&str>> {
    let (mut names, related) = named(request);
    if related {
        return None;
    }
    names.retain(|n| *n != "sourceId" && T::FIELDS.contains(n));
    names.sort_unstable();
    names.dedup();
    Some(names)
}

/// Whether the request's filter, group keys or measures name one of `names`.
fn mentions(request: &AggregateRequest, names: &[&str]) -> bool {
    named(request).0.iter().any(|n| names.contains(n))
}

/// The fields the request's filter compares, its group keys and its measures; and whether the
/// filter also has a condition on a related collection (whose fields are not listed).
fn named(request: &AggregateRequest) -> (Vec<&str>, bool) {
    fn walk<'a>(filter: &'a Filter, out: &mut Vec<&'a str>) -> bool {
        match filter {
            Filter::And(parts) | Filter::Or(parts) => {
                // Every part, so that all the compared fields are listed.
                let mut related = false;
                for part in parts {
                    related |= walk(part, out);
                }
                related
            }
            Filter::Not(inner) => walk(inner, out),
            Filter::Compare { field, .. } => {
                out.push(field);
                false
            }
            Filter::Related { .. } => true,
        }
    }
    let mut names = Vec::new();
    let related = request.filter.as_ref().is_some_and(|f| walk(f, &mut names));
    names.extend(request.group_by.iter().map(|k| k.field.as_str()));
    names.extend(request.measures.iter().map(String::as_str));
    (names, related)
}
