//! Filters through relations: `runs whose centre lies in Banten`, `participants with an
//! outcome of EMPLOYED`. A [`Filter::Related`] is resolved here, before any adapter sees the
//! filter: the related collection is listed with the inner filter (itself resolved first), the
//! keys that link the two are collected per provider, and the relation becomes
//! `(provider = p AND <link field> _in [keys at p]) OR ...`, which every adapter can evaluate
//! (and SQL sources push down). Relations never cross providers: a run's centre is at the
//! run's provider.
//!
//! Lists can also be ordered by a field of a to-one relation (`course.name` for runs): the
//! related records are looked up by key, their fields attached to each record
//! ([`Sourced::related`]), and the provider's records sorted here.

use std::collections::BTreeMap;

use async_graphql::futures_util::future::BoxFuture;
use simpul_schema::filter::{FieldValue, FilterError};
use simpul_schema::{
    Collection, CompareOp, Course, CourseRun, CredentialAward, Enrollment, Filter, Literal,
    Outcome, Participant, TrainingCenter,
};

use super::{CallLog, Engine, Entity, Need, ProviderFailure, RequestError, Sourced};
use crate::host::Provider;
use simpul_schema::OrderBy;
use std::collections::HashMap;
use std::sync::Arc;

/// How a record links to the records of a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relation {
    /// The related collection.
    pub target: Collection,
    /// The field of the record that holds the link.
    pub source_field: &'static str,
    /// The field of the related record it must equal.
    pub target_field: &'static str,
}

/// The relations a filter may follow, by collection and name.
pub fn relation(collection: Collection, name: &str) -> Option<Relation> {
    use Collection as C;
    let (target, source_field, target_field) = match (collection, name) {
        (C::CourseRuns, "trainingCenter") => (C::TrainingCenters, "trainingCenterId", "sourceId"),
        (C::CourseRuns, "course") => (C::Courses, "courseId", "sourceId"),
        (C::Courses, "trainingCenter") => (C::TrainingCenters, "trainingCenterId", "sourceId"),
        (C::Enrollments, "courseRun") => (C::CourseRuns, "courseRunId", "sourceId"),
        (C::Enrollments, "participant") => (C::Participants, "participantId", "sourceId"),
        (C::Enrollments, "outcome") => (C::Outcomes, "sourceId", "enrollmentId"),
        (C::Participants, "enrollments") => (C::Enrollments, "sourceId", "participantId"),
        (C::Outcomes, "enrollment") => (C::Enrollments, "enrollmentId", "sourceId"),
        (C::Enrollments, "credentialAwards") => (C::CredentialAwards, "sourceId", "enrollmentId"),
        (C::CredentialAwards, "enrollment") => (C::Enrollments, "enrollmentId", "sourceId"),
        (C::Courses, "program") => (C::Programs, "programId", "sourceId"),
        _ => return None,
    };
    Some(Relation {
        target,
        source_field,
        target_field,
    })
}

impl Engine {
    /// Replace every [`Filter::Related`] in `filter` (on `collection`) by key comparisons.
    /// Providers that fail while the related records are listed are added to `failures`; they
    /// then match nothing.
    pub(crate) fn resolve_relations<'a>(
        &'a self,
        collection: Collection,
        filter: Filter,
        log: &'a CallLog,
        failures: &'a mut Vec<ProviderFailure>,
    ) -> BoxFuture<'a, Result<Filter, RequestError>> {
        Box::pin(async move {
            Ok(match filter {
                Filter::And(parts) => {
                    let mut out = Vec::with_capacity(parts.len());
                    for part in parts {
                        out.push(
                            self.resolve_relations(collection, part, log, failures)
                                .await?,
                        );
                    }
                    Filter::And(out)
                }
                Filter::Or(parts) => {
                    let mut out = Vec::with_capacity(parts.len());
                    for part in parts {
                        out.push(
                            self.resolve_relations(collection, part, log, failures)
                                .await?,
                        );
                    }
                    Filter::Or(out)
                }
                Filter::Not(inner) => Filter::Not(Box::new(
                    self.resolve_relations(collection, *inner, log, failures)
                        .await?,
                )),
                Filter::Compare { .. } => filter,
                Filter::Related {
                    relation: name,
                    filter,
                } => {
                    let link = relation(collection, &name)
                        .ok_or_else(|| FilterError::UnresolvedRelation(name.clone()))?;
                    let keys = self.link_keys(link, *filter, log, failures).await?.ok_or(
                        RequestError::TooManyRelated {
                            relation: name,
                            limit: self.settings.max_relation_keys,
                        },
                    )?;
                    Filter::Or(
                        keys.into_iter()
                            .map(|(provider, keys)| {
                                Filter::And(vec![
                                    Filter::compare("provider", CompareOp::Eq, provider),
                                    Filter::compare(
                                        link.source_field,
                                        CompareOp::In,
                                        Literal::List(keys),
                                    ),
                                ])
                            })
                            .collect(),
                    )
                }
            })
        })
    }

    /// The values of the link field of the related records that match `filter`, by provider;
    /// `None` when more than `max_relation_keys` records match.
    async fn link_keys(
        &self,
        link: Relation,
        filter: Filter,
        log: &CallLog,
        failures: &mut Vec<ProviderFailure>,
    ) -> Result<Option<LinkKeys>, RequestError> {
        match link.target {
            Collection::TrainingCenters => {
                self.keys_of::<TrainingCenter>(link, filter, log, failures)
                    .await
            }
            Collection::Courses => self.keys_of::<Course>(link, filter, log, failures).await,
            Collection::CourseRuns => self.keys_of::<CourseRun>(link, filter, log, failures).await,
            Collection::Participants => {
                self.keys_of::<Participant>(link, filter, log, failures)
                    .await
            }
            Collection::Enrollments => {
                self.keys_of::<Enrollment>(link, filter, log, failures)
                    .await
            }
            Collection::Outcomes => self.keys_of::<Outcome>(link, filter, log, failures).await,
            Collection::CredentialAwards => {
                self.keys_of::<CredentialAward>(link, filter, log, failures)
                    .await
            }
            Collection::Programs => {
                self.keys_of::<simpul_schema::Program>(link, filter, log, failures)
                    .await
            }
            Collection::Partnerships => {
                Err(FilterError::UnresolvedRelation(format!("{:?}", link.target)).into())
            }
        }
    }

    async fn keys_of<T: Entity>(
        &self,
        link: Relation,
        filter: Filter,
        log: &CallLog,
        failures: &mut Vec<ProviderFailure>,
    ) -> Result<Option<LinkKeys>, RequestError> {
        // One more than allowed: enough to know the filter matches too many.
        let most = self.settings.max_relation_keys;
        let listing = self
            .list::<T>(
                Some(filter),
                Vec::new(),
                Need::Top(most.saturating_add(1)),
                log,
            )
            .await?;
        if listing.total > most || listing.items.len() > most {
            return Ok(None);
        }
        failures.extend(listing.failures);
        let mut keys: BTreeMap<String, Vec<Literal>> = BTreeMap::new();
        for item in listing.items {
            if let Some(FieldValue::Text(key)) = item.field(link.target_field) {
                keys.entry(item.provider.to_string())
                    .or_default()
                    .push(Literal::Text(key));
            }
        }
        for list in keys.values_mut() {
            list.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            list.dedup();
        }
        Ok(Some(keys))
    }
}

