//! The Kemendagri region codes the generator uses, taken from the unified schema's embedded
//! reference table (`schema/data/regions.csv`, via [`simpul_schema::reference::regions`]),
//! limited to the fixed set in `data/geography.txt` so that output stays the same per seed:
//! provinces, regencies/cities, districts (whose codes without dots are the NIK region part)
//! and villages. Only villages whose name resolves back to their own code inside their
//! district are used, so the SPN adapter can always turn the names we write into codes.

use std::sync::OnceLock;

use simpul_schema::reference::{regions, AreaKind};
use simpul_schema::RegionLevel;

/// A province.
#[derive(Debug, Clone)]
pub struct Province {
    /// `36`.
    pub code: String,
    /// `Banten`.
    pub name: String,
}

/// A regency (*kabupaten*) or city (*kota*).
#[derive(Debug, Clone)]
pub struct Regency {
    /// `36.02`.
    pub code: String,
    /// Official name, `Kabupaten Lebak`.
    pub name: String,
    /// The spreadsheet form, `Kab. Lebak` / `Kota Serang`.
    pub short_name: String,
    /// The bare name, `Lebak`.
    pub bare_name: String,
    /// Index into [`Geo::provinces`].
    pub province: usize,
    /// Indices into [`Geo::districts`].
    pub districts: Vec<usize>,
}

/// A district (*kecamatan*).
#[derive(Debug, Clone)]
pub struct District {
    /// `36.02.13`.
    pub code: String,
    /// `360213`: the NIK's region part.
    pub digits: String,
    /// `Maja`.
    pub name: String,
    /// Index into [`Geo::regencies`].
    pub regency: usize,
    /// Indices into [`Geo::villages`].
    pub villages: Vec<usize>,
}

/// A village (*desa* or *kelurahan*).
#[derive(Debug, Clone)]
pub struct Village {
    /// `36.02.13.2007`.
    pub code: String,
    /// `Sangiang`.
    pub name: String,
    /// Index into [`Geo::districts`].
    pub district: usize,
    /// A *kelurahan* (urban) rather than a *desa*.
    pub urban: bool,
}

/// The usable region tables.
#[derive(Debug, Clone)]
pub struct Geo {
    /// Provinces.
    pub provinces: Vec<Province>,
    /// Regencies and cities.
    pub regencies: Vec<Regency>,
    /// Districts that have at least one usable village.
    pub districts: Vec<District>,
    /// Usable villages.
    pub villages: Vec<Village>,
}

impl Geo {
    /// The district of a village.
    pub fn district_of(&self, village: usize) -> &District {
        &self.districts[self.villages[village].district]
    }

    /// The regency of a village.
    pub fn regency_of(&self, village: usize) -> &Regency {
        &self.regencies[self.district_of(village).regency]
    }

    /// The province of a regency.
    pub fn province_of(&self, regency: usize) -> &Province {
        &self.provinces[self.regencies[regency].province]
    }

    /// The village with this dotted code.
    pub fn village(&self, code: &str) -> Option<usize> {
        self.villages.iter().position(|v| v.code == code)
    }

    /// The regency with this dotted code.
    pub fn regency(&self, code: &str) -> Option<usize> {
        self.regencies.iter().position(|r| r.code == code)
    }
}

/// The region tables, built once.
pub fn geo() -> &'static Geo {
    static GEO: OnceLock<Geo> = OnceLock::new();
    GEO.get_or_init(build)
}

