//! The `simpul` command line: one function per subcommand.
//!
//! - `simpul serve`: serve GraphQL over HTTP ([`server`] starts the gateway) until SIGTERM or
//!   Ctrl-C, then drain the requests in flight within `[server] shutdown_grace_ms`;
//! - `simpul config check`: list every problem in a config file ([`config_check`]);
//! - `simpul query`: run a query file and print the answer as a table, CSV or JSON ([`query`]);
//! - `simpul keys`, `simpul audit`, `simpul queries`: API keys, the audit log of personal
//!   data, persisted queries ([`admin`]);
//! - `simpul plugins inspect`: a plugin's manifest, or why it cannot be loaded; `simpul plugins
//!   reload`: swap a running gateway's plugin without a restart ([`crate::host::PluginHost::reload`]);
//! - `simpul adapter new`, `simpul adapter test`, `simpul adapter replay`, `simpul adapter
//!   bench`: the adapter author's kit, a new adapter crate, the conformance suite, recorded
//!   calls against a new build, timings ([`adapter`]);
//! - `simpul schema`: the GraphQL schema (SDL).

pub mod adapter;
pub mod admin;
pub mod config_check;
pub mod query;
mod server;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};

use self::server::{load_config, Server};
use crate::{demo, graphql};

/// Simpul: one GraphQL graph over Indonesia's vocational-training providers.
#[derive(Debug, Parser)]
#[command(name = "simpul", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve GraphQL over HTTP.
    Serve {
        /// Config file (TOML). Default: ./simpul.toml if present, else the embedded demo.
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Address to listen on; overrides the config. Default 127.0.0.1:4000.
        #[arg(long, short)]
        listen: Option<SocketAddr>,
    },
    /// Run a GraphQL query file and print the result as a table, CSV or JSON.
    #[command(
        long_about = query::LONG_ABOUT,
        after_long_help = query::EXAMPLES,
    )]
    Query(query::QueryArgs),
    /// Issue, list and revoke API keys.
    Keys {
        /// What to do with keys.
        #[command(subcommand)]
        command: admin::KeysCommand,
        /// Which store.
        #[command(flatten)]
        store: admin::StoreArgs,
    },
    /// Who read which personal data (newest first).
    Audit {
        /// Filters.
        #[command(flatten)]
        args: admin::AuditArgs,
        /// Which store.
        #[command(flatten)]
        store: admin::StoreArgs,
    },
    /// Register and list persisted queries.
    Queries {
        /// What to do with persisted queries.
        #[command(subcommand)]
        command: admin::QueriesCommand,
        /// Which store.
        #[command(flatten)]
        store: admin::StoreArgs,
    },
    /// Work with plugin libraries.
    Plugins {
        /// What to do with plugins.
        #[command(subcommand)]
        command: PluginsCommand,
    },
    /// The adapter author's kit: write an adapter crate (`new`), check an adapter library
    /// (`test`), replay a gateway's recorded calls against it (`replay`), time it (`bench`).
    Adapter {
        /// What to do with the adapter.
        #[command(subcommand)]
        command: adapter::AdapterCommand,
    },
    /// Check a config file without serving it.
    Config {
        /// What to do with the config file.
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
}

/// `simpul config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// List every problem in a config file (unknown keys, wrong types, missing or non-plugin
    /// libraries, provider configs that do not fit their plugin's schema, duplicate provider
    /// keys), each with its line and provider; exit 1 if there is any. Plugins are loaded to
    /// read their schema, never started; nothing is served and no store is opened.
    Check {
        /// The config file (TOML), as `simpul serve --config` takes it.
        file: PathBuf,
    },
}

