//! Starting a gateway from its configuration and serving it until told to stop: the one code
//! path behind `simpul serve` and the embedded gateway of `simpul query`.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};

use crate::config::Config;
use crate::engine::cursor::CursorKey;
use crate::engine::{Engine, EngineSettings};
use crate::host::PluginHost;
use crate::metrics::Metrics;
use crate::{demo, graphql, http};

/// The configuration to run: `path`, else `./simpul.toml`, else the embedded demo with its data
/// in `demo_dir` (the demo's simulator must keep running as long as the gateway does, so it is
/// returned too).
pub(super) async fn load_config(
    path: Option<&Path>,
    demo_dir: &Path,
) -> Result<(Config, Option<demo::Demo>)> {
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
    tracing::info!(
        "no config given and no ./simpul.toml: serving the embedded demo from {}",
        demo_dir.display()
    );
    let demo = demo::start(demo_dir, env)
        .await
        .context("cannot prepare the embedded demo")?;
    Ok((demo.config.clone(), Some(demo)))
}

/// A gateway whose plugins are loaded and whose schema is built, not yet listening.
pub(super) struct Server {
    engine: Arc<Engine>,
    state: http::AppState,
}

impl Server {
    /// Load every configured provider's plugin and build the schema and HTTP state.
    pub(super) async fn start(config: &Config) -> Result<Self> {
        let metrics = Arc::new(Metrics::default());
        let access = Arc::new(
            crate::access::Access::open(config)
                .await
                .context("cannot set up access control")?,
        );
        let host = PluginHost::start(config, Arc::clone(&metrics)).await?;
        let settings = EngineSettings {
            // Instances that share the identity secret accept each other's cursors.
            cursor_key: match &config.identity.secret {
                Some(secret) => CursorKey::derive(secret),
                None => CursorKey::random(),
            },
            max_relation_keys: config.limits.max_relation_keys,
        };
        let engine = Arc::new(Engine::new(host, settings));
        let schema = graphql::build(Arc::clone(&engine), config.limits.clone());
        let state = http::AppState {
            schema,
            engine: Arc::clone(&engine),
            request_timeout: Duration::from_millis(config.limits.request_timeout_ms),
            batch_window: Duration::from_millis(config.limits.batch_window_ms),
            metrics,
            access,
            max_aliases: config.limits.max_aliases,
            max_depth: config.limits.max_depth,
            max_body_bytes: config.limits.max_body_bytes,
        };
        Ok(Self { engine, state })
    }

    /// Serve HTTP on `listener` until `shutdown` completes, then shut the plugins down.
    pub(super) async fn run(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let Self { engine, state } = self;
        // Peer addresses for per-address rate limits (`http::client`).
        let app = http::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .context("the HTTP server failed")?;
        tracing::info!("shutting down");
        if let Ok(engine) = Arc::try_unwrap(engine) {
            engine.into_host().shutdown().await;
        }
        Ok(())
    }
}
