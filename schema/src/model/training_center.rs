//! `TrainingCenter`: an institution or place that delivers training.

use serde::{Deserialize, Serialize};

use super::{
    Address, AgentSector, ContactPoint, DataWarning, InstitutionType, License, TrainingField,
};
use crate::filter::{FieldValue, Filterable};

/// An institution or place that delivers training (CTDL `CredentialOrganization`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TrainingCenter {
    /// The provider's key (`SPN-TC-01`); the local key of its global id.
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// Name as the provider writes it.
    pub name: String,
    /// Other names (BBPVP Bekasi, CEVEST, ...).
    pub alternate_names: Vec<String>,
    /// Kind of institution.
    pub institution_type: InstitutionType,
    /// Who runs it.
    pub sector: Option<AgentSector>,
    /// Local key of the supervising centre (*binaan*), same provider.
    pub supervisor_id: Option<String>,
    /// Where it is.
    pub address: Option<Address>,
    /// Year founded or inaugurated.
    pub founded_year: Option<i32>,
    /// Land area in hectares.
    pub area_hectares: Option<f64>,
    /// Workshops, classrooms and the like.
    pub facilities: Vec<String>,
    /// Training fields (*kejuruan*).
    pub fields: Vec<TrainingField>,
    /// Operating licences.
    pub licenses: Vec<License>,
    /// Years of operation when a partnership was signed.
    pub years_of_experience: Option<i32>,
    /// BPJAMSOSTEK's Vokasi partner rule (a Disnaker licence and at least a year of
    /// experience), as the agency's adapter checked it; null for a centre that is not a Vokasi
    /// partner.
    #[serde(default)]
    pub meets_vokasi_partner_criteria: Option<bool>,
    /// How to reach it.
    pub contact: Option<ContactPoint>,
    /// Whether it currently operates.
    pub active: Option<bool>,
}

impl Filterable for TrainingCenter {
    const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "name",
        "institutionType",
        "regionCode",
        "active",
        "supervisorId",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "name" => FieldValue::from(&self.name),
            "institutionType" => FieldValue::from(self.institution_type.as_str()),
            "regionCode" => {
                FieldValue::from(self.address.as_ref().and_then(|a| a.region_code.as_ref()))
            }
            "active" => FieldValue::from(self.active),
            "supervisorId" => FieldValue::from(self.supervisor_id.as_ref()),
            _ => return None,
        })
    }
}
