//! UNIFIED.md §5 field by field, and every messy case of the demo data (CONTRACT.md §5), read
//! through the simulator over HTTP with a key that has `pii:read`.

mod common;

use chrono::NaiveDate;
use common::*;
use simpul_schema::{
    CourseRunStatus, DeliveryMode, EmploymentStatus, EnrollmentRoute, EnrollmentStatus,
    FundingSchemeCode, InstitutionType, LicenseKind, Money, OutcomeStatus, PartnershipKind,
    SelectionStatus, Sex, TargetGroup, TrainingType,
};

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[tokio::test]
async fn training_centers_licences_and_the_partner_rule() {
    let sim = simulator().await;
    let centres = training_centers(&adapter(&sim, FULL)).await;
    assert_eq!(centres.len(), 7);
    let get = |id| find(&centres, id, |c| &c.source_id);

    let lm1 = get("LM-0001");
    assert_eq!(lm1.name, "LPK Teknik Krakatau (fiktif)");
    assert_eq!(lm1.institution_type, InstitutionType::Lpk);
    let address = lm1.address.as_ref().unwrap();
    assert_eq!(
        address.street_address.as_deref(),
        Some("Jl. Baja Raya No. 3 (fiktif)")
    );
    assert_eq!(address.region_code.as_deref(), Some("36.72.02.1003"));
    let licence = &lm1.licenses[0];
    assert_eq!(licence.kind, LicenseKind::DisnakerOperatingLicense);
    assert_eq!(licence.number.as_deref(), Some("563/096/LPK/2015 (fiktif)"));
    assert_eq!(
        licence.issuer.as_deref(),
        Some("Dinas Tenaga Kerja Kota Cilegon (fiktif)")
    );
    assert_eq!(licence.issued_on, ymd(2015, 3, 9));
    assert_eq!(licence.valid_until, None);
    assert_eq!(lm1.years_of_experience, Some(4));
    let contact = lm1.contact.as_ref().unwrap();
    assert_eq!(
        contact.email.as_deref(),
        Some("admin@lpk-krakatau.example.org")
    );
    assert_eq!(contact.telephone.as_deref(), Some("+622549600001"));
    assert_eq!(lm1.active, Some(true));
    assert!(lm1.warnings.is_empty(), "{:?}", lm1.warnings);

    let lm2 = get("LM-0002");
    assert_eq!(lm2.institution_type, InstitutionType::Lkp);
    assert_eq!(lm2.active, Some(false), "NONAKTIF");
    assert_eq!(lm2.licenses[0].valid_until, ymd(2024, 6, 30));
    assert_eq!(
        lm2.contact.as_ref().unwrap().telephone.as_deref(),
        Some("+6289900009602")
    );

    let lm3 = get("LM-0003");
    assert_eq!(lm3.institution_type, InstitutionType::Lsp);
    assert_eq!(lm3.address.as_ref().unwrap().street_address, None);
    assert_eq!(
        lm3.address.as_ref().unwrap().region_code.as_deref(),
        Some("32.75.01")
    );
    assert_eq!(lm3.contact.as_ref().unwrap().telephone, None);

    // BLK named "BLK Komunitas" → BLKK (heuristic, warned); kontak null; exactly 1 year is OK.
    let lm4 = get("LM-0004");
    assert_eq!(lm4.institution_type, InstitutionType::Blkk);
    assert_eq!(codes(&lm4.warnings), ["INSTITUTION_TYPE_INFERRED"]);
    assert_eq!(lm4.contact, None);
    assert_eq!(lm4.years_of_experience, Some(1));

    // 0 years: kept, with the partner-rule warning; no PKS; suspended; absent fields; an
    // unknown field ignored.
    let lm5 = get("LM-0005");
    assert_eq!(lm5.institution_type, InstitutionType::Other);
    assert_eq!(lm5.years_of_experience, Some(0));
    assert!(has(
        &lm5.warnings,
        "PARTNER_RULE_VIOLATION",
        "meetsVokasiPartnerCriteria"
    ));
    assert!(has(&lm5.warnings, "PARTNERSHIP_MISSING", "partnerships"));
    assert_eq!(lm5.active, Some(false), "DITANGGUHKAN");
    assert_eq!(lm5.contact, None);
    assert_eq!(
        lm5.address.as_ref().unwrap().region_code.as_deref(),
        Some("36.73")
    );

    // A BLK that is no BLK Komunitas; no licence at all; a phone that is no phone.
    let lm6 = get("LM-0006");
    assert_eq!(lm6.institution_type, InstitutionType::Other);
    assert!(lm6.licenses.is_empty());
    assert!(has(
        &lm6.warnings,
        "PARTNER_RULE_VIOLATION",
        "meetsVokasiPartnerCriteria"
    ));
    assert!(has(&lm6.warnings, "PHONE_INVALID", "contact.telephone"));
    assert_eq!(
        lm6.contact.as_ref().unwrap().email.as_deref(),
        Some("blk.cisoka@example.org")
    );
    assert!(!codes(&lm6.warnings).contains(&"INSTITUTION_TYPE_INFERRED"));

    // Future enum values: OTHER / null with the value quoted; an undotted region code.
    let lm7 = get("LM-0007");
    assert_eq!(lm7.institution_type, InstitutionType::Other);
    assert!(lm7.warnings.iter().any(|w| w.code == "ENUM_UNKNOWN"
        && w.field.as_deref() == Some("institutionType")
        && w.message.contains("POLITEKNIK")));
    assert_eq!(lm7.active, None);
    assert!(has(&lm7.warnings, "ENUM_UNKNOWN", "active"));
    assert_eq!(
        lm7.address.as_ref().unwrap().region_code.as_deref(),
        Some("36.73")
    );
    assert_eq!(lm7.contact, None);
}

