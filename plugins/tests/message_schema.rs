//! The published JSON Schema of the plugin messages, `plugins/schema/messages.schema.json`:
//!
//! - it is what the Rust types generate today (regenerate it when they change);
//! - real messages validate against it: requests of every kind, the SPN demo export answered
//!   for every collection, aggregates, status, errors, SPN's manifest (BBPLK's and
//!   BPJAMSOSTEK's are in `message_schema_bbplk.rs`, `message_schema_bpjamsostek.rs`) and the
//!   host's HostInfo;
//! - it says no where the host's strict decode says no: hand-picked invalid messages, and every
//!   message above with each field removed, nulled or given a value of another type, where the
//!   schema and serde must agree.

mod common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};
use simpul_adapter_spn::{SpnConfig, SpnData};
use simpul_plugin::sdk::Adapter;
use simpul_plugin::{
    AbiVersion, AdapterError, Capabilities, CollectionCapabilities, Encoding, HostInfo, Manifest,
    ProviderInfo,
};
use simpul_schema::analytics::{
    Accumulator, AggregateRequest, AggregateResponse, AggregateView, Bucket, Group, GroupKey,
    Summary,
};
use simpul_schema::filter::Filterable;
use simpul_schema::*;

use common::*;

#[test]
fn the_committed_schema_is_what_the_types_generate() {
    let generated = simpul_plugin::message_schema::messages_json();
    let committed = std::fs::read_to_string(SCHEMA_FILE).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "{SCHEMA_FILE} is not what the Rust types generate (first difference at line {}: \
             committed {:?}, generated {:?}). The message types changed; regenerate the file \
             with\n\n    {REGENERATE}\n\nand commit it with the change.",
            line + 1,
            committed.lines().nth(line).unwrap_or("<end of file>"),
            generated.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

#[test]
fn the_schema_is_a_draft_07_document_with_the_five_messages() {
    let problems: Vec<String> = jsonschema::draft7::meta::VALIDATOR
        .iter_errors(&SCHEMA)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for root in Root::ALL {
        assert!(
            SCHEMA["definitions"].get(root.name()).is_some(),
            "{} has no definition",
            root.name()
        );
    }
    // Every record type under the name abi.md gives it.
    for collection in Collection::ALL {
        assert!(SCHEMA["definitions"].get(collection.type_name()).is_some());
    }
    // The root accepts any message and nothing else.
    let root = jsonschema::draft7::new(&SCHEMA).expect("the schema compiles");
    assert!(root.is_valid(&json!({"kind": "status"})));
    assert!(root.is_valid(&json!({"code": "INTERNAL", "message": "disk full"})));
    assert!(!root.is_valid(&json!({"kind": "sleep"})));
}

// ---- the messages -------------------------------------------------------------------------

fn demo() -> &'static SpnData {
    static DEMO: LazyLock<SpnData> = LazyLock::new(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../gateway/demo/spn");
        let mut config = SpnConfig::new(dir);
        // Person keys, as a deployment with an identity secret serves them.
        config.identity_secret = Some("message-schema-test-secret".into());
        SpnData::load(&config).unwrap_or_else(|e| panic!("the SPN demo does not load: {e}"))
    });
    &DEMO
}

