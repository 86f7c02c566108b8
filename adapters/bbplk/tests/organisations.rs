//! The mapping of institutions and what they offer (`lembaga`, courses, `angkatan`,
//! `kemitraan`) to the unified model, field by field (UNIFIED.md §4), including each messy case
//! of the contract, on SQLite and PostgreSQL.

mod common;

use chrono::NaiveDate;
use common::{all, by_id, codes, TestDb, BACKENDS};
use simpul_schema::*;

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[tokio::test]
async fn training_centers() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let centers: Vec<TrainingCenter> = all(&source, false).await;
        assert_eq!(centers.len(), 5, "{backend:?}");
        let bks = by_id(&centers, "LBG-BKS");
        assert_eq!(bks.name, "BBPLK Contoh Bekasi (fiktif)");
        assert_eq!(
            bks.alternate_names,
            [
                "BBPVP Contoh Bekasi (fiktif)",
                "Balai Besar Contoh (fiktif)",
                "CONTOH"
            ]
        );
        assert_eq!(bks.institution_type, InstitutionType::Uptp);
        assert_eq!(bks.sector, Some(AgentSector::Public));
        assert_eq!(bks.supervisor_id, None);
        assert_eq!(
            bks.address,
            Some(Address {
                street_address: Some("Jl. Contoh Raya No. 1 (fiktif)".into()),
                region_code: Some("32.75.04.1005".into()),
            })
        );
        assert_eq!(bks.founded_year, Some(1990));
        let fields: Vec<(Option<&str>, &str)> = bks
            .fields
            .iter()
            .map(|f| (f.code.as_deref(), f.name.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                (Some("ELK"), "Elektronika"),
                (Some("TIK"), "Teknologi Informasi dan Komunikasi"),
                (Some("TPD"), "Teknik Pendingin"),
            ]
        );
        assert_eq!(
            bks.contact,
            Some(ContactPoint {
                email: Some("info.bks@example.org".into()),
                telephone: Some("+6289900009001".into()),
            })
        );
        assert_eq!(bks.active, Some(true));
        assert!(bks.warnings.is_empty(), "{:?}", bks.warnings);
        assert!(bks.facilities.is_empty() && bks.licenses.is_empty());

        let srg = by_id(&centers, "LBG-SRG");
        assert_eq!(srg.alternate_names, Vec::<String>::new());
        assert_eq!(
            srg.address,
            Some(Address {
                street_address: None,
                region_code: Some("36.73".into())
            })
        );
        assert_eq!((srg.contact.clone(), srg.founded_year), (None, None));
        assert_eq!(srg.fields.len(), 1);

        let blkk = by_id(&centers, "BLKK-3603-901");
        assert_eq!(blkk.institution_type, InstitutionType::Blkk);
        assert_eq!(blkk.sector, Some(AgentSector::Community));
        assert_eq!(blkk.supervisor_id.as_deref(), Some("LBG-SRG"));
        assert_eq!(
            blkk.contact.as_ref().and_then(|c| c.telephone.as_deref()),
            Some("12345"),
            "an organisation's unusable phone is kept as given"
        );
        assert_eq!(codes(&blkk.warnings), ["PHONE_INVALID"]);

        let lpk = by_id(&centers, "LPK-3216-902");
        assert_eq!(lpk.institution_type, InstitutionType::Lpk);
        assert_eq!(lpk.sector, Some(AgentSector::Private));
        assert_eq!(lpk.active, Some(false));
        assert!(lpk.fields.is_empty());
        assert_eq!(
            lpk.contact.as_ref().and_then(|c| c.telephone.as_deref()),
            Some("+6289900009004")
        );

        let uptd = by_id(&centers, "UPTD-3602-903");
        assert_eq!(uptd.institution_type, InstitutionType::Uptd);
        assert_eq!(uptd.sector, Some(AgentSector::Public));
        assert_eq!(uptd.supervisor_id.as_deref(), Some("LBG-SRG"));
    }
}

#[tokio::test]
async fn courses_are_distinct_center_programme_pairs() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let courses: Vec<Course> = all(&source, false).await;
        let mut ids: Vec<&str> = courses.iter().map(|c| c.source_id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(
            ids,
            [
                "BLKK-3603-901/PRG-PAR-01",
                "LBG-BKS/PRG-ELK-01",
                "LBG-BKS/PRG-TIK-01",
                "LBG-BKS/PRG-TPD-01",
                "LBG-SRG/PRG-LAS-01",
                "LPK-3216-902/PRG-TIK-01",
                "UPTD-3602-903/PRG-TIK-02",
            ],
            "{backend:?}"
        );
        let elk = by_id(&courses, "LBG-BKS/PRG-ELK-01");
        assert_eq!(elk.name, "Teknisi Elektronika Dasar");
        assert_eq!(elk.course_code.as_deref(), Some("PRG-ELK-01"));
        assert_eq!(elk.program_id.as_deref(), Some("PRG-ELK-01"));
        assert_eq!(elk.training_center_id, "LBG-BKS");
        assert_eq!(
            elk.field,
            Some(TrainingField {
                code: Some("ELK".into()),
                name: "Elektronika".into()
            })
        );
        assert_eq!(elk.training_type, None);
        assert!(elk.target_groups.is_empty());
        assert_eq!(elk.occupation_codes, ["7421"]);
        assert!(elk.warnings.is_empty());
        let par = by_id(&courses, "BLKK-3603-901/PRG-PAR-01");
        assert_eq!(par.name, "Barista & Pâtisserie Dasar");
        assert!(
            par.occupation_codes.is_empty(),
            "no KBJI code → no occupation"
        );
    }
}