#[tokio::test]
async fn partnerships_are_one_pks_per_partner() {
    let sim = simulator().await;
    let all = partnerships(&adapter(&sim, FULL)).await;
    let ids: Vec<_> = all.iter().map(|p| p.source_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "LM-0001/pks",
            "LM-0002/pks",
            "LM-0003/pks",
            "LM-0004/pks",
            "LM-0006/pks",
            "LM-0007/pks"
        ]
    );
    let p = &all[0];
    assert_eq!(p.kind, PartnershipKind::Pks);
    assert_eq!(
        p.document_number.as_deref(),
        Some("PKS/VOKASI/DEMO/2019/001 (fiktif)")
    );
    assert_eq!(p.signed_on, ymd(2019, 10, 14));
    assert_eq!(p.status.as_deref(), Some("AKTIF"));
    assert_eq!(p.parties.len(), 2);
    assert!(p.parties[0].name.contains("BPJAMSOSTEK"));
    assert_eq!(p.parties[1].training_center_id.as_deref(), Some("LM-0001"));
    assert_eq!(p.parties[1].name, "LPK Teknik Krakatau (fiktif)");
    assert_eq!(p.parties[1].kind.as_deref(), Some("LPK"));
    // A PKS date that is not ISO: null with a warning.
    let lm6 = find(&all, "LM-0006/pks", |p| &p.source_id);
    assert_eq!(lm6.signed_on, None);
    assert!(has(&lm6.warnings, "DATE_INVALID", "signedOn"));
}