/// Requests of every kind: a query of every collection, every operator and literal, every
/// direction, paging, ids and personal data; aggregates of every view; status.
fn requests() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for &collection in Collection::ALL {
        out.push((
            format!("all {collection:?}"),
            to_json(&AdapterRequest::Query(QueryRequest::all(collection))),
        ));
    }
    let every_operator = CollectionCapabilities::full().filter_operators;
    let compare = |op: CompareOp| -> Filter {
        match op {
            CompareOp::In | CompareOp::Nin => Filter::compare(
                "status",
                op,
                Literal::List(vec!["OPEN".into(), "RUNNING".into()]),
            ),
            CompareOp::IsNull => Filter::compare("endDate", op, true),
            CompareOp::Like | CompareOp::Ilike => Filter::compare("code", op, "SPN-PL-%"),
            CompareOp::Prefix => Filter::compare("regionCode", op, "36.02"),
            CompareOp::Gt | CompareOp::Gte => Filter::compare("fiscalYear", op, 2022_i64),
            CompareOp::Lt | CompareOp::Lte => Filter::compare("startDate", op, "2024-01-01"),
            CompareOp::Eq | CompareOp::Neq => Filter::compare("courseId", op, "SPN-TC-01/Las"),
        }
    };
    let mut query = QueryRequest::all(Collection::CourseRuns);
    query.ids = Some(vec!["SPN-PL-2023-01".into(), "SPN-PL-2023-05".into()]);
    query.filter = Some(Filter::And(vec![
        Filter::Or(every_operator.iter().map(|&op| compare(op)).collect()),
        Filter::Not(Box::new(Filter::compare(
            "fiscalYear",
            CompareOp::Eq,
            2019_i64,
        ))),
        Filter::compare(
            "fiscalYear",
            CompareOp::In,
            Literal::List(vec![2023_i64.into(), 2024_i64.into()]),
        ),
        Filter::Or(Vec::new()),
        Filter::And(Vec::new()),
    ]));
    query.order_by = [
        Direction::Asc,
        Direction::AscNullsFirst,
        Direction::AscNullsLast,
        Direction::Desc,
        Direction::DescNullsFirst,
        Direction::DescNullsLast,
    ]
    .into_iter()
    .zip([
        "startDate",
        "fiscalYear",
        "code",
        "endDate",
        "capacity",
        "sourceId",
    ])
    .map(|(direction, field)| OrderBy {
        field: field.into(),
        direction,
    })
    .collect();
    query.offset = 20;
    query.limit = Some(10);
    out.push((
        "a query with everything".into(),
        to_json(&AdapterRequest::Query(query)),
    ));

    let mut participants = QueryRequest::all(Collection::Participants);
    participants.include_pii = true;
    participants.filter = Some(Filter::And(vec![
        Filter::compare("nikValid", CompareOp::Eq, true),
        Filter::compare("birthYear", CompareOp::Gte, 1980.5_f64),
    ]));
    participants.limit = Some(0);
    out.push((
        "participants with PII".into(),
        to_json(&AdapterRequest::Query(participants)),
    ));

    // The gateway resolves relations before adapters see a filter, but the type has them.
    let mut related = QueryRequest::all(Collection::CourseRuns);
    related.filter = Some(Filter::Related {
        relation: "trainingCenter".into(),
        filter: Box::new(Filter::compare("name", CompareOp::Ilike, "%bekasi%")),
    });
    out.push((
        "a related filter".into(),
        to_json(&AdapterRequest::Query(related)),
    ));

    for &view in AggregateView::ALL {
        out.push((
            format!("aggregate of {view:?}, grouped"),
            to_json(&AdapterRequest::Aggregate(AggregateRequest {
                view,
                filter: Some(Filter::compare("sourceId", CompareOp::Neq, "x")),
                group_by: vec![
                    GroupKey::bucketed("startDate", Bucket::Year),
                    GroupKey::bucketed("startDate", Bucket::Month),
                    GroupKey::bucketed("regionCode", Bucket::Province),
                    GroupKey::bucketed("regionCode", Bucket::Regency),
                    GroupKey::field("status"),
                ],
                measures: view
                    .numeric_fields()
                    .iter()
                    .map(|m| (*m).to_owned())
                    .collect(),
            })),
        ));
        out.push((
            format!("aggregate of {view:?}, one group"),
            to_json(&AdapterRequest::Aggregate(AggregateRequest {
                view,
                filter: None,
                group_by: Vec::new(),
                measures: Vec::new(),
            })),
        ));
    }
    out.push(("status".into(), to_json(&AdapterRequest::Status)));
    out.push((
        "membership".into(),
        to_json(&AdapterRequest::Membership(MembershipRequest {
            kpj: "99096000001".into(),
        })),
    ));
    out
}

