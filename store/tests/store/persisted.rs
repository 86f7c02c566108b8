use simpul_store::{operation_hash, Error};

use crate::common::TestDb;

on_both_backends!(queries_are_stored_by_hash);

async fn queries_are_stored_by_hash(db: &TestDb) {
    let queries = db.store.persisted_queries();
    let first = "query Centres { trainingCenters(first: 10) { totalCount } }";
    let second = "{ providers { key name } }";

    let hash = queries.put(first).await.unwrap();
    assert_eq!(hash, operation_hash(first));
    assert_eq!(
        queries.put(first).await.unwrap(),
        hash,
        "putting twice is a no-op"
    );
    let other = queries.put(second).await.unwrap();

    assert_eq!(queries.get(&hash).await.unwrap().as_deref(), Some(first));
    assert_eq!(queries.get(&other).await.unwrap().as_deref(), Some(second));
    assert_eq!(queries.get(&operation_hash("{ x }")).await.unwrap(), None);
    assert!(matches!(
        queries.get("not-a-hash").await,
        Err(Error::Invalid { .. })
    ));
    assert!(matches!(
        queries.put("  \n").await,
        Err(Error::Invalid { .. })
    ));

    let listed = queries.list().await.unwrap();
    assert_eq!(listed.len(), 2);
    let mut hashes: Vec<_> = listed.iter().map(|q| q.hash.clone()).collect();
    hashes.sort();
    let mut expected = vec![hash, other];
    expected.sort();
    assert_eq!(hashes, expected);
    assert!(listed.iter().all(|q| operation_hash(&q.query) == q.hash));
}
