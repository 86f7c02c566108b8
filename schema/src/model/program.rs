//! `Program`: a catalogue programme (BBPLK's `program_pelatihan`), which centres offer as
//! courses. Providers without a catalogue serve none, and their courses have no programme.

use serde::{Deserialize, Serialize};

use super::{Competency, Credential, DataWarning, TrainingField};
use crate::filter::{FieldValue, Filterable};

/// A catalogue programme (CTDL `LearningProgram`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Program {
    /// The provider's key (for BBPLK the programme code).
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// The provider's programme code.
    #[serde(default)]
    pub code: Option<String>,
    /// Its name.
    pub name: String,
    /// Training field (*kejuruan*).
    #[serde(default)]
    pub field: Option<TrainingField>,
    /// KBJI 2014 / ISCO-08 unit-group codes it trains for.
    #[serde(default)]
    pub occupation_codes: Vec<String>,
    /// KKNI level (1–9).
    #[serde(default)]
    pub kkni_level: Option<u8>,
    /// Training hours as the provider states them (JP, *jam pelajaran*).
    #[serde(default)]
    pub nominal_hours: Option<u32>,
    /// How it is taught (`PBK`: competency-based training).
    #[serde(default)]
    pub method: Option<String>,
    /// The competency units it teaches.
    #[serde(default)]
    pub competencies: Vec<Competency>,
    /// The credentials it prepares for (a competency certification by scheme).
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

impl Filterable for Program {
    const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "code",
        "name",
        "field",
        "occupationCode",
        "kkniLevel",
        "nominalHours",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "code" => FieldValue::from(self.code.as_ref()),
            "name" => FieldValue::from(&self.name),
            "field" => FieldValue::from(self.field.as_ref().map(|f| &f.name)),
            "occupationCode" => FieldValue::list(self.occupation_codes.iter()),
            "kkniLevel" => FieldValue::from(self.kkni_level.map(i32::from)),
            "nominalHours" => {
                FieldValue::from(self.nominal_hours.and_then(|h| i32::try_from(h).ok()))
            }
            _ => return None,
        })
    }
}