#[tokio::test]
async fn one_programme_is_one_course_and_one_run() {
    let sim = simulator().await;
    let a = adapter(&sim, FULL);
    let courses = courses(&a).await;
    let runs = course_runs(&a).await;
    // PV-2021-0004 names a partner the API does not list: skipped.
    assert_eq!(courses.len(), 9);
    assert_eq!(runs.len(), 9);
    for (c, r) in courses.iter().zip(&runs) {
        assert_eq!(c.source_id, r.source_id);
        assert_eq!(r.course_id, c.source_id);
        assert_eq!(r.code, r.source_id);
        assert_eq!(c.training_center_id, r.training_center_id);
    }
    let course = find(&courses, "PV-2019-0001", |c| &c.source_id);
    assert_eq!(course.name, "Pelatihan Operator Crane Dasar");
    assert_eq!(course.training_center_id, "LM-0001");
    assert_eq!(course.field.as_ref().unwrap().name, "Alat berat");
    assert_eq!(course.occupation_codes, ["8343"]);
    assert_eq!(course.target_groups, [TargetGroup::LaidOff]);
    assert_eq!(course.training_type, Some(TrainingType::Reskilling));
    assert!(course.warnings.is_empty());
    let run = find(&runs, "PV-2019-0001", |r| &r.source_id);
    assert_eq!(run.start_date, ymd(2019, 11, 11));
    assert_eq!(run.end_date, ymd(2019, 12, 20));
    assert_eq!(run.status, CourseRunStatus::Completed);
    assert_eq!(run.delivery_mode, Some(DeliveryMode::InPerson));
    assert_eq!(run.location_code.as_deref(), Some("36.72"));
    assert_eq!(run.capacity, Some(20));
    assert_eq!(run.nominal_hours, Some(120));
    assert_eq!(run.fiscal_year, Some(2019));
    assert_eq!(run.cost_per_participant, Some(Money::idr(4_500_000)));
    assert_eq!(run.funding_schemes, [FundingSchemeCode::Vokasi2019]);
    assert_eq!(run.partnership_ids, ["LM-0001/pks"]);
    assert!(run
        .description
        .as_deref()
        .unwrap()
        .contains("operator crane"));
    assert!(run.warnings.is_empty(), "{:?}", run.warnings);

    let get_run = |id| find(&runs, id, |r| &r.source_id);
    let get_course = |id| find(&courses, id, |c| &c.source_id);
    // More than one target group: no training type; a district-level location.
    assert_eq!(get_course("PV-2019-0002").training_type, None);
    assert_eq!(
        get_run("PV-2019-0002").location_code.as_deref(),
        Some("36.72.02")
    );
    // Free of charge is valid; online; the 2020 scheme.
    let free = get_run("PV-2020-0001");
    assert_eq!(free.cost_per_participant, Some(Money::idr(0)));
    assert_eq!(free.delivery_mode, Some(DeliveryMode::Online));
    assert_eq!(
        free.funding_schemes,
        [FundingSchemeCode::VokasiIndonesiaPekerja]
    );
    // kuota 0 and a non-ISO end date: null with warnings.
    let messy = get_run("PV-2020-0002");
    assert_eq!(messy.capacity, None);
    assert!(has(&messy.warnings, "VALUE_OUT_OF_RANGE", "capacity"));
    assert_eq!(messy.end_date, None);
    assert!(has(&messy.warnings, "DATE_INVALID", "endDate"));
    assert_eq!(
        get_run("PV-2020-0003").delivery_mode,
        Some(DeliveryMode::Blended)
    );
    assert_eq!(
        get_course("PV-2020-0003").target_groups,
        [TargetGroup::Migrant, TargetGroup::Informal]
    );
    // Open, no end date, unknown method and scheme, negative hours.
    let open = get_run("PV-2021-0001");
    assert_eq!(open.status, CourseRunStatus::Open);
    assert_eq!(open.end_date, None);
    assert_eq!(open.delivery_mode, None);
    assert!(has(&open.warnings, "ENUM_UNKNOWN", "deliveryMode"));
    assert_eq!(open.funding_schemes, [FundingSchemeCode::Other]);
    assert!(has(&open.warnings, "ENUM_UNKNOWN", "fundingSchemes"));
    assert_eq!(open.nominal_hours, None);
    assert!(has(&open.warnings, "VALUE_OUT_OF_RANGE", "nominalHours"));
    // Running; end before start; negative cost; no KBJI; no target groups.
    let running = get_run("PV-2021-0002");
    assert_eq!(running.status, CourseRunStatus::Running);
    assert_eq!(running.start_date, ymd(2021, 9, 6));
    assert_eq!(running.end_date, None);
    assert!(has(&running.warnings, "VALUE_OUT_OF_RANGE", "endDate"));
    assert_eq!(running.cost_per_participant, None);
    assert!(has(
        &running.warnings,
        "VALUE_OUT_OF_RANGE",
        "costPerParticipant"
    ));
    assert!(running.partnership_ids.is_empty(), "LM-0005 has no PKS");
    let c = get_course("PV-2021-0002");
    assert!(c.occupation_codes.is_empty() && c.target_groups.is_empty() && c.field.is_none());
    // Cancelled; no location/cost; an unknown target group; a KBJI code outside the table.
    let cancelled = get_run("PV-2021-0003");
    assert_eq!(cancelled.status, CourseRunStatus::Cancelled);
    assert_eq!(
        (
            cancelled.location_code.as_ref(),
            cancelled.cost_per_participant.as_ref()
        ),
        (None, None)
    );
    let c = get_course("PV-2021-0003");
    assert_eq!(c.target_groups, [TargetGroup::Employed]);
    assert!(has(&c.warnings, "ENUM_UNKNOWN", "targetGroups"));
    assert_eq!(c.occupation_codes, ["9999"]);
    assert!(has(&c.warnings, "OCCUPATION_UNKNOWN", "occupationCode"));
    // An unknown status value.
    let unknown = get_run("PV-2022-0001");
    assert_eq!(unknown.status, CourseRunStatus::Unknown);
    assert!(has(&unknown.warnings, "ENUM_UNKNOWN", "status"));
}