/// `simpul plugins …`.
#[derive(Debug, Subcommand)]
pub enum PluginsCommand {
    /// Print a plugin's manifest, or exactly why it cannot be loaded.
    Inspect {
        /// The plugin library file.
        library: PathBuf,
    },
    /// Swap a running gateway's plugin for a provider without a restart: a new generation is
    /// made from the config file as it is now (a new library version, a new config, or the
    /// same ones with the source read afresh); new calls go to it, calls in flight finish on
    /// the old one. Needs an admin key.
    Reload {
        /// The provider's key (`spn`).
        provider: String,
        /// The gateway's address.
        #[arg(long, default_value = "http://127.0.0.1:4000")]
        url: String,
        /// An admin key.
        #[arg(long, env = "SIMPUL_API_KEY", hide_env_values = true)]
        key: String,
    },
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { config, listen } => serve(config.as_deref(), listen),
        Command::Query(args) => {
            if query::run(&args)? == query::Outcome::Partial {
                // `main` exits 1 on an error; data that came with errors exits 2, after the
                // output has been written and the embedded gateway stopped.
                std::process::exit(2);
            }
            Ok(())
        }
        Command::Keys { command, store } => admin::keys(command, &store),
        Command::Audit { args, store } => admin::audit(&args, &store),
        Command::Queries { command, store } => admin::queries(command, &store),
        Command::Plugins {
            command: PluginsCommand::Inspect { library },
        } => inspect(&library),
        Command::Plugins {
            command: PluginsCommand::Reload { provider, url, key },
        } => reload(&provider, &url, &key),
        Command::Adapter { command } => adapter::run(command),
        Command::Config {
            command: ConfigCommand::Check { file },
        } => config_check::run(&file),
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
    }
}

fn serve(config: Option<&Path>, listen: Option<SocketAddr>) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (mut config, source, _demo) = load_config(config, &demo::default_dir()).await?;
        if let Some(listen) = listen {
            config.listen = listen;
        }
        let server = Server::start(&config).await?.reloads_from(source);
        #[cfg(unix)]
        server.reload_on_hangup()?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let address = listener.local_addr()?;
        // Listen for the signals before saying we serve: one sent right after must drain too.
        let signal = shutdown_signal()?;
        println!("Simpul is serving GraphQL at http://{address}/graphql (GraphiQL in a browser; /readyz for providers)");
        server.run(listener, signal).await
    })?;
    // Requests cut off at the end of the grace may still hold the runtime's threads: do not
    // wait for them.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    tracing::info!("stopped");
    Ok(())
}

/// Completes on the first SIGTERM or SIGINT (Ctrl-C), logging which. The handlers are in place
/// when this returns.
#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    Ok(async move {
        let name = tokio::select! {
            _ = terminate.recv() => "SIGTERM",
            _ = interrupt.recv() => "SIGINT",
        };
        tracing::info!("{name} received: shutting down");
    })
}

/// Completes on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("Ctrl-C received: shutting down");
    })
}

/// Ask the gateway at `url` to reload `provider` (`POST /admin/providers/{key}/reload`) and
/// print what it swapped.
fn reload(provider: &str, url: &str, key: &str) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let endpoint = format!(
        "{}/admin/providers/{provider}/reload",
        url.trim_end_matches('/')
    );
    let (status, body) = runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(&endpoint)
            .bearer_auth(key)
            .send()
            .await
            .with_context(|| format!("cannot reach the gateway at {url}"))?;
        let status = response.status();
        let body: serde_json::Value = response
            .json()
            .await
            .with_context(|| format!("{endpoint} answered {status} with no JSON"))?;
        anyhow::Ok((status, body))
    })?;
    if !status.is_success() {
        let message = body["error"]["message"]
            .as_str()
            .unwrap_or("no reason given");
        anyhow::bail!("{provider} was not reloaded ({status}): {message}");
    }
    println!(
        "{provider}: generation {} ({} {}) -> generation {} ({} {}) in {} ms",
        body["from"]["generation"],
        body["from"]["library"].as_str().unwrap_or_default(),
        body["from"]["version"].as_str().unwrap_or_default(),
        body["to"]["generation"],
        body["to"]["library"].as_str().unwrap_or_default(),
        body["to"]["version"].as_str().unwrap_or_default(),
        body["tookMs"],
    );
    if let Some(settings) = body["restartNeeded"].as_array() {
        let names: Vec<_> = settings.iter().filter_map(|s| s.as_str()).collect();
        eprintln!(
            "warning: changed settings take effect only on a restart: {}",
            names.join(", ")
        );
    }
    Ok(())
}

fn inspect(library: &Path) -> Result<()> {
    let library = simpul_plugin::host::PluginLibrary::open(library)?;
    let abi = library.abi_version();
    eprintln!(
        "{}: a Simpul plugin, ABI {}.{} (this gateway: {}.{})",
        library.path().display(),
        abi.major,
        abi.minor,
        simpul_plugin::abi::ABI_MAJOR,
        simpul_plugin::abi::ABI_MINOR
    );
    for warning in library.manifest_warnings() {
        eprintln!("warning: manifest: {warning}");
    }
    println!("{}", serde_json::to_string_pretty(library.manifest())?);
    Ok(())
}