/// Every field filled, for the types and branches the demo export leaves empty.
fn full_records() -> Vec<Records> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let warning = DataWarning::new(
        "DATE_FORMAT_NONSTANDARD",
        "startDate",
        "day and month swapped",
    );
    vec![
        Records::TrainingCenters(vec![TrainingCenter {
            source_id: "BBPVP-BKS".into(),
            warnings: vec![
                warning.clone(),
                DataWarning {
                    code: "DUPLICATE_KEY".into(),
                    field: None,
                    message: "second row ignored".into(),
                },
            ],
            name: "BBPVP Bekasi".into(),
            alternate_names: vec!["CEVEST".into()],
            institution_type: InstitutionType::Uptp,
            sector: Some(AgentSector::Public),
            supervisor_id: Some("KEMNAKER".into()),
            address: Some(Address {
                street_address: Some("Jl. Guntur No. 1".into()),
                region_code: Some("32.16.01.2001".into()),
            }),
            founded_year: Some(1984),
            area_hectares: Some(12.5),
            facilities: vec!["Bengkel las".into()],
            fields: vec![TrainingField {
                code: Some("TPD".into()),
                name: "Teknik Pendingin".into(),
            }],
            licenses: vec![License {
                kind: LicenseKind::DisnakerOperatingLicense,
                number: Some("563/0123-LPK/2019".into()),
                issuer: Some("Disnaker Kabupaten Bekasi".into()),
                issued_on: date(2019, 3, 1),
                valid_until: date(2029, 2, 28),
            }],
            years_of_experience: Some(40),
            meets_vokasi_partner_criteria: None,
            contact: Some(ContactPoint {
                email: Some("info@example.go.id".into()),
                telephone: Some("+62218900000".into()),
            }),
            active: Some(true),
        }]),
        Records::Courses(vec![Course {
            source_id: "C-1".into(),
            warnings: Vec::new(),
            name: "Teknik Las SMAW".into(),
            course_code: Some("LAS-01".into()),
            program_id: Some("P-7".into()),
            training_center_id: "BBPVP-BKS".into(),
            field: Some(TrainingField {
                code: None,
                name: "Las".into(),
            }),
            training_type: Some(TrainingType::Reskilling),
            target_groups: vec![TargetGroup::LaidOff, TargetGroup::NewEntrant],
            occupation_codes: vec!["7212".into()],
        }]),
        Records::CourseRuns(vec![CourseRun {
            source_id: "R-1".into(),
            warnings: vec![warning.clone()],
            code: "LAS-01-2024-1".into(),
            course_id: "C-1".into(),
            training_center_id: "BBPVP-BKS".into(),
            start_date: date(2024, 2, 5),
            end_date: date(2024, 3, 29),
            status: CourseRunStatus::Completed,
            delivery_mode: Some(DeliveryMode::Blended),
            location_code: Some("32.16".into()),
            capacity: Some(16),
            nominal_hours: Some(240),
            fiscal_year: Some(2024),
            cohort: Some(1),
            cost_per_participant: Some(Money::idr(4_500_000)),
            funding_schemes: vec![FundingSchemeCode::ApbnPbk, FundingSchemeCode::Jkp],
            partnership_ids: vec!["KS-1".into()],
            instructor: Some("Pak Budi".into()),
            description: Some("Angkatan pertama".into()),
        }]),
        Records::Participants(vec![Participant {
            source_id: "P-1".into(),
            warnings: Vec::new(),
            nik_masked: Some("360213******9001".into()),
            nik_valid: true,
            person_key: Some("k1".into()),
            kpj_masked: Some("990*****001".into()),
            sex: Some(Sex::Female),
            birth_year: Some(1990),
            is_minor: Some(false),
            domicile_regency_code: Some("36.02".into()),
            education: Some(EducationLevel::Smk),
            employment_status_at_registration: Some(EmploymentStatus::LaidOff),
            union_membership: Some(UnionMembership {
                is_member: true,
                union: Some("SPN".into()),
            }),
            pii: Some(ParticipantPii {
                nik: Some("3602134101909001".into()),
                kpj: Some("99012345001".into()),
                full_name: Some("Siti Aminah".into()),
                birth_date: date(1990, 1, 1),
                birth_place: Some("Lebak".into()),
                address: Some("Kp. Cibeureum RT 01/02".into()),
                domicile_village_code: Some("36.02.13.2007".into()),
                phone: Some("+6281234567890".into()),
                email: Some("siti@example.com".into()),
                layoff_date: date(2023, 11, 30),
                last_employer: Some("PT Contoh".into()),
                union_card_number: Some("SPN-0001".into()),
                disability: None,
            }),
        }]),
        Records::Enrollments(vec![Enrollment {
            source_id: "P-1/R-1".into(),
            warnings: Vec::new(),
            participant_id: "P-1".into(),
            course_run_id: "R-1".into(),
            registered_on: date(2024, 1, 15),
            route: Some(EnrollmentRoute::Jkp),
            selection_status: Some(SelectionStatus::Accepted),
            status: EnrollmentStatus::Completed,
            raw_status: Some("Lulus".into()),
            final_score: Some(87.5),
            attendance_percent: Some(0.0),
        }]),
        Records::Outcomes(vec![Outcome {
            source_id: "O-1".into(),
            warnings: Vec::new(),
            enrollment_id: "P-1/R-1".into(),
            status: OutcomeStatus::SelfEmployed,
            raw_status: "Wirausaha".into(),
            observed_at: Some(
                Utc.with_ymd_and_hms(2024, 6, 30, 9, 0, 0)
                    .unwrap()
                    .fixed_offset(),
            ),
            employer_name: None,
            job_title: Some("Pemilik bengkel".into()),
            work_region_code: Some("36.02.13".into()),
            employment_start_date: date(2024, 5, 1),
            business_type: Some("Bengkel las".into()),
            business_name: Some("Las Jaya Abadi".into()),
            monthly_revenue: Some(Money::idr(7_250_000)),
            source: Some("tracer study".into()),
        }]),
        Records::Partnerships(vec![Partnership {
            source_id: "KS-1".into(),
            warnings: Vec::new(),
            kind: PartnershipKind::Pks,
            parties: vec![
                PartyRef {
                    name: "BBPVP Bekasi".into(),
                    training_center_id: Some("BBPVP-BKS".into()),
                    kind: Some("UPTP".into()),
                },
                PartyRef {
                    name: "PT Contoh".into(),
                    training_center_id: None,
                    kind: None,
                },
            ],
            document_number: Some("PKS/01/2024".into()),
            signed_on: date(2024, 1, 10),
            valid_from: date(2024, 1, 10),
            valid_until: date(2026, 1, 9),
            place: Some("Bekasi".into()),
            scope: Some("Pemagangan".into()),
            contribution: Some("Instruktur".into()),
            status: Some("Aktif".into()),
        }]),
        Records::Programs(vec![Program {
            source_id: "LAS-SMAW-3".into(),
            warnings: vec![warning.clone()],
            code: Some("LAS-SMAW-3".into()),
            name: "Juru Las SMAW 3G".into(),
            field: Some(TrainingField {
                code: Some("LAS".into()),
                name: "Teknik Las".into(),
            }),
            occupation_codes: vec!["7212".into()],
            kkni_level: Some(2),
            nominal_hours: Some(240),
            method: Some("PBK".into()),
            competencies: vec![Competency {
                code: "C.24.20.01.004.1".into(),
                title: "Melakukan pengelasan SMAW posisi bawah tangan".into(),
                framework: CompetencyFramework::Skkni,
            }],
            credentials: Vec::new(),
            description: Some("Pengelasan pelat posisi 3G".into()),
        }]),
        Records::CredentialAwards(vec![CredentialAward {
            source_id: "77".into(),
            warnings: vec![warning.clone()],
            enrollment_id: Some("412".into()),
            credential: Credential {
                source_id: "competency/LSP-07/Juru Las SMAW".into(),
                name: "Sertifikat Kompetensi Juru Las SMAW".into(),
                category: CredentialCategory::CompetencyCertification,
                scheme: Some("Juru Las SMAW".into()),
                issuer_name: Some("LSP Las Nusantara (fiktif)".into()),
                issuer_id: None,
                recognized_by: vec!["BNSP".into()],
                valid_for_months: Some(36),
                occupation_codes: vec!["7212".into()],
                competencies: vec![Competency {
                    code: "C.24.20.01.004.1".into(),
                    title: "Melakukan pengelasan SMAW posisi bawah tangan".into(),
                    framework: CompetencyFramework::Skkni,
                }],
            },
            number: Some("7212 2024 2 07 00012".into()),
            registration_number: Some("REG/LSP-07/2024/12".into()),
            assessment_result: Some(AssessmentResult::Competent),
            assessed_on: date(2024, 5, 2),
            issued_on: date(2024, 5, 20),
            valid_until: date(2027, 5, 19),
        }]),
    ]
}

