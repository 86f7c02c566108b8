//! The suite's result: one [`Check`] per property (pass, fail or skip, with a reason), each
//! failure with what reproduces it ([`Reproduce`]: the seed and the request), printed as a
//! table or as JSON.

use serde::Serialize;
use serde_json::Value;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The adapter does what it declares.
    Pass,
    /// It does not; the reason says where.
    Fail,
    /// Not checked (not declared, nothing to check, or cut short); the reason says why.
    Skip,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::Skip => "skip",
        }
    }
}

/// What reproduces a failure: run the suite with this seed, or send this request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reproduce {
    /// The seed of the run (`--seed`).
    pub seed: u64,
    /// The request that failed, as the adapter received it (an AdapterRequest message).
    pub request: Value,
}

/// One property of the adapter, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// What was checked (`courseRuns filter gte`).
    pub name: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Why: what was covered on a pass, the first difference on a failure, why not on a skip.
    pub reason: String,
    /// On a failure caused by one request: how to reproduce it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reproduce: Option<Reproduce>,
}

impl Check {
    /// A passed check.
    pub fn pass(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::new(name, Outcome::Pass, reason, None)
    }

    /// A failed check, with no one request to blame.
    pub fn fail(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::new(name, Outcome::Fail, reason, None)
    }

    /// A skipped check.
    pub fn skip(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::new(name, Outcome::Skip, reason, None)
    }

    /// Any outcome.
    pub fn new(
        name: impl Into<String>,
        outcome: Outcome,
        reason: impl Into<String>,
        reproduce: Option<Reproduce>,
    ) -> Self {
        Self {
            name: name.into(),
            outcome,
            reason: reason.into(),
            reproduce,
        }
    }
}

/// Everything the suite found about one adapter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The library tested.
    pub library: String,
    /// The adapter's name and version, once its manifest was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adapter: Option<String>,
    /// The seed of every generated request.
    pub seed: u64,
    /// The checks, in the order they ran.
    pub checks: Vec<Check>,
}

impl Report {
    /// An empty report.
    pub fn new(library: impl Into<String>, seed: u64) -> Self {
        Self {
            library: library.into(),
            adapter: None,
            seed,
            checks: Vec::new(),
        }
    }

    /// Add a check.
    pub fn push(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// Whether no check failed.
    pub fn passed(&self) -> bool {
        self.count(Outcome::Fail) == 0
    }

    /// How many checks ended so.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.checks.iter().filter(|c| c.outcome == outcome).count()
    }

    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.outcome == Outcome::Fail)
    }

    /// The check called `name`, if it ran.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The report as JSON (`--json`): library, adapter, seed, summary and every check.
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        value["summary"] = serde_json::json!({
            "pass": self.count(Outcome::Pass),
            "fail": self.count(Outcome::Fail),
            "skip": self.count(Outcome::Skip),
        });
        value
    }

    /// The report as a table for a terminal: one line per check, then each failure's
    /// reproduction, then a summary line.
    pub fn table(&self) -> String {
        let width = self
            .checks
            .iter()
            .map(|c| c.name.chars().count())
            .max()
            .unwrap_or(0)
            .min(48);
        let mut out = format!(
            "{} {}\nseed {} (same seed, same requests: --seed {})\n\n",
            self.library,
            self.adapter.as_deref().unwrap_or(""),
            self.seed,
            self.seed
        );
        for check in &self.checks {
            out.push_str(&format!(
                "{:<4}  {:<width$}  {}\n",
                check.outcome.label(),
                check.name,
                check.reason
            ));
        }
        let reproducible: Vec<&Check> = self.failures().filter(|c| c.reproduce.is_some()).collect();
        if !reproducible.is_empty() {
            out.push_str(
                "\nto reproduce a failure, send its request (or run again with its seed):\n",
            );
            for check in reproducible {
                if let Some(r) = &check.reproduce {
                    out.push_str(&format!(
                        "  {} (seed {}): {}\n",
                        check.name, r.seed, r.request
                    ));
                }
            }
        }
        out.push_str(&format!(
            "\n{} checks: {} passed, {} failed, {} skipped\n",
            self.checks.len(),
            self.count(Outcome::Pass),
            self.count(Outcome::Fail),
            self.count(Outcome::Skip)
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_fails_the_report_and_says_how_to_reproduce() {
        let mut report = Report::new("libx.so", 7);
        report.push(Check::pass("manifest", "ok"));
        assert!(report.passed());
        report.push(Check::new(
            "courseRuns filter gte",
            Outcome::Fail,
            "adapter 12 records, reference 13",
            Some(Reproduce {
                seed: 7,
                request: serde_json::json!({"kind": "status"}),
            }),
        ));
        report.push(Check::skip("aggregates", "none declared"));
        assert!(!report.passed());
        let table = report.table();
        assert!(table.contains("FAIL  courseRuns filter gte"), "{table}");
        assert!(table.contains(r#"(seed 7): {"kind":"status"}"#), "{table}");
        assert!(
            table.contains("3 checks: 1 passed, 1 failed, 1 skipped"),
            "{table}"
        );
        let json = report.to_json();
        assert_eq!(json["summary"]["fail"], 1);
        assert_eq!(json["checks"][1]["outcome"], "fail");
        assert_eq!(json["checks"][1]["reproduce"]["seed"], 7);
    }
}
