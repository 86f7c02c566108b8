//! Test helpers: a throw-away BBPLK database loaded with `schema.sql` and the synthetic
//! fixture, on SQLite (a temp file) and on the PostgreSQL at 127.0.0.1:5432 (a fresh database
//! per test, `simpul_bbplk_<pid>_<nanos>`, dropped when the test ends). PostgreSQL is required:
//! when it is unreachable the tests fail, they do not skip.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use simpul_adapter_bbplk::{BbplkConfig, BbplkSource, SCHEMA_SQL};
use simpul_schema::{
    Collection, Course, CourseRun, CredentialAward, Enrollment, Outcome, Participant, Partnership,
    Program, QueryRequest, Records, TrainingCenter,
};

/// The synthetic fixture (see its header for the messy cases).
pub const SEED_SQL: &str = include_str!("../fixtures/seed.sql");

/// Where PostgreSQL is; override with `SIMPUL_TEST_POSTGRES_URL` (a URL of the maintenance
/// database, e.g. `postgres://postgres@127.0.0.1:5432/postgres`).
pub fn postgres_admin_url() -> String {
    std::env::var("SIMPUL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The two engines every test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A temp SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

/// Both engines, in the order tests run them.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// A loaded database that is removed on drop.
pub struct TestDb {
    /// Which engine.
    pub backend: Backend,
    /// The URL or path the adapter is configured with.
    pub url: String,
    sqlite_file: Option<PathBuf>,
    pg_name: Option<String>,
    dir: Option<PathBuf>,
}

fn unique_name() -> String {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "simpul_bbplk_{}_{}{}",
        std::process::id(),
        nanos,
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

/// The URL of database `name` on the test server.
fn postgres_url(name: &str) -> String {
    let admin = postgres_admin_url();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}

async fn admin() -> DatabaseConnection {
    let url = postgres_admin_url();
    match Database::connect(&url).await {
        Ok(db) => db,
        Err(e) => panic!(
            "PostgreSQL is required by these tests and is unreachable at {url}: {e}. \
             Start it (trust auth, user `postgres`) or point SIMPUL_TEST_POSTGRES_URL at one."
        ),
    }
}

/// A fresh, empty PostgreSQL database: its name and URL.
async fn create_postgres(name: &str) -> String {
    let admin = admin().await;
    // An ICU default collation orders text differently from code points, so the tests
    // notice any comparison that forgets `COLLATE "C"`.
    let icu = format!(
        "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' \
         LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C.UTF-8'"
    );
    if admin.execute_unprepared(&icu).await.is_err() {
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create the test database");
    }
    let _ = admin.close().await;
    postgres_url(name)
}

impl TestDb {
    /// Schema + fixture.
    pub async fn new(backend: Backend) -> TestDb {
        Self::with_extra(backend, "").await
    }

    /// The sample-data generator's BBPLK database for `participants` people (BBPLK only,
    /// seed `seed`), written once into a SQLite file and a fresh PostgreSQL database:
    /// `[sqlite, postgres]`.
    pub async fn generated(participants: u64, seed: u64) -> [TestDb; 2] {
        use simpul_sample_data::{generate, Plan, Progress, Provider};
        let name = unique_name();
        let dir = std::env::temp_dir().join(&name);
        let url = create_postgres(&name).await;
        let postgres = TestDb {
            backend: Backend::Postgres,
            url: url.clone(),
            sqlite_file: None,
            pg_name: Some(name),
            dir: None,
        };
        let mut plan = Plan::new(participants)
            .with_seed(seed)
            .with_providers([Provider::Bbplk]);
        plan.postgres_url = Some(url);
        generate(&plan, &dir, Progress::hidden())
            .await
            .expect("generate the sample data");
        let file = dir.join("bbplk").join("bbplk.sqlite");
        let sqlite = TestDb {
            backend: Backend::Sqlite,
            url: file.display().to_string(),
            sqlite_file: Some(file),
            pg_name: None,
            dir: Some(dir),
        };
        [sqlite, postgres]
    }

    /// Schema + fixture + `extra` SQL, run with foreign-key checks off (to plant orphans).
    pub async fn with_extra(backend: Backend, extra: &str) -> TestDb {
        let name = unique_name();
        let (db, url, sqlite_file, pg_name) = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                let url = format!("sqlite://{}?mode=rwc", path.display());
                let db = Database::connect(&url)
                    .await
                    .expect("create the SQLite file");
                (db, path.display().to_string(), Some(path), None)
            }
            Backend::Postgres => {
                let url = create_postgres(&name).await;
                let db = Database::connect(&url)
                    .await
                    .expect("connect to the test database");
                (db, url, None, Some(name))
            }
        };
        let this = TestDb {
            backend,
            url,
            sqlite_file,
            pg_name,
            dir: None,
        };
        db.execute_unprepared(SCHEMA_SQL)
            .await
            .expect("load schema.sql");
        db.execute_unprepared(SEED_SQL)
            .await
            .expect("load the fixture");
        if !extra.is_empty() {
            let off = match backend {
                Backend::Sqlite => "PRAGMA foreign_keys = OFF;\n",
                Backend::Postgres => "SET session_replication_role = replica;\n",
            };
            db.execute_unprepared(&format!("{off}{extra}"))
                .await
                .expect("load the extra rows");
        }
        db.close().await.expect("close the loader");
        this
    }

    /// The adapter's config for this database.
    pub fn config(&self) -> BbplkConfig {
        BbplkConfig::new(self.url.clone())
    }

    /// A connected source (contract checked).
    pub async fn source(&self) -> BbplkSource {
        let source = BbplkSource::connect(&self.config())
            .await
            .unwrap_or_else(|e| panic!("{:?}: {e}", self.backend));
        source
            .check_schema()
            .await
            .expect("the contract's tables are there");
        source
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(path) = self.sqlite_file.take() {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some(name) = self.pg_name.take() {
            // Drop runs inside the test's runtime: use a thread with its own.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(&postgres_admin_url()).await {
                        let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                        let _ = admin.execute_unprepared(&sql).await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Records of one collection, typed.
pub trait Typed:
    Sized + Clone + PartialEq + std::fmt::Debug + simpul_schema::filter::Filterable
{
    /// The collection.
    const COLLECTION: Collection;
    /// The records, when they are of this type.
    fn unwrap(records: Records) -> Option<Vec<Self>>;
    /// `sourceId`.
    fn id(&self) -> &str;
}

macro_rules! typed {
    ($($t:ty => $c:ident),+) => {$(
        impl Typed for $t {
            const COLLECTION: Collection = Collection::$c;
            fn unwrap(records: Records) -> Option<Vec<Self>> {
                match records {
                    Records::$c(r) => Some(r),
                    _ => None,
                }
            }
            fn id(&self) -> &str {
                &self.source_id
            }
        }
    )+};
}

typed!(
    TrainingCenter => TrainingCenters,
    Course => Courses,
    CourseRun => CourseRuns,
    Participant => Participants,
    Enrollment => Enrollments,
    Outcome => Outcomes,
    Partnership => Partnerships,
    CredentialAward => CredentialAwards,
    Program => Programs
);

/// Run a request and return typed records and the total.
pub async fn fetch<T: Typed>(source: &BbplkSource, request: &QueryRequest) -> (Vec<T>, u64) {
    let response = source
        .query(request)
        .await
        .unwrap_or_else(|e| panic!("{:?} {:?}: {e}", T::COLLECTION, request.filter));
    let total = response.total_count;
    (
        T::unwrap(response.records).expect("records of the asked collection"),
        total,
    )
}

/// Every record of `T`'s collection, personal data included or not.
pub async fn all<T: Typed>(source: &BbplkSource, include_pii: bool) -> Vec<T> {
    let mut request = QueryRequest::all(T::COLLECTION);
    request.include_pii = include_pii;
    fetch(source, &request).await.0
}

/// The record with `id`, or a panic naming it.
pub fn by_id<'a, T: Typed>(records: &'a [T], id: &str) -> &'a T {
    records
        .iter()
        .find(|r| r.id() == id)
        .unwrap_or_else(|| panic!("no {:?} `{id}`", T::COLLECTION))
}

/// The warning codes of a record, in order.
pub fn codes(warnings: &[simpul_schema::DataWarning]) -> Vec<&str> {
    warnings.iter().map(|w| w.code.as_str()).collect()
}
