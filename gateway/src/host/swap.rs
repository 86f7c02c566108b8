//! Replacing a provider's plugin while the gateway serves: a new library version, a new
//! config, or the same ones re-read (a provider whose files changed).
//!
//! ```text
//! simpul plugins reload spn      POST /admin/providers/spn/reload      kill -HUP <pid>
//!            └───────────────┬──────────────┘                                │
//!                  PluginHost::reload(key)                        PluginHost::reload_changed
//!                  (always makes a new generation)                (only providers whose library
//!                                                                  file or config changed)
//! ```
//!
//! A reload loads the library and creates the new instance beside the running one; only when
//! it is ready does it become the provider's current generation. New calls then go to it;
//! calls already in flight finish on the old one, which is destroyed once the last of them
//! has returned (its library stays loaded: libraries are never unloaded). A new generation
//! that cannot serve is not swapped in: the old one keeps serving and the reload fails with
//! the reason. Reloads of one provider run one at a time.
//!
//! The call policy (deadline, concurrency bound, retries, breaker, pushdown, recording) is the
//! provider's, not the plugin's: a changed policy is reported as needing a restart.

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use super::generation::Generation;
use super::{PluginHost, Provider, ProviderState};
use crate::config::{resolve_library, Config, ProviderConfig};

/// What a reload did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Swap {
    /// The provider's key.
    pub provider: String,
    /// The generation that served before.
    pub from: GenerationSummary,
    /// The generation that serves now.
    pub to: GenerationSummary,
    /// How long loading and creating the new generation took.
    pub took_ms: u64,
    /// Settings of the provider's table that changed but take effect only on a restart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restart_needed: Vec<&'static str>,
}

/// One generation, as a reload reports it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationSummary {
    /// 1 at start, one more per reload.
    pub generation: u64,
    /// The library file.
    pub library: String,
    /// The plugin's version (empty if its manifest was never read).
    pub version: String,
}

impl From<&Generation> for GenerationSummary {
    fn from(g: &Generation) -> Self {
        Self {
            generation: g.number,
            library: g.library.clone(),
            version: g
                .manifest
                .as_ref()
                .map(|m| m.version.clone())
                .unwrap_or_default(),
        }
    }
}

/// Why a reload did not swap.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// No provider has this key.
    #[error("no provider `{0}` is configured")]
    UnknownProvider(String),
    /// The config no longer has the provider's table.
    #[error("the config no longer has a table for provider `{0}`; adding or removing providers takes a restart")]
    NotConfigured(String),
    /// The new generation cannot serve; the old one still does.
    #[error("provider `{provider}` was not swapped, the running plugin still serves: {reason}")]
    CannotServe {
        /// The provider's key.
        provider: String,
        /// Why the new one cannot serve.
        reason: String,
    },
}

impl PluginHost {
    /// Make a new generation of provider `key` from its table in `config`, and swap it in
    /// when it is ready. Always reloads, even when nothing changed (the adapter then reads its
    /// source afresh).
    pub async fn reload(&self, key: &str, config: &Config) -> Result<Swap, ReloadError> {
        let provider = self
            .get(key)
            .ok_or_else(|| ReloadError::UnknownProvider(key.to_owned()))?;
        let entry = self
            .entry_for(key, config)
            .ok_or_else(|| ReloadError::NotConfigured(key.to_owned()))?;
        self.swap(provider, entry).await
    }

    /// Reload each provider whose library file or config table differs from what its current
    /// generation was made from (what SIGHUP does). Returns what happened to each provider it
    /// reloaded; the others are left alone.
    pub async fn reload_changed(
        &self,
        config: &Config,
    ) -> Vec<(String, Result<Swap, ReloadError>)> {
        let mut done = Vec::new();
        for provider in &self.providers {
            let Some(entry) = self.entry_for(&provider.key, config) else {
                done.push((
                    provider.key.clone(),
                    Err(ReloadError::NotConfigured(provider.key.clone())),
                ));
                continue;
            };
            let current = provider.current();
            let failed = matches!(current.state, ProviderState::Failed(_));
            let moved = current.library != resolve_library(&entry.library).display().to_string();
            let changed = Generation::fingerprint_of(
                entry,
                current.manifest.as_ref(),
                self.identity_secret.as_deref(),
            ) != current.fingerprint;
            if failed || moved || changed {
                done.push((provider.key.clone(), self.swap(provider, entry).await));
            }
        }
        done
    }