#[tokio::test]
async fn participants_one_per_valid_kpj_keyed_by_hmac() {
    let sim = simulator().await;
    let people = participants(&adapter(&sim, FULL)).await;
    assert_eq!(people.len(), 21);
    for p in &people {
        assert!(
            p.source_id.starts_with('k') || p.source_id.starts_with("PP-"),
            "{}",
            p.source_id
        );
        assert!(!p.source_id.contains("990960"), "a key contains a KPJ");
    }
    let get = |kpj: &str| find(&people, &key_of(kpj), |p| &p.source_id);

    let a = get("99096000000");
    assert_eq!(a.nik_masked.as_deref(), Some("367202******9600"));
    assert!(a.nik_valid);
    assert_eq!(a.kpj_masked.as_deref(), Some("990*****000"));
    assert_eq!(a.sex, Some(Sex::Male));
    assert_eq!(a.birth_year, Some(1988));
    assert_eq!(a.is_minor, Some(false));
    assert_eq!(a.domicile_regency_code.as_deref(), Some("36.72"));
    assert_eq!(
        a.employment_status_at_registration,
        Some(EmploymentStatus::LaidOff)
    );
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    let pii = a.pii.as_ref().unwrap();
    assert_eq!(pii.nik.as_deref(), Some("3672021204889600"));
    assert_eq!(pii.kpj.as_deref(), Some("99096000000"));
    assert_eq!(pii.full_name.as_deref(), Some("Rahmat Hidayat"));
    assert_eq!(pii.birth_date, ymd(1988, 4, 12));
    assert_eq!(pii.domicile_village_code.as_deref(), Some("36.72.02.1001"));
    assert_eq!(pii.phone.as_deref(), Some("+628990009600"));
    assert_eq!(pii.email.as_deref(), Some("rahmat.9600@example.org"));

    // An invalid KPJ: keyed on the enrolment, with a warning; nothing exposed.
    let o = find(&people, "PP-2019-00004", |p| &p.source_id);
    assert!(has(&o.warnings, "KPJ_INVALID", "kpj"));
    assert_eq!(o.kpj_masked, None);
    assert_eq!(o.pii.as_ref().unwrap().kpj, None);

    // Invalid NIKs (15 digits; impossible month): not exposed, not valid.
    for kpj in ["99096000004", "99096000008"] {
        let p = get(kpj);
        assert!(!p.nik_valid);
        assert_eq!(p.nik_masked, None);
        assert_eq!(p.pii.as_ref().unwrap().nik, None);
        assert!(has(&p.warnings, "NIK_INVALID", "nik"));
    }
    // Sex and birth date disagreeing with the NIK.
    let m = get("99096000012");
    assert_eq!(m.sex, Some(Sex::Female));
    assert!(has(&m.warnings, "NIK_SEX_MISMATCH", "sex"));
    assert!(has(&m.warnings, "NIK_BIRTH_DATE_MISMATCH", "birthDate"));
    // A minor at registration.
    assert_eq!(get("99096000011").is_minor, Some(true));
    // Non-ISO birth date, invalid phone, unknown employment status: null, unquoted warnings.
    let n = get("99096000013");
    assert_eq!(n.birth_year, None);
    assert!(has(&n.warnings, "DATE_INVALID", "birthDate"));
    assert!(has(&n.warnings, "PHONE_INVALID", "phone"));
    assert_eq!(n.employment_status_at_registration, None);
    assert!(has(
        &n.warnings,
        "ENUM_UNKNOWN",
        "employmentStatusAtRegistration"
    ));
    assert!(n.warnings.iter().all(|w| !w.message.contains("PENSIUNAN")
        && !w.message.contains("08/01/1990")
        && !w.message.contains("12345")));
    // A domicile code outside the reference table: kept, warned, not quoted.
    let f = get("99096000005");
    assert_eq!(f.domicile_regency_code.as_deref(), Some("36.03"));
    assert!(has(&f.warnings, "REGION_UNKNOWN", "domicileVillage"));
    assert!(f.warnings.iter().all(|w| !w.message.contains("36.03.99")));
    // Two KPJs, one NIK.
    for kpj in ["99096000015", "99096000099"] {
        assert!(has(&get(kpj).warnings, "DUPLICATE_NIK_IN_PROVIDER", "nik"));
    }
    // The latest dated enrolment speaks for the person (the 2021 one has a non-ISO date):
    // phone in 08… form normalised, e-mail absent.
    let h = get("99096000007");
    assert_eq!(
        h.pii.as_ref().unwrap().phone.as_deref(),
        Some("+628990009607")
    );
    assert_eq!(h.pii.as_ref().unwrap().email, None);
    // A migrant worker; an active worker.
    assert_eq!(
        get("99096000009").employment_status_at_registration,
        Some(EmploymentStatus::Migrant)
    );
    assert_eq!(
        get("99096000016").employment_status_at_registration,
        Some(EmploymentStatus::Employed)
    );
}

