//! The store's schema, one migration per change, applied on [`crate::Store::connect`].
//!
//! ```
//! use sea_orm_migration::MigratorTrait;
//! use simpul_store::{migration::Migrator, Store};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Store::memory().await?;
//! assert!(Migrator::get_pending_migrations(store.db()).await?.is_empty());
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! Applied migrations are recorded in `store_migrations` (version, applied_at), so connecting
//! again applies nothing; each migration also creates with `IF NOT EXISTS`. On PostgreSQL the
//! whole run holds a transaction-scoped advisory lock, so gateway instances starting together
//! migrate one after the other. Add a change as a new file `mYYYYMMDD_HHMMSS_verb_noun.rs`
//! with `up` and `down`, appended to [`Migrator::migrations`]; never edit an applied one.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};
use sea_orm_migration::prelude::*;

mod m20261125_000001_create_partner;
mod m20261125_000002_create_api_key;
mod m20261125_000003_create_audit_log;
mod m20261125_000004_create_persisted_query;

/// The store's migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_partner::Migration),
            Box::new(m20261125_000002_create_api_key::Migration),
            Box::new(m20261125_000003_create_audit_log::Migration),
            Box::new(m20261125_000004_create_persisted_query::Migration),
        ]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("store_migrations").into_iden()
    }
}

/// Key of the PostgreSQL advisory lock held while migrating (`"smpstore"` in ASCII).
const MIGRATION_LOCK: i64 = 0x736d_7073_746f_7265;

/// Apply every pending migration.
pub(crate) async fn run(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
        _ => Migrator::up(db, None).await,
    }
}
