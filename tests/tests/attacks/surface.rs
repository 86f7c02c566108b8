//! Attack: learn about the deployment from what it tells anyone: `/readyz` (library paths,
//! rejected input rows, exact counts of personal collections) and error messages (library
//! paths, database engine messages). Without an admin key, `/readyz` must show states only, and
//! a failing provider's error must be generic while the log keeps the detail with the request
//! id.

use serde_json::{json, Value};

use crate::common::{locked_down, post};
use simpul_tests::Gateway;

/// `/readyz` with extra headers: status and JSON.
fn readyz(gateway: &Gateway, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut request = ureq::get(&format!("{}/readyz", gateway.base));
    for (k, v) in headers {
        request = request.set(k, v);
    }
    let response = match request.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
    )
}

const CENTRES: &str = "{ trainingCenters(first: 50) { nodes { name provider { key } } } }";

/// The error `provider` reported when the centres were asked for with this request id.
fn provider_error(gateway: &Gateway, request_id: &str, provider: &str) -> Value {
    let (status, body) = post(
        gateway,
        &[("x-request-id", request_id)],
        &json!({ "query": CENTRES }),
    );
    assert_eq!(status, 200, "{body}");
    body["errors"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["extensions"]["provider"] == provider))
        .unwrap_or_else(|| panic!("no {provider} error: {body}"))
        .clone()
}

#[test]
fn public_readyz_shows_states_only_and_admins_see_the_detail() {
    let missing = simpul_tests::scratch_dir("attack-surface-lib").join("libsimpul_gone.so");
    let missing = missing.to_str().unwrap().to_owned();
    let (gateway, keys) = locked_down(
        "attack-surface-readyz",
        &[
            ("SIMPUL__ACCESS__PUBLIC_READYZ_DETAIL", "false"),
            ("SIMPUL__PROVIDERS__2__LIBRARY", missing.as_str()),
            ("SIMPUL__PROVIDERS__2__REQUIRED", "false"),
        ],
    );
    // Wait for the sources' status (counts, rejected rows) so that there is detail to hide.
    let admin = format!("Bearer {}", keys.admin);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let detail = loop {
        let (_, detail) = readyz(&gateway, &[("authorization", admin.as_str())]);
        // Every provider that serves has answered its status request.
        let providers = detail["providers"].as_array().cloned().unwrap_or_default();
        let ready: Vec<_> = providers.iter().filter(|p| p["state"] == "ready").collect();
        if !ready.is_empty() && ready.iter().all(|p| p.get("recordCounts").is_some()) {
            break detail;
        }
        assert!(std::time::Instant::now() < deadline, "no status: {detail}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    // The admin sees everything.
    let text = detail.to_string();
    assert!(text.contains("libsimpul_gone.so"), "{detail}");
    assert!(text.contains("rejected"), "{detail}");
    assert!(text.contains("recordCounts"), "{detail}");

    let (status, public) = readyz(&gateway, &[]);
    assert_eq!(status, 200);
    assert_eq!(public["status"], "degraded", "{public}");
    let text = public.to_string();
    for secret in [
        "libsimpul",
        ".so",
        "/",
        "library",
        "reason",
        "rejected",
        "recordCounts",
        "participants",
        "peserta",
    ] {
        assert!(
            !text.contains(secret),
            "public /readyz shows `{secret}`: {public}"
        );
    }
    let providers = public["providers"].as_array().expect("providers");
    let states: Vec<(&str, &str)> = providers
        .iter()
        .map(|p| (p["key"].as_str().unwrap(), p["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            ("spn", "ready"),
            ("bbplk", "ready"),
            ("bpjamsostek", "failed"),
            ("fkblkk", "ready")
        ]
    );
    assert!(
        providers.iter().all(|p| p["breaker"].is_string()),
        "{public}"
    );
    // A bad key gets no detail either.
    let (_, forged) = readyz(&gateway, &[("authorization", "Bearer smp_nope_nope")]);
    assert!(!forged.to_string().contains("library"), "{forged}");
}

#[test]
fn a_failing_provider_tells_callers_nothing_about_paths_and_the_log_keeps_the_detail() {
    let missing = simpul_tests::scratch_dir("attack-surface-paths").join("libsimpul_gone.so");
    let missing = missing.to_str().unwrap().to_owned();
    let (gateway, _) = locked_down(
        "attack-surface-paths-gw",
        &[
            ("SIMPUL__PROVIDERS__2__LIBRARY", missing.as_str()),
            ("SIMPUL__PROVIDERS__2__REQUIRED", "false"),
        ],
    );
    let request_id = "surface-attack-1";
    let error = provider_error(&gateway, request_id, "bpjamsostek");
    assert_eq!(
        error["extensions"]["code"], "PROVIDER_UNAVAILABLE",
        "{error}"
    );
    let message = error["message"].as_str().unwrap();
    assert!(
        !message.contains(&missing) && !message.contains(".so") && !message.contains('/'),
        "the caller sees a library path: {message}"
    );
    assert!(
        message.contains("bpjamsostek") && message.contains(request_id),
        "the message names the provider and the request id: {message}"
    );
    // The log has the detail with the request id (the line may come after the response).
    gateway.wait_for_log_line(&format!("with the library path under {request_id}"), |l| {
        l.contains(request_id) && l.contains("libsimpul_gone.so")
    });
}

#[test]
fn a_database_engine_message_stays_in_the_log() {
    // BBPLK's database is a file that is not SQLite: the engine says so, the caller must not hear it.
    let dir = simpul_tests::scratch_dir("attack-surface-engine");
    let file = dir.join("bbplk.sqlite");
    std::fs::write(&file, vec![0x5a_u8; 64 * 1024]).unwrap();
    let url = format!("sqlite://{}?mode=ro", file.display());
    let (gateway, _) = locked_down(
        "attack-surface-engine-gw",
        &[
            ("SIMPUL__PROVIDERS__1__CONFIG__URL", url.as_str()),
            ("SIMPUL__PROVIDERS__1__REQUIRED", "false"),
        ],
    );
    let request_id = "surface-attack-2";
    let error = provider_error(&gateway, request_id, "bbplk");
    let message = error["message"].as_str().unwrap().to_lowercase();
    for leak in ["database", "sqlite", "bbplk.sqlite", "/", "file is not"] {
        assert!(
            !message.contains(leak),
            "the caller sees `{leak}`: {message}"
        );
    }
    // The log has the engine's message with the request id (the line may come after the
    // response).
    gateway.wait_for_log_line(
        &format!("with the engine's message under {request_id}"),
        |l| l.contains(request_id) && l.contains("not a database"),
    );
}
