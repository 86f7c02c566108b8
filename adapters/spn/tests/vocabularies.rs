//! Every value of every SPN vocabulary (UNIFIED.md §3): `jenis_pelatihan`, `sasaran`,
//! `sumber_dana`, `pendidikan_terakhir`, `status_anggota`, `status_kerja`, `status_kelulusan`,
//! `status_hasil`, `jenis_dokumen`, and what an unknown value becomes. People are synthetic.

mod common;

use chrono::NaiveDate;
use common::*;
use simpul_adapter_spn::{SpnConfig, SpnData};
use simpul_schema::{
    CourseRunStatus, EducationLevel, EmploymentStatus, EnrollmentStatus, FundingSchemeCode,
    OutcomeStatus, PartnershipKind, TargetGroup, TrainingType,
};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn one_person(name: &str, overrides: &[(&str, &str)]) -> SpnData {
    let text = peserta(&[peserta_row(overrides)]);
    Folder::with_text(name, &[("peserta.csv", &text)]).data()
}

#[test]
fn course_vocabularies() {
    let pelatihan = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai;jenis_pelatihan;sasaran;sumber_dana;mitra\n\
        A;SPN-TC-01;K1;1/1/2023;Upskilling;\"Pekerja aktif; Korban PHK; Pensiunan; Angkatan kerja baru\";Swadaya SPN;\n\
        B;SPN-TC-01;K2;1/1/2023;reskilling;korban phk;GBB;GBB\n\
        C;SPN-TC-01;K3;1/1/2023;Kewirausahaan;Buruh migran;Hibah desa;\n";
    let data = Folder::with_text("course-vocab", &[("pelatihan.csv", pelatihan)]).data();
    let types: Vec<_> = data.courses.iter().map(|c| c.training_type).collect();
    assert_eq!(
        types,
        [
            Some(TrainingType::Upskilling),
            Some(TrainingType::Reskilling),
            Some(TrainingType::Entrepreneurship)
        ]
    );
    use TargetGroup::*;
    assert_eq!(
        data.courses[0].target_groups,
        [Employed, LaidOff, Retiree, NewEntrant]
    );
    assert_eq!(data.courses[1].target_groups, [LaidOff]);
    assert_eq!(codes(&data.courses[2].warnings), ["ENUM_UNKNOWN"]);
    let funding: Vec<_> = data
        .course_runs
        .iter()
        .map(|r| r.funding_schemes.clone())
        .collect();
    use FundingSchemeCode::*;
    assert_eq!(
        funding,
        [vec![UnionSelfFunded], vec![PartnerFunded], vec![Other]]
    );
    assert_eq!(codes(&data.course_runs[2].warnings), ["ENUM_UNKNOWN"]);
}

#[test]
fn person_vocabularies() {
    let statuses = [
        ("Bekerja", EmploymentStatus::Employed),
        ("Korban PHK", EmploymentStatus::LaidOff),
        ("Belum bekerja", EmploymentStatus::Unemployed),
        ("Wirausaha", EmploymentStatus::SelfEmployed),
        ("Pensiun", EmploymentStatus::Retired),
    ];
    for (raw, expected) in statuses {
        let data = one_person("status-kerja", &[("status_kerja", raw)]);
        assert_eq!(
            data.participants[0].employment_status_at_registration,
            Some(expected),
            "{raw}"
        );
    }
    use EducationLevel::*;
    for (raw, expected) in [
        ("SD", Sd),
        ("SMP", Smp),
        ("SMA", Sma),
        ("smk", Smk),
        ("D3", D3),
        ("S1", S1),
        ("Pesantren", Other),
    ] {
        let data = one_person("education", &[("pendidikan_terakhir", raw)]);
        assert_eq!(data.participants[0].education, Some(expected), "{raw}");
    }
    for (raw, member) in [
        ("Anggota", Some(true)),
        ("Bukan anggota", Some(false)),
        ("", None),
    ] {
        let data = one_person(
            "member",
            &[("status_anggota", raw), ("no_kta", "SPN/3602/09401")],
        );
        let p = &data.participants[0];
        assert_eq!(p.union_membership.as_ref().map(|m| m.is_member), member);
        assert_eq!(
            p.union_membership.as_ref().and_then(|m| m.union.as_deref()),
            member.map(|_| "SPN")
        );
        assert_eq!(
            p.pii.as_ref().and_then(|p| p.union_card_number.as_deref()),
            Some("SPN/3602/09401")
        );
    }
    let data = one_person(
        "unknown-status",
        &[("status_kerja", "Buruh harian di PT Rahasia")],
    );
    let p = &data.participants[0];
    assert_eq!(
        (p.employment_status_at_registration, codes(&p.warnings)),
        (None, vec!["ENUM_UNKNOWN"])
    );
    assert!(
        !p.warnings[0].message.contains("Rahasia"),
        "person values are not quoted"
    );
}

