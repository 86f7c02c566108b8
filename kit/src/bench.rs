//! `simpul adapter bench LIB --config FILE`: for every declared collection and page size,
//! list calls one after another (walking the pages, from the first again at the end) for a
//! bounded time and count; latency p50/p99 and records per second per collection and page
//! size ([`BenchReport`]). A collection that does not declare paging is read whole, once per
//! call, as one row.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use simpul_schema::{AdapterRequest, AdapterResponse, QueryRequest};

use crate::config::DEFAULT_DEADLINE;
use crate::records::collection_name;
use crate::{session, KitError};

/// Page sizes when none are given.
pub const DEFAULT_PAGES: &[u64] = &[1, 20, 100, 1000];
/// Time spent on one collection and page size when none is given.
pub const DEFAULT_DURATION: Duration = Duration::from_millis(1000);
/// Calls made for one collection and page size at most when no bound is given.
pub const DEFAULT_MAX_CALLS: u64 = 500;

/// One bench run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The adapter library.
    pub library: PathBuf,
    /// Its config.
    pub config: Value,
    /// The page sizes (`limit`) to try.
    pub pages: Vec<u64>,
    /// Time per collection and page size at most (the first call is made whatever it is).
    pub duration: Duration,
    /// Calls per collection and page size at most.
    pub max_calls: u64,
    /// The provider key to create the instance under; default: the manifest's.
    pub provider: Option<String>,
}

impl BenchOptions {
    /// Defaults for `library` with `config`.
    pub fn new(library: impl Into<PathBuf>, config: Value) -> Self {
        Self {
            library: library.into(),
            config,
            pages: DEFAULT_PAGES.to_vec(),
            duration: DEFAULT_DURATION,
            max_calls: DEFAULT_MAX_CALLS,
            provider: None,
        }
    }
}

/// One collection at one page size.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    /// The collection (`courseRuns`).
    pub collection: String,
    /// The page size; `None`: whole lists (no paging declared).
    pub page: Option<u64>,
    /// Calls made (failed ones included).
    pub calls: u64,
    /// Calls that failed.
    pub errors: u64,
    /// Records returned in all.
    pub records: u64,
    /// Median latency, in milliseconds.
    pub p50_ms: f64,
    /// 99th-percentile latency, in milliseconds.
    pub p99_ms: f64,
    /// Records returned per second of calls.
    pub records_per_second: f64,
}

/// Every cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    /// The library.
    pub library: String,
    /// Its name and version.
    pub adapter: String,
    /// One per collection and page size, in manifest order.
    pub cells: Vec<Cell>,
}

impl BenchReport {
    /// As a table: one row per collection and page size.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} {}\n\n{:<16} {:>5} {:>6} {:>6} {:>9} {:>9} {:>11}\n",
            self.library,
            self.adapter,
            "collection",
            "page",
            "calls",
            "errors",
            "p50 ms",
            "p99 ms",
            "records/s"
        );
        for c in &self.cells {
            let page = c.page.map_or_else(|| "all".to_owned(), |p| p.to_string());
            out.push_str(&format!(
                "{:<16} {:>5} {:>6} {:>6} {:>9.3} {:>9.3} {:>11.0}\n",
                c.collection, page, c.calls, c.errors, c.p50_ms, c.p99_ms, c.records_per_second
            ));
        }
        out
    }

    /// As JSON (`--json`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Run the bench. A library that cannot be loaded is an error; failed calls are counted.
pub async fn run(options: &BenchOptions) -> Result<BenchReport, KitError> {
    let session = session::open(
        &options.library,
        options.config.clone(),
        options.provider.as_deref(),
        DEFAULT_DEADLINE,
    )
    .await?;
    let mut cells = Vec::new();
    for (collection, capabilities) in &session.manifest.capabilities.collections {
        let pages: Vec<Option<u64>> = if capabilities.paging {
            options.pages.iter().map(|p| Some(*p)).collect()
        } else {
            vec![None]
        };
        for page in pages {
            let mut latencies = Vec::new();
            let (mut errors, mut records, mut offset) = (0, 0, 0);
            let started = Instant::now();
            while (latencies.len() as u64) < options.max_calls.max(1)
                && (latencies.is_empty() || started.elapsed() < options.duration)
            {
                let request = QueryRequest {
                    offset,
                    limit: page,
                    ..QueryRequest::all(*collection)
                };
                let call = Instant::now();
                let answer = session.client.call(&AdapterRequest::Query(request)).await;
                latencies.push(call.elapsed());
                match answer {
                    Ok(AdapterResponse::Query(answer)) => {
                        let got = answer.records.len() as u64;
                        records += got;
                        offset = match page {
                            Some(page) if got == page && offset + page < answer.total_count => {
                                offset + page
                            }
                            _ => 0,
                        };
                    }
                    _ => errors += 1,
                }
            }
            let busy: Duration = latencies.iter().sum();
            latencies.sort();
            cells.push(Cell {
                collection: collection_name(*collection),
                page,
                calls: latencies.len() as u64,
                errors,
                records,
                p50_ms: percentile(&latencies, 50),
                p99_ms: percentile(&latencies, 99),
                records_per_second: if busy.is_zero() {
                    0.0
                } else {
                    records as f64 / busy.as_secs_f64()
                },
            });
        }
    }
    let report = BenchReport {
        library: options.library.display().to_string(),
        adapter: session.adapter().to_string(),
        cells,
    };
    session.client.shutdown().await;
    Ok(report)
}

/// [`run`] on a runtime of its own.
pub fn run_blocking(options: &BenchOptions) -> Result<BenchReport, KitError> {
    crate::block_on(run(options))?
}

/// The `p`th percentile of sorted latencies (nearest rank), in milliseconds.
fn percentile(sorted: &[Duration], p: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (sorted.len() * p).div_ceil(100).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let ms: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&ms, 50), 50.0);
        assert_eq!(percentile(&ms, 99), 99.0);
        assert_eq!(percentile(&ms[..1], 99), 1.0);
        assert_eq!(percentile(&[], 50), 0.0);
    }
}
