//! The mapping of people (`peserta`, `pendaftaran`, `penempatan`) to the unified model, field
//! by field (UNIFIED.md §4), including each messy case of the contract, and the guarantee that
//! personal values leave the adapter only inside `ParticipantPii`, on request.

mod common;

use chrono::NaiveDate;
use common::{all, by_id, codes, TestDb, BACKENDS};
use simpul_schema::*;

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[tokio::test]
async fn participants_with_and_without_personal_data() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let people: Vec<Participant> = all(&source, true).await;
        assert_eq!(
            people.len(),
            20,
            "one participant per peserta row ({backend:?})"
        );

        let siti = by_id(&people, "1");
        assert_eq!(siti.nik_masked.as_deref(), Some("321606******9501"));
        assert!(siti.nik_valid);
        assert_eq!(siti.kpj_masked.as_deref(), Some("990*****501"));
        assert_eq!(siti.sex, Some(Sex::Female));
        assert_eq!(siti.birth_year, Some(1990));
        assert_eq!(siti.is_minor, Some(false));
        assert_eq!(siti.domicile_regency_code.as_deref(), Some("32.16"));
        assert_eq!(siti.education, Some(EducationLevel::Smk));
        assert_eq!(
            siti.employment_status_at_registration,
            Some(EmploymentStatus::LaidOff)
        );
        assert_eq!(siti.union_membership, None);
        assert!(siti.warnings.is_empty(), "{:?}", siti.warnings);
        assert_eq!(
            siti.pii,
            Some(ParticipantPii {
                nik: Some("3216065505909501".into()),
                kpj: Some("99000009501".into()),
                full_name: Some("SITI NUR'AINI".into()),
                birth_date: day("1990-05-15"),
                birth_place: Some("BEKASI".into()),
                address: Some("KP. CONTOH RT 001/RW 001".into()),
                domicile_village_code: Some("32.16.06.2002".into()),
                phone: Some("+6289900009501".into()),
                email: Some("siti.nuraini@example.org".into()),
                layoff_date: None,
                last_employer: None,
                union_card_number: None,
                disability: None,
            })
        );
        let pii = |id: &str| by_id(&people, id).pii.clone().unwrap_or_default();
        assert_eq!(
            pii("2").full_name.as_deref(),
            Some("RENÉ SIHOMBING"),
            "kept upper case"
        );
        assert_eq!(pii("2").phone.as_deref(), Some("+6289900009502"));

        let padded = by_id(&people, "3");
        assert!(padded.nik_valid, "CHAR padding is trimmed");
        assert_eq!(padded.nik_masked.as_deref(), Some("360305******9503"));
        assert_eq!(pii("3").nik.as_deref(), Some("3603051207929503"));

        for id in ["4", "5", "6"] {
            let p = by_id(&people, id);
            assert!(!p.nik_valid, "{id}");
            assert_eq!(p.nik_masked, None);
            assert_eq!(pii(id).nik, None, "an invalid NIK is not exposed");
            assert_eq!(p.warnings[0].code, "NIK_INVALID");
        }
        assert_eq!(pii("4").phone.as_deref(), Some("+6289900009504"));
        let five = by_id(&people, "5");
        assert_eq!(codes(&five.warnings), ["NIK_INVALID", "PHONE_INVALID"]);
        assert_eq!(
            (pii("5").phone, five.domicile_regency_code.clone()),
            (None, None)
        );
        assert_eq!(five.employment_status_at_registration, None);

        for id in ["7", "8"] {
            assert_eq!(
                codes(&by_id(&people, id).warnings),
                ["DUPLICATE_NIK_IN_PROVIDER"],
                "{id}"
            );
        }
        assert_eq!(by_id(&people, "8").education, Some(EducationLevel::S1));
        assert_eq!(codes(&by_id(&people, "9").warnings), ["NIK_SEX_MISMATCH"]);
        assert_eq!(
            codes(&by_id(&people, "10").warnings),
            ["NIK_BIRTH_DATE_MISMATCH"]
        );
        assert_eq!(
            by_id(&people, "11").is_minor,
            Some(true),
            "17 at first registration"
        );
        assert_eq!(
            by_id(&people, "12").education,
            Some(EducationLevel::Sma),
            "SLTA"
        );
        let thirteen = by_id(&people, "13");
        assert_eq!(thirteen.education, Some(EducationLevel::Other));
        assert_eq!(codes(&thirteen.warnings), ["ENUM_UNKNOWN"]);
        assert_eq!(pii("14").disability.as_deref(), Some("Disabilitas fisik"));
        let fifteen = by_id(&people, "15");
        assert_eq!(fifteen.kpj_masked.as_deref(), Some("KPJ**515"));
        assert_eq!(codes(&fifteen.warnings), ["VALUE_INVALID"]);
        assert_eq!(
            by_id(&people, "20").domicile_regency_code,
            None,
            "province-level code"
        );

        // Without the flag, nothing personal leaves the adapter.
        let plain: Vec<Participant> = all(&source, false).await;
        assert!(plain.iter().all(|p| p.pii.is_none()));
        let stripped: Vec<Participant> = people
            .iter()
            .cloned()
            .map(|mut p| {
                p.pii = None;
                p
            })
            .collect();
        assert_eq!(plain, stripped);
    }
}