    /// The table in `config` for provider `key`: the one naming it, else the keyless table at
    /// its position.
    fn entry_for<'c>(&self, key: &str, config: &'c Config) -> Option<&'c ProviderConfig> {
        config
            .providers
            .iter()
            .find(|e| e.key.as_deref() == Some(key))
            .or_else(|| {
                let index = self.providers.iter().position(|p| p.key == key)?;
                config.providers.get(index).filter(|e| e.key.is_none())
            })
    }

    async fn swap(&self, provider: &Provider, entry: &ProviderConfig) -> Result<Swap, ReloadError> {
        let _one_at_a_time = provider.reloading.lock().await;
        let started = Instant::now();
        let old = provider.current();
        let (_, generation) = Generation::load(
            old.number + 1,
            Some(&provider.key),
            entry,
            self.identity_secret.as_deref(),
        )
        .await;
        if let ProviderState::Failed(reason) = &generation.state {
            tracing::warn!(provider = %provider.key, "reload failed, the running plugin still serves: {reason}");
            return Err(ReloadError::CannotServe {
                provider: provider.key.clone(),
                reason: reason.clone(),
            });
        }
        let new = Arc::new(generation);
        *provider.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::clone(&new);
        let swap = Swap {
            provider: provider.key.clone(),
            from: GenerationSummary::from(&*old),
            to: GenerationSummary::from(&*new),
            took_ms: started.elapsed().as_millis() as u64,
            restart_needed: provider.restart_needed(entry),
        };
        tracing::info!(
            provider = %provider.key,
            from = swap.from.generation,
            to = swap.to.generation,
            version = %swap.to.version,
            took_ms = swap.took_ms,
            "plugin swapped: new calls go to the new generation; calls in flight finish on the old one"
        );
        if !swap.restart_needed.is_empty() {
            tracing::warn!(provider = %provider.key, settings = ?swap.restart_needed, "changed settings take effect only on a restart");
        }
        Ok(swap)
    }
}

impl Provider {
    /// The policy settings in `entry` that differ from the ones this provider runs with.
    fn restart_needed(&self, entry: &ProviderConfig) -> Vec<&'static str> {
        let was = &self.configured;
        let mut changed = Vec::new();
        let mut check = |name, differs: bool| {
            if differs {
                changed.push(name);
            }
        };
        check("required", was.required != entry.required);
        check("timeout_ms", was.timeout_ms != entry.timeout_ms);
        check(
            "max_concurrency",
            was.max_concurrency != entry.max_concurrency,
        );
        check(
            "retry",
            format!("{:?}", was.retry) != format!("{:?}", entry.retry),
        );
        check(
            "breaker",
            format!("{:?}", was.breaker) != format!("{:?}", entry.breaker),
        );
        check("pushdown", was.pushdown != entry.pushdown);
        check(
            "aggregate_pushdown",
            was.aggregate_pushdown != entry.aggregate_pushdown,
        );
        check("record", was.record != entry.record);
        changed
    }
}

/// Where a reload reads the config: the file the gateway was started from (read again, with
/// the same `SIMPUL__*` overrides), or, for a gateway started without one (the embedded
/// demo), the config it started with.
#[derive(Debug, Clone)]
pub enum ConfigSource {
    /// Read this file again.
    File(std::path::PathBuf),
    /// No file: the config the gateway started with.
    Fixed(Box<Config>),
}

impl ConfigSource {
    /// The config as it is now.
    pub fn load(&self) -> Result<Config, crate::config::ConfigError> {
        match self {
            ConfigSource::File(path) => Config::load(path, std::env::vars()),
            ConfigSource::Fixed(config) => Ok((**config).clone()),
        }
    }
}
