//! The end of a run: the summary table (per category: requests, statuses, codes, slowest,
//! violations), the printed report of regression cases and findings, `SIMPUL_FUZZ_TABLE`, and
//! the final assertion.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::driver::{Budget, Finding, Run, Stats};
use crate::{CATEGORIES, MIN_PER_CATEGORY, MIN_REQUESTS};

/// The fewest requests a run of this budget must send, overall and per category (by name).
fn minimums(budget: &Budget) -> (usize, Vec<(&'static str, usize)>) {
    let overall = MIN_REQUESTS.min(budget.requests);
    let deck: usize = CATEGORIES.iter().map(|c| c.1 as usize).sum();
    let per = CATEGORIES
        .iter()
        .map(|(name, weight)| {
            (
                *name,
                MIN_PER_CATEGORY.min(overall / deck * *weight as usize),
            )
        })
        .collect();
    (overall, per)
}

impl Run {
    fn table(&self) -> String {
        let mut out = String::from(
            "| category | requests | statuses seen | error codes seen | slowest | violations |\n|---|---|---|---|---|---|\n",
        );
        let mut total = Stats::default();
        for (category, _) in CATEGORIES {
            let Some(s) = self.stats.get(category) else {
                let _ = writeln!(out, "| {category} | 0 | | | | |");
                continue;
            };
            let statuses: Vec<String> = s
                .statuses
                .iter()
                .map(|(status, n)| format!("{status}×{n}"))
                .collect();
            let mut codes: Vec<String> = s.codes.iter().map(|c| format!("`{c}`")).collect();
            if !s.uncoded.is_empty() {
                codes.push(format!("{} kinds uncoded", s.uncoded.len()));
            }
            let _ = writeln!(
                out,
                "| {category} | {} | {} | {} | {} ms | {} |",
                s.requests,
                statuses.join(", "),
                codes.join(" "),
                s.slowest.as_millis(),
                s.violations
            );
            total.requests += s.requests;
            total.violations += s.violations;
            total.slowest = total.slowest.max(s.slowest);
        }
        let _ = writeln!(
            out,
            "| **all** | **{}** | | | {} ms | **{}** |",
            total.requests,
            total.slowest.as_millis(),
            total.violations
        );
        out
    }

    pub(crate) fn report(self, budget: &Budget) {
        let table = self.table();
        let mut report = String::new();
        let _ = writeln!(
            report,
            "\nfuzz: seed {}, {} requests in {:.1} s, {} gateway restart(s), quarantined: {}\n",
            budget.seed,
            self.fuzzed,
            self.fuzz_time.as_secs_f64(),
            self.restarts,
            if self.quarantined.is_empty() {
                "none".to_owned()
            } else {
                self.quarantined
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        report.push_str(&table);
        let (min_overall, min_per) = minimums(budget);
        let mut too_few: Vec<String> = Vec::new();
        if self.fuzzed < min_overall {
            too_few.push(format!("all: {} < {min_overall}", self.fuzzed));
        }
        for (category, min) in &min_per {
            let ran = self.stats.get(category).map_or(0, |s| s.requests);
            if ran < *min {
                too_few.push(format!("{category}: {ran} < {min}"));
            }
        }
        let _ = writeln!(
            report,
            "\nminimum requests: {min_overall} in all, {} per category: {}",
            min_per.iter().map(|m| m.1).min().unwrap_or(0),
            if too_few.is_empty() {
                "met".to_owned()
            } else {
                format!("NOT MET ({})", too_few.join(", "))
            }
        );
        let _ = writeln!(
            report,
            "slowest turn of the loop (generate, send, check): {} ms ({})",
            self.slowest_turn.0.as_millis(),
            self.slowest_turn.1
        );
        let uncoded: BTreeSet<&String> = self.stats.values().flat_map(|s| &s.uncoded).collect();
        if !uncoded.is_empty() {
            let _ = writeln!(
                report,
                "\nerror messages seen without extensions.code (library request errors):"
            );
            for message in uncoded.iter().take(40) {
                let _ = writeln!(report, "  - {message}");
            }
        }
        let _ = writeln!(report, "\nregression cases:");
        for (name, at_fault, result) in &self.regressions {
            match result {
                Ok(()) => {
                    let _ = writeln!(report, "  ok    {name}");
                }
                Err(e) => {
                    let _ = writeln!(report, "  FAIL  {name}: {e}\n        at fault: {at_fault}");
                }
            }
        }
        let mut findings: Vec<&Finding> = self.findings.iter().collect();
        findings.sort_by_key(|f| (f.property, f.category, f.kind.clone()));
        let _ = writeln!(report, "\nfuzz findings ({}):", findings.len());
        for f in &findings {
            let _ = writeln!(
                report,
                "  [{}] {}/{} ×{}: {}{}",
                f.property,
                f.category,
                f.kind,
                f.count,
                f.detail,
                f.example
                    .as_ref()
                    .map(|p| format!("\n        request: {}", p.display()))
                    .unwrap_or_default()
            );
        }
        println!("{report}");
        if let Ok(path) = std::env::var("SIMPUL_FUZZ_TABLE") {
            let text = format!(
                "Seed {}, {} requests in {:.1} s, {} restart(s).\n\n{table}",
                budget.seed,
                self.fuzzed,
                self.fuzz_time.as_secs_f64(),
                self.restarts
            );
            std::fs::write(&path, text).expect("write SIMPUL_FUZZ_TABLE");
        }
        let failed_regressions: Vec<&str> = self
            .regressions
            .iter()
            .filter(|r| r.2.is_err())
            .map(|r| r.0)
            .collect();
        // The last gateway must still answer.
        let alive = self.healthy();
        drop(self.gateway);
        assert!(
            failed_regressions.is_empty() && findings.is_empty() && alive && too_few.is_empty(),
            "the entry broke its properties (seed {}): failed regressions {:?}, {} fuzz findings{}{} (see the report above)",
            budget.seed,
            failed_regressions,
            findings.len(),
            if alive { "" } else { ", and the gateway is down at the end" },
            if too_few.is_empty() {
                String::new()
            } else {
                format!(", too few requests ran ({})", too_few.join(", "))
            }
        );
    }
}
