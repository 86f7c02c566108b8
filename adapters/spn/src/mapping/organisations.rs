//! Organisations and offerings: `pusat_pelatihan.csv` → [`TrainingCenter`], `kerjasama.csv` →
//! [`Partnership`], `pelatihan.csv` → [`Course`] (one per centre + course name) and
//! [`CourseRun`] (one per row), following UNIFIED.md §3.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use simpul_schema::{
    Address, AgentSector, ContactPoint, Course, CourseRun, CourseRunStatus, DataWarning,
    DeliveryMode, FundingSchemeCode, InstitutionType, Partnership, PartnershipKind, PartyRef,
    SourceIssue, TrainingCenter, TrainingField,
};

use simpul_adapter_toolkit::findings::notice_once;
use simpul_adapter_toolkit::read::{explain, Read};

use super::values::{codes::*, *};
use super::{dedupe, issue};
use crate::source::{RawRow, RawTable};

/// `pusat_pelatihan.csv` → centres. Rows without `kode_pusat` or `nama_pusat` are skipped.
pub fn map_training_centers(
    table: &RawTable,
    issues: &mut Vec<SourceIssue>,
    notices: &mut Vec<SourceIssue>,
) -> Vec<TrainingCenter> {
    let mut out = Vec::new();
    for kept in dedupe(table, &["kode_pusat"], &[], issues) {
        let row = kept.row;
        let Some(name) = opt_text(row.get("nama_pusat")) else {
            issues.push(
                issue(
                    "ROW_SKIPPED_INVALID_REQUIRED",
                    table.file,
                    row.line,
                    "required `nama_pusat` is empty; row skipped",
                )
                .with_key("nama_pusat"),
            );
            continue;
        };
        let mut w = Vec::new();
        if kept.conflicted {
            w.push(duplicate_key());
        }
        let field = "address.regionCode";
        let by_code = region_code(row.get("kode_wilayah"), field, "kode_wilayah", &mut w);
        if let Read::Noted(_, code) = by_code {
            let notice = issue(code, table.file, row.line, explain(code));
            notice_once(notices, notice.with_key("kode_wilayah"));
        }
        let region = by_code.value().or_else(|| {
            let names = RegionNames {
                village: row.get("desa_kelurahan"),
                district: row.get("kecamatan"),
                regency: row.get("kab_kota"),
                province: row.get("provinsi"),
            };
            resolve_region_names(names, ("address.regionCode", "address.regionCode"), &mut w)
                .most_precise()
                .cloned()
        });
        let street = opt_text(row.get("alamat"));
        let area = row.get("luas_lahan_ha").and_then(|raw| {
            let v = parse_decimal_comma(raw);
            if v.is_none() {
                w.push(DataWarning::new(
                    VALUE_INVALID,
                    "areaHectares",
                    "`luas_lahan_ha` is not a decimal-comma number; set to null",
                ));
            }
            v
        });
        let founded = optional_date(
            row.get("tgl_diresmikan"),
            "foundedYear",
            "tgl_diresmikan",
            &mut w,
        );
        let telephone = phone(row.get("telepon"), "contact.telephone", &mut w);
        let email = opt_text(row.get("email"));
        out.push(TrainingCenter {
            source_id: text(row.get("kode_pusat").unwrap_or_default()),
            warnings: w,
            name,
            alternate_names: Vec::new(),
            institution_type: InstitutionType::UnionTrainingCenter,
            sector: Some(AgentSector::Community),
            supervisor_id: None,
            address: (street.is_some() || region.is_some()).then_some(Address {
                street_address: street,
                region_code: region,
            }),
            founded_year: founded.map(|d| d.year()),
            area_hectares: area,
            facilities: list(row.get("fasilitas")),
            fields: Vec::new(),
            licenses: Vec::new(),
            years_of_experience: None,
            meets_vokasi_partner_criteria: None,
            contact: (telephone.is_some() || email.is_some())
                .then_some(ContactPoint { email, telephone }),
            active: None,
        });
    }
    out
}

