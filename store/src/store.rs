//! [`Store`]: the connection, and the way to each part of the store.
//!
//! ```
//! use simpul_store::Store;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let dir = std::env::temp_dir().join(format!("simpul-store-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let url = format!("sqlite://{}?mode=rwc", dir.join("store.db").display());
//! let store = Store::connect(&url).await?; // creates the file and the tables
//! assert!(store.keys().list().await?.is_empty());
//! store.close().await?;
//! std::fs::remove_dir_all(&dir)?;
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! URLs: `sqlite://<path>?mode=rwc` (the default deployment: a file, created if missing),
//! `sqlite::memory:` (tests; see [`Store::memory`]) or `postgres://user@host:port/db`.

use std::time::Duration;

use chrono::{DateTime, SubsecRound as _, Utc};

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

use crate::{migration, Audit, Error, Keys, Partners, PersistedQueries};

/// The gateway's own database. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// Connect to `url` and apply pending migrations.
    ///
    /// Only `sqlite:` and `postgres:`/`postgresql:` URLs are accepted. Errors do not repeat
    /// the URL (it may hold a password).
    pub async fn connect(url: &str) -> Result<Store, Error> {
        let mut options = ConnectOptions::new(url);
        // Statements are not logged: the gateway traces requests, and audit queries name keys.
        options.sqlx_logging(false);
        if url.starts_with("sqlite:") {
            if is_memory(url) {
                // One connection that is never recycled: an in-memory database lives and dies
                // with its connection.
                const FOREVER: Duration = Duration::from_secs(365 * 24 * 3600);
                options
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(FOREVER)
                    .max_lifetime(FOREVER);
            }
        } else if !(url.starts_with("postgres:") || url.starts_with("postgresql:")) {
            return Err(Error::invalid(
                "database URL",
                "expected `sqlite:...` or `postgres://...`",
            ));
        }
        let db = Database::connect(options).await?;
        migration::run(&db).await?;
        Ok(Store { db })
    }

    /// A fresh in-memory SQLite store, for tests: gone when the last clone is dropped.
    pub async fn memory() -> Result<Store, Error> {
        Store::connect("sqlite::memory:").await
    }

    /// Partner organisations.
    pub fn partners(&self) -> Partners<'_> {
        Partners::new(&self.db)
    }

    /// API keys.
    pub fn keys(&self) -> Keys<'_> {
        Keys::new(&self.db)
    }

    /// The personal-data audit log.
    pub fn audit(&self) -> Audit<'_> {
        Audit::new(&self.db)
    }

    /// Persisted queries.
    pub fn persisted_queries(&self) -> PersistedQueries<'_> {
        PersistedQueries::new(&self.db)
    }

    /// The underlying connection, for reports over [`crate::entity`].
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Which engine this store runs on.
    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Close the pool, waiting for connections in use.
    pub async fn close(self) -> Result<(), Error> {
        Ok(self.db.close().await?)
    }
}

fn is_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// Now, to the microsecond: what PostgreSQL keeps, so values read back equal values written on
/// both engines.
pub(crate) fn now() -> DateTime<Utc> {
    to_micros(Utc::now())
}

/// `at` truncated to the microsecond.
pub(crate) fn to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}
