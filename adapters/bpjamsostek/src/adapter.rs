//! [`BpjamsostekAdapter`]: the plugin's [`Adapter`] implementation, its manifest and
//! capabilities.
//!
//! # Capabilities: why `full()` everywhere
//!
//! The API filters few things natively (partner type/region/status, programme
//! centre/year/method, enrolments by programme and status, placements by programme/status/date)
//! and sorts nothing but by id; its data sets are small (hundreds of records). So every
//! collection declares [`CollectionCapabilities::full`] and the adapter answers every filter,
//! sort, page and id lookup itself with [`simpul_schema::filter::apply`], the reference
//! semantics, over the fetched collection. That keeps one code path and exact answers. It holds
//! for all eight collections, `credentialAwards` included (awards are mapped from the
//! programmes and enrolments, the same fetch as enrolments).
//!
//! Fetched collections are reused for `cache_ttl_ms`, so most queries make no HTTP call at all.
//! With `cache_ttl_ms = 0` every query fetches, and the filters the API understands are pushed
//! down first ([`crate::pushdown`]) to fetch less; the full filter still runs afterwards. The
//! calls of one gateway request (`QueryRequest::request_id`) share their reads
//! ([`crate::shared_reads`]): a request lists each endpoint once.
//!
//! Each call that waits on HTTP continues on the instance's runtime under the host's deadline;
//! each HTTP request also has its own deadline (`timeout_ms`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use simpul_plugin::sdk::{Adapter, Host};
use simpul_plugin::{AdapterError, Capabilities, CollectionCapabilities, Manifest, ProviderInfo};
use simpul_schema::filter;
use simpul_schema::{
    AdapterRequest, AdapterResponse, Collection, MembershipResponse, ProviderKind, QueryRequest,
    QueryResponse, SourceKind, SourceStatus,
};
use tokio::sync::Mutex;

use crate::client::Client;
use crate::identity::ParticipantKeys;
use crate::log::Log;
use crate::mapping::{map_membership, BpjamsostekData, SocialSecurityMembership};
use crate::pushdown::pushdown;
use crate::source::{Needs, Source};
use crate::{BpjamsostekConfig, Error};

/// Version of the BPJAMSOSTEK provider contract (openapi.yaml `info.version`) implemented.
pub const CONTRACT_VERSION: &str = "1.2.0";

/// The BPJAMSOSTEK adapter: an API client, cached collections, and the mapping.
#[derive(Debug)]
pub struct BpjamsostekAdapter {
    source: Source,
    keys: ParticipantKeys,
    ttl: Duration,
    log: Log,
    /// Eligibility checks by participant key (never by KPJ), kept for `cache_ttl_ms`.
    memberships: Mutex<HashMap<String, (Instant, Option<SocialSecurityMembership>)>>,
}

impl BpjamsostekAdapter {
    /// An adapter for `config`, logging nowhere (for in-process use and tests).
    ///
    /// # Errors
    /// [`Error::Config`] when the config is unusable. The API is not contacted.
    pub fn new(config: BpjamsostekConfig) -> Result<Self, Error> {
        Self::with_log(config, Log::none())
    }

    /// An adapter for `config` logging to `log`.
    ///
    /// # Errors
    /// As [`BpjamsostekAdapter::new`].
    pub fn with_log(config: BpjamsostekConfig, log: Log) -> Result<Self, Error> {
        let client = Client::new(&config, log)?;
        let ttl = Duration::from_millis(config.cache_ttl_ms);
        Ok(Self {
            source: Source::new(client, ttl),
            keys: ParticipantKeys::new(&config.identity_secret),
            ttl,
            log,
            memberships: Mutex::new(HashMap::new()),
        })
    }

    /// Answer a query from the (cached) collections.
    ///
    /// # Errors
    /// A filter or sort that does not fit the collection ([`Error::Filter`], checked before any
    /// HTTP call), or the API failing.
    pub async fn query(&self, request: &QueryRequest) -> Result<QueryResponse, Error> {
        filter::validate(request, request.collection.fields())?;
        let needs = match request.collection {
            Collection::TrainingCenters | Collection::Partnerships => Needs::Partners,
            Collection::Courses | Collection::CourseRuns => Needs::Programmes,
            Collection::Participants | Collection::Enrollments | Collection::CredentialAwards => {
                Needs::Enrolments
            }
            Collection::Outcomes => Needs::Everything,
            // No programme catalogue (one programme is one course and its run); the manifest
            // does not declare it, so only a caller that ignores the manifest gets here.
            Collection::Programs => {
                return Ok(QueryResponse {
                    records: simpul_schema::Records::Programs(Vec::new()),
                    total_count: 0,
                    next: None,
                })
            }
        };
        let snapshot = self
            .source
            .snapshot(needs, &pushdown(request), request.request_id.as_deref())
            .await?;
        let data =
            BpjamsostekData::map_for(snapshot.records(), &self.keys, Some(request.collection));
        Ok(data.query(request)?)
    }