/// `kerjasama.csv` → partnerships. Rows naming an unknown centre are skipped.
pub fn map_partnerships(
    table: &RawTable,
    centers: &[TrainingCenter],
    issues: &mut Vec<SourceIssue>,
) -> Vec<Partnership> {
    let mut out = Vec::new();
    for kept in dedupe(table, &["kode_kerjasama"], &[], issues) {
        let row = kept.row;
        let Some(centre) = find_centre(row, centers) else {
            issues.push(unknown_centre(table.file, row));
            continue;
        };
        let Some(partner) = opt_text(row.get("nama_mitra")) else {
            issues.push(
                issue(
                    "ROW_SKIPPED_INVALID_REQUIRED",
                    table.file,
                    row.line,
                    "required `nama_mitra` is empty; row skipped",
                )
                .with_key("nama_mitra"),
            );
            continue;
        };
        let mut w = Vec::new();
        if kept.conflicted {
            w.push(duplicate_key());
        }
        let kind = vocab(
            row.get("jenis_dokumen"),
            PARTNERSHIP_KINDS,
            Some(PartnershipKind::Other),
            "kind",
            "jenis_dokumen",
            true,
            &mut w,
        );
        let signed = optional_date(
            row.get("tgl_tandatangan"),
            "signedOn",
            "tgl_tandatangan",
            &mut w,
        );
        let mut until = optional_date(
            row.get("tgl_berakhir"),
            "validUntil",
            "tgl_berakhir",
            &mut w,
        );
        if let (Some(s), Some(u)) = (signed, until) {
            if u < s {
                w.push(end_before_start(
                    "validUntil",
                    "tgl_berakhir",
                    "tgl_tandatangan",
                ));
                until = None;
            }
        }
        out.push(Partnership {
            source_id: text(row.get("kode_kerjasama").unwrap_or_default()),
            warnings: w,
            kind: kind.unwrap_or(PartnershipKind::Other),
            parties: vec![
                PartyRef {
                    name: centre.name.clone(),
                    training_center_id: Some(centre.source_id.clone()),
                    kind: None,
                },
                PartyRef {
                    name: partner,
                    training_center_id: None,
                    kind: None,
                },
            ],
            document_number: opt_text(row.get("nomor_dokumen")),
            signed_on: signed,
            valid_from: signed,
            valid_until: until,
            place: opt_text(row.get("lokasi_tandatangan")),
            scope: opt_text(row.get("ruang_lingkup")),
            contribution: opt_text(row.get("dukungan_mitra")),
            status: None,
        });
    }
    out
}

