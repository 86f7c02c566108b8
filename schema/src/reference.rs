//! Shared reference data, embedded in the crate: Kemendagri region codes, KBJI 2014 / ISCO-08
//! occupations (the subsets the providers use; `data/` holds the CSV sources) and funding
//! schemes ([`funding`]).
//!
//! ```
//! use simpul_schema::reference::{regions, AreaKind};
//!
//! let lebak = regions().by_name("Kab. Lebak", None, AreaKind::RegencyOrCity).unwrap();
//! assert_eq!(lebak.code, "36.02");
//! assert_eq!(simpul_schema::reference::normalize_region_code("3602132007").as_deref(), Some("36.02.13.2007"));
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

pub mod funding;
pub use funding::{funding_scheme, funding_schemes, EligibilityRule, FundingScheme};

use crate::model::RegionLevel;

/// A Kemendagri administrative area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Dotted code (`36.02.13.2007`).
    pub code: String,
    /// Official name (`Kabupaten Lebak`, `Sangiang`).
    pub name: String,
    /// Level.
    pub level: RegionLevel,
    /// Code of the enclosing area.
    pub parent: Option<String>,
}

impl Region {
    /// Code of the province (first segment).
    pub fn province_code(&self) -> &str {
        &self.code[..2]
    }

    /// Code of the regency/city, or `None` for a province.
    pub fn regency_code(&self) -> Option<&str> {
        (self.code.len() >= 5).then(|| &self.code[..5])
    }
}

/// The region table.
#[derive(Debug)]
pub struct Regions {
    by_code: HashMap<String, Region>,
    order: Vec<String>,
}

/// The embedded region table.
pub fn regions() -> &'static Regions {
    static TABLE: OnceLock<Regions> = OnceLock::new();
    TABLE.get_or_init(|| Regions::parse(include_str!("../data/regions.csv")))
}

impl Regions {
    fn parse(csv: &str) -> Self {
        let mut by_code = HashMap::new();
        let mut order = Vec::new();
        for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cols = split_csv_line(line);
            let (code, name, jenis, parent) = (&cols[0], &cols[1], &cols[3], &cols[4]);
            let level = match jenis.as_str() {
                "provinsi" => RegionLevel::Province,
                "kabupaten" => RegionLevel::Regency,
                "kota" => RegionLevel::City,
                "kecamatan" => RegionLevel::District,
                "kelurahan" => RegionLevel::UrbanVillage,
                _ => RegionLevel::Village,
            };
            order.push(code.clone());
            by_code.insert(
                code.clone(),
                Region {
                    code: code.clone(),
                    name: name.clone(),
                    level,
                    parent: (!parent.is_empty()).then(|| parent.clone()),
                },
            );
        }
        Self { by_code, order }
    }

    /// Look up a dotted code.
    pub fn get(&self, code: &str) -> Option<&Region> {
        self.by_code.get(code)
    }

    /// All regions, in file order (parents before children).
    pub fn iter(&self) -> impl Iterator<Item = &Region> {
        self.order.iter().filter_map(|c| self.by_code.get(c))
    }

    /// Find an area of the given kind by the name a provider wrote (`Kab. Lebak`, `Kabupaten
    /// Lebak`, `Kota Serang`, `Maja`, `Desa Sangiang`), optionally only inside the area
    /// `within`. Names are compared without case, punctuation and administrative prefixes; a
    /// `Kab.` or `Kota` prefix keeps regencies and cities of the same name apart. Returns `None`
    /// when no area or more than one matches.
    pub fn by_name(&self, name: &str, within: Option<&str>, kind: AreaKind) -> Option<&Region> {
        let (prefix_kind, wanted) = name_key(name);
        let kind = match (kind, prefix_kind) {
            (AreaKind::RegencyOrCity, NameKind::Regency) => NameKind::Regency,
            (AreaKind::RegencyOrCity, NameKind::City) => NameKind::City,
            (AreaKind::RegencyOrCity, _) => NameKind::RegencyOrCity,
            (AreaKind::Province, _) => NameKind::Province,
            (AreaKind::District, _) => NameKind::District,
            (AreaKind::Village, _) => NameKind::Village,
        };
        let mut found = None;
        for region in self.by_code.values() {
            if let Some(parent) = within {
                if !(region.code.starts_with(parent)
                    && region.code[parent.len()..].starts_with('.'))
                {
                    continue;
                }
            }
            let (_, key) = name_key(&region.name);
            if key != wanted {
                continue;
            }
            let level_ok = match kind {
                NameKind::Regency => region.level == RegionLevel::Regency,
                NameKind::City => region.level == RegionLevel::City,
                NameKind::District => region.level == RegionLevel::District,
                NameKind::Village => matches!(
                    region.level,
                    RegionLevel::Village | RegionLevel::UrbanVillage
                ),
                NameKind::Province => region.level == RegionLevel::Province,
                NameKind::RegencyOrCity => {
                    matches!(region.level, RegionLevel::Regency | RegionLevel::City)
                }
                NameKind::Any => false,
            };
            if level_ok {
                if found.is_some() {
                    return None;
                }
                found = Some(region);
            }
        }
        found
    }
}

