//! [`BbplkSource`]: the connection pool to the provider's database (PostgreSQL or SQLite,
//! always read-only), the start-up check that the contract's tables and columns are there, and
//! the entry points for queries and status.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sea_orm::sqlx::ConnectOptions as _;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect, SqlxPostgresConnector,
    SqlxSqliteConnector,
};
use simpul_schema::analytics::{AggregateRequest, AggregateResponse, AggregateView};
use simpul_schema::{Collection, QueryRequest, QueryResponse, SourceStatus};

use crate::config::{BbplkConfig, Target};
use crate::entity;
use crate::error::{describe_sqlx, BbplkError};
use crate::identity::PersonIndex;
use crate::query::slices::Parallelism;
use crate::query::{self, aggregate, dialect::Dialect};
use crate::status;

/// A read-only handle on a BBPLK database.
#[derive(Debug, Clone)]
pub struct BbplkSource {
    db: DatabaseConnection,
    dialect: Dialect,
    people: std::sync::Arc<PersonIndex>,
    parallelism: Parallelism,
}

impl BbplkSource {
    /// Open the pool the config describes (see [`connect`]).
    ///
    /// # Errors
    /// [`BbplkError::Config`] or [`BbplkError::Connect`].
    pub async fn connect(config: &BbplkConfig) -> Result<Self, BbplkError> {
        Ok(Self::new(connect(config).await?)?
            .with_identity(config.identity_secret.as_deref())
            .with_parallelism(Parallelism::of(config)))
    }

    /// Give participants person keys under `secret` (the gateway's identity secret).
    pub fn with_identity(mut self, secret: Option<&str>) -> Self {
        self.people = std::sync::Arc::new(PersonIndex::new(secret));
        self
    }

    /// Split large aggregates as `parallelism` allows (see [`crate::query::slices`]).
    pub fn with_parallelism(mut self, parallelism: Parallelism) -> Self {
        self.parallelism = parallelism;
        self
    }

    /// Use an existing connection (for tests that watch statements, or an embedding
    /// application). The adapter never writes through it.
    ///
    /// # Errors
    /// [`BbplkError::Config`] for a MySQL connection, which the contract does not cover.
    pub fn new(db: DatabaseConnection) -> Result<Self, BbplkError> {
        let dialect = Dialect::from_backend(db.get_database_backend()).ok_or_else(|| {
            BbplkError::Config("the BBPLK contract covers PostgreSQL and SQLite only".into())
        })?;
        Ok(Self {
            db,
            dialect,
            people: std::sync::Arc::new(PersonIndex::new(None)),
            parallelism: Parallelism::default(),
        })
    }

    /// The connection.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The SQL dialect in use.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Check that every table the adapter reads has every contract column (a `SELECT` of the
    /// entity's columns with `LIMIT 0`, so no row is read).
    ///
    /// # Errors
    /// [`BbplkError::Schema`] naming the first table that does not fit.
    pub async fn check_schema(&self) -> Result<(), BbplkError> {
        macro_rules! check {
            ($($table:ident),+) => {$(
                entity::$table::Entity::find()
                    .limit(0)
                    .all(&self.db)
                    .await
                    .map_err(|e| BbplkError::Schema {
                        table: stringify!($table),
                        reason: crate::error::describe(&e),
                    })?;
            )+};
        }
        check!(
            lembaga,
            kejuruan,
            lembaga_kejuruan,
            program_pelatihan,
            angkatan,
            peserta,
            pendaftaran,
            penempatan,
            kemitraan,
            sertifikasi,
            lsp,
            unit_kompetensi,
            program_unit
        );
        Ok(())
    }

    /// Answer a query with one statement (see [`crate::query`]).
    ///
    /// # Errors
    /// [`BbplkError::BadRequest`] for a filter or sort the collection cannot evaluate; database
    /// errors otherwise.
    pub async fn query(&self, request: &QueryRequest) -> Result<QueryResponse, BbplkError> {
        if request.order_by.iter().any(|o| o.field == "personKey") {
            return self.query_by_person_key(request).await;
        }
        // The NIKs several rows share only make warnings, which a projection does not send.
        let shared = match request.collection {
            Collection::Participants if request.fields.is_none() => {
                self.people.shared_niks(&self.db, self.dialect).await?
            }
            _ => Arc::default(),
        };
        let keys = self.people.keys();
        match request.filter.as_ref().filter(|f| PersonIndex::mentions(f)) {
            Some(filter) => {
                let mut request = request.clone();
                request.filter = Some(self.people.rewrite(&self.db, filter).await?);
                query::run(&self.db, self.dialect, &request, keys, &shared).await
            }
            None => query::run(&self.db, self.dialect, request, keys, &shared).await,
        }
    }

