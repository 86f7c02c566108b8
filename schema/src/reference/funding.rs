//! Funding and entitlement schemes (`FundingScheme`): who pays for a run and who may join it,
//! from the embedded `data/funding_schemes.json` (the providers' README, §1.3), one entry per
//! [`FundingSchemeCode`].
//!
//! ```
//! use simpul_schema::reference::funding_scheme;
//! use simpul_schema::FundingSchemeCode;
//!
//! let jkp = funding_scheme(FundingSchemeCode::Jkp);
//! assert_eq!(jkp.legal_basis, ["PP 37/2021"]);
//! assert!(jkp.eligibility_rules.iter().any(|r| r.expression.is_some()));
//! ```

use std::sync::OnceLock;

use serde::Deserialize;

use crate::FundingSchemeCode;

/// One scheme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FundingScheme {
    /// Its code.
    pub code: FundingSchemeCode,
    /// Its name.
    pub name: String,
    /// Who runs it.
    pub administrator: Option<String>,
    /// Laws and regulations behind it.
    pub legal_basis: Vec<String>,
    /// Who may join.
    pub eligibility_rules: Vec<EligibilityRule>,
}

/// One condition of a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRule {
    /// The rule in words.
    pub text: String,
    /// A machine-checkable form where one exists, e.g. `contributionMonths >= 12`.
    pub expression: Option<String>,
}

/// Every scheme, in the order of [`FundingSchemeCode::ALL`].
pub fn funding_schemes() -> &'static [FundingScheme] {
    static TABLE: OnceLock<Vec<FundingScheme>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<FundingScheme> =
            serde_json::from_str(include_str!("../../data/funding_schemes.json"))
                .expect("data/funding_schemes.json is checked by a test");
        table.sort_by_key(|s| FundingSchemeCode::ALL.iter().position(|c| *c == s.code));
        table
    })
}

/// The scheme with this code (every code has one: a test holds the table to the vocabulary).
pub fn funding_scheme(code: FundingSchemeCode) -> &'static FundingScheme {
    funding_schemes()
        .iter()
        .find(|s| s.code == code)
        .unwrap_or_else(|| panic!("no entry for {code} in data/funding_schemes.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_exactly_one_entry() {
        let codes: Vec<FundingSchemeCode> = funding_schemes().iter().map(|s| s.code).collect();
        assert_eq!(codes, FundingSchemeCode::ALL);
        for scheme in funding_schemes() {
            assert!(!scheme.name.trim().is_empty(), "{scheme:?}");
            assert!(scheme
                .eligibility_rules
                .iter()
                .all(|r| !r.text.trim().is_empty()));
        }
    }
}