    /// Everything, mapped (every endpoint fetched or reused).
    ///
    /// # Errors
    /// The API failing.
    pub async fn data(&self) -> Result<BpjamsostekData, Error> {
        let snapshot = self
            .source
            .snapshot(Needs::Everything, &Default::default(), None)
            .await?;
        Ok(BpjamsostekData::map(snapshot.inputs(), &self.keys))
    }

    /// Freshness, counts and every skipped record, for `/readyz`.
    ///
    /// # Errors
    /// The API failing.
    pub async fn status(&self) -> Result<SourceStatus, Error> {
        let data = self.data().await?;
        for issue in &data.issues {
            self.log
                .warn(&format!("rejected from {}: {}", issue.source, issue.reason));
        }
        Ok(data.status())
    }

    /// The eligibility check (`GET /v1/peserta/{kpj}`) for one KPJ, mapped; `None` when the API
    /// does not know the KPJ. Results are kept for `cache_ttl_ms` under the participant key
    /// (never the KPJ). Ask only for KPJs the caller is authorised for.
    ///
    /// # Errors
    /// [`Error::InvalidKpj`] unless the KPJ is 11 digits; the API failing (403 when the key
    /// lacks `kepesertaan:read`).
    pub async fn membership(&self, kpj: &str) -> Result<Option<SocialSecurityMembership>, Error> {
        let key = self.keys.for_kpj(kpj).ok_or(Error::InvalidKpj)?;
        if let Some((at, found)) = self.memberships.lock().await.get(&key) {
            if at.elapsed() < self.ttl {
                return Ok(found.clone());
            }
        }
        let found = self
            .source
            .kepesertaan(kpj)
            .await?
            .map(|k| map_membership(&k));
        if !self.ttl.is_zero() {
            self.memberships
                .lock()
                .await
                .insert(key, (Instant::now(), found.clone()));
        }
        Ok(found)
    }

    /// The eligibility check of a participant by its local key (`k…`). `None` when the
    /// participant is unknown, has no valid KPJ (keyed on its enrolment), or the API does not
    /// know the KPJ.
    ///
    /// # Errors
    /// As [`BpjamsostekAdapter::membership`], plus fetching the enrolments.
    pub async fn participant_membership(
        &self,
        participant_id: &str,
    ) -> Result<Option<SocialSecurityMembership>, Error> {
        let snapshot = self
            .source
            .snapshot(Needs::Enrolments, &Default::default(), None)
            .await?;
        let data = BpjamsostekData::map(snapshot.inputs(), &self.keys);
        match data.kpj_by_participant.get(participant_id) {
            Some(kpj) => self.membership(kpj).await,
            None => Ok(None),
        }
    }
}

impl Adapter for BpjamsostekAdapter {
    type Config = BpjamsostekConfig;

    fn manifest() -> Manifest {
        let every = Collection::ALL
            .iter()
            .filter(|c| **c != Collection::Programs)
            .map(|c| (*c, CollectionCapabilities::full()))
            .collect();
        Manifest {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            provider: ProviderInfo {
                key: "bpjamsostek".into(),
                name: "BPJAMSOSTEK Vokasi".into(),
                kind: ProviderKind::SocialSecurityAgency,
                source_kind: SourceKind::RestApi,
                contract_version: CONTRACT_VERSION.into(),
            },
            capabilities: Capabilities {
                collections: every,
                aggregates: Vec::new(),
                memberships: true,
            },
            encodings: simpul_plugin::Encoding::names(),
            config_schema: serde_json::to_value(schemars::schema_for!(BpjamsostekConfig))
                .unwrap_or_default(),
        }
    }

    async fn create(config: BpjamsostekConfig, host: Host) -> Result<Self, AdapterError> {
        let log = Log::host(host);
        let base = config.base_url.clone();
        let adapter = Self::with_log(config, log)?;
        log.info(&format!(
            "BPJAMSOSTEK adapter ready for {base} (the API is contacted on the first call)"
        ));
        Ok(adapter)
    }

    async fn handle(&self, request: AdapterRequest) -> Result<AdapterResponse, AdapterError> {
        let answer = match request {
            AdapterRequest::Status => self.status().await.map(AdapterResponse::Status),
            AdapterRequest::Query(query) => self.query(&query).await.map(AdapterResponse::Query),
            AdapterRequest::Aggregate(_) => return Err(AdapterError::unsupported("aggregation")),
            AdapterRequest::Membership(asked) => self
                .membership(&asked.kpj)
                .await
                .map(|membership| AdapterResponse::Membership(MembershipResponse { membership })),
        };
        answer.map_err(|e| {
            if matches!(e, Error::Unauthorized { .. } | Error::Forbidden { .. }) {
                self.log.warn(&e.to_string());
            }
            AdapterError::from(e)
        })
    }
}
