//! Regions by name (contract §6) against the embedded Kemendagri table, level by level: the
//! regency (`Kota …` among cities, anything else among kabupaten), then the kecamatan only
//! within it, then the desa only within that. Exact names (ignoring case) resolve silently;
//! names that match only without prefixes, spaces and punctuation, or through the alias table,
//! resolve with `REGION_NAME_NORMALIZED`. Nothing is matched fuzzily or across regencies.

use simpul_schema::reference::regions;
use simpul_schema::RegionLevel as Level;

use crate::cells::{fold, Read};

/// Kabupaten Tangerang, where every BLKK is and a blank `Kab/Kota` points.
pub const KAB_TANGERANG: &str = "36.03";

/// Known misspellings of Kabupaten Tangerang's kecamatan (contract §6).
const DISTRICT_ALIASES: &[(&str, &str)] = &[
    ("Ps. Kemis", "Pasar Kemis"),
    ("Rajek", "Rajeg"),
    ("Belaraja", "Balaraja"),
];

/// A regency or city by name; `Bad("REGION_NAME_UNRESOLVED")` when none matches.
pub fn regency(raw: &str) -> Read<String> {
    let city = fold(raw).starts_with("kota");
    let wanted = letters(strip(raw, &["kabupaten", "kab", "kota"]));
    let level = if city { Level::City } else { Level::Regency };
    let found = regions()
        .iter()
        .find(|r| r.level == level && letters(strip(&r.name, &["kabupaten", "kota"])) == wanted);
    resolved(raw, found.map(|r| (&r.name, &r.code)))
}

/// A kecamatan of `regency` by name; `Bad("REGION_NAME_UNRESOLVED")` when none matches.
pub fn district(raw: &str, regency: &str) -> Read<String> {
    let mut wanted = letters(strip(raw, &["kecamatan", "kec"]));
    if let Some((_, name)) = DISTRICT_ALIASES.iter().find(|(a, _)| letters(a) == wanted) {
        wanted = letters(name);
    }
    within(raw, &wanted, regency, |l| l == Level::District)
}

/// A desa or kelurahan of `district` by name; `Bad` when none matches (the caller stays
/// silent: the reference lists only some villages).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regencies_by_kind() {
        assert_eq!(regency("Kabupaten Lebak"), Read::Ok("36.02".into()));
        let normalized = |c: &str| Read::Noted(c.to_owned(), "REGION_NAME_NORMALIZED");
        assert_eq!(regency("Kab. Lebak"), normalized("36.02"));
        assert_eq!(regency("Lebak"), normalized("36.02"));
        assert_eq!(regency("tangerang"), normalized("36.03"));
        assert_eq!(regency("Kota Serang"), Read::Ok("36.73".into()));
        // Serang is a city here, not a kabupaten.
        assert_eq!(regency("Serang"), Read::Bad("REGION_NAME_UNRESOLVED"));
        assert_eq!(
            regency("Kota Tangerang"),
            Read::Bad("REGION_NAME_UNRESOLVED")
        );
    }

    #[test]
    fn districts_within_their_regency_only() {
        let normalized = |c: &str| Read::Noted(c.to_owned(), "REGION_NAME_NORMALIZED");
        assert_eq!(
            district("pasar kemis", KAB_TANGERANG),
            Read::Ok("36.03.12".into())
        );
        assert_eq!(
            district("Kec. Pasar Kemis", KAB_TANGERANG),
            normalized("36.03.12")
        );
        assert_eq!(district("Ps. Kemis", KAB_TANGERANG), normalized("36.03.12"));
        assert_eq!(
            district("PasarKemis", KAB_TANGERANG),
            normalized("36.03.12")
        );
        assert_eq!(district("Belaraja", KAB_TANGERANG), normalized("36.03.01"));
        // Maja is a kecamatan of Lebak, not of Tangerang.
        assert_eq!(
            district("Maja", KAB_TANGERANG),
            Read::Bad("REGION_NAME_UNRESOLVED")
        );
        assert_eq!(district("Maja", "36.02"), Read::Ok("36.02.13".into()));
    }

    #[test]
    fn villages_within_their_district_only() {
        assert_eq!(
            village("Selapajang", "36.03.05"),
            Read::Ok("36.03.05.2003".into())
        );
        assert_eq!(
            village("Ds. Selapajang", "36.03.05"),
            Read::Noted("36.03.05.2003".into(), "REGION_NAME_NORMALIZED")
        );
        assert_eq!(
            village("Kutabumi", "36.03.05"),
            Read::Bad("REGION_NAME_UNRESOLVED")
        );
    }
}