/// Responses of every kind: the SPN demo export answered for every collection (with and
/// without personal data, paged), records with every field filled, empty pages, aggregates
/// summed by the reference accumulator and by hand, and SPN's status.
fn responses() -> Vec<(String, Value)> {
    let data = demo();
    let mut out = Vec::new();
    for &collection in Collection::ALL {
        for include_pii in [false, true] {
            let mut request = QueryRequest::all(collection);
            request.include_pii = include_pii;
            let response = data.query(&request).expect("the demo answers");
            // SPN records no certificates and no catalogue (full_records has both, every field set).
            let recorded =
                ![Collection::CredentialAwards, Collection::Programs].contains(&collection);
            assert_eq!(
                !response.records.is_empty(),
                recorded,
                "the demo has {collection:?}"
            );
            out.push((
                format!("SPN {collection:?}, pii {include_pii}"),
                to_json(&AdapterResponse::Query(response)),
            ));
        }
        let mut page = QueryRequest::all(collection);
        page.offset = 1;
        page.limit = Some(1);
        let response = data.query(&page).expect("the demo answers");
        out.push((
            format!("SPN {collection:?}, one page"),
            to_json(&AdapterResponse::Query(response)),
        ));
    }
    for records in full_records() {
        let name = format!("full {:?}", records.collection());
        out.push((
            name,
            to_json(&AdapterResponse::Query(QueryResponse {
                records,
                total_count: 1,
                next: None,
            })),
        ));
    }
    out.push((
        "an empty page".into(),
        to_json(&AdapterResponse::Query(QueryResponse {
            records: Records::Outcomes(Vec::new()),
            total_count: 20,
            next: None,
        })),
    ));

    out.push((
        "SPN course runs by year, month and status".into(),
        summed(
            AggregateView::CourseRuns,
            vec![
                GroupKey::bucketed("startDate", Bucket::Year),
                GroupKey::bucketed("startDate", Bucket::Month),
                GroupKey::field("status"),
            ],
            &data.course_runs,
        ),
    ));
    out.push((
        "SPN participants by sex and province".into(),
        summed(
            AggregateView::Participants,
            vec![
                GroupKey::field("sex"),
                GroupKey::bucketed("domicileRegencyCode", Bucket::Province),
            ],
            &data.participants,
        ),
    ));
    out.push((
        "groups keyed by every literal".into(),
        to_json(&AdapterResponse::Aggregate(AggregateResponse {
            groups: vec![
                Group {
                    key: vec![
                        Some(Literal::Int(2023)),
                        Some(Literal::Text("2023-04".into())),
                        Some(Literal::Bool(true)),
                        Some(Literal::Float(36.5)),
                        None,
                    ],
                    count: 12,
                    measures: vec![
                        Summary {
                            count: 10,
                            sum: 812.5,
                            min: Some(60.0),
                            max: Some(97.5),
                        },
                        Summary::default(),
                    ],
                },
                Group {
                    key: vec![None, None, None, None, None],
                    count: 0,
                    measures: Vec::new(),
                },
            ],
        })),
    ));
    out.push((
        "no groups".into(),
        to_json(&AdapterResponse::Aggregate(AggregateResponse::default())),
    ));

    out.push((
        "SPN status".into(),
        to_json(&AdapterResponse::Status(data.status.clone())),
    ));
    out.push((
        "an unknown KPJ".into(),
        to_json(&AdapterResponse::Membership(MembershipResponse {
            membership: None,
        })),
    ));
    out.push((
        "a membership with everything".into(),
        to_json(&AdapterResponse::Membership(MembershipResponse {
            membership: Some(SocialSecurityMembership {
                segment: Some(MembershipSegment::Pu),
                active: true,
                member_since: NaiveDate::from_ymd_opt(2011, 4, 15),
                contribution_months: Some(86),
                last_contribution_month: Some("2025-05".into()),
                vokasi_eligible: Some(false),
                ineligibility_reasons: vec!["masa iur kurang dari 12 bulan".into()],
                jkp: Some(JkpStatus {
                    registered: true,
                    contribution_months_last24: Some(11),
                    meets_contribution_rule: Some(false),
                }),
                checked_at: chrono::DateTime::parse_from_rfc3339("2025-06-30T07:00:00+07:00").ok(),
                warnings: vec![DataWarning::new(
                    "VALUE_CONFLICT",
                    "vokasiEligible",
                    "disagrees",
                )],
            }),
        })),
    ));
    out.push((
        "an empty status".into(),
        to_json(&AdapterResponse::Status(SourceStatus::default())),
    ));
    out.push((
        "a status with everything".into(),
        // Read from JSON rather than built, so that fields added later with a default are
        // filled in as the SDK would send them.
        to_json(&AdapterResponse::Status(
            serde_json::from_value::<SourceStatus>(json!({
                "dataAsOf": "2024-06-30T09:00:00+07:00",
                "recordCounts": {"trainingCenters": 2, "courses": 6},
                "rejected": [
                    {"source": "peserta.csv", "line": 27, "reason": "unknown batch code"},
                    {"source": "GET /peserta", "line": null, "reason": "HTTP 503"},
                ],
                "warnings": 2,
            }))
            .expect("a status"),
        )),
    ));
    out
}

