//! `simpul keys`, `simpul audit` and `simpul queries`: the store's administration from the
//! command line. They open the store the gateway would use (the config's `[store] url`, else
//! the default beside the config file or in the demo's folder) and never start providers.
//!
//! ```text
//! $ simpul keys create --role partner --partner "BBPLK Bekasi" --provider bbplk --expires-in-days 90
//! created key k3x9q2ab (partner, provider bbplk, expires 2027-02-23)
//! smp_k3x9q2ab_…          ← shown once; only its hash is kept
//! $ simpul audit --field Participant.nik --since 2026-11-01
//! ```

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand};
use simpul_store::{AuditFilter, NewKey, NewPartner, Role, Scopes, Store};

use crate::config::Config;

/// Which store to open.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Config file whose `[store] url` to use. Default: ./simpul.toml if present, else the
    /// embedded demo's store.
    #[arg(long, short, global = true)]
    pub config: Option<PathBuf>,
}

/// `simpul keys …`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Issue a key; its secret is printed once, on standard output.
    Create {
        /// anonymous, partner, analyst or admin.
        #[arg(long)]
        role: Role,
        /// The partner organisation (partner keys): created when it does not exist yet.
        #[arg(long)]
        partner: Option<String>,
        /// The provider key the partner belongs to (`bbplk`); its records only are visible.
        #[arg(long)]
        provider: Option<String>,
        /// Scopes instead of the role's defaults, space-separated
        /// (`"participant:read enrollment:read"`).
        #[arg(long)]
        scopes: Option<String>,
        /// Days until the key stops working (default: never).
        #[arg(long)]
        expires_in_days: Option<u32>,
        /// What the key is for.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List keys (never their secrets).
    List,
    /// Revoke a key by id: it is refused from the next request on.
    Revoke {
        /// The key's id (the 8 characters after `smp_`).
        id: String,
    },
}

/// `simpul audit`: who read which personal data, newest first.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this key's reads.
    #[arg(long)]
    pub key: Option<String>,
    /// Only reads of this field (`Participant.nik`).
    #[arg(long)]
    pub field: Option<String>,
    /// Only reads at or after this time (RFC 3339, or a date `2026-11-01`).
    #[arg(long)]
    pub since: Option<String>,
    /// Only reads before this time.
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many rows (default 100).
    #[arg(long, default_value_t = 100)]
    pub limit: u64,
    /// `table` or `json`.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// `simpul queries …`: persisted queries.
#[derive(Debug, Subcommand)]
pub enum QueriesCommand {
    /// Register a query file; prints its hash (send it as `extensions.persistedQuery.sha256Hash`).
    Add {
        /// The GraphQL document.
        file: PathBuf,
    },
    /// List registered queries.
    List,
}

/// The store the gateway would use with this config.
async fn open(args: &StoreArgs) -> Result<Store> {
    let url = store_url(args.config.as_deref())?;
    Store::connect(&url).await.with_context(|| {
        format!(
            "cannot open the store {}",
            url.split('@').next_back().unwrap_or(&url)
        )
    })
}

fn store_url(config: Option<&Path>) -> Result<String> {
    let local = Path::new("simpul.toml");
    let path = config.or_else(|| local.exists().then_some(local));
    let config = match path {
        Some(path) => Config::load(path, std::env::vars())
            .with_context(|| format!("cannot use {}", path.display()))?,
        None => {
            let dir = crate::demo::default_dir();
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            Config::parse("", Path::new("<embedded default>"), &dir, std::env::vars())?
        }
    };
    config
        .store
        .url
        .context("the config names no store (a bug: a default is always set)")
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Runtime::new().context("cannot start the async runtime")
}

