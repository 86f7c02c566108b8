//! `Partnership`: an MoU, cooperation agreement, licence, visit or supervision link.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{DataWarning, PartnershipKind};
use crate::filter::{FieldValue, Filterable};

/// An agreement or formal link between organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Partnership {
    /// The provider's key (`KS-2023-001`).
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// Kind of agreement.
    pub kind: PartnershipKind,
    /// The organisations bound by it.
    pub parties: Vec<PartyRef>,
    /// Document number.
    pub document_number: Option<String>,
    /// Date signed.
    pub signed_on: Option<NaiveDate>,
    /// First day in force.
    pub valid_from: Option<NaiveDate>,
    /// Last day in force.
    pub valid_until: Option<NaiveDate>,
    /// Where it was signed.
    pub place: Option<String>,
    /// What it covers.
    pub scope: Option<String>,
    /// What the partner contributes.
    pub contribution: Option<String>,
    /// Status as the provider states it.
    pub status: Option<String>,
}

/// One party to a partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PartyRef {
    /// The party's name.
    pub name: String,
    /// Local key of the training centre, when the party is one of the provider's centres.
    pub training_center_id: Option<String>,
    /// Kind of organisation, as the provider describes it.
    pub kind: Option<String>,
}

impl Filterable for Partnership {
    const FIELDS: &'static [&'static str] = &["sourceId", "kind", "signedOn", "trainingCenterId"];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "kind" => FieldValue::from(self.kind.as_str()),
            "signedOn" => FieldValue::from(self.signed_on),
            // The parties that are centres of the provider; holds when any of them matches.
            "trainingCenterId" => FieldValue::list(
                self.parties
                    .iter()
                    .filter_map(|p| p.training_center_id.as_deref()),
            ),
            _ => return None,
        })
    }
}
