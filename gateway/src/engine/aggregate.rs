//! Aggregates across providers: each provider's groups, summarised by its adapter when it
//! declares the view (`Capabilities.aggregates`, e.g. BBPLK's SQL) or by the engine from its
//! records otherwise, then merged into one answer.
//!
//! `provider` is a group key the engine handles itself: adapters group by everything else, and
//! their groups are tagged with the provider key before merging. When the engine summarises a
//! provider's records itself, [`super::summary`] reads them.

use std::collections::HashMap;

use async_graphql::futures_util::future::join_all;
use simpul_schema::analytics::{
    Accumulator, AggregateRequest, AggregateResponse, AggregateView, Group,
};
use simpul_schema::filter;
use simpul_schema::{AdapterRequest, AdapterResponse, Filter, Literal};

use super::{bind_provider, is_always_false, CallLog, CallRecord, Engine};
use super::{ProviderFailure, RequestError};
use crate::host::Provider;

/// The group key that names the provider.
pub const PROVIDER: &str = "provider";

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
            && provider.aggregate_pushdown
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
            fields: None,
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
}