#[tokio::test]
async fn enrollments() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let list: Vec<Enrollment> = all(&source, false).await;
        assert_eq!(
            list.len(),
            25,
            "27 rows, two duplicates merged ({backend:?})"
        );
        assert!(list
            .iter()
            .all(|e| e.source_id != "25" && e.source_id != "27"));
        let e = |id: &str| by_id(&list, id).clone();
        assert_eq!(
            e("1"),
            Enrollment {
                source_id: "1".into(),
                warnings: Vec::new(),
                participant_id: "1".into(),
                course_run_id: "BKS-ELK-2023-01".into(),
                registered_on: day("2023-01-23"),
                route: Some(EnrollmentRoute::Jkp),
                selection_status: Some(SelectionStatus::Accepted),
                status: EnrollmentStatus::Completed,
                raw_status: Some("Lulus".into()),
                final_score: Some(85.5),
                attendance_percent: Some(95.0),
            }
        );
        let kept = e("3");
        assert_eq!(kept.status, EnrollmentStatus::Failed);
        assert_eq!(
            (kept.final_score, kept.attendance_percent),
            (Some(0.0), Some(0.0)),
            "0 is valid"
        );
        assert_eq!(codes(&kept.warnings), ["DUPLICATE_KEY"]);
        let withdrew = e("4");
        assert_eq!(
            (withdrew.status, withdrew.route),
            (
                EnrollmentStatus::Withdrawn,
                Some(EnrollmentRoute::TradeUnion)
            )
        );
        assert_eq!(
            (withdrew.final_score, withdrew.attendance_percent),
            (None, Some(20.0))
        );
        let gap = e("5");
        assert_eq!(
            (gap.status, gap.raw_status.clone()),
            (EnrollmentStatus::Registered, None)
        );
        assert_eq!(gap.selection_status, Some(SelectionStatus::Reserve));
        assert_eq!(
            codes(&gap.warnings),
            ["VALUE_MISSING"],
            "finished batch, no result"
        );
        assert_eq!(e("6").status, EnrollmentStatus::Rejected);
        assert_eq!(e("6").selection_status, Some(SelectionStatus::Rejected));
        let high = e("7");
        assert_eq!(
            (high.final_score, high.attendance_percent),
            (None, Some(88.0))
        );
        assert_eq!(codes(&high.warnings), ["VALUE_OUT_OF_RANGE"]);
        let both = e("8");
        assert_eq!((both.final_score, both.attendance_percent), (None, None));
        assert_eq!(
            codes(&both.warnings),
            ["VALUE_OUT_OF_RANGE", "VALUE_OUT_OF_RANGE"]
        );
        assert_eq!(e("10").route, Some(EnrollmentRoute::Disability));
        assert_eq!(e("14").status, EnrollmentStatus::InProgress);
        assert_eq!(e("14").attendance_percent, Some(45.0));
        assert_eq!(e("15").status, EnrollmentStatus::InProgress);
        assert_eq!(
            e("16").status,
            EnrollmentStatus::Rejected,
            "Ditolak in a running batch"
        );
        for id in ["17", "18", "19"] {
            assert_eq!(e(id).status, EnrollmentStatus::Registered, "{id}");
            assert!(e(id).warnings.is_empty(), "{id}");
        }
        assert_eq!(e("26").final_score, Some(99.99));
    }
}

#[tokio::test]
async fn outcomes() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let list: Vec<Outcome> = all(&source, true).await;
        let mut ids: Vec<&str> = list.iter().map(|o| o.source_id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(
            ids,
            ["1", "11", "2", "4", "5", "6", "7", "8", "9"],
            "{backend:?}"
        );
        let wib = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
        let first = by_id(&list, "1");
        assert_eq!(
            first,
            &Outcome {
                source_id: "1".into(),
                warnings: Vec::new(),
                enrollment_id: "1".into(),
                status: OutcomeStatus::Employed,
                raw_status: "Bekerja".into(),
                observed_at: day("2023-04-20")
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .and_then(|t| t.and_local_timezone(wib).single()),
                employer_name: Some("PT Elektronik Contoh (fiktif)".into()),
                job_title: Some("Teknisi Produksi".into()),
                work_region_code: Some("32.16".into()),
                employment_start_date: day("2023-04-03"),
                business_type: None,
                business_name: None,
                monthly_revenue: None,
                source: Some("Tracer study".into()),
            }
        );
        assert_eq!(
            first.observed_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2023-04-20T00:00:00+07:00")
        );
        let business = by_id(&list, "2");
        assert_eq!(business.status, OutcomeStatus::SelfEmployed);
        assert_eq!(business.job_title, None);
        assert_eq!(
            business.business_type.as_deref(),
            Some("servis elektronik rumahan")
        );
        assert_eq!(business.source.as_deref(), Some("Laporan peserta"));
        assert_eq!(
            by_id(&list, "4").enrollment_id,
            "7",
            "the later report wins"
        );
        let moved = by_id(&list, "5");
        assert_eq!(
            moved.enrollment_id, "3",
            "attached to the kept registration"
        );
        assert_eq!(codes(&moved.warnings), ["DUPLICATE_KEY"]);
        let bare = by_id(&list, "7");
        assert_eq!(
            (bare.job_title.clone(), bare.business_type.clone()),
            (None, None)
        );
        let seeking = by_id(&list, "8");
        assert_eq!(
            (seeking.status, seeking.raw_status.as_str()),
            (OutcomeStatus::SeekingWork, "Belum Bekerja")
        );
        assert_eq!(by_id(&list, "6").source.as_deref(), Some("Mitra industri"));
        assert_eq!(
            by_id(&list, "11").business_type.as_deref(),
            Some("warung kopi")
        );
        assert_eq!(by_id(&list, "11").enrollment_id, "23");
    }
}

