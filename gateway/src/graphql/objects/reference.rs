//! Shared reference data: `Region` (Kemendagri areas), `Occupation` (KBJI 2014 / ISCO-08) and
//! `FundingScheme` (who pays for a run, who may join).

use async_graphql::{Enum, Object, SimpleObject, ID};
use simpul_schema::reference::{self, occupations, regions};
use simpul_schema::GlobalId;

use super::RegionLevel;
use crate::graphql::scalars::RegionCode;

/// A Kemendagri administrative area.
#[derive(Clone)]
pub struct Region(&'static reference::Region);

impl Region {
    /// The area with this dotted code, if it is in the reference table.
    pub fn find(code: &str) -> Option<Region> {
        regions().get(code).map(Region)
    }
}

/// A Kemendagri administrative area. id = ref:Region:<code>.
#[Object]
impl Region {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(GlobalId::new("ref", "Region", &self.0.code).encode())
    }
    /// Dotted code.
    async fn code(&self) -> RegionCode {
        RegionCode(self.0.code.clone())
    }
    /// Official name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Level.
    async fn level(&self) -> RegionLevel {
        self.0.level.into()
    }
    /// The enclosing area.
    async fn parent(&self) -> Option<Region> {
        self.0.parent.as_deref().and_then(Region::find)
    }
    /// The province.
    async fn province(&self) -> Option<Region> {
        Region::find(self.0.province_code())
    }
    /// The regency/city this area belongs to (itself for a regency/city; null for a province).
    async fn regency(&self) -> Option<Region> {
        self.0.regency_code().and_then(Region::find)
    }
}

/// Occupation classification frameworks.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum OccupationFramework {
    /// Klasifikasi Baku Jabatan Indonesia 2014 (unit groups use ISCO-08 codes).
    #[graphql(name = "KBJI_2014")]
    Kbji2014,
}

/// An occupation (KBJI 2014 unit group = ISCO-08 code). id = ref:Occupation:KBJI_2014/<code>.
#[derive(Clone)]
pub struct Occupation {
    code: String,
    known: Option<&'static reference::Occupation>,
}

impl Occupation {
    /// The occupation with this code (titles come from the reference table when known).
    pub fn new(code: &str) -> Self {
        Self {
            code: code.to_owned(),
            known: occupations().get(code),
        }
    }

    /// Its 4-digit code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Its global id, as text.
    pub fn global_id(&self) -> String {
        GlobalId::new("ref", "Occupation", &format!("KBJI_2014/{}", self.code)).encode()
    }
}

/// An occupation (KBJI 2014 unit group = ISCO-08 code).
#[Object]
impl Occupation {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(self.global_id())
    }
    /// 4-digit code.
    #[graphql(name = "code")]
    async fn code_field(&self) -> &str {
        &self.code
    }
    /// Framework.
    async fn framework(&self) -> OccupationFramework {
        OccupationFramework::Kbji2014
    }
    /// ISCO-08 title (English), when the code is in the reference table.
    async fn title(&self) -> Option<&str> {
        self.known.map(|o| o.title.as_str())
    }
    /// Indonesian label (informal).
    async fn title_id(&self) -> Option<&str> {
        self.known.and_then(|o| o.title_id.as_deref())
    }
    /// O*NET-SOC crosswalk codes, where checked.
    async fn onet_soc_codes(&self) -> Vec<String> {
        self.known
            .map(|o| o.onet_soc_codes.clone())
            .unwrap_or_default()
    }
}

/// A funding or entitlement scheme. id = ref:FundingScheme:<code>.
#[derive(Clone)]
pub struct FundingScheme(&'static reference::FundingScheme);

impl FundingScheme {
    /// The scheme with this code.
    pub fn of(code: simpul_schema::FundingSchemeCode) -> Self {
        Self(reference::funding_scheme(code))
    }

    /// Every scheme.
    pub fn all() -> Vec<Self> {
        reference::funding_schemes().iter().map(Self).collect()
    }

    /// The scheme named by a global id's local key (`JKP`), if there is one.
    pub fn find(code: &str) -> Option<Self> {
        simpul_schema::FundingSchemeCode::from_name(code).map(Self::of)
    }
}

/// A funding or entitlement scheme: who pays for a run and who may join it.
#[Object]
impl FundingScheme {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(GlobalId::new("ref", "FundingScheme", self.0.code.as_str()).encode())
    }
    /// Its code.
    async fn code(&self) -> super::FundingSchemeCode {
        self.0.code.into()
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Who runs it.
    async fn administrator(&self) -> Option<&str> {
        self.0.administrator.as_deref()
    }
    /// Laws and regulations behind it.
    async fn legal_basis(&self) -> &[String] {
        &self.0.legal_basis
    }
    /// Who may join.
    async fn eligibility_rules(&self) -> Vec<EligibilityRule> {
        self.0
            .eligibility_rules
            .iter()
            .map(|r| EligibilityRule {
                text: r.text.clone(),
                expression: r.expression.clone(),
            })
            .collect()
    }
}

/// One condition of a funding scheme.
#[derive(SimpleObject, Clone)]
pub struct EligibilityRule {
    /// The rule in words.
    pub text: String,
    /// Machine-checkable form where one exists, e.g. `contributionMonths >= 12`.
    pub expression: Option<String>,
}