/// Run `simpul keys …`.
pub fn keys(command: KeysCommand, args: &StoreArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = open(args).await?;
        match command {
            KeysCommand::Create {
                role,
                partner,
                provider,
                scopes,
                expires_in_days,
                label,
            } => {
                let mut key = NewKey::new(role, label);
                if let Some(name) = partner {
                    let Some(provider) = provider else {
                        bail!("--partner needs --provider (the provider key whose records it may read)");
                    };
                    let existing = store.partners().list().await?;
                    let id = match existing.iter().find(|p| p.name == name && p.provider == provider) {
                        Some(p) => p.id,
                        None => store.partners().create(NewPartner::new(name, provider)).await?.id,
                    };
                    key.partner = Some(id);
                } else if role == Role::Partner {
                    bail!("a partner key needs --partner NAME --provider KEY");
                }
                if let Some(scopes) = scopes {
                    let scopes: Scopes = scopes.parse().context("--scopes")?;
                    key = key.with_scopes(scopes);
                }
                if let Some(days) = expires_in_days {
                    key = key.expiring(chrono::Utc::now() + chrono::Duration::days(days.into()));
                }
                let created = store.keys().create(key).await?;
                let info = &created.info;
                eprintln!(
                    "created key {} ({}, scopes: {}{})",
                    info.id,
                    info.role.as_str(),
                    info.scopes,
                    info.expires_at
                        .map(|at| format!(", expires {}", at.format("%Y-%m-%d")))
                        .unwrap_or_default()
                );
                eprintln!("the secret below is shown once; only its hash is kept:");
                println!("{}", created.secret.expose());
            }
            KeysCommand::List => {
                println!("{:<10} {:<9} {:<8} {:<20} {:<10} {:<10} scopes", "id", "role", "partner", "label", "expires", "revoked");
                for key in store.keys().list().await? {
                    let day = |d: Option<chrono::DateTime<chrono::Utc>>| {
                        d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "-".into())
                    };
                    println!(
                        "{:<10} {:<9} {:<8} {:<20} {:<10} {:<10} {}",
                        key.id,
                        key.role.as_str(),
                        key.partner.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
                        key.label,
                        day(key.expires_at),
                        day(key.revoked_at),
                        key.scopes
                    );
                }
            }
            KeysCommand::Revoke { id } => {
                let key = store.keys().revoke(&id).await?;
                eprintln!("revoked key {} ({})", key.id, key.role.as_str());
            }
        }
        Ok(())
    })
}

fn parse_time(text: &str, what: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("{what}: `{text}` is neither RFC 3339 nor YYYY-MM-DD"))?;
    Ok(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

/// Run `simpul audit`.
pub fn audit(args: &AuditArgs, store: &StoreArgs) -> Result<()> {
    let filter = AuditFilter {
        key_id: args.key.clone(),
        field: args.field.clone(),
        since: args
            .since
            .as_deref()
            .map(|s| parse_time(s, "--since"))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|s| parse_time(s, "--until"))
            .transpose()?,
        limit: Some(args.limit),
    };
    runtime()?.block_on(async {
        let rows = open(store).await?.audit().list(filter).await?;
        if args.format == "json" {
            let rows: Vec<_> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "at": r.entry.at.to_rfc3339(), "key": r.entry.key_id,
                        "operation": r.entry.operation_name, "operationHash": r.entry.operation_hash,
                        "fields": r.entry.fields, "records": r.entry.record_count,
                        "requestId": r.entry.request_id,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
            return Ok(());
        }
        println!("{:<20} {:<10} {:>7}  {:<12}  fields", "at (UTC)", "key", "records", "operation");
        for row in rows {
            let e = &row.entry;
            println!(
                "{:<20} {:<10} {:>7}  {:<12}  {}",
                e.at.format("%Y-%m-%d %H:%M:%S"),
                e.key_id.as_deref().unwrap_or("-"),
                e.record_count,
                e.operation_name.as_deref().unwrap_or(&e.operation_hash[..12]),
                e.fields.join(" ")
            );
        }
        Ok(())
    })
}

/// Run `simpul queries …`.
pub fn queries(command: QueriesCommand, store: &StoreArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = open(store).await?;
        match command {
            QueriesCommand::Add { file } => {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                if let Err(e) = async_graphql::parser::parse_query(&text) {
                    bail!("{}: {e}", file.display());
                }
                if let Err(found) = crate::access::identifiers::check_text(&text) {
                    bail!("{}: not registered: {found}", file.display());
                }
                println!("{}", store.persisted_queries().put(&text).await?);
            }
            QueriesCommand::List => {
                for query in store.persisted_queries().list().await? {
                    let first = query
                        .query
                        .lines()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("");
                    println!("{}  {}", query.hash, first.trim());
                }
            }
        }
        Ok(())
    })
}