/// `records` summarised by the reference accumulator, every numeric field of the view measured.
fn summed<T: Filterable>(view: AggregateView, group_by: Vec<GroupKey>, records: &[T]) -> Value {
    let request = AggregateRequest {
        view,
        filter: None,
        group_by,
        measures: view
            .numeric_fields()
            .iter()
            .map(|m| (*m).to_owned())
            .collect(),
    };
    request.validate().expect("a valid request");
    let mut totals = Accumulator::new(&request);
    for record in records {
        totals.add(record).expect("a valid request");
    }
    let response = totals.finish();
    assert!(response.groups.len() > 1, "{view:?} has groups");
    to_json(&AdapterResponse::Aggregate(response))
}

fn errors() -> Vec<(String, Value)> {
    vec![
        (
            "source unavailable".into(),
            to_json(&AdapterError::new(
                "SOURCE_UNAVAILABLE",
                "folder /data/spn is missing",
            )),
        ),
        (
            "unsupported".into(),
            to_json(&AdapterError::unsupported("the aggregate view `courses`")),
        ),
        (
            "empty message".into(),
            to_json(&AdapterError::new("INTERNAL", "")),
        ),
    ]
}

fn manifests() -> Vec<(String, Value)> {
    let minimal = Manifest {
        name: "simpul-c-lpk".into(),
        version: "1.0.0".into(),
        provider: ProviderInfo {
            key: "lpk".into(),
            name: "Direktori LPK".into(),
            kind: ProviderKind::PrivateProvider,
            source_kind: SourceKind::Other,
            contract_version: "1.0".into(),
        },
        capabilities: Capabilities {
            collections: BTreeMap::from([(
                Collection::TrainingCenters,
                CollectionCapabilities::default(),
            )]),
            aggregates: Vec::new(),
            memberships: false,
        },
        encodings: vec![simpul_plugin::ENCODING_JSON.into()],
        config_schema: json!({"type": "object"}),
    };
    let manifests = vec![
        ("SPN".to_owned(), simpul_adapter_spn::SpnAdapter::manifest()),
        ("a minimal one".to_owned(), minimal),
    ];
    manifests
        .into_iter()
        .map(|(name, m)| (name, to_json(&m)))
        .collect()
}

fn host_infos() -> Vec<(String, Value)> {
    // As the host builds it (plugins/src/host: `host_info`), at the defaults and the extremes.
    [(64 << 20, 4), (0, 1), (u64::MAX, u32::MAX)]
        .into_iter()
        .map(|(max_payload_bytes, call_threads)| {
            let info = HostInfo {
                gateway: "simpul".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                abi: AbiVersion {
                    major: simpul_plugin::abi::ABI_MAJOR,
                    minor: simpul_plugin::abi::ABI_MINOR,
                },
                encodings: Encoding::names(),
                encoding: (call_threads > 1).then(|| "msgpack".to_owned()),
                max_payload_bytes,
                call_threads,
            };
            (
                format!("{max_payload_bytes} bytes, {call_threads} threads"),
                to_json(&info),
            )
        })
        .collect()
}

