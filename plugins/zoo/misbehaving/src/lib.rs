//! A real adapter that misbehaves as its config says: panics in `create` or in a call (at the
//! first poll, or after waiting on a timer), hangs past the deadline (asynchronously, or by
//! blocking its thread, at once or after an await), fails its first calls with `SOURCE_UNAVAILABLE` (flaky), sends
//! personal data it was not asked for (leaky), sends a cursor that never moves (stuck cursor),
//! leaves out a field a projection asks for (wrong projection), gives every call of a request
//! id its first answer (answers by request), or behaves. When it answers, it
//! serves one training centre (and, when leaky, one participant).

use std::time::Duration;

use serde::Deserialize;
use simpul_plugin::sdk::{Adapter, Host};
use simpul_plugin::{AdapterError, Capabilities, CollectionCapabilities, Manifest, ProviderInfo};
use simpul_schema::{
    AdapterRequest, AdapterResponse, Collection, InstitutionType, Participant, ParticipantPii,
    ProviderKind, QueryResponse, Records, SourceKind, SourceStatus, TrainingCenter,
};

/// What to do wrong.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Serve one training centre.
    Healthy,
    /// Panic inside `create`.
    PanicOnCreate,
    /// Panic at the first poll of every call.
    PanicOnCall,
    /// Wait on a timer, then panic.
    PanicAfterIo,
    /// Never answer (an async wait that honours cancellation).
    Hang,
    /// Fail the first `fail_first` calls with `SOURCE_UNAVAILABLE`, then behave.
    Flaky,
    /// Wait on a timer, then block the plugin's thread for `block_ms`, ignoring the deadline
    /// (the host must give up on its own).
    Block,
    /// Block the thread for `block_ms` at once, before any `.await`, in every query (work a
    /// plugin does synchronously: only this provider may wait for it, never the gateway).
    BlockAtOnce,
    /// Serve one participant too, with personal data in clear whether or not the request asks
    /// for it (the gateway must drop it and count the fault).
    Leaky,
    /// Answer every participant query with a full page of new participants and the same
    /// cursor (`next`), whatever `after` says: a scan that trusted it would never end.
    StuckCursor,
    /// Declare a projection for training centres (as every mode does) and, given `fields`,
    /// leave `active` empty even when it is asked for.
    WrongProjection,
    /// Keep the first answer to a `requestId` and give it to every later query with that id,
    /// whatever it asks (a memo of a request's reads keyed by the id alone).
    AnswersByRequest,
}

/// Config.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// What to do wrong.
    pub mode: Mode,
    /// How long `block` blocks, in milliseconds.
    #[serde(default)]
    pub block_ms: u64,
    /// How many calls `flaky` fails before it behaves.
    #[serde(default)]
    pub fail_first: u32,
}

/// The adapter.
pub struct Misbehaving {
    config: Config,
    host: Host,
    calls: std::sync::atomic::AtomicU32,
    /// `answers_by_request`: the first answer per request id.
    answers: std::sync::Mutex<std::collections::HashMap<String, AdapterResponse>>,
}

impl Adapter for Misbehaving {
    type Config = Config;

    fn manifest() -> Manifest {
        let mut capabilities = Capabilities::default();
        // Filling every field is a correct projection; `wrong_projection` breaks it.
        capabilities.collections.insert(
            Collection::TrainingCenters,
            CollectionCapabilities {
                projection: true,
                ..CollectionCapabilities::full()
            },
        );
        capabilities.collections.insert(
            Collection::Participants,
            CollectionCapabilities {
                cursor: true,
                ..CollectionCapabilities::full()
            },
        );
        Manifest {
            name: "simpul-zoo-misbehaving".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            provider: ProviderInfo {
                key: "zoo".into(),
                name: "Zoo (test provider)".into(),
                kind: ProviderKind::Other,
                source_kind: SourceKind::Other,
                contract_version: "0".into(),
            },
            capabilities,
            encodings: vec![simpul_plugin::ENCODING_JSON.to_owned()],
            config_schema: serde_json::json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["mode"],
                "properties": {
                    "mode": { "enum": ["healthy", "panic_on_create", "panic_on_call", "panic_after_io", "hang", "block", "block_at_once", "flaky", "leaky", "stuck_cursor", "wrong_projection", "answers_by_request"] },
                    "fail_first": { "type": "integer", "minimum": 0 },
                    "block_ms": { "type": "integer", "minimum": 0 }
                }
            }),
        }
    }

    async fn create(config: Config, host: Host) -> Result<Self, AdapterError> {
        if config.mode == Mode::PanicOnCreate {
            panic!("zoo: panic in create, as configured");
        }
        host.info("zoo adapter created");
        Ok(Self {
            config,
            host,
            calls: std::sync::atomic::AtomicU32::new(0),
            answers: Default::default(),
        })
    }

    async fn handle(&self, request: AdapterRequest) -> Result<AdapterResponse, AdapterError> {
        let by_request = match &request {
            AdapterRequest::Query(q) if self.config.mode == Mode::AnswersByRequest => {
                q.request_id.clone()
            }
            _ => None,
        };
        if let Some(id) = &by_request {
            let answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(answer) = answers.get(id) {
                return Ok(answer.clone());
            }
        }
        let answer = self.answer(request).await?;
        if let Some(id) = by_request {
            let mut answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
            answers.entry(id).or_insert_with(|| answer.clone());
        }
        Ok(answer)
    }
}