#[tokio::test]
async fn enrolments_keep_their_status_route_and_date() {
    let sim = simulator().await;
    let all = enrollments(&adapter(&sim, FULL)).await;
    assert_eq!(all.len(), 25);
    let get = |id| find(&all, id, |e| &e.source_id);

    let e = get("PP-2019-00001");
    assert_eq!(e.participant_id, key_of("99096000000"));
    assert_eq!(e.course_run_id, "PV-2019-0001");
    assert_eq!(e.registered_on, ymd(2019, 10, 28));
    assert_eq!(e.route, Some(EnrollmentRoute::Vokasi));
    assert_eq!(e.selection_status, Some(SelectionStatus::Accepted));
    assert_eq!(e.status, EnrollmentStatus::Completed);
    assert_eq!(e.raw_status.as_deref(), Some("LULUS"));
    assert!(e.warnings.is_empty());

    // A UTC timestamp: the date in +07:00 is the next day.
    assert_eq!(get("PP-2019-00002").registered_on, ymd(2019, 10, 29));
    // No offset: read as +07:00, warned.
    let no_offset = get("PP-2020-00003");
    assert_eq!(no_offset.registered_on, ymd(2020, 6, 2));
    assert!(has(
        &no_offset.warnings,
        "TIMESTAMP_OFFSET_MISSING",
        "registeredOn"
    ));
    // Not ISO at all; an unknown status.
    let messy = get("PP-2021-00003");
    assert_eq!(messy.registered_on, None);
    assert!(has(&messy.warnings, "DATE_INVALID", "registeredOn"));
    assert_eq!(messy.status, EnrollmentStatus::Unknown);
    assert_eq!(messy.raw_status.as_deref(), Some("DITUNDA"));
    assert!(has(&messy.warnings, "ENUM_UNKNOWN", "status"));
    for (id, status) in [
        ("PP-2019-00003", EnrollmentStatus::Failed),
        ("PP-2019-00007", EnrollmentStatus::Withdrawn),
        ("PP-2021-00001", EnrollmentStatus::InProgress),
        ("PP-2021-00002", EnrollmentStatus::Registered),
    ] {
        assert_eq!(get(id).status, status, "{id}");
    }
    // Served twice identically: one, with a warning. Twice with different content: the first.
    assert!(has(
        &get("PP-2020-00011").warnings,
        "DUPLICATE_RECORD",
        "sourceId"
    ));
    let conflict = get("PP-2020-00012");
    assert_eq!(conflict.status, EnrollmentStatus::Completed);
    assert!(has(&conflict.warnings, "DUPLICATE_KEY", "sourceId"));
    // The same KPJ in two programmes is one participant.
    assert_eq!(
        get("PP-2019-00005").participant_id,
        get("PP-2020-00007").participant_id
    );
    // The invalid KPJ's enrolment points at the participant keyed on it.
    assert_eq!(get("PP-2019-00004").participant_id, "PP-2019-00004");
}

