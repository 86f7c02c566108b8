//! Shared reference data: `Region` (Kemendagri areas) and `Occupation` (KBJI 2014 / ISCO-08).

use async_graphql::{Enum, Object, ID};
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
}

/// An occupation (KBJI 2014 unit group = ISCO-08 code).
#[Object]
impl Occupation {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(GlobalId::new("ref", "Occupation", &format!("KBJI_2014/{}", self.code)).encode())
    }
    /// 4-digit code.
    async fn code(&self) -> &str {
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
