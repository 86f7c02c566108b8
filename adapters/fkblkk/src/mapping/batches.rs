//! Offerings: `Pelatihan` → [`Course`] (one per BLKK and programme title) and [`CourseRun`]
//! (one per batch), UNIFIED.md §8. A batch needs a known BLKK, a title and a start date.

use std::collections::HashMap;

use chrono::Datelike;
use simpul_schema::{
    Course, CourseRun, CourseRunStatus, DeliveryMode, FundingSchemeCode, Partnership,
    TrainingCenter, TrainingType,
};

use simpul_adapter_toolkit::offerings::{named_partnerships, run_status_from_dates};
use simpul_adapter_toolkit::text::fold;
use simpul_adapter_toolkit::xlsx::Row;
use simpul_adapter_toolkit::{dates, Findings, Skip};

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
    let (mut courses, mut reported) = (Vec::<Course>::new(), HashMap::new());
    let runs = findings.map_rows(rows.iter().copied(), |rec| {
        let id = rec.code("Kode Pelatihan")?;
        rec.key = id.clone();
        let blkk = rec.code("Kode BLKK")?;
        let Some(centre) = centres.iter().find(|c| c.source_id == blkk) else {
            let why = "Kode BLKK names no known BLKK";
            return Err(Skip::unknown_reference(Some("Kode BLKK"), why));
        };
        let title = rec.required("Program Pelatihan")?;
        let start = dates::date(rec.cell("Tanggal Mulai"));
        let start = rec.read("Tanggal Mulai", start);
        let start = start.map_err(|_| Skip::missing("Tanggal Mulai"))?;
        let mut end = rec.date("Tanggal Selesai", "endDate");
        if end.is_some_and(|e| e < start) {
            let why = "Tanggal Selesai before Tanggal Mulai; end set to null";
            rec.warn("DATE_RANGE_INVALID", None, "endDate", why);
            end = None;
        }
        let (field, kbji) = match rec.text("Kejuruan") {
            Some(k) => {
                let list = vocab::fields();
                let (f, kbji) = rec.training_field("Kejuruan", "course.field", &list, &k);
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
        match courses.iter_mut().find(|c| c.source_id == course_id) {
            Some(existing) => *existing = course,
            None => courses.push(course),
        }
        let cohort = rec.integer("Angkatan", "cohort", 1..=99, true);
        let hours = rec.integer("Jumlah JP", "nominalHours", 1..=10_000, false);
        if let Some(n) = rec.integer("Jumlah Peserta Jml", "", 0..=10_000, false) {
            reported.insert(id.clone(), n);
        }
        let sources = rec.text("Sumber Dana").unwrap_or_default();
        // `Sumber Dana` is split on `+ , ; &` (never `-` or `/`); unknown parts are `OTHER`.
        let why = "funding not in the contract's list; OTHER";
        let other = (FundingSchemeCode::Other, why);
        let (funding, seps) = (vocab::funding(), ['+', ',', ';', '&']);
        let lookup = |part: &str| funding.lookup(part);
        let column = ("Sumber Dana", sources.as_str());
        let funding_schemes = rec.terms(column, &seps, "fundingSchemes", lookup, other);
        let unknown = CourseRunStatus::Unknown;
        let status = rec.term_or("Status", "status", &vocab::run_status(), unknown);
        let status =
            status.unwrap_or_else(|| run_status_from_dates(start, end, rec.row.origin.as_of));
        Ok(CourseRun {
            source_id: id.clone(),
            code: id,
            course_id,
            training_center_id: blkk.clone(),
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
            partnership_ids: named_partnerships(&sources, &blkk, partnerships),
            instructor: rec.text("Instruktur"),
            description: rec.text("Keterangan"),
            warnings: Vec::new(),
        })
    });
    Batches {
        courses,
        runs,
        reported,
    }
}
