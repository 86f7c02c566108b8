//! A load described for the adapter's author (an `inspect` example): freshness, counts,
//! rejected units, notices and warning codes, and tallies of the unified values that show a
//! mapping at work (statuses, funding, valid NIKs, regencies). Never a personal value: codes,
//! keys and reasons only, and the warnings' messages only when asked.

use std::collections::BTreeMap;

use crate::dataset::Loaded;

/// The report of `data`, one line per fact; `with_warnings` adds every warning's message.
pub fn report(data: &Loaded, with_warnings: bool) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(format!("data as of {:?}", data.status.data_as_of));
    for (collection, n) in &data.status.record_counts {
        line(format!("{collection:>16} {n}"));
    }
    for f in &data.rejected {
        let key = f.key.as_deref().unwrap_or("-");
        let (source, row, code, why) = (&f.source, f.line, f.code, &f.reason);
        line(format!("rejected {source} {row:?} {code} [{key}] {why}"));
    }
    for f in &data.notices {
        let key = f.key.as_deref().unwrap_or("-");
        line(format!("notice   {} {} [{key}]", f.source, f.code));
    }
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for w in data.warnings() {
        *codes.entry(w.code.as_str()).or_default() += 1;
    }
    for (code, n) in codes {
        line(format!("warning  {code} x{n}"));
    }
    for (what, n) in tally(data) {
        line(format!("{what:>40} {n}"));
    }
    if with_warnings {
        for w in data.warnings() {
            line(format!("  {}: {}", w.code, w.message));
        }
    }
    out
}

/// How often each unified value that a mapping decides occurs.
fn tally(data: &Loaded) -> BTreeMap<String, usize> {
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    let mut count =
        |what: &str, value: &str| *tally.entry(format!("{what} {value}")).or_default() += 1;
    for r in &data.course_runs {
        count("run status", r.status.as_str());
        let schemes: Vec<&str> = r.funding_schemes.iter().map(|f| f.as_str()).collect();
        count("run funding", &schemes.join("+"));
    }
    for e in &data.enrollments {
        count("enrollment", e.status.as_str());
    }
    for o in &data.outcomes {
        count("outcome", o.status.as_str());
    }
    for p in &data.participants {
        count("participant nikValid", &p.nik_valid.to_string());
        let regency = format!("{:?}", p.domicile_regency_code);
        count("participant regency", &regency);
    }
    for c in &data.training_centers {
        count("centre active", &format!("{:?}", c.active));
    }
    tally
}