/// Which administrative level a name is expected at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaKind {
    /// Provinsi.
    Province,
    /// Kabupaten or kota.
    RegencyOrCity,
    /// Kecamatan.
    District,
    /// Desa or kelurahan.
    Village,
}

#[derive(Clone, Copy)]
enum NameKind {
    RegencyOrCity,
    Province,
    Regency,
    City,
    District,
    Village,
    Any,
}

/// Split an administrative prefix off a name and reduce the rest to lowercase letters and digits.
fn name_key(name: &str) -> (NameKind, String) {
    let lower = name.trim().to_lowercase();
    let prefixes: [(&str, NameKind); 9] = [
        ("provinsi ", NameKind::Province),
        ("kabupaten ", NameKind::Regency),
        ("kab. ", NameKind::Regency),
        ("kab ", NameKind::Regency),
        ("kota ", NameKind::City),
        ("kecamatan ", NameKind::District),
        ("kec. ", NameKind::District),
        ("desa ", NameKind::Village),
        ("kelurahan ", NameKind::Village),
    ];
    let (kind, rest) = prefixes
        .iter()
        .find_map(|(p, k)| lower.strip_prefix(p).map(|rest| (*k, rest)))
        .unwrap_or((NameKind::Any, lower.as_str()));
    (kind, rest.chars().filter(|c| c.is_alphanumeric()).collect())
}

/// Normalise a region code a provider wrote to the dotted form: `3602132007` →
/// `36.02.13.2007`, `36.02` stays. Returns `None` for anything that is not 2, 4, 6 or 10 digits
/// (with or without dots in the right places).
pub fn normalize_region_code(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let digits: String = raw.chars().filter(|c| *c != '.').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || ![2, 4, 6, 10].contains(&digits.len()) {
        return None;
    }
    let mut out = String::new();
    for (i, (start, end)) in [(0, 2), (2, 4), (4, 6), (6, 10)].into_iter().enumerate() {
        if end > digits.len() {
            break;
        }
        if i > 0 {
            out.push('.');
        }
        out.push_str(&digits[start..end]);
    }
    // A dotted input must have had its dots in the same places.
    (raw.len() == digits.len() || raw == out).then_some(out)
}

/// A KBJI 2014 / ISCO-08 unit group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occupation {
    /// 4-digit code.
    pub code: String,
    /// ISCO-08 title (English).
    pub title: String,
    /// Indonesian label (informal).
    pub title_id: Option<String>,
    /// O*NET-SOC crosswalk codes, where checked.
    pub onet_soc_codes: Vec<String>,
}

/// The embedded occupation table, by code.
pub fn occupations() -> &'static HashMap<String, Occupation> {
    static TABLE: OnceLock<HashMap<String, Occupation>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/occupations.csv")
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let cols = split_csv_line(line);
                let occupation = Occupation {
                    code: cols[0].clone(),
                    title: cols[1].clone(),
                    title_id: cols.get(2).filter(|s| !s.is_empty()).cloned(),
                    onet_soc_codes: cols
                        .get(3)
                        .map(|s| {
                            s.split(';')
                                .filter(|c| !c.is_empty())
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                (occupation.code.clone(), occupation)
            })
            .collect()
    })
}

/// Split one line of the embedded comma-separated tables (double-quoted fields allowed).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut cols = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cols.push(String::new()),
            c => cols.last_mut().expect("never empty").push(c),
        }
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_resolve_by_kind() {
        let r = regions();
        let rc = AreaKind::RegencyOrCity;
        assert_eq!(
            r.by_name("Kabupaten Bekasi", None, rc).unwrap().code,
            "32.16"
        );
        assert_eq!(r.by_name("Kota Bekasi", None, rc).unwrap().code, "32.75");
        assert!(
            r.by_name("Bekasi", None, rc).is_none(),
            "ambiguous without a prefix"
        );
        assert_eq!(
            r.by_name("Maja", Some("36.02"), AreaKind::District)
                .unwrap()
                .code,
            "36.02.13"
        );
        assert_eq!(
            r.by_name("Maja", Some("36.02.13"), AreaKind::Village)
                .unwrap()
                .code,
            "36.02.13.2006"
        );
        assert_eq!(
            r.by_name("Desa Sangiang", Some("36.02.13"), AreaKind::Village)
                .unwrap()
                .code,
            "36.02.13.2007"
        );
        assert!(r.by_name("Atlantis", None, rc).is_none());
    }

    #[test]
    fn region_codes_normalise() {
        assert_eq!(
            normalize_region_code("36.02.13.2007").as_deref(),
            Some("36.02.13.2007")
        );
        assert_eq!(normalize_region_code("360213").as_deref(), Some("36.02.13"));
        assert_eq!(normalize_region_code("36.0213"), None);
        assert_eq!(normalize_region_code("36.02.13.200"), None);
        assert_eq!(normalize_region_code("abc"), None);
    }

    #[test]
    fn every_region_has_its_parent() {
        for region in regions().iter() {
            if let Some(parent) = &region.parent {
                assert!(
                    regions().get(parent).is_some(),
                    "{} lacks {parent}",
                    region.code
                );
            }
        }
        assert_eq!(
            occupations()["8343"].title,
            "Crane, hoist and related plant operators"
        );
    }
}
