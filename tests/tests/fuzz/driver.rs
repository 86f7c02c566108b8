//! The bounded run: the budget (seed, time and request limits, from the environment), one
//! gateway and its restarts, the fuzz loop with its health and breaker checks between
//! batches, the findings, and the running of the regression cases. The report is in
//! `report.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;
use simpul_tests::{demo_with, Gateway};

use crate::client::{exchange, HttpRequest, Outcome};
use crate::corpus::Corpus;
use crate::expect::{expectation, hold};
use crate::generator::{Case, Generator};
use crate::oracle::{check, violation, Violation, DEADLINE};
use crate::regressions::Regression;
use crate::schema::Sdl;
use crate::SDL;

/// Longest `/healthz` may take.
const HEALTH_DEADLINE: Duration = Duration::from_secs(3);
/// The gateway's settings for this run: its own request timeout below [`DEADLINE`], so that a
/// slow request shows up as its 504 rather than as our timeout, and a rate limit no fuzz run
/// reaches, so that every request gets past admission (the limiter still runs).
const SETTINGS: &[(&str, &str)] = &[
    ("SIMPUL__LIMITS__REQUEST_TIMEOUT_MS", "5000"),
    ("SIMPUL__RATE_LIMIT__CAPACITY", "1000000"),
    ("SIMPUL__RATE_LIMIT__REFILL_PER_SECOND", "100000"),
];
/// Requests between two health checks.
const BATCH: usize = 25;

pub(crate) struct Budget {
    pub(crate) seed: u64,
    pub(crate) time: Duration,
    pub(crate) requests: usize,
}

impl Budget {
    pub(crate) fn from_env() -> Budget {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let seed = var("SIMPUL_FUZZ_SEED")
            .map(|s| s.trim().parse().expect("SIMPUL_FUZZ_SEED is a u64"))
            .unwrap_or_else(|| {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos() as u64);
                nanos ^ (u64::from(std::process::id()) << 32)
            });
        let seconds = var("SIMPUL_FUZZ_SECONDS").map(|s| {
            s.trim()
                .parse::<u64>()
                .expect("SIMPUL_FUZZ_SECONDS is a number")
        });
        let requests = var("SIMPUL_FUZZ_REQUESTS")
            .map(|s| s.trim().parse().expect("SIMPUL_FUZZ_REQUESTS is a number"))
            .unwrap_or(if seconds.is_some() { usize::MAX } else { 2000 });
        Budget {
            seed,
            time: Duration::from_secs(seconds.unwrap_or(20)),
            requests,
        }
    }
}

#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) requests: usize,
    pub(crate) statuses: BTreeMap<String, usize>,
    pub(crate) codes: BTreeSet<String>,
    pub(crate) uncoded: BTreeSet<String>,
    pub(crate) slowest: Duration,
    pub(crate) violations: usize,
}

pub(crate) struct Finding {
    pub(crate) property: &'static str,
    pub(crate) category: &'static str,
    pub(crate) kind: String,
    pub(crate) detail: String,
    pub(crate) count: usize,
    pub(crate) example: Option<PathBuf>,
}

pub(crate) struct Run {
    pub(crate) gateway: Option<Gateway>,
    dir: PathBuf,
    demo_dir: PathBuf,
    addr: SocketAddr,
    host: String,
    pub(crate) restarts: usize,
    pub(crate) stats: BTreeMap<&'static str, Stats>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) regressions: Vec<(&'static str, &'static str, Result<(), String>)>,
    pub(crate) quarantined: BTreeSet<String>,
    pub(crate) corpus: Corpus,
    saved: usize,
    pub(crate) fuzzed: usize,
    pub(crate) fuzz_time: Duration,
    /// The longest turn of the fuzz loop (generating, sending, checking) and its input.
    pub(crate) slowest_turn: (Duration, String),
    last_blamed: Option<String>,
}

impl Run {
    pub(crate) fn start() -> Run {
        let (gateway, dir) = demo_with("fuzz", SETTINGS);
        let host = gateway.base.trim_start_matches("http://").to_owned();
        Run {
            addr: host.parse().expect("the gateway listens on an address"),
            host,
            gateway: Some(gateway),
            demo_dir: dir.join("demo"),
            dir,
            restarts: 0,
            stats: BTreeMap::new(),
            findings: Vec::new(),
            regressions: Vec::new(),
            quarantined: BTreeSet::new(),
            corpus: Corpus::default(),
            saved: 0,
            fuzzed: 0,
            fuzz_time: Duration::ZERO,
            slowest_turn: (Duration::ZERO, String::new()),
            last_blamed: None,
        }
    }

