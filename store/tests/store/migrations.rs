use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::MigratorTrait;
use simpul_store::migration::Migrator;
use simpul_store::{Error, NewPartner, Store};

use crate::common::{empty, Backend};

async fn applied(store: &Store) -> Vec<String> {
    let backend = store.db().get_database_backend();
    let rows = store
        .db()
        .query_all(Statement::from_string(
            backend,
            "SELECT version FROM store_migrations ORDER BY version",
        ))
        .await
        .expect("the migrations are recorded in store_migrations");
    rows.iter()
        .map(|r| r.try_get::<String>("", "version").unwrap())
        .collect()
}

/// Connect, write, connect again: nothing is applied twice and nothing is lost.
async fn connecting_twice_changes_nothing(backend: Backend) {
    let (url, _guard) = empty(backend).await;
    let first = Store::connect(&url).await.unwrap();
    let versions = applied(&first).await;
    assert_eq!(versions.len(), Migrator::migrations().len());
    assert!(versions[0].starts_with("m2026"), "{versions:?}");
    let partner = first
        .partners()
        .create(NewPartner::new("Disnaker Lebak", "spn"))
        .await
        .unwrap();
    first.close().await.unwrap();

    let second = Store::connect(&url).await.unwrap();
    assert_eq!(applied(&second).await, versions);
    assert!(Migrator::get_pending_migrations(second.db())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(second.partners().get(partner.id).await.unwrap(), partner);
    // Running the migrator once more by hand is a no-op too.
    Migrator::up(second.db(), None).await.unwrap();
    assert_eq!(applied(&second).await, versions);
    second.close().await.unwrap();
}

#[tokio::test]
async fn connecting_twice_changes_nothing_sqlite() {
    connecting_twice_changes_nothing(Backend::Sqlite).await;
}

#[tokio::test]
async fn connecting_twice_changes_nothing_postgres() {
    connecting_twice_changes_nothing(Backend::Postgres).await;
}

/// Gateway instances starting together migrate one after the other.
#[tokio::test]
async fn concurrent_connects_on_postgres() {
    let (url, _guard) = empty(Backend::Postgres).await;
    let connects: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { Store::connect(&url).await })
        })
        .collect();
    for connect in connects {
        let store = connect.await.unwrap().expect("every instance connects");
        assert_eq!(applied(&store).await.len(), Migrator::migrations().len());
        store.close().await.unwrap();
    }
}

#[tokio::test]
async fn in_memory_stores_are_separate() {
    let one = Store::memory().await.unwrap();
    let two = Store::memory().await.unwrap();
    one.partners()
        .create(NewPartner::new("A", "spn"))
        .await
        .unwrap();
    assert_eq!(one.partners().list().await.unwrap().len(), 1);
    assert!(two.partners().list().await.unwrap().is_empty());
    assert_eq!(applied(&two).await.len(), Migrator::migrations().len());
}

#[tokio::test]
async fn other_databases_are_refused() {
    for url in ["mysql://root:hunter2@localhost/simpul", "store.db"] {
        match Store::connect(url).await {
            Err(e @ Error::Invalid { .. }) => {
                assert!(
                    !e.to_string().contains("hunter2"),
                    "the URL is not repeated: {e}"
                );
            }
            other => panic!("{url}: {other:?}"),
        }
    }
}
