//! The first checks: the library loads, its manifest says what it must, the config is valid
//! against the manifest's `configSchema`, and an instance can be created. Any of these
//! failing ends the run.

use std::collections::BTreeMap;

use serde_json::Value;
use simpul_plugin::host::{HostSettings, PluginLibrary};
use simpul_plugin::{Manifest, ENCODING_JSON};

use super::{name_of, Suite};
use crate::client::Client;
use crate::config::KIT_IDENTITY_SECRET;
use crate::logs::Capture;
use crate::{Check, Options, Report};

/// The largest answer the suite accepts: whole collections come in one answer when the
/// adapter does not page.
const MAX_PAYLOAD_BYTES: u64 = 512 << 20;

/// Load, check and create; the suite, or the report of why it cannot run.
pub(super) async fn start(options: Options) -> Result<Suite, Report> {
    let mut report = Report::new(options.library.display().to_string(), options.seed);
    let library = match PluginLibrary::open(&options.library) {
        Ok(library) => {
            let abi = library.abi_version();
            report.push(Check::pass(
                "load",
                format!("a Simpul plugin, ABI {}.{}", abi.major, abi.minor),
            ));
            library
        }
        Err(e) => {
            report.push(Check::fail("load", e.to_string()));
            return Err(report);
        }
    };
    let manifest = library.manifest().clone();
    report.adapter = Some(format!("{} {}", manifest.name, manifest.version));
    report.push(manifest_check(&manifest, library.manifest_warnings()));

    let mut config = options.config.clone();
    let injected = inject_identity_secret(&manifest, &mut config);
    match library.validate_config(&config) {
        Ok(()) => report.push(Check::pass(
            "config",
            format!(
                "valid against the manifest's configSchema{}",
                if injected {
                    " (identity_secret: the kit's test secret, as the gateway passes its own)"
                } else {
                    ""
                }
            ),
        )),
        Err(e) => {
            report.push(Check::fail("config", e.to_string()));
            return Err(report);
        }
    }

    let key = options
        .provider
        .clone()
        .unwrap_or_else(|| manifest.provider.key.clone());
    let provider = Capture::unique_provider(&key);
    let capture = Capture::open(&provider);
    let settings = HostSettings {
        max_payload_bytes: MAX_PAYLOAD_BYTES,
        ..HostSettings::default()
    };
    let instance = match library
        .create_with(&provider, config.clone(), settings)
        .await
    {
        Ok(instance) => {
            report.push(Check::pass("create", "an instance was created"));
            instance
        }
        Err(e) => {
            report.push(Check::fail("create", e.to_string()));
            return Err(report);
        }
    };
    let deadline = options.deadline;
    if let Some(check) =
        super::encodings::check(&library, &provider, config, settings, &instance, deadline).await
    {
        report.push(check);
    }
    Ok(Suite {
        options,
        client: Client::new(instance, deadline),
        manifest,
        report,
        capture,
        data: BTreeMap::new(),
        personal: BTreeMap::new(),
        status: None,
    })
}

/// Give the adapter the kit's identity secret when its config schema has `identity_secret`
/// and the config does not set it (what the gateway does with its own). Whether it did.
fn inject_identity_secret(manifest: &Manifest, config: &mut Value) -> bool {
    let declared = manifest
        .config_schema
        .pointer("/properties/identity_secret")
        .is_some();
    match config.as_object_mut() {
        Some(object) if declared && !object.contains_key("identity_secret") => {
            object.insert("identity_secret".into(), KIT_IDENTITY_SECRET.into());
            true
        }
        _ => false,
    }
}

/// What the manifest must say: a name, a semver version, a provider key fit for global ids,
/// `json` among the encodings, at least one collection, nothing this gateway ignores, and
/// aggregate views only over declared collections.
fn manifest_check(manifest: &Manifest, ignored: &[String]) -> Check {
    let mut problems = Vec::new();
    if manifest.name.trim().is_empty() || manifest.name.contains(char::is_whitespace) {
        problems.push(format!("name {:?} is empty or has spaces", manifest.name));
    }
    if !is_semver(&manifest.version) {
        problems.push(format!(
            "version {:?} is not semver (1.2.3)",
            manifest.version
        ));
    }
    let key = &manifest.provider.key;
    let key_ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && !matches!(key.as_str(), "ref" | "gw");
    if !key_ok {
        problems.push(format!(
            "provider key {key:?} must be lowercase letters, digits, _ or - (and not ref or gw): it namespaces global ids"
        ));
    }
    if manifest.provider.name.trim().is_empty() {
        problems.push("provider name is empty".into());
    }
    if manifest.provider.contract_version.trim().is_empty() {
        problems.push("provider contractVersion is empty".into());
    }
    if !manifest.encodings.iter().any(|e| e == ENCODING_JSON) {
        problems.push(format!("encodings {:?} lack \"json\"", manifest.encodings));
    }
    if manifest.capabilities.collections.is_empty() {
        problems.push("capabilities declare no collection".into());
    }
    for warning in ignored {
        problems.push(format!(
            "this gateway ignores part of the manifest: {warning}"
        ));
    }
    for view in &manifest.capabilities.aggregates {
        if !manifest
            .capabilities
            .collections
            .contains_key(&view.collection())
        {
            problems.push(format!(
                "aggregate view {view:?} summarises {}, which is not a declared collection",
                name_of(view.collection())
            ));
        }
    }
    for (collection, capabilities) in &manifest.capabilities.collections {
        let distinct: std::collections::HashSet<_> = capabilities.filter_operators.iter().collect();
        if distinct.len() != capabilities.filter_operators.len() {
            problems.push(format!("{} lists an operator twice", name_of(*collection)));
        }
    }
    if !manifest.config_schema.is_object() {
        problems.push("configSchema is not a JSON Schema object".into());
    }
    if problems.is_empty() {
        let collections: Vec<String> = manifest
            .capabilities
            .collections
            .keys()
            .map(|c| name_of(*c))
            .collect();
        Check::pass(
            "manifest",
            format!(
                "{} for provider `{key}`: {}; {} aggregate views",
                manifest.name,
                collections.join(", "),
                manifest.capabilities.aggregates.len()
            ),
        )
    } else {
        Check::fail("manifest", problems.join("; "))
    }
}

/// `MAJOR.MINOR.PATCH`, optionally `-pre` and `+build`.
fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_semver("0.1.0"));
        assert!(is_semver("1.0.0-rc.1+build.5"));
        assert!(!is_semver("1.0"));
        assert!(!is_semver("v1.0.0"));
    }
}