/// Link keys by provider.
type LinkKeys = BTreeMap<String, Vec<Literal>>;

/// The to-one relation and field of an order key such as `course.name`, if it names one.
pub fn order_path(collection: Collection, key: &str) -> Option<(&str, Relation, &str)> {
    let (name, field) = key.split_once('.')?;
    let link = relation(collection, name)?;
    (link.target_field == "sourceId" && link.target.fields().contains(&field))
        .then_some((name, link, field))
}

impl Engine {
    /// Attach to each record the related fields named by `order_by`'s dotted keys, looked up
    /// at the record's provider.
    pub(crate) async fn attach_related<T: Entity>(
        &self,
        provider: &Provider,
        items: &mut [Sourced<T>],
        order_by: &[OrderBy],
        log: &CallLog,
    ) -> Result<(), ProviderFailure> {
        let mut values: Vec<BTreeMap<String, FieldValue>> = vec![BTreeMap::new(); items.len()];
        for key in order_by.iter().filter(|k| k.field.contains('.')) {
            let Some((_, link, field)) = order_path(T::COLLECTION, &key.field) else {
                continue;
            };
            let link_of = |item: &Sourced<T>| match item.record.field(link.source_field) {
                Some(FieldValue::Text(k)) => Some(k),
                _ => None,
            };
            let mut keys: Vec<String> = items.iter().filter_map(link_of).collect();
            keys.sort();
            keys.dedup();
            let found = self
                .field_by_key(provider, link.target, keys, field, log)
                .await?;
            for (item, slot) in items.iter().zip(values.iter_mut()) {
                let value = link_of(item)
                    .and_then(|k| found.get(&k).cloned())
                    .unwrap_or(FieldValue::Null);
                slot.insert(key.field.clone(), value);
            }
        }
        for (item, related) in items.iter_mut().zip(values) {
            item.related = Some(Arc::new(related));
        }
        Ok(())
    }

    /// `field` of the records of `target` with these keys at one provider.
    async fn field_by_key(
        &self,
        provider: &Provider,
        target: Collection,
        keys: Vec<String>,
        field: &str,
        log: &CallLog,
    ) -> Result<HashMap<String, FieldValue>, ProviderFailure> {
        async fn of<X: Entity>(
            engine: &Engine,
            provider: &Provider,
            keys: Vec<String>,
            field: &str,
            log: &CallLog,
        ) -> Result<HashMap<String, FieldValue>, ProviderFailure> {
            Ok(engine
                .get::<X>(&provider.key, keys, log)
                .await?
                .into_iter()
                .map(|r| {
                    let value = r.record.field(field).unwrap_or(FieldValue::Null);
                    (r.record.source_id().to_owned(), value)
                })
                .collect())
        }
        match target {
            Collection::TrainingCenters => {
                of::<TrainingCenter>(self, provider, keys, field, log).await
            }
            Collection::Courses => of::<Course>(self, provider, keys, field, log).await,
            Collection::CourseRuns => of::<CourseRun>(self, provider, keys, field, log).await,
            Collection::Participants => of::<Participant>(self, provider, keys, field, log).await,
            Collection::Enrollments => of::<Enrollment>(self, provider, keys, field, log).await,
            Collection::Outcomes => of::<Outcome>(self, provider, keys, field, log).await,
            Collection::Partnerships => {
                of::<simpul_schema::Partnership>(self, provider, keys, field, log).await
            }
            Collection::CredentialAwards => {
                of::<CredentialAward>(self, provider, keys, field, log).await
            }
            Collection::Programs => {
                of::<simpul_schema::Program>(self, provider, keys, field, log).await
            }
        }
    }
}