    /// Kill the gateway (whatever state it is in) and start a fresh one on the same demo data.
    fn restart(&mut self) {
        drop(self.gateway.take());
        let demo = self.demo_dir.to_string_lossy().into_owned();
        let mut env = vec![("SIMPUL_DEMO_DIR", demo.as_str())];
        env.extend_from_slice(SETTINGS);
        let gateway = Gateway::start(&self.dir, &[], &env);
        self.host = gateway.base.trim_start_matches("http://").to_owned();
        self.addr = self
            .host
            .parse()
            .expect("the gateway listens on an address");
        self.gateway = Some(gateway);
        self.restarts += 1;
    }

    fn send(&self, request: &HttpRequest) -> (Vec<u8>, Outcome, Duration) {
        let raw = request.bytes(&self.host);
        let (outcome, took) = exchange(self.addr, &raw, DEADLINE);
        (raw, outcome, took)
    }

    /// POST a query that must succeed (to learn ids and cursors).
    fn must(&self, query: &str) -> Value {
        let (_, outcome, _) = self.send(&HttpRequest::graphql(query, None));
        match outcome {
            Outcome::Answered(r) if r.status == 200 => r.json().unwrap_or(Value::Null),
            other => panic!("{query}: {other:?}"),
        }
    }

    pub(crate) fn healthy(&self) -> bool {
        let raw = HttpRequest::get("/healthz").bytes(&self.host);
        matches!(exchange(self.addr, &raw, HEALTH_DEADLINE).0, Outcome::Answered(r) if r.status == 200)
    }

    pub(crate) fn open_breakers(&self) -> Vec<String> {
        let raw = HttpRequest::get("/readyz").bytes(&self.host);
        let Outcome::Answered(response) = exchange(self.addr, &raw, HEALTH_DEADLINE).0 else {
            return Vec::new();
        };
        response
            .json()
            .and_then(|body| body.get("providers").and_then(Value::as_array).cloned())
            .unwrap_or_default()
            .iter()
            .filter(|p| p.get("breaker").and_then(Value::as_str) != Some("closed"))
            .map(|p| {
                p.get("key")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned()
            })
            .collect()
    }

    /// Learn real ids and cursors from the demo.
    pub(crate) fn collect_corpus(&mut self) {
        const QUERIES: &[(&str, &str)] = &[
            ("trainingCenters", "{ trainingCenters(first: 50) { edges { cursor node { id address { region { id } } } } } }"),
            ("trainingCenters/name", "{ trainingCenters(first: 50, order_by: [{ name: desc }]) { edges { cursor } } }"),
            ("courses", "{ courses(first: 50) { edges { cursor node { id occupations { id } } } } }"),
            ("courseRuns", "{ courseRuns(first: 50) { edges { cursor node { id } } } }"),
            ("courseRuns/startDate", "{ courseRuns(first: 50, order_by: [{ startDate: desc }]) { edges { cursor } } }"),
            ("participants", "{ participants(first: 50) { edges { cursor node { id person { id } } } } }"),
            ("participants/birthYear", "{ participants(first: 50, order_by: [{ birthYear: asc }]) { edges { cursor } } }"),
            ("partnerships", "{ partnerships(first: 20) { edges { cursor node { id } } } }"),
            ("course.runs", "{ courses(first: 5) { nodes { runs(first: 10) { edges { cursor } } } } }"),
            ("participant.enrollments", "{ participants(first: 5) { nodes { enrollments(first: 10) { edges { cursor node { id } } } } } }"),
            ("reference", "{ providers { id } regions(level: PROVINCE) { id code } }"),
        ];
        for (list, query) in QUERIES {
            let body = self.must(query);
            self.corpus.harvest(list, &body);
        }
        assert!(
            self.corpus.ids.len() > 20 && self.corpus.cursors.len() > 20,
            "the demo gave too few ids ({}) or cursors ({})",
            self.corpus.ids.len(),
            self.corpus.cursors.len()
        );
    }

