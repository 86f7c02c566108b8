//! Print what the adapter makes of a folder of workbooks: counts, rejected units, notes and
//! warning codes (never values): `cargo run -p simpul-adapter-fkblkk --example inspect -- DIR`.

use std::collections::BTreeMap;

use simpul_adapter_fkblkk::{FkblkkConfig, FkblkkData};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: inspect DIR")?;
    let data = FkblkkData::load(&FkblkkConfig::new(dir, "inspect-secret-0123456789"))?;
    println!("data as of {:?}", data.status.data_as_of);
    for (collection, n) in &data.status.record_counts {
        println!("{collection:>16} {n}");
    }
    for f in &data.rejected {
        println!(
            "rejected {} {:?} {} [{}] {}",
            f.source,
            f.line,
            f.code,
            f.key.as_deref().unwrap_or("-"),
            f.reason
        );
    }
    for f in &data.notices {
        println!(
            "notice   {} {} [{}]",
            f.source,
            f.code,
            f.key.as_deref().unwrap_or("-")
        );
    }
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for w in data.warnings() {
        *codes.entry(w.code.as_str()).or_default() += 1;
    }
    for (code, n) in codes {
        println!("warning  {code} x{n}");
    }
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    let mut count =
        |what: &str, value: String| *tally.entry(format!("{what} {value}")).or_default() += 1;
    for r in &data.course_runs {
        count("run status", r.status.as_str().to_owned());
        let schemes: Vec<&str> = r.funding_schemes.iter().map(|f| f.as_str()).collect();
        count("run funding", schemes.join("+"));
    }
    for e in &data.enrollments {
        count("enrollment", e.status.as_str().to_owned());
    }
    for o in &data.outcomes {
        count("outcome", o.status.as_str().to_owned());
    }
    for p in &data.participants {
        count("participant nikValid", p.nik_valid.to_string());
        count(
            "participant regency",
            format!("{:?}", p.domicile_regency_code),
        );
    }
    for c in &data.training_centers {
        count("centre active", format!("{:?}", c.active));
    }
    for (what, n) in tally {
        println!("{what:>40} {n}");
    }
    if std::env::args().any(|a| a == "--warnings") {
        for w in data.warnings() {
            println!("  {}: {}", w.code, w.message);
        }
    }
    Ok(())
}
