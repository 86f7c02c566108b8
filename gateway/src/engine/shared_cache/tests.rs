//! The shared cache's pure parts: keys, freshness, what is never kept, entries.

use super::*;
use simpul_schema::analytics::{AggregateRequest, AggregateView};
use simpul_schema::{Collection, CompareOp, MembershipRequest, QueryRequest};

fn query() -> QueryRequest {
    let mut q = QueryRequest::all(Collection::CourseRuns);
    q.filter = Some(Filter::compare("status", CompareOp::Eq, "OPEN"));
    q.limit = Some(10);
    q
}

#[test]
fn keys_cover_the_scope_and_the_whole_request() {
    let request = AdapterRequest::Query(query());
    let key = cache_key("p:", "spn", "spn/x@1/ab", &request).unwrap();
    assert!(key.starts_with("p:") && key.len() == 2 + 64, "{key}");
    assert_eq!(
        cache_key("p:", "spn", "spn/x@1/ab", &request.clone()),
        Some(key.clone())
    );
    // Another plugin build or config, another provider, another page: another key.
    assert_ne!(
        cache_key("p:", "spn", "spn/x@1/cd", &request),
        Some(key.clone())
    );
    assert_ne!(
        cache_key("p:", "bbplk", "spn/x@1/ab", &request),
        Some(key.clone())
    );
    let mut other = query();
    other.offset = 10;
    let other = AdapterRequest::Query(other);
    assert_ne!(
        cache_key("p:", "spn", "spn/x@1/ab", &other),
        Some(key.clone())
    );
    // A partner's narrowed filter is part of the request, hence of the key.
    let mut narrowed = query();
    narrowed.filter = Some(Filter::And(vec![
        Filter::compare("status", CompareOp::Eq, "OPEN"),
        Filter::compare("provider", CompareOp::Eq, "spn"),
    ]));
    let narrowed = AdapterRequest::Query(narrowed);
    assert_ne!(
        cache_key("p:", "spn", "spn/x@1/ab", &narrowed),
        Some(key.clone())
    );
    // The GraphQL request a call serves is not part of what it asks: the same key.
    let mut in_a_request = query();
    in_a_request.request_id = Some("42".into());
    assert_eq!(
        cache_key(
            "p:",
            "spn",
            "spn/x@1/ab",
            &AdapterRequest::Query(in_a_request)
        ),
        Some(key)
    );
}

#[test]
fn canonical_json_sorts_keys_at_every_level() {
    let a: serde_json::Value =
        serde_json::from_str(r#"{"b":1,"a":{"y":[{"q":1,"p":2}],"x":0}}"#).unwrap();
    assert_eq!(
        canonical(a).to_string(),
        r#"{"a":{"x":0,"y":[{"p":2,"q":1}]},"b":1}"#
    );
}

#[test]
fn freshness_by_age() {
    let (ttl, stale) = (30_000, 10_000);
    assert_eq!(freshness(1_000, 1_000, ttl, stale), Freshness::Fresh);
    assert_eq!(freshness(1_000, 30_999, ttl, stale), Freshness::Fresh);
    assert_eq!(freshness(1_000, 31_000, ttl, stale), Freshness::Stale);
    assert_eq!(freshness(1_000, 40_999, ttl, stale), Freshness::Stale);
    assert_eq!(freshness(1_000, 41_000, ttl, stale), Freshness::Expired);
    assert_eq!(freshness(1_000, 31_000, ttl, 0), Freshness::Expired);
    // Another instance's clock ahead of ours.
    assert_eq!(freshness(9_000, 1_000, ttl, stale), Freshness::Fresh);
}

#[test]
fn personal_data_and_lookups_are_never_kept() {
    assert!(may_keep(&AdapterRequest::Query(query())));
    let mut clear = query();
    clear.include_pii = true;
    assert!(!may_keep(&AdapterRequest::Query(clear)));
    assert!(!may_keep(&AdapterRequest::Status));
    assert!(!may_keep(&AdapterRequest::Membership(MembershipRequest {
        kpj: "12345678901".into()
    })));
    let mut by_phone = QueryRequest::all(Collection::Participants);
    by_phone.filter = Some(Filter::Not(Box::new(Filter::Related {
        relation: "participant".into(),
        filter: Box::new(Filter::compare("phone", CompareOp::Eq, "0812")),
    })));
    assert!(!may_keep(&AdapterRequest::Query(by_phone)));
    let aggregate = AggregateRequest {
        view: AggregateView::Participants,
        filter: None,
        measures: Vec::new(),
        group_by: Vec::new(),
    };
    assert!(may_keep(&AdapterRequest::Aggregate(aggregate)));
}

#[test]
fn only_answers_of_the_request_kind_are_kept_and_labelled() {
    let request = AdapterRequest::Query(query());
    assert!(!answers(
        &request,
        &AdapterResponse::Aggregate(Default::default())
    ));
    assert_eq!(label(&request), "courseRuns");
    assert_eq!(label(&AdapterRequest::Status), "status");
}

#[test]
fn no_redis_url_no_cache_and_bad_settings_are_refused() {
    let metrics = Arc::new(Metrics::default());
    let off = SharedCache::new(&CacheConfig::default(), HashSet::new(), metrics.clone());
    assert!(matches!(off, Ok(None)));
    let mut config = CacheConfig {
        redis_url: Some("redis://127.0.0.1:1".into()),
        ..CacheConfig::default()
    };
    assert!(SharedCache::new(&config, HashSet::new(), metrics.clone())
        .unwrap()
        .is_some());
    config.ttl_ms = 0;
    assert!(SharedCache::new(&config, HashSet::new(), metrics.clone()).is_err());
    config.ttl_ms = 1;
    config.redis_url = Some("http://nope".into());
    assert!(SharedCache::new(&config, HashSet::new(), metrics).is_err());
}

#[test]
fn entries_round_trip_and_those_over_the_size_bound_are_not_kept() {
    let config = CacheConfig {
        redis_url: Some("redis://127.0.0.1:1".into()),
        ..CacheConfig::default()
    };
    let mut cache = SharedCache::new(&config, HashSet::new(), Arc::new(Metrics::default()))
        .unwrap()
        .unwrap();
    let answer = AdapterResponse::Aggregate(Default::default());
    let bytes = cache.entry(&answer).unwrap();
    let back: Entry = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(back.response, answer);
    cache.max_entry_bytes = bytes.len() - 1;
    assert!(cache.entry(&answer).is_none());
}
