//! The `simpul` command line: one function per subcommand.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::engine::Engine;
use crate::host::PluginHost;
use crate::metrics::Metrics;
use crate::{demo, graphql, http};

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
    /// Work with plugin libraries.
    Plugins {
        /// What to do with plugins.
        #[command(subcommand)]
        command: PluginsCommand,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
}

/// `simpul plugins …`.
#[derive(Debug, Subcommand)]
pub enum PluginsCommand {
    /// Print a plugin's manifest, or exactly why it cannot be loaded.
    Inspect {
        /// The plugin library file.
        library: PathBuf,
    },
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { config, listen } => serve(config.as_deref(), listen),
        Command::Plugins {
            command: PluginsCommand::Inspect { library },
        } => inspect(&library),
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
    }
}

/// The configuration `serve` uses: `--config`, else `./simpul.toml`, else the embedded demo
/// (whose simulator must keep running, so it is returned too).
async fn load_config(path: Option<&Path>) -> Result<(Config, Option<demo::Demo>)> {
    let env = std::env::vars();
    let local = Path::new("simpul.toml");
    if let Some(path) = path {
        return Ok((
            Config::load(path, env).context("cannot use the config file")?,
            None,
        ));
    }
    if local.exists() {
        return Ok((
            Config::load(local, env).context("cannot use ./simpul.toml")?,
            None,
        ));
    }
    let dir = demo::default_dir();
    tracing::info!(
        "no config given and no ./simpul.toml: serving the embedded demo from {}",
        dir.display()
    );
    let demo = demo::start(&dir, env)
        .await
        .context("cannot prepare the embedded demo")?;
    Ok((demo.config.clone(), Some(demo)))
}

fn serve(config: Option<&Path>, listen: Option<SocketAddr>) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (mut config, _demo) = load_config(config).await?;
        if let Some(listen) = listen {
            config.listen = listen;
        }
        let metrics = Arc::new(Metrics::default());
        let host = PluginHost::start(&config, Arc::clone(&metrics)).await?;
        let engine = Arc::new(Engine::new(host));
        let schema = graphql::build(Arc::clone(&engine), config.limits.clone());
        let state = http::AppState {
            schema,
            engine: Arc::clone(&engine),
                        request_timeout: Duration::from_millis(config.limits.request_timeout_ms),
            batch_window: Duration::from_millis(config.limits.batch_window_ms),
            metrics,
        };
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let address = listener.local_addr()?;
        println!("Simpul is serving GraphQL at http://{address}/graphql (GraphiQL in a browser; /readyz for providers)");
        axum::serve(listener, http::router(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("the HTTP server failed")?;
        tracing::info!("shutting down");
        if let Ok(engine) = Arc::try_unwrap(engine) {
            engine.into_host().shutdown().await;
        }
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

fn inspect(library: &Path) -> Result<()> {
    let library = simpul_plugin::host::PluginLibrary::open(library)?;
    println!("{}", serde_json::to_string_pretty(library.manifest())?);
    Ok(())
}
