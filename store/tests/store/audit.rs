use chrono::{DateTime, Duration, TimeZone, Utc};
use simpul_store::{operation_hash, AuditEntry, AuditFilter, Error, NewKey, Role};

use crate::common::TestDb;

on_both_backends!(
    entries_come_back_newest_first_and_filtered,
    only_names_are_recorded
);

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 8, 0, 0).unwrap()
        + Duration::minutes(minute)
        + Duration::microseconds(123_456)
}

async fn entries_come_back_newest_first_and_filtered(db: &TestDb) {
    let store = &db.store;
    let alice = store
        .keys()
        .create(NewKey::new(Role::Admin, "alice"))
        .await
        .unwrap()
        .info
        .id;
    let bob = store
        .keys()
        .create(NewKey::new(Role::Admin, "bob"))
        .await
        .unwrap()
        .info
        .id;
    let query = "query People { participants { nodes { nik fullName } } }";

    let entry = |key: Option<&str>, minute: i64, fields: &[&str], count: u64| AuditEntry {
        key_id: key.map(str::to_owned),
        at: at(minute),
        operation_hash: operation_hash(query),
        operation_name: Some("People".into()),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        record_count: count,
        request_id: Some(format!("req-{minute}")),
    };
    let written = [
        entry(
            Some(&alice),
            0,
            &["Participant.nik", "Participant.fullName"],
            10,
        ),
        entry(Some(&bob), 1, &["Participant.phone"], 3),
        entry(Some(&alice), 2, &["Participant.nik", "Participant.nik"], 1),
        entry(None, 3, &[], 0),
    ];
    let mut ids = Vec::new();
    for e in &written {
        ids.push(store.audit().record(e.clone()).await.unwrap());
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase");

    let all = store.audit().list(AuditFilter::default()).await.unwrap();
    let minutes: Vec<_> = all
        .iter()
        .map(|r| r.entry.request_id.clone().unwrap())
        .collect();
    assert_eq!(
        minutes,
        ["req-3", "req-2", "req-1", "req-0"],
        "newest first"
    );
    // Round trip, to the microsecond; fields sorted and without duplicates.
    let oldest = &all[3];
    assert_eq!(oldest.id, ids[0]);
    assert_eq!(
        oldest.entry,
        AuditEntry {
            fields: vec!["Participant.fullName".into(), "Participant.nik".into()],
            ..written[0].clone()
        }
    );
    assert_eq!(all[1].entry.fields, ["Participant.nik"]);
    assert_eq!(all[0].entry.key_id, None);

    let request_ids = |records: Vec<simpul_store::AuditRecord>| -> Vec<String> {
        records
            .into_iter()
            .map(|r| r.entry.request_id.unwrap())
            .collect()
    };
    let list = |filter: AuditFilter| {
        let audit = store.audit();
        async move { request_ids(audit.list(filter).await.unwrap()) }
    };
    assert_eq!(
        list(AuditFilter {
            key_id: Some(alice.clone()),
            ..Default::default()
        })
        .await,
        ["req-2", "req-0"]
    );
    assert_eq!(
        list(AuditFilter {
            field: Some("Participant.nik".into()),
            ..Default::default()
        })
        .await,
        ["req-2", "req-0"]
    );
    assert_eq!(
        list(AuditFilter {
            field: Some("Participant.phone".into()),
            ..Default::default()
        })
        .await,
        ["req-1"]
    );
    // `since` is inclusive, `until` exclusive.
    assert_eq!(
        list(AuditFilter {
            since: Some(at(1)),
            until: Some(at(3)),
            ..Default::default()
        })
        .await,
        ["req-2", "req-1"]
    );
    assert_eq!(
        list(AuditFilter {
            key_id: Some(alice.clone()),
            field: Some("Participant.fullName".into()),
            since: Some(at(0)),
            ..Default::default()
        })
        .await,
        ["req-0"]
    );
    assert_eq!(
        list(AuditFilter {
            limit: Some(2),
            ..Default::default()
        })
        .await,
        ["req-3", "req-2"]
    );
    assert!(list(AuditFilter {
        key_id: Some("nokey123".into()),
        ..Default::default()
    })
    .await
    .is_empty());
}

async fn only_names_are_recorded(db: &TestDb) {
    let audit = db.store.audit();
    let nik = "3201234567890001";
    let mut entry = AuditEntry::new(None, "{ participants { nodes { nik } } }", vec![], 1);
    assert_eq!(entry.operation_name, None);

    entry.fields = vec!["Participant.nik".into(), nik.into()];
    match audit.record(entry.clone()).await {
        Err(e @ Error::Invalid { what: "fields", .. }) => {
            assert!(
                !e.to_string().contains(nik),
                "the error repeats the value: {e}"
            );
        }
        other => panic!("a value was accepted as a field name: {other:?}"),
    }

    entry.fields = vec!["Participant.nik".into()];
    let mut bad_hash = entry.clone();
    bad_hash.operation_hash = "select * from peserta".into();
    assert!(matches!(
        audit.record(bad_hash).await,
        Err(Error::Invalid {
            what: "operation_hash",
            ..
        })
    ));
    let mut bad_name = entry.clone();
    bad_name.operation_name = Some(format!("nik {nik}"));
    assert!(matches!(
        audit.record(bad_name).await,
        Err(Error::Invalid {
            what: "operation_name",
            ..
        })
    ));
    // An entry must name a key the store issued.
    let mut ghost = entry.clone();
    ghost.key_id = Some("nokey123".into());
    assert!(matches!(audit.record(ghost).await, Err(Error::Db(_))));

    assert!(
        audit.list(AuditFilter::default()).await.unwrap().is_empty(),
        "nothing stored"
    );
    audit.record(entry).await.unwrap();
    assert_eq!(audit.list(AuditFilter::default()).await.unwrap().len(), 1);
}
