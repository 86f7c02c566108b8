//! The embedded default: when no config file is given and there is no `simpul.toml` in the
//! working directory, the gateway serves the demo data compiled into the binary.
//!
//! The demo's SPN spreadsheets (`gateway/demo/spn/`) are written to a folder under the system
//! temp directory at start-up and the SPN plugin, found beside the executable, reads them.

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};

/// The demo's SPN export: (file name, contents).
const SPN_FILES: &[(&str, &[u8])] = &[
    (
        "pusat_pelatihan.csv",
        include_bytes!("../demo/spn/pusat_pelatihan.csv"),
    ),
    ("pelatihan.csv", include_bytes!("../demo/spn/pelatihan.csv")),
    ("peserta.csv", include_bytes!("../demo/spn/peserta.csv")),
    ("hasil.csv", include_bytes!("../demo/spn/hasil.csv")),
    ("kerjasama.csv", include_bytes!("../demo/spn/kerjasama.csv")),
];

/// The demo configuration (TOML); `{spn_dir}` is replaced with the materialised folder.
const DEMO_CONFIG: &str = r#"
[[providers]]
key = "spn"
library = "simpul_adapter_spn"
required = true
[providers.config]
data_dir = "{spn_dir}"
"#;

/// Write the demo data to `dir` (replacing what is there) and return the demo config.
pub fn materialise(
    dir: &Path,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigError> {
    let spn_dir = dir.join("spn");
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&spn_dir)?;
        for (name, contents) in SPN_FILES {
            std::fs::write(spn_dir.join(name), contents)?;
        }
        Ok(())
    };
    write().map_err(|source| ConfigError::Read {
        path: spn_dir.clone(),
        source,
    })?;
    let escaped = spn_dir
        .to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let text = DEMO_CONFIG.replace("{spn_dir}", &escaped);
    Config::parse(&text, Path::new("<embedded default>"), dir, env)
}

/// Where the demo data goes: `$SIMPUL_DEMO_DIR`, else a per-user folder under the temp
/// directory.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SIMPUL_DEMO_DIR") {
        return PathBuf::from(dir);
    }
    let user = std::env::var("USER").unwrap_or_else(|_| "simpul".into());
    std::env::temp_dir().join(format!("simpul-demo-{user}-{}", env!("CARGO_PKG_VERSION")))
}
