//! Offerings: `Pelatihan` → [`Course`] (one per BLKK and programme title) and [`CourseRun`]
//! (one per batch), UNIFIED.md §8. A batch needs a known BLKK, a title and a start date.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use simpul_schema::{
    Course, CourseRun, CourseRunStatus, DeliveryMode, FundingSchemeCode, Partnership,
    TrainingCenter, TrainingType,
};

use simpul_adapter_toolkit::text::{fold, split};
use simpul_adapter_toolkit::xlsx::Row;
use simpul_adapter_toolkit::{dates, Findings, Read, Record};

use super::centres::one_field;
use super::restate::code;
use super::vocab;

/// What the batches sheet gives: courses, runs, and each run's own participant count (`Jml`).
#[derive(Debug, Default)]
pub struct Batches {
    /// One per (BLKK, programme).
    pub courses: Vec<Course>,
    /// One per batch.
    pub runs: Vec<CourseRun>,
    /// `Jumlah Peserta Jml` per batch code, where given.
    pub reported: HashMap<String, i64>,
}

/// `Pelatihan` rows → courses and runs.
pub fn map_batches(
    rows: &[&Row],
    centres: &[TrainingCenter],
    partnerships: &[Partnership],
    findings: &mut Findings,
) -> Batches {
    let mut out = Batches::default();
    for row in rows {
        let mut rec = Record::new(row);
        let Some(id) = code(row, "Kode Pelatihan") else {
            findings.missing(rec, "Kode Pelatihan");
            continue;
        };
        rec.key = id.clone();
        let Some(blkk) = code(row, "Kode BLKK") else {
            findings.missing(rec, "Kode BLKK");
            continue;
        };
        let Some(centre) = centres.iter().find(|c| c.source_id == blkk) else {
            let why = "Kode BLKK names no known BLKK";
            findings.skip(rec, "REFERENCE_NOT_FOUND", Some("Kode BLKK"), why);
            continue;
        };
        let Some(title) = rec.text("Program Pelatihan") else {
            findings.missing(rec, "Program Pelatihan");
            continue;
        };
        let Ok(start) = rec.read("Tanggal Mulai", dates::date(rec.cell("Tanggal Mulai"))) else {
            findings.missing(rec, "Tanggal Mulai");
            continue;
        };
        let mut end = rec.date("Tanggal Selesai", "endDate");
        if end.is_some_and(|e| e < start) {
            let why = "Tanggal Selesai before Tanggal Mulai; end set to null";
            rec.warn("DATE_RANGE_INVALID", None, "endDate", why);
            end = None;
        }
        let (field, kbji) = match rec.text("Kejuruan") {
            Some(k) => {
                let (f, kbji) = one_field(&mut rec, "Kejuruan", "course.field", &k);
                (Some(f), kbji)
            }
            None => (None, None),
        };
        let course_id = format!("{blkk}/{}", fold(&title));
        let course = Course {
            source_id: course_id.clone(),
            warnings: Vec::new(),
            name: title,
            course_code: None,
            program_id: None,
            training_center_id: blkk.clone(),
            training_type: field
                .as_ref()
                .is_some_and(|f| f.code.as_deref() == Some("KWU"))
                .then_some(TrainingType::Entrepreneurship),
            field,
            target_groups: Vec::new(),
            occupation_codes: kbji.map(str::to_owned).into_iter().collect(),
        };
        // Winning rows come oldest workbook first: a later batch renames the course.
        match out.courses.iter_mut().find(|c| c.source_id == course_id) {
            Some(existing) => *existing = course,
            None => out.courses.push(course),
        }
        let cohort = rec.integer("Angkatan", "cohort", 1..=99, true);
        let hours = rec.integer("Jumlah JP", "nominalHours", 1..=10_000, false);
        if let Some(n) = rec.integer("Jumlah Peserta Jml", "", 0..=10_000, false) {
            out.reported.insert(id.clone(), n);
        }
        let sources = rec.text("Sumber Dana");
        let funding_schemes = sources
            .as_deref()
            .map(|s| funding(&mut rec, s))
            .unwrap_or_default();
        let partnership_ids = sources
            .map(|s| sponsors(&s, &blkk, partnerships))
            .unwrap_or_default();
        let status = match rec.term("Status", "status", &vocab::RUN_STATUS) {
            Some(Ok(s)) => s,
            Some(Err(_)) => CourseRunStatus::Unknown,
            None => derived_status(start, end, row.origin.as_of),
        };
        out.runs.push(CourseRun {
            source_id: id.clone(),
            code: id,
            course_id,
            training_center_id: blkk,
            start_date: Some(start),
            end_date: end,
            status,
            delivery_mode: Some(DeliveryMode::InPerson),
            location_code: centre.address.as_ref().and_then(|a| a.region_code.clone()),
            capacity: None,
            nominal_hours: hours.map(|h| h as i32),
            fiscal_year: Some(start.year()),
            cohort: cohort.map(|c| c as i32),
            cost_per_participant: None,
            funding_schemes,
            partnership_ids,
            instructor: rec.text("Instruktur"),
            description: rec.text("Keterangan"),
            warnings: findings.accept(rec),
        });
    }
    out
}

/// A blank status from the dates and the workbook's quarter end (contract §5.3).
pub fn derived_status(
    start: NaiveDate,
    end: Option<NaiveDate>,
    quarter_end: NaiveDate,
) -> CourseRunStatus {
    if start > quarter_end {
        CourseRunStatus::Planned
    } else if end.is_some_and(|e| e <= quarter_end) {
        CourseRunStatus::Completed
    } else {
        CourseRunStatus::Running
    }
}

/// `Sumber Dana` → schemes, split on `+ , ; &` (never `-` or `/`); unknown parts → `OTHER`.
fn funding(rec: &mut Record, raw: &str) -> Vec<FundingSchemeCode> {
    let mut out = Vec::new();
    for part in split(raw, &['+', ',', ';', '&']) {
        let scheme = match vocab::funding(&part) {
            Read::Bad(code) => {
                let why = "funding not in the contract's list; OTHER";
                rec.warn(code, Some("Sumber Dana"), "fundingSchemes", why);
                FundingSchemeCode::Other
            }
            read => rec
                .take("Sumber Dana", "fundingSchemes", read)
                .unwrap_or(FundingSchemeCode::Other),
        };
        if !out.contains(&scheme) {
            out.push(scheme);
        }
    }
    out
}

/// The partnerships of the same BLKK whose partner is named in the funding text.
fn sponsors(raw: &str, blkk: &str, partnerships: &[Partnership]) -> Vec<String> {
    let text = fold(raw);
    partnerships
        .iter()
        .filter(|p| {
            p.parties
                .first()
                .and_then(|o| o.training_center_id.as_deref())
                == Some(blkk)
        })
        .filter(|p| {
            p.parties
                .get(1)
                .is_some_and(|m| text.contains(&fold(&m.name)))
        })
        .map(|p| p.source_id.clone())
        .collect()
}