#[tokio::test]
async fn outcomes_map_statuses_dates_and_skip_unknown_enrolments() {
    let sim = simulator().await;
    let all = outcomes(&adapter(&sim, FULL)).await;
    assert_eq!(all.len(), 14, "PN-00013 names no known enrolment");
    let get = |id| find(&all, id, |o| &o.source_id);

    let o = get("PN-00001");
    assert_eq!(o.enrollment_id, "PP-2019-00001");
    assert_eq!(o.status, OutcomeStatus::Employed);
    assert_eq!(o.raw_status, "BEKERJA_KEMBALI");
    assert_eq!(
        o.observed_at.unwrap().to_rfc3339(),
        "2019-12-27T10:01:00+07:00"
    );
    assert_eq!(
        o.employer_name.as_deref(),
        Some("PT Baja Pesisir Cilegon (fiktif)")
    );
    assert_eq!(o.job_title.as_deref(), Some("Operator crane"));
    assert_eq!(o.employment_start_date, ymd(2019, 12, 16));
    assert_eq!(o.source.as_deref(), Some("LEMBAGA_MITRA"));
    assert_eq!(o.monthly_revenue, None);
    assert!(o.warnings.is_empty());

    assert_eq!(get("PN-00002").status, OutcomeStatus::Interviewing);
    assert_eq!(get("PN-00003").status, OutcomeStatus::SeekingWork);
    let business = get("PN-00006");
    assert_eq!(business.status, OutcomeStatus::SelfEmployed);
    assert_eq!(business.business_type.as_deref(), Some("Jahit rumahan"));
    // UTC normalised to +07:00; a start date that is no date.
    let utc = get("PN-00005");
    assert_eq!(
        utc.observed_at.unwrap().to_rfc3339(),
        "2020-01-10T10:00:00+07:00"
    );
    assert_eq!(utc.employment_start_date, None);
    assert!(has(&utc.warnings, "DATE_INVALID", "employmentStartDate"));
    assert!(has(
        &get("PN-00008").warnings,
        "TIMESTAMP_OFFSET_MISSING",
        "observedAt"
    ));
    // A future status value: OTHER, raw kept, warned.
    let future = get("PN-00009");
    assert_eq!(future.status, OutcomeStatus::Other);
    assert_eq!(future.raw_status, "MAGANG");
    assert!(has(&future.warnings, "ENUM_UNKNOWN", "status"));
    let undated = get("PN-00011");
    assert_eq!(undated.observed_at, None);
    assert!(has(&undated.warnings, "DATE_INVALID", "observedAt"));
    assert!(has(
        &get("PN-00014").warnings,
        "VALUE_CONFLICT",
        "enrollmentId"
    ));
    assert_eq!(get("PN-00015").source.as_deref(), Some("MEDIA_SOSIAL"));
}

#[tokio::test]
async fn source_status_reports_skipped_records_freshness_and_counts() {
    let sim = simulator().await;
    let status = adapter(&sim, FULL).status().await.unwrap();
    assert_eq!(
        status.data_as_of.as_deref(),
        Some("2024-07-01T08:30:00+07:00")
    );
    let counts = &status.record_counts;
    assert_eq!(counts["trainingCenters"], 7);
    assert_eq!(counts["courses"], 9);
    assert_eq!(counts["courseRuns"], 9);
    assert_eq!(counts["participants"], 21);
    assert_eq!(counts["enrollments"], 25);
    assert_eq!(counts["outcomes"], 14);
    assert_eq!(counts["partnerships"], 6);
    assert_eq!(counts["credentialAwards"], 20);
    let reasons: Vec<String> = status
        .rejected
        .iter()
        .map(|i| format!("{}: {}", i.source, i.reason))
        .collect();
    let mentions = |needle: &str| reasons.iter().any(|r| r.contains(needle));
    assert!(mentions("PV-2021-0004"), "{reasons:#?}");
    assert!(
        mentions("`PP-2020-00011` served twice with identical content"),
        "{reasons:#?}"
    );
    assert!(
        mentions("`PP-2020-00012` served twice with different content"),
        "{reasons:#?}"
    );
    assert!(mentions("placement `PN-00013`"), "{reasons:#?}");
    assert!(status.warnings > 0);
}