    /// Send one fuzz case and hold its response to the properties.
    fn fuzz_one(&mut self, case: Case) {
        let (raw, outcome, took) = self.send(&case.request);
        let (mut violations, seen) = check(&case.request, &raw, &outcome);
        if let Err(e) = hold(&expectation(case.category, case.kind), &seen) {
            violations.push(violation("expectation", e));
        }
        let timed_out = matches!(outcome, Outcome::Timeout);
        let fatal = (timed_out || matches!(outcome, Outcome::Closed(_) | Outcome::Refused(_)))
            && !self.healthy();
        if fatal {
            violations.push(violation(
                "died or hung",
                format!(
                    "/healthz does not answer after this request ({})",
                    outcome.label()
                ),
            ));
        }
        if seen.provider_failure {
            self.last_blamed = Some(format!("{}/{}", case.category, case.kind));
        }
        let stats = self.stats.entry(case.category).or_default();
        stats.requests += 1;
        *stats.statuses.entry(outcome.label()).or_default() += 1;
        stats.codes.extend(seen.codes);
        stats.uncoded.extend(seen.uncoded);
        stats.slowest = stats.slowest.max(took);
        stats.violations += violations.len();
        for v in violations {
            self.note(case.category, case.kind, v, &raw);
        }
        // A gateway that died, or that may still be busy with a request that outlived its
        // deadline, is replaced; that kind of input is not sent again in this run.
        if fatal || timed_out {
            self.quarantined
                .insert(format!("{}/{}", case.category, case.kind));
            self.restart();
        }
    }

    /// Record a violation (one finding per property and kind of input, with a count).
    fn note(&mut self, category: &'static str, kind: &str, v: Violation, raw: &[u8]) {
        if let Some(f) = self
            .findings
            .iter_mut()
            .find(|f| f.property == v.property && f.category == category && f.kind == kind)
        {
            f.count += 1;
            return;
        }
        let example = (self.saved < 200).then(|| {
            self.saved += 1;
            let dir = self.dir.join("findings");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!(
                "{:03}-{category}-{kind}-{}.http",
                self.saved,
                v.property.replace(' ', "-")
            ));
            let _ = std::fs::write(&file, raw);
            file
        });
        self.findings.push(Finding {
            property: v.property,
            category,
            kind: kind.to_owned(),
            detail: v.detail,
            count: 1,
            example,
        });
    }

    /// Checks between batches: the process answers, and client input opened no breaker.
    fn between_batches(&mut self) {
        if !self.healthy() {
            self.note(
                "health",
                "between batches",
                violation("died or hung", "/healthz does not answer"),
                b"GET /healthz",
            );
            self.restart();
            return;
        }
        let open = self.open_breakers();
        if !open.is_empty() {
            let culprit = self.last_blamed.clone().unwrap_or_else(|| "?".into());
            let detail = format!(
                "client input opened the circuit breaker of {}: every caller loses that provider for `open_ms` (last input blamed on a provider: {culprit})",
                open.join(", ")
            );
            self.note(
                "health",
                "breaker",
                violation("breaker opened", detail),
                culprit.as_bytes(),
            );
            // A fresh gateway, so that the rest of the run sees every provider again.
            self.restart();
        }
    }

    pub(crate) fn fuzz(&mut self, budget: &Budget) {
        let corpus = std::mem::take(&mut self.corpus);
        let mut generator = Generator::new(budget.seed, Sdl::parse(SDL), &corpus);
        let started = Instant::now();
        let mut n = 0;
        while n < budget.requests && started.elapsed() < budget.time {
            let turn = Instant::now();
            let case = generator.case(&self.quarantined);
            let input = format!("{}/{}", case.category, case.kind);
            self.fuzz_one(case);
            n += 1;
            if turn.elapsed() > self.slowest_turn.0 {
                self.slowest_turn = (turn.elapsed(), input);
            }
            if n % BATCH == 0 {
                self.between_batches();
            }
        }
        self.between_batches();
        self.fuzzed = n;
        self.fuzz_time = started.elapsed();
        drop(generator);
        self.corpus = corpus;
    }

    pub(crate) fn regression(&mut self, case: Regression) {
        if !self.healthy() {
            self.restart();
        }
        let mut result = Ok(());
        for request in &case.before {
            let _ = self.send(request);
        }
        let (_, outcome, took) = self.send(&case.request);
        if let Err(e) = (case.expect)(self, &outcome) {
            result = Err(format!(
                "{e} [{}, {} ms]",
                outcome.label(),
                took.as_millis()
            ));
        }
        if !self.healthy() {
            result = Err(format!(
                "the gateway died or stopped answering ({}); {}",
                outcome.label(),
                result.err().unwrap_or_default()
            ));
            self.restart();
        } else if !self.open_breakers().is_empty() {
            // A fresh gateway, so that what follows sees every provider.
            self.restart();
        }
        self.regressions.push((case.name, case.at_fault, result));
    }
}
