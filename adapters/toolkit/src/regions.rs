//! Regions against the embedded Kemendagri reference table (`schema/data/regions.csv`): codes
//! in dotted form ([`code`], noting codes written without dots), names resolved level by level
//! inside their parent, either strictly ([`regency`], [`district`], [`village`]: exact names
//! silent, names matched without prefixes, spaces and punctuation or through an alias table
//! noted `REGION_NAME_NORMALIZED`) or through the table's own matcher ([`resolve_names`]).
//! Nothing is matched fuzzily or across parents.

use simpul_schema::reference::{normalize_region_code, regions, AreaKind};
use simpul_schema::{DataWarning, RegionLevel as Level};

use crate::read::Read;
use crate::text::{fold, nfc};

/// The notice code of a region code written without its dots (`3603` for `36.03`).
pub const REGION_CODE_WITHOUT_DOTS: &str = "REGION_CODE_WITHOUT_DOTS";

/// A Kemendagri code in dotted form: `Ok` when written so, `Noted(REGION_CODE_WITHOUT_DOTS)`
/// when its dots were added, `Bad("REGION_UNKNOWN")` when it is not 2/4/6/10 digits.
pub fn code(raw: &str) -> Read<String> {
    let raw = raw.trim();
    match normalize_region_code(raw) {
        None if raw.is_empty() => Read::Missing,
        None => Read::Bad("REGION_UNKNOWN"),
        Some(dotted) if dotted == raw => Read::Ok(dotted),
        Some(dotted) => Read::Noted(dotted, REGION_CODE_WITHOUT_DOTS),
    }
}

/// A regency or city by name (`Kota …` among cities, anything else among kabupaten);
/// `Bad("REGION_NAME_UNRESOLVED")` when none matches.
pub fn regency(raw: &str) -> Read<String> {
    let city = fold(raw).starts_with("kota");
    let wanted = letters(strip(raw, &["kabupaten", "kab", "kota"]));
    let level = if city { Level::City } else { Level::Regency };
    let found = regions()
        .iter()
        .find(|r| r.level == level && letters(strip(&r.name, &["kabupaten", "kota"])) == wanted);
    resolved(raw, found.map(|r| (&r.name, &r.code)))
}

/// A kecamatan of `regency` by name, `aliases` (misspelling, name) first;
/// `Bad("REGION_NAME_UNRESOLVED")` when none matches.
pub fn district(raw: &str, regency: &str, aliases: &[(&str, &str)]) -> Read<String> {
    let mut wanted = letters(strip(raw, &["kecamatan", "kec"]));
    if let Some((_, name)) = aliases.iter().find(|(a, _)| letters(a) == wanted) {
        wanted = letters(name);
    }
    within(raw, &wanted, regency, |l| l == Level::District)
}

/// A desa or kelurahan of `district` by name; `Bad` when none matches (the reference lists
/// only some villages, so callers may stay silent).
pub fn village(raw: &str, district: &str) -> Read<String> {
    let wanted = letters(strip(raw, &["desa", "ds", "kelurahan", "kel"]));
    within(raw, &wanted, district, |l| {
        matches!(l, Level::Village | Level::UrbanVillage)
    })
}

fn within(raw: &str, wanted: &str, parent: &str, level: impl Fn(Level) -> bool) -> Read<String> {
    let found = regions().iter().find(|r| {
        level(r.level) && r.parent.as_deref() == Some(parent) && letters(&r.name) == wanted
    });
    resolved(raw, found.map(|r| (&r.name, &r.code)))
}

fn resolved(raw: &str, found: Option<(&String, &String)>) -> Read<String> {
    match found {
        None => Read::Bad("REGION_NAME_UNRESOLVED"),
        Some((name, code)) if fold(name) == fold(raw) => Read::Ok(code.clone()),
        Some((_, code)) => Read::Noted(code.clone(), "REGION_NAME_NORMALIZED"),
    }
}

/// `raw` without a leading administrative word (`Kec.`, `Kabupaten`, `Ds.`, …).
fn strip<'a>(raw: &'a str, prefixes: &[&str]) -> &'a str {
    let trimmed = raw.trim();
    for prefix in prefixes {
        let head = trimmed.get(..prefix.len());
        if head.is_some_and(|h| h.eq_ignore_ascii_case(prefix)) {
            let rest = &trimmed[prefix.len()..];
            if rest.starts_with(['.', ' ']) {
                return rest.trim_start_matches(['.', ' ']);
            }
        }
    }
    trimmed
}

/// Letters only, lower case (`Teluk Naga` = `Teluknaga`).
fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Region names of one row, each level optional.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegionNames<'a> {
    /// Village (*desa/kelurahan*).
    pub village: Option<&'a str>,
    /// District (*kecamatan*).
    pub district: Option<&'a str>,
    /// `Kab. X` / `Kota X`.
    pub regency: Option<&'a str>,
    /// Province.
    pub province: Option<&'a str>,
}

/// Dotted codes resolved from [`RegionNames`], each level inside the one above.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedRegion {
    /// Province code.
    pub province: Option<String>,
    /// Regency/city code.
    pub regency: Option<String>,
    /// District code.
    pub district: Option<String>,
    /// Village code.
    pub village: Option<String>,
}

impl ResolvedRegion {
    /// The most precise code resolved.
    pub fn most_precise(&self) -> Option<&String> {
        self.village
            .as_ref()
            .or(self.district.as_ref())
            .or(self.regency.as_ref())
            .or(self.province.as_ref())
    }
}

