//! What to generate: [`Plan`] (size, seed, overlap, providers, output formats) and its
//! validation. Everything the generator writes is a pure function of the plan (and of this
//! crate's version): the same plan gives byte-identical files.

use std::fmt;
use std::str::FromStr;

use crate::error::PlanError;

/// The snapshot day every provider's data describes (the contracts' 2025-06-30).
pub const SNAPSHOT: (i32, u32, u32) = (2025, 6, 30);

/// The most people one run may ask for (NIK and KPJ spaces are far larger; this keeps a typo
/// from filling the disk).
pub const MAX_PARTICIPANTS: u64 = 5_000_000;

/// A data provider whose native format the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    /// SPN Training Center: `;`-separated CSV files.
    Spn,
    /// Kemnaker BBPLK / BLK: an SQL database.
    Bbplk,
    /// BPJAMSOSTEK Vokasi: the REST simulator's JSON data files.
    Bpjamsostek,
}

impl Provider {
    /// All three, in output order.
    pub const ALL: [Provider; 3] = [Provider::Spn, Provider::Bbplk, Provider::Bpjamsostek];

    /// The provider id used in folder names and the manifest (`spn`, `bbplk`, `bpjamsostek`).
    pub fn id(self) -> &'static str {
        match self {
            Provider::Spn => "spn",
            Provider::Bbplk => "bbplk",
            Provider::Bpjamsostek => "bpjamsostek",
        }
    }

    /// Bit of this provider in a membership mask.
    pub fn bit(self) -> u8 {
        match self {
            Provider::Spn => 1,
            Provider::Bbplk => 2,
            Provider::Bpjamsostek => 4,
        }
    }

    /// Share of the people found at one provider only (weights out of 100).
    pub(crate) fn single_weight(self) -> u64 {
        match self {
            Provider::Spn => 25,
            Provider::Bbplk => 45,
            Provider::Bpjamsostek => 30,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Provider {
    type Err = PlanError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "spn" => Ok(Provider::Spn),
            "bbplk" => Ok(Provider::Bbplk),
            "bpjamsostek" | "bpjs" => Ok(Provider::Bpjamsostek),
            other => Err(PlanError::UnknownProvider(other.to_owned())),
        }
    }
}

/// How the BBPLK database is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BbplkFormat {
    /// `bbplk/bbplk.sqlite`, loaded through sea-orm/sqlx.
    #[default]
    Sqlite,
    /// `bbplk/bbplk.sql`: the DDL and the INSERTs in one transaction, for `psql -f`.
    Sql,
    /// Both files.
    Both,
}

impl BbplkFormat {
    /// Whether the SQLite file is written.
    pub fn sqlite(self) -> bool {
        matches!(self, BbplkFormat::Sqlite | BbplkFormat::Both)
    }

    /// Whether the `.sql` file is written.
    pub fn sql(self) -> bool {
        matches!(self, BbplkFormat::Sql | BbplkFormat::Both)
    }
}

impl FromStr for BbplkFormat {
    type Err = PlanError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sqlite" => Ok(BbplkFormat::Sqlite),
            "sql" => Ok(BbplkFormat::Sql),
            "both" => Ok(BbplkFormat::Both),
            other => Err(PlanError::UnknownFormat(other.to_owned())),
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Distinct people in total, over all selected providers (a person at two providers counts
    /// once). Each provider's participant count is in the manifest.
    pub participants: u64,
    /// The seed: same plan and seed → byte-identical output.
    pub seed: u64,
    /// Fraction of people present at two or more providers (a third of those at all three when
    /// three providers are selected). `0.0..=1.0`.
    pub overlap: f64,
    /// The providers to generate, sorted and without duplicates.
    pub providers: Vec<Provider>,
    /// The BBPLK delivery format(s).
    pub bbplk_format: BbplkFormat,
    /// Also load the BBPLK data into this (empty) PostgreSQL database.
    pub postgres_url: Option<String>,
    /// Plant the documented quirks and bad rows (see [`crate::messy`]).
    pub messy: bool,
}

impl Plan {
    /// A plan for `participants` people with the defaults: seed 1, overlap 5 %, all three
    /// providers, SQLite for BBPLK, no quirks.
    pub fn new(participants: u64) -> Self {
        Self {
            participants,
            seed: 1,
            overlap: 0.05,
            providers: Provider::ALL.to_vec(),
            bbplk_format: BbplkFormat::Sqlite,
            postgres_url: None,
            messy: false,
        }
    }

    /// Builder: the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Builder: the overlap fraction.
    pub fn with_overlap(mut self, overlap: f64) -> Self {
        self.overlap = overlap;
        self
    }

    /// Builder: the providers (sorted and de-duplicated here).
    pub fn with_providers(mut self, providers: impl IntoIterator<Item = Provider>) -> Self {
        let mut p: Vec<Provider> = providers.into_iter().collect();
        p.sort();
        p.dedup();
        self.providers = p;
        self
    }

    /// Builder: quirks on or off.
    pub fn with_messy(mut self, messy: bool) -> Self {
        self.messy = messy;
        self
    }

    /// Builder: the BBPLK format.
    pub fn with_bbplk_format(mut self, format: BbplkFormat) -> Self {
        self.bbplk_format = format;
        self
    }

    /// Whether `provider` is generated.
    pub fn has(&self, provider: Provider) -> bool {
        self.providers.contains(&provider)
    }

    /// Check the plan.
    ///
    /// # Errors
    /// No participants or too many, an overlap outside `0..=1`, no provider.
    pub fn validate(&self) -> Result<(), PlanError> {
        if self.participants == 0 {
            return Err(PlanError::NoParticipants);
        }
        if self.participants > MAX_PARTICIPANTS {
            return Err(PlanError::TooManyParticipants {
                asked: self.participants,
                max: MAX_PARTICIPANTS,
            });
        }
        if !(0.0..=1.0).contains(&self.overlap) || self.overlap.is_nan() {
            return Err(PlanError::Overlap(self.overlap));
        }
        if self.providers.is_empty() {
            return Err(PlanError::NoProviders);
        }
        Ok(())
    }
}

/// Parse a comma-separated provider list (`spn,bbplk`).
///
/// # Errors
/// An unknown provider name or an empty list.
pub fn parse_providers(list: &str) -> Result<Vec<Provider>, PlanError> {
    let mut out: Vec<Provider> = list
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(Provider::from_str)
        .collect::<Result<_, _>>()?;
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(PlanError::NoProviders);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_and_validation() {
        assert_eq!(
            parse_providers("bpjamsostek, spn,spn").unwrap(),
            [Provider::Spn, Provider::Bpjamsostek]
        );
        assert!(parse_providers("spn,xyz").is_err());
        assert!(parse_providers(" , ").is_err());
        assert!(Plan::new(0).validate().is_err());
        assert!(Plan::new(10).with_overlap(1.5).validate().is_err());
        assert!(Plan::new(10).validate().is_ok());
        assert_eq!("both".parse::<BbplkFormat>().unwrap(), BbplkFormat::Both);
    }
}
