//! Splitting a large aggregate into key ranges that run at the same time.
//!
//! An aggregate over a large view (a million participants) spends its time evaluating the
//! unified-value expressions of every row and sorting the rows into groups, on one core. The
//! view's rows are driven by one table with an integer key ([`DrivingKey`]: enrolments by
//! `id_pendaftaran`, …), so the rows split exactly into key ranges: each [`Slice`] is grouped by
//! its own statement on its own pooled connection, and the partial groups are merged with
//! `Accumulator::merge` (counts, sums, minimums and maximums merge exactly; sums may differ
//! from one statement's in the last bits, as any other summation order).
//!
//! ```
//! use simpul_adapter_bbplk::query::slices::Slice;
//!
//! // Keys 1..=1000 in three ranges: the first open below, the last open above, so a row
//! // added while the statements run still falls in exactly one of them.
//! let slices = Slice::split(1, 1000, 3);
//! assert_eq!(slices[0], Slice { from: None, to: Some(334) });
//! assert_eq!(slices[1], Slice { from: Some(334), to: Some(667) });
//! assert_eq!(slices[2], Slice { from: Some(667), to: None });
//! ```
//!
//! How many slices: on SQLite [`SLICES_PER_STATEMENT`] for each statement that may run at
//! once, on PostgreSQL one ([`Parallelism::statements`]: the CPU cores the adapter may use, at
//! most the pool's size, or the `aggregate_parallelism` setting), and none smaller than
//! `aggregate_slice_keys` keys, so small views stay one statement (the range lookup, one
//! `MIN`/`MAX` over the key's index, is then the only extra cost). More slices than statements even out the wall time: the rows a
//! filter keeps are rarely spread evenly over the key (enrolments in 2023–2024 runs are mostly
//! in the upper half of `id_pendaftaran`), and a statement that finishes early takes the next
//! slice. PostgreSQL builds a statement's hashes (every participant a filter keeps, every
//! registration for the kept-registration rule, the latest outcome of every pair) once per
//! statement whatever its range, so each further slice costs it as much again: measured at a
//! million people, eight slices took twice as long as two there, and one statement (shared by
//! the planner's own workers) was faster than two, so its enrolments are not split at all
//! (`aggregate::run`).
//!
//! The statements are separate reads: on a database being written to, each sees the rows as
//! they are when it starts (SQLite's and PostgreSQL's read snapshots), as a single statement
//! started a moment later would; no row is counted twice, as the ranges are disjoint.

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::dialect::Dialect;
use super::plans::DrivingKey;
use crate::config::{default_aggregate_slice_keys, default_max_connections, BbplkConfig};
use crate::error::BbplkError;

/// How many slices per statement that may run at once on SQLite, when the view has keys
/// enough (one on PostgreSQL: see the module's documentation).
pub const SLICES_PER_STATEMENT: usize = 4;

/// A range of a driving key: `from <= key < to`, each end open when `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Slice {
    /// The lowest key in the range; `None`: no lower bound.
    pub from: Option<i64>,
    /// The first key after the range; `None`: no upper bound.
    pub to: Option<i64>,
}

impl Slice {
    /// Every row.
    pub const ALL: Slice = Slice {
        from: None,
        to: None,
    };

    /// `lo..=hi` cut into `n` ranges of (nearly) equal width, the first open below and the
    /// last open above; one [`Slice::ALL`] when `n <= 1` or the range is empty.
    pub fn split(lo: i64, hi: i64, n: usize) -> Vec<Slice> {
        let width = i128::from(hi) - i128::from(lo) + 1;
        let n = i128::try_from(n).unwrap_or(i128::MAX).min(width.max(1));
        if n <= 1 {
            return vec![Slice::ALL];
        }
        // Each bound lies within lo..=hi, so it fits an i64.
        let bound = |i: i128| i64::try_from(i128::from(lo) + width * i / n).unwrap_or(hi);
        (0..n)
            .map(|i| Slice {
                from: (i > 0).then(|| bound(i)),
                to: (i < n - 1).then(|| bound(i + 1)),
            })
            .collect()
    }

    /// The condition on `key` that keeps this range's rows; `None` for [`Slice::ALL`].
    pub fn condition(&self, key: SimpleExpr) -> Option<SimpleExpr> {
        let from = self.from.map(|v| Expr::expr(key.clone()).gte(v));
        let to = self.to.map(|v| Expr::expr(key).lt(v));
        match (from, to) {
            (Some(a), Some(b)) => Some(a.and(b)),
            (a, b) => a.or(b),
        }
    }
}

/// How far one aggregate may be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parallelism {
    /// The most statements at once (at least 1).
    pub statements: usize,
    /// The fewest keys a slice covers (at least 1).
    pub slice_keys: u64,
}

