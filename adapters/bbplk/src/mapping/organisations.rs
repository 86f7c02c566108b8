//! Institutions and what they offer: `lembaga` → [`TrainingCenter`], distinct (`lembaga`,
//! `program_pelatihan`) pairs → [`Course`], `angkatan` → [`CourseRun`], `kemitraan` →
//! [`Partnership`], following UNIFIED.md §4. Pure functions over [`super::rows`].

use simpul_schema::identity::normalize_phone;
use simpul_schema::{
    Address, ContactPoint, Course, CourseRun, CourseRunStatus, DataWarning, InstitutionType,
    Partnership, PartnershipKind, PartyRef, TrainingCenter, TrainingField,
};

use super::rows::{CenterRow, CourseRow, PartnershipRow, RunRow};
use super::values::{codes::*, *};

/// The local key of a course: `<kode_lembaga>/<kode_program>`.
pub fn course_key(kode_lembaga: &str, kode_program: &str) -> String {
    format!("{kode_lembaga}/{kode_program}")
}

/// `lembaga` → a training centre.
pub fn map_center(row: CenterRow) -> TrainingCenter {
    let mut w = Vec::new();
    mistyped(
        row.mistyped.as_deref(),
        &[("tahun_berdiri", "foundedYear"), ("aktif", "active")],
        &mut w,
    );
    let institution_type = INSTITUTION_TYPE
        .map(row.jenis_lembaga.as_deref(), "institutionType", &mut w)
        .unwrap_or(InstitutionType::Other);
    let sector = SECTOR.map(row.status_pengelola.as_deref(), "sector", &mut w);
    if row.id_lembaga_pembina.is_some() && row.kode_pembina.is_none() {
        w.push(DataWarning::new(
            REFERENCE_MISSING,
            "supervisor",
            "`id_lembaga_pembina` names an institution that does not exist; set to null",
        ));
    }
    let address = Address {
        street_address: opt_text(row.alamat.as_deref()),
        region_code: opt_text(row.kode_wilayah.as_deref()),
    };
    let telephone = opt_text(row.telepon.as_deref()).map(|raw| {
        normalize_phone(&raw).unwrap_or_else(|| {
            w.push(DataWarning::new(
                PHONE_INVALID,
                "contact",
                "`telepon` is not an Indonesian 0…/+62… number; kept as given",
            ));
            raw
        })
    });
    let contact = ContactPoint {
        email: opt_text(row.email.as_deref()),
        telephone,
    };
    let fields = fields(row.kejuruan.as_deref(), &mut w);
    TrainingCenter {
        source_id: row.kode_lembaga,
        name: nfc(&row.nama_lembaga),
        alternate_names: row
            .nama_alias
            .as_deref()
            .map(|a| {
                a.split('|')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        institution_type,
        sector,
        supervisor_id: row.kode_pembina,
        address: (address != Address::default()).then_some(address),
        founded_year: small_int(row.tahun_berdiri, "foundedYear", "tahun_berdiri", &mut w),
        area_hectares: None,
        facilities: Vec::new(),
        fields,
        licenses: Vec::new(),
        years_of_experience: None,
        meets_vokasi_partner_criteria: None,
        contact: (contact != ContactPoint::default()).then_some(contact),
        active: row.aktif,
        warnings: w,
    }
}

/// The `[[code, name], …]` JSON the plan aggregates from `lembaga_kejuruan` + `kejuruan`,
/// sorted by code.
fn fields(json: Option<&str>, warnings: &mut Vec<DataWarning>) -> Vec<TrainingField> {
    let Some(json) = json else {
        return Vec::new();
    };
    match serde_json::from_str::<Vec<(Option<String>, Option<String>)>>(json) {
        Ok(pairs) => {
            let mut fields: Vec<TrainingField> = pairs
                .into_iter()
                .filter_map(|(code, name)| {
                    Some(TrainingField {
                        code: opt_text(code.as_deref()),
                        name: opt_text(name.as_deref())?,
                    })
                })
                .collect();
            fields.sort_by(|a, b| (&a.code, &a.name).cmp(&(&b.code, &b.name)));
            fields
        }
        Err(_) => {
            warnings.push(DataWarning::new(
                VALUE_INVALID,
                "fields",
                "the institution's `kejuruan` list could not be read; left empty",
            ));
            Vec::new()
        }
    }
}

/// A distinct (`lembaga`, `program_pelatihan`) pair → a course. `trainingType` is not recorded.
pub fn map_course(row: CourseRow) -> Course {
    let mut w = Vec::new();
    let occupation_codes = occupation_codes(row.kode_kbji.as_deref(), &mut w);
    Course {
        source_id: course_key(&row.kode_lembaga, &row.kode_program),
        name: nfc(&row.nama_program),
        course_code: Some(row.kode_program.clone()),
        program_id: Some(row.kode_program),
        training_center_id: row.kode_lembaga,
        field: opt_text(row.nama_kejuruan.as_deref()).map(|name| TrainingField {
            code: opt_text(row.kode_kejuruan.as_deref()),
            name,
        }),
        training_type: None,
        target_groups: Vec::new(),
        occupation_codes,
        warnings: w,
    }
}

/// A programme's occupations (its course's, its own): `kode_kbji`, trimmed; one that is not a
/// 4-digit KBJI code is kept as given with `VALUE_INVALID`.
pub fn occupation_codes(kode_kbji: Option<&str>, warnings: &mut Vec<DataWarning>) -> Vec<String> {
    let occupation = opt_text(kode_kbji);
    if occupation
        .as_deref()
        .is_some_and(|c| c.len() != 4 || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        warnings.push(DataWarning::new(
            VALUE_INVALID,
            "occupations",
            "`kode_kbji` is not a 4-digit KBJI code; kept as given",
        ));
    }
    occupation.into_iter().collect()
}

/// `angkatan` → a course run.
pub fn map_run(row: RunRow) -> CourseRun {
    let mut w = Vec::new();
    mistyped(
        row.mistyped.as_deref(),
        &[
            ("kuota", "capacity"),
            ("durasi_jp", "nominalHours"),
            ("tahun_anggaran", "fiscalYear"),
            ("gelombang", "cohort"),
        ],
        &mut w,
    );
    let start_date = date(row.tgl_mulai.as_deref(), "startDate", "tgl_mulai", &mut w);
    let end = date(row.tgl_selesai.as_deref(), "endDate", "tgl_selesai", &mut w);
    let end_date = ordered_end(start_date, end, "endDate", "tgl_selesai", &mut w);
    let status = RUN_STATUS
        .map(row.status_angkatan.as_deref(), "status", &mut w)
        .unwrap_or(CourseRunStatus::Unknown);
    CourseRun {
        course_id: course_key(&row.kode_lembaga, &row.kode_program),
        training_center_id: row.kode_lembaga,
        code: row.kode_angkatan.clone(),
        source_id: row.kode_angkatan,
        start_date,
        end_date,
        status,
        delivery_mode: DELIVERY_MODE.map(row.moda.as_deref(), "deliveryMode", &mut w),
        location_code: opt_text(row.kode_wilayah.as_deref()),
        capacity: positive(row.kuota, "capacity", "kuota", &mut w),
        nominal_hours: positive(row.durasi_jp, "nominalHours", "durasi_jp", &mut w),
        fiscal_year: small_int(row.tahun_anggaran, "fiscalYear", "tahun_anggaran", &mut w),
        cohort: small_int(row.gelombang, "cohort", "gelombang", &mut w),
        cost_per_participant: None,
        funding_schemes: FUNDING_SCHEME
            .map(row.skema_pembiayaan.as_deref(), "fundingSchemes", &mut w)
            .into_iter()
            .collect(),
        partnership_ids: Vec::new(),
        instructor: opt_text(row.instruktur.as_deref()),
        description: opt_text(row.catatan.as_deref()),
        warnings: w,
    }
}

/// `kemitraan` → a partnership between the institution and the partner.
pub fn map_partnership(row: PartnershipRow) -> Partnership {
    let mut w = Vec::new();
    let kind = PARTNERSHIP_KIND
        .map(row.bentuk.as_deref(), "kind", &mut w)
        .unwrap_or(PartnershipKind::Other);
    let valid_from = date(row.tgl_mulai.as_deref(), "validFrom", "tgl_mulai", &mut w);
    let until = date(
        row.tgl_berakhir.as_deref(),
        "validUntil",
        "tgl_berakhir",
        &mut w,
    );
    let valid_until = ordered_end(valid_from, until, "validUntil", "tgl_berakhir", &mut w);
    Partnership {
        source_id: row.id_kemitraan.to_string(),
        kind,
        parties: vec![
            PartyRef {
                name: nfc(&row.nama_lembaga),
                training_center_id: Some(row.kode_lembaga),
                kind: opt_text(row.jenis_lembaga.as_deref()),
            },
            PartyRef {
                name: row.nama_mitra,
                training_center_id: None,
                kind: opt_text(row.jenis_mitra.as_deref()),
            },
        ],
        document_number: opt_text(row.nomor_dokumen.as_deref()),
        signed_on: valid_from,
        valid_from,
        valid_until,
        place: None,
        scope: opt_text(row.keterangan.as_deref()),
        contribution: None,
        status: None,
        warnings: w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> RunRow {
        RunRow {
            mistyped: None,
            kode_angkatan: "R-1".into(),
            kode_lembaga: "L-1".into(),
            kode_program: "P-1".into(),
            tgl_mulai: Some("2024-03-01".into()),
            tgl_selesai: Some("2024-02-01".into()),
            status_angkatan: Some("Selesai".into()),
            moda: Some("Hybrid".into()),
            skema_pembiayaan: Some("Mitra".into()),
            kode_wilayah: Some("32.16".into()),
            kuota: Some(0),
            durasi_jp: Some(-8),
            tahun_anggaran: Some(2024),
            gelombang: None,
            instruktur: None,
            catatan: Some(" ".into()),
            total_count: 1,
        }
    }

    #[test]
    fn run_with_end_before_start_and_bad_counts() {
        let r = map_run(run());
        assert_eq!(r.course_id, "L-1/P-1");
        assert_eq!(r.end_date, None);
        assert_eq!((r.capacity, r.nominal_hours), (None, None));
        assert_eq!(r.description, None);
        let codes: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            [DATE_ORDER_INVALID, VALUE_OUT_OF_RANGE, VALUE_OUT_OF_RANGE]
        );
    }

    #[test]
    fn unreadable_fields_list_is_a_warning() {
        let mut w = Vec::new();
        assert!(fields(Some("not json"), &mut w).is_empty());
        assert_eq!(w.len(), 1);
        let f = fields(
            Some(r#"[["TPD","Teknik Pendingin"],["ELK","Elektronika"]]"#),
            &mut w,
        );
        assert_eq!(f[0].code.as_deref(), Some("ELK"));
    }
}