/// `pelatihan.csv` → courses and runs. Rows naming an unknown centre, or without a valid
/// `tgl_mulai`, are skipped.
pub fn map_courses_and_runs(
    table: &RawTable,
    centers: &[TrainingCenter],
    partnerships: &[Partnership],
    snapshot: NaiveDate,
    issues: &mut Vec<SourceIssue>,
) -> (Vec<Course>, Vec<CourseRun>) {
    let mut courses: Vec<Course> = Vec::new();
    let mut course_index: HashMap<String, usize> = HashMap::new();
    let mut runs = Vec::new();
    for kept in dedupe(table, &["kode_pelatihan"], &[], issues) {
        let row = kept.row;
        let Some(centre) = find_centre(row, centers) else {
            issues.push(unknown_centre(table.file, row));
            continue;
        };
        let Some(course_name) = opt_text(row.get("nama_pelatihan")) else {
            issues.push(
                issue(
                    "ROW_SKIPPED_INVALID_REQUIRED",
                    table.file,
                    row.line,
                    "required `nama_pelatihan` is empty; row skipped",
                )
                .with_key("nama_pelatihan"),
            );
            continue;
        };
        let mut w = Vec::new();
        let start = match required_date(row.get("tgl_mulai"), "startDate", "tgl_mulai", &mut w) {
            Ok(d) => d,
            Err(reason) => {
                issues.push(
                    issue("ROW_SKIPPED_INVALID_REQUIRED", table.file, row.line, reason)
                        .with_key("tgl_mulai"),
                );
                continue;
            }
        };
        if kept.conflicted {
            w.push(duplicate_key());
        }
        let mut end = optional_date(row.get("tgl_selesai"), "endDate", "tgl_selesai", &mut w);
        if end.is_some_and(|e| e < start) {
            w.push(end_before_start("endDate", "tgl_selesai", "tgl_mulai"));
            end = None;
        }

        let course_id = format!("{}/{course_name}", centre.source_id);
        let mut course_warnings = Vec::new();
        let attrs = course_attributes(row, &mut course_warnings);
        match course_index.get(&course_id) {
            Some(&i) => note_conflicts(&mut courses[i], &attrs),
            None => {
                course_index.insert(course_id.clone(), courses.len());
                courses.push(Course {
                    source_id: course_id.clone(),
                    warnings: course_warnings,
                    name: course_name,
                    course_code: None,
                    program_id: None,
                    training_center_id: centre.source_id.clone(),
                    field: attrs.field,
                    training_type: attrs.training_type,
                    target_groups: attrs.target_groups,
                    occupation_codes: attrs.occupation_codes,
                });
            }
        }

        let mut funding_schemes = Vec::new();
        for item in split_list(row.get("sumber_dana")) {
            let scheme = vocab(
                Some(item),
                FUNDING_SCHEMES,
                Some(FundingSchemeCode::Other),
                "fundingSchemes",
                "sumber_dana",
                true,
                &mut w,
            );
            if let Some(s) = scheme.filter(|s| !funding_schemes.contains(s)) {
                funding_schemes.push(s);
            }
        }
        let capacity = positive_int(row.get("kuota"), "capacity", "kuota", &mut w);
        let hours = positive_int(row.get("jumlah_jam"), "nominalHours", "jumlah_jam", &mut w);
        let code = text(row.get("kode_pelatihan").unwrap_or_default());
        runs.push(CourseRun {
            source_id: code.clone(),
            warnings: w,
            code,
            course_id,
            training_center_id: centre.source_id.clone(),
            start_date: Some(start),
            end_date: end,
            status: run_status(start, end, snapshot),
            delivery_mode: Some(DeliveryMode::InPerson),
            location_code: centre.address.as_ref().and_then(|a| a.region_code.clone()),
            capacity,
            nominal_hours: hours,
            fiscal_year: None,
            cohort: None,
            cost_per_participant: None,
            funding_schemes,
            partnership_ids: partners_named(row.get("mitra"), &centre.source_id, partnerships),
            instructor: opt_text(row.get("instruktur")),
            description: opt_text(row.get("keterangan")),
        });
    }
    (courses, runs)
}

/// Status of a run on the snapshot day: ended before it → `COMPLETED`; under way → `RUNNING`;
/// not started → `OPEN`; started but no end date → `UNKNOWN`.
pub fn run_status(
    start: NaiveDate,
    end: Option<NaiveDate>,
    snapshot: NaiveDate,
) -> CourseRunStatus {
    match end {
        _ if start > snapshot => CourseRunStatus::Open,
        Some(end) if end < snapshot => CourseRunStatus::Completed,
        Some(_) => CourseRunStatus::Running,
        None => CourseRunStatus::Unknown,
    }
}

/// The course-level columns of one `pelatihan` row.
struct CourseAttributes {
    field: Option<TrainingField>,
    training_type: Option<simpul_schema::TrainingType>,
    target_groups: Vec<simpul_schema::TargetGroup>,
    occupation_codes: Vec<String>,
}

fn course_attributes(row: &RawRow, w: &mut Vec<DataWarning>) -> CourseAttributes {
    let training_type = vocab(
        row.get("jenis_pelatihan"),
        TRAINING_TYPES,
        None,
        "trainingType",
        "jenis_pelatihan",
        true,
        w,
    );
    let mut target_groups = Vec::new();
    for item in split_list(row.get("sasaran")) {
        let group = vocab(
            Some(item),
            TARGET_GROUPS,
            None,
            "targetGroups",
            "sasaran",
            true,
            w,
        );
        if let Some(g) = group.filter(|g| !target_groups.contains(g)) {
            target_groups.push(g);
        }
    }
    let occupation_codes = match row.get("kode_kbji") {
        Some(code) if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) => {
            vec![code.to_owned()]
        }
        Some(_) => {
            w.push(DataWarning::new(
                VALUE_INVALID,
                "occupations",
                "`kode_kbji` is not a 4-digit KBJI 2014 code; ignored",
            ));
            Vec::new()
        }
        None => Vec::new(),
    };
    CourseAttributes {
        field: opt_text(row.get("bidang")).map(|name| TrainingField { code: None, name }),
        training_type,
        target_groups,
        occupation_codes,
    }
}