    /// A query ordered by `personKey`, which SQL cannot compute (a keyed hash of the NIK made
    /// outside the database): the matching records in SQL, then ordered and paged in memory
    /// with the reference semantics. Costs the whole matching set; the GraphQL schema offers no
    /// such order, so only a direct caller (a conformance check, another engine) asks for it.
    async fn query_by_person_key(
        &self,
        request: &QueryRequest,
    ) -> Result<QueryResponse, BbplkError> {
        if request.after.is_some() {
            return Err(BbplkError::BadRequest(
                "`after` resumes the natural order: send it without `order_by` and `offset`".into(),
            ));
        }
        let mut matching = request.clone();
        matching.order_by.clear();
        matching.offset = 0;
        matching.limit = None;
        // The order is computed here, from each record's person key.
        if let Some(fields) = &mut matching.fields {
            fields.push("personKey".into());
        }
        let all = Box::pin(self.query(&matching)).await?;
        let page = QueryRequest {
            collection: request.collection,
            ids: None,
            filter: None,
            order_by: request.order_by.clone(),
            offset: request.offset,
            limit: request.limit,
            include_pii: true,
            skip_total: request.skip_total,
            after: None,
            fields: None,
            request_id: None,
        };
        let simpul_schema::Records::Participants(records) = all.records else {
            return Err(BbplkError::BadRequest(
                "`personKey` orders participants only".into(),
            ));
        };
        let (records, _) = simpul_schema::filter::apply(&records, &page)
            .map_err(|e| BbplkError::BadRequest(e.to_string()))?;
        Ok(QueryResponse {
            records: simpul_schema::Records::Participants(records),
            total_count: all.total_count,
            next: None,
        })
    }

    /// Answer an aggregate with one `SELECT … GROUP BY`, or one per slice of a large view run
    /// at the same time (see [`crate::query::aggregate`]).
    ///
    /// # Errors
    /// [`BbplkError::BadRequest`] for an unknown field or measure, or a filter the view cannot
    /// evaluate; database errors otherwise.
    pub async fn aggregate(
        &self,
        request: &AggregateRequest,
    ) -> Result<AggregateResponse, BbplkError> {
        request
            .validate()
            .map_err(|e| BbplkError::BadRequest(e.to_string()))?;
        let keys = self.people.keys();
        match request
            .filter
            .as_ref()
            .filter(|f| request.view == AggregateView::Participants && PersonIndex::mentions(f))
        {
            Some(filter) => {
                let mut request = request.clone();
                request.filter = Some(self.people.rewrite(&self.db, filter).await?);
                aggregate::run(&self.db, self.dialect, &request, keys, self.parallelism).await
            }
            None => aggregate::run(&self.db, self.dialect, request, keys, self.parallelism).await,
        }
    }

    /// The source status (see [`crate::status`]).
    ///
    /// # Errors
    /// Database errors.
    pub async fn status(&self) -> Result<SourceStatus, BbplkError> {
        status::status(&self.db, self.dialect).await
    }
}

/// Open a connection pool for `config`: PostgreSQL sessions with
/// `default_transaction_read_only = on`, `jit = off` and `statement_timeout` as configured, SQLite files opened read-only (never created), pool
/// sized by `max_connections`/`min_connections`, waits bounded by `acquire_timeout_ms`, driver
/// statement logging off.
///
/// # Errors
/// [`BbplkError::Config`] for unusable settings, [`BbplkError::Connect`] when the database
/// cannot be opened.
pub async fn connect(config: &BbplkConfig) -> Result<DatabaseConnection, BbplkError> {
    let target = config.target()?;
    let failed = |reason: String| BbplkError::Connect {
        target: config.redacted_url(),
        reason,
    };
    let acquire = Duration::from_millis(config.acquire_timeout_ms);
    match target {
        Target::Postgres(url) => {
            let options = PgConnectOptions::from_str(&url)
                .map_err(|e| failed(describe_sqlx(&e)))?
                .options([
                    ("default_transaction_read_only", "on".to_owned()),
                    // No JIT compilation: an aggregate over a million rows is estimated costly
                    // enough for PostgreSQL to compile its expressions first (with inlining and
                    // optimisation), which took longer than the compiled code saved.
                    ("jit", "off".to_owned()),
                    // Milliseconds; 0 is no limit.
                    ("statement_timeout", config.statement_timeout_ms.to_string()),
                ])
                .application_name("simpul-adapter-bbplk")
                .disable_statement_logging();
            let pool = PgPoolOptions::new()
                .max_connections(config.max_connections)
                .min_connections(config.min_connections)
                .acquire_timeout(acquire)
                .connect_with(options)
                .await
                .map_err(|e| failed(describe_sqlx(&e)))?;
            Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
        }
        Target::SqliteUrl(url) => {
            let options =
                SqliteConnectOptions::from_str(&url).map_err(|e| failed(describe_sqlx(&e)))?;
            open_sqlite(options, config, acquire).await.map_err(failed)
        }
        Target::SqliteFile(path) => {
            let options = SqliteConnectOptions::new().filename(path);
            open_sqlite(options, config, acquire).await.map_err(failed)
        }
    }
}

/// An SQLite pool, read-only, never creating the file.
async fn open_sqlite(
    options: SqliteConnectOptions,
    config: &BbplkConfig,
    acquire: Duration,
) -> Result<DatabaseConnection, String> {
    let options = options
        .read_only(true)
        .create_if_missing(false)
        .disable_statement_logging();
    let pool = SqlitePoolOptions::new()
        .max_connections(config.max_connections)
        .min_connections(config.min_connections)
        .acquire_timeout(acquire)
        .connect_with(options)
        .await
        .map_err(|e| describe_sqlx(&e))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}
