//! A bounded load run against a gateway on loopback: requests/s, latency percentiles, and the
//! gateway's own share of the latency (the request's time minus its slowest adapter call, from
//! the response's trace extension).
//!
//! ```sh
//! cargo run --release -p simpul-tests --bin load -- \
//!     --url http://127.0.0.1:4000/graphql --seconds 10 --max-requests 20000 --concurrency 4
//! ```
//!
//! The default query fans out to every provider. Loopback only: the URL must point at
//! 127.0.0.1 or localhost.

use std::time::{Duration, Instant};

const DEFAULT_QUERY: &str = "{ trainingCenters(first: 20) { totalCount nodes { id name provider { key } } } \
     courseRuns(first: 20, order_by: [{ startDate: desc }]) { totalCount nodes { code startDate status } } }";

struct Args {
    url: String,
    seconds: u64,
    max_requests: usize,
    concurrency: usize,
    query: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: "http://127.0.0.1:4000/graphql".into(),
        seconds: 10,
        max_requests: 20_000,
        concurrency: 4,
        query: DEFAULT_QUERY.into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value()?,
            "--seconds" => {
                args.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?
            }
            "--max-requests" => {
                args.max_requests = value()?
                    .parse()
                    .map_err(|e| format!("--max-requests: {e}"))?
            }
            "--concurrency" => {
                args.concurrency = value()?
                    .parse()
                    .map_err(|e| format!("--concurrency: {e}"))?
            }
            "--query" => args.query = value()?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    let host = args
        .url
        .trim_start_matches("http://")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    if host != "127.0.0.1" && host != "localhost" {
        return Err(format!("{} is not on loopback", args.url));
    }
    if args.seconds == 0
        || args.seconds > 300
        || args.max_requests == 0
        || args.concurrency == 0
        || args.concurrency > 64
    {
        return Err("bounds: 1–300 seconds, at least one request, 1–64 workers".into());
    }
    Ok(args)
}

/// One request's total time and its slowest adapter call.
struct Sample {
    total: Duration,
    slowest_call: Duration,
}

fn worker(
    args: &Args,
    deadline: Instant,
    budget: &std::sync::atomic::AtomicUsize,
) -> Result<Vec<Sample>, String> {
    let body =
        serde_json::json!({ "query": args.query, "extensions": { "simpul": { "trace": true } } })
            .to_string();
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let mut samples = Vec::new();
    let take_one = || {
        let (order, fail) = (
            std::sync::atomic::Ordering::SeqCst,
            std::sync::atomic::Ordering::SeqCst,
        );
        budget
            .fetch_update(order, fail, |n| n.checked_sub(1))
            .is_ok()
    };
    while Instant::now() < deadline && take_one() {
        let started = Instant::now();
        let response = agent
            .post(&args.url)
            .set("content-type", "application/json")
            .send_string(&body)
            .map_err(|e| format!("request failed: {e}"))?;
        let text = response.into_string().map_err(|e| e.to_string())?;
        let total = started.elapsed();
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
        if json.get("errors").is_some() {
            return Err(format!("the query failed: {text}"));
        }
        let slowest = json["extensions"]["simpul"]["providers"]
            .as_object()
            .into_iter()
            .flat_map(|providers| providers.values())
            .flat_map(|p| p["details"].as_array().cloned().unwrap_or_default())
            .filter_map(|call| call["micros"].as_u64())
            .max()
            .unwrap_or(0);
        samples.push(Sample {
            total,
            slowest_call: Duration::from_micros(slowest),
        });
    }
    Ok(samples)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("load: {e}");
        std::process::exit(2);
    });
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let budget = std::sync::atomic::AtomicUsize::new(args.max_requests);
    let results: Vec<Result<Vec<Sample>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..args.concurrency)
            .map(|_| s.spawn(|| worker(&args, deadline, &budget)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("worker panicked".into())))
            .collect()
    });
    let elapsed = started.elapsed();
    let mut samples = Vec::new();
    for result in results {
        match result {
            Ok(s) => samples.extend(s),
            Err(e) => {
                eprintln!("load: {e}");
                std::process::exit(1);
            }
        }
    }
    let mut totals: Vec<Duration> = samples.iter().map(|s| s.total).collect();
    let mut overheads: Vec<Duration> = samples
        .iter()
        .map(|s| s.total.saturating_sub(s.slowest_call))
        .collect();
    let mut slowest: Vec<Duration> = samples.iter().map(|s| s.slowest_call).collect();
    totals.sort();
    overheads.sort();
    slowest.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "requests: {} in {:.1} s with {} workers",
        samples.len(),
        elapsed.as_secs_f64(),
        args.concurrency
    );
    println!(
        "throughput: {:.0} requests/s",
        samples.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency: p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&totals, 0.5)),
        ms(percentile(&totals, 0.99))
    );
    println!(
        "slowest provider call: p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&slowest, 0.5)),
        ms(percentile(&slowest, 0.99))
    );
    println!(
        "gateway overhead (request - slowest call): p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&overheads, 0.5)),
        ms(percentile(&overheads, 0.99))
    );
}
