//! Real faults at the BBPLK provider's database, no mocks: a PostgreSQL table locked by another
//! session (the adapter's statement waits past its deadline, and the server cancels it at the
//! adapter's `statement_timeout_ms`), the PostgreSQL database taken
//! away while the gateway runs (and the circuit breaker that stops calling it, then probes it
//! once the database is back), and an SQLite file overwritten with garbage. Each answer keeps
//! SPN's records and adds one error with `path` and `extensions { code, provider }`.
//!
//! Each PostgreSQL test makes a database of its own (`simpul_e2e_<test>_<pid>_<nanos>`, loaded
//! by the sample-data generator) and drops it at the end, so the tests can run in parallel.
//!
//! Panics are not provoked here: the real adapters have no way to be made to panic, and the
//! host path a panic takes (`PLUGIN_PANIC`, the poisoned instance, the breaker) is the same for
//! every plugin; `plugin_zoo.rs` and `resilience.rs` cover it with the `misbehaving` zoo plugin.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use sea_orm::sqlx::{self, Connection as _, PgConnection};
use serde_json::{json, Value};
use simpul_sample_data::{Plan, Progress, Provider};
use simpul_tests::{
    centre_providers, library, one_provider_failed, scratch_dir, wait_until, Gateway, PATIENCE,
};

/// The maintenance database of the test server (as the BBPLK adapter's own tests).
fn admin_url() -> String {
    std::env::var("SIMPUL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn database_url(name: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}

/// A throwaway PostgreSQL database with generated BBPLK data, dropped on drop (under every name
/// it had).
struct Database {
    runtime: tokio::runtime::Runtime,
    name: String,
    gone: String,
}

impl Database {
    fn new(test: &str) -> Database {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = format!("simpul_e2e_{test}_{}_{nanos}", std::process::id());
        let db = Database {
            runtime,
            gone: format!("{name}_gone"),
            name,
        };
        db.admin(&format!("CREATE DATABASE \"{}\"", db.name));
        let mut plan = Plan::new(40)
            .with_seed(11)
            .with_providers([Provider::Bbplk]);
        plan.postgres_url = Some(db.url());
        let out = scratch_dir(&format!("{test}-data"));
        db.runtime
            .block_on(simpul_sample_data::generate(
                &plan,
                &out,
                Progress::hidden(),
            ))
            .expect("load BBPLK sample data into PostgreSQL");
        db
    }

    fn url(&self) -> String {
        database_url(&self.name)
    }

    /// Run statements on the maintenance database.
    fn admin(&self, sql: &str) {
        self.runtime.block_on(async {
            let mut conn = PgConnection::connect(&admin_url())
                .await
                .unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is required by these tests and is unreachable at {}: {e}",
                        admin_url()
                    )
                });
            sqlx::raw_sql(sql)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            let _ = conn.close().await;
        });
    }

    /// Take the database away: end its sessions and rename it, so that connecting to it fails
    /// with "database … does not exist".
    fn take_away(&self) {
        self.admin(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{0}';
             ALTER DATABASE \"{0}\" RENAME TO \"{1}\"",
            self.name, self.gone
        ));
    }

    /// Give it back under its name.
    fn bring_back(&self) {
        self.admin(&format!(
            "ALTER DATABASE \"{}\" RENAME TO \"{}\"",
            self.gone, self.name
        ));
    }

    /// Hold an `ACCESS EXCLUSIVE` lock on `table` from a session of our own until the returned
    /// connection rolls back or closes.
    fn lock(&self, table: &str) -> PgConnection {
        self.runtime.block_on(async {
            let mut conn = PgConnection::connect(&self.url()).await.unwrap();
            sqlx::raw_sql(&format!(
                "BEGIN; LOCK TABLE \"{table}\" IN ACCESS EXCLUSIVE MODE"
            ))
            .execute(&mut conn)
            .await
            .unwrap();
            conn
        })
    }

    fn unlock(&self, mut conn: PgConnection) {
        self.runtime.block_on(async {
            sqlx::raw_sql("ROLLBACK").execute(&mut conn).await.unwrap();
            let _ = conn.close().await;
        });
    }

    /// Statements on this database that wait for a lock (the adapter's, behind ours).
    fn waiting(&self) -> i64 {
        self.runtime.block_on(async {
            let mut conn = PgConnection::connect(&admin_url()).await.unwrap();
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
            )
            .bind(&self.name)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            let _ = conn.close().await;
            n
        })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        for name in [&self.name, &self.gone] {
            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = self.runtime.block_on(async {
                let mut conn = PgConnection::connect(&admin_url()).await?;
                sqlx::raw_sql(&sql).execute(&mut conn).await?;
                conn.close().await
            });
        }
    }
}