#[test]
fn enrollment_results_and_blank_by_run_status() {
    for (raw, expected) in [
        ("Lulus", EnrollmentStatus::Completed),
        ("TIDAK LULUS", EnrollmentStatus::Failed),
        ("Mengundurkan diri", EnrollmentStatus::Withdrawn),
        ("Pindah batch", EnrollmentStatus::Unknown),
    ] {
        let e = &one_person("result", &[("status_kelulusan", raw)]).enrollments[0];
        assert_eq!(
            (e.status, e.raw_status.as_deref()),
            (expected, Some(raw)),
            "{raw}"
        );
    }
    // Blank result: depends on where the run stands on the snapshot day.
    let text = peserta(&[peserta_row(&[("status_kelulusan", "")])]);
    let f = Folder::with_text("blank-result", &[("peserta.csv", &text)]);
    for (snapshot, run, expected) in [
        (
            date(2023, 4, 5),
            CourseRunStatus::Running,
            EnrollmentStatus::InProgress,
        ),
        (
            date(2023, 4, 1),
            CourseRunStatus::Open,
            EnrollmentStatus::Registered,
        ),
        (
            date(2025, 6, 30),
            CourseRunStatus::Completed,
            EnrollmentStatus::Unknown,
        ),
    ] {
        let config = SpnConfig {
            snapshot_date: snapshot,
            ..SpnConfig::new(f.path.clone())
        };
        let data = SpnData::load(&config).expect("load");
        assert_eq!(data.course_runs[0].status, run);
        assert_eq!(
            (
                data.enrollments[0].status,
                data.enrollments[0].raw_status.clone()
            ),
            (expected, None)
        );
    }
}

#[test]
fn outcome_vocabulary_and_fields() {
    let text = peserta(&[
        peserta_row(&[]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0002"),
            ("nik", NIK_B),
            ("jenis_kelamin", "L"),
            ("tgl_lahir", "02/11/1985"),
        ]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0003"),
            ("nik", "3602140211859403"),
            ("jenis_kelamin", "L"),
            ("tgl_lahir", "02/11/1985"),
        ]),
        peserta_row(&[
            ("id_peserta", "SPN-P-0004"),
            ("nik", "3602140211859404"),
            ("jenis_kelamin", "L"),
            ("tgl_lahir", "02/11/1985"),
        ]),
    ]);
    let hasil = "id_peserta;kode_pelatihan;status_hasil;tgl_pembaruan;nama_perusahaan;jabatan;jenis_usaha;omzet_per_bulan;keterangan\n\
        SPN-P-0001;SPN-PL-2023-01;Bekerja kembali;01/06/2023;PT Uji (fiktif);Operator;;;catatan\n\
        SPN-P-0002;SPN-PL-2023-01;Wirausaha;;;;Jahit;2.000.000;\n\
        SPN-P-0003;SPN-PL-2023-01;mencari kerja;;;;;;\n\
        SPN-P-0004;SPN-PL-2023-01;Kuliah lagi;;;;;;\n";
    let data =
        Folder::with_text("outcomes", &[("peserta.csv", &text), ("hasil.csv", hasil)]).data();
    let statuses: Vec<_> = data
        .outcomes
        .iter()
        .map(|o| (o.status, o.raw_status.as_str()))
        .collect();
    use OutcomeStatus::*;
    assert_eq!(
        statuses,
        [
            (Employed, "Bekerja kembali"),
            (SelfEmployed, "Wirausaha"),
            (SeekingWork, "mencari kerja"),
            (Other, "Kuliah lagi")
        ]
    );
    assert_eq!(codes(&data.outcomes[3].warnings), ["ENUM_UNKNOWN"]);
    let o = &data.outcomes[0];
    assert_eq!(
        (o.source_id.as_str(), o.enrollment_id.as_str()),
        ("SPN-P-0001/SPN-PL-2023-01", "SPN-P-0001/SPN-PL-2023-01")
    );
    assert_eq!(
        o.observed_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2023-06-01T00:00:00+07:00")
    );
    assert_eq!(
        (o.employer_name.as_deref(), o.job_title.as_deref()),
        (Some("PT Uji (fiktif)"), Some("Operator"))
    );
    assert_eq!(o.source.as_deref(), Some("participant report"));
    assert_eq!(data.outcomes[1].business_type.as_deref(), Some("Jahit"));
}

