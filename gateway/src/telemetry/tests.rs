//! Unit tests of the configuration, the layer (against a subscriber of its own, the queue
//! read directly) and the encoding.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tracing_subscriber::prelude::*;

use super::export::{encode, resource};
use super::layer::{new_span_id, new_trace_id, parse_traceparent, recording_into, FinishedSpan};
use super::{read_section, Message, Queue, Settings, TelemetryConfig};

fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn off_unless_an_endpoint_is_named() {
    let none = TelemetryConfig::default();
    assert_eq!(Settings::resolve(&none, env(&[])), Ok(None));
    assert_eq!(
        Settings::resolve(&none, env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", " ")])),
        Ok(None)
    );
    let on = Settings::resolve(
        &none,
        env(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ]),
    )
    .unwrap()
    .unwrap();
    assert_eq!(on.traces_url, "http://collector:4318/v1/traces");
    assert_eq!(on.service_name, "simpul");
    assert_eq!(on.schedule_delay, Duration::from_millis(100));
    assert_eq!((on.max_queue, on.max_batch), (2048, 512));
    assert_eq!(on.timeout, Duration::from_secs(10));
    assert_eq!(
        Settings::resolve(
            &none,
            env(&[
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
                ("OTEL_SDK_DISABLED", "true"),
            ])
        ),
        Ok(None)
    );
    assert!(
        Settings::resolve(&none, env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "collector")]))
            .unwrap_err()
            .contains("OTEL_EXPORTER_OTLP_ENDPOINT")
    );
}

#[test]
fn the_file_wins_over_the_environment() {
    let file = TelemetryConfig {
        otlp_endpoint: Some("https://otel.internal:4318".into()),
        service_name: Some("simpul-eu".into()),
    };
    let settings = Settings::resolve(
        &file,
        env(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4318"),
            ("OTEL_SERVICE_NAME", "other"),
        ]),
    )
    .unwrap()
    .unwrap();
    assert_eq!(settings.traces_url, "https://otel.internal:4318/v1/traces");
    assert_eq!(settings.service_name, "simpul-eu");
    let traces_only = Settings::resolve(
        &TelemetryConfig::default(),
        env(&[
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/custom"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4318"),
            ("OTEL_SERVICE_NAME", "other"),
        ]),
    )
    .unwrap()
    .unwrap();
    assert_eq!(traces_only.traces_url, "http://c:4318/custom");
    assert_eq!(traces_only.service_name, "other");
}

#[test]
fn the_config_section_checks_its_url() {
    let parse = |text: &str| {
        crate::config::Config::parse(
            text,
            Path::new("simpul.toml"),
            Path::new("."),
            Vec::<(String, String)>::new(),
        )
    };
    assert!(parse("[telemetry]\notlp_endpoint = \"http://127.0.0.1:4318\"\n").is_ok());
    let err = parse("[telemetry]\notlp_endpoint = \"127.0.0.1:4318\"\n").unwrap_err();
    assert!(err.to_string().contains("telemetry.otlp_endpoint"), "{err}");
    assert!(err.to_string().contains("not an http://"), "{err}");
    let err = parse("[telemetry]\nendpoint = \"http://x\"\n").unwrap_err();
    assert!(
        err.to_string().contains("unknown field `endpoint`"),
        "{err}"
    );
}

