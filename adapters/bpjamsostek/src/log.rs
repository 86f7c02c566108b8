//! Where the adapter's log lines go: the host's log when running as a plugin, nowhere when used
//! as a library. Callers only ever log endpoint templates, counts and codes, never a URL, a
//! KPJ, a NIK, a name or the key.

use simpul_plugin::sdk::Host;

/// A log sink that may be absent.
#[derive(Clone, Copy, Default)]
pub struct Log(Option<Host>);

impl Log {
    /// Log nothing.
    pub fn none() -> Self {
        Self(None)
    }

    /// Log to the plugin host.
    pub fn host(host: Host) -> Self {
        Self(Some(host))
    }

    /// A warning.
    pub fn warn(&self, message: &str) {
        if let Some(host) = &self.0 {
            host.warn(message);
        }
    }

    /// Information.
    pub fn info(&self, message: &str) {
        if let Some(host) = &self.0 {
            host.info(message);
        }
    }
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Log(host)"
        } else {
            "Log(none)"
        })
    }
}