impl Misbehaving {
    async fn answer(&self, request: AdapterRequest) -> Result<AdapterResponse, AdapterError> {
        match self.config.mode {
            Mode::PanicOnCall => panic!("zoo: panic in call, as configured"),
            Mode::PanicAfterIo => {
                tokio::time::sleep(Duration::from_millis(5)).await;
                panic!("zoo: panic after I/O, as configured");
            }
            Mode::Hang => std::future::pending::<()>().await,
            Mode::Block => {
                tokio::time::sleep(Duration::from_millis(1)).await;
                std::thread::sleep(Duration::from_millis(self.config.block_ms));
            }
            Mode::BlockAtOnce if matches!(request, AdapterRequest::Query(_)) => {
                self.host
                    .warn("zoo: blocking the thread now, as configured");
                std::thread::sleep(Duration::from_millis(self.config.block_ms));
            }
            Mode::Flaky => {
                let query = !matches!(request, AdapterRequest::Status);
                let call = if query {
                    self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                } else {
                    u32::MAX
                };
                if call < self.config.fail_first {
                    return Err(AdapterError::new(
                        "SOURCE_UNAVAILABLE",
                        format!("zoo: failing call {}, as configured", call + 1),
                    ));
                }
            }
            Mode::Healthy
            | Mode::PanicOnCreate
            | Mode::Leaky
            | Mode::BlockAtOnce
            | Mode::StuckCursor
            | Mode::WrongProjection
            | Mode::AnswersByRequest => {}
        }
        let center = TrainingCenter {
            source_id: "ZOO-1".into(),
            warnings: Vec::new(),
            name: "Balai Uji Zoo (fiktif)".into(),
            alternate_names: Vec::new(),
            institution_type: InstitutionType::Other,
            sector: None,
            supervisor_id: None,
            address: None,
            founded_year: None,
            area_hectares: None,
            facilities: Vec::new(),
            fields: Vec::new(),
            licenses: Vec::new(),
            years_of_experience: None,
            meets_vokasi_partner_criteria: None,
            contact: None,
            active: Some(true),
        };
        Ok(match request {
            AdapterRequest::Status => AdapterResponse::Status(SourceStatus::default()),
            AdapterRequest::Aggregate(_) => return Err(AdapterError::unsupported("aggregation")),
            AdapterRequest::Membership(_) => {
                return Err(AdapterError::unsupported("membership lookups"))
            }
            AdapterRequest::Query(query) => {
                let bad = |e: simpul_schema::filter::FilterError| {
                    AdapterError::new("BAD_REQUEST", e.to_string())
                };
                let mut next = None;
                let (records, total) = match query.collection {
                    Collection::TrainingCenters => {
                        let (mut records, total) =
                            simpul_schema::filter::apply(&[center], &query).map_err(bad)?;
                        if self.config.mode == Mode::WrongProjection && query.fields.is_some() {
                            records.iter_mut().for_each(|c| c.active = None);
                        }
                        (Records::TrainingCenters(records), total)
                    }
                    Collection::Participants if self.config.mode == Mode::Leaky => {
                        // One participant; its cursor is its id, and after it there is none.
                        let served = match query.after.as_deref() {
                            None => vec![leaked_participant()],
                            Some("ZOO-P-1") => Vec::new(),
                            Some(_) => {
                                return Err(AdapterError::new(
                                    "BAD_REQUEST",
                                    "`after` is not a cursor this adapter gave",
                                ))
                            }
                        };
                        let (records, total) =
                            simpul_schema::filter::apply(&served, &query).map_err(bad)?;
                        if query.limit.is_some() && query.order_by.is_empty() {
                            next = records.last().map(|p| p.source_id.clone());
                        }
                        (Records::Participants(records), total)
                    }
                    Collection::Participants if self.config.mode == Mode::StuckCursor => {
                        let n = query.limit.unwrap_or(10).min(10_000);
                        let records = (0..n)
                            .map(|i| Participant {
                                source_id: format!("ZOO-P-{i}"),
                                pii: None,
                                ..leaked_participant()
                            })
                            .collect();
                        next = Some("stuck".to_owned());
                        (Records::Participants(records), n)
                    }
                    other => {
                        return Err(AdapterError::new(
                            "BAD_REQUEST",
                            format!("{other:?} is not served"),
                        ))
                    }
                };
                AdapterResponse::Query(QueryResponse {
                    records,
                    total_count: total,
                    next,
                })
            }
        })
    }
}

/// A fictitious participant whose personal data is always filled in.
fn leaked_participant() -> Participant {
    Participant {
        source_id: "ZOO-P-1".into(),
        warnings: Vec::new(),
        nik_masked: Some("360213******0001".into()),
        nik_valid: true,
        person_key: None,
        kpj_masked: None,
        sex: None,
        birth_year: Some(1990),
        is_minor: Some(false),
        domicile_regency_code: None,
        education: None,
        employment_status_at_registration: None,
        union_membership: None,
        pii: Some(ParticipantPii {
            nik: Some("3602134507900001".into()),
            full_name: Some("Peserta Zoo (fiktif)".into()),
            ..ParticipantPii::default()
        }),
    }
}

simpul_plugin::export_adapter!(Misbehaving);
