//! Starting a gateway from its configuration and serving it until told to stop: the one code
//! path behind `simpul serve` and the embedded gateway of `simpul query`.
//!
//! Stopping is bounded: once told to stop, the server accepts no more connections and gives
//! the requests in flight `[server] shutdown_grace_ms` to finish; then it returns anyway,
//! logging how many it cut off.

use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use crate::config::Config;
use crate::engine::cursor::CursorKey;
use crate::engine::{Engine, EngineSettings};
use crate::host::{ConfigSource, PluginHost};
use crate::metrics::Metrics;
use crate::{demo, graphql, http};

/// The configuration to run: `path`, else `./simpul.toml`, else the embedded demo with its data
/// in `demo_dir` (the demo's simulator must keep running as long as the gateway does, so it is
/// returned too). Also where a plugin reload reads it again.
pub(super) async fn load_config(
    path: Option<&Path>,
    demo_dir: &Path,
) -> Result<(Config, ConfigSource, Option<demo::Demo>)> {
    let env = std::env::vars();
    let local = Path::new("simpul.toml");
    if let Some(path) = path {
        return Ok((
            Config::load(path, env).context("cannot use the config file")?,
            ConfigSource::File(path.to_owned()),
            None,
        ));
    }
    if local.exists() {
        return Ok((
            Config::load(local, env).context("cannot use ./simpul.toml")?,
            ConfigSource::File(local.to_owned()),
            None,
        ));
    }
    let demo = demo::start(demo_dir, env)
        .await
        .context("no config given and no ./simpul.toml; cannot prepare the embedded demo")?;
    tracing::info!(
        "no config given and no ./simpul.toml: serving the embedded demo from {}",
        demo_dir.display()
    );
    let source = ConfigSource::Fixed(Box::new(demo.config.clone()));
    Ok((demo.config.clone(), source, Some(demo)))
}

/// A gateway whose plugins are loaded and whose schema is built, not yet listening.
pub(super) struct Server {
    engine: Arc<Engine>,
    state: http::AppState,
    /// How long requests in flight may take to finish once told to stop.
    shutdown_grace: Duration,
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
            shared_cache: crate::engine::shared_cache::SharedCache::start(
                config,
                &host,
                Arc::clone(&metrics),
            )
            .await?,
        };
        let engine = Engine::new(host, settings).shared();
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
            config_source: Arc::new(ConfigSource::Fixed(Box::new(config.clone()))),
        };
        Ok(Self {
            engine,
            state,
            shutdown_grace: Duration::from_millis(config.server.shutdown_grace_ms),
        })
    }

    /// Read the config from `source` when a plugin is reloaded (the default: the config the
    /// gateway started with).
    pub(super) fn reloads_from(mut self, source: ConfigSource) -> Self {
        self.state.config_source = Arc::new(source);
        self
    }

    /// On each SIGHUP, read the config again and swap in a new generation of every provider
    /// whose library file or config table changed ([`PluginHost::reload_changed`]); a config
    /// with problems changes nothing. The handler is in place when this returns.
    #[cfg(unix)]
    pub(super) fn reload_on_hangup(&self) -> Result<()> {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangups = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
        // Weak: the engine is shut down when serving ends, with this task still waiting.
        let engine = Arc::downgrade(&self.engine);
        let source = Arc::clone(&self.state.config_source);
        tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                let Some(engine) = engine.upgrade() else {
                    return;
                };
                tracing::info!("SIGHUP received: reading the config again");
                let config = match source.load() {
                    Ok(config) => config,
                    Err(e) => {
                        tracing::error!(
                            "SIGHUP: the config has problems, nothing was reloaded: {e}"
                        );
                        continue;
                    }
                };
                let swaps = engine.host().reload_changed(&config).await;
                if swaps.is_empty() {
                    tracing::info!("SIGHUP: no provider's library or config changed");
                }
                for (provider, outcome) in swaps {
                    if let Err(e) = outcome {
                        tracing::error!(provider = %provider, "SIGHUP: {e}");
                    }
                }
            }
        });
        Ok(())
    }

    /// Serve HTTP on `listener` until `shutdown` completes, let the requests in flight finish
    /// (for at most the shutdown grace), then shut the plugins down. When the grace runs out,
    /// returns at once, leaving the cut-off requests and the plugins to the process's exit.
    pub(super) async fn run(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let Self {
            engine,
            state,
            shutdown_grace,
        } = self;
        let in_flight = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&in_flight);
        // Peer addresses for per-address rate limits (`http::client`).
        let app = http::router(state)
            .layer(axum::middleware::from_fn(
                move |request: axum::extract::Request, next: axum::middleware::Next| {
                    let guard = InFlight::enter(&counter);
                    async move {
                        let response = next.run(request).await;
                        drop(guard);
                        response
                    }
                },
            ))
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        let (draining, mut drain_started) = tokio::sync::watch::channel(None::<Instant>);
        let waiting = Arc::clone(&in_flight);
        let signal = async move {
            shutdown.await;
            tracing::info!(
                in_flight = waiting.load(Ordering::SeqCst),
                grace_ms = shutdown_grace.as_millis() as u64,
                "draining: accepting no new connections, waiting for the requests in flight"
            );
            let _ = draining.send(Some(Instant::now()));
        };
        let served = axum::serve(listener, app).with_graceful_shutdown(signal);
        let mut served = std::pin::pin!(std::future::IntoFuture::into_future(served));
        let grace_over = async {
            if drain_started.wait_for(Option::is_some).await.is_ok() {
                tokio::time::sleep(shutdown_grace).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            result = &mut served => {
                result.context("the HTTP server failed")?;
                let started = *drain_started.borrow();
                if let Some(started) = started {
                    tracing::info!(
                        took_ms = started.elapsed().as_millis() as u64,
                        "drained: every request in flight finished"
                    );
                }
            }
            () = grace_over => {
                tracing::warn!(
                    cut_off = in_flight.load(Ordering::SeqCst),
                    grace_ms = shutdown_grace.as_millis() as u64,
                    "shutdown grace ran out: {} request(s) cut off",
                    in_flight.load(Ordering::SeqCst)
                );
                return Ok(());
            }
        }
        tracing::info!("shutting down");
        if let Ok(engine) = Arc::try_unwrap(engine) {
            engine.into_host().shutdown().await;
        }
        Ok(())
    }
}

/// One request in flight, counted while it lives.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Self(Arc::clone(counter))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