/// The cells of one `(…, …)` tuple line of the fixture; `None` for NULL.
fn tuple_cells(line: &str) -> Vec<Option<String>> {
    let body = line
        .trim()
        .trim_start_matches('(')
        .trim_end_matches([',', ';'])
        .trim_end_matches(')');
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = body.chars().peekable();
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('\'', true) if chars.peek() == Some(&'\'') => {
                current.push('\'');
                chars.next();
            }
            ('\'', _) => {
                quoted = !quoted;
                was_quoted = true;
            }
            (',', false) => {
                let cell = std::mem::take(&mut current);
                cells.push((was_quoted || cell.trim() != "NULL").then(|| cell.trim().to_owned()));
                was_quoted = false;
            }
            (c, _) => current.push(c),
        }
    }
    cells.push((was_quoted || current.trim() != "NULL").then(|| current.trim().to_owned()));
    cells
}

/// The personal values of the fixture's `peserta` rows: NIK, name, birth date, address,
/// phone (raw and normalised), e-mail, KPJ.
fn personal_values() -> Vec<String> {
    let block = common::SEED_SQL
        .split("INSERT INTO peserta")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default();
    let mut values = Vec::new();
    for line in block
        .lines()
        .filter(|l| l.trim_start().starts_with('(') && !l.contains("VALUES"))
    {
        let cells = tuple_cells(line);
        for i in [1, 2, 5, 7, 9, 10, 12] {
            if let Some(Some(v)) = cells.get(i) {
                values.push(v.clone());
            }
        }
        if let Some(phone) = cells
            .get(9)
            .cloned()
            .flatten()
            .and_then(|p| simpul_schema::identity::normalize_phone(&p))
        {
            values.push(phone);
        }
    }
    // Certificate and registration numbers identify a person too.
    let certificates = common::SEED_SQL
        .split("INSERT INTO sertifikasi")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default();
    for line in certificates
        .lines()
        .filter(|l| l.trim_start().starts_with('(') && !l.contains("VALUES"))
    {
        let cells = tuple_cells(line);
        for i in [7, 8] {
            if let Some(Some(v)) = cells.get(i) {
                values.push(v.clone());
            }
        }
    }
    values
}

/// No warning, rejected-row reason or response without personal data carries a NIK, KPJ,
/// name, birth date, address, phone or e-mail from the fixture.
#[tokio::test]
async fn no_personal_values_outside_pii() {
    let personal = personal_values();
    assert!(personal.contains(&"SITI NUR'AINI".to_owned()));
    assert!(
        personal.contains(&"3603051207929503".to_owned()),
        "padded NIKs are trimmed"
    );
    assert!(personal.contains(&"+6289900009502".to_owned()));
    assert!(personal.contains(&"REG/LSP-X-01/2023/00001".to_owned()));
    assert!(personal.contains(&"SP/BKS-ELK-2023-01/001".to_owned()));
    assert_eq!(
        personal
            .iter()
            .filter(|v| v.contains("example.org"))
            .count(),
        6
    );
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let mut text = String::new();
        for &collection in Collection::ALL {
            let response = source.query(&QueryRequest::all(collection)).await.unwrap();
            text.push_str(&serde_json::to_string(&response).unwrap());
        }
        text.push_str(&serde_json::to_string(&source.status().await.unwrap()).unwrap());
        for value in &personal {
            assert!(
                !text.contains(value.as_str()),
                "{backend:?}: `{value}` leaked"
            );
        }
        // With the flag, they are there (the check above is not vacuous).
        let mut with = QueryRequest::all(Collection::Participants);
        with.include_pii = true;
        let clear = serde_json::to_string(&source.query(&with).await.unwrap()).unwrap();
        assert!(clear.contains("SITI NUR'AINI") && clear.contains("1990-05-15"));
    }
}