#[test]
fn partnerships_parties_kinds_and_run_links() {
    let kerjasama = "kode_kerjasama;kode_pusat;nama_mitra;jenis_dokumen;tgl_tandatangan;tgl_berakhir;lokasi_tandatangan\n\
        KS-2023-001;SPN-TC-01;Ganjaran Buruh Berjuang (GBB);MoU;15/03/2023;;Desa Sangiang\n\
        KS-2023-002;SPN-TC-01;CV Las Uji (fiktif);pks;01/08/2023;31/07/2025;\n\
        KS-2023-003;SPN-TC-02;GBB Cabang (fiktif);Surat kesepakatan;;;\n";
    let pusat = format!("{PUSAT}SPN-TC-02;Pusat Dua;36.03\n");
    let pelatihan = "kode_pelatihan;kode_pusat;nama_pelatihan;tgl_mulai;mitra;sumber_dana\n\
        SPN-PL-2023-01;SPN-TC-01;Kursus Uji;03/04/2023;GBB;GBB\n\
        SPN-PL-2023-02;SPN-TC-01;Kursus Las;03/09/2023;CV Las Uji (fiktif);Swadaya SPN\n\
        SPN-PL-2023-03;SPN-TC-01;Kursus Sendiri;03/10/2023;;Swadaya SPN\n";
    let data = Folder::with_text(
        "partners",
        &[
            ("kerjasama.csv", kerjasama),
            ("pusat_pelatihan.csv", &pusat),
            ("pelatihan.csv", pelatihan),
        ],
    )
    .data();
    let kinds: Vec<_> = data.partnerships.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PartnershipKind::Mou,
            PartnershipKind::Pks,
            PartnershipKind::Other
        ]
    );
    let mou = &data.partnerships[0];
    assert_eq!(
        mou.parties[0].training_center_id.as_deref(),
        Some("SPN-TC-01")
    );
    assert_eq!(mou.parties[0].name, "Pusat Uji");
    assert_eq!(
        (
            mou.parties[1].name.as_str(),
            mou.parties[1].training_center_id.as_deref()
        ),
        ("Ganjaran Buruh Berjuang (GBB)", None)
    );
    assert_eq!(
        (mou.signed_on, mou.valid_from, mou.valid_until),
        (date(2023, 3, 15), date(2023, 3, 15), None)
    );
    assert_eq!(data.partnerships[1].valid_until, date(2025, 7, 31));
    let links: Vec<_> = data
        .course_runs
        .iter()
        .map(|r| r.partnership_ids.clone())
        .collect();
    assert_eq!(
        links,
        [
            vec!["KS-2023-001".to_owned()],
            vec!["KS-2023-002".to_owned()],
            vec![]
        ],
        "same centre only"
    );
}