/// The codes the generator draws from (`data/geography.txt`): fixed, so that a seed gives the
/// same bytes when the reference table grows.
fn geography() -> std::collections::HashSet<&'static str> {
    include_str!("../data/geography.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn build() -> Geo {
    let table = regions();
    let drawn = geography();
    let mut geo = Geo {
        provinces: Vec::new(),
        regencies: Vec::new(),
        districts: Vec::new(),
        villages: Vec::new(),
    };
    for region in table.iter().filter(|r| drawn.contains(r.code.as_str())) {
        match region.level {
            RegionLevel::Province => geo.provinces.push(Province {
                code: region.code.clone(),
                name: region.name.clone(),
            }),
            RegionLevel::Regency | RegionLevel::City => {
                let Some(province) = geo
                    .provinces
                    .iter()
                    .position(|p| Some(&p.code) == region.parent.as_ref())
                else {
                    continue;
                };
                let bare = region
                    .name
                    .trim_start_matches("Kabupaten ")
                    .trim_start_matches("Kota ")
                    .to_owned();
                let short = if region.level == RegionLevel::City {
                    format!("Kota {bare}")
                } else {
                    format!("Kab. {bare}")
                };
                let resolves = table
                    .by_name(
                        &short,
                        Some(&geo.provinces[province].code),
                        AreaKind::RegencyOrCity,
                    )
                    .is_some_and(|r| r.code == region.code);
                if resolves {
                    geo.regencies.push(Regency {
                        code: region.code.clone(),
                        name: region.name.clone(),
                        short_name: short,
                        bare_name: bare,
                        province,
                        districts: Vec::new(),
                    });
                }
            }
            RegionLevel::District => {
                let Some(regency) = geo
                    .regencies
                    .iter()
                    .position(|r| Some(&r.code) == region.parent.as_ref())
                else {
                    continue;
                };
                let resolves = table
                    .by_name(
                        &region.name,
                        Some(&geo.regencies[regency].code),
                        AreaKind::District,
                    )
                    .is_some_and(|r| r.code == region.code);
                if resolves {
                    geo.districts.push(District {
                        code: region.code.clone(),
                        digits: region.code.replace('.', ""),
                        name: region.name.clone(),
                        regency,
                        villages: Vec::new(),
                    });
                }
            }
            RegionLevel::Village | RegionLevel::UrbanVillage => {
                let Some(district) = geo
                    .districts
                    .iter()
                    .position(|d| Some(&d.code) == region.parent.as_ref())
                else {
                    continue;
                };
                let resolves = table
                    .by_name(
                        &region.name,
                        Some(&geo.districts[district].code),
                        AreaKind::Village,
                    )
                    .is_some_and(|r| r.code == region.code);
                if resolves {
                    geo.villages.push(Village {
                        code: region.code.clone(),
                        name: region.name.clone(),
                        district,
                        urban: region.level == RegionLevel::UrbanVillage,
                    });
                }
            }
            // The embedded table only has the levels above.
            RegionLevel::Unknown => {}
        }
    }
    for (i, v) in geo.villages.iter().enumerate() {
        geo.districts[v.district].villages.push(i);
    }
    // Keep only districts with villages; re-index regencies' district lists.
    let keep: Vec<bool> = geo
        .districts
        .iter()
        .map(|d| !d.villages.is_empty())
        .collect();
    let mut new_index = vec![usize::MAX; geo.districts.len()];
    let mut districts = Vec::new();
    for (i, d) in geo.districts.drain(..).enumerate() {
        if keep[i] {
            new_index[i] = districts.len();
            districts.push(d);
        }
    }
    geo.districts = districts;
    for v in &mut geo.villages {
        v.district = new_index[v.district];
    }
    for (i, d) in geo.districts.iter().enumerate() {
        geo.regencies[d.regency].districts.push(i);
    }
    geo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_consistent() {
        let g = geo();
        assert_eq!(g.provinces.len(), 2);
        assert!(g.regencies.len() >= 6);
        assert!(g.districts.len() >= 20);
        for d in &g.districts {
            assert_eq!(d.digits.len(), 6);
            assert!(!d.villages.is_empty());
        }
        let sangiang = g.village("36.02.13.2007").expect("Sangiang");
        assert_eq!(g.regency_of(sangiang).short_name, "Kab. Lebak");
        assert_eq!(g.district_of(sangiang).digits, "360213");
    }
}
