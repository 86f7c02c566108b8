//! Synthetic people: everything about person `i` that does not depend on a provider (NIK, sex,
//! birth date, name, domicile, phone, e-mail, education, work situation, social-security
//! member number), derived from `(seed, i)` alone, plus the ways each provider writes a name
//! (as typed at SPN, UPPER CASE at BBPLK, Title Case at BPJAMSOSTEK).

use chrono::NaiveDate;

use crate::geo::geo;
use crate::identity::{kpj, phone_national, NikSpace, Sex};
use crate::rng::{Rand, Stream};
use crate::vocab::*;

/// Work situation when the person first registered anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Employment {
    /// Working (wage earner).
    Employed,
    /// Laid off (*korban PHK*).
    LaidOff,
    /// Not yet working.
    Unemployed,
    /// Self-employed.
    SelfEmployed,
    /// Retired.
    Retired,
    /// Informal worker.
    Informal,
    /// Migrant worker.
    Migrant,
}

/// A synthetic person.
#[derive(Debug, Clone)]
pub struct Person {
    /// The person's number (`0..participants`, then BPJAMSOSTEK-only members).
    pub index: u64,
    /// 16-digit NIK.
    pub nik: String,
    /// Sex (as in the NIK).
    pub sex: Sex,
    /// Birth date (as in the NIK).
    pub birth_date: NaiveDate,
    /// First given name.
    pub given: &'static str,
    /// Second name, if any.
    pub middle: Option<&'static str>,
    /// Family name, if any (`None`: a mononym).
    pub family: Option<&'static str>,
    /// Place of birth.
    pub birth_place: &'static str,
    /// Domicile village (index into [`crate::geo::Geo::villages`]).
    pub village: usize,
    /// Street line, Title Case (`Jl. Kenanga No. 71 RT 007/RW 001`).
    pub address: String,
    /// Phone, national digits without the leading 0 (`8990012345678`).
    pub phone: String,
    /// E-mail, if the person gave one.
    pub email: Option<String>,
    /// Highest education (`SD` … `S1`).
    pub education: &'static str,
    /// SPN union member.
    pub union_member: bool,
    /// Situation at first registration.
    pub employment: Employment,
    /// Last employer (fictional).
    pub last_employer: Option<String>,
    /// Laid off and covered by JKP: at BBPLK such a person trains in a JKP batch with a KPJ.
    pub jkp: bool,
    /// Disability (BBPLK only records it).
    pub disability: Option<&'static str>,
    /// BPJS Ketenagakerjaan member number (used where a provider records it).
    pub kpj: String,
}

/// Builds people for one seed.
#[derive(Debug, Clone)]
pub struct People {
    seed: u64,
    space: NikSpace,
}

const EDUCATION: &[(u32, &str)] = &[
    (12, "SD"),
    (18, "SMP"),
    (25, "SMA"),
    (32, "SMK"),
    (6, "D3"),
    (7, "S1"),
];

impl People {
    /// The people of `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            space: NikSpace::new(seed),
        }
    }

    /// How many distinct people (NIKs) this seed can make.
    pub fn capacity(&self) -> u64 {
        self.space.capacity()
    }

    /// Person `i`.
    pub fn person(&self, i: u64) -> Person {
        let g = geo();
        let parts = self.space.parts(i);
        let mut r = Rand::new(self.seed, Stream::Person, i, 0);
        let female = parts.sex == Sex::Female;
        let (givens, families) = if female {
            (FEMALE_GIVEN, FEMALE_FAMILY)
        } else {
            (MALE_GIVEN, MALE_FAMILY)
        };
        let given = *r.pick(givens);
        let shape = r.below(100);
        let (middle, family) = match shape {
            0..=4 => (None, None),
            5..=64 => (None, Some(*r.pick(families))),
            _ => {
                let second = *r.pick(givens);
                let family = *r.pick(families);
                (
                    Some(second).filter(|s| *s != given && *s != family),
                    Some(family),
                )
            }
        };
        let village = if r.chance(0.75) {
            *r.pick(&g.districts[parts.district].villages)
        } else {
            r.below(g.villages.len() as u64) as usize
        };
        let address = if g.villages[village].urban {
            format!(
                "Jl. {} No. {} RT {:03}/RW {:03}",
                r.pick(STREETS),
                r.range(1, 150),
                r.range(1, 12),
                r.range(1, 10)
            )
        } else {
            format!(
                "Kp. {} RT {:03}/RW {:03}",
                r.pick(HAMLETS),
                r.range(1, 9),
                r.range(1, 8)
            )
        };
        let birth_place = if r.chance(0.5) {
            home_birth_place(&g.regency_of(village).bare_name)
        } else {
            *r.pick(BIRTH_PLACES)
        };
        let email = r.chance(0.45).then(|| {
            let mut local = ascii_lower(given);
            if let Some(f) = family {
                local.push('.');
                local.push_str(&ascii_lower(f));
            }
            let tld = *r.pick(&["org", "com", "net"]);
            format!("{local}{}@example.{tld}", r.range(1, 99))
        });
        let age_2022 = 2022 - chrono::Datelike::year(&parts.birth_date);
        let employment = match r.below(100) {
            _ if age_2022 >= 50 && r.chance(0.3) => Employment::Retired,
            0..=49 => Employment::LaidOff,
            50..=71 => Employment::Unemployed,
            72..=86 => Employment::Employed,
            87..=93 => Employment::SelfEmployed,
            94..=98 => Employment::Informal,
            _ => Employment::Migrant,
        };
        let last_employer = match employment {
            Employment::LaidOff | Employment::Employed | Employment::Retired => {
                Some(company(&mut r, GENERIC_SECTORS))
            }
            _ if r.chance(0.3) => Some(company(&mut r, GENERIC_SECTORS)),
            _ => None,
        };
        let jkp = employment == Employment::LaidOff && r.chance(0.35);
        Person {
            index: i,
            nik: parts.nik(),
            sex: parts.sex,
            birth_date: parts.birth_date,
            given,
            middle,
            family,
            birth_place,
            village,
            address,
            phone: phone_national(self.seed, i, 0),
            email,
            education: r.weighted_pick(EDUCATION),
            union_member: r.chance(0.45),
            employment,
            last_employer,
            jkp,
            disability: r.chance(0.015).then(|| *r.pick(DISABILITIES)),
            kpj: kpj(self.seed, i),
        }
    }
}

