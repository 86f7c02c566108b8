//! The matrix of `pushdown.rs`: per list root, filters using every operator (and filters
//! through relations), orders and page sizes; filters on nested enrolments; nested relations.

use serde_json::Value;
use simpul_tests::Gateway;

use super::{arg, Case, Root};

/// Global ids of `field`'s records, from the pushdown gateway.
fn ids(gw: &Gateway, field: &str, filter: &str) -> Vec<String> {
    let (_, body) = gw.query(
        &format!("{{ {field}(first: 100, where: {filter}) {{ nodes {{ id }} }} }}"),
        Value::Null,
    );
    body["data"][field]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Filters every list root shares: on `provider`, and empty combinations.
fn provider_filters() -> Vec<String> {
    [
        r#"{ provider: { _eq: "spn" } }"#,
        r#"{ provider: { _neq: "bbplk" } }"#,
        r#"{ provider: { _in: ["bbplk", "bpjamsostek"] } }"#,
        r#"{ provider: { _nin: ["bpjamsostek"] } }"#,
        r#"{ provider: { _like: "b%" } }"#,
        r#"{ _not: { provider: { _eq: "spn" } } }"#,
        r#"{ _and: [] }"#,
        r#"{ _or: [] }"#,
    ]
    .map(str::to_owned)
    .to_vec()
}

pub fn roots(gw: &Gateway) -> Vec<Root> {
    let centres = ids(gw, "trainingCenters", "{}");
    let bbplk_centre = ids(gw, "trainingCenters", r#"{ provider: { _eq: "bbplk" } }"#);
    let courses = ids(gw, "courses", r#"{ name: { _ilike: "%barista%" } }"#);
    assert!(centres.len() >= 6 && !bbplk_centre.is_empty() && courses.len() >= 3);
    let quoted = |ids: &[String]| {
        ids.iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let some_centres = quoted(&[
        centres[0].clone(),
        centres[3].clone(),
        centres[centres.len() - 1].clone(),
    ]);

    let mut centre_filters: Vec<String> = [
        "",
        r#"{ name: { _eq: "Kautsar Institute" } }"#,
        r#"{ name: { _neq: "Kautsar Institute" } }"#,
        r#"{ name: { _in: ["Kautsar Institute", "SPN Training Center Lebak", "nothing"] } }"#,
        r#"{ name: { _nin: ["Kautsar Institute", "SPN Training Center Lebak"] } }"#,
        r#"{ name: { _like: "%(fiktif)" } }"#,
        r#"{ name: { _like: "%(BBPLK) S_rang" } }"#,
        r#"{ name: { _like: "%blk%" } }"#,
        r#"{ name: { _ilike: "%blk%" } }"#,
        r#"{ name: { _ilike: "lsp %" } }"#,
        r#"{ name: { _is_null: false } }"#,
        r#"{ name: { _is_null: true } }"#,
        r#"{ institutionType: { _eq: "UPTP" } }"#,
        r#"{ institutionType: { _neq: "BLKK" } }"#,
        r#"{ institutionType: { _in: ["BLKK", "LPK", "LSP"] } }"#,
        r#"{ institutionType: { _nin: ["BLKK", "UNION_TRAINING_CENTER"] } }"#,
        r#"{ regionCode: { _prefix: "36" } }"#,
        r#"{ regionCode: { _prefix: "36.02" } }"#,
        r#"{ regionCode: { _prefix: "36.73" } }"#,
        r#"{ regionCode: { _eq: "36.73" } }"#,
        r#"{ regionCode: { _in: ["36.73", "36.72", "32.75.04.1005"] } }"#,
        r#"{ regionCode: { _is_null: true } }"#,
        r#"{ regionCode: { _is_null: false } }"#,
        r#"{ active: { _eq: true } }"#,
        r#"{ active: { _eq: false } }"#,
        r#"{ active: { _neq: true } }"#,
        r#"{ active: { _is_null: true } }"#,
        r#"{ _not: { active: { _eq: true } } }"#,
        r#"{ _and: [{ regionCode: { _prefix: "36" } }, { active: { _eq: true } }] }"#,
        r#"{ _or: [{ institutionType: { _eq: "UPTP" } }, { name: { _ilike: "%serang%" } }] }"#,
        r#"{ _not: { regionCode: { _prefix: "32" } } }"#,
        r#"{ _not: { _or: [{ provider: { _eq: "spn" } }, { name: { _like: "%Bekasi" } }] } }"#,
        r#"{ _and: [{ _or: [{ active: { _is_null: true } }, { institutionType: { _eq: "BLKK" } }] }, { _not: { name: { _like: "%Lebak" } } }] }"#,
        r#"{ provider: { _eq: "bpjamsostek" }, active: { _eq: true }, regionCode: { _prefix: "36" } }"#,
    ]
    .map(str::to_owned)
    .to_vec();
    centre_filters.extend(provider_filters());

    let mut course_filters: Vec<String> = [
        "",
        r#"{ name: { _eq: "Pelatihan Barista" } }"#,
        r#"{ name: { _neq: "Pelatihan Barista" } }"#,
        r#"{ name: { _in: ["Barista", "Pelatihan Barista", "Junior Web Developer"] } }"#,
        r#"{ name: { _nin: ["Barista", "Pelatihan Barista", "Junior Web Developer"] } }"#,
        r#"{ name: { _like: "Pelatihan %" } }"#,
        r#"{ name: { _like: "%Las%" } }"#,
        r#"{ name: { _ilike: "%las%" } }"#,
        r#"{ name: { _ilike: "JUNIOR%" } }"#,
        r#"{ name: { _like: "Menjahit _usana%" } }"#,
        r#"{ trainingType: { _eq: "RESKILLING" } }"#,
        r#"{ trainingType: { _neq: "RESKILLING" } }"#,
        r#"{ trainingType: { _is_null: true } }"#,
        r#"{ trainingType: { _in: ["UPSKILLING", "ENTREPRENEURSHIP"] } }"#,
        r#"{ trainingType: { _nin: ["RESKILLING"] } }"#,
        r#"{ occupationCode: { _eq: "5132" } }"#,
        r#"{ occupationCode: { _neq: "5132" } }"#,
        r#"{ occupationCode: { _in: ["7531", "7532"] } }"#,
        r#"{ occupationCode: { _nin: ["5132", "7531"] } }"#,
        r#"{ occupationCode: { _is_null: true } }"#,
        r#"{ occupationCode: { _like: "7%" } }"#,
        r#"{ _not: { occupationCode: { _eq: "5132" } } }"#,
        r#"{ _or: [{ trainingType: { _is_null: true } }, { name: { _ilike: "%k3%" } }] }"#,
        r#"{ _and: [{ provider: { _neq: "spn" } }, { _not: { name: { _like: "Pelatihan%" } } }] }"#,
        r#"{ trainingCenter: { regionCode: { _prefix: "36" } } }"#,
        r#"{ trainingCenter: { institutionType: { _eq: "UPTP" } }, name: { _ilike: "%a%" } }"#,
        r#"{ _not: { trainingCenter: { active: { _eq: true } } } }"#,
        r#"{ program: { kkniLevel: { _gte: 3 } } }"#,
        r#"{ regionCode: { _prefix: "36" } }"#,
        r#"{ _not: { regionCode: { _prefix: "32.75" } } }"#,
        r#"{ _not: { program: { field: { _eq: "Teknik Las" } } } }"#,
    ]
    .map(str::to_owned)
    .to_vec();
    course_filters.extend([
        format!("{{ trainingCenterId: {{ _eq: \"{}\" }} }}", bbplk_centre[0]),
        format!("{{ trainingCenterId: {{ _in: [{some_centres}] }} }}"),
        format!(
            "{{ _not: {{ trainingCenterId: {{ _in: [{some_centres}] }} }}, trainingType: {{ _is_null: false }} }}"
        ),
    ]);
    course_filters.extend(provider_filters());

    let mut run_filters: Vec<String> = [
        "",
        r#"{ code: { _like: "BKS-%" } }"#,
        r#"{ occupationCode: { _in: ["7212", "5132"] } }"#,
        r#"{ _not: { occupationCode: { _eq: "7212" } } }"#,
        r#"{ code: { _ilike: "%jkp%" } }"#,
        r#"{ code: { _eq: "PV-2024-0002" } }"#,
        r#"{ status: { _eq: "COMPLETED" } }"#,
        r#"{ status: { _neq: "COMPLETED" } }"#,
        r#"{ status: { _in: ["OPEN", "RUNNING", "PLANNED"] } }"#,
        r#"{ status: { _nin: ["COMPLETED"] } }"#,
        r#"{ startDate: { _gte: "2023-01-01" } }"#,
        r#"{ startDate: { _lt: "2021-06-01" } }"#,
        r#"{ startDate: { _eq: "2024-05-20" } }"#,
        r#"{ startDate: { _neq: "2024-05-20" } }"#,
        r#"{ startDate: { _in: ["2019-11-11", "2024-05-20", "2030-01-01"] } }"#,
        r#"{ startDate: { _nin: ["2019-11-11", "2024-05-20"] } }"#,
        r#"{ startDate: { _gt: "2024-05-20" } }"#,
        r#"{ endDate: { _lte: "2022-12-31" } }"#,
        r#"{ endDate: { _gt: "2025-01-02" } }"#,
        r#"{ endDate: { _is_null: true } }"#,
        r#"{ fiscalYear: { _eq: 2024 } }"#,
        r#"{ fiscalYear: { _neq: 2024 } }"#,
        r#"{ fiscalYear: { _gt: 2022 } }"#,
        r#"{ fiscalYear: { _gte: 2023 } }"#,
        r#"{ fiscalYear: { _lt: 2021 } }"#,
        r#"{ fiscalYear: { _lte: 2021 } }"#,
        r#"{ fiscalYear: { _in: [2019, 2025] } }"#,
        r#"{ fiscalYear: { _nin: [2019, 2025] } }"#,
        r#"{ fiscalYear: { _is_null: true } }"#,
        r#"{ fiscalYear: { _is_null: false } }"#,
        r#"{ _not: { fiscalYear: { _gte: 2023 } } }"#,
        r#"{ capacity: { _gte: 20 } }"#,
        r#"{ capacity: { _is_null: true } }"#,
        r#"{ _not: { capacity: { _lt: 16 } } }"#,
        r#"{ deliveryMode: { _eq: "BLENDED" } }"#,
        r#"{ deliveryMode: { _in: ["ONLINE", "BLENDED"] } }"#,
        r#"{ deliveryMode: { _neq: "IN_PERSON" } }"#,
        r#"{ fundingScheme: { _eq: "JKP" } }"#,
        r#"{ fundingScheme: { _in: ["PNBP", "PARTNER_FUNDED"] } }"#,
        r#"{ fundingScheme: { _neq: "APBN_PBK" } }"#,
        r#"{ fundingScheme: { _nin: ["APBN_PBK", "VOKASI_INDONESIA_PEKERJA"] } }"#,
        r#"{ fundingScheme: { _like: "VOKASI%" } }"#,
        r#"{ regionCode: { _prefix: "36" } }"#,
        r#"{ regionCode: { _prefix: "36.02" } }"#,
        r#"{ regionCode: { _eq: "36.73" } }"#,
        r#"{ regionCode: { _in: ["36.72", "32.75"] } }"#,
        r#"{ regionCode: { _is_null: true } }"#,
        r#"{ _and: [{ startDate: { _gte: "2021-01-01" } }, { startDate: { _lt: "2024-01-01" } }, { _not: { fundingScheme: { _eq: "JKP" } } }] }"#,
        r#"{ _or: [{ fiscalYear: { _is_null: true } }, { deliveryMode: { _eq: "ONLINE" } }, { code: { _like: "%-0004" } }] }"#,
        r#"{ _not: { _and: [{ status: { _eq: "COMPLETED" } }, { regionCode: { _prefix: "36" } }] } }"#,
        r#"{ trainingCenter: { regionCode: { _prefix: "32" } } }"#,
        r#"{ course: { occupationCode: { _eq: "5132" } } }"#,
        r#"{ _or: [{ course: { trainingType: { _is_null: true } } }, { status: { _neq: "COMPLETED" } }] }"#,
        r#"{ course: { trainingCenter: { institutionType: { _in: ["BLKK", "LPK"] } } } }"#,
    ]
    .map(str::to_owned)
    .to_vec();
    run_filters.extend([
        format!("{{ courseId: {{ _eq: \"{}\" }} }}", courses[0]),
        format!("{{ courseId: {{ _in: [{}] }} }}", quoted(&courses)),
        format!("{{ trainingCenterId: {{ _eq: \"{}\" }} }}", bbplk_centre[0]),
        format!(
            "{{ trainingCenterId: {{ _in: [{some_centres}] }}, startDate: {{ _gte: \"2022-01-01\" }} }}"
        ),
    ]);
    run_filters.extend(provider_filters());

    let mut participant_filters: Vec<String> = [
        "",
        r#"{ sex: { _eq: "FEMALE" } }"#,
        r#"{ sex: { _neq: "FEMALE" } }"#,
        r#"{ sex: { _in: ["MALE"] } }"#,
        r#"{ sex: { _is_null: true } }"#,
        r#"{ birthYear: { _eq: 1990 } }"#,
        r#"{ birthYear: { _neq: 1990 } }"#,
        r#"{ birthYear: { _gt: 1995 } }"#,
        r#"{ birthYear: { _gte: 1995 } }"#,
        r#"{ birthYear: { _lt: 1975 } }"#,
        r#"{ birthYear: { _lte: 1975 } }"#,
        r#"{ birthYear: { _in: [1980, 1985, 1990] } }"#,
        r#"{ birthYear: { _nin: [1980, 1985, 1990] } }"#,
        r#"{ birthYear: { _is_null: true } }"#,
        r#"{ domicileRegencyCode: { _prefix: "36" } }"#,
        r#"{ domicileRegencyCode: { _prefix: "36.02" } }"#,
        r#"{ domicileRegencyCode: { _eq: "36.02" } }"#,
        r#"{ domicileRegencyCode: { _in: ["32.75", "32.16"] } }"#,
        r#"{ domicileRegencyCode: { _is_null: true } }"#,
        r#"{ employmentStatusAtRegistration: { _eq: "LAID_OFF" } }"#,
        r#"{ employmentStatusAtRegistration: { _nin: ["LAID_OFF", "UNEMPLOYED"] } }"#,
        r#"{ employmentStatusAtRegistration: { _like: "%EMPLOYED" } }"#,
        r#"{ employmentStatusAtRegistration: { _ilike: "self%" } }"#,
        r#"{ employmentStatusAtRegistration: { _is_null: true } }"#,
        r#"{ education: { _in: ["SMK", "SMA"] } }"#,
        r#"{ education: { _is_null: true } }"#,
        r#"{ nikValid: { _eq: false } }"#,
        r#"{ nikValid: { _neq: true } }"#,
        r#"{ nikValid: { _is_null: false } }"#,
        r#"{ _and: [{ sex: { _eq: "MALE" } }, { birthYear: { _gte: 1985 } }, { domicileRegencyCode: { _prefix: "36" } }] }"#,
        r#"{ _or: [{ birthYear: { _is_null: true } }, { education: { _eq: "S1" } }, { employmentStatusAtRegistration: { _eq: "EMPLOYED" } }] }"#,
        r#"{ _not: { _or: [{ sex: { _eq: "FEMALE" } }, { birthYear: { _lt: 1985 } }] } }"#,
        r#"{ _not: { birthYear: { _gt: 1990 } }, provider: { _neq: "spn" } }"#,
        r#"{ enrollments: { status: { _eq: "COMPLETED" } } }"#,
        r#"{ enrollments: { outcome: { status: { _eq: "EMPLOYED" } } } }"#,
        r#"{ _not: { enrollments: { courseRun: { fundingScheme: { _eq: "JKP" } } } } }"#,
        r#"{ enrollments: { courseRun: { trainingCenter: { regionCode: { _prefix: "36" } } }, finalScore: { _gte: 70 } } }"#,
    ]
    .map(str::to_owned)
    .to_vec();
    participant_filters.extend(provider_filters());

    let mut outcome_filters: Vec<String> = [
        "",
        r#"{ status: { _eq: "SELF_EMPLOYED" } }"#,
        r#"{ status: { _neq: "EMPLOYED" } }"#,
        r#"{ status: { _in: ["EMPLOYED", "SELF_EMPLOYED"] } }"#,
        r#"{ status: { _nin: ["SEEKING_WORK", "UNKNOWN"] } }"#,
        r#"{ status: { _like: "%EMPLOYED" } }"#,
        r#"{ observedAt: { _gte: "2024-01-01" } }"#,
        r#"{ observedAt: { _lt: "2023-06-01" } }"#,
        r#"{ observedAt: { _is_null: true } }"#,
        r#"{ workRegionCode: { _prefix: "36" } }"#,
        r#"{ enrollment: { status: { _eq: "COMPLETED" } } }"#,
        r#"{ enrollment: { courseRun: { startDate: { _gte: "2023-01-01" } } } }"#,
        r#"{ workRegionCode: { _is_null: false } }"#,
        r#"{ _or: [{ status: { _eq: "EMPLOYED" } }, { workRegionCode: { _prefix: "32" } }] }"#,
        r#"{ _not: { status: { _eq: "SELF_EMPLOYED" } }, observedAt: { _gte: "2022-01-01" } }"#,
    ]
    .map(str::to_owned)
    .to_vec();
    outcome_filters.extend(provider_filters());

    let mut award_filters: Vec<String> = [
        "",
        r#"{ category: { _eq: "COMPETENCY_CERTIFICATION" } }"#,
        r#"{ category: { _neq: "TRAINING_CERTIFICATE" } }"#,
        r#"{ category: { _in: ["TRAINING_CERTIFICATE", "UNKNOWN"] } }"#,
        r#"{ assessmentResult: { _eq: "COMPETENT" } }"#,
        r#"{ assessmentResult: { _nin: ["COMPETENT"] } }"#,
        r#"{ assessmentResult: { _is_null: true } }"#,
        r#"{ recognizedBy: { _eq: "BNSP" } }"#,
        r#"{ recognizedBy: { _neq: "BNSP" } }"#,
        r#"{ scheme: { _ilike: "%las%" } }"#,
        r#"{ issuerName: { _like: "LSP%" } }"#,
        r#"{ issuedOn: { _gte: "2024-01-01" } }"#,
        r#"{ validUntil: { _lt: "2026-01-01" } }"#,
        r#"{ assessedOn: { _is_null: false } }"#,
        r#"{ enrollment: { status: { _eq: "COMPLETED" } } }"#,
        r#"{ _or: [{ assessmentResult: { _eq: "NOT_YET_COMPETENT" } }, { issuedOn: { _lt: "2023-01-01" } }] }"#,
        r#"{ _not: { category: { _eq: "TRAINING_CERTIFICATE" } }, validUntil: { _gte: "2025-06-30" } }"#,
    ]
    .map(str::to_owned)
    .to_vec();
    award_filters.extend(provider_filters());

    let mut program_filters: Vec<String> = [
        "",
        r#"{ code: { _like: "%LAS%" } }"#,
        r#"{ name: { _ilike: "%pendingin%" } }"#,
        r#"{ field: { _eq: "Teknik Las" } }"#,
        r#"{ field: { _is_null: true } }"#,
        r#"{ occupationCode: { _in: ["7212", "2513"] } }"#,
        r#"{ occupationCode: { _neq: "7212" } }"#,
        r#"{ kkniLevel: { _gte: 3 } }"#,
        r#"{ kkniLevel: { _lt: 2 } }"#,
        r#"{ nominalHours: { _gt: 200 } }"#,
        r#"{ nominalHours: { _is_null: false } }"#,
        r#"{ _or: [{ kkniLevel: { _eq: 2 } }, { name: { _like: "Junior%" } }] }"#,
        r#"{ _not: { field: { _eq: "Teknik Las" } } }"#,
    ]
    .map(str::to_owned)
    .to_vec();
    program_filters.extend(provider_filters());

    vec![
        Root {
            field: "trainingCenters",
            node: "id sourceId provider { key } name institutionType active address { regionCode }",
            filters: centre_filters,
            orders: vec![
                "",
                "[{ name: asc }]",
                "[{ name: desc }]",
                "[{ regionCode: asc_nulls_first }, { name: asc }]",
                "[{ regionCode: desc_nulls_last }]",
                "[{ provider: desc }, { name: asc }]",
                "[{ provider: asc }]",
            ],
            orders_per_filter: 7,
            sizes: [2, 3],
        },
        Root {
            field: "courses",
            node: "id sourceId provider { key } name trainingType occupations { code } trainingCenter { id name } program { id code }",
            filters: course_filters,
            orders: vec![
                "",
                "[{ name: asc }]",
                "[{ name: desc }]",
                "[{ provider: desc }, { name: desc }]",
                "[{ provider: asc }]",
                "[{ name: desc_nulls_last }]",
            ],
            orders_per_filter: 6,
            sizes: [4, 9],
        },
        Root {
            field: "courseRuns",
            node: "id code status startDate endDate fiscalYear capacity deliveryMode fundingSchemes { code } location { code } course { id name trainingCenter { id name } }",
            filters: run_filters,
            orders: vec![
                "",
                "[{ startDate: asc }]",
                "[{ startDate: desc }]",
                "[{ fiscalYear: asc_nulls_first }, { code: asc }]",
                "[{ fiscalYear: desc_nulls_last }, { startDate: desc }]",
                "[{ fiscalYear: asc }]",
                "[{ fiscalYear: desc }]",
                "[{ endDate: desc_nulls_first }]",
                "[{ code: desc }]",
                "[{ provider: desc }, { startDate: asc }]",
                "[{ capacity: desc_nulls_last }, { code: asc }]",
            ],
            orders_per_filter: 4,
            sizes: [3, 10],
        },
        Root {
            field: "participants",
            node: "id sourceId provider { key } sex birthYear nikMasked nikValid education employmentStatusAtRegistration domicileRegency { code }",
            filters: participant_filters,
            orders: vec![
                "",
                "[{ sourceId: asc }]",
                "[{ sourceId: desc }]",
                "[{ birthYear: asc_nulls_first }, { sourceId: asc }]",
                "[{ birthYear: desc_nulls_last }]",
                "[{ birthYear: desc }, { sourceId: desc }]",
                "[{ provider: desc }, { birthYear: asc }]",
            ],
            orders_per_filter: 3,
            sizes: [4, 15],
        },
        Root {
            field: "enrollments",
            node: "id sourceId provider { key } status route registeredOn finalScore attendancePercent courseRun { id code } outcome { status }",
            filters: ENROLLMENT_FILTERS.iter().map(|f| f.to_string()).collect(),
            orders: vec![
                "",
                "[{ registeredOn: asc }]",
                "[{ registeredOn: desc_nulls_last }]",
                "[{ finalScore: desc_nulls_last }, { registeredOn: asc }]",
                "[{ attendancePercent: asc_nulls_first }]",
                "[{ status: asc }, { finalScore: asc }]",
                "[{ provider: desc }, { registeredOn: desc }]",
            ],
            orders_per_filter: 3,
            sizes: [5, 12],
        },
        Root {
            field: "outcomes",
            node: "id sourceId provider { key } status rawStatus observedAt workRegion { code } businessType",
            filters: outcome_filters,
            orders: vec![
                "",
                "[{ observedAt: asc }]",
                "[{ observedAt: desc_nulls_last }]",
                "[{ status: asc }, { observedAt: desc }]",
                "[{ status: desc }]",
                "[{ provider: desc }, { observedAt: asc_nulls_first }]",
            ],
            orders_per_filter: 3,
            sizes: [4, 11],
        },
        Root {
            field: "programs",
            node: "id sourceId provider { key } code name field { name } occupations { code } kkniLevel nominalHours method competencies { code framework } credentials { sourceId category scheme }",
            filters: program_filters,
            orders: vec![
                "",
                "[{ name: asc }]",
                "[{ code: desc }]",
                "[{ kkniLevel: asc_nulls_first }, { name: asc }]",
                "[{ nominalHours: desc_nulls_last }]",
                "[{ provider: desc }, { code: asc }]",
            ],
            orders_per_filter: 3,
            sizes: [2, 5],
        },
        Root {
            field: "credentialAwards",
            node: "id sourceId provider { key } assessmentResult assessedOn issuedOn validUntil enrollment { id } credential { sourceId name category scheme issuerName recognizedBy validFor occupations { code } }",
            filters: award_filters,
            orders: vec![
                "",
                "[{ issuedOn: asc }]",
                "[{ issuedOn: desc_nulls_last }]",
                "[{ category: asc }, { assessedOn: desc }]",
                "[{ validUntil: asc_nulls_first }]",
                "[{ provider: desc }, { issuedOn: asc_nulls_first }]",
            ],
            orders_per_filter: 3,
            sizes: [4, 11],
        },
    ]
}

/// Filters on enrolments (listed under participants and course runs).
const ENROLLMENT_FILTERS: &[&str] = &[
    "",
    r#"{ status: { _eq: "COMPLETED" } }"#,
    r#"{ status: { _neq: "COMPLETED" } }"#,
    r#"{ status: { _in: ["WITHDRAWN", "FAILED", "REJECTED"] } }"#,
    r#"{ status: { _nin: ["COMPLETED"] } }"#,
    r#"{ route: { _eq: "JKP" } }"#,
    r#"{ route: { _is_null: true } }"#,
    r#"{ route: { _like: "%O%" } }"#,
    r#"{ route: { _ilike: "vok%" } }"#,
    r#"{ registeredOn: { _gte: "2023-01-01" } }"#,
    r#"{ registeredOn: { _lt: "2022-01-01" } }"#,
    r#"{ registeredOn: { _is_null: true } }"#,
    r#"{ finalScore: { _gt: 80 } }"#,
    r#"{ finalScore: { _lte: 75.5 } }"#,
    r#"{ finalScore: { _eq: 80 } }"#,
    r#"{ finalScore: { _neq: 80 } }"#,
    r#"{ finalScore: { _is_null: true } }"#,
    r#"{ attendancePercent: { _gte: 90 } }"#,
    r#"{ attendancePercent: { _lt: 85 } }"#,
    r#"{ attendancePercent: { _is_null: false } }"#,
    r#"{ _or: [{ status: { _eq: "FAILED" } }, { finalScore: { _lt: 70 } }] }"#,
    r#"{ _not: { status: { _eq: "COMPLETED" } } }"#,
    r#"{ _and: [{ registeredOn: { _gte: "2021-01-01" } }, { _not: { finalScore: { _is_null: true } } }] }"#,
    r#"{ provider: { _eq: "bbplk" } }"#,
    r#"{ courseRun: { fiscalYear: { _gte: 2023 } } }"#,
    r#"{ outcome: { status: { _in: ["EMPLOYED", "SELF_EMPLOYED"] } } }"#,
    r#"{ outcome: { observedAt: { _gte: "2024-01-01" } } }"#,
    r#"{ credentialAwards: { category: { _eq: "COMPETENCY_CERTIFICATION" }, assessmentResult: { _eq: "COMPETENT" } } }"#,
    r#"{ participant: { sex: { _eq: "FEMALE" } }, _not: { outcome: { workRegionCode: { _prefix: "36" } } } }"#,
];

/// Nested relations: lookups by id (run → course → centre, enrolment → run, participant →
/// person) and nested lists with their own filters, orders and pages.
pub fn nested_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let enrollment = "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id sourceId status route registeredOn finalScore attendancePercent courseRun { code course { name trainingCenter { name } } } outcome { status observedAt employerName } } }";
    for (i, filter) in ENROLLMENT_FILTERS.iter().enumerate() {
        let w = arg("where", filter);
        let provider = ["", "spn", "bbplk", "bpjamsostek"][i % 4];
        let parents = if provider.is_empty() {
            String::new()
        } else {
            format!("where: {{ provider: {{ _eq: \"{provider}\" }} }}")
        };
        cases.push(Case::new(
            "participants",
            &[
                "first: 25".to_owned(),
                parents,
                format!("order_by: [{{ sourceId: {} }}]", ["asc", "desc"][i % 2]),
            ],
            &format!(
                "totalCount nodes {{ id sourceId person {{ id providers }} enrollments({}) {{ {enrollment} }} }}",
                [format!("first: {}", 1 + i % 3), w.clone()]
                    .iter()
                    .filter(|a| !a.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        cases.push(Case::new(
            "courseRuns",
            &[
                "first: 25".to_owned(),
                "order_by: [{ startDate: desc }]".to_owned(),
            ],
            &format!(
                "nodes {{ code enrollments({}) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ sourceId status participant {{ sourceId birthYear nikMasked }} }} }} }} }}",
                [format!("first: {}", 2 + i % 4), w]
                    .iter()
                    .filter(|a| !a.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let course_args = [
        "",
        r#"where: { name: { _ilike: "%a%" } }, order_by: [{ name: desc }]"#,
        r#"where: { trainingType: { _is_null: true } }"#,
        "order_by: [{ name: asc }]",
        r#"where: { _not: { occupationCode: { _eq: "5132" } } }, order_by: [{ name: asc }]"#,
    ];
    let run_args = [
        "",
        "order_by: [{ startDate: desc }]",
        r#"where: { startDate: { _gte: "2022-01-01" } }, order_by: [{ fiscalYear: asc_nulls_first }, { code: desc }]"#,
        r#"where: { status: { _neq: "COMPLETED" } }"#,
    ];
    for (i, c) in course_args.iter().enumerate() {
        for (j, r) in run_args.iter().enumerate() {
            let size = 1 + (i + j) % 3;
            let courses = if c.is_empty() {
                format!("first: {size}")
            } else {
                format!("first: {size}, {c}")
            };
            let runs = if r.is_empty() {
                "first: 2".to_owned()
            } else {
                format!("first: 2, {r}")
            };
            cases.push(Case::new(
                "trainingCenters",
                &["first: 20".to_owned(), "order_by: [{ name: asc }]".to_owned()],
                &format!(
                    "nodes {{ name supervisor {{ name }} courses({courses}) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ name trainingCenter {{ id }} runs({runs}) {{ totalCount pageInfo {{ hasNextPage }} nodes {{ code startDate fiscalYear course {{ name }} trainingCenter {{ name }} }} }} }} }} }} }}"
                ),
            ));
        }
    }
    cases.push(Case::new(
        "courseRuns",
        &["first: 50".to_owned(), "order_by: [{ code: asc }]".to_owned()],
        "nodes { code course { id name occupations { code title } trainingCenter { id name address { regionCode } } } trainingCenter { id name } partnerships { kind signedOn parties { name trainingCenter { name } } } }",
    ));
    cases
}