/// A later run of the same course disagrees on a course-level column: keep the first run's
/// value and say so once per field.
fn note_conflicts(course: &mut Course, attrs: &CourseAttributes) {
    let differs = [
        ("field", course.field != attrs.field),
        ("trainingType", course.training_type != attrs.training_type),
        ("targetGroups", course.target_groups != attrs.target_groups),
        (
            "occupations",
            course.occupation_codes != attrs.occupation_codes,
        ),
    ];
    for (field, differs) in differs {
        let already = course
            .warnings
            .iter()
            .any(|w| w.code == VALUE_CONFLICT && w.field.as_deref() == Some(field));
        if differs && !already {
            course.warnings.push(DataWarning::new(
                VALUE_CONFLICT,
                field,
                "runs of this course disagree on this field; the first run's value is used",
            ));
        }
    }
}

/// Partnerships of `centre` whose partner name contains the `mitra` text (or vice versa),
/// compared case-insensitively: `GBB` finds `Ganjaran Buruh Berjuang (GBB)`.
pub fn partners_named(
    mitra: Option<&str>,
    centre: &str,
    partnerships: &[Partnership],
) -> Vec<String> {
    let Some(mitra) = opt_text(mitra).map(|m| m.to_lowercase()) else {
        return Vec::new();
    };
    partnerships
        .iter()
        .filter(|p| {
            p.parties
                .first()
                .and_then(|c| c.training_center_id.as_deref())
                == Some(centre)
                && p.parties.iter().skip(1).any(|party| {
                    let name = party.name.to_lowercase();
                    name.contains(&mitra) || mitra.contains(&name)
                })
        })
        .map(|p| p.source_id.clone())
        .collect()
}

fn find_centre<'a>(row: &RawRow, centers: &'a [TrainingCenter]) -> Option<&'a TrainingCenter> {
    let code = text(row.get("kode_pusat")?);
    centers.iter().find(|c| c.source_id == code)
}

fn unknown_centre(file: &str, row: &RawRow) -> SourceIssue {
    match row.get("kode_pusat") {
        Some(code) => issue(
            "REFERENCE_NOT_FOUND",
            file,
            row.line,
            format!(
                "kode_pusat `{}` is not in pusat_pelatihan.csv; row skipped",
                text(code)
            ),
        )
        .with_key(text(code)),
        None => issue(
            "ROW_SKIPPED_INVALID_REQUIRED",
            file,
            row.line,
            "required `kode_pusat` is empty; row skipped",
        )
        .with_key("kode_pusat"),
    }
}

/// Items of a `;`-separated cell, trimmed, empty items dropped.
fn split_list(raw: Option<&str>) -> impl Iterator<Item = &str> {
    raw.unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Items of a `;`-separated cell, as normalised text.
fn list(raw: Option<&str>) -> Vec<String> {
    split_list(raw).map(text).collect()
}

fn end_before_start(field: &str, end: &str, start: &str) -> DataWarning {
    DataWarning::new(
        VALUE_OUT_OF_RANGE,
        field,
        format!("`{end}` is before `{start}`; set to null"),
    )
}

pub(super) fn duplicate_key() -> DataWarning {
    DataWarning {
        code: DUPLICATE_KEY.to_owned(),
        field: None,
        message:
            "another row has the same key with different content; this record keeps the first row"
                .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn run_status_from_snapshot() {
        let snap = d(2025, 6, 30);
        let s = |a, b| run_status(a, b, snap);
        assert_eq!(
            s(d(2025, 6, 1), Some(d(2025, 6, 29))),
            CourseRunStatus::Completed
        );
        assert_eq!(
            s(d(2025, 6, 1), Some(d(2025, 6, 30))),
            CourseRunStatus::Running
        );
        assert_eq!(
            s(d(2025, 6, 30), Some(d(2025, 7, 5))),
            CourseRunStatus::Running
        );
        assert_eq!(s(d(2025, 7, 1), Some(d(2025, 7, 5))), CourseRunStatus::Open);
        assert_eq!(s(d(2025, 7, 1), None), CourseRunStatus::Open);
        assert_eq!(s(d(2025, 1, 1), None), CourseRunStatus::Unknown);
    }
}
