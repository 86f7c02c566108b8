//! Value types shared by several entities: warnings, money, addresses, contacts.

use serde::{Deserialize, Serialize};

/// A data-quality finding about one record, e.g. `NIK_INVALID` or `VALUE_OUT_OF_RANGE`.
///
/// Never carries the offending personal value: the message names the problem, not the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DataWarning {
    /// Stable, upper-snake code (`DATE_FORMAT_NONSTANDARD`, `ENUM_UNKNOWN`, ...).
    pub code: String,
    /// Unified field the warning is about (`capacity`), if any.
    pub field: Option<String>,
    /// Human-readable explanation, free of personal data.
    pub message: String,
}

impl DataWarning {
    /// A warning about one unified field.
    pub fn new(code: &str, field: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

/// An exact amount of money. Rupiah amounts overflow GraphQL's 32-bit `Int`, so the amount
/// is a decimal string (`"1500000"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// Decimal digits with an optional `.` fraction, no separators.
    pub amount: String,
    /// ISO 4217 code; always `IDR` today.
    pub currency: String,
}

impl Money {
    /// Whole rupiah.
    pub fn idr(amount: u64) -> Self {
        Self {
            amount: amount.to_string(),
            currency: "IDR".to_owned(),
        }
    }
}

/// A postal address, with the most precise Kemendagri region the provider gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Street or village line as the provider typed it.
    pub street_address: Option<String>,
    /// Dotted Kemendagri code (`36.02.13.2007`).
    pub region_code: Option<String>,
}

/// How to reach an organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactPoint {
    /// E-mail address.
    pub email: Option<String>,
    /// Telephone number, normalised to `+62…` where possible.
    pub telephone: Option<String>,
}

/// A training field (*kejuruan*, *bidang*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TrainingField {
    /// Provider-local code (`TPD`), or `None` when the provider only has text.
    pub code: Option<String>,
    /// Name as the provider writes it.
    pub name: String,
}

/// An operating licence or accreditation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct License {
    /// What kind of licence.
    pub kind: super::LicenseKind,
    /// Licence number.
    pub number: Option<String>,
    /// Issuing authority.
    pub issuer: Option<String>,
    /// ISO date of issue.
    pub issued_on: Option<chrono::NaiveDate>,
    /// ISO date of expiry.
    pub valid_until: Option<chrono::NaiveDate>,
}