impl Default for Parallelism {
    /// As [`Parallelism::of`] a configuration with the default settings.
    fn default() -> Self {
        Self::new(0, default_max_connections(), default_aggregate_slice_keys())
    }
}

impl Parallelism {
    /// What `config` allows: `aggregate_parallelism` statements, or when it is 0 the CPU
    /// cores this process may use; never more than `max_connections`.
    pub fn of(config: &BbplkConfig) -> Self {
        Self::new(
            config.aggregate_parallelism,
            config.max_connections,
            config.aggregate_slice_keys,
        )
    }

    fn new(parallelism: u32, pool: u32, slice_keys: u64) -> Self {
        let wanted = match parallelism {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => usize::try_from(n).unwrap_or(usize::MAX),
        };
        let pool = usize::try_from(pool).unwrap_or(usize::MAX);
        Parallelism {
            statements: wanted.min(pool).max(1),
            slice_keys: slice_keys.max(1),
        }
    }

    /// The slices an aggregate over the rows driven by `key` runs as: one [`Slice::ALL`] when
    /// it is not split (one statement allowed, no key, or too few keys); otherwise the key's
    /// range, read from the database, cut into at most `statements` slices on PostgreSQL and
    /// `statements` × [`SLICES_PER_STATEMENT`] on SQLite, of at least `slice_keys` keys each
    /// (of which `statements` run at a time).
    ///
    /// # Errors
    /// Database errors of the range lookup.
    pub async fn slices(
        &self,
        db: &DatabaseConnection,
        d: Dialect,
        key: Option<DrivingKey>,
    ) -> Result<Vec<Slice>, BbplkError> {
        let Some(key) = key.filter(|_| self.statements > 1) else {
            return Ok(vec![Slice::ALL]);
        };
        let what = format!("the key range of {}", key.table);
        let row = db
            .query_one(d.backend().build(&key.range(d)))
            .await
            .map_err(|e| BbplkError::db(what.as_str(), &e))?;
        let range = match row {
            Some(row) => (
                row.try_get::<Option<i64>>("", "lo")
                    .map_err(|e| BbplkError::db(what.as_str(), &e))?,
                row.try_get::<Option<i64>>("", "hi")
                    .map_err(|e| BbplkError::db(what.as_str(), &e))?,
            ),
            None => (None, None),
        };
        let (Some(lo), Some(hi)) = range else {
            return Ok(vec![Slice::ALL]);
        };
        let keys = u128::try_from(i128::from(hi) - i128::from(lo) + 1).unwrap_or(0);
        let by_size = usize::try_from(keys / u128::from(self.slice_keys)).unwrap_or(usize::MAX);
        let per_statement = match d {
            Dialect::Sqlite => SLICES_PER_STATEMENT,
            Dialect::Postgres => 1,
        };
        let wanted = self.statements.saturating_mul(per_statement);
        Ok(Slice::split(lo, hi, wanted.min(by_size)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of `lo..=hi` (and beyond) is in exactly one slice.
    fn covers(lo: i64, hi: i64, n: usize) {
        let slices = Slice::split(lo, hi, n);
        assert!(!slices.is_empty());
        let probe = [
            lo.saturating_sub(5),
            lo,
            lo / 2 + hi / 2,
            hi,
            hi.saturating_add(5),
        ];
        for key in probe {
            let within = slices
                .iter()
                .filter(|s| s.from.is_none_or(|f| key >= f) && s.to.is_none_or(|t| key < t))
                .count();
            assert_eq!(within, 1, "{key} in {slices:?}");
        }
        for pair in slices.windows(2) {
            assert_eq!(pair[0].to, pair[1].from, "{slices:?}");
        }
    }

    #[test]
    fn slices_cover_every_key_once() {
        for (lo, hi) in [
            (1, 1000),
            (1, 1),
            (0, 2),
            (-50, 50),
            (i64::MIN, i64::MAX),
            (7, 9),
        ] {
            for n in [0, 1, 2, 3, 4, 16] {
                covers(lo, hi, n);
            }
        }
        assert_eq!(
            Slice::split(1, 2, 5).len(),
            2,
            "never more slices than keys"
        );
        assert_eq!(Slice::split(5, 1, 4), vec![Slice::ALL], "an empty range");
    }

    #[test]
    fn the_setting_and_the_pool_bound_the_statements() {
        let mut config = BbplkConfig::new("x.db");
        config.aggregate_parallelism = 8;
        assert_eq!(Parallelism::of(&config).statements, 4, "the pool's size");
        config.aggregate_parallelism = 1;
        assert_eq!(Parallelism::of(&config).statements, 1);
        config.aggregate_parallelism = 0;
        let auto = Parallelism::of(&config).statements;
        assert!((1..=4).contains(&auto), "{auto}");
        assert_eq!(Parallelism::of(&config).slice_keys, 100_000);
    }
}