/// Resolve region names top-down with the reference table's matcher, each inside the level
/// above when that resolved. A name that does not resolve (unknown or ambiguous) adds a
/// `REGION_UNKNOWN` warning naming the column (`columns`: province, regency, district, village),
/// never the value (village-level domicile is personal data); its field is `fields.0` for the
/// province and regency levels and `fields.1` below them.
pub fn resolve_names(
    names: RegionNames<'_>,
    columns: [&str; 4],
    fields: (&str, &str),
    warnings: &mut Vec<DataWarning>,
) -> ResolvedRegion {
    let mut out = ResolvedRegion::default();
    let mut within: Option<String> = None;
    let levels = [
        (names.province, AreaKind::Province, columns[0]),
        (names.regency, AreaKind::RegencyOrCity, columns[1]),
        (names.district, AreaKind::District, columns[2]),
        (names.village, AreaKind::Village, columns[3]),
    ];
    for (name, kind, column) in levels {
        let Some(name) = name else { continue };
        let Some(region) = regions().by_name(&nfc(name), within.as_deref(), kind) else {
            let field = match kind {
                AreaKind::Province | AreaKind::RegencyOrCity => fields.0,
                AreaKind::District | AreaKind::Village => fields.1,
            };
            warnings.push(DataWarning::new(
                "REGION_UNKNOWN",
                field,
                format!("`{column}` does not name a single known area; ignored"),
            ));
            continue;
        };
        let code = region.code.clone();
        within = Some(code.clone());
        *match kind {
            AreaKind::Province => &mut out.province,
            AreaKind::RegencyOrCity => &mut out.regency,
            AreaKind::District => &mut out.district,
            AreaKind::Village => &mut out.village,
        } = Some(code);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALIASES: &[(&str, &str)] = &[("Ps. Kemis", "Pasar Kemis"), ("Belaraja", "Balaraja")];

    fn normalized(c: &str) -> Read<String> {
        Read::Noted(c.to_owned(), "REGION_NAME_NORMALIZED")
    }

    #[test]
    fn codes_in_dotted_form() {
        assert_eq!(code("36.03"), Read::Ok("36.03".into()));
        let undotted = Read::Noted("36.02.13.2007".into(), REGION_CODE_WITHOUT_DOTS);
        assert_eq!(code("3602132007"), undotted);
        assert_eq!(code("36"), Read::Ok("36".into()));
        assert_eq!(code("36021"), Read::Bad("REGION_UNKNOWN"));
        assert_eq!(code(" "), Read::Missing);
    }

    #[test]
    fn regencies_by_kind() {
        assert_eq!(regency("Kabupaten Lebak"), Read::Ok("36.02".into()));
        assert_eq!(regency("Kab. Lebak"), normalized("36.02"));
        assert_eq!(regency("Lebak"), normalized("36.02"));
        assert_eq!(regency("tangerang"), normalized("36.03"));
        assert_eq!(regency("Kota Serang"), Read::Ok("36.73".into()));
        // Serang is a city here, not a kabupaten.
        assert_eq!(regency("Serang"), Read::Bad("REGION_NAME_UNRESOLVED"));
        let city = regency("Kota Tangerang");
        assert_eq!(city, Read::Bad("REGION_NAME_UNRESOLVED"));
    }

    #[test]
    fn districts_within_their_regency_only() {
        let tangerang = |raw| district(raw, "36.03", ALIASES);
        assert_eq!(tangerang("pasar kemis"), Read::Ok("36.03.12".into()));
        assert_eq!(tangerang("Kec. Pasar Kemis"), normalized("36.03.12"));
        assert_eq!(tangerang("Ps. Kemis"), normalized("36.03.12"));
        assert_eq!(tangerang("PasarKemis"), normalized("36.03.12"));
        assert_eq!(tangerang("Belaraja"), normalized("36.03.01"));
        // Maja is a kecamatan of Lebak, not of Tangerang.
        assert_eq!(tangerang("Maja"), Read::Bad("REGION_NAME_UNRESOLVED"));
        assert_eq!(district("Maja", "36.02", &[]), Read::Ok("36.02.13".into()));
    }

    #[test]
    fn villages_within_their_district_only() {
        let ok = Read::Ok("36.03.05.2003".into());
        assert_eq!(village("Selapajang", "36.03.05"), ok);
        assert_eq!(
            village("Ds. Selapajang", "36.03.05"),
            normalized("36.03.05.2003")
        );
        let bad = Read::Bad("REGION_NAME_UNRESOLVED");
        assert_eq!(village("Kutabumi", "36.03.05"), bad);
    }

    #[test]
    fn names_resolved_top_down() {
        let mut w = Vec::new();
        let columns = ["provinsi", "kab_kota", "kecamatan", "desa_kelurahan"];
        let names = RegionNames {
            village: Some("Sangiang"),
            district: Some("Maja"),
            regency: Some("Kab. Lebak"),
            province: Some("Banten"),
        };
        let r = resolve_names(names, columns, ("a", "b"), &mut w);
        assert_eq!(r.village.as_deref(), Some("36.02.13.2007"));
        assert_eq!(r.regency.as_deref(), Some("36.02"));
        assert!(w.is_empty());
        let names = RegionNames {
            village: Some("Atlantis"),
            ..names
        };
        let r = resolve_names(names, columns, ("a", "b"), &mut w);
        assert_eq!(r.most_precise().map(String::as_str), Some("36.02.13"));
        assert_eq!(w.len(), 1);
        assert!(!w[0].message.contains("Atlantis"));
    }
}