fn every_message() -> Vec<(Root, String, Value)> {
    let mut out = Vec::new();
    for (root, messages) in [
        (Root::AdapterRequest, requests()),
        (Root::AdapterResponse, responses()),
        (Root::AdapterError, errors()),
        (Root::Manifest, manifests()),
        (Root::HostInfo, host_infos()),
    ] {
        out.extend(
            messages
                .into_iter()
                .map(|(what, message)| (root, what, message)),
        );
    }
    out
}

// ---- valid messages validate ----------------------------------------------------------------

#[test]
fn requests_of_every_kind_validate() {
    let requests = requests();
    assert!(requests.len() > 20);
    for (what, message) in &requests {
        assert_valid(Root::AdapterRequest, what, message);
    }
}

#[test]
fn responses_of_every_collection_validate() {
    for (what, message) in &responses() {
        assert_valid(Root::AdapterResponse, what, message);
    }
}

#[test]
fn errors_validate() {
    for (what, message) in &errors() {
        assert_valid(Root::AdapterError, what, message);
    }
}

#[test]
fn the_real_adapters_manifests_validate() {
    for (what, message) in &manifests() {
        assert_valid(Root::Manifest, what, message);
    }
}

#[test]
fn host_info_validates() {
    for (what, message) in &host_infos() {
        assert_valid(Root::HostInfo, what, message);
    }
}

/// Every value of every enum, as serde writes it, is in the schema's list, and the schema's list
/// holds nothing serde would not read back.
#[test]
fn every_enum_value_validates_and_nothing_else() {
    fn check<T>(definition: &str, all: &[T])
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let validator = definition_validator(definition);
        let written: Vec<Value> = all.iter().map(to_json).collect();
        for (value, json) in all.iter().zip(&written) {
            assert!(
                validator.is_valid(json),
                "{definition} {value:?} is written {json}, which the schema refuses"
            );
            let read: T = serde_json::from_value(json.clone())
                .unwrap_or_else(|e| panic!("{definition} {json} is not read back: {e}"));
            assert_eq!(&read, value, "{definition} {json}");
        }
        let listed = SCHEMA["definitions"][definition]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{definition} is a string enum"));
        assert_eq!(
            listed, &written,
            "{definition}: the schema lists other values than serde writes"
        );
        assert!(!validator.is_valid(&json!("NOT_A_VALUE")));
    }
    check("ProviderKind", ProviderKind::ALL);
    check("SourceKind", SourceKind::ALL);
    check("InstitutionType", InstitutionType::ALL);
    check("AgentSector", AgentSector::ALL);
    check("LicenseKind", LicenseKind::ALL);
    check("TrainingType", TrainingType::ALL);
    check("TargetGroup", TargetGroup::ALL);
    check("CourseRunStatus", CourseRunStatus::ALL);
    check("DeliveryMode", DeliveryMode::ALL);
    check("FundingSchemeCode", FundingSchemeCode::ALL);
    check("Sex", Sex::ALL);
    check("EducationLevel", EducationLevel::ALL);
    check("EmploymentStatus", EmploymentStatus::ALL);
    check("EnrollmentRoute", EnrollmentRoute::ALL);
    check("SelectionStatus", SelectionStatus::ALL);
    check("EnrollmentStatus", EnrollmentStatus::ALL);
    check("OutcomeStatus", OutcomeStatus::ALL);
    check("PartnershipKind", PartnershipKind::ALL);
    check("Collection", Collection::ALL);
    check(
        "CompareOp",
        &CollectionCapabilities::full().filter_operators,
    );
    check("AggregateView", AggregateView::ALL);
    check(
        "Direction",
        &[
            Direction::Asc,
            Direction::AscNullsFirst,
            Direction::AscNullsLast,
            Direction::Desc,
            Direction::DescNullsFirst,
            Direction::DescNullsLast,
        ],
    );
    check(
        "Bucket",
        &[
            Bucket::Year,
            Bucket::Month,
            Bucket::Province,
            Bucket::Regency,
        ],
    );
}

// ---- invalid messages are refused -----------------------------------------------------------

/// The SPN demo's training centres, as a response, to break.
fn centres() -> Value {
    let response = demo()
        .query(&QueryRequest::all(Collection::TrainingCenters))
        .expect("the demo answers");
    to_json(&AdapterResponse::Query(response))
}

fn runs() -> Value {
    let response = demo()
        .query(&QueryRequest::all(Collection::CourseRuns))
        .expect("the demo answers");
    to_json(&AdapterResponse::Query(response))
}