/// A gateway serving SPN's demo export and BBPLK from `url`, with `policy` lines in BBPLK's
/// provider table and `settings` lines in its adapter config.
fn gateway(name: &str, url: &str, policy: &str, settings: &str) -> Gateway {
    let dir = scratch_dir(name);
    let config = format!(
        r#"
[[providers]]
key = "spn"
library = "{spn}"
[providers.config]
data_dir = "{spn_data}"

[[providers]]
key = "bbplk"
library = "{bbplk}"
{policy}
[providers.config]
url = "{url}"
{settings}
"#,
        spn = library("simpul_adapter_spn").display(),
        spn_data = simpul_tests::workspace().join("gateway/demo/spn").display(),
        bbplk = library("simpul_adapter_bbplk").display(),
    );
    std::fs::write(dir.join("simpul.toml"), config).unwrap();
    // Record counts are in `/readyz` only when told to (or for admin keys).
    let gw = Gateway::start(
        &dir,
        &[],
        &[("SIMPUL__ACCESS__PUBLIC_READYZ_DETAIL", "true")],
    );
    // Let the start-up status request (it counts rows) finish before any fault is injected.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, ready) = gw.get("/readyz");
        if ready.contains(r#""recordCounts""#) && ready.matches("recordCounts").count() == 2 {
            break;
        }
        assert!(Instant::now() < deadline, "no source status: {ready}");
        std::thread::sleep(Duration::from_millis(50));
    }
    gw
}

const QUERY: &str = "{ trainingCenters(first: 50) { totalCount nodes { name provider { key } } } }";

/// The log has `detail` on a line of the request whose id `message` ends with.
fn assert_logged(gw: &Gateway, message: &str, detail: &str) {
    let id = message
        .split("request id ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no request id in {message}"));
    gw.wait_for_log_line(&format!("with `{detail}` under request {id}"), |l| {
        l.contains(id) && l.contains(detail)
    });
}

/// Wait until BBPLK's breaker is half-open (its pause ran out), not before `opened + open`.
fn wait_half_open(gw: &Gateway, opened: Instant, open: Duration) {
    assert!(
        wait_until(PATIENCE, || breaker(gw) == "half_open"),
        "the breaker never went half-open: {}",
        gw.provider("bbplk")
    );
    assert!(
        opened.elapsed() >= open,
        "half-open before its pause ran out"
    );
}

fn breaker(gw: &Gateway) -> String {
    gw.provider("bbplk")["breaker"].as_str().unwrap().to_owned()
}

fn healthy(gw: &Gateway) -> Value {
    let (status, body) = gw.query(QUERY, json!(null));
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(centre_providers(&body), ["spn", "bbplk"]);
    body
}

#[test]
fn a_locked_postgres_table_times_out_and_the_breaker_stops_calling_the_database() {
    let db = Database::new("lock");
    // The pause is long enough for the checks while it is open, however busy the machine (the
    // test says so if not); the test then waits for it to end, not longer.
    let open = Duration::from_secs(4);
    let gw = gateway(
        "bbplk-lock",
        &db.url(),
        &format!(
            "timeout_ms = 700\nretry = {{ max_attempts = 1 }}\nbreaker = {{ failure_threshold = 2, open_ms = {} }}",
            open.as_millis()
        ),
        "",
    );
    let before = healthy(&gw);
    let spn_total = before["data"]["trainingCenters"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["provider"]["key"] == "spn")
        .count();

    // Another session holds the table every training-centre statement reads.
    let lock = db.lock("lembaga");
    let mut opened = Instant::now();
    for _ in 0..2 {
        // The breaker opens during the second query, after this instant.
        opened = Instant::now();
        let (status, body) = gw.query(QUERY, json!(null));
        assert_eq!(status, 200);
        one_provider_failed(&body, "bbplk", "PROVIDER_TIMEOUT", &["spn"]);
        assert_eq!(
            body["data"]["trainingCenters"]["totalCount"],
            json!(spn_total),
            "the total counts the providers that answered: {body}"
        );
    }

    // Two timeouts in a row opened the breaker: the next answer fails fast...
    assert_eq!(breaker(&gw), "open");
    let (_, body) = gw.query(QUERY, json!(null));
    assert!(
        opened.elapsed() < open,
        "inconclusive: the query came {:?} after the breaker opened, past its pause",
        opened.elapsed()
    );
    let message = one_provider_failed(&body, "bbplk", "PROVIDER_UNAVAILABLE", &["spn"]);
    assert!(message.contains("circuit breaker"), "{message}");
    // ...and no third statement joins the queue at the database: both timed-out statements
    // reached it and wait there behind the lock, and nothing else.
    assert!(
        wait_until(PATIENCE, || db.waiting() >= 2),
        "{} statements wait",
        db.waiting()
    );
    assert_eq!(db.waiting(), 2, "the open breaker made no call");
    let (_, metrics) = gw.get("/metrics");
    for line in [
        r#"simpul_provider_breaker_state{provider="bbplk"} 2"#,
        r#"simpul_provider_errors_total{provider="bbplk",code="PROVIDER_TIMEOUT"} 2"#,
        r#"simpul_provider_errors_total{provider="bbplk",code="PROVIDER_UNAVAILABLE"} 1"#,
    ] {
        assert!(metrics.contains(line), "missing `{line}` in\n{metrics}");
    }

    // The lock goes; after `open_ms` the half-open probe succeeds and closes the breaker.
    db.unlock(lock);
    wait_half_open(&gw, opened, open);
    let after = healthy(&gw);
    assert_eq!(after["data"], before["data"]);
    assert_eq!(breaker(&gw), "closed");
}