/// The birth place people from a regency usually write.
fn home_birth_place(regency: &str) -> &'static str {
    BIRTH_PLACES
        .iter()
        .find(|p| regency.eq_ignore_ascii_case(p))
        .copied()
        .unwrap_or("Jakarta")
}

/// A fictional company: `PT Baja Cilegon Sentosa (fiktif)`.
pub fn company(r: &mut Rand, sectors: &[&str]) -> String {
    let form = if r.chance(0.7) { "PT" } else { "CV" };
    let sector = r.pick(sectors);
    let place = if r.chance(0.5) {
        *r.pick(COMPANY_PLACES)
    } else {
        *r.pick(COMPANY_WORDS)
    };
    let mut word = *r.pick(COMPANY_WORDS);
    if word == place {
        word = "Prima";
    }
    format!("{form} {sector} {place} {word} (fiktif)")
}

impl Person {
    /// The name tokens in canonical spelling.
    pub fn tokens(&self) -> Vec<&'static str> {
        std::iter::once(self.given)
            .chain(self.middle)
            .chain(self.family)
            .collect()
    }

    /// `Mochamad Rizki Ramdani`.
    pub fn title_name(&self) -> String {
        self.tokens().join(" ")
    }

    /// `MOCHAMAD RIZKI RAMDANI`, as on the KTP (BBPLK).
    pub fn upper_name(&self) -> String {
        self.title_name().to_uppercase()
    }

    /// Title Case with `Nur…` names possibly split (`Siti Nur Halimah`), as at BPJAMSOSTEK.
    pub fn bpjs_name(&self, r: &mut Rand) -> String {
        let split = r.chance(0.3);
        self.tokens()
            .iter()
            .map(|t| match split_spelling(t) {
                Some(s) if split => s,
                _ => (*t).to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The name as an SPN clerk typed it: usually Title Case, sometimes `Moch.`, a split or
    /// joined `Nur…`, all caps, or a trailing space.
    pub fn typed_name(&self, r: &mut Rand) -> String {
        let abbreviate = r.chance(0.5);
        let split = r.chance(0.3);
        let mut name = self
            .tokens()
            .iter()
            .map(|t| match (abbreviation(t), split_spelling(t)) {
                (Some(a), _) if abbreviate => a.to_owned(),
                (_, Some(s)) if split => s,
                _ => (*t).to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        match r.below(100) {
            0..=3 => name = name.to_uppercase(),
            4..=6 => name.push(' '),
            _ => {}
        }
        name
    }

    /// The phone as a provider writes it: `0899…` or `+62899…`; `variant` > 0 is another
    /// number of the same person.
    pub fn phone_written(&self, seed: u64, plus62: bool, variant: u64) -> String {
        let national = if variant == 0 {
            self.phone.clone()
        } else {
            phone_national(seed, self.index, variant)
        };
        if plus62 {
            format!("+62{national}")
        } else {
            format!("0{national}")
        }
    }

    /// Age in whole years on `day`.
    pub fn age_on(&self, day: NaiveDate) -> i32 {
        day.years_since(self.birth_date).map_or(0, |y| y as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_deterministic_and_well_formed() {
        let people = People::new(9);
        for i in 0..500 {
            let a = people.person(i);
            let b = people.person(i);
            assert_eq!(a.nik, b.nik);
            assert_eq!(a.title_name(), b.title_name());
            assert!(a.phone.starts_with("89900"));
            assert!(a.kpj.starts_with("990") && a.kpj.len() == 11);
            if let Some(e) = &a.email {
                assert!(e.contains("@example."), "{e}");
            }
            assert!(a
                .last_employer
                .as_deref()
                .is_none_or(|c| c.ends_with("(fiktif)")));
            assert_eq!(a.upper_name(), a.title_name().to_uppercase());
        }
    }
}