#[test]
fn invalid_messages_are_refused_by_the_schema_and_by_the_host() {
    let manifest = manifests().swap_remove(0).1;
    let host_info = host_infos().swap_remove(0).1;
    let cases: Vec<(&str, Root, Value)> = vec![
        (
            "a query without its collection",
            Root::AdapterRequest,
            json!({"kind": "query", "body": {"ids": ["a"]}}),
        ),
        (
            "a misspelt kind",
            Root::AdapterRequest,
            json!({"kind": "querry", "body": {"collection": "courses"}}),
        ),
        (
            "no kind",
            Root::AdapterRequest,
            json!({"body": {"collection": "courses"}}),
        ),
        (
            "a query without its body",
            Root::AdapterRequest,
            json!({"kind": "query"}),
        ),
        (
            "an unknown collection",
            Root::AdapterRequest,
            json!({"kind": "query", "body": {"collection": "lessons"}}),
        ),
        (
            "a filter with two operators in one object",
            Root::AdapterRequest,
            json!({"kind": "query", "body": {"collection": "courses", "filter": {"and": [], "or": []}}}),
        ),
        (
            "an unknown operator",
            Root::AdapterRequest,
            json!({"kind": "query", "body": {"collection": "courses",
                "filter": {"compare": {"field": "name", "op": "between", "value": [1, 2]}}}}),
        ),
        (
            "a null literal",
            Root::AdapterRequest,
            json!({"kind": "query", "body": {"collection": "courses",
                "filter": {"compare": {"field": "name", "op": "eq", "value": null}}}}),
        ),
        (
            "a Hasura-style direction",
            Root::AdapterRequest,
            json!({"kind": "query", "body": {"collection": "courses",
                "orderBy": [{"field": "name", "direction": "ASC"}]}}),
        ),
        (
            "a negative offset",
            Root::AdapterRequest,
            json!({"kind": "query", "body": {"collection": "courses", "offset": -1}}),
        ),
        (
            "an unknown bucket",
            Root::AdapterRequest,
            json!({"kind": "aggregate", "body": {"view": "courseRuns",
                "groupBy": [{"field": "startDate", "bucket": "week"}]}}),
        ),
        (
            "a status answer without its body",
            Root::AdapterResponse,
            json!({"kind": "status"}),
        ),
        (
            "a response without totalCount",
            Root::AdapterResponse,
            with(centres(), "/body/totalCount", None),
        ),
        (
            "a record without sourceId",
            Root::AdapterResponse,
            with(centres(), "/body/records/records/0/sourceId", None),
        ),
        (
            "a record without its warnings list",
            Root::AdapterResponse,
            with(centres(), "/body/records/records/0/warnings", None),
        ),
        (
            "records under another collection's name",
            Root::AdapterResponse,
            with(
                centres(),
                "/body/records/collection",
                Some(json!("courses")),
            ),
        ),
        (
            "a vocabulary value this build does not know",
            Root::AdapterResponse,
            with(
                runs(),
                "/body/records/records/0/status",
                Some(json!("POSTPONED")),
            ),
        ),
        (
            "a vocabulary value in the wrong case",
            Root::AdapterResponse,
            with(
                runs(),
                "/body/records/records/0/status",
                Some(json!("completed")),
            ),
        ),
        (
            "a date that is not ISO",
            Root::AdapterResponse,
            with(
                runs(),
                "/body/records/records/0/startDate",
                Some(json!("03/04/2023")),
            ),
        ),
        (
            "a capacity beyond 32 bits",
            Root::AdapterResponse,
            with(
                runs(),
                "/body/records/records/0/capacity",
                Some(json!(3_000_000_000_u64)),
            ),
        ),
        (
            "a fractional capacity",
            Root::AdapterResponse,
            with(
                runs(),
                "/body/records/records/0/capacity",
                Some(json!(16.5)),
            ),
        ),
        (
            "money as a number",
            Root::AdapterResponse,
            with(
                to_json(&AdapterResponse::Query(QueryResponse {
                    records: full_records().swap_remove(2),
                    total_count: 1,
                    next: None,
                })),
                "/body/records/records/0/costPerParticipant",
                Some(json!(4_500_000)),
            ),
        ),
        (
            "an error without a code",
            Root::AdapterError,
            json!({"message": "disk full"}),
        ),
        ("an error as text", Root::AdapterError, json!("disk full")),
        (
            "a manifest without configSchema",
            Root::Manifest,
            with(manifest.clone(), "/configSchema", None),
        ),
        (
            "a manifest with an unknown collection",
            Root::Manifest,
            with(
                manifest.clone(),
                "/capabilities/collections/lessons",
                Some(
                    json!({"filterOperators": [], "orderBy": false, "paging": false, "lookupById": false}),
                ),
            ),
        ),
        (
            "a manifest with an unknown operator",
            Root::Manifest,
            with(
                manifest.clone(),
                "/capabilities/collections/courses/filterOperators/0",
                Some(json!("_eq")),
            ),
        ),
        (
            "a provider kind in the wrong spelling",
            Root::Manifest,
            with(
                manifest.clone(),
                "/provider/kind",
                Some(json!("TradeUnion")),
            ),
        ),
        (
            "host info with call threads beyond 32 bits",
            Root::HostInfo,
            with(
                host_info.clone(),
                "/callThreads",
                Some(json!(5_000_000_000_u64)),
            ),
        ),
        (
            "host info without its ABI version",
            Root::HostInfo,
            with(host_info, "/abi", None),
        ),
    ];
    let mut failures = Vec::new();
    for (what, root, message) in &cases {
        let schema_says = violations(*root, message);
        if schema_says.is_empty() {
            failures.push(format!("the schema accepts {what}: {message}"));
        }
        if root.decodes(message) {
            failures.push(format!(
                "the host's decode accepts {what} (a wrong case): {message}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- the validator the README offers -------------------------------------------------------

/// `plugins/schema/validate.py` (Python's `jsonschema`, the README's command) accepts every
/// message above and names the path of what is wrong in an invalid one: a second, independent
/// implementation of draft-07 agrees. Skipped where Python or its `jsonschema` is missing.
#[test]
fn the_readme_validator_agrees() {
    use std::process::Command;

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/validate.py");
    let available = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!("skipped: python3 with the jsonschema package is not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("simpul-message-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let run = |root: Root, messages: &[Value]| {
        let files: Vec<_> = messages
            .iter()
            .enumerate()
            .map(|(i, message)| {
                let file = dir.join(format!("{}-{i}.json", root.name()));
                std::fs::write(&file, message.to_string()).expect("a temporary file");
                file
            })
            .collect();
        let output = Command::new("python3")
            .arg(script)
            .arg(root.name())
            .args(&files)
            .output()
            .expect("python3 runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };

    let mut by_root: Vec<(Root, Vec<Value>)> = Root::ALL.iter().map(|&r| (r, Vec::new())).collect();
    for (root, _, message) in every_message() {
        by_root
            .iter_mut()
            .find(|(r, _)| *r == root)
            .expect("every root")
            .1
            .push(message);
    }
    for (root, messages) in &by_root {
        let (status, stdout) = run(*root, messages);
        assert_eq!(
            status,
            Some(0),
            "validate.py refuses a valid {}:\n{stdout}",
            root.name()
        );
    }

    let broken = with(
        runs(),
        "/body/records/records/0/startDate",
        Some(json!("2023-02-30")),
    );
    let (status, stdout) = run(Root::AdapterResponse, &[broken]);
    assert_eq!(status, Some(1), "{stdout}");
    assert!(
        stdout.contains("/body/records/records/0/startDate: '2023-02-30' is not a 'date'"),
        "{stdout}"
    );
    let broken = with(centres(), "/body/records/records/0/sourceId", None);
    let (status, stdout) = run(Root::AdapterResponse, &[broken]);
    assert_eq!(status, Some(1), "{stdout}");
    assert!(
        stdout.contains("/body/records/records/0: 'sourceId' is a required property"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- MessagePack carries the same messages -------------------------------------------------

/// What a message decodes to, in `encoding`, as the debug text of the typed value.
fn decoded(root: Root, encoding: Encoding, bytes: &[u8]) -> String {
    match root {
        Root::AdapterRequest => format!("{:?}", encoding.decode::<AdapterRequest>(bytes).unwrap()),
        Root::AdapterResponse => {
            format!("{:?}", encoding.decode::<AdapterResponse>(bytes).unwrap())
        }
        Root::AdapterError => format!("{:?}", encoding.decode::<AdapterError>(bytes).unwrap()),
        Root::Manifest => format!("{:?}", encoding.decode::<Manifest>(bytes).unwrap()),
        Root::HostInfo => format!("{:?}", encoding.decode::<HostInfo>(bytes).unwrap()),
    }
}

#[test]
fn every_message_reads_the_same_written_in_message_pack() {
    let messages = every_message();
    for (root, what, message) in &messages {
        // A plugin in another language writes the JSON message's tree with a MessagePack
        // library: the host reads the same value from it.
        let json = decoded(*root, Encoding::Json, message.to_string().as_bytes());
        let msgpack = rmp_serde::to_vec_named(message).unwrap();
        assert_eq!(
            decoded(*root, Encoding::MessagePack, &msgpack),
            json,
            "{what}: MessagePack and JSON decode to different {}s",
            root.name()
        );
        // And what the SDK writes in MessagePack is that tree.
        let value = serde_json::from_value::<AdapterResponse>(message.clone());
        if let (Root::AdapterResponse, Ok(value)) = (root, value) {
            let written = Encoding::MessagePack.encode(&value).unwrap();
            let tree: Value = rmp_serde::from_slice(&written).unwrap();
            assert_eq!(
                &tree, message,
                "{what}: the SDK's MessagePack is another tree"
            );
        }
    }
    assert!(messages.len() > 40, "only {} messages", messages.len());
}

// ---- the schema and serde agree -------------------------------------------------------------

#[test]
fn the_schema_accepts_exactly_what_the_host_decodes() {
    let checked = assert_schema_agrees_with_serde(&every_message());
    assert!(checked > 10_000, "only {checked} broken messages");
}