#[test]
fn a_statement_its_caller_gave_up_on_is_cancelled_by_the_server() {
    let db = Database::new("cancel");
    let gw = gateway(
        "bbplk-cancel",
        &db.url(),
        "timeout_ms = 500\nretry = { max_attempts = 1 }",
        // Well after the gateway gives up, so that the statement is still there when the test
        // looks, however busy the machine.
        "statement_timeout_ms = 4000",
    );
    let before = healthy(&gw);

    let lock = db.lock("lembaga");
    let (status, body) = gw.query(QUERY, json!(null));
    assert_eq!(status, 200);
    one_provider_failed(&body, "bbplk", "PROVIDER_TIMEOUT", &["spn"]);
    // The gateway gave up after 500 ms; the statement still waits behind the lock...
    assert_eq!(db.waiting(), 1);
    // ...until the server cancels it at `statement_timeout_ms`, while the lock is still held:
    // its pooled connection is free again.
    assert!(
        wait_until(PATIENCE, || db.waiting() == 0),
        "the statement was not cancelled"
    );

    db.unlock(lock);
    assert_eq!(healthy(&gw)["data"], before["data"]);
}

#[test]
fn a_lost_postgres_database_is_unavailable_and_the_breaker_probes_it_once_it_is_back() {
    let db = Database::new("gone");
    // As above: a pause long enough for the checks while it is open.
    let open = Duration::from_secs(4);
    let gw = gateway(
        "bbplk-gone",
        &db.url(),
        &format!(
            "retry = {{ max_attempts = 1 }}\nbreaker = {{ failure_threshold = 2, open_ms = {} }}",
            open.as_millis()
        ),
        "",
    );
    let before = healthy(&gw);

    db.take_away();
    let mut opened = Instant::now();
    for _ in 0..2 {
        // The breaker opens during the second query, after this instant.
        opened = Instant::now();
        let (status, body) = gw.query(QUERY, json!(null));
        assert_eq!(status, 200);
        let message = one_provider_failed(&body, "bbplk", "PROVIDER_UNAVAILABLE", &["spn"]);
        // Generic for the caller; PostgreSQL's words are in the log under the request id.
        assert!(!message.contains("does not exist"), "{message}");
        assert_logged(&gw, &message, "does not exist");
    }
    assert_eq!(breaker(&gw), "open");

    // The database is back, but the breaker is still open: the answer still lacks BBPLK, so the
    // adapter was not called (it would have succeeded).
    db.bring_back();
    let (_, body) = gw.query(QUERY, json!(null));
    assert!(
        opened.elapsed() < open,
        "inconclusive: the query came {:?} after the breaker opened, past its pause",
        opened.elapsed()
    );
    let message = one_provider_failed(&body, "bbplk", "PROVIDER_UNAVAILABLE", &["spn"]);
    assert!(message.contains("circuit breaker"), "{message}");
    let (_, metrics) = gw.get("/metrics");
    assert!(
        metrics.contains(r#"simpul_provider_breaker_state{provider="bbplk"} 2"#),
        "{metrics}"
    );

    // After `open_ms`, one probe goes through, finds the database, and closes the breaker.
    wait_half_open(&gw, opened, open);
    let after = healthy(&gw);
    assert_eq!(after["data"], before["data"]);
    assert_eq!(breaker(&gw), "closed");
}

#[test]
fn a_corrupted_sqlite_file_is_reported_and_a_restored_one_serves_again() {
    let out = scratch_dir("bbplk-sqlite-data");
    let plan = Plan::new(40)
        .with_seed(11)
        .with_providers([Provider::Bbplk]);
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(simpul_sample_data::generate(
            &plan,
            &out,
            Progress::hidden(),
        ))
        .unwrap();
    let file: PathBuf = out.join("bbplk/bbplk.sqlite");
    let gw = gateway(
        "bbplk-sqlite",
        file.to_str().unwrap(),
        "retry = { max_attempts = 1 }",
        "",
    );
    let before = healthy(&gw);

    // Overwrite the file in place (same inode, same length, so the pool's open connections see
    // it) with bytes that are not an SQLite database.
    let original = std::fs::read(&file).unwrap();
    std::fs::write(&file, vec![0x5a; original.len()]).unwrap();
    let (status, body) = gw.query(QUERY, json!(null));
    assert_eq!(status, 200);
    let message = one_provider_failed(&body, "bbplk", "PROVIDER_UNAVAILABLE", &["spn"]);
    // Generic for the caller; SQLite's words are in the log under the request id.
    assert!(!message.contains("not a database"), "{message}");
    assert_logged(&gw, &message, "not a database");

    std::fs::write(&file, &original).unwrap();
    let after = healthy(&gw);
    assert_eq!(after["data"], before["data"]);
}
