//! Test helpers. SQLite stores are temporary files; PostgreSQL stores are fresh databases
//! `simpul_store_<pid>_<nanos><seq>` on the server at 127.0.0.1:5432 (user `postgres`, trust
//! auth; override with `SIMPUL_TEST_POSTGRES_URL`), dropped when the test ends. Redis is at
//! `SIMPUL_TEST_REDIS_URL` or `redis://127.0.0.1:6379`; tests use their own key prefix.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use simpul_store::Store;

/// The two engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A name no other test or run uses.
pub fn unique_name(prefix: &str) -> String {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{nanos}{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn postgres_admin_url() -> String {
    std::env::var("SIMPUL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub fn redis_url() -> String {
    std::env::var("SIMPUL_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

/// Panic with a clear message unless Redis answers `PING`.
pub async fn require_redis() -> String {
    let url = redis_url();
    let reached = async {
        let client = redis::Client::open(url.as_str())?;
        let mut conn = client.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await
    };
    if let Err(e) = reached.await {
        panic!(
            "Redis is required by these tests and is unreachable at {url}: {e}. \
             Run `tests/run`, which starts it, or start it (`redis-server --daemonize yes`) or point SIMPUL_TEST_REDIS_URL at one."
        );
    }
    url
}

async fn postgres_admin() -> DatabaseConnection {
    let url = postgres_admin_url();
    let mut options = ConnectOptions::new(&url);
    options.acquire_timeout(Duration::from_secs(5));
    match Database::connect(options).await {
        Ok(db) => db,
        Err(e) => panic!(
            "PostgreSQL is required by these tests and is unreachable at {url}: {e}. \
             Run `tests/run`, which starts it, or start it (trust auth, user `postgres`) or point SIMPUL_TEST_POSTGRES_URL at one."
        ),
    }
}

/// A fresh, migrated store, removed on drop.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub store: Store,
    /// Last, so the store's pool is dropped before its database.
    _guard: Guard,
}

impl TestDb {
    /// A fresh database of `backend`, connected through [`Store::connect`].
    pub async fn new(backend: Backend) -> TestDb {
        let (url, guard) = empty(backend).await;
        let store = Store::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: connect and migrate: {e}"));
        TestDb {
            backend,
            url,
            store,
            _guard: guard,
        }
    }
}

/// An empty, unmigrated database of `backend`: its URL, and a guard that removes it.
pub async fn empty(backend: Backend) -> (String, Guard) {
    let name = unique_name("simpul_store");
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            let url = format!("sqlite://{}?mode=rwc", path.display());
            (url, Guard::Sqlite(path))
        }
        Backend::Postgres => {
            let admin = postgres_admin().await;
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create the test database");
            admin.close().await.expect("close the admin connection");
            let admin_url = postgres_admin_url();
            let base = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(b, _)| b);
            (format!("{base}/{name}"), Guard::Postgres(name))
        }
    }
}

/// Removes a test database when dropped.
pub enum Guard {
    /// A SQLite file (and its journals).
    Sqlite(PathBuf),
    /// A PostgreSQL database, dropped with `WITH (FORCE)`.
    Postgres(String),
}

impl Drop for Guard {
    fn drop(&mut self) {
        match self {
            Guard::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Guard::Postgres(name) => {
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
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
                            let _ = admin.execute_unprepared(&sql).await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// For each `fn name(&TestDb)`, a module `name` with tests `sqlite` and `postgres`.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            use crate::common::{Backend, TestDb};

            #[tokio::test]
            async fn sqlite() {
                super::$name(&TestDb::new(Backend::Sqlite).await).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$name(&TestDb::new(Backend::Postgres).await).await;
            }
        }
    )+};
}