#[test]
fn the_section_is_read_from_the_file() {
    let dir = std::env::temp_dir().join(format!("simpul-telemetry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("simpul.toml");
    std::fs::write(
        &file,
        "listen = \"0.0.0.0:4000\"\n[telemetry]\notlp_endpoint = \"http://c:4318\"\n",
    )
    .unwrap();
    let section = read_section(&file).unwrap();
    assert_eq!(section.otlp_endpoint.as_deref(), Some("http://c:4318"));
    assert_eq!(section.service_name, None);
    std::fs::write(&file, "listen = \"0.0.0.0:4000\"\n").unwrap();
    assert!(read_section(&file).is_none());
    assert!(read_section(&dir.join("missing.toml")).is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn traceparent() {
    assert_eq!(
        parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        Some((0x4bf92f3577b34da6a3ce929d0e0e4736, 0x00f067aa0ba902b7))
    );
    for bad in [
        "",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
    ] {
        assert_eq!(parse_traceparent(bad), None, "{bad}");
    }
}

#[test]
fn ids_are_hex_of_the_right_length_and_distinct() {
    let ids: std::collections::HashSet<u64> = (0..10_000).map(|_| new_span_id()).collect();
    assert_eq!(ids.len(), 10_000);
    assert_eq!(format!("{:032x}", new_trace_id()).len(), 32);
    let resource = resource("simpul");
    let uuid = resource["attributes"][2]["value"]["stringValue"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(uuid.len(), 36, "{uuid}");
    assert_eq!(&uuid[14..15], "4", "{uuid}");
}

/// The layer against a subscriber of its own, the queue read directly.
fn recorded(work: impl FnOnce()) -> (Vec<FinishedSpan>, u64) {
    let (sender, receiver) = mpsc::sync_channel(4);
    let queue = Arc::new(Queue {
        sender,
        dropped: AtomicU64::new(0),
    });
    let layer = recording_into(Arc::clone(&queue));
    let subscriber = tracing_subscriber::registry().with(layer);
    tracing::subscriber::with_default(subscriber, work);
    let spans = receiver
        .try_iter()
        .filter_map(|m| match m {
            Message::Span(s) => Some(*s),
            Message::Flush => None,
        })
        .collect();
    (spans, queue.dropped.load(Ordering::Relaxed))
}

#[test]
fn the_request_and_its_adapter_calls_share_a_trace() {
    // This test module's paths are not the gateway's: the spans name the gateway's targets.
    let (spans, dropped) = recorded(|| {
        tracing::info_span!(target: "simpul_gateway::http::request_id", "request", id = %"r-1", variables = "3602134507900001")
            .in_scope(|| {
                tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"spn", collection = %"courses")
                    .in_scope(|| {
                        tracing::info_span!(target: "simpul_gateway::host", "inner").in_scope(|| {
                            tracing::warn!(target: "simpul_gateway::host", code = "PROVIDER_UNAVAILABLE", "adapter call failed: 3602134507900001");
                            tracing::info!(target: "simpul_gateway::host", attempt = 1, code = "PROVIDER_UNAVAILABLE", "retrying in 50 ms");
                        });
                    });
                tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"bbplk", collection = %"courses")
                    .in_scope(|| {
                        tracing::warn!(target: "simpul_gateway::host", code = "PROVIDER_TIMEOUT", "adapter call failed: 3602134507900001");
                    });
                tracing::info!(target: "simpul_gateway::http::request_id", method = %"POST", path = %"/graphql", status = 200u16, ms = 3u64, "request finished");
            });
        // Not ours: another crate's `request` span.
        tracing::info_span!(target: "hyper", "request").in_scope(|| {});
    });
    assert_eq!(dropped, 0);
    assert_eq!(spans.len(), 3, "{spans:?}");
    let (calls, request) = (&spans[..2], &spans[2]);
    assert_eq!(request.name, "request");
    assert_eq!(request.parent_span_id, None);
    assert_eq!(request.error, None);
    for call in calls {
        assert_eq!(call.name, "adapter_call");
        assert_eq!(call.trace_id, request.trace_id);
        assert_eq!(call.parent_span_id, Some(request.span_id));
    }
    assert_eq!(calls[0].error, None, "the retry succeeded");
    assert_eq!(calls[1].error.as_deref(), Some("PROVIDER_TIMEOUT"));
    let body = encode(&resource("simpul"), &spans).to_string();
    assert!(!body.contains("3602134507900001"), "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    let exported = &json["resourceSpans"][0]["scopeSpans"][0]["spans"];
    assert_eq!(exported[0]["kind"], 1);
    assert_eq!(exported[2]["kind"], 2);
    assert_eq!(exported[0]["parentSpanId"], exported[2]["spanId"]);
    assert_eq!(exported[0]["traceId"].as_str().unwrap().len(), 32);
    assert_eq!(exported[0]["spanId"].as_str().unwrap().len(), 16);
    assert!(exported[2].get("parentSpanId").is_none());
    let attribute = |span: &Value, key: &str| {
        span["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["key"] == key)
            .map(|a| a["value"].clone())
    };
    assert_eq!(
        attribute(&exported[0], "simpul.provider"),
        Some(json!({ "stringValue": "spn" }))
    );
    assert_eq!(
        attribute(&exported[0], "simpul.retries"),
        Some(json!({ "intValue": "1" }))
    );
    assert_eq!(
        attribute(&exported[2], "http.response.status_code"),
        Some(json!({ "intValue": "200" }))
    );
    assert_eq!(
        attribute(&exported[2], "simpul.request.id"),
        Some(json!({ "stringValue": "r-1" }))
    );
    assert_eq!(exported[1]["status"]["code"], 2);
    let start: u128 = exported[2]["startTimeUnixNano"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let end: u128 = exported[2]["endTimeUnixNano"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(start <= end && start > 1_600_000_000_000_000_000);
}

#[test]
fn a_traceparent_joins_the_callers_trace() {
    let (spans, _) = recorded(|| {
        tracing::info_span!(target: "simpul_gateway::http::request_id", "request", id = %"r-2",
            traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .in_scope(|| {
            tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"spn", collection = %"courses")
                .in_scope(|| {});
            tracing::info!(target: "simpul_gateway::http::request_id", method = %"GET", path = %"/ld/x", status = 503u16, "request finished");
        });
    });
    let (call, request) = (&spans[0], &spans[1]);
    assert_eq!(request.trace_id, 0x4bf92f3577b34da6a3ce929d0e0e4736);
    assert_eq!(request.parent_span_id, Some(0x00f067aa0ba902b7));
    assert_eq!(call.trace_id, request.trace_id);
    assert_eq!(call.parent_span_id, Some(request.span_id));
    assert_eq!(request.error.as_deref(), Some("HTTP 503"));
    assert!(request.attributes.iter().all(|(k, _)| *k != "traceparent"));
}

#[test]
fn a_traceparent_recorded_after_the_span_is_made_counts_too() {
    let (spans, _) = recorded(|| {
        let span = tracing::info_span!(target: "simpul_gateway::http::request_id", "request", id = %"r-3",
            traceparent = tracing::field::Empty);
        span.record(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        );
        span.in_scope(|| {
            tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"spn", collection = %"courses")
                .in_scope(|| {});
        });
        // A malformed one is ignored: the request starts a trace of its own.
        let span = tracing::info_span!(target: "simpul_gateway::http::request_id", "request", id = %"r-4",
            traceparent = tracing::field::Empty);
        span.record("traceparent", "00-xyz-00f067aa0ba902b7-01");
        span.in_scope(|| {});
    });
    // The spans close when dropped at the end, the second first.
    let (call, other, request) = (&spans[0], &spans[1], &spans[2]);
    assert_eq!(request.trace_id, 0x4bf92f3577b34da6a3ce929d0e0e4736);
    assert_eq!(request.parent_span_id, Some(0x00f067aa0ba902b7));
    assert_eq!(call.trace_id, request.trace_id);
    assert_eq!(call.parent_span_id, Some(request.span_id));
    assert_ne!(other.trace_id, request.trace_id);
    assert_eq!(other.parent_span_id, None);
}

#[test]
fn a_full_queue_drops_and_counts() {
    let (spans, dropped) = recorded(|| {
        for _ in 0..10 {
            tracing::info_span!(target: "simpul_gateway::host", "adapter_call", provider = %"spn", collection = %"courses")
                .in_scope(|| {});
        }
    });
    assert_eq!((spans.len(), dropped), (4, 6));
}
