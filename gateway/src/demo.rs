//! The embedded default: when no config file is given and there is no `simpul.toml` in the
//! working directory, the gateway serves demo data for all three seed providers, with nothing
//! to set up:
//!
//! - **SPN**: the hand-written export in `gateway/demo/spn/` (compiled in), with the contract's
//!   quirks and one bad row, written to a folder and read by the SPN plugin;
//! - **BBPLK**: a small SQLite database made by the sample-data generator and read by the BBPLK
//!   plugin through sea-orm;
//! - **BPJAMSOSTEK**: the generator's data files served by the Vokasi API simulator, started
//!   in-process on a loopback port, and read by the BPJAMSOSTEK plugin over HTTP.
//!
//! The generator's BBPLK and BPJAMSOSTEK people overlap by NIK, so the demo shows the same
//! people at two providers. The plugins are found beside the `simpul` executable.

use std::path::{Path, PathBuf};

use simpul_bpjamsostek_simulator::{Simulator, SimulatorData};
use simpul_sample_data::{Plan, Progress, Provider};

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

/// People the generator makes for BBPLK and BPJAMSOSTEK (enough for several pages).
const DEMO_PEOPLE: u64 = 150;
/// The generator's seed: the demo is the same on every start.
const DEMO_SEED: u64 = 2025;
/// The identity secret of the demo only. Real deployments set their own (`[identity] secret`).
pub const DEMO_IDENTITY_SECRET: &str = "simpul-demo-identity-secret-not-for-production";

/// The demo configuration (TOML); `{…}` placeholders are filled in at start.
const DEMO_CONFIG: &str = r#"
[identity]
secret = "{secret}"

# The demo's people are fictitious: callers without a key may list them (personal fields
# stay masked), aggregate them and see the trace of adapter calls. A real deployment grants
# nothing without a key.
[access]
anonymous_scopes = "participant:read enrollment:read outcome:read identity:link aggregate:read trace"
# /readyz shows everyone each provider's library, counts and rejected rows.
public_readyz_detail = true

# A local playground (and the load benchmark's target): no rate limit unless one is set.
[rate_limit]
capacity = 0
failed_auth_per_minute = 0

[[providers]]
key = "spn"
library = "simpul_adapter_spn"
required = true
[providers.config]
data_dir = "{spn_dir}"

[[providers]]
key = "bbplk"
library = "simpul_adapter_bbplk"
required = true
[providers.config]
url = "{bbplk_url}"

[[providers]]
key = "bpjamsostek"
library = "simpul_adapter_bpjamsostek"
required = true
[providers.config]
base_url = "{bpjamsostek_url}"
api_key = "{bpjamsostek_key}"
"#;

/// Why the demo cannot start.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Writing the demo files failed.
    #[error("cannot write the demo data to {}: {source}", path.display())]
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The generator failed.
    #[error("cannot generate the demo data: {0}")]
    Generate(#[from] simpul_sample_data::GenerateError),
    /// The generated BPJAMSOSTEK files do not load into the simulator.
    #[error("cannot load the demo BPJAMSOSTEK data: {0}")]
    Simulator(String),
    /// The demo config does not parse (a bug).
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// The running demo: its config and the simulator it serves BPJAMSOSTEK from (stopped on drop).
pub struct Demo {
    /// The demo configuration.
    pub config: Config,
    /// The in-process BPJAMSOSTEK API simulator.
    pub simulator: Simulator,
}

/// Write and generate the demo data under `dir` (replacing what is there), start the simulator,
/// and return the demo config.
pub async fn start(
    dir: &Path,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Demo, DemoError> {
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DemoError::Write { path, source }
    };
    let spn_dir = dir.join("spn");
    std::fs::create_dir_all(&spn_dir).map_err(write_error(&spn_dir))?;
    for (name, contents) in SPN_FILES {
        let path = spn_dir.join(name);
        std::fs::write(&path, contents).map_err(write_error(&path))?;
    }

    let generated = dir.join("generated");
    if generated.exists() {
        std::fs::remove_dir_all(&generated).map_err(write_error(&generated))?;
    }
    let plan = Plan::new(DEMO_PEOPLE)
        .with_seed(DEMO_SEED)
        .with_overlap(0.2)
        .with_providers([Provider::Bbplk, Provider::Bpjamsostek]);
    simpul_sample_data::generate(&plan, &generated, Progress::hidden()).await?;

    let data = SimulatorData::load(generated.join("bpjamsostek"))
        .map_err(|e| DemoError::Simulator(e.to_string()))?;
    let key = data
        .api_keys()
        .iter()
        .find(|k| k.aktif && k.scopes.iter().any(|s| s == "pii:read"))
        .map(|k| k.api_key.clone())
        .ok_or_else(|| {
            DemoError::Simulator("no active key with pii:read in api_keys.json".into())
        })?;
    let simulator = Simulator::start(data)
        .await
        .map_err(|e| DemoError::Simulator(e.to_string()))?;

    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let text = DEMO_CONFIG
        .replace("{secret}", DEMO_IDENTITY_SECRET)
        .replace("{spn_dir}", &quote(&spn_dir.to_string_lossy()))
        .replace(
            "{bbplk_url}",
            &quote(&format!(
                "sqlite://{}?mode=ro",
                generated.join("bbplk/bbplk.sqlite").display()
            )),
        )
        .replace("{bpjamsostek_url}", simulator.base_url())
        .replace("{bpjamsostek_key}", &quote(&key));
    let config = Config::parse(&text, Path::new("<embedded default>"), dir, env)?;
    Ok(Demo { config, simulator })
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
