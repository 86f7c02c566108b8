//! `Course` (one centre's offering) and `CourseRun` (one dated batch, *angkatan*).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    CourseRunStatus, DataWarning, DeliveryMode, FundingSchemeCode, Money, TargetGroup,
    TrainingField, TrainingType,
};
use crate::filter::{FieldValue, Filterable};

/// One centre's offering of a programme (CTDL `Course`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Course {
    /// The provider's key; for SPN `<kode_pusat>/<nama_pelatihan>`.
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// Course title.
    pub name: String,
    /// The provider's course code, if it has one.
    pub course_code: Option<String>,
    /// Local key of the catalogue programme (BBPLK only).
    pub program_id: Option<String>,
    /// Local key of the centre that offers it.
    pub training_center_id: String,
    /// Training field (*bidang*).
    pub field: Option<TrainingField>,
    /// Purpose of the course.
    pub training_type: Option<TrainingType>,
    /// Who it is for.
    pub target_groups: Vec<TargetGroup>,
    /// KBJI 2014 / ISCO-08 unit-group codes it trains for.
    pub occupation_codes: Vec<String>,
}

impl Filterable for Course {
    const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "name",
        "trainingType",
        "occupationCode",
        "trainingCenterId",
        "programId",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "name" => FieldValue::from(&self.name),
            "trainingType" => FieldValue::from(self.training_type.map(|t| t.as_str())),
            "occupationCode" => FieldValue::list(self.occupation_codes.iter()),
            "trainingCenterId" => FieldValue::from(&self.training_center_id),
            "programId" => FieldValue::from(self.program_id.as_ref()),
            _ => return None,
        })
    }
}

/// One dated batch of a course (CTDL `ScheduledOffering`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CourseRun {
    /// The provider's key (`SPN-PL-2023-01`).
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// The batch code as the provider shows it.
    pub code: String,
    /// Local key of the course.
    pub course_id: String,
    /// Local key of the centre that runs it.
    pub training_center_id: String,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day.
    pub end_date: Option<NaiveDate>,
    /// Lifecycle status.
    pub status: CourseRunStatus,
    /// How it is delivered.
    pub delivery_mode: Option<DeliveryMode>,
    /// Dotted region code of where it runs.
    pub location_code: Option<String>,
    /// Places (*kuota*).
    pub capacity: Option<i32>,
    /// Training hours as the provider states them.
    pub nominal_hours: Option<i32>,
    /// Budget year.
    pub fiscal_year: Option<i32>,
    /// Intake number within the year (*gelombang*).
    pub cohort: Option<i32>,
    /// Cost per participant.
    pub cost_per_participant: Option<Money>,
    /// How it is paid for.
    pub funding_schemes: Vec<FundingSchemeCode>,
    /// Local keys of the partnerships behind it.
    pub partnership_ids: Vec<String>,
    /// Instructor or facilitator.
    pub instructor: Option<String>,
    /// Notes.
    pub description: Option<String>,
}

impl Filterable for CourseRun {
    const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "code",
        "status",
        "startDate",
        "endDate",
        "fiscalYear",
        "deliveryMode",
        "capacity",
        "fundingScheme",
        "regionCode",
        "courseId",
        "trainingCenterId",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "code" => FieldValue::from(&self.code),
            "status" => FieldValue::from(self.status.as_str()),
            "startDate" => FieldValue::from(self.start_date),
            "endDate" => FieldValue::from(self.end_date),
            "fiscalYear" => FieldValue::from(self.fiscal_year),
            "deliveryMode" => FieldValue::from(self.delivery_mode.map(|m| m.as_str())),
            "fundingScheme" => FieldValue::list(self.funding_schemes.iter().map(|f| f.as_str())),
            "regionCode" => FieldValue::from(self.location_code.as_ref()),
            "courseId" => FieldValue::from(&self.course_id),
            "trainingCenterId" => FieldValue::from(&self.training_center_id),
            "capacity" => FieldValue::from(self.capacity),
            _ => return None,
        })
    }
}