#[tokio::test]
async fn course_runs() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let runs: Vec<CourseRun> = all(&source, false).await;
        assert_eq!(runs.len(), 9, "{backend:?}");
        let r = by_id(&runs, "BKS-ELK-2023-01");
        assert_eq!(
            r,
            &CourseRun {
                source_id: "BKS-ELK-2023-01".into(),
                warnings: Vec::new(),
                code: "BKS-ELK-2023-01".into(),
                course_id: "LBG-BKS/PRG-ELK-01".into(),
                training_center_id: "LBG-BKS".into(),
                start_date: day("2023-02-06"),
                end_date: day("2023-03-17"),
                status: CourseRunStatus::Completed,
                delivery_mode: Some(DeliveryMode::InPerson),
                location_code: Some("32.75.04.1005".into()),
                capacity: Some(16),
                nominal_hours: Some(240),
                fiscal_year: Some(2023),
                cohort: Some(1),
                cost_per_participant: None,
                funding_schemes: vec![FundingSchemeCode::ApbnPbk],
                partnership_ids: Vec::new(),
                instructor: Some("Instruktur A (fiktif)".into()),
                description: None,
            }
        );
        let jkp = by_id(&runs, "BKS-TPD-2023-JKP1");
        assert_eq!(jkp.funding_schemes, [FundingSchemeCode::Jkp]);
        assert_eq!(jkp.nominal_hours, None, "durasi_jp 0");
        assert_eq!(codes(&jkp.warnings), ["VALUE_OUT_OF_RANGE"]);
        assert_eq!(jkp.warnings[0].field.as_deref(), Some("nominalHours"));
        assert_eq!(
            jkp.description.as_deref(),
            Some("Angkatan khusus peserta JKP")
        );

        let backwards = by_id(&runs, "BKS-TIK-2024-01");
        assert_eq!(
            (backwards.start_date, backwards.end_date),
            (day("2024-03-04"), None)
        );
        assert_eq!(codes(&backwards.warnings), ["DATE_ORDER_INVALID"]);
        assert_eq!(backwards.delivery_mode, Some(DeliveryMode::Online));
        assert_eq!(backwards.funding_schemes, [FundingSchemeCode::Pnbp]);

        let running = by_id(&runs, "SRG-LAS-2024-01");
        assert_eq!(running.status, CourseRunStatus::Running);
        assert_eq!(running.end_date, None);
        assert_eq!(running.capacity, None, "kuota 0");
        assert_eq!(codes(&running.warnings), ["VALUE_OUT_OF_RANGE"]);
        assert_eq!(running.location_code.as_deref(), Some("36.73"));

        let open = by_id(&runs, "SRG-LAS-2025-01");
        assert_eq!(open.status, CourseRunStatus::Open);
        assert_eq!(open.capacity, None, "kuota -5");
        assert_eq!(open.delivery_mode, Some(DeliveryMode::Blended));
        assert_eq!(open.funding_schemes, [FundingSchemeCode::PartnerFunded]);

        let cancelled = by_id(&runs, "CSK-PAR-2024-01");
        assert_eq!(cancelled.status, CourseRunStatus::Cancelled);
        assert_eq!((cancelled.cohort, cancelled.nominal_hours), (None, None));
        assert_eq!(cancelled.description, None, "blank notes");
        assert_eq!(
            by_id(&runs, "LBK-TIK-2025-01").status,
            CourseRunStatus::Planned
        );
        let one_day = by_id(&runs, "LPK-TIK-2022-01");
        assert_eq!(one_day.end_date, one_day.start_date);
        assert!(one_day.warnings.is_empty());
    }
}

#[tokio::test]
async fn partnerships() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let list: Vec<Partnership> = all(&source, false).await;
        assert_eq!(list.len(), 6, "{backend:?}");
        assert_eq!(
            by_id(&list, "1"),
            &Partnership {
                source_id: "1".into(),
                warnings: Vec::new(),
                kind: PartnershipKind::Pks,
                parties: vec![
                    PartyRef {
                        name: "BBPLK Contoh Bekasi (fiktif)".into(),
                        training_center_id: Some("LBG-BKS".into()),
                        kind: Some("UPTP".into()),
                    },
                    PartyRef {
                        name: "PT Sejuk Contoh (fiktif)".into(),
                        training_center_id: None,
                        kind: Some("Industri".into()),
                    },
                ],
                document_number: Some("PKS/LBG-BKS/2022/001 (fiktif)".into()),
                signed_on: day("2022-01-10"),
                valid_from: day("2022-01-10"),
                valid_until: day("2024-01-09"),
                place: None,
                scope: Some("Praktik kerja dan rekrutmen lulusan (fiktif).".into()),
                contribution: None,
                status: None,
            }
        );
        assert_eq!(by_id(&list, "2").kind, PartnershipKind::Mou);
        let visit = by_id(&list, "3");
        assert_eq!(visit.kind, PartnershipKind::FieldVisit);
        assert_eq!(visit.parties[1].kind.as_deref(), Some("Serikat Pekerja"));
        let open_ended = by_id(&list, "4");
        assert_eq!(
            (open_ended.valid_until, open_ended.scope.clone()),
            (None, None)
        );
        assert!(open_ended.warnings.is_empty());
        let supervision = by_id(&list, "5");
        assert_eq!(supervision.kind, PartnershipKind::Supervision);
        assert_eq!(supervision.valid_until, None);
        assert_eq!(codes(&supervision.warnings), ["DATE_ORDER_INVALID"]);
        assert_eq!(by_id(&list, "6").signed_on, None);
        assert_eq!(
            by_id(&list, "6").parties[1].kind.as_deref(),
            Some("Lainnya")
        );
    }
}
